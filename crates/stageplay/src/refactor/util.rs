//! Small readers over instructions and stages that every refactor shares.

use super::shell;
use crate::estimate::state::clean_path;
use crate::model::{Model, Stage};
use crate::span::Span;
use crate::syntax::expand::{Budget, Lex, Unset};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};

/// The source text of `span`, or `""` when it does not fit the text.
pub fn slice(text: &str, span: Span) -> &str {
    text.get(span.range()).unwrap_or("")
}

/// The raw text of an instruction (continuations and heredocs included).
pub fn raw<'a>(text: &'a str, ins: &Instruction) -> &'a str {
    slice(text, ins.span)
}

/// The argument text: shell text as BuildKit joins it, or exec items joined by spaces.
pub fn arg_text(ins: &Instruction) -> String {
    match &ins.args {
        Args::Shell { text, .. } => text.to_string(),
        Args::Exec { items, .. } => items
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The argument words with quotes removed: exec items; the words of a shell command line
/// (RUN, CMD, ENTRYPOINT, HEALTHCHECK: every top-level command's keywords, assignments, name
/// and arguments, in order); or an instruction's words as BuildKit splits them (COPY, ADD…,
/// `$VAR` kept as written).
pub fn arg_words(ins: &Instruction) -> Vec<String> {
    match &ins.args {
        Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
        Args::Shell { text, .. }
            if matches!(
                ins.keyword,
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
            ) =>
        {
            shell::Script::parse(text)
                .all
                .iter()
                .filter(|c| c.depth == 0)
                .flat_map(|c| c.keywords.iter().chain(&c.assignments).chain(&c.words))
                .map(|w| w.text.clone())
                .collect()
        }
        Args::Shell { text, .. } => words(text),
    }
}

/// `text` split into words as BuildKit's `ProcessWords` does, quotes removed and `$VAR` kept
/// as written (no variable is known here).
pub fn words(text: &str) -> Vec<String> {
    let lex = Lex {
        unset: Unset::Keep,
        ..Lex::new('\\')
    };
    match lex.process(text, &|_| None, &Budget::new(0)) {
        Ok((_, words)) => words,
        Err(_) => text.split_whitespace().map(str::to_string).collect(),
    }
}

pub fn is_exec(ins: &Instruction) -> bool {
    matches!(ins.args, Args::Exec { .. })
}

/// The span covering whole lines of `span`, with the final newline and the comment lines
/// directly above (the instruction's description).
pub fn line_span(text: &str, span: Span, with_comments: bool) -> Span {
    // The comments above an instruction travel with it, but never a parser directive
    // (`# escape = \``, `#syntax=…`, `# check=…`): moving or deleting one changes how the
    // whole file is read.
    let bytes = text.as_bytes();
    let mut start = (span.start as usize).min(text.len());
    while start > 0 && bytes[start - 1] != b'\n' {
        start -= 1;
    }
    if with_comments {
        while start > 0 {
            let mut prev = start - 1;
            while prev > 0 && bytes[prev - 1] != b'\n' {
                prev -= 1;
            }
            let line = text.get(prev..start).unwrap_or("").trim();
            if !line.starts_with('#') || looks_like_directive(line) {
                break;
            }
            start = prev;
        }
    }
    let mut end = (span.end as usize).min(text.len());
    // A span that already ends with its newline ends its last line there; extending it would
    // take the next line too (the whole next stage when it is the file's last line).
    if !(end > start && bytes[end - 1] == b'\n') {
        while end < text.len() && bytes[end] != b'\n' {
            end += 1;
        }
        if end < text.len() {
            end += 1;
        }
    }
    Span::new(start as u32, end as u32)
}

/// A comment line of the shape BuildKit reads as a parser directive at the top of a file:
/// `#`, a name of letters and digits, `=` (spaces allowed around each).
fn looks_like_directive(line: &str) -> bool {
    let rest = line.trim_start().trim_start_matches('#').trim_start();
    let name_len = rest
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit()))
        .count();
    name_len > 0 && rest[name_len..].trim_start().starts_with('=')
}

/// The instruction at `index` in the document.
pub fn ins(doc: &Dockerfile, index: usize) -> Option<&Instruction> {
    doc.instructions.get(index)
}

/// The stage's instructions after FROM.
pub fn stage_instructions<'a>(doc: &'a Dockerfile, stage: &Stage) -> Vec<(usize, &'a Instruction)> {
    stage
        .instructions
        .iter()
        .filter_map(|&i| doc.instructions.get(i).map(|ins| (i, ins)))
        .collect()
}

