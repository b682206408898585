//! Python: pip (with `--target` added), virtualenvs and uv's `.venv`, copied into a slim runtime.

use super::base_images::{python_version, slim_variant};
use super::interpreted::{render_interpreted, Interpreted};
use super::{build_only_env, header, join, meta_line, run_program, Parts, Plan, Role};
use crate::refactor::project::{self, Project, Tool};
use crate::refactor::shell::{self, Command};
use crate::refactor::util::{self, arg_text, resolve};
use crate::syntax::Instruction;

pub(super) fn python(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
    let runtime_base = slim_variant(base)?;
    let version = python_version(base);
    if project.tool == Tool::Uv {
        return python_uv(parts, project, base, runtime_base);
    }
    let installs: Vec<(usize, &Instruction)> = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Install)
        .map(|(i, ins, _)| (*i, *ins))
        .collect();
    let target_mode = project.tool == Tool::Pip
        && version.is_some()
        && installs.iter().all(|(_, ins)| {
            let cmds = shell::commands(&arg_text(ins));
            shell::Script::parse(&arg_text(ins)).only_and_chains()
                && cmds
                    .iter()
                    .filter(|c| project::install_tool(c) == Some(Tool::Pip))
                    .all(requirements_only)
        });
    let mut notes = Vec::new();
    if let (true, Some(version)) = (target_mode, version) {
        let pivot_wd = parts.workdir_at(parts.pivot);
        let deps = resolve(pivot_wd, "deps");
        let install_rewrite = installs
            .iter()
            .map(|(i, ins)| (*i, add_pip_target(parts, ins, &deps)))
            .collect();
        let mut artifacts = vec![format!(
            "COPY --from=builder {deps} /usr/local/lib/python{version}/site-packages/"
        )];
        let prog = run_program(project);
        if !prog.is_empty()
            && !prog.starts_with("python")
            && !project.run_command[0].contains('/')
            && prog != "sh"
            && prog != "bash"
        {
            artifacts.push(format!("COPY --from=builder {deps}/bin /usr/local/bin/"));
            notes.push(format!("`{prog}` is a console script installed by pip, so its launcher is copied from `{deps}/bin` to `/usr/local/bin`."));
        }
        return render_interpreted(
            parts,
            project,
            base,
            Interpreted {
                runtime_base,
                builder_prefix: Vec::new(),
                builder_suffix: Vec::new(),
                install_rewrite,
                artifacts,
                copy_workdir: false,
                drop_packages: Vec::new(),
                keep_tool_setup: false,
                runner: None,
                what: format!("the installed packages (`pip install --target={deps}`)"),
                notes,
            },
        );
    }
    let venv_env = "ENV VIRTUAL_ENV=/opt/venv \\\n    PATH=\"/opt/venv/bin:$PATH\"".to_string();
    notes.push("Dependencies go into a virtualenv at `/opt/venv` (the package manager runs inside it), which the runtime copies whole.".into());
    render_interpreted(
        parts,
        project,
        base,
        Interpreted {
            runtime_base,
            builder_prefix: vec!["RUN python -m venv /opt/venv".into(), venv_env.clone()],
            builder_suffix: Vec::new(),
            install_rewrite: Vec::new(),
            artifacts: vec!["COPY --from=builder /opt/venv /opt/venv".into(), venv_env],
            copy_workdir: false,
            drop_packages: Vec::new(),
            keep_tool_setup: false,
            runner: None,
            what: "the virtualenv `/opt/venv`".into(),
            notes,
        },
    )
}

/// `pip install [flags] -r FILE …` with no package names.
fn requirements_only(cmd: &Command) -> bool {
    let args = cmd.program_args();
    let Some(at) = args.iter().position(|a| a == "install") else {
        return false;
    };
    let mut expect_value = false;
    let mut has_r = false;
    for a in &args[at + 1..] {
        if expect_value {
            expect_value = false;
            continue;
        }
        if a == "-r"
            || a == "--requirement"
            || a == "-c"
            || a == "--constraint"
            || a == "-i"
            || a == "--index-url"
            || a == "--extra-index-url"
        {
            has_r |= a == "-r" || a == "--requirement";
            expect_value = true;
            continue;
        }
        if a.starts_with("-r") || a.starts_with("--requirement=") {
            has_r = true;
            continue;
        }
        if a.starts_with("--target")
            || a == "-t"
            || a == "--user"
            || a == "-e"
            || a == "--editable"
            || a == "--prefix"
        {
            return false;
        }
        if !a.starts_with('-') {
            return false;
        }
    }
    has_r
}

