//! The final stage's image as the runtime check sees it: what its `PATH`, files, packages and
//! users hold, and where else the file shows a missing program or file comes from.

use super::super::bases::Match;
use super::super::kb::programs::{base_provides, PACKAGED, SYSTEM_PROGRAMS};
use super::super::kb::BaseImage;
use super::super::run::SCRIPTS_MARK;
use super::super::state::{is_at_or_below, Kind, State};
use super::split;
use crate::model::{Model, Stage};
use crate::syntax::shell::{is_assignment, operand_texts, operands, value_options};
use crate::syntax::{CommandLine, Dockerfile, Instruction, Keyword};

/// How sure the check is that something is there.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Present,
    /// Nothing shows it, nothing rules it out.
    Unknown,
    /// Not there; the words say why.
    Missing(String),
}

/// Shell builtins and keywords: never looked up on PATH.
const BUILTINS: &[&str] = &[
    "exit", "true", "false", "test", "[", "echo", "printf", "cd", "set", "export", "exec", ":",
    ".", "source", "trap", "wait", "read", "kill", "command", "type", "eval", "ulimit", "umask",
    "shift", "unset", "return", "if", "then", "else", "fi", "for", "do", "done", "while",
];

/// Interpreters and package managers: a command that starts one needs it in the image.
const RUNNERS: &[&str] = &[
    "python", "python3", "node", "npm", "npx", "yarn", "pnpm", "java", "ruby", "bundle", "php",
    "dotnet", "uv", "poetry", "pipenv", "deno", "bun",
];

/// The final stage's image as the check sees it.
pub(super) struct Image<'a> {
    st: &'a State,
    doc: &'a Dockerfile,
    model: &'a Model,
    chain: Vec<usize>,
    /// The knowledge base's row for the root image (`None` for unknown images and scratch).
    base: Option<&'static BaseImage>,
    /// The root image is known (a knowledge-base row or scratch): what it lacks can be told.
    known: bool,
    scratch: bool,
    /// The root image reference, normalized.
    image: String,
    path: Vec<String>,
    /// The RUN texts of the chain (a path they name may be made by them).
    runs: Vec<String>,
    /// The OS packages those RUNs install are all shared libraries.
    libraries_only: bool,
}

