//! What the refactors read from RUN scripts through the one shell layer: each case was read
//! wrongly by the refactors' own reader before.

use stageplay::refactor::{apply_one, recognise, RefactorOptions};

/// Redirections are not packages, and a subshell's `)` is not part of a command.
#[test]
fn project_recognition_reads_commands_not_operators() {
    let text = "FROM golang:1.22\nRUN apt-get update && apt-get install -y gosu > /dev/null 2>&1\nRUN (cd /src && go build -o /app .) && echo ok\n";
    let doc = stageplay::syntax::parse(text);
    let model = stageplay::model::build(&doc, &Default::default());
    let project = recognise(&doc, &model);
    let packages: Vec<&str> = project.os_packages.iter().map(String::as_str).collect();
    assert_eq!(packages, ["gosu"]);
    let build = project.build_command.expect("go build");
    assert_eq!(build.command, "go build -o /app .");
}

/// The apt rewrite keeps each word as written: `NAME=value` prefixes, quotes, redirections.
#[test]
fn apt_hygiene_rebuilds_commands_as_written() {
    let text = "FROM debian:12\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install \"$PKG\" 'a b' > /dev/null\n";
    let out = apply_one(text, "apt-hygiene", &RefactorOptions::default()).unwrap();
    assert!(
        out.contains("DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n    \"$PKG\" \\\n    'a b' > /dev/null"),
        "{out}"
    );
}
