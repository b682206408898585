//! The knowledge base: base images, Debian (bookworm and trixie) and Alpine packages, PyPI and npm
//! packages measured alone with their dependencies, toolchain and build-output sizes, and how
//! suite-less tags moved between Debian releases. (The shared measurements of whole installs,
//! `data/groundtruth/pip.tsv` and `npm.tsv`, are test data: the tests compare the tables with them.)
//!
//! Data lives in `crates/stageplay/data/` as compact TSV files with their sources in comments; it is
//! compiled in with `include_str!` and parsed once, at first use. Parsing is tolerant: a malformed line
//! is skipped and counted in [`Kb::bad_lines`] (the validation test asserts it stays zero).
//!
//! The package tables (Debian indexes, measured npm and PyPI packages: [`tables`]) are the largest
//! part and only the image estimate and the refactors' checks read them, so they are parsed on
//! their own, when first read; with the `external-tables` feature (the web app) they are not
//! compiled in at all, and the embedder hands their text over with [`tables::provide`].

mod closure;
mod parse;
pub mod programs;
pub mod tables;

pub use closure::{
    base_package_sets, base_packages, deb_closure_in, Closure, ClosureMemo, PackageSets,
};
use parse::parse_all;
pub use parse::parse_json_array;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

// The package tables' texts are defined in every build (tests and tools read them); with the
// `external-tables` feature nothing in the engine reads them, so they are not linked into the
// wasm (a constant nobody uses costs no bytes).
pub const BASES_TSV: &str = include_str!("../../../data/bases.tsv");
pub const DEBIAN_TSV: &str = include_str!("../../../data/debian/bookworm-packages.tsv");
pub const DEBIAN_SLIM_TSV: &str = include_str!("../../../data/groundtruth/base_slim_packages.tsv");
pub const TRIXIE_TSV: &str = include_str!("../../../data/debian/trixie-packages.tsv");
pub const TRIXIE_SLIM_TSV: &str = include_str!("../../../data/debian/trixie-slim-packages.tsv");
pub const TAG_HISTORY_TSV: &str = include_str!("../../../data/tag-history.tsv");
pub const BASE_CLASSES_TSV: &str = include_str!("../../../data/base-classes.tsv");
pub const TOOLCHAINS_TSV: &str = include_str!("../../../data/toolchains.tsv");
pub const NPM_SIZES_TSV: &str = include_str!("../../../data/npm/sizes.tsv");
pub const PYPI_SIZES_TSV: &str = include_str!("../../../data/pypi/sizes.tsv");
pub const ALPINE_TSV: &str = include_str!("../../../data/alpine/packages.tsv");

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
    /// debian:bookworm-slim's packages.
    pub debian_slim: Vec<String>,
    /// debian:trixie-slim's packages.
    pub trixie_slim: Vec<String>,
    pub tag_history: Vec<TagHistory>,
    pub tools: BTreeMap<String, ToolSize>,
    pub alpine: BTreeMap<String, ApkPackage>,
    /// Lines that could not be parsed, as `file:line` (the package tables' own are in
    /// [`tables::Tables::bad_lines`]; [`Kb::bad_lines`] gives both).
    bad_lines: Vec<String>,
}

impl Kb {
    /// Lines of any knowledge-base file that could not be parsed, as `file:line`.
    pub fn bad_lines(&self) -> Vec<String> {
        let mut all = self.bad_lines.clone();
        all.extend(tables::tables().bad_lines.iter().cloned());
        all
    }

    /// The package index of one Debian release.
    pub fn debian_index(&self, suite: Suite) -> &'static BTreeMap<String, DebPackage> {
        let t = tables::tables();
        match suite {
            Suite::Bookworm => &t.debian,
            Suite::Trixie => &t.trixie,
        }
    }

    /// Measured npm packages, each alone with its dependency names.
    pub fn npm_measured(&self) -> &'static BTreeMap<String, NpmMeasured> {
        &tables::tables().npm_measured
    }

    /// Measured PyPI distributions by normalized name (`pydantic-core`), each alone.
    pub fn pypi_measured(&self) -> &'static BTreeMap<String, PypiMeasured> {
        &tables::tables().pypi_measured
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
            match self.npm_measured().get(&name) {
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
        let (found, missing) = self.pypi_closure_set(names);
        let bytes = found
            .iter()
            .filter_map(|n| self.pypi_measured().get(n))
            .map(|p| {
                if pyc {
                    p.installed_pyc
                } else {
                    p.installed_nopyc
                }
            })
            .sum();
        (bytes, found.len(), missing)
    }

    /// The distributions `names` bring (each once, normalized names, in the order found) and
    /// the names not measured.
    pub fn pypi_closure_set(&self, names: &[&str]) -> (Vec<String>, Vec<String>) {
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        let mut queue: Vec<String> = names.iter().rev().map(|n| normalize_pypi(n)).collect();
        while let Some(name) = queue.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            match self.pypi_measured().get(&name) {
                Some(p) => {
                    found.push(name);
                    queue.extend(p.deps.iter().rev().cloned());
                }
                None => missing.push(name),
            }
        }
        (found, missing)
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
        crate::sort::sort(&mut list);
        out.push('[');
        out.push_str(&list.join(","));
        out.push(']');
    }
    out
}

/// The release series a package's size follows: its major version, or `0.MINOR` below 1.0
/// (semver's unit of breaking change). `None` when the text is not a version (`^5`, `5.7.2`,
/// `v22.1.0` are read; a range like `>=1,<3` is not).
fn release_series(version: &str) -> Option<(u64, u64)> {
    let v = version.trim().trim_start_matches(['=', 'v', '^', '~']);
    let mut parts = v.split('.');
    let number = |p: Option<&str>| -> Option<u64> {
        let digits: String = p?.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    };
    match number(parts.next())? {
        0 => Some((0, number(parts.next())?)),
        major => Some((major, 0)),
    }
}

/// Whether a pinned or locked version is of another release series than the one the table
/// measured: the measured size then says little. Measured here (installed bytes): pnpm 9.15.0
/// 17.5 MB against 12.26.0's 66.4 MB with its native binary; typescript 5.7.2 22.8 MB against
/// 7.0.2's 2.5 MB (its compiler is a separate 27.9 MB native package); gunicorn 22.0.0 0.70 MB
/// against 27.0.1's 2.16 MB (with .pyc).
pub fn other_series(pinned: &str, measured: &str) -> bool {
    match (release_series(pinned), release_series(measured)) {
        (Some(p), Some(m)) => p != m,
        _ => false,
    }
}

/// The range on a size measured at another release series than the one installed: ×0.5–×2.
/// A new major release usually moves a package's size by well under half; a change of
/// packaging (a native binary, a new dependency) moves it further, as the examples at
/// [`other_series`] do (×0.26–×9), so the range is a likely span, not a bound.
pub const OTHER_SERIES_DOWN: f64 = 0.5;
pub const OTHER_SERIES_UP: f64 = 1.0;

/// What an estimate's reason says of the packages (`name@version (measured V)`) it sized at
/// another release series than the one measured; `None` when there are none.
pub fn other_series_note(packages: &[String]) -> Option<String> {
    (!packages.is_empty()).then(|| {
        format!(
            "another release series than measured (×0.5–×2): {}{}",
            packages
                .iter()
                .take(6)
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            if packages.len() > 6 { " …" } else { "" }
        )
    })
}

/// The parsed knowledge base (parsed at first use).
pub fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(parse_all)
}
