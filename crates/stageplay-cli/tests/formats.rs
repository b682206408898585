//! `stageplay lint`'s machine formats are valid: SARIF 2.1.0 against the OASIS schema
//! (tests/data/sarif-schema-2.1.0.json, see PROVENANCE.md), checkstyle as well-formed XML with
//! hadolint's element and attribute names, JSON and Code Climate with hadolint's fields.

use std::path::Path;
use std::process::Command;

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

/// `stageplay lint -f FORMAT` over the fixtures (several files, findings with fixes, quotes,
/// `<&>` and non-ASCII text in messages, a clean file).
fn lint(format: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_stageplay"))
        .args(["lint", "--no-fail", "-f", format])
        .args([
            data("findings.Dockerfile"),
            data("info-only.Dockerfile"),
            data("clean.Dockerfile"),
        ])
        .env_remove("HADOLINT_FORMAT")
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8")
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema JSON");
    // The published schema fails its own meta-schema's `regex` format check: the `language`
    // patterns (of `run` and `toolComponent`) end in an unbalanced `]?`, a typo of
    // `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`. They are corrected here; Stageplay writes no `language`.
    let mut schema = schema;
    for definition in ["run", "toolComponent"] {
        let pattern = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *pattern = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let log: serde_json::Value = serde_json::from_str(&lint("sarif")).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() >= 8);
    assert!(
        results.iter().any(|r| r.get("fixes").is_some()),
        "fixes are included"
    );
    // The schema is not a rubber stamp: a broken log fails it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn checkstyle_is_well_formed_with_hadolints_names() {
    let xml = lint("checkstyle");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    assert_eq!(root.attribute("version"), Some("4.3"));
    let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(files.len(), 3, "every file, also the clean one");
    for f in &files {
        assert_eq!(f.tag_name().name(), "file");
        assert!(f.attribute("name").is_some());
    }
    let errors: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert!(errors.len() >= 8);
    for e in &errors {
        for attr in ["column", "line", "message", "severity", "source"] {
            assert!(e.attribute(attr).is_some(), "{attr} on {e:?}");
        }
        assert!(
            ["error", "warning", "info", "style"].contains(&e.attribute("severity").unwrap_or(""))
        );
    }
    // Escaped text reads back as written.
    assert!(errors
        .iter()
        .any(|e| e.attribute("source") == Some("JSONArgsRecommended")));
}

#[test]
fn json_has_hadolints_fields() {
    let v: serde_json::Value = serde_json::from_str(&lint("json")).expect("JSON");
    let list = v.as_array().expect("a JSON array, as hadolint's");
    assert!(list.len() >= 8);
    for f in list {
        for key in ["code", "column", "file", "level", "line", "message"] {
            assert!(f.get(key).is_some(), "{key} in {f}");
        }
        assert!(f["line"].as_u64().is_some_and(|l| l >= 1));
    }
}

#[test]
fn codeclimate_issues_are_nul_separated_json() {
    let out = lint("codeclimate");
    assert!(out.ends_with('\0'));
    let issues: Vec<serde_json::Value> = out
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(|s| serde_json::from_str(s).expect("one JSON issue"))
        .collect();
    assert!(issues.len() >= 8);
    for i in &issues {
        assert_eq!(i["type"], "issue");
        assert_eq!(i["categories"][0], "Bug Risk");
        assert!(i["check_name"].is_string() && i["description"].is_string());
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().is_some());
        assert!(
            ["blocker", "major", "info", "minor"].contains(&i["severity"].as_str().unwrap_or(""))
        );
    }
    let gitlab: serde_json::Value =
        serde_json::from_str(&lint("gitlab_codeclimate")).expect("JSON");
    let list = gitlab.as_array().expect("array");
    assert_eq!(list.len(), issues.len());
    let mut prints: Vec<&str> = list
        .iter()
        .filter_map(|i| i["fingerprint"].as_str())
        .collect();
    assert!(prints.iter().all(|p| p.len() == 40));
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), list.len(), "fingerprints are unique");
}
