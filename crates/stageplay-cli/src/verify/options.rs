//! `stageplay verify`'s command line: clap reads it ([`Args`]) and [`Args::resolve`] checks the
//! combinations and turns it into the plain [`Options`] the rest of verify works from.

use crate::options::BuildOptions;
use std::path::PathBuf;

/// Build a Dockerfile as it is and as refactored with a real image builder, and compare them:
/// real size, layer count and build time; Stageplay's estimate and range for each; smoke tests.
///
/// "Verified" means: both images build, both pass the same smoke test and start probe (the
/// entrypoint still runs after --start-seconds, and its HEALTHCHECK passes if it has one), and
/// the refactored image is measured against the original. Exit 0 only when all of that holds.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The Dockerfile to build (a path: the build context defaults to its folder).
    #[arg(value_name = "FILE", required_unless_present = "image_size")]
    pub file: Option<PathBuf>,
    /// Refactored side: every suggestion applied (the default).
    #[arg(long, conflicts_with_all = ["refactor", "no_refactor"])]
    pub apply_all: bool,
    /// Refactored side: only these refactors (repeat or comma-separate).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        conflicts_with = "no_refactor"
    )]
    pub refactor: Vec<String>,
    /// Build the original only (checks the estimate against one real build).
    #[arg(long)]
    pub no_refactor: bool,
    /// docker (buildx), podman or buildah; default: the first usable one on PATH.
    #[arg(long, value_name = "NAME", value_parser = ["docker", "podman", "buildah"])]
    pub builder: Option<String>,
    /// The build context (default: FILE's folder).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    #[command(flatten)]
    pub build: BuildOptions,
    /// A mount for the builds' RUN steps (buildah/podman -v; repeatable), e.g. a CA bundle and
    /// a pip.conf or .npmrc that points at it. Never edit the Dockerfile to make it build.
    #[arg(long = "volume", short = 'v', value_name = "HOST:CTR[:OPTIONS]", value_parser = parse_volume)]
    pub volumes: Vec<String>,
    /// Run CMD in both images (words with shell-style quoting; no shell unless you write
    /// sh -c); it must exit 0.
    #[arg(long, value_name = "CMD")]
    pub smoke: Option<String>,
    /// Start the image's entrypoint and GET http://127.0.0.1:PORT/PATH inside the container's
    /// own network namespace; it must answer 2xx or 3xx. Implies --server.
    #[arg(long = "smoke-http", num_args = 2, value_names = ["PORT", "PATH"])]
    pub smoke_http: Option<Vec<String>>,
    /// The smoke output (or HTTP body) must contain TEXT.
    #[arg(long, value_name = "TEXT")]
    pub expect: Option<String>,
    /// Start probe: the entrypoint must still run after N seconds; with a HEALTHCHECK, its
    /// command must then pass.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub start_seconds: u64,
    /// The entrypoint is a server: exiting within the start window fails even with status 0.
    #[arg(long)]
    pub server: bool,
    /// Skip the start probe.
    #[arg(long)]
    pub no_start_probe: bool,
    /// Keep the images (and print their names). Podman and buildah runs start with empty RUN
    /// cache mounts and keep their temporary files in their own folder, removed at the end.
    #[arg(long)]
    pub keep: bool,
    /// Lines of a failing log to print.
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub log_lines: usize,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Only measure IMAGE (size and layers, as verify measures them) and exit.
    #[arg(long, value_name = "IMAGE")]
    pub image_size: Option<String>,
}

fn parse_volume(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 || parts[0].is_empty() || parts[1].is_empty() {
        return Err(format!("'{v}' is not HOST:CTR[:OPTIONS]"));
    }
    Ok(v.to_string())
}

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
    pub platform: Option<String>,
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
}

impl Args {
    /// Checks what clap cannot and gives the plain options; `Err` is a message for the user
    /// (exit 2).
    pub fn resolve(&self) -> Result<Command, String> {
        if let Some(image) = &self.image_size {
            return Ok(Command::ImageSize {
                image: image.clone(),
                builder: self.builder.clone(),
                json: self.json,
            });
        }
        let file = self.file.clone().ok_or("no Dockerfile given")?;
        if file.as_os_str() == "-" {
            return Err("verify builds from a directory: give the Dockerfile's path, not -".into());
        }
        let refactors = if self.no_refactor {
            Refactors::None
        } else if self.refactor.is_empty() {
            Refactors::All
        } else {
            Refactors::Only(
                self.refactor
                    .iter()
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .collect(),
            )
        };
        let context = self.context.clone().unwrap_or_else(|| match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        });
        let smoke = match &self.smoke {
            Some(text) => {
                let words = split_words(text)?;
                if words.is_empty() {
                    return Err("--smoke needs a command".into());
                }
                Some(words)
            }
            None => None,
        };
        let smoke_http = match self.smoke_http.as_deref() {
            Some([port, path]) => {
                let port: u16 = port
                    .parse()
                    .map_err(|_| format!("--smoke-http: '{port}' is not a port"))?;
                let path = if path.starts_with('/') {
                    path.clone()
                } else {
                    format!("/{path}")
                };
                Some((port, path))
            }
            _ => None,
        };
        let model = self.build.model_options();
        Ok(Command::Verify(Box::new(Options {
            file,
            context,
            refactors,
            builder: self.builder.clone(),
            target: model.target,
            build_args: model.build_args,
            platform: model.platform,
            volumes: self.volumes.clone(),
            server: self.server || smoke_http.is_some(),
            smoke,
            smoke_http,
            expect: self.expect.clone(),
            start_seconds: self.start_seconds,
            start_probe: !self.no_start_probe,
            keep: self.keep,
            log_lines: self.log_lines,
            json: self.json,
        })))
    }
}

/// Reads `stageplay verify`'s arguments as the CLI does (tests only).
#[cfg(test)]
pub(crate) fn parse(args: &[&str]) -> Result<Command, String> {
    use clap::Parser;
    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }
    let cli = Cli::try_parse_from(std::iter::once("verify").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    cli.args.resolve()
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

    fn verify(s: &[&str]) -> Options {
        match parse(s) {
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
            assert!(parse(bad).is_err(), "{bad:?}");
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
