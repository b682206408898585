//! Differential test against the crate `dockerfile-parser` 0.9 (a dev-dependency only): on
//! every corpus file it accepts, both parsers see the same instruction sequence (keyword and
//! start offset), the same FROM images and the same stage names.
//!
//! Files with heredocs are skipped: the crate does not know heredocs and reads their bodies
//! as instructions (or rejects them). COPY arguments are not compared: the crate removes
//! quotes, while BuildKit's parser keeps them until variable expansion.

mod support;

use dockerfile_parser::{Dockerfile as Other, Instruction as OtherInstruction};
use stageplay::syntax::{self, Keyword};

/// Keyword, start offset and a detail both parsers report, for one instruction of the crate.
fn other_view(instruction: &OtherInstruction) -> (String, usize, Option<String>) {
    match instruction {
        OtherInstruction::From(i) => ("FROM".into(), i.span.start, Some(i.image.content.clone())),
        OtherInstruction::Arg(i) => ("ARG".into(), i.span.start, None),
        OtherInstruction::Label(i) => ("LABEL".into(), i.span.start, None),
        OtherInstruction::Run(i) => ("RUN".into(), i.span.start, None),
        OtherInstruction::Entrypoint(i) => ("ENTRYPOINT".into(), i.span.start, None),
        OtherInstruction::Cmd(i) => ("CMD".into(), i.span.start, None),
        OtherInstruction::Copy(i) => ("COPY".into(), i.span.start, None),
        OtherInstruction::Env(i) => ("ENV".into(), i.span.start, None),
        OtherInstruction::Misc(i) => (i.instruction.content.to_uppercase(), i.span.start, None),
    }
}

fn our_view(instruction: &syntax::Instruction) -> (String, usize, Option<String>) {
    let keyword = instruction.keyword_text().to_uppercase();
    let detail = match instruction.keyword {
        Keyword::From => instruction.from_args().map(|f| f.image.text),
        _ => None,
    };
    (keyword, instruction.keyword_span.start as usize, detail)
}

#[test]
fn same_instruction_sequence_where_dockerfile_parser_accepts() {
    let mut compared = 0;
    let mut failures = Vec::new();
    for file in support::all_files() {
        let text = support::read(&file);
        let Ok(other) = Other::parse(&text) else {
            continue;
        };
        let ours = syntax::parse(&text);
        let has_heredoc = ours.instructions.iter().any(|i| !i.heredocs().is_empty());
        let heredoc_marker = text
            .lines()
            .any(|l| l.contains("<<") && !l.trim_start().starts_with('#'));
        if has_heredoc || (heredoc_marker && ours.buildkit_error.is_some()) {
            continue;
        }
        compared += 1;
        let theirs: Vec<_> = other.instructions.iter().map(other_view).collect();
        let mine: Vec<_> = ours.instructions.iter().map(our_view).collect();
        if theirs != mine {
            failures.push(format!(
                "{file}:\n  dockerfile-parser {theirs:?}\n  stageplay         {mine:?}"
            ));
            continue;
        }
        let their_aliases: Vec<Option<String>> = other
            .instructions
            .iter()
            .filter_map(|i| match i {
                OtherInstruction::From(f) => Some(f.alias.as_ref().map(|a| a.content.clone())),
                _ => None,
            })
            .collect();
        let our_aliases: Vec<Option<String>> = ours
            .instructions
            .iter()
            .filter_map(|i| i.from_args())
            .map(|f| f.name.map(|n| n.text))
            .collect();
        if their_aliases != our_aliases {
            failures.push(format!(
                "{file}: stage names {their_aliases:?} vs {our_aliases:?}"
            ));
        }
    }
    eprintln!("compared {compared} files accepted by dockerfile-parser");
    assert!(
        compared >= 300,
        "dockerfile-parser accepted only {compared} files"
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
