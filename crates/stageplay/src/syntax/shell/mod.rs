//! The shell layer: the one reader of the POSIX shell text in `RUN` (and the shell form of
//! `CMD`, `ENTRYPOINT`, `HEALTHCHECK`, and heredoc scripts). Lint rules, the image estimate and
//! the refactors all read this [`Script`]; what each needs on top (a rule's flags, the
//! estimate's expanded words and architecture branch, a refactor's rebuilt command) is a view
//! over it.
//!
//! It is a reader, not a shell, and not a validator: it finds simple commands and their words,
//! with enough structure around them to be faithful — `NAME=value` prefixes, redirections
//! (their targets are what a command writes), control keywords (`if`, `then`, `do`, `!`, `{`,
//! …) and the headers of `for`, `select` and `case` (with each `case` arm's patterns and
//! commands), operators (`&&`, `||`, `;`, `|`, `&`, newlines), commands inside `$(…)` and
//! backticks (one level deeper). It mirrors what hadolint reads through ShellCheck
//! (`presentCommands`, `getArgsNoFlags`, `hasFlag`, `dropFlagArg`). Variables are not expanded
//! here: [`crate::syntax::expand`] does that, over a word's text as written.
//!
//! # Invariants
//!
//! These hold for any input and are tested in `tests.rs` (and over the corpus and random text
//! in `tests/shell_props.rs`):
//! - reading never fails and never panics: odd input gives fewer commands, never an error;
//! - every span lies within the region read (a RUN's arguments, a heredoc body, an exec-form
//!   item), and maps back through removed line continuations: a word's [`Word::span`] starts
//!   at its first character and ends after its last one in the Dockerfile;
//! - `&script.text[word.raw.range()]` is the word as written (quotes, escapes and `$…` kept),
//!   and reading that text alone gives one command whose one word has the same [`Word::text`]
//!   (words round-trip);
//! - within a command, keywords, assignments, words and redirections are in source order and
//!   do not overlap; a command's [`Command::range`] covers all of them;
//! - commands are in source order, except that the commands inside a `$(…)` or backticks come
//!   just before the command whose word holds them;
//! - a `case` arm's [`Arm::commands`] range lies inside its case's [`Case::commands`].

mod flags;
mod parse;
#[cfg(test)]
mod tests;

use crate::span::Span;
use crate::syntax::ast::{Args, Heredoc, Instruction, MapPiece, TextMap};
pub use flags::{
    flag_value, has_flag, operand_texts, operands, value_options, OptionNames, ValueOptions,
};
use std::ops::Range;

/// One word: its text with quotes removed and escapes applied (`$(…)`, backticks and `${…}`
/// stay as written), where it is in the Dockerfile, and where it is in [`Script::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// In the Dockerfile.
    pub span: Span,
    /// In [`Script::text`]: the word as written.
    pub raw: Span,
}

/// A word reads as its text: `word == "install"`, `word.starts_with('-')`.
impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A redirection: `>`, `>>`, `>|`, `<`, `<<` (a heredoc), `<<<`, `<>`, `>&`, `<&`, `&>`, `&>>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The operator as written, without the file descriptor.
    pub op: String,
    /// The file descriptor written before the operator (`2` in `2>&1`).
    pub fd: Option<String>,
    /// The file, descriptor or heredoc delimiter it names (`None` at the end of the text).
    pub target: Option<Word>,
    /// From the operator (or its descriptor) to the end of the target, in the Dockerfile.
    pub span: Span,
    /// The same in [`Script::text`]: the redirection as written.
    pub raw: Span,
}

impl Redirect {
    /// True when the target is a file the command writes (`>`, `>>`, `>|`, `&>`, `&>>`), not a
    /// descriptor it duplicates (`>&2`) or something it reads.
    pub fn writes_file(&self) -> bool {
        matches!(self.op.as_str(), ">" | ">>" | ">|" | "&>" | "&>>")
    }
}

/// A simple command (`NAME=v name arg… >file`), with the control keywords before it; or the
/// header of a `for`, `select` or `case` ([`Command::header`]); or control keywords alone
/// (`done`, `fi`, `esac`, `}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// Reserved words before the command: `if`, `then`, `else`, `elif`, `fi`, `do`, `done`,
    /// `while`, `until`, `{`, `}`, `!`, `esac`, and `(` or `)` of a subshell.
    pub keywords: Vec<Word>,
    /// `NAME=value` words before the name.
    pub assignments: Vec<Word>,
    /// The name and the arguments (for a header: its words, `for x in a b`).
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    /// The words are a `for`, `select` or `case` header, not a command to run.
    pub header: bool,
    /// From the name to the end of the last argument or redirection, in the Dockerfile (the
    /// keywords and assignments when there is no name).
    pub span: Span,
    /// From the first keyword, assignment, word or redirection to the last, in
    /// [`Script::text`]: the command as written.
    pub range: Span,
    /// 0 for top-level commands, one more inside each `$(…)` or backticks.
    pub depth: u32,
    /// The operator after the command (`&&`, `||`, `;`, `;;`, `|`, `&`, a newline as `\n`).
    pub followed_by: Option<&'static str>,
}

