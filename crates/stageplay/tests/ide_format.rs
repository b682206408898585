//! Formatting: what each rule does, and on every Dockerfile the repository holds (the corpus
//! with BuildKit's own reading in `oracle.jsonl`, the lint and refactor fixtures, the gallery):
//! the formatter is idempotent and BuildKit's parser reads the same instructions, flags, values
//! and heredocs before and after, beyond whitespace and keyword case.

mod support;

use stageplay::diagnostic::apply_edits;
use stageplay::ide::format::{format, format_edits, reading, try_format, FormatOptions};
use stageplay::syntax::{self, oracle::to_oracle_json};
use std::path::{Path, PathBuf};

/// Formats with the default options, checks that formatting again changes nothing, and
/// compares with `expect` (given without the first newline).
fn check(input: &str, expect: &str) {
    check_with(input, expect, &FormatOptions::default());
}

fn check_with(input: &str, expect: &str, options: &FormatOptions) {
    let expect = expect.strip_prefix('\n').unwrap_or(expect);
    let out = try_format(input, options).unwrap_or_else(|e| panic!("{}: {input:?}", e.message));
    assert_eq!(out, expect, "\n--- input ---\n{input}\n--- got ---\n{out}");
    assert_eq!(format(&out, options), out, "not idempotent");
    assert_eq!(apply_edits(input, &format_edits(input, options)), out);
}

#[test]
fn keywords_spacing_and_flags() {
    check(
        "  from   alpine:3.20   as   Build  \nrun  --mount=type=cache,target=/c   --network=none    echo  'a   b'   \ncopy   --from=build   /a    /b\n",
        "
FROM alpine:3.20 AS Build
RUN --mount=type=cache,target=/c --network=none echo  'a   b'
COPY --from=build /a /b
",
    );
    // Unknown instructions keep their spelling.
    check("FROM a\nfrobnicate  x\n", "FROM a\nfrobnicate x\n");
    check(
        "FROM a\nonbuild   run   make\nhealthcheck  --interval=5s   cmd   curl x\n",
        "FROM a\nONBUILD RUN make\nHEALTHCHECK --interval=5s CMD curl x\n",
    );
}

#[test]
fn json_arrays_are_spaced_on_one_line() {
    check(
        "FROM a\nCMD [ \"a\" ,\"b\",   \"c d\" ]\nENTRYPOINT [\"x\"]\nSHELL\t[\"/bin/sh\",\"-c\"]\nCMD [ ]\n",
        "FROM a\nCMD [\"a\", \"b\", \"c d\"]\nENTRYPOINT [\"x\"]\nSHELL [\"/bin/sh\", \"-c\"]\nCMD []\n",
    );
    // Escapes stay as written; a JSON array over several lines keeps its lines.
    check(
        "FROM a\nCMD [\"\\u0041\",  \"\\\"q\\\"\"]\n",
        "FROM a\nCMD [\"\\u0041\", \"\\\"q\\\"\"]\n",
    );
    check(
        "FROM a\nCMD [\"a\", \\\n  \"b\" ]\n",
        "FROM a\nCMD [\"a\", \\\n    \"b\" ]\n",
    );
}

#[test]
fn continuation_lines_move_as_a_block() {
    check(
        "FROM a\nRUN apt-get update && \\\n  apt-get install -y \\\n      curl \\\n      git\n",
        "
FROM a
RUN apt-get update && \\
    apt-get install -y \\
        curl \\
        git
",
    );
    // Tabs count as a level; blanks before the escape become one space.
    check(
        "FROM a\nRUN set -eux;   \\\n\tmake;\t\\\n\t\tmake install\n",
        "FROM a\nRUN set -eux; \\\n    make; \\\n        make install\n",
    );
    // Multi-line flags.
    check(
        "FROM a\nRUN --mount=type=cache,target=/go/pkg/mod \\\n  --mount=type=cache,target=/root/.cache \\\n  go build\n",
        "FROM a\nRUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache \\\n    go build\n",
    );
}

