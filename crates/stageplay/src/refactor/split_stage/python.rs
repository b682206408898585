//! Python: pip (with `--prefix` added), virtualenvs and uv's `.venv`, copied into a slim runtime.

use super::base_images::{is_alpine, python_version, slim_variant};
use super::interpreted::{render_interpreted, Interpreted};
use super::{build_only_env, header, join, meta_line, setup_run, Parts, Plan, Role};
use crate::refactor::project::{self, Project, Tool};
use crate::refactor::shell::{self, Command};
use crate::refactor::split_prefix::render::{install_step, list_step};
use crate::refactor::split_prefix::Family;
use crate::refactor::util::{self, arg_text, copy_parts};
use crate::syntax::Instruction;

/// Where pip installs in the builder (`pip install --prefix=/install`): `lib/pythonX.Y/
/// site-packages` and `bin` below it, copied over the runtime's `/usr/local`.
const PREFIX: &str = "/install";

/// Where a virtualenv made for the split lives.
const VENV: &str = "/opt/venv";

pub(super) fn python(parts: &Parts, project: &Project, base: &str) -> Result<Plan, String> {
    let runtime_base = slim_variant(base)
        .ok_or_else(|| format!("`{base}` has no slim variant Stageplay knows"))?;
    let version = python_version(base);
    let installs: Vec<(usize, &Instruction)> = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Install)
        .map(|(i, ins, _)| (*i, *ins))
        .collect();
    let install_cmds: Vec<Command> = installs
        .iter()
        .flat_map(|(_, ins)| shell::commands(&arg_text(ins)))
        .collect();
    if project.tool == Tool::Uv && install_cmds.iter().any(|c| c.runs("uv", "sync")) {
        return python_uv(parts, project, base, runtime_base);
    }
    if install_cmds
        .iter()
        .any(|c| c.program() == "uv" && c.has_flag(&["--system"]))
    {
        return Err("`uv pip install --system` installs into the image's own Python, which the runtime cannot take apart from the rest of the image".into());
    }
    // A full image's compiled extensions may link libraries its slim variant lacks (uwsgi and
    // libxml2): the builder lists their Debian packages and the runtime installs them.
    let libraries = runtime_base != base && !is_alpine(base);
    let mut notes = Vec::new();
    let prefix_mode = project.tool == Tool::Pip
        && version.is_some()
        && install_cmds
            .iter()
            .filter(|c| project::install_tool(c) == Some(Tool::Pip))
            .all(plain_pip_install);
    if let (true, Some(version)) = (prefix_mode, version) {
        let install_rewrite = installs
            .iter()
            .map(|(i, ins)| (*i, add_pip_prefix(parts, ins)))
            .collect();
        let site = format!("{PREFIX}/lib/python{version}/site-packages");
        let mut artifacts = vec![format!("COPY --from=builder {PREFIX} /usr/local")];
        let mut suffix = Vec::new();
        if libraries {
            suffix.push(String::new());
            suffix.push(list_step(Family::Debian, &[PREFIX], true));
            artifacts.push(install_step(Family::Debian));
        }
        notes.push(format!(
            "pip installs into `{PREFIX}` (`--prefix`), which the runtime copies over `/usr/local`: the packages land in the image's site-packages and their commands in `/usr/local/bin`, as in the original. In the builder, `PYTHONPATH` and `PATH` point at `{PREFIX}` so the rest of the build sees the packages."
        ));
        return render_interpreted(
            parts,
            project,
            base,
            Interpreted {
                runtime_base,
                builder_prefix: vec![format!(
                    "ENV PYTHONPATH=\"{site}${{PYTHONPATH:+:$PYTHONPATH}}\" \\\n    PATH=\"{PREFIX}/bin:$PATH\""
                )],
                prefix_before: &[Role::Install],
                builder_suffix: suffix,
                install_rewrite,
                artifacts,
                sources_from_builder: false,
                drop_packages: Vec::new(),
                runner: None,
                what: format!("the installed packages (`pip install --prefix={PREFIX}`)"),
                notes,
            },
        );
    }
    let venv_env = format!("ENV VIRTUAL_ENV={VENV} \\\n    PATH=\"{VENV}/bin:$PATH\"");
    notes.push(format!("Dependencies go into a virtualenv at `{VENV}`, made after the package manager itself is installed (the manager stays in the builder), which the runtime copies whole."));
    let mut artifacts = vec![
        format!("COPY --from=builder {VENV} {VENV}"),
        venv_env.clone(),
    ];
    let mut suffix = Vec::new();
    if libraries {
        suffix.push(String::new());
        suffix.push(list_step(Family::Debian, &[VENV], true));
        artifacts.insert(1, install_step(Family::Debian));
    }
    render_interpreted(
        parts,
        project,
        base,
        Interpreted {
            runtime_base,
            builder_prefix: vec![format!("RUN python -m venv {VENV}"), venv_env],
            prefix_before: &[Role::Install],
            builder_suffix: suffix,
            install_rewrite: Vec::new(),
            artifacts,
            sources_from_builder: false,
            drop_packages: Vec::new(),
            runner: None,
            what: format!("the virtualenv `{VENV}`"),
            notes,
        },
    )
}

