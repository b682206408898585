use super::super::context::Ctx;
use super::helpers::{is_pip_install, unquote};
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds a whole-context `COPY .` that comes before the dependency install
    /// (`npm ci`, `yarn install`, `pip install -r`, `go mod download`, `bundle install`, …)
    /// in the same stage.
    ///
    /// ## Why is this bad?
    /// Any source change invalidates the `COPY .` layer and so every layer after it: each
    /// edit re-downloads all dependencies. Copy only the manifest and lockfile first, install,
    /// then copy the rest.
    ///
    /// ## Example
    /// ```dockerfile
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY . .
    /// ```
    ///
    /// ## Fix safety
    /// No fix here: the Refactor panel offers "manifests first", which knows the manifests.
    ///
    /// ## References
    /// - [Optimize cache usage](https://docs.docker.com/build/cache/optimize/)
    pub struct CopyBeforeInstall {
        code: "SP1003",
        name: "copy-before-install",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn is_whole_context(ctx: &Ctx, inst: &crate::syntax::Instruction) -> bool {
    if !matches!(inst.keyword, Keyword::Copy | Keyword::Add)
        || inst.flag("from").is_some()
        || !inst.heredocs().is_empty()
    {
        return false;
    }
    let words = ctx.words(inst);
    let Some((_, sources)) = words.split_last() else {
        return false;
    };
    sources
        .iter()
        .any(|s| matches!(unquote(&s.text).as_str(), "." | "./"))
}

fn installs_dependencies(script: &crate::syntax::shell::Script) -> Option<String> {
    for c in script.commands() {
        let found = (c.is("npm", &["ci", "install", "i"]) && c.operands(&[]).len() == 1)
            || (c.is("yarn", &["install"]) || (c.name() == "yarn" && c.args().is_empty()))
            || c.is("pnpm", &["install", "i"])
            || (is_pip_install(c) && c.has_flag(&["-r", "--requirement"]))
            || c.is("poetry", &["install"])
            || c.is("uv", &["sync"])
            || (c.name() == "go"
                && c.args()
                    .windows(2)
                    .any(|w| w[0].text == "mod" && w[1].text == "download"))
            || c.is("bundle", &["install"])
            || c.is("composer", &["install"]);
        if found {
            let sub = c
                .args()
                .first()
                .map(|a| format!(" {}", a.text))
                .unwrap_or_default();
            return Some(format!("{}{sub}", c.name()));
        }
    }
    None
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut hits = Vec::new();
    for s in &ctx.stages {
        let mut copy_all: Option<usize> = None;
        for k in s.start + 1..s.end {
            let inst = &doc.instructions[k];
            if copy_all.is_none() && is_whole_context(ctx, inst) {
                copy_all = Some(k);
                continue;
            }
            let Some(c) = copy_all else { continue };
            if inst.keyword != Keyword::Run {
                continue;
            }
            if let Some(tool) = ctx.script(k).and_then(installs_dependencies) {
                hits.push((doc.instructions[c].span, tool));
                break;
            }
        }
    }
    for (span, tool) in hits {
        ctx.report(
            span,
            format!("`COPY .` before `{tool}`: every source change re-installs dependencies"),
        )
        .help("copy the dependency manifests first, install, then copy the rest");
    }
}
