//! The typed syntax tree. Plain data: public fields, byte spans, no behaviour beyond accessors.
//!
//! Two layers, as in BuildKit: the *line layer* (directives, continuations, comments, heredocs)
//! produces [`Instruction`]s with raw [`Flag`]s and [`Args`]; the *instruction layer* gives typed
//! views through accessor methods (`from_args`, `copy_args`, `mounts`, …) that later stages read.

mod source_text;
mod text_map;

use crate::diagnostic::Diagnostic;
use crate::span::Span;
use serde::Serialize;
pub(crate) use source_text::SourceChunks;
pub use source_text::SourceText;
use std::borrow::Cow;
pub use text_map::{MapPiece, TextMap};

/// The result of [`crate::syntax::parse`]: always a tree, plus diagnostics.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dockerfile {
    /// Parser directives at the top (`# syntax=`, `# escape=`, `# check=`), in order.
    pub directives: Vec<Directive>,
    /// The escape character in force (`\` unless `# escape=` says otherwise).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including ones inside continuations (BuildKit drops those).
    pub comments: Vec<Comment>,
    /// Tokens that tile the source exactly: concatenating `&text[t.span]` reproduces the input.
    pub tokens: Vec<Token>,
    pub diagnostics: Vec<Diagnostic>,
    /// Index in `diagnostics` of the error that makes BuildKit's parser reject the file
    /// (the first one BuildKit would stop at); `None` when BuildKit accepts it.
    pub buildkit_error: Option<usize>,
}

impl Dockerfile {
    /// The instructions with this keyword, in source order (ONBUILD triggers not included).
    pub fn instructions_with(&self, keyword: Keyword) -> impl Iterator<Item = &Instruction> + '_ {
        self.instructions
            .iter()
            .filter(move |i| i.keyword == keyword)
    }

    /// The length of the source in bytes (the end of the last token).
    pub fn source_len(&self) -> usize {
        self.tokens.last().map_or(0, |t| t.span.end as usize)
    }

    /// A fresh [`Budget`](crate::syntax::expand::Budget) for the `$VAR` expansions of one pass
    /// over this file, sized after the source.
    pub fn expansion_budget(&self) -> crate::syntax::expand::Budget {
        crate::syntax::expand::Budget::for_input(self.source_len())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-case name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    pub span: Span,
    pub value_span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// Not an instruction BuildKit knows; the raw word is [`Instruction::keyword_text`].
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup.
    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// Upper-case name, as BuildKit prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }
}

/// One instruction: from its keyword to the end of its last continuation line or heredoc body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    pub keyword: Keyword,
    /// The keyword as written, only when it differs from `keyword.as_str()` (unknown
    /// keywords, other casings); read it with [`Instruction::keyword_text`].
    keyword_written: Option<Box<str>>,
    pub keyword_span: Span,
    /// The whole instruction, heredoc bodies included, without the final newline.
    pub span: Span,
    /// 1-based lines, as BuildKit reports them (`end_line` includes heredoc bodies).
    pub start_line: u32,
    pub end_line: u32,
    pub flags: Vec<Flag>,
    pub args: Args,
    /// Where each byte of [`Instruction::args_text`] comes from in the source.
    pub args_map: TextMap,
    /// BuildKit's value list (read with [`Instruction::values`]), stored as slices of the
    /// argument text where it can be.
    values: Values,
    /// True when BuildKit read the arguments in JSON (exec) form.
    pub json: bool,
    /// What few instructions have (heredocs, a description, an ONBUILD trigger, JSON text),
    /// boxed so that the common instruction stays small; `None` when there is none of it.
    extra: Option<Box<Extra>>,
}

/// The rarely present parts of an [`Instruction`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
struct Extra {
    heredocs: Vec<Heredoc>,
    description: Option<String>,
    onbuild: Option<Instruction>,
    /// The argument text of the JSON form (`Args::Exec`); the shell form's text is the one in
    /// `Args::Shell`, so each is stored once.
    exec_text: SourceText,
}

