use super::super::context::Ctx;
use super::helpers::{key_values, replace, suggest, var_refs, BUILTIN_ARGS};
use crate::diagnostic::Applicability;
use crate::estimate::bases;
use crate::model::Base;
use crate::span::Span;
use crate::syntax::Keyword;

declare_rule! {
    /// ## What it does
    /// Finds `$VAR` references, in instructions that BuildKit expands (COPY, ADD, ENV, LABEL,
    /// EXPOSE, USER, VOLUME, WORKDIR, STOPSIGNAL, ARG defaults), to variables that are not
    /// defined at that point.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to an empty string: `COPY app $DEST` copies to the wrong
    /// place without an error.
    ///
    /// Stageplay cannot see the environment of an external base image, so it reports a name
    /// only when it is surely undefined: the stage starts from `scratch` or from stages of
    /// this file, the variable is defined later in the stage, or a defined name is one or two
    /// letters away (a likely typo).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM scratch
    /// ENV APP_HOME=/app
    /// COPY bin $APP_HOEM/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM scratch
    /// ENV APP_HOME=/app
    /// COPY bin $APP_HOME/
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: offered for a likely typo; it changes which value is used.
    ///
    /// ## References
    /// - [BuildKit: UndefinedVar](https://docs.docker.com/go/dockerfile/rule/undefined-var/)
    pub struct UndefinedVar {
        code: "UndefinedVar",
        name: "undefined-var",
        sources: ["buildkit:UndefinedVar"],
        severity: Warning,
        status: Stable,
        fix: Unsafe,
        stage_aware: true,
    }
}

const EXPANDED: &[Keyword] = &[
    Keyword::Add,
    Keyword::Copy,
    Keyword::Env,
    Keyword::Label,
    Keyword::Expose,
    Keyword::User,
    Keyword::Volume,
    Keyword::Workdir,
    Keyword::Stopsignal,
    Keyword::Arg,
];

pub fn check(ctx: &mut Ctx) {
    let doc = ctx.doc;
    let stages = ctx.stages.clone();
    // ENV names each stage ends with, for stages built FROM it.
    let mut stage_env: Vec<Vec<String>> = vec![Vec::new(); stages.len()];
    for (si, stage) in stages.iter().enumerate() {
        let parent = ctx.model.stages.get(si).map(|m| &m.base);
        let (mut defined, from_file) = match parent {
            Some(Base::Stage(p)) if *p < si => (stage_env[*p].clone(), true),
            Some(Base::Scratch) => (Vec::new(), true),
            // An image the knowledge base knows: the ENV it records is defined (BuildKit reads
            // the image's config). The record may be incomplete, so other names still need
            // evidence in the file (a later definition, or a near miss of a known name).
            Some(Base::Image(image)) => match bases::resolve(image).base {
                Some(b) => (b.env.iter().map(|(k, _)| k.clone()).collect(), false),
                None => (Vec::new(), false),
            },
            _ => (Vec::new(), false),
        };
        // BuildKit's predefined ARGs count as defined too (checked against the constant list
        // rather than copied into every stage's list).
        let mut env_only: Vec<String> = Vec::new();
        // Names defined anywhere in the stage, to catch use-before-definition.
        let mut later: Vec<String> = Vec::new();
        for k in stage.start + 1..stage.end {
            let inst = &doc.instructions[k];
            if matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
                later.extend(key_values(&ctx.words(inst)).into_iter().map(|(n, _, _)| n));
            }
        }
        for k in stage.start + 1..stage.end {
            let inst = &doc.instructions[k];
            if !EXPANDED.contains(&inst.keyword) {
                continue;
            }
            let words = ctx.words(inst);
            for w in words.iter() {
                for var in var_refs(&w.text) {
                    if var.has_modifier
                        || BUILTIN_ARGS.contains(&var.name.as_str())
                        || defined.contains(&var.name)
                    {
                        continue;
                    }
                    let hint = suggest(
                        &var.name,
                        defined
                            .iter()
                            .map(|s| s.as_str())
                            .filter(|s| !BUILTIN_ARGS.contains(s)),
                    );
                    // `ENV PATH=/x/bin:$PATH` on an image whose ENV is unknown here extends
                    // the image's value, not a later definition.
                    let extends_itself = matches!(inst.keyword, Keyword::Env | Keyword::Arg)
                        && w.text.split_once('=').is_some_and(|(k, _)| k == var.name);
                    let used_before = later.contains(&var.name) && !extends_itself;
                    if !(from_file || used_before || hint.is_some()) {
                        continue;
                    }
                    let exact = w.span.len() as usize == w.text.len();
                    let span = if exact {
                        Span::new(
                            w.span.start + var.name_start as u32,
                            w.span.start + var.name_end as u32,
                        )
                    } else {
                        w.span
                    };
                    let fix = hint.as_ref().filter(|_| exact).map(|h| {
                        replace(span, h.clone(), format!("Use `{h}`"), Applicability::Unsafe)
                    });
                    ctx.report(span, message(&var.name, hint.as_deref()))
                        .fix(fix);
                }
            }
            if matches!(inst.keyword, Keyword::Arg | Keyword::Env) {
                for (name, _, _) in key_values(&words) {
                    if inst.keyword == Keyword::Env {
                        env_only.push(name.clone());
                    }
                    defined.push(name);
                }
            }
        }
        stage_env[si] = env_only;
    }
}

fn message(name: &str, hint: Option<&str>) -> String {
    match hint {
        Some(h) => format!("Usage of undefined variable '${name}' (did you mean ${h}?)"),
        None => format!("Usage of undefined variable '${name}'"),
    }
}
