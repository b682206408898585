//! Replica base images: one folder per recipe under tests/lab/bases, built in dependency order
//! and cached.
//!
//! A recipe folder holds `recipe.conf` (`tags`, `parents`, `tls`, `note`) and either `build.sh`
//! (run as `build.sh WORKDIR`, it commits the tags itself) or a `Dockerfile` built with buildah
//! (after `prepare.sh CONTEXT CACHE` when present, which puts downloaded sources into the build
//! context). The cache key is the hash of the folder's files (recipe.conf aside) and of its parents'
//! keys, kept in CACHE/stamps/NAME with the image id: a recipe is rebuilt only when its files, or
//! a parent, change, or its image is gone.

use super::{cache_dir, conf_get, hash_dir, read_conf, tls_volumes};
use crate::tools::{output, root, say};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub struct Recipe {
    pub name: String,
    pub dir: PathBuf,
    /// (image name, knowledge-base name to compare with) per tag; the first is the primary.
    pub tags: Vec<(String, Option<String>)>,
    pub parents: Vec<String>,
    pub tls: Vec<String>,
    pub note: String,
}

/// What the report says about one replica tag.
pub struct BaseResult {
    pub image: String,
    pub official: Option<String>,
    pub bytes: Option<u64>,
    pub layers: Option<usize>,
    /// Seconds spent building (None: from the cache).
    pub built_seconds: Option<f64>,
    pub note: String,
}

