//! Python installers: `pip`, `python -m venv`, `uv` and `poetry`: where packages go (site-packages,
//! a virtualenv, `--target`) and their sizes, measured where the knowledge base has them.

use super::{flag_value, Ctx};
use crate::estimate::context::{self, deps};
use crate::estimate::kb::{self, kb};
use crate::estimate::size::Size;
use crate::estimate::state::{Kind, State};
use crate::estimate::EstimateOptions;
use crate::syntax::shell::{has_flag, operand_texts, value_options};
use std::collections::BTreeSet;

/// Python version directory from the base's env (`PYTHON_VERSION=3.12.13` → `python3.12`).
fn python_dir(st: &State) -> String {
    let v = st.var("PYTHON_VERSION").unwrap_or_else(|| "3".into());
    let mm: Vec<&str> = v.split('.').take(2).collect();
    format!("python{}", mm.join("."))
}

/// Where `pip install` puts packages: `--target`, `--prefix`, `--user`, an active venv, or the system.
/// The name of the zero-size entries that stand for a package's commands in a `bin` folder
/// (`/usr/local/bin/[commands] gunicorn`): the package's name, or `-r FILE` when the
/// requirements are not known.
pub const SCRIPTS_MARK: &str = "[commands]";

fn site_packages(args: &[String], st: &State) -> String {
    let py = python_dir(st);
    if let Some(t) = flag_value(args, &["--target", "-t"]) {
        return st.abs(&t);
    }
    if let Some(p) = flag_value(args, &["--prefix"]) {
        return format!(
            "{}/lib/{py}/site-packages",
            st.abs(&p).trim_end_matches('/')
        );
    }
    if has_flag(args, &["--user"]) {
        return format!("/root/.local/lib/{py}/site-packages");
    }
    let path = st.var("PATH").unwrap_or_default();
    for venv in st
        .venvs
        .iter()
        .chain(std::iter::once(&st.var("VIRTUAL_ENV").unwrap_or_default()))
    {
        if !venv.is_empty() && path.split(':').any(|p| p == format!("{venv}/bin")) {
            return format!("{venv}/lib/{py}/site-packages");
        }
    }
    if st.var("PYTHON_VERSION").is_some() {
        format!("/usr/local/lib/{py}/site-packages")
    } else {
        "/usr/lib/python3/dist-packages".into()
    }
}

/// Fallback for a distribution the PyPI table has not measured: the median of the measured
/// rows is about 4.5 MB without `.pyc`, 6 MB with; most libraries are smaller.
fn unmeasured(compile: bool) -> Size {
    if compile {
        Size::mb(6.0, 0.3, 80.0)
    } else {
        Size::mb(4.5, 0.2, 60.0)
    }
}

/// The margin on a measured closure: the measurement's versions may not be the ones installed
/// (±15%), and compiled wheels for another Python or for musl differ by a few percent.
const MEASURED_MARGIN: f64 = 0.15;

