//! Build-arg scopes: the predefined platform ARGs, the global scope (ARGs before the first FROM)
//! and expansion of words against a scope.
//!
//! BuildKit's rules (`dockerfile2llb/convert.go`: `defaultArgs`, `buildMetaArgs`, `dispatchArg`):
//! FROM and `--platform` see only the global scope; inside a stage a global ARG is visible only
//! after `ARG NAME` re-declares it; a user `--build-arg` overrides any declared default.

/// An ordered set of variables; `None` is a declared ARG without a value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    vars: Vec<(String, Option<String>)>,
}

impl Scope {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.vars.iter().any(|(k, _)| k == name)
    }

    pub fn set(&mut self, name: &str, value: Option<String>) {
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name.to_string(), value)),
        }
    }
}

/// The predefined platform ARGs for a build on and for `platform` (`os/arch[/variant]`).
/// We have no separate build machine, so BUILD* equals TARGET*, as on a native build.
pub(crate) fn platform_args(platform: &str) -> Vec<(String, String)> {
    let mut parts = platform.split('/');
    let os = parts
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("linux")
        .to_string();
    let arch = parts
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("amd64")
        .to_string();
    let variant = parts.next().unwrap_or("").to_string();
    let full = if variant.is_empty() {
        format!("{os}/{arch}")
    } else {
        format!("{os}/{arch}/{variant}")
    };
    let mut out = Vec::new();
    for prefix in ["BUILD", "TARGET"] {
        out.push((format!("{prefix}PLATFORM"), full.clone()));
        out.push((format!("{prefix}OS"), os.clone()));
        out.push((format!("{prefix}ARCH"), arch.clone()));
        out.push((format!("{prefix}VARIANT"), variant.clone()));
    }
    out
}

