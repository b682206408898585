//! Acceptance 2 of issue 4: on every corpus file BuildKit's parser accepts (per
//! `tests/corpus/oracle.jsonl`), the model has one stage per FROM, and every COPY/ADD `--from`
//! flag and every RUN `--mount ... from=` key is exactly one edge of that instruction.
//!
//! The expected references come from the oracle (BuildKit's own parse), not from our parser.
//! Mounts of `type=tmpfs` are left out, as BuildKit ignores `from=` on them; `--from=<n>` with an
//! index out of range must give a `stage/index-out-of-range` diagnostic instead of an edge.

use serde_json::Value;
use stageplay::model::{self, ModelOptions};
use stageplay::syntax;
use std::path::Path;

/// `from=` of a `--mount=` flag as BuildKit lists it (CSV fields, `key=value`).
fn mount_from(flag: &str) -> Option<String> {
    let value = flag.strip_prefix("--mount=")?;
    let mut from = None;
    let mut tmpfs = false;
    for field in value.split(',') {
        let field = field.trim_matches('"');
        match field.split_once('=') {
            Some((k, v)) if k.eq_ignore_ascii_case("from") => from = Some(v.to_string()),
            Some((k, v)) if k.eq_ignore_ascii_case("type") => {
                tmpfs = v.eq_ignore_ascii_case("tmpfs")
            }
            _ => {}
        }
    }
    if tmpfs {
        None
    } else {
        from
    }
}

#[test]
fn stages_and_references_match_the_oracle() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let oracle =
        std::fs::read_to_string(corpus.join("oracle.jsonl")).expect("tests/corpus/oracle.jsonl");
    let (mut files, mut stages, mut refs) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in oracle.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).unwrap();
        if rec["ok"] != Value::Bool(true) {
            continue;
        }
        let file = rec["file"].as_str().unwrap();
        let Ok(bytes) = std::fs::read(corpus.join(file)) else {
            failures.push(format!("{file}: missing from tests/corpus"));
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let doc = syntax::parse(&text);
        let model = model::build(&doc, &ModelOptions::default());
        files += 1;

        let instrs = rec["instructions"].as_array().unwrap();
        let froms = instrs.iter().filter(|i| i["cmd"] == "FROM").count();
        stages += froms;
        if froms != model.stages.len() {
            failures.push(format!(
                "{file}: {froms} FROM but {} stages",
                model.stages.len()
            ));
        }
        if instrs.len() != doc.instructions.len() {
            failures.push(format!(
                "{file}: oracle has {} instructions, parser {}",
                instrs.len(),
                doc.instructions.len()
            ));
            continue;
        }
        for (k, ins) in instrs.iter().enumerate() {
            let cmd = ins["cmd"].as_str().unwrap_or("");
            let flags: Vec<&str> = ins["flags"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            let mut expected: Vec<String> = match cmd {
                "COPY" | "ADD" => flags
                    .iter()
                    .filter_map(|f| f.strip_prefix("--from="))
                    .map(str::to_string)
                    .collect(),
                "RUN" => flags.iter().filter_map(|f| mount_from(f)).collect(),
                _ => Vec::new(),
            };
            let bad_index = model
                .diagnostics
                .iter()
                .filter(|d| d.code == "stage/index-out-of-range")
                .filter(|d| doc.instructions[k].span.contains(d.span.start))
                .count();
            let mut actual: Vec<String> = model
                .edges
                .iter()
                .filter(|e| e.instruction == k)
                .filter_map(|e| e.reference.clone())
                .collect();
            expected.sort();
            actual.sort();
            refs += expected.len();
            if expected.len() != actual.len() + bad_index || (bad_index == 0 && expected != actual)
            {
                failures.push(format!(
                    "{file}:{}: {cmd} references {expected:?}, model edges {actual:?}",
                    ins["start_line"]
                ));
            }
        }
    }
    println!("{files} files, {stages} stages, {refs} references checked");
    assert!(files > 400, "only {files} accepted corpus files found");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
