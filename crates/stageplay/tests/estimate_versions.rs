//! What an install weighs when the project asks for versions the knowledge base did not
//! measure, or for a complete pinned set, and what each kind of virtualenv brings with it. Cases written
//! for these tests (not the lab's files): the sizes come from the engine's own tables, so the
//! tests follow the tables when they are measured again.

mod support;

use stageplay::estimate::kb::{self, kb};
use stageplay::estimate::{estimate, Estimate};
use stageplay::model::{self, ModelOptions};

fn run_with(text: &str, files: &[(&str, &str)]) -> Estimate {
    let doc = stageplay::syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    let opts = support::context_files(files);
    estimate(&doc, &m, &opts)
}

fn layer(e: &Estimate, line: u32) -> &stageplay::estimate::Layer {
    e.layers
        .iter()
        .find(|l| l.line == line)
        .unwrap_or_else(|| panic!("no layer at line {line}"))
}

fn pyc(name: &str) -> u64 {
    kb().pypi_measured()[name].installed_pyc
}

/// A version one release series below a measured one (`27.0.1` → `26.0.0`).
fn older_series(measured: &str) -> String {
    let major: u64 = measured.split('.').next().unwrap().parse().unwrap();
    assert!(
        major >= 2,
        "{measured}: the test needs a major version above 1"
    );
    format!("{}.0.0", major - 1)
}

#[test]
fn release_series_compare_majors_and_zero_minors() {
    assert!(kb::other_series("9.15.0", "12.26.0"));
    assert!(kb::other_series("0.30.1", "0.34.0"));
    assert!(!kb::other_series("^5.7.2", "5.1.0"));
    assert!(!kb::other_series("v22.1.0", "22.9.3"));
    // Not a version: no claim either way.
    assert!(!kb::other_series("latest", "1.0.0"));
    assert!(!kb::other_series("", "3.2.1"));
    assert!(!kb::other_series(">=1,<3", "4.0.0"));
}

/// `python -m venv` installs ensurepip's pip, and before Python 3.12 setuptools too, compiled:
/// a multi-stage split that copies the virtualenv carries them into the runtime image.
#[test]
fn a_virtualenv_carries_its_own_pip_and_setuptools_before_python_3_12() {
    let venv = |from: &str, flags: &str| {
        let made = run_with(
            &format!("FROM {from}\nRUN python -m venv {flags} /opt/venv\n"),
            &[],
        );
        let copied = run_with(
            &format!(
                "FROM {from} AS build\nRUN python -m venv {flags} /opt/venv\n\
                 FROM {from}\nCOPY --from=build /opt/venv /opt/venv\n"
            ),
            &[],
        );
        (layer(&made, 2).bytes, layer(&copied, 4).bytes)
    };
    let (made, copied) = venv("python:3.11-slim", "");
    assert_eq!(made, copied, "the copy brings the whole virtualenv");
    // pip alone, compiled, is more than the old 14 MB figure left for both; setuptools adds more.
    assert!(made > pyc("pip"), "{made}");
    let (pip_only, _) = venv("python:3.12-slim", "");
    assert!(
        made >= pip_only + 5_000_000,
        "3.11 {made} against 3.12 {pip_only}: setuptools is missing"
    );
    let (bare, _) = venv("python:3.11-slim", "--without-pip");
    assert!(bare < 1_000_000, "{bare}");
}

/// `virtualenv` seeds pip (and setuptools before 3.12) without compiling them, Poetry's own
/// environments pip alone; `uv venv` seeds nothing unless `--seed`. A project environment made
/// by `python -m venv` first is not seeded twice.
#[test]
fn each_virtualenv_maker_seeds_its_own_packages() {
    let first = |text: &str| {
        let e = run_with(
            &format!("FROM python:3.11-slim\nWORKDIR /app\n{text}\n"),
            &[],
        );
        layer(&e, 3).bytes
    };
    let ensurepip = first("RUN python -m venv /venv");
    let virtualenv = first("RUN virtualenv /venv");
    assert!(virtualenv < ensurepip, "{virtualenv} {ensurepip}");
    assert!(
        virtualenv > kb().pypi_measured()["pip"].installed_nopyc,
        "{virtualenv}"
    );
    assert_eq!(
        first("RUN python -m virtualenv -p python3.11 /venv"),
        virtualenv
    );
    assert!(first("RUN uv venv /venv") < 1_000_000);
    assert!(first("RUN uv venv --seed /venv") > 5_000_000);

    let lock = "[[package]]\nname = \"iniconfig\"\nversion = \"2.0.0\"\n";
    let files = [
        ("pyproject.toml", "[tool.poetry]\nname = \"x\"\n"),
        ("poetry.lock", lock),
    ];
    let poetry = |setup: &str| {
        let e = run_with(
            &format!(
                "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\n{setup}\n\
                 RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install\n"
            ),
            &files,
        );
        e.layers.last().expect("the install layer").bytes
    };
    let in_project = poetry("ENV POETRY_VIRTUALENVS_IN_PROJECT=true");
    let system = poetry("ENV POETRY_VIRTUALENVS_CREATE=false");
    let seeded = in_project - system;
    assert!(
        (5_000_000..8_000_000).contains(&seeded),
        "Poetry's own virtualenv holds pip: {seeded}"
    );
    let made_first = poetry("ENV POETRY_VIRTUALENVS_IN_PROJECT=true\nRUN python -m venv .venv");
    assert_eq!(
        made_first, system,
        "the packages only: the venv's layer holds its pip"
    );
}

