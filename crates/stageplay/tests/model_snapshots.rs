//! Acceptance 1 of issue 4: snapshots of the stage model, the outline and the DOT/Mermaid (and
//! for two examples SVG) exports, for every founding-guide example and the largest corpus files.
//! Snapshots live in `tests/snapshots/model/` (insta; see tests/support/snapshot.rs to accept changes).

use stageplay::model::{self, export, Base, EdgeSource, Model, ModelOptions};
use stageplay::syntax::{self, Dockerfile};
use stageplay::LineIndex;
use std::fmt::Write;
use std::path::{Path, PathBuf};

mod support;
use support::snapshot::assert_snapshot as snapshot;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// The app's examples: the founding guide's patterns are golden-test inputs as they ship.
fn gallery() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gallery")
}

/// What the user sees of the model, as text.
fn render(text: &str, doc: &Dockerfile, model: &Model) -> String {
    let index = LineIndex::new(text);
    let name = |i: usize| {
        model
            .stages
            .get(i)
            .map_or(format!("#{i}"), |s| s.display_name())
    };
    let mut out = String::new();
    writeln!(out, "stages:").unwrap();
    for s in &model.stages {
        let base = match &s.base {
            Base::Stage(b) => format!("stage {}", name(*b)),
            Base::Image(r) => format!("image {r}"),
            Base::Scratch => "scratch".into(),
        };
        let state = if model.target == Some(s.index) {
            "target"
        } else if s.needed {
            "needed"
        } else {
            "skipped"
        };
        writeln!(
            out,
            "  {} {} line {} base={} ({}) {state} level={}{}",
            s.index,
            s.display_name(),
            s.line,
            base,
            s.base_text,
            s.level.map_or("-".into(), |l| l.to_string()),
            s.platform
                .as_deref()
                .map(|p| format!(" platform={p}"))
                .unwrap_or_default()
        )
        .unwrap();
        for a in &s.args {
            writeln!(
                out,
                "     ARG {} default={:?} value={:?}",
                a.name, a.default, a.value
            )
            .unwrap();
        }
        if !s.onbuild.is_empty() {
            writeln!(out, "     ONBUILD at instructions {:?}", s.onbuild).unwrap();
        }
    }
    for a in &model.global_args {
        writeln!(
            out,
            "global ARG {} default={:?} value={:?}",
            a.name, a.default, a.value
        )
        .unwrap();
    }
    writeln!(out, "edges:").unwrap();
    for e in &model.edges {
        let from = match &e.from {
            EdgeSource::Stage(s) => format!("stage {}", name(*s)),
            EdgeSource::Image(r) => format!("image {r}"),
            EdgeSource::Context => "context".into(),
        };
        writeln!(
            out,
            "  line {} {} {:?}: {from} -> {}",
            e.line,
            e.keyword.as_str(),
            e.kind,
            name(e.to)
        )
        .unwrap();
    }
    writeln!(out, "target: {:?}", model.target.map(name)).unwrap();
    let levels: Vec<String> = model
        .levels
        .iter()
        .map(|l| l.iter().map(|s| name(*s)).collect::<Vec<_>>().join(" "))
        .collect();
    writeln!(out, "levels: {}", levels.join(" | ")).unwrap();
    let path: Vec<String> = model.critical_path.iter().map(|s| name(*s)).collect();
    writeln!(out, "critical path: {}", path.join(" -> ")).unwrap();
    let o = model::outline(doc, model);
    for a in &o.args {
        writeln!(
            out,
            "outline arg {} = {:?} (line {}) {:?}",
            a.name, a.value, a.line, a.description
        )
        .unwrap();
    }
    for s in &o.secrets {
        writeln!(
            out,
            "outline secret {} required={} (line {})",
            s.id, s.required, s.line
        )
        .unwrap();
    }
    for s in &o.ssh {
        writeln!(
            out,
            "outline ssh {} required={} (line {})",
            s.id, s.required, s.line
        )
        .unwrap();
    }
    for c in &o.caches {
        writeln!(
            out,
            "outline cache {} id={} sharing={} in {} (line {})",
            c.target,
            c.id,
            c.sharing,
            name(c.stage),
            c.line
        )
        .unwrap();
    }
    for t in &o.targets {
        writeln!(
            out,
            "target {} {:?}{} {:?}",
            t.index,
            t.name,
            if t.default { " (default)" } else { "" },
            t.description.as_deref().map(|d| d.replace('\n', " / "))
        )
        .unwrap();
    }
    writeln!(out, "diagnostics:").unwrap();
    for d in &model.diagnostics {
        let at = index.line_col(text, d.span.start);
        writeln!(
            out,
            "  {}:{} {} {}: {}",
            at.line,
            at.column,
            d.severity.as_str(),
            d.code,
            d.message
        )
        .unwrap();
    }
    out
}

