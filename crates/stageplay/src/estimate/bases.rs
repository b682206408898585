//! Resolving an image reference (after ARG expansion) to a knowledge-base entry.
//!
//! Steps: normalise (`docker.io/library/` dropped, `@sha256:…` digest dropped, no tag → `latest`),
//! exact name or alias, then the Debian flavour (`python:3.12-slim` → `-slim-bookworm`), then the tag
//! without its patch version (`3.12.4-slim` → `3.12-slim`), then the nearest minor version of the same
//! variant (marked as approximate, wider range), then the one version known of an image the knowledge
//! base has in one version only (also approximate). Anything else is unknown: a wide range, not a guess.

use super::kb::{kb, BaseImage};
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a reference was matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Match {
    /// The tag (or an alias) is in the knowledge base.
    Exact,
    /// Same image and variant, another version: the figure is widened.
    Approximate(String),
    /// Not in the knowledge base.
    Unknown,
    /// `FROM scratch`.
    Scratch,
}

#[derive(Debug, Clone)]
pub struct Resolved {
    pub reference: String,
    pub normalized: String,
    pub base: Option<&'static BaseImage>,
    pub how: Match,
}

impl Resolved {
    /// The user the image runs as when the Dockerfile sets none (`None` for an unknown image):
    /// the knowledge base's user, or `nonroot` for the `:nonroot` tags of the images that have
    /// one (their user column reads `root (:nonroot uid 65532)`).
    pub fn default_user(&self) -> Option<&'static str> {
        let base = self.base?;
        let tag = self.normalized.rsplit_once(':').map_or("", |(_, t)| t);
        if tag.contains("nonroot") && base.user.contains(":nonroot") {
            return Some("nonroot");
        }
        Some(base.user.split_whitespace().next().unwrap_or("root"))
    }
}

/// Unknown base images get this size and range (bytes): from a tiny static image to a large SDK.
pub const UNKNOWN_BYTES: u64 = 200_000_000;
pub const UNKNOWN_LOW: u64 = 2_000_000;
pub const UNKNOWN_HIGH: u64 = 2_000_000_000;

/// Normalises `docker.io/library/python:3.12@sha256:…` to `python:3.12`.
pub fn normalize(reference: &str) -> String {
    let mut r = reference.trim().to_string();
    if let Some(at) = r.find('@') {
        r.truncate(at);
    }
    for prefix in [
        "docker.io/library/",
        "index.docker.io/library/",
        "registry-1.docker.io/library/",
        "docker.io/",
        "library/",
    ] {
        if let Some(rest) = r.strip_prefix(prefix) {
            r = rest.to_string();
            break;
        }
    }
    // A tag is a `:` after the last `/` (a registry port comes before it).
    let last_slash = r.rfind('/').map(|i| i + 1).unwrap_or(0);
    if !r[last_slash..].contains(':') && !r.is_empty() {
        r.push_str(":latest");
    }
    r.to_ascii_lowercase()
}

fn find(name: &str) -> Option<&'static BaseImage> {
    // Every name and alias → the first base (in file order) that has it, built once from the
    // compiled-in knowledge base.
    static BY_NAME: OnceLock<HashMap<&'static str, &'static BaseImage>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            let mut map = HashMap::new();
            for b in &kb().bases {
                for n in std::iter::once(&b.name).chain(b.aliases.iter()) {
                    map.entry(n.as_str()).or_insert(b);
                }
            }
            map
        })
        .get(name)
        .copied()
}

