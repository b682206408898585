//! `.dockerignore` matching as BuildKit does it (Go's `filepath.Match` per path segment, `**`
//! for any number of directories, `!` exceptions, later patterns win), shared by the estimate
//! (which files of a dropped project folder are sent) and the lint rule that flags a COPY of an
//! excluded file. Kept here rather than taken from a crate: the `ignore`/`globset` crates
//! implement `.gitignore` semantics (a pattern without `/` matches at any depth), which is not
//! what BuildKit does, and they would add to the wasm bundle.

/// Patterns of a `.dockerignore`: `(pattern, negated)` in order.
pub fn patterns(dockerignore: &str) -> Vec<(String, bool)> {
    dockerignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (neg, p) = match l.strip_prefix('!') {
                Some(p) => (true, p.trim()),
                None => (false, l),
            };
            (clean(p), neg)
        })
        .filter(|(p, _)| !p.is_empty())
        .collect()
}

fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// True when `path` (or a parent directory of it) is excluded; later patterns win.
pub fn is_ignored(patterns: &[(String, bool)], path: &str) -> bool {
    let path = clean(path);
    if path.is_empty() {
        return false;
    }
    let mut ignored = false;
    for (pattern, negated) in patterns {
        let mut prefix = String::new();
        let mut hit = false;
        for part in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if glob(pattern, &prefix) {
                hit = true;
                break;
            }
        }
        if hit {
            ignored = !negated;
        }
    }
    ignored
}

/// Go `filepath.Match` plus `**` for any number of directories.
pub fn glob(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    match_parts(&p, &s)
}

fn match_parts(p: &[&str], s: &[&str]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((&"**", rest)) => (0..=s.len()).any(|k| match_parts(rest, &s[k..])),
        Some((first, rest)) => match s.split_first() {
            Some((name, srest)) => {
                match_segment(first.as_bytes(), name.as_bytes()) && match_parts(rest, srest)
            }
            None => false,
        },
    }
}

fn match_segment(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|k| match_segment(&p[1..], &s[k..])),
        Some(b'?') => !s.is_empty() && match_segment(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(close) = p.iter().position(|b| *b == b']') else {
                return false;
            };
            let Some(c) = s.first() else { return false };
            let class = &p[1..close];
            let (neg, class) = match class.first() {
                Some(b'^') | Some(b'!') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut k = 0;
            while k < class.len() {
                if k + 2 < class.len() && class[k + 1] == b'-' {
                    hit |= class[k] <= *c && *c <= class[k + 2];
                    k += 3;
                } else {
                    hit |= class[k] == *c;
                    k += 1;
                }
            }
            hit != neg && match_segment(&p[close + 1..], &s[1..])
        }
        Some(b'\\') if p.len() > 1 => s.first() == Some(&p[1]) && match_segment(&p[2..], &s[1..]),
        Some(c) => s.first() == Some(c) && match_segment(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_matching_follows_buildkit() {
        let p = patterns("*.md\n!KEEP.md\nnode_modules\n**/*.log\n");
        assert!(is_ignored(&p, "README.md"));
        assert!(!is_ignored(&p, "KEEP.md"));
        assert!(!is_ignored(&p, "docs/README.md"));
        assert!(is_ignored(&p, "node_modules/x/y.js"));
        assert!(is_ignored(&p, "a/b/c.log"));
        assert!(!is_ignored(&p, "src/main.rs"));
    }
}