/// What installing `names` adds, from the PyPI table (`data/pypi/sizes.tsv`, each distribution
/// measured alone with its dependencies): one entry per requirement holding what it brings that
/// an earlier one did not (a shared dependency counts once), a fallback entry per name not
/// measured. Returns (installed total, wheel bytes of the measured distributions, measured
/// requirement names, fallback names).
///
/// `pins` are the exact versions asked for (a size measured at another release series gets a
/// wide range). With `complete` (a lock file, or requirements that pin every distribution they
/// install) a dependency the table names but `names` does not list is not installed: the table
/// measured other versions, whose dependencies may differ (pytest 9 needs pygments, 8 did not).
#[allow(clippy::too_many_arguments)]
fn install_measured(
    names: &[String],
    pins: &[(String, String)],
    complete: bool,
    compile: bool,
    dest: &str,
    label: &str,
    st: &mut State,
    cx: &mut Ctx,
) -> (Size, u64, Vec<String>, Vec<String>) {
    let kb = kb();
    let mut total = Size::ZERO;
    let mut wheels = 0u64;
    let mut measured = Vec::new();
    let mut fallback = Vec::new();
    let mut counted: BTreeSet<String> = Default::default();
    let listed: BTreeSet<String> = names.iter().map(|n| kb::normalize_pypi(n)).collect();
    let mut other = Vec::new();
    for name in names {
        let (mut found, mut missing) = kb.pypi_closure_set(&[name.as_str()]);
        if complete {
            found.retain(|n| listed.contains(n));
            missing.retain(|n| listed.contains(n));
        }
        let new: Vec<&String> = found.iter().filter(|n| !counted.contains(*n)).collect();
        let (mut bytes, mut wheel) = (0u64, 0u64);
        for n in &new {
            if let Some(p) = kb.pypi_measured().get(*n) {
                bytes += if compile {
                    p.installed_pyc
                } else {
                    p.installed_nopyc
                };
                wheel += p.wheel_bytes;
            }
        }
        let key = kb::normalize_pypi(name);
        if missing.contains(&key) {
            let s = unmeasured(compile);
            total += s;
            cx.add(
                st,
                &format!("{dest}/[pip] {name}"),
                s,
                format!("{label}: {name} (not measured: fallback size)"),
                Kind::Python(name.clone()),
            );
            fallback.push(name.clone());
            continue;
        }
        counted.extend(found.iter().cloned());
        let version = kb
            .pypi_measured()
            .get(key.split('[').next().unwrap_or(&key))
            .map(|p| p.version.clone())
            .unwrap_or_default();
        let pinned = pins
            .iter()
            .find(|(n, _)| kb::normalize_pypi(n) == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| kb::other_series(v, &version));
        let s = match pinned {
            Some(_) => Size::rel(bytes, kb::OTHER_SERIES_DOWN, kb::OTHER_SERIES_UP),
            None => Size::rel(bytes, MEASURED_MARGIN, MEASURED_MARGIN),
        };
        total += s;
        wheels += wheel;
        cx.add(
            st,
            &format!("{dest}/[pip] {name}"),
            s,
            format!(
                "{label}: {name} {version} and {} more distribution{} (measured, {}){}",
                new.len().saturating_sub(1),
                if new.len() == 2 { "" } else { "s" },
                if compile { "with .pyc" } else { "no .pyc" },
                pinned.map_or(String::new(), |p| format!(
                    "; {p} is asked for, another release series than the one measured: ×0.5–×2"
                ))
            ),
            Kind::Python(name.clone()),
        );
        if let Some(p) = pinned {
            other.push(format!("{name}=={p} (measured {version})"));
        }
        measured.push(name.clone());
        // Dependencies the table names but did not measure (rare): a fallback each.
        for m in missing.iter().filter(|m| **m != key) {
            let s = unmeasured(compile);
            total += s;
            cx.add(
                st,
                &format!("{dest}/[pip] {m}"),
                s,
                format!("{label}: {m}, a dependency of {name} (not measured: fallback size)"),
                Kind::Python(m.clone()),
            );
            fallback.push(m.clone());
        }
    }
    if let Some(note) = kb::other_series_note(&other) {
        cx.reasons.push(format!("{label}: {note}"));
    }
    (total, wheels, measured, fallback)
}

/// Whether requirements pin every distribution they install, as `pip freeze` and pip-compile
/// write them: each one pinned with `==`, and some listed distribution's dependencies (by the
/// PyPI table) listed too. A hand-written `flask==3.0.3` alone lists none of Flask's.
fn pins_every_distribution(names: &[String], pins: &[(String, String)]) -> bool {
    let listed: BTreeSet<String> = names.iter().map(|n| kb::normalize_pypi(n)).collect();
    let pinned: BTreeSet<String> = pins.iter().map(|(n, _)| kb::normalize_pypi(n)).collect();
    !listed.is_empty()
        && listed.is_subset(&pinned)
        && listed.iter().any(|n| {
            kb().pypi_measured()
                .get(n)
                .is_some_and(|p| p.deps.iter().any(|d| listed.contains(d)))
        })
}