pub fn resolve(reference: &str) -> Resolved {
    let normalized = normalize(reference);
    let done = |base: Option<&'static BaseImage>, how: Match| Resolved {
        reference: reference.to_string(),
        normalized: normalized.clone(),
        base,
        how,
    };
    if normalized == "scratch:latest" || normalized == "scratch" {
        return done(find("scratch"), Match::Scratch);
    }
    if let Some(b) = find(&normalized) {
        return done(Some(b), Match::Exact);
    }
    let Some((repo, tag)) = normalized.rsplit_once(':') else {
        return done(None, Match::Unknown);
    };
    // Debian flavour of the official images.
    for candidate in [
        format!("{repo}:{tag}-bookworm"),
        format!("{repo}:{}", tag.replace("-slim", "-slim-bookworm")),
    ] {
        if let Some(b) = find(&candidate) {
            return done(Some(b), Match::Exact);
        }
    }
    // Drop the patch version: 3.12.4-slim → 3.12-slim; 1.22.3-alpine3.20 → 1.22-alpine3.20.
    let (version, variant) = match tag.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&tag[..i], &tag[i..]),
        None => (tag, ""),
    };
    let parts: Vec<&str> = version.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 3 {
        let short = format!("{}.{}{variant}", parts[0], parts[1]);
        if let Some(r) = try_tag(repo, &short) {
            return done(Some(r), Match::Exact);
        }
    }
    // Alpine version suffixes: golang:1.22-alpine3.19 → golang:1.22-alpine.
    if let Some(idx) = variant.find("-alpine") {
        let short_variant = &variant[..idx + "-alpine".len()];
        let major_minor = if parts.len() >= 2 {
            format!("{}.{}", parts[0], parts[1])
        } else {
            version.to_string()
        };
        for v in [version.to_string(), major_minor] {
            if let Some(r) = try_tag(repo, &format!("{v}{short_variant}")) {
                return done(
                    Some(r),
                    Match::Approximate(format!("{repo}:{v}{short_variant}")),
                );
            }
        }
    }
    // Nearest known version with the same variant.
    if !parts.is_empty() {
        let alpine_family = |v: &str| -> String {
            match v.find("alpine") {
                Some(i) => v[..i + "alpine".len()].to_string(),
                None => v.to_string(),
            }
        };
        let variant_norm = alpine_family(variant.trim_start_matches('-'));
        let variant_norm = variant_norm.as_str();
        let mut best: Option<&'static BaseImage> = None;
        for b in &kb().bases {
            for name in std::iter::once(&b.name).chain(b.aliases.iter()) {
                let Some((r, t)) = name.rsplit_once(':') else {
                    continue;
                };
                if r != repo {
                    continue;
                }
                let tv = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
                    Some(i) => &t[i..],
                    None => "",
                };
                let tvn = alpine_family(tv.trim_start_matches('-'));
                let tvn = tvn.as_str();
                let same = tvn == variant_norm
                    || tvn == format!("{variant_norm}-bookworm")
                    || (variant_norm.is_empty() && tvn == "bookworm");
                if same && t.chars().next().is_some_and(|c| c.is_ascii_digit()) && best.is_none() {
                    best = Some(b);
                }
            }
        }
        if let Some(b) = best {
            return done(Some(b), Match::Approximate(b.name.clone()));
        }
        // Images known by variant only (`nginx:alpine-slim`, `nginx:latest`): the same variant.
        let by_variant = if variant_norm.is_empty() {
            "latest".to_string()
        } else {
            variant_norm.to_string()
        };
        if let Some(b) = find(&format!("{repo}:{by_variant}")) {
            return done(Some(b), Match::Approximate(b.name.clone()));
        }
    }
    // An image the knowledge base knows in one version only (tool images such as
    // tonistiigi/xx or uv): that version, marked approximate.
    let mut same_repo = kb()
        .bases
        .iter()
        .filter(|b| b.name.rsplit_once(':').is_some_and(|(r, _)| r == repo));
    if let (Some(b), None) = (same_repo.next(), same_repo.next()) {
        return done(Some(b), Match::Approximate(b.name.clone()));
    }
    done(None, Match::Unknown)
}

fn try_tag(repo: &str, tag: &str) -> Option<&'static BaseImage> {
    let name = format!("{repo}:{tag}");
    find(&name)
        .or_else(|| find(&format!("{name}-bookworm")))
        .or_else(|| {
            find(&format!(
                "{repo}:{}",
                tag.replace("-slim", "-slim-bookworm")
            ))
        })
}