/// Requirements that pin every distribution (as `pip freeze` writes them) install exactly the
/// listed set: a dependency the table's newer release needs but the file does not list is not
/// installed. A single pin written by hand still brings its dependencies.
#[test]
fn a_frozen_requirements_file_installs_only_what_it_lists() {
    let deps = &kb().pypi_measured()["pytest"].deps;
    assert!(
        deps.len() >= 2,
        "the test needs pytest's row to have dependencies"
    );
    // Leave the last dependency out of the frozen file.
    let (left_out, listed) = deps.split_last().unwrap();
    let mut frozen = String::from("pytest==8.0.0\n");
    for d in listed {
        frozen.push_str(&format!("{d}==1.0.0\n"));
    }
    let text = "FROM python:3.12-slim\nCOPY requirements.txt .\n\
                RUN pip install --no-cache-dir -r requirements.txt\n";
    let freeze = run_with(text, &[("requirements.txt", &frozen)]);
    let alone = run_with(text, &[("requirements.txt", "pytest==8.0.0\n")]);
    let (freeze, alone) = (layer(&freeze, 3), layer(&alone, 3));
    let listed_bytes: u64 = pyc("pytest") + listed.iter().map(|d| pyc(d)).sum::<u64>();
    assert_eq!(freeze.bytes, listed_bytes, "{}", freeze.reason);
    assert!(freeze.reason.contains("every distribution pinned"));
    assert!(
        alone.bytes >= listed_bytes + pyc(left_out),
        "a lone pin keeps its dependencies: {}",
        alone.reason
    );
    // A file with one unpinned line is not a freeze.
    let loose = run_with(
        text,
        &[("requirements.txt", &format!("{frozen}{left_out}\n"))],
    );
    assert!(!layer(&loose, 3)
        .reason
        .contains("every distribution pinned"));
}

/// A lock file names every package it installs: the table's dependencies of other versions
/// are not added.
#[test]
fn a_python_lock_file_installs_only_what_it_locks() {
    let deps = &kb().pypi_measured()["pytest"].deps;
    let (left_out, listed) = deps.split_last().unwrap();
    let mut lock =
        String::from("version = 1\n\n[[package]]\nname = \"pytest\"\nversion = \"8.0.0\"\n");
    for d in listed {
        lock.push_str(&format!(
            "\n[[package]]\nname = \"{d}\"\nversion = \"1.0.0\"\n"
        ));
    }
    let e = run_with(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n\
         ENV UV_COMPILE_BYTECODE=1 UV_NO_CACHE=1\nRUN uv sync --frozen\n",
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"svc\"\ndependencies = [\"pytest\"]\n",
            ),
            ("uv.lock", &lock),
        ],
    );
    let sync = layer(&e, 5);
    let listed_bytes: u64 = pyc("pytest") + listed.iter().map(|d| pyc(d)).sum::<u64>();
    assert_eq!(sync.bytes, listed_bytes, "{left_out}: {}", sync.reason);
}

/// A pin of another release series than the one measured keeps the measured figure but widens
/// its range to ×0.5–×2, and says so; the same series keeps ±15%.
#[test]
fn a_pip_pin_of_another_release_series_widens_the_range() {
    let measured = &kb().pypi_measured()["gunicorn"].version;
    let older = older_series(measured);
    let layer_for = |pin: &str| {
        let e = run_with(
            &format!("FROM python:3.12-slim\nRUN pip install --no-cache-dir gunicorn=={pin}\n"),
            &[],
        );
        layer(&e, 2).clone()
    };
    let same = layer_for(measured);
    let other = layer_for(&older);
    assert_eq!(same.bytes, other.bytes);
    assert!(
        (same.high_bytes as f64 / same.bytes as f64 - 1.15).abs() < 1e-3,
        "{same:?}"
    );
    assert!(other.low_bytes <= other.bytes / 2 + 1, "{other:?}");
    assert!(other.high_bytes >= other.bytes * 2 - 1, "{other:?}");
    assert!(
        other.reason.contains("another release series"),
        "{}",
        other.reason
    );
}

/// npm: a global install of `pkg@OLD`, and a pnpm lock pinning an older series, get the wide
/// range; an unversioned install keeps ±15%.
#[test]
fn an_npm_package_of_another_release_series_widens_the_range() {
    let measured = &kb().npm_measured()["typescript"].version;
    let older = older_series(measured);
    let global = |spec: &str| {
        let e = run_with(
            &format!("FROM node:22-slim\nRUN npm install -g {spec} && npm cache clean --force\n"),
            &[],
        );
        layer(&e, 2).clone()
    };
    let latest = global("typescript");
    let old = global(&format!("typescript@{older}"));
    assert_eq!(latest.bytes, old.bytes);
    assert!(latest.low_bytes * 100 >= latest.bytes * 84, "{latest:?}");
    assert!(old.low_bytes <= old.bytes / 2 + 1, "{old:?}");
    assert!(
        old.reason.contains("another release series"),
        "{}",
        old.reason
    );

    let lock = format!(
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    devDependencies:\n      typescript:\n        \
         specifier: ^{older}\n        version: {older}\n\npackages:\n\n  typescript@{older}:\n    \
         resolution: {{integrity: sha512-x}}\n"
    );
    let e = run_with(
        "FROM node:22-slim\nRUN npm install -g pnpm\nWORKDIR /app\nCOPY package.json pnpm-lock.yaml ./\n\
         RUN pnpm install --frozen-lockfile\n",
        &[
            (
                "package.json",
                &format!("{{\"name\":\"w\",\"devDependencies\":{{\"typescript\":\"^{older}\"}}}}"),
            ),
            ("pnpm-lock.yaml", &lock),
        ],
    );
    let install = layer(&e, 5);
    assert!(install.high_bytes * 10 >= install.bytes * 18, "{install:?}");
    assert!(
        install.reason.contains(&format!("typescript@{older}")),
        "{}",
        install.reason
    );
}
