//! Python installers: `pip`, `python -m venv`, `uv` and `poetry`: where packages go (site-packages,
//! a virtualenv, `--target`) and their sizes, measured where the knowledge base has them.

use super::{flag_value, Ctx};
use crate::estimate::kb::kb;
use crate::estimate::size::Size;
use crate::estimate::state::{Kind, State};
use crate::estimate::EstimateOptions;
use crate::syntax::shell::has_flag;

/// Python version directory from the base's env (`PYTHON_VERSION=3.12.13` → `python3.12`).
fn python_dir(st: &State) -> String {
    let v = st.var("PYTHON_VERSION").unwrap_or_else(|| "3".into());
    let mm: Vec<&str> = v.split('.').take(2).collect();
    format!("python{}", mm.join("."))
}

/// Where `pip install` puts packages: `--target`, `--prefix`, `--user`, an active venv, or the system.
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

/// Size of one pip requirement: measured where ../groundtruth/pip.tsv has it.
fn pip_requirement(req: &str, compile: bool) -> (String, Size, bool) {
    let name: String = req
        .trim()
        .split(|c: char| "=<>!~;@ ".contains(c))
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace('_', "-");
    let kb = kb();
    let base_name = name.split('[').next().unwrap_or(&name).to_string();
    let hit = kb.pip.get(&name).or_else(|| kb.pip.get(&base_name));
    match hit {
        Some(p) => {
            let b = if compile {
                p.installed_with_pyc
            } else {
                p.installed_nopyc
            };
            (name, Size::rel(b, 0.15, 0.2), true)
        }
        None => {
            // Unmeasured: median of the measured packages is ~15 MB with pyc; most libraries are smaller.
            let s = if compile {
                Size::mb(6.0, 0.3, 80.0)
            } else {
                Size::mb(4.5, 0.2, 60.0)
            };
            (name, s, false)
        }
    }
}

/// Requirements from a requirements file in the context, if the user gave its content.
fn requirements_from_context(path: &str, opts: &EstimateOptions) -> Option<Vec<String>> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let f = opts
        .context_files
        .iter()
        .find(|f| f.path == path || f.path.rsplit('/').next() == Some(file))?;
    Some(
        f.content
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty() && !l.starts_with('-'))
            .collect(),
    )
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
    let mut unknown_files = Vec::new();
    let mut it = args.iter().skip(1).peekable();
    while let Some(a) = it.next() {
        if a == "-r" || a == "--requirement" || a == "-c" || a == "--constraint" {
            if let Some(file) = it.next() {
                if a == "-r" || a == "--requirement" {
                    match requirements_from_context(file, cx.opts) {
                        Some(r) => reqs.extend(r),
                        None => unknown_files.push(file.clone()),
                    }
                }
            }
        } else if let Some(file) = a
            .strip_prefix("--requirement=")
            .or_else(|| a.strip_prefix("-r"))
            .filter(|f| !f.is_empty() && a.starts_with("-r") || a.starts_with("--requirement="))
        {
            match requirements_from_context(file, cx.opts) {
                Some(r) => reqs.extend(r),
                None => unknown_files.push(file.to_string()),
            }
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
            reqs.push(a.clone());
        }
    }
    let mut total = Size::ZERO;
    let mut measured = Vec::new();
    let mut guessed = Vec::new();
    for r in &reqs {
        if r == "." || r.starts_with("./") || r.starts_with('/') || r.ends_with(".whl") {
            let s = Size::mb(1.0, 0.01, 50.0);
            total += s;
            cx.add(
                st,
                &format!("{dest}/[pip] {r}"),
                s,
                format!("pip: local project {r}"),
                Kind::Python(r.clone()),
            );
            guessed.push(r.clone());
            continue;
        }
        let (name, size, known) = pip_requirement(r, compile);
        if name == "pip" || name == "setuptools" || name == "wheel" {
            let s = Size::mb(4.0, 0.5, 15.0);
            cx.add(
                st,
                &format!("{dest}/[pip] {name}"),
                s,
                format!("pip: {name} upgrade"),
                Kind::Python(name.clone()),
            );
            total += s;
            continue;
        }
        total += size;
        let what = if known {
            format!(
                "pip: {name} with dependencies (measured, {})",
                if compile { "with .pyc" } else { "no .pyc" }
            )
        } else {
            format!("pip: {name} (not measured: typical range)")
        };
        cx.add(
            st,
            &format!("{dest}/[pip] {name}"),
            size,
            what,
            Kind::Python(name.clone()),
        );
        if known {
            measured.push(name);
        } else {
            guessed.push(name);
        }
    }
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
            format!("pip: requirements in {f} (content not given: wide range)"),
            Kind::Python(f.clone()),
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
        // The cache holds the wheels: installed ≈ 3.3× wheel bytes without .pyc (../groundtruth/pip.tsv).
        let cache = total.scale(if compile { 1.0 / 4.2 } else { 1.0 / 3.3 });
        cx.add(
            st,
            cache_path,
            cache,
            format!(
                "{} cache (no --no-cache-dir)",
                if from_uv { "uv" } else { "pip" }
            ),
            Kind::Cache(if from_uv { "uv".into() } else { "pip".into() }),
        );
    }
    let mut reason = format!(
        "{} install → {dest}",
        if from_uv { "uv pip" } else { "pip" }
    );
    if !measured.is_empty() {
        reason.push_str(&format!("; measured: {}", measured.join(" ")));
    }
    if !guessed.is_empty() {
        reason.push_str(&format!("; not measured: {}", guessed.join(" ")));
    }
    if !unknown_files.is_empty() {
        reason.push_str(&format!(
            "; {} content unknown (paste it to narrow the range)",
            unknown_files.join(" ")
        ));
    }
    if compile {
        reason.push_str("; .pyc compiled at install (PYTHONDONTWRITEBYTECODE does not stop pip; --no-compile does)");
    }
    if !no_cache && !mounted {
        reason.push_str("; pip cache kept: add --no-cache-dir");
    }
    cx.reasons.push(reason);
}

