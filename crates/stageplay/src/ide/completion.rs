//! Completion at an offset: instruction keywords, flags per instruction, flag values and
//! `--mount` options, stage names (after `FROM`, `--from=` and a mount's `from=`), ARG and ENV
//! names (after `$` and `${`), and base images and tags from the knowledge base (after `FROM`).
//!
//! Candidates are filtered by the word typed so far (case-insensitive prefix) and each carries
//! the edit that inserts it: the word around the cursor is replaced, so accepting `WORKDIR` on
//! `WORK|` or on `WO|RK` gives the same line.

use super::docs::{self, FlagValue};
use super::hover::image_markdown;
use super::locate::{self, mount_fields, mount_type, Place};
use super::symbols::{self, VarKind};
use super::Document;
use crate::diagnostic::TextEdit;
use crate::estimate::kb::kb;
use crate::estimate::size::human;
use crate::model::Base;
use crate::span::Span;
use crate::syntax::{Flag, Instruction, Keyword};
use serde::Serialize;

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// One line shown beside the label (a syntax line, a size, a value).
    pub detail: Option<String>,
    /// Markdown shown when the item is selected.
    pub documentation: Option<String>,
    /// What accepting the item does: replace the word around the cursor with this text.
    pub edit: TextEdit,
    /// The insertion in the `${1:placeholder}` snippet syntax that LSP and CodeMirror 6 share,
    /// when it has fields to fill; `edit.insert` is the same text without fields.
    pub snippet: Option<String>,
    /// True when the insertion ends where a value is expected (`--mount=`, `type=`): the
    /// editor should ask for completions again.
    pub retrigger: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CompletionKind {
    Keyword,
    Flag,
    /// A flag value or a `--mount` option value.
    Value,
    MountOption,
    Stage,
    Variable,
    Image,
    Tag,
}

/// The candidates at `offset`, best first. Empty where nothing fits (inside a command, a
/// comment or a heredoc body).
pub fn completions(d: &Document<'_>, offset: u32) -> Vec<CompletionItem> {
    let offset = d.clamp(offset);
    let mut out = Out {
        d,
        offset,
        items: Vec::new(),
    };
    match locate::place(d, offset) {
        Place::Keyword { word, onbuild } => out.keywords(word, onbuild),
        Place::FlagName { instruction, word } => out.flag_names(instruction, word),
        Place::FlagValue {
            instruction,
            at,
            flag,
            value,
        } => out.flag_value(instruction, at, flag, value),
        Place::Variable {
            instruction,
            word,
            braced,
        } => out.variables(instruction, word, braced),
        Place::Argument {
            instruction,
            at,
            index,
            word,
            first,
        } => out.arguments(instruction, at, index, word, first),
        Place::Nothing => {}
    }
    out.items
}

struct Out<'a, 'd> {
    d: &'a Document<'d>,
    offset: u32,
    items: Vec<CompletionItem>,
}

impl Out<'_, '_> {
    /// The text typed so far in `word` (up to the cursor).
    fn prefix(&self, word: Span) -> &str {
        self.d.slice(Span::new(
            word.start,
            self.offset.clamp(word.start, word.end.max(word.start)),
        ))
    }

