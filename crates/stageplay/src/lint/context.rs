//! What every rule sees: the text, the tree, the stage model and per-instruction facts
//! computed once (which stage an instruction belongs to, its shell script, its words).

use super::{Finding, LintOptions};
use crate::diagnostic::Fix;
use crate::model::{Base, Model};
use crate::span::Span;
use crate::syntax::expand::Budget;
use crate::syntax::shell::Script;
use crate::syntax::{Args, Dockerfile, Instruction, Keyword, Word};
use std::cell::OnceCell;
use std::rc::Rc;

/// Per-stage facts the stage-aware rules read.
#[derive(Debug, Clone, Default)]
pub struct StageFacts {
    /// The stage's FROM instruction index.
    pub from: usize,
    /// Index of its first and one-past-last instruction in `Dockerfile::instructions`.
    pub start: usize,
    pub end: usize,
    /// `AS name`, as written.
    pub name: Option<String>,
    /// The chosen target.
    pub is_target: bool,
    /// Its filesystem ends up in the target image: the target or a stage it is built `FROM`.
    pub in_final_image: bool,
    /// The target needs it (as base, `COPY --from` or mount source).
    pub needed: bool,
}

pub struct Ctx<'a> {
    pub text: &'a str,
    pub doc: &'a Dockerfile,
    pub model: &'a Model,
    pub opts: &'a LintOptions,
    /// The static runtime check of the file (SP1010 reads it), shared with the rest of the
    /// analysis so that it runs once per text.
    pub runtime: crate::estimate::runtime::Shared<'a>,
    pub stages: Vec<StageFacts>,
    /// For each instruction, the stage it belongs to (`None` before the first FROM).
    pub stage_of: Vec<Option<usize>>,
    scripts: Vec<Option<Script>>,
    /// [`Ctx::words`] of each top-level instruction, computed at first use (many rules read
    /// the words of the same FROM, ARG or ENV).
    words: Vec<OnceCell<Rc<Vec<Word>>>>,
    pub(super) findings: Vec<Finding>,
    /// What the rules' `$VAR` expansions may add up to.
    pub budget: Budget,
    /// The code of the rule running now: [`Ctx::report`] files findings under it.
    pub(super) code: &'static str,
}

