//! The founding guide's chart for the current Dockerfile: the same app on the full, slim and alpine
//! variants of its language image, as a clean multi-stage build on slim, and on distroless.

use super::simulate::{self, Config};
use super::{Estimate, EstimateOptions};
use crate::model::{Base, Model};
use crate::syntax::Dockerfile;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Alternative {
    /// `as written`, `full`, `slim`, `multi-stage (slim)`, `alpine`, `distroless`.
    pub label: String,
    /// The base image of the final stage in this variant.
    pub image: String,
    pub total_bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub note: String,
    /// The founding guide's "Typical size" for this approach, when the guide's table applies (a
    /// Python image): shown beside the estimate so the two can be compared.
    pub guide: Option<&'static str>,
}

/// The founding guide's "Image Size Comparison" table (Python), quoted as written.
const GUIDE_TABLE: &[(&str, &str)] = &[
    ("full", "~1 GB"),
    ("slim", "~150 MB"),
    ("multi-stage (slim)", "~100-150 MB"),
    ("alpine", "~50 MB"),
    ("distroless", "~30-50 MB"),
];

/// The language family and version of the target's root image, e.g. `("python", "3.12")`.
fn family(model: &Model) -> (String, String) {
    let mut i = model.target.unwrap_or(0);
    for _ in 0..=model.stages.len() {
        match model.stages.get(i).map(|s| &s.base) {
            Some(Base::Stage(p)) if *p < i => i = *p,
            Some(Base::Image(image)) => {
                let n = super::bases::normalize(image);
                let (repo, tag) = n.rsplit_once(':').unwrap_or((n.as_str(), "latest"));
                let repo = repo.rsplit('/').next().unwrap_or(repo).to_string();
                let version: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let parts: Vec<&str> = version
                    .split('.')
                    .filter(|p| !p.is_empty())
                    .take(2)
                    .collect();
                return (repo, parts.join("."));
            }
            _ => break,
        }
    }
    (String::new(), String::new())
}

fn variants(repo: &str, version: &str) -> [(String, String); 4] {
    let v = |default: &str| {
        if version.is_empty() {
            default.to_string()
        } else {
            version.to_string()
        }
    };
    match repo {
        "python" => {
            let v = v("3.12");
            [
                ("full".into(), format!("python:{v}")),
                ("slim".into(), format!("python:{v}-slim")),
                ("alpine".into(), format!("python:{v}-alpine")),
                (
                    "distroless".into(),
                    "gcr.io/distroless/python3-debian12".into(),
                ),
            ]
        }
        "node" => {
            let v = v("22");
            [
                ("full".into(), format!("node:{v}")),
                ("slim".into(), format!("node:{v}-slim")),
                ("alpine".into(), format!("node:{v}-alpine")),
                (
                    "distroless".into(),
                    "gcr.io/distroless/nodejs22-debian12".into(),
                ),
            ]
        }
        "golang" | "rust" => [
            ("full".into(), "debian:bookworm".into()),
            ("slim".into(), "debian:bookworm-slim".into()),
            ("alpine".into(), "alpine:3.22".into()),
            (
                "distroless".into(),
                "gcr.io/distroless/static-debian12".into(),
            ),
        ],
        _ => [
            ("full".into(), "debian:bookworm".into()),
            ("slim".into(), "debian:bookworm-slim".into()),
            ("alpine".into(), "alpine:3.22".into()),
            (
                "distroless".into(),
                "gcr.io/distroless/base-debian12".into(),
            ),
        ],
    }
}

fn row(label: &str, image: &str, e: &Estimate, note: &str) -> Alternative {
    Alternative {
        label: label.into(),
        image: image.into(),
        total_bytes: e.total_bytes,
        low_bytes: e.low_bytes,
        high_bytes: e.high_bytes,
        note: note.into(),
        guide: None,
    }
}

/// The alternatives chart: the Dockerfile as written, then each variant of its base.
pub fn compare_alternatives(
    doc: &Dockerfile,
    model: &Model,
    opts: &EstimateOptions,
) -> Vec<Alternative> {
    let mut out = Vec::new();
    let current = simulate::run(doc, model, opts, &Config::default());
    let written_base = current
        .base
        .as_ref()
        .map(|b| b.reference.clone())
        .unwrap_or_default();
    out.push(row(
        "as written",
        &written_base,
        &current,
        "this Dockerfile",
    ));
    let (repo, version) = family(model);
    let [full, slim, alpine, distroless] = variants(&repo, &version);
    let run = |image: &str, runtime_only: bool, no_pm: bool| {
        simulate::run(
            doc,
            model,
            opts,
            &Config {
                base_override: Some(image.to_string()),
                runtime_only,
                no_package_manager: no_pm,
            },
        )
    };
    out.push(row(
        &full.0,
        &full.1,
        &run(&full.1, false, false),
        "same steps on the full image",
    ));
    out.push(row(
        &slim.0,
        &slim.1,
        &run(&slim.1, false, false),
        "same steps on the slim image",
    ));
    out.push(row(
        "multi-stage (slim)",
        &slim.1,
        &run(&slim.1, true, false),
        "slim final stage without build tools or caches (they stay in a builder stage)",
    ));
    out.push(row(
        &alpine.0,
        &alpine.1,
        &run(&alpine.1, false, false),
        "musl: some wheels and binaries need rebuilding",
    ));
    out.push(row(
        &distroless.0,
        &distroless.1,
        &run(&distroless.1, true, true),
        "no shell or package manager: only the app and its dependencies copied in",
    ));
    if repo == "python" {
        for alt in &mut out {
            alt.guide = GUIDE_TABLE
                .iter()
                .find(|(label, _)| *label == alt.label)
                .map(|(_, size)| *size);
        }
    }
    out
}
