//! BuildKit's AST dump (`Node.Dump`), the format of its parser testfiles' `result` files.
//!
//! This follows current BuildKit, where ENV and LABEL pairs carry a third value: the
//! separator (`=`, or empty for the legacy `KEY value` form).

use super::ast::{Dockerfile, Instruction, Keyword};
use super::gocompat::{go_quote, go_quote_list};
use super::values::parse_words;

/// The dump of the whole file, one `(instruction ...)` per line, newline-terminated.
pub fn dump(file: &Dockerfile) -> String {
    let mut out = String::new();
    for instruction in &file.instructions {
        out.push('(');
        out.push_str(&dump_node(instruction, file.escape));
        out.push_str(")\n");
    }
    out
}

fn dump_node(node: &Instruction, escape: char) -> String {
    let mut s = node.keyword_text().to_lowercase();
    if !node.flags.is_empty() {
        let flags: Vec<String> = node.flags.iter().map(|f| f.processed()).collect();
        s.push(' ');
        s.push_str(&go_quote_list(&flags));
    }
    if let Some(inner) = node.onbuild() {
        s.push_str(" (");
        s.push_str(&dump_node(inner, escape));
        s.push(')');
        return s.trim_matches(char::is_whitespace).to_string();
    }
    let pairs = matches!(node.keyword, Keyword::Env | Keyword::Label);
    let values = node.values();
    if pairs && !values.is_empty() {
        let legacy = parse_words(node.args_text(), escape)
            .first()
            .is_some_and(|w| !w.text.contains('='));
        let sep = if legacy { "" } else { "=" };
        for pair in values.chunks(2) {
            for value in pair {
                s.push(' ');
                s.push_str(&go_quote(value));
            }
            s.push(' ');
            s.push_str(&go_quote(sep));
        }
    } else {
        for value in &values {
            s.push(' ');
            s.push_str(&go_quote(value));
        }
    }
    s.trim_matches(char::is_whitespace).to_string()
}
