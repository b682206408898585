//! Resolving an image reference (after ARG expansion) to a knowledge-base entry.
//!
//! Steps: normalise (`docker.io/library/` dropped, `@sha256:…` digest dropped, no tag → `latest`),
//! then the name or an alias (`~alias` in the data marks an alias no page confirmed: approximate),
//! then the Debian flavour of a tag without a suite (`python:3.12-slim` → `-slim-trixie`, the suite
//! `data/tag-history.tsv` says the repository's suite-less tags mean now; the other suite's build is
//! only approximate), then the tag without its patch version (`3.12.4-slim` → `3.12-slim`: exact only
//! when the row records that very version), then the nearest version of the same variant and suite
//! (approximate, wider range), then the one version known of an image the knowledge base has in one
//! version only (approximate). Anything else is unknown; [`Resolved::class`] then names the class of
//! image the name says it is (static, Alpine, Debian slim, Windows), whose wide range is still better
//! than "anything from 2 MB to 2 GB".
//!
//! A suite-less tag of a repository that moved (python, golang, rust, debian) also gets
//! [`Resolved::history`]: what the tag meant before the move, for builds pinned earlier.

use super::kb::{kb, BaseImage, Suite};
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a reference was matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Match {
    /// The tag (or an alias) is in the knowledge base.
    Exact,
    /// Same image and variant, another version or suite: the figure is widened. Holds the
    /// matched row's name; [`Resolved::why`] says why it is only close.
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
    /// For an approximate match, why the row is only close ("another 3.12-slim release",
    /// "no page confirms what node:lts means now").
    pub why: Option<String>,
    /// For a tag without a Debian suite whose meaning moved: what it meant before (shown as a
    /// note on the base image).
    pub history: Option<String>,
    /// For an unknown image: the class its name puts it in (`static`, Alpine, …), a row of
    /// `data/base-classes.tsv` with a wide range and the reason in its source.
    pub class: Option<&'static BaseImage>,
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

/// A name or alias → (the first base, in file order, that has it; whether the alias is marked
/// `~`, i.e. approximate). Built once from the compiled-in knowledge base.
fn find_entry(name: &str) -> Option<(&'static BaseImage, bool)> {
    static BY_NAME: OnceLock<HashMap<&'static str, (&'static BaseImage, bool)>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| {
            let mut map = HashMap::new();
            for b in &kb().bases {
                map.entry(b.name.as_str()).or_insert((b, false));
                for a in &b.aliases {
                    match a.strip_prefix('~') {
                        Some(approx) => map.entry(approx).or_insert((b, true)),
                        None => map.entry(a.as_str()).or_insert((b, false)),
                    };
                }
            }
            map
        })
        .get(name)
        .copied()
}

/// A base by its name or an alias, approximate aliases included.
fn find(name: &str) -> Option<&'static BaseImage> {
    find_entry(name).map(|(b, _)| b)
}

/// Debian suites and other OS variants a tag can name; a tag naming none of them is suite-less.
const SUITE_WORDS: [&str; 15] = [
    "bookworm",
    "trixie",
    "bullseye",
    "buster",
    "stretch",
    "jessie",
    "sid",
    "alpine",
    "windows",
    "nanoserver",
    "servercore",
    "noble",
    "jammy",
    "focal",
    "ubi",
];

/// True when the tag names its OS release: a suite word, or a Debian version number
/// (`debian:12.8-slim`, whose release number is the suite).
fn names_a_suite(repo: &str, tag: &str) -> bool {
    (repo == "debian" && tag.starts_with(|c: char| c.is_ascii_digit()))
        || tag
            .split(['-', '.', '_'])
            .any(|w| SUITE_WORDS.iter().any(|s| w.starts_with(s)))
}

