//! Hover at an offset: what an instruction, a flag or a `--mount` option does; a variable's
//! value at that line (after expansion, as this build would see it); a stage's base and the
//! stages that use it; a base image's facts from the knowledge base.

use super::docs;
use super::locate::mount_fields;
use super::symbols::{self, SymbolAt, Symbols, Target, VarKind};
use super::Document;
use crate::estimate::bases::{self, Match};
use crate::estimate::kb::BaseImage;
use crate::estimate::size::human;
use crate::model::{Base, EdgeSource};
use crate::span::Span;
use crate::syntax::{expand, Instruction, Keyword};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;

/// What to show over a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hover {
    /// The text the hover is about (the word under the pointer).
    pub span: Span,
    pub markdown: String,
}

fn touches(span: Span, offset: u32) -> bool {
    span.start <= offset && offset <= span.end
}

/// The hover at `offset`, or `None` where there is nothing to say.
pub fn hover(d: &Document<'_>, offset: u32) -> Option<Hover> {
    let offset = d.clamp(offset);
    let (at, outer) = d.instruction_at(offset)?;
    let mut instruction = outer;
    if let Some(inner) = outer.onbuild() {
        if offset >= inner.keyword_span.start {
            instruction = inner;
        }
    }
    if touches(instruction.keyword_span, offset) {
        return Some(Hover {
            span: instruction.keyword_span,
            markdown: docs::instruction_markdown(instruction.keyword)?,
        });
    }
    let symbols = symbols::symbols(d);
    if let Some(symbol) = symbols.at(offset) {
        return symbol_hover(d, &symbols, symbol);
    }
    for flag in &instruction.flags {
        if !touches(flag.span, offset) {
            continue;
        }
        let doc = docs::flag_doc(instruction.keyword, &flag.name)?;
        let in_value = flag.value_span.filter(|v| offset >= v.start);
        if let (Some(value), "mount") = (in_value, flag.name.as_str()) {
            if let Some(h) = mount_hover(d, value, offset) {
                return Some(h);
            }
        }
        return Some(Hover {
            span: flag.span,
            markdown: docs::flag_markdown(doc),
        });
    }
    if instruction.keyword == Keyword::From {
        return image_hover(d, at, instruction, offset);
    }
    None
}

fn mount_hover(d: &Document<'_>, value: Span, offset: u32) -> Option<Hover> {
    let fields = mount_fields(d.text, value);
    let field = fields.iter().find(|f| touches(f.span, offset))?;
    let key = docs::mount_key(field.key)?;
    if let (Some(span), Some(text), "type") = (field.value_span, field.value, key.name) {
        if touches(span, offset) {
            let t = docs::mount_type(text)?;
            return Some(Hover {
                span,
                markdown: format!("**--mount type** `{}`\n\n{}", t.name, t.doc),
            });
        }
    }
    Some(Hover {
        span: field.span,
        markdown: docs::mount_key_markdown(key),
    })
}

fn symbol_hover(d: &Document<'_>, symbols: &Symbols, symbol: SymbolAt) -> Option<Hover> {
    match symbol {
        SymbolAt::StageName(s) => Some(Hover {
            span: symbols.stage_names.get(s).copied().flatten()?,
            markdown: stage_markdown(d, s),
        }),
        SymbolAt::StageRef(r) => {
            let r = symbols.stage_refs.get(r)?;
            Some(Hover {
                span: r.span,
                markdown: stage_markdown(d, r.stage),
            })
        }
        SymbolAt::Def(k) => {
            let def = symbols.defs.get(k)?;
            Some(Hover {
                span: def.span,
                markdown: def_markdown(d, symbols, k),
            })
        }
        SymbolAt::Use(u) => {
            let u = symbols.uses.get(u)?;
            let markdown = match &u.target {
                Target::Def(k) => def_markdown(d, symbols, *k),
                Target::BaseImage(image, value) => format!(
                    "**ENV {}** = `{value}`\n\nSet by the base image `{image}` (the knowledge base's record of its config).",
                    u.name
                ),
                Target::Predefined => format!(
                    "**ARG {}** (predefined): {}.",
                    u.name,
                    docs::predefined_arg(&u.name).unwrap_or("set by BuildKit")
                ),
                Target::Unknown => format!(
                    "**${}** is not defined by this Dockerfile here: BuildKit expands it to an empty string (a command's shell may still set it).",
                    u.name
                ),
            };
            Some(Hover {
                span: u.span,
                markdown,
            })
        }
    }
}