pub(super) fn venv(args: &[String], st: &mut State, cx: &mut Ctx) {
    if let Some(dir) = args.iter().find(|a| !a.starts_with('-')) {
        let p = st.abs(dir);
        let s = if has_flag(args, &["--without-pip"]) {
            Size::mb(0.1, 0.05, 1.0)
        } else {
            Size::mb(14.0, 9.0, 20.0)
        };
        cx.add(
            st,
            &p,
            s,
            "python -m venv (with its own pip)".into(),
            Kind::Python("venv".into()),
        );
        st.venvs.push(p);
        cx.reasons.push("python venv".into());
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
    let mut reqs: Vec<String> = Vec::new();
    if let Some(f) = cx
        .opts
        .context_files
        .iter()
        .find(|f| f.path.ends_with("pyproject.toml"))
    {
        reqs = pyproject_dependencies(&f.content);
    }
    let mut total = Size::ZERO;
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
            format!("{what}: locked dependencies (lock file not given: wide range)"),
            Kind::Python(what.into()),
        );
        total += s;
    } else {
        for r in &reqs {
            let (name, size, _) = pip_requirement(r, compile);
            total += size;
            cx.add(
                st,
                &format!("{venv}/[pip] {name}"),
                size,
                format!("{what}: {name}"),
                Kind::Python(name.clone()),
            );
        }
    }
    if is_venv {
        st.venvs.push(venv.clone());
    }
    let mounted = st.is_cache_mounted(cache, cx.line);
    if !mounted && st.var("UV_NO_CACHE").is_none() {
        cx.add(
            st,
            cache,
            total.scale(1.0 / 3.3),
            format!("{what} cache"),
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

fn pyproject_dependencies(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("dependencies") && l.contains('[') {
            inside = true;
        }
        if inside {
            for part in l.split('"').skip(1).step_by(2) {
                out.push(part.to_string());
            }
            if l.contains(']') {
                inside = false;
            }
        }
    }
    out
}

pub(super) fn uv(args: &[String], st: &mut State, cx: &mut Ctx) {
    match args.first().map(String::as_str) {
        Some("pip") => {
            let rest: Vec<String> = args.iter().skip(1).cloned().collect();
            pip(&rest, st, cx, true)
        }
        Some("sync") | Some("install") => {
            unknown_python(st, cx, "uv sync", "/root/.cache/uv", None)
        }
        Some("venv") => {
            let dir = args
                .iter()
                .skip(1)
                .find(|a| !a.starts_with('-'))
                .cloned()
                .unwrap_or_else(|| ".venv".into());
            let p = st.abs(&dir);
            cx.add(
                st,
                &p,
                Size::mb(0.1, 0.05, 1.0),
                "uv venv".into(),
                Kind::Python("venv".into()),
            );
            st.venvs.push(p);
        }
        _ => cx.unknown.push(format!("uv {}", args.join(" "))),
    }
}
