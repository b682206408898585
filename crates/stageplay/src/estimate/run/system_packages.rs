//! OS package managers: `apt-get`/`apt` and `apk` installs, removals and their caches, from the
//! knowledge base's package sizes and dependency closures; which packages are build tools.

use super::{flag_value, Ctx};
use crate::estimate::kb::{kb, Suite};
use crate::estimate::size::{Size, KB};
use crate::estimate::state::{Entry, Kind, State};
use crate::syntax::shell::{has_flag, operand_texts, value_options};

/// Apt model fitted on ../groundtruth/apt.tsv (bookworm-slim; see the accuracy test), used for trixie too: slim
/// images drop docs, man pages and locales, so a package takes ~0.90 of its Installed-Size; Python packages compile `.pyc` at install
/// (~1.5×); every install writes ~0.9 MB of dpkg/debconf state plus ~5 kB per package.
const APT_FACTOR: f64 = 0.90;

const APT_PY_FACTOR: f64 = 1.5;

const APT_OVERHEAD: u64 = 900 * KB;

const APT_PER_PACKAGE: u64 = 5 * KB;

/// A bare `apt-get update` layer on bookworm-slim (lists kept lz4-compressed): measured 19.86 MB.
const APT_LISTS: u64 = 19_859_939;

/// Build tools by Debian/Alpine package name.
pub fn is_build_tool_package(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "make",
        "build-essential",
        "git",
        "cmake",
        "autoconf",
        "automake",
        "libtool",
        "pkg-config",
        "pkgconf",
        "golang-go",
        "rustc",
        "cargo",
        "build-base",
        "musl-dev",
        "linux-headers",
        "dpkg-dev",
        "bison",
        "flex",
        "ninja-build",
        "meson",
        "gfortran",
        "go",
        "rust",
        "maven",
        "gradle",
        "default-jdk",
        "default-jdk-headless",
    ];
    EXACT.contains(&name)
        || name.ends_with("-dev")
        || name.starts_with("gcc")
        || name.starts_with("g++")
        || name.starts_with("cpp-")
        || name == "cpp"
        || name.starts_with("clang")
        || name.starts_with("llvm")
        || name.starts_with("binutils")
        || (name.starts_with("openjdk-") && name.contains("-jdk"))
}

