//! `stageplay lint`: stage-aware lint with hadolint's interface, so a CI job or a pre-commit
//! hook that runs hadolint only changes the program name: the same options, configuration files
//! and `HADOLINT_*` variables ([`config`]), the same output formats ([`output`]) and exit codes.
//!
//! Exit code: 1 when a finding's level reaches the failure threshold (default `info`), unless
//! `--no-fail` (or the `codeclimate` format, as in hadolint); 2 on bad options, an unreadable
//! file or a configuration file that cannot be read; 0 otherwise.

pub mod config;
pub mod output;

use crate::input;
use crate::options::BuildOptions;
use config::{Format, Level, Partial, Settings, Threshold};
use stageplay::lint::{self, LintOptions};
use stageplay::{model, syntax, Severity};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
#[command(after_help = "\
Configuration, as hadolint's: -c FILE, else .hadolint.yaml or .hadolint.yml in the working \
directory, else hadolint.yaml in $XDG_CONFIG_HOME (~/.config), ~/.hadolint/, ~/.hadolint.yaml. \
The HADOLINT_* environment variables are read too (HADOLINT_IGNORE, HADOLINT_FAILURE_THRESHOLD, \
HADOLINT_OVERRIDE_ERROR, ...). A RULECODE names a rule by its code (DL3008, SP1001, \
JSONArgsRecommended) or by the hadolint code it mirrors (DL3025).")]
pub struct Args {
    /// The configuration file (default: looked up as hadolint does; see below).
    #[arg(short = 'c', long = "config", value_name = "FILENAME")]
    config: Option<PathBuf>,
    /// The output format.
    #[arg(short = 'f', long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the report to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "OUTPUT")]
    output: Option<PathBuf>,
    /// The file path written in checkstyle and Code Climate reports (e.g. when linting stdin).
    #[arg(long, value_name = "PATH")]
    file_path_in_report: Option<String>,
    /// Always exit 0, whatever is found.
    #[arg(long)]
    no_fail: bool,
    /// No colour (also when NO_COLOR is set; colour is only used on a terminal).
    #[arg(long)]
    no_color: bool,
    /// Say on stderr which configuration file is used.
    #[arg(short = 'V', long)]
    verbose: bool,
    /// Show the version.
    #[arg(short = 'v', long)]
    version: bool,
    /// Make the rule RULECODE have the level error (repeatable, or comma-separated).
    #[arg(long, value_name = "RULECODE")]
    error: Vec<String>,
    /// Make the rule RULECODE have the level warning.
    #[arg(long, value_name = "RULECODE")]
    warning: Vec<String>,
    /// Make the rule RULECODE have the level info.
    #[arg(long, value_name = "RULECODE")]
    info: Vec<String>,
    /// Make the rule RULECODE have the level style (below the default failure threshold).
    #[arg(long, value_name = "RULECODE")]
    style: Vec<String>,
    /// A rule to ignore (repeatable, or comma-separated).
    #[arg(long, value_name = "RULECODE")]
    ignore: Vec<String>,
    /// A registry allowed in FROM (repeatable, or comma-separated; DL3026 reports others;
    /// `*.gcr.io` trusts subdomains).
    #[arg(long, value_name = "REGISTRY")]
    trusted_registry: Vec<String>,
    /// Require the label LABEL in the format FORMAT (text, url, semver, hash, rfc3339, spdx,
    /// email), as LABEL:FORMAT (repeatable). Not checked yet.
    #[arg(long, value_name = "LABEL:FORMAT")]
    require_label: Vec<String>,
    /// Report labels that the label schema does not name. Not checked yet.
    #[arg(long)]
    strict_labels: bool,
    /// Do not honour `# hadolint ignore=` comments (BuildKit's `# check=` still applies).
    #[arg(long)]
    disable_ignore_pragma: bool,
    /// Exit 1 only when a finding's level is THRESHOLD or more severe (default info).
    #[arg(short = 't', long, value_enum, value_name = "THRESHOLD")]
    failure_threshold: Option<Threshold>,
    #[command(flatten)]
    build: BuildOptions,
    /// The .dockerignore to use (default: FILE.dockerignore or .dockerignore beside FILE).
    #[arg(long, value_name = "PATH", conflicts_with = "no_dockerignore")]
    dockerignore: Option<String>,
    /// Lint as if there were no .dockerignore.
    #[arg(long)]
    no_dockerignore: bool,
    /// Also run preview rules (BuildKit's experimental checks).
    #[arg(long)]
    preview: bool,
    /// Apply every safe fix in place, then lint the result.
    #[arg(long)]
    fix: bool,
    /// Dockerfiles to lint (`-` for standard input).
    #[arg(value_name = "DOCKERFILE")]
    files: Vec<String>,
}

