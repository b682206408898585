//! Node package managers: `npm`, `yarn` and `pnpm` installs, `node_modules` sizes and dev
//! dependency pruning.

use super::Ctx;
use crate::estimate::kb::kb;
use crate::estimate::size::Size;
use crate::estimate::state::{is_at_or_below, Entry, Kind, State};
use crate::syntax::shell::has_flag;

pub(super) fn npm(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("install");
    // A bare `yarn` (or `yarn --frozen-lockfile`) installs; `yarn --version` never gets here
    // (`apply` skips version and help requests).
    let install = matches!(sub, "ci" | "install" | "i" | "add")
        || (prog == "yarn" && (args.is_empty() || sub.starts_with('-')));
    if sub == "run" || sub == "build" || sub == "exec" {
        if args.get(1).is_some_and(|s| s.contains("build")) || sub == "build" {
            let out = st.abs("dist");
            cx.add(
                st,
                &out,
                Size::mb(5.0, 0.2, 100.0),
                format!("{prog} run build output (size depends on the app)"),
                Kind::BuildOutput("node".into()),
            );
            cx.reasons
                .push(format!("{prog} build output: size depends on the app"));
        }
        return;
    }
    if sub == "cache" {
        st.remove("/root/.npm");
        st.remove("/usr/local/share/.cache/yarn");
        return;
    }
    if sub == "prune" {
        prune_dev_dependencies(prog, args, st, cx);
        return;
    }
    if !install {
        cx.unknown.push(format!("{prog} {}", args.join(" ")));
        return;
    }
    let omit_dev = has_flag(
        args,
        &["--omit=dev", "--production", "--only=production", "--prod"],
    ) || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || st.var("NODE_ENV").is_some_and(|v| v == "production");
    let global = has_flag(args, &["-g", "--global"]);
    let explicit: Vec<String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let dest = if global {
        "/usr/local/lib/node_modules".to_string()
    } else {
        st.abs("node_modules")
    };
    let kb = kb();
    let mut total = Size::ZERO;
    let mut names: Vec<(String, bool)> = Vec::new();
    if !explicit.is_empty() {
        names = explicit.iter().map(|n| (n.clone(), false)).collect();
    } else if let Some(f) = cx
        .opts
        .context_files
        .iter()
        .find(|f| f.path.ends_with("package.json"))
    {
        names = package_json_deps(&f.content, !omit_dev);
    }
    if names.is_empty() && explicit.is_empty() {
        let s = if omit_dev {
            Size::mb(120.0, 5.0, 800.0)
        } else {
            Size::mb(250.0, 10.0, 1500.0)
        };
        total += s;
        cx.add(
            st,
            &dest,
            s,
            format!(
                "{prog} {sub}: dependencies from package.json{} (not given: wide range)",
                if omit_dev {
                    " (production only)"
                } else {
                    DEV_INCLUDED
                }
            ),
            Kind::Node("deps".into()),
        );
    } else {
        for (name, dev) in &names {
            let bare = name
                .rsplit_once('@')
                .filter(|(n, _)| !n.is_empty())
                .map(|(n, _)| n)
                .unwrap_or(name);
            let size = match kb.npm.get(bare) {
                Some(p) => Size::rel(p.node_modules_bytes, 0.2, 0.3),
                None => Size::mb(3.0, 0.05, 60.0),
            };
            total += size;
            let what = format!(
                "{bare}{} ({})",
                if *dev { " [dev]" } else { "" },
                if kb.npm.contains_key(bare) {
                    "measured"
                } else {
                    "not measured: typical range"
                }
            );
            cx.add(
                st,
                &format!("{dest}/{bare}"),
                size,
                what,
                Kind::Node(bare.to_string()),
            );
        }
    }
    // pnpm hard-links the files of its store into node_modules: in the layer they are stored
    // once, so the store adds no second copy (and on a cache mount, pnpm copies the same files).
    let (cache, clean) = match prog {
        "yarn" => (
            "/usr/local/share/.cache/yarn",
            "`yarn cache clean` in the same RUN or a cache mount",
        ),
        "pnpm" => ("/root/.local/share/pnpm/store", ""),
        _ => (
            "/root/.npm",
            "`npm cache clean --force` in the same RUN or a cache mount",
        ),
    };
    let mounted = st.is_cache_mounted(cache, cx.line);
    if !mounted && prog != "pnpm" {
        // Tarballs are ~1/3.6 of node_modules (../groundtruth/npm.tsv).
        cx.add(
            st,
            cache,
            total.scale(1.0 / 3.6),
            format!("{prog} cache"),
            Kind::Cache(prog.into()),
        );
    }
    let cache_note = if prog == "pnpm" {
        "; pnpm store hard-linked into node_modules: one copy in the layer".to_string()
    } else if mounted {
        "; cache on a cache mount".to_string()
    } else {
        format!("; cache kept: {clean}")
    };
    cx.reasons.push(format!(
        "{prog} {sub} → {dest}{}{cache_note}",
        if omit_dev {
            " (production only)"
        } else {
            " (dev dependencies included: use --omit=dev)"
        },
    ));
}