impl<'a> Image<'a> {
    pub(super) fn new(
        st: &'a State,
        doc: &'a Dockerfile,
        model: &'a Model,
        chain: &[&Stage],
    ) -> Image<'a> {
        let resolved = st.base.as_ref();
        let scratch = resolved.is_some_and(|r| r.how == Match::Scratch);
        let base = resolved.and_then(|r| r.base);
        let known = scratch || resolved.is_some_and(|r| r.how == Match::Exact && r.base.is_some());
        let path = st
            .var("PATH")
            .unwrap_or_else(|| {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()
            })
            .split(':')
            .filter(|p| p.starts_with('/'))
            .map(|p| p.trim_end_matches('/').to_string())
            .collect();
        let runs: Vec<String> = chain
            .iter()
            .flat_map(|s| s.instructions.iter())
            .filter_map(|&i| doc.instructions.get(i))
            .filter(|i| i.keyword == Keyword::Run)
            .map(|i| i.args_text().to_string())
            .collect();
        Image {
            st,
            doc,
            model,
            chain: chain.iter().map(|s| s.index).collect(),
            base,
            known,
            scratch,
            image: st.base_image.clone(),
            path,
            libraries_only: Image::installs_only_libraries(&runs),
            runs,
        }
    }

    fn has_shell(&self) -> Verdict {
        if !self.known {
            return Verdict::Unknown;
        }
        if self.base.is_some_and(|b| b.has_shell()) || self.copied_shell() {
            return Verdict::Present;
        }
        Verdict::Missing(format!(
            "needs a shell (`/bin/sh`), but `{}` has none",
            self.image
        ))
    }

    /// A COPY put a shell (or BusyBox) into the image.
    fn copied_shell(&self) -> bool {
        self.st.entries.iter().any(|e| {
            e.kind != Kind::Base
                && (e.path == "/bin/sh"
                    || e.path.ends_with("/busybox")
                    || e.path == "/bin"
                    || e.path == "/")
        })
    }

    /// What a command line needs and the image lacks, in words ("needs `x`, but …").
    pub(super) fn command(&self, line: &CommandLine) -> Vec<String> {
        let mut out = Vec::new();
        match line {
            CommandLine::Exec { args, .. } => {
                let words: Vec<String> = args.iter().map(|w| w.text.clone()).collect();
                self.words(&words, &mut out);
            }
            CommandLine::Shell { text, .. } => {
                if let Verdict::Missing(why) = self.has_shell() {
                    out.push(format!("is in shell form and {why}"));
                    return out;
                }
                self.script(text, &mut out);
            }
        }
        out
    }

    /// A script run by `sh -c`: each simple command's program.
    fn script(&self, text: &str, out: &mut Vec<String>) {
        let vars = |n: &str| self.st.var(n);
        for c in split(text, &vars) {
            let Some(at) = c.words.iter().position(|w| !is_assignment(w)) else {
                continue;
            };
            self.words(&c.words[at..], out);
        }
    }

    fn words(&self, words: &[String], out: &mut Vec<String>) {
        let Some(first) = words.first() else {
            return;
        };
        let name = first.rsplit('/').next().unwrap_or(first);
        if matches!(name, "sh" | "bash" | "ash" | "dash") && words.get(1).is_some_and(|w| w == "-c")
        {
            if let Verdict::Missing(why) = self.program(first) {
                out.push(why);
                return;
            }
            if let Some(script) = words.get(2) {
                self.script(script, out);
            }
            return;
        }
        if matches!(
            name,
            "env" | "exec" | "nice" | "tini" | "dumb-init" | "gosu" | "su-exec"
        ) && words.len() > 1
        {
            if let Verdict::Missing(why) = self.program(first) {
                out.push(why);
            }
            // The command starts at the first operand that is not an assignment (`nice -n 10
            // python app.py`, `env -u X A=1 node s.js`); gosu and su-exec take the user first.
            let args = &words[1..];
            let mut rest = operands(args, value_options(name))
                .into_iter()
                .skip_while(|&i| is_assignment(&args[i]));
            if matches!(name, "gosu" | "su-exec") {
                rest.next();
            }
            let rest = rest.next().map_or(&[][..], |i| &args[i..]);
            self.words(rest, out);
            return;
        }
        if let Verdict::Missing(why) = self.program(first) {
            out.push(why);
            return;
        }
        // The script or program file an interpreter runs.
        let file = match name {
            n if n.starts_with("python") => interpreter_file("python", &words[1..], &["-m", "-c"]),
            "node" | "nodejs" => {
                interpreter_file("node", &words[1..], &["-e", "--eval", "-p", "--print"])
            }
            "ruby" | "perl" | "php" | "bash" | "sh" => {
                interpreter_file(name, &words[1..], &["-e", "-r"])
            }
            _ => None,
        };
        if let Some(f) = file {
            if let Verdict::Missing(why) = self.file(&self.abs(&f)) {
                out.push(format!("runs `{f}`, but {why}"));
            }
        }
    }

    fn abs(&self, path: &str) -> String {
        if path.starts_with('/') {
            super::super::state::clean_path(path)
        } else {
            self.st.abs(path)
        }
    }

    /// A program as the command names it: a path, or a name looked up on PATH.
    fn program(&self, prog: &str) -> Verdict {
        if prog.contains('$') || prog.is_empty() {
            return Verdict::Unknown;
        }
        if prog.contains('/') {
            let path = self.abs(prog);
            return match self.file(&path) {
                Verdict::Missing(why) => Verdict::Missing(format!("needs `{prog}`, but {why}")),
                v => v,
            };
        }
        if BUILTINS.contains(&prog) {
            return Verdict::Present;
        }
        match self.on_path(prog) {
            Verdict::Present | Verdict::Unknown if self.provided(prog) => return Verdict::Present,
            Verdict::Present => return Verdict::Present,
            Verdict::Unknown => return Verdict::Unknown,
            Verdict::Missing(_) => {}
        }
        if self.provided(prog) {
            return Verdict::Present;
        }
        if !self.known {
            return Verdict::Unknown;
        }
        // A RUN of the stage that names the program may make it (an installer script).
        let named_by_run = self.runs.iter().any(|r| {
            r.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
                .any(|w| w == prog)
        }) || (matches!(prog, "pnpm" | "yarn")
            && self.runs.iter().any(|r| r.contains("corepack")));
        if named_by_run {
            return Verdict::Unknown;
        }
        let elsewhere = self.elsewhere(prog);
        let dirs = self.path.join(":");
        match (elsewhere, RUNNERS.contains(&prog)) {
            (Some(at), _) => Verdict::Missing(format!(
                "needs `{prog}`, which is not on the final image's PATH ({dirs}): {at}"
            )),
            (None, true) => Verdict::Missing(format!(
                "needs `{prog}`, but nothing puts it in the final image (`{}` has none)",
                if self.scratch {
                    "scratch"
                } else {
                    self.image.as_str()
                }
            )),
            (None, false) => Verdict::Unknown,
        }
    }

    /// The image provides the program through its base or its packages.
    fn provided(&self, prog: &str) -> bool {
        if base_provides(&self.image, prog) {
            return true;
        }
        let shell = self.base.is_some_and(|b| b.has_shell());
        if shell
            && (prog == "sh"
                || (prog == "bash" && self.base.is_some_and(|b| b.shell.contains("bash"))))
        {
            return true;
        }
        let has_pkg = |p: &str| self.st.debs.contains(p) || self.st.apks.contains(p);
        if has_pkg(prog) || prog.strip_suffix('d').is_some_and(has_pkg) {
            return true;
        }
        if PACKAGED
            .iter()
            .any(|(name, pkgs)| *name == prog && pkgs.iter().any(|p| has_pkg(p)))
        {
            return true;
        }
        if SYSTEM_PROGRAMS.contains(&prog)
            && (has_pkg("coreutils") || has_pkg("busybox") || has_pkg("dash") || shell)
        {
            return true;
        }
        // Base images that list their build tools (buildpack-deps: gcc, make, git …).
        self.base
            .is_some_and(|b| b.build_tools.iter().any(|t| t == prog))
    }

    /// The PATH folders of the final image: what they are known to hold.
    fn on_path(&self, prog: &str) -> Verdict {
        let mut unknown = false;
        for dir in &self.path {
            let want = format!("{dir}/{prog}");
            for e in &self.st.entries {
                if e.path == want {
                    return Verdict::Present;
                }
                if let Some(name) = e
                    .path
                    .strip_prefix(dir.as_str())
                    .and_then(|r| r.strip_prefix('/'))
                    .and_then(|r| r.strip_prefix(SCRIPTS_MARK))
                    .map(str::trim)
                {
                    if same_package(name, prog) {
                        return Verdict::Present;
                    }
                    if name.starts_with("-r ") {
                        unknown = true;
                    }
                    continue;
                }
                // A folder at or above the PATH folder whose content is not itemised (a
                // copied `/usr/local`, a virtualenv, a context folder).
                if e.kind != Kind::Base && is_at_or_below(dir, &e.path) && !e.path.starts_with("/[")
                {
                    if matches!(e.kind, Kind::Python(ref v) if v == "venv")
                        && matches!(prog, "python" | "python3" | "pip" | "pip3")
                    {
                        return Verdict::Present;
                    }
                    unknown = true;
                }
                // Files whose names the estimate does not know, written into the folder or a
                // folder above it (`make install` into `/usr/local`); shared libraries' Debian
                // packages put no commands there.
                if e.kind != Kind::Base && !(matches!(e.kind, Kind::Deb(_)) && self.libraries_only)
                {
                    if let Some((parent, _)) = e.path.split_once("/[") {
                        if is_at_or_below(dir, if parent.is_empty() { "/" } else { parent }) {
                            unknown = true;
                        }
                    }
                }
            }
        }
        if unknown {
            Verdict::Unknown
        } else {
            Verdict::Missing(String::new())
        }
    }

    /// Where the file shows the program is, when it is not on PATH: a commands entry in a
    /// folder off PATH, or an install or copy in a stage outside the final stage's chain.
    fn elsewhere(&self, prog: &str) -> Option<String> {
        for e in &self.st.entries {
            if let Some((dir, name)) = e.path.split_once(&format!("/{SCRIPTS_MARK} ")) {
                if same_package(name, prog) && !self.path.iter().any(|p| p == dir) {
                    return Some(format!(
                        "its command is in `{dir}` ({}, line {})",
                        e.what, e.line
                    ));
                }
            }
        }
        // The commands of an install whose packages are not known (`pip install --target D
        // -r requirements.txt`) in a folder off PATH: whatever the list holds, its commands
        // are there and not on PATH. Said when nothing else the image installs could hold the
        // program (no OS package but libraries).
        if self.libraries_only {
            for e in &self.st.entries {
                if let Some((dir, name)) = e.path.split_once(&format!("/{SCRIPTS_MARK} ")) {
                    if name.starts_with("-r ") && !self.path.iter().any(|p| p == dir) {
                        return Some(format!(
                            "the commands of `pip install {name}` are in `{dir}` ({}, line {})",
                            e.what, e.line
                        ));
                    }
                }
            }
        }
        for (stage, ins) in self.other_stages() {
            let name = stage.display_name();
            match ins.keyword {
                Keyword::Run => {
                    let vars = |_: &str| None;
                    if split(ins.args_text(), &vars)
                        .iter()
                        .any(|c| installs_program(&c.words, prog))
                    {
                        return Some(format!(
                            "stage `{name}` (line {}) installs it, and the final stage does not copy it",
                            ins.start_line
                        ));
                    }
                }
                Keyword::Copy | Keyword::Add => {
                    let words: Vec<&str> = ins.args_text().split_whitespace().collect();
                    if let Some((dest, sources)) = words.split_last() {
                        let into_bin = self.path.iter().any(|p| dest.trim_end_matches('/') == p);
                        if into_bin && sources.iter().any(|s| s.rsplit('/').next() == Some(prog)) {
                            return Some(format!(
                                "stage `{name}` (line {}) copies it, and the final stage does not",
                                ins.start_line
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The OS packages the chain's RUNs install are all shared libraries, which put no
    /// commands on PATH.
    fn installs_only_libraries(runs: &[String]) -> bool {
        let vars = |_: &str| None;
        runs.iter().all(|r| {
            split(r, &vars).iter().all(|c| {
                let w = &c.words;
                let manager = w.first().map(String::as_str).unwrap_or("");
                let install = match manager {
                    "apt-get" | "apt" | "dnf" | "yum" | "microdnf" | "zypper" => "install",
                    "apk" => "add",
                    _ => return true,
                };
                let Some(at) = w.iter().position(|x| x == install) else {
                    return true;
                };
                // Debian's shared-library packages: `lib` + name + soversion (`libpq5`,
                // `libssl3t64`, `libkrb5-3`); their dependencies are libraries and data.
                w[at + 1..].iter().filter(|x| !x.starts_with('-')).all(|p| {
                    let p = p.split(['=', ':']).next().unwrap_or("");
                    p.starts_with("lib")
                        && p.trim_end_matches("t64")
                            .ends_with(|c: char| c.is_ascii_digit())
                })
            })
        })
    }

    /// The instructions of the stages outside the final stage's chain, in file order, each with
    /// its stage.
    fn other_stages(&self) -> impl Iterator<Item = (&'a Stage, &'a Instruction)> + '_ {
        let doc = self.doc;
        self.model
            .stages
            .iter()
            .filter(|stage| !self.chain.contains(&stage.index))
            .flat_map(move |stage| {
                stage
                    .instructions
                    .iter()
                    .filter_map(move |&i| Some((stage, doc.instructions.get(i)?)))
            })
    }

    /// A file or folder at `path` in the final image.
    fn file(&self, path: &str) -> Verdict {
        let mut provider: Option<&super::super::state::Entry> = None;
        for e in &self.st.entries {
            if e.kind == Kind::Base || e.path.starts_with("/[") {
                continue;
            }
            if e.path == path || is_at_or_below(&e.path, path) {
                return Verdict::Present;
            }
            if is_at_or_below(path, &e.path) {
                let deeper = provider.is_none_or(|p| p.path.len() < e.path.len());
                if deeper {
                    provider = Some(e);
                }
            }
        }
        if let Some(p) = provider {
            // Only the build context brings it, while another stage builds it there.
            if p.kind == Kind::Context {
                if let Some(built) = self.built_elsewhere(path) {
                    return Verdict::Missing(format!(
                        "the final stage has `{}` only from the build context, while {built}",
                        p.path
                    ));
                }
            }
            return Verdict::Unknown;
        }
        if !self.known {
            return Verdict::Unknown;
        }
        // The base image's own folders: what it holds is not itemised, except its programs.
        const SYSTEM: &[&str] = &[
            "/bin", "/sbin", "/usr", "/lib", "/lib64", "/etc", "/var", "/run", "/proc", "/sys",
            "/dev", "/tmp", "/root", "/home",
        ];
        if !self.scratch && SYSTEM.iter().any(|d| is_at_or_below(path, d)) {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            if (dir.ends_with("/bin") || dir.ends_with("/sbin")) && self.provided(name) {
                return Verdict::Present;
            }
            return Verdict::Unknown;
        }
        if base_provides(&self.image, path)
            || self.base.is_some_and(|b| {
                b.files
                    .iter()
                    .any(|(f, _)| f == path || is_at_or_below(path, f))
                    || b.workdir
                        .as_deref()
                        .is_some_and(|w| is_at_or_below(path, w))
            })
        {
            return Verdict::Present;
        }
        // A RUN that names the folder may make it.
        let parent = path.rsplit_once('/').map_or("/", |(d, _)| d);
        if self
            .runs
            .iter()
            .any(|r| r.contains(path) || (parent.len() > 1 && r.contains(parent)))
        {
            return Verdict::Unknown;
        }
        match self.made_elsewhere(path) {
            Some(at) => {
                Verdict::Missing(format!("nothing puts `{path}` in the final image ({at})"))
            }
            None => Verdict::Missing(format!("nothing puts `{path}` in the final image")),
        }
    }

    /// Another stage builds into the folder holding `path` (`npm run build`, `tsc`, `go build`,
    /// `cargo build`, `make` in a WORKDIR at or above it).
    fn built_elsewhere(&self, path: &str) -> Option<String> {
        // The working directory in force, and the stage it belongs to.
        let mut wd = (usize::MAX, "/".to_string());
        for (stage, ins) in self.other_stages() {
            if wd.0 != stage.index {
                wd = (stage.index, "/".to_string());
            }
            let wd = &mut wd.1;
            if ins.keyword == Keyword::Workdir {
                *wd =
                    super::super::state::clean_path(&if ins.args_text().trim().starts_with('/') {
                        ins.args_text().trim().to_string()
                    } else {
                        format!("{wd}/{}", ins.args_text().trim())
                    });
            }
            if ins.keyword != Keyword::Run || !is_at_or_below(path, wd) || wd == "/" {
                continue;
            }
            let vars = |_: &str| None;
            if split(ins.args_text(), &vars)
                .iter()
                .any(|c| builds(&c.words))
            {
                return Some(format!(
                    "stage `{}` builds in `{wd}` (line {})",
                    stage.display_name(),
                    ins.start_line
                ));
            }
        }
        None
    }

    /// Another stage's COPY or WORKDIR puts something at or above `path`.
    fn made_elsewhere(&self, path: &str) -> Option<String> {
        for (stage, ins) in self.other_stages() {
            let named = match ins.keyword {
                Keyword::Copy | Keyword::Add => ins
                    .args_text()
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|d| {
                        d.starts_with('/') && is_at_or_below(path, d.trim_end_matches('/'))
                    }),
                Keyword::Run => ins.args_text().contains(path),
                Keyword::Workdir => {
                    let w = ins.args_text();
                    let w = w.trim();
                    w.starts_with('/') && w.len() > 1 && is_at_or_below(path, w)
                }
                _ => false,
            };
            if named {
                return Some(format!(
                    "stage `{}` makes it (line {}), and the final stage does not copy it",
                    stage.display_name(),
                    ins.start_line
                ));
            }
        }
        None
    }

    /// The USER the command runs as, when only another stage creates it.
    pub(super) fn user(&self) -> Option<String> {
        let (user, line) = self.st.user.as_ref()?;
        line.as_ref()?;
        let name = user.split(':').next().unwrap_or(user);
        if name.is_empty() || name.contains('$') || name.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if self.st.users.iter().any(|u| u == name) {
            return None;
        }
        for (stage, ins) in self.other_stages() {
            if ins.keyword != Keyword::Run {
                continue;
            }
            let vars = |_: &str| None;
            for c in split(ins.args_text(), &vars) {
                let Some(at) = c.words.iter().position(|w| !is_assignment(w)) else {
                    continue;
                };
                let prog = c.words[at].rsplit('/').next().unwrap_or("");
                if matches!(prog, "useradd" | "adduser")
                    && c.words.last().is_some_and(|w| w == name)
                {
                    return Some(format!(
                        "`USER {user}` names a user that only stage `{}` creates (line {}): the final stage has no such user",
                        stage.display_name(),
                        ins.start_line
                    ));
                }
            }
        }
        None
    }
}

/// The file an interpreter runs: its first argument that is not a flag, unless a flag in
/// `inline` (`-m module`, `-c code`) says the program is not a file.
fn interpreter_file(interpreter: &str, args: &[String], inline: &[&str]) -> Option<String> {
    let ops = operands(args, value_options(interpreter));
    if let Some(&first) = ops.first() {
        if args[..first].iter().any(|a| inline.contains(&a.as_str())) {
            return None;
        }
        let a = &args[first];
        let looks_like_file = a.contains('/')
            || [".py", ".js", ".mjs", ".cjs", ".rb", ".pl", ".php", ".sh"]
                .iter()
                .any(|x| a.ends_with(x));
        return looks_like_file.then(|| a.clone());
    }
    None
}

/// A package name and a command name that are the same program (`fastapi[standard]` and
/// `fastapi`, `pnpm@9` and `pnpm`, `Flask_Cors` and `flask-cors`).
fn same_package(package: &str, prog: &str) -> bool {
    let norm = |s: &str| -> String {
        let s = s.rsplit('/').next().unwrap_or(s);
        let s = s
            .split(['[', '=', '<', '>', '~', '!', ';', ' '])
            .next()
            .unwrap_or(s);
        let s = match s.rfind('@') {
            Some(at) if at > 0 => &s[..at],
            _ => s,
        };
        s.to_ascii_lowercase().replace('_', "-")
    };
    !package.is_empty() && norm(package) == norm(prog)
}

/// A command that installs `prog`: pip/uv (a package of that name), a global npm/pnpm/yarn
/// package, an OS package, `go install …/prog`, `cargo install prog`, or `-o prog`.
fn installs_program(words: &[String], prog: &str) -> bool {
    let Some(at) = words.iter().position(|w| !is_assignment(w)) else {
        return false;
    };
    let words = &words[at..];
    let program = words[0].rsplit('/').next().unwrap_or("");
    let args = &words[1..];
    let ops = operand_texts(args, value_options(program));
    let sub = ops.first().copied();
    let names = || ops.iter().copied();
    let global = args
        .iter()
        .any(|a| a == "-g" || a == "--global" || a == "global");
    match (program, sub) {
        ("pip" | "pip3" | "pipx", Some("install")) => names().any(|n| same_package(n, prog)),
        ("uv", Some("pip" | "tool")) => names().any(|n| same_package(n, prog)),
        ("npm" | "pnpm" | "yarn", _) if global => names().any(|n| same_package(n, prog)),
        ("apt-get" | "apt" | "apk" | "yum" | "dnf", Some("install" | "add")) => names().any(|n| {
            n == prog
                || PACKAGED
                    .iter()
                    .any(|(p, pkgs)| *p == prog && pkgs.contains(&n))
        }),
        ("go", Some("install")) => {
            names().any(|n| n.split('@').next().unwrap_or(n).rsplit('/').next() == Some(prog))
        }
        ("cargo", Some("install")) => names().any(|n| n == prog),
        (_, _) => args
            .windows(2)
            .any(|w| w[0] == "-o" && w[1].rsplit('/').next() == Some(prog)),
    }
}

/// A build command: compiles or bundles into its working directory.
fn builds(words: &[String]) -> bool {
    let Some(at) = words.iter().position(|w| !is_assignment(w)) else {
        return false;
    };
    let words = &words[at..];
    let program = words[0].rsplit('/').next().unwrap_or("");
    let sub = words.get(1).map(String::as_str);
    match program {
        // An install writes `node_modules` (copied on its own); a build writes the app's files.
        "npm" | "yarn" | "pnpm" => words.iter().any(|w| w == "build"),
        "tsc" | "vite" | "webpack" | "make" | "cmake" | "ninja" => true,
        "go" | "cargo" | "dotnet" => matches!(sub, Some("build" | "publish" | "install")),
        "mvn" | "gradle" | "./gradlew" | "./mvnw" => true,
        "python" | "python3" => words.iter().any(|w| w == "collectstatic" || w == "build"),
        _ => false,
    }
}
