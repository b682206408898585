//! `stageplay rule CODE`: a lint rule's documentation, as `ruff rule` prints it; `--all` lists
//! every rule (code, level, fix, stage awareness, the rules it mirrors, summary).

use stageplay::lint::{self, render, RuleMeta};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The rule's code (DL3008, SP1001, JSONArgsRecommended) or the hadolint code it mirrors (DL3025).
    #[arg(value_name = "CODE", required_unless_present = "all")]
    code: Option<String>,
    /// List every rule, one per line.
    #[arg(long, conflicts_with = "code")]
    all: bool,
    /// Print JSON (one object, or an array with --all).
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> i32 {
    if args.all {
        if args.json {
            let list: Vec<serde_json::Value> = lint::rules().iter().map(to_json).collect();
            println!("{}", serde_json::Value::Array(list));
            return 0;
        }
        for r in lint::rules() {
            let fix = r.fix.map_or("-", render::applicability);
            let aware = if r.stage_aware { "stage-aware" } else { "-" };
            let sources = if r.sources.is_empty() {
                "-".to_string()
            } else {
                r.sources.join(",")
            };
            println!(
                "{:<32} {:<8} fix:{:<7} {:<12} {:<60} {}",
                r.code,
                r.severity.as_str(),
                fix,
                aware,
                sources,
                r.summary()
            );
        }
        return 0;
    }
    let code = args.code.as_deref().unwrap_or_default();
    let Some(rule) = find(code) else {
        eprintln!("stageplay rule: no rule '{code}' (`stageplay rule --all` lists them)");
        return 2;
    };
    if args.json {
        println!("{}", to_json(rule));
        return 0;
    }
    let mut head = format!("# {} ({})\n\n", rule.name, rule.code);
    head.push_str(&format!(
        "Level: {}. {}{}",
        rule.severity.as_str(),
        if rule.stage_aware {
            "Stage-aware. "
        } else {
            ""
        },
        rule.fix.map_or("No fix.".to_string(), |a| format!(
            "Fix: {}.",
            render::applicability(a)
        )),
    ));
    if !rule.sources.is_empty() {
        head.push_str(&format!(" Mirrors: {}.", rule.sources.join(", ")));
    }
    println!("{head}\n\n{}", rule.doc_markdown().trim());
    0
}

/// A rule by its code, else by a rule it mirrors (`DL3025` finds JSONArgsRecommended).
fn find(code: &str) -> Option<&'static RuleMeta> {
    lint::rule(code).or_else(|| {
        lint::rules().iter().find(|r| {
            r.sources.iter().any(|s| {
                s.split_once(':')
                    .is_some_and(|(_, c)| c.eq_ignore_ascii_case(code))
            })
        })
    })
}

fn to_json(r: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "code": r.code,
        "name": r.name,
        "level": r.severity.as_str(),
        "sources": r.sources,
        "fix": r.fix.map(render::applicability),
        "stage_aware": r.stage_aware,
        "summary": r.summary(),
        "doc": r.doc_markdown(),
    })
}
