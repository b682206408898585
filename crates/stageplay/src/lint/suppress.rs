//! Suppression comments and BuildKit's `# check=` directive.

use super::rule::RuleMeta;
use crate::span::{LineIndex, Span};
use crate::syntax::Dockerfile;

#[derive(Debug, Default)]
pub struct Directives {
    /// Names from `# check=skip=…` (`all` skips every BuildKit check).
    skip: Vec<String>,
    /// `# check=error=true`: BuildKit checks fail the build.
    pub error: bool,
    /// Names from `# check=experimental=…`.
    experimental: Vec<String>,
    /// Codes ignored in the whole file (`# hadolint global ignore=`, `# stageplay global ignore=`).
    global: Vec<String>,
    /// For each instruction with ignore comments, its span and the codes ignored by the comment
    /// block above it, in source order.
    per_instruction: Vec<(Span, Vec<String>)>,
}

impl Directives {
    pub fn read(text: &str, doc: &Dockerfile) -> Directives {
        let mut d = Directives::default();
        for dir in doc
            .directives
            .iter()
            .filter(|d| d.name.eq_ignore_ascii_case("check"))
        {
            for part in dir.value.split(';') {
                let Some((key, value)) = part.split_once('=') else {
                    continue;
                };
                let names = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty());
                match key.trim().to_ascii_lowercase().as_str() {
                    "skip" => d.skip.extend(names),
                    "experimental" => d.experimental.extend(names),
                    "error" => d.error = value.trim().eq_ignore_ascii_case("true"),
                    _ => {}
                }
            }
        }
        let index = LineIndex::new(text);
        // Comment lines (0-based) with the codes they ignore, sorted by line; the first comment
        // read on a line is the one kept. Instructions come in source order, so one forward
        // walk over both keeps this linear in the size of the file.
        let mut lines = index.cursor();
        let mut by_line: Vec<(usize, Vec<String>)> = Vec::new();
        for c in &doc.comments {
            let line = lines.line_of(c.span.start);
            match ignore_codes(&c.text) {
                Some((true, codes)) => d.global.extend(codes),
                Some((false, codes)) => by_line.push((line, codes)),
                None => by_line.push((line, Vec::new())),
            }
        }
        crate::sort::sort_by_key(&mut by_line, |(line, _)| *line);
        by_line.dedup_by_key(|(line, _)| *line);
        let mut lines = index.cursor();
        // `below`: how many comment lines come before the current instruction's line.
        let mut below = 0;
        let mut previous_line = 0;
        for inst in &doc.instructions {
            let line = lines.line_of(inst.span.start);
            if line < previous_line {
                below = by_line.partition_point(|(l, _)| *l < line);
            }
            previous_line = line;
            while by_line.get(below).is_some_and(|(l, _)| *l < line) {
                below += 1;
            }
            // The comment block directly above: lines line-1, line-2, … while each has a comment.
            let mut codes = Vec::new();
            let mut want = line;
            for (l, c) in by_line[..below].iter().rev() {
                if want == 0 || *l != want - 1 {
                    break;
                }
                codes.extend(c.iter().cloned());
                want -= 1;
            }
            // An instruction without ignore comments cannot suppress anything.
            if !codes.is_empty() {
                d.per_instruction.push((inst.span, codes));
            }
        }
        crate::sort::sort_by_key(&mut d.per_instruction, |(s, _)| s.start);
        d
    }

    pub fn skips(&self, rule: &RuleMeta) -> bool {
        let listed = self.skip.iter().any(|s| s.eq_ignore_ascii_case(rule.code));
        listed || (rule.is_buildkit() && self.skip.iter().any(|s| s == "all"))
    }

    pub fn experimental(&self, rule: &RuleMeta) -> bool {
        self.experimental
            .iter()
            .any(|s| s == "all" || s.eq_ignore_ascii_case(rule.code))
    }

    /// True when a `global ignore=` or the comment block above the finding's instruction names
    /// the finding's code or a code it mirrors ([`super::names`]). With `pragmas_disabled`
    /// (hadolint's `--disable-ignore-pragma`) no comment suppresses anything.
    pub fn suppressed(
        &self,
        code: &str,
        sources: &[&str],
        span: Span,
        pragmas_disabled: bool,
    ) -> bool {
        if pragmas_disabled {
            return false;
        }
        let named = |c: &String| super::names(code, sources).any(|n| c.eq_ignore_ascii_case(n));
        if self.global.iter().any(named) {
            return true;
        }
        // Instruction spans are disjoint and sorted, so the ones containing `span.start` are
        // found by a binary search and a walk back while they still reach it.
        let upto = self
            .per_instruction
            .partition_point(|(s, _)| s.start <= span.start);
        self.per_instruction[..upto]
            .iter()
            .rev()
            .take_while(|(s, _)| span.start <= s.end)
            .any(|(_, codes)| codes.iter().any(named))
    }
}

/// Reads `hadolint ignore=A,B` / `stageplay ignore=A` (and their `global` forms) from a comment's
/// text. Returns `(global, codes)`.
fn ignore_codes(comment: &str) -> Option<(bool, Vec<String>)> {
    let text = comment.trim().trim_start_matches('#').trim();
    let rest = text
        .strip_prefix("hadolint")
        .or_else(|| text.strip_prefix("stageplay"))?;
    let rest = rest.trim_start();
    let (global, rest) = match rest.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, rest),
    };
    let list = rest
        .strip_prefix("ignore")?
        .trim_start()
        .strip_prefix('=')?;
    let list = list.split_whitespace().next().unwrap_or("");
    Some((
        global,
        list.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::ignore_codes;

    #[test]
    fn reads_ignore_comments() {
        assert_eq!(
            ignore_codes("hadolint ignore=DL3008,DL3009"),
            Some((false, vec!["DL3008".into(), "DL3009".into()]))
        );
        assert_eq!(
            ignore_codes("stageplay global ignore=SP1001"),
            Some((true, vec!["SP1001".into()]))
        );
        assert_eq!(ignore_codes("just a comment"), None);
    }
}