/// Marks a node_modules estimate that includes development dependencies.
const DEV_INCLUDED: &str = " (dev dependencies included)";

/// `npm prune --omit=dev`, `pnpm prune --prod`, `yarn … --production`: development
/// dependencies leave node_modules. Measured packages marked `[dev]` are removed; a
/// node_modules estimated as a whole shrinks to the production-only estimate (120 of 250 MB).
fn prune_dev_dependencies(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let omit_dev = has_flag(args, &["--omit=dev", "--production", "--prod"])
        || args.windows(2).any(|w| w[0] == "--omit" && w[1] == "dev")
        || st.var("NODE_ENV").is_some_and(|v| v == "production");
    if !omit_dev {
        cx.unknown.push(format!("{prog} {}", args.join(" ")));
        return;
    }
    let dest = st.abs("node_modules");
    let in_modules = |e: &Entry| matches!(e.kind, Kind::Node(_)) && is_at_or_below(&e.path, &dest);
    let (freed_dev, wasted_dev) =
        st.remove_where(&|e| in_modules(e) && e.what.contains(" [dev] ("));
    let (freed_all, wasted_all) = st
        .shrink_where(&|e| in_modules(e) && e.what.contains(DEV_INCLUDED), &|s| {
            Size::new(s.bytes * 120 / 250, s.low / 2, s.high * 800 / 1500)
        });
    for e in st.entries.iter_mut().filter(|e| in_modules(e)) {
        if let Some(i) = e.what.find(DEV_INCLUDED) {
            e.what
                .replace_range(i..i + DEV_INCLUDED.len(), " (pruned to production)");
        }
    }
    let (freed, wasted) = (freed_dev + freed_all, wasted_dev + wasted_all);
    cx.reasons.push(if !wasted.is_zero() {
        format!(
            "{prog} prune: development dependencies removed from {dest}; {} stays in an earlier layer (wasted)",
            crate::estimate::size::human(wasted.bytes)
        )
    } else {
        format!(
            "{prog} prune: development dependencies removed from {dest} ({} not in the layer)",
            crate::estimate::size::human(freed.bytes)
        )
    });
}

fn package_json_deps(text: &str, dev: bool) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (section, is_dev) in [("\"dependencies\"", false), ("\"devDependencies\"", true)] {
        if is_dev && !dev {
            continue;
        }
        let Some(start) = text.find(section) else {
            continue;
        };
        let rest = &text[start + section.len()..];
        let Some(open) = rest.find('{') else { continue };
        let Some(close) = rest[open..].find('}') else {
            continue;
        };
        let body = &rest[open + 1..open + close];
        for pair in body.split(',') {
            if let Some(name) = pair.split(':').next().map(|n| n.trim().trim_matches('"')) {
                if !name.is_empty() {
                    out.push((name.to_string(), is_dev));
                }
            }
        }
    }
    out
}
