//! One instruction applied to a stage's filesystem: ENV/ARG/USER/WORKDIR bookkeeping, the layer
//! each filesystem-changing instruction opens and closes, and RUN's commands.

use super::copy::copy;
use super::known_files::looks_secret;
use super::{shorten, words, Config, StageNames};
use crate::estimate::run::{self, Ctx};
use crate::estimate::size::{human, Size};
use crate::estimate::state::{is_at_or_below, State};
use crate::estimate::{CacheFact, EstimateOptions, Layer, SecretFact};
use crate::model::{Model, Stage};
use crate::syntax::shell::{basename, has_flag, run_script, Script};
use crate::syntax::{Args, Dockerfile, Instruction, Keyword};

fn raw_text(inst: &Instruction) -> String {
    match &inst.args {
        Args::Exec { items, .. } => {
            let parts: Vec<String> = items.iter().map(|w| format!("\"{}\"", w.text)).collect();
            format!("[{}]", parts.join(", "))
        }
        Args::Shell { text, .. } => text.to_string(),
    }
}

fn instruction_text(inst: &Instruction) -> String {
    let flags: Vec<&str> = inst.flags.iter().map(|f| f.raw.as_str()).collect();
    let mut t = inst.keyword.as_str().to_string();
    if !flags.is_empty() {
        t.push(' ');
        t.push_str(&flags.join(" "));
    }
    t.push(' ');
    t.push_str(&raw_text(inst));
    shorten(&t)
}

