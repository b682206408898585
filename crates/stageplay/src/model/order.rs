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

/// For each stage, the stages it reads from, sorted and without repeats. A reference that would
/// close a cycle is left out and reported as `stage/circular-reference`.
fn acyclic_deps(model: &mut Model) -> Vec<Vec<usize>> {
    let n = model.stages.len();
    let mut deps: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, edge) in model.edges.iter().enumerate() {
        if let EdgeSource::Stage(s) = edge.from {
            if s < n && edge.to < n && s != edge.to && !deps[edge.to].iter().any(|(d, _)| *d == s) {
                deps[edge.to].push((s, e));
            }
        }
    }
    // Iterative DFS in stage order; an edge to a stage still on the stack closes a cycle.
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut cyclic: Vec<(usize, usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != NEW {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = OPEN;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(dep, edge)) = deps[node].get(*next) {
                *next += 1;
                match state[dep] {
                    NEW => {
                        state[dep] = OPEN;
                        stack.push((dep, 0));
                    }
                    OPEN => cyclic.push((node, dep, edge)),
                    _ => {}
                }
            } else {
                state[node] = DONE;
                stack.pop();
            }
        }
    }
    for &(node, dep, edge) in &cyclic {
        deps[node].retain(|(d, _)| *d != dep);
        let span = model.edges.get(edge).map_or(Span::default(), |e| e.span);
        model.diagnostics.push(
            Diagnostic::error(
                "stage/circular-reference",
                span,
                format!(
                    "stage {node} and stage {dep} depend on each other, so neither can be built"
                ),
            )
            .with_help("BuildKit stops with \"circular dependency detected\""),
        );
    }
    deps.into_iter()
        .map(|d| {
            let mut v: Vec<usize> = d.into_iter().map(|(s, _)| s).collect();
            v.sort_unstable();
            v
        })
        .collect()
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
