//! Checks that a refactored Dockerfile is still a working one: it parses without errors, the
//! refactor is idempotent, and the final stage still has what its CMD/ENTRYPOINT needs.

use super::project::{image_family, root_image, Ecosystem};
use super::util::{self, copy_parts, resolve, stage_instructions};
use super::{analyse, apply_one, RefactorOptions};
use crate::diagnostic::Severity;
use crate::model::{Base, Model, Stage};
use crate::syntax::{Dockerfile, Keyword};

/// Problems found in `output` (the result of applying `id` to `input`); empty when valid.
pub fn validate(
    input: &str,
    output: &str,
    id: Option<&str>,
    opts: &RefactorOptions,
) -> Vec<String> {
    let mut problems = Vec::new();
    let (in_doc, in_model) = analyse(input, opts);
    let (doc, model) = analyse(output, opts);
    let errors = |d: &Dockerfile| {
        d.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    let (before, after) = (errors(&in_doc), errors(&doc));
    if after > before {
        for d in doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("parse error {}: {}", d.code, d.message));
        }
    }
    let model_errors = model
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if model_errors
        > in_model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    {
        for d in model
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            problems.push(format!("stage error {}: {}", d.code, d.message));
        }
    }
    let again = match id {
        Some(id) => apply_one(output, id, opts),
        None => {
            let out = super::apply_all(output, opts);
            (out != output).then_some(out)
        }
    };
    if let Some(again) = again {
        let first = again
            .lines()
            .zip(output.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        problems.push(format!(
            "not idempotent: applying again changes line {}",
            first + 1
        ));
    }
    // Only what the refactor broke: needs the input already lacked are not its doing.
    let already = run_needs(&in_doc, &in_model);
    problems.extend(
        run_needs(&doc, &model)
            .into_iter()
            .filter(|p| !already.contains(p)),
    );
    problems
}

/// What the final stage's CMD/ENTRYPOINT needs and does not have.
pub fn run_needs(doc: &Dockerfile, model: &Model) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(stage) = util::final_stage(model) else {
        return problems;
    };
    let words = util::run_command(doc, stage);
    let Some(first) = words.first() else {
        return problems;
    };
    let image = root_image(model, stage);
    let family = image_family(&image);
    let shell_less = image.contains("distroless") || image == "scratch";
    let chain = chain(model, stage);
    let program = first.rsplit('/').next().unwrap_or(first);
    let need =
        |eco: Ecosystem| family == Some(eco) || (eco == Ecosystem::Java && image.contains("jre"));
    let interpreter = match program {
        "python" | "python3" => Some(Ecosystem::Python),
        "node" | "npm" | "npx" | "yarn" => Some(Ecosystem::Node),
        "java" => Some(Ecosystem::Java),
        "dotnet" => Some(Ecosystem::DotNet),
        "ruby" | "bundle" | "rails" | "rake" => Some(Ecosystem::Ruby),
        "php" | "php-fpm" | "apache2-foreground" => Some(Ecosystem::Php),
        _ => None,
    };
    if let Some(eco) = interpreter {
        if !first.contains('/') && !need(eco) {
            problems.push(format!(
                "`{program}` needs a {eco:?} image, but the final stage is based on `{image}`"
            ));
        }
    }
    if matches!(program, "sh" | "bash") && shell_less {
        problems.push(format!("`{program}` needs a shell, but `{image}` has none"));
    }
    let cmd_is_shell_form = stage_instructions(doc, stage)
        .iter()
        .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint) && !util::is_exec(i));
    if shell_less && cmd_is_shell_form {
        problems.push(format!(
            "shell-form CMD/ENTRYPOINT needs /bin/sh, but `{image}` has none"
        ));
    }
    // Files the command names must be there: only checked when the stage copies from another
    // stage (a refactored runtime); a single stage builds its files itself.
    let copies_from_stage = chain.iter().any(|s| {
        stage_instructions(doc, s)
            .iter()
            .any(|(_, i)| i.keyword == Keyword::Copy && i.flags.iter().any(|f| f.name == "from"))
    });
    if !copies_from_stage {
        return problems;
    }
    let wd = util::workdirs(doc, stage)
        .last()
        .map_or("/".to_string(), |(_, w)| w.clone());
    let mut files: Vec<String> = Vec::new();
    if first.contains('/') {
        files.push(resolve(&wd, first));
    }
    for (i, w) in words.iter().enumerate() {
        if w == "-jar" {
            if let Some(j) = words.get(i + 1) {
                files.push(resolve(&wd, j));
            }
        }
        if i > 0
            && (w.ends_with(".py")
                || w.ends_with(".dll")
                || w.ends_with(".js")
                || w.ends_with(".rb"))
            && !w.starts_with('-')
        {
            files.push(resolve(&wd, w));
        }
    }
    for f in files {
        if !covered(doc, &chain, &f) {
            problems.push(format!(
                "the command needs `{f}`, but no COPY in the final stage brings it"
            ));
        }
    }
    // A bare program name next to a copied install prefix (`COPY --from=builder /usr/local
    // /usr/local`): it must be shown to be there — installed and run in the stage copied from,
    // copied into a PATH directory, or the image's own interpreter or shell.
    for (stage_from, src) in prefix_copies(doc, model, &chain) {
        for prog in command_programs(&words, doc, stage) {
            let name = prog.as_str();
            let own = match name {
                "sh" | "bash" => !shell_less,
                _ => interpreter.is_some_and(need),
            };
            let base = chain
                .last()
                .map_or(String::new(), |s| super::split_prefix::resolved_base(s));
            let shown = own
                || super::split_prefix::base_provides(&base, name)
                || chain
                    .iter()
                    .any(|s| super::split_prefix::copied_to_path(doc, s, name))
                || installed_and_run(doc, stage_from, &src, name);
            if !shown {
                problems.push(format!(
                    "`{name}` is run by the command, but nothing shows it in the copied `{src}` or the final stage"
                ));
            }
        }
    }
    // Console scripts (gunicorn, fastapi, …) must come with the copied dependencies.
    if interpreter.is_none() && !first.contains('/') && family == Some(Ecosystem::Python) {
        let on_path = chain.iter().any(|s| {
            stage_instructions(doc, s).iter().any(|(_, i)| {
                (i.keyword == Keyword::Env && util::arg_text(i).contains("/bin"))
                    || (i.keyword == Keyword::Copy
                        && copy_parts(i).is_some_and(|(_, d)| d.starts_with("/usr/local/bin")))
                    || (i.keyword == Keyword::Run && util::arg_text(i).contains("pip install"))
            })
        });
        if !on_path {
            problems.push(format!(
                "`{program}` is a console script, but no virtualenv or script directory is on PATH"
            ));
        }
    }
    problems
}