/// BuildKit's value list of an instruction, without copying what the argument text holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub(crate) enum Values {
    #[default]
    Empty,
    /// One value: the whole argument text (shell-form RUN/CMD, WORKDIR, USER…).
    Args,
    /// Up to [`FEW`] byte ranges of the argument text (FROM words, COPY paths…), inline.
    Few { len: u8, ranges: [(u32, u32); FEW] },
    /// Byte ranges of the argument text (`k=v` pairs…).
    Slices(Vec<(u32, u32)>),
    /// The exec-form items' texts (BuildKit's values of a JSON array are its strings).
    Items,
    /// Values that are not slices of the argument text (decoded JSON strings…).
    Owned(Vec<String>),
}

/// How many value ranges an instruction keeps without allocating.
const FEW: usize = 3;

impl Values {
    /// The value ranges, when the values are slices of the argument text.
    fn ranges(&self) -> &[(u32, u32)] {
        match self {
            Values::Few { len, ranges } => &ranges[..usize::from(*len).min(FEW)],
            Values::Slices(slices) => slices,
            _ => &[],
        }
    }

    /// The compact form of `values`, BuildKit's value list read from the argument text `args`
    /// (values borrowed from `args` become ranges without searching).
    pub(crate) fn compact(values: Vec<Cow<'_, str>>, args: &str) -> Values {
        match values.as_slice() {
            [] => return Values::Empty,
            [one] if one.as_ref() == args => return Values::Args,
            _ => {}
        }
        let base = args.as_ptr() as usize;
        // Collected on the stack when there are few (the Vec does not allocate until used).
        let mut few = [(0u32, 0u32); FEW];
        let mut count = 0;
        let mut slices = Vec::new();
        let mut cursor = 0;
        for value in &values {
            let value = value.as_ref();
            let at = (value.as_ptr() as usize).wrapping_sub(base);
            let start = match at
                .checked_add(value.len())
                .and_then(|end| args.get(at..end))
            {
                Some(slice) if slice == value => at,
                _ => match args.get(cursor..).and_then(|rest| rest.find(value)) {
                    Some(i) => cursor + i,
                    None => {
                        return Values::Owned(values.into_iter().map(Cow::into_owned).collect())
                    }
                },
            };
            cursor = start + value.len();
            let range = (start as u32, cursor as u32);
            if values.len() <= FEW {
                few[count] = range;
                count += 1;
            } else {
                slices.push(range);
            }
        }
        if values.len() <= FEW {
            return Values::Few {
                len: count as u8,
                ranges: few,
            };
        }
        Values::Slices(slices)
    }
}

impl Instruction {
    /// Builds an instruction; the keyword text and values are stored compactly. `values` is
    /// BuildKit's value list and the argument text it was read from.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        keyword: Keyword,
        keyword_text: &str,
        keyword_span: Span,
        span: Span,
        start_line: u32,
        flags: Vec<Flag>,
        args: Args,
        exec_text: SourceText,
        args_map: TextMap,
        values: (Vec<Cow<'_, str>>, &str),
        json: bool,
    ) -> Instruction {
        let keyword_written = (keyword == Keyword::Unknown || keyword_text != keyword.as_str())
            .then(|| keyword_text.into());
        let extra = match args {
            Args::Exec { .. } => Some(Box::new(Extra {
                exec_text,
                ..Extra::default()
            })),
            Args::Shell { .. } => None,
        };
        let (values, values_source) = values;
        let values = match &args {
            Args::Exec { items, .. }
                if values.len() == items.len()
                    && values.iter().zip(items).all(|(v, w)| *v == w.text) =>
            {
                Values::Items
            }
            _ => Values::compact(values, values_source),
        };
        Instruction {
            keyword,
            keyword_written,
            keyword_span,
            span,
            start_line,
            end_line: start_line,
            flags,
            args,
            args_map,
            values,
            json,
            extra,
        }
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// The heredocs of RUN/COPY/ADD, in order of their markers.
    pub fn heredocs(&self) -> &[Heredoc] {
        self.extra.as_ref().map_or(&[], |e| &e.heredocs)
    }

    pub(crate) fn heredocs_mut(&mut self) -> &mut Vec<Heredoc> {
        &mut self.extra_mut().heredocs
    }

    /// The comment lines directly above the instruction (BuildKit's description), joined by `\n`.
    pub fn description(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.description.as_deref())
    }

    pub(crate) fn set_description(&mut self, description: Option<String>) {
        if description.is_some() || self.extra.is_some() {
            self.extra_mut().description = description;
        }
    }

