//! Split a single stage into a named builder and a slim runtime stage.
//!
//! ## What it does
//! Moves compilers, headers, package-manager caches and sources into a `builder` stage and
//! starts a `production` stage from a slim (or distroless) base that copies only what the run
//! command needs: the dependency folder (a `pip install --target` folder, a virtualenv, uv's
//! `.venv`, `node_modules`, the bundle), or the built artifact (a static Go binary, a cargo
//! binary, a jar, a `dotnet publish` folder, a make-built program).
//!
//! ## Why is this better?
//! Build tools are the bulk of a single-stage image and an attack surface in production; the
//! founding guide's table: smaller images (70 %+ typical), no build tools in production.
//!
//! ## Fix safety
//! Unsafe: the runtime stage has no compilers, and files the program reads at run time that
//! were produced outside the copied folders are not there. Review the copied paths.
//!
//! ## References
//! Founding guide, "Basic Multi-Stage Pattern", "Production Multi-Stage with Security",
//! "Multi-Stage with uv"; Docker docs, "Multi-stage builds".

mod base_images;
mod compiled;
mod interpreted;
mod os_packages;
mod python;

use super::project::{self, is_manifest, recognise_stage, Ecosystem, Project};
use super::shell::{self, exec_form, Command};
use super::util::{self, arg_text, copy_parts, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::Stage;
use crate::syntax::{Instruction, Keyword};
use compiled::compiled;
use interpreted::{node, php, ruby};
use python::python;

pub const META: RefactorMeta = RefactorMeta {
    id: "split-stage",
    title: "Split into a builder and a slim runtime stage",
    sources: &[
        (
            "Founding guide: Basic Multi-Stage Pattern",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
        (
            "Founding guide: Production Multi-Stage with Security",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
        (
            "Founding guide: Multi-Stage with uv",
            "https://docs.astral.sh/uv/guides/integration/docker/",
        ),
        (
            "Docker docs: Multi-stage builds",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ],
};

/// What an instruction of the single stage is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// CMD, ENTRYPOINT, EXPOSE, HEALTHCHECK, USER, …: only the runtime needs them.
    Meta,
    Env,
    Arg,
    Workdir,
    /// `apt-get install`/`apk add` and nothing of the project.
    Packages,
    /// Installing the package manager itself (`pip install poetry`, `corepack enable`, …).
    ToolSetup,
    /// The dependency install (`pip install -r`, `npm ci`, `bundle install`, …).
    Install,
    /// The compile step.
    Build,
    ManifestCopy,
    SourceCopy,
    /// `COPY --from=<image>` (a tool binary such as uv or composer).
    ImageCopy,
    Other,
}

fn role(ins: &Instruction) -> Role {
    match ins.keyword {
        Keyword::Cmd
        | Keyword::Entrypoint
        | Keyword::Expose
        | Keyword::Healthcheck
        | Keyword::User
        | Keyword::Volume
        | Keyword::Stopsignal
        | Keyword::Label
        | Keyword::Maintainer
        | Keyword::Onbuild => Role::Meta,
        Keyword::Env => Role::Env,
        Keyword::Arg => Role::Arg,
        Keyword::Workdir => Role::Workdir,
        Keyword::Copy | Keyword::Add => {
            if ins.flag_value("from").is_some() {
                return Role::ImageCopy;
            }
            match copy_parts(ins) {
                Some((sources, _)) if sources.iter().all(|s| is_manifest(s)) => Role::ManifestCopy,
                Some((sources, _))
                    if ins.keyword == Keyword::Add && sources.iter().any(|s| s.contains("://")) =>
                {
                    Role::Other
                }
                _ => Role::SourceCopy,
            }
        }
        Keyword::Run => {
            let cmds = shell::commands(&arg_text(ins));
            if cmds.iter().any(|c| project::build_tool(c).is_some()) {
                Role::Build
            } else if cmds.iter().any(|c| project::install_tool(c).is_some()) {
                Role::Install
            } else if cmds.iter().any(is_tool_setup) {
                Role::ToolSetup
            } else if cmds.iter().any(|c| !project::os_packages(c).is_empty())
                || cmds.iter().all(|c| {
                    matches!(
                        (c.program(), c.subcommand()),
                        ("apt-get" | "apt" | "apk", Some("update"))
                    )
                })
            {
                Role::Packages
            } else {
                Role::Other
            }
        }
        _ => Role::Other,
    }
}

/// Installing a package manager or build helper rather than the project's dependencies.
fn is_tool_setup(cmd: &Command) -> bool {
    let prog = cmd.program();
    let sub = cmd.subcommand();
    (matches!(prog, "pip" | "pip3") && sub == Some("install"))
        || (matches!(prog, "npm" | "pnpm" | "yarn")
            && cmd
                .program_args()
                .iter()
                .any(|a| a == "-g" || a == "--global" || a == "global"))
        || prog == "corepack"
        || (matches!(prog, "curl" | "wget")
            && cmd.words.iter().any(|w| {
                w.contains("getcomposer.org")
                    || w.contains("install.python-poetry.org")
                    || w.contains("astral.sh")
            }))
        || (prog == "php" && cmd.words.iter().any(|w| w.contains("composer")))
}

/// Offers the split for a single-stage file whose stage installs dependencies or compiles.
pub fn check(cx: &Context) -> Option<Draft> {
    draft(cx).ok()
}

/// Why the split is not offered for a file it could apply to (a single stage that installs
/// dependencies or compiles), in words for the Suggestions pane; `None` when it is offered or
/// does not apply at all.
pub fn declined(cx: &Context) -> Option<String> {
    let stage = applies(cx)?;
    let project = recognise_stage(cx.doc, cx.model, 0);
    let installs_or_builds = stage_instructions(cx.doc, stage)
        .iter()
        .any(|(_, i)| matches!(role(i), Role::Install | Role::Build));
    if !installs_or_builds {
        return None;
    }
    plan(cx, stage, &project).err()
}

/// The single, unnamed stage the split could apply to.
fn applies<'a>(cx: &'a Context) -> Option<&'a Stage> {
    if cx.model.stages.len() != 1 {
        return None;
    }
    let stage = cx.model.stages.first()?;
    (!stage.base_text.eq_ignore_ascii_case("scratch") && stage.name.is_none()).then_some(stage)
}

fn draft(cx: &Context) -> Result<Draft, String> {
    let stage = applies(cx).ok_or("not a single unnamed stage")?;
    let project = recognise_stage(cx.doc, cx.model, 0);
    let plan = plan(cx, stage, &project)?;
    let span = util::stage_span(cx.text, cx.doc, stage);
    let mut explanation = format!(
        "This {} project builds and runs in one {} image, so the compilers, headers and package-manager \
         files used during the build ship to production. Building in a `builder` stage and copying only {} \
         into a `{}` stage leaves them behind (founding guide: \"Why Multi-Stage?\").",
        ecosystem_name(project.ecosystem),
        project.base,
        plan.what,
        plan.runtime_base
    );
    for note in &plan.notes {
        explanation.push(' ');
        explanation.push_str(note);
    }
    Ok(Draft {
        title: format!(
            "Split into a builder and a {} runtime stage",
            plan.runtime_base
        ),
        explanation,
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit {
            span,
            insert: plan.text,
        }],
    })
}