/// `COPY --from=<stage> SRC DEST` in the chain whose DEST holds a PATH directory below it
/// (`/usr/local`, `/usr`, `/`; a copied `bin` directory is checked with the console scripts):
/// the source stage and SRC.
fn prefix_copies<'a>(
    doc: &Dockerfile,
    model: &'a Model,
    chain: &[&Stage],
) -> Vec<(&'a Stage, String)> {
    const PATH: &[&str] = &[
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/bin",
        "/usr/sbin",
        "/bin",
        "/sbin",
    ];
    let mut out = Vec::new();
    for s in chain {
        for (_, ins) in stage_instructions(doc, s) {
            let Some(from) = ins.flag_value("from") else {
                continue;
            };
            let Some((sources, dest)) = copy_parts(ins) else {
                continue;
            };
            let dest = dest.trim_end_matches('/');
            let holds_path = PATH
                .iter()
                .any(|p| dest.is_empty() || p.starts_with(&format!("{dest}/")));
            let source_stage = model.stages.iter().find(|st| {
                st.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(from))
                    || st.index.to_string() == from
            });
            if let (true, Some(st), [src]) = (holds_path, source_stage, sources.as_slice()) {
                out.push((st, src.clone()));
            }
        }
    }
    out
}

/// The programs a command starts: the first word and, after an entrypoint script, the CMD's
/// program (flags skipped); bare names only.
fn command_programs(words: &[String], doc: &Dockerfile, stage: &Stage) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = words.first() else {
        return out;
    };
    if !first.contains('/') {
        out.push(first.clone());
    }
    let script = first.ends_with(".sh") || first.contains("entrypoint");
    if script {
        let cmd = stage_instructions(doc, stage)
            .iter()
            .rev()
            .find(|(_, i)| i.keyword == Keyword::Cmd)
            .map(|(_, i)| util::arg_words(i))
            .unwrap_or_default();
        if let Some(c) = cmd.first() {
            if !c.contains('/') && !c.starts_with('-') && c != first {
                out.push(c.clone());
            }
        }
    }
    out
}

/// True when `stage` copies `name` into a PATH directory, or installs into `prefix`
/// (`make install` …) and then runs `name` or was configured to build it (`--enable-fpm`),
/// which shows the program is there.
fn installed_and_run(doc: &Dockerfile, stage: &Stage, prefix: &str, name: &str) -> bool {
    if !prefix.starts_with("/usr") && prefix != "/" {
        return false;
    }
    if super::split_prefix::copied_to_path(doc, stage, name)
        || super::split_prefix::configured(doc, stage, name)
    {
        return true;
    }
    let mut installed = false;
    for (_, ins) in stage_instructions(doc, stage) {
        if ins.keyword != Keyword::Run {
            continue;
        }
        for c in super::shell::commands(&util::arg_text(ins)) {
            if super::split_prefix::installs(&c) {
                installed = true;
            } else if installed && c.program() == name {
                return true;
            }
        }
    }
    false
}

/// The stage and the stages it is built FROM, final first.
fn chain<'a>(model: &'a Model, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut out = vec![stage];
    let mut current = stage;
    for _ in 0..model.stages.len() {
        match current.base {
            Base::Stage(i) => match model.stages.get(i) {
                Some(s) => {
                    out.push(s);
                    current = s;
                }
                None => break,
            },
            _ => break,
        }
    }
    out
}

/// True when a COPY/ADD in the chain puts something at `path` or a directory above it.
fn covered(doc: &Dockerfile, chain: &[&Stage], path: &str) -> bool {
    chain.iter().any(|s| {
        let wds = util::workdirs(doc, s);
        stage_instructions(doc, s).iter().any(|(i, ins)| {
            let Some((sources, dest)) = copy_parts(ins) else {
                return false;
            };
            let here = wds
                .iter()
                .find(|(j, _)| j == i)
                .map_or("/", |(_, w)| w.as_str());
            let dest = resolve(here, &dest);
            let from_context_dir = sources
                .iter()
                .any(|s| s == "." || s == "./" || !s.contains('.'));
            path == dest
                || path.starts_with(&format!("{}/", dest.trim_end_matches('/')))
                || (dest == "/" && from_context_dir)
                || sources
                    .iter()
                    .any(|src| resolve(&dest, src.rsplit('/').next().unwrap_or(src)) == path)
        })
    })
}
