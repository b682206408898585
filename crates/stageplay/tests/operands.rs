//! Operands and option values through the shell layer's one helper (`syntax::shell::operands`
//! with the per-program `value_options` table): each case was read wrongly by an ad-hoc
//! `!starts_with('-')` filter before, which took an option's value for an operand.

mod support;

use stageplay::syntax::shell::Script;
use support::{estimate_of as run, file_paths as paths, runtime_missing as missing};

#[test]
fn a_sub_command_after_an_option_with_a_value() {
    let script = Script::parse("apt-get -o Dpkg::Use-Pty=0 install -y curl");
    let c = script.commands().next().unwrap();
    assert_eq!(c.subcommand(), Some("install"));
    let ops: Vec<&str> = c
        .program_operands()
        .iter()
        .map(|w| w.text.as_str())
        .collect();
    assert_eq!(ops, ["install", "curl"]);
    // The estimate installs curl (it read `Dpkg::Use-Pty=0` as the sub-command before).
    let e = run("FROM debian:bookworm-slim\nRUN apt-get -o Acquire::Retries=3 install -y curl\n");
    let layer = e.layers.iter().find(|l| l.line == 2).unwrap();
    assert!(layer.bytes > 0, "{}", layer.reason);
}

#[test]
fn an_option_value_is_not_a_package() {
    // `-t suite` is a target release, not a package named `bookworm-backports`.
    let e = run("FROM debian:bookworm-slim\nRUN apt-get install -y -t bookworm-backports curl\n");
    assert!(
        !paths(&e).iter().any(|p| p.contains("bookworm-backports")),
        "{:?}",
        paths(&e)
    );
    // `-X URL` is a repository, not a package.
    let e = run(
        "FROM alpine:3.20\nRUN apk add --no-cache -X https://dl-cdn.alpinelinux.org/alpine/edge/testing curl\n",
    );
    let layer = e.layers.iter().find(|l| l.line == 2).unwrap();
    assert!(layer.reason.contains("apk add curl"), "{}", layer.reason);
    assert!(!layer.reason.contains("edge/testing"), "{}", layer.reason);
}

#[test]
fn a_folder_after_an_option_with_a_value() {
    // `git clone --depth 1 URL DIR` clones into DIR (it read the URL as the folder).
    let e = run("FROM alpine:3.20\nRUN git clone --depth 1 https://github.com/x/y.git /src/app\n");
    assert!(paths(&e).iter().any(|p| p == "/src/app"), "{:?}", paths(&e));
    // Same with `-b BRANCH` (buildkit-testfiles docker/Dockerfile line 74).
    let e = run("FROM alpine:3.20\nRUN git clone -b v1 https://github.com/x/y.git /y\n");
    assert!(paths(&e).iter().any(|p| p == "/y"), "{:?}", paths(&e));
    assert!(
        !paths(&e).iter().any(|p| p.starts_with("/https:")),
        "{:?}",
        paths(&e)
    );
    // `uv venv --python 3.12 /opt/venv` makes /opt/venv (it made `/3.12`).
    let e = run("FROM python:3.12-slim\nRUN uv venv --python 3.12 /opt/venv\n");
    assert!(
        paths(&e).iter().any(|p| p == "/opt/venv"),
        "{:?}",
        paths(&e)
    );
    assert!(!paths(&e).iter().any(|p| p == "/3.12"), "{:?}", paths(&e));
}

#[test]
fn the_runtime_check_reads_past_option_values() {
    // `nice -n 10 python app.py`: the command is python, not `10`.
    let text = "FROM python:3.12-slim\nWORKDIR /app\nCMD [\"nice\", \"-n\", \"10\", \"python\", \"app.py\"]\n";
    let m = missing(text);
    assert!(m.iter().any(|x| x.contains("/app/app.py")), "{m:?}");
    // `python -W ignore app.py`: the script is app.py, not `ignore`.
    let text =
        "FROM python:3.12-slim\nWORKDIR /app\nCMD [\"python\", \"-W\", \"ignore\", \"app.py\"]\n";
    let m = missing(text);
    assert!(m.iter().any(|x| x.contains("/app/app.py")), "{m:?}");
    // And a file that is there is not reported.
    let sound = "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD [\"nice\", \"-n\", \"10\", \"python\", \"-W\", \"ignore\", \"app.py\"]\n";
    assert_eq!(missing(sound), Vec::<String>::new());
}

/// `yarn --frozen-lockfile` installs; the estimate named the option as the sub-command
/// ("yarn --frozen-lockfile → /app/node_modules"; the nextjs-yarn fixture).
#[test]
fn a_bare_yarn_with_options_is_an_install() {
    let e = run("FROM node:22-slim\nWORKDIR /app\nRUN yarn --frozen-lockfile\n");
    let layer = e.layers.iter().find(|l| l.line == 3).unwrap();
    assert!(
        layer.reason.starts_with("yarn install → /app/node_modules"),
        "{}",
        layer.reason
    );
}
