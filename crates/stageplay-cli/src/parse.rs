//! `stageplay parse`: parse Dockerfiles and show what the parser found.
//!
//! `stageplay parse FILE...` prints every diagnostic as a code frame
//! (`file:line:col: severity[code]: message`, the source line, a caret underline) and a
//! summary per file. `stageplay parse --json FILE...` prints one JSON line per file in
//! the shape of the BuildKit oracle (`oracle.jsonl`), formatted as Python's `json.dumps`
//! formats it, so the two can be compared with `diff`.
//!
//! Exit codes: 0 when everything parsed cleanly, 1 when a file has errors (with `--json`:
//! when BuildKit's parser rejects a file), 2 on usage errors and unreadable files.

use crate::input;
use stageplay::syntax::{self, oracle::to_oracle_json};
use stageplay::{Diagnostic, LineIndex, Severity};
use std::io::Write;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON line per file in the shape of BuildKit's parser output (oracle.jsonl).
    #[arg(long)]
    json: bool,
    /// Dockerfiles to read (`-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

pub fn run(args: &Args) -> i32 {
    let json = args.json;
    let inputs = match input::read_all(&args.files) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for input in &inputs {
        let file = syntax::parse(&input.text);
        let written = if json {
            failed |= file.buildkit_error.is_some();
            write_json(&mut out, &input.name, &file)
        } else {
            failed |= file
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error);
            write_human(&mut out, &input.name, &input.text, &file)
        };
        if let Err(err) = written {
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                return if failed { 1 } else { 0 };
            }
            eprintln!("stageplay parse: cannot write output: {err}");
            return 2;
        }
    }
    i32::from(failed)
}

fn write_json(out: &mut impl Write, name: &str, file: &syntax::Dockerfile) -> std::io::Result<()> {
    let mut record = to_oracle_json(file);
    record.file = name.to_string();
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, PythonFormatter);
    serde::Serialize::serialize(&record, &mut serializer).map_err(std::io::Error::other)?;
    writeln!(out)
}

fn write_human(
    out: &mut impl Write,
    name: &str,
    text: &str,
    file: &syntax::Dockerfile,
) -> std::io::Result<()> {
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<&Diagnostic> = file.diagnostics.iter().collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    for diagnostic in &diagnostics {
        write_frame(out, name, text, &index, diagnostic)?;
    }
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let verdict = match file.buildkit_error {
        Some(_) => "BuildKit's parser rejects this file",
        None => "BuildKit's parser accepts this file",
    };
    writeln!(
        out,
        "{name}: {} instruction{}, {errors} error{}, {warnings} warning{}; {verdict}",
        file.instructions.len(),
        plural(file.instructions.len()),
        plural(errors),
        plural(warnings),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `file:line:col: severity[code]: message`, then the line and a caret underline.
fn write_frame(
    out: &mut impl Write,
    name: &str,
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
) -> std::io::Result<()> {
    let start = index.line_col(text, d.span.start);
    writeln!(
        out,
        "{name}:{}:{}: {}[{}]: {}",
        start.line,
        start.column,
        d.severity.as_str(),
        d.code,
        d.message
    )?;
    let line_no = start.line as usize - 1;
    let line_start = index.line_start(line_no) as usize;
    let line_end = if line_no + 1 < index.line_count() {
        index.line_start(line_no + 1) as usize
    } else {
        text.len()
    };
    let line = text
        .get(line_start..line_end)
        .unwrap_or("")
        .trim_end_matches(['\n', '\r']);
    let gutter = format!("{}", start.line);
    let pad = " ".repeat(gutter.len());
    writeln!(out, "{gutter} | {line}")?;
    // Keep tabs so the caret lines up under the text.
    let before: String = line
        .chars()
        .take(start.column as usize - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let span_end = (d.span.end as usize).clamp(line_start, line_start + line.len());
    let width = text
        .get(d.span.start as usize..span_end)
        .map_or(0, |s| s.chars().count())
        .max(1);
    writeln!(out, "{pad} | {before}{}", "^".repeat(width))?;
    if let Some(help) = &d.help {
        writeln!(out, "{pad} = help: {help}")?;
    }
    Ok(())
}

/// Formats JSON as Python's `json.dumps` does by default: `", "` and `": "` separators,
/// non-ASCII characters escaped as `\uXXXX`.
struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
    }
}
