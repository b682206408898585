//! Rename a stage or an ARG everywhere it is used.
//!
//! A rename is refused, with the reason, when the new name is not valid (BuildKit's stage-name
//! rule; a shell variable name for an ARG), when it is taken (another stage, any variable or a
//! name an image reference already uses: `FROM alpine` would start meaning the stage), when a
//! reference reaches the stage through a variable (we cannot rewrite what a variable holds),
//! or when the name is not ours to rename (BuildKit's predefined ARGs, an ENV: renaming it
//! changes the image's environment, which users of the image see).
//!
//! Stage names are case-insensitive in BuildKit: `--from=Builder` refers to `AS builder`, a
//! rename rewrites both, and a new name that differs from another stage's only in case is a
//! collision.
//!
//! What is rewritten is what `symbols` finds: the uses BuildKit expands and the ones a shell
//! of this build sees (RUN, heredoc bodies). Text no shell of this file reads as a variable is
//! left alone: single-quoted text, the items of an exec-form RUN or CMD (`["sh", "-c", "$X"]`),
//! ONBUILD triggers (they run in another build).

use super::navigation::{stage_references, var_references};
use super::symbols::{self, SymbolAt, Symbols, VarKey};
use super::{docs, Document};
use crate::diagnostic::TextEdit;
use crate::model::{Base, EdgeSource};
use crate::span::Span;
use crate::syntax::instructions::is_valid_stage_name;
use serde::Serialize;

/// What a rename at an offset would rename.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenameTarget {
    /// The name under the cursor (to pre-fill and select).
    pub span: Span,
    pub name: String,
    /// `stage` or `ARG`.
    pub kind: &'static str,
}

/// Why a rename is refused, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenameError {
    pub message: String,
}

fn refuse<T>(message: impl Into<String>) -> Result<T, RenameError> {
    Err(RenameError {
        message: message.into(),
    })
}

/// What is renamable at `offset`.
enum Subject {
    Stage(usize),
    Arg(String),
}

fn subject(symbols: &Symbols, offset: u32) -> Result<(Subject, Span), RenameError> {
    let Some(symbol) = symbols.at(offset) else {
        return refuse("Nothing to rename here: place the cursor on a stage name or an ARG.");
    };
    let key = match symbol {
        SymbolAt::StageName(s) => {
            let span = symbols.stage_names[s].unwrap_or_default();
            return Ok((Subject::Stage(s), span));
        }
        SymbolAt::StageRef(r) => {
            let r = &symbols.stage_refs[r];
            if !r.literal {
                return refuse("This reference reaches the stage through a variable; rename the stage at its FROM line.");
            }
            return Ok((Subject::Stage(r.stage), r.span));
        }
        SymbolAt::Def(k) => symbols.def_key(k),
        SymbolAt::Use(u) => symbols.use_key(u),
    };
    let span = match symbol {
        SymbolAt::Def(k) => symbols.defs[k].span,
        SymbolAt::Use(u) => symbols.uses[u].span,
        _ => Span::default(),
    };
    match key {
        Some(VarKey::Arg(name)) if docs::predefined_arg(&name).is_some() => refuse(format!(
            "{name} is one of BuildKit's predefined ARGs: renaming it would lose its automatic value."
        )),
        Some(VarKey::Arg(name)) => Ok((Subject::Arg(name), span)),
        Some(VarKey::Env(name)) => refuse(format!(
            "{name} is an ENV variable: renaming it changes the image's environment, which containers and child images read. Only stages and ARGs are renamed."
        )),
        Some(VarKey::Image(name)) => refuse(format!(
            "{name} comes from the base image's environment, not from this Dockerfile."
        )),
        Some(VarKey::Predefined(name)) => refuse(format!(
            "{name} is one of BuildKit's predefined ARGs."
        )),
        Some(VarKey::Unknown(name)) => refuse(format!(
            "{name} is not defined by this Dockerfile at this point, so there is nothing to rename."
        )),
        None => refuse("Nothing to rename here."),
    }
}

/// The name a rename at `offset` would change, or why there is none.
pub fn prepare_rename(d: &Document<'_>, offset: u32) -> Result<RenameTarget, RenameError> {
    let offset = d.clamp(offset);
    let symbols = symbols::symbols(d);
    let (subject, span) = subject(&symbols, offset)?;
    Ok(match subject {
        Subject::Stage(s) => RenameTarget {
            span,
            name: d
                .model
                .stages
                .get(s)
                .and_then(|s| s.name.clone())
                .unwrap_or_default(),
            kind: "stage",
        },
        Subject::Arg(name) => RenameTarget {
            span,
            name,
            kind: "ARG",
        },
    })
}

