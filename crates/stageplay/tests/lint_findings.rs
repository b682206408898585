//! Findings that were wrong or noisy (issue 17), one test each, and the configuration the
//! lint takes: ignores and pragmas by the codes a rule mirrors, `--disable-ignore-pragma`.

use stageplay::analysis::{analyze, AnalysisOptions};
use stageplay::lint::{self, LintDiagnostic, LintOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::{syntax, LineIndex};

fn lint(text: &str, opts: &LintOptions) -> Vec<LintDiagnostic> {
    let doc = syntax::parse(text);
    let model = model::build(&doc, &ModelOptions::default());
    lint::lint(text, &doc, &model, opts)
}

/// `CODE@line` of every finding.
fn found(text: &str, opts: &LintOptions) -> Vec<String> {
    let index = LineIndex::new(text);
    lint(text, opts)
        .iter()
        .map(|d| {
            format!(
                "{}@{}",
                d.code,
                index.line_col(text, d.diagnostic.span.start).line
            )
        })
        .collect()
}

#[test]
fn an_earlier_stage_is_not_an_untagged_image() {
    let text = "FROM golang:1.22 AS Binaries\nRUN go build -o /out/app .\nFROM binaries\nCMD [\"/out/app\"]\n";
    assert!(!found(text, &LintOptions::default())
        .iter()
        .any(|f| f.starts_with("DL3006")));
    // Also when an ARG builds the name.
    let text = "ARG FLAVOUR=static\nFROM alpine:3.20 AS bin-static\nFROM bin-${FLAVOUR}\n";
    assert!(!found(text, &LintOptions::default())
        .iter()
        .any(|f| f.starts_with("DL3006")));
    // An image of that name when no stage has it is still reported.
    let text = "FROM golang:1.22 AS build\nFROM binaries\n";
    assert!(found(text, &LintOptions::default()).contains(&"DL3006@2".to_string()));
}

#[test]
fn an_untagged_final_base_is_one_finding_that_names_sp1008() {
    let text = "FROM golang:1.22 AS build\nFROM alpine\nCOPY --from=build /app /app\nUSER 1000\n";
    let diags = lint(text, &LintOptions::default());
    let on_base: Vec<&LintDiagnostic> = diags
        .iter()
        .filter(|d| d.diagnostic.span.start >= text.find("alpine").unwrap_or(0) as u32)
        .filter(|d| d.diagnostic.span.start < text.find("\nCOPY").unwrap_or(0) as u32)
        .collect();
    assert_eq!(on_base.len(), 1, "{on_base:#?}");
    assert_eq!(on_base[0].code, "DL3006");
    assert!(on_base[0].sources.contains(&"stageplay:SP1008"));
    assert!(on_base[0].diagnostic.help.is_some());
    assert!(
        lint::rule("SP1008").is_none(),
        "SP1008 no longer reports on its own"
    );
    // `latest` on the final base: DL3007, naming SP1008 too; a builder's `latest` does not.
    let text = "FROM golang:latest AS build\nFROM alpine:latest\nUSER 1000\n";
    let diags = lint(text, &LintOptions::default());
    let latest: Vec<_> = diags.iter().filter(|d| d.code == "DL3007").collect();
    assert_eq!(latest.len(), 2);
    assert_eq!(
        latest
            .iter()
            .filter(|d| d.sources.contains(&"stageplay:SP1008"))
            .count(),
        1
    );
    // Ignoring SP1008 ignores the final base's finding, not the builder's.
    let opts = LintOptions {
        ignore: vec!["SP1008".into()],
        ..LintOptions::default()
    };
    assert_eq!(
        lint(text, &opts)
            .iter()
            .filter(|d| d.code == "DL3007")
            .count(),
        1
    );
}

#[test]
fn a_stage_problem_lint_reports_is_listed_once() {
    let text = "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS A\nCOPY --from=a /x /y\nUSER 1000\n";
    let analysis = analyze(text, &AnalysisOptions::default());
    let codes: Vec<&str> = analysis
        .problems
        .iter()
        .map(|p| p.diagnostic.code.as_str())
        .collect();
    assert!(codes.contains(&"DuplicateStageName"), "{codes:?}");
    assert!(!codes.contains(&"stage/duplicate-name"), "{codes:?}");
    assert!(codes.contains(&"DL3023"), "{codes:?}");
    assert!(!codes.contains(&"stage/self-reference"), "{codes:?}");
    let duplicate = analysis
        .problems
        .iter()
        .find(|p| p.diagnostic.code == "DuplicateStageName")
        .expect("reported");
    assert_eq!(duplicate.diagnostic.labels.len(), 1, "first defined here");
    assert!(duplicate.sources.contains(&"hadolint:DL3024"));
}

#[test]
fn one_unpinned_package_finding_per_instruction() {
    let text = "FROM alpine:3.20\nRUN apk add --no-cache a b c && apk add d=1.0 e\n";
    let diags = lint(text, &LintOptions::default());
    let apk: Vec<_> = diags.iter().filter(|d| d.code == "DL3018").collect();
    assert_eq!(apk.len(), 1, "{apk:#?}");
    // The underline still marks each package.
    assert_eq!(apk[0].diagnostic.labels.len(), 4);
    assert!(
        apk[0].diagnostic.message.contains("`apk add a b c e`"),
        "{}",
        apk[0].diagnostic.message
    );
    let text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl git\nRUN apt-get install -y vim\n";
    let apt: Vec<String> = found(text, &LintOptions::default())
        .into_iter()
        .filter(|f| f.starts_with("DL3008"))
        .collect();
    assert_eq!(apt, ["DL3008@2", "DL3008@3"]);
}

#[test]
fn a_scratch_stage_that_only_exports_files_does_not_run_as_root() {
    let export = "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /\n";
    assert!(!found(export, &LintOptions::default())
        .iter()
        .any(|f| f.starts_with("SP1009")));
    // A scratch image that runs a program runs it as root.
    let runs = format!("{export}ENTRYPOINT [\"/app\"]\n");
    assert!(found(&runs, &LintOptions::default())
        .iter()
        .any(|f| f.starts_with("SP1009")));
}

#[test]
fn ignores_and_pragmas_name_a_rule_by_the_codes_it_mirrors() {
    let text = "FROM alpine:3.20\nUSER 1000\n# hadolint ignore=DL3025\nCMD echo hi\n";
    let json_args = |opts: &LintOptions| {
        found(text, opts)
            .iter()
            .any(|f| f.starts_with("JSONArgsRecommended"))
    };
    assert!(
        !json_args(&LintOptions::default()),
        "the pragma names hadolint's code"
    );
    let disabled = LintOptions {
        disable_ignore_pragma: true,
        ..LintOptions::default()
    };
    assert!(json_args(&disabled), "--disable-ignore-pragma");
    let ignored = LintOptions {
        disable_ignore_pragma: true,
        ignore: vec!["dl3025".into()],
        ..LintOptions::default()
    };
    assert!(!json_args(&ignored), "an ignore by the mirrored code");
    // BuildKit's directive still applies with pragmas disabled.
    let text = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nUSER 1000\nCMD echo hi\n";
    assert!(!found(text, &disabled)
        .iter()
        .any(|f| f.starts_with("JSONArgsRecommended")));
}
