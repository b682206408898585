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

use super::project::{
    self, is_build_package, is_manifest, recognise_stage, Ecosystem, Project, Tool,
};
use super::shell::{self, exec_form, Command};
use super::util::{self, arg_text, copy_parts, image_repo_tag, resolve, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::Stage;
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};

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
            if util::flag(ins, "from").is_some() {
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
                .args()
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
    if cx.model.stages.len() != 1 {
        return None;
    }
    let stage = cx.model.stages.first()?;
    if stage.base_text.eq_ignore_ascii_case("scratch") || stage.name.is_some() {
        return None;
    }
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
    Some(Draft {
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

fn plan(cx: &Context, stage: &Stage, project: &Project) -> Option<Plan> {
    let instrs: Vec<(usize, &Instruction, Role)> = stage_instructions(cx.doc, stage)
        .into_iter()
        .map(|(i, ins)| (i, ins, role(ins)))
        .collect();
    if instrs
        .iter()
        .any(|(_, ins, _)| ins.keyword == Keyword::Onbuild || ins.keyword == Keyword::Unknown)
    {
        return None;
    }
    let pivot = instrs
        .iter()
        .rposition(|(_, _, r)| matches!(r, Role::Install | Role::Build))?;
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
    let from = util::ins(cx.doc, stage.from_instruction)?;
    let base = util::from_parts(from).0;
    if base.contains('$') {
        return None;
    }
    match project.ecosystem {
        Ecosystem::Python => python(&parts, project, &base),
        Ecosystem::Node => node(&parts, project, &base),
        Ecosystem::Ruby => ruby(&parts, project, &base),
        Ecosystem::Php => php(&parts, project, &base),
        Ecosystem::Go | Ecosystem::Rust | Ecosystem::Java | Ecosystem::DotNet | Ecosystem::C => {
            compiled(&parts, project, &base)
        }
        Ecosystem::Unknown => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Base images

/// The slim variant of an official interpreter image (`python:3.12` → `python:3.12-slim`).
fn slim_variant(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    if !matches!(repo.as_str(), "python" | "node" | "ruby" | "perl") {
        return None;
    }
    if tag.contains("slim") || tag.contains("alpine") {
        return Some(image.to_string());
    }
    if tag == "latest" {
        return Some(format!("{repo}:slim"));
    }
    for codename in ["bookworm", "bullseye", "trixie", "buster"] {
        if let Some(version) = tag.strip_suffix(&format!("-{codename}")) {
            // Node writes the codename first (`20-bookworm-slim`), the others last (`3.12-slim-bookworm`).
            if repo == "node" {
                return Some(format!("{repo}:{version}-{codename}-slim"));
            }
            return Some(format!("{repo}:{version}-slim-{codename}"));
        }
        if tag == codename {
            return Some(format!("{repo}:slim-{codename}"));
        }
    }
    if tag.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Some(format!("{repo}:{tag}-slim"));
    }
    None
}

fn is_alpine(image: &str) -> bool {
    let (repo, tag) = image_repo_tag(image);
    repo == "alpine" || tag.contains("alpine")
}

fn debian_codename(image: &str) -> &'static str {
    let (_, tag) = image_repo_tag(image);
    if tag.contains("bullseye") {
        "bullseye"
    } else if tag.contains("trixie") {
        "trixie"
    } else {
        "bookworm"
    }
}

/// The `X.Y` Python version in a `python:` tag.
fn python_version(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    if repo != "python" {
        return None;
    }
    let mut parts = tag.split(['.', '-']);
    let major = parts.next()?;
    let minor = parts.next()?;
    (major.chars().all(|c| c.is_ascii_digit())
        && !major.is_empty()
        && minor.chars().all(|c| c.is_ascii_digit())
        && !minor.is_empty())
    .then(|| format!("{major}.{minor}"))
}

/// The Java feature version of a JDK image (`maven:3.9-eclipse-temurin-21` → `21`).
fn java_version(image: &str) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    let digits = |s: &str| -> Option<String> {
        let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        (!d.is_empty()).then_some(d)
    };
    for marker in ["temurin-", "jdk", "corretto-"] {
        if let Some(v) = tag
            .find(marker)
            .and_then(|i| digits(&tag[i + marker.len()..]))
        {
            return Some(v);
        }
    }
    if matches!(
        repo.as_str(),
        "eclipse-temurin" | "openjdk" | "amazoncorretto"
    ) {
        return digits(&tag);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// OS packages

/// The runtime library a `-dev` package's programs link against (Debian 12 names).
fn runtime_library(pkg: &str, alpine: bool) -> Option<&'static str> {
    if alpine {
        return match pkg {
            "postgresql-dev" | "libpq-dev" => Some("libpq"),
            "libffi-dev" => Some("libffi"),
            "jpeg-dev" | "libjpeg-turbo-dev" => Some("libjpeg-turbo"),
            "libxml2-dev" => Some("libxml2"),
            "libxslt-dev" => Some("libxslt"),
            "mariadb-dev" | "mariadb-connector-c-dev" => Some("mariadb-connector-c"),
            "sqlite-dev" => Some("sqlite-libs"),
            "libzip-dev" => Some("libzip"),
            "icu-dev" => Some("icu-libs"),
            "yaml-dev" => Some("yaml"),
            _ => None,
        };
    }
    Some(match pkg {
        "libpq-dev" => "libpq5",
        "libssl-dev" => "libssl3",
        "libffi-dev" => "libffi8",
        "libjpeg-dev" | "libjpeg62-turbo-dev" => "libjpeg62-turbo",
        "libpng-dev" => "libpng16-16",
        "libxml2-dev" => "libxml2",
        "libxslt1-dev" | "libxslt-dev" => "libxslt1.1",
        "default-libmysqlclient-dev"
        | "libmariadb-dev"
        | "libmysqlclient-dev"
        | "libmariadb-dev-compat" => "libmariadb3",
        "libcurl4-openssl-dev" | "libcurl4-gnutls-dev" => "libcurl4",
        "libzip-dev" => "libzip4",
        "libicu-dev" => "libicu72",
        "libyaml-dev" => "libyaml-0-2",
        "libsqlite3-dev" => "libsqlite3-0",
        "libgmp-dev" => "libgmp10",
        "libmagic-dev" => "libmagic1",
        "libreadline-dev" => "libreadline8",
        "libsasl2-dev" => "libsasl2-2",
        "libldap2-dev" => "libldap-2.5-0",
        "libcairo2-dev" => "libcairo2",
        "libfreetype6-dev" => "libfreetype6",
        "libwebp-dev" => "libwebp7",
        "libonig-dev" => "libonig5",
        "libsodium-dev" => "libsodium23",
        "libpcre3-dev" => "libpcre3",
        _ => return None,
    })
}

/// The OS packages the runtime keeps: non-build packages as they are, `-dev` packages mapped to
/// their runtime library; build tools dropped.
fn runtime_packages(project: &Project, alpine: bool, drop: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pkg in &project.os_packages {
        let name = pkg.split('=').next().unwrap_or(pkg);
        let keep = if is_build_package(name) {
            runtime_library(name, alpine).map(str::to_string)
        } else if drop.contains(&name) || name.starts_with('$') {
            None
        } else {
            Some(pkg.clone())
        };
        if let Some(k) = keep {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// One RUN that installs `pkgs` the way the founding guide writes it.
fn install_line(pkgs: &[String], alpine: bool) -> String {
    if alpine {
        return format!("RUN apk add --no-cache {}", pkgs.join(" "));
    }
    let mut s =
        String::from("RUN apt-get update && apt-get install -y --no-install-recommends \\\n");
    for p in pkgs {
        s.push_str(&format!("    {p} \\\n"));
    }
    s.push_str("    && rm -rf /var/lib/apt/lists/*");
    s
}

// ---------------------------------------------------------------------------------------------
// Shared rendering

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
        let rest: Vec<String> = words[runner.len()..]
            .iter()
            .skip_while(|w| w.starts_with('-'))
            .cloned()
            .collect();
        return (!rest.is_empty()).then_some(rest);
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

// ---------------------------------------------------------------------------------------------
// Interpreted ecosystems: Python, Node, Ruby

/// How an interpreted ecosystem's runtime gets what it needs.
struct Interpreted {
    runtime_base: String,
    /// Lines inserted into the builder before the first tool setup or install.
    builder_prefix: Vec<String>,
    /// Lines appended to the builder after the last install/build.
    builder_suffix: Vec<String>,
    /// Rewrites an install RUN (by document index) for the builder.
    install_rewrite: Vec<(usize, String)>,
    /// `COPY --from=builder …` and ENV lines emitted in the runtime where the install was.
    artifacts: Vec<String>,
    /// Copy the whole working directory from the builder (sources were transformed by a build).
    copy_workdir: bool,
    /// OS packages that only the build needed besides the compilers.
    drop_packages: Vec<&'static str>,
    /// Tool-setup RUNs to replay in the runtime (the run command uses the tool).
    keep_tool_setup: bool,
    /// A runner prefix to strip from CMD/ENTRYPOINT (`uv run`).
    runner: Option<&'static [&'static str]>,
    what: String,
    notes: Vec<String>,
}

fn render_interpreted(
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

fn python(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
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
            shell::only_and_chains(&cmds)
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
    let args = cmd.args();
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
        Some(c) if c.has_flag("--frozen") => "--frozen",
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

fn node(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
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
            shell::commands(&arg_text(ins))
                .iter()
                .any(|c| c.has_flag("--omit") || c.has_flag("--production") || c.has_flag("--prod"))
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

fn ruby(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
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
fn php(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
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

// ---------------------------------------------------------------------------------------------
// Compiled ecosystems: Go, Rust, Java, .NET, C/C++

/// Where the run command's program (or jar) lives in the builder, resolved against the working
/// directory; `None` when it cannot be known.
pub fn artifacts(doc: &Dockerfile, stage: &Stage, project: &Project) -> Vec<String> {
    let wd = project.workdir.as_str();
    let run = &project.run_command;
    let mut out = Vec::new();
    let first = run.first().map(String::as_str).unwrap_or("");
    match project.ecosystem {
        Ecosystem::Java => {
            if let Some(i) = run.iter().position(|w| w == "-jar") {
                if let Some(jar) = run.get(i + 1) {
                    out.push(resolve(wd, jar));
                }
            }
        }
        Ecosystem::DotNet => {
            for (_, ins) in stage_instructions(doc, stage) {
                if ins.keyword != Keyword::Run {
                    continue;
                }
                let wd_here = project.workdir.clone();
                for c in shell::commands(&arg_text(ins)) {
                    if c.is("dotnet", "publish") {
                        if let Some(o) = c.flag_value(&["-o", "--output"]) {
                            out.push(resolve(&wd_here, &o));
                        }
                    }
                }
            }
        }
        Ecosystem::Go | Ecosystem::Rust | Ecosystem::C => {
            if first.is_empty() || matches!(first, "sh" | "bash" | "/bin/sh" | "/bin/bash") {
                return out;
            }
            // An entrypoint script starts a program it names itself (nginx's
            // `/docker-entrypoint.sh` runs the apt-installed `nginx`): copying the script alone
            // would leave the program behind.
            if first.ends_with(".sh") {
                return out;
            }
            if first.contains('/') {
                let path = resolve(wd, first);
                // A C program must come out of a compile step whose directory holds it; a path
                // elsewhere is a file of the context or the image (a script, a dev-image
                // wrapper), not a build product.
                if project.ecosystem == Ecosystem::C
                    && !compile_dirs(doc, stage)
                        .iter()
                        .any(|d| path.starts_with(&format!("{}/", d.trim_end_matches('/'))))
                {
                    return out;
                }
                out.push(path);
            } else {
                // A bare name: installed into a bin directory by the build.
                let dir = match project.ecosystem {
                    Ecosystem::Go => "/go/bin",
                    Ecosystem::Rust => "/usr/local/cargo/bin",
                    _ => "/usr/local/bin",
                };
                let installs = stage_instructions(doc, stage).iter().any(|(_, ins)| {
                    shell::commands(&arg_text(ins))
                        .iter()
                        .any(|c| c.is("go", "install") || c.is("cargo", "install"))
                });
                if installs {
                    out.push(format!("{dir}/{first}"));
                }
            }
        }
        _ => {}
    }
    out
}

/// The directories C compile steps (`make`, `cmake`, `ninja`, `gcc`, `cc`, `g++`, `clang`) run
/// in (the WORKDIR in force, changed by `cd DIR` earlier in the same `RUN`), and the prefixes
/// `make install` installs into.
fn compile_dirs(doc: &Dockerfile, stage: &Stage) -> Vec<String> {
    let mut out = Vec::new();
    for (i, wd) in util::workdirs(doc, stage) {
        let Some(ins) = util::ins(doc, i) else {
            continue;
        };
        if ins.keyword != Keyword::Run {
            continue;
        }
        let mut dir = wd;
        for c in shell::commands(&arg_text(ins)) {
            match c.program() {
                "cd" => {
                    if let Some(d) = c.args().first() {
                        dir = resolve(&dir, d);
                    }
                }
                "make" | "cmake" | "ninja" | "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" => {
                    out.push(dir.clone());
                    // `make install` puts the program under its prefix (`/usr/local` unless set).
                    if c.args().iter().any(|a| a == "install") {
                        let prefix = c.args().iter().chain(c.words.iter()).find_map(|a| {
                            a.strip_prefix("PREFIX=")
                                .or_else(|| a.strip_prefix("prefix="))
                        });
                        out.push(prefix.unwrap_or("/usr/local").to_string());
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn compiled(parts: &Parts, project: &Project, base: &str) -> Option<Plan> {
    let mut notes: Vec<String> = Vec::new();
    let mut builder = vec![format!("FROM {base} AS builder")];
    let mut run_words = project.run_command.clone();
    let mut suffix: Vec<String> = Vec::new();
    let mut artifacts: Vec<(String, String)> = project
        .artifacts
        .iter()
        .map(|a| (a.clone(), a.clone()))
        .collect();
    let alpine = is_alpine(base);
    let all_cmds: Vec<Command> = parts
        .instrs
        .iter()
        .filter(|(_, ins, _)| ins.keyword == Keyword::Run)
        .flat_map(|(_, ins, _)| shell::commands(&arg_text(ins)))
        .collect();
    let mut runtime_packages = runtime_packages(
        project,
        alpine,
        &["ca-certificates", "tzdata", "curl", "wget"],
    );
    let runtime_base: String;
    let mut distroless = false;
    match project.ecosystem {
        Ecosystem::Go => {
            let cgo_set = all_cmds
                .iter()
                .any(|c| c.assignments().iter().any(|(k, _)| *k == "CGO_ENABLED"))
                || parts.instrs.iter().any(|(_, ins, r)| {
                    *r == Role::Env
                        && util::key_values(ins)
                            .iter()
                            .any(|(k, _)| k == "CGO_ENABLED")
                });
            let cgo_on = all_cmds.iter().any(|c| {
                c.assignments()
                    .iter()
                    .any(|(k, v)| *k == "CGO_ENABLED" && *v == "1")
            }) || project
                .build_packages
                .iter()
                .any(|p| matches!(p.as_str(), "gcc" | "musl-dev" | "build-base" | "g++"))
                || project.build_packages.iter().any(|p| p.contains("sqlite"));
            if cgo_on {
                runtime_base = if alpine {
                    "alpine:3.20".into()
                } else {
                    "debian:bookworm-slim".into()
                };
                notes.push("The build links C code (cgo), so the runtime is a small image with the C library rather than a static one.".into());
            } else {
                if !cgo_set {
                    builder.push("ENV CGO_ENABLED=0".into());
                    notes.push("`CGO_ENABLED=0` makes the Go binary static, so it runs in `distroless/static` (no libc, no shell).".into());
                }
                runtime_base = "gcr.io/distroless/static-debian12".into();
                distroless = true;
            }
        }
        Ecosystem::Rust => {
            if alpine {
                runtime_base = "alpine:3.20".into();
            } else if runtime_packages.is_empty() {
                runtime_base = "gcr.io/distroless/cc-debian12".into();
                distroless = debian_codename(base) == "bookworm";
                if !distroless {
                    return None;
                }
                notes.push("`distroless/cc` has glibc and libgcc, what a cargo binary links against, and no shell.".into());
            } else {
                runtime_base = format!("debian:{}-slim", debian_codename(base));
                runtime_packages.push("ca-certificates".into());
            }
        }
        Ecosystem::Java => {
            let version = java_version(base)?;
            runtime_base = if alpine {
                format!("eclipse-temurin:{version}-jre-alpine")
            } else {
                format!("eclipse-temurin:{version}-jre")
            };
            runtime_packages.clear();
            notes.push(format!(
                "The runtime is a Java {version} JRE: no JDK, no Maven or Gradle."
            ));
        }
        Ecosystem::DotNet => {
            let (repo, tag) = image_repo_tag(base);
            if !repo.ends_with("dotnet/sdk") {
                return None;
            }
            runtime_base = format!("mcr.microsoft.com/dotnet/aspnet:{tag}");
            runtime_packages.clear();
            if artifacts.is_empty() {
                // `dotnet run`: publish instead, and run the published dll.
                let project_file = run_words
                    .iter()
                    .position(|w| w == "--project")
                    .and_then(|i| run_words.get(i + 1))
                    .cloned()
                    .or_else(|| {
                        project
                            .manifests
                            .iter()
                            .find(|m| m.ends_with(".csproj") && !m.contains('*'))
                            .cloned()
                    })?;
                let name = shell::basename(&project_file)
                    .trim_end_matches(".csproj")
                    .to_string();
                if !(run_words.first().is_some_and(|w| w == "dotnet")
                    && run_words.get(1).is_some_and(|w| w == "run"))
                {
                    return None;
                }
                suffix.push(format!(
                    "RUN dotnet publish {project_file} -c Release -o /app/publish"
                ));
                artifacts.push(("/app/publish".into(), "/app".into()));
                run_words = vec!["dotnet".into(), format!("{name}.dll")];
                notes.push(format!("`dotnet run` needs the SDK; the builder publishes `{name}` and the runtime runs `{name}.dll`."));
            }
            notes.push("`aspnet` holds the ASP.NET Core and .NET runtimes, not the SDK.".into());
        }
        Ecosystem::C => {
            let (repo, tag) = image_repo_tag(base);
            runtime_base = match repo.as_str() {
                "gcc" => "debian:bookworm-slim".into(),
                "ubuntu" => base.to_string(),
                "debian" if tag.contains("slim") => base.to_string(),
                "debian" => format!("debian:{tag}-slim"),
                "alpine" => base.to_string(),
                _ => return None,
            };
            if repo == "gcc" {
                notes.push("Programs built with the `gcc` image's newer libstdc++ may need it at run time; C programs and plain libc are fine on `debian:bookworm-slim`.".into());
            }
        }
        _ => return None,
    }
    if artifacts.is_empty() {
        return None;
    }
    // distroless has no shell: every run-time instruction must do without one.
    if distroless {
        let needs_shell = parts.instrs.iter().any(|(_, ins, _)| match ins.keyword {
            Keyword::Cmd | Keyword::Entrypoint => {
                !util::is_exec(ins) && shell::needs_shell(&arg_text(ins))
            }
            Keyword::Healthcheck => true,
            _ => false,
        }) || !runtime_packages.is_empty();
        if needs_shell {
            let fallback =
                if project.ecosystem == Ecosystem::Go || project.ecosystem == Ecosystem::Rust {
                    format!("debian:{}-slim", debian_codename(base))
                } else {
                    return None;
                };
            return compiled_render(
                parts,
                project,
                builder,
                suffix,
                artifacts,
                run_words,
                fallback,
                false,
                runtime_packages,
                notes,
            );
        }
    }
    compiled_render(
        parts,
        project,
        builder,
        suffix,
        artifacts,
        run_words,
        runtime_base,
        distroless,
        runtime_packages,
        notes,
    )
}

#[allow(clippy::too_many_arguments)]
fn compiled_render(
    parts: &Parts,
    project: &Project,
    mut builder: Vec<String>,
    suffix: Vec<String>,
    artifacts: Vec<(String, String)>,
    run_words: Vec<String>,
    runtime_base: String,
    distroless: bool,
    packages: Vec<String>,
    mut notes: Vec<String>,
) -> Option<Plan> {
    for (_, ins, r) in &parts.instrs {
        if *r != Role::Meta {
            builder.push(parts.source(ins));
        }
    }
    builder.extend(suffix);
    let mut runtime = vec![format!("FROM {runtime_base} AS production")];
    for (_, ins, r) in &parts.instrs {
        match r {
            Role::Env if !build_only_env(ins) => runtime.push(parts.source(ins)),
            Role::Arg => runtime.push(parts.source(ins)),
            _ => {}
        }
    }
    let wd = parts.final_workdir().to_string();
    if wd != "/" {
        runtime.push(format!("WORKDIR {wd}"));
    }
    if !packages.is_empty() {
        runtime.push(install_line(&packages, is_alpine(&runtime_base)));
    }
    for (from, to) in &artifacts {
        runtime.push(format!("COPY --from=builder {from} {to}"));
    }
    let rewrite_cmd = run_words != project.run_command;
    let mut cmd_written = false;
    for (_, ins, r) in &parts.instrs {
        if *r != Role::Meta {
            continue;
        }
        if matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) && rewrite_cmd {
            if !cmd_written {
                runtime.push(format!("ENTRYPOINT {}", exec_form(&run_words)));
                cmd_written = true;
            }
            continue;
        }
        runtime.push(meta_line(parts, ins, None, distroless));
    }
    if distroless {
        notes.push(format!("`{runtime_base}` has no shell, so CMD/ENTRYPOINT use the exec form and a HEALTHCHECK needs a binary of its own."));
    }
    let list: Vec<String> = artifacts.iter().map(|(f, _)| format!("`{f}`")).collect();
    let mut text = header("Stage 1: Builder");
    text.push_str(&join(&builder));
    text.push('\n');
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&join(&runtime));
    Some(Plan {
        text,
        runtime_base,
        what: list.join(", "),
        notes,
    })
}

/// True when the exec-form words of a CMD need nothing but the program (for tests).
pub fn exec_words(ins: &Instruction) -> Option<Vec<String>> {
    match &ins.args {
        Args::Exec { items, .. } => Some(items.iter().map(|w| w.text.clone()).collect()),
        Args::Shell { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
