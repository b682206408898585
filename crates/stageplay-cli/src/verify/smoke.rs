//! Smoke tests in a built image: the start probe (the image's entrypoint still runs after a few
//! seconds, and its HEALTHCHECK passes if it has one), an HTTP probe and a smoke command.
//!
//! Networking never leaves the machine. With Podman and Buildah the whole session runs in a fresh
//! network and PID namespace (`unshare --net --pid --fork --mount-proc`): the container shares that
//! namespace's loopback, the HTTP probe is the host's `curl` inside it, and every process of the
//! session ends with it. With Docker the container runs with `--network none` and the probe enters
//! its network namespace (`nsenter -n`).

use super::builder::{Builder, ImageConfig, Kind};
use super::options::Options;
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub pass: bool,
    /// One line: what happened ("running after 3 s", "exit 1", "HTTP 404").
    pub detail: String,
    /// The output of the probed process (tail shown on failure).
    pub log: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SmokeResult {
    pub start: Option<Probe>,
    pub health: Option<Probe>,
    pub http: Option<Probe>,
    pub smoke: Option<Probe>,
    /// Set when the session itself could not run.
    pub error: Option<String>,
}

impl SmokeResult {
    pub fn probes(&self) -> impl Iterator<Item = (&'static str, &Probe)> {
        [
            ("start probe", &self.start),
            ("health check", &self.health),
            ("http probe", &self.http),
            ("smoke command", &self.smoke),
        ]
        .into_iter()
        .filter_map(|(n, p)| p.as_ref().map(|p| (n, p)))
    }

    pub fn pass(&self) -> bool {
        self.error.is_none() && self.probes().all(|(_, p)| p.pass)
    }

    pub fn ran(&self) -> bool {
        self.error.is_some() || self.probes().next().is_some()
    }
}

/// Quotes one word for sh.
pub fn sh_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn sh_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| sh_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the session script starts, execs into and runs the image.
struct Templates {
    /// Runs the image's own entrypoint in the background-able foreground.
    start: String,
    /// Prefix that runs an argv inside the running container.
    exec: String,
    /// Prefix that runs an argv in a fresh container of the image (the smoke command).
    run: String,
    /// Prefix for the host-side HTTP client so it reaches the container's loopback.
    net: String,
    /// Shell that runs after the probe (collects logs, stops the container).
    teardown: String,
}

fn templates(b: &Builder, image: &str, name: &str, cfg: &ImageConfig, dir: &Path) -> Templates {
    let prog = sh_quote(&b.program.display().to_string());
    let img = sh_quote(image);
    let name = sh_quote(name);
    let start_log = sh_quote(&dir.join("start.log").display().to_string());
    match b.kind {
        Kind::Buildah => {
            let iso = std::env::var("BUILDAH_ISOLATION").unwrap_or_else(|_| "chroot".into());
            let run = format!("{prog} run --isolation {} {name} --", sh_quote(&iso));
            Templates {
                start: format!("{run} {}", sh_line(&cfg.start_argv())),
                exec: run.clone(),
                run,
                net: String::new(),
                teardown: String::new(),
            }
        }
        Kind::Podman => Templates {
            start: format!("{prog} run --rm --network host --name {name} {img}"),
            exec: format!("{prog} exec {name}"),
            run: format!("{prog} run --rm --network host --entrypoint"),
            net: String::new(),
            teardown: format!("{prog} rm -f {name} >/dev/null 2>&1"),
        },
        Kind::Docker => Templates {
            start: format!(
                "{prog} run -d --network none --name {name} {img} >/dev/null && {prog} wait {name} >/dev/null"
            ),
            exec: format!("{prog} exec {name}"),
            run: format!("{prog} run --rm --network none --entrypoint"),
            net: format!(
                "nsenter -t \"$({prog} inspect -f '{{{{.State.Pid}}}}' {name})\" -n"
            ),
            teardown: format!(
                "{prog} logs {name} >> {start_log} 2>&1; {prog} rm -f {name} >/dev/null 2>&1"
            ),
        },
    }
}