fn load(dir: &Path) -> Result<Recipe, String> {
    let conf = read_conf(&dir.join("recipe.conf"))?;
    let words = |k: &str| -> Vec<String> {
        conf_get(&conf, k)
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    let tags = words("tags")
        .into_iter()
        .map(|t| match t.split_once('=') {
            Some((image, kb)) => (image.to_string(), Some(kb.to_string())),
            None => (t, None),
        })
        .collect::<Vec<_>>();
    if tags.is_empty() {
        return Err(format!("{}: recipe.conf names no tags", dir.display()));
    }
    Ok(Recipe {
        name: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dir: dir.to_path_buf(),
        tags,
        parents: words("parents"),
        tls: words("tls"),
        note: conf
            .iter()
            .filter(|(k, _)| k == "note")
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    })
}

/// Every recipe, parents before children.
pub fn recipes() -> Result<Vec<Recipe>, String> {
    let base_dir = root().join("tests/lab/bases");
    let mut all = BTreeMap::new();
    for e in std::fs::read_dir(&base_dir).map_err(|e| format!("{}: {e}", base_dir.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        if e.path().join("recipe.conf").is_file() {
            let r = load(&e.path())?;
            all.insert(r.name.clone(), r);
        }
    }
    let mut order: Vec<Recipe> = Vec::new();
    while !all.is_empty() {
        let ready: Vec<String> = all
            .values()
            .filter(|r| r.parents.iter().all(|p| order.iter().any(|o| &o.name == p)))
            .map(|r| r.name.clone())
            .collect();
        if ready.is_empty() {
            return Err(format!(
                "recipes with missing or circular parents: {:?}",
                all.keys().collect::<Vec<_>>()
            ));
        }
        for n in ready {
            if let Some(r) = all.remove(&n) {
                order.push(r);
            }
        }
    }
    Ok(order)
}

/// The recipes whose images an app's Dockerfile names (FROM, COPY --from), as written and after
/// `stageplay refactor --apply-all`.
pub fn needed_by(cli: &Path, apps: &[&super::apps::App]) -> Result<Vec<String>, String> {
    let recipes = recipes()?;
    let mut texts = Vec::new();
    for app in apps {
        let file = app.dir.join("Dockerfile");
        texts.push(std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?);
        if let Some(out) = output(
            Command::new(cli)
                .arg("refactor")
                .arg("--apply-all")
                .arg(&file),
        ) {
            texts.push(out);
        }
    }
    let mut names = Vec::new();
    for text in &texts {
        for word in text.split_whitespace() {
            let image = word.trim_start_matches("--from=");
            for r in &recipes {
                let hit = r.tags.iter().any(|(t, _)| {
                    t == image
                        || t.strip_prefix("docker.io/library/") == Some(image)
                        || t.strip_suffix(":latest") == Some(image)
                        || (!image.contains(':') && t.split(':').next() == Some(image))
                });
                if hit && !names.contains(&r.name) {
                    names.push(r.name.clone());
                }
            }
        }
    }
    Ok(names)
}

fn image_id(image: &str) -> Option<String> {
    output(Command::new("buildah").args([
        "inspect",
        "--type",
        "image",
        "--format",
        "{{.FromImageID}}",
        image,
    ]))
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// Builds what is missing or stale; returns one result per tag.
pub fn ensure_all(cli: &Path, rebuild: bool, only: &[String]) -> Result<Vec<BaseResult>, String> {
    let stamps = cache_dir().join("stamps");
    std::fs::create_dir_all(&stamps).map_err(|e| format!("{}: {e}", stamps.display()))?;
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    let mut results = Vec::new();
    let all = recipes()?;
    // `--base NAME`: that recipe and its ancestors only.
    let mut wanted: Vec<String> = only.to_vec();
    for r in all.iter().rev() {
        if wanted.contains(&r.name) {
            wanted.extend(r.parents.iter().cloned());
        }
    }
    for r in all {
        if !only.is_empty() && !wanted.contains(&r.name) {
            continue;
        }
        let parent_keys: Vec<String> = r
            .parents
            .iter()
            .map(|p| format!("parent {}", keys.get(p).cloned().unwrap_or_default()))
            .collect();
        let key = hash_dir(&r.dir, &parent_keys)?;
        keys.insert(r.name.clone(), key.clone());
        let stamp = stamps.join(&r.name);
        let primary = &r.tags[0].0;
        // The stamp: "KEY TAG=ID …"; cached when the key matches and every tag is that image.
        let cached = std::fs::read_to_string(&stamp).ok().is_some_and(|s| {
            let mut parts = s.split_whitespace();
            parts.next() == Some(key.as_str())
                && r.tags.iter().all(|(t, _)| {
                    s.split_whitespace().any(|p| {
                        p.split_once('=')
                            .is_some_and(|(pt, id)| pt == t && image_id(t).as_deref() == Some(id))
                    })
                })
        });
        let built_seconds = if cached && !rebuild {
            say(&format!("replica {} is cached (recipe {key})", r.name));
            None
        } else {
            say(&format!(
                "building replica {} (recipe {key}; log: {})",
                r.name,
                cache_dir().join(format!("build-{}.log", r.name)).display()
            ));
            let t = Instant::now();
            build(&r)?;
            let scripted = r.dir.join("build.sh").is_file();
            let mut line = key.clone();
            for (tag, _) in &r.tags {
                if !scripted && tag != primary {
                    crate::tools::run(Command::new("buildah").args(["tag", primary, tag]))?;
                }
                let id = image_id(tag)
                    .ok_or_else(|| format!("replica {}: {tag} missing after its build", r.name))?;
                line.push_str(&format!(" {tag}={id}"));
            }
            std::fs::write(&stamp, line + "\n").map_err(|e| e.to_string())?;
            Some(t.elapsed().as_secs_f64())
        };
        for (tag, kb) in &r.tags {
            let measured = output(Command::new(cli).args([
                "verify",
                "--builder",
                "buildah",
                "--json",
                "--image-size",
                tag,
            ]))
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok());
            results.push(BaseResult {
                image: tag.clone(),
                official: kb.clone(),
                bytes: measured.as_ref().and_then(|v| v["size_bytes"].as_u64()),
                layers: measured
                    .as_ref()
                    .and_then(|v| v["layers"].as_u64())
                    .map(|l| l as usize),
                built_seconds,
                note: r.note.clone(),
            });
        }
    }
    Ok(results)
}

fn build(r: &Recipe) -> Result<(), String> {
    let work = cache_dir().join("work").join(&r.name);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let log = cache_dir().join(format!("build-{}.log", r.name));
    let _ = std::fs::remove_file(&log);
    let script = r.dir.join("build.sh");
    let status = if script.is_file() {
        Command::new("nice")
            .args(["-n", "10", "bash"])
            .arg(&script)
            .arg(&work)
            .arg("stageplay.lab.recipe=1")
            .stdout(open_log(&log)?)
            .stderr(open_log(&log)?)
            .status()
    } else {
        // Dockerfile recipe: the context is a copy of the folder plus what prepare.sh fetches.
        copy_dir(&r.dir, &work)?;
        let prepare = r.dir.join("prepare.sh");
        if prepare.is_file() {
            let st = Command::new("bash")
                .arg(&prepare)
                .arg(&work)
                .arg(cache_dir())
                .stdout(open_log(&log)?)
                .stderr(open_log(&log)?)
                .status()
                .map_err(|e| e.to_string())?;
            if !st.success() {
                return Err(failure(r, &log, "prepare.sh"));
            }
        }
        let mut c = Command::new("nice");
        c.args([
            "-n",
            "10",
            "buildah",
            "bud",
            "--isolation",
            "chroot",
            "--layers",
            "--force-rm",
            "--format",
            "docker",
            "-t",
            &r.tags[0].0,
        ]);
        for v in tls_volumes(&r.tls)? {
            c.arg("-v").arg(v);
        }
        c.arg(&work)
            .stdout(open_log(&log)?)
            .stderr(open_log(&log)?)
            .status()
    };
    let ok = status.map(|s| s.success()).unwrap_or(false);
    let _ = std::fs::remove_dir_all(&work);
    if ok {
        // --layers keeps one intermediate image per step; the tagged image holds them all.
        let _ = Command::new("buildah")
            .args(["rmi", "--prune"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        Ok(())
    } else {
        Err(failure(r, &log, "the build"))
    }
}

fn failure(r: &Recipe, log: &Path, what: &str) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    format!(
        "replica {}: {what} failed; last lines of {}:\n{}",
        r.name,
        log.display(),
        lines[lines.len().saturating_sub(25)..].join("\n")
    )
}

fn open_log(path: &Path) -> Result<std::fs::File, String> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    crate::tools::run(
        Command::new("cp")
            .arg("-a")
            .arg(format!("{}/.", from.display()))
            .arg(to),
    )
}
