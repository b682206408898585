//! BuildKit's reading of a parsed file, in the shape `try_format` compares before and after.

use crate::syntax::oracle::to_oracle_json;
use crate::syntax::Dockerfile;

/// What BuildKit's parser reads from a file, one line per instruction, compared by
/// [`try_format`](super::try_format) before and after formatting: the oracle's view (instruction, flags, values,
/// heredocs, accept or reject, parser directives) with keyword case folded and runs of
/// whitespace outside quotes made one space, except in values that are raw text (WORKDIR,
/// USER, STOPSIGNAL, MAINTAINER), compared as they are. Line numbers are left out.
pub fn reading(doc: &Dockerfile) -> String {
    let mut out = String::new();
    for d in &doc.directives {
        out.push_str(&format!("directive {}={}\n", d.name, d.value));
    }
    out.push_str(&format!("escape {}\n", doc.escape));
    let record = to_oracle_json(doc);
    out.push_str(if record.ok { "ok\n" } else { "rejected\n" });
    for i in record.instructions.unwrap_or_default() {
        let sub = i.sub_cmd.as_deref().map(str::to_ascii_uppercase);
        let cmd = sub.clone().unwrap_or_else(|| i.cmd.clone());
        let raw = matches!(
            cmd.as_str(),
            "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER"
        );
        let values: Vec<String> = i
            .value
            .iter()
            .enumerate()
            .map(|(n, v)| {
                let keyword =
                    (cmd == "FROM" && n == 1 && i.value.len() == 3 && v.eq_ignore_ascii_case("as"))
                        || (cmd == "HEALTHCHECK"
                            && n == 0
                            && (v.eq_ignore_ascii_case("cmd") || v.eq_ignore_ascii_case("none")));
                if keyword {
                    v.to_ascii_uppercase()
                } else if raw {
                    v.clone()
                } else {
                    collapse_whitespace(v)
                }
            })
            .collect();
        out.push_str(&format!(
            "{} {:?} json={} flags={:?} values={:?} heredocs={:?}\n",
            i.cmd,
            sub,
            i.json,
            i.flags,
            values,
            i.heredocs
                .iter()
                .map(|h| (&h.name, h.fd, &h.content))
                .collect::<Vec<_>>()
        ));
    }
    out
}

/// `text` with each run of whitespace outside single and double quotes made one space, and
/// trimmed (backslash escapes respected).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut chars = text.trim().chars();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if quote.is_none() && c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (q, '\\') if q != Some('\'') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_outside_quotes_only() {
        assert_eq!(
            collapse_whitespace("  a   b  'c   d'  \"e  f\" "),
            "a b 'c   d' \"e  f\""
        );
        assert_eq!(collapse_whitespace("a\\  b"), "a\\  b");
    }
}
