//! `stageplay`: the command-line front end over the engine.
//!
//! One `Command` variant per subcommand; each lives in its own module with its clap `Args`
//! struct and a `run` that returns the process exit code (0 ok, 1 findings or failures the
//! subcommand documents, 2 usage errors and unreadable input). Adding a subcommand is one
//! variant and one match arm.

mod context;
mod estimate;
mod format;
mod graph;
mod input;
mod lint;
mod options;
mod parse;
mod refactor;
mod rule;
mod verify;

use clap::{Parser, Subcommand};

/// Analyse Dockerfiles: the engine of the Stageplay web app, on the command line.
///
/// Every FILE may be `-` for standard input. `stageplay lint` takes hadolint's options,
/// configuration files and environment variables, so it can replace hadolint in CI.
#[derive(Parser, Debug)]
#[command(name = "stageplay", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse and show diagnostics; --json prints BuildKit-parser-shaped JSON lines.
    Parse(parse::Args),
    /// The stage graph: stages, references, build order (text, JSON, DOT, Mermaid, SVG).
    Graph(graph::Args),
    /// What the final image will contain, before any build.
    Estimate(estimate::Args),
    /// Stage-aware lint with hadolint's interface (config files, formats, exit codes).
    Lint(lint::Args),
    /// Multi-stage refactor suggestions; --apply-all prints the refactored Dockerfile.
    Refactor(refactor::Args),
    /// Format in place (whitespace and keyword case only); --check lists files that would change.
    Format(format::Args),
    /// A lint rule's documentation (`stageplay rule DL3008`), or every rule (`--all`).
    Rule(rule::Args),
    /// Build the file as it is and as refactored with docker, podman or buildah; compare real
    /// size, layers, build time and estimates; smoke-test both images.
    Verify(verify::Args),
}

fn main() {
    restore_sigpipe();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Estimate(args) => estimate::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Refactor(args) => refactor::run(&args),
        Command::Format(args) => format::run(&args),
        Command::Rule(args) => rule::run(&args),
        Command::Verify(args) => verify::run(&args),
    };
    std::process::exit(code);
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`stageplay … | head`) is an error
/// that `println!` turns into a panic. With the default action the process ends quietly, as
/// other Unix tools do (the shell reports status 141).
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first in `main`, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
