//! Interpreted ecosystems (Node, Ruby, PHP; Python in [`super::python`]): the runtime copies the
//! dependency folder and the sources.

use super::base_images::{debian_codename, is_alpine, slim_variant};
use super::os_packages::{install_line, runtime_library, runtime_packages};
use super::{
    build_only_env, header, join, meta_line, outside_outputs, run_program, setup_programs,
    setup_run, used_programs, Parts, Plan, Role,
};
use crate::refactor::project::{is_build_package, Project, Tool};
use crate::refactor::shell::{self};
use crate::refactor::util::{self, arg_text, copy_parts};
use crate::syntax::{Instruction, Keyword};

/// How an interpreted ecosystem's runtime gets what it needs.
pub(super) struct Interpreted {
    pub(super) runtime_base: String,
    /// Lines inserted into the builder before the first instruction with one of
    /// `prefix_before`'s roles.
    pub(super) builder_prefix: Vec<String>,
    pub(super) prefix_before: &'static [Role],
    /// Lines appended to the builder after the last install/build.
    pub(super) builder_suffix: Vec<String>,
    /// Rewrites an install RUN (by document index) for the builder.
    pub(super) install_rewrite: Vec<(usize, String)>,
    /// `COPY --from=builder …` and ENV lines emitted in the runtime where the install was.
    pub(super) artifacts: Vec<String>,
    /// The sources come with the artifacts from the builder (the install or a build ran over
    /// them), so the runtime does not copy them from the context again.
    pub(super) sources_from_builder: bool,
    /// OS packages that only the build needed besides the compilers.
    pub(super) drop_packages: Vec<&'static str>,
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
) -> Result<Plan, String> {
    let alpine = is_alpine(&spec.runtime_base);
    let mut builder: Vec<String> = vec![format!("FROM {base} AS builder")];
    let mut prefix_done = spec.builder_prefix.is_empty();
    for (i, ins, r) in parts.instrs.iter().take(parts.pivot + 1) {
        if *r == Role::Meta {
            continue;
        }
        if !prefix_done && spec.prefix_before.contains(r) {
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

    // Tool setups whose programs the runtime's command uses are replayed (`npm install -g
    // serve` for `CMD ["serve", …]`, pnpm for `pnpm start`).
    let used = used_programs(parts);
    let replayed = |ins: &Instruction| setup_programs(ins).iter().any(|p| used.contains(p));
    let mut runtime: Vec<String> = vec![format!("FROM {} AS production", spec.runtime_base)];
    let packages = runtime_packages(project, alpine, &spec.drop_packages);
    let mut packages_done = packages.is_empty();
    let mut emit_packages = |runtime: &mut Vec<String>| {
        if !packages_done {
            runtime.push(install_line(&packages, alpine));
            packages_done = true;
        }
    };
    // Instructions that need the files the artifacts bring (they came after a source copy in
    // the original): emitted after the artifacts.
    let mut after_artifacts: Vec<String> = Vec::new();
    let mut sources_seen = false;
    for (pos, (_, ins, r)) in parts.instrs.iter().enumerate() {
        let wd = parts.workdir_at(pos);
        if pos < parts.pivot {
            if *r == Role::SourceCopy {
                sources_seen = true;
            }
            let late = spec.sources_from_builder && sources_seen;
            let mut place = |runtime: &mut Vec<String>, line: String| {
                if late {
                    after_artifacts.push(line);
                } else {
                    runtime.push(line);
                }
            };
            match r {
                Role::Env if build_only_env(ins) => {}
                Role::Env | Role::Arg | Role::Workdir => runtime.push(parts.source(ins)),
                Role::SourceCopy if !spec.sources_from_builder => {
                    emit_packages(&mut runtime);
                    runtime.push(parts.source(ins));
                }
                Role::ToolSetup if replayed(ins) => {
                    emit_packages(&mut runtime);
                    place(&mut runtime, parts.source(ins));
                }
                Role::Other if !needs_build_tools(ins) => {
                    emit_packages(&mut runtime);
                    place(&mut runtime, parts.source(ins));
                }
                _ => {
                    if let Some(setup) = setup_run(ins, wd, !spec.sources_from_builder) {
                        emit_packages(&mut runtime);
                        place(&mut runtime, setup);
                    }
                }
            }
        } else if pos == parts.pivot {
            emit_packages(&mut runtime);
            runtime.extend(spec.artifacts.iter().cloned());
            runtime.append(&mut after_artifacts);
            if let Some(setup) = setup_run(ins, wd, !spec.sources_from_builder) {
                runtime.push(setup);
            }
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
    Ok(Plan {
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

/// Programs that run Node.js code or a package's scripts: a command using one needs the app
/// and its `node_modules`.
const NODE_RUNNERS: &[&str] = &[
    "node",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "nodemon",
    "ts-node",
    "tsx",
    "pm2",
    "pm2-runtime",
    "next",
    "nuxt",
    "serve",
];

pub(super) fn node(parts: &Parts, project: &Project, base: &str) -> Result<Plan, String> {
    let runtime_base = slim_variant(base)
        .ok_or_else(|| format!("`{base}` has no slim variant Stageplay knows"))?;
    let wd = parts.workdir_at(parts.pivot).to_string();
    if wd == "/" {
        return Err("the install runs in `/` (no WORKDIR), so its `node_modules` cannot be copied apart from the whole file system".into());
    }
    let has_build = parts.instrs.iter().any(|(_, _, r)| *r == Role::Build);
    let installs: Vec<usize> = (0..parts.instrs.len())
        .filter(|&p| parts.instrs[p].2 == Role::Install)
        .collect();
    // `npm install` where no package.json was copied installs nothing: there would be no
    // `node_modules` to copy.
    for &at in &installs {
        let here = parts.workdir_at(at);
        let manifest_before = parts.instrs[..at]
            .iter()
            .enumerate()
            .any(|(q, (_, ins, r))| {
                matches!(r, Role::ManifestCopy | Role::SourceCopy)
                    && copy_parts(ins).is_some_and(|(sources, dest)| {
                        let dest = util::resolve(parts.workdir_at(q), &dest);
                        (dest == here || dest == format!("{here}/"))
                            && sources.iter().any(|s| {
                                s == "." || s == "./" || s.contains("package") || !s.contains('.')
                            })
                    })
            });
        if !manifest_before {
            return Err(format!(
                "the install on line {} runs in `{here}` before any `package.json` is copied there, so it installs nothing the runtime could copy",
                parts.instrs[at].1.start_line
            ));
        }
    }
    // The sources were copied before the install: the install may have written into the tree
    // (node-gyp's `build/Release`, postinstall output), so the runtime takes the whole working
    // directory from the builder, as it does after a build.
    let first_source = parts
        .instrs
        .iter()
        .position(|(_, _, r)| *r == Role::SourceCopy);
    let install_over_sources = first_source.is_some_and(|s| installs.iter().any(|&i| i > s));
    let whole_tree = has_build || install_over_sources;
    // Build output written outside the tree (`cp -r dist/. /var/www/html/`).
    let outside: Vec<String> = parts
        .instrs
        .iter()
        .filter(|(_, _, r)| matches!(r, Role::Install | Role::Build))
        .flat_map(|(_, ins, _)| outside_outputs(ins, &wd))
        .collect();
    let used = used_programs(parts);
    // The command runs Node.js or names a file of the app; a server such as nginx serving the
    // output written outside the tree needs neither the app nor Node.js.
    let uses_app = used.iter().any(|p| NODE_RUNNERS.contains(&p.as_str()))
        || project.run_command.iter().skip(1).any(|w| {
            !w.starts_with('-')
                && (w.contains('/')
                    || w.ends_with(".js")
                    || w.ends_with(".mjs")
                    || w.ends_with(".cjs"))
        })
        || used.is_empty();
    let prog = run_program(project);
    let mut notes = Vec::new();
    let mut artifacts: Vec<String> = Vec::new();
    let what;
    let mut runtime_base = runtime_base;
    if uses_app || outside.is_empty() {
        if whole_tree {
            artifacts.push(format!("COPY --from=builder {wd} {wd}"));
            what = if has_build {
                format!("the built app in `{wd}`")
            } else {
                format!("the app and its installed `node_modules` in `{wd}`")
            };
            if install_over_sources && !has_build {
                notes.push(format!("The install runs over the sources (a package may build into the tree), so the runtime copies `{wd}` from the builder rather than the context."));
            }
        } else {
            artifacts.push(format!(
                "COPY --from=builder {}/node_modules {}/node_modules",
                wd.trim_end_matches('/'),
                wd.trim_end_matches('/')
            ));
            what = "`node_modules`".into();
        }
    } else {
        what = format!(
            "the build output ({})",
            outside
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Nothing in the runtime runs Node.js: a Debian-based Node image's own Debian is enough.
        let replays_node = parts.instrs.iter().take(parts.pivot).any(|(_, ins, r)| {
            matches!(r, Role::Other | Role::ToolSetup)
                && shell::commands(&arg_text(ins))
                    .iter()
                    .any(|c| NODE_RUNNERS.contains(&c.program()) || c.program() == "corepack")
        });
        if !replays_node && !is_alpine(base) {
            runtime_base = format!("debian:{}-slim", debian_codename(base));
            notes.push(format!("`{prog}` serves the build output and runs no Node.js, so the runtime is `{runtime_base}`, the Debian the Node image is built on."));
        }
    }
    for o in &outside {
        artifacts.push(format!("COPY --from=builder {o} {o}"));
    }
    if !outside.is_empty() {
        notes.push(format!(
            "The build writes {} outside `{wd}`; the runtime copies it from the builder.",
            outside
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let omits_dev = installs.iter().all(|&at| {
        shell::commands(&arg_text(parts.instrs[at].1))
            .iter()
            .any(|c| c.has_flag(&["--omit", "--production", "--prod"]))
    }) || parts.instrs.iter().any(|(_, ins, _)| {
        shell::commands(&arg_text(ins))
            .iter()
            .any(|c| c.program() == "npm" && c.subcommand() == Some("prune"))
    });
    if uses_app && !omits_dev {
        notes.push("Development dependencies stay in `node_modules`, as in the original: something may run them (a compose file's `nodemon`, `npm start`). If production needs none, install with `--omit=dev` (or run `npm prune --omit=dev`) in the builder.".into());
    }
    render_interpreted(
        parts,
        project,
        base,
        Interpreted {
            runtime_base,
            builder_prefix: Vec::new(),
            prefix_before: &[],
            builder_suffix: Vec::new(),
            install_rewrite: Vec::new(),
            artifacts,
            sources_from_builder: whole_tree || (!uses_app && !outside.is_empty()),
            drop_packages: vec!["python3", "python"],
            runner: None,
            what,
            notes,
        },
    )
}

pub(super) fn ruby(parts: &Parts, project: &Project, base: &str) -> Result<Plan, String> {
    let runtime_base = slim_variant(base)
        .ok_or_else(|| format!("`{base}` has no slim variant Stageplay knows"))?;
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
            prefix_before: &[],
            builder_suffix: Vec::new(),
            install_rewrite: Vec::new(),
            artifacts,
            sources_from_builder: has_build,
            drop_packages: drop,
            runner: None,
            what: "the installed gems (`/usr/local/bundle`)".into(),
            notes,
        },
    )
}

/// PHP: Composer runs in a `vendor` stage from the `composer` image; the runtime keeps the PHP
/// base (its compiled extensions) and copies `vendor/`.
pub(super) fn php(parts: &Parts, project: &Project, base: &str) -> Result<Plan, String> {
    let is_composer = |ins: &Instruction| {
        ins.keyword == Keyword::Run && {
            let cmds = shell::commands(&arg_text(ins));
            !cmds.is_empty() && cmds.iter().all(|c| c.program() == "composer")
        }
    };
    let last = parts
        .instrs
        .iter()
        .rposition(|(_, ins, _)| is_composer(ins))
        .ok_or("no RUN runs only Composer")?;
    if project.tool != Tool::Composer {
        return Err("the dependencies are not installed with Composer".into());
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
                && ins
                    .flag_value("from")
                    .is_some_and(|f| f.starts_with("composer")));
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
    Ok(Plan {
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
