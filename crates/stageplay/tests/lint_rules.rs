//! Acceptance 1: every lint rule has a fixture `fixtures/lint/<CODE>.Dockerfile` with a failing
//! part and a passing part (split at `# ---- pass ----`). The failing part must report the
//! rule, the passing part must not, and what the user sees (code frames and fix diffs) is
//! the snapshot `tests/snapshots/lint/<CODE>.txt.snap` (insta; see tests/support/snapshot.rs).

use stageplay::lint::{self, render, LintDiagnostic, LintOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::{syntax, LineIndex};
use std::path::{Path, PathBuf};

mod support;
use support::snapshot::assert_snapshot;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads `# lint-options: dockerignore=a;b trusted-registries=a;b` from the first line of a part.
fn options(part: &str) -> LintOptions {
    let mut opts = LintOptions::default();
    if let Some(rest) = part
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# lint-options:"))
    {
        for item in rest.split_whitespace() {
            if let Some(v) = item.strip_prefix("dockerignore=") {
                opts.dockerignore = Some(v.replace(';', "\n"));
            }
            if let Some(v) = item.strip_prefix("trusted-registries=") {
                opts.trusted_registries = v.split(';').map(str::to_string).collect();
            }
        }
    }
    opts
}

fn lint_text(text: &str, opts: &LintOptions) -> Vec<LintDiagnostic> {
    let doc = syntax::parse(text);
    let model = model::build(&doc, &ModelOptions::default());
    lint::lint(text, &doc, &model, opts)
}

fn render_part(name: &str, text: &str, diags: &[&LintDiagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diags {
        out.push_str(&render::code_frame(name, text, &index, d));
        if let Some(fix) = &d.fix {
            out.push_str(&render::fix_diff(text, fix));
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture_with_snapshot() {
    let fixtures = root().join("crates/stageplay/tests/fixtures/lint");
    let mut failures = Vec::new();
    for rule in lint::rules() {
        let path = fixtures.join(format!("{}.Dockerfile", rule.code));
        let Ok(content) = std::fs::read_to_string(&path) else {
            failures.push(format!("{}: no fixture {}", rule.code, path.display()));
            continue;
        };
        let Some((fail, pass)) = content.split_once("# ---- pass ----\n") else {
            failures.push(format!(
                "{}: fixture has no `# ---- pass ----` part",
                rule.code
            ));
            continue;
        };
        let fail_diags = lint_text(fail, &options(fail));
        let own: Vec<&LintDiagnostic> = fail_diags.iter().filter(|d| d.code == rule.code).collect();
        if own.is_empty() {
            failures.push(format!("{}: failing part reports nothing", rule.code));
        }
        let pass_diags = lint_text(pass, &options(pass));
        let wrong: Vec<_> = pass_diags
            .iter()
            .filter(|d| d.code == rule.code)
            .map(|d| d.diagnostic.message.clone())
            .collect();
        if !wrong.is_empty() {
            failures.push(format!("{}: passing part reports {wrong:?}", rule.code));
        }
        if rule.has_fix() && !own.iter().any(|d| d.fix.is_some()) {
            failures.push(format!(
                "{}: rule declares a fix but the fixture shows none",
                rule.code
            ));
        }
        let mut snapshot = format!(
            "# {} ({})\n# sources: {}\n\n",
            rule.code,
            rule.name,
            rule.sources.join(", ")
        );
        snapshot.push_str(&render_part(
            &format!("{}.Dockerfile", rule.code),
            fail,
            &own,
        ));
        assert_snapshot("lint", &format!("{}.txt", rule.code), &snapshot);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rule_table_is_consistent_and_documented() {
    let rules = lint::rules();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let before = codes.len();
    codes.dedup();
    assert_eq!(before, codes.len(), "duplicate codes");
    for r in rules {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Fix safety",
            "## References",
        ] {
            assert!(r.doc.contains(section), "{} doc lacks {section}", r.code);
        }
        assert!(!r.summary().is_empty(), "{} has no summary", r.code);
    }
    let buildkit = rules.iter().filter(|r| r.is_buildkit()).count();
    assert_eq!(buildkit, 21, "all 21 BuildKit checks");
    let fixes = rules.iter().filter(|r| r.has_fix()).count();
    assert!(fixes >= 30, "at least 30 rules with fixes, found {fixes}");
}

/// A rule lives in a file named after it and names its code once, in its declaration: the
/// registry and the context supply it everywhere else.
#[test]
fn each_rule_file_is_named_after_its_rule_and_states_its_code_once() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lint/rules");
    let mut failures = Vec::new();
    for rule in lint::rules() {
        let path = dir.join(format!("{}.rs", rule.name.replace('-', "_")));
        let Ok(text) = std::fs::read_to_string(&path) else {
            failures.push(format!("{}: no file {}", rule.code, path.display()));
            continue;
        };
        let quoted = format!("\"{}\"", rule.code);
        let uses: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(&quoted) && !l.trim_start().starts_with("///"))
            .collect();
        if uses != [format!("        code: {quoted},")] {
            failures.push(format!("{}: {uses:?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn suppression_comments_and_check_directive() {
    let text = "FROM debian:12\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\n# stageplay ignore=DL3003\nRUN cd /tmp\n";
    let codes: Vec<&str> = lint_text(text, &LintOptions::default())
        .iter()
        .map(|d| d.code)
        .collect();
    assert!(
        !codes.contains(&"DL3008") && !codes.contains(&"DL3015") && !codes.contains(&"DL3003"),
        "{codes:?}"
    );
    // The comment suppresses only the instruction right below it, not the ones around it.
    let text = "FROM debian:12\nRUN apt-get install -y wget\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\nRUN apt-get install -y git\n";
    let dl3008: Vec<u32> = lint_text(text, &LintOptions::default())
        .iter()
        .filter(|d| d.code == "DL3008")
        .map(|d| d.diagnostic.span.start)
        .collect();
    let (first, last) = (text.find("RUN").unwrap(), text.rfind("RUN").unwrap());
    assert_eq!(dl3008.len(), 2, "{dl3008:?}");
    assert!(dl3008[0] as usize >= first && (dl3008[0] as usize) < text.find('#').unwrap());
    assert!(dl3008[1] as usize >= last, "{dl3008:?}");
    let text = "# check=skip=StageNameCasing;error=true\nFROM alpine:3.20 AS Build\nFROM alpine:3.20 as b\n";
    let diags = lint_text(text, &LintOptions::default());
    assert!(!diags.iter().any(|d| d.code == "StageNameCasing"));
    let casing = diags
        .iter()
        .find(|d| d.code == "FromAsCasing")
        .expect("FromAsCasing");
    assert_eq!(casing.diagnostic.severity, stageplay::Severity::Error);
}

#[test]
fn builder_stages_do_not_trigger_final_image_rules() {
    // hadolint reports DL3002, DL3009, DL3059 and DL3060 here; only the final stage matters.
    let text = "FROM node:20 AS build\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends g++=4\nRUN yarn install\nRUN yarn build\nFROM node:20-slim\nCOPY --from=build /app /app\nUSER node\n";
    let codes: Vec<&str> = lint_text(text, &LintOptions::default())
        .iter()
        .map(|d| d.code)
        .collect();
    for code in ["DL3002", "DL3009", "DL3059", "DL3060", "SP1001"] {
        assert!(
            !codes.contains(&code),
            "{code} fired on a builder: {codes:?}"
        );
    }
}

/// SP1009 reads the final image's base from the knowledge base: root bases without a USER are
/// reported; a `:nonroot` tag, a base whose user is not root, an explicit USER anywhere in the
/// final image's chain, a builder stage, and an image the knowledge base does not know are not.
#[test]
fn final_image_runs_as_root_follows_the_base_and_the_chain() {
    let fires = |text: &str| {
        lint_text(text, &LintOptions::default())
            .iter()
            .filter(|d| d.code == "SP1009")
            .map(|d| (d.diagnostic.message.clone(), d.diagnostic.help.clone()))
            .next()
    };
    let (message, _) = fires("FROM python:3.12-slim\nCMD [\"python\"]\n").expect("root base");
    assert_eq!(
        message,
        "The final image runs as root: no USER is set and python:3.12-slim runs as root"
    );
    // ARG-expanded base.
    assert!(fires("ARG V=3.12\nFROM python:${V}-slim\nCMD [\"python\"]\n").is_some());
    // scratch gets the numeric-user advice.
    let (_, help) = fires("FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\nENTRYPOINT [\"/app\"]\n")
        .expect("scratch runs as uid 0");
    assert!(help.unwrap_or_default().contains("USER 65532:65532"));
    // Not reported.
    for text in [
        "FROM gcr.io/distroless/python3-debian12:nonroot\nCOPY app.py /app/\n",
        "FROM cgr.dev/chainguard/node\nCOPY . /app\n",
        "FROM python:3.12-slim AS base\nUSER 1000\nFROM base\nCMD [\"python\"]\n",
        "FROM python:3.12 AS build\nRUN pip wheel .\nFROM python:3.12-slim\nUSER nobody\n",
        "FROM mycompany/app-base:1\nCMD [\"app\"]\n",
        "ARG BASE\nFROM ${BASE}\nCMD [\"app\"]\n",
    ] {
        assert_eq!(fires(text), None, "{text}");
    }
}

/// UndefinedVar knows the ENV the knowledge base records for a base image (BuildKit reads the
/// image's config): `$PATH` is defined on python:3.12-slim and `$PYTHON_VERSON` is a near miss
/// of its `PYTHON_VERSION`. The record may be incomplete, so an unrelated name is not reported
/// without evidence; on an image it does not know, only evidence in the file counts.
#[test]
fn undefined_var_reads_known_base_images() {
    let undefined = |text: &str| -> Vec<String> {
        lint_text(text, &LintOptions::default())
            .iter()
            .filter(|d| d.code == "UndefinedVar")
            .map(|d| d.diagnostic.message.clone())
            .collect()
    };
    assert_eq!(
        undefined(
            "FROM python:3.12-slim\nENV PATH=\"/app/.venv/bin:$PATH\" LANG2=$LANG\nENV X=$NOPE Y=$PYTHON_VERSON\n"
        ),
        vec!["Usage of undefined variable '$PYTHON_VERSON' (did you mean $PYTHON_VERSION?)".to_string()]
    );
    assert!(
        undefined("FROM mycompany/base:1\nENV PATH=\"/x:$PATH\"\nENV X=$FROM_BASE\n").is_empty()
    );
}

/// SP1002 reports only stages no target can need: named stages are targets of their own.
#[test]
fn unused_stage_spares_named_targets() {
    let unused = |text: &str| -> usize {
        lint_text(text, &LintOptions::default())
            .iter()
            .filter(|d| d.code == "SP1002")
            .count()
    };
    // The founding guide's dev/prod targets: `development` is a target, not dead code.
    assert_eq!(
        unused("FROM python:3.12-slim AS base\nFROM base AS development\nRUN pip install pytest\nFROM base AS production\nCMD [\"python\"]\n"),
        0
    );
    // An unnamed stage only another unnamed, unused stage reads: both are dead.
    assert_eq!(
        unused("FROM alpine AS x\nFROM alpine\nRUN echo a\nFROM 1\nRUN echo b\nFROM alpine AS final\nCOPY --from=x / /\n"),
        2
    );
}

/// Issue 15, acceptance 4: DL4006's fix inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`,
/// which breaks every later RUN on a base without bash (Alpine, busybox, distroless). It is never
/// offered as safe, so "Fix all safe" leaves such files as they are. It stays unsafe where bash is
/// there too (Debian, or Alpine after `apk add bash`): `-o pipefail` changes what a RUN means
/// (`yes | apt-get install …` then fails on SIGPIPE), so the user has to read it.
#[test]
fn dl4006_bash_shell_fix_is_never_safe_and_fix_all_safe_leaves_it() {
    let cases = [
        "FROM alpine:3.20\nRUN wget -qO- https://example.com/x.tgz | tar xz\n",
        "FROM busybox:1.36\nRUN wget -qO- https://example.com/x.tgz | tar xz\n",
        "FROM node:22-alpine\nRUN apk add --no-cache bash\nRUN wget -qO- https://example.com/x.tgz | tar xz\n",
        "FROM gcr.io/distroless/base-debian12\nRUN wget -qO- https://example.com/x.tgz | tar xz\n",
        "FROM debian:12\nRUN curl -fsSL https://example.com/x.tgz | tar xz\n",
    ];
    for text in cases {
        let diags = lint_text(text, &LintOptions::default());
        let d = diags
            .iter()
            .find(|d| d.code == "DL4006")
            .unwrap_or_else(|| panic!("DL4006 reported on {text:?}"));
        let fix = d.fix.as_ref().expect("a fix to review");
        assert_ne!(
            fix.applicability,
            stageplay::diagnostic::Applicability::Safe,
            "{text:?}"
        );
        let fixed = lint::fix_all_safe(text, &LintOptions::default(), &ModelOptions::default());
        assert!(!fixed.contains("/bin/bash"), "{text:?} → {fixed:?}");
    }
}

/// SP1011: gcc without libc6-dev, read through the base image's packages and the Debian
/// closure of each install; unknown packages or bases are not reported.
#[test]
fn compiler_without_libc_headers_follows_the_closure() {
    let codes = |text: &str| -> usize {
        lint_text(text, &LintOptions::default())
            .iter()
            .filter(|d| d.code == "SP1011")
            .count()
    };
    let install = |base: &str, args: &str| {
        format!("FROM {base}\nRUN apt-get update && apt-get install -y {args} && rm -rf /var/lib/apt/lists/*\n")
    };
    // Flagged: a versioned gcc, on a slim python image, with a library that does not bring
    // the headers (libpq-dev depends on libssl-dev, neither on libc6-dev).
    assert_eq!(
        codes(&install(
            "python:3.11-slim-bookworm",
            "--no-install-recommends gcc-12 libpq-dev"
        )),
        1
    );
    assert_eq!(
        codes(&install(
            "node:22-bookworm-slim",
            "--no-install-recommends gcc"
        )),
        1
    );
    // Not flagged: headers brought by a dependency (zlib1g-dev depends on libc6-dev), added
    // later in the stage, recommends on, a base that has them, a package not in the index,
    // a base whose packages are unknown.
    assert_eq!(
        codes(&install(
            "debian:bookworm-slim",
            "--no-install-recommends gcc zlib1g-dev"
        )),
        0
    );
    let later = format!(
        "{}RUN apt-get update && apt-get install -y --no-install-recommends libc6-dev\n",
        install("debian:bookworm-slim", "--no-install-recommends gcc")
    );
    assert_eq!(codes(&later), 0);
    assert_eq!(
        codes(&install(
            "debian:bookworm-slim",
            "-o APT::Install-Recommends=true gcc"
        )),
        0
    );
    assert_eq!(
        codes(&install(
            "python:3.11-bookworm",
            "--no-install-recommends gcc"
        )),
        0
    );
    assert_eq!(
        codes(&install(
            "debian:bookworm-slim",
            "--no-install-recommends gcc not-a-debian-package"
        )),
        0
    );
    assert_eq!(
        codes(&install(
            "example.com/own/image:1",
            "--no-install-recommends gcc"
        )),
        0
    );
    // The fix adds libc6-dev, and the result is not flagged.
    let text = install("debian:bookworm-slim", "--no-install-recommends gcc");
    let diags = lint_text(&text, &LintOptions::default());
    let fix = diags
        .iter()
        .find(|d| d.code == "SP1011")
        .and_then(|d| d.fix.clone())
        .expect("a fix");
    assert_eq!(fix.applicability, stageplay::Applicability::Unsafe);
    let fixed = lint::apply_fixes(&text, &[fix]);
    assert!(fixed.contains("gcc libc6-dev &&"), "{fixed}");
    assert_eq!(codes(&fixed), 0);
}

/// SP1011 computes one verdict per distinct (base, installs) and reuses it: stages that
/// repeat an install are each flagged at their own word, and a stage that differs only by a
/// later install or its base gets its own verdict.
#[test]
fn compiler_without_libc_headers_repeated_stages() {
    let stage = |name: &str, base: &str, extra: &str| {
        format!(
            "FROM {base} AS {name}\nRUN apt-get update && apt-get install -y --no-install-recommends gcc \
             && rm -rf /var/lib/apt/lists/*\n{extra}"
        )
    };
    let text = [
        stage("a", "debian:bookworm-slim", ""),
        stage("b", "debian:bookworm-slim", ""),
        stage(
            "c",
            "debian:bookworm-slim",
            "RUN apt-get update && apt-get install -y --no-install-recommends libc6-dev\n",
        ),
        stage("d", "python:3.11-bookworm", ""),
        stage("e", "debian:bookworm-slim", ""),
    ]
    .concat();
    let lines: Vec<u32> = lint_text(&text, &LintOptions::default())
        .iter()
        .filter(|d| d.code == "SP1011")
        .map(|d| {
            stageplay::LineIndex::new(&text)
                .line_col(&text, d.diagnostic.span.start)
                .line
        })
        .collect();
    // Stages a, b and e (lines 2, 4 and 11), each at its own `gcc`.
    assert_eq!(lines, vec![2, 4, 11], "{text}");
}

/// The founding-guide examples that fail as written (tests/lab/apps/*/Dockerfile.guide) are
/// flagged by the rules their lab.conf's `guide-fix` names, and the lab's Dockerfile, the
/// example with those fixes, by none of them.
#[test]
fn failing_guide_examples_are_flagged_and_their_lab_fix_is_not() {
    let apps = root().join("tests/lab/apps");
    let mut seen = 0;
    for entry in std::fs::read_dir(&apps).expect("tests/lab/apps") {
        let dir = entry.expect("entry").path();
        let Ok(guide) = std::fs::read_to_string(dir.join("Dockerfile.guide")) else {
            continue;
        };
        seen += 1;
        let conf = std::fs::read_to_string(dir.join("lab.conf")).expect("lab.conf");
        let why = conf
            .lines()
            .find_map(|l| l.strip_prefix("guide-fix = "))
            .unwrap_or_else(|| panic!("{}: Dockerfile.guide without guide-fix", dir.display()));
        let named: Vec<&str> = why
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| {
                w.len() == 6 && w.starts_with("SP") && w[2..].chars().all(|c| c.is_ascii_digit())
            })
            .collect();
        assert!(
            !named.is_empty(),
            "{}: guide-fix names no rule",
            dir.display()
        );
        let fixed = std::fs::read_to_string(dir.join("Dockerfile")).expect("Dockerfile");
        let codes = |text: &str| -> Vec<&'static str> {
            lint_text(text, &LintOptions::default())
                .iter()
                .map(|d| d.code)
                .collect()
        };
        let (before, after) = (codes(&guide), codes(&fixed));
        for code in named {
            assert!(
                before.contains(&code),
                "{}: {code} not reported on Dockerfile.guide: {before:?}",
                dir.display()
            );
            assert!(
                !after.contains(&code),
                "{}: {code} still reported on the lab's fix",
                dir.display()
            );
        }
    }
    assert_eq!(
        seen, 2,
        "guide-basic and guide-production carry Dockerfile.guide"
    );
}
