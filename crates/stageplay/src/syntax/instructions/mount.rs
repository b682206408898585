//! RUN `--mount`: BuildKit's `parseMount` (CSV fields, the mount types and their options).

use super::parse_bool;
use crate::span::Span;
use serde::Serialize;

/// The type of a RUN `--mount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum MountKind {
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
    /// A type BuildKit does not know (reported by [`crate::syntax::Instruction::check`]).
    Unknown,
}

impl MountKind {
    pub fn parse(text: &str) -> MountKind {
        match text.to_ascii_lowercase().as_str() {
            "bind" => MountKind::Bind,
            "cache" => MountKind::Cache,
            "tmpfs" => MountKind::Tmpfs,
            "secret" => MountKind::Secret,
            "ssh" => MountKind::Ssh,
            _ => MountKind::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MountKind::Bind => "bind",
            MountKind::Cache => "cache",
            MountKind::Tmpfs => "tmpfs",
            MountKind::Secret => "secret",
            MountKind::Ssh => "ssh",
            MountKind::Unknown => "unknown",
        }
    }
}

/// A RUN `--mount=...` flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mount {
    pub kind: MountKind,
    pub target: Option<String>,
    pub source: Option<String>,
    pub from: Option<String>,
    pub id: Option<String>,
    /// BuildKit's default: read-only for bind, secret and ssh; writable for cache and tmpfs.
    pub readonly: bool,
    pub required: bool,
    /// Every `key[=value]` field as written, keys lower-cased.
    pub options: Vec<(String, String)>,
    /// The span of the whole flag.
    pub span: Span,
}

/// Go's `encoding/csv` reading of one record: fields split at `,`, `"..."` quoting.
fn csv_fields(value: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => {
                        return Err(format!(
                            "parse error: extraneous or missing \" in quoted-field: {value}"
                        ))
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => {}
                Some(_) => {
                    return Err(format!(
                        "parse error: extraneous or missing \" in quoted-field: {value}"
                    ))
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => {
                        return Err(format!("parse error: bare \" in non-quoted-field: {value}"))
                    }
                    Some(c) => field.push(c),
                }
            }
        }
        fields.push(field);
    }
}

/// BuildKit's `parseMount`: the mount (lenient) and the first error BuildKit would report.
pub(super) fn parse_mount(value: &str, span: Span) -> (Mount, Option<String>) {
    let mut mount = Mount {
        kind: MountKind::Bind,
        target: None,
        source: None,
        from: None,
        id: None,
        readonly: true,
        required: false,
        options: Vec::new(),
        span,
    };
    let mut error: Option<String> = None;
    let mut fail = |e: String| {
        if error.is_none() {
            error = Some(e);
        }
    };
    let fields = match csv_fields(value) {
        Ok(fields) => fields,
        Err(e) => {
            fail(e);
            Vec::new()
        }
    };
    let mut ro_auto = true;
    let mut sharing = false;
    for field in fields {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k.to_lowercase(), Some(v.to_string())),
            None => (field.to_lowercase(), None),
        };
        mount
            .options
            .push((key.clone(), val.clone().unwrap_or_default()));
        let Some(val) = val else {
            match key.as_str() {
                "readonly" | "ro" => {
                    mount.readonly = true;
                    ro_auto = false;
                }
                "readwrite" | "rw" => {
                    mount.readonly = false;
                    ro_auto = false;
                }
                "required" if matches!(mount.kind, MountKind::Secret | MountKind::Ssh) => {
                    mount.required = true
                }
                "required" => fail(format!(
                    "unexpected key '{key}' for mount type '{}'",
                    mount.kind.as_str()
                )),
                _ => fail(format!("invalid field '{field}' must be a key=value pair")),
            }
            continue;
        };
        match key.as_str() {
            "type" => {
                mount.kind = MountKind::parse(&val);
                if mount.kind == MountKind::Unknown {
                    fail(format!("unsupported mount type {val:?}"));
                }
            }
            "source" | "src" => mount.source = Some(val),
            "target" | "dst" | "destination" => mount.target = Some(val),
            "readonly" | "ro" => {
                ro_auto = false;
                match parse_bool(&val) {
                    Some(b) => mount.readonly = b,
                    None => fail(format!("invalid value for {key}: {val}")),
                }
            }
            "readwrite" | "rw" => {
                ro_auto = false;
                match parse_bool(&val) {
                    Some(b) => mount.readonly = !b,
                    None => fail(format!("invalid value for {key}: {val}")),
                }
            }
            "required" => {
                if matches!(mount.kind, MountKind::Secret | MountKind::Ssh) {
                    match parse_bool(&val) {
                        Some(b) => mount.required = b,
                        None => fail(format!("invalid value for {key}: {val}")),
                    }
                } else {
                    fail(format!(
                        "unexpected key '{key}' for mount type '{}'",
                        mount.kind.as_str()
                    ));
                }
            }
            "id" => mount.id = Some(val),
            "sharing" => {
                sharing = true;
                if !matches!(val.to_lowercase().as_str(), "shared" | "private" | "locked") {
                    fail(format!("unsupported sharing value {val:?}"));
                }
            }
            "from" => mount.from = Some(val),
            "mode" => {
                if u32::from_str_radix(&val, 8).is_err() {
                    fail(format!("invalid value {val} for mode"));
                }
            }
            "uid" | "gid" => {
                if val.parse::<u32>().is_err() {
                    fail(format!("invalid value {val} for {key}"));
                }
            }
            "size" if mount.kind == MountKind::Tmpfs => {}
            "env" if mount.kind == MountKind::Secret => {}
            _ => fail(format!("unexpected key '{key}' in '{field}'")),
        }
    }
    if ro_auto {
        mount.readonly = !matches!(mount.kind, MountKind::Cache | MountKind::Tmpfs);
    }
    let file_info = matches!(
        mount.kind,
        MountKind::Secret | MountKind::Ssh | MountKind::Cache
    );
    if !file_info {
        for key in ["mode", "uid", "gid"] {
            if mount.options.iter().any(|(k, _)| k == key) {
                fail(format!(
                    "{key} not allowed for {:?} type mounts",
                    mount.kind.as_str()
                ));
            }
        }
    }
    if sharing && mount.kind != MountKind::Cache {
        fail(format!(
            "invalid cache sharing set for {} mount",
            mount.kind.as_str()
        ));
    }
    if mount.kind == MountKind::Secret {
        if mount.from.is_some() {
            fail("secret mount should not have a from".into());
        }
        if mount.source.is_none() && mount.target.is_none() && mount.id.is_none() {
            fail("one of source, target required".into());
        }
    }
    (mount, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_like_go() {
        assert_eq!(
            csv_fields("type=cache,target=/x").unwrap(),
            ["type=cache", "target=/x"]
        );
        assert_eq!(csv_fields("\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert!(csv_fields("a\"b").is_err());
    }

    #[test]
    fn mount_defaults() {
        let (m, e) = parse_mount("type=cache,target=/root/.cache", Span::default());
        assert_eq!((m.kind, m.readonly, e), (MountKind::Cache, false, None));
        let (m, _) = parse_mount("target=/src", Span::default());
        assert_eq!((m.kind, m.readonly), (MountKind::Bind, true));
        let (m, e) = parse_mount("type=secret,id=tok,required=true", Span::default());
        assert_eq!((m.required, m.id.as_deref(), e), (true, Some("tok"), None));
    }
}
