//! Property tests for the parser: for arbitrary input it never panics, the tokens tile the
//! input exactly, and every span lies on char boundaries inside the text. Inputs come from
//! a small deterministic generator mixing Dockerfile fragments, random Unicode, CRLF,
//! escape characters and heredoc markers.

use stageplay::syntax::{self, Args, Dockerfile, Instruction};
use stageplay::Span;

/// SplitMix64: a tiny deterministic PRNG.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FRAGMENTS: &[&str] = &[
    "FROM",
    "from",
    "RUN",
    "COPY",
    "ADD",
    "ENV",
    "LABEL",
    "ARG",
    "CMD",
    "ENTRYPOINT",
    "ONBUILD",
    "HEALTHCHECK",
    "SHELL",
    "VOLUME",
    "EXPOSE",
    "USER",
    "WORKDIR",
    "STOPSIGNAL",
    "MAINTAINER",
    "BOGUS",
    " ",
    "  ",
    "\t",
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    "\\\n",
    "\\ \n",
    "`\n",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "# syntax=x\n",
    "# check=a\n",
    "<<EOF",
    "<<-EOF",
    "3<<EOF",
    "<<'EOF'",
    "<<\"EOF\"",
    "EOF\n",
    "\tEOF\n",
    "--from=a",
    "--link",
    "--mount=type=cache,target=/x",
    "--mount=type=secret,id=\"a,b\"",
    "--",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "[\"a\", \"b\"]",
    "[\"a\", 1]",
    "[]",
    "[\"\\u00e9\\ud800\"]",
    "=",
    "a=b",
    "${A}",
    "$A",
    "${A:-b}",
    "${",
    "}",
    "é",
    "\u{a0}",
    "\u{85}",
    "中",
    "😀",
    "NONE",
    "CMD",
    "AS",
    "\u{feff}",
    "\\\\",
    "\n\n",
    "  # c\n",
    "ONBUILD RUN <<EOF\n",
    "RUN <<EOF\nhi\nEOF\n",
    "COPY <<A <<B /x\na\nA\nb\nB\n",
    "\0",
];

fn generate(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(40) + 1 {
        match rng.below(10) {
            0 => {
                // A random character from a wide range of Unicode.
                let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{FFFD}');
                out.push(c);
            }
            1 => out.push(char::from(rng.below(128) as u8)),
            _ => out.push_str(rng.pick(FRAGMENTS)),
        }
        if rng.below(3) == 0 {
            out.push(if rng.below(2) == 0 { ' ' } else { '\n' });
        }
    }
    out
}

fn check_span(text: &str, span: Span, what: &str) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what} {span:?} out of bounds in {text:?}"
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {span:?} splits a char in {text:?}"
    );
}

fn check_instruction(text: &str, instruction: &Instruction) {
    check_span(text, instruction.span, "instruction");
    check_span(text, instruction.keyword_span, "keyword");
    for flag in &instruction.flags {
        check_span(text, flag.span, "flag");
        check_span(text, flag.name_span, "flag name");
        if let Some(span) = flag.value_span {
            check_span(text, span, "flag value");
        }
    }
    match &instruction.args {
        Args::Exec { items, span } => {
            check_span(text, *span, "exec args");
            for item in items {
                check_span(text, item.span, "exec item");
            }
        }
        Args::Shell { span, .. } => check_span(text, *span, "shell args"),
    }
    for doc in instruction.heredocs() {
        check_span(text, doc.marker_span, "heredoc marker");
        check_span(text, doc.body_span, "heredoc body");
        check_span(text, doc.end_span, "heredoc end");
    }
    for word in instruction
        .words()
        .iter()
        .chain(instruction.value_words().iter())
    {
        check_span(text, word.span, "word");
    }
    for kv in instruction.key_values() {
        check_span(text, kv.key_span, "key");
        check_span(text, kv.span, "key value");
    }
    for mount in instruction.mounts() {
        check_span(text, mount.span, "mount");
    }
    if let Some(from) = instruction.from_args() {
        check_span(text, from.image.span, "image");
    }
    if let Some(copy) = instruction.copy_args() {
        for source in &copy.sources {
            check_span(text, source.span, "source");
        }
    }
    let _ = (instruction.healthcheck(), instruction.command());
    for diagnostic in instruction.check() {
        check_span(text, diagnostic.span, "check diagnostic");
    }
    if let Some(inner) = instruction.onbuild() {
        check_instruction(text, inner);
    }
}