    /// For `ONBUILD <instr>`: the wrapped instruction (its spans point into the same source).
    pub fn onbuild(&self) -> Option<&Instruction> {
        self.extra.as_ref().and_then(|e| e.onbuild.as_ref())
    }

    pub(crate) fn onbuild_mut(&mut self) -> Option<&mut Instruction> {
        self.extra.as_mut().and_then(|e| e.onbuild.as_mut())
    }

    pub(crate) fn set_onbuild(&mut self, inner: Instruction) {
        self.extra_mut().onbuild = Some(inner);
    }

    /// The keyword as written (keeps the user's casing).
    pub fn keyword_text(&self) -> &str {
        self.keyword_written
            .as_deref()
            .unwrap_or(self.keyword.as_str())
    }

    /// The arguments after the flags as BuildKit's parser sees them: continuation lines
    /// joined, comment lines inside them dropped, trimmed.
    pub fn args_text(&self) -> &str {
        match &self.args {
            Args::Shell { text, .. } => text,
            Args::Exec { .. } => self.extra.as_ref().map_or("", |e| e.exec_text.as_str()),
        }
    }

    /// BuildKit's value list for this node (`Node.Next` chain), exactly as its parser
    /// produces it: FROM words, ENV/LABEL keys and values, JSON strings, the raw shell text…
    pub fn values(&self) -> Vec<&str> {
        let args = self.args_text();
        match &self.values {
            Values::Empty => Vec::new(),
            Values::Args => vec![args],
            Values::Owned(values) => values.iter().map(String::as_str).collect(),
            Values::Items => self.exec_items().iter().map(|w| w.text.as_str()).collect(),
            Values::Few { .. } | Values::Slices(_) => self
                .values
                .ranges()
                .iter()
                .map(|&(s, e)| args.get(s as usize..e as usize).unwrap_or(""))
                .collect(),
        }
    }

    fn exec_items(&self) -> &[Word] {
        match &self.args {
            Args::Exec { items, .. } => items,
            Args::Shell { .. } => &[],
        }
    }

    /// The number of [`Instruction::values`].
    pub fn value_count(&self) -> usize {
        match &self.values {
            Values::Empty => 0,
            Values::Args => 1,
            Values::Owned(values) => values.len(),
            Values::Items => self.exec_items().len(),
            Values::Few { .. } | Values::Slices(_) => self.values.ranges().len(),
        }
    }

    /// The first of [`Instruction::values`].
    pub fn first_value(&self) -> Option<&str> {
        let args = self.args_text();
        match &self.values {
            Values::Empty => None,
            Values::Args => Some(args),
            Values::Owned(values) => values.first().map(String::as_str),
            Values::Items => self.exec_items().first().map(|w| w.text.as_str()),
            Values::Few { .. } | Values::Slices(_) => self
                .values
                .ranges()
                .first()
                .map(|&(s, e)| args.get(s as usize..e as usize).unwrap_or("")),
        }
    }
}

/// A `--name[=value]` flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Name without the dashes (`from`, `mount`, `chown`), as written: BuildKit's flag names
    /// are case-sensitive, so `--FROM` is an unknown flag.
    pub name: String,
    /// The flag as written in the source, e.g. `--from="builder"` (quotes and escapes kept).
    pub raw: SourceText,
    /// The value part of [`Flag::processed`] (after the first `=`); `None` for a value-less
    /// flag (`--link`).
    pub value: Option<String>,
    pub span: Span,
    pub name_span: Span,
    pub value_span: Option<Span>,
    /// Whether the processed flag starts with `--` (it is `--` + name + `=` + value).
    dashed: bool,
}

impl Flag {
    /// A flag from BuildKit's processed word (`--from=builder`), as written in `raw`.
    pub(crate) fn new(
        mut processed: String,
        raw: SourceText,
        span: Span,
        name_span: Span,
        value_span: Option<Span>,
    ) -> Flag {
        let dashed = processed.starts_with("--");
        let value = processed.find('=').map(|eq| {
            let value = processed[eq + 1..].to_string();
            processed.truncate(eq);
            value
        });
        if dashed {
            processed.drain(..2);
        }
        Flag {
            name: processed,
            raw,
            value,
            span,
            name_span,
            value_span,
            dashed,
        }
    }