/// The session as a shell script; it prints `@probe result` lines.
fn script(
    b: &Builder,
    image: &str,
    name: &str,
    cfg: &ImageConfig,
    opts: &Options,
    dir: &Path,
) -> String {
    let t = templates(b, image, name, cfg, dir);
    let path = |f: &str| sh_quote(&dir.join(f).display().to_string());
    let mut s = String::from("set -u\nip link set lo up 2>/dev/null\n");
    let starts = opts.start_probe || opts.smoke_http.is_some();
    if starts && !cfg.start_argv().is_empty() {
        s += &format!("{} > {} 2>&1 &\npid=$!\n", t.start, path("start.log"));
        s += &format!("sleep {}\n", opts.start_seconds.max(1));
        s += "if kill -0 $pid 2>/dev/null; then echo '@start running'; else wait $pid; echo \"@start exited $?\"; fi\n";
        if let Some(hc) = &cfg.healthcheck {
            // Docker retries a failing check (3 times by default) before "unhealthy".
            s += &format!(
                "h=1; for i in 1 2 3; do {} {} > {} 2>&1; h=$?; [ $h -eq 0 ] && break; sleep 2; done; echo \"@health $h\"\n",
                t.exec,
                sh_line(hc),
                path("health.log")
            );
        }
        if let Some((port, p)) = &opts.smoke_http {
            let url = sh_quote(&format!("http://127.0.0.1:{port}{p}"));
            s += &format!(
                "code=000; for i in $(seq 1 20); do code=$({} curl -s -o {} -w '%{{http_code}}' --max-time 5 {url}); \
case $code in 2*|3*) break;; esac; sleep 1; done; echo \"@http $code\"\n",
                t.net,
                path("http.body")
            );
        }
    }
    if let Some(argv) = &opts.smoke {
        let line = match b.kind {
            Kind::Buildah => format!("{} {}", t.run, sh_line(argv)),
            // --entrypoint takes the program; the rest are the image's arguments.
            _ => format!(
                "{} {} {} {}",
                t.run,
                sh_quote(&argv[0]),
                sh_quote(image),
                sh_line(&argv[1..])
            ),
        };
        s += &format!(
            "{line} > {} 2>&1 < /dev/null; echo \"@smoke $?\"\n",
            path("smoke.log")
        );
    }
    if !t.teardown.is_empty() {
        s += &t.teardown;
        s += "\n";
    }
    s
}

