//! The plan: which instructions the runtime keeps, replays or replaces by the copy, and what
//! else (`/opt`, Apache's module, named outputs, downloads) it must copy; or why the split is
//! declined.

use super::paths::{env_values, expand, in_prefix, optional, paths, scratch, Vars};
use super::programs::{command_programs, copied_from_context, copied_to_path};
use super::render::render;
use super::steps::{
    build_packages_only, configured, installs, leading_user_commands, other_prefix,
    packages_removed, run_kind, RunKind, USER_TOOLS,
};
use super::{resolved_base, Family, Place, Plan, PREFIX, SYSTEM_TOOLS};
use crate::estimate::kb::programs::base_provides;
use crate::model::Stage;
use crate::refactor::project::os_packages;
use crate::refactor::shell::{self, Command};
use crate::refactor::util::{self, arg_text, copy_parts, resolve, stage_instructions};
use crate::refactor::Context;
use crate::syntax::{Instruction, Keyword};

pub(super) fn plan(
    cx: &Context,
    stage: &Stage,
    base: &str,
    family: Family,
) -> Result<Plan, String> {
    let instrs = stage_instructions(cx.doc, stage);
    let vars = env_values(cx.doc, stage);
    let mut places: Vec<Place> = Vec::new();
    for (_, ins) in &instrs {
        if !ins.heredocs().is_empty() {
            return Err("r1".into());
        }
        let place = match ins.keyword {
            Keyword::Onbuild | Keyword::Shell | Keyword::Unknown | Keyword::From => {
                return Err("r2".into())
            }
            Keyword::Run => {
                // A setup RUN naming the prefix is replayed only before the first build step
                // (after it, it may depend on what the build installed, which the copy brings).
                let built = places.contains(&Place::Build);
                match run_kind(ins, &vars) {
                    _ if ins.flag_value("mount").is_some() => Place::Both,
                    // Installing only compilers and headers is part of the build.
                    RunKind::Setup if build_packages_only(ins) => Place::Build,
                    RunKind::Setup => Place::Both,
                    RunKind::PrefixSetup if !built => Place::Both,
                    _ => Place::Build,
                }
            }
            Keyword::Copy | Keyword::Add => {
                if ins.flag_value("from").is_some() {
                    return Err("r3".into());
                }
                let (sources, _) = copy_parts(ins).ok_or("copy")?;
                if sources.iter().any(|s| s.contains("://")) {
                    return Err("r4".into());
                }
                Place::Both
            }
            Keyword::Env | Keyword::Arg | Keyword::Workdir => Place::Both,
            _ => Place::Runtime,
        };
        places.push(place);
    }
    // Steps after the last one that writes the prefix and only fetch (fetching the application,
    // as nextcloud's image does into `/usr/src`) are replayed in the runtime after the copy
    // instead of being left in the builder.
    // Any other step there would leave its work in the builder, where the runtime cannot see it.
    let touches = |ins: &Instruction| {
        arg_text(ins).contains(PREFIX)
            || shell::commands(&arg_text(ins)).iter().any(|c| {
                installs(c)
                    || paths(c, &vars)
                        .iter()
                        .any(|p| in_prefix(p) || artifact(c, p, &vars))
            })
    };
    if let Some(last_prefix) = (0..places.len())
        .rev()
        .find(|&pos| places[pos] == Place::Build && touches(instrs[pos].1))
    {
        for pos in last_prefix + 1..places.len() {
            if places[pos] == Place::Build {
                if !only_fetches(instrs[pos].1) {
                    return Err("r14".into());
                }
                places[pos] = Place::Both;
            }
        }
    }
    let last = places
        .iter()
        .rposition(|p| *p == Place::Build)
        .ok_or("no build")?;
    // Context copies into the prefix before the last build step come with the prefix.
    let wds = util::workdirs(cx.doc, stage);
    let wd_at = |i: usize| {
        wds.iter()
            .find(|(j, _)| *j == i)
            .map_or("/".to_string(), |(_, w)| w.clone())
    };
    for (pos, (i, ins)) in instrs.iter().enumerate() {
        if pos < last && matches!(ins.keyword, Keyword::Copy | Keyword::Add) {
            // Sources copied into `/usr/src` before the build are the build's input too.
            let builder_only =
                |d: &str| in_prefix(d) || d == "/usr/src" || d.starts_with("/usr/src/");
            if copy_parts(ins)
                .is_some_and(|(_, d)| builder_only(&resolve(&wd_at(*i), &expand(&d, &vars))))
            {
                places[pos] = Place::InPrefix;
            }
        }
    }
    // OS packages a step both stages run installs (`supervisor` for `supervisord`).
    let replayed_pkgs: Vec<String> = instrs
        .iter()
        .zip(&places)
        .filter(|((_, ins), p)| **p == Place::Both && ins.keyword == Keyword::Run)
        .flat_map(|((_, ins), _)| shell::commands(&arg_text(ins)))
        .flat_map(|c| os_packages(&c))
        .collect();
    // The build steps: installed into the prefix, nothing written elsewhere, packages removed.
    let mut installed = false;
    let mut kept_groups: Vec<String> = Vec::new();
    let mut apache = false;
    let mut downloads: Vec<String> = Vec::new();
    let mut left_behind: Vec<&'static str> = Vec::new();
    let mut invoked: Vec<String> = Vec::new();
    let mut users: Vec<Option<String>> = vec![None; instrs.len()];
    let mut opt = false;
    let mut artifacts: Vec<String> = Vec::new();
    for (pos, (i, ins)) in instrs.iter().enumerate() {
        if places[pos] != Place::Build {
            continue;
        }
        if !util::is_root_at(cx.doc, stage, *i) {
            return Err("r5".into());
        }
        let cmds = shell::commands(&arg_text(ins));
        let wrong_family = cmds.iter().any(|c| match family {
            Family::Debian => c.program() == "apk",
            Family::Alpine => matches!(c.program(), "apt-get" | "apt" | "dpkg-query"),
        });
        match packages_removed(&cmds) {
            Some(kept) if !wrong_family => kept_groups.extend(kept),
            _ => return Err(format!("r6 {wrong_family}")),
        }
        // Users and groups created at the head of the RUN are replayed in the runtime; created
        // anywhere else in a build step, they would be lost.
        let lead = match leading_user_commands(&cmds) {
            Some((n, text)) => {
                users[pos] = Some(text);
                n
            }
            None => 0,
        };
        if cmds[lead..]
            .iter()
            .any(|c| USER_TOOLS.contains(&c.program()))
        {
            return Err("r12".into());
        }
        for c in &cmds {
            if c.program() == "configure"
                && c.program_args()
                    .iter()
                    .any(|a| a.starts_with("--with-apxs"))
            {
                // PHP's Apache module: `make install` puts it into Apache's module directory and
                // enables it in Apache's configuration. Copied when Debian's apache2 package is
                // installed by a step both stages run.
                if family != Family::Debian || !replayed_pkgs.iter().any(|p| p == "apache2") {
                    return Err("r13".into());
                }
                apache = true;
            }
        }
        track_downloads(&cmds, &wd_at(*i), &vars, &mut downloads);
        for (k, c) in cmds.iter().enumerate().skip(lead) {
            if other_prefix(c, &vars) {
                return Err("r7".into());
            }
            for p in paths(c, &vars) {
                if in_prefix(&p)
                    || scratch(&p)
                    || removed_later(&cmds[k + 1..], &p, &vars)
                    || (c.program() == "rm" && named_before(&cmds[lead..k], &p, &vars))
                {
                    continue;
                }
                if p == OPT || p.starts_with(&format!("{OPT}/")) {
                    opt = true;
                    continue;
                }
                let conditional = cmds.iter().any(|c| c.followed_by == Some("||"));
                if !conditional && artifact(c, &p, &vars) {
                    if !artifacts.contains(&p) {
                        artifacts.push(p);
                    }
                    installed = true;
                    continue;
                }
                match optional(&p) {
                    Some(o) if !left_behind.contains(&o) => left_behind.push(o),
                    Some(_) => {}
                    None => return Err(format!("r8 {p}")),
                }
            }
            if installs(c) {
                installed = true;
            }
            if installed {
                invoked.push(c.program().to_string());
            }
        }
    }
    if !installed {
        return Err("r9".into());
    }
    // The command's programs must be in the prefix, a copied context file, or the base's shell.
    let os_pkgs: Vec<String> = instrs
        .iter()
        .filter(|(_, ins)| ins.keyword == Keyword::Run)
        .flat_map(|(_, ins)| shell::commands(&arg_text(ins)))
        .flat_map(|c| os_packages(&c))
        .map(|p| p.split(['=', '>', '<']).next().unwrap_or("").to_string())
        .collect();
    // No command of its own: the base image's command runs in both, as it did in the original
    // (the runtime starts FROM the same base).
    let programs = command_programs(cx.doc, stage);
    let packaged = |name: &str| {
        replayed_pkgs
            .iter()
            .any(|p| p == name || name.strip_suffix('d') == Some(p.as_str()))
    };
    for prog in &programs {
        let name = shell::basename(prog);
        let ok = if base_provides(&resolved_base(stage), prog)
            || ((in_system_bin(prog) || !prog.contains('/')) && packaged(name))
        {
            true
        } else if prog.contains('/') {
            let path = resolve(
                &util::workdirs(cx.doc, stage)
                    .last()
                    .map_or("/".to_string(), |w| w.1.clone()),
                prog,
            );
            in_prefix(&path)
                || artifacts.contains(&path)
                || copied_from_context(cx.doc, stage, &path)
        } else {
            // A bare name no package provides, and the project's own `make install` (run where
            // the context was copied): the build steps write nothing outside the prefix (checked
            // above), so that install put it there, on PATH.
            !os_pkgs.iter().any(|p| p == name)
                && (invoked.iter().any(|p| p == name)
                    || configured(cx.doc, stage, name)
                    || copied_to_path(cx.doc, stage, name)
                    || matches!(name, "sh" | "bash")
                    || installs_own_project(&instrs, &places, &wd_at))
        };
        if !ok {
            return Err("r11".into());
        }
    }
    let mut copied: Vec<&str> = vec![PREFIX];
    if opt {
        copied.push(OPT);
    }
    if apache {
        copied.extend(APACHE);
    }
    copied.extend(artifacts.iter().map(String::as_str));
    let mut plan = render(
        cx, &instrs, &places, &users, last, base, family, &copied, &vars,
    );
    plan.extra(&kept_groups, &downloads, family);
    if apache {
        plan.notes.push(format!(
            "`configure --with-apxs2` installs PHP's Apache module into Apache's directories: the runtime also copies {}.",
            APACHE.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(" and ")
        ));
    }
    if !downloads.is_empty() {
        plan.notes.push(format!(
            "The build leaves {} under `/usr/src` (a source archive kept for building extensions in derived images, as `docker-php-source` does): the runtime copies it.",
            downloads.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if !kept_groups.is_empty() {
        plan.notes.push(
            "Packages the build step installs for run time and keeps are installed again in the runtime (computed library lists come from the runtime's own list)."
                .to_string(),
        );
    }
    if !left_behind.is_empty() {
        plan.notes.push(format!(
            "The build also writes under {}, which the runtime does not get (documentation or debugger helpers, not needed to run).",
            left_behind.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(plan)
}

/// Add-on software outside the prefix (FHS: `/opt`, empty in the Debian and Alpine bases): a build
/// step may install there; the runtime then copies it too.
const OPT: &str = "/opt";

/// Apache's module and configuration directories on Debian, where `apxs` installs and enables
/// PHP's module.
const APACHE: [&str; 2] = ["/usr/lib/apache2/modules", "/etc/apache2"];

/// Programs that download, verify and unpack, besides the system tools.
const FETCH_TOOLS: &[&str] = &[
    "curl",
    "wget",
    "gpg",
    "gpgv",
    "gpgconf",
    "tar",
    "unzip",
    "bzip2",
    "gzip",
    "xz",
    "mktemp",
    "sha256sum",
    "sha512sum",
    "mv",
];

/// A RUN whose programs only fetch and set up (no compiler, no tool a builder-only package
/// brings): it runs the same in the runtime.
fn only_fetches(ins: &Instruction) -> bool {
    shell::commands(&arg_text(ins))
        .iter()
        .all(|c| SYSTEM_TOOLS.contains(&c.program()) || FETCH_TOOLS.contains(&c.program()))
}

/// Programs that compile: their `-o` output is a build artifact.
const COMPILERS: &[&str] = &[
    "configure",
    "make",
    "gmake",
    "cmake",
    "ninja",
    "meson",
    "gcc",
    "cc",
    "g++",
    "c++",
    "clang",
    "go",
    "cargo",
    "rustc",
    "mvn",
    "gradle",
    "dotnet",
    "javac",
    "phpize",
    "pecl",
    "docker-php-ext-install",
    "docker-php-ext-configure",
];

/// True when a later command of the same RUN removes `path` or a directory above it (a GOPATH
/// the step deletes at its end is scratch space).
fn removed_later(later: &[Command], path: &str, vars: &Vars) -> bool {
    later.iter().any(|c| {
        c.program() == "rm"
            && paths(c, vars)
                .iter()
                .any(|r| r != "/" && (path == r || path.starts_with(&format!("{r}/"))))
    })
}

/// True when `cmd` puts a built file or folder at `path` outside the prefix by name: the output
/// of a compiler (`gcc … -o /usr/bin/nnp-test`) or the destination of `mv`/`cp`/`install`
/// (`mv $GOPATH/bin/consul /usr/bin/consul`, `mv dist /webui`). Only a file directly in a
/// system program directory or a new top-level folder: the runtime copies exactly that path.
fn artifact(cmd: &Command, path: &str, vars: &Vars) -> bool {
    const FHS: &[&str] = &[
        "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
        "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
    ];
    let named = match cmd.program() {
        "mv" | "cp" | "install" => cmd
            .program_operands()
            .last()
            .filter(|d| !d.ends_with('/') && cmd.program_args().len() >= 2)
            .map(|d| expand(d, vars)),
        p if COMPILERS.contains(&p) => cmd.flag_value(&["-o"]).map(|d| expand(d, vars)),
        _ => None,
    };
    if named.as_deref().map(|d| d.trim_end_matches('/')) != Some(path) {
        return false;
    }
    let top = path
        .strip_prefix('/')
        .is_some_and(|n| !n.is_empty() && !n.contains('/') && !FHS.contains(&n));
    in_system_bin(path) || top
}

/// True when a build step runs `make install` (or another installer) in a directory the whole
/// build context was copied to: the project's own program, installed into the prefix.
fn installs_own_project(
    instrs: &[(usize, &Instruction)],
    places: &[Place],
    wd_at: &dyn Fn(usize) -> String,
) -> bool {
    let context_dirs: Vec<String> = instrs
        .iter()
        .filter(|(_, ins)| ins.keyword == Keyword::Copy && ins.flag_value("from").is_none())
        .filter_map(|(i, ins)| {
            let (sources, dest) = copy_parts(ins)?;
            sources
                .iter()
                .any(|s| s == "." || s == "./")
                .then(|| resolve(&wd_at(*i), &dest))
        })
        .collect();
    instrs.iter().zip(places).any(|((i, ins), place)| {
        *place == Place::Build
            && context_dirs.contains(&wd_at(*i))
            && shell::commands(&arg_text(ins))
                .iter()
                .all(|c| c.program() != "cd" && !c.has_flag(&["-C"]))
            && shell::commands(&arg_text(ins)).iter().any(installs)
    })
}

/// A file directly in a system program directory (`/usr/bin/consul`).
fn in_system_bin(path: &str) -> bool {
    ["/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/"]
        .iter()
        .any(|d| {
            path.strip_prefix(d)
                .is_some_and(|n| !n.is_empty() && !n.contains('/'))
        })
}

/// True when an earlier command of the RUN names `path` or something under it (an `rm` of what
/// the step itself made).
fn named_before(earlier: &[Command], path: &str, vars: &Vars) -> bool {
    earlier.iter().any(|c| {
        paths(c, vars)
            .iter()
            .any(|p| p == path || p.starts_with(&format!("{path}/")))
    })
}

/// Files a build step downloads into `/usr/src` (`cd /usr/src; curl -o php.tar.xz …`) and no
/// later command removes: PHP's image keeps its source archive there for `docker-php-source`.
fn track_downloads(cmds: &[Command], wd: &str, vars: &Vars, out: &mut Vec<String>) {
    let mut cwd = wd.to_string();
    for c in cmds {
        let arg = |v: &str| resolve(&cwd, &expand(v, vars));
        match c.program() {
            "cd" => match c.program_args().first() {
                Some(d) if !expand(d, vars).contains(['$', '`']) => cwd = arg(d),
                // An unknown directory: nothing after it is tracked.
                _ => cwd = String::new(),
            },
            "curl" | "wget" if !cwd.is_empty() => {
                let names: &[&str] = if c.program() == "curl" {
                    &["-o", "--output"]
                } else {
                    &["-O", "--output-document"]
                };
                if let Some(file) = c.flag_value(names) {
                    let file = arg(file);
                    if file.starts_with("/usr/src/")
                        && !file.contains(['$', '`'])
                        && !out.contains(&file)
                    {
                        out.push(file);
                    }
                }
            }
            "rm" => {
                for a in c.program_operands() {
                    if cwd.is_empty() && !a.starts_with('/') {
                        continue;
                    }
                    let r = arg(a);
                    let r = r.trim_end_matches('/');
                    out.retain(|d| !(d == r || d.starts_with(&format!("{r}/"))));
                }
            }
            _ => {}
        }
    }
}
