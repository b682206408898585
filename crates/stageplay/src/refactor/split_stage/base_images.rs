//! The runtime stage's base image: the slim variant of a builder image, its OS family and
//! Debian release, and the language versions its tag names.

use crate::refactor::util::image_repo_tag;

/// The slim variant of an official interpreter image (`python:3.12` → `python:3.12-slim`).
pub(super) fn slim_variant(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    if !matches!(repo.as_str(), "python" | "node" | "ruby" | "perl") {
        return None;
    }
    if tag.contains("slim") || tag.contains("alpine") {
        return Some(image.to_string());
    }
    if tag == "latest" {
        return Some(format!("{repo}:slim"));
    }
    for codename in ["bookworm", "bullseye", "trixie", "buster"] {
        if let Some(version) = tag.strip_suffix(&format!("-{codename}")) {
            // Node writes the codename first (`20-bookworm-slim`), the others last (`3.12-slim-bookworm`).
            if repo == "node" {
                return Some(format!("{repo}:{version}-{codename}-slim"));
            }
            return Some(format!("{repo}:{version}-slim-{codename}"));
        }
        if tag == codename {
            return Some(format!("{repo}:slim-{codename}"));
        }
    }
    if tag.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Some(format!("{repo}:{tag}-slim"));
    }
    None
}

pub(super) fn is_alpine(image: &str) -> bool {
    let (repo, tag) = image_repo_tag(image);
    repo == "alpine" || tag.contains("alpine")
}

pub(super) fn debian_codename(image: &str) -> &'static str {
    let (_, tag) = image_repo_tag(image);
    if tag.contains("bullseye") {
        "bullseye"
    } else if tag.contains("trixie") {
        "trixie"
    } else {
        "bookworm"
    }
}

/// The `X.Y` Python version in a `python:` tag.
pub(super) fn python_version(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    if repo != "python" {
        return None;
    }
    let mut parts = tag.split(['.', '-']);
    let major = parts.next()?;
    let minor = parts.next()?;
    (major.chars().all(|c| c.is_ascii_digit())
        && !major.is_empty()
        && minor.chars().all(|c| c.is_ascii_digit())
        && !minor.is_empty())
    .then(|| format!("{major}.{minor}"))
}

/// The Java feature version of a JDK image (`maven:3.9-eclipse-temurin-21` → `21`).
pub(super) fn java_version(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    let digits = |s: &str| -> Option<String> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        (!d.is_empty()).then_some(d)
    };
    for marker in ["temurin-", "jdk", "corretto-"] {
        if let Some(v) = tag
            .find(marker)
            .and_then(|i| digits(&tag[i + marker.len()..]))
        {
            return Some(v);
        }
    }
    if matches!(
        repo.as_str(),
        "eclipse-temurin" | "openjdk" | "amazoncorretto"
    ) {
        return digits(&tag);
    }
    None
}
