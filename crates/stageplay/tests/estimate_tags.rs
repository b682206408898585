//! Issue 19, acceptance 2: tags resolve to the image they point to today, each row naming its
//! source. docker-library moved the suite-less tags of python, golang, rust and debian to Debian 13
//! (trixie) in August 2025; node's 22 and 24 lines still mean bookworm and its 26 line trixie
//! (docker-library/repo-info pages of July to September 2026). A tag the knowledge base cannot pin
//! down resolves as approximate, never exact; a suite-less tag that moved carries a note on what it
//! meant before.

use stageplay::estimate::bases::{class_of, resolve, Match};
use stageplay::estimate::kb::{kb, BaseImage};

/// Which knowledge-base rows a class covers.
type OfKind = fn(&BaseImage) -> bool;

/// (reference, row it resolves to, exact?, a part of the row's source: the page read for it).
const TAGS: &[(&str, &str, bool, &str)] = &[
    // python: suite-less tags mean trixie.
    (
        "python:3.12-slim",
        "python:3.12-slim-trixie",
        true,
        "repos/python/local/3.12-slim.md @67db11d0",
    ),
    (
        "python:3.12",
        "python:3.12-trixie",
        true,
        "repos/python/local/3.12.md @0212f591",
    ),
    (
        "python:3.13-slim",
        "python:3.13-slim-trixie",
        true,
        "repos/python/local/3.13-slim.md @8780d7a7",
    ),
    (
        "python:3.13",
        "python:3.13-trixie",
        true,
        "repos/python/local/3.13.md @0e336be1",
    ),
    (
        "python:3.14-slim",
        "python:3.14-slim-trixie",
        true,
        "repos/python/local/3.14-slim.md @33cda30b",
    ),
    (
        "python:latest",
        "python:3.14-trixie",
        true,
        "repos/python/local/3.14.md @6cb269ba",
    ),
    (
        "python",
        "python:3.14-trixie",
        true,
        "repos/python/local/3.14.md",
    ),
    (
        "python:3.11-slim",
        "python:3.11-slim-trixie",
        true,
        "repos/python/local/3.11-slim.md @33cda30b",
    ),
    // ... and with a suite, the suite's image.
    (
        "python:3.12-slim-bookworm",
        "python:3.12-slim-bookworm",
        true,
        "repos/python/local/3.12-slim-bookworm.md",
    ),
    (
        "python:3.12-slim-trixie",
        "python:3.12-slim-trixie",
        true,
        "repos/python/local/3.12-slim-trixie.md",
    ),
    (
        "python:3.12-bookworm",
        "python:3.12-bookworm",
        true,
        "repos/python/local/3.12-bookworm.md",
    ),
    // Not pinned down: no trixie row for 3.10, another 3.12 release.
    (
        "python:3.10-slim",
        "python:3.10-slim-bookworm",
        false,
        "repos/python/local/3.10-slim-bookworm.md",
    ),
    (
        "python:3.12.4-slim",
        "python:3.12-slim-trixie",
        false,
        "repos/python/local/3.12-slim-trixie.md",
    ),
    // node: 22 and 24 still bookworm, 26 trixie.
    (
        "node:22",
        "node:22-bookworm",
        true,
        "repos/node/local/22.23.md @59907573",
    ),
    (
        "node:22-slim",
        "node:22-bookworm-slim",
        true,
        "repos/node/local/22-slim.md @680e90cf",
    ),
    (
        "node:24-slim",
        "node:24-bookworm-slim",
        true,
        "repos/node/local/24.21.0-slim.md @ba1774f5",
    ),
    (
        "node:26",
        "node:26-trixie",
        true,
        "repos/node/local/26-trixie.md @a9255e57",
    ),
    (
        "node:26-slim",
        "node:26-trixie-slim",
        true,
        "repos/node/local/26-slim.md @ba1774f5",
    ),
    (
        "node:latest",
        "node:26-trixie",
        true,
        "repos/node/local/26-trixie.md",
    ),
    (
        "node:22-bookworm-slim",
        "node:22-bookworm-slim",
        true,
        "repos/node/local/22-bookworm-slim.md",
    ),
    // Which line `lts` is, no page read here says.
    (
        "node:lts",
        "node:24-bookworm",
        false,
        "repos/node/local/24.21-bookworm.md",
    ),
    // golang: suite-less tags mean trixie; latest is 1.27.
    (
        "golang:1.26",
        "golang:1.26-trixie",
        true,
        "repos/golang/local/1.26.md @8874cb10",
    ),
    (
        "golang:1.26.7",
        "golang:1.26-trixie",
        true,
        "repos/golang/local/1.26.md",
    ),
    (
        "golang:latest",
        "golang:1.27-trixie",
        true,
        "repos/golang/local/1.27.1.md @c0f9c8aa",
    ),
    (
        "golang",
        "golang:1.27-trixie",
        true,
        "repos/golang/local/1.27.1.md",
    ),
    (
        "golang:1.26-bookworm",
        "golang:1.26-bookworm",
        true,
        "repos/golang/local/1.26-bookworm.md",
    ),
    (
        "golang:1.25",
        "golang:1.25-bookworm",
        false,
        "repos/golang/local/1.25",
    ),
    (
        "golang:1.26-alpine",
        "golang:1.26-alpine3.23",
        true,
        "repos/golang/local/1.26-alpine3.23.md",
    ),
    // rust: suite-less tags mean trixie.
    (
        "rust:1",
        "rust:1-trixie",
        true,
        "repos/rust/local/latest.md @95ab041a",
    ),
    ("rust", "rust:1-trixie", true, "repos/rust/local/latest.md"),
    (
        "rust:1-slim",
        "rust:1-slim-trixie",
        true,
        "repos/rust/local/1.98.1-slim.md @5b74ed56",
    ),
    (
        "rust:1-slim-bookworm",
        "rust:1-slim-bookworm",
        true,
        "repos/rust/local/1-slim-bookworm.md",
    ),
    (
        "rust:1.98",
        "rust:1-trixie",
        false,
        "repos/rust/local/latest.md",
    ),
    // debian: stable and latest are trixie; oldstable and 12 bookworm.
    (
        "debian:stable-slim",
        "debian:trixie-slim",
        true,
        "repos/debian/local/13-slim.md",
    ),
    ("debian", "debian:trixie", true, "repos/debian/local/13.md"),
    (
        "debian:bookworm-slim",
        "debian:bookworm-slim",
        true,
        "repos/debian/local/bookworm-slim.md",
    ),
    (
        "debian:12-slim",
        "debian:bookworm-slim",
        true,
        "repos/debian/local/bookworm-slim.md",
    ),
    (
        "debian:oldstable",
        "debian:bookworm",
        true,
        "repos/debian/local/bookworm.md",
    ),
    (
        "debian:12.8-slim",
        "debian:bookworm-slim",
        false,
        "repos/debian/local/bookworm-slim.md",
    ),
];

