//! Files from outside the image: `curl`/`wget` downloads (and archives unpacked in the same RUN)
//! and COPY/ADD sources from the build context.

use super::toolchains::{known_archive, tool, Archive};
use super::{flag_value, Ctx};
use crate::estimate::shell::Command;
use crate::estimate::size::{human, Size, KB};
use crate::estimate::state::{Kind, State};
use crate::estimate::{context, EstimateOptions};
use crate::syntax::shell::has_flag;

pub(super) fn download(
    prog: &str,
    args: &[String],
    cmd: &Command,
    all: &[Command],
    idx: usize,
    st: &mut State,
    cx: &mut Ctx,
) {
    let url = args
        .iter()
        .find(|a| a.contains("://"))
        .cloned()
        .unwrap_or_default();
    // curl's short options cluster: `-fsSLO` (remote name), `-fsSLo FILE` (output).
    let cluster = |w: &String| {
        w.len() > 2
            && w.starts_with('-')
            && !w.starts_with("--")
            && w[1..].chars().all(|c| c.is_ascii_alphabetic())
    };
    let output = if prog == "curl" {
        let clustered = args
            .iter()
            .position(|w| cluster(w) && w.ends_with('o'))
            .and_then(|i| args.get(i + 1).cloned());
        clustered.or_else(|| flag_value(args, &["-o", "--output"]))
    } else {
        flag_value(args, &["-O", "--output-document"])
    };
    let remote_name = prog == "wget"
        || has_flag(args, &["-O", "--remote-name"])
        || (prog == "curl" && args.iter().any(|w| cluster(w) && w.contains('O')));
    let next = all.get(idx + 1);
    if cmd.piped {
        let consumer = next
            .and_then(|n| n.words.first())
            .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
            .unwrap_or_default();
        if consumer == "tar" || consumer == "unzip" || consumer == "bsdtar" {
            let words = next.map(|n| n.words.as_slice()).unwrap_or(&[]);
            let dir = flag_value(words, &["-C", "--directory"])
                .map(|d| st.abs(&d))
                .unwrap_or_else(|| st.abs("."));
            if let Some(a) = known_archive(&url, "", &cx.script, strips(words)) {
                unpack_known(&a, &dir, &url, st, cx);
                cx.reasons.push(format!(
                    "{prog} | {consumer}: {} unpacked into {dir}",
                    a.name
                ));
                return;
            }
            cx.add(
                st,
                &dir,
                Size::mb(40.0, 0.5, 600.0),
                format!("unpacked from {url} (fallback size)"),
                Kind::Download,
            );
            cx.reasons.push(format!(
                "{prog} | {consumer}: unpacked archive, size unknown (fallback 40 MB, 0.5–600 MB)"
            ));
        } else if matches!(consumer.as_str(), "sh" | "bash") && url.contains("rustup") {
            // `curl … https://sh.rustup.rs | sh -s -- -y --profile minimal`: the script's own
            // arguments are the words after the shell's `--` (else after the shell's options).
            let args: Vec<String> = next
                .map(|n| {
                    let words = n.words.get(1..).unwrap_or_default();
                    let start = match words.iter().position(|w| w == "--") {
                        Some(i) => i + 1,
                        None => words.iter().take_while(|w| w.starts_with('-')).count(),
                    };
                    words[start..].to_vec()
                })
                .unwrap_or_default();
            super::toolchains::rustup_init(&args, st, cx);
        } else if matches!(consumer.as_str(), "sh" | "bash" | "python" | "python3") {
            cx.add(
                st,
                "/usr/local/[installed by script]",
                Size::mb(30.0, 0.1, 800.0),
                format!("installed by a script from {url} (fallback size)"),
                Kind::Download,
            );
            cx.reasons.push(format!(
                "{prog} | {consumer}: what the script installs is unknown (fallback 30 MB, 100 kB–800 MB)"
            ));
        } else {
            cx.reasons
                .push(format!("{prog} piped into {consumer}: nothing stored"));
        }
        return;
    }
    let file = match output {
        Some(o) if o != "-" && o != "/dev/null" => Some(o),
        Some(_) => None,
        None if remote_name => url
            .rsplit('/')
            .next()
            .map(|s| s.split('?').next().unwrap_or(s).to_string())
            .filter(|s| !s.is_empty()),
        None => None,
    };
    let Some(file) = file else {
        cx.reasons.push(format!("{prog} {url}: output not stored"));
        return;
    };
    let path = st.abs(&file);
    let archive = [
        ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".zip", ".tar", ".tar.zst",
    ]
    .iter()
    .any(|s| path.ends_with(s));
    // An archive unpacked later in the same RUN.
    let unpacked_by = all.iter().skip(idx + 1).find(|later| {
        let p = later
            .words
            .first()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .unwrap_or("");
        (p == "tar" || p == "unzip")
            && later
                .words
                .iter()
                .any(|w| st.abs(w) == path || w.ends_with(&file))
    });
    let known = archive
        .then(|| {
            let strip = unpacked_by.is_some_and(|l| strips(&l.words));
            known_archive(&url, &file, &cx.script, strip)
        })
        .flatten();
    // One program's release binary the knowledge base sizes (`download:gosu`), by the name it
    // is saved under.
    let binary = (!archive)
        .then(|| {
            let name = path.rsplit('/').next().unwrap_or(&path);
            tool(&format!("download:{name}")).map(|(size, _)| (name.to_string(), size))
        })
        .flatten();
    let size = match (&known, archive, &binary) {
        (Some(a), _, _) => a.download_size(),
        (None, true, _) => Size::mb(20.0, 0.1, 400.0),
        (None, false, Some((_, size))) => *size,
        (None, false, None) => Size::mb(5.0, 0.001, 200.0),
    };
    cx.add(
        st,
        &path,
        size,
        match (&known, &binary) {
            (Some(a), _) => format!("downloaded {url} ({} archive, fallback ratio)", a.name),
            (None, Some((name, _))) => {
                format!("downloaded {url} ({name}, data/toolchains.tsv)")
            }
            (None, None) => format!("downloaded {url} (fallback size)"),
        },
        Kind::Download,
    );
    if let Some(later) = unpacked_by {
        let dir = flag_value(&later.words, &["-C", "--directory", "-d"])
            .map(|d| st.abs(&d))
            .unwrap_or_else(|| st.abs("."));
        match &known {
            Some(a) => unpack_known(a, &dir, &file, st, cx),
            None => cx.add(
                st,
                &dir,
                Size::mb(50.0, 0.3, 1200.0),
                format!("unpacked {file} (fallback: ~2.5× the archive)"),
                Kind::Download,
            ),
        }
    }
    cx.reasons.push(match &known {
        Some(a) => format!(
            "{prog} {url} → {path}: the {} archive ({} unpacked, data/toolchains.tsv)",
            a.name,
            human(a.size().bytes)
        ),
        None => match &binary {
            Some((name, size)) => format!(
                "{prog} {url} → {path}: the {name} program ({}, data/toolchains.tsv)",
                human(size.bytes)
            ),
            None => format!(
                "{prog} {url} → {path}: size unknown (fallback {})",
                human(size.bytes)
            ),
        },
    });
}

