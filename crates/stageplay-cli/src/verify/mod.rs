//! `stageplay verify FILE`: build a Dockerfile as it is and as refactored with a real builder,
//! run the same smoke tests in both images, and compare real size, layers and build time with
//! Stageplay's estimate.
//!
//! The engine stays pure: this module runs the builder (`builder`), measures images (`measure`)
//! and runs containers (`smoke`); the engine only refactors the text and estimates it.

mod builder;
mod measure;
mod options;
mod smoke;

pub use options::Args;
use options::{Command, Options, Refactors};
use stageplay::estimate::{self, EstimateOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::refactor::{self, RefactorOptions};
use stageplay::syntax;
use std::path::{Path, PathBuf};

/// One built side (original or refactored).
#[derive(Debug, Clone)]
struct Side {
    label: &'static str,
    text: String,
    tag: String,
    build: builder::BuildOutcome,
    /// (bytes, layers) measured after a successful build.
    measured: Option<Result<(u64, usize), String>>,
    smoke: smoke::SmokeResult,
    estimate: (u64, u64, u64),
    /// Built from the builder-compatibility copy ([`builder_copy`]).
    compat: bool,
}

impl Side {
    fn size(&self) -> Option<u64> {
        match &self.measured {
            Some(Ok((b, _))) => Some(*b),
            _ => None,
        }
    }
    fn layers(&self) -> Option<usize> {
        match &self.measured {
            Some(Ok((_, l))) => Some(*l),
            _ => None,
        }
    }
    fn ok(&self) -> bool {
        self.build.ok && matches!(self.measured, Some(Ok(_))) && self.smoke.pass()
    }
}

pub fn run(args: &Args) -> i32 {
    let opts = match args.resolve() {
        Ok(Command::ImageSize {
            image,
            builder,
            json,
        }) => return image_size(&image, builder.as_deref(), json),
        Ok(Command::Verify(o)) => *o,
        Err(e) => {
            eprintln!("stageplay verify: {e} (see stageplay verify --help)");
            return 2;
        }
    };
    let text = match std::fs::read(&opts.file) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("stageplay verify: cannot read {}: {e}", opts.file.display());
            return 2;
        }
    };
    if !opts.context.is_dir() {
        eprintln!(
            "stageplay verify: the build context {} is not a directory",
            opts.context.display()
        );
        return 2;
    }
    let b = match builder::detect(opts.builder.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("stageplay verify: {e}");
            return 2;
        }
    };
    let (refactored, applied) = refactor_text(&text, &opts);
    let est_opts = estimate_options(&opts.context);
    let work = std::env::temp_dir().join(format!(
        "stageplay-verify-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() % 1_000_000_000)
    ));
    if let Err(e) = std::fs::create_dir_all(&work) {
        eprintln!("stageplay verify: cannot create {}: {e}", work.display());
        return 2;
    }
    if b.kind != builder::Kind::Docker {
        // Podman and Buildah keep temporary bundles and the contents of `RUN --mount=type=cache`
        // under $TMPDIR. Pointing it into verify's own folder (removed at the end) makes each run
        // start from empty cache mounts, like a first build, and leaves nothing behind when a
        // smoke session ends its containers. (Single-threaded here: nothing reads the environment
        // concurrently.)
        let tmp = work.join("tmp");
        if let Err(e) = std::fs::create_dir_all(&tmp) {
            eprintln!("stageplay verify: cannot create {}: {e}", tmp.display());
            return 2;
        }
        std::env::set_var("TMPDIR", &tmp);
    }
    let id = work
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let progress = !opts.json;
    let images_before = b.image_ids();
    let mut sides = Vec::new();
    let mut plan: Vec<(&'static str, String, PathBuf)> =
        vec![("original", text.clone(), opts.file.clone())];
    if opts.refactors != Refactors::None && refactored != text {
        let path = work.join("Dockerfile.refactored");
        if let Err(e) = std::fs::write(&path, &refactored) {
            eprintln!("stageplay verify: cannot write {}: {e}", path.display());
            return 2;
        }
        plan.push(("refactored", refactored.clone(), path));
    }
    for (label, side_text, path) in plan {
        if sides.iter().any(|s: &Side| !s.build.ok) {
            break; // the original did not build: nothing to compare the refactor with
        }
        let tag = format!("localhost/{id}:{label}");
        // Podman and Buildah get a copy with BuildKit's meaning written out where an older
        // release reads the file differently (stageplay::compat); the user's file is unchanged.
        let (path, compat) = match builder_copy(b.kind, &side_text, &model_options(&opts)) {
            Some(copy) => {
                let p = work.join(format!("Dockerfile.{label}.compat"));
                if let Err(e) = std::fs::write(&p, copy) {
                    eprintln!("stageplay verify: cannot write {}: {e}", p.display());
                    return 2;
                }
                if progress {
                    eprintln!(
                        "stageplay verify: relative RUN --mount targets made absolute against WORKDIR for {} (BuildKit's meaning; Buildah before 1.29 rejects them)",
                        b.kind.name()
                    );
                }
                (p, true)
            }
            None => (path, false),
        };
        if progress {
            eprintln!(
                "stageplay verify: building the {label} image with {} …",
                b.kind.name()
            );
        }
        let req = builder::BuildRequest {
            dockerfile: &path,
            context: &opts.context,
            tag: &tag,
            target: opts.target.as_deref(),
            build_args: &opts.build_args,
            platform: opts.platform.as_deref(),
            volumes: &opts.volumes,
        };
        let build = b.build(&req);
        let (measured, smoke) = if build.ok {
            let m = b.measure(&tag);
            if progress {
                eprintln!("stageplay verify: smoke-testing the {label} image …");
            }
            let s = smoke::run(&b, &tag, &format!("{id}-{label}"), &opts, &work);
            (Some(m), s)
        } else {
            (None, smoke::SmokeResult::default())
        };
        let estimate = estimate_text(&side_text, &opts, &est_opts);
        sides.push(Side {
            label,
            text: side_text,
            tag,
            build,
            measured,
            smoke,
            estimate,
            compat,
        });
    }
    if !opts.keep {
        for s in &sides {
            if s.build.ok {
                b.remove_image(&s.tag);
            }
        }
        b.remove_new_dangling(&images_before);
    }
    let _ = std::fs::remove_dir_all(&work);
    let ok = sides.iter().all(Side::ok);
    if opts.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json(&opts, &b, &applied, &sides, ok))
                .unwrap_or_default()
        );
    } else {
        print!("{}", human(&opts, &b, &applied, &sides));
    }
    if ok {
        0
    } else {
        1
    }
}

