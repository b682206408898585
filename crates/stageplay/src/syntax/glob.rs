//! The engine's one whole-string glob matcher: `.dockerignore` patterns, COPY/ADD source
//! wildcards and the patterns of a shell `case` arm.
//!
//! - [`matches`] is Go's `filepath.Match` on one path segment (callers pass one segment, so
//!   `*` and `?` are not stopped at `/`) (BuildKit matches COPY
//!   sources and, through `moby/patternmatcher`, `.dockerignore` lines with it): `*` any run,
//!   `?` one character, `[abc]`, `[a-z]`, `[^a-z]`, `\x` a literal `x`. With
//!   [`Dialect::Shell`] a class is negated by `[!…]` too, as in a POSIX shell's `case`.
//! - [`path_matches`] matches a `/`-separated path segment by segment, with `**` for any number
//!   of segments (patternmatcher's extension).
//!
//! Why our own and not a crate: `glob` and `globset` read `[!…]` (not Go's `[^…]`) and have no
//! `\` escapes (globset also brings `regex` into the wasm bundle); `wildmatch` has no classes.
//! The matcher is small, and backtracks at most once per `*` (no exponential patterns from a
//! user's `.dockerignore`). The `${V#p}` patterns of `syntax::expand` stay in
//! `expand/pattern.rs`: they find prefix/suffix lengths, and BuildKit's lexer reads `[` there
//! as a literal.

/// Which spelling of a negated class `[…]` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Go's `filepath.Match`: only `[^…]` negates; `[!…]` is a class holding `!`.
    Go,
    /// A POSIX shell pattern: `[!…]` and `[^…]` negate.
    Shell,
}

/// True when `name` matches `pattern` as a whole. A malformed pattern (a `[` without `]`, a
/// trailing `\`) matches nothing, as `filepath.Match` returns `ErrBadPattern`.
pub fn matches(pattern: &str, name: &str, dialect: Dialect) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    let (mut pi, mut si) = (0, 0);
    // Where to resume after the last `*`: pattern index after it, text index it has eaten to.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi + 1, si));
                    pi += 1;
                    continue;
                }
                '?' if si < s.len() => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                '[' => match class(&p, pi, dialect) {
                    None => return false,
                    Some((set, end)) => {
                        if si < s.len() && set.contains(s[si]) {
                            pi = end;
                            si += 1;
                            continue;
                        }
                    }
                },
                '\\' => match p.get(pi + 1) {
                    None => return false,
                    Some(&c) if si < s.len() && s[si] == c => {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                    Some(_) => {}
                },
                c if si < s.len() && s[si] == c => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                _ => {}
            }
        } else if si == s.len() {
            return true;
        }
        // Mismatch: let the last `*` eat one more character, or fail.
        match star {
            Some((after, eaten)) if eaten < s.len() => {
                star = Some((after, eaten + 1));
                pi = after;
                si = eaten + 1;
            }
            _ => return false,
        }
    }
}

/// True when `path` matches `pattern`, both split at `/`: each segment by [`matches`] (Go
/// dialect), a `**` segment standing for any number of segments.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    // reach[j]: the pattern read so far can end before segment j.
    let mut reach = vec![false; s.len() + 1];
    reach[0] = true;
    for part in &p {
        let mut next = vec![false; s.len() + 1];
        if *part == "**" {
            let mut on = false;
            for j in 0..=s.len() {
                on |= reach[j];
                next[j] = on;
            }
        } else {
            for j in 0..s.len() {
                if reach[j] && matches(part, s[j], Dialect::Go) {
                    next[j + 1] = true;
                }
            }
        }
        reach = next;
    }
    reach[s.len()]
}

/// True when `text` holds a character [`matches`] treats specially (`*`, `?`, `[`, `\`): a
/// COPY source with one is a wildcard, not a file name.
pub fn has_meta(text: &str) -> bool {
    text.contains(['*', '?', '[', '\\'])
}

/// A class `[…]` starting at `p[start]`: the set and the index after its `]`.
fn class(p: &[char], start: usize, dialect: Dialect) -> Option<(Class, usize)> {
    let mut i = start + 1;
    let negated = match p.get(i) {
        Some('^') => true,
        Some('!') if dialect == Dialect::Shell => true,
        _ => false,
    };
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(i)?;
        if c == ']' {
            if !first {
                return Some((Class { negated, ranges }, i + 1));
            }
            // `[]…]`: a shell reads the first `]` as a member; Go rejects the pattern.
            if dialect == Dialect::Go {
                return None;
            }
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            c
        };
        i += 1;
        let hi = if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&c| c != ']') {
            i += 1;
            let c = if p[i] == '\\' {
                i += 1;
                *p.get(i)?
            } else {
                p[i]
            };
            i += 1;
            c
        } else {
            lo
        };
        ranges.push((lo, hi));
    }
}

struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_filepath_match_cases() {
        // Cases from Go's path/filepath match_test.go that hold for one segment.
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*b*c*d*e*", "axbxcxdxe", true),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "-", true),
            ("*x", "xxx", true),
            // Malformed patterns match nothing.
            ("[", "a", false),
            ("a[", "a", false),
            ("\\", "a", false),
            ("[]a]", "a", false),
        ];
        for &(p, s, want) in cases {
            assert_eq!(matches(p, s, Dialect::Go), want, "{p:?} ~ {s:?}");
        }
    }

    #[test]
    fn shell_dialect_negates_with_bang_too() {
        assert!(matches("[!a]", "b", Dialect::Shell));
        assert!(!matches("[!a]", "a", Dialect::Shell));
        // In Go, `[!a]` is the class of `!` and `a`.
        assert!(matches("[!a]", "!", Dialect::Go));
        assert!(!matches("[!a]", "b", Dialect::Go));
        // Architecture names of a `case` arm.
        assert!(matches("amd64 | x86_64", "amd64 | x86_64", Dialect::Shell));
        assert!(matches("*86_64", "x86_64", Dialect::Shell));
        assert!(matches("amd6?", "amd64", Dialect::Shell));
        assert!(matches("[]a]", "]", Dialect::Shell));
    }

    #[test]
    fn stars_do_not_backtrack_exponentially() {
        let pattern = "a*".repeat(40) + "b";
        let text = "a".repeat(200);
        assert!(!matches(&pattern, &text, Dialect::Go));
        assert!(path_matches(&format!("{}x", "**/".repeat(30)), "a/b/c/x"));
    }

    #[test]
    fn paths_match_by_segment_with_double_star() {
        assert!(path_matches("**/*.log", "a/b/c.log"));
        assert!(path_matches("**/*.log", "c.log"));
        assert!(path_matches("a/**/b", "a/b"));
        assert!(path_matches("a/**/b", "a/x/y/b"));
        assert!(!path_matches("a/**/b", "a/x/y/c"));
        assert!(path_matches("a/**", "a/x/y"));
        assert!(!path_matches("*.md", "docs/README.md"));
        assert!(!path_matches("a*", "a/b"));
    }
}