/// The final stage: the model's target, or the last stage.
/// The one stage of a single-stage file, when it is unnamed and not `scratch`: what both
/// splits start from.
pub fn lone_stage(model: &Model) -> Option<&Stage> {
    let [stage] = model.stages.as_slice() else {
        return None;
    };
    (!stage.base_text.eq_ignore_ascii_case("scratch") && stage.name.is_none()).then_some(stage)
}

pub fn final_stage(model: &Model) -> Option<&Stage> {
    match model.target {
        Some(t) => model.stages.get(t),
        None => model.stages.last(),
    }
}

/// The FROM image reference and the stage name: `(image, name)`.
pub fn from_parts(ins: &Instruction) -> (String, Option<String>) {
    let words: Vec<String> = arg_text(ins)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let image = words.first().cloned().unwrap_or_default();
    let name = match words.get(1) {
        Some(w) if w.eq_ignore_ascii_case("as") => words.get(2).cloned(),
        _ => None,
    };
    (image, name)
}

/// The span of the whole stage: from the FROM line to the end of its last instruction's line.
pub fn stage_span(text: &str, doc: &Dockerfile, stage: &Stage) -> Span {
    let from = doc
        .instructions
        .get(stage.from_instruction)
        .map_or(stage.span, |i| i.span);
    let last = stage
        .instructions
        .iter()
        .filter_map(|&i| doc.instructions.get(i))
        .map(|i| i.span)
        .next_back()
        .unwrap_or(from);
    let start = line_span(text, from, false).start;
    let end = line_span(text, last, false).end;
    Span::new(start, end)
}

/// COPY/ADD sources and destination (flags excluded), or `None` for other instructions.
pub fn copy_parts(ins: &Instruction) -> Option<(Vec<String>, String)> {
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || !ins.heredocs().is_empty() {
        return None;
    }
    let mut words = arg_words(ins);
    let dest = words.pop()?;
    if words.is_empty() {
        return None;
    }
    Some((words, dest))
}

/// `ENV`/`ARG`/`LABEL` pairs (`ENV A=1 B=2`, `ENV A 1`, `ARG A`): the parser's pairs, values
/// with quotes removed (`$VAR` kept as written).
pub fn key_values(ins: &Instruction) -> Vec<(String, Option<String>)> {
    ins.key_values()
        .into_iter()
        .map(|kv| (kv.key, kv.value.map(|v| words(&v).join(" "))))
        .collect()
}

/// Resolves `path` against the working directory `wd` (both as written, `/` separated).
pub fn resolve(wd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", wd.trim_end_matches('/'), path)
    };
    clean_path(&joined)
}

/// The working directory in force at each instruction of a stage, starting from `/`.
pub fn workdirs(doc: &Dockerfile, stage: &Stage) -> Vec<(usize, String)> {
    let mut wd = "/".to_string();
    let mut out = Vec::new();
    for (i, ins) in stage_instructions(doc, stage) {
        if ins.keyword == Keyword::Workdir {
            wd = resolve(&wd, arg_text(ins).trim());
        }
        out.push((i, wd.clone()));
    }
    out
}

/// The command the container runs: ENTRYPOINT words followed by CMD words (last of each).
pub fn run_command(doc: &Dockerfile, stage: &Stage) -> Vec<String> {
    let mut entry: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    for (_, ins) in stage_instructions(doc, stage) {
        match ins.keyword {
            Keyword::Entrypoint => entry = arg_words(ins),
            Keyword::Cmd => cmd = arg_words(ins),
            _ => {}
        }
    }
    entry.extend(cmd);
    entry
}

/// True when the image reference is a toolchain image or carries no slim/alpine tag.
pub fn image_repo_tag(image: &str) -> (String, String) {
    let (repo, tag, _) = crate::model::split_image(image);
    let tag = tag.unwrap_or("latest");
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    (repo.to_string(), tag.to_string())
}

/// The first stage-level USER, if any, before instruction `before` (document index).
pub fn user_before(doc: &Dockerfile, stage: &Stage, before: usize) -> Option<String> {
    let mut user = None;
    for (i, ins) in stage_instructions(doc, stage) {
        if i >= before {
            break;
        }
        if ins.keyword == Keyword::User {
            user = Some(arg_text(ins).trim().to_string());
        }
    }
    user
}

/// True when the stage runs as root at instruction `index` (no USER, or `USER root`/`0`).
pub fn is_root_at(doc: &Dockerfile, stage: &Stage, index: usize) -> bool {
    match user_before(doc, stage, index) {
        None => true,
        Some(u) => {
            let name = u.split(':').next().unwrap_or("");
            name == "root" || name == "0"
        }
    }
}
