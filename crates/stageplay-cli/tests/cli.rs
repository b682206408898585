//! The `stageplay` binary as a user runs it: options, exit codes, stdin, unreadable files,
//! closed pipes, build options and hadolint's configuration.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

/// A command for the binary with no HADOLINT_* or NO_COLOR variable and no user config folder
/// of the developer's leaking in.
fn stageplay() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stageplay"));
    for (k, _) in std::env::vars() {
        if k.starts_with("HADOLINT_") || k == "NO_COLOR" || k == "XDG_CONFIG_HOME" {
            cmd.env_remove(k);
        }
    }
    cmd.env("HOME", empty_dir("home"));
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh empty folder under the target directory.
fn empty_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{name}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const SUBCOMMANDS: &[&str] = &[
    "parse", "graph", "estimate", "lint", "refactor", "format", "rule", "verify",
];

#[test]
fn unknown_options_are_rejected_with_exit_2_and_a_hint() {
    for sub in SUBCOMMANDS {
        let o = run(stageplay().args([sub, "--bogus", &data("findings.Dockerfile")]));
        assert_eq!(o.status.code(), Some(2), "{sub}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("unexpected argument '--bogus'"),
            "{sub}: {err}"
        );
        assert!(err.contains("--help"), "{sub}: {err}");
        assert!(o.stdout.is_empty(), "{sub}");
    }
    // A near miss names the option meant.
    let o = run(stageplay().args(["lint", "--ignor", "DL3008", &data("findings.Dockerfile")]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--ignore"), "{}", stderr(&o));
    // An unknown subcommand too.
    let o = run(stageplay().arg("lnt"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lint"), "{}", stderr(&o));
}

#[test]
fn version_and_help() {
    let version = format!("stageplay {}", env!("CARGO_PKG_VERSION"));
    for args in [
        &["--version"][..],
        &["-V"],
        &["lint", "--version"],
        &["lint", "-v"],
    ] {
        let o = run(stageplay().args(args));
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(stdout(&o).trim(), version, "{args:?}");
    }
    let o = run(stageplay().arg("--help"));
    assert_eq!(o.status.code(), Some(0));
    for sub in SUBCOMMANDS {
        assert!(stdout(&o).contains(sub), "top-level help lists {sub}");
        let o = run(stageplay().args([sub, "--help"]));
        assert_eq!(o.status.code(), Some(0), "{sub}");
        assert!(
            stdout(&o).contains(&format!("Usage: stageplay {sub}")),
            "{sub}: {}",
            stdout(&o)
        );
    }
    // No arguments: the usage on stderr, exit 2.
    let o = run(&mut stageplay());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage"));
}

#[test]
fn dash_reads_standard_input() {
    let text = std::fs::read(data("findings.Dockerfile")).expect("fixture");
    for sub in ["parse", "graph", "estimate", "lint", "refactor"] {
        let mut child = stageplay()
            .args([sub, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&text)
            .expect("writes");
        let o = child.wait_with_output().expect("waits");
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{sub}: {}",
            stderr(&o)
        );
        assert!(!o.stdout.is_empty(), "{sub} printed nothing");
    }
    let mut child = stageplay()
        .args(["lint", "-f", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"FROM ubuntu\n")
        .expect("writes");
    let o = child.wait_with_output().expect("waits");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v
        .as_array()
        .expect("array")
        .iter()
        .any(|f| f["code"] == "DL3006" && f["file"] == "-"));
}

#[test]
fn unreadable_files_fail_with_a_message() {
    let dir = empty_dir("unreadable");
    let missing = dir.join("missing.Dockerfile").display().to_string();
    let folder = dir.display().to_string();
    for sub in ["parse", "graph", "estimate", "lint", "refactor"] {
        for path in [&missing, &folder] {
            let o = run(stageplay().args([sub, path.as_str()]));
            assert_eq!(o.status.code(), Some(2), "{sub} {path}");
            assert!(
                stderr(&o).contains(&format!("cannot read {path}")),
                "{sub}: {}",
                stderr(&o)
            );
            assert!(!stderr(&o).contains("panicked"));
        }
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // More output than a pipe buffers (64 KiB), so the writer meets the closed pipe.
    let file = data("findings.Dockerfile");
    let files: Vec<&str> = std::iter::repeat_n(file.as_str(), 400).collect();
    for args in [
        &["refactor", "--json"][..],
        &["graph", "--format", "svg"],
        &["lint", "-f", "full"],
        &["parse", "--json"],
    ] {
        let mut child = stageplay()
            .args(args)
            .args(&files)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        let mut head = [0u8; 600];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut head)
            .expect("reads the first 600 bytes");
        // Dropping the read end closes the pipe.
        let o = child.wait_with_output().expect("waits");
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert!(
                o.status.code() == Some(0) || o.status.signal() == Some(libc_sigpipe()),
                "{args:?}: {:?}",
                o.status
            );
        }
    }
}

#[cfg(unix)]
fn libc_sigpipe() -> i32 {
    13
}

/// `FROM ${BASE}` with BASE=python:3.12 by default; every subcommand reads `--build-arg` the
/// same way: `BASE=V` sets it, `BASE` alone takes the environment's value, or nothing.
fn with_build_arg(sub: &[&str], build_arg: Option<&str>, env: Option<&str>) -> Output {
    let mut cmd = stageplay();
    cmd.args(sub);
    if let Some(b) = build_arg {
        cmd.args(["--build-arg", b]);
    }
    match env {
        Some(v) => cmd.env("BASE", v),
        None => cmd.env_remove("BASE"),
    };
    run(cmd.arg(data("build-arg.Dockerfile")))
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// The base image `sub --json` reports (at the JSON `pointer`) for the four ways of passing
/// BASE: nothing, `BASE=V`, `BASE` with BASE in the environment, `BASE` without it.
fn assert_base_image(sub: &str, pointer: &str, set: &str, from_env: &str) {
    let base = |b, e| {
        json(&with_build_arg(&[sub, "--json"], b, e))
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let arg = format!("BASE={set}");
    assert_eq!(base(None, None).as_deref(), Some("python:3.12"), "{sub}");
    assert_eq!(
        base(Some(arg.as_str()), None).as_deref(),
        Some(set),
        "{sub}"
    );
    assert_eq!(
        base(Some("BASE"), Some(from_env)).as_deref(),
        Some(from_env),
        "{sub}"
    );
    assert_eq!(
        base(Some("BASE"), None).as_deref(),
        Some("python:3.12"),
        "{sub}"
    );
}

#[test]
fn build_arg_in_graph() {
    assert_base_image("graph", "/stages/0/base/image", "debian:12", "alpine:3.20");
}

#[test]
fn build_arg_in_estimate() {
    assert_base_image(
        "estimate",
        "/stages/0/base",
        "python:3.12-alpine",
        "python:3.12-slim",
    );
}

#[test]
fn build_arg_in_lint() {
    let dl3006 = |b, e| {
        json(&with_build_arg(&["lint", "-f", "json"], b, e))
            .as_array()
            .expect("array")
            .iter()
            .any(|f| f["code"] == "DL3006")
    };
    assert!(!dl3006(None, None));
    assert!(dl3006(Some("BASE=python"), None), "an untagged image");
    assert!(dl3006(Some("BASE"), Some("python")));
    // `--build-arg BASE` without a value in the environment leaves the default (it used to
    // set BASE to the empty string).
    assert!(!dl3006(Some("BASE"), None));
}

#[test]
fn build_arg_in_refactor() {
    let size =
        |b, e| json(&with_build_arg(&["refactor", "--json"], b, e))[0]["size_before"].as_u64();
    let default = size(None, None);
    assert!(default.is_some());
    let alpine = size(Some("BASE=python:3.12-alpine"), None);
    assert!(alpine < default, "{alpine:?} < {default:?}");
    assert_eq!(size(Some("BASE"), Some("python:3.12-alpine")), alpine);
    assert_eq!(size(Some("BASE"), None), default);
}

#[test]
fn lint_exit_codes_follow_the_failure_threshold() {
    let info_only = data("info-only.Dockerfile");
    let code = |args: &[&str]| {
        run(stageplay().arg("lint").args(args).arg(&info_only))
            .status
            .code()
    };
    assert_eq!(code(&[]), Some(1), "info reaches the default threshold");
    assert_eq!(code(&["-t", "warning"]), Some(0));
    assert_eq!(code(&["--failure-threshold", "error"]), Some(0));
    assert_eq!(code(&["-t", "style"]), Some(1));
    assert_eq!(
        code(&["-t", "none"]),
        Some(1),
        "none and ignore: every finding fails"
    );
    assert_eq!(code(&["--no-fail"]), Some(0));
    assert_eq!(code(&["-f", "codeclimate"]), Some(0), "as hadolint");
    assert_eq!(code(&["-f", "gitlab_codeclimate"]), Some(1));
    assert_eq!(
        code(&["--style", "DL3047,SP1009"]),
        Some(0),
        "style is below info"
    );
    assert_eq!(
        code(&["--style", "DL3047", "--style", "SP1009", "-t", "style"]),
        Some(1)
    );
    assert_eq!(code(&["--ignore", "DL3047", "--ignore", "SP1009"]), Some(0));
    assert_eq!(code(&["-t", "bogus"]), Some(2));
    let o = run(stageplay()
        .args(["lint", "-f", "gnu", "--error", "DL3047"])
        .arg(&info_only));
    assert!(stdout(&o).contains("DL3047 error:"), "{}", stdout(&o));
    // A clean file.
    let dir = empty_dir("clean");
    let clean = dir.join("Dockerfile");
    std::fs::write(&clean, "FROM alpine:3.20\nUSER nobody\nCMD [\"true\"]\n").expect("write");
    let o = run(stageplay().args(["lint"]).arg(&clean));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn lint_reads_hadolint_config_files_and_environment() {
    let dir = empty_dir("config");
    std::fs::copy(data("info-only.Dockerfile"), dir.join("Dockerfile")).expect("copy");
    let lint = |env: &[(&str, &str)]| {
        let mut cmd = stageplay();
        cmd.current_dir(&dir)
            .args(["lint", "-f", "json", "Dockerfile"]);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = run(&mut cmd);
        let codes: Vec<String> = json(&o)
            .as_array()
            .expect("array")
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["code"].as_str().unwrap_or(""),
                    f["level"].as_str().unwrap_or("")
                )
            })
            .collect();
        (o.status.code(), codes)
    };
    assert_eq!(
        lint(&[]),
        (Some(1), vec!["SP1009:info".into(), "DL3047:info".into()])
    );
    // .hadolint.yaml in the working directory.
    std::fs::write(
        dir.join(".hadolint.yaml"),
        "ignored: [SP1009]\noverride:\n  style:\n    - DL3047\n",
    )
    .expect("write");
    assert_eq!(lint(&[]), (Some(0), vec!["DL3047:style".into()]));
    // The environment adds to the file's lists; the file's threshold comes before the environment's.
    assert_eq!(
        lint(&[("HADOLINT_FAILURE_THRESHOLD", "style")]),
        (Some(1), vec!["DL3047:style".into()])
    );
    assert_eq!(lint(&[("HADOLINT_IGNORE", "DL3047")]), (Some(0), vec![]));
    assert_eq!(
        lint(&[
            ("HADOLINT_OVERRIDE_ERROR", "DL3047"),
            ("HADOLINT_NOFAIL", "1")
        ]),
        (Some(0), vec!["DL3047:error".into()])
    );
    // .hadolint.yml is read when there is no .hadolint.yaml; -c names another file.
    std::fs::remove_file(dir.join(".hadolint.yaml")).expect("rm");
    std::fs::write(dir.join(".hadolint.yml"), "ignored:\n  - DL3047\n").expect("write");
    assert_eq!(lint(&[]), (Some(1), vec!["SP1009:info".into()]));
    std::fs::write(dir.join("other.yaml"), "failure-threshold: warning\n").expect("write");
    let o = run(stageplay()
        .current_dir(&dir)
        .args(["lint", "-c", "other.yaml", "Dockerfile"]));
    assert_eq!(o.status.code(), Some(0), "-c replaces the lookup");
    assert!(stdout(&o).contains("DL3047"), "{}", stdout(&o));
    // The user's config folder when the working directory has none.
    std::fs::remove_file(dir.join(".hadolint.yml")).expect("rm");
    let xdg = empty_dir("xdg");
    std::fs::write(xdg.join("hadolint.yaml"), "ignored: [DL3047, SP1009]\n").expect("write");
    assert_eq!(
        lint(&[("XDG_CONFIG_HOME", xdg.to_str().expect("utf-8"))]),
        (Some(0), vec![])
    );
    // A broken or missing file is an error, not a silent default.
    std::fs::write(dir.join(".hadolint.yaml"), "ignored: [DL3047\n").expect("write");
    let o = run(stageplay().current_dir(&dir).args(["lint", "Dockerfile"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".hadolint.yaml"), "{}", stderr(&o));
    let o = run(stageplay()
        .current_dir(&dir)
        .args(["lint", "-c", "missing.yaml", "Dockerfile"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.yaml"), "{}", stderr(&o));
}

#[test]
fn hadolint_codes_configure_the_rule_that_mirrors_them() {
    let file = data("findings.Dockerfile");
    let o = run(stageplay()
        .args([
            "lint", "-f", "json", "--ignore", "DL3025", "--error", "DL4000",
        ])
        .arg(&file));
    let findings = json(&o);
    let list = findings.as_array().expect("array");
    assert!(!list.iter().any(|f| f["code"] == "JSONArgsRecommended"));
    let maintainer = list
        .iter()
        .find(|f| f["code"] == "MaintainerDeprecated")
        .expect("reported");
    assert_eq!(maintainer["level"], "error");
    assert!(maintainer["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .any(|s| s == "hadolint:DL4000"));
}

#[test]
fn colour_only_on_a_terminal() {
    // Captured output is not a terminal: no escape codes.
    let o = run(stageplay().args(["lint"]).arg(data("findings.Dockerfile")));
    assert!(!stdout(&o).contains('\u{1b}'), "{}", stdout(&o));
    // On a terminal (util-linux `script` gives the command a pseudo-terminal): colour, unless
    // NO_COLOR is set or --no-color is given.
    let on_terminal = |extra: &str, no_color: Option<&str>| {
        let line = format!(
            "{} lint {extra} {}",
            env!("CARGO_BIN_EXE_stageplay"),
            data("info-only.Dockerfile")
        );
        let mut script = Command::new("script");
        script
            .args(["-qec", &line, "/dev/null"])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            script.env("NO_COLOR", v);
        }
        stdout(&run(&mut script))
    };
    assert!(
        on_terminal("", None).contains("\u{1b}["),
        "{}",
        on_terminal("", None)
    );
    assert!(!on_terminal("", Some("1")).contains('\u{1b}'));
    assert!(!on_terminal("--no-color", None).contains('\u{1b}'));
    assert!(on_terminal("", None).contains("DL3047"));
}

#[test]
fn rule_prints_documentation() {
    let o = run(stageplay().args(["rule", "DL3008"]));
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("(DL3008)") && out.contains("## What it does"),
        "{out}"
    );
    // By the hadolint code a BuildKit check mirrors.
    let o = run(stageplay().args(["rule", "DL3025"]));
    assert!(stdout(&o).contains("JSONArgsRecommended"), "{}", stdout(&o));
    let o = run(stageplay().args(["rule", "NOPE"]));
    assert_eq!(o.status.code(), Some(2));
    let o = run(stageplay().args(["rule", "--all"]));
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).lines().count() > 50);
    assert!(stdout(&o).lines().any(|l| l.starts_with("SP1001")));
    let o = run(stageplay().args(["rule", "--all", "--json"]));
    assert!(json(&o).as_array().is_some_and(|a| a.len() > 50));
}

#[test]
fn lint_trusted_registries_and_disabled_pragmas() {
    let dl3026 = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = stageplay();
        cmd.args(["lint", "-f", "json"]).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = run(cmd.arg(data("compare/stages.Dockerfile")));
        let lines: Vec<u64> = json(&o)
            .as_array()
            .expect("array")
            .iter()
            .filter(|f| f["code"] == "DL3026")
            .filter_map(|f| f["line"].as_u64())
            .collect();
        lines
    };
    assert_eq!(dl3026(&[], &[]), Vec::<u64>::new(), "no list: no check");
    // golang (Docker Hub) is trusted; quay.io and gcr.io are not; `FROM builder` is a stage.
    assert_eq!(dl3026(&["--trusted-registry", "docker.io"], &[]), [6, 11]);
    assert_eq!(
        dl3026(&["--trusted-registry", "docker.io,quay.io,*.gcr.io"], &[]),
        [11],
        "`*.gcr.io` trusts eu.gcr.io, not gcr.io itself"
    );
    assert_eq!(
        dl3026(
            &[],
            &[("HADOLINT_TRUSTED_REGISTRIES", "docker.io,quay.io,gcr.io")]
        ),
        Vec::<u64>::new()
    );
    // `# hadolint ignore=DL3047` above line 7, unless pragmas are disabled.
    let dl3047 = |args: &[&str]| {
        let o = run(stageplay()
            .args(["lint", "-f", "json"])
            .args(args)
            .arg(data("compare/pragmas.Dockerfile")));
        json(&o)
            .as_array()
            .expect("array")
            .iter()
            .filter(|f| f["code"] == "DL3047")
            .filter_map(|f| f["line"].as_u64())
            .collect::<Vec<_>>()
    };
    assert_eq!(dl3047(&[]), [8]);
    assert_eq!(dl3047(&["--disable-ignore-pragma"]), [7, 8]);
}

#[test]
fn refactor_says_why_a_split_is_not_offered() {
    // `npm install` with no package.json copied: nothing for a runtime stage to copy.
    let dir = empty_dir("refactor-declined");
    let file = dir.join("Dockerfile");
    std::fs::write(
        &file,
        "FROM node:22\nWORKDIR /app\nRUN npm install express\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    )
    .expect("writes");
    let o = run(stageplay().args(["refactor", file.to_str().expect("utf-8")]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("split-stage (not offered): ") && out.contains("package.json"),
        "{out}"
    );
}

/// `--context DIR` reads the project folder: the founding guide's FastAPI example sized from its
/// requirements.txt (measured closure, not the fallback), `COPY` from the folder's files; a
/// missing folder is an error with exit 2; `--context` and `--context-size` exclude each other.
#[test]
fn estimate_reads_a_project_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../stageplay/tests/data/apps/fastapi");
    let o = run(stageplay()
        .args(["estimate", "--json", "--target", "builder", "--context"])
        .arg(&dir)
        .arg(dir.join("Dockerfile")));
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    let layers = v["layers"].as_array().unwrap();
    let pip = layers
        .iter()
        .find(|l| {
            l["instruction"]
                .as_str()
                .unwrap()
                .starts_with("RUN pip install")
        })
        .unwrap();
    assert!(
        pip["reason"].as_str().unwrap().contains("measured"),
        "{pip}"
    );
    assert!(
        !pip["reason"].as_str().unwrap().contains("fallback"),
        "{pip}"
    );
    let copy = layers
        .iter()
        .find(|l| l["instruction"] == "COPY requirements.txt .")
        .unwrap();
    assert_eq!(copy["bytes"], 16);
    let missing = run(stageplay().args(["estimate", "--context", "/nonexistent/project", "-"]));
    assert_eq!(missing.status.code(), Some(2), "{}", stderr(&missing));
    assert!(stderr(&missing).contains("not a directory"));
    let both = run(stageplay().args(["estimate", "--context", ".", "--context-size", "1MB", "-"]));
    assert_eq!(both.status.code(), Some(2));
}