/// One finding as every format prints it.
pub struct Finding<'a> {
    /// The file name shown (the path given, or --file-path-in-report where hadolint uses it).
    pub file: &'a str,
    pub text: &'a str,
    pub index: &'a stageplay::LineIndex,
    pub code: &'a str,
    pub sources: &'static [&'static str],
    pub level: Level,
    pub diagnostic: stageplay::Diagnostic,
    pub fix: Option<&'a stageplay::Fix>,
}

impl Finding<'_> {
    /// 1-based (line, column) of the start and the end.
    pub fn range(&self) -> (u32, u32, u32, u32) {
        let s = self.index.line_col(self.text, self.diagnostic.span.start);
        let e = self.index.line_col(self.text, self.diagnostic.span.end);
        (s.line, s.column, e.line, e.column)
    }
}

/// A linted file: its text, line index and findings (before the configuration is applied).
struct Linted {
    name: String,
    text: String,
    index: stageplay::LineIndex,
    diagnostics: Vec<Raw>,
}

/// A finding before the configuration is applied: a lint rule's or a syntax error.
struct Raw {
    diagnostic: stageplay::Diagnostic,
    sources: &'static [&'static str],
    fix: Option<stageplay::Fix>,
}

pub fn run(args: &Args) -> i32 {
    if args.version {
        println!("stageplay {}", env!("CARGO_PKG_VERSION"));
        return 0;
    }
    let settings = match settings(args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("stageplay lint: {message}");
            return 2;
        }
    };
    if settings.verbose {
        match &settings.config_file {
            Some(p) => eprintln!("Configuration file used: {}", p.display()),
            None => eprintln!("No configuration was specified. Using default configuration"),
        }
    }
    if !settings.rules.label_schema.is_empty() || settings.rules.strict_labels {
        eprintln!(
            "stageplay lint: note: label schemas (--require-label, --strict-labels, label-schema: \
             hadolint's DL3049-DL3058) are read but not checked yet"
        );
    }
    if args.files.is_empty() {
        eprintln!("stageplay lint: no Dockerfile given (use - for standard input)");
        return 2;
    }
    let inputs = match input::read_all(&args.files) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let model_opts = args.build.model_options();
    let mut linted = Vec::with_capacity(inputs.len());
    for inp in inputs {
        let dockerignore = if args.no_dockerignore {
            None
        } else if let Some(p) = &args.dockerignore {
            match std::fs::read_to_string(p) {
                Ok(t) => Some(t),
                Err(err) => {
                    eprintln!("stageplay lint: cannot read {p}: {err}");
                    return 2;
                }
            }
        } else {
            find_dockerignore(&inp.name)
        };
        // Ignored rules do not run (nor does --fix apply their fixes); the engine also drops
        // findings ignored by a code they mirror (DL3025). Syntax errors are filtered below.
        let opts = LintOptions {
            dockerignore,
            ignore: settings.rules.ignored.clone(),
            preview: args.preview,
            disable_ignore_pragma: settings.rules.disable_ignore_pragma,
            trusted_registries: settings.rules.trusted_registries.clone(),
        };
        let mut text = inp.text;
        if args.fix {
            let fixed = lint::fix_all_safe(&text, &opts, &model_opts);
            if fixed != text && inp.name != "-" {
                if let Err(err) = std::fs::write(&inp.name, &fixed) {
                    eprintln!("stageplay lint: cannot write {}: {err}", inp.name);
                    return 2;
                }
            }
            text = fixed;
        }
        let doc = syntax::parse(&text);
        let model = model::build(&doc, &model_opts);
        let mut diagnostics = syntax_errors(&doc);
        diagnostics.extend(
            lint::lint(&text, &doc, &model, &opts)
                .into_iter()
                .map(|d| Raw {
                    diagnostic: d.diagnostic,
                    sources: d.sources,
                    fix: d.fix,
                }),
        );
        let index = stageplay::LineIndex::new(&text);
        linted.push(Linted {
            name: inp.name,
            text,
            index,
            diagnostics,
        });
    }
    let report_name = |name: &str| -> String {
        match (&args.file_path_in_report, settings.format) {
            (Some(p), Format::Checkstyle | Format::Codeclimate | Format::GitlabCodeclimate) => {
                p.clone()
            }
            _ => name.to_string(),
        }
    };
    let names: Vec<String> = linted.iter().map(|l| report_name(&l.name)).collect();
    let mut files: Vec<(&str, Vec<Finding>)> = Vec::with_capacity(linted.len());
    for (l, name) in linted.iter().zip(&names) {
        let findings = l
            .diagnostics
            .iter()
            .filter(|d| !settings.rules.ignores(&d.diagnostic.code, d.sources))
            .map(|d| {
                let default = Level::from_severity(d.diagnostic.severity);
                let level = settings.rules.level(&d.diagnostic.code, d.sources, default);
                let mut diagnostic = d.diagnostic.clone();
                diagnostic.severity = level.severity();
                Finding {
                    file: name,
                    text: &l.text,
                    index: &l.index,
                    code: &d.diagnostic.code,
                    sources: d.sources,
                    level,
                    diagnostic,
                    fix: d.fix.as_ref(),
                }
            })
            .collect();
        files.push((name.as_str(), findings));
    }
    let color = !settings.no_color && args.output.is_none() && settings.format == Format::Tty;
    let report = output::render(settings.format, &files, color);
    let written = match &args.output {
        Some(path) => std::fs::write(path, &report).map_err(|e| (path.display().to_string(), e)),
        None => output::print(&report, color).map_err(|e| ("standard output".to_string(), e)),
    };
    if let Err((to, err)) = written {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("stageplay lint: cannot write {to}: {err}");
            return 2;
        }
    }
    let failed = files
        .iter()
        .flat_map(|(_, f)| f)
        .any(|f| settings.threshold.fails(f.level));
    if settings.no_fail || settings.format == Format::Codeclimate || !failed {
        0
    } else {
        1
    }
}

