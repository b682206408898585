//! Which programs the runtime has: those copied from the context or named by the build, and the
//! stage's command programs (the official base images' programs are the knowledge base's,
//! [`crate::estimate::kb::programs`]).

use crate::model::Stage;
use crate::refactor::shell::{self};
use crate::refactor::util::{self, arg_text, copy_parts, resolve, stage_instructions};
use crate::syntax::{glob, Dockerfile, Keyword};

/// The programs the container starts: the ENTRYPOINT's and, when the entrypoint is a script or
/// absent, the CMD's (flags skipped).
pub(super) fn command_programs(doc: &Dockerfile, stage: &Stage) -> Vec<String> {
    let mut entry: Vec<String> = Vec::new();
    let mut cmd: Vec<String> = Vec::new();
    for (_, ins) in stage_instructions(doc, stage) {
        let words = || -> Vec<String> {
            if util::is_exec(ins) {
                util::arg_words(ins)
            } else {
                shell::commands(&arg_text(ins))
                    .first()
                    .map(|c| {
                        c.words[c.program_index().unwrap_or(0)..]
                            .iter()
                            .map(|w| w.text.clone())
                            .collect()
                    })
                    .unwrap_or_default()
            }
        };
        match ins.keyword {
            Keyword::Entrypoint => entry = words(),
            Keyword::Cmd => cmd = words(),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(e) = entry.first() {
        out.push(e.clone());
        if !(e.ends_with(".sh") || e.contains("entrypoint")) {
            return out;
        }
    }
    if let Some(c) = cmd.first().filter(|c| !c.starts_with('-')) {
        out.push(c.clone());
    }
    out
}

/// True when a context COPY puts a file named `name` into a directory on the default PATH.
pub fn copied_to_path(doc: &Dockerfile, stage: &Stage, name: &str) -> bool {
    const PATH: &[&str] = &[
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ];
    context_copies(doc, stage)
        .into_iter()
        .any(|(sources, dest)| {
            if PATH.contains(&dest.as_str()) {
                return sources.iter().any(|s| {
                    let b = shell::basename(s.trim_end_matches('/'));
                    b == name || (glob::has_meta(b) && glob::matches(b, name, glob::Dialect::Go))
                });
            }
            sources.len() == 1
                && dest.rsplit_once('/').is_some_and(|(dir, file)| {
                    file == name && PATH.contains(&if dir.is_empty() { "/" } else { dir })
                })
        })
}

/// The stage's COPY/ADD from the context: sources as written, destination resolved against
/// the working directory in force there.
fn context_copies(doc: &Dockerfile, stage: &Stage) -> Vec<(Vec<String>, String)> {
    let wds = util::workdirs(doc, stage);
    stage_instructions(doc, stage)
        .iter()
        .filter_map(|(i, ins)| {
            let (sources, dest) = copy_parts(ins)?;
            let wd = wds
                .iter()
                .find(|(j, _)| j == i)
                .map_or("/", |(_, w)| w.as_str());
            Some((sources, resolve(wd, &dest)))
        })
        .collect()
}

pub(super) fn copied_from_context(doc: &Dockerfile, stage: &Stage, path: &str) -> bool {
    context_copies(doc, stage)
        .into_iter()
        .any(|(sources, dest)| {
            dest == path
                || sources.iter().any(|s| {
                    let b = shell::basename(s.trim_end_matches('/'));
                    resolve(&dest, b) == path
                        || (glob::has_meta(b)
                            && path.rsplit_once('/').is_some_and(|(dir, file)| {
                                (if dir.is_empty() { "/" } else { dir })
                                    == dest.trim_end_matches('/').max("/")
                                    && glob::matches(b, file, glob::Dialect::Go)
                            }))
                })
        })
}
