//! Interpreted ecosystems (Node, Ruby, PHP; Python in [`super::python`]): the runtime copies the
//! dependency folder and the sources.

use super::base_images::{is_alpine, slim_variant};
use super::os_packages::{install_line, runtime_library, runtime_packages};
use super::{build_only_env, header, join, meta_line, run_program, Parts, Plan, Role};
use crate::refactor::project::{is_build_package, Project, Tool};
use crate::refactor::shell::{self};
use crate::refactor::util::{self, arg_text};
use crate::syntax::{Instruction, Keyword};

/// How an interpreted ecosystem's runtime gets what it needs.
pub(super) struct Interpreted {
    pub(super) runtime_base: String,
    /// Lines inserted into the builder before the first tool setup or install.
    pub(super) builder_prefix: Vec<String>,
    /// Lines appended to the builder after the last install/build.
    pub(super) builder_suffix: Vec<String>,
    /// Rewrites an install RUN (by document index) for the builder.
    pub(super) install_rewrite: Vec<(usize, String)>,
    /// `COPY --from=builder …` and ENV lines emitted in the runtime where the install was.
    pub(super) artifacts: Vec<String>,
    /// Copy the whole working directory from the builder (sources were transformed by a build).
    pub(super) copy_workdir: bool,
    /// OS packages that only the build needed besides the compilers.
    pub(super) drop_packages: Vec<&'static str>,
    /// Tool-setup RUNs to replay in the runtime (the run command uses the tool).
    pub(super) keep_tool_setup: bool,
    /// A runner prefix to strip from CMD/ENTRYPOINT (`uv run`).
    pub(super) runner: Option<&'static [&'static str]>,
    pub(super) what: String,
    pub(super) notes: Vec<String>,
}

pub(super) fn render_interpreted(
    parts: &Parts,
    project: &Project,
    base: &str,
    spec: Interpreted,
) -> Option<Plan> {
    let alpine = is_alpine(&spec.runtime_base);
    let mut builder: Vec<String> = vec![format!("FROM {base} AS builder")];
    let mut prefix_done = spec.builder_prefix.is_empty();
    for (i, ins, r) in parts.instrs.iter().take(parts.pivot + 1) {
        if *r == Role::Meta {
            continue;
        }
        if !prefix_done
            && matches!(
                r,
                Role::ToolSetup
                    | Role::Install
                    | Role::Build
                    | Role::ManifestCopy
                    | Role::SourceCopy
            )
        {
            builder.extend(spec.builder_prefix.iter().cloned());
            prefix_done = true;
        }
        match spec.install_rewrite.iter().find(|(j, _)| j == i) {
            Some((_, text)) => builder.push(text.clone()),
            None => builder.push(parts.source(ins)),
        }
    }
    if !prefix_done {
        builder.extend(spec.builder_prefix.iter().cloned());
    }
    builder.extend(spec.builder_suffix.iter().cloned());

    let mut runtime: Vec<String> = vec![format!("FROM {} AS production", spec.runtime_base)];
    let packages = runtime_packages(project, alpine, &spec.drop_packages);
    let mut packages_done = packages.is_empty();
    let mut emit_packages = |runtime: &mut Vec<String>| {
        if !packages_done {
            runtime.push(install_line(&packages, alpine));
            packages_done = true;
        }
    };
    for (pos, (_, ins, r)) in parts.instrs.iter().enumerate() {
        if pos < parts.pivot {
            match r {
                Role::Env if build_only_env(ins) => {}
                Role::Env | Role::Arg | Role::Workdir => runtime.push(parts.source(ins)),
                Role::SourceCopy if !spec.copy_workdir => {
                    emit_packages(&mut runtime);
                    runtime.push(parts.source(ins));
                }
                Role::ToolSetup if spec.keep_tool_setup => {
                    emit_packages(&mut runtime);
                    runtime.push(parts.source(ins));
                }
                Role::Other if !needs_build_tools(ins) => {
                    emit_packages(&mut runtime);
                    runtime.push(parts.source(ins));
                }
                _ => {}
            }
        } else if pos == parts.pivot {
            emit_packages(&mut runtime);
            runtime.extend(spec.artifacts.iter().cloned());
        } else {
            match r {
                Role::Meta => runtime.push(meta_line(parts, ins, spec.runner, false)),
                Role::Env if build_only_env(ins) => {}
                _ => runtime.push(parts.source(ins)),
            }
        }
    }
    let mut text = header("Stage 1: Builder");
    text.push_str(&join(&builder));
    text.push('\n');
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&join(&runtime));
    let mut notes = spec.notes;
    if project
        .os_packages
        .iter()
        .any(|p| runtime_library(p, alpine).is_some())
    {
        notes.push(format!(
            "Runtime libraries replace the `-dev` packages ({}); their names are Debian 12 (bookworm) names: check them against the runtime base.",
            packages.join(", ")
        ));
    }
    Some(Plan {
        text,
        runtime_base: spec.runtime_base,
        what: spec.what,
        notes,
    })
}

