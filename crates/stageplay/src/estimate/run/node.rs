//! Node package managers: `npm`, `yarn` and `pnpm` installs, `node_modules` sizes and dev
//! dependency pruning.

use super::Ctx;
use crate::estimate::context::{self, deps};
use crate::estimate::kb::{self, kb};
use crate::estimate::size::Size;
use crate::estimate::state::{is_at_or_below, Entry, Kind, State};
use crate::syntax::shell::{has_flag, operand_texts, value_options};

pub(super) fn npm(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    // The sub-command and its operands (`npm --prefix /app install x`: `/app` is the option's).
    let operands = operand_texts(args, value_options(prog));
    let sub = operands.first().copied().unwrap_or("install");
    // A bare `yarn` (or `yarn --frozen-lockfile`) installs; `yarn --version` never gets here
    // (`apply` skips version and help requests).
    let install =
        matches!(sub, "ci" | "install" | "i" | "add") || (prog == "yarn" && operands.is_empty());
    if sub == "run" || sub == "build" || sub == "exec" {
        if operands.get(1).is_some_and(|s| s.contains("build")) || sub == "build" {
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
    let explicit: Vec<String> = operands.iter().skip(1).map(|a| a.to_string()).collect();
    let dest = if global {
        "/usr/local/lib/node_modules".to_string()
    } else {
        st.abs("node_modules")
    };
    let (total, how) = if !explicit.is_empty() {
        let specs: Vec<(String, String)> = explicit.iter().map(|n| package_spec(n)).collect();
        let names: Vec<String> = specs.iter().map(|(n, _)| n.clone()).collect();
        let total = install_closure(&specs, &dest, prog, st, cx, false);
        if global {
            // A global package's commands are linked into /usr/local/bin (zero-size entries:
            // the runtime check reads them).
            for bare in &names {
                cx.add(
                    st,
                    &format!(
                        "/usr/local/bin/{} {}",
                        super::python::SCRIPTS_MARK,
                        bare.rsplit('/').next().unwrap_or(bare)
                    ),
                    Size::ZERO,
                    format!("npm: the commands of {bare}"),
                    Kind::Node(bare.to_string()),
                );
            }
        }
        (total, format!("{} and dependencies", names.join(" ")))
    } else if let Some((lock, pkgs)) = lock_packages(prog, cx) {
        let pkgs: Vec<deps::Dependency> =
            pkgs.into_iter().filter(|d| !(omit_dev && d.dev)).collect();
        let mut total = install_locked(&pkgs, &dest, prog, st, cx);
        // npm writes its own copy of the lock into node_modules.
        if prog == "npm" && lock.path.ends_with("package-lock.json") {
            let s = Size::exact(lock.content.len() as u64);
            total += s;
            cx.add(
                st,
                &format!("{dest}/.package-lock.json"),
                s,
                "npm's copy of the lock file (its size)".into(),
                Kind::Node("lock".into()),
            );
        }
        (
            total,
            format!("the {} packages {} locks", pkgs.len(), lock.path),
        )
    } else if let Some(deps) =
        context::find_file(cx.opts, "package.json").and_then(|f| deps::package_json(&f.content))
    {
        let (dev, prod): (Vec<_>, Vec<_>) = deps
            .into_iter()
            .filter(|d| !(omit_dev && d.dev))
            .partition(|d| d.dev);
        let prod: Vec<(String, String)> = prod.into_iter().map(|d| (d.name, d.version)).collect();
        let dev: Vec<(String, String)> = dev.into_iter().map(|d| (d.name, d.version)).collect();
        let mut total = install_closure(&prod, &dest, prog, st, cx, false);
        total += install_closure(&dev, &dest, prog, st, cx, true);
        let names: Vec<String> = prod.into_iter().chain(dev).map(|(n, _)| n).collect();
        (
            total,
            format!(
                "package.json's {} dependencies and theirs (no lock file given)",
                names.len()
            ),
        )
    } else {
        let s = if omit_dev {
            Size::mb(120.0, 5.0, 800.0)
        } else {
            Size::mb(250.0, 10.0, 1500.0)
        };
        cx.add(
            st,
            &dest,
            s,
            format!(
                "{prog} {sub}: dependencies from package.json{} (not given: fallback range)",
                if omit_dev {
                    " (production only)"
                } else {
                    DEV_INCLUDED
                }
            ),
            Kind::Node("deps".into()),
        );
        (s, "package.json not given: fallback range".into())
    };
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
        // Tarballs are ~1/3.6 of node_modules (the median of groundtruth/npm.tsv): a ratio,
        // not a measurement of these packages.
        cx.add(
            st,
            cache,
            total.scale(1.0 / 3.6),
            format!("{prog} cache (fallback ratio: node_modules / 3.6)"),
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
        "{prog} {sub} → {dest}: {how}{}{cache_note}",
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

/// `express@5`, `@types/node@22`, `pnpm` → (`express`, `5`), (`@types/node`, `22`), (`pnpm`, ``).
fn package_spec(spec: &str) -> (String, String) {
    match spec.rfind('@').filter(|&i| i > 0) {
        Some(i) => (spec[..i].to_string(), spec[i + 1..].to_string()),
        None => (spec.to_string(), String::new()),
    }
}

/// Measured bytes with their range: ±15% within the measured release series, ×0.5–×2 when
/// the version asked for is of another one (`pnpm@9` against a measured 12.26.0).
fn measured_size(bytes: u64, other_series: bool) -> Size {
    if other_series {
        Size::rel(bytes, kb::OTHER_SERIES_DOWN, kb::OTHER_SERIES_UP)
    } else {
        Size::rel(bytes, MEASURED_MARGIN, MEASURED_MARGIN)
    }
}

/// A package the npm table has not measured: a fallback (the median measured package is a
/// few hundred kB; a few are tens of MB).
fn unmeasured() -> Size {
    Size::mb(0.3, 0.005, 20.0)
}

/// The margin on measured packages: another version than the one measured.
const MEASURED_MARGIN: f64 = 0.15;

/// `names` and their dependencies from the npm table (`data/npm/sizes.tsv`), each package once
/// as npm hoists it: one entry per name with what it adds.
/// A package asked for at another release series than the one measured gets a wide range
/// (with the dependencies it brings: those are the measured version's).
fn install_closure(
    pkgs: &[(String, String)],
    dest: &str,
    prog: &str,
    st: &mut State,
    cx: &mut Ctx,
    dev: bool,
) -> Size {
    if pkgs.is_empty() {
        return Size::ZERO;
    }
    let kb = kb();
    let dev_mark = if dev { " [dev]" } else { "" };
    let mut total = Size::ZERO;
    let mut before: Vec<&str> = Vec::new();
    let (mut measured, mut guessed, mut other) = (Vec::new(), Vec::new(), Vec::new());
    for (name, version) in pkgs {
        let (prev, prev_n, _) = kb.npm_closure(&before);
        before.push(name);
        let (now, now_n, missing) = kb.npm_closure(&before);
        let bytes = now.saturating_sub(prev);
        let size = if missing.contains(name) {
            guessed.push(name.clone());
            unmeasured()
        } else {
            measured.push(name.clone());
            let at = kb
                .npm_measured()
                .get(name)
                .map_or("", |p| p.version.as_str());
            let another = kb::other_series(version, at);
            if another {
                other.push(format!("{name}@{version} (measured {at})"));
            }
            measured_size(bytes, another)
        };
        total += size;
        cx.add(
            st,
            &format!("{dest}/{name}"),
            size,
            if missing.contains(name) {
                format!("{name}{dev_mark} ({prog}; not measured: fallback size)")
            } else {
                format!(
                    "{name} and {} more package{}{dev_mark} ({prog}; measured)",
                    (now_n - prev_n).saturating_sub(1),
                    if now_n - prev_n == 2 { "" } else { "s" }
                )
            },
            Kind::Node(name.clone()),
        );
    }
    cx.reasons.push(format!(
        "{prog}: {}{}{}",
        if measured.is_empty() {
            String::new()
        } else {
            format!(
                "measured (data/npm/sizes.tsv, ±15% for other versions): {}",
                measured.join(" ")
            )
        },
        if guessed.is_empty() {
            String::new()
        } else {
            format!("; not measured (fallback): {}", guessed.join(" "))
        },
        other_series_note(&other)
    ));
    total
}

/// The reason's note on packages asked for at another release series than the one measured.
fn other_series_note(other: &[String]) -> String {
    kb::other_series_note(other).map_or(String::new(), |n| format!("; {n}"))
}

/// The packages a lock file pins, each copy it installs sized from the npm table (a package
/// installed twice at different versions counts twice).
fn install_locked(
    pkgs: &[deps::Dependency],
    dest: &str,
    prog: &str,
    st: &mut State,
    cx: &mut Ctx,
) -> Size {
    let kb = kb();
    let mut guessed = Vec::new();
    let mut other = Vec::new();
    // Measured bytes (within the measured release series, and of another one) and fallbacks,
    // production and dev apart.
    let mut fallback = Size::ZERO;
    let mut dev_fallback = Size::ZERO;
    let (mut bytes, mut dev_bytes) = ([0u64; 2], [0u64; 2]);
    for d in pkgs {
        match kb.npm_measured().get(&d.name) {
            Some(p) => {
                let another = kb::other_series(&d.version, &p.version);
                if another {
                    other.push(format!("{}@{} (measured {})", d.name, d.version, p.version));
                }
                let sum = if d.dev { &mut dev_bytes } else { &mut bytes };
                sum[usize::from(another)] += p.bytes;
            }
            None => {
                guessed.push(d.name.clone());
                if d.dev {
                    dev_fallback += unmeasured();
                } else {
                    fallback += unmeasured();
                }
            }
        }
    }
    let mut total = Size::ZERO;
    for (b, f, dev) in [(bytes, fallback, false), (dev_bytes, dev_fallback, true)] {
        if b == [0, 0] && f.is_zero() {
            continue;
        }
        let size = measured_size(b[0], false) + measured_size(b[1], true) + f;
        total += size;
        let path = if dev {
            format!("{dest}/[dev dependencies]")
        } else {
            format!("{dest}/[dependencies]")
        };
        cx.add(
            st,
            &path,
            size,
            format!(
                "locked packages{} ({prog}; measured{})",
                if dev { " [dev]" } else { "" },
                if f.is_zero() { "" } else { ", some fallback" }
            ),
            Kind::Node(if dev { "dev".into() } else { "deps".into() }),
        );
    }
    cx.reasons.push(format!(
        "{prog}: {} locked packages sized from data/npm/sizes.tsv (±15% for other versions){}{}",
        pkgs.len(),
        if guessed.is_empty() {
            String::new()
        } else {
            format!(
                "; {} not measured (fallback 300 kB each): {}",
                guessed.len(),
                guessed
                    .iter()
                    .take(8)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        },
        other_series_note(&other)
    ));
    total
}

/// The lock file the package manager reads, when the context has it, and its packages.
fn lock_packages<'a>(
    prog: &str,
    cx: &Ctx<'a>,
) -> Option<(&'a crate::estimate::ContextFile, Vec<deps::Dependency>)> {
    let order: &[&str] = match prog {
        "pnpm" => &["pnpm-lock.yaml", "package-lock.json", "yarn.lock"],
        "yarn" => &["yarn.lock", "package-lock.json", "pnpm-lock.yaml"],
        _ => &["package-lock.json", "pnpm-lock.yaml", "yarn.lock"],
    };
    order.iter().find_map(|name| {
        let f = context::find_file(cx.opts, name)?;
        let pkgs = if name.ends_with(".json") {
            deps::package_lock(&f.content)?
        } else if name.starts_with("pnpm") {
            deps::pnpm_lock(&f.content)
        } else {
            deps::yarn_lock(&f.content)
        };
        (!pkgs.is_empty()).then_some((f, pkgs))
    })
}
