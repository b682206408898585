//! `stageplay estimate`: what the final image will contain, before any build.
//!
//! Human output: a layer table with sizes and ranges, the largest paths, facts and warnings.
//! `--json` prints `{"target","total_bytes","low_bytes","high_bytes","wasted_bytes","layers":[…],
//! "facts":{…},"files":{…},"stages":[…]}` (one object per file). `--alternatives` adds the
//! full / slim / multi-stage / alpine / distroless chart.

use crate::input::{read_all, read_one};
use crate::options::BuildOptions;
use stageplay::estimate::{self, report, ContextFile, EstimateOptions};
use stageplay::model;
use stageplay::syntax;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// One JSON object per file: target, sizes, layers, facts, files, stages.
    #[arg(long)]
    json: bool,
    /// Also compare the full / slim / multi-stage / alpine / distroless alternatives.
    #[arg(long)]
    alternatives: bool,
    #[command(flatten)]
    build: BuildOptions,
    /// The project folder the image is built from: its files after its .dockerignore size the
    /// COPY layers, its dependency files (requirements.txt, pyproject.toml + uv.lock or
    /// poetry.lock, package.json + a lock file, go.mod, Cargo.lock, pom.xml) the installs. Read
    /// locally; the same estimate as the app's folder drop.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["context_size", "dockerignore"])]
    context: Option<std::path::PathBuf>,
    /// The build context's size after .dockerignore (2500000, 10MB, 1.5GB).
    #[arg(long, value_name = "BYTES", value_parser = parse_size)]
    context_size: Option<u64>,
    /// A file of the build context whose content replaces guesses (requirements.txt,
    /// package.json, pyproject.toml). Repeatable.
    #[arg(long, value_name = "PATH")]
    context_file: Vec<String>,
    /// The .dockerignore to use.
    #[arg(long, value_name = "FILE")]
    dockerignore: Option<String>,
    /// Dockerfiles to read (`-` for standard input).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

/// `1500`, `10MB`, `2.5GB`, `300kB` → bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    size_in_bytes(text).ok_or_else(|| format!("'{text}' is not a size (e.g. 2500000 or 10MB)"))
}

fn size_in_bytes(text: &str) -> Option<u64> {
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

pub fn run(args: &Args) -> i32 {
    let mut opts = match &args.context {
        Some(dir) => match crate::context::options(dir) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("stageplay estimate: --context {e}");
                return 2;
            }
        },
        None => EstimateOptions {
            context_bytes: args.context_size,
            ..EstimateOptions::default()
        },
    };
    for path in &args.context_file {
        match read_one(path) {
            Ok(input) => opts.context_files.push(ContextFile {
                path: path.clone(),
                content: input.text,
            }),
            Err(code) => return code,
        }
    }
    if let Some(path) = &args.dockerignore {
        match read_one(path) {
            Ok(input) => opts.dockerignore = Some(input.text),
            Err(code) => return code,
        }
    }
    let model_opts = args.build.model_options();
    let inputs = match read_all(&args.files) {
        Ok(i) => i,
        Err(code) => return code,
    };
    for input in &inputs {
        let doc = syntax::parse(&input.text);
        let model = model::build(&doc, &model_opts);
        let est = estimate::estimate(&doc, &model, &opts);
        let alternatives = args
            .alternatives
            .then(|| estimate::compare_alternatives(&doc, &model, &opts));
        if args.json {
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