/// The refactored text and the refactors applied, in order (the engine's Apply all).
fn refactor_text(text: &str, opts: &Options) -> (String, Vec<String>) {
    let ropts = RefactorOptions {
        model: model_options(opts),
        only: match &opts.refactors {
            Refactors::Only(ids) => ids.clone(),
            _ => Vec::new(),
        },
        skip: Vec::new(),
        // The refactor the app would offer for the text alone (as `stageplay refactor`).
        estimate: Default::default(),
    };
    if opts.refactors == Refactors::None {
        return (text.to_string(), Vec::new());
    }
    // The engine's own Apply all (what the app's button gives), with the ids it applied.
    let (text, applied) = refactor::apply_all_steps(text, &ropts);
    (text, applied.into_iter().map(str::to_string).collect())
}

/// The file as Podman or Buildah must be given it to read it as BuildKit does (relative mount
/// targets written absolute); `None` when the file needs no change or the builder is Docker.
fn builder_copy(kind: builder::Kind, text: &str, model_opts: &ModelOptions) -> Option<String> {
    if kind == builder::Kind::Docker {
        return None;
    }
    let doc = syntax::parse(text);
    let model = model::build(&doc, model_opts);
    stageplay::compat::absolute_mount_targets(text, &doc, &model)
}

fn model_options(opts: &Options) -> ModelOptions {
    ModelOptions {
        target: opts.target.clone(),
        build_args: opts.build_args.clone(),
        platform: opts.platform.clone(),
    }
}

/// The context as the estimate reads it (`stageplay estimate --context DIR` reads it the same
/// way): the files its .dockerignore keeps, with sizes, and its dependency files.
fn estimate_options(context: &Path) -> EstimateOptions {
    crate::context::options(context).unwrap_or_default()
}

