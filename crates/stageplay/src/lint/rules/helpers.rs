//! Small pieces several rules share: package-manager command matching and fix builders.

use super::super::context::Ctx;
use crate::diagnostic::{Applicability, Fix, TextEdit};
use crate::span::Span;
use crate::syntax::shell::{value_options, Command, Script, Word as ShellWord};
use crate::syntax::{Instruction, Keyword, MountKind};

/// True when the RUN has a `--mount=type=cache` whose target contains `under` (`""`: any
/// cache mount): what is written there stays out of the layer. Mounts are read as BuildKit
/// reads them ([`Instruction::mounts`]).
pub fn cache_mounted(inst: &Instruction, under: &str) -> bool {
    inst.mounts().iter().any(|m| {
        m.kind == MountKind::Cache && m.target.as_deref().is_some_and(|t| t.contains(under))
    })
}

/// A fix made of one insertion.
pub fn insert(
    at: u32,
    text: impl Into<String>,
    title: impl Into<String>,
    applicability: Applicability,
) -> Fix {
    Fix {
        title: title.into(),
        applicability,
        edits: vec![TextEdit {
            span: Span::empty(at),
            insert: text.into(),
        }],
    }
}

/// A fix made of one replacement.
pub fn replace(
    span: Span,
    text: impl Into<String>,
    title: impl Into<String>,
    applicability: Applicability,
) -> Fix {
    Fix {
        title: title.into(),
        applicability,
        edits: vec![TextEdit {
            span,
            insert: text.into(),
        }],
    }
}

/// Inserts ` <flag>` right after `word` (e.g. after the `install` sub-command), when the script
/// can be edited.
pub fn add_flag_after(
    script: &Script,
    word: &ShellWord,
    flag: &str,
    applicability: Applicability,
) -> Option<Fix> {
    if !script.editable || word.span.is_empty() {
        return None;
    }
    Some(insert(
        word.span.end,
        format!(" {flag}"),
        format!("Add `{flag}`"),
        applicability,
    ))
}

/// Appends ` && <command>` after `cmd`, when `cmd` is a top-level command followed by `&&`, `;`,
/// a newline or nothing (so the new command runs in the same place of the chain).
pub fn append_command(
    script: &Script,
    cmd: &Command,
    command: &str,
    applicability: Applicability,
) -> Option<Fix> {
    if !script.editable
        || cmd.depth > 0
        || !matches!(cmd.followed_by, None | Some("&&") | Some(";") | Some("\n"))
    {
        return None;
    }
    Some(insert(
        cmd.span.end,
        format!(" && {command}"),
        format!("Append `&& {command}`"),
        applicability,
    ))
}

/// The last top-level command of `script` matching `pred`.
pub fn last_matching(script: &Script, pred: impl Fn(&Command) -> bool) -> Option<&Command> {
    script.commands().rev().find(|c| c.depth == 0 && pred(c))
}

/// hadolint's `isPipInstall`: `pip`/`pip3`/`pipX.Y install` or `python -m pip install`.
pub fn is_pip_install(cmd: &Command) -> bool {
    let name = cmd.basename();
    let is_pip =
        name.starts_with("pip") && !name.starts_with("pipx") && !name.starts_with("pipenv");
    if is_pip && cmd.has_arg("install") {
        return true;
    }
    if name.starts_with("python") {
        let texts: Vec<&str> = cmd.args().iter().map(|a| a.text.as_str()).collect();
        return texts
            .windows(3)
            .any(|w| w[0] == "-m" && w[1].starts_with("pip") && w[2] == "install");
    }
    false
}

/// Name of the instruction as written, upper-cased (for messages).
pub fn keyword_name(inst: &Instruction) -> &'static str {
    inst.keyword.as_str()
}

/// Instruction indices of the stage containing instruction `i`, from its FROM to its end.
pub fn stage_range(ctx: &Ctx, i: usize) -> std::ops::Range<usize> {
    match ctx.stage(i) {
        Some(s) => s.start..s.end,
        None => 0..ctx.doc.instructions.len(),
    }
}

/// True for instructions that start a new stage.
pub fn is_from(inst: &Instruction) -> bool {
    inst.keyword == Keyword::From
}

/// The span to delete to remove a whole instruction line (with its newline).
pub fn line_span(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let mut start = span.start as usize;
    while start > 0
        && bytes
            .get(start - 1)
            .is_some_and(|b| *b == b' ' || *b == b'\t')
    {
        start -= 1;
    }
    let mut end = (span.end as usize).min(bytes.len());
    if bytes.get(end) == Some(&b'\r') {
        end += 1;
    }
    if bytes.get(end) == Some(&b'\n') {
        end += 1;
    }
    Span::new(start as u32, end as u32)
}

/// Version pinning of apt packages (hadolint DL3008): `pkg=version`, a path or a `.deb`.
pub fn apt_pinned(pkg: &str) -> bool {
    pkg.contains('=') || pkg.contains('/') || pkg.ends_with(".deb")
}

