//! The image builders `stageplay verify` drives: Docker (buildx), Podman and Buildah.
//!
//! Each is a command on PATH. Builds, image facts, container runs and clean-up go through the
//! builder's own CLI; sizes of Podman and Buildah images are measured from their containers-storage
//! layers the way Docker measures its own (see [`crate::verify::measure`]).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docker,
    Podman,
    Buildah,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Docker => "docker",
            Kind::Podman => "podman",
            Kind::Buildah => "buildah",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Builder {
    pub kind: Kind,
    /// The executable (resolved on PATH).
    pub program: PathBuf,
}

/// Finds `name` on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Runs `program args…` quietly and says whether it exited 0.
fn works(program: &Path, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// The builder asked for, or the first usable one: docker with buildx and a reachable daemon,
/// then podman, then buildah. `Err` explains what was looked for.
pub fn detect(choice: Option<&str>) -> Result<Builder, String> {
    let usable = |kind: Kind| -> Result<Builder, String> {
        let program =
            which(kind.name()).ok_or_else(|| format!("{} is not on PATH", kind.name()))?;
        let ok = match kind {
            Kind::Docker => {
                if !works(&program, &["buildx", "version"]) {
                    return Err("docker is on PATH but `docker buildx version` fails".into());
                }
                works(&program, &["info"])
            }
            Kind::Podman | Kind::Buildah => works(&program, &["--version"]),
        };
        if ok {
            Ok(Builder { kind, program })
        } else if kind == Kind::Docker {
            Err("docker is on PATH but its daemon does not answer (`docker info` fails)".into())
        } else {
            Err(format!(
                "{} is on PATH but `{} --version` fails",
                kind.name(),
                kind.name()
            ))
        }
    };
    if let Some(name) = choice {
        let kind = match name {
            "docker" => Kind::Docker,
            "podman" => Kind::Podman,
            "buildah" => Kind::Buildah,
            other => return Err(format!("unknown builder '{other}'")),
        };
        return usable(kind).map_err(|e| format!("--builder {name}: {e}"));
    }
    let mut reasons = Vec::new();
    for kind in [Kind::Docker, Kind::Podman, Kind::Buildah] {
        match usable(kind) {
            Ok(b) => return Ok(b),
            Err(e) => reasons.push(e),
        }
    }
    Err(format!(
        "no image builder found: verify needs docker (with buildx), podman or buildah on PATH ({}). \
On Debian/Ubuntu: apt-get install buildah",
        reasons.join("; ")
    ))
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildOutcome {
    pub ok: bool,
    pub seconds: f64,
    /// stdout and stderr of the build, interleaved as the builder wrote them (merged).
    pub log: String,
}

pub struct BuildRequest<'a> {
    pub dockerfile: &'a Path,
    pub context: &'a Path,
    pub tag: &'a str,
    pub target: Option<&'a str>,
    pub build_args: &'a [(String, String)],
    pub platform: Option<&'a str>,
    pub volumes: &'a [String],
}

impl Builder {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.program);
        c.stdin(Stdio::null());
        c
    }

    /// The arguments of one build, without the program.
    pub fn build_args(&self, req: &BuildRequest) -> Result<Vec<String>, String> {
        let mut a: Vec<String> = match self.kind {
            Kind::Docker => {
                if !req.volumes.is_empty() {
                    return Err("docker buildx has no build-time volumes: --volume needs podman or buildah \
(with Docker, give the CA through the builder's own configuration)"
                        .into());
                }
                vec![
                    "buildx".into(),
                    "build".into(),
                    "--no-cache".into(),
                    "--load".into(),
                ]
            }
            Kind::Podman => vec![
                "build".into(),
                "--no-cache".into(),
                "--format".into(),
                "docker".into(),
            ],
            Kind::Buildah => {
                let isolation =
                    std::env::var("BUILDAH_ISOLATION").unwrap_or_else(|_| "chroot".into());
                vec![
                    "bud".into(),
                    // one layer per instruction as Docker makes them (without --layers buildah
                    // squashes each stage into one), no cache (honest build times), and no working
                    // container left behind by a failed build
                    "--layers".into(),
                    "--no-cache".into(),
                    "--force-rm".into(),
                    "--format".into(),
                    "docker".into(),
                    "--isolation".into(),
                    isolation,
                ]
            }
        };
        a.push("-f".into());
        a.push(req.dockerfile.display().to_string());
        a.push("-t".into());
        a.push(req.tag.to_string());
        if let Some(t) = req.target {
            a.push("--target".into());
            a.push(t.to_string());
        }
        if let Some(p) = req.platform {
            a.push("--platform".into());
            a.push(p.to_string());
        }
        for (k, v) in req.build_args {
            a.push("--build-arg".into());
            a.push(format!("{k}={v}"));
        }
        for v in req.volumes {
            a.push("-v".into());
            a.push(v.clone());
        }
        a.push(req.context.display().to_string());
        Ok(a)
    }

    /// Builds one image; the log is kept in memory (builds print a few hundred kB at most).
    pub fn build(&self, req: &BuildRequest) -> BuildOutcome {
        let args = match self.build_args(req) {
            Ok(a) => a,
            Err(e) => {
                return BuildOutcome {
                    ok: false,
                    seconds: 0.0,
                    log: e,
                }
            }
        };
        let start = Instant::now();
        let out = self.command().args(&args).output();
        let seconds = start.elapsed().as_secs_f64();
        match out {
            Ok(o) => {
                let mut log = String::from_utf8_lossy(&o.stdout).into_owned();
                log.push_str(&String::from_utf8_lossy(&o.stderr));
                BuildOutcome {
                    ok: o.status.success(),
                    seconds,
                    log,
                }
            }
            Err(e) => BuildOutcome {
                ok: false,
                seconds,
                log: format!("cannot run {}: {e}", self.program.display()),
            },
        }
    }

    /// The image's configuration as JSON (`docker image inspect` / `buildah inspect`).
    pub fn inspect(&self, image: &str) -> Result<serde_json::Value, String> {
        let mut c = self.command();
        match self.kind {
            Kind::Docker | Kind::Podman => c.args(["image", "inspect", image]),
            Kind::Buildah => c.args(["inspect", "--type", "image", image]),
        };
        let out = c.output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!(
                "cannot inspect {image}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let v: serde_json::Value =
            serde_json::from_slice(&out.stdout).map_err(|e| format!("inspect {image}: {e}"))?;
        Ok(match v {
            serde_json::Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            other => other,
        })
    }

    /// The image's run configuration (entrypoint, command, health check).
    pub fn config(&self, image: &str) -> Result<ImageConfig, String> {
        let v = self.inspect(image)?;
        let cfg = match self.kind {
            Kind::Docker | Kind::Podman => v.get("Config").cloned(),
            Kind::Buildah => v
                .get("Docker")
                .and_then(|d| d.get("config"))
                .cloned()
                .or_else(|| v.get("OCIv1").and_then(|o| o.get("config")).cloned()),
        }
        .unwrap_or(serde_json::Value::Null);
        let strings = |key: &str| -> Vec<String> {
            cfg.get(key)
                .and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let healthcheck = cfg
            .get("Healthcheck")
            .and_then(|h| h.get("Test"))
            .and_then(|t| t.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .and_then(|test| match test.first().map(String::as_str) {
                Some("CMD") => Some(test[1..].to_vec()),
                Some("CMD-SHELL") => Some(vec![
                    "/bin/sh".into(),
                    "-c".into(),
                    test.get(1).cloned().unwrap_or_default(),
                ]),
                _ => None,
            });
        Ok(ImageConfig {
            entrypoint: strings("Entrypoint"),
            cmd: strings("Cmd"),
            healthcheck,
        })
    }

    /// Real size (bytes, Docker's measure) and layer count of an image.
    pub fn measure(&self, image: &str) -> Result<(u64, usize), String> {
        match self.kind {
            Kind::Docker => {
                let v = self.inspect(image)?;
                let size = v.get("Size").and_then(|s| s.as_u64()).unwrap_or(0);
                let layers = v
                    .get("RootFS")
                    .and_then(|r| r.get("Layers"))
                    .and_then(|l| l.as_array())
                    .map_or(0, Vec::len);
                Ok((size, layers))
            }
            Kind::Podman | Kind::Buildah => {
                let id = self.image_id(image)?;
                crate::verify::measure::storage_image(&self.storage_root()?, &id)
            }
        }
    }

    fn image_id(&self, image: &str) -> Result<String, String> {
        let v = self.inspect(image)?;
        let id = match self.kind {
            Kind::Buildah => v.get("FromImageID"),
            _ => v.get("Id"),
        };
        id.and_then(|s| s.as_str())
            .map(|s| s.trim_start_matches("sha256:").to_string())
            .ok_or_else(|| format!("no image id for {image}"))
    }

    /// containers-storage's graph root, from `buildah info` / `podman info`.
    fn storage_root(&self) -> Result<PathBuf, String> {
        let out = self
            .command()
            .args(["info"])
            .output()
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("{} info: {e}", self.kind.name()))?;
        let root = v
            .pointer("/store/GraphRoot")
            .or_else(|| v.pointer("/store/graphRoot"))
            .and_then(|s| s.as_str())
            .ok_or_else(|| format!("{} info names no storage root", self.kind.name()))?;
        let driver = v
            .pointer("/store/GraphDriverName")
            .or_else(|| v.pointer("/store/graphDriverName"))
            .and_then(|s| s.as_str())
            .unwrap_or("overlay");
        if driver != "overlay" {
            return Err(format!(
                "sizes are measured on overlay storage; this {} uses '{driver}'",
                self.kind.name()
            ));
        }
        Ok(PathBuf::from(root))
    }

    /// Ids of every image in the store, intermediate ones included (Podman/Buildah).
    pub fn image_ids(&self) -> Vec<String> {
        let mut c = self.command();
        match self.kind {
            Kind::Docker => return Vec::new(), // BuildKit keeps stages in its cache, not as images
            Kind::Podman => c.args(["images", "-a", "-q", "--no-trunc"]),
            Kind::Buildah => c.args(["images", "-a", "-q", "--no-trunc"]),
        };
        c.output()
            .map(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .map(|l| l.trim().trim_start_matches("sha256:").to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Removes the untagged images a build made (the stages' intermediate images that `--layers`
    /// keeps), given the ids that existed before it, unless a container uses them.
    pub fn remove_new_dangling(&self, before: &[String]) {
        if self.kind == Kind::Docker {
            return;
        }
        let mut c = self.command();
        c.args([
            "images",
            "-a",
            "-q",
            "--no-trunc",
            "--filter",
            "dangling=true",
        ]);
        let Ok(out) = c.output() else { return };
        for id in String::from_utf8_lossy(&out.stdout).lines() {
            let id = id.trim().trim_start_matches("sha256:");
            if !id.is_empty() && !before.iter().any(|b| b == id) {
                // Not forced: an image that another build's container is using (a second
                // verify or build on the same storage) stays; `rmi -f` would remove that
                // container and fail the other build.
                let mut c = self.command();
                match self.kind {
                    Kind::Docker | Kind::Podman => c.args(["image", "rm", id]),
                    Kind::Buildah => c.args(["rmi", id]),
                };
                let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
            }
        }
    }

    /// Removes an image (quietly; used for clean-up).
    pub fn remove_image(&self, image: &str) {
        let mut c = self.command();
        match self.kind {
            Kind::Docker | Kind::Podman => c.args(["image", "rm", "-f", image]),
            Kind::Buildah => c.args(["rmi", "-f", image]),
        };
        let _ = c.stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}

/// What the smoke runner needs from an image's configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImageConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    /// The health check as an argument vector (CMD-SHELL becomes `/bin/sh -c …`).
    pub healthcheck: Option<Vec<String>>,
}

impl ImageConfig {
    /// What `docker run IMAGE` would start.
    pub fn start_argv(&self) -> Vec<String> {
        let mut a = self.entrypoint.clone();
        a.extend(self.cmd.iter().cloned());
        a
    }
}
