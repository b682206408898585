//! The knowledge base: base images, Debian (bookworm and trixie) and Alpine packages, pip and npm
//! sizes, and how suite-less tags moved between Debian releases.
//!
//! Data lives in `crates/stageplay/data/` as compact TSV files with their sources in comments; it is
//! compiled in with `include_str!` and parsed once, at first use. Parsing is tolerant: a malformed line
//! is skipped and counted in [`Kb::bad_lines`] (the validation test asserts it stays zero).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

pub const BASES_TSV: &str = include_str!("../../data/bases.tsv");
pub const DEBIAN_TSV: &str = include_str!("../../data/debian/bookworm-packages.tsv");
pub const DEBIAN_SLIM_TSV: &str = include_str!("../../data/groundtruth/base_slim_packages.tsv");
pub const TRIXIE_TSV: &str = include_str!("../../data/debian/trixie-packages.tsv");
pub const TRIXIE_SLIM_TSV: &str = include_str!("../../data/debian/trixie-slim-packages.tsv");
pub const TAG_HISTORY_TSV: &str = include_str!("../../data/tag-history.tsv");
pub const BASE_CLASSES_TSV: &str = include_str!("../../data/base-classes.tsv");
pub const TOOLCHAINS_TSV: &str = include_str!("../../data/toolchains.tsv");
pub const NPM_SIZES_TSV: &str = include_str!("../../data/npm/sizes.tsv");
pub const PYPI_SIZES_TSV: &str = include_str!("../../data/pypi/sizes.tsv");
pub const ALPINE_TSV: &str = include_str!("../../data/alpine/packages.tsv");
pub const PIP_TSV: &str = include_str!("../../data/groundtruth/pip.tsv");
pub const NPM_TSV: &str = include_str!("../../data/groundtruth/npm.tsv");

/// The Alpine base package list, read from docker-library/repo-info `repos/alpine/local/3.22.md` @7859ce44.
const ALPINE_322_PACKAGES: &[&str] = &[
    "alpine-baselayout",
    "alpine-baselayout-data",
    "alpine-keys",
    "alpine-release",
    "apk-tools",
    "busybox",
    "busybox-binsh",
    "ca-certificates-bundle",
    "libapk2",
    "libcrypto3",
    "libssl3",
    "musl",
    "musl-utils",
    "scanelf",
    "ssl_client",
    "zlib",
];

const MB: f64 = 1_000_000.0;

/// A Debian release the knowledge base has package data for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Suite {
    /// Debian 12.
    Bookworm,
    /// Debian 13, the suite docker-library's suite-less tags mean since August 2025.
    Trixie,
}

impl Suite {
    pub const ALL: [Suite; 2] = [Suite::Bookworm, Suite::Trixie];

    pub fn codename(self) -> &'static str {
        match self {
            Suite::Bookworm => "bookworm",
            Suite::Trixie => "trixie",
        }
    }

    pub fn from_codename(name: &str) -> Option<Suite> {
        Suite::ALL.into_iter().find(|s| s.codename() == name)
    }

    /// "Debian 12 bookworm".
    pub fn label(self) -> &'static str {
        match self {
            Suite::Bookworm => "Debian 12 bookworm",
            Suite::Trixie => "Debian 13 trixie",
        }
    }
}

/// One base image from `data/bases.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseImage {
    pub name: String,
    pub aliases: Vec<String>,
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub os: String,
    pub libc: String,
    /// `none` when the image has no shell.
    pub shell: String,
    /// `apt`, `apk`, `apt+pip`, … or `none`.
    pub package_manager: String,
    pub user: String,
    pub workdir: Option<String>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub env: Vec<(String, String)>,
    /// Package list reference: `@debian-bookworm-slim`, `@debian-trixie-slim`, `@alpine-3.22`,
    /// optionally `+a b c`.
    pub packages: Option<String>,
    /// Paths with sizes, for `COPY --from=<image>`.
    pub files: Vec<(String, u64)>,
    pub build_tools: Vec<String>,
    pub source: String,
}

impl BaseImage {
    /// True when no source was read for the size (the row says ESTIMATE).
    pub fn is_estimate(&self) -> bool {
        self.source.contains("ESTIMATE")
    }

    pub fn has_shell(&self) -> bool {
        !self.shell.starts_with("none")
    }

