//! Small readers over the raw syntax tree: the parts of FROM, ARG, COPY/ADD and RUN `--mount`
//! that the model needs, following BuildKit's instruction layer
//! (`frontend/dockerfile/instructions/parse.go`, `bflag.go`, `commands_runmount.go`).
//!
//! They read only the plain fields of [`Instruction`] (flags with processed values, argument text),
//! so the model does not depend on how the typed accessors of the syntax layer evolve.

use crate::syntax::{Args, Instruction};

/// The words of the arguments, split on whitespace as BuildKit splits FROM
/// (`parseStringsWhitespaceDelimited`), or the exec-form items.
pub(crate) fn plain_words(args: &Args) -> Vec<String> {
    match args {
        Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
        Args::Shell { text, .. } => text.split_whitespace().map(str::to_string).collect(),
    }
}

/// The words of the arguments, split on whitespace outside quotes, quotes and escapes kept
/// (BuildKit's `parseWords`, used for ARG, COPY and ADD).
pub(crate) fn quoted_words(args: &Args, escape: char) -> Vec<String> {
    let text = match args {
        Args::Exec { items, .. } => return items.iter().map(|w| w.text.clone()).collect(),
        Args::Shell { text, .. } => text,
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == escape && quote != Some('\'') {
            word.push(c);
            if let Some(next) = chars.next() {
                word.push(next);
            }
            continue;
        }
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                continue;
            }
            None => {}
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// FROM `[--platform=P] image [AS name]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct FromParts {
    pub image: Option<String>,
    pub name: Option<String>,
    pub platform: Option<String>,
    /// True when the words are not `image` or `image AS name`.
    pub malformed: bool,
}

pub(crate) fn from_parts(instr: &Instruction) -> FromParts {
    let words = plain_words(&instr.args);
    let platform = instr.flag_value("platform").map(str::to_string);
    let mut parts = FromParts {
        platform,
        ..FromParts::default()
    };
    match words.as_slice() {
        [] => parts.malformed = true,
        [image] => parts.image = Some(image.clone()),
        [image, as_kw, name] if as_kw.eq_ignore_ascii_case("as") => {
            parts.image = Some(image.clone());
            parts.name = Some(name.clone());
        }
        [image, ..] => {
            parts.image = Some(image.clone());
            parts.malformed = true;
        }
    }
    parts
}

/// `ARG name[=default] ...`: names with their defaults as written (quotes kept).
pub(crate) fn arg_pairs(instr: &Instruction, escape: char) -> Vec<(String, Option<String>)> {
    quoted_words(&instr.args, escape)
        .into_iter()
        .filter_map(|word| match word.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                Some((key.to_string(), Some(value.to_string())))
            }
            Some(_) => None,
            None => Some((word, None)),
        })
        .collect()
}

/// The source words of COPY/ADD (all words but the destination), quotes kept.
pub(crate) fn copy_sources(instr: &Instruction, escape: char) -> Vec<String> {
    let mut words = quoted_words(&instr.args, escape);
    words.pop();
    words
}

/// One `--mount=` flag of RUN, read as BuildKit's `parseMount` reads it (CSV fields, `key=value`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MountSpec {
    /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`, lower-case.
    pub kind: String,
    pub from: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub id: Option<String>,
    pub required: bool,
    pub sharing: Option<String>,
}

pub(crate) fn parse_mount(value: &str) -> MountSpec {
    let mut spec = MountSpec {
        kind: "bind".to_string(),
        ..MountSpec::default()
    };
    for field in csv_fields(value) {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), Some(v.to_string())),
            None => (field.trim().to_ascii_lowercase(), None),
        };
        match (key.as_str(), val) {
            ("type", Some(v)) => spec.kind = v.to_ascii_lowercase(),
            ("from", Some(v)) => spec.from = Some(v),
            ("source" | "src", Some(v)) => spec.source = Some(v),
            ("target" | "dst" | "destination", Some(v)) => spec.target = Some(v),
            ("id", Some(v)) => spec.id = Some(v),
            ("sharing", Some(v)) => spec.sharing = Some(v),
            ("required", v) => spec.required = v.is_none_or(|v| v.eq_ignore_ascii_case("true")),
            _ => {}
        }
    }
    spec
}

/// Splits one CSV record as Go's `encoding/csv` does for a single line: fields separated by
/// commas; a field starting with `"` is quoted and `""` inside it is a literal quote.
fn csv_fields(value: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        break;
                    }
                } else {
                    field.push(c);
                }
            }
            // Anything after the closing quote up to the comma belongs to the field too.
            for c in chars.by_ref() {
                if c == ',' {
                    fields.push(field);
                    field = String::new();
                    break;
                }
                field.push(c);
            }
            if !field.is_empty() || chars.peek().is_none() {
                fields.push(field);
                if chars.peek().is_none() {
                    break;
                }
            }
            continue;
        }
        let mut ended = true;
        for c in chars.by_ref() {
            if c == ',' {
                ended = false;
                break;
            }
            field.push(c);
        }
        fields.push(field);
        if ended {
            break;
        }
    }
    fields.retain(|f| !f.is_empty());
    fields
}

/// True for an ADD source BuildKit fetches instead of reading from the context.
pub(crate) fn is_remote_source(source: &str) -> bool {
    let s = source.trim_matches(|c| c == '"' || c == '\'');
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("git@")
        || s.starts_with("git://")
}

/// True for a heredoc source (`<<EOF`, `<<-EOF`).
pub(crate) fn is_heredoc_source(source: &str) -> bool {
    source.starts_with("<<")
}

/// Splits an image reference into (name, tag, digest).
pub fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let last_slash = rest.rfind('/').map_or(0, |p| p + 1);
    match rest[last_slash..].rfind(':') {
        Some(p) => (
            &rest[..last_slash + p],
            Some(&rest[last_slash + p + 1..]),
            digest,
        ),
        None => (rest, None, digest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mounts_read_csv_fields() {
        let m = parse_mount("type=cache,target=/root/.cache,id=pip,sharing=locked");
        assert_eq!(m.kind, "cache");
        assert_eq!(m.target.as_deref(), Some("/root/.cache"));
        assert_eq!(m.id.as_deref(), Some("pip"));
        let m = parse_mount("from=builder,source=/out,target=/in,readonly");
        assert_eq!(m.kind, "bind");
        assert_eq!(m.from.as_deref(), Some("builder"));
        let m = parse_mount("type=secret,id=a,required");
        assert!(m.required);
        let m = parse_mount("\"type=bind,x\",from=a");
        assert_eq!(m.kind, "bind,x");
        assert_eq!(m.from.as_deref(), Some("a"));
    }

    #[test]
    fn quoted_words_keep_quotes() {
        let args = Args::Shell {
            text: "a1=\"foo bar\" a2=box  'x y'".into(),
            span: Default::default(),
        };
        assert_eq!(
            quoted_words(&args, '\\'),
            vec!["a1=\"foo bar\"", "a2=box", "'x y'"]
        );
    }
}