/// True when a RUN uses a program the runtime will not have (git, make, compilers).
fn needs_build_tools(ins: &Instruction) -> bool {
    ins.keyword == Keyword::Run
        && shell::commands(&arg_text(ins))
            .iter()
            .any(|c| is_build_package(c.program()))
}

pub(super) fn node(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
    let runtime_base = slim_variant(base)?;
    let wd = parts.workdir_at(parts.pivot).to_string();
    if wd == "/" {
        return None;
    }
    let has_build = parts.instrs.iter().any(|(_, _, r)| *r == Role::Build);
    let omits_dev = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| *r == Role::Install)
        .all(|(_, ins, _)| {
            shell::commands(&arg_text(ins)).iter().any(|c| {
                c.has_flag(&["--omit"]) || c.has_flag(&["--production"]) || c.has_flag(&["--prod"])
            })
        });
    let prog = run_program(project);
    let start_script = matches!(prog, "npm" | "yarn" | "pnpm");
    let dev_runner = project
        .run_command
        .iter()
        .any(|w| matches!(w.as_str(), "nodemon" | "ts-node" | "dev" | "tsx"));
    let mut notes = Vec::new();
    let mut suffix = Vec::new();
    if !omits_dev && !start_script && !dev_runner {
        suffix.push(match project.tool {
            Tool::Yarn => "RUN yarn install --production --frozen-lockfile".to_string(),
            Tool::Pnpm => "RUN pnpm prune --prod".to_string(),
            _ => "RUN npm prune --omit=dev".to_string(),
        });
        notes.push("Development dependencies are pruned after the build (`--omit=dev`), so the runtime's `node_modules` holds only what the app needs.".into());
    } else if start_script {
        notes.push(format!("`{prog} start` may need development dependencies, so `node_modules` is copied unpruned; run the built entry point with `node` to prune them."));
    }
    let artifacts = if has_build {
        vec![format!("COPY --from=builder {wd} {wd}")]
    } else {
        vec![format!(
            "COPY --from=builder {}/node_modules {}/node_modules",
            wd.trim_end_matches('/'),
            wd.trim_end_matches('/')
        )]
    };
    render_interpreted(
        parts,
        project,
        base,
        Interpreted {
            runtime_base,
            builder_prefix: Vec::new(),
            builder_suffix: suffix,
            install_rewrite: Vec::new(),
            artifacts,
            copy_workdir: has_build,
            drop_packages: vec!["python3", "python"],
            keep_tool_setup: matches!(prog, "pnpm" | "yarn"),
            runner: None,
            what: if has_build {
                format!("the built app in `{wd}`")
            } else {
                "`node_modules`".into()
            },
            notes,
        },
    )
}

