//! The one instruction-flag lookup (`Instruction::flag`, BuildKit's case-sensitive names, the
//! first of a repeated flag), the one glob (`syntax::glob`) and the one command-line option
//! lookup (`syntax::shell::{has_flag, flag_value, operands}`): each case below was read
//! differently by one of the copies they replace (issue 16).

mod support;

use stageplay::lint::{self, LintOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::syntax;
use support::{estimate_of as run, file_paths as paths};

fn codes(text: &str, opts: &LintOptions) -> Vec<String> {
    let doc = syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    lint::lint(text, &doc, &m, opts)
        .into_iter()
        .map(|d| d.code.to_string())
        .collect()
}

/// `--FROM=x` is an unknown flag to BuildKit (flag names are case-sensitive), and the
/// parser says so; lint no longer also reads it as `--from` (DL3022 named a stage the
/// build never looks up).
#[test]
fn flag_names_are_case_sensitive_as_in_buildkit() {
    let text = "FROM alpine:3.20\nCOPY --FROM=nowhere /x /y\n";
    let doc = syntax::parse(text);
    let inst = &doc.instructions[1];
    assert!(inst.flag("from").is_none());
    assert_eq!(
        inst.flag("FROM").and_then(|f| f.value.as_deref()),
        Some("nowhere")
    );
    let found = codes(text, &LintOptions::default());
    assert!(!found.iter().any(|c| c == "DL3022"), "{found:?}");
    // Spelled right, the unknown stage is reported.
    let found = codes(
        "FROM alpine:3.20\nCOPY --from=nowhere /x /y\n",
        &LintOptions::default(),
    );
    assert!(found.iter().any(|c| c == "DL3022"), "{found:?}");
}

/// A repeated single-value flag fails BuildKit's parse (`duplicate flag specified`); every
/// layer reads the first one (the model read the last `--platform`, the estimate the last
/// `--from`).
#[test]
fn a_repeated_flag_is_read_as_its_first_everywhere() {
    let text = "FROM --platform=linux/arm64 --platform=linux/amd64 alpine:3.20\n";
    let doc = syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    assert_eq!(m.stages[0].platform.as_deref(), Some("linux/arm64"));
    assert_eq!(
        doc.instructions[0]
            .flag("platform")
            .and_then(|f| f.value.as_deref()),
        Some("linux/arm64")
    );
    let text = "FROM alpine:3.20 AS a\nRUN mkdir /a && head -c 1000000 /dev/urandom > /a/big\n\
                FROM alpine:3.20 AS b\nRUN mkdir /b\n\
                FROM alpine:3.20\nCOPY --from=a --from=b / /out/\n";
    let e = run(text);
    let copy = e.layers.iter().find(|l| l.line == 6).expect("COPY layer");
    assert!(copy.reason.contains("from stage a"), "{}", copy.reason);
}

/// A cache mount is read as BuildKit reads `--mount` (type names in any case); a mount
/// without `type=` is a bind mount and keeps nothing out of the layer.
#[test]
fn cache_mounts_are_read_as_mounts() {
    let apt = "FROM debian:bookworm\nRUN --mount=type=Cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\n";
    let found = codes(apt, &LintOptions::default());
    assert!(!found.iter().any(|c| c == "DL3009"), "{found:?}");
    let bind = "FROM debian:bookworm\nRUN --mount=target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10\n";
    let found = codes(bind, &LintOptions::default());
    assert!(found.iter().any(|c| c == "DL3009"), "{found:?}");
}

/// `.dockerignore` lines are Go's `filepath.Match` per segment: `[!x]` is a class holding
/// `!` and `x` (only `[^x]` negates), and `\` escapes.
#[test]
fn dockerignore_classes_follow_go() {
    let opts = |ignore: &str| LintOptions {
        dockerignore: Some(ignore.to_string()),
        ..LintOptions::default()
    };
    let text = "FROM alpine:3.20\nCOPY b.txt /b.txt\n";
    let found = codes(text, &opts("[!a].txt\n"));
    assert!(!found.iter().any(|c| c == "CopyIgnoredFile"), "{found:?}");
    let found = codes(text, &opts("[^a].txt\n"));
    assert!(found.iter().any(|c| c == "CopyIgnoredFile"), "{found:?}");
    let found = codes("FROM alpine:3.20\nCOPY a*b /x/\n", &opts("a\\*b\n"));
    assert!(found.iter().any(|c| c == "CopyIgnoredFile"), "{found:?}");
}

/// Command-line options inside RUN are read getopt-style by the estimate too: a cluster holds
/// its letters, and the option last in a cluster takes the next word.
#[test]
fn estimate_reads_option_clusters() {
    // `-ms /bin/bash`: a home is made (-m), and `/bin/bash` is -s's value, not the user.
    let e = run("FROM debian:bookworm\nRUN useradd -ms /bin/bash app\n");
    let p = paths(&e);
    assert!(p.iter().any(|p| p == "/home/app"), "{p:?}");
    assert!(!p.iter().any(|p| p.contains("bash/")), "{p:?}");
    // `chown -Rf` is recursive: the files it touches are copied into its layer.
    let e = run("FROM debian:bookworm\nCOPY . /app\nRUN chown -Rf 1000 /app\n");
    let chown = e.layers.iter().find(|l| l.line == 3).expect("chown layer");
    assert!(chown.high_bytes > 0, "{chown:?}");
}
