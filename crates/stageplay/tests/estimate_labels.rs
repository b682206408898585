//! Issue 19, "what to build" 1, 3 and 5: what the estimate says about its own figures. A
//! figure no table or measurement gives is labelled a fallback in its layer's reason; the Alpine
//! note shows on Alpine bases only; a base's history and an approximate match's reason are
//! shown; an unknown image whose name gives its class is sized as the class; build outputs get
//! their ecosystem's measured typical size.

use stageplay::estimate::kb::kb;
use stageplay::estimate::{estimate, ContextFile, Estimate, EstimateOptions};
use stageplay::model::{self, ModelOptions};

fn run_with(text: &str, opts: &EstimateOptions) -> Estimate {
    let doc = stageplay::syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    estimate(&doc, &m, opts)
}

fn run(text: &str) -> Estimate {
    run_with(text, &EstimateOptions::default())
}

fn reason(e: &Estimate, line: u32) -> String {
    e.layers
        .iter()
        .find(|l| l.line == line)
        .map(|l| l.reason.clone())
        .unwrap_or_else(|| panic!("no layer at line {line}"))
}

#[test]
fn fallback_figures_say_so() {
    // Packages in a shell variable, an unknown requirements file, an unknown download.
    let e = run("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y $RUN_DEPS\n");
    assert!(reason(&e, 2).contains("fallback"), "{}", reason(&e, 2));
    let e = run("FROM python:3.12-slim\nRUN pip install -r requirements.txt\n");
    assert!(reason(&e, 2).contains("fallback"), "{}", reason(&e, 2));
    let e = run(
        "FROM debian:bookworm-slim\nRUN curl -fsSLo /opt/tool.bin https://example.com/tool.bin\n",
    );
    assert!(reason(&e, 2).contains("fallback"), "{}", reason(&e, 2));
    // Measured figures do not: pnpm and a React install are sized from the npm table, each its
    // own size (they used to share one 833 kB cache figure).
    let pnpm = run("FROM node:22-slim\nRUN npm install -g pnpm\n");
    let react = run("FROM node:22-slim\nWORKDIR /app\nRUN npm install react react-dom\n");
    assert!(
        reason(&pnpm, 2).contains("measured"),
        "{}",
        reason(&pnpm, 2)
    );
    assert!(
        reason(&react, 3).contains("measured"),
        "{}",
        reason(&react, 3)
    );
    let cache = |e: &Estimate| {
        e.facts
            .caches
            .iter()
            .find(|c| c.path == "/root/.npm")
            .map(|c| c.bytes)
    };
    assert_ne!(cache(&pnpm), cache(&react));
    // The npm cache is a ratio of what was installed: labelled as such.
    assert!(reason(&pnpm, 2).contains("cache kept"));
}

#[test]
fn the_alpine_note_shows_on_alpine_bases_only() {
    assert!(run("FROM alpine:3.22\nRUN apk add --no-cache curl\n").alpine_base);
    assert!(run("FROM python:3.12-alpine\n").alpine_base);
    for debian_or_distroless in [
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n",
        "FROM gcr.io/distroless/static-debian12\n",
        "FROM python:3.12-slim\n",
    ] {
        let e = run(debian_or_distroless);
        assert!(!e.alpine_base, "{debian_or_distroless}");
        let text = stageplay::estimate::report::render(&e);
        assert!(!text.contains("Alpine package sizes"), "{text}");
    }
}

#[test]
fn base_history_approximate_reason_and_class() {
    let e = run("FROM python:3.12-slim\n");
    let b = e.base.unwrap();
    assert_eq!(b.matched, "exact");
    assert!(
        b.history.as_deref().is_some_and(|h| h.contains("bookworm")),
        "{:?}",
        b.history
    );
    // Another patch release than the row's: approximate, with its reason.
    let e = run("FROM python:3.12.4-slim\n");
    let b = e.base.unwrap();
    assert!(b.matched.starts_with("approximate"), "{}", b.matched);
    assert!(b.why.is_some());
    assert!(
        e.notes.iter().any(|n| n.contains("3.12.4-slim")),
        "{:?}",
        e.notes
    );
    // An unknown static image is sized as the static class, not 200 MB.
    let e = run("FROM registry.example.com/team/static:1\n");
    let class = kb()
        .classes
        .iter()
        .find(|c| c.name == "class:static")
        .unwrap();
    assert_eq!(e.total_bytes, class.bytes);
    assert!(e.base.unwrap().source.contains("class static"));
    // COPY --from an unknown binary image: the binary class.
    let e = run("FROM scratch\nCOPY --from=example/tool-bin:1 /tool /tool\n");
    assert!(reason(&e, 2).contains("class binary"), "{}", reason(&e, 2));
}

#[test]
fn apt_uses_the_base_suite() {
    let trixie = run("FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
    assert!(
        reason(&trixie, 2).contains("Debian trixie index"),
        "{}",
        reason(&trixie, 2)
    );
    let bookworm = run("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
    assert!(reason(&bookworm, 2).contains("Debian bookworm index"));
}

#[test]
fn build_outputs_get_their_ecosystem_size() {
    let go = run("FROM golang:1.26 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags=\"-s -w\" -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n");
    let row = &kb().tools["output:go-binary"];
    let copy = go.layers.iter().find(|l| l.line == 6).unwrap();
    assert_eq!(
        (copy.bytes, copy.low_bytes, copy.high_bytes),
        (row.bytes, row.low_bytes, row.high_bytes)
    );
    let rust = run("FROM rust:1 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=build /app/target/release/server /usr/local/bin/\n");
    let row = &kb().tools["output:rust-release-service"];
    assert_eq!(
        rust.layers.iter().find(|l| l.line == 6).unwrap().bytes,
        row.bytes
    );
    let c = run("FROM gcc:14\nRUN gcc -O2 -static -o /hello hello.c\n");
    assert!(
        reason(&c, 2).contains("typical size for C (static)"),
        "{}",
        reason(&c, 2)
    );
    let dotnet = run("FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish -c Release -o /out --self-contained\n");
    assert!(
        reason(&dotnet, 2).contains("output:dotnet-self-contained")
            || reason(&dotnet, 2).contains(".NET")
    );
}

#[test]
fn a_cargo_lock_scales_the_measured_build() {
    let lock: String = (0..120)
        .map(|i| format!("[[package]]\nname = \"c{i}\"\nversion = \"1.0.0\"\n\n"))
        .collect();
    let opts = EstimateOptions {
        context_files: vec![ContextFile {
            path: "Cargo.lock".into(),
            content: lock,
        }],
        ..EstimateOptions::default()
    };
    let text = "FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n";
    let with = run_with(text, &opts);
    let without = run(text);
    let (a, b) = (
        with.layers.iter().find(|l| l.line == 4).unwrap(),
        without.layers.iter().find(|l| l.line == 4).unwrap(),
    );
    assert!(a.reason.contains("120 crates"), "{}", a.reason);
    assert!(a.bytes > b.bytes * 3 / 2, "{} vs {}", a.bytes, b.bytes);
}