pub(super) fn ruby(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
    let runtime_base = slim_variant(base)?;
    let has_build = parts.instrs.iter().any(|(_, _, r)| *r == Role::Build);
    let wd = parts.workdir_at(parts.pivot).to_string();
    let mut artifacts = vec!["COPY --from=builder /usr/local/bundle /usr/local/bundle".to_string()];
    if has_build {
        artifacts.push(format!("COPY --from=builder {wd} {wd}"));
    }
    let drop: Vec<&'static str> = if has_build {
        vec!["nodejs", "npm", "yarn"]
    } else {
        Vec::new()
    };
    let mut notes = Vec::new();
    if has_build {
        notes.push("Assets are precompiled in the builder, so Node.js stays there.".into());
    }
    render_interpreted(
        parts,
        project,
        base,
        Interpreted {
            runtime_base,
            builder_prefix: Vec::new(),
            builder_suffix: Vec::new(),
            install_rewrite: Vec::new(),
            artifacts,
            copy_workdir: has_build,
            drop_packages: drop,
            keep_tool_setup: false,
            runner: None,
            what: "the installed gems (`/usr/local/bundle`)".into(),
            notes,
        },
    )
}

/// PHP: Composer runs in a `vendor` stage from the `composer` image; the runtime keeps the PHP
/// base (its compiled extensions) and copies `vendor/`.
pub(super) fn php(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
    let is_composer = |ins: &Instruction| {
        ins.keyword == Keyword::Run && {
            let cmds = shell::commands(&arg_text(ins));
            !cmds.is_empty() && cmds.iter().all(|c| c.program() == "composer")
        }
    };
    let last = parts
        .instrs
        .iter()
        .rposition(|(_, ins, _)| is_composer(ins))?;
    if project.tool != Tool::Composer {
        return None;
    }
    let wd = parts.workdir_at(last).to_string();
    let mut vendor = vec![
        "FROM composer:2 AS vendor".to_string(),
        format!("WORKDIR {wd}"),
    ];
    for (_, ins, r) in parts.instrs.iter().take(last + 1) {
        if matches!(r, Role::ManifestCopy | Role::SourceCopy) {
            vendor.push(parts.source(ins));
        } else if is_composer(ins) {
            let mut line = parts.source(ins);
            if line.contains("composer install") && !line.contains("--ignore-platform-reqs") {
                line = line.replacen(
                    "composer install",
                    "composer install --ignore-platform-reqs",
                    1,
                );
            }
            vendor.push(line);
        }
    }
    let mut runtime = vec![format!("FROM {base} AS production")];
    for (pos, (_, ins, r)) in parts.instrs.iter().enumerate() {
        let composer_setup = *r == Role::ToolSetup && arg_text(ins).contains("composer")
            || (*r == Role::ImageCopy
                && util::flag(ins, "from").is_some_and(|f| f.starts_with("composer")));
        if composer_setup || (is_composer(ins) && pos != last) {
            continue;
        }
        if pos == last {
            runtime.push(format!(
                "COPY --from=vendor {0}/vendor {0}/vendor",
                wd.trim_end_matches('/')
            ));
            continue;
        }
        if *r == Role::Packages || *r == Role::Other {
            runtime.push(remove_packages(
                &parts.source(ins),
                &["git", "unzip", "zip"],
            ));
            continue;
        }
        runtime.push(parts.source(ins));
    }
    let mut text = header("Stage 1: Composer dependencies");
    text.push_str(&join(&vendor));
    text.push('\n');
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&join(&runtime));
    Some(Plan {
        text,
        runtime_base: base.to_string(),
        what: "`vendor/`".into(),
        notes: vec![
            "Composer runs in the official `composer` image with `--ignore-platform-reqs` (that image lacks your PHP extensions; the runtime has them), so Composer, git and unzip stay out of production.".into(),
        ],
    })
}

/// Removes package words from an install line (keeps the line's layout).
fn remove_packages(source: &str, pkgs: &[&str]) -> String {
    let mut lines = Vec::new();
    for line in source.split('\n') {
        let kept: Vec<&str> = line.split(' ').filter(|w| !pkgs.contains(w)).collect();
        let joined = kept.join(" ");
        if joined.trim() == "\\" {
            continue;
        }
        lines.push(joined);
    }
    lines.join("\n")
}