fn ecosystem_name(e: Ecosystem) -> &'static str {
    match e {
        Ecosystem::Python => "Python",
        Ecosystem::Node => "Node.js",
        Ecosystem::Go => "Go",
        Ecosystem::Rust => "Rust",
        Ecosystem::Java => "Java",
        Ecosystem::DotNet => ".NET",
        Ecosystem::Ruby => "Ruby",
        Ecosystem::Php => "PHP",
        Ecosystem::C => "C/C++",
        Ecosystem::Unknown => "",
    }
}

/// The generated text and what to tell the user.
struct Plan {
    text: String,
    runtime_base: String,
    what: String,
    notes: Vec<String>,
}

/// The pieces shared by every ecosystem while generating.
struct Parts<'a> {
    text: &'a str,
    instrs: Vec<(usize, &'a Instruction, Role)>,
    /// Position (in `instrs`) of the last install or build instruction.
    pivot: usize,
    workdirs: Vec<String>,
}

impl Parts<'_> {
    /// The instruction with the comment lines directly above it, without the final newline.
    fn source(&self, ins: &Instruction) -> String {
        let span = util::line_span(self.text, ins.span, true);
        let start = span.start;
        let end = ins.span.end.max(start);
        util::slice(self.text, crate::span::Span::new(start, end)).to_string()
    }

    fn workdir_at(&self, pos: usize) -> &str {
        self.workdirs.get(pos).map_or("/", String::as_str)
    }

    fn final_workdir(&self) -> &str {
        self.workdirs.last().map_or("/", String::as_str)
    }
}