    /// The flag as BuildKit's parser lists it: quotes removed, `\` escapes applied (`--from=builder`).
    /// BuildKit splits flags byte by byte, so non-ASCII text appears as Latin-1 (`é` → `Ã©`),
    /// exactly as BuildKit then uses it.
    pub fn processed(&self) -> String {
        let dashes = if self.dashed { "--" } else { "" };
        match &self.value {
            Some(value) => format!("{dashes}{}={value}", self.name),
            None => format!("{dashes}{}", self.name),
        }
    }
}

/// The arguments after the flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Args {
    /// JSON (exec) form: `["a", "b"]`, strings decoded.
    Exec { items: Vec<Word>, span: Span },
    /// Shell form or plain words: the raw text after the flags, continuations joined as BuildKit
    /// joins them (escape + newline removed), comment lines inside continuations dropped.
    Shell { text: SourceText, span: Span },
}

impl Default for Args {
    fn default() -> Self {
        Args::Shell {
            text: SourceText::default(),
            span: Span::default(),
        }
    }
}

/// A word of the arguments with its source span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The text, with JSON escapes decoded (exec form) or as written (shell form; quotes kept).
    pub text: String,
    pub span: Span,
}

/// A heredoc attached to RUN/COPY/ADD.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter name, without quotes.
    pub name: String,
    /// The file descriptor for `3<<EOF`; 0 when none is given.
    pub fd: u32,
    /// The body as BuildKit's instructions layer gives it (leading tabs stripped for `<<-`),
    /// including the trailing newline.
    pub content: String,
    /// The body exactly as BuildKit's parser returns it (no tab stripping, `\r\n` kept),
    /// when it differs from `content` (read it with [`Heredoc::raw_content`]).
    raw_body: Option<String>,
    /// True when the delimiter was quoted (no variable expansion in the body).
    pub quoted: bool,
    /// True for `<<-` (leading tabs stripped).
    pub strip_tabs: bool,
    /// The `<<EOF` marker in the instruction line.
    pub marker_span: Span,
    /// The body lines, without the terminator line.
    pub body_span: Span,
    /// The terminator line.
    pub end_span: Span,
}

impl Heredoc {
    /// A heredoc; `raw_content` is `None` when it is `content`, and kept only when it differs.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        name: String,
        fd: u32,
        content: String,
        raw_content: Option<String>,
        quoted: bool,
        strip_tabs: bool,
        marker_span: Span,
        body_span: Span,
        end_span: Span,
    ) -> Heredoc {
        Heredoc {
            name,
            fd,
            raw_body: raw_content.filter(|raw| *raw != content),
            content,
            quoted,
            strip_tabs,
            marker_span,
            body_span,
            end_span,
        }
    }

    /// The body exactly as BuildKit's parser returns it (no tab stripping, `\r\n` kept).
    pub fn raw_content(&self) -> &str {
        self.raw_body.as_deref().unwrap_or(&self.content)
    }
}

impl std::fmt::Debug for Heredoc {
    /// As the fields it reads as: `raw_content` is shown whether or not it is stored.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heredoc")
            .field("name", &self.name)
            .field("fd", &self.fd)
            .field("content", &self.content)
            .field("raw_content", &self.raw_content())
            .field("quoted", &self.quoted)
            .field("strip_tabs", &self.strip_tabs)
            .field("marker_span", &self.marker_span)
            .field("body_span", &self.body_span)
            .field("end_span", &self.end_span)
            .finish()
    }
}

/// A lexical token for highlighting and lossless printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TokenKind {
    Whitespace,
    Newline,
    Comment,
    Directive,
    Keyword,
    /// `--name` of a flag.
    FlagName,
    /// `=value` part of a flag.
    FlagValue,
    /// A plain argument word.
    Word,
    /// A quoted string (shell or JSON).
    String,
    /// `$VAR` or `${...}`.
    Variable,
    /// JSON punctuation: `[`, `]`, `,`.
    Punct,
    /// The escape character before a newline.
    LineContinuation,
    /// `<<EOF` markers.
    HeredocMarker,
    HeredocBody,
    HeredocEnd,
    /// `AS` in FROM, and other fixed sub-keywords (`CMD`/`NONE` in HEALTHCHECK).
    SubKeyword,
    /// Text the parser could not make sense of.
    Error,
}