/// Expands `$VAR`, `${VAR}` and the `${VAR:-word}` family in `word` against `scope`, removing
/// quotes as BuildKit's shell lexer does. Returns the expanded text or a message.
pub(crate) fn expand(word: &str, escape: char, scope: &Scope) -> Result<String, String> {
    let mut lexer = Lexer {
        chars: word.chars().collect(),
        pos: 0,
        escape,
        scope,
    };
    lexer.word()
}

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    escape: char,
    scope: &'a Scope,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn word(&mut self) -> Result<String, String> {
        let mut out = String::new();
        while let Some(c) = self.next() {
            if c == self.escape {
                match self.next() {
                    Some(n) => out.push(n),
                    None => out.push(c),
                }
            } else if c == '\'' {
                loop {
                    match self.next() {
                        Some('\'') => break,
                        Some(n) => out.push(n),
                        None => return Err(
                            "unexpected end of statement while looking for matching single-quote"
                                .into(),
                        ),
                    }
                }
            } else if c == '"' {
                loop {
                    match self.next() {
                        Some('"') => break,
                        Some('$') => out.push_str(&self.variable()?),
                        Some(n) if n == self.escape => match self.peek() {
                            Some(m) if m == '"' || m == '$' || m == self.escape => {
                                self.pos += 1;
                                out.push(m);
                            }
                            _ => out.push(n),
                        },
                        Some(n) => out.push(n),
                        None => return Err(
                            "unexpected end of statement while looking for matching double-quote"
                                .into(),
                        ),
                    }
                }
            } else if c == '$' {
                out.push_str(&self.variable()?);
            } else {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// After `$`: a name, `{...}` or a lone `$`.
    fn variable(&mut self) -> Result<String, String> {
        match self.peek() {
            Some('{') => {
                self.pos += 1;
                self.braced()
            }
            Some(c) if c.is_ascii_alphanumeric() || c == '_' => {
                let name = self.name();
                Ok(self.scope.get(&name).unwrap_or("").to_string())
            }
            _ => Ok("$".to_string()),
        }
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        name
    }

    fn braced(&mut self) -> Result<String, String> {
        let name = self.name();
        if name.is_empty() {
            return Err("bad substitution".into());
        }
        let value = self.scope.get(&name).map(str::to_string);
        let set = self.scope.contains(&name) && value.is_some();
        match self.next() {
            Some('}') => Ok(value.unwrap_or_default()),
            Some(':') => {
                let op = self.next().ok_or("bad substitution")?;
                let arg = self.until_brace()?;
                let non_empty = value.as_deref().is_some_and(|v| !v.is_empty());
                match op {
                    '-' => Ok(if non_empty {
                        value.unwrap_or_default()
                    } else {
                        arg
                    }),
                    '+' => Ok(if non_empty { arg } else { String::new() }),
                    '?' if non_empty => Ok(value.unwrap_or_default()),
                    '?' => Err(format!(
                        "{name}: {}",
                        if arg.is_empty() {
                            "is not allowed to be unset"
                        } else {
                            &arg
                        }
                    )),
                    _ => Err(format!("unsupported modifier (:{op}) in substitution")),
                }
            }
            Some(op @ ('-' | '+' | '?')) => {
                let arg = self.until_brace()?;
                match op {
                    '-' => Ok(if set { value.unwrap_or_default() } else { arg }),
                    '+' => Ok(if set { arg } else { String::new() }),
                    _ if set => Ok(value.unwrap_or_default()),
                    _ => Err(format!(
                        "{name}: {}",
                        if arg.is_empty() {
                            "is not allowed to be unset"
                        } else {
                            &arg
                        }
                    )),
                }
            }
            Some(op @ ('#' | '%' | '/')) => {
                // Pattern operators: apply the simple literal cases, keep the value otherwise.
                let raw = self.until_brace()?;
                let v = value.unwrap_or_default();
                Ok(match op {
                    '#' => v
                        .strip_prefix(raw.trim_start_matches('#'))
                        .map(str::to_string)
                        .unwrap_or(v),
                    '%' => v
                        .strip_suffix(raw.trim_start_matches('%'))
                        .map(str::to_string)
                        .unwrap_or(v),
                    _ => {
                        let all = raw.starts_with('/');
                        let body = if all { &raw[1..] } else { &raw[..] };
                        let (pat, rep) = body.split_once('/').unwrap_or((body, ""));
                        if pat.is_empty() {
                            v
                        } else if all {
                            v.replace(pat, rep)
                        } else {
                            v.replacen(pat, rep, 1)
                        }
                    }
                })
            }
            _ => Err("bad substitution".into()),
        }
    }

    /// The word inside `${name<op>...}` up to the matching `}`, itself expanded.
    fn until_brace(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let mut depth = 0usize;
        while let Some(c) = self.next() {
            match c {
                '}' if depth == 0 => return Ok(out),
                '}' => {
                    depth -= 1;
                    out.push(c);
                }
                '$' => out.push_str(&self.variable()?),
                c if c == self.escape => {
                    if let Some(n) = self.next() {
                        out.push(n);
                    }
                }
                '\'' => loop {
                    match self.next() {
                        Some('\'') => break,
                        Some(n) => out.push(n),
                        None => return Err("syntax error: missing '}'".into()),
                    }
                },
                '"' => loop {
                    match self.next() {
                        Some('"') => break,
                        Some('$') => out.push_str(&self.variable()?),
                        Some(n) => out.push(n),
                        None => return Err("syntax error: missing '}'".into()),
                    }
                },
                '{' => {
                    depth += 1;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        Err("syntax error: missing '}'".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(pairs: &[(&str, Option<&str>)]) -> Scope {
        let mut s = Scope::default();
        for (k, v) in pairs {
            s.set(k, v.map(str::to_string));
        }
        s
    }

    #[test]
    fn expands_buildkit_forms() {
        let s = scope(&[("A", Some("x")), ("E", Some("")), ("U", None)]);
        let e = |w: &str| expand(w, '\\', &s).unwrap();
        assert_eq!(e("img:$A"), "img:x");
        assert_eq!(e("img:${A}-1"), "img:x-1");
        assert_eq!(e("${E:-d}"), "d");
        assert_eq!(e("${E-d}"), "");
        assert_eq!(e("${U-d}"), "d");
        assert_eq!(e("${A:+y}"), "y");
        assert_eq!(e("'$A' \"$A\""), "$A x");
        assert_eq!(e("\\$A"), "$A");
        assert_eq!(e("d-${E:-\"supported\"}"), "d-supported");
        assert_eq!(e("${A:+'un'}"), "un");
        assert!(expand("${U:?}", '\\', &s).is_err());
    }

    #[test]
    fn platform_args_split_variant() {
        let args = platform_args("linux/arm/v7");
        assert!(args.contains(&("TARGETVARIANT".into(), "v7".into())));
        assert!(args.contains(&("BUILDPLATFORM".into(), "linux/arm/v7".into())));
    }
}