/// The settings from the command line, the configuration file and the environment.
fn settings(args: &Args) -> Result<Settings, String> {
    let env = |name: &str| std::env::var(name).ok();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config_file = match &args.config {
        Some(p) => Some(p.clone()),
        None => config::find_config_file(&cwd, &env, &|p: &Path| p.is_file()),
    };
    let file = match &config_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                format!("cannot read the configuration file {}: {e}", path.display())
            })?;
            let partial = Partial::from_yaml(&text, path)?;
            for key in partial.unknown.keys() {
                eprintln!(
                    "stageplay lint: warning: {}: unknown key '{key}' (ignored)",
                    path.display()
                );
            }
            partial
        }
        None => Partial::default(),
    };
    let mut warnings = Vec::new();
    let env_partial = Partial::from_env(&env, &mut warnings);
    for w in warnings {
        eprintln!("stageplay lint: warning: {w}");
    }
    let mut label_schema = Vec::new();
    for item in &args.require_label {
        label_schema.push(config::parse_label(item)?);
    }
    let cli = Partial {
        no_fail: args.no_fail.then_some(true),
        no_color: args.no_color.then_some(true),
        verbose: args.verbose.then_some(true),
        format: if args.json {
            Some(Format::Json)
        } else {
            args.format
        },
        overrides: config::Overrides {
            error: input::comma_list(&args.error),
            warning: input::comma_list(&args.warning),
            info: input::comma_list(&args.info),
            style: input::comma_list(&args.style),
        },
        ignored: input::comma_list(&args.ignore),
        trusted_registries: input::comma_list(&args.trusted_registry),
        label_schema,
        strict_labels: args.strict_labels.then_some(true),
        disable_ignore_pragma: args.disable_ignore_pragma.then_some(true),
        failure_threshold: args.failure_threshold,
        unknown: Default::default(),
    };
    Ok(config::combine(cli, file, env_partial, config_file))
}

/// Syntax errors as findings, so a file BuildKit would reject fails the lint (hadolint reports
/// DL1000 for a file it cannot parse).
fn syntax_errors(doc: &syntax::Dockerfile) -> Vec<Raw> {
    doc.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| Raw {
            diagnostic: d.clone(),
            sources: &[],
            fix: None,
        })
        .collect()
}

fn find_dockerignore(file: &str) -> Option<String> {
    if file == "-" {
        return None;
    }
    let path = Path::new(file);
    let specific = format!("{file}.dockerignore");
    let beside = path.parent().map(|p| p.join(".dockerignore"));
    std::fs::read_to_string(&specific)
        .ok()
        .or_else(|| beside.and_then(|b| std::fs::read_to_string(b).ok()))
}
