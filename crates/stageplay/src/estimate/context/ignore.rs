//! `.dockerignore` matching as BuildKit does it (Go's `filepath.Match` per path segment, `**`
//! for any number of directories, `!` exceptions, later patterns win), shared by the estimate
//! (which files of a dropped project folder are sent), the CLI's `--context DIR` reader and the
//! lint rule that flags a COPY of an excluded file. Segments are matched by the engine's one
//! glob, [`crate::syntax::glob::path_matches`] (why not the `ignore`/`globset` crates: see there;
//! they also implement `.gitignore` semantics, where a pattern without `/` matches at any depth,
//! which is not what BuildKit does).

use crate::estimate::state::clean_path;
use crate::syntax::glob::path_matches;

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

/// The path relative to the context root, cleaned (`./a//b/../c` is `a/c`).
fn clean(path: &str) -> String {
    clean_path(path).trim_start_matches('/').to_string()
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
            if path_matches(pattern, &prefix) {
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
