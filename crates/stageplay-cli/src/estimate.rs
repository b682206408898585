//! `stageplay estimate`: what the final image will contain, before any build.
//!
//! Human output: a layer table with sizes and ranges, the largest paths, facts and warnings.
//! `--json` prints `{"target","total_bytes","low_bytes","high_bytes","wasted_bytes","layers":[…],
//! "facts":{…},"files":{…},"stages":[…]}` (one object per file). `--alternatives` adds the
//! full / slim / multi-stage / alpine / distroless chart.

use crate::input::{parse_args, read_all, read_one};
use stageplay::estimate::{self, report, ContextFile, EstimateOptions};
use stageplay::model::{self, ModelOptions};
use stageplay::syntax;

const USAGE: &str =
    "usage: stageplay estimate [--json] [--alternatives] [--target T] [--build-arg K=V]... \
[--context-size BYTES|10MB] [--context-file PATH]... [--dockerignore FILE] FILE...";

/// `1500`, `10MB`, `2.5GB`, `300kB` → bytes.
fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1048576.0,
        "gib" => 1073741824.0,
        _ => return None,
    };
    Some((n * mult) as u64)
}

pub fn run(args: &[String]) -> i32 {
    let parsed = match parse_args(
        args,
        &[
            "--target",
            "--build-arg",
            "--context-size",
            "--context-file",
            "--dockerignore",
            "--platform",
        ],
    ) {
        Ok(p) => p,
        Err(code) => return code,
    };
    if parsed.has("-h") || parsed.has("--help") {
        println!("{USAGE}");
        return 0;
    }
    if let Some(unknown) = parsed
        .switches
        .iter()
        .find(|s| !matches!(s.as_str(), "--json" | "--alternatives"))
    {
        eprintln!("stageplay estimate: unknown option {unknown}\n{USAGE}");
        return 2;
    }
    let mut opts = EstimateOptions::default();
    if let Some(size) = parsed.value("--context-size") {
        match parse_size(size) {
            Some(b) => opts.context_bytes = Some(b),
            None => {
                eprintln!("stageplay estimate: bad --context-size '{size}' (e.g. 2500000 or 10MB)");
                return 2;
            }
        }
    }
    for path in parsed.all_values("--context-file") {
        match read_one(path) {
            Ok(input) => opts.context_files.push(ContextFile {
                path: path.to_string(),
                content: input.text,
            }),
            Err(code) => return code,
        }
    }
    if let Some(path) = parsed.value("--dockerignore") {
        match read_one(path) {
            Ok(input) => opts.dockerignore = Some(input.text),
            Err(code) => return code,
        }
    }
    let build_args = parsed
        .all_values("--build-arg")
        .into_iter()
        .filter_map(|kv| {
            kv.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let model_opts = ModelOptions {
        target: parsed.value("--target").map(str::to_string),
        build_args,
        platform: parsed.value("--platform").map(str::to_string),
    };
    let inputs = match read_all(&parsed.positionals) {
        Ok(i) => i,
        Err(code) => return code,
    };
    for input in &inputs {
        let doc = syntax::parse(&input.text);
        let model = model::build(&doc, &model_opts);
        let est = estimate::estimate(&doc, &model, &opts);
        let alternatives = parsed
            .has("--alternatives")
            .then(|| estimate::compare_alternatives(&doc, &model, &opts));
        if parsed.has("--json") {
            let mut value = match serde_json::to_value(&est) {
                Ok(v) => v,
                Err(e) => {
                    eprintln!("stageplay estimate: {e}");
                    return 1;
                }
            };
            if let (Some(rows), Some(obj)) = (&alternatives, value.as_object_mut()) {
                obj.insert(
                    "alternatives".into(),
                    serde_json::to_value(rows).unwrap_or_default(),
                );
            }
            println!("{value}");
        } else {
            if inputs.len() > 1 {
                println!("== {}", input.name);
            }
            print!("{}", report::render(&est));
            if let Some(rows) = &alternatives {
                print!("\n{}", report::render_alternatives(rows));
            }
        }
    }
    0
}