/// Runs the smoke session on `image`; `name` names its container.
pub fn run(b: &Builder, image: &str, name: &str, opts: &Options, work: &Path) -> SmokeResult {
    let wants = opts.start_probe || opts.smoke_http.is_some() || opts.smoke.is_some();
    if !wants {
        return SmokeResult::default();
    }
    let cfg = match b.config(image) {
        Ok(c) => c,
        Err(e) => {
            return SmokeResult {
                error: Some(e),
                ..Default::default()
            }
        }
    };
    let dir = work.join(name);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return SmokeResult {
            error: Some(format!("cannot create {}: {e}", dir.display())),
            ..Default::default()
        };
    }
    if opts.smoke_http.is_some() && super::builder::which("curl").is_none() {
        return SmokeResult {
            error: Some("--smoke-http needs curl on the host's PATH".into()),
            ..Default::default()
        };
    }
    let container = if b.kind == Kind::Buildah {
        let out = Command::new(&b.program)
            .args(["from", "--pull=never", "--name", name, image])
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(name.to_string()),
            Ok(o) => {
                return SmokeResult {
                    error: Some(format!(
                        "buildah from {image}: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    )),
                    ..Default::default()
                }
            }
            Err(e) => {
                return SmokeResult {
                    error: Some(e.to_string()),
                    ..Default::default()
                }
            }
        }
    } else {
        None
    };
    let text = script(b, image, name, &cfg, opts, &dir);
    let _ = std::fs::write(dir.join("session.sh"), &text);
    let mut cmd = if b.kind == Kind::Docker {
        let mut c = Command::new("sh");
        c.arg("-c").arg(&text);
        c
    } else {
        let mut c = Command::new("unshare");
        c.args(["--net", "--pid", "--fork", "--mount-proc", "sh", "-c"])
            .arg(&text);
        c
    };
    let out = cmd.stdin(Stdio::null()).output();
    if let Some(c) = container {
        let _ = Command::new(&b.program)
            .args(["rm", &c])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            return SmokeResult {
                error: Some(format!("cannot run the smoke session: {e}")),
                ..Default::default()
            }
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let mut r = parse_session(&stdout, opts, &cfg);
    for (probe, file) in [
        (&mut r.start, "start.log"),
        (&mut r.health, "health.log"),
        (&mut r.http, "start.log"),
        (&mut r.smoke, "smoke.log"),
    ] {
        if let Some(p) = probe {
            p.log = read(file);
        }
    }
    // The expected text: in the smoke command's output, else the HTTP body.
    if let Some(want) = &opts.expect {
        let (probe, haystack) = if r.smoke.is_some() {
            (&mut r.smoke, read("smoke.log"))
        } else {
            (&mut r.http, read("http.body"))
        };
        if let Some(p) = probe {
            if p.pass && !haystack.contains(want.as_str()) {
                p.pass = false;
                p.detail = format!("{}, but the output lacks {want:?}", p.detail);
                p.log = haystack;
            }
        }
    }
    if !r.ran() && !out.status.success() {
        r.error = Some(format!(
            "the smoke session failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Reads the session's `@probe value` lines.
fn parse_session(stdout: &str, opts: &Options, cfg: &ImageConfig) -> SmokeResult {
    let mut r = SmokeResult::default();
    let starts = opts.start_probe || opts.smoke_http.is_some();
    if starts && cfg.start_argv().is_empty() {
        r.start = Some(Probe {
            pass: false,
            detail: "the image has no ENTRYPOINT or CMD to start".into(),
            log: String::new(),
        });
    }
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix('@') else {
            continue;
        };
        let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
        let probe = match key {
            "start" => {
                let probe = if value == "running" {
                    Probe {
                        pass: true,
                        detail: format!("running after {} s", opts.start_seconds.max(1)),
                        log: String::new(),
                    }
                } else {
                    let code = value.trim_start_matches("exited ").trim();
                    let pass = code == "0" && !opts.server;
                    let detail = if pass {
                        "exited 0 (not a server)".to_string()
                    } else {
                        format!(
                            "exited with status {code} within {} s",
                            opts.start_seconds.max(1)
                        )
                    };
                    Probe {
                        pass,
                        detail,
                        log: String::new(),
                    }
                };
                r.start = Some(probe);
                continue;
            }
            "health" => &mut r.health,
            "http" => {
                let pass = value.starts_with('2') || value.starts_with('3');
                let detail = if value == "000" {
                    "no answer".to_string()
                } else {
                    format!("HTTP {value}")
                };
                r.http = Some(Probe {
                    pass,
                    detail,
                    log: String::new(),
                });
                continue;
            }
            "smoke" => &mut r.smoke,
            _ => continue,
        };
        *probe = Some(Probe {
            pass: value == "0",
            detail: if value == "0" {
                "exit 0".into()
            } else {
                format!("exit {value}")
            },
            log: String::new(),
        });
    }
    // A probe the script never reached (the session died) is a failure, not a pass.
    if starts && r.start.is_none() && !cfg.start_argv().is_empty() {
        r.start = Some(Probe {
            pass: false,
            detail: "the session ended before the start probe".into(),
            log: String::new(),
        });
    }
    if opts.smoke.is_some() && r.smoke.is_none() {
        r.smoke = Some(Probe {
            pass: false,
            detail: "the smoke command did not run".into(),
            log: String::new(),
        });
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::options::{parse, Command as Cli};

    fn opts(args: &[&str]) -> Options {
        match parse(args).unwrap() {
            Cli::Verify(o) => *o,
            _ => unreachable!(),
        }
    }

    #[test]
    fn quotes_words_for_sh() {
        assert_eq!(sh_quote("abc/d-e"), "abc/d-e");
        assert_eq!(sh_quote("a b"), "'a b'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
    }

    #[test]
    fn reads_the_session_lines() {
        let cfg = ImageConfig {
            entrypoint: vec![],
            cmd: vec!["app".into()],
            healthcheck: None,
        };
        let o = opts(&["--smoke", "app --version", "--server", "D"]);
        let r = parse_session("@start running\nnoise\n@smoke 1\n", &o, &cfg);
        assert!(r.start.as_ref().unwrap().pass);
        assert!(!r.smoke.as_ref().unwrap().pass);
        assert!(!r.pass());
        // a server that exits 0 fails; a batch program that exits 0 passes
        let r = parse_session("@start exited 0\n@smoke 0\n", &o, &cfg);
        assert!(!r.start.unwrap().pass);
        let o = opts(&["--smoke", "app", "D"]);
        let r = parse_session("@start exited 0\n@smoke 0\n", &o, &cfg);
        assert!(r.pass());
        // a session that printed nothing failed
        let r = parse_session("", &o, &cfg);
        assert!(!r.pass());
    }

    #[test]
    fn an_image_without_a_command_fails_the_start_probe() {
        let o = opts(&["D"]);
        let r = parse_session("", &o, &ImageConfig::default());
        assert!(!r.pass());
        assert!(r.start.unwrap().detail.contains("no ENTRYPOINT"));
    }
}