/// Where a definition is, in words: `line 3, global` or `line 9, stage builder`.
fn place_of(d: &Document<'_>, instruction: usize, stage: Option<usize>) -> String {
    let line = d
        .doc
        .instructions
        .get(instruction)
        .map_or(0, |i| i.start_line);
    match stage.and_then(|s| d.model.stages.get(s)) {
        Some(s) => format!("line {line}, stage {}", s.display_name()),
        None => format!("line {line}, global (before the first FROM)"),
    }
}

fn def_markdown(d: &Document<'_>, symbols: &Symbols, k: usize) -> String {
    let Some(def) = symbols.defs.get(k) else {
        return String::new();
    };
    let value = match value_of(d, symbols, &Target::Def(k)) {
        Some(v) => format!("`{v}`"),
        None => "unset".to_string(),
    };
    let mut md = format!(
        "**{} {}** = {value}\n\nDefined at {}.",
        def.kind.as_str(),
        def.name,
        place_of(d, def.instruction, def.stage)
    );
    if def.kind == VarKind::Arg && def.value.is_none() && def.stage.is_some() {
        md.push_str(" Without a default, it takes the global ARG's value (or `--build-arg`).");
    }
    if def.kind == VarKind::Arg {
        md.push_str(" Not kept in the image.");
    }
    md
}

/// The value a variable has for this build: an ARG's value from the model (defaults
/// expanded, `--build-arg` overrides applied), an ENV's value expanded against what its
/// instruction sees, a base image's recorded ENV.
fn value_of(d: &Document<'_>, symbols: &Symbols, target: &Target) -> Option<String> {
    Values {
        d,
        symbols,
        memo: RefCell::new(HashMap::new()),
        budget: d.doc.expansion_budget(),
    }
    .of(target, 0)
}

/// Values longer than this are cut: a hover shows a value, not a file.
const MAX_VALUE: usize = 1024;

/// ENV values refer to earlier definitions only, so the expansion always ends; each
/// definition is expanded once (`ENV B=$A$A`, `ENV C=$B$B`… stays linear).
struct Values<'s, 'd> {
    d: &'s Document<'d>,
    symbols: &'s Symbols,
    memo: RefCell<HashMap<usize, Option<String>>>,
    budget: expand::Budget,
}

impl Values<'_, '_> {
    fn of(&self, target: &Target, depth: u32) -> Option<String> {
        let k = match target {
            Target::BaseImage(_, value) => return Some(value.clone()),
            Target::Predefined | Target::Unknown => return None,
            Target::Def(k) => *k,
        };
        if let Some(known) = self.memo.borrow().get(&k) {
            return known.clone();
        }
        let value = self.def(k, depth);
        self.memo.borrow_mut().insert(k, value.clone());
        value
    }

    fn def(&self, k: usize, depth: u32) -> Option<String> {
        let (d, symbols) = (self.d, self.symbols);
        let def = symbols.defs.get(k)?;
        match def.kind {
            VarKind::Arg => {
                let args = match def.stage {
                    None => &d.model.global_args,
                    Some(s) => &d.model.stages.get(s)?.args,
                };
                args.iter()
                    .find(|a| a.instruction == def.instruction && a.name == def.name)
                    .and_then(|a| a.value.clone())
            }
            VarKind::Env => {
                let raw = def.value.as_deref()?;
                if depth > 64 {
                    return Some(raw.to_string());
                }
                let lookup = |name: &str| {
                    let u = symbols
                        .uses
                        .iter()
                        .find(|u| u.instruction == def.instruction && u.name == name)?;
                    self.of(&u.target, depth + 1)
                };
                let mut value = expand::expand(raw, d.escape(), &lookup, &self.budget)
                    .unwrap_or_else(|_| raw.to_string());
                if value.len() > MAX_VALUE {
                    let mut end = MAX_VALUE;
                    while !value.is_char_boundary(end) {
                        end -= 1;
                    }
                    value.truncate(end);
                    value.push('…');
                }
                Some(value)
            }
        }
    }
}

