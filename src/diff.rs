//! Line diffs for the Suggestions pane's previews: Myers' O(ND) difference algorithm over lines
//! ("An O(ND) Difference Algorithm and Its Variations", 1986), grouped into hunks with context,
//! shown unified or side by side.
//!
//! The common prefix and suffix are skipped first, so a small edit to a large file costs little;
//! when the remaining edit distance exceeds [`MAX_EDIT_DISTANCE`], the middle is reported as one
//! deletion and one insertion instead (still a correct diff, only not a minimal one).

/// Past this many inserted plus deleted lines the diff stops looking for a minimal script.
pub const MAX_EDIT_DISTANCE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// One line of a diff with its 1-based line numbers in the old and the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub op: Op,
    pub old: Option<usize>,
    pub new: Option<usize>,
    pub text: &'a str,
}

/// A run of changed lines with their context, as in `@@ -old_start,old_len +new_start,new_len @@`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk<'a> {
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<Line<'a>>,
}

impl Hunk<'_> {
    /// The unified-diff header of the hunk.
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_len, self.new_start, self.new_len
        )
    }
}

/// One row of a side-by-side view: the old line on the left, the new one on the right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub left: Option<Line<'a>>,
    pub right: Option<Line<'a>>,
}

/// Splits text into lines without their terminators; a final newline does not start a line.
fn lines(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text.split('\n').collect();
    if text.is_empty() || text.ends_with('\n') {
        out.pop();
    }
    out.into_iter()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The whole diff of `old` against `new`, line by line. Within a run of changes, deletions come
/// before insertions.
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a = lines(old);
    let b = lines(new);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops = vec![Op::Equal; prefix];
    ops.extend(myers(ma, mb).unwrap_or_else(|| {
        let mut v = vec![Op::Delete; ma.len()];
        v.extend(vec![Op::Insert; mb.len()]);
        v
    }));
    ops.extend(vec![Op::Equal; suffix]);

    // Deletions first within each run of changes, then number the lines.
    let mut i = 0;
    while i < ops.len() {
        if ops[i] == Op::Equal {
            i += 1;
            continue;
        }
        let end = ops[i..]
            .iter()
            .position(|o| *o == Op::Equal)
            .map_or(ops.len(), |p| i + p);
        stageplay::sort::sort_by_key(&mut ops[i..end], |o| *o == Op::Insert);
        i = end;
    }
    let (mut x, mut y) = (0, 0);
    ops.into_iter()
        .map(|op| {
            let line = match op {
                Op::Equal => Line {
                    op,
                    old: Some(x + 1),
                    new: Some(y + 1),
                    text: a.get(x).copied().unwrap_or(""),
                },
                Op::Delete => Line {
                    op,
                    old: Some(x + 1),
                    new: None,
                    text: a.get(x).copied().unwrap_or(""),
                },
                Op::Insert => Line {
                    op,
                    old: None,
                    new: Some(y + 1),
                    text: b.get(y).copied().unwrap_or(""),
                },
            };
            if op != Op::Insert {
                x += 1;
            }
            if op != Op::Delete {
                y += 1;
            }
            line
        })
        .collect()
}

/// Myers' greedy forward search with a trace for the backtrack; `None` past the distance cap.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (n + m) as usize;
    let offset = max as isize;
    let mut v = vec![0isize; 2 * max + 2];
    // trace[d][k + d] is the furthest x on diagonal k after d edits.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    for d in 0..=max.min(MAX_EDIT_DISTANCE) as isize {
        let mut k = -d;
        while k <= d {
            let at = |k: isize| (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)]
            } else {
                v[at(k - 1)] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            k += 2;
        }
        trace.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
        if v[(n - m + offset) as usize] >= n && (n - m).abs() <= d {
            found = Some(d);
            break;
        }
    }
    let depth = found?;
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=depth).rev() {
        let prev = &trace[(d - 1) as usize];
        let get = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal);
            x -= 1;
            y -= 1;
        }
        ops.push(if prev_k == k + 1 {
            Op::Insert
        } else {
            Op::Delete
        });
        x = prev_x;
        y = prev_y;
    }
    ops.extend(std::iter::repeat_n(Op::Equal, x as usize));
    ops.reverse();
    Some(ops)
}

/// Groups a diff into hunks with `context` unchanged lines around each change (`usize::MAX`
/// keeps the whole file in one hunk). No change, no hunk.
pub fn hunks<'a>(diff: &[Line<'a>], context: usize) -> Vec<Hunk<'a>> {
    let changed: Vec<usize> = (0..diff.len())
        .filter(|&i| diff[i].op != Op::Equal)
        .collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(context);
        let end = i.saturating_add(context).saturating_add(1).min(diff.len());
        match ranges.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => ranges.push((start, end)),
        }
    }
    ranges
        .into_iter()
        .map(|(start, end)| {
            let lines = diff[start..end].to_vec();
            // Lines of each side before the hunk: where a side with no line in it starts.
            let old_before = diff[..start].iter().filter(|l| l.op != Op::Insert).count();
            let new_before = diff[..start].iter().filter(|l| l.op != Op::Delete).count();
            let old_len = lines.iter().filter(|l| l.op != Op::Insert).count();
            let new_len = lines.iter().filter(|l| l.op != Op::Delete).count();
            Hunk {
                old_start: if old_len == 0 {
                    old_before
                } else {
                    old_before + 1
                },
                old_len,
                new_start: if new_len == 0 {
                    new_before
                } else {
                    new_before + 1
                },
                new_len,
                lines,
            }
        })
        .collect()
}

