use super::super::context::Ctx;
use super::helpers::unquote;
use crate::model::Base;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds a relative `WORKDIR` in a stage where no absolute `WORKDIR` was set before
    /// (in the stage or in a stage it is built `FROM`).
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is resolved against the base image's working directory, which
    /// can change when the base image changes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// WORKDIR /app
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the intended absolute path is not known.
    ///
    /// ## References
    /// - [BuildKit: WorkdirRelativePath](https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/)
    pub struct WorkdirRelativePath {
        code: "WorkdirRelativePath",
        name: "workdir-relative-path",
        sources: ["buildkit:WorkdirRelativePath"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn is_absolute(path: &str) -> bool {
    let p = unquote(path);
    p.starts_with('/')
        || p.starts_with('$')
        || (p.len() >= 2 && p.as_bytes()[1] == b':')
        || p.starts_with('\\')
}

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let mut absolute_set = vec![false; ctx.stages.len()];
    for (si, stage) in ctx.stages.clone().iter().enumerate() {
        // Inherit from a parent stage in this file.
        let parent = ctx.model.stages.get(si).and_then(|m| match m.base {
            Base::Stage(p) if p < si => Some(p),
            _ => None,
        });
        let mut set = parent.is_some_and(|p| absolute_set[p]);
        for k in stage.start + 1..stage.end {
            let inst = &doc.instructions[k];
            if inst.keyword != Keyword::Workdir {
                continue;
            }
            let words = ctx.words(inst);
            let Some(w) = words.first() else { continue };
            if is_absolute(&w.text) {
                set = true;
            } else if !set {
                ctx.report(w.span, format!("Relative workdir \"{}\" can have unexpected results if the base image changes", unquote(&w.text)));
            }
        }
        absolute_set[si] = set;
    }
}