/// `K=V K2="V 2"` or the legacy `K V` form (ENV) and `NAME[=default]` (ARG): the parser's pairs,
/// each value expanded like BuildKit's `ProcessWord` with the variables set before the
/// instruction (quotes removed, `$VAR` substituted). A value the run's expansion budget cannot
/// pay for stays as written, and the stage's notes say so once.
fn key_values(inst: &Instruction, st: &State, names: &StageNames) -> Vec<(String, Option<String>)> {
    let lookup = |n: &str| st.var(n);
    inst.key_values()
        .into_iter()
        .map(|kv| {
            let value = kv.value.map(|v| {
                crate::syntax::expand::expand(&v, '\\', &lookup, &names.budget).unwrap_or(v)
            });
            (kv.key, value)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn apply(
    doc: &Dockerfile,
    model: &Model,
    stage: &Stage,
    name: &str,
    inst: &Instruction,
    done: &[State],
    st: &mut State,
    opts: &EstimateOptions,
    cfg: &Config,
    names: &StageNames,
) {
    let line = inst.start_line;
    match inst.keyword {
        Keyword::Arg | Keyword::Env => {
            let pairs = key_values(inst, st, names);
            names.note_spent_budget(st);
            for (k, v) in pairs {
                if looks_secret(&k) {
                    st.secrets.push(SecretFact {
                        name: k.clone(),
                        instruction: inst.keyword.as_str().into(),
                        stage: stage.index,
                        line,
                    });
                }
                if inst.keyword == Keyword::Env {
                    st.set_env(&k, v.unwrap_or_default());
                    continue;
                }
                let global = model
                    .global_args
                    .iter()
                    .find(|g| g.name == k)
                    .and_then(|g| g.default.clone());
                st.args.push((k, v.or(global)));
            }
        }
        Keyword::User => {
            if let Some(u) = words(doc, inst, st, names).first() {
                st.user = Some((u.clone(), Some(line)));
            }
        }
        Keyword::Entrypoint | Keyword::Cmd => {
            let value = match &inst.args {
                Args::Exec { items, .. } => items.iter().map(|w| w.text.clone()).collect(),
                Args::Shell { text, .. } => {
                    vec!["/bin/sh".into(), "-c".into(), text.trim().to_string()]
                }
            };
            if inst.keyword == Keyword::Entrypoint {
                // Docker resets a CMD inherited from the base image when ENTRYPOINT is set.
                if st.cmd.as_ref().is_some_and(|(_, l)| l.is_none()) {
                    st.cmd = None;
                }
                st.entrypoint = Some((value, Some(line)));
            } else {
                st.cmd = Some((value, Some(line)));
            }
        }
        Keyword::Expose => {
            for w in words(doc, inst, st, names) {
                if !st.ports.contains(&w) {
                    st.ports.push(w);
                }
            }
        }
        Keyword::Healthcheck => {
            let text = raw_text(inst);
            st.healthcheck = if text.trim().eq_ignore_ascii_case("NONE") {
                None
            } else {
                Some((shorten(&text), line))
            };
        }
        Keyword::Workdir => {
            let w = words(doc, inst, st, names).join(" ");
            st.workdir = st.abs(&w);
            begin(st);
            end(
                st,
                stage,
                name,
                inst,
                vec![format!("creates {}", st.workdir)],
                Vec::new(),
            );
        }
        Keyword::Copy | Keyword::Add => {
            begin(st);
            let reasons = copy(doc, model, stage, inst, done, st, opts, names);
            end(st, stage, name, inst, reasons, Vec::new());
        }
        Keyword::Run => {
            begin(st);
            let mut cx = Ctx {
                stage: stage.index,
                line,
                opts,
                runtime_only: cfg.runtime_only,
                no_package_manager: cfg.no_package_manager,
                reasons: Vec::new(),
                unknown: Vec::new(),
                closures: &names.closures,
                script: String::new(),
                budget: &names.budget,
            };
            run_instruction(inst, st, &mut cx);
            let unknown = std::mem::take(&mut cx.unknown);
            end(st, stage, name, inst, cx.reasons, unknown);
        }
        _ => {}
    }
}

fn begin(st: &mut State) {
    st.current = st.layers.len();
}

fn end(
    st: &mut State,
    stage: &Stage,
    name: &str,
    inst: &Instruction,
    reasons: Vec<String>,
    unknown: Vec<String>,
) {
    let size = st.layer_size(st.current);
    let mut reason = reasons.join("; ");
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|u| shorten(u)).collect();
        if !reason.is_empty() {
            reason.push_str("; ");
        }
        reason.push_str(&format!(
            "not counted (not understood): {}",
            list.join(" | ")
        ));
        for u in &list {
            st.notes
                .push(format!("line {}: not understood: {u}", inst.start_line));
        }
    }
    st.layers.push(Layer {
        stage: stage.index,
        stage_name: name.to_string(),
        line: inst.start_line,
        instruction: instruction_text(inst),
        bytes: size.bytes,
        low_bytes: size.low,
        high_bytes: size.high,
        reason,
    });
}

fn run_instruction(inst: &Instruction, st: &mut State, cx: &mut Ctx) {
    let line = inst.start_line;
    let mut scratch_targets: Vec<String> = Vec::new();
    for f in inst
        .flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
    {
        let Some(value) = f.value.as_deref() else {
            continue;
        };
        let mut kind = "bind";
        let mut target = None;
        for part in value.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            match k.trim() {
                "type" => {
                    kind = if v == "cache" {
                        "cache"
                    } else if v == "tmpfs" {
                        "tmpfs"
                    } else if v == "secret" {
                        "secret"
                    } else if v == "ssh" {
                        "ssh"
                    } else {
                        "bind"
                    }
                }
                "target" | "dst" | "destination" => target = Some(v.to_string()),
                _ => {}
            }
        }
        let Some(target) = target else { continue };
        let abs = st.abs(&target);
        match kind {
            "cache" => st.cache_mounts.push(CacheFact {
                path: abs.clone(),
                bytes: 0,
                stage: cx.stage,
                line,
                in_image: false,
            }),
            "tmpfs" | "bind" | "secret" => {}
            _ => {}
        }
        scratch_targets.push(abs);
    }
    // The script the RUN runs; `["sh", "-c", "script"]` runs its script too.
    let script = match &inst.args {
        Args::Exec { items, .. } => {
            let first = items.first().map(|w| w.text.as_str()).unwrap_or("");
            let is_shell = matches!(basename(first), "sh" | "bash" | "ash" | "dash");
            if is_shell
                && items
                    .get(1)
                    .is_some_and(|w| has_flag(&[w.text.as_str()], &["-c"]))
            {
                Script::parse(items.get(2).map_or("", |w| w.text.as_str()))
            } else {
                let words: Vec<&str> = items.iter().map(|w| w.text.as_str()).collect();
                Script::parse(&words.join(" "))
            }
        }
        Args::Shell { .. } => run_script(inst),
    };
    let vars = |n: &str| st.var(n);
    let commands = crate::estimate::shell::commands(&script, &vars, cx.budget);
    cx.script = script.text;
    for (i, c) in commands.iter().enumerate() {
        run::apply(c, &commands, i, st, cx);
    }
    // Contents of cache, tmpfs and bind mounts are not part of the layer.
    let mut hidden = Size::ZERO;
    let current = st.current;
    for target in &scratch_targets {
        let (freed, _) =
            st.remove_where(&|e| e.layer == current && is_at_or_below(&e.path, target));
        hidden += freed;
    }
    if !hidden.is_zero() {
        cx.reasons.push(format!(
            "{} written to mounts is not in the layer",
            human(hidden.bytes)
        ));
    }
    let mounted: Vec<&CacheFact> = st.cache_mounts.iter().filter(|m| m.line == line).collect();
    if !mounted.is_empty() {
        let paths: Vec<&str> = mounted.iter().map(|m| m.path.as_str()).collect();
        cx.reasons.push(format!(
            "cache mount(s) {}: contents not in the image",
            paths.join(", ")
        ));
    }
}