fn check_file(text: &str) -> Dockerfile {
    let parsed = syntax::parse(text);
    let mut pos = 0usize;
    for token in &parsed.tokens {
        assert_eq!(
            token.span.start as usize, pos,
            "token gap/overlap in {text:?}"
        );
        assert!(!token.span.is_empty(), "empty token in {text:?}");
        check_span(text, token.span, "token");
        pos = token.span.end as usize;
    }
    assert_eq!(pos, text.len(), "tokens do not cover {text:?}");
    for instruction in &parsed.instructions {
        check_instruction(text, instruction);
    }
    for comment in &parsed.comments {
        check_span(text, comment.span, "comment");
    }
    for directive in &parsed.directives {
        check_span(text, directive.span, "directive");
        check_span(text, directive.value_span, "directive value");
    }
    for diagnostic in &parsed.diagnostics {
        check_span(text, diagnostic.span, "diagnostic");
    }
    if let Some(index) = parsed.buildkit_error {
        assert!(index < parsed.diagnostics.len());
    }
    let _ = syntax::oracle::to_oracle_json(&parsed);
    let _ = syntax::dump::dump(&parsed);
    parsed
}

#[test]
fn arbitrary_input_never_panics_and_tokens_tile_it() {
    let mut rng = Rng(0x5EED_0001);
    for _ in 0..4000 {
        let text = generate(&mut rng);
        check_file(&text);
    }
}

#[test]
fn adversarial_inputs() {
    let cases = [
        "",
        "\n",
        "\u{feff}",
        "\\",
        "`",
        "RUN \\",
        "RUN <<",
        "RUN <<EOF",
        "RUN <<EOF\n",
        "ONBUILD",
        "ONBUILD ONBUILD ONBUILD RUN <<EOF\nx\nEOF",
        "COPY --=\"",
        "COPY --a\u{a0}b c",
        "COPY --a=\u{800}b c",
        "HEALTHCHECK \u{2020}x",
        "CMD [\"\\ud83d\\ude00\"]",
        "# escape=`\n# escape=`",
        "# escape= \nFROM a",
        "FROM a\r\r\nRUN b\r",
        "ENV a\u{a0}b",
    ];
    for text in cases {
        check_file(text);
    }
    let deep = format!("FROM a\nCMD {}{}", "[".repeat(20_000), "]".repeat(20_000));
    check_file(&deep);
    let onbuilds = format!("FROM a\n{}RUN x", "ONBUILD ".repeat(50_000));
    check_file(&onbuilds);
}

#[test]
fn large_inputs_parse_in_linear_time() {
    // One 1 MB line: BuildKit's scanner rejects it; we still parse it.
    let line = format!("FROM a\nRUN echo {}\n", "x".repeat(1 << 20));
    let parsed = check_file(&line);
    let index = parsed.buildkit_error.expect("BuildKit rejects a 1 MB line");
    assert_eq!(parsed.diagnostics[index].code, "syntax/line-too-long");
    assert_eq!(parsed.instructions.len(), 2);

    // About 5 MB of ordinary instructions.
    let chunk = "FROM alpine:3.19 AS build\nRUN --mount=type=cache,target=/root/.cache apk add \\\n    curl git\nCOPY --from=build /a /b\nRUN <<EOF\necho hi\nEOF\nENV A=1 B=\"two words\"\n";
    let big = chunk.repeat(5 * (1 << 20) / chunk.len());
    let start = std::time::Instant::now();
    let parsed = syntax::parse(&big);
    let elapsed = start.elapsed();
    assert_eq!(parsed.buildkit_error, None);
    assert!(elapsed.as_secs() < 30, "5 MB took {elapsed:?}");
}
