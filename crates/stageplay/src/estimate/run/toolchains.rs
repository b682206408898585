//! Toolchains a RUN downloads or installs (Go, Node.js and Yarn tarballs, rustup, Maven and
//! Gradle distributions, JDK archives) and the typical size of what a compiler builds, from the
//! measured rows of `data/toolchains.tsv` (each with its source and date).

use super::{flag_value, Ctx};
use crate::estimate::kb::{kb, ToolSize};
use crate::estimate::size::{human, Size};
use crate::estimate::state::{Kind, State};
use crate::syntax::shell::{operand_texts, value_options};

/// A `data/toolchains.tsv` row as a size (its low–high range).
pub(super) fn tool(key: &str) -> Option<(Size, &'static ToolSize)> {
    let t = kb().tools.get(key)?;
    Some((Size::new(t.bytes, t.low_bytes, t.high_bytes), t))
}

/// What a known archive unpacks to: (path relative to the unpack directory, row key) pairs.
pub(super) struct Archive {
    /// `Go toolchain`, `Node.js`.
    pub name: &'static str,
    pub parts: Vec<(String, &'static str)>,
}

impl Archive {
    /// The unpacked size: the sum of its rows.
    pub fn size(&self) -> Size {
        self.parts
            .iter()
            .filter_map(|(_, key)| tool(key).map(|(s, _)| s))
            .fold(Size::ZERO, |a, b| a + b)
    }

    /// The compressed archive as downloaded: a third of what it unpacks to (Go's tar.gz is
    /// 0.3 of its tree, Node's tar.xz 0.15), a fallback ratio: no archive size is measured.
    pub fn download_size(&self) -> Size {
        let s = self.size();
        Size::new(s.bytes / 3, s.low / 8, s.high * 6 / 10)
    }
}

/// The archive a download is, when it is a toolchain the knowledge base measured: by its URL or
/// file name, or (for a URL held in a variable, as the official images' `wget -O go.tgz "$url"`)
/// by the URLs the RUN's script names. `strip` is tar's `--strip-components=1`: the archive's
/// top folder (`go/`, `node-v22…-linux-x64/`) is dropped.
pub(super) fn known_archive(url: &str, file: &str, script: &str, strip: bool) -> Option<Archive> {
    let lower = |s: &str| s.to_ascii_lowercase();
    let (url, file) = (lower(url), lower(file));
    let named = |pred: &dyn Fn(&str) -> bool| {
        pred(&url)
            || pred(&file)
            || ((url.is_empty() || url.contains('$')) && script_urls(script).any(|u| pred(&u)))
    };
    let top = |folder: &str| {
        if strip {
            String::new()
        } else {
            format!("{folder}/")
        }
    };
    let is_go = |u: &str| {
        (u.contains("dl.google.com/go/")
            || u.contains("go.dev/dl/")
            || u.contains("golang.org/dl/"))
            || (u.contains("/go1.") && u.contains(".linux-") && u.contains(".tar.gz"))
            || (u.starts_with("go1.") && u.contains(".linux-"))
    };
    if named(&is_go) || (file.starts_with("go.t") && named(&|u: &str| u.contains("/go/go1."))) {
        return Some(Archive {
            name: "Go toolchain",
            parts: vec![(top("go").trim_end_matches('/').to_string(), "go:toolchain")],
        });
    }
    let is_node = |u: &str| {
        u.contains("node-v")
            && u.contains("-linux-")
            && (u.contains(".tar.") || u.ends_with(".tgz"))
    };
    if named(&is_node) {
        let t = top("node");
        let major = node_major(&url)
            .or_else(|| node_major(&file))
            .or_else(|| script_urls(script).find_map(|u| node_major(&u)));
        let binary = match major {
            Some(m) if m >= 26 => "node:binary-26",
            Some(m) if m >= 24 => "node:binary-24",
            _ => "node:binary",
        };
        let mut parts = vec![
            (format!("{t}bin/node"), binary),
            (format!("{t}include/node"), "node:headers-kept"),
            (
                format!("{t}include/node/openssl/archs/linux-x86_64"),
                "node:openssl-arch",
            ),
            (
                format!("{t}include/node/openssl/archs/[other architectures]"),
                "node:openssl-other-archs",
            ),
            (format!("{t}lib/node_modules/npm"), "npm:cli"),
        ];
        // Node.js 25 stopped bundling corepack.
        if major.is_none_or(|m| m < 25) {
            parts.push((format!("{t}lib/node_modules/corepack"), "npm:corepack"));
        }
        return Some(Archive {
            name: "Node.js",
            parts,
        });
    }
    if named(&|u: &str| u.contains("yarn-v") && u.contains(".tar.gz")) {
        return Some(Archive {
            name: "Yarn 1",
            parts: vec![(
                top("yarn").trim_end_matches('/').to_string(),
                "npm:yarn-classic",
            )],
        });
    }
    if named(&|u: &str| u.contains("apache-maven-") && u.contains("-bin.")) {
        return Some(Archive {
            name: "Maven",
            parts: vec![(top("maven").trim_end_matches('/').to_string(), "java:maven")],
        });
    }
    if named(&|u: &str| u.contains("gradle-") && u.contains("-bin.zip")) {
        return Some(Archive {
            name: "Gradle",
            parts: vec![(
                top("gradle").trim_end_matches('/').to_string(),
                "java:gradle",
            )],
        });
    }
    let jdk = |u: &str| {
        (u.contains("openjdk") || u.contains("temurin") || u.contains("jdk"))
            && (u.contains(".tar.gz") || u.contains(".zip"))
            && !u.contains("jre")
    };
    if named(&jdk) {
        return Some(Archive {
            name: "JDK",
            parts: vec![(top("jdk").trim_end_matches('/').to_string(), "java:jdk-21")],
        });
    }
    None
}

/// `node-v22.23.2-linux-x64.tar.xz` → 22.
fn node_major(text: &str) -> Option<u32> {
    let rest = &text[text.find("node-v")? + "node-v".len()..];
    rest.split('.').next()?.parse().ok()
}

/// The `https://…` URLs a script names (in assignments, `case` branches, comments).
fn script_urls(script: &str) -> impl Iterator<Item = String> + '_ {
    script
        .split(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | ';' | '(' | ')'))
        .filter(|w| w.contains("://"))
        .map(|w| w.to_ascii_lowercase())
}