/// Packages of `apt-get install` (options and the values of `-t`, `-o`, `-c` dropped).
pub fn apt_get_packages(cmd: &Command) -> Vec<&ShellWord> {
    cmd.operands(value_options("apt-get"))
        .into_iter()
        .filter(|w| w.text != "install")
        .collect()
}

/// A yum/dnf/microdnf style `install` command.
pub fn is_install(cmd: &Command, managers: &[&str]) -> bool {
    managers.contains(&cmd.basename()) && cmd.has_arg("install")
}

/// A `$NAME` / `${NAME…}` reference in a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// Byte range of the name inside the word's text.
    pub name_start: usize,
    pub name_end: usize,
    /// `${NAME:-x}` and similar: a default or alternative is given.
    pub has_modifier: bool,
}

/// Variable references in `text` outside single quotes (`\$` is not a reference).
pub fn var_refs(text: &str) -> Vec<VarRef> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_single {
            if b == b'\'' {
                in_single = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'\'' => in_single = true,
            b'\\' => i += 1,
            b'$' => {
                let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
                if bytes.get(i + 1) == Some(&b'{') {
                    let start = i + 2;
                    let mut j = start;
                    while j < bytes.len() && ident(bytes[j]) {
                        j += 1;
                    }
                    if j > start {
                        let has_modifier = bytes.get(j).is_some_and(|c| *c != b'}');
                        out.push(VarRef {
                            name: text[start..j].to_string(),
                            name_start: start,
                            name_end: j,
                            has_modifier,
                        });
                    }
                    while j < bytes.len() && bytes[j] != b'}' {
                        j += 1;
                    }
                    i = j;
                } else {
                    let start = i + 1;
                    let mut j = start;
                    while j < bytes.len() && ident(bytes[j]) {
                        j += 1;
                    }
                    if j > start && !bytes[start].is_ascii_digit() {
                        out.push(VarRef {
                            name: text[start..j].to_string(),
                            name_start: start,
                            name_end: j,
                            has_modifier: false,
                        });
                    }
                    i = j.max(start) - 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The closest name to `name` within edit distance 2 (case-insensitive), for "did you mean".
pub fn suggest<'n>(name: &str, candidates: impl IntoIterator<Item = &'n str>) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(&name.to_lowercase(), &c.to_lowercase());
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Build args every build defines (BuildKit's automatic platform args and proxies).
pub const BUILTIN_ARGS: &[&str] = &[
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETSTAGE",
    "BUILDKIT_SBOM_SCAN_STAGE",
    "BUILDKIT_SBOM_SCAN_CONTEXT",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "SOURCE_DATE_EPOCH",
];

/// `KEY[=value]` items of ARG/ENV/LABEL with the key's span; legacy `ENV KEY value` gives one item.
pub fn key_values(words: &[crate::syntax::Word]) -> Vec<(String, Span, Option<String>)> {
    let Some(first) = words.first() else {
        return Vec::new();
    };
    if !first.text.contains('=') && words.len() > 1 {
        let value = words[1..]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return vec![(unquote(&first.text), first.span, Some(value))];
    }
    words
        .iter()
        .map(|w| match w.text.split_once('=') {
            Some((k, v)) => {
                let span = Span::new(w.span.start, w.span.start + k.len() as u32);
                (unquote(k), span, Some(unquote(v)))
            }
            None => (unquote(&w.text), w.span, None),
        })
        .collect()
}

/// Removes one level of surrounding quotes.
pub fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

/// True when the words' source text is exactly their text joined (no continuation inside).
pub fn single_line(text: &str, span: Span) -> bool {
    text.get(span.range()).is_some_and(|s| !s.contains('\n'))
}

/// A package manager whose metadata cache must be cleaned in the `RUN` that installs
/// (DL3032 yum, DL3036 zypper, DL3040 dnf): the rules differ only in these names.
pub struct CacheCleanRule {
    /// Commands whose `install` needs a clean.
    pub installers: &'static [&'static str],
    /// Commands whose `clean` counts (the installers plus `microdnf`).
    pub cleaners: &'static [&'static str],
    /// The command the fix appends.
    pub clean: &'static str,
    pub message: &'static str,
}

/// Reports installs without a cache clean in the same `RUN`, in stages that reach the final
/// image; a `--mount=type=cache` RUN keeps its cache out of the layer and is left alone.
pub fn report_uncleaned_cache(ctx: &mut Ctx, rule: &CacheCleanRule) {
    let mut hits = Vec::new();
    for (i, inst, script) in ctx.runs() {
        let cache_mount = cache_mounted(inst, "");
        if !ctx.in_final_image(i) || cache_mount {
            continue;
        }
        let installs = script
            .commands()
            .any(|c| rule.installers.contains(&c.name()) && c.has_any_arg(&["install", "in"]));
        let cleans = script
            .commands()
            .any(|c| rule.cleaners.contains(&c.name()) && c.has_arg("clean"))
            || script.commands().any(|c| {
                c.name() == "rm" && c.args().iter().any(|a| a.text.starts_with("/var/cache/"))
            });
        if installs && !cleans {
            let anchor = last_matching(script, |c| rule.cleaners.contains(&c.name()));
            let fix =
                anchor.and_then(|c| append_command(script, c, rule.clean, Applicability::Safe));
            hits.push((anchor.map_or(inst.span, |c| c.span), fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(span, rule.message).fix(fix);
    }
}

/// Reports package-manager commands that `is_install` matches and that lack every flag of
/// `yes_flags` (DL3014 apt-get, DL3030 yum, DL3034 zypper, DL3038 dnf); the fix adds `-y` after
/// the first of `subcommands`.
pub fn report_missing_yes(
    ctx: &mut Ctx,
    is_install: impl Fn(&Command) -> bool,
    yes_flags: &[&str],
    subcommands: &[&str],
    message: &'static str,
) {
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script.commands().filter(|c| is_install(c)) {
            if c.has_flag(yes_flags) {
                continue;
            }
            let fix = c
                .find_arg(subcommands)
                .and_then(|w| add_flag_after(script, w, "-y", Applicability::Safe));
            hits.push((c.span, fix));
        }
    }
    for (span, fix) in hits {
        ctx.report(span, message).fix(fix);
    }
}

/// Whether an rpm-style `install` (yum, dnf, zypper) names a package without a version:
/// zypper pins with `name=1.2` (or `>`/`<`), yum and dnf with `name-1.2`. `version` reads the
/// text after the last `-` (DL3041 resolves `$VAR` there).
pub fn has_unpinned_rpm(c: &Command, zypper: bool, version: &dyn Fn(&str) -> String) -> bool {
    c.operands(value_options(c.name()))
        .iter()
        .map(|p| p.text.as_str())
        .filter(|t| !(*t == "install" || *t == "in" || t.ends_with(".rpm") || t.contains('/')))
        .any(|t| {
            let pinned = if zypper {
                t.contains('=') || t.contains('>') || t.contains('<')
            } else {
                t.contains('-')
                    && t.rsplit('-')
                        .next()
                        .is_some_and(|v| version(v).starts_with(|ch: char| ch.is_ascii_digit()))
            };
            !pinned
        })
}

/// Reports `tool install` packages without a version (DL3033 yum `name-1.2`, DL3037 zypper
/// `name=1.2`): one finding per command, at its first unpinned package.
pub fn report_unpinned_rpm(ctx: &mut Ctx, tool: &str, message: &'static str) {
    let zypper = tool == "zypper";
    let mut hits = Vec::new();
    for (_, _, script) in ctx.runs() {
        for c in script
            .commands()
            .filter(|c| c.name() == tool && c.has_any_arg(&["install", "in"]))
        {
            if has_unpinned_rpm(c, zypper, &|v| v.to_string()) {
                hits.push(c.span);
            }
        }
    }
    for span in hits {
        ctx.report(span, message);
    }
}

/// One finding for the unpinned `packages` of one RUN: the span from the first to the last,
/// a label on each, and a message that names them (`apk add a b` → `apk add a=<version> b=<version>`).
pub fn report_unpinned_packages(
    ctx: &mut Ctx,
    packages: &[(Span, String)],
    command: &str,
    sep: &str,
) {
    let (Some(first), Some(last)) = (packages.first(), packages.last()) else {
        return;
    };
    let names: Vec<&str> = packages.iter().map(|(_, p)| p.as_str()).collect();
    let pinned: Vec<String> = names.iter().map(|p| format!("{p}{sep}<version>")).collect();
    let message = format!(
        "Pin versions in {}. Instead of `{command} {}` use `{command} {}`",
        command.replace('-', " "),
        names.join(" "),
        pinned.join(" ")
    );
    let finding = ctx.report(Span::new(first.0.start, last.0.end), message);
    if packages.len() > 1 {
        for (span, _) in packages {
            finding.label(*span, "no version");
        }
    }
}

/// The FROM instruction of the final image's root: the first stage of the target's `FROM`
/// chain, whose base image is what ships.
pub fn final_image_root(ctx: &Ctx) -> Option<usize> {
    ctx.stages.iter().find(|s| s.in_final_image).map(|s| s.from)
}

/// The sources of an untagged or `latest` base finding (DL3006, DL3007): on the final image's
/// root it also stands for Stageplay's SP1008 (unpinned final base), which no longer reports
/// the same problem a second time.
pub fn floating_base_help(ctx: &Ctx, from: usize) -> Option<&'static str> {
    (final_image_root(ctx) == Some(from)).then_some(
        "this is the base of the final image: what you ship changes whenever the tag moves",
    )
}
