//! Completion: what is offered at the cursor (`$0`) and what accepting it writes.

mod ide_support;

use ide_support::{check, fixture, with_document};
use stageplay::diagnostic::apply_edits;
use stageplay::estimate::bases;
use stageplay::estimate::kb::kb;
use stageplay::ide::{completions, CompletionKind};

fn kind(k: CompletionKind) -> &'static str {
    match k {
        CompletionKind::Keyword => "kw",
        CompletionKind::Flag => "flag",
        CompletionKind::Value => "value",
        CompletionKind::MountOption => "option",
        CompletionKind::Stage => "stage",
        CompletionKind::Variable => "var",
        CompletionKind::Image => "image",
        CompletionKind::Tag => "tag",
    }
}

/// One line per candidate: kind, label and detail.
fn render(input: &str) -> String {
    let (text, at) = fixture(input);
    with_document(&text, |d| {
        completions(d, at)
            .iter()
            .map(|c| {
                format!(
                    "{} {} | {}",
                    kind(c.kind),
                    c.label,
                    c.detail.as_deref().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Labels only, for long lists.
fn labels(input: &str) -> Vec<String> {
    let (text, at) = fixture(input);
    with_document(&text, |d| {
        completions(d, at).into_iter().map(|c| c.label).collect()
    })
}

/// The text after accepting the candidate `label`.
fn check_edit(input: &str, label: &str, expect: &str) {
    let (text, at) = fixture(input);
    let item = with_document(&text, |d| completions(d, at))
        .into_iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("no candidate {label} in {input:?}"));
    assert_eq!(apply_edits(&text, &[item.edit]), expect);
}

#[test]
fn typing_work_offers_workdir() {
    check(render("FROM alpine\nWORK$0"), "kw WORKDIR | WORKDIR <path>");
    check_edit("FROM alpine\nWORK$0", "WORKDIR", "FROM alpine\nWORKDIR ");
    check(render("FROM alpine\nwor$0"), "kw WORKDIR | WORKDIR <path>");
}

#[test]
fn keyword_snippets_fill_fresh_lines_only() {
    let (text, at) = fixture("FROM alpine\nWORK$0");
    let items = with_document(&text, |d| completions(d, at));
    assert_eq!(items[0].snippet.as_deref(), Some("WORKDIR ${1:/app}"));
    // Replacing the keyword of a written instruction keeps its arguments.
    check_edit("FROM a\nWO$0RKDIR /app", "WORKDIR", "FROM a\nWORKDIR /app");
    let (text, at) = fixture("FROM a\nwo$0rkdir /app");
    let items = with_document(&text, |d| completions(d, at));
    assert_eq!(items[0].snippet, None);
}

#[test]
fn before_the_first_from_arg_and_from_come_first() {
    let all = labels("$0");
    assert_eq!(&all[..2], ["FROM", "ARG"]);
    assert_eq!(all.len(), 18);
    let later = labels("FROM a\n$0");
    assert_eq!(&later[..3], ["FROM", "RUN", "CMD"]);
}

#[test]
fn onbuild_offers_triggers_only() {
    check(render("FROM a\nONBUILD R$0"), "kw RUN | RUN [--mount=…] [--network=…] [--security=…] [--device=…] <command> | [\"exe\", \"arg\"]");
    let all = labels("FROM a\nONBUILD $0");
    assert!(
        !all.iter()
            .any(|l| l == "ONBUILD" || l == "FROM" || l == "MAINTAINER"),
        "{all:?}"
    );
    assert_eq!(all.len(), 15);
}

#[test]
fn flags_per_instruction() {
    check(
        render("FROM a\nRUN --$0"),
        "flag --mount | RUN --mount=[type=<type>][,<option>=<value>…]
         flag --network | RUN --network=default|none|host
         flag --security | RUN --security=sandbox|insecure
         flag --device | RUN --device=<name>[,required]",
    );
    check(
        render("FROM a\nHEALTHCHECK --st$0"),
        "flag --start-period | HEALTHCHECK --start-period=<duration>
         flag --start-interval | HEALTHCHECK --start-interval=<duration>",
    );
    check(
        render("FROM --p$0"),
        "flag --platform | FROM --platform=<platform>",
    );
    check_edit("FROM a\nRUN --mo$0", "--mount", "FROM a\nRUN --mount=");
    check_edit(
        "FROM a\nCOPY --li$0 a b",
        "--link",
        "FROM a\nCOPY --link a b",
    );
}

#[test]
fn flags_already_given_are_not_offered_again_unless_they_repeat() {
    let copy = labels("FROM a AS b\nFROM c\nCOPY --from=b --link --$0 x y");
    assert_eq!(copy, ["--chown", "--chmod", "--parents", "--exclude"]);
    let run = labels("FROM a\nRUN --mount=type=cache,target=/x --network=none --$0 x");
    assert_eq!(run, ["--mount", "--security", "--device"]);
}

#[test]
fn flags_after_the_keyword_on_request() {
    let run = labels("FROM a\nRUN $0");
    assert_eq!(run, ["--mount", "--network", "--security", "--device"]);
    assert!(labels("FROM a\nRUN echo $0").is_empty());
}

#[test]
fn flag_values() {
    check(
        render("FROM a\nRUN --network=$0 x"),
        "value default | network
         value none | network
         value host | network",
    );
    check(
        render("FROM a\nRUN --security=in$0 x"),
        "value insecure | security",
    );
    let platforms = labels("FROM --platform=$0 alpine");
    assert_eq!(
        &platforms[..3],
        ["$BUILDPLATFORM", "$TARGETPLATFORM", "linux/amd64"]
    );
    check(
        render("FROM --platform=linux/arm$0 alpine"),
        "
        value linux/arm64 | 64-bit ARM
        value linux/arm/v7 | 32-bit ARM v7
        value linux/arm/v6 | 32-bit ARM v6",
    );
}

#[test]
fn stage_names_after_from_flag() {
    let input = "FROM golang:1.22 AS build\nRUN go build\nFROM alpine AS tools\nFROM scratch AS out\nCOPY --from=$0 /x /y\nFROM alpine AS later";
    // Then the images the knowledge base knows files of (tool images meant to copy from).
    let tools: Vec<String> = kb()
        .bases
        .iter()
        .filter(|b| !b.files.is_empty())
        .map(|b| format!("image {} | image", b.name))
        .collect();
    check(
        render(input),
        &format!(
            "stage build | stage 0 · FROM golang:1.22
             stage tools | stage 1 · FROM alpine
             stage later | stage 3 · FROM alpine
             {}",
            tools.join("\n")
        ),
    );
    check_edit(
        "FROM golang AS build\nFROM scratch\nCOPY --from=bu$0 /x /y",
        "build",
        "FROM golang AS build\nFROM scratch\nCOPY --from=build /x /y",
    );
}

#[test]
fn stage_names_after_from_are_the_earlier_stages() {
    let input = "FROM alpine AS base\nFROM debian AS builder\nFROM b$0\nFROM alpine AS below";
    let all = labels(input);
    assert_eq!(&all[..2], ["base", "builder"]);
    assert!(all.iter().all(|l| l != "below"), "{all:?}");
    assert!(all.iter().any(|l| l == "busybox:latest"), "{all:?}");
    check(
        render("FROM alpine AS base\nFROM base $0"),
        "value AS | stage name follows",
    );
}

#[test]
fn mount_options_for_the_mount_type() {
    check(
        render("FROM a\nRUN --mount=type=cache,$0 x"),
        "option target | Where the mount appears in the container.
         option source | The path inside `from` to mount (default: its root).
         option from | The stage, named context or image to mount from (bind: default the build context; cache: default an empty directory).
         option id | Cache: separates caches (default: the target). Secret/ssh: the id given to `docker build --secret/--ssh`.
         option sharing | How concurrent builds share the cache: `shared` (default), `private` (a new cache per writer) or `locked` (one writer at a time; apt needs it).
         option readonly | Mount read-only (the default for bind, secret and ssh).
         option readwrite | Allow writes; what is written is discarded after the command.
         option mode | File mode of the cache directory (default `0755`), secret file (`0400`) or socket (`0600`).
         option uid | Owner user ID (default 0).
         option gid | Owner group ID (default 0).",
    );
    let secret = labels("FROM a\nRUN --mount=type=secret,id=tok,$0 x");
    assert_eq!(
        secret,
        [
            "target",
            "readonly",
            "readwrite",
            "required",
            "mode",
            "uid",
            "gid",
            "env"
        ]
    );
    check_edit(
        "FROM a\nRUN --mount=type=cache,ta$0 x",
        "target",
        "FROM a\nRUN --mount=type=cache,target= x",
    );
    check_edit(
        "FROM a\nRUN --mount=ty$0",
        "type",
        "FROM a\nRUN --mount=type=",
    );
}

#[test]
fn mount_values() {
    check(
        render("FROM a\nRUN --mount=type=$0 x"),
        "value bind | type
         value cache | type
         value tmpfs | type
         value secret | type
         value ssh | type",
    );
    check(
        render("FROM a\nRUN --mount=type=cache,sharing=$0 x"),
        "value shared | sharing
         value private | sharing
         value locked | sharing",
    );
    check(
        render("FROM a AS deps\nFROM b\nRUN --mount=type=bind,from=d$0,target=/d x"),
        "stage deps | stage 0 · FROM a",
    );
    let targets = labels("FROM a\nRUN --mount=type=cache,target=/root/.$0 x");
    assert_eq!(
        targets,
        [
            "/root/.cache/pip",
            "/root/.cache/uv",
            "/root/.npm",
            "/root/.local/share/pnpm/store",
            "/root/.cache/go-build",
            "/root/.m2",
            "/root/.gradle"
        ]
    );
}

#[test]
fn variables_in_from_are_the_global_args() {
    check(
        render("ARG VERSION=3.20\nARG BASE\nFROM alpine:${V$0"),
        "var VERSION | global ARG = 3.20",
    );
    check_edit(
        "ARG VERSION=3.20\nFROM alpine:${V$0",
        "VERSION",
        "ARG VERSION=3.20\nFROM alpine:${VERSION}",
    );
    check_edit(
        "ARG VERSION=3.20\nFROM alpine:${V$0}",
        "VERSION",
        "ARG VERSION=3.20\nFROM alpine:${VERSION}",
    );
    let all = labels("ARG VERSION=1\nFROM --platform=$$0 alpine");
    assert!(
        all.contains(&"BUILDPLATFORM".to_string()) && all.contains(&"VERSION".to_string()),
        "{all:?}"
    );
}

#[test]
fn variables_in_a_stage_follow_buildkit_scoping() {
    // The global ARG is not visible until the stage declares it again.
    let input = "ARG VERSION=1\nFROM scratch\nENV APP=/app\nRUN echo $$0\nARG LATE=1";
    check(render(input), "var APP | ENV = /app");
    // The base image's ENV (the knowledge base's record) is there too.
    let recorded: Vec<String> = bases::resolve("alpine")
        .base
        .unwrap()
        .env
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(labels("FROM alpine\nRUN echo $$0"), recorded);
    let input = "ARG VERSION=1\nFROM scratch\nARG VERSION\nENV APP=/app\nRUN echo $$0";
    check(
        render(input),
        "var APP | ENV = /app
         var VERSION | ARG = (no default)",
    );
    // CMD runs in the container: ARGs are gone, ENV stays.
    let input = "FROM scratch\nARG A=1\nENV E=2\nCMD echo $$0";
    check(render(input), "var E | ENV = 2");
}

#[test]
fn variables_come_from_parent_stages_and_base_images() {
    let input = "FROM alpine AS base\nENV HOME_DIR=/home\nFROM base\nRUN echo ${H$0}";
    check(render(input), "var HOME_DIR | ENV = /home");
    let recorded: Vec<String> = bases::resolve("python:3.12-slim")
        .base
        .unwrap()
        .env
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k.starts_with("PY"))
        .collect();
    assert!(recorded.contains(&"PYTHON_VERSION".to_string()));
    assert_eq!(labels("FROM python:3.12-slim\nRUN echo $PY$0"), recorded);
}

#[test]
fn images_and_tags_from_the_knowledge_base() {
    // Every name and alias of the knowledge base, in its order.
    let known: Vec<String> = kb()
        .bases
        .iter()
        .flat_map(|b| std::iter::once(b.name.clone()).chain(b.aliases.iter().cloned()))
        .collect();
    let alpine: Vec<&String> = known.iter().filter(|n| n.starts_with("alp")).collect();
    assert_eq!(labels("FROM alp$0").iter().collect::<Vec<_>>(), alpine);
    let tags: Vec<&str> = alpine
        .iter()
        .filter_map(|n| n.strip_prefix("alpine:"))
        .filter(|t| t.starts_with("3.2"))
        .collect();
    assert!(tags.len() >= 3, "{tags:?}");
    assert_eq!(labels("FROM alpine:3.2$0"), tags);
    check_edit("FROM alpine:3.2$0 AS x", "3.23", "FROM alpine:3.23 AS x");
    let (text, at) = fixture("FROM debian:bookworm-sl$0");
    let item = with_document(&text, |d| completions(d, at)).remove(0);
    assert_eq!(item.label, "bookworm-slim");
    assert!(item
        .documentation
        .unwrap()
        .contains("| package manager | apt |"));
}

#[test]
fn arg_names_to_declare() {
    let all = labels("ARG VERSION=1\nFROM alpine\nARG $0");
    assert_eq!(&all[..2], ["VERSION", "TARGETPLATFORM"]);
    check(
        render("FROM alpine\nARG TARGETA$0"),
        "var TARGETARCH | predefined",
    );
}

#[test]
fn healthcheck_type() {
    // Flags may still come before the type.
    check(
        render("FROM a\nHEALTHCHECK --interval=5s $0"),
        "flag --timeout | HEALTHCHECK --timeout=<duration>
         flag --start-period | HEALTHCHECK --start-period=<duration>
         flag --start-interval | HEALTHCHECK --start-interval=<duration>
         flag --retries | HEALTHCHECK --retries=<n>
         value CMD | HEALTHCHECK
         value NONE | HEALTHCHECK",
    );
    check(
        render("FROM a\nHEALTHCHECK n$0"),
        "value NONE | HEALTHCHECK",
    );
}

#[test]
fn nothing_inside_commands_comments_and_heredocs() {
    for input in [
        "FROM a\nRUN apt-get ins$0",
        "FROM a\n# WORK$0",
        "FROM a\nRUN <<EOF\nWORK$0\nEOF",
        "FROM a\nRUN echo \\\nWORK$0",
        "FROM a\nCOPY src $0",
    ] {
        assert!(labels(input).is_empty(), "{input:?}: {:?}", labels(input));
    }
}