/// The tags a suite-less tag stands for in one suite: `3.12-slim` → `3.12-slim-trixie` (python's
/// order) and `3.12-trixie-slim` (node's), `3.12` → `3.12-trixie`, `latest` → `trixie`.
fn flavours(tag: &str, suite: Suite) -> Vec<String> {
    let s = suite.codename();
    if tag == "latest" {
        return vec![s.to_string()];
    }
    let mut out = vec![format!("{tag}-{s}")];
    if let Some(v) = tag.strip_suffix("-slim") {
        out.push(format!("{v}-{s}-slim"));
    }
    if tag == "slim" {
        out.push(format!("slim-{s}"));
    }
    out
}

/// The version a row records for its image (`PYTHON_VERSION=3.12.13` in its ENV).
fn row_version(b: &BaseImage) -> Option<&str> {
    b.env
        .iter()
        .find(|(k, _)| k.ends_with("_VERSION") && !k.starts_with("YARN") && k != "JAVA_VERSION")
        .map(|(_, v)| v.as_str())
}

pub fn resolve(reference: &str) -> Resolved {
    let normalized = normalize(reference);
    let (repo, tag) = normalized
        .rsplit_once(':')
        .map_or((normalized.as_str(), ""), |(r, t)| (r, t));
    let history = suite_history(repo, tag);
    let done_why = |base: Option<&'static BaseImage>, how: Match, why: Option<String>| Resolved {
        reference: reference.to_string(),
        normalized: normalized.clone(),
        base,
        class: if base.is_none() && how == Match::Unknown {
            class_of(&normalized)
        } else {
            None
        },
        how,
        why,
        history: history.clone(),
    };
    let done = |base: Option<&'static BaseImage>, how: Match| done_why(base, how, None);
    if normalized == "scratch:latest" || normalized == "scratch" {
        return done(find("scratch"), Match::Scratch);
    }
    if let Some((b, how, why)) = by_tag(repo, tag) {
        return done_why(Some(b), how, why);
    }
    if tag.is_empty() {
        return done(None, Match::Unknown);
    }
    // Drop the patch version: 3.12.4-slim → 3.12-slim; 1.22.3-alpine3.20 → 1.22-alpine3.20. Exact
    // only when the row records that very version.
    let (version, variant) = match tag.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&tag[..i], &tag[i..]),
        None => (tag, ""),
    };
    let parts: Vec<&str> = version.split('.').filter(|p| !p.is_empty()).collect();
    if parts.len() >= 3 {
        let short = format!("{}.{}{variant}", parts[0], parts[1]);
        if let Some((b, how, why)) = by_tag(repo, &short) {
            let same = row_version(b).is_some_and(|v| v == version);
            if same && how == Match::Exact {
                return done(Some(b), Match::Exact);
            }
            let why = why.unwrap_or_else(|| {
                format!(
                    "{tag} is another {short} release than the {} the knowledge base has",
                    row_version(b).unwrap_or("one")
                )
            });
            return done_why(Some(b), Match::Approximate(b.name.clone()), Some(why));
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
            if let Some((r, _, _)) = by_tag(repo, &format!("{v}{short_variant}")) {
                return done_why(
                    Some(r),
                    Match::Approximate(r.name.clone()),
                    Some(format!("{tag}: the knowledge base has {repo}:{v}{short_variant}, another Alpine release")),
                );
            }
        }
    }
    // Nearest known version with the same variant (and suite, when one is known).
    if !parts.is_empty() {
        if let Some(b) = nearest_version(repo, tag, version, variant) {
            let why = format!(
                "{tag} is not in the knowledge base: the nearest known version of the same variant"
            );
            return done_why(Some(b), Match::Approximate(b.name.clone()), Some(why));
        }
        // Images known by variant only (`nginx:alpine-slim`, `nginx:latest`): the same variant.
        let variant_norm = alpine_family(variant.trim_start_matches('-'));
        let by_variant = if variant_norm.is_empty() {
            "latest".to_string()
        } else {
            variant_norm
        };
        if let Some(b) = find(&format!("{repo}:{by_variant}")) {
            let why = format!("{tag} is not in the knowledge base: the image of the same variant");
            return done_why(Some(b), Match::Approximate(b.name.clone()), Some(why));
        }
    }
    // A version left empty by an unset build argument (`docker:${VERSION}-dind` → `-dind`): the
    // variant alone.
    if let Some(variant_only) = tag.strip_prefix('-').filter(|v| !v.is_empty()) {
        if let Some((b, _, _)) = by_tag(repo, variant_only) {
            let why = format!("the version in {tag} is empty (an unset build argument): the {variant_only} variant");
            return done_why(Some(b), Match::Approximate(b.name.clone()), Some(why));
        }
    }
    // An image the knowledge base knows in one version only (tool images such as
    // tonistiigi/xx or uv), by its name or an alias: that version, marked approximate.
    let of_repo = |n: &str| {
        n.trim_start_matches('~')
            .rsplit_once(':')
            .is_some_and(|(r, _)| r == repo)
    };
    let mut same_repo = kb()
        .bases
        .iter()
        .filter(|b| of_repo(&b.name) || b.aliases.iter().any(|a| of_repo(a)));
    if let (Some(b), None) = (same_repo.next(), same_repo.next()) {
        let why = format!("the knowledge base knows {repo} in one version only");
        return done_why(Some(b), Match::Approximate(b.name.clone()), Some(why));
    }
    done(None, Match::Unknown)
}

