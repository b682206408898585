//! The package tables: Debian bookworm's and trixie's package indexes and the npm and PyPI
//! packages measured alone. They are most of the knowledge base's bytes, and only the image
//! estimate and the refactors' checks read them, so they are parsed apart from the rest of the
//! knowledge base, when first read.
//!
//! Built with the `external-tables` feature (the web app), the engine does not compile them in:
//! the app fetches the files ([`TABLE_FILES`]) when a view first needs them and hands their text
//! to [`provide`]. Until then [`ready`] is false and [`tables`] answers empty tables (without
//! keeping them), so nothing that reads them should run before: the app waits for [`ready`]
//! before it asks for an estimate or refactors.

use super::normalize_pypi;
use super::parse::{data_lines, parse_debian};
use super::{DebPackage, NpmMeasured, PypiMeasured};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The tables' files, as paths under `crates/stageplay/data/`, in the order of [`TableTexts`]'s
/// fields. The web app serves them under the same paths in its `kb/` folder.
pub const TABLE_FILES: [&str; 4] = [
    "debian/bookworm-packages.tsv",
    "debian/trixie-packages.tsv",
    "npm/sizes.tsv",
    "pypi/sizes.tsv",
];

/// The text of each table file ([`TABLE_FILES`]).
#[derive(Debug, Clone, Default)]
pub struct TableTexts {
    pub bookworm: Cow<'static, str>,
    pub trixie: Cow<'static, str>,
    pub npm: Cow<'static, str>,
    pub pypi: Cow<'static, str>,
}

/// The parsed tables.
#[derive(Debug, Default)]
pub struct Tables {
    /// Debian bookworm's package index (the seeds' closure).
    pub debian: BTreeMap<String, DebPackage>,
    /// Debian trixie's package index (the same seeds' closure).
    pub trixie: BTreeMap<String, DebPackage>,
    /// Measured npm packages, each alone with its dependency names.
    pub npm_measured: BTreeMap<String, NpmMeasured>,
    /// Measured PyPI distributions by normalized name (`pydantic-core`), each alone.
    pub pypi_measured: BTreeMap<String, PypiMeasured>,
    /// Lines that could not be parsed, as `file:line`.
    pub bad_lines: Vec<String>,
}

static PROVIDED: OnceLock<TableTexts> = OnceLock::new();

/// Hands over the tables' text (the first call counts; later ones are ignored). Needed only with
/// the `external-tables` feature; otherwise the compiled-in text is used.
pub fn provide(texts: TableTexts) {
    let _ = PROVIDED.set(texts);
}

/// Whether the tables can be read: compiled in, or provided.
pub fn ready() -> bool {
    cfg!(not(feature = "external-tables")) || PROVIDED.get().is_some()
}

/// The compiled-in text.
#[cfg(not(feature = "external-tables"))]
fn compiled_in() -> Option<TableTexts> {
    use super::{DEBIAN_TSV, NPM_SIZES_TSV, PYPI_SIZES_TSV, TRIXIE_TSV};
    Some(TableTexts {
        bookworm: Cow::Borrowed(DEBIAN_TSV),
        trixie: Cow::Borrowed(TRIXIE_TSV),
        npm: Cow::Borrowed(NPM_SIZES_TSV),
        pypi: Cow::Borrowed(PYPI_SIZES_TSV),
    })
}

#[cfg(feature = "external-tables")]
fn compiled_in() -> Option<TableTexts> {
    None
}

/// The parsed tables (parsed on the first call once they are [`ready`]; empty before).
pub fn tables() -> &'static Tables {
    static PARSED: OnceLock<Tables> = OnceLock::new();
    static EMPTY: OnceLock<Tables> = OnceLock::new();
    if let Some(parsed) = PARSED.get() {
        return parsed;
    }
    match PROVIDED.get().cloned().or_else(compiled_in) {
        Some(texts) => PARSED.get_or_init(|| parse_tables(&texts)),
        None => EMPTY.get_or_init(Tables::default),
    }
}

/// Reads the package tables ([`super::tables`]) from their texts.
fn parse_tables(texts: &TableTexts) -> Tables {
    let mut t = Tables::default();
    t.debian = parse_debian(
        &texts.bookworm,
        "debian/bookworm-packages.tsv",
        None,
        &mut t.bad_lines,
    );
    t.trixie = parse_debian(
        &texts.trixie,
        "debian/trixie-packages.tsv",
        Some(&t.debian),
        &mut t.bad_lines,
    );
    for (i, line) in data_lines(&texts.npm) {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |idx: usize| f.get(idx).and_then(|v| v.parse::<u64>().ok());
        match (f.first(), f.get(1), num(2), f.get(3)) {
            (Some(name), Some(version), Some(bytes), Some(deps)) if f.len() == 4 => {
                let deps = if *deps == "-" {
                    Vec::new()
                } else {
                    deps.split(',').map(str::to_string).collect()
                };
                t.npm_measured.insert(
                    name.to_string(),
                    NpmMeasured {
                        version: version.to_string(),
                        bytes,
                        deps,
                    },
                );
            }
            _ => t.bad_lines.push(format!("npm/sizes.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(&texts.pypi) {
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
                t.pypi_measured.insert(
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
            _ => t.bad_lines.push(format!("pypi/sizes.tsv:{}", i + 1)),
        }
    }
    t
}
