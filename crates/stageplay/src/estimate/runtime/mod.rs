//! What the final image's command needs, and whether the image has it: the static runtime
//! check behind lint rule SP1010 and every refactor's own validation.
//!
//! From the simulated final stage (its files with provenance, installed packages, `PATH`,
//! users) and the file's instructions, it reads what the container's ENTRYPOINT/CMD and
//! HEALTHCHECK start and which USER runs them, and reports what is missing where it can tell:
//! - a program the image's `PATH` does not hold while the file shows where it went: installed
//!   in another stage, or into a folder that is not on `PATH` (the `bin` of a
//!   `pip install --target` folder copied into site-packages); or an interpreter or package
//!   manager (`python`, `node`, `pnpm`, …) the image has no copy of;
//! - a file or folder the command names (a script, a virtualenv's `python`, the built
//!   `dist/server.js`) that nothing puts in the final stage, or that only the build context
//!   brings while another stage builds it;
//! - a shell-form command in an image without a shell;
//! - a `USER` that only another stage creates.
//!
//! Programs and files of unknown origin are not reported: an unknown base image, a RUN the
//! estimate does not read, or a package whose commands are not known may provide them.

mod image;

use super::shell;
use super::simulate::final_state;
use super::EstimateOptions;
use crate::model::{Base, Model, Stage};
use crate::syntax::{CommandLine, Dockerfile, Keyword};
use image::Image;
use std::sync::OnceLock;

/// One thing the final stage's command needs and does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The instruction that needs it (ENTRYPOINT, CMD, HEALTHCHECK or USER), an index into
    /// `Dockerfile::instructions`.
    pub instruction: usize,
    pub message: String,
}

/// One file's runtime check, computed on first use and then read by reference: within one
/// analysis ([`crate::analysis::Analysis::runtime`]) lint rule SP1010 and the refactor gate's
/// baseline read the same result, computed once with the analysis's estimate options (the
/// user's context files change what a `RUN pip install -r` brings, hence what is on `PATH`).
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    doc: &'a Dockerfile,
    model: &'a Model,
    opts: &'a EstimateOptions,
    cell: &'a OnceLock<Vec<Missing>>,
}

impl<'a> Shared<'a> {
    /// The check of `doc` and `model` with `opts`, kept in `cell`. The cell belongs to this
    /// one input: whoever owns it (an analysis) never hands it out with another text or options.
    pub fn new(
        doc: &'a Dockerfile,
        model: &'a Model,
        opts: &'a EstimateOptions,
        cell: &'a OnceLock<Vec<Missing>>,
    ) -> Shared<'a> {
        Shared {
            doc,
            model,
            opts,
            cell,
        }
    }

    /// [`check`]'s result, computed on the first call.
    pub fn missing(&self) -> &'a [Missing] {
        self.cell
            .get_or_init(|| check(self.doc, self.model, self.opts))
    }

    /// The options the check runs with: a refactor's draft is checked with the same ones.
    pub fn options(&self) -> &'a EstimateOptions {
        self.opts
    }
}

/// What the image's command needs and does not have (see the module doc).
pub fn check(doc: &Dockerfile, model: &Model, opts: &EstimateOptions) -> Vec<Missing> {
    let mut out = Vec::new();
    let Some(target) = model.target.filter(|t| *t < model.stages.len()) else {
        return out;
    };
    let Some(st) = final_state(doc, model, opts) else {
        return out;
    };
    let chain = chain(model, target);
    let image = Image::new(&st, doc, model, &chain);
    // The last instruction of a kind in the chain (target first, so a later stage wins).
    let last = |k: Keyword| {
        chain
            .iter()
            .flat_map(|s| s.instructions.iter().rev().copied())
            .find(|&i| doc.instructions.get(i).is_some_and(|ins| ins.keyword == k))
    };
    let entry = last(Keyword::Entrypoint);
    // Docker drops an inherited CMD when the stage sets ENTRYPOINT; the state knows.
    let cmd = last(Keyword::Cmd).filter(|_| st.cmd.as_ref().is_some_and(|(_, l)| l.is_some()));
    let mut said: Vec<String> = Vec::new();
    let mut report = |at: usize, message: String, out: &mut Vec<Missing>| {
        let keyword = doc.instructions[at].keyword_text().to_ascii_uppercase();
        let message = format!("{keyword} {message}");
        if !said.contains(&message) {
            said.push(message.clone());
            out.push(Missing {
                instruction: at,
                message,
            });
        }
    };
    let entry_line = entry.and_then(|i| doc.instructions[i].command());
    let cmd_line = cmd.and_then(|i| doc.instructions[i].command());
    match (&entry_line, entry) {
        (Some(line), Some(at)) => {
            for m in image.command(line) {
                report(at, m, &mut out);
            }
            // An entrypoint script runs the CMD it is given (`exec "$@"`).
            let script = matches!(line, CommandLine::Exec { args, .. } if args.first().is_some_and(|w| {
                w.text.ends_with(".sh") || w.text.contains("entrypoint")
            }));
            if let (true, Some(c), Some(at)) = (script, &cmd_line, cmd) {
                for m in image.command(c) {
                    report(at, m, &mut out);
                }
            }
        }
        _ => {
            if let (Some(c), Some(at)) = (&cmd_line, cmd) {
                for m in image.command(c) {
                    report(at, m, &mut out);
                }
            }
        }
    }
    if let Some(at) = last(Keyword::Healthcheck) {
        if let Some(line) = doc.instructions[at].healthcheck().and_then(|h| h.command) {
            for m in image.command(&line) {
                report(at, m, &mut out);
            }
        }
    }
    if let Some(at) = last(Keyword::User) {
        if let Some(m) = image.user() {
            report(at, m, &mut out);
        }
    }
    out
}

/// The top-level commands of a script, expanded with `vars` (the shell layer's reading).
fn split(text: &str, vars: &dyn Fn(&str) -> Option<String>) -> Vec<shell::Command> {
    let budget = crate::syntax::expand::Budget::for_input(text.len());
    shell::commands(&crate::syntax::shell::Script::parse(text), vars, &budget)
}

/// The stage and the stages it is built FROM, target first.
fn chain(model: &Model, target: usize) -> Vec<&Stage> {
    let mut out: Vec<&Stage> = Vec::new();
    let mut i = target;
    while let Some(s) = model.stages.get(i) {
        if out.iter().any(|o| o.index == s.index) {
            break;
        }
        out.push(s);
        match s.base {
            Base::Stage(p) if p < i => i = p,
            _ => break,
        }
    }
    out
}