/// The install RUN with `--target=DEPS` in each `pip install` (before its first `-r`, as the
/// founding guide writes it).
fn add_pip_target(parts: &Parts, ins: &Instruction, deps: &str) -> String {
    let source = parts.source(ins);
    let mut out = String::new();
    let mut rest = source.as_str();
    while let Some(i) = find_pip_install(rest) {
        let cmd_end = rest[i..].find("&&").map_or(rest.len(), |e| i + e);
        let at = rest[i..cmd_end].find(" -r").map_or(i, |r| i + r);
        out.push_str(&rest[..at]);
        out.push_str(&format!(" --target={deps}"));
        rest = &rest[at..];
        if at == i {
            continue;
        }
        // Skip past this command's `-r` so the next search starts after it.
        let skip = rest.find("-r").map_or(rest.len(), |r| r + 2);
        out.push_str(&rest[..skip]);
        rest = &rest[skip..];
    }
    out.push_str(rest);
    out
}

/// Byte offset just after `pip install` / `pip3 install`.
fn find_pip_install(s: &str) -> Option<usize> {
    ["pip install", "pip3 install"]
        .iter()
        .filter_map(|pat| s.find(pat).map(|i| i + pat.len()))
        .min()
}

fn python_uv(parts: &Parts, project: &Project, base: &str, runtime_base: String) -> Option<Plan> {
    let wd = parts.workdir_at(parts.pivot).to_string();
    if wd == "/" {
        return None;
    }
    let sync_flags = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Install)
        .flat_map(|(_, ins, _)| shell::commands(&arg_text(ins)))
        .find(|c| c.program() == "uv");
    let lock = match sync_flags {
        Some(c) if c.has_flag(&["--frozen"]) => "--frozen",
        _ => "--locked",
    };
    let mut builder = vec![format!("FROM {base} AS builder")];
    let mut env_done = false;
    let uv_env = "ENV UV_COMPILE_BYTECODE=1 \\\n    UV_LINK_MODE=copy".to_string();
    let mut sources: Vec<String> = Vec::new();
    for (_, ins, r) in parts.instrs.iter().take(parts.pivot + 1) {
        match r {
            Role::Meta | Role::Install => {}
            Role::ManifestCopy => {}
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
    builder.push(String::new());
    builder.push("# Install dependencies only (cached layer)".into());
    builder.push(format!(
        "RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync {lock} --no-install-project --no-editable --no-dev"
    ));
    builder.push(String::new());
    builder.push("# Copy source and install project".into());
    builder.extend(sources);
    builder.push(format!("RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync {lock} --no-editable --no-dev"));

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
    match app_dir {
        Some(dir) => {
            runtime.push(format!("COPY --from=builder {wd}/.venv {wd}/.venv"));
            runtime.push(format!(
                "COPY --from=builder {}/{dir} {}/{dir}",
                wd.trim_end_matches('/'),
                wd.trim_end_matches('/')
            ));
        }
        None => runtime.push(format!("COPY --from=builder {wd} {wd}")),
    }
    let path_line = format!("ENV PATH=\"{}/.venv/bin:$PATH\"", wd.trim_end_matches('/'));
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
        "uv installs the locked dependencies first with cache and bind mounts (a layer that survives source changes), then the project, without dev dependencies (`--no-dev`); the runtime copies `{wd}/.venv`."
    )];
    if project.run_command.first().is_some_and(|w| w == "uv") {
        notes.push("The runtime has no uv, so `uv run` is dropped from the command: the virtualenv is on PATH.".into());
    }
    Some(Plan {
        text,
        runtime_base,
        what: format!("the virtualenv `{wd}/.venv`"),
        notes,
    })
}