#[test]
fn tags_resolve_to_todays_images_with_their_sources() {
    for (reference, expected, exact, source) in TAGS {
        let r = resolve(reference);
        let b = r
            .base
            .unwrap_or_else(|| panic!("{reference}: not resolved ({:?})", r.how));
        assert_eq!(&b.name, expected, "{reference}");
        assert_eq!(r.how == Match::Exact, *exact, "{reference}: {:?}", r.how);
        assert!(
            b.source.contains(source),
            "{reference}: the row's source does not cite {source}: {}",
            b.source
        );
        println!(
            "{reference:24} → {:28} {:10} {}",
            b.name,
            if *exact { "exact" } else { "approx" },
            source
        );
    }
}

/// Exact means the tag itself was seen: a row reached through a rule (the suite-less tag means
/// the trixie build) is exact only for repositories whose move is recorded in tag-history.tsv, and
/// every such row is sourced, not an ESTIMATE.
#[test]
fn exact_rows_are_sourced() {
    for (reference, _, exact, _) in TAGS {
        let r = resolve(reference);
        if *exact {
            assert!(!r.base.unwrap().is_estimate(), "{reference}");
        }
    }
}

#[test]
fn a_suite_less_tag_that_moved_says_what_it_meant_before() {
    let note = resolve("python:3.12-slim").history.expect("a note");
    assert!(note.contains("Debian 13 trixie since 2025-08"), "{note}");
    assert!(note.contains("python:3.12-slim-bookworm"), "{note}");
    assert!(note.contains("124 MB"), "{note}");
    let note = resolve("golang:1.26").history.expect("a note");
    assert!(note.contains("golang:1.26-bookworm"), "{note}");
    let note = resolve("rust:1-slim").history.expect("a note");
    assert!(note.contains("rust:1-slim-bookworm"), "{note}");
    // Tags that name their suite, and images that did not move, get no note.
    for reference in [
        "python:3.12-slim-bookworm",
        "python:3.12-alpine",
        "node:22-slim",
        "debian:12-slim",
        "nginx:latest",
    ] {
        assert_eq!(resolve(reference).history, None, "{reference}");
    }
    // Every repository in the history has a source.
    for h in &kb().tag_history {
        assert!(h.source.len() > 40, "{}: {}", h.repo, h.source);
    }
}