fn plan(cx: &Context, stage: &Stage, project: &Project) -> Result<Plan, String> {
    let instrs: Vec<(usize, &Instruction, Role)> = stage_instructions(cx.doc, stage)
        .into_iter()
        .map(|(i, ins)| (i, ins, role(ins)))
        .collect();
    if instrs
        .iter()
        .any(|(_, ins, _)| ins.keyword == Keyword::Onbuild || ins.keyword == Keyword::Unknown)
    {
        return Err("the stage has ONBUILD or an unknown instruction".into());
    }
    let pivot = instrs
        .iter()
        .rposition(|(_, _, r)| matches!(r, Role::Install | Role::Build))
        .ok_or("nothing is installed or built")?;
    let workdirs = util::workdirs(cx.doc, stage)
        .into_iter()
        .map(|(_, w)| w)
        .collect();
    let parts = Parts {
        text: cx.text,
        instrs,
        pivot,
        workdirs,
    };
    let from = util::ins(cx.doc, stage.from_instruction).ok_or("no FROM")?;
    let base = util::from_parts(from).0;
    if base.contains('$') {
        return Err("the base image is set by a build argument".into());
    }
    match project.ecosystem {
        Ecosystem::Python => python(&parts, project, &base),
        Ecosystem::Node => node(&parts, project, &base),
        Ecosystem::Ruby => ruby(&parts, project, &base),
        Ecosystem::Php => php(&parts, project, &base),
        Ecosystem::Go | Ecosystem::Rust | Ecosystem::Java | Ecosystem::DotNet | Ecosystem::C => {
            compiled(&parts, project, &base)
        }
        Ecosystem::Unknown => Err("the language or package manager is not recognised".into()),
    }
}

// Rendering shared by every ecosystem.

const BUILD_ONLY_ENV: &[&str] = &[
    "PIP_",
    "UV_",
    "POETRY_",
    "PIPENV_",
    "CGO_",
    "GO",
    "CARGO_",
    "RUSTFLAGS",
    "MAVEN_",
    "GRADLE_",
    "DOTNET_CLI",
    "NUGET",
    "COMPOSER_",
    "NPM_CONFIG",
    "YARN_",
    "DEBIAN_FRONTEND",
];

/// True when every variable an ENV sets only matters while building.
fn build_only_env(ins: &Instruction) -> bool {
    let kv = util::key_values(ins);
    !kv.is_empty()
        && kv
            .iter()
            .all(|(k, _)| BUILD_ONLY_ENV.iter().any(|p| k.starts_with(p)))
}

fn header(title: &str) -> String {
    let rule = "# =============================================================================";
    format!("{rule}\n# {title}\n{rule}\n")
}

fn join(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// Rewrites the run command's words so they no longer go through a tool the runtime lacks
/// (`uv run X` → `X`).
fn strip_runner(words: &[String], runner: &[&str]) -> Option<Vec<String>> {
    if words.len() > runner.len() && words.iter().zip(runner).all(|(w, r)| w == r) {
        // The command starts at the runner's first operand (`uv run --with x app`).
        let after = &words[runner.len()..];
        let first = shell::operands(after, shell::value_options(runner[0]));
        return first.first().map(|&i| after[i..].to_vec());
    }
    None
}

/// The runtime's copy of a meta instruction, with CMD/ENTRYPOINT rewritten when asked.
fn meta_line(parts: &Parts, ins: &Instruction, runner: Option<&[&str]>, exec_only: bool) -> String {
    if matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) {
        let words = util::arg_words(ins);
        if let Some(rest) = runner.and_then(|r| strip_runner(&words, r)) {
            return format!("{} {}", ins.keyword_text(), exec_form(&rest));
        }
        if exec_only && !util::is_exec(ins) {
            return format!("{} {}", ins.keyword_text(), exec_form(&words));
        }
    }
    parts.source(ins)
}

/// The program of the run command, without its directory.
fn run_program(project: &Project) -> &str {
    project
        .run_command
        .first()
        .map_or("", |w| shell::basename(w))
}

/// Programs that set up users, groups, directories and permissions.
const SETUP_TOOLS: &[&str] = &[
    "addgroup", "adduser", "groupadd", "useradd", "usermod", "groupmod", "mkdir", "chown", "chmod",
    "chgrp",
];

/// Programs that create or change users and groups.
const USER_TOOLS: &[&str] = &[
    "addgroup", "adduser", "groupadd", "useradd", "usermod", "groupmod",
];

/// Scratch places whose setup the runtime never needs.
fn scratch_path(path: &str) -> bool {
    [
        "/tmp",
        "/var/tmp",
        "/root/.cache",
        "/var/cache",
        "/var/lib/apt",
    ]
    .iter()
    .any(|d| path == *d || path.starts_with(&format!("{d}/")))
}

