//! `stageplay verify`'s command line, read in one function ([`parse`]) so it can move to another
//! argument parser without touching the rest.

use std::path::PathBuf;

pub const USAGE: &str = "\
usage: stageplay verify [options] FILE

Builds FILE as it is and as refactored, with a real image builder, and compares them:
real size, layer count and build time; Stageplay's estimate and range for each; smoke tests.

options:
  --apply-all             refactored side: every suggestion applied (the default)
  --refactor ID           refactored side: only these refactors (repeat or comma-separate)
  --no-refactor           build the original only (check the estimate against one real build)
  --builder NAME          docker (buildx), podman or buildah; default: the first usable on PATH
  --context DIR           build context (default: FILE's directory)
  --target T              build target stage
  --build-arg K=V         build argument (repeatable)
  --volume HOST:CTR[:ro]  mount for the builds' RUN steps (buildah/podman -v, repeatable), e.g. a CA
                          bundle and a pip.conf/npmrc that points at it
  --smoke 'CMD'           run CMD (words, shell-style quoting; no shell unless you write sh -c) in both
                          images; it must exit 0
  --smoke-http PORT PATH  start the image's entrypoint and GET http://127.0.0.1:PORT/PATH inside the
                          container's own network namespace; it must answer 2xx/3xx
  --expect TEXT           the smoke output (or HTTP body) must contain TEXT
  --start-seconds N       start probe: the entrypoint must still run after N seconds (default 3); with
                          HEALTHCHECK, its command must then pass
  --server                the entrypoint is a server: exiting within the start window fails even with
                          status 0 (implied by --smoke-http)
  --no-start-probe        skip the start probe
  --keep                  keep the images (and print their names)
                          (podman/buildah: each run starts with empty RUN cache mounts and keeps its
                          temporary files in its own folder, removed at the end)
  --log-lines N           lines of a failing log to print (default 25)
  --json                  print the result as JSON
  --image-size IMAGE      only measure IMAGE (size and layers, as verify measures them) and exit
";

#[derive(Debug, Clone, PartialEq)]
pub enum Refactors {
    All,
    Only(Vec<String>),
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub file: PathBuf,
    pub context: PathBuf,
    pub refactors: Refactors,
    pub builder: Option<String>,
    pub target: Option<String>,
    pub build_args: Vec<(String, String)>,
    pub volumes: Vec<String>,
    pub smoke: Option<Vec<String>>,
    pub smoke_http: Option<(u16, String)>,
    pub expect: Option<String>,
    pub start_seconds: u64,
    pub server: bool,
    pub start_probe: bool,
    pub keep: bool,
    pub log_lines: usize,
    pub json: bool,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Verify(Box<Options>),
    ImageSize {
        image: String,
        builder: Option<String>,
        json: bool,
    },
    Help,
}

/// Reads `stageplay verify`'s arguments; `Err` is a message for the user (exit 2).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut file: Option<PathBuf> = None;
    let mut context = None;
    let mut only: Vec<String> = Vec::new();
    let mut apply_all = false;
    let mut no_refactor = false;
    let mut builder = None;
    let mut target = None;
    let mut build_args = Vec::new();
    let mut volumes = Vec::new();
    let mut smoke = None;
    let mut smoke_http = None;
    let mut expect = None;
    let mut start_seconds = 3;
    let mut server = false;
    let mut start_probe = true;
    let mut keep = false;
    let mut log_lines = 25;
    let mut json = false;
    let mut image_size = None;

    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs {what}")),
            }
        };
        match name {
            "-h" | "--help" => return Ok(Command::Help),
            "--apply-all" => apply_all = true,
            "--no-refactor" => no_refactor = true,
            "--refactor" => only.extend(
                value("a refactor id")?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
            "--builder" => {
                let b = value("a builder name")?;
                if !matches!(b.as_str(), "docker" | "podman" | "buildah") {
                    return Err(format!(
                        "unknown builder '{b}' (use docker, podman or buildah)"
                    ));
                }
                builder = Some(b);
            }
            "--context" => context = Some(PathBuf::from(value("a directory")?)),
            "--target" => target = Some(value("a stage name")?),
            "--build-arg" => {
                let kv = value("K=V")?;
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--build-arg '{kv}' is not K=V"))?;
                build_args.push((k.to_string(), v.to_string()));
            }
            "--volume" | "-v" => {
                let v = value("HOST:CTR[:ro]")?;
                let parts: Vec<&str> = v.split(':').collect();
                if parts.len() < 2 || parts.len() > 3 || parts[0].is_empty() || parts[1].is_empty()
                {
                    return Err(format!("--volume '{v}' is not HOST:CTR[:OPTIONS]"));
                }
                volumes.push(v);
            }
            "--smoke" => {
                let text = value("a command")?;
                let words = split_words(&text)?;
                if words.is_empty() {
                    return Err("--smoke needs a command".into());
                }
                smoke = Some(words);
            }
            "--smoke-http" => {
                let port = value("PORT PATH")?;
                let port: u16 = port
                    .parse()
                    .map_err(|_| format!("--smoke-http: '{port}' is not a port"))?;
                let path = it
                    .next()
                    .cloned()
                    .ok_or("--smoke-http needs PORT PATH (e.g. --smoke-http 8000 /)")?;
                let path = if path.starts_with('/') {
                    path
                } else {
                    format!("/{path}")
                };
                smoke_http = Some((port, path));
            }
            "--expect" => expect = Some(value("a text")?),
            "--start-seconds" => {
                let n = value("a number of seconds")?;
                start_seconds = n
                    .parse()
                    .map_err(|_| format!("--start-seconds: '{n}' is not a number"))?;
            }
            "--server" => server = true,
            "--no-start-probe" => start_probe = false,
            "--keep" => keep = true,
            "--json" => json = true,
            "--log-lines" => {
                let n = value("a number")?;
                log_lines = n
                    .parse()
                    .map_err(|_| format!("--log-lines: '{n}' is not a number"))?;
            }
            "--image-size" => image_size = Some(value("an image name")?),
            _ if name.starts_with('-') && name != "-" => {
                return Err(format!("unknown option {name}"));
            }
            _ => {
                if file.is_some() {
                    return Err("verify takes one Dockerfile".into());
                }
                file = Some(PathBuf::from(arg));
            }
        }
    }
    if let Some(image) = image_size {
        return Ok(Command::ImageSize {
            image,
            builder,
            json,
        });
    }
    let file = file.ok_or("no Dockerfile given")?;
    if file.as_os_str() == "-" {
        return Err("verify builds from a directory: give the Dockerfile's path, not -".into());
    }
    let refactors = match (no_refactor, apply_all, only.is_empty()) {
        (true, false, true) => Refactors::None,
        (true, _, _) => return Err("--no-refactor excludes --apply-all and --refactor".into()),
        (false, true, false) => return Err("--apply-all excludes --refactor".into()),
        (false, _, true) => Refactors::All,
        (false, false, false) => Refactors::Only(only),
    };
    let context = context.unwrap_or_else(|| match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    });
    if smoke_http.is_some() {
        server = true;
    }
    Ok(Command::Verify(Box::new(Options {
        file,
        context,
        refactors,
        builder,
        target,
        build_args,
        volumes,
        smoke,
        smoke_http,
        expect,
        start_seconds,
        server,
        start_probe,
        keep,
        log_lines,
        json,
    })))
}