/// The directory rustup installs into (`$RUSTUP_HOME`, else `/root/.rustup`).
fn rustup_home(st: &State) -> String {
    st.var("RUSTUP_HOME")
        .map(|h| st.abs(&h))
        .unwrap_or_else(|| "/root/.rustup".into())
}

/// Whether the toolchain rustup installs is hosted on musl: `--default-host` names a
/// `*-linux-musl` triple, or names none Stageplay can read (`${rustArch}` set in a `case`) on an
/// Alpine base, where rustup-init detects a musl host. Its rustc and standard library are larger
/// than the glibc-hosted ones (both measured, data/toolchains.tsv).
fn musl_host(args: &[String], st: &State) -> bool {
    match flag_value(args, &["--default-host"]) {
        Some(host) if !host.is_empty() && !host.contains('$') => host.ends_with("-linux-musl"),
        _ => st
            .base
            .as_ref()
            .and_then(|r| r.base)
            .is_some_and(|b| b.is_alpine()),
    }
}

/// The `--profile` a rustup install names (default: `default`) and the measured parts it
/// installs: minimal is rustc, cargo and the standard library (glibc- or musl-hosted); default
/// adds the docs, clippy and rustfmt.
fn profile_keys(args: &[String], musl: bool) -> (String, Vec<(&'static str, &'static str)>) {
    let profile = flag_value(args, &["--profile"]).unwrap_or_else(|| "default".into());
    let toolchain = if musl {
        "rust:toolchain-minimal-musl"
    } else {
        "rust:toolchain-minimal"
    };
    let mut keys = vec![("toolchain", toolchain)];
    if profile != "minimal" {
        keys.extend([
            ("share/doc", "rust:docs"),
            ("clippy", "rust:clippy"),
            ("rustfmt", "rust:rustfmt"),
        ]);
    }
    (profile, keys)
}

/// `rustup-init` (or the `sh.rustup.rs` script piped into `sh`): one toolchain with the
/// profile's components (minimal: rustc, cargo, the standard library; default adds the docs,
/// clippy and rustfmt), plus `--component`s and `--target`s.
pub(super) fn rustup_init(args: &[String], st: &mut State, cx: &mut Ctx) {
    let (profile, keys) = profile_keys(args, musl_host(args, st));
    let mut extra = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = |v: Option<&String>| v.map(|s| s.to_string());
        let (flag, v) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        if matches!(flag, "-c" | "--component") {
            if let Some(v) = v.or_else(|| value(it.next())) {
                extra.extend(v.split(',').map(|c| ("component", c.to_string())));
            }
        } else if matches!(flag, "-t" | "--target") {
            if let Some(v) = v.or_else(|| value(it.next())) {
                extra.extend(v.split(',').map(|t| ("target", t.to_string())));
            }
        }
    }
    install_rust(st, cx, &profile, &keys, &extra);
}