/// A tag by name or alias, or as the Debian flavour of a suite-less tag.
fn by_tag(repo: &str, tag: &str) -> Option<(&'static BaseImage, Match, Option<String>)> {
    let name = format!("{repo}:{tag}");
    if let Some((b, approx)) = find_entry(&name) {
        return Some(if approx {
            (
                b,
                Match::Approximate(b.name.clone()),
                Some(format!("no page confirms what {name} means now")),
            )
        } else {
            (b, Match::Exact, None)
        });
    }
    if tag.is_empty() || names_a_suite(repo, tag) {
        return None;
    }
    match kb().tag_history(repo) {
        // A repository whose suite-less tags moved: the suite they mean now is the tag itself
        // (docker-library's rule, with its source in tag-history.tsv); the suite before is only
        // close.
        Some(h) => {
            if let Some(b) = flavours(tag, h.now)
                .iter()
                .find_map(|t| find(&format!("{repo}:{t}")))
            {
                return Some((b, Match::Exact, None));
            }
            flavours(tag, h.before)
                .iter()
                .find_map(|t| find(&format!("{repo}:{t}")))
                .map(|b| {
                    let why = format!(
                        "{name} means {} since {}; the knowledge base has the {} build",
                        h.now.label(),
                        h.since,
                        h.before.codename()
                    );
                    (b, Match::Approximate(b.name.clone()), Some(why))
                })
        }
        // Not checked: the bookworm build, approximate.
        None => Suite::ALL.iter().find_map(|s| {
            flavours(tag, *s)
                .iter()
                .find_map(|t| find(&format!("{repo}:{t}")))
                .map(|b| {
                    let why = format!("which Debian release {name} means now is not recorded");
                    (b, Match::Approximate(b.name.clone()), Some(why))
                })
        }),
    }
}

/// The note for a suite-less tag of a repository whose tags moved to another Debian release.
fn suite_history(repo: &str, tag: &str) -> Option<String> {
    if tag.is_empty() || names_a_suite(repo, tag) {
        return None;
    }
    let h = kb().tag_history(repo)?;
    let before = flavours(tag, h.before)
        .into_iter()
        .map(|t| format!("{repo}:{t}"))
        .find(|n| find(n).is_some())
        .unwrap_or_else(|| format!("{repo}:{tag}-{}", h.before.codename()));
    let size = find(&before)
        .map(|b| format!(", {:.0} MB", b.bytes as f64 / 1e6))
        .unwrap_or_default();
    Some(format!(
        "{repo}:{tag} has meant {} since {}; a build pinned before then got {} ({}{size})",
        h.now.label(),
        h.since,
        h.before.label(),
        before
    ))
}

fn alpine_family(v: &str) -> String {
    match v.find("alpine") {
        Some(i) => v[..i + "alpine".len()].to_string(),
        None => v.to_string(),
    }
}

/// The suite a tag names (`-bookworm`, `-trixie-slim`), if any.
fn suite_of(tag: &str) -> Option<Suite> {
    tag.split(['-', '.']).find_map(Suite::from_codename)
}