/// The setup commands of a RUN the runtime does not replay (`apt-get install … && useradd
/// app && mkdir -p /data`), as one RUN for the runtime: users and groups always; directories
/// and permissions outside the working directory `wd`, and inside it too when the runtime takes
/// the sources from the context (`sources_from_context`) rather than from the builder, whose
/// copy keeps them. `None` when there are none.
fn setup_run(ins: &Instruction, wd: &str, sources_from_context: bool) -> Option<String> {
    if ins.keyword != Keyword::Run || !ins.heredocs().is_empty() {
        return None;
    }
    let script = shell::Script::parse(&arg_text(ins));
    let cmds: Vec<&shell::Command> = script.commands().filter(|c| c.depth == 0).collect();
    let mut kept: Vec<&str> = Vec::new();
    for (k, c) in cmds.iter().enumerate() {
        let piped = c.followed_by == Some("|") || (k > 0 && cmds[k - 1].followed_by == Some("|"));
        if piped || !SETUP_TOOLS.contains(&c.program()) {
            continue;
        }
        let keep = USER_TOOLS.contains(&c.program())
            || c.program_operands()
                .into_iter()
                .filter(|a| !a.contains(':') && !a.starts_with('+'))
                .filter(|a| !(c.program() != "mkdir" && a.chars().all(|ch| ch.is_ascii_digit())))
                .any(|a| {
                    let path = util::resolve(wd, &a.text);
                    if scratch_path(&path) {
                        return false;
                    }
                    let inside =
                        path == wd || path.starts_with(&format!("{}/", wd.trim_end_matches('/')));
                    !inside || sources_from_context
                });
        if keep {
            kept.push(script.slice(c.range).trim());
        }
    }
    (!kept.is_empty()).then(|| format!("RUN {}", kept.join(" \\\n    && ")))
}