pub(super) fn apt(args: &[String], st: &mut State, cx: &mut Ctx) {
    // `apt-get -o Opt=x -t suite install a b`: the sub-command, then the packages.
    let operands = operand_texts(args, value_options("apt-get"));
    let sub = operands.first().copied().unwrap_or("");
    let base_alpine = st
        .base
        .as_ref()
        .and_then(|r| r.base)
        .is_some_and(|b| b.is_alpine());
    if base_alpine {
        cx.reasons
            .push("apt-get on an Alpine base: the build fails here".into());
        return;
    }
    if cx.no_package_manager {
        return;
    }
    let (suite, debian_base) = apt_suite(st);
    match sub {
        "update" => {
            if !st.entries.iter().any(|e| e.kind == Kind::AptLists) {
                cx.add(
                    st,
                    "/var/lib/apt/lists",
                    Size::new(APT_LISTS, APT_LISTS * 85 / 100, APT_LISTS * 115 / 100),
                    "apt lists (apt-get update; measured 19.9 MB on bookworm-slim)".into(),
                    Kind::AptLists,
                );
            }
        }
        "install" => {
            let recommends = !has_flag(args, &["--no-install-recommends"])
                && !args.iter().any(|a| {
                    a.contains("Install-Recommends=false") || a.contains("Install-Recommends=0")
                });
            let mut names: Vec<String> = operands
                .iter()
                .skip(1)
                .filter(|a| !a.contains('$'))
                .map(|a| {
                    a.split('=')
                        .next()
                        .unwrap_or(a)
                        .trim_end_matches(":amd64")
                        .to_string()
                })
                .filter(|a| !a.is_empty() && !a.contains('/'))
                .collect();
            if cx.runtime_only {
                names.retain(|n| !is_build_tool_package(n));
            }
            unresolved_packages(args, "apt", st, cx);
            if names.is_empty() {
                return;
            }
            // A versioned package the suite does not have (`postgresql-17` from the PGDG
            // repository, `python3.12`): the same package in the version it has.
            let mut substituted = Vec::new();
            // The version step's size change, applied to what the command installs: up when the
            // suite's version is older than the one named, down when it is newer.
            let mut step = (1.0, 1.0, 1.0);
            for n in names.iter_mut() {
                if let Some(sibling) = versioned_sibling(n, suite) {
                    substituted.push(format!("{sibling} for {n}"));
                    let (mid, low, high) = VERSION_STEP;
                    step = if version_of(&sibling) < version_of(n) {
                        (mid, low, high)
                    } else {
                        (1.0 / mid, 1.0 / high, 1.0 / low)
                    };
                    *n = sibling;
                }
            }
            let closure = cx
                .closures
                .deb_closure_in(suite, &names, recommends, &st.debs);
            let (new, missing) = (&closure.0, &closure.1);
            let index = kb().debian_index(suite);
            for name in new {
                let Some(pkg) = index.get(name) else {
                    continue;
                };
                let factor = if name.starts_with("python3") || name.starts_with("libpython3") {
                    APT_PY_FACTOR
                } else {
                    APT_FACTOR
                };
                if cx.runtime_only && is_build_tool_package(name) {
                    continue;
                }
                let bytes = pkg.installed_kib as f64 * 1024.0 * factor;
                let (mid, low, high) = step;
                let size = Size::new(
                    (bytes * mid) as u64,
                    (bytes * 0.85 * low) as u64,
                    (bytes * 1.15 * high) as u64,
                );
                let explicit = names.contains(name);
                let what = if explicit {
                    format!("{name} (apt)")
                } else {
                    format!("{name} (apt, dependency)")
                };
                cx.add(
                    st,
                    &format!("/usr/[deb] {name}"),
                    size,
                    what,
                    Kind::Deb(name.clone()),
                );
                std::sync::Arc::make_mut(&mut st.debs).insert(name.clone());
            }
            for name in missing {
                let size = Size::mb(10.0, 0.5, 100.0);
                cx.add(
                    st,
                    &format!("/usr/[deb] {name}"),
                    size,
                    format!(
                        "{name} (not in Stageplay's Debian {} package data: fallback size)",
                        suite.codename()
                    ),
                    Kind::Deb(name.clone()),
                );
            }
            let n = (new.len() + missing.len()) as u64;
            let overhead = APT_OVERHEAD + APT_PER_PACKAGE * n;
            let over = Size::new(overhead, overhead / 3, overhead + 600 * KB);
            cx.add(
                st,
                "/var/lib/dpkg",
                over,
                "dpkg status, debconf cache, logs".into(),
                Kind::DpkgState,
            );
            let lists_ok = st.entries.iter().any(|e| e.kind == Kind::AptLists);
            let mut reason = format!(
                "apt install {}: {} new package(s){} (Debian {} index, Installed-Size model ±15%)",
                names.join(" "),
                n,
                if recommends { " with Recommends" } else { "" },
                suite.codename()
            );
            if !missing.is_empty() {
                reason.push_str(&format!(
                    "; unknown: {} (fallback 10 MB each, 0.5–100 MB)",
                    missing.join(" ")
                ));
            }
            if !substituted.is_empty() {
                reason.push_str(&format!(
                    "; not in {}, sized as the version it has: {} (×{:.2}, range ×{:.2}–×{:.2}: how a Debian package's size changes between versions)",
                    suite.codename(),
                    substituted.join(", "),
                    step.0,
                    step.1,
                    step.2
                ));
            }
            if !lists_ok {
                reason.push_str("; no apt lists in this RUN: needs apt-get update first");
            }
            if recommends {
                reason.push_str("; add --no-install-recommends to skip Recommends");
            }
            if !debian_base {
                reason.push_str(&format!(
                    "; base is not known to be Debian: sized from Debian {}'s index, range widened",
                    suite.codename()
                ));
                let widened: Vec<usize> = (0..st.entries.len())
                    .filter(|&i| st.entries[i].layer == st.current)
                    .collect();
                for i in widened {
                    if let Some(e) = st.entries.get_mut(i) {
                        e.size =
                            Size::new(e.size.bytes, e.size.low / 2, e.size.high.saturating_mul(2));
                    }
                }
            }
            cx.reasons.push(reason);
        }
        "remove" | "purge" | "autoremove" => {
            let names: Vec<String> = operands.iter().skip(1).map(|a| a.to_string()).collect();
            let auto = sub == "autoremove" || has_flag(args, &["--auto-remove"]);
            // After `apt-mark auto '.*'` in this RUN, everything it installed is automatic
            // and goes, except the libraries a `… | xargs apt-mark manual` kept (shared-library
            // packages: `lib…`, not `-dev`).
            let current = st.current;
            let all_auto = auto && st.apt_all_auto == Some(current);
            let libs_kept = st.apt_linked_libs_kept == Some(current);
            let runtime_lib = |n: &str| {
                n.starts_with("lib")
                    && !n.ends_with("-dev")
                    && !n.ends_with("-bin")
                    && !is_build_tool_package(n)
            };
            let goes_explicitly = |e: &Entry, n: &String| {
                names.contains(n)
                    || (all_auto && e.layer == current && !(libs_kept && runtime_lib(n)))
            };
            // `--auto-remove` removes dependencies nothing left needs: the closure of the
            // packages that stay (Recommends kept unless RecommendsImportant=false).
            let needed: std::collections::BTreeSet<String> = if auto {
                let staying: Vec<String> = st
                    .entries
                    .iter()
                    .filter_map(|e| match &e.kind {
                        Kind::Deb(n)
                            if !e.what.contains("dependency") && !goes_explicitly(e, n) =>
                        {
                            Some(n.clone())
                        }
                        _ => None,
                    })
                    .collect();
                let recommends_kept = !args.iter().any(|a| {
                    a.contains("RecommendsImportant=false") || a.contains("RecommendsImportant=0")
                });
                crate::estimate::kb::deb_closure_in(
                    suite,
                    &staying,
                    recommends_kept,
                    &Default::default(),
                )
                .0
                .into_iter()
                .collect()
            } else {
                Default::default()
            };
            let (freed, wasted) = st.remove_where(&|e| match &e.kind {
                Kind::Deb(n) => {
                    goes_explicitly(e, n)
                        || (auto && e.what.contains("dependency") && !needed.contains(n))
                }
                _ => false,
            });
            for n in &names {
                std::sync::Arc::make_mut(&mut st.debs).remove(n);
            }
            if !wasted.is_zero() {
                cx.reasons.push(format!(
                    "apt-get {sub}: {} installed by an earlier layer stays in the image (wasted)",
                    crate::estimate::size::human(wasted.bytes)
                ));
            } else if !freed.is_zero() {
                cx.reasons.push(format!(
                    "apt-get {sub} in the same RUN: {} not in the layer",
                    crate::estimate::size::human(freed.bytes)
                ));
            }
        }
        "dist-clean" => {
            // apt 2.7+ (trixie): removes the package lists as `rm -rf /var/lib/apt/lists/*`.
            let (freed, wasted) = st.remove_where(&|e| e.kind == Kind::AptLists);
            if !wasted.is_zero() {
                cx.reasons.push(format!(
                    "apt-get dist-clean: {} of lists stays in an earlier layer (wasted)",
                    crate::estimate::size::human(wasted.bytes)
                ));
            } else if !freed.is_zero() {
                cx.reasons
                    .push("apt-get dist-clean in the same RUN: lists not in the layer".into());
            }
        }
        "clean" | "autoclean" | "upgrade" | "dist-upgrade" | "-y" | "" => {
            if sub == "upgrade" || sub == "dist-upgrade" {
                cx.add(
                    st,
                    "/usr/[deb] upgrades",
                    Size::mb(2.0, 0.0, 40.0),
                    "apt upgrade (depends on the base's age)".into(),
                    Kind::Other,
                );
                cx.reasons
                    .push("apt-get upgrade: size depends on the base image's age".into());
            }
        }
        other => cx.unknown.push(format!("apt-get {other}")),
    }
}