    pub fn is_alpine(&self) -> bool {
        self.packages
            .as_deref()
            .is_some_and(|p| p.starts_with("@alpine"))
            || self.os.starts_with("Alpine")
    }

    pub fn is_debian_like(&self) -> bool {
        self.packages
            .as_deref()
            .is_some_and(|p| p.starts_with("@debian"))
    }

    /// The Debian release whose packages the image is built from (its package list says).
    pub fn debian_suite(&self) -> Option<Suite> {
        let spec = self.packages.as_deref()?.strip_prefix("@debian-")?;
        Suite::from_codename(spec.split(['-', '+']).next()?)
    }
}

/// One Debian package from the generated index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebPackage {
    pub installed_kib: u64,
    /// Depends + Pre-Depends: groups of alternatives.
    pub depends: Vec<Vec<String>>,
    pub recommends: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApkPackage {
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    pub build_tool: bool,
}

/// Measured pip install sizes (Python 3.11, `../groundtruth/pip.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipPackage {
    pub wheel_bytes: u64,
    pub installed_nopyc: u64,
    pub installed_with_pyc: u64,
}

/// Measured `npm install --omit=dev` sizes (`../groundtruth/npm.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmPackage {
    pub node_modules_bytes: u64,
    pub tarball_bytes: u64,
}

/// A toolchain, cache or build output size from `data/toolchains.tsv` (key `rust:toolchain-minimal`,
/// `go:toolchain`, `output:go-binary`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolSize {
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    /// When it was measured or read (`2026-12-07`).
    pub date: String,
    /// How: `measured: …`, `derived: …` or `ESTIMATE: …`, with the command or the report.
    pub source: String,
}

/// One npm package as `cargo xtask kb npm` measured it alone (`data/npm/sizes.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpmMeasured {
    pub version: String,
    /// The bytes of its directory in node_modules, without nested node_modules.
    pub bytes: u64,
    /// The packages it needs that npm installed with it (dependencies, optional and peer).
    pub deps: Vec<String>,
}

/// One PyPI distribution as `cargo xtask kb pip` measured it alone (`data/pypi/sizes.tsv`). A row
/// named `pkg[extra]` has size 0 and depends on the package and what the extras require.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PypiMeasured {
    pub version: String,
    /// The wheel pip downloaded (what pip's cache keeps).
    pub wheel_bytes: u64,
    /// Installed without the `.pyc` files pip compiles (`--no-compile`) and with them.
    pub installed_nopyc: u64,
    pub installed_pyc: u64,
    /// Distributions it requires that pip installed with it (markers evaluated for linux x86_64).
    pub deps: Vec<String>,
}

/// How docker-library's tags without a Debian suite moved between releases (`data/tag-history.tsv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagHistory {
    /// The repository (`python`, `node`, `debian`).
    pub repo: String,
    /// The suite such tags mean now.
    pub now: Suite,
    /// When they moved (`2025-08`).
    pub since: String,
    /// The suite they meant before.
    pub before: Suite,
    pub source: String,
}

#[derive(Debug, Default)]
pub struct Kb {
    pub bases: Vec<BaseImage>,
    /// Classes of unknown images (`data/base-classes.tsv`), found by name, never by lookup.
    pub classes: Vec<BaseImage>,
    /// Debian bookworm's package index (the seeds' closure).
    pub debian: BTreeMap<String, DebPackage>,
    /// debian:bookworm-slim's packages.
    pub debian_slim: Vec<String>,
    /// Debian trixie's package index (the same seeds' closure).
    pub trixie: BTreeMap<String, DebPackage>,
    /// debian:trixie-slim's packages.
    pub trixie_slim: Vec<String>,
    pub tag_history: Vec<TagHistory>,
    pub tools: BTreeMap<String, ToolSize>,
    /// Measured npm packages, each alone with its dependency names.
    pub npm_measured: BTreeMap<String, NpmMeasured>,
    /// Measured PyPI distributions by normalized name (`pydantic-core`), each alone.
    pub pypi_measured: BTreeMap<String, PypiMeasured>,
    pub alpine: BTreeMap<String, ApkPackage>,
    pub pip: BTreeMap<String, PipPackage>,
    pub npm: BTreeMap<String, NpmPackage>,
    /// Lines that could not be parsed, as `file:line`.
    pub bad_lines: Vec<String>,
}