fn check(fixture: &Path, stem: &str, svg: bool) {
    let text =
        std::fs::read_to_string(fixture).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
    let doc = syntax::parse(&text);
    let model = model::build(&doc, &ModelOptions::default());
    snapshot(
        "model",
        &format!("{stem}.model.txt"),
        &render(&text, &doc, &model),
    );
    snapshot("model", &format!("{stem}.dot"), &export::dot(&model));
    snapshot("model", &format!("{stem}.mmd"), &export::mermaid(&model));
    if svg {
        snapshot("model", &format!("{stem}.svg"), &export::svg(&model));
    }
}

#[test]
fn guide_examples() {
    for stem in [
        "guide-basic",
        "guide-production",
        "guide-uv",
        "guide-targets",
        "guide-copy-from",
        "guide-mounts",
    ] {
        let svg = matches!(stem, "guide-basic" | "guide-copy-from");
        check(&gallery().join(format!("{stem}.Dockerfile")), stem, svg);
    }
}

#[test]
fn guide_targets_switch() {
    let text = std::fs::read_to_string(gallery().join("guide-targets.Dockerfile")).unwrap();
    let doc = syntax::parse(&text);
    let opts = ModelOptions {
        target: Some("development".into()),
        ..ModelOptions::default()
    };
    let model = model::build(&doc, &opts);
    snapshot(
        "model",
        "guide-targets.development.model.txt",
        &render(&text, &doc, &model),
    );
}

/// The largest files of the corpus (by FROM count, from `tests/corpus/INDEX.tsv`).
#[test]
fn largest_corpus_files() {
    for (path, stem) in [
        ("real/moby_moby/Dockerfile", "moby"),
        ("real/moby_buildkit/Dockerfile", "buildkit"),
        ("real/docker_compose/Dockerfile", "compose"),
        ("real/docker_cli/Dockerfile", "cli"),
    ] {
        check(&root().join("corpus").join(path), stem, stem == "buildkit");
    }
}

#[test]
fn build_args_and_platform_reach_from() {
    let text = "ARG BASE=alpine\nARG TAG\nFROM --platform=$BUILDPLATFORM ${BASE}:${TAG:-3.20} AS a\nARG TAG\nARG TARGETARCH\nRUN echo $TAG\nFROM $BASE-$TARGETARCH\nCOPY --from=a / /\n";
    let doc = syntax::parse(text);
    let opts = ModelOptions {
        build_args: vec![("TAG".into(), "edge".into())],
        platform: Some("linux/arm64".into()),
        ..ModelOptions::default()
    };
    let model = model::build(&doc, &opts);
    snapshot(
        "model",
        "args-platform.model.txt",
        &render(text, &doc, &model),
    );
}

#[test]
fn diagnostics_for_broken_references() {
    let text = "FROM later AS first\nCOPY --from=first /a /a\nCOPY --from=7 /b /b\nFROM alpine AS later\nCOPY --from=buidler /c /c\nFROM alpine AS builder\nFROM alpine AS Builder\nFROM $EMPTY AS 1bad\nRUN --mount=from=builder,target=/x true\n";
    let doc = syntax::parse(text);
    let opts = ModelOptions {
        target: Some("nope".into()),
        ..ModelOptions::default()
    };
    let model = model::build(&doc, &opts);
    snapshot(
        "model",
        "diagnostics.model.txt",
        &render(text, &doc, &model),
    );
}