/// The Debian release whose index sizes an apt install, and whether the base is a known image
/// with a Debian package list: the suite of the base's list (Ubuntu rows reuse bookworm's; an
/// unknown image's class names one), else bookworm.
fn apt_suite(st: &State) -> (Suite, bool) {
    let resolved = st.base.as_ref();
    let known = resolved.and_then(|r| r.base);
    let row = known.or_else(|| resolved.and_then(|r| r.class));
    let suite = row
        .and_then(|b| b.debian_suite())
        .unwrap_or(Suite::Bookworm);
    (suite, known.is_some_and(|b| b.is_debian_like()))
}

/// For a package name ending in a version that Stageplay's Debian data lacks (`postgresql-17`,
/// `python3.12`), the same package in the highest version it has (`postgresql-15`).
/// How a Debian package's Installed-Size changes from one version to a later one: over the 48
/// versioned package families whose only version differs between bookworm and trixie in
/// `data/debian` (`postgresql-15` → `-17`, `libllvm14` → `19`, `openjdk-17` → `21`, …; packages
/// of at least 1000 KiB), the later version is ×1.13 the earlier (median), ×0.68–×1.34 from the
/// 5th to the 95th percentile. A test recomputes these from the data.
pub const VERSION_STEP: (f64, f64, f64) = (1.13, 0.68, 1.34);