/// The knowledge base's row of `repo` with the same variant as `tag` and the version closest to
/// it: the same major version first, then the suite the tag names (or, for a suite-less tag, the
/// suite it means now), then the nearest minor version.
fn nearest_version(
    repo: &str,
    tag: &str,
    version: &str,
    variant: &str,
) -> Option<&'static BaseImage> {
    let strip_suite = |v: &str| -> String {
        let v = alpine_family(v.trim_start_matches('-'));
        v.split('-')
            .filter(|w| Suite::from_codename(w).is_none())
            .collect::<Vec<_>>()
            .join("-")
    };
    let wanted_variant = strip_suite(variant);
    let wanted_suite = suite_of(tag).or_else(|| {
        (!names_a_suite(repo, tag))
            .then(|| kb().tag_history(repo).map(|h| h.now))
            .flatten()
    });
    let number = |v: &str| -> Option<f64> {
        let mut it = v.split('.');
        let major: f64 = it.next()?.parse().ok()?;
        let minor: f64 = it.next().and_then(|m| m.parse().ok()).unwrap_or(0.0);
        Some(major * 1000.0 + minor)
    };
    let target = number(version)?;
    let major = |n: f64| (n / 1000.0).floor();
    let mut best: Option<((bool, bool, f64), &'static BaseImage)> = None;
    for b in &kb().bases {
        for name in std::iter::once(&b.name).chain(b.aliases.iter()) {
            let Some((r, t)) = name.trim_start_matches('~').rsplit_once(':') else {
                continue;
            };
            if r != repo || !t.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let (tv, tvar) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
                Some(i) => (&t[..i], &t[i..]),
                None => (t, ""),
            };
            if strip_suite(tvar) != wanted_variant {
                continue;
            }
            let Some(n) = number(tv) else { continue };
            let suite_differs = match (wanted_suite, b.debian_suite()) {
                (Some(w), Some(s)) => w != s,
                _ => false,
            };
            let key = (major(n) != major(target), suite_differs, (n - target).abs());
            if best.is_none_or(|(k, _)| key < k) {
                best = Some((key, b));
            }
        }
    }
    best.map(|(_, b)| b)
}

/// The class of an unknown image (`data/base-classes.tsv`): the class that lists its repository
/// as a member, else the class words in its name give (a static or scratch-like image, Go
/// binaries in a `-bin` image, a Windows base, an image named ubuntu, an Alpine- or Debian-slim-
/// based image, a distroless image).
pub fn class_of(normalized: &str) -> Option<&'static BaseImage> {
    let (repo, tag) = normalized
        .rsplit_once(':')
        .filter(|(r, _)| !r.is_empty())
        .unwrap_or((normalized, "latest"));
    let classes = &kb().classes;
    if let Some(member) = classes.iter().find(|c| c.aliases.iter().any(|a| a == repo)) {
        return Some(member);
    }
    let last = repo.rsplit('/').next().unwrap_or(repo);
    let words = |s: &str| -> Vec<String> {
        s.split(['-', '.', '_', '/'])
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
            .collect()
    };
    let repo_words = words(repo);
    let tag_words = words(tag);
    let has = |w: &str| repo_words.iter().chain(tag_words.iter()).any(|x| x == w);
    let class = if has("nanoserver") {
        "class:windows-nanoserver"
    } else if has("servercore") || has("windowsservercore") || repo.contains("/windows/") {
        "class:windows-servercore"
    } else if last.ends_with("-bin") {
        "class:binary"
    } else if last == "static" || has("scratch") || has("static") || has("busybox") {
        "class:static"
    } else if repo.contains("distroless") {
        "class:distroless"
    } else if has("alpine") {
        "class:alpine"
    } else if last == "ubuntu" {
        "class:ubuntu"
    } else if has("slim") || has("bookworm") || has("trixie") || has("bullseye") {
        "class:debian-slim"
    } else {
        return None;
    };
    classes.iter().find(|c| c.name == class)
}