impl Kb {
    /// The package index of one Debian release.
    pub fn debian_index(&self, suite: Suite) -> &BTreeMap<String, DebPackage> {
        match suite {
            Suite::Bookworm => &self.debian,
            Suite::Trixie => &self.trixie,
        }
    }

    /// The packages of that release's `-slim` image.
    pub fn debian_slim_packages(&self, suite: Suite) -> &[String] {
        match suite {
            Suite::Bookworm => &self.debian_slim,
            Suite::Trixie => &self.trixie_slim,
        }
    }

    /// The installed size of `names` and everything they depend on, each package counted once
    /// (npm hoists a shared dependency to one copy): (bytes, packages counted, names not measured).
    pub fn npm_closure(&self, names: &[&str]) -> (u64, usize, Vec<String>) {
        let mut seen = BTreeSet::new();
        let mut missing = Vec::new();
        let mut bytes = 0;
        let mut queue: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.npm_measured.get(&name) {
                Some(p) => {
                    bytes += p.bytes;
                    queue.extend(p.deps.iter().cloned());
                }
                None => missing.push(name),
            }
        }
        (bytes, seen.len() - missing.len(), missing)
    }

    /// [`Kb::npm_closure`] for PyPI: the installed bytes (with `.pyc` when `pyc`) of `names` and
    /// their dependencies, each distribution once: (bytes, distributions counted, names not
    /// measured). Names are normalized as PyPI does (`Pydantic_Core` → `pydantic-core`).
    pub fn pypi_closure(&self, names: &[&str], pyc: bool) -> (u64, usize, Vec<String>) {
        let mut seen = BTreeSet::new();
        let mut missing = Vec::new();
        let mut bytes = 0;
        let mut queue: Vec<String> = names.iter().map(|n| normalize_pypi(n)).collect();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.pypi_measured.get(&name) {
                Some(p) => {
                    bytes += if pyc {
                        p.installed_pyc
                    } else {
                        p.installed_nopyc
                    };
                    queue.extend(p.deps.iter().cloned());
                }
                None => missing.push(name),
            }
        }
        (bytes, seen.len() - missing.len(), missing)
    }

    /// The tag history of a repository (`python`), if docker-library moved its tags.
    pub fn tag_history(&self, repo: &str) -> Option<&TagHistory> {
        self.tag_history.iter().find(|h| h.repo == repo)
    }
}

/// A PyPI project name as PyPI compares them (PEP 503): lower case, runs of `-`, `_`, `.` as one
/// `-`; an extras suffix (`uvicorn[standard]`) is kept, its extras sorted.
pub fn normalize_pypi(name: &str) -> String {
    let (base, extras) = match name.split_once('[') {
        Some((b, e)) => (b, Some(e.trim_end_matches(']'))),
        None => (name, None),
    };
    let mut out = String::new();
    for c in base.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    if let Some(extras) = extras {
        let mut list: Vec<String> = extras
            .split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty())
            .collect();
        list.sort();
        out.push('[');
        out.push_str(&list.join(","));
        out.push(']');
    }
    out
}

/// The parsed knowledge base (parsed at first use).
pub fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(parse_all)
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
}

fn mb(text: &str) -> Option<u64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| (v * MB).round() as u64)
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty() && t != "-").then(|| t.to_string())
}

/// Parses a JSON string array like `["a","b"]` (the only JSON the data uses).
pub fn parse_json_array(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some('"') => {
                let mut item = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => item.push(chars.next()?),
                        c => item.push(c),
                    }
                }
                items.push(item);
            }
            Some(_) => return None,
        }
    }
    Some(items)
}

