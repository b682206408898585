//! The shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}`: `*`, `?` and escapes, matched
//! shortest or longest first as BuildKit's lexer does.

use super::Step;

/// One element of a shell pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pat {
    Lit(char),
    /// `?`: one character (not a newline, as Go's `.`).
    Any,
    /// `*`: any run of characters (no newline).
    Star,
}

/// BuildKit's `convertShellPatternToRegex`, as a token list.
pub(super) fn compile_pattern(pattern: &str) -> Result<Vec<Pat>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => out.push(Pat::Star),
            '?' => out.push(Pat::Any),
            '\\' => match chars.get(i + 1) {
                Some('}' | '/') => {}
                Some(&c @ ('*' | '?' | '\\')) => {
                    out.push(Pat::Lit(c));
                    i += 1;
                }
                Some(&c) => return Err(format!("invalid escape '\\{c}'")),
                None => return Err("invalid escape '\\\u{FFFD}'".into()),
            },
            c => out.push(Pat::Lit(c)),
        }
        i += 1;
    }
    Ok(out)
}

/// Lengths `n` such that `pattern` matches `text[start..start+n]`, as a bitmap.
fn match_lengths(pattern: &[Pat], text: &[char], start: usize) -> Vec<bool> {
    let rest = &text[start..];
    // reach[j] = pattern prefix consumed so far can end at text position j.
    let mut reach = vec![false; rest.len() + 1];
    reach[0] = true;
    for p in pattern {
        let mut next = vec![false; rest.len() + 1];
        match p {
            Pat::Star => {
                let mut on = false;
                for j in 0..=rest.len() {
                    if reach[j] {
                        on = true;
                    }
                    next[j] = on;
                    if j < rest.len() && rest[j] == '\n' {
                        on = false;
                    }
                }
            }
            Pat::Any => {
                for j in 0..rest.len() {
                    if reach[j] && rest[j] != '\n' {
                        next[j + 1] = true;
                    }
                }
            }
            Pat::Lit(c) => {
                for j in 0..rest.len() {
                    if reach[j] && rest[j] == *c {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach
}

fn chosen_length(lengths: &[bool], greedy: bool) -> Option<usize> {
    if greedy {
        lengths.iter().rposition(|&b| b)
    } else {
        lengths.iter().position(|&b| b)
    }
}

pub(super) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let tokens = compile_pattern(pattern)
        .map_err(|e| format!("invalid pattern ({pattern}) in substitution: {e}"))?;
    let chars: Vec<char> = value.chars().collect();
    Ok(
        match chosen_length(&match_lengths(&tokens, &chars, 0), greedy) {
            Some(n) => chars[n..].iter().collect(),
            None => value.to_string(),
        },
    )
}

/// Reverses a pattern keeping `\x` escapes in order (BuildKit's `reversePattern`).
pub(super) fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut units: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            units.push(format!("\\{}", chars[i + 1]));
            i += 2;
        } else {
            units.push(chars[i].to_string());
            i += 1;
        }
    }
    units.reverse();
    units.concat()
}

pub(super) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Step<String> {
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// `${V/p/r}` and `${V//p/r}`: leftmost, longest matches, like Go's regexp with greedy `*`.
pub(super) fn replace(pattern: &[Pat], value: &str, replacement: &str, all: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut pos = 0;
    let mut last_match_end: Option<usize> = None;
    while pos <= chars.len() {
        let found = (pos..=chars.len())
            .find_map(|s| chosen_length(&match_lengths(pattern, &chars, s), true).map(|n| (s, n)));
        let Some((start, len)) = found else { break };
        if len == 0 && last_match_end == Some(start) {
            // An empty match right after the previous match is skipped, as in Go.
            if start < chars.len() {
                out.extend(&chars[pos..=start]);
            }
            pos = start + 1;
            continue;
        }
        out.extend(&chars[pos..start]);
        out.push_str(replacement);
        last_match_end = Some(start + len);
        if !all {
            pos = start + len;
            break;
        }
        if len == 0 {
            if start < chars.len() {
                out.push(chars[start]);
            }
            pos = start + 1;
        } else {
            pos = start + len;
        }
    }
    if pos < chars.len() {
        out.extend(&chars[pos..]);
    }
    out
}