/// A `case` statement: its subject, its arms, and the commands inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub subject: Option<Word>,
    pub arms: Vec<Arm>,
    /// Indices in [`Script::all`] of the commands inside the statement.
    pub commands: Range<usize>,
}

/// One arm of a `case`: `a|b) commands ;;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    pub patterns: Vec<Word>,
    /// Indices in [`Script::all`] of the arm's commands.
    pub commands: Range<usize>,
}

/// A shell script as read.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// The text read: the region with line continuations removed (hadolint's `original`).
    pub text: String,
    /// Every command in order (see the module's invariants), headers and keyword-only ones
    /// included; [`Script::commands`] gives the commands that run something.
    pub all: Vec<Command>,
    pub cases: Vec<Case>,
    /// A `|` (or `|&`) joins two commands somewhere.
    pub has_pipe: bool,
    /// False for exec form: spans point into JSON strings and must not be edited.
    pub editable: bool,
}

impl Script {
    /// Reads `text`, whose bytes come from the Dockerfile as `map` says: the joined text of an
    /// instruction's arguments (continuation lines removed) and its
    /// [`Instruction::args_map`](crate::syntax::Instruction::args_map).
    pub fn read(text: &str, map: TextMap) -> Script {
        parse::parse(text, map)
    }

    /// Reads `text`, which stands as it is in the Dockerfile at offset `start` (a heredoc body).
    pub fn at(text: &str, start: u32) -> Script {
        let mut map = TextMap::default();
        map.push(MapPiece {
            text_start: 0,
            source_start: start,
            len: text.len() as u32,
        });
        parse::parse(text, map)
    }

    /// Reads `text` on its own: spans are offsets in `text`.
    pub fn parse(text: &str) -> Script {
        Script::at(text, 0)
    }

    /// Exec form: one command made of the items (decoded JSON strings and their spans), not
    /// editable. Its text is the items joined by spaces.
    pub fn exec(items: &[(String, Span)]) -> Script {
        parse::exec(items)
    }

    /// The commands that run something: not headers, and with a name.
    pub fn commands(&self) -> impl DoubleEndedIterator<Item = &Command> + '_ {
        self.all.iter().filter(|c| c.is_simple())
    }

    /// [`Script::commands`], owned.
    pub fn into_commands(self) -> Vec<Command> {
        self.all.into_iter().filter(Command::is_simple).collect()
    }

    /// The text of `span`, a range in [`Script::text`] (a word's `raw`, a command's `range`).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// True when the script is a plain list of simple commands at the top level, joined by
    /// `&&` only: no control keywords, no loop or `case`, no subshell, no `|`, `||` or `;`
    /// (such a list can be taken apart and re-chained safely).
    pub fn only_and_chains(&self) -> bool {
        let top: Vec<&Command> = self.all.iter().filter(|c| c.depth == 0).collect();
        top.iter()
            .all(|c| c.keywords.is_empty() && !c.header && !c.words.is_empty())
            && top
                .iter()
                .rev()
                .skip(1)
                .all(|c| c.followed_by == Some("&&"))
    }
}

/// Shells that run a heredoc fed to them as a script (`RUN bash -e <<EOF`).
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash"];

/// The script a `RUN` (or its `ONBUILD RUN`) runs, with spans into the Dockerfile: the
/// exec-form items as one command; a heredoc's body when the heredoc is the script, as
/// BuildKit's dispatch makes it (`RUN <<EOF` alone: its first heredoc) or as a shell reads it
/// (`RUN bash -ex <<EOF`: the shell's standard input); otherwise the shell-form arguments.
pub fn run_script(inst: &Instruction) -> Script {
    match &inst.args {
        Args::Exec { items, .. } => {
            let items: Vec<(String, Span)> =
                items.iter().map(|w| (w.text.clone(), w.span)).collect();
            Script::exec(&items)
        }
        Args::Shell { text, .. } => {
            let args = Script::read(text, inst.args_map.clone());
            match script_heredoc(&args, inst.heredocs()) {
                Some(h) => Script::at(h.raw_content(), h.body_span.start),
                None => args,
            }
        }
    }
}

/// The heredoc that is the script of `args` (see [`run_script`]).
fn script_heredoc<'h>(args: &Script, heredocs: &'h [Heredoc]) -> Option<&'h Heredoc> {
    let top: Vec<&Command> = args.all.iter().filter(|c| c.depth == 0).collect();
    let [only] = top.as_slice() else {
        return None;
    };
    let stdin: Vec<&Redirect> = only
        .redirects
        .iter()
        .filter(|r| matches!(r.op.as_str(), "<<" | "<<-") && r.fd.as_deref().unwrap_or("0") == "0")
        .collect();
    let delimiter = |r: &Redirect| {
        r.target
            .as_ref()
            .map(|t| t.text.trim_start_matches('-').to_string())
    };
    let alone = only.words.is_empty()
        && only.keywords.is_empty()
        && only.assignments.is_empty()
        && only.redirects.len() == 1;
    // A shell with options only (no `-c`, no script file) reads its standard input.
    let fed_to_shell = SHELLS.contains(&only.program())
        && only.program_args().iter().all(|a| a.text.starts_with('-'))
        && !has_flag(only.program_args(), &["-c"]);
    let name = if alone {
        delimiter(stdin.first()?)?
    } else if fed_to_shell {
        // The last redirection of standard input is what the shell reads.
        delimiter(stdin.last()?)?
    } else {
        return None;
    };
    heredocs.iter().find(|h| h.name == name)
}