/// Splits a command line into words the way a POSIX shell would for plain words, '…' and "…"
/// (backslash escapes outside single quotes); no expansion.
pub fn split_words(text: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(format!("unclosed ' in '{text}'")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err(format!("unclosed \" in '{text}'")),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(format!("unclosed \" in '{text}'")),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    fn verify(s: &[&str]) -> Options {
        match parse(&args(s)) {
            Ok(Command::Verify(o)) => *o,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_apply_all_and_context_is_the_files_directory() {
        let o = verify(&["app/Dockerfile"]);
        assert_eq!(o.refactors, Refactors::All);
        assert_eq!(o.context, PathBuf::from("app"));
        assert_eq!(verify(&["Dockerfile"]).context, PathBuf::from("."));
        assert!(o.start_probe && !o.server && !o.keep);
    }

    #[test]
    fn reads_every_option() {
        let o = verify(&[
            "--refactor",
            "split-stage,cache-mounts",
            "--refactor=healthcheck",
            "--builder",
            "buildah",
            "--volume",
            "/etc/ssl/certs/ca-certificates.crt:/run/host-ca.crt:ro",
            "--smoke-http",
            "8000",
            "health",
            "--expect",
            "ok",
            "--build-arg",
            "A=b=c",
            "--keep",
            "D",
        ]);
        assert_eq!(
            o.refactors,
            Refactors::Only(vec![
                "split-stage".into(),
                "cache-mounts".into(),
                "healthcheck".into()
            ])
        );
        assert_eq!(o.builder.as_deref(), Some("buildah"));
        assert_eq!(o.smoke_http, Some((8000, "/health".into())));
        assert!(o.server, "--smoke-http implies a server");
        assert_eq!(o.build_args, vec![("A".into(), "b=c".into())]);
        assert_eq!(o.volumes.len(), 1);
        assert!(o.keep);
    }

    #[test]
    fn rejects_bad_input_with_a_message() {
        for bad in [
            &["--builder", "kaniko", "D"][..],
            &["--volume", "nocolon", "D"],
            &["--smoke-http", "http", "/", "D"],
            &["--apply-all", "--refactor", "x", "D"],
            &["--frobnicate", "D"],
            &["-"],
            &[],
            &["A", "B"],
            &["--smoke", "'open", "D"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn splits_words_like_a_shell() {
        assert_eq!(
            split_words(r#"python -c 'import app; print("ok")' "a b" c\ d"#).unwrap(),
            vec!["python", "-c", "import app; print(\"ok\")", "a b", "c d"]
        );
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split_words("''").unwrap(), vec![""]);
    }
}
