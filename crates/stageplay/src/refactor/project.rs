//! Project recognition: what kind of application a stage builds, read from its instructions.
//!
//! Evidence, strongest first: the base image family (`python`, `node`, `golang`, …), then the
//! commands of its RUN instructions (`pip install`, `npm ci`, `go build`, …) and the manifests its
//! COPY instructions bring in (`requirements.txt`, `package.json`, `go.mod`, …).

use super::shell::{self, Command};
use super::util::{self, arg_text, copy_parts, resolve, stage_instructions};
use crate::model::{Base, Model, Stage};
use crate::syntax::{Dockerfile, Keyword};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Ecosystem {
    Python,
    Node,
    Go,
    Rust,
    Java,
    DotNet,
    Ruby,
    Php,
    /// C or C++ built with make or CMake.
    C,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Tool {
    Pip,
    Uv,
    Poetry,
    Pipenv,
    Npm,
    Yarn,
    Pnpm,
    GoModules,
    Cargo,
    Maven,
    Gradle,
    Dotnet,
    Bundler,
    Composer,
    Make,
    CMake,
    None,
}

/// A command inside a RUN instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandRef {
    /// Index into `Dockerfile::instructions`.
    pub instruction: usize,
    pub line: u32,
    /// The command as written.
    pub command: String,
}

/// What [`recognise`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub ecosystem: Ecosystem,
    pub tool: Tool,
    /// The stage index this describes.
    pub stage: usize,
    /// The base image as written.
    pub base: String,
    /// Dependency manifests copied in (`requirements.txt`, `package.json`, …), as written.
    pub manifests: Vec<String>,
    /// The dependency install (`pip install -r …`, `npm ci`, `go mod download`, …), the last one.
    pub install_command: Option<CommandRef>,
    /// The compile step (`go build`, `cargo build`, `npm run build`, `mvn package`, …), the last one.
    pub build_command: Option<CommandRef>,
    /// Absolute paths the run command needs from the build (binaries, jars, publish folders,
    /// dependency folders); empty when unknown.
    pub artifacts: Vec<String>,
    /// ENTRYPOINT + CMD words.
    pub run_command: Vec<String>,
    /// The working directory at the end of the stage.
    pub workdir: String,
    /// OS packages installed that are compilers, headers or build helpers.
    pub build_packages: Vec<String>,
    /// Every OS package installed (apt-get or apk), in order.
    pub os_packages: Vec<String>,
    /// True when the stage installs build tools or compiles.
    pub builds: bool,
}

/// Recognises the project built by the final (target) stage.
pub fn recognise(doc: &Dockerfile, model: &Model) -> Project {
    let stage = util::final_stage(model).map_or(0, |s| s.index);
    recognise_stage(doc, model, stage)
}

