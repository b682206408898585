//! Issue 19, acceptance 3: the share of `FROM` images in the corpus that resolve to a sourced
//! knowledge-base row or an explained approximation. Every file of the repository's corpus copy
//! (and `../shared/corpus` when it is there) is parsed and modelled with its ARG defaults; every
//! stage whose base is an image (not an earlier stage, not `scratch`) counts once per distinct
//! reference per file. A reference that still holds an unexpanded variable after ARG expansion
//! names no public image (`$BASE_IMAGE` with no default) and is counted apart, as is a reference to
//! a registry that is not public (`*.example.com`, `localhost:5000`).
//!
//! Resolution kinds: `sourced` (exact match on a row that cites its source), `approximate` (a row
//! of the same image, another version or suite: its reason is shown), `class` (unknown image whose
//! name gives its class, with that class's derived range), `unknown` (none of these).
//!
//! Run with `cargo test -p stageplay --test estimate_coverage -- --nocapture` to see the counts
//! (`STAGEPLAY_SHARED_CORPUS=DIR` reads another copy of the shared corpus; a file present in both
//! copies counts once).

use stageplay::estimate::bases::{resolve, Match};
use stageplay::model::{self, Base, ModelOptions};
use stageplay::syntax;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            dockerfiles(&p, out);
        } else if p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains("Dockerfile") || n.ends_with(".dockerfile"))
        {
            out.push(p);
        }
    }
}

/// References in the corpus that name no public image, with why: parser test placeholders and
/// fixtures whose image the caller supplies.
const NOT_PUBLIC: &[(&str, &str)] = &[
    ("image", "BuildKit's parser test files (escape*) use it as a placeholder"),
    ("foo", "BuildKit's parser test file multiple-volumes uses it as a placeholder"),
    (
        "base",
        "docker/compose's build-dependencies fixture: the compose file builds the image named base first",
    ),
    (
        "666:666",
        "docker/compose's multi-args fixture: ARG IMAGE=666 and TAG=666, which the test overrides",
    ),
];

/// Registries that are not public: placeholders and local ones.
fn private_registry(reference: &str) -> bool {
    let host = reference.split('/').next().unwrap_or("");
    reference.contains('/')
        && (host.ends_with(".example.com")
            || host == "example.com"
            || host.starts_with("localhost")
            || host.starts_with("127.0.0.1")
            || host.ends_with(".local")
            || host.ends_with(".internal"))
}

#[derive(Default)]
struct Count {
    sourced: usize,
    approximate: usize,
    class: usize,
    unknown: Vec<String>,
    unexpanded: usize,
    private: usize,
}

fn count(dirs: &[PathBuf]) -> (Count, BTreeMap<String, usize>) {
    // The same file in two copies of the corpus counts once.
    let mut by_relative: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for d in dirs {
        let mut found = Vec::new();
        dockerfiles(d, &mut found);
        for f in found {
            let rel = f.strip_prefix(d).unwrap_or(&f).to_path_buf();
            by_relative.entry(rel).or_insert(f);
        }
    }
    let files: Vec<PathBuf> = by_relative.into_values().collect();
    let mut c = Count::default();
    let mut approx_reasons: BTreeMap<String, usize> = BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let doc = syntax::parse(&text);
        let m = model::build(&doc, &ModelOptions::default());
        let mut seen = std::collections::BTreeSet::new();
        for s in &m.stages {
            let Base::Image(image) = &s.base else {
                continue;
            };
            if !seen.insert(image.clone()) {
                continue;
            }
            if image.contains('$') || image.is_empty() {
                c.unexpanded += 1;
                continue;
            }
            if private_registry(image) || NOT_PUBLIC.iter().any(|(n, _)| n == image) {
                c.private += 1;
                continue;
            }
            let r = resolve(image);
            match (&r.how, r.base, r.class) {
                (Match::Exact | Match::Scratch, Some(b), _) if !b.is_estimate() => c.sourced += 1,
                (Match::Approximate(name), Some(_), _) => {
                    c.approximate += 1;
                    let why = r.why.clone().unwrap_or_else(|| "nearest known tag".into());
                    *approx_reasons
                        .entry(format!("{image} → {name}: {why}"))
                        .or_default() += 1;
                }
                (Match::Unknown, None, Some(class)) => {
                    c.class += 1;
                    *approx_reasons
                        .entry(format!("{image} → {}", class.name))
                        .or_default() += 1;
                }
                _ => c.unknown.push(format!(
                    "{image} ({})",
                    f.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap_or(f)
                        .display()
                )),
            }
        }
    }
    (c, approx_reasons)
}

#[test]
fn corpus_from_images_resolve_to_a_sourced_row_or_an_explained_approximation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/corpus")];
    // The project's shared corpus beside the repository (`../shared/corpus`), or where
    // STAGEPLAY_SHARED_CORPUS points.
    let shared = std::env::var_os("STAGEPLAY_SHARED_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../../../shared/corpus"));
    if shared.is_dir() {
        println!("also reading {}", shared.display());
        dirs.push(shared);
    }
    let (c, reasons) = count(&dirs);
    let public = c.sourced + c.approximate + c.class + c.unknown.len();
    let explained = c.sourced + c.approximate + c.class;
    let share = explained as f64 / public.max(1) as f64;
    println!("approximations and classes (reason → count):");
    for (why, n) in &reasons {
        println!("  {n:3}  {why}");
    }
    println!("unknown:");
    for u in &c.unknown {
        println!("  {u}");
    }
    println!(
        "[coverage] FROM images naming a public image: {public}; sourced row {}, approximate {}, class {}, unknown {}; \
         resolved or explained {:.1}%  (not counted: {} with an unexpanded variable, {} on a private registry or a placeholder)",
        c.sourced,
        c.approximate,
        c.class,
        c.unknown.len(),
        share * 100.0,
        c.unexpanded,
        c.private
    );
    assert!(public >= 150, "the corpus was not read ({public} images)");
    assert!(
        c.unknown.is_empty(),
        "{} unexplained: {:?}",
        c.unknown.len(),
        c.unknown
    );
}