#[test]
fn comments_and_empty_lines_inside_continuations() {
    check(
        "FROM a\nRUN apt-get update \\\n# refresh\n        && apt-get install -y x \\\n\n    && rm -rf /var/lib/apt/lists/*\n",
        "
FROM a
RUN apt-get update \\
        # refresh
        && apt-get install -y x \\
    && rm -rf /var/lib/apt/lists/*
",
    );
}

#[test]
fn text_whose_spaces_matter_is_kept() {
    // A continuation inside quotes, or inside ${…}, is part of a value.
    let quoted = "FROM a\nRUN echo \"hello \\\n      world\" \\\n  && true\n";
    check(
        quoted,
        "FROM a\nRUN echo \"hello \\\n      world\" \\\n    && true\n",
    );
    let braces = "FROM a\nRUN X=${Y:-a \\\n   b} && true\n";
    check(braces, braces);
    // Words glued across the line break (no blank on either side) stay glued.
    check(
        "FROM a\nRUN echo hel\\\nlo \\\n  x\n",
        "FROM a\nRUN echo hel\\\nlo \\\n    x\n",
    );
    // WORKDIR, USER and the legacy ENV keep the text as written.
    let raw = "FROM a\nWORKDIR /my  \\\n   dir\nENV GREETING hello   \\\n   world\n";
    check(raw, raw);
    // ENV key=value pairs are words: their continuation lines move.
    check(
        "FROM a\nENV A=1 \\\n  B=\"x  y\"\n",
        "FROM a\nENV A=1 \\\n    B=\"x  y\"\n",
    );
}

#[test]
fn heredoc_bodies_are_untouched() {
    let input = "from a\nrun   <<EOF   \n  echo hi   \n\tindented\n\n\nEOF\nCOPY <<-'END' /x\n\t  keep  \nEND\n";
    check(
        input,
        "FROM a\nRUN <<EOF\n  echo hi   \n\tindented\n\n\nEOF\nCOPY <<-'END' /x\n\t  keep  \nEND\n",
    );
    // A file that ends inside a heredoc body gets no newline added.
    check("FROM a\nRUN <<EOF\necho", "FROM a\nRUN <<EOF\necho");
}

#[test]
fn blank_lines_comments_and_the_end_of_the_file() {
    check(
        "\n\n#   Build   \n  # indented comment  \nFROM a\n\n\n\nRUN x\n\n\n",
        "#   Build\n# indented comment\nFROM a\n\nRUN x\n",
    );
    check("FROM a", "FROM a\n");
    check("", "");
    check("\n\n", "");
    // A blank line that ends the parser directives is kept: without it, the comment below
    // would become a directive.
    check("\n# escape=`\nFROM a\n", "\n\n# escape=`\nFROM a\n");
    check(
        "# syntax=docker/dockerfile:1  \n\n\n# escape=`\nFROM a\n",
        "# syntax=docker/dockerfile:1\n\n# escape=`\nFROM a\n",
    );
}

#[test]
fn escape_directive_crlf_and_bom() {
    check(
        "# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo x\n",
        "# escape=`\nFROM a\nRUN dir c:\\ `\n    && echo x\n",
    );
    check(
        "FROM a \r\nRUN a \\\r\n  b\r\n",
        "FROM a\r\nRUN a \\\r\n    b\r\n",
    );
    check("\u{FEFF}from a\n", "\u{FEFF}FROM a\n");
}

#[test]
fn options() {
    let tabs = FormatOptions {
        use_tabs: true,
        ..FormatOptions::default()
    };
    check_with(
        "FROM a\nRUN a \\\n  b \\\n      c\n",
        "FROM a\nRUN a \\\n\tb \\\n\t\tc\n",
        &tabs,
    );
    let two = FormatOptions {
        indent_width: 2,
        max_blank_lines: 2,
        ..FormatOptions::default()
    };
    check_with(
        "FROM a\n\n\n\nRUN a \\\n      b\n",
        "FROM a\n\n\nRUN a \\\n  b\n",
        &two,
    );
    let keep = FormatOptions {
        indent_width: 0,
        ..FormatOptions::default()
    };
    check_with(
        "FROM a\nRUN a \\\n      b\n",
        "FROM a\nRUN a \\\n      b\n",
        &keep,
    );
}

#[test]
fn edits_touch_only_changed_lines() {
    let input = "FROM a\nrun  x\nRUN y\n";
    let edits = format_edits(input, &FormatOptions::default());
    assert_eq!(edits.len(), 1);
    assert_eq!(&input[edits[0].span.range()], "run  x");
    assert_eq!(edits[0].insert, "RUN x");
    assert!(format_edits("FROM a\n", &FormatOptions::default()).is_empty());
}

/// BuildKit's reading of a file in `reading`'s shape, from an oracle record.
fn reading_of_record(record: &serde_json::Value) -> serde_json::Value {
    let mut instructions = Vec::new();
    for i in record["instructions"].as_array().into_iter().flatten() {
        let mut i = i.clone();
        if let Some(o) = i.as_object_mut() {
            o.remove("start_line");
            o.remove("end_line");
        }
        instructions.push(i);
    }
    serde_json::json!({ "ok": record["ok"], "instructions": instructions })
}

/// The oracle record of `text` as our parser (equal to BuildKit's on the corpus) reads it.
fn record_of(text: &str) -> serde_json::Value {
    serde_json::to_value(to_oracle_json(&syntax::parse(text))).unwrap()
}

/// Collapses what formatting may change: runs of whitespace outside quotes in values (not in
/// raw-text instructions) and the case of `AS` and HEALTHCHECK's type. Written apart from the
/// formatter's own check, on the JSON records.
fn normalize(mut reading: serde_json::Value) -> serde_json::Value {
    for i in reading["instructions"].as_array_mut().into_iter().flatten() {
        let cmd = i["sub_cmd"]
            .as_str()
            .map(str::to_ascii_uppercase)
            .unwrap_or_else(|| i["cmd"].as_str().unwrap_or("").to_string());
        i["sub_cmd"] = i["sub_cmd"].as_str().map(str::to_ascii_uppercase).into();
        let raw = matches!(
            cmd.as_str(),
            "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER"
        );
        let count = i["value"].as_array().map_or(0, Vec::len);
        for (n, v) in i["value"].as_array_mut().into_iter().flatten().enumerate() {
            let s = v.as_str().unwrap_or("").to_string();
            let keyword =
                (cmd == "FROM" && n == 1 && count == 3) || (cmd == "HEALTHCHECK" && n == 0);
            *v = if keyword {
                s.to_ascii_uppercase().into()
            } else if raw {
                s.into()
            } else {
                words(&s).into()
            };
        }
    }
    reading
}

/// Whitespace runs outside quotes made one space (a backslash escapes the next character).
fn words(s: &str) -> String {
    let mut out = String::new();
    let (mut quote, mut escaped, mut space) = (None, false, false);
    for c in s.trim().chars() {
        if escaped {
            escaped = false;
        } else if quote.is_none() && c.is_whitespace() {
            space = true;
            continue;
        } else if c == '\\' && quote != Some('\'') {
            escaped = true;
        } else if quote == Some(c) {
            quote = None;
        } else if quote.is_none() && (c == '\'' || c == '"') {
            quote = Some(c);
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

struct Totals {
    files: usize,
    changed: usize,
    idempotent: usize,
    same_reading: usize,
}

/// Formats each file and checks idempotence and BuildKit's reading (against `oracle` when the
/// file is in it, else against our parser's reading of the original).
fn format_all(
    files: &[(String, String)],
    oracle: &std::collections::HashMap<String, serde_json::Value>,
) -> Totals {
    let options = FormatOptions::default();
    let mut totals = Totals {
        files: 0,
        changed: 0,
        idempotent: 0,
        same_reading: 0,
    };
    let mut failures = Vec::new();
    for (name, text) in files {
        totals.files += 1;
        let out = match try_format(text, &options) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{name}: left unchanged: {}", e.message));
                continue;
            }
        };
        totals.changed += usize::from(out != *text);
        if format(&out, &options) == out {
            totals.idempotent += 1;
        } else {
            failures.push(format!("{name}: formatting twice changes it again"));
        }
        let before = match oracle.get(name) {
            Some(record) => reading_of_record(record),
            None => reading_of_record(&record_of(text)),
        };
        let after = reading_of_record(&record_of(&out));
        let same_directives = reading(&syntax::parse(text))
            .lines()
            .take_while(|l| !l.starts_with("ok") && !l.starts_with("rejected"))
            .eq(reading(&syntax::parse(&out))
                .lines()
                .take_while(|l| !l.starts_with("ok") && !l.starts_with("rejected")));
        if normalize(before) == normalize(after) && same_directives {
            totals.same_reading += 1;
        } else {
            failures.push(format!("{name}: BuildKit would read it differently"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        totals.files,
        failures.join("\n")
    );
    totals
}

fn oracle_records(path: &Path) -> std::collections::HashMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| Some((v["file"].as_str()?.to_string(), v)))
        .collect()
}

fn read_files(base: &Path, relative: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    relative
        .into_iter()
        .map(|r| {
            let bytes = std::fs::read(base.join(&r)).unwrap();
            (r, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

#[test]
fn every_corpus_file_keeps_buildkits_reading_and_is_idempotent() {
    let oracle = oracle_records(&support::corpus_dir().join("oracle.jsonl"));
    let files = read_files(&support::corpus_dir(), support::all_files());
    let totals = format_all(&files, &oracle);
    assert!(
        totals.files >= 500
            && totals.same_reading == totals.files
            && totals.idempotent == totals.files
    );
    // The formatter does something: most real files change.
    assert!(
        totals.changed * 2 > totals.files,
        "{} of {} changed",
        totals.changed,
        totals.files
    );
    println!(
        "corpus: {} files, {} changed, {} idempotent, {} read the same by BuildKit's parser",
        totals.files, totals.changed, totals.idempotent, totals.same_reading
    );
}

#[test]
fn fixtures_and_gallery_keep_their_reading() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names = Vec::new();
    let mut stack = vec![fixtures.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with("Dockerfile") {
                names.push(
                    path.strip_prefix(&fixtures)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    names.sort();
    let mut files = read_files(&fixtures, names);
    files.extend(
        stageplay::examples::EXAMPLES
            .iter()
            .map(|e| (e.id.to_string(), e.text.to_string())),
    );
    let totals = format_all(&files, &Default::default());
    assert!(totals.files >= 100);
}

/// The project's shared corpus (`../shared/corpus` beside the checkout, or in a folder above
/// a worktree; `STAGEPLAY_SHARED` names it elsewhere), when it is there: the repo's copy is
/// tested above, this catches files added to the shared one since.
#[test]
fn shared_corpus_when_present() {
    let from_env = std::env::var_os("STAGEPLAY_SHARED").map(PathBuf::from);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let found = from_env
        .into_iter()
        .chain(root.ancestors().map(|a| a.join("shared")))
        .map(|d| d.join("corpus"))
        .find(|d| d.join("oracle.jsonl").exists());
    let Some(shared) = found else {
        println!("note: no ../shared/corpus here; the committed corpus copy was tested instead");
        return;
    };
    let oracle = oracle_records(&shared.join("oracle.jsonl"));
    let mut names: Vec<String> = oracle.keys().cloned().collect();
    names.sort();
    let files = read_files(&shared, names);
    let totals = format_all(&files, &oracle);
    println!(
        "../shared/corpus: {} files, all idempotent and read the same",
        totals.files
    );
}