fn stage_markdown(d: &Document<'_>, s: usize) -> String {
    let model = d.model;
    let Some(stage) = model.stages.get(s) else {
        return String::new();
    };
    let mut md = format!(
        "**stage {}** (stage {} of {})",
        stage.display_name(),
        stage.index,
        model.stages.len()
    );
    match &stage.base {
        Base::Stage(p) => {
            let parent = model
                .stages
                .get(*p)
                .map_or_else(String::new, |p| p.display_name());
            md.push_str(&format!("\n\nBuilt FROM stage `{parent}`."));
        }
        Base::Scratch => md.push_str("\n\nBuilt FROM `scratch` (an empty image)."),
        Base::Image(image) => {
            md.push_str(&format!("\n\nBuilt FROM `{image}`"));
            match bases::resolve(image).base {
                Some(b) => md.push_str(&format!(" ({}, {}).", human(b.bytes), b.os)),
                None => md.push('.'),
            }
        }
    }
    let mut users: Vec<String> = Vec::new();
    for edge in &model.edges {
        if edge.from != EdgeSource::Stage(s) {
            continue;
        }
        let to = model
            .stages
            .get(edge.to)
            .map_or_else(String::new, |t| t.display_name());
        let how = match edge.keyword {
            Keyword::From => "FROM".to_string(),
            Keyword::Run => "RUN --mount".to_string(),
            other => format!("{} --from", other.as_str()),
        };
        users.push(format!("- stage `{to}`: {how}, line {}", edge.line));
    }
    if users.is_empty() {
        md.push_str("\n\nNo other stage uses it.");
    } else {
        md.push_str("\n\nUsed by:\n");
        md.push_str(&users.join("\n"));
    }
    if model.target == Some(s) {
        md.push_str("\n\nThis is the build's target.");
    } else if !stage.needed {
        md.push_str("\n\nThe target does not need it: BuildKit skips it.");
    }
    if let Some(description) = &stage.description {
        md.push_str(&format!("\n\n{description}"));
    }
    md
}

fn image_hover(
    d: &Document<'_>,
    at: usize,
    instruction: &Instruction,
    offset: u32,
) -> Option<Hover> {
    let from = instruction.from_args()?;
    if !touches(from.image.span, offset) {
        return None;
    }
    let stage = d.model.stages.iter().find(|s| s.from_instruction == at)?;
    let markdown = match &stage.base {
        Base::Image(image) => {
            let resolved = bases::resolve(image);
            match resolved.base {
                Some(base) => image_markdown(base, Some(&resolved.how)),
                None => format!(
                    "**{image}** is not in Stageplay's knowledge base: its size and contents are estimated with a wide range."
                ),
            }
        }
        Base::Scratch => {
            "**scratch**: the empty image. Nothing is in it but what the stage copies.".to_string()
        }
        Base::Stage(_) => return None,
    };
    Some(Hover {
        span: from.image.span,
        markdown,
    })
}

/// A base image's facts, as hover and completion show them.
pub(crate) fn image_markdown(base: &BaseImage, how: Option<&Match>) -> String {
    let mut md = format!(
        "**{}**: {} ({}–{}), {}, {}",
        base.name,
        human(base.bytes),
        human(base.low_bytes),
        human(base.high_bytes),
        base.os,
        base.libc
    );
    if let Some(Match::Approximate(nearest)) = how {
        md.push_str(&format!(
            "\n\nThis tag is not in the knowledge base: figures of the nearest known tag, `{nearest}`."
        ));
    }
    md.push_str(&format!(
        "\n\n| | |\n|---|---|\n| user | {} |\n| shell | {} |\n| package manager | {} |",
        base.user, base.shell, base.package_manager
    ));
    if let Some(workdir) = &base.workdir {
        md.push_str(&format!("\n| workdir | `{workdir}` |"));
    }
    if let Some(entrypoint) = &base.entrypoint {
        md.push_str(&format!("\n| entrypoint | `{}` |", entrypoint.join(" ")));
    }
    if let Some(cmd) = &base.cmd {
        md.push_str(&format!("\n| cmd | `{}` |", cmd.join(" ")));
    }
    if !base.build_tools.is_empty() {
        md.push_str(&format!(
            "\n| build tools | {} |",
            base.build_tools.join(", ")
        ));
    }
    md.push_str(&format!("\n\nSource: {}", base.source));
    md
}