/// `rustup component add …`, `rustup target add …`, `rustup toolchain install …`.
pub(super) fn rustup(args: &[String], st: &mut State, cx: &mut Ctx) {
    // `rustup target add --toolchain nightly wasm32-…`: an option's value is not an item.
    let words = operand_texts(args, value_options("rustup"));
    match words.as_slice() {
        ["component", "add", items @ ..] => {
            let extra: Vec<(&str, String)> =
                items.iter().map(|c| ("component", c.to_string())).collect();
            install_rust(st, cx, "", &[], &extra);
        }
        ["target", "add", items @ ..] => {
            let extra: Vec<(&str, String)> =
                items.iter().map(|t| ("target", t.to_string())).collect();
            install_rust(st, cx, "", &[], &extra);
        }
        ["toolchain", "install", ..] | ["install", ..] => {
            let (profile, keys) = profile_keys(args, musl_host(args, st));
            install_rust(st, cx, &profile, &keys, &[]);
        }
        _ => {}
    }
}

fn install_rust(
    st: &mut State,
    cx: &mut Ctx,
    profile: &str,
    keys: &[(&str, &'static str)],
    extra: &[(&str, String)],
) {
    let home = rustup_home(st);
    let mut total = Size::ZERO;
    let mut parts = Vec::new();
    for (path, key) in keys {
        if let Some((size, _)) = tool(key) {
            total += size;
            parts.push(key.trim_start_matches("rust:").to_string());
            cx.add(
                st,
                &format!("{home}/toolchains/[rust] {path}"),
                size,
                format!("Rust {key} (measured, data/toolchains.tsv)"),
                Kind::Toolchain("rust".into()),
            );
        }
    }
    for (what, name) in extra {
        // A component or target: clippy and rustfmt are measured; another component or a
        // target is sized as one target's standard library (wasm32's, measured).
        let key = match (*what, name.trim_end_matches("-preview")) {
            ("component", "clippy") => "rust:clippy",
            ("component", "rustfmt") => "rust:rustfmt",
            ("component", "rust-docs") => "rust:docs",
            ("component", "rust-src") | ("component", "rust-analyzer") => "rust:rustfmt",
            _ => "rust:target-wasm32",
        };
        if parts.iter().any(|p| format!("rust:{p}") == key) && *what == "component" {
            continue;
        }
        if let Some((size, _)) = tool(key) {
            total += size;
            parts.push(format!("{what} {name}"));
            cx.add(
                st,
                &format!("{home}/toolchains/[rust] {what} {name}"),
                size,
                format!("Rust {what} {name} (as {key}, measured)"),
                Kind::Toolchain("rust".into()),
            );
        }
    }
    if !total.is_zero() {
        cx.reasons.push(format!(
            "rustup{}: {} → {home} ({}, measured: data/toolchains.tsv)",
            if profile.is_empty() {
                String::new()
            } else {
                format!(" ({profile} profile)")
            },
            parts.join(", "),
            human(total.bytes)
        ));
    }
}

/// What a compiler command builds into `out`: the measured typical size of its ecosystem.
/// `stripped` for Go's `-ldflags "-s -w"`.
pub(super) fn build_output(
    st: &mut State,
    cx: &mut Ctx,
    out: &str,
    key: &str,
    ecosystem: &str,
    scale: Option<(f64, &str)>,
) {
    let Some((size, row)) = tool(key) else {
        return;
    };
    let (size, note) = match scale {
        Some((f, why)) => (size.scale(f), format!("; ×{f} {why} (fallback factor)")),
        None => (size, String::new()),
    };
    cx.add(
        st,
        out,
        size,
        format!("typical size for {ecosystem} ({key})"),
        Kind::BuildOutput(ecosystem.into()),
    );
    cx.reasons.push(format!(
        "{out}: typical size for {ecosystem}, {} ({}–{}){note} — {}",
        human(size.bytes),
        human(size.low),
        human(size.high),
        short_source(&row.source)
    ));
}

/// The first clause of a row's source (`measured: Installed-Size of 20 Go programs …`).
fn short_source(source: &str) -> String {
    let first = source.split(['(', ';']).next().unwrap_or(source).trim();
    let mut s: String = first.chars().take(90).collect();
    if s.len() < first.len() {
        s.push('…');
    }
    s
}

/// `gcc`/`cc`/`g++`/`clang` with `-o OUT` (not `-c`): one binary, dynamic unless `-static`.
pub(super) fn c_compiler(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    // A C compiler's options are whole words (`-static`, `-shared`), not POSIX clusters: an
    // option is given only when a word is exactly it.
    let given = |names: &[&str]| args.iter().any(|a| names.contains(&a.as_str()));
    if given(&["-c", "-E", "-S"]) {
        return;
    }
    let Some(out) = flag_value(args, &["-o"]) else {
        return;
    };
    let out = st.abs(&out);
    let (key, kind) = if given(&["-static"]) {
        ("output:c-hello-static", "C (static)")
    } else {
        ("output:c-hello-dynamic", "C (dynamic)")
    };
    build_output(st, cx, &out, key, kind, None);
    let _ = prog;
}