/// The edits that rename the stage or ARG at `offset` to `new_name`, sorted by position.
pub fn rename(d: &Document<'_>, offset: u32, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
    let offset = d.clamp(offset);
    let symbols = symbols::symbols(d);
    let (subject, _) = subject(&symbols, offset)?;
    let spans = match subject {
        Subject::Stage(s) => stage_spans(d, &symbols, s, new_name)?,
        Subject::Arg(name) => arg_spans(d, &symbols, &name, new_name)?,
    };
    let mut edits: Vec<TextEdit> = spans
        .into_iter()
        .map(|span| TextEdit {
            span,
            insert: new_name.to_string(),
        })
        .collect();
    crate::sort::sort_by_key(&mut edits, |e| e.span.start);
    edits.dedup();
    Ok(edits)
}

fn line_of(d: &Document<'_>, instruction: usize) -> u32 {
    d.doc
        .instructions
        .get(instruction)
        .map_or(0, |i| i.start_line)
}

fn stage_spans(
    d: &Document<'_>,
    symbols: &Symbols,
    s: usize,
    new_name: &str,
) -> Result<Vec<Span>, RenameError> {
    let lower = new_name.to_ascii_lowercase();
    if !is_valid_stage_name(&lower) {
        return refuse(format!(
            "'{new_name}' is not a valid stage name: it must start with a letter and hold only letters, digits, '-', '_' and '.'."
        ));
    }
    if lower == "scratch" || lower == "context" {
        return refuse(format!("'{lower}' is reserved by BuildKit."));
    }
    let model = d.model;
    if let Some(other) = model
        .stages
        .iter()
        .find(|o| o.index != s && o.matches_name(new_name))
    {
        return refuse(format!(
            "Stage {} (line {}) is already called '{}' (stage names are case-insensitive).",
            other.index,
            other.line,
            other.name.as_deref().unwrap_or(new_name)
        ));
    }
    // An image reference spelled like the new name would start meaning the stage.
    let images = model.stages.iter().filter_map(|st| match &st.base {
        Base::Image(image) => Some((image.as_str(), st.line)),
        _ => None,
    });
    let flags = model.edges.iter().filter_map(|e| match &e.from {
        EdgeSource::Image(image) => Some((image.as_str(), e.line)),
        _ => None,
    });
    if let Some((image, line)) = images
        .chain(flags)
        .find(|(i, _)| i.eq_ignore_ascii_case(new_name))
    {
        return refuse(format!(
            "Line {line} uses an image called '{image}': with a stage of that name it would use the stage instead."
        ));
    }
    if let Some(r) = symbols
        .stage_refs
        .iter()
        .find(|r| r.stage == s && !r.literal)
    {
        return refuse(format!(
            "Line {} reaches this stage through a variable or an escaped name; rename by hand.",
            line_of(d, r.instruction)
        ));
    }
    let spans: Vec<Span> = stage_references(symbols, s)
        .into_iter()
        .map(|r| r.span)
        .collect();
    if spans.is_empty() {
        return refuse("This stage has no name to rename; add `AS name` to its FROM line.");
    }
    Ok(spans)
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn arg_spans(
    d: &Document<'_>,
    symbols: &Symbols,
    name: &str,
    new_name: &str,
) -> Result<Vec<Span>, RenameError> {
    if !is_variable_name(new_name) {
        return refuse(format!(
            "'{new_name}' is not a valid ARG name: use letters, digits and '_', not starting with a digit."
        ));
    }
    if new_name == name {
        return Ok(Vec::new());
    }
    if docs::predefined_arg(new_name).is_some() {
        return refuse(format!("{new_name} is one of BuildKit's predefined ARGs."));
    }
    let taken = symbols
        .defs
        .iter()
        .map(|v| (v.name.as_str(), v.instruction))
        .chain(
            symbols
                .uses
                .iter()
                .map(|u| (u.name.as_str(), u.instruction)),
        )
        .find(|(n, _)| *n == new_name);
    if let Some((_, instruction)) = taken {
        return refuse(format!(
            "{new_name} is already used on line {}.",
            line_of(d, instruction)
        ));
    }
    // Uses that resolve to something else (an ENV of the same name) keep their name.
    let key = VarKey::Arg(name.to_string());
    let spans: Vec<Span> = var_references(symbols, &key)
        .into_iter()
        .map(|r| r.span)
        .collect();
    Ok(spans)
}
