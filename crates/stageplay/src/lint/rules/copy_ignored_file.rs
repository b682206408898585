use super::super::context::Ctx;
use super::helpers::unquote;
use crate::estimate::state::clean_path;
use crate::syntax::{glob, Keyword};

declare_rule! {
    /// ## What it does
    /// When a `.dockerignore` is supplied, finds `COPY`/`ADD` sources from the build context
    /// that it excludes.
    ///
    /// ## Why is this bad?
    /// Excluded files are not sent to the builder, so the instruction fails or copies less
    /// than it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// # .dockerignore contains: *.md
    /// COPY README.md /app/
    /// ```
    ///
    /// Use instead: remove the file from `.dockerignore` (or add `!README.md`), or do not copy it.
    ///
    /// ## Fix safety
    /// No fix: either file may be the one to change.
    ///
    /// ## References
    /// - [BuildKit: CopyIgnoredFile](https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/)
    pub struct CopyIgnoredFile {
        code: "CopyIgnoredFile",
        name: "copy-ignored-file",
        sources: ["buildkit:CopyIgnoredFile"],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

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
            if glob::path_matches(pattern, &prefix) {
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

pub fn check(ctx: &mut Ctx) {
    let Some(ignore) = ctx.opts.dockerignore.clone() else {
        return;
    };
    let pats = patterns(&ignore);
    if pats.is_empty() {
        return;
    }
    let doc = ctx.doc;
    for inst in doc
        .instructions
        .iter()
        .filter(|i| matches!(i.keyword, Keyword::Copy | Keyword::Add))
    {
        if inst.flag("from").is_some() || !inst.heredocs().is_empty() {
            continue;
        }
        let words = ctx.words(inst);
        let Some((_, sources)) = words.split_last() else {
            continue;
        };
        for src in sources {
            let path = unquote(&src.text);
            if path.contains("://") || path.contains('$') || path.starts_with("git@") {
                continue;
            }
            if is_ignored(&pats, &path) {
                let verb = if inst.keyword == Keyword::Copy {
                    "Copy"
                } else {
                    "Add"
                };
                ctx.report(
                    src.span,
                    format!(
                        "Attempting to {verb} file \"{path}\" that is excluded by .dockerignore"
                    ),
                );
            }
        }
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