/// Paths outside the working directory `wd` that a build or install RUN writes (`cp -r dist/.
/// /var/www/html/`, `go build -o /usr/local/bin/app`): the runtime copies them from the builder.
/// Scratch places and the package managers' own directories are left out.
fn outside_outputs(ins: &Instruction, wd: &str) -> Vec<String> {
    let mut out = Vec::new();
    if ins.keyword != Keyword::Run {
        return out;
    }
    let mut here = wd.to_string();
    for c in shell::commands(&arg_text(ins)) {
        let dest = match c.program() {
            "cd" => {
                if let Some(d) = c.program_args().first() {
                    here = util::resolve(&here, &d.text);
                }
                None
            }
            "cp" | "mv" | "rsync" | "install" => {
                let operands = c.program_operands();
                (operands.len() >= 2)
                    .then(|| operands.last().map(|a| a.text.clone()))
                    .flatten()
            }
            _ => c
                .flag_value(&["-o", "--output", "--out-dir", "--outDir", "--outdir"])
                .map(str::to_string),
        };
        let Some(dest) = dest else { continue };
        if dest.contains('$') {
            continue;
        }
        let path = util::resolve(&here, &dest);
        let inside = path == wd || path.starts_with(&format!("{}/", wd.trim_end_matches('/')));
        let system = [
            "/usr/local/lib",
            "/usr/lib",
            "/root",
            "/etc/apt",
            "/var/lib",
        ]
        .iter()
        .any(|d| path == *d || path.starts_with(&format!("{d}/")));
        if !inside && !system && !scratch_path(&path) && path != "/" && !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// The programs a tool-setup RUN puts on PATH: global npm/pnpm/yarn packages by name (a
/// scoped package by the part after its scope), corepack's shims, Python tools installed with
/// pip (`pip install poetry` → `poetry`).
fn setup_programs(ins: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    for c in shell::commands(&arg_text(ins)) {
        let prog = c.program();
        let global = c
            .args()
            .iter()
            .any(|a| a == "-g" || a == "--global" || a == "global");
        let names: Vec<&str> = if (matches!(prog, "npm" | "pnpm" | "yarn") && global)
            || (matches!(prog, "pip" | "pip3") && c.subcommand() == Some("install"))
        {
            c.program_operands()
                .into_iter()
                .map(|a| a.text.as_str())
                .filter(|a| !matches!(*a, "install" | "i" | "add" | "global"))
                .collect()
        } else {
            Vec::new()
        };
        for n in names {
            let unscoped = match n.strip_prefix('@') {
                Some(rest) => rest.split_once('/').map_or(rest, |(_, p)| p),
                None => n,
            };
            let name = unscoped
                .split(['@', '=', '<', '>', '~', '[', '!'])
                .next()
                .unwrap_or("");
            if !name.is_empty() {
                out.push(name.to_string());
            }
        }
        if prog == "corepack" {
            out.extend(["pnpm".to_string(), "yarn".to_string()]);
        }
    }
    out
}

/// The programs the container starts (ENTRYPOINT, CMD after an entrypoint script) and its
/// HEALTHCHECK runs, by name.
fn used_programs(parts: &Parts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut entry: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    for (_, ins, _) in &parts.instrs {
        match ins.keyword {
            Keyword::Entrypoint => entry = util::arg_words(ins),
            Keyword::Cmd => cmd = util::arg_words(ins),
            Keyword::Healthcheck => {
                for c in shell::commands(&arg_text(ins)) {
                    if c.program() != "CMD" {
                        out.push(c.program().to_string());
                    } else if let Some(p) = c.args().first() {
                        out.push(shell::basename(p).to_string());
                    }
                }
            }
            _ => {}
        }
    }
    for words in [entry, cmd] {
        // `npx prog`, `pnpm exec prog`, `sh -c "…"`: the program after the runner too.
        for (k, w) in words.iter().enumerate() {
            if k == 0
                || (!w.starts_with('-')
                    && words[..k].iter().all(|p| {
                        matches!(
                            shell::basename(p),
                            "npx" | "exec" | "dlx" | "run" | "pnpm" | "yarn"
                        )
                    }))
            {
                out.push(shell::basename(w).to_string());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::base_images::{java_version, python_version, slim_variant};
    use super::strip_runner;

    #[test]
    fn the_command_after_a_runner_and_its_options() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        // `--with x` is an option and its value: the command is `app` (it was `x app`).
        assert_eq!(
            strip_runner(&words("uv run --with x app --port 80"), &["uv", "run"]),
            Some(words("app --port 80"))
        );
        assert_eq!(
            strip_runner(&words("uv run --frozen app"), &["uv", "run"]),
            Some(words("app"))
        );
        assert_eq!(
            strip_runner(&words("uv run --frozen"), &["uv", "run"]),
            None
        );
    }

    #[test]
    fn base_variants() {
        assert_eq!(
            slim_variant("python:3.12").as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(
            slim_variant("node:20-bookworm").as_deref(),
            Some("node:20-bookworm-slim")
        );
        assert_eq!(
            slim_variant("node:20-alpine").as_deref(),
            Some("node:20-alpine")
        );
        assert_eq!(python_version("python:3.11-slim").as_deref(), Some("3.11"));
        assert_eq!(
            java_version("maven:3.9-eclipse-temurin-21").as_deref(),
            Some("21")
        );
        assert_eq!(java_version("gradle:8.7-jdk21").as_deref(), Some("21"));
        assert_eq!(
            java_version("eclipse-temurin:17-jdk").as_deref(),
            Some("17")
        );
    }

    fn split(text: &str) -> Option<String> {
        crate::refactor::apply_one(
            text,
            "split-stage",
            &crate::refactor::RefactorOptions::default(),
        )
    }

    #[test]
    fn no_split_when_an_entrypoint_script_starts_an_installed_program() {
        // nginx's official recipe: the script execs the apt-installed `nginx`, which a runtime
        // stage holding only the script would not have.
        let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc make nginx\n\
                    RUN cd /tmp && make\nCOPY docker-entrypoint.sh /\n\
                    ENTRYPOINT [\"/docker-entrypoint.sh\"]\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
        assert_eq!(split(text), None);
    }

    #[test]
    fn c_programs_must_come_from_a_compile_step() {
        // A development image whose entrypoint is a script of the sources: nothing is built there.
        let wrapper = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y build-essential\n\
                       RUN cd /usr/local/lvm2 && make\nWORKDIR /src\nCOPY . /src\nENTRYPOINT [\"hack/dind\"]\n";
        assert_eq!(split(wrapper), None);
        // Built where it runs, or installed by `make install` under its prefix: split.
        let built = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc make\n\
                     WORKDIR /src\nCOPY . .\nRUN make\nCMD [\"./app\"]\n";
        assert!(split(built).is_some_and(|t| t.contains("COPY --from=builder /src/app")));
        let installed = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc make\n\
                         WORKDIR /src\nCOPY . .\nRUN make && make install PREFIX=/opt/tool\n\
                         ENTRYPOINT [\"/opt/tool/bin/tool\"]\n";
        assert!(split(installed).is_some());
    }
}