/// Words that lead to the program: a command run through `sudo`, `env`, `exec` or `time`.
const WRAPPERS: &[&str] = &["sudo", "env", "exec", "time"];

impl Command {
    /// Not a header, and has a name.
    pub fn is_simple(&self) -> bool {
        !self.header && !self.words.is_empty()
    }

    /// The command name as written (quotes removed), or `""`.
    pub fn name(&self) -> &str {
        self.words.first().map_or("", |w| w.text.as_str())
    }

    /// Where the name is.
    pub fn name_span(&self) -> Span {
        self.words.first().map_or(self.span, |w| w.span)
    }

    /// The words after the name.
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// The name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn basename(&self) -> &str {
        basename(self.name())
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args().iter().any(|a| a.text == arg)
    }

    pub fn has_any_arg(&self, args: &[&str]) -> bool {
        self.args().iter().any(|a| args.contains(&a.text.as_str()))
    }

    /// hadolint's `cmdHasArgs`: the name is `name` and one of `any_arg` is among the arguments.
    pub fn is(&self, name: &str, any_arg: &[&str]) -> bool {
        self.name() == name && self.has_any_arg(any_arg)
    }

    /// The first argument equal to one of `words` (e.g. the `install` sub-command).
    pub fn find_arg(&self, words: &[&str]) -> Option<&Word> {
        self.args()
            .iter()
            .find(|a| words.contains(&a.text.as_str()))
    }

    /// True when one of the options `names` (written as on the command line: `-y`,
    /// `--no-cache`) is given; see [`has_flag`].
    pub fn has_flag(&self, names: &[&str]) -> bool {
        has_flag(self.args(), names)
    }

    /// The value of the first of the options `names` given; see [`flag_value`].
    pub fn flag_value(&self, names: &[&str]) -> Option<&str> {
        flag_value(self.args(), names)
    }

    /// The arguments that are not options nor the values of the options `value_flags`; see
    /// [`operands`].
    pub fn operands(&self, value_flags: impl OptionNames) -> Vec<&Word> {
        let args = self.args();
        operands(args, value_flags)
            .into_iter()
            .filter_map(|i| args.get(i))
            .collect()
    }

    /// Index in [`Command::words`] of the program: the name, or what `sudo`, `env`, `exec` or
    /// `time` run (their `NAME=value` words skipped too).
    pub fn program_index(&self) -> Option<usize> {
        self.words
            .iter()
            .position(|w| !(WRAPPERS.contains(&w.text.as_str()) || is_assignment(&w.text)))
    }

    /// The program without its directory (`sudo /usr/bin/pip3 install` → `pip3`), or `""`.
    pub fn program(&self) -> &str {
        self.program_index()
            .map_or("", |i| basename(&self.words[i].text))
    }

    /// The words after the program.
    pub fn program_args(&self) -> &[Word] {
        match self.program_index() {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// The first operand after the program (`install` in `apt-get -y install x` and in
    /// `apt-get -o Dpkg::Use-Pty=0 install x`).
    pub fn subcommand(&self) -> Option<&str> {
        self.program_operands().first().map(|a| a.text.as_str())
    }

    /// The program's operands: its arguments that are not options nor the values of the
    /// options [`value_options`] lists for it (`-t bookworm`, `--virtual .deps`), and every
    /// word after `--`.
    pub fn program_operands(&self) -> Vec<&Word> {
        let args = self.program_args();
        operands(args, value_options(self.program()))
            .into_iter()
            .filter_map(|i| args.get(i))
            .collect()
    }

    /// True when the program is `program` and its sub-command `sub`.
    pub fn runs(&self, program: &str, sub: &str) -> bool {
        self.program() == program && self.subcommand() == Some(sub)
    }

    /// The `NAME=value` pairs the command sets: its prefix and those a wrapper sets
    /// (`env A=1 cmd`).
    pub fn assigned(&self) -> Vec<(&str, &str)> {
        let wrapped = &self.words[..self.program_index().unwrap_or(self.words.len())];
        self.assignments
            .iter()
            .chain(wrapped)
            .filter_map(|w| w.text.split_once('='))
            .collect()
    }

    /// The files the command's redirections write (`> /etc/x`, `>> log`, `&> out`).
    pub fn written_files(&self) -> impl Iterator<Item = &Word> + '_ {
        self.redirects
            .iter()
            .filter(|r| r.writes_file())
            .filter_map(|r| r.target.as_ref())
    }
}

/// The last `/`-separated part of `path` (`/usr/bin/pip3` → `pip3`).
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A `NAME=value` word: the name is a shell name (a letter or `_`, then letters, digits, `_`).
pub fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