/// The requirement names of a requirements file in the context (and of the files it
/// includes with `-r`, when given), the lines that cannot be sized, and whether the file was
/// given at all.
fn requirements_from_context(path: &str, opts: &EstimateOptions) -> Option<deps::Requirements> {
    let mut out = deps::Requirements::default();
    let mut queue = vec![path.to_string()];
    let mut seen = Vec::new();
    while let Some(p) = queue.pop() {
        if seen.contains(&p) || seen.len() > 32 {
            continue;
        }
        seen.push(p.clone());
        let Some(f) = context::find_file(opts, &p) else {
            if p == path {
                return None;
            }
            out.not_sized.push(format!("-r {p} (not given)"));
            continue;
        };
        let r = deps::requirements_txt(&f.content);
        out.names.extend(r.names);
        out.pins.extend(r.pins);
        out.not_sized.extend(r.not_sized);
        // `-r` paths are relative to the including file.
        let dir = f.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        for inc in r.includes {
            queue.push(if dir.is_empty() {
                inc
            } else {
                format!("{dir}/{inc}")
            });
        }
    }
    Some(out)
}

pub(super) fn pip(args: &[String], st: &mut State, cx: &mut Ctx, from_uv: bool) {
    if args.first().map(String::as_str) != Some("install") {
        // Read-only subcommands (`pip list`, `pip freeze > reqs.txt` writes only its redirect).
        if args.first().is_some_and(|a| {
            matches!(
                a.as_str(),
                "uninstall"
                    | "list"
                    | "freeze"
                    | "show"
                    | "check"
                    | "debug"
                    | "help"
                    | "inspect"
                    | "--version"
                    | "-V"
                    | "--help"
                    | "-h"
            )
        }) {
            return;
        }
        cx.unknown.push(format!("pip {}", args.join(" ")));
        return;
    }
    let compile = if from_uv {
        has_flag(args, &["--compile-bytecode", "--compile"])
            || st.var("UV_COMPILE_BYTECODE").is_some_and(|v| v == "1")
    } else {
        !has_flag(args, &["--no-compile"])
    };
    let dest = site_packages(args, st);
    let mut reqs: Vec<String> = Vec::new();
    let mut pins: Vec<(String, String)> = Vec::new();
    let mut local: Vec<String> = Vec::new();
    let mut unknown_files = Vec::new();
    let mut from_files = Vec::new();
    let mut add_file = |file: &str,
                        reqs: &mut Vec<String>,
                        pins: &mut Vec<(String, String)>,
                        local: &mut Vec<String>,
                        unknown: &mut Vec<String>| {
        match requirements_from_context(file, cx.opts) {
            Some(r) => {
                reqs.extend(r.names);
                pins.extend(r.pins);
                local.extend(r.not_sized);
                from_files.push(file.to_string());
            }
            None => unknown.push(file.to_string()),
        }
    };
    let mut it = args.iter().skip(1).peekable();
    while let Some(a) = it.next() {
        if a == "-r" || a == "--requirement" || a == "-c" || a == "--constraint" {
            if let Some(file) = it.next() {
                if a == "-r" || a == "--requirement" {
                    add_file(file, &mut reqs, &mut pins, &mut local, &mut unknown_files);
                }
            }
        } else if let Some(file) = a
            .strip_prefix("--requirement=")
            .or_else(|| a.strip_prefix("-r"))
            .filter(|f| !f.is_empty() && a.starts_with("-r") || a.starts_with("--requirement="))
        {
            add_file(file, &mut reqs, &mut pins, &mut local, &mut unknown_files);
        } else if a.starts_with('-') {
            if [
                "--target",
                "-t",
                "--prefix",
                "--index-url",
                "-i",
                "--extra-index-url",
                "--root",
                "--python",
                "-f",
                "--find-links",
            ]
            .contains(&a.as_str())
            {
                it.next();
            }
        } else {
            match deps::requirement_name(a) {
                Some(n) => {
                    if let Some(v) = deps::requirement_pin(a) {
                        pins.push((n.clone(), v));
                    }
                    reqs.push(n)
                }
                None => local.push(a.clone()),
            }
        }
    }
    let mut total = Size::ZERO;
    for r in &local {
        let s = Size::mb(1.0, 0.01, 50.0);
        total += s;
        cx.add(
            st,
            &format!("{dest}/[pip] {r}"),
            s,
            format!("pip: {r} (a local project or URL: fallback size)"),
            Kind::Python(r.clone()),
        );
    }
    let label = if from_uv { "uv pip" } else { "pip" };
    let complete = local.is_empty() && pins_every_distribution(&reqs, &pins);
    let (installed, wheels, measured, guessed) =
        install_measured(&reqs, &pins, complete, compile, &dest, label, st, cx);
    total += installed;
    for f in &unknown_files {
        let s = if compile {
            Size::mb(40.0, 3.0, 600.0)
        } else {
            Size::mb(30.0, 2.0, 450.0)
        };
        total += s;
        cx.add(
            st,
            &format!("{dest}/[pip] -r {f}"),
            s,
            format!("pip: requirements in {f} (content not given: fallback range)"),
            Kind::Python(f.clone()),
        );
    }
    // Where the packages' commands go (console scripts, which no size counts): `bin` beside
    // `lib/pythonX.Y/site-packages` (a prefix, a virtualenv, the system), or `bin` inside a
    // `--target` folder. Zero-size entries, so a later COPY carries them where the folder goes
    // and the runtime check knows which commands are on PATH.
    let scripts = match dest.find("/lib/python") {
        Some(at) if dest.ends_with("-packages") => format!("{}/bin", &dest[..at]),
        _ if dest == "/usr/lib/python3/dist-packages" => "/usr/local/bin".to_string(),
        _ => format!("{dest}/bin"),
    };
    let names: Vec<String> = reqs
        .iter()
        .filter(|r| {
            !(*r == "." || r.starts_with("./") || r.starts_with('/') || r.ends_with(".whl"))
        })
        .cloned()
        .chain(unknown_files.iter().map(|f| format!("-r {f}")))
        .collect();
    for name in names {
        cx.add(
            st,
            &format!("{scripts}/{SCRIPTS_MARK} {name}"),
            Size::ZERO,
            format!("pip: the commands of {name}"),
            Kind::Python(name.clone()),
        );
    }
    let cache_path = if from_uv {
        "/root/.cache/uv"
    } else {
        "/root/.cache/pip"
    };
    let no_cache = if from_uv {
        has_flag(args, &["--no-cache", "-n"]) || st.var("UV_NO_CACHE").is_some()
    } else {
        has_flag(args, &["--no-cache-dir"])
            || st
                .var("PIP_NO_CACHE_DIR")
                .is_some_and(|v| v != "0" && v != "false")
    };
    let mounted = st.is_cache_mounted(cache_path, cx.line);
    if !no_cache && !mounted && !total.is_zero() {
        // The cache holds the wheels: measured for the table's distributions; for the others,
        // installed ≈ 3.3× wheel bytes without .pyc, 4.2× with (medians of groundtruth/pip.tsv).
        let measured_wheels = Size::rel(wheels, MEASURED_MARGIN, MEASURED_MARGIN);
        let rest = Size::new(
            total.bytes.saturating_sub(installed.bytes),
            total.low.saturating_sub(installed.low),
            total.high.saturating_sub(installed.high),
        );
        let guessed_wheels = rest.scale(if compile { 1.0 / 4.2 } else { 1.0 / 3.3 });
        cx.add(
            st,
            cache_path,
            measured_wheels + guessed_wheels,
            format!(
                "{} cache (no --no-cache-dir): the wheels{}",
                if from_uv { "uv" } else { "pip" },
                if rest.is_zero() {
                    " (measured)"
                } else {
                    " (partly a fallback ratio of the installed size)"
                }
            ),
            Kind::Cache(if from_uv { "uv".into() } else { "pip".into() }),
        );
    }
    let mut reason = format!(
        "{} install → {dest}",
        if from_uv { "uv pip" } else { "pip" }
    );
    if !from_files.is_empty() {
        reason.push_str(&format!("; requirements from {}", from_files.join(" ")));
    }
    if !measured.is_empty() {
        reason.push_str(&format!(
            "; measured (data/pypi/sizes.tsv, ±15% for other versions): {}",
            measured.join(" ")
        ));
    }
    if complete {
        reason.push_str(
            "; every distribution pinned (a freeze): only the listed ones counted, not other versions' dependencies",
        );
    }
    if !guessed.is_empty() {
        reason.push_str(&format!(
            "; not measured (fallback 4.5–6 MB each): {}",
            guessed.join(" ")
        ));
    }
    if !local.is_empty() {
        reason.push_str(&format!("; fallback for {}", local.join(" ")));
    }
    if !unknown_files.is_empty() {
        reason.push_str(&format!(
            "; {} content unknown: fallback range (give the file to narrow it)",
            unknown_files.join(" ")
        ));
    }
    if measured.iter().any(|_| true)
        && st
            .base
            .as_ref()
            .and_then(|r| r.base)
            .is_some_and(|b| b.is_alpine())
    {
        reason.push_str("; measured with manylinux wheels: musllinux ones differ by a few %");
    }
    if compile {
        reason.push_str("; .pyc compiled at install (PYTHONDONTWRITEBYTECODE does not stop pip; --no-compile does)");
    }
    if !no_cache && !mounted {
        reason.push_str("; pip cache kept: add --no-cache-dir");
    }
    cx.reasons.push(reason);
}