fn split_groups(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .filter(|g| !g.is_empty())
        .map(|g| {
            g.split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn parse_all() -> Kb {
    let mut kb = Kb::default();
    for (file, text, list) in [
        ("bases.tsv", BASES_TSV, &mut kb.bases),
        ("base-classes.tsv", BASE_CLASSES_TSV, &mut kb.classes),
    ] {
        for (i, line) in data_lines(text) {
            match parse_base(line) {
                Some(base) => list.push(base),
                None => kb.bad_lines.push(format!("{file}:{}", i + 1)),
            }
        }
    }
    kb.debian = parse_debian(
        DEBIAN_TSV,
        "debian/bookworm-packages.tsv",
        None,
        &mut kb.bad_lines,
    );
    kb.trixie = parse_debian(
        TRIXIE_TSV,
        "debian/trixie-packages.tsv",
        Some(&kb.debian),
        &mut kb.bad_lines,
    );
    for (text, list) in [
        (DEBIAN_SLIM_TSV, &mut kb.debian_slim),
        (TRIXIE_SLIM_TSV, &mut kb.trixie_slim),
    ] {
        for (_, line) in data_lines(text) {
            if let Some(name) = line.split('\t').next() {
                list.push(name.to_string());
            }
        }
    }
    for (i, line) in data_lines(TOOLCHAINS_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|v| mb(v)),
            f.get(2).and_then(|v| mb(v)),
            f.get(3).and_then(|v| mb(v)),
        ) {
            (Some(key), Some(bytes), Some(low), Some(high)) if f.len() == 6 => {
                kb.tools.insert(
                    key.to_string(),
                    ToolSize {
                        bytes,
                        low_bytes: low,
                        high_bytes: high,
                        date: f[4].to_string(),
                        source: f[5].to_string(),
                    },
                );
            }
            _ => kb.bad_lines.push(format!("toolchains.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(NPM_SIZES_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |idx: usize| f.get(idx).and_then(|v| v.parse::<u64>().ok());
        match (f.first(), f.get(1), num(2), f.get(3)) {
            (Some(name), Some(version), Some(bytes), Some(deps)) if f.len() == 4 => {
                let deps = if *deps == "-" {
                    Vec::new()
                } else {
                    deps.split(',').map(str::to_string).collect()
                };
                kb.npm_measured.insert(
                    name.to_string(),
                    NpmMeasured {
                        version: version.to_string(),
                        bytes,
                        deps,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("npm/sizes.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(PYPI_SIZES_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |idx: usize| f.get(idx).and_then(|v| v.parse::<u64>().ok());
        match (f.first(), f.get(1), num(2), num(3), num(4), f.get(5)) {
            (Some(name), Some(version), Some(wheel), Some(nopyc), Some(pyc), Some(deps))
                if f.len() == 6 =>
            {
                let deps = if *deps == "-" {
                    Vec::new()
                } else {
                    deps.split(',').map(str::to_string).collect()
                };
                kb.pypi_measured.insert(
                    normalize_pypi(name),
                    PypiMeasured {
                        version: version.to_string(),
                        wheel_bytes: wheel,
                        installed_nopyc: nopyc,
                        installed_pyc: pyc,
                        deps,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("pypi/sizes.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(TAG_HISTORY_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|s| Suite::from_codename(s)),
            f.get(2),
            f.get(3).and_then(|s| Suite::from_codename(s)),
            f.get(4),
        ) {
            (Some(repo), Some(now), Some(since), Some(before), Some(source)) if f.len() == 5 => {
                kb.tag_history.push(TagHistory {
                    repo: repo.to_string(),
                    now,
                    since: since.to_string(),
                    before,
                    source: source.to_string(),
                })
            }
            _ => kb.bad_lines.push(format!("tag-history.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(ALPINE_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|v| mb(v)),
            f.get(2).and_then(|v| mb(v)),
            f.get(3).and_then(|v| mb(v)),
        ) {
            (Some(name), Some(bytes), Some(low), Some(high)) => {
                let build_tool = f.get(4).is_some_and(|v| *v == "yes");
                kb.alpine.insert(
                    name.to_string(),
                    ApkPackage {
                        bytes,
                        low_bytes: low,
                        high_bytes: high,
                        build_tool,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("alpine/packages.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(PIP_TSV).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |idx: usize| f.get(idx).and_then(|v| v.parse::<u64>().ok());
        match (f.first(), num(3), num(5), num(7)) {
            (Some(name), Some(wheel), Some(nopyc), Some(pyc)) => {
                kb.pip.insert(
                    name.to_ascii_lowercase(),
                    PipPackage {
                        wheel_bytes: wheel,
                        installed_nopyc: nopyc,
                        installed_with_pyc: pyc,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("groundtruth/pip.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(NPM_TSV).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |idx: usize| f.get(idx).and_then(|v| v.parse::<u64>().ok());
        match (f.first(), num(2), num(6)) {
            (Some(name), Some(nm), Some(tar)) => {
                kb.npm.insert(
                    name.to_string(),
                    NpmPackage {
                        node_modules_bytes: nm,
                        tarball_bytes: tar,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("groundtruth/npm.tsv:{}", i + 1)),
        }
    }
    kb
}

/// One generated Debian index file (`xtask/src/kb.rs` writes them). With `base`, the file lists
/// only what differs from the base suite: a package it does not list has the base's row, `=`
/// stands for the base's dependency lists, and the `@gone` line names the base's packages this
/// suite does not have.
fn parse_debian(
    text: &str,
    file: &str,
    base: Option<&BTreeMap<String, DebPackage>>,
    bad: &mut Vec<String>,
) -> BTreeMap<String, DebPackage> {
    let mut index = base.cloned().unwrap_or_default();
    for (i, line) in data_lines(text) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.first() == Some(&"@gone") && base.is_some() {
            for name in f.get(1).unwrap_or(&"").split_whitespace() {
                index.remove(name);
            }
            continue;
        }
        let (Some(name), Some(kib)) = (f.first(), f.get(1).and_then(|k| k.parse::<u64>().ok()))
        else {
            bad.push(format!("{file}:{}", i + 1));
            continue;
        };
        let package = if f.get(2) == Some(&"=") {
            let Some(same) = base.and_then(|b| b.get(*name)) else {
                bad.push(format!("{file}:{}", i + 1));
                continue;
            };
            DebPackage {
                installed_kib: kib,
                ..same.clone()
            }
        } else {
            DebPackage {
                installed_kib: kib,
                depends: split_groups(f.get(2).unwrap_or(&"")),
                recommends: split_groups(f.get(3).unwrap_or(&"")),
            }
        };
        index.insert(name.to_string(), package);
    }
    index
}

fn parse_base(line: &str) -> Option<BaseImage> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 18 {
        return None;
    }
    let json = |text: &str| -> Option<Option<Vec<String>>> {
        match opt(text) {
            None => Some(None),
            Some(t) => parse_json_array(&t).map(Some),
        }
    };
    let env = opt(f[13])
        .map(|e| {
            e.split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let files = opt(f[15])
        .map(|e| {
            e.split(',')
                .filter_map(|kv| kv.split_once('='))
                .filter_map(|(k, v)| Some((k.to_string(), mb(v)?)))
                .collect()
        })
        .unwrap_or_default();
    Some(BaseImage {
        name: f[0].to_string(),
        aliases: opt(f[1])
            .map(|a| a.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        bytes: mb(f[2])?,
        low_bytes: mb(f[3])?,
        high_bytes: mb(f[4])?,
        os: f[5].to_string(),
        libc: f[6].to_string(),
        shell: f[7].to_string(),
        package_manager: f[8].to_string(),
        user: f[9].to_string(),
        workdir: opt(f[10]),
        entrypoint: json(f[11])?,
        cmd: json(f[12])?,
        env,
        packages: opt(f[14]),
        files,
        build_tools: opt(f[16])
            .map(|t| t.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        source: f[17].to_string(),
    })
}

/// The installed package sets (Debian, Alpine) of a base image, as [`base_packages`] gives
/// them. Computed once per package spec and kept: the answer depends only on the compiled-in
/// knowledge base, so a file with a thousand `FROM python:3.12-slim` pays the Depends closure
/// once (the number of specs is bounded by the knowledge base).
pub fn base_package_sets(base: &BaseImage) -> PackageSets {
    static CACHE: OnceLock<Mutex<HashMap<String, PackageSets>>> = OnceLock::new();
    let key = base.packages.clone().unwrap_or_default();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((debs, apks)) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return (Arc::clone(debs), Arc::clone(apks));
    }
    let (debs, apks) = base_packages(base);
    let sets: PackageSets = (
        Arc::new(debs.into_iter().collect()),
        Arc::new(apks.into_iter().collect()),
    );
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, (Arc::clone(&sets.0), Arc::clone(&sets.1)));
    sets
}

/// Installed Debian and Alpine package names, shared (copied on the first change).
pub type PackageSets = (Arc<BTreeSet<String>>, Arc<BTreeSet<String>>);

/// The installed package set of a base image: its list reference expanded (Debian: plus the
/// Depends closure of the added packages).
pub fn base_packages(base: &BaseImage) -> (Vec<String>, Vec<String>) {
    let kb = kb();
    let mut debs = Vec::new();
    let mut apks = Vec::new();
    let Some(spec) = base.packages.as_deref() else {
        return (debs, apks);
    };
    let (list, extra) = match spec.split_once('+') {
        Some((l, e)) => (l, Some(e)),
        None => (spec, None),
    };
    let suite = list
        .strip_prefix("@debian-")
        .and_then(|l| l.strip_suffix("-slim"))
        .and_then(Suite::from_codename);
    if let Some(suite) = suite {
        debs.extend(kb.debian_slim_packages(suite).iter().cloned());
        if let Some(extra) = extra {
            let mut installed: std::collections::BTreeSet<String> = debs.iter().cloned().collect();
            let wanted: Vec<String> = extra.split_whitespace().map(str::to_string).collect();
            let (new, _) = deb_closure_in(suite, &wanted, false, &installed);
            installed.extend(new);
            debs = installed.into_iter().collect();
        }
    } else if list == "@alpine-3.22" {
        apks.extend(ALPINE_322_PACKAGES.iter().map(|s| s.to_string()));
    }
    (debs, apks)
}

/// [`deb_closure`] answers remembered for one estimate run, keyed by the installed set's
/// address: every set used as a key is kept alive here, so its contents can no longer change
/// (`Arc::make_mut` copies a shared set) and the address cannot be reused. A thousand stages
/// installing the same packages on the same base pay the closure once.
#[derive(Default)]
pub struct ClosureMemo {
    answers: RefCell<HashMap<ClosureKey, Closure>>,
    keep: RefCell<Vec<Arc<BTreeSet<String>>>>,
}

type ClosureKey = (usize, Vec<String>, bool, Suite);

/// A [`deb_closure`] answer: (new packages in install order, names not in the index).
pub type Closure = Rc<(Vec<String>, Vec<String>)>;

impl ClosureMemo {
    /// [`deb_closure`] in Debian bookworm's index.
    pub fn deb_closure(
        &self,
        wanted: &[String],
        recommends: bool,
        installed: &Arc<BTreeSet<String>>,
    ) -> Closure {
        self.deb_closure_in(Suite::Bookworm, wanted, recommends, installed)
    }

    /// [`deb_closure_in`], remembered.
    pub fn deb_closure_in(
        &self,
        suite: Suite,
        wanted: &[String],
        recommends: bool,
        installed: &Arc<BTreeSet<String>>,
    ) -> Closure {
        let key = (
            Arc::as_ptr(installed) as usize,
            wanted.to_vec(),
            recommends,
            suite,
        );
        if let Some(hit) = self.answers.borrow().get(&key) {
            return Rc::clone(hit);
        }
        let answer = Rc::new(deb_closure_in(suite, wanted, recommends, installed));
        self.keep.borrow_mut().push(Arc::clone(installed));
        self.answers.borrow_mut().insert(key, Rc::clone(&answer));
        answer
    }
}

/// The packages apt would newly install for `wanted` given `installed`: Depends and Pre-Depends
/// (and Recommends when `recommends`), first alternative unless one is already installed.
/// Returns (new packages in install order, names not in the index).
pub fn deb_closure(
    wanted: &[String],
    recommends: bool,
    installed: &std::collections::BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    deb_closure_in(Suite::Bookworm, wanted, recommends, installed)
}

/// [`deb_closure`] in the index of `suite`.
pub fn deb_closure_in(
    suite: Suite,
    wanted: &[String],
    recommends: bool,
    installed: &std::collections::BTreeSet<String>,
) -> (Vec<String>, Vec<String>) {
    let index = kb().debian_index(suite);
    // Installed or newly added (the installed set is not copied: it can be large).
    let mut added: std::collections::HashSet<String> = std::collections::HashSet::new();
    let seen = |added: &std::collections::HashSet<String>, n: &str| {
        installed.contains(n) || added.contains(n)
    };
    let mut new = Vec::new();
    let mut missing = Vec::new();
    let mut queue: std::collections::VecDeque<String> = wanted.iter().cloned().collect();
    while let Some(name) = queue.pop_front() {
        if seen(&added, &name) {
            continue;
        }
        let Some(pkg) = index.get(&name) else {
            if !missing.contains(&name) {
                missing.push(name);
            }
            continue;
        };
        added.insert(name.clone());
        new.push(name);
        let groups = pkg.depends.iter().chain(if recommends {
            pkg.recommends.iter()
        } else {
            [].iter()
        });
        for group in groups {
            if group.iter().any(|alt| seen(&added, alt)) {
                continue;
            }
            if let Some(first) = group
                .iter()
                .find(|alt| index.contains_key(*alt))
                .or(group.first())
            {
                queue.push_back(first.clone());
            }
        }
    }
    (new, missing)
}
