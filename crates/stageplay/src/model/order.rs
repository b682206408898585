//! Build order: the target, the stages it needs, build levels and the critical path.
//!
//! BuildKit builds a stage once every stage it reads from (FROM, COPY --from, RUN --mount from=)
//! is built; independent stages build in parallel. A level here is the set of stages whose
//! longest chain of dependencies has the same length.

use super::{EdgeSource, Model, ModelOptions};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub(crate) fn resolve_target(model: &mut Model, opts: &ModelOptions) {
    let n = model.stages.len();
    model.deps = acyclic_deps(model);
    let depth = depths(&model.deps);
    for (stage, d) in model.stages.iter_mut().zip(&depth) {
        stage.level = Some(*d);
    }
    if n == 0 {
        return;
    }
    let target = match opts.target.as_deref().filter(|t| !t.is_empty()) {
        None => n - 1,
        Some(name) => match model.stages.iter().rev().find(|s| s.matches_name(name)) {
            Some(s) => s.index,
            None => {
                let names: Vec<String> =
                    model.stages.iter().filter_map(|s| s.name.clone()).collect();
                let help = if names.is_empty() {
                    "no stage has a name; add `AS name` to a FROM line".to_string()
                } else {
                    format!("the named stages are: {}", names.join(", "))
                };
                model.diagnostics.push(
                    Diagnostic::error(
                        "stage/unknown-target",
                        Span::default(),
                        format!("target stage '{name}' could not be found; showing the last stage instead"),
                    )
                    .with_help(help),
                );
                n - 1
            }
        },
    };
    model.target = Some(target);

    let mut needed = vec![false; n];
    let mut stack = vec![target];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut needed[s], true) {
            continue;
        }
        stack.extend(model.deps[s].iter().copied().filter(|d| !needed[*d]));
    }
    for (stage, need) in model.stages.iter_mut().zip(&needed) {
        stage.needed = *need;
    }

    let max_depth = (0..n)
        .filter(|s| needed[*s])
        .map(|s| depth[s])
        .max()
        .unwrap_or(0);
    let mut levels = vec![Vec::new(); max_depth + 1];
    for s in (0..n).filter(|s| needed[*s]) {
        levels[depth[s]].push(s);
    }
    levels.retain(|l| !l.is_empty());
    model.levels = levels;

    let mut path = vec![target];
    let mut cur = target;
    while let Some(&next) = model.deps[cur]
        .iter()
        .max_by_key(|d| (depth[**d], std::cmp::Reverse(**d)))
    {
        path.push(next);
        cur = next;
    }
    path.reverse();
    model.critical_path = path;
}

/// For each stage, the stages it reads from, sorted and without repeats. References to earlier
/// stages never form a cycle; a reference to a later stage that would close one is left out and
/// reported as `stage/circular-reference` (with every instruction making that reference).
fn acyclic_deps(model: &mut Model) -> Vec<Vec<usize>> {
    let n = model.stages.len();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut forward: Vec<(usize, usize)> = Vec::new();
    let mut forward_seen: std::collections::HashSet<(usize, usize)> = Default::default();
    for edge in &model.edges {
        if let EdgeSource::Stage(s) = edge.from {
            if s >= n || edge.to >= n || s == edge.to || deps[edge.to].contains(&s) {
                continue;
            }
            if s < edge.to {
                deps[edge.to].push(s);
            } else if forward_seen.insert((s, edge.to)) {
                forward.push((s, edge.to));
            }
        }
    }
    for (s, to) in forward {
        if depends_on(&deps, s, to) {
            let spans: Vec<Span> = model
                .edges
                .iter()
                .filter(|e| e.to == to && e.from == EdgeSource::Stage(s))
                .map(|e| e.span)
                .collect();
            let mut d = Diagnostic::error(
                "stage/circular-reference",
                spans.first().copied().unwrap_or_default(),
                format!("stage {to} reads from stage {s}, which already depends on stage {to}: neither can be built"),
            )
            .with_help("BuildKit stops with \"circular dependency detected\"");
            for span in spans.iter().skip(1) {
                d = d.with_label(*span, "also reads from that stage");
            }
            model.diagnostics.push(d);
        } else if !deps[to].contains(&s) {
            deps[to].push(s);
        }
    }
    for d in &mut deps {
        crate::sort::sort(d);
    }
    deps
}

/// True when `from` reads, directly or through other stages, from `on`.
fn depends_on(deps: &[Vec<usize>], from: usize, on: usize) -> bool {
    let mut seen = vec![false; deps.len()];
    let mut stack = vec![from];
    while let Some(s) = stack.pop() {
        if s == on {
            return true;
        }
        if std::mem::replace(&mut seen[s], true) {
            continue;
        }
        stack.extend(deps[s].iter().copied().filter(|d| !seen[*d]));
    }
    false
}

/// The length of the longest dependency chain below each stage (0 for a stage that reads from
/// no other stage). `deps` must be acyclic.
fn depths(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut depth: Vec<Option<usize>> = vec![None; n];
    let mut opened = vec![false; n];
    for root in 0..n {
        let mut stack = vec![root];
        while let Some(&node) = stack.last() {
            if depth[node].is_some() {
                stack.pop();
                continue;
            }
            let pending: Vec<usize> = deps[node]
                .iter()
                .copied()
                .filter(|d| depth[*d].is_none())
                .collect();
            // A node seen again with work still pending sits on a cycle; the computed deps decide.
            if pending.is_empty() || opened[node] {
                let d = deps[node]
                    .iter()
                    .filter_map(|d| depth[*d])
                    .map(|d| d + 1)
                    .max()
                    .unwrap_or(0);
                depth[node] = Some(d);
                stack.pop();
            } else {
                opened[node] = true;
                stack.extend(pending);
            }
        }
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}