/// Who made a virtualenv: each seeds it with other packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VenvMaker {
    /// `python -m venv`: ensurepip's bundled wheels, compiled.
    Ensurepip,
    /// `virtualenv` (the package): its embedded wheels, not compiled.
    Virtualenv,
    /// Poetry's own environments (`virtualenvs.create`): virtualenv with pip only.
    Poetry,
}

/// The packages a new virtualenv holds. Measured here on CPython 3.11.7 (the files' bytes):
/// - `python3.11 -m venv` (pip 23.2.1 + setuptools 65.5.0, ensurepip compiles them): 22.34 MB,
///   of which pip 14.30 MB and setuptools + pkg_resources + _distutils_hack 8.03 MB (the rest:
///   activate scripts, pyvenv.cfg; the interpreter is a symlink). Python 3.12+ bundles pip only.
/// - `virtualenv` 21.15.14 (pip 26.3 + setuptools 84.2.1, not compiled): 9.27 MB; it seeds
///   setuptools only below Python 3.12.
/// - Poetry 2.5.1's in-project environment (pip 26.3, not compiled): 6.25 MB.
///
/// The ranges (±20%) cover the pip releases other versions bundle.
fn venv_seed(st: &State, maker: VenvMaker, without_pip: bool) -> (Size, &'static str) {
    if without_pip {
        return (Size::mb(0.1, 0.05, 1.0), "a virtualenv without pip");
    }
    let minor = st
        .var("PYTHON_VERSION")
        .and_then(|v| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()));
    let (pip_only, with_setuptools) = match maker {
        VenvMaker::Ensurepip => (
            (14.3, "python -m venv: its own pip (ensurepip, .pyc compiled)"),
            (22.3, "python -m venv: its own pip and setuptools (ensurepip, .pyc compiled; Python 3.12+ leaves setuptools out)"),
        ),
        VenvMaker::Virtualenv => (
            (6.25, "virtualenv: its own pip (no .pyc)"),
            (9.27, "virtualenv: its own pip and setuptools (no .pyc; Python 3.12+ leaves setuptools out)"),
        ),
        VenvMaker::Poetry => {
            let why = "Poetry's virtualenv: its own pip (no .pyc)";
            ((6.25, why), (6.25, why))
        }
    };
    let range = |mb: f64, low: f64| Size::mb(mb, low * 0.8, mb * 1.2);
    match minor {
        Some(m) if m >= 12 => (range(pip_only.0, pip_only.0), pip_only.1),
        Some(_) => (
            range(with_setuptools.0, with_setuptools.0),
            with_setuptools.1,
        ),
        // The Python version is not known: either.
        None => (range(with_setuptools.0, pip_only.0), with_setuptools.1),
    }
}

