//! The JSON (exec) form, decoded as Go's `encoding/json` decodes a `[]interface{}`.
//!
//! BuildKit reads the first JSON value after the instruction (trailing text is ignored),
//! fails the whole file when the array holds anything but strings, and falls back to the
//! shell form on any other JSON error. A number that overflows `float64` is such an error.

/// The outcome of reading `text` as a JSON array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonArray {
    /// An array of strings: each decoded string with its byte range in `text` (quotes included).
    Strings { items: Vec<JsonString>, end: usize },
    /// A well-formed array holding something other than a string: BuildKit rejects the file.
    NotStrings,
    /// Not JSON (or a JSON error Go reports while decoding): the shell form applies.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonString {
    pub value: String,
    pub start: usize,
    pub end: usize,
}

/// Go's `encoding/json` nesting limit.
const MAX_DEPTH: usize = 10_000;

/// Reads one JSON value from the start of `text`, which must begin with `[`.
pub(crate) fn parse_array(text: &str) -> JsonArray {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        overflow: false,
    };
    if reader.peek() != Some(b'[') {
        return JsonArray::Invalid;
    }
    match reader.top_array() {
        Some((items, all_strings)) => {
            if reader.overflow {
                JsonArray::Invalid
            } else if !all_strings {
                JsonArray::NotStrings
            } else {
                JsonArray::Strings {
                    items,
                    end: reader.pos,
                }
            }
        }
        None => JsonArray::Invalid,
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// A number did not fit a `float64`; Go reports it after reading the whole value.
    overflow: bool,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The top-level array: its string items and whether every item was a string.
    fn top_array(&mut self) -> Option<(Vec<JsonString>, bool)> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        let mut all_strings = true;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some((items, true));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b'"') {
                let start = self.pos;
                let value = self.string()?;
                items.push(JsonString {
                    value,
                    start,
                    end: self.pos,
                });
            } else {
                all_strings = false;
                self.value()?;
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some((items, all_strings));
                }
                _ => return None,
            }
        }
    }

    /// Validates any value without recursion (an explicit stack of open containers).
    fn value(&mut self) -> Option<()> {
        // Each entry: true for an object, false for an array.
        let mut stack: Vec<bool> = Vec::new();
        loop {
            self.skip_ws();
            // Read one scalar or open a container.
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    stack.push(true);
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        self.object_key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    stack.push(false);
                    if stack.len() >= MAX_DEPTH {
                        return None;
                    }
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        continue;
                    }
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a complete value: close containers or move to the next element.
            loop {
                let Some(&is_object) = stack.last() else {
                    return Some(());
                };
                self.skip_ws();
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if is_object {
                            self.skip_ws();
                            self.object_key()?;
                        }
                        break;
                    }
                    b'}' if is_object => {
                        self.pos += 1;
                        stack.pop();
                    }
                    b']' if !is_object => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// `"key" :` inside an object.
    fn object_key(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.bytes.get(self.pos..self.pos + word.len())? == word {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            self.digits();
        }
        let literal = self.text.get(start..self.pos)?;
        if literal.parse::<f64>().map_or(true, |f| f.is_infinite()) {
            self.overflow = true;
        }
        Some(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// A string literal, decoded with Go's rules for `\u` escapes and surrogates.
    fn string(&mut self) -> Option<String> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..)?;
            let c = rest.chars().next()?;
            match c {
                '"' => {
                    self.pos += 1;
                    return Some(out);
                }
                '\\' => {
                    let esc = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    match esc {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4(self.pos)?;
                            self.pos += 4;
                            if (0xD800..0xE000).contains(&first) {
                                let second =
                                    if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                                        self.hex4(self.pos + 2)
                                    } else {
                                        None
                                    };
                                match second {
                                    Some(low)
                                        if (0xD800..0xDC00).contains(&first)
                                            && (0xDC00..0xE000).contains(&low) =>
                                    {
                                        let code =
                                            0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00);
                                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                                        self.pos += 6;
                                    }
                                    _ => out.push('\u{FFFD}'),
                                }
                            } else {
                                out.push(char::from_u32(first).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => return None,
                    }
                }
                c if (c as u32) < 0x20 => return None,
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.text.get(at..at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        match parse_array(text) {
            JsonArray::Strings { items, .. } => items.into_iter().map(|i| i.value).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decodes_like_go() {
        assert_eq!(strings(r#"["a", "b"] trailing"#), ["a", "b"]);
        assert_eq!(
            strings(r#"["\ud800x", "\udc00\ud800\udc00"]"#),
            ["\u{FFFD}x", "\u{FFFD}\u{10000}"]
        );
        assert_eq!(strings(r#"["\/\"\t"]"#), ["/\"\t"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
    }

    #[test]
    fn errors_like_go() {
        assert_eq!(parse_array(r#"["a", 1]"#), JsonArray::NotStrings);
        assert_eq!(
            parse_array(r#"["a", null, {"k": [1, {}]}]"#),
            JsonArray::NotStrings
        );
        assert_eq!(parse_array(r#"["a", 1e999]"#), JsonArray::Invalid);
        assert_eq!(parse_array(r#"["a", [1e999]]"#), JsonArray::Invalid);
        assert_eq!(parse_array(r#"["a",]"#), JsonArray::Invalid);
        assert_eq!(parse_array("[01]"), JsonArray::Invalid);
        assert_eq!(parse_array("[\"a\tb\"]"), JsonArray::Invalid);
        assert_eq!(parse_array(r#"["a""#), JsonArray::Invalid);
        assert_eq!(parse_array(&"[".repeat(20_000)), JsonArray::Invalid);
    }
}