/// tar's `--strip-components=1` (or more): the archive's top folder is dropped.
fn strips(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| w.starts_with("--strip-components") || w.starts_with("--strip="))
}

/// A known toolchain archive's parts, each where it lands under `dir`.
fn unpack_known(a: &Archive, dir: &str, from: &str, st: &mut State, cx: &mut Ctx) {
    for (rel, key) in &a.parts {
        let Some((size, _)) = tool(key) else { continue };
        let path = if rel.is_empty() {
            dir.to_string()
        } else {
            format!("{}/{rel}", dir.trim_end_matches('/'))
        };
        cx.add(
            st,
            &path,
            size,
            format!("unpacked {from}: {} {key} (measured)", a.name),
            Kind::Download,
        );
    }
}

/// The size of a COPY/ADD source from the build context.
pub fn context_source(src: &str, opts: &EstimateOptions) -> (Size, String) {
    let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
    // A project folder was given: the files the context sends, measured.
    if let Some((bytes, files)) = context::listed_size(opts, src) {
        return if files == 0 {
            (
                Size::ZERO,
                format!("{src}: not in the given build context (the build fails here)"),
            )
        } else {
            (
                Size::exact(bytes),
                format!(
                    "{src} ({} in {files} file{} of the given context)",
                    human(bytes),
                    if files == 1 { "" } else { "s" }
                ),
            )
        };
    }
    if let Some(f) = context::find_file(opts, src)
        .filter(|f| f.path == src || f.path.rsplit('/').next() == Some(name))
    {
        return (
            Size::exact(f.content.len() as u64),
            format!("{src} (content given)"),
        );
    }
    let ctx = opts.context_bytes;
    let whole = src == "." || src == "./" || src == "*" || src == "/" || src == "./*";
    if whole {
        return match ctx {
            Some(b) => (
                Size::rel(b, 0.05, 0.05),
                format!(
                    "the whole build context ({})",
                    crate::estimate::size::human(b)
                ),
            ),
            None => {
                let high = if opts.dockerignore.is_some() {
                    50.0
                } else {
                    300.0
                };
                (
                    Size::mb(2.0, 0.05, high),
                    format!(
                        "the whole build context (size not set: fallback range{})",
                        if opts.dockerignore.is_none() {
                            "; no .dockerignore: .git and node_modules may be sent"
                        } else {
                            ""
                        }
                    ),
                )
            }
        };
    }
    let lockfiles: &[(&str, f64, f64, f64)] = &[
        ("package-lock.json", 0.3, 0.01, 3.0),
        ("yarn.lock", 0.2, 0.01, 2.0),
        ("pnpm-lock.yaml", 0.2, 0.01, 2.0),
        ("poetry.lock", 0.2, 0.01, 1.0),
        ("uv.lock", 0.2, 0.01, 1.0),
        ("go.sum", 0.05, 0.001, 0.5),
        ("Cargo.lock", 0.05, 0.001, 0.5),
    ];
    if let Some((_, m, l, h)) = lockfiles.iter().find(|(n, ..)| *n == name) {
        return (
            Size::mb(*m, *l, *h),
            format!("{src} (lock file: fallback size)"),
        );
    }
    let looks_like_file = name.contains('.') && !name.starts_with('.')
        || ["Dockerfile", "Makefile", "LICENSE", "Gemfile", "Procfile"].contains(&name);
    if looks_like_file && !src.contains('*') {
        return (
            Size::new(4 * KB, 100, 200 * KB),
            format!("{src} (one file: fallback size)"),
        );
    }
    match ctx {
        Some(b) => (
            Size::new(b / 2, b / 50, b),
            format!(
                "{src} (fallback: part of the {} context)",
                crate::estimate::size::human(b)
            ),
        ),
        None => (
            Size::mb(1.0, 0.01, 100.0),
            format!("{src} (directory; context size not set: fallback size)"),
        ),
    }
}