    fn matches(&self, word: Span, label: &str) -> bool {
        let prefix = self.prefix(word);
        label.len() >= prefix.len()
            && label
                .get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        word: Span,
        kind: CompletionKind,
        label: &str,
        insert: String,
        detail: Option<String>,
        documentation: Option<String>,
        retrigger: bool,
    ) {
        if !self.matches(word, label) {
            return;
        }
        if self
            .items
            .iter()
            .any(|i| i.label == label && i.kind == kind)
        {
            return;
        }
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind,
            detail,
            documentation,
            edit: TextEdit { span: word, insert },
            snippet: None,
            retrigger,
        });
    }

    /// True when nothing but blanks follows `word` on its line.
    fn line_ends_after(&self, word: Span) -> bool {
        let rest = self.d.text.get(word.end as usize..).unwrap_or("");
        rest.split('\n')
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .trim()
            .is_empty()
    }

    fn keywords(&mut self, word: Span, onbuild: bool) {
        let fresh = self.line_ends_after(word);
        let has_stage = self
            .d
            .doc
            .instructions
            .iter()
            .any(|i| i.keyword == Keyword::From && i.span.end <= word.start);
        let mut order: Vec<&docs::InstructionDoc> = docs::INSTRUCTIONS.iter().collect();
        if !has_stage && !onbuild {
            // Before the first FROM only ARG and FROM are allowed.
            crate::sort::sort_by_key(&mut order, |d| {
                !matches!(d.keyword, Keyword::From | Keyword::Arg)
            });
        }
        for doc in order {
            let keyword = doc.keyword;
            if onbuild
                && matches!(
                    keyword,
                    Keyword::Onbuild | Keyword::From | Keyword::Maintainer
                )
            {
                continue;
            }
            let label = keyword.as_str();
            let insert = if fresh {
                format!("{label} ")
            } else {
                label.to_string()
            };
            let detail = if keyword == Keyword::Maintainer {
                "deprecated".to_string()
            } else {
                doc.syntax.to_string()
            };
            let before = self.items.len();
            self.push(
                word,
                CompletionKind::Keyword,
                label,
                insert,
                Some(detail),
                docs::instruction_markdown(keyword),
                fresh && matches!(keyword, Keyword::From | Keyword::Healthcheck),
            );
            if fresh && self.items.len() > before {
                if let Some(item) = self.items.last_mut() {
                    item.snippet = doc.snippet.map(str::to_string);
                }
            }
        }
    }

    fn flag_names(&mut self, instruction: &Instruction, word: Span) {
        let equals_follows = self.d.text.as_bytes().get(word.end as usize) == Some(&b'=');
        for f in docs::flags(instruction.keyword) {
            let present = instruction.flags.iter().any(|g| {
                g.name == f.name && !(g.span.start <= word.start && word.start <= g.span.end)
            });
            if present && !f.repeats {
                continue;
            }
            let label = format!("--{}", f.name);
            let takes_value = f.value != FlagValue::Bool;
            let insert = if takes_value && !equals_follows {
                format!("{label}=")
            } else {
                label.clone()
            };
            self.push(
                word,
                CompletionKind::Flag,
                &label,
                insert,
                Some(
                    docs::flag_markdown(f)
                        .lines()
                        .nth(1)
                        .unwrap_or("")
                        .to_string(),
                ),
                Some(docs::flag_markdown(f)),
                takes_value && !equals_follows,
            );
        }
    }

    fn flag_value(&mut self, instruction: &Instruction, at: usize, flag: &Flag, value: Span) {
        let Some(doc) = docs::flag_doc(instruction.keyword, &flag.name) else {
            return;
        };
        match doc.value {
            FlagValue::Choice(values) => self.words(value, values, &flag.name),
            FlagValue::Bool => self.words(value, &["true", "false"], &flag.name),
            FlagValue::Stage => self.stages(value, at, true),
            FlagValue::Mount => self.mount(value, at),
            FlagValue::Text(_) if flag.name == "platform" => {
                for (label, detail) in PLATFORMS {
                    self.push(
                        value,
                        CompletionKind::Value,
                        label,
                        label.to_string(),
                        Some(detail.to_string()),
                        None,
                        false,
                    );
                }
            }
            FlagValue::Text(_) => {}
        }
    }

    fn words(&mut self, word: Span, values: &[&str], what: &str) {
        for value in values {
            self.push(
                word,
                CompletionKind::Value,
                value,
                value.to_string(),
                Some(what.to_string()),
                None,
                false,
            );
        }
    }

    /// Stage names for `FROM`, `--from=` and `from=`: the named stages other than the one at
    /// `at`, earlier ones first; `--from` also takes the tool images meant to copy from.
    fn stages(&mut self, word: Span, at: usize, with_images: bool) {
        let d = self.d;
        let current = d.stage_of(at);
        let from_line = d
            .doc
            .instructions
            .get(at)
            .is_some_and(|i| i.keyword == Keyword::From);
        for stage in &d.model.stages {
            let Some(name) = &stage.name else { continue };
            // A stage cannot read itself, and FROM sees only the stages above it.
            let later = current.is_some_and(|c| stage.index > c);
            if Some(stage.index) == current || (from_line && later) {
                continue;
            }
            let base = match &stage.base {
                Base::Image(image) => image.clone(),
                Base::Scratch => "scratch".to_string(),
                Base::Stage(p) => d
                    .model
                    .stages
                    .get(*p)
                    .map_or_else(String::new, |s| s.display_name()),
            };
            self.push(
                word,
                CompletionKind::Stage,
                name,
                name.clone(),
                Some(format!("stage {} · FROM {base}", stage.index)),
                None,
                false,
            );
        }
        if with_images {
            for base in kb().bases.iter().filter(|b| !b.files.is_empty()) {
                self.push(
                    word,
                    CompletionKind::Image,
                    &base.name,
                    base.name.clone(),
                    Some("image".to_string()),
                    Some(image_markdown(base, None)),
                    false,
                );
            }
        }
    }

    fn mount(&mut self, value: Span, at: usize) {
        let fields = mount_fields(self.d.text, value);
        let offset = self.offset;
        let Some(field) = fields
            .iter()
            .find(|f| f.span.start <= offset && offset <= f.span.end)
        else {
            return;
        };
        let kind = mount_type(&fields).to_ascii_lowercase();
        match field.value_span {
            Some(value_span) if offset >= value_span.start => {
                let Some(key) = docs::mount_key(field.key) else {
                    return;
                };
                match key.value {
                    FlagValue::Choice(values) => self.words(value_span, values, key.name),
                    FlagValue::Bool => self.words(value_span, &["true", "false"], key.name),
                    FlagValue::Stage => self.stages(value_span, at, true),
                    FlagValue::Text(_) if key.name == "target" && kind == "cache" => {
                        for (path, tool) in docs::CACHE_TARGETS {
                            self.push(
                                value_span,
                                CompletionKind::Value,
                                path,
                                path.to_string(),
                                Some(tool.to_string()),
                                None,
                                false,
                            );
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                let word = field.key_span;
                for key in docs::MOUNT_KEYS {
                    if !key.types.contains(&kind.as_str()) {
                        continue;
                    }
                    let present = fields.iter().any(|f| {
                        f.span != field.span
                            && docs::mount_key(f.key).is_some_and(|k| k.name == key.name)
                    });
                    if present {
                        continue;
                    }
                    let bare = key.value == FlagValue::Bool;
                    self.push(
                        word,
                        CompletionKind::MountOption,
                        key.name,
                        if bare || field.value.is_some() {
                            key.name.to_string()
                        } else {
                            format!("{}=", key.name)
                        },
                        Some(key.doc.to_string()),
                        Some(docs::mount_key_markdown(key)),
                        !bare && field.value.is_none(),
                    );
                }
            }
        }
    }

    fn variables(&mut self, at: Option<usize>, word: Span, braced: bool) {
        let d = self.d;
        let Some(at) = at else { return };
        let Some(instruction) = d.doc.instructions.get(at) else {
            return;
        };
        let close = braced && d.text.as_bytes().get(word.end as usize) != Some(&b'}');
        let insert = |name: &str| {
            if close {
                format!("{name}}}")
            } else {
                name.to_string()
            }
        };
        for (name, detail) in visible_variables(d, at, instruction) {
            self.push(
                word,
                CompletionKind::Variable,
                &name,
                insert(&name),
                Some(detail),
                None,
                false,
            );
        }
    }

    fn arguments(
        &mut self,
        instruction: &Instruction,
        at: usize,
        index: usize,
        word: Span,
        first: bool,
    ) {
        let prefix_is_flag = self.prefix(word).starts_with('-');
        if first && (prefix_is_flag || self.prefix(word).is_empty()) {
            self.flag_names(instruction, word);
        }
        if prefix_is_flag {
            return;
        }
        match (instruction.keyword, index) {
            (Keyword::From, 0) => self.images(word, at),
            (Keyword::From, 1) => self.words(word, &["AS"], "stage name follows"),
            (Keyword::Healthcheck, 0) => self.words(word, &["CMD", "NONE"], "HEALTHCHECK"),
            (Keyword::Arg, _) => {
                let stage = self.d.stage_of(at);
                if stage.is_some() {
                    for def in self.d.model.global_args.iter() {
                        self.push(
                            word,
                            CompletionKind::Variable,
                            &def.name,
                            def.name.clone(),
                            Some(format!(
                                "global ARG = {}",
                                def.value.as_deref().unwrap_or("(unset)")
                            )),
                            None,
                            false,
                        );
                    }
                }
                for (name, doc) in docs::PREDEFINED_ARGS {
                    self.push(
                        word,
                        CompletionKind::Variable,
                        name,
                        name.to_string(),
                        Some("predefined".to_string()),
                        Some(doc.to_string()),
                        false,
                    );
                }
            }
            _ => {}
        }
    }

    /// After `FROM`: earlier stages, `scratch`, and the knowledge base's images, or the tags
    /// of an image once `name:` is typed.
    fn images(&mut self, word: Span, at: usize) {
        let typed = self.prefix(word).to_string();
        if let Some((repo, _)) = typed.rsplit_once(':') {
            let tag_word = Span::new(word.start + repo.len() as u32 + 1, word.end);
            for base in &kb().bases {
                for name in std::iter::once(&base.name).chain(&base.aliases) {
                    let Some((r, tag)) = name.rsplit_once(':') else {
                        continue;
                    };
                    if r.eq_ignore_ascii_case(repo) {
                        self.push(
                            tag_word,
                            CompletionKind::Tag,
                            tag,
                            tag.to_string(),
                            Some(base_detail(base)),
                            Some(image_markdown(base, None)),
                            false,
                        );
                    }
                }
            }
            return;
        }
        self.stages(word, at, false);
        self.push(
            word,
            CompletionKind::Image,
            "scratch",
            "scratch".to_string(),
            Some("empty image".to_string()),
            None,
            false,
        );
        for base in &kb().bases {
            for name in std::iter::once(&base.name).chain(&base.aliases) {
                self.push(
                    word,
                    CompletionKind::Image,
                    name,
                    name.clone(),
                    Some(base_detail(base)),
                    Some(image_markdown(base, None)),
                    false,
                );
            }
        }
    }
}

fn base_detail(base: &crate::estimate::kb::BaseImage) -> String {
    format!("{} · {}", human(base.bytes), base.os)
}

/// Platforms for `--platform=`.
const PLATFORMS: &[(&str, &str)] = &[
    (
        "$BUILDPLATFORM",
        "the build machine's platform (cross-compile from here)",
    ),
    ("$TARGETPLATFORM", "the platform being built for"),
    ("linux/amd64", "x86-64"),
    ("linux/arm64", "64-bit ARM"),
    ("linux/arm/v7", "32-bit ARM v7"),
    ("linux/arm/v6", "32-bit ARM v6"),
    ("linux/386", "x86"),
    ("linux/ppc64le", "POWER little-endian"),
    ("linux/s390x", "IBM Z"),
    ("linux/riscv64", "RISC-V 64-bit"),
    ("windows/amd64", "Windows x86-64"),
];

/// The variables visible in instruction `at`, with a detail line, nearest definition first.
fn visible_variables(
    d: &Document<'_>,
    at: usize,
    instruction: &Instruction,
) -> Vec<(String, String)> {
    let symbols = symbols::symbols(d);
    let global = instruction.keyword == Keyword::From || d.stage_of(at).is_none();
    let runtime = matches!(
        instruction.keyword,
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
    );
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, detail: String| {
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.to_string(), detail));
        }
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "(no default)".to_string());
    if global {
        for def in symbols.defs.iter().rev() {
            if def.stage.is_none() && def.kind == VarKind::Arg && def.instruction < at {
                add(&def.name, format!("global ARG = {}", value(&def.value)));
            }
        }
        for (name, doc) in docs::PREDEFINED_ARGS {
            add(name, format!("predefined: {doc}"));
        }
        return out;
    }
    let stage = d.stage_of(at);
    let mut chain = Vec::new();
    let mut current = stage;
    while let Some(s) = current {
        if chain.contains(&s) {
            break;
        }
        chain.push(s);
        current = match d.model.stages.get(s).map(|st| &st.base) {
            Some(Base::Stage(p)) if *p < s => Some(*p),
            _ => None,
        };
    }
    for def in symbols.defs.iter().rev() {
        let in_stage = def.stage == stage && def.instruction < at;
        let inherited = def.stage.is_some_and(|s| chain[1..].contains(&s));
        match def.kind {
            VarKind::Env if in_stage || inherited => {
                add(&def.name, format!("ENV = {}", value(&def.value)))
            }
            VarKind::Arg if in_stage && !runtime => {
                add(&def.name, format!("ARG = {}", value(&def.value)))
            }
            _ => {}
        }
    }
    if let Some(root) = chain.last() {
        if let Some(Base::Image(image)) = d.model.stages.get(*root).map(|s| &s.base) {
            if let Some(base) = crate::estimate::bases::resolve(image).base {
                for (name, v) in &base.env {
                    add(name, format!("ENV of {} = {v}", base.name));
                }
            }
        }
    }
    out
}