impl<'a> Ctx<'a> {
    pub fn new(
        text: &'a str,
        doc: &'a Dockerfile,
        model: &'a Model,
        opts: &'a LintOptions,
        runtime: crate::estimate::runtime::Shared<'a>,
    ) -> Ctx<'a> {
        let mut stages: Vec<StageFacts> = Vec::new();
        let mut stage_of = Vec::with_capacity(doc.instructions.len());
        let words: Vec<OnceCell<Rc<Vec<Word>>>> = vec![OnceCell::new(); doc.instructions.len()];
        for (i, inst) in doc.instructions.iter().enumerate() {
            if inst.keyword == Keyword::From {
                if let Some(last) = stages.last_mut() {
                    last.end = i;
                }
                let words = Rc::clone(words[i].get_or_init(|| Rc::new(plain_words(inst))));
                let name = match words.as_slice() {
                    [_, as_kw, name, ..] if as_kw.text.eq_ignore_ascii_case("as") => {
                        Some(name.text.clone())
                    }
                    _ => None,
                };
                stages.push(StageFacts {
                    from: i,
                    start: i,
                    end: doc.instructions.len(),
                    name,
                    ..StageFacts::default()
                });
            }
            stage_of.push(stages.len().checked_sub(1));
        }
        // Stage roles come from the model when it describes the same stages; otherwise the
        // last stage is the target and its FROM chain is found by name.
        let model_matches = model.stages.len() == stages.len()
            && model
                .stages
                .iter()
                .zip(&stages)
                .all(|(m, s)| m.from_instruction == s.from);
        if model_matches {
            let target = model.target;
            for (i, s) in stages.iter_mut().enumerate() {
                s.needed = model.stages[i].needed;
                s.is_target = target == Some(i);
            }
            let mut cur = target;
            let mut guard = 0;
            while let Some(t) = cur {
                if guard > stages.len() {
                    break;
                }
                guard += 1;
                stages[t].in_final_image = true;
                cur = match model.stages[t].base {
                    Base::Stage(p) if p < t => Some(p),
                    _ => None,
                };
            }
        } else if !stages.is_empty() {
            let last = stages.len() - 1;
            for s in stages.iter_mut() {
                s.needed = true;
            }
            stages[last].is_target = true;
            let mut cur = Some(last);
            let mut guard = 0;
            while let Some(t) = cur {
                if guard > stages.len() {
                    break;
                }
                guard += 1;
                stages[t].in_final_image = true;
                let base = plain_words(&doc.instructions[stages[t].from])
                    .first()
                    .map(|w| w.text.clone())
                    .unwrap_or_default();
                cur = stages[..t].iter().rposition(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&base))
                });
            }
        }
        let scripts = vec![None; doc.instructions.len()];
        Ctx {
            text,
            doc,
            model,
            opts,
            runtime,
            stages,
            stage_of,
            scripts,
            words,
            findings: Vec::new(),
            budget: doc.expansion_budget(),
            code: "",
        }
    }

    /// Fills the script cache; called once before rules run.
    pub fn prepare(&mut self) {
        for (i, inst) in self.doc.instructions.iter().enumerate() {
            let target = inst.onbuild().unwrap_or(inst);
            if target.keyword == Keyword::Run {
                self.scripts[i] = Some(crate::syntax::shell::run_script(target));
            }
        }
    }

    pub fn instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> {
        self.doc.instructions.iter().enumerate()
    }

    /// The shell script of RUN instruction `i` (also for `ONBUILD RUN`).
    pub fn script(&self, i: usize) -> Option<&Script> {
        self.scripts.get(i).and_then(|s| s.as_ref())
    }

    /// RUN instructions (top-level only) with their scripts.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &'a Instruction, &Script)> + '_ {
        self.doc
            .instructions
            .iter()
            .enumerate()
            .filter_map(move |(i, inst)| {
                if inst.keyword == Keyword::Run {
                    self.script(i).map(|s| (i, inst, s))
                } else {
                    None
                }
            })
    }

    pub fn stage(&self, instruction: usize) -> Option<&StageFacts> {
        self.stage_of
            .get(instruction)
            .copied()
            .flatten()
            .and_then(|s| self.stages.get(s))
    }

    /// True when the instruction's layers end up in the chosen target's image.
    pub fn in_final_image(&self, instruction: usize) -> bool {
        self.stage(instruction).is_some_and(|s| s.in_final_image)
    }

    /// The words of an instruction's arguments, quotes kept, with source spans (computed once
    /// per top-level instruction; an `ONBUILD` trigger's are computed on each call).
    pub fn words(&self, inst: &Instruction) -> Rc<Vec<Word>> {
        let compute = || Rc::new(plain_words(inst));
        // The index of `inst` in the document, when it is one of its top-level instructions.
        let base = self.doc.instructions.as_ptr() as usize;
        let size = std::mem::size_of::<Instruction>().max(1);
        let at = (inst as *const Instruction as usize).wrapping_sub(base) / size;
        match self.doc.instructions.get(at) {
            Some(i) if std::ptr::eq(i, inst) => match self.words.get(at) {
                Some(cell) => Rc::clone(cell.get_or_init(compute)),
                None => compute(),
            },
            _ => compute(),
        }
    }

    pub fn slice(&self, span: Span) -> &'a str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Reports a finding of the rule running now.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            code: self.code,
            span,
            message: message.into(),
            help: None,
            fix: None,
            sources: None,
            labels: Vec::new(),
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }
}

impl Finding {
    pub fn fix(&mut self, fix: Option<Fix>) -> &mut Finding {
        self.fix = fix;
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    /// Marks a secondary place with a short message.
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        self.labels.push(crate::diagnostic::Label {
            span,
            message: message.into(),
        });
        self
    }
}

pub fn args_span(inst: &Instruction) -> Span {
    match &inst.args {
        Args::Exec { span, .. } | Args::Shell { span, .. } => *span,
    }
}

pub fn is_exec(inst: &Instruction) -> bool {
    matches!(inst.args, Args::Exec { .. })
}

/// The words of the arguments with their spans: exec-form items, ADD/COPY split at whitespace
/// only (BuildKit's `parseStringsWhitespaceDelimited`; each word is unquoted later), the others
/// split at whitespace outside quotes (quotes kept).
pub fn plain_words(inst: &Instruction) -> Vec<Word> {
    if matches!(inst.keyword, Keyword::Add | Keyword::Copy) {
        inst.value_words()
    } else {
        inst.words()
    }
}