/// The Debian rows name their suite in their package list, and it agrees with their name.
#[test]
fn rows_are_built_on_their_suite() {
    for b in kb().bases.iter().filter(|b| b.is_debian_like()) {
        let suite = b.debian_suite().expect("suite").codename();
        let tag = b.name.rsplit_once(':').map_or("", |(_, t)| t);
        for other in ["bookworm", "trixie"] {
            if tag.contains(other) {
                assert_eq!(suite, other, "{}: packages {:?}", b.name, b.packages);
            }
        }
        if b.os.starts_with("Debian 13") {
            assert_eq!(suite, "trixie", "{}", b.name);
        }
        if b.os.starts_with("Debian 12") {
            assert_eq!(suite, "bookworm", "{}", b.name);
        }
    }
}

/// An unknown image gets the class its name says, not the 200 MB of a name that says nothing.
#[test]
fn unknown_images_get_a_class_range() {
    let class = |r: &str| {
        let resolved = resolve(r);
        assert_eq!(resolved.how, Match::Unknown, "{r}");
        resolved.class.map(|c| c.name.as_str())
    };
    assert_eq!(class("quay.io/acme/static:1.0"), Some("class:static"));
    assert_eq!(
        class("example.com/tools/busybox-tools:2"),
        Some("class:static")
    );
    assert_eq!(class("ghcr.io/acme/app:1.2-alpine"), Some("class:alpine"));
    assert_eq!(
        class("ghcr.io/acme/app:1.2-slim"),
        Some("class:debian-slim")
    );
    assert_eq!(
        class("ghcr.io/acme/app:1.2-bookworm"),
        Some("class:debian-slim")
    );
    assert_eq!(
        class("example.com/tools/nanoserver:2"),
        Some("class:windows-nanoserver")
    );
    assert_eq!(
        class("example.com/app:1.0-windowsservercore-ltsc2022"),
        Some("class:windows-servercore")
    );
    assert_eq!(
        class("example.com/distroless/app:1"),
        Some("class:distroless")
    );
    assert_eq!(class("quay.io/someone/thing:1.0"), None);
    let statik = class_of("quay.io/acme/static:latest").unwrap();
    assert!(statik.bytes < 10_000_000 && statik.high_bytes <= 50_000_000);
}

/// The derived class rows span the knowledge base's rows of their kind: recomputed here, so a
/// row added later cannot fall outside its class's range unnoticed.
#[test]
fn class_ranges_span_their_kind() {
    let kb = kb();
    let kinds: [(&str, OfKind); 3] = [
        ("class:alpine", |b| b.is_alpine()),
        ("class:debian-slim", |b| {
            b.is_debian_like() && b.name.contains("slim")
        }),
        ("class:distroless", |b| b.name.contains("distroless")),
    ];
    for (class, of_kind) in kinds {
        let c = kb.classes.iter().find(|c| c.name == class).expect(class);
        let rows: Vec<_> = kb.bases.iter().filter(|b| of_kind(b)).collect();
        assert!(rows.len() >= 5, "{class}: {} rows", rows.len());
        for b in rows {
            assert!(
                c.low_bytes <= b.bytes && b.bytes <= c.high_bytes,
                "{class} range misses {} ({} B)",
                b.name,
                b.bytes
            );
        }
        assert!(c.source.starts_with("derived:"), "{class}");
    }
}