fn estimate_text(text: &str, opts: &Options, est: &EstimateOptions) -> (u64, u64, u64) {
    let doc = syntax::parse(text);
    let model = model::build(&doc, &model_options(opts));
    let e = estimate::estimate(&doc, &model, est);
    (e.total_bytes, e.low_bytes, e.high_bytes)
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn tail(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// estimate/real − 1, as a fraction.
fn error(est: u64, real: u64) -> f64 {
    if real == 0 {
        0.0
    } else {
        est as f64 / real as f64 - 1.0
    }
}

fn human(opts: &Options, b: &builder::Builder, applied: &[String], sides: &[Side]) -> String {
    let mut out = String::new();
    out += &format!(
        "stageplay verify {} (builder: {})\n",
        opts.file.display(),
        b.kind.name()
    );
    out += &match (&opts.refactors, applied.is_empty()) {
        (Refactors::None, _) => "refactors: none asked (original only)\n".to_string(),
        (_, true) => "refactors: none applies to this file (original only)\n".to_string(),
        (_, false) => format!("refactors applied: {}\n", applied.join(", ")),
    };
    let cell = |f: &dyn Fn(&Side) -> String| -> Vec<String> { sides.iter().map(f).collect() };
    let mut rows: Vec<(&str, Vec<String>)> = vec![
        (
            "build",
            cell(&|s| {
                if s.build.ok {
                    format!("ok ({:.1} s)", s.build.seconds)
                } else {
                    format!("FAILED ({:.1} s)", s.build.seconds)
                }
            }),
        ),
        (
            "real size",
            cell(&|s| match &s.measured {
                Some(Ok((bytes, _))) => mb(*bytes),
                Some(Err(e)) => format!("? ({e})"),
                None => "-".into(),
            }),
        ),
        (
            "layers",
            cell(&|s| s.layers().map_or("-".into(), |l| l.to_string())),
        ),
        (
            "estimate",
            cell(&|s| {
                let (e, lo, hi) = s.estimate;
                format!("{} ({}–{})", mb(e), mb(lo), mb(hi))
            }),
        ),
        (
            "estimate error",
            cell(&|s| match s.size() {
                Some(real) => {
                    let (e, lo, hi) = s.estimate;
                    let inside = if (lo..=hi).contains(&real) {
                        "inside range"
                    } else {
                        "OUTSIDE range"
                    };
                    format!("{:+.1}% ({inside})", error(e, real) * 100.0)
                }
                None => "-".into(),
            }),
        ),
    ];
    let names = ["start probe", "health check", "http probe", "smoke command"];
    for name in names {
        if sides
            .iter()
            .any(|s| s.smoke.probes().any(|(n, _)| n == name))
        {
            rows.push((
                name,
                cell(&|s| {
                    s.smoke
                        .probes()
                        .find(|(n, _)| *n == name)
                        .map_or("-".into(), |(_, p)| {
                            format!("{}: {}", if p.pass { "pass" } else { "FAIL" }, p.detail)
                        })
                }),
            ));
        }
    }
    if sides.iter().any(|s| s.smoke.error.is_some()) {
        rows.push((
            "smoke session",
            cell(&|s| s.smoke.error.clone().unwrap_or_else(|| "-".into())),
        ));
    }
    let w0 = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0) + 2;
    let w1 = rows
        .iter()
        .map(|(_, c)| c.first().map_or(0, |s| s.chars().count()))
        .max()
        .unwrap_or(0)
        .max(10)
        + 3;
    out += &format!("{:w0$}", "");
    for s in sides {
        out += &format!("{:w1$}", s.label);
    }
    out += "\n";
    for (name, cells) in &rows {
        out += &format!("{name:w0$}");
        for c in cells {
            let pad = w1.saturating_sub(c.chars().count());
            out += c;
            out += &" ".repeat(pad);
        }
        out = out.trim_end().to_string();
        out += "\n";
    }
    if let [a, r] = sides {
        if let (Some(x), Some(y)) = (a.size(), r.size()) {
            out += &format!(
                "real change: {} → {} ({:+.1}%)\n",
                mb(x),
                mb(y),
                error(y, x) * 100.0
            );
        }
    }
    // Failures: which side, what, and the end of its log.
    for s in sides {
        if !s.build.ok {
            out += &format!(
                "\nthe {} image FAILED to build; last lines of the build log:\n{}\n",
                s.label,
                tail(&s.build.log, opts.log_lines)
            );
            if s.label == "original" {
                out += "(the refactored file was not built: there is nothing to compare it with)\n";
            }
        }
        if let Some(Err(e)) = &s.measured {
            out += &format!("\ncannot measure the {} image: {e}\n", s.label);
        }
        if let Some(e) = &s.smoke.error {
            out += &format!("\nthe {} image's smoke session failed: {e}\n", s.label);
        }
        for (name, p) in s.smoke.probes() {
            if !p.pass {
                out += &format!(
                    "\nthe {} image FAILED its {name} ({}); last lines of its output:\n{}\n",
                    s.label,
                    p.detail,
                    tail(&p.log, opts.log_lines)
                );
            }
        }
    }
    if opts.keep {
        for s in sides.iter().filter(|s| s.build.ok) {
            out += &format!("kept image {}\n", s.tag);
        }
    }
    if sides.iter().any(|s| s.compat) {
        out += &format!(
            "builder compatibility: {} was given a copy with relative RUN --mount targets made absolute against WORKDIR (BuildKit's meaning; Buildah before 1.29 rejects them)\n",
            b.kind.name()
        );
    }
    let ok = sides.iter().all(Side::ok);
    out += if ok {
        "verify: PASS\n"
    } else {
        "verify: FAIL\n"
    };
    out
}

fn json(
    opts: &Options,
    b: &builder::Builder,
    applied: &[String],
    sides: &[Side],
    ok: bool,
) -> serde_json::Value {
    let side = |s: &Side| {
        let (e, lo, hi) = s.estimate;
        serde_json::json!({
            "build_ok": s.build.ok,
            "build_seconds": (s.build.seconds * 10.0).round() / 10.0,
            "size_bytes": s.size(),
            "layers": s.layers(),
            "measure_error": match &s.measured { Some(Err(e)) => Some(e.clone()), _ => None },
            "estimate_bytes": e,
            "estimate_low": lo,
            "estimate_high": hi,
            "estimate_error": s.size().map(|r| error(e, r)),
            "inside_range": s.size().map(|r| (lo..=hi).contains(&r)),
            "smoke_pass": s.smoke.pass(),
            "smoke_error": s.smoke.error,
            "probes": s.smoke.probes().map(|(n, p)| serde_json::json!({
                "name": n, "pass": p.pass, "detail": p.detail,
                "log_tail": if p.pass { String::new() } else { tail(&p.log, opts.log_lines) },
            })).collect::<Vec<_>>(),
            "build_log_tail": if s.build.ok { String::new() } else { tail(&s.build.log, opts.log_lines) },
            "dockerfile": s.text,
            "builder_compat": s.compat,
            "image": if opts.keep && s.build.ok { Some(s.tag.clone()) } else { None },
        })
    };
    let mut obj = serde_json::json!({
        "file": opts.file.display().to_string(),
        "builder": b.kind.name(),
        "refactors_applied": applied,
        "pass": ok,
    });
    for s in sides {
        obj[s.label] = side(s);
    }
    obj
}

/// `--image-size IMAGE`: the size and layer count verify would report for an existing image.
fn image_size(image: &str, choice: Option<&str>, json: bool) -> i32 {
    let b = match builder::detect(choice) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("stageplay verify: {e}");
            return 2;
        }
    };
    match b.measure(image) {
        Ok((bytes, layers)) => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({"image": image, "size_bytes": bytes, "layers": layers})
                );
            } else {
                println!("{image}: {} ({bytes} bytes), {layers} layers", mb(bytes));
            }
            0
        }
        Err(e) => {
            eprintln!("stageplay verify: {e}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_estimate_over_real_minus_one() {
        assert!((error(110, 100) - 0.10).abs() < 1e-9);
        assert!((error(90, 100) + 0.10).abs() < 1e-9);
        assert_eq!(error(5, 0), 0.0);
    }

    /// Podman and Buildah get relative mount targets written absolute (Buildah 1.28 rejects
    /// them); Docker, which runs BuildKit, gets the file as it is.
    #[test]
    fn older_builders_get_buildkits_meaning_of_relative_mount_targets() {
        let text = "FROM python:3.12-slim\nWORKDIR /app\n\
RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync\n";
        let mo = ModelOptions::default();
        for kind in [builder::Kind::Buildah, builder::Kind::Podman] {
            let copy = builder_copy(kind, text, &mo).expect("a copy");
            assert!(
                copy.contains("source=uv.lock,target=/app/uv.lock uv sync"),
                "{copy}"
            );
        }
        assert_eq!(builder_copy(builder::Kind::Docker, text, &mo), None);
        assert_eq!(
            builder_copy(
                builder::Kind::Buildah,
                "FROM a\nWORKDIR /w\nRUN true\n",
                &mo
            ),
            None
        );
    }
}
