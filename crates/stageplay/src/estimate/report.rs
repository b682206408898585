//! The plain-text report the CLI prints and the snapshot tests compare: a dive-like layer table
//! with sizes and ranges, then the facts and warnings.

use super::size::human;
use super::{Alternative, Estimate};

fn range(bytes: u64, low: u64, high: u64) -> String {
    if low == high {
        human(bytes)
    } else {
        format!("{} ({}–{})", human(bytes), human(low), human(high))
    }
}

pub fn render(est: &Estimate) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "target {}: {}   wasted {}\n",
        est.target.as_deref().unwrap_or("-"),
        range(est.total_bytes, est.low_bytes, est.high_bytes),
        human(est.wasted_bytes)
    ));
    if let Some(b) = &est.base {
        out.push_str(&format!(
            "base {} → {} [{}]: {}\n",
            b.reference,
            b.resolved.as_deref().unwrap_or("unknown"),
            b.matched,
            b.source
        ));
        if let Some(why) = &b.why {
            out.push_str(&format!("  approximate: {why}\n"));
        }
        if let Some(history) = &b.history {
            out.push_str(&format!("  note: {history}\n"));
        }
    }
    if est.alpine_base {
        out.push_str(
            "note: Alpine package sizes are an approximation (no Alpine index here): wider ranges\n",
        );
    }
    out.push_str("\nlayers:\n");
    let max = est.layers.iter().map(|l| l.bytes).max().unwrap_or(1).max(1);
    for l in &est.layers {
        let bar_len = ((l.bytes as f64 / max as f64) * 20.0).round() as usize;
        out.push_str(&format!(
            "  {:<10} {:>4}  {:<20}  {:<28}  {}\n",
            l.stage_name,
            l.line,
            "#".repeat(bar_len.min(20)),
            range(l.bytes, l.low_bytes, l.high_bytes),
            l.instruction
        ));
        if !l.reason.is_empty() {
            out.push_str(&format!(
                "  {:<10} {:>4}  {:<20}  ↳ {}\n",
                "", "", "", l.reason
            ));
        }
    }
    out.push_str("\nlargest paths:\n");
    let mut stack: Vec<(&super::FileNode, usize)> = vec![(&est.files, 0)];
    let mut shown = 0;
    while let Some((node, depth)) = stack.pop() {
        if depth > 0 {
            out.push_str(&format!(
                "  {}{}  {}\n",
                "  ".repeat(depth - 1),
                node.path,
                range(node.bytes, node.low_bytes, node.high_bytes)
            ));
            shown += 1;
        }
        if depth < 3 && shown < 40 {
            // Zero-size entries (a package's commands, empty folders) are not among the largest.
            let sized: Vec<_> = node
                .children
                .iter()
                .filter(|c| c.high_bytes > 0)
                .take(4)
                .collect();
            for c in sized.into_iter().rev() {
                stack.push((c, depth + 1));
            }
        }
    }
    let f = &est.facts;
    out.push_str("\nfacts:\n");
    out.push_str(&format!("  user: {} ({})\n", f.user, f.user_source));
    out.push_str(&format!(
        "  shell: {}\n",
        f.shell.as_deref().unwrap_or("none")
    ));
    out.push_str(&format!(
        "  package manager: {}\n",
        f.package_manager.as_deref().unwrap_or("none")
    ));
    out.push_str(&format!(
        "  os/libc: {} / {}\n",
        f.os.as_deref().unwrap_or("?"),
        f.libc.as_deref().unwrap_or("?")
    ));
    out.push_str(&format!("  workdir: {}\n", f.workdir));
    out.push_str(&format!(
        "  entrypoint: {} ({})\n",
        f.entrypoint
            .as_ref()
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|| "none".into()),
        f.entrypoint_source.as_deref().unwrap_or("-")
    ));
    out.push_str(&format!(
        "  cmd: {} ({})\n",
        f.cmd
            .as_ref()
            .map(|v| format!("{v:?}"))
            .unwrap_or_else(|| "none".into()),
        f.cmd_source.as_deref().unwrap_or("-")
    ));
    out.push_str(&format!(
        "  exposed ports: {}\n",
        if f.exposed_ports.is_empty() {
            "none".into()
        } else {
            f.exposed_ports.join(" ")
        }
    ));
    out.push_str(&format!(
        "  healthcheck: {}\n",
        f.healthcheck.as_deref().unwrap_or("none")
    ));
    for c in &f.caches {
        out.push_str(&format!(
            "  cache: {} {} (stage {} line {})\n",
            c.path,
            if c.in_image {
                format!("{} in image", human(c.bytes))
            } else {
                "cache mount, not in image".into()
            },
            c.stage,
            c.line
        ));
    }
    for w in &f.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    if est.stages.len() > 1 {
        out.push_str("\nstages:\n");
        for s in &est.stages {
            out.push_str(&format!(
                "  {:<2} {:<14} {:<40} {}{}\n",
                s.index,
                s.name,
                s.base,
                range(s.total_bytes, s.low_bytes, s.high_bytes),
                if s.needed {
                    ""
                } else {
                    "  (not needed by target)"
                }
            ));
        }
    }
    if !est.notes.is_empty() {
        out.push_str("\nnotes:\n");
        for n in &est.notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}

pub fn render_alternatives(rows: &[Alternative]) -> String {
    let mut out = String::from("alternatives:\n");
    for r in rows {
        out.push_str(&format!(
            "  {:<20} {:<40} {:<28} {}{}\n",
            r.label,
            r.image,
            range(r.total_bytes, r.low_bytes, r.high_bytes),
            r.note,
            r.guide
                .map(|g| format!(" (founding guide: {g})"))
                .unwrap_or_default()
        ));
    }
    out
}
