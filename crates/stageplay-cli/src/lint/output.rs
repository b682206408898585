//! The report in each of hadolint's formats (plus `full`), with hadolint's shapes: the same
//! field and element names, so a consumer of hadolint's output reads Stageplay's unchanged.

use super::config::{Format, Level};
use super::Finding;
use serde_json::{json, Value};
use stageplay::lint::{render, sarif};
use stageplay::model::export::xml_escape;
use std::io::Write;

/// Every file with its findings, in command-line order.
pub type Files<'a> = [(&'a str, Vec<Finding<'a>>)];

pub fn render(format: Format, files: &Files, color: bool) -> String {
    let all = || files.iter().flat_map(|(_, f)| f);
    match format {
        Format::Tty => all().map(|f| tty_line(f, color)).collect(),
        Format::Full => full(files),
        Format::Json => {
            let list: Vec<Value> = all().map(json_finding).collect();
            format!("{}\n", Value::Array(list))
        }
        Format::Checkstyle => checkstyle(files),
        Format::Codeclimate => all()
            .map(|f| format!("{}\0", codeclimate_issue(f)))
            .collect(),
        Format::GitlabCodeclimate => {
            let list: Vec<Value> = all()
                .map(|f| {
                    let mut issue = codeclimate_issue(f);
                    let digest = sha1_smol::Sha1::from(issue.to_string())
                        .digest()
                        .to_string();
                    issue["fingerprint"] = Value::String(digest);
                    issue
                })
                .collect();
            format!("{}\n", Value::Array(list))
        }
        Format::Gnu => all()
            .map(|f| {
                let (line, ..) = f.range();
                format!(
                    "stageplay:{}:{line}: {} {}: {}\n",
                    f.file,
                    f.code,
                    f.level.as_str(),
                    f.diagnostic.message
                )
            })
            .collect(),
        Format::Sarif => {
            let results = all()
                .map(|f| sarif::result(f.file, f.text, f.index, &f.diagnostic, f.fix))
                .collect();
            let log = sarif::log(results);
            format!(
                "{}\n",
                serde_json::to_string_pretty(&log).unwrap_or_default()
            )
        }
    }
}

/// Writes the report to stdout. A coloured report keeps its ANSI colour only on a terminal
/// without NO_COLOR; any other report is written byte for byte (Code Climate's NUL separators).
pub fn print(report: &str, color: bool) -> std::io::Result<()> {
    let stdout = std::io::stdout().lock();
    if color {
        let mut out = anstream::AutoStream::new(stdout, anstream::ColorChoice::Auto);
        out.write_all(report.as_bytes())?;
        out.flush()
    } else {
        let mut out = stdout;
        out.write_all(report.as_bytes())?;
        out.flush()
    }
}

fn style(level: Level) -> anstyle::Style {
    use anstyle::{AnsiColor, Style};
    match level {
        Level::Error => Style::new()
            .bold()
            .fg_color(Some(AnsiColor::BrightRed.into())),
        Level::Warning => Style::new()
            .bold()
            .fg_color(Some(AnsiColor::BrightYellow.into())),
        Level::Info => Style::new().fg_color(Some(AnsiColor::BrightGreen.into())),
        Level::Style => Style::new().fg_color(Some(AnsiColor::BrightCyan.into())),
    }
}

/// `FILE:LINE CODE level: message`, as hadolint's tty format.
fn tty_line(f: &Finding, color: bool) -> String {
    let (line, ..) = f.range();
    let level = if color {
        let s = style(f.level);
        format!("{s}{}{s:#}", f.level.as_str())
    } else {
        f.level.as_str().to_string()
    };
    format!(
        "{}:{line} {} {level}: {}\n",
        f.file, f.code, f.diagnostic.message
    )
}

/// Code frames and a count per file.
fn full(files: &Files) -> String {
    let mut out = String::new();
    for (name, findings) in files {
        for f in findings {
            let d = stageplay::lint::LintDiagnostic {
                diagnostic: f.diagnostic.clone(),
                code: "",
                sources: f.sources,
                fix: f.fix.cloned(),
            };
            let mut frame = render::code_frame(name, f.text, f.index, &d);
            // The frame names the engine's severity; show the level the configuration gave.
            let head = format!("{}[]", f.diagnostic.severity.as_str());
            if frame.starts_with(&head) {
                frame.replace_range(..head.len(), &format!("{}[{}]", f.level.as_str(), f.code));
            }
            out.push_str(&frame);
            out.push('\n');
        }
        if !findings.is_empty() {
            let n = |l: Level| findings.iter().filter(|f| f.level == l).count();
            out.push_str(&format!(
                "{name}: {} error(s), {} warning(s), {} info, {} style\n",
                n(Level::Error),
                n(Level::Warning),
                n(Level::Info),
                n(Level::Style)
            ));
        }
    }
    out
}

/// hadolint's JSON fields (`code`, `column`, `file`, `level`, `line`, `message`), plus the end
/// of the span, the rules the finding mirrors and its fix.
fn json_finding(f: &Finding) -> Value {
    let (line, column, end_line, end_column) = f.range();
    let mut v = json!({
        "code": f.code,
        "column": column,
        "file": f.file,
        "level": f.level.as_str(),
        "line": line,
        "message": f.diagnostic.message,
        "end_line": end_line,
        "end_column": end_column,
        "sources": f.sources,
    });
    if let Some(fix) = f.fix {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let s = f.index.line_col(f.text, e.span.start);
                let t = f.index.line_col(f.text, e.span.end);
                json!({"line": s.line, "column": s.column, "end_line": t.line, "end_column": t.column, "insert": e.insert})
            })
            .collect();
        v["fix"] = json!({
            "title": fix.title,
            "applicability": render::applicability(fix.applicability),
            "edits": edits,
        });
    }
    v
}

fn codeclimate_issue(f: &Finding) -> Value {
    let (line, _, end_line, _) = f.range();
    let severity = match f.level {
        Level::Error => "blocker",
        Level::Warning => "major",
        Level::Info => "info",
        Level::Style => "minor",
    };
    json!({
        "categories": ["Bug Risk"],
        "check_name": f.code,
        "description": f.diagnostic.message,
        "location": {"lines": {"begin": line, "end": end_line}, "path": f.file},
        "severity": severity,
        "type": "issue",
    })
}

/// Checkstyle 4.3 XML, element for element as hadolint writes it (every file, even clean ones).
fn checkstyle(files: &Files) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><checkstyle version=\"4.3\">");
    for (name, findings) in files {
        if findings.is_empty() {
            out.push_str(&format!("<file name=\"{}\"/>", xml_escape(name)));
            continue;
        }
        out.push_str(&format!("<file name=\"{}\">", xml_escape(name)));
        for f in findings {
            let (line, column, ..) = f.range();
            out.push_str(&format!(
                "<error column=\"{column}\" line=\"{line}\" message=\"{}\" severity=\"{}\" source=\"{}\"/>",
                xml_escape(&f.diagnostic.message),
                f.level.as_str(),
                xml_escape(f.code)
            ));
        }
        out.push_str("</file>");
    }
    out.push_str("</checkstyle>\n");
    out
}