/// `postgresql-17` → [17], `python3.12` → [3, 12]: the trailing version of a package name.
fn version_of(name: &str) -> Vec<u32> {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    name[stem.len()..]
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

fn versioned_sibling(name: &str, suite: Suite) -> Option<String> {
    let debian = kb().debian_index(suite);
    if debian.contains_key(name) {
        return None;
    }
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if stem.len() == name.len()
        || stem.len() < 3
        || !stem.ends_with(['-', '.']) && !stem.ends_with(|c: char| c.is_ascii_alphabetic())
    {
        return None;
    }
    debian
        .keys()
        .filter(|k| {
            k.len() > stem.len()
                && k.starts_with(stem)
                && k[stem.len()..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
                && k[stem.len()..].starts_with(|c: char| c.is_ascii_digit())
        })
        .max_by_key(|k| version_of(k))
        .cloned()
}

/// Packages named by a shell variable the estimate cannot resolve (`apt-get install
/// $nginxPackages`, `apk add $runDeps`): a wide range instead of nothing.
fn unresolved_packages(args: &[String], tool: &str, st: &mut State, cx: &mut Ctx) {
    // The operands after the sub-command; an option's value (`apk add -X "$repo"`, `-t .deps`,
    // `-o Opt=$x`) is not a package.
    let vars: Vec<&str> = operand_texts(args, value_options(tool))
        .into_iter()
        .skip(1)
        .filter(|a| a.contains('$'))
        .collect();
    if vars.is_empty() || cx.runtime_only {
        return;
    }
    let names = vars.join(" ");
    cx.add(
        st,
        &format!("/usr/[{tool}] {names}"),
        Size::mb(10.0, 0.1, 500.0),
        format!("packages named by {names} (a shell variable: fallback size)"),
        Kind::Other,
    );
    cx.reasons.push(format!(
        "{tool}: packages in {names} are not known here (fallback 10 MB, 100 kB–500 MB)"
    ));
}

pub(super) fn apk(args: &[String], st: &mut State, cx: &mut Ctx) {
    if cx.no_package_manager {
        return;
    }
    let operands = operand_texts(args, value_options("apk"));
    let sub = operands.first().copied().unwrap_or("");
    let no_cache = has_flag(args, &["--no-cache"]);
    match sub {
        "add" => {
            // The virtual package's name (`--virtual .deps`) is an option's value, not an operand.
            let virtual_name = flag_value(args, &["--virtual", "-t"]);
            let mut names: Vec<String> = operands
                .iter()
                .skip(1)
                .filter(|a| !a.contains('$'))
                .map(|a| {
                    a.split(['=', '<', '>', '~'])
                        .next()
                        .unwrap_or(a)
                        .to_string()
                })
                .filter(|a| !a.is_empty())
                .collect();
            if cx.runtime_only {
                names.retain(|n| {
                    !is_build_tool_package(n) && !kb().alpine.get(n).is_some_and(|p| p.build_tool)
                });
            }
            unresolved_packages(args, "apk", st, cx);
            let kb = kb();
            let mut unknown = Vec::new();
            for name in &names {
                if st.apks.contains(name) {
                    continue;
                }
                let (size, what) = match kb.alpine.get(name) {
                    Some(p) => (
                        Size::new(p.bytes, p.low_bytes, p.high_bytes),
                        format!("{name} (apk, approximate)"),
                    ),
                    None => {
                        unknown.push(name.clone());
                        (
                            Size::mb(5.0, 0.2, 60.0),
                            format!("{name} (apk, unknown size)"),
                        )
                    }
                };
                cx.add(
                    st,
                    &format!("/usr/[apk] {name}"),
                    size,
                    what,
                    Kind::Apk(name.clone(), virtual_name.clone()),
                );
                std::sync::Arc::make_mut(&mut st.apks).insert(name.clone());
            }
            cx.add(
                st,
                "/lib/apk/db",
                Size::new(150 * KB, 50 * KB, 400 * KB),
                "apk database".into(),
                Kind::DpkgState,
            );
            if !no_cache
                && !st.entries.iter().any(|e| e.kind == Kind::ApkIndex)
                && !st.is_cache_mounted("/var/cache/apk", cx.line)
            {
                cx.add(
                    st,
                    "/var/cache/apk",
                    Size::mb(2.6, 1.5, 4.0),
                    "apk index cache (no --no-cache)".into(),
                    Kind::ApkIndex,
                );
            }
            let mut reason = format!(
                "apk add {}: Alpine sizes are an approximation (no Alpine index here), wide range",
                names.join(" ")
            );
            if !unknown.is_empty() {
                reason.push_str(&format!("; unknown: {}", unknown.join(" ")));
            }
            if !no_cache {
                reason.push_str("; add --no-cache to keep the index out");
            }
            cx.reasons.push(reason);
        }
        "del" => {
            let names: Vec<String> = operands.iter().skip(1).map(|a| a.to_string()).collect();
            st.remove_where(&|e| match &e.kind {
                Kind::Apk(n, v) => {
                    names.contains(n) || v.as_ref().is_some_and(|v| names.contains(v))
                }
                _ => false,
            });
            for n in &names {
                std::sync::Arc::make_mut(&mut st.apks).remove(n);
            }
        }
        "update" => {
            if !st.is_cache_mounted("/var/cache/apk", cx.line) {
                cx.add(
                    st,
                    "/var/cache/apk",
                    Size::mb(2.6, 1.5, 4.0),
                    "apk index (apk update)".into(),
                    Kind::ApkIndex,
                );
            }
        }
        "upgrade" => cx.add(
            st,
            "/usr/[apk] upgrades",
            Size::mb(1.0, 0.0, 20.0),
            "apk upgrade".into(),
            Kind::Other,
        ),
        _ => cx.unknown.push(format!("apk {sub}")),
    }
}
