//! Small helpers that reproduce the Go standard library functions BuildKit's parser relies on.
//!
//! BuildKit trims with `unicode.IsSpace`, splits with the regular expression `[\t\v\f\r ]+`
//! and quotes with `strconv.Quote`; matching them exactly keeps our output byte-equal to its.

/// Go's `unicode.IsSpace`, which is the Unicode `White_Space` property, like Rust's.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `strings.TrimSpace`: the trimmed slice and the byte offset where it starts.
pub(crate) fn trim_space(s: &str) -> (&str, usize) {
    let start = s.len() - s.trim_start_matches(is_space).len();
    let trimmed = s[start..].trim_end_matches(is_space);
    (trimmed, start)
}

/// Go's `strings.TrimLeftFunc(s, unicode.IsSpace)`: the rest and how many bytes were removed.
pub(crate) fn trim_left_space(s: &str) -> (&str, usize) {
    let rest = s.trim_start_matches(is_space);
    (rest, s.len() - rest.len())
}

/// The character class of BuildKit's `reWhitespace` / `tokenWhitespace`: `[\t\v\f\r ]`.
pub(crate) fn is_token_space(c: char) -> bool {
    matches!(c, '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ')
}

/// `reWhitespace.Split(s, n)` with byte ranges: `n == 0` means no limit (Go's `-1`).
pub(crate) fn split_token_space(s: &str, limit: usize) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if limit != 0 && parts.len() + 1 == limit {
            break;
        }
        if is_token_space(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = iter.peek() {
                if !is_token_space(d) {
                    break;
                }
                end = j + d.len_utf8();
                iter.next();
            }
            parts.push((start, i));
            start = end;
        }
    }
    parts.push((start, s.len()));
    parts
}

/// Go's `strconv.Quote`: a double-quoted Go string literal.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// An approximation of Go's `unicode.IsPrint` without Unicode category tables: ASCII
/// graphic characters and space, and every other character except controls, non-ASCII
/// spaces, the common format characters, private use and noncharacters.
fn is_go_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return (0x20..0x7f).contains(&u);
    }
    if c.is_whitespace() || (0x80..=0xa0).contains(&u) {
        return false;
    }
    !matches!(u,
        0xad
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x180e
        | 0x200b..=0x200f
        | 0x202a..=0x202e
        | 0x2060..=0x206f
        | 0xe000..=0xf8ff
        | 0xfdd0..=0xfdef
        | 0xfeff
        | 0xfff9..=0xfffb
        | 0xfffe..=0xffff
        | 0xe0001..=0xe007f
        | 0xf0000..=0x10ffff)
}

/// Go's `fmt.Sprintf("%q", []string{...})`: `["a" "b"]`.
pub fn go_quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c\n\u{0}"), "\"a\\\"b\\\\c\\n\\x00\"");
        assert_eq!(go_quote("♥ é"), "\"♥ é\"");
        assert_eq!(go_quote("\u{a0}"), "\"\\u00a0\"");
    }

    #[test]
    fn split_like_regexp() {
        assert_eq!(
            split_token_space("a  b\tc", 0),
            vec![(0, 1), (3, 4), (5, 6)]
        );
        assert_eq!(split_token_space("a  b c", 2), vec![(0, 1), (3, 6)]);
        assert_eq!(split_token_space("abc", 2), vec![(0, 3)]);
    }
}
