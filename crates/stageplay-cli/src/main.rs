//! `stageplay`: the command-line front end over the engine.
//!
//! Each subcommand lives in its own module and returns the process exit code.

mod estimate;
mod format;
mod graph;
mod input;
mod lint;
mod parse;
mod refactor;
mod verify;

const USAGE: &str = "\
stageplay: analyse Dockerfiles (the engine of the Stageplay web app)

usage: stageplay <command> [options] FILE...    (FILE may be - for stdin)

commands:
  parse      parse and show diagnostics; --json prints BuildKit-parser-shaped JSON lines
  graph      the stage graph; --json, --format dot|mermaid, --target T, --build-arg K=V
  estimate   what the final image will contain; --json, --target T
  lint       stage-aware lint; --json, --format sarif
  refactor   multi-stage refactor suggestions; --json, --apply-all
  format     format in place (whitespace and keyword case only); --check lists files that would change
  verify     build the file as it is and as refactored with docker/podman/buildah; compare real
             size, layers, build time and estimates; smoke-test both (stageplay verify --help)
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        std::process::exit(2);
    };
    let code = match command.as_str() {
        "parse" => parse::run(rest),
        "graph" => graph::run(rest),
        "estimate" => estimate::run(rest),
        "lint" => lint::run(rest),
        "refactor" => refactor::run(rest),
        "format" => format::run(rest),
        "verify" => verify::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            0
        }
        other => {
            eprintln!("stageplay: unknown command '{other}'\n\n{USAGE}");
            2
        }
    };
    std::process::exit(code);
}