/// A `pip install` that `--prefix` can redirect: not editable, not already aimed elsewhere
/// (`--user`, `--target`, `--prefix`, `--root`).
fn plain_pip_install(cmd: &Command) -> bool {
    let args = cmd.program_args();
    let Some(at) = args.iter().position(|a| a == "install") else {
        return false;
    };
    !args[at + 1..].iter().any(|a| {
        matches!(
            a.text.as_str(),
            "-e" | "--editable" | "--user" | "-t" | "--src"
        ) || ["--target", "--prefix", "--root", "--editable"]
            .iter()
            .any(|f| a.text == *f || a.text.starts_with(&format!("{f}=")))
    })
}

/// The install RUN with `--prefix=/install` after each `pip install` / `pip3 install` (not
/// `uv pip install`).
fn add_pip_prefix(parts: &Parts, ins: &Instruction) -> String {
    let source = parts.source(ins);
    let mut out = String::new();
    let mut rest = source.as_str();
    loop {
        let found = ["pip install", "pip3 install"]
            .iter()
            .filter_map(|pat| rest.find(pat).map(|i| (i, pat.len())))
            .min();
        let Some((i, len)) = found else {
            break;
        };
        let before = &rest[..i];
        let uv = before.trim_end().ends_with("uv");
        let word_start = i == 0 || rest[..i].ends_with([' ', '\t', '\n', '&', ';', '|', '(']);
        out.push_str(&rest[..i + len]);
        if !uv && word_start {
            out.push_str(&format!(" --prefix={PREFIX}"));
        }
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out
}

/// A word as a shell reads it back: as it is when plain, else in single quotes.
fn quote(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The virtualenv `uv sync` fills: `UV_PROJECT_ENVIRONMENT` when the stage sets it, else
/// `.venv` in the project directory.
fn uv_environment(parts: &Parts, wd: &str) -> String {
    parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Env)
        .flat_map(|(_, ins, _)| util::key_values(ins))
        .filter(|(k, _)| k == "UV_PROJECT_ENVIRONMENT")
        .filter_map(|(_, v)| v)
        .next_back()
        .map(|v| util::resolve(wd, &v))
        .unwrap_or_else(|| format!("{}/.venv", wd.trim_end_matches('/')))
}

/// The flags of the original `uv sync` the split keeps: every one but the two it sets itself.
fn uv_sync_flags(cmd: &Command) -> Vec<String> {
    let args = cmd.program_args();
    let at = args.iter().position(|a| a == "sync").map_or(0, |i| i + 1);
    args[at..]
        .iter()
        .filter(|a| !matches!(a.text.as_str(), "--no-install-project" | "--no-editable"))
        .map(|a| quote(&a.text))
        .collect()
}

fn python_uv(
    parts: &Parts,
    project: &Project,
    base: &str,
    runtime_base: String,
) -> Result<Plan, String> {
    let wd = parts.workdir_at(parts.pivot).to_string();
    if wd == "/" {
        return Err(
            "`uv sync` runs in `/` (no WORKDIR), so its virtualenv cannot be copied apart".into(),
        );
    }
    let sync = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Install)
        .flat_map(|(_, ins, _)| shell::commands(&arg_text(ins)))
        .rfind(|c| c.runs("uv", "sync"))
        .ok_or("no `uv sync` to split")?;
    let flags = uv_sync_flags(&sync);
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" {}", flags.join(" "))
    };
    let venv = uv_environment(parts, &wd);
    let compile = parts.instrs.iter().any(|(_, ins, r)| {
        *r == Role::Env
            && util::key_values(ins)
                .iter()
                .any(|(k, _)| k == "UV_COMPILE_BYTECODE")
    });
    let mut builder = vec![format!("FROM {base} AS builder")];
    let mut env_done = false;
    // uv copies from its cache mount into the virtualenv (a hard link cannot cross the mount).
    let uv_env = "ENV UV_LINK_MODE=copy".to_string();
    let mut sources: Vec<String> = Vec::new();
    for (_, ins, r) in parts.instrs.iter().take(parts.pivot + 1) {
        match r {
            Role::Meta | Role::Install | Role::ManifestCopy => {}
            Role::SourceCopy => sources.push(parts.source(ins)),
            Role::Env
                if util::key_values(ins).iter().any(|(k, v)| {
                    k == "PATH" && v.as_deref().is_some_and(|v| v.contains(".venv"))
                }) => {}
            Role::ImageCopy | Role::ToolSetup => {
                builder.push(parts.source(ins));
                if !env_done {
                    builder.push(String::new());
                    builder.push(uv_env.clone());
                    env_done = true;
                }
            }
            _ => builder.push(parts.source(ins)),
        }
    }
    if !env_done {
        builder.insert(1, uv_env);
    }
    if sources.is_empty() {
        sources.push(format!("COPY . {wd}"));
    }
    let at = |f: &str| format!("{}/{f}", wd.trim_end_matches('/'));
    builder.push(String::new());
    builder.push("# Install dependencies only (cached layer)".into());
    builder.push(format!(
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target={} \\\n    --mount=type=bind,source=pyproject.toml,target={} \\\n    uv sync{flags} --no-install-project --no-editable",
        at("uv.lock"),
        at("pyproject.toml")
    ));
    builder.push(String::new());
    builder.push("# Copy source and install project".into());
    builder.extend(sources);
    builder.push(format!(
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync{flags} --no-editable"
    ));

    let mut runtime = vec![format!("FROM {runtime_base} AS production")];
    for (_, ins, r) in parts.instrs.iter().take(parts.pivot) {
        match r {
            Role::Env if build_only_env(ins) => {}
            Role::Env if util::key_values(ins).iter().any(|(k, _)| k == "PATH") => {}
            Role::Env | Role::Arg => runtime.push(parts.source(ins)),
            _ => {}
        }
    }
    runtime.push(format!("WORKDIR {wd}"));
    runtime.push(String::new());
    runtime.push("# Copy only the virtual environment".into());
    let app_dir = project.run_command.iter().find_map(|w| {
        let w = w.trim_start_matches("./");
        (w.contains('/') && !w.starts_with('/') && !w.starts_with('-'))
            .then(|| w.split('/').next().unwrap_or(w).to_string())
    });
    let in_wd = |p: &str| p.starts_with(&format!("{}/", wd.trim_end_matches('/')));
    match &app_dir {
        Some(dir) => {
            runtime.push(format!("COPY --from=builder {venv} {venv}"));
            runtime.push(format!("COPY --from=builder {0} {0}", at(dir)));
        }
        None => {
            if !in_wd(&venv) {
                runtime.push(format!("COPY --from=builder {venv} {venv}"));
            }
            runtime.push(format!("COPY --from=builder {wd} {wd}"));
        }
    }
    // What else the original put in place before the install: files copied outside the
    // project, and setup RUNs (users, permissions), in their order, after the files they need.
    for (pos, (_, ins, r)) in parts.instrs.iter().enumerate().take(parts.pivot + 1) {
        let here = parts.workdir_at(pos);
        match r {
            Role::SourceCopy | Role::ManifestCopy => {
                if copy_parts(ins).is_some_and(|(_, d)| {
                    let d = util::resolve(here, &d);
                    d != wd && !in_wd(&d)
                }) {
                    runtime.push(parts.source(ins));
                }
            }
            Role::Other if pos < parts.pivot => runtime.push(parts.source(ins)),
            _ => {
                if let Some(setup) = setup_run(ins, here, false) {
                    runtime.push(setup);
                }
            }
        }
    }
    let path_line = format!("ENV PATH=\"{venv}/bin:$PATH\"");
    let mut path_done = false;
    for (_, ins, r) in parts.instrs.iter().skip(parts.pivot + 1) {
        match r {
            Role::Env
                if util::key_values(ins).iter().any(|(k, v)| {
                    k == "PATH" && v.as_deref().is_some_and(|v| v.contains(".venv"))
                }) =>
            {
                runtime.push(String::new());
                runtime.push(path_line.clone());
                path_done = true;
            }
            Role::Meta => {
                if !path_done {
                    runtime.push(String::new());
                    runtime.push(path_line.clone());
                    path_done = true;
                }
                runtime.push(meta_line(parts, ins, Some(&["uv", "run"]), false));
            }
            Role::Env if build_only_env(ins) => {}
            _ => runtime.push(parts.source(ins)),
        }
    }
    if !path_done {
        runtime.push(path_line);
    }
    let mut text = header("Stage 1: Builder with uv");
    text.push_str(&join(&builder));
    text.push('\n');
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&join(&runtime));
    let mut notes = vec![format!(
        "uv installs the locked dependencies first with cache and bind mounts (a layer that survives source changes), then the project, with the original `uv sync` options; the runtime copies `{venv}`."
    )];
    if compile {
        notes.push("`UV_COMPILE_BYTECODE` stays as the original set it.".into());
    }
    if project.run_command.first().is_some_and(|w| w == "uv") {
        notes.push("The runtime has no uv, so `uv run` is dropped from the command: the virtualenv is on PATH.".into());
    }
    Ok(Plan {
        text,
        runtime_base,
        what: format!("the virtualenv `{venv}`"),
        notes,
    })
}
