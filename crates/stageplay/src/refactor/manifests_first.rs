//! Copy the dependency manifests and install before copying the sources.
//!
//! ## What it does
//! When a stage copies the whole context (`COPY . .`) and then installs dependencies from a
//! manifest (`pip install -r requirements.txt`, `npm ci`, `bundle install`, `go mod download`, …),
//! copies just the manifests first, installs, and copies the sources after.
//!
//! ## Why is this better?
//! Founding guide, "Best Practices" 2: order matters, less-changing content first. With the
//! sources copied first, every code change invalidates the dependency layer and reinstalls
//! everything.
//!
//! Not offered for a Node install in a stage that installs compilers: the project's own
//! native build (`binding.gyp`, run by `npm ci`) needs its sources.
//!
//! ## Fix safety
//! Safe when the install reads only the manifests (the commands recognised here).
//!
//! ## References
//! Founding guide, "Basic Multi-Stage Pattern" (`COPY requirements.txt .` before `COPY ./app`);
//! Docker docs, "Optimize cache usage"; hadolint has no rule for it (hadolint #947 asks for it).

use super::project::{install_tool, is_build_package, os_packages, Tool};
use super::shell::{self, Command};
use super::util::{self, arg_text, copy_parts, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::syntax::Keyword;

pub const META: RefactorMeta = RefactorMeta {
    id: "manifests-first",
    title: "Copy dependency manifests and install before the sources",
    sources: &[
        (
            "Founding guide: Best Practices (order matters)",
            "https://docs.docker.com/build/cache/optimize/#order-your-layers",
        ),
        (
            "Founding guide: Basic Multi-Stage Pattern",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ],
};

pub fn check(cx: &Context) -> Option<Draft> {
    for stage in &cx.model.stages {
        let instrs = stage_instructions(cx.doc, stage);
        for (pos, (_, copy)) in instrs.iter().enumerate() {
            if copy.keyword != Keyword::Copy || copy.flags.iter().any(|f| f.name == "from") {
                continue;
            }
            let Some((sources, dest)) = copy_parts(copy) else {
                continue;
            };
            if !sources.iter().all(|s| s == "." || s == "./") {
                continue;
            }
            // The next instruction that is not ENV/ARG must be the install.
            let Some((_, run)) = instrs[pos + 1..]
                .iter()
                .find(|(_, i)| !matches!(i.keyword, Keyword::Env | Keyword::Arg))
            else {
                continue;
            };
            if run.keyword != Keyword::Run || !run.heredocs().is_empty() {
                continue;
            }
            let script = shell::Script::parse(&arg_text(run));
            let cmds = shell::commands(&arg_text(run));
            if cmds.is_empty() || !script.only_and_chains() {
                continue;
            }
            let mut manifests: Vec<String> = Vec::new();
            let mut ok = true;
            for c in &cmds {
                match manifests_for(c) {
                    Some(m) => {
                        for f in m {
                            if !manifests.contains(&f) {
                                manifests.push(f);
                            }
                        }
                    }
                    None => ok = false,
                }
            }
            if !ok || manifests.is_empty() {
                continue;
            }
            // A Node project's own install scripts run on `npm ci` (node-gyp builds
            // `binding.gyp` with the compilers the stage installs, `prepare` scripts read the
            // sources): with only the manifests copied they would build nothing.
            let node = cmds.iter().any(|c| {
                matches!(
                    install_tool(c),
                    Some(Tool::Npm) | Some(Tool::Yarn) | Some(Tool::Pnpm)
                )
            });
            let compilers = instrs[..pos].iter().any(|(_, i)| {
                i.keyword == Keyword::Run
                    && shell::commands(&arg_text(i))
                        .iter()
                        .flat_map(os_packages)
                        .any(|p| is_build_package(&p))
            });
            if node && compilers {
                continue;
            }
            let flags: Vec<&str> = copy.flags.iter().map(|f| f.raw.as_str()).collect();
            let dest_dir = if dest == "." {
                "./".to_string()
            } else if dest.ends_with('/') {
                dest.clone()
            } else {
                format!("{dest}/")
            };
            let mut insert = String::from("COPY ");
            for f in &flags {
                insert.push_str(f);
                insert.push(' ');
            }
            insert.push_str(&manifests.join(" "));
            insert.push(' ');
            insert.push_str(&dest_dir);
            insert.push('\n');
            insert.push_str(util::raw(cx.text, run));
            insert.push('\n');
            let at = util::line_span(cx.text, copy.span, true).start;
            let delete = util::line_span(cx.text, run.span, true);
            return Some(Draft {
                title: format!("Copy {} and install before `COPY {}`", manifests.join(", "), sources.join(" ")),
                explanation: format!(
                    "`COPY {}` comes before the dependency install, so any source change reinstalls every dependency. \
                     Copying only {} first lets the install layer stay cached until the manifests change (founding guide: \
                     \"Order matters: less-changing content first\").",
                    sources.join(" "),
                    manifests.join(", ")
                ),
                applicability: Applicability::Safe,
                edits: vec![
                    TextEdit { span: crate::span::Span::empty(at), insert },
                    TextEdit { span: delete, insert: String::new() },
                ],
            });
        }
    }
    None
}

/// The manifests an install command reads, or `None` when it needs more than manifests.
fn manifests_for(c: &Command) -> Option<Vec<String>> {
    let tool = install_tool(c)?;
    let list = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect());
    match tool {
        Tool::Pip => {
            let mut files = Vec::new();
            let args = c.program_args();
            let mut i = 0;
            while i < args.len() {
                let a = &args[i];
                if a == "-r" || a == "--requirement" {
                    files.push(args.get(i + 1)?.text.clone());
                    i += 2;
                    continue;
                }
                if let Some(f) = a.strip_prefix("--requirement=") {
                    files.push(f.to_string());
                } else if !a.starts_with('-') && a != "install" {
                    return None;
                }
                i += 1;
            }
            (!files.is_empty()
                && files
                    .iter()
                    .all(|f| !f.contains('$') && !f.starts_with('/')))
            .then_some(files)
        }
        Tool::Npm => list(&["package*.json"]),
        Tool::Yarn if !c.program_args().iter().any(|a| a == "--immutable") => {
            list(&["package.json", "yarn.lock"])
        }
        Tool::Pnpm => list(&["package.json", "pnpm-lock.yaml"]),
        Tool::GoModules => list(&["go.mod", "go.sum"]),
        Tool::Bundler => list(&["Gemfile", "Gemfile.lock"]),
        Tool::Pipenv => list(&["Pipfile", "Pipfile.lock"]),
        Tool::Poetry if c.has_flag(&["--no-root"]) => list(&["pyproject.toml", "poetry.lock"]),
        Tool::Composer if c.has_flag(&["--no-scripts"]) && c.has_flag(&["--no-autoloader"]) => {
            list(&["composer.json", "composer.lock"])
        }
        _ => None,
    }
}