/// Pairs a hunk's lines for a side-by-side view: unchanged lines face themselves, deletions
/// face the insertions of the same run.
pub fn side_by_side<'a>(hunk: &Hunk<'a>) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    let lines = &hunk.lines;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].op == Op::Equal {
            rows.push(Row {
                left: Some(lines[i]),
                right: Some(lines[i]),
            });
            i += 1;
            continue;
        }
        let end = lines[i..]
            .iter()
            .position(|l| l.op == Op::Equal)
            .map_or(lines.len(), |p| i + p);
        let dels: Vec<Line> = lines[i..end]
            .iter()
            .filter(|l| l.op == Op::Delete)
            .copied()
            .collect();
        let ins: Vec<Line> = lines[i..end]
            .iter()
            .filter(|l| l.op == Op::Insert)
            .copied()
            .collect();
        for j in 0..dels.len().max(ins.len()) {
            rows.push(Row {
                left: dels.get(j).copied(),
                right: ins.get(j).copied(),
            });
        }
        i = end;
    }
    rows
}

/// Lines added and removed.
pub fn stats(diff: &[Line]) -> (usize, usize) {
    let added = diff.iter().filter(|l| l.op == Op::Insert).count();
    let removed = diff.iter().filter(|l| l.op == Op::Delete).count();
    (added, removed)
}

/// The diff as unified-diff text (headers and `+`/`-`/` ` lines), as `diff -u` prints it.
pub fn unified(old: &str, new: &str, context: usize) -> String {
    let mut out = String::new();
    for hunk in hunks(&diff_lines(old, new), context) {
        out.push_str(&hunk.header());
        out.push('\n');
        for line in &hunk.lines {
            out.push(match line.op {
                Op::Equal => ' ',
                Op::Delete => '-',
                Op::Insert => '+',
            });
            out.push_str(line.text);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies a diff's script to the old lines: it must give the new ones.
    fn replay(old: &str, new: &str) {
        let diff = diff_lines(old, new);
        let kept_old: Vec<&str> = diff
            .iter()
            .filter(|l| l.op != Op::Insert)
            .map(|l| l.text)
            .collect();
        let kept_new: Vec<&str> = diff
            .iter()
            .filter(|l| l.op != Op::Delete)
            .map(|l| l.text)
            .collect();
        assert_eq!(kept_old, lines(old), "old side of {old:?} → {new:?}");
        assert_eq!(kept_new, lines(new), "new side of {old:?} → {new:?}");
    }

    #[test]
    fn unified_output_matches_diff_u() {
        // `diff -u` of these two texts prints exactly this hunk (checked with GNU diffutils).
        let old = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n";
        let new = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
        assert_eq!(
            unified(old, new, 3),
            "@@ -1,5 +1,6 @@\n FROM python:3.12\n WORKDIR /app\n-COPY . .\n+COPY requirements.txt .\n RUN pip install -r requirements.txt\n+COPY . .\n CMD [\"python\", \"app.py\"]\n"
        );
    }

    #[test]
    fn distant_changes_make_separate_hunks_with_numbered_headers() {
        let old: String = (1..=20).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l2\n", "two\n").replace("l18\n", "");
        let h = hunks(&diff_lines(&old, &new), 3);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].header(), "@@ -1,5 +1,5 @@");
        assert_eq!(h[1].header(), "@@ -15,6 +15,5 @@");
    }

    #[test]
    fn pure_insertions_and_deletions_at_the_edges() {
        assert_eq!(unified("", "a\nb\n", 3), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(unified("a\nb\n", "", 3), "@@ -1,2 +0,0 @@\n-a\n-b\n");
        assert_eq!(unified("same\n", "same\n", 3), "");
        assert_eq!(
            unified("a", "a\n", 3),
            "",
            "a missing final newline is no change"
        );
    }

    #[test]
    fn the_script_replays_to_both_sides_and_is_minimal() {
        let cases = [
            ("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n"),
            ("x\ny\nz\n", "z\ny\nx\n"),
            ("1\n2\n3\n4\n5\n", "1\n3\n5\n6\n"),
            ("", ""),
            ("only\n", "other\n"),
        ];
        for (old, new) in cases {
            replay(old, new);
        }
        // Myers' paper: ABCABBA → CBABAC has edit distance 5.
        let (added, removed) = stats(&diff_lines("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n"));
        assert_eq!(added + removed, 5);
    }

    #[test]
    fn large_inputs_past_the_cap_still_give_a_correct_diff() {
        let old: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("b{i}\n")).collect();
        replay(&old, &new);
        assert_eq!(stats(&diff_lines(&old, &new)), (3000, 3000));
    }

    #[test]
    fn side_by_side_pairs_deletions_with_insertions() {
        let diff = diff_lines("keep\nold1\nold2\nend\n", "keep\nnew1\nend\n");
        let h = hunks(&diff, 3);
        let rows = side_by_side(&h[0]);
        let texts: Vec<(Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.left.map(|l| l.text), r.right.map(|l| l.text)))
            .collect();
        assert_eq!(
            texts,
            [
                (Some("keep"), Some("keep")),
                (Some("old1"), Some("new1")),
                (Some("old2"), None),
                (Some("end"), Some("end")),
            ]
        );
        assert_eq!(rows[1].left.and_then(|l| l.old), Some(2));
        assert_eq!(rows[1].right.and_then(|l| l.new), Some(2));
    }

    #[test]
    fn whole_file_context_keeps_one_hunk() {
        let old: String = (1..=30).map(|i| format!("l{i}\n")).collect();
        let new = old.replace("l3\n", "x\n").replace("l28\n", "y\n");
        let h = hunks(&diff_lines(&old, &new), usize::MAX);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].lines.len(), 32);
    }
}
