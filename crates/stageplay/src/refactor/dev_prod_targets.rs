//! Named development and production targets from one Dockerfile.
//!
//! ## What it does
//! When a single stage mixes development tooling (pytest, black, ruff, mypy, nodemon, eslint, …)
//! or runs a development server (`fastapi dev`, `--reload`, `npm run dev`, `nodemon`), splits it
//! into a `base` stage with the dependencies and code, a `development` target that adds the tools
//! and runs the dev server, and a `production` target that runs the production command.
//!
//! ## Why is this better?
//! One file serves both: `docker build --target development` for local work,
//! `--target production` for deployment, and production no longer ships test tools.
//!
//! ## Fix safety
//! Unsafe: the default target (the last stage) becomes `production`.
//!
//! ## References
//! Founding guide, "Named Stages and Targets: Multiple Targets in One Dockerfile" and
//! "Building Specific Targets".

use super::shell::{self, exec_form, Word};
use super::util::{self, arg_text, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::syntax::{Instruction, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "dev-prod-targets",
    title: "Named development and production targets",
    sources: &[(
        "Founding guide: Named Stages and Targets",
        "https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage",
    )],
};

const DEV_TOOLS: &[&str] = &[
    "pytest",
    "pytest-cov",
    "pytest-asyncio",
    "black",
    "ruff",
    "mypy",
    "flake8",
    "pylint",
    "isort",
    "ipython",
    "ipdb",
    "debugpy",
    "coverage",
    "tox",
    "pre-commit",
    "nodemon",
    "eslint",
    "prettier",
    "jest",
    "mocha",
    "ts-node",
    "rubocop",
    "pry",
];

/// True when a RUN only installs development tools.
fn installs_dev_tools(ins: &Instruction) -> bool {
    if ins.keyword != Keyword::Run {
        return false;
    }
    let cmds = shell::commands(&arg_text(ins));
    !cmds.is_empty()
        && cmds.iter().all(|c| {
            let installs = matches!(
                (c.program(), c.subcommand()),
                ("pip" | "pip3", Some("install"))
                    | ("npm", Some("install") | Some("i"))
                    | ("gem", Some("install"))
            );
            let pkgs: Vec<&Word> = c.program_operands().into_iter().skip(1).collect();
            installs
                && !pkgs.is_empty()
                && pkgs.iter().all(|p| {
                    DEV_TOOLS.contains(&p.split(['=', '<', '>', '@', '[']).next().unwrap_or(p))
                })
        })
}

/// The development and production forms of a run command (`None` when it has no dev form).
fn commands_for(words: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let strip = |drop: &[&str]| {
        words
            .iter()
            .filter(|w| !drop.contains(&w.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    };
    let first = words.first()?.as_str();
    let second = words.get(1).map(String::as_str);
    if first == "fastapi" && second == Some("dev") {
        let mut dev = words.to_vec();
        dev[1] = "dev".into();
        let mut prod = words.to_vec();
        prod[1] = "run".into();
        return Some((dev, prod));
    }
    if words.iter().any(|w| w == "--reload" || w == "--debug") {
        return Some((words.to_vec(), strip(&["--reload", "--debug"])));
    }
    if matches!(first, "npm" | "yarn" | "pnpm") && words.iter().any(|w| w == "dev") {
        return Some((words.to_vec(), vec![first.to_string(), "start".into()]));
    }
    if first == "nodemon" {
        let mut prod = words.to_vec();
        prod[0] = "node".into();
        return Some((words.to_vec(), prod));
    }
    None
}

pub fn check(cx: &Context) -> Option<Draft> {
    if cx.model.stages.len() != 1 {
        return None;
    }
    let stage = cx.model.stages.first()?;
    if stage.name.is_some() {
        return None;
    }
    let instrs = stage_instructions(cx.doc, stage);
    let run_ins: Vec<&Instruction> = instrs
        .iter()
        .filter(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        .map(|(_, i)| *i)
        .collect();
    let [cmd] = run_ins.as_slice() else {
        return None;
    };
    let words = util::arg_words(cmd);
    let dev_runs: Vec<&Instruction> = instrs
        .iter()
        .map(|(_, i)| *i)
        .filter(|i| installs_dev_tools(i))
        .collect();
    let (dev_cmd, prod_cmd) = match commands_for(&words) {
        Some(pair) => pair,
        None if !dev_runs.is_empty() => (words.clone(), words.clone()),
        None => return None,
    };
    if dev_runs.is_empty() && dev_cmd == prod_cmd {
        return None;
    }
    let from = util::ins(cx.doc, stage.from_instruction)?;
    let image = util::from_parts(from).0;
    let rule = "# =============================================================================";
    let mut text = format!("{rule}\n# Base stage\n{rule}\nFROM {image} AS base\n");
    let source = |ins: &Instruction| {
        let span = util::line_span(cx.text, ins.span, true);
        util::slice(
            cx.text,
            crate::span::Span::new(span.start, ins.span.end.max(span.start)),
        )
        .to_string()
    };
    let mut tail: Vec<String> = Vec::new();
    for (_, ins) in &instrs {
        if dev_runs.iter().any(|d| std::ptr::eq(*d, *ins)) {
            continue;
        }
        match ins.keyword {
            Keyword::Cmd | Keyword::Entrypoint => {}
            Keyword::Healthcheck | Keyword::User | Keyword::Expose => tail.push(source(ins)),
            _ => {
                text.push_str(&source(ins));
                text.push('\n');
            }
        }
    }
    let keyword = cmd.keyword_text();
    text.push_str(&format!(
        "\n{rule}\n# Development target\n{rule}\nFROM base AS development\n"
    ));
    for d in &dev_runs {
        text.push_str(&source(d));
        text.push('\n');
    }
    for t in &tail {
        if !t.trim_start().starts_with("USER") && !t.trim_start().starts_with("HEALTHCHECK") {
            text.push_str(t);
            text.push('\n');
        }
    }
    text.push_str(&format!("{keyword} {}\n", exec_form(&dev_cmd)));
    text.push_str(&format!(
        "\n{rule}\n# Production target\n{rule}\nFROM base AS production\n"
    ));
    for t in &tail {
        text.push_str(t);
        text.push('\n');
    }
    text.push_str(&format!("{keyword} {}\n", exec_form(&prod_cmd)));
    let span = util::stage_span(cx.text, cx.doc, stage);
    Some(Draft {
        title: "Split into `development` and `production` targets".into(),
        explanation: format!(
            "This image mixes development tooling ({}) with what production runs. A `base` stage with the dependencies and \
             code, a `development` target (`docker build --target development`) and a `production` target (the default, \
             `docker build --target production`) keep the tools out of production (founding guide: \"Named Stages and Targets\").",
            if dev_runs.is_empty() { format!("the dev server `{}`", dev_cmd.join(" ")) } else { "test and lint tools".to_string() }
        ),
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit { span, insert: text }],
    })
}