pub(super) fn venv(args: &[String], st: &mut State, cx: &mut Ctx, maker: VenvMaker) {
    if let Some(dir) = operand_texts(args, value_options("venv")).first() {
        let p = st.abs(dir);
        let bare = has_flag(args, &["--without-pip", "--no-pip", "--no-seed"]);
        let (s, why) = venv_seed(st, maker, bare);
        cx.add(st, &p, s, why.into(), Kind::Python("venv".into()));
        st.venvs.push(p);
        cx.reasons.push(why.into());
    }
}

/// Where `poetry install` puts packages: the active or system environment when
/// `virtualenvs.create` is false, `.venv` in the project with `virtualenvs.in-project`, and
/// otherwise a virtualenv under Poetry's cache directory.
pub(super) fn poetry_environment(st: &State) -> (String, bool) {
    // The environment variable wins over the config file, as in Poetry.
    let get = |name: &str| {
        st.var(name).or_else(|| {
            st.settings
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    };
    let is_false = |v: Option<String>| v.is_some_and(|v| v.eq_ignore_ascii_case("false"));
    let is_true = |v: Option<String>| v.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if is_false(get("POETRY_VIRTUALENVS_CREATE")) {
        return (site_packages(&[], st), false);
    }
    if is_true(get("POETRY_VIRTUALENVS_IN_PROJECT")) {
        return (st.abs(".venv"), true);
    }
    let cache = st
        .var("POETRY_CACHE_DIR")
        .map(|v| st.abs(&v))
        .unwrap_or_else(|| "/root/.cache/pypoetry".into());
    (format!("{cache}/virtualenvs"), true)
}

/// `env`: where the packages go and whether it is a virtualenv Stageplay should track
/// (`None`: uv's project environment).
pub(super) fn unknown_python(
    args: &[String],
    st: &mut State,
    cx: &mut Ctx,
    what: &str,
    cache: &str,
    env: Option<(String, bool)>,
) {
    let compile = st.var("UV_COMPILE_BYTECODE").is_some_and(|v| v == "1");
    let (venv, is_venv) = env.unwrap_or_else(|| {
        let venv = st
            .var("UV_PROJECT_ENVIRONMENT")
            .map(|v| st.abs(&v))
            .unwrap_or_else(|| st.abs(".venv"));
        (venv, true)
    });
    // The lock file names the exact set; pyproject.toml the requirements (their closure).
    let lock_name = if what.starts_with("uv") {
        "uv.lock"
    } else {
        "poetry.lock"
    };
    let no_dev = st.var("POETRY_WITHOUT").is_some_and(|v| v.contains("dev"))
        || args.iter().any(|a| {
            matches!(a.as_str(), "--no-dev" | "--only=main" | "--without=dev")
                || a.starts_with("--only-group")
        })
        || args.windows(2).any(|w| {
            (w[0] == "--without" && w[1].contains("dev")) || (w[0] == "--only" && w[1] == "main")
        });
    let mut pins: Vec<(String, String)> = Vec::new();
    let mut locked = false;
    let (reqs, source): (Vec<String>, String) =
        if let Some(f) = context::find_file(cx.opts, lock_name) {
            let pkgs = deps::toml_lock_packages(&f.content);
            locked = true;
            (
                pkgs.into_iter()
                    .filter(|d| !(no_dev && d.dev))
                    .map(|d| {
                        pins.push((d.name.clone(), d.version));
                        d.name
                    })
                    .collect(),
                format!("the packages {lock_name} locks"),
            )
        } else if let Some(f) = context::find_file(cx.opts, "pyproject.toml") {
            (
                deps::pyproject(&f.content)
                    .into_iter()
                    .filter(|d| !(no_dev && d.dev))
                    .map(|d| d.name)
                    .collect(),
                "pyproject.toml's dependencies and theirs".to_string(),
            )
        } else {
            (Vec::new(), String::new())
        };
    let mut total = Size::ZERO;
    let mut wheels = 0;
    if reqs.is_empty() {
        let s = if compile {
            Size::mb(40.0, 3.0, 600.0)
        } else {
            Size::mb(30.0, 2.0, 450.0)
        };
        cx.add(
            st,
            &venv,
            s,
            format!("{what}: locked dependencies (lock file not given: fallback range)"),
            Kind::Python(what.into()),
        );
        total += s;
    } else {
        let (t, w, _, guessed) =
            install_measured(&reqs, &pins, locked, compile, &venv, what, st, cx);
        total += t;
        wheels = w;
        cx.reasons.push(format!(
            "{what}: {source} ({} measured in data/pypi/sizes.tsv{})",
            reqs.len() - guessed.len(),
            if guessed.is_empty() {
                String::new()
            } else {
                format!("; fallback for {}", guessed.join(" "))
            }
        ));
    }
    if is_venv && !st.venvs.contains(&venv) {
        // A virtualenv this install creates (not one an earlier `python -m venv` made): Poetry
        // seeds its own with pip; `uv sync` seeds none.
        if what.starts_with("poetry") {
            let (s, why) = venv_seed(st, VenvMaker::Poetry, false);
            cx.add(st, &venv, s, why.into(), Kind::Python("venv".into()));
        }
        st.venvs.push(venv.clone());
    }
    let mounted = st.is_cache_mounted(cache, cx.line);
    if !mounted && st.var("UV_NO_CACHE").is_none() {
        let size = if wheels > 0 {
            Size::rel(wheels, MEASURED_MARGIN, MEASURED_MARGIN)
        } else {
            total.scale(1.0 / 3.3)
        };
        cx.add(
            st,
            cache,
            size,
            format!(
                "{what} cache ({})",
                if wheels > 0 {
                    "the measured wheels"
                } else {
                    "fallback: installed size / 3.3"
                }
            ),
            Kind::Cache(what.into()),
        );
    }
    cx.reasons.push(format!(
        "{what} → {venv}{}",
        if mounted {
            " (cache on a cache mount: not in the layer)"
        } else {
            ""
        }
    ));
}

pub(super) fn uv(args: &[String], st: &mut State, cx: &mut Ctx) {
    match args.first().map(String::as_str) {
        Some("pip") => {
            let rest: Vec<String> = args.iter().skip(1).cloned().collect();
            pip(&rest, st, cx, true)
        }
        Some("sync") | Some("install") => {
            unknown_python(args, st, cx, "uv sync", "/root/.cache/uv", None)
        }
        Some("venv") => {
            let dir = operand_texts(args, value_options("uv"))
                .get(1)
                .map_or_else(|| ".venv".to_string(), |d| d.to_string());
            let p = st.abs(&dir);
            // `--seed` installs pip (and setuptools before Python 3.12) as virtualenv does.
            let (size, why) = if has_flag(args, &["--seed"]) {
                (
                    venv_seed(st, VenvMaker::Virtualenv, false).0,
                    "uv venv --seed: pip (and setuptools before Python 3.12), no .pyc",
                )
            } else {
                (Size::mb(0.1, 0.05, 1.0), "uv venv")
            };
            cx.add(st, &p, size, why.into(), Kind::Python("venv".into()));
            st.venvs.push(p);
        }
        _ => cx.unknown.push(format!("uv {}", args.join(" "))),
    }
}