/// Recognises the project built by stage `index` (an `Unknown` project when out of range).
pub fn recognise_stage(doc: &Dockerfile, model: &Model, index: usize) -> Project {
    let mut project = Project {
        ecosystem: Ecosystem::Unknown,
        tool: Tool::None,
        stage: index,
        base: String::new(),
        manifests: Vec::new(),
        install_command: None,
        build_command: None,
        artifacts: Vec::new(),
        run_command: Vec::new(),
        workdir: "/".into(),
        build_packages: Vec::new(),
        os_packages: Vec::new(),
        builds: false,
    };
    let Some(stage) = model.stages.get(index) else {
        return project;
    };
    project.base = root_image(model, stage);
    project.run_command = util::run_command(doc, stage);
    project.workdir = util::workdirs(doc, stage)
        .last()
        .map_or("/".into(), |(_, w)| w.clone());
    let family = image_family(&project.base);

    let mut tools: Vec<Tool> = Vec::new();
    for (i, ins) in stage_instructions(doc, stage) {
        match ins.keyword {
            Keyword::Run => {
                let script = shell::Script::parse(&arg_text(ins));
                for cmd in script.commands().filter(|c| c.depth == 0) {
                    let pkgs = os_packages(cmd);
                    for p in pkgs {
                        if is_build_package(&p) {
                            project.build_packages.push(p.clone());
                        }
                        project.os_packages.push(p);
                    }
                    let r = CommandRef {
                        instruction: i,
                        line: ins.start_line,
                        command: script.slice(cmd.range).trim().to_string(),
                    };
                    if let Some(tool) = install_tool(cmd) {
                        tools.push(tool);
                        project.install_command = Some(r.clone());
                    }
                    if let Some(tool) = build_tool(cmd) {
                        tools.push(tool);
                        project.build_command = Some(r);
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                if ins.flag_value("from").is_some() {
                    continue;
                }
                if let Some((sources, _)) = copy_parts(ins) {
                    for s in sources {
                        if is_manifest(&s) {
                            project.manifests.push(s);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let ecosystem = family
        .or_else(|| tools.first().map(|t| ecosystem_of(*t)))
        .unwrap_or(Ecosystem::Unknown);
    project.ecosystem = ecosystem;
    // The tool: the last one of the ecosystem used (uv installed with pip counts as uv).
    project.tool = tools
        .iter()
        .rev()
        .copied()
        .find(|t| ecosystem_of(*t) == ecosystem)
        .unwrap_or(Tool::None);
    if project.tool == Tool::None {
        project.tool = tool_from_manifests(&project.manifests, ecosystem);
    }
    project.builds = !project.build_packages.is_empty()
        || project.build_command.is_some()
        || is_toolchain_image(&project.base);
    project.artifacts = artifacts(doc, stage, &project);
    project
}

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
                    if c.runs("dotnet", "publish") {
                        if let Some(o) = c.flag_value(&["-o", "--output"]) {
                            out.push(resolve(&wd_here, o));
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
                        .any(|c| c.runs("go", "install") || c.runs("cargo", "install"))
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
                    if let Some(d) = c.program_args().first() {
                        dir = resolve(&dir, d);
                    }
                }
                "make" | "cmake" | "ninja" | "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" => {
                    out.push(dir.clone());
                    // `make install` puts the program under its prefix (`/usr/local` unless set).
                    if c.program_args().iter().any(|a| a == "install") {
                        let prefix = c.program_args().iter().chain(c.words.iter()).find_map(|a| {
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

/// The external image at the root of the stage's FROM chain.
pub fn root_image(model: &Model, stage: &Stage) -> String {
    let chain = stage_chain(model, stage);
    let root = chain.last().copied().unwrap_or(stage);
    match &root.base {
        Base::Image(image) => image.clone(),
        Base::Scratch => "scratch".into(),
        Base::Stage(_) => root.base_text.clone(),
    }
}

/// `stage` and the stages it is built `FROM`, nearest first (at most one pass over the stages,
/// so a malformed model cannot loop).
pub fn stage_chain<'a>(model: &'a Model, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut chain = vec![stage];
    while chain.len() <= model.stages.len() {
        let Base::Stage(i) = chain[chain.len() - 1].base else {
            break;
        };
        match model.stages.get(i) {
            Some(parent) => chain.push(parent),
            None => break,
        }
    }
    chain
}

/// The ecosystem an official image family belongs to.
pub fn image_family(image: &str) -> Option<Ecosystem> {
    let (repo, _) = util::image_repo_tag(image);
    let name = shell::basename(&repo);
    Some(match name {
        "python" | "pypy" => Ecosystem::Python,
        "node" => Ecosystem::Node,
        "golang" => Ecosystem::Go,
        "rust" => Ecosystem::Rust,
        "maven" | "gradle" | "openjdk" | "eclipse-temurin" | "amazoncorretto" => Ecosystem::Java,
        "sdk" | "aspnet" | "runtime" if repo.contains("dotnet") => Ecosystem::DotNet,
        "ruby" => Ecosystem::Ruby,
        "php" => Ecosystem::Php,
        "gcc" => Ecosystem::C,
        _ => return None,
    })
}

/// Images that are compilers or SDKs themselves.
pub fn is_toolchain_image(image: &str) -> bool {
    let (repo, tag) = util::image_repo_tag(image);
    let name = shell::basename(&repo);
    matches!(name, "golang" | "rust" | "maven" | "gradle" | "gcc")
        || (name == "sdk" && repo.contains("dotnet"))
        || (matches!(name, "eclipse-temurin" | "openjdk" | "amazoncorretto")
            && !tag.contains("jre"))
}

pub fn ecosystem_of(tool: Tool) -> Ecosystem {
    match tool {
        Tool::Pip | Tool::Uv | Tool::Poetry | Tool::Pipenv => Ecosystem::Python,
        Tool::Npm | Tool::Yarn | Tool::Pnpm => Ecosystem::Node,
        Tool::GoModules => Ecosystem::Go,
        Tool::Cargo => Ecosystem::Rust,
        Tool::Maven | Tool::Gradle => Ecosystem::Java,
        Tool::Dotnet => Ecosystem::DotNet,
        Tool::Bundler => Ecosystem::Ruby,
        Tool::Composer => Ecosystem::Php,
        Tool::Make | Tool::CMake => Ecosystem::C,
        Tool::None => Ecosystem::Unknown,
    }
}

fn tool_from_manifests(manifests: &[String], ecosystem: Ecosystem) -> Tool {
    let has = |n: &str| manifests.iter().any(|m| shell::basename(m) == n);
    match ecosystem {
        Ecosystem::Python if has("uv.lock") => Tool::Uv,
        Ecosystem::Python if has("poetry.lock") => Tool::Poetry,
        Ecosystem::Python if has("Pipfile") => Tool::Pipenv,
        Ecosystem::Python => Tool::Pip,
        Ecosystem::Node if has("yarn.lock") => Tool::Yarn,
        Ecosystem::Node if has("pnpm-lock.yaml") => Tool::Pnpm,
        Ecosystem::Node => Tool::Npm,
        _ => Tool::None,
    }
}

/// The package manager a dependency-install command uses.
pub fn install_tool(cmd: &Command) -> Option<Tool> {
    let prog = cmd.program();
    let sub = cmd.subcommand();
    let args = cmd.program_args();
    Some(match prog {
        "pip" | "pip3" if sub == Some("install") => {
            // Installing a Python packaging tool is tool setup, not the project's dependencies.
            let targets: Vec<&shell::Word> = cmd.program_operands().into_iter().skip(1).collect();
            if !targets.is_empty()
                && targets.iter().all(|t| is_python_tool(t))
                && !cmd.has_flag(&["-r"])
            {
                return None;
            }
            Tool::Pip
        }
        "python" | "python3"
            if args.first().is_some_and(|a| a == "-m")
                && args.get(1).is_some_and(|a| a == "pip")
                && args.get(2).is_some_and(|a| a == "install") =>
        {
            Tool::Pip
        }
        "uv" if matches!(sub, Some("sync"))
            || (sub == Some("pip") && args.iter().any(|a| a == "install")) =>
        {
            Tool::Uv
        }
        "poetry" if sub == Some("install") => Tool::Poetry,
        "pipenv" if sub == Some("install") || sub == Some("sync") => Tool::Pipenv,
        "npm" if matches!(sub, Some("ci") | Some("install") | Some("i")) && !is_global(cmd) => {
            Tool::Npm
        }
        "yarn" if matches!(sub, None | Some("install")) => Tool::Yarn,
        "pnpm" if matches!(sub, Some("install") | Some("i")) && !is_global(cmd) => Tool::Pnpm,
        "go" if sub == Some("mod") && args.iter().any(|a| a == "download") => Tool::GoModules,
        "cargo" if sub == Some("fetch") => Tool::Cargo,
        "mvn" | "mvnw" if args.iter().any(|a| a.starts_with("dependency:")) => Tool::Maven,
        "dotnet" if sub == Some("restore") => Tool::Dotnet,
        "bundle" if matches!(sub, None | Some("install")) => Tool::Bundler,
        "composer" if sub == Some("install") => Tool::Composer,
        _ => return None,
    })
}

/// The build tool a compile command uses.
pub fn build_tool(cmd: &Command) -> Option<Tool> {
    let prog = cmd.program();
    let sub = cmd.subcommand();
    let args = cmd.program_args();
    Some(match prog {
        "go" if matches!(sub, Some("build") | Some("install")) => Tool::GoModules,
        "cargo" if matches!(sub, Some("build") | Some("install")) => Tool::Cargo,
        "mvn" | "mvnw"
            if args.iter().any(|a| {
                matches!(
                    &a.text[..],
                    "package" | "install" | "verify" | "spring-boot:repackage"
                )
            }) =>
        {
            Tool::Maven
        }
        "gradle" | "gradlew"
            if args.iter().any(|a| {
                matches!(
                    &a.text[..],
                    "build" | "bootJar" | "jar" | "assemble" | "installDist" | "shadowJar"
                )
            }) =>
        {
            Tool::Gradle
        }
        "dotnet" if matches!(sub, Some("publish") | Some("build")) => Tool::Dotnet,
        "npm" if sub == Some("run") && args.iter().any(|a| a == "build") => Tool::Npm,
        "yarn"
            if sub == Some("build")
                || (sub == Some("run") && args.iter().any(|a| a == "build")) =>
        {
            Tool::Yarn
        }
        "pnpm"
            if sub == Some("build")
                || (sub == Some("run") && args.iter().any(|a| a == "build")) =>
        {
            Tool::Pnpm
        }
        "rails" | "rake" if args.iter().any(|a| a == "assets:precompile") => Tool::Bundler,
        "bundle" if args.iter().any(|a| a == "assets:precompile") => Tool::Bundler,
        "make" => Tool::Make,
        "cmake" => Tool::CMake,
        _ => return None,
    })
}

fn is_global(cmd: &Command) -> bool {
    cmd.program_args()
        .iter()
        .any(|a| a == "-g" || a == "--global")
}

fn is_python_tool(name: &str) -> bool {
    let base = name
        .split(['=', '<', '>', '~', '['])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    matches!(
        base.as_str(),
        "poetry" | "pipenv" | "uv" | "pip" | "setuptools" | "wheel" | "virtualenv" | "--upgrade"
    )
}

/// The OS packages an `apt-get install`/`apt install`/`apk add`/`yum install` command installs.
pub fn os_packages(cmd: &Command) -> Vec<String> {
    let prog = cmd.program();
    let sub = cmd.subcommand();
    let installs = matches!(
        (prog, sub),
        (
            "apt-get" | "apt" | "yum" | "dnf" | "microdnf",
            Some("install")
        ) | ("apk", Some("add"))
    );
    if !installs {
        return Vec::new();
    }
    let args = cmd.program_args();
    // The operands after the sub-command (the values of these options are not packages).
    shell::operands(args, shell::value_options(cmd.program()))
        .into_iter()
        .skip(1)
        .map(|i| args[i].text.clone())
        .collect()
}

/// Compilers, headers and build helpers: what a runtime stage does not need.
pub fn is_build_package(pkg: &str) -> bool {
    let name = pkg.split(['=', '<', '>']).next().unwrap_or(pkg);
    matches!(
        name,
        "gcc"
            | "g++"
            | "make"
            | "cmake"
            | "build-essential"
            | "build-base"
            | "clang"
            | "autoconf"
            | "automake"
            | "libtool"
            | "pkg-config"
            | "pkgconf"
            | "git"
            | "musl-dev"
            | "python3-dev"
            | "python-dev"
            | "software-properties-common"
            | "cargo"
            | "rustc"
            | "golang"
            | "gfortran"
            | "ninja-build"
            | "bison"
            | "flex"
            | "swig"
            | "linux-headers"
            | "libc6-dev"
            | "libc-dev"
    ) || name.ends_with("-dev")
        || name.ends_with("-devel")
}

/// Dependency manifests and lockfiles, by file name.
pub fn is_manifest(path: &str) -> bool {
    let name = shell::basename(path.trim_end_matches('/'));
    matches!(
        name,
        "pyproject.toml"
            | "poetry.lock"
            | "uv.lock"
            | "Pipfile"
            | "Pipfile.lock"
            | "setup.cfg"
            | "package.json"
            | "package-lock.json"
            | "package*.json"
            | "npm-shrinkwrap.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "pnpm-workspace.yaml"
            | ".npmrc"
            | ".yarnrc"
            | ".yarnrc.yml"
            | "go.mod"
            | "go.sum"
            | "Cargo.toml"
            | "Cargo.lock"
            | "pom.xml"
            | "build.gradle"
            | "build.gradle.kts"
            | "settings.gradle"
            | "settings.gradle.kts"
            | "gradlew"
            | "gradle"
            | ".mvn"
            | "mvnw"
            | "Gemfile"
            | "Gemfile.lock"
            | "composer.json"
            | "composer.lock"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name.ends_with(".csproj")
        || name.ends_with(".sln")
        || name.ends_with(".fsproj")
}
