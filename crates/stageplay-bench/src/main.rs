//! `stageplay-bench`: native timings of the engine, each next to its reference, measured in
//! one run. Prints Markdown table rows (`| what | Stageplay | reference | ratio | goal | met |`)
//! on stdout and progress on stderr; `cargo xtask bench` adds the browser and size rows.
//!
//! Usage: `stageplay-bench [--quick] [--only SECTION] --corpus DIR [--cli PATH] [--hadolint PATH]
//! [--fixtures DIR]`; `--phases FILE`, `--parse-only FILE`, `--lint-only FILE` and `--full-only FILE` time
//! one file (for profiling and for comparing two builds run alternately).
//!
//! Timings use `std::time::Instant` in this process; every figure is the median (p50) of
//! several runs unless a percentile is named. `--cli` and `--hadolint` are timed as whole
//! processes over the same file list (one invocation each, start-up included).

mod gen;

use stageplay::analysis::{self, AnalysisOptions};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Args {
    quick: bool,
    corpus: PathBuf,
    cli: Option<PathBuf>,
    hadolint: Option<PathBuf>,
    fixtures: Option<PathBuf>,
    phases: Option<PathBuf>,
    parse_only: Option<PathBuf>,
    full_only: Option<PathBuf>,
    lint_only: Option<PathBuf>,
    /// Only one section: parse, lint, corpus, 300, model or sizes.
    only: Option<String>,
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stageplay-bench: {e}");
            std::process::exit(2);
        }
    };
    if let Some(file) = &args.phases {
        phases(file);
        return;
    }
    if let Some(file) = &args.parse_only {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let stats = time(20, || {
            black_box(stageplay::syntax::parse(&text));
        });
        eprintln!(
            "parse: p50 {} · min {}",
            ms(stats.p50()),
            ms(stats.pct(0.0))
        );
        return;
    }
    if let Some(file) = &args.lint_only {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let options = AnalysisOptions::default();
        let doc = stageplay::syntax::parse(&text);
        let model = stageplay::model::build(&doc, &options.model_options());
        let stats = time(10, || {
            black_box(stageplay::lint::lint(
                &text,
                &doc,
                &model,
                &options.lint_options(),
            ));
        });
        eprintln!("lint: p50 {} · min {}", ms(stats.p50()), ms(stats.pct(0.0)));
        return;
    }
    if let Some(file) = &args.full_only {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let stats = time(10, || {
            black_box(full_analysis(&text));
        });
        eprintln!(
            "full analysis: p50 {} · min {}",
            ms(stats.p50()),
            ms(stats.pct(0.0))
        );
        // What the app's Suggestions pane asks of the same analysis.
        let options = AnalysisOptions::default();
        let stats = time(10, || {
            let a = analysis::analyze(&text, &options);
            black_box(analysis::suggestions(&text, &a, &options));
            black_box(analysis::declined(&text, &a, &options));
        });
        eprintln!(
            "analysis + suggestions + declined: p50 {} · min {}",
            ms(stats.p50()),
            ms(stats.pct(0.0))
        );
        return;
    }
    if let Some(dir) = &args.fixtures {
        if let Err(e) = write_fixtures(dir) {
            eprintln!("stageplay-bench: cannot write fixtures: {e}");
            std::process::exit(1);
        }
    }
    let files = corpus_files(&args.corpus);
    if files.is_empty() {
        eprintln!(
            "stageplay-bench: no Dockerfiles under {}",
            args.corpus.display()
        );
        std::process::exit(1);
    }
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .filter_map(|p| Some((p.clone(), std::fs::read_to_string(p).ok()?)))
        .collect();
    let q = args.quick;
    let wants = |name: &str| args.only.as_deref().is_none_or(|o| o == name);
    if wants("parse") {
        parse_throughput(&texts, if q { 5 } else { 30 });
    }
    if wants("lint") {
        lint_processes(&args, &files, if q { 1 } else { 5 });
    }
    if wants("corpus") {
        corpus_analysis(&args.corpus, &texts, if q { 2 } else { 9 });
    }
    if wants("300") {
        three_hundred_lines(if q { 10 } else { 60 });
        editor_requests(if q { 10 } else { 60 });
    }
    if wants("model") {
        model_layout(if q { 30 } else { 300 });
    }
    if args.only.as_deref() == Some("sizes") {
        generated_sizes(if q { 1 } else { 5 }, q);
    } else if wants("sizes") {
        // The growth figures are timed in a fresh process: in this one, the sections above
        // leave the allocator's heap fragmented, which slows the 5 MB runs more than the 1 MB
        // ones (same binary: 4.1-4.2x alone, 4.6x after the other sections).
        let status = std::env::current_exe().and_then(|exe| {
            let mut cmd = std::process::Command::new(exe);
            cmd.args(["--only", "sizes", "--corpus"]).arg(&args.corpus);
            if q {
                cmd.arg("--quick");
            }
            cmd.status()
        });
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("stageplay-bench: the generated-sizes run failed");
            std::process::exit(1);
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        quick: false,
        corpus: PathBuf::from("crates/stageplay/tests/corpus"),
        cli: None,
        hadolint: None,
        fixtures: None,
        phases: None,
        parse_only: None,
        full_only: None,
        lint_only: None,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} takes a value"));
        match a.as_str() {
            "--quick" => args.quick = true,
            "--corpus" => args.corpus = PathBuf::from(value()?),
            "--cli" => args.cli = Some(PathBuf::from(value()?)),
            "--hadolint" => args.hadolint = Some(PathBuf::from(value()?)),
            "--fixtures" => args.fixtures = Some(PathBuf::from(value()?)),
            "--phases" => args.phases = Some(PathBuf::from(value()?)),
            "--only" => args.only = Some(value()?),
            "--parse-only" => args.parse_only = Some(PathBuf::from(value()?)),
            "--full-only" => args.full_only = Some(PathBuf::from(value()?)),
            "--lint-only" => args.lint_only = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(args)
}

/// Sorted samples of one measurement.
struct Stats(Vec<Duration>);

impl Stats {
    fn pct(&self, p: f64) -> Duration {
        let n = self.0.len();
        if n == 0 {
            return Duration::ZERO;
        }
        let i = ((p / 100.0) * n as f64).ceil() as usize;
        self.0[i.clamp(1, n) - 1]
    }
    fn p50(&self) -> Duration {
        self.pct(50.0)
    }
    fn max(&self) -> Duration {
        self.0.last().copied().unwrap_or_default()
    }
}

/// Runs `f` once to warm up, then `runs` times; returns the sorted durations.
fn time(runs: usize, mut f: impl FnMut()) -> Stats {
    f();
    let mut samples: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    Stats(samples)
}

/// Times `f` on every text in turns, `rounds` times after one warm-up turn; the median per text.
fn interleaved(texts: &[String], rounds: usize, mut f: impl FnMut(&str)) -> Vec<Duration> {
    for t in texts {
        f(t);
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); texts.len()];
    for _ in 0..rounds.max(1) {
        for (i, t) in texts.iter().enumerate() {
            let start = Instant::now();
            f(t);
            samples[i].push(start.elapsed());
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect()
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn row(what: &str, ours: &str, reference: &str, ratio: &str, goal: &str, met: Option<bool>) {
    let met = match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "",
    };
    println!("| {what} | {ours} | {reference} | {ratio} | {goal} | {met} |");
}

fn full_analysis(text: &str) -> usize {
    let options = AnalysisOptions::default();
    let a = analysis::analyze(text, &options);
    let s = analysis::suggestions(text, &a, &options);
    // The estimate is computed on first use; the app shows it, so it counts.
    black_box(a.problems.len() + s.len() + a.estimate().layers.len())
}

/// Parse throughput vs `dockerfile-parser` 0.9 on the corpus files it accepts; runs interleave.
fn parse_throughput(texts: &[(PathBuf, String)], runs: usize) {
    eprintln!("parse throughput vs dockerfile-parser ({runs} runs) …");
    let accepted: Vec<&str> = texts
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| dockerfile_parser::Dockerfile::parse(t).is_ok())
        .collect();
    let bytes: usize = accepted.iter().map(|t| t.len()).sum();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..=runs {
        let t = Instant::now();
        for text in &accepted {
            black_box(stageplay::syntax::parse(text).instructions.len());
        }
        ours.push(t.elapsed());
        let t = Instant::now();
        for text in &accepted {
            black_box(dockerfile_parser::Dockerfile::parse(text).map(|d| d.instructions.len()))
                .ok();
        }
        theirs.push(t.elapsed());
    }
    // The first pass of each is a warm-up.
    let (mut ours, mut theirs) = (ours.split_off(1), theirs.split_off(1));
    ours.sort();
    theirs.sort();
    let (ours, theirs) = (Stats(ours).p50(), Stats(theirs).p50());
    let mbps = |d: Duration| bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9);
    let ratio = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    row(
        &format!(
            "Parse throughput: {} corpus files dockerfile-parser accepts ({:.0} KB), p50 of {runs} passes",
            accepted.len(),
            bytes as f64 / 1e3
        ),
        &format!("{:.1} MB/s ({})", mbps(ours), ms(ours)),
        &format!(
            "dockerfile-parser 0.9: {:.1} MB/s ({})",
            mbps(theirs),
            ms(theirs)
        ),
        &format!("{ratio:.1}×"),
        "≥ 5×",
        Some(ratio >= 5.0),
    );
}

/// `stageplay lint` vs hadolint, one process each over every corpus file.
fn lint_processes(args: &Args, files: &[PathBuf], runs: usize) {
    let what = format!(
        "Lint the whole corpus ({} files), one process, p50 of {runs}",
        files.len()
    );
    let (Some(cli), Some(hadolint)) = (&args.cli, &args.hadolint) else {
        row(
            &what,
            "not run (needs --cli and --hadolint)",
            "",
            "",
            "≥ 20×",
            None,
        );
        return;
    };
    eprintln!("lint vs hadolint ({runs} runs each, alternating) …");
    let run = |cmd: &mut Command| -> Result<Duration, String> {
        let t = Instant::now();
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        let d = t.elapsed();
        if out.status.code().is_none() || out.stdout.is_empty() {
            return Err(format!(
                "{cmd:?} failed: {} {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(d)
    };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..runs {
        let o = run(Command::new(cli)
            .args(["lint", "--json", "--no-dockerignore"])
            .args(files));
        let h = run(Command::new(hadolint)
            .args(["--no-fail", "-f", "json"])
            .args(files));
        match (o, h) {
            (Ok(o), Ok(h)) => {
                ours.push(o);
                theirs.push(h);
            }
            (Err(e), _) | (_, Err(e)) => {
                row(&what, &format!("failed: {e}"), "", "", "≥ 20×", Some(false));
                return;
            }
        }
    }
    ours.sort();
    theirs.sort();
    let (ours, theirs) = (Stats(ours).p50(), Stats(theirs).p50());
    let ratio = theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9);
    row(
        &what,
        &format!("`stageplay lint --json`: {}", ms(ours)),
        &format!("hadolint 2.15.1: {}", ms(theirs)),
        &format!("{ratio:.0}×"),
        "≥ 20×",
        Some(ratio >= 20.0),
    );
}

/// Full analysis (analyze + suggestions) of each corpus file: per-file median, then over files.
fn corpus_analysis(corpus: &Path, texts: &[(PathBuf, String)], runs: usize) {
    eprintln!(
        "full analysis of {} corpus files ({runs} runs each) …",
        texts.len()
    );
    let mut per_file: Vec<(Duration, &Path)> = texts
        .iter()
        .map(|(p, t)| {
            (
                time(runs, || {
                    full_analysis(t);
                })
                .p50(),
                p.as_path(),
            )
        })
        .collect();
    per_file.sort();
    let worst = per_file.last().map_or(Path::new(""), |w| w.1);
    let stats = Stats(per_file.iter().map(|p| p.0).collect());
    let total: Duration = stats.0.iter().sum();
    row(
        &format!(
            "Full analysis (analyze + suggestions) per corpus file, {} files",
            texts.len()
        ),
        &format!(
            "p50 {} · p99 {} · max {} ({})",
            ms(stats.p50()),
            ms(stats.pct(99.0)),
            ms(stats.max()),
            worst.strip_prefix(corpus).unwrap_or(worst).display()
        ),
        &format!("all files: {}", ms(total)),
        "",
        "",
        None,
    );
}

fn three_hundred_lines(runs: usize) {
    let text = gen::with_lines(300);
    eprintln!("300-line file ({runs} runs) …");
    let full = time(runs, || {
        full_analysis(&text);
    });
    let options = AnalysisOptions::default();
    let a = analysis::analyze(&text, &options);
    let est = time(runs * 4, || {
        black_box(stageplay::estimate::estimate(
            &a.doc,
            &a.model,
            &options.estimate_options(),
        ));
    });
    let no_sugg = time(runs, || {
        let a = analysis::analyze(&text, &options);
        black_box(a.estimate());
    });
    row(
        &format!(
            "{}-line generated Dockerfile ({} stages): full analysis",
            text.lines().count(),
            a.model.stages.len()
        ),
        &format!("p50 {} · p99 {}", ms(full.p50()), ms(full.pct(99.0))),
        &format!("without suggestions: p50 {}", ms(no_sugg.p50())),
        "",
        "",
        None,
    );
    row(
        "Same file: image estimate only",
        &format!("p50 {} · p99 {}", ms(est.p50()), ms(est.pct(99.0))),
        "",
        "",
        "",
        None,
    );
}

/// The editor's requests on the 300-line file, one at every token's end (where a cursor
/// stops), over the memoised analysis, as the app makes them: completion, hover and the
/// references to highlight; and a whole-file format.
fn editor_requests(runs: usize) {
    let text = gen::with_lines(300);
    let a = analysis::analyze(&text, &AnalysisOptions::default());
    let d = stageplay::ide::Document::new(&text, &a);
    let offsets: Vec<u32> = a.doc.tokens.iter().map(|t| t.span.end).collect();
    eprintln!(
        "editor requests on the 300-line file ({} offsets) …",
        offsets.len()
    );
    let per_request = |f: &dyn Fn(u32)| {
        let mut samples: Vec<Duration> = offsets
            .iter()
            .map(|&at| {
                let t = Instant::now();
                f(at);
                t.elapsed()
            })
            .collect();
        samples.sort();
        Stats(samples)
    };
    let completion = per_request(&|at| {
        black_box(stageplay::ide::completions(&d, at));
    });
    let hover = per_request(&|at| {
        black_box(stageplay::ide::hover(&d, at));
    });
    let references = per_request(&|at| {
        black_box(stageplay::ide::references(&d, at));
    });
    let options = stageplay::ide::FormatOptions::default();
    let format = time(runs, || {
        black_box(stageplay::ide::format(&text, &options));
    });
    let show = |s: &Stats| format!("p50 {} · p99 {}", ms(s.p50()), ms(s.pct(99.0)));
    row(
        "Same file: editor requests at every token end (completion · hover · references)",
        &format!(
            "{} · {} · {}",
            show(&completion),
            show(&hover),
            show(&references)
        ),
        &format!("format the whole file: {}", show(&format)),
        "",
        "one request < 1 ms",
        Some(
            completion
                .pct(99.0)
                .max(hover.pct(99.0))
                .max(references.pct(99.0))
                < Duration::from_millis(1),
        ),
    );
}

fn model_layout(runs: usize) {
    let text = gen::with_stages(60);
    let doc = stageplay::syntax::parse(&text);
    eprintln!("model + layout of 60 stages ({runs} runs) …");
    let opts = stageplay::model::ModelOptions::default();
    let stats = time(runs, || {
        let model = stageplay::model::build(&doc, &opts);
        black_box(stageplay::model::layout::layout(&model));
    });
    row(
        "Model + layout of a generated 60-stage Dockerfile",
        &format!("p50 {} · p99 {}", ms(stats.p50()), ms(stats.pct(99.0))),
        "",
        "",
        "< 10 ms",
        Some(stats.p50() < Duration::from_millis(10)),
    );
}

fn generated_sizes(runs: usize, quick: bool) {
    const MB: usize = 1 << 20;
    let sizes = [MB, MB + MB / 4, 5 * MB];
    let texts: Vec<String> = sizes.iter().map(|&s| gen::with_bytes(s)).collect();
    eprintln!("generated 1 / 1.25 / 5 MB files ({runs} runs) …");
    // The sizes are timed in turns (1, 1.25, 5 MB, again…) so that the machine's drift over a
    // run (other load, memory the allocator keeps or gives back) falls on every size alike;
    // each figure is the median of its turns.
    let parse: Vec<Duration> = interleaved(&texts, runs * 3, |t| {
        drop(black_box(stageplay::syntax::parse(t)))
    });
    let growth = |d: &[Duration]| d[2].as_secs_f64() / d[1].as_secs_f64().max(1e-9);
    let size = |t: &String| format!("{:.2} MB", t.len() as f64 / MB as f64);
    row(
        "Parse a generated Dockerfile",
        &format!(
            "{}: {} · {}: {}",
            size(&texts[0]),
            ms(parse[0]),
            size(&texts[2]),
            ms(parse[2])
        ),
        &format!("{}: {}", size(&texts[1]), ms(parse[1])),
        &format!("{:.2}× time for 4× input", growth(&parse)),
        "5 MB < 200 ms; ≤ 4.5×",
        Some(parse[2] < Duration::from_millis(200) && growth(&parse) <= 4.5),
    );
    let phases: Vec<String> = phase_times(&texts[0])
        .iter()
        .map(|(n, d)| format!("{n} {}", ms(*d)))
        .collect();
    row(
        &format!(
            "Phases of the {} analysis (one cold run each)",
            size(&texts[0])
        ),
        &phases.join(" · "),
        "",
        "",
        "",
        None,
    );
    // Each size once, cold (a guard: `--quick` leaves out 5 MB when 1.25 MB takes over 2 s);
    // then, when every cold run took under a second, the sizes in turns like the parse.
    let mut full: Vec<Duration> = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let cold = Instant::now();
        full_analysis(t);
        full.push(cold.elapsed());
        eprintln!("  full analysis {} (cold): {}", size(t), ms(full[i]));
        if i == 1 && quick && full[i] > Duration::from_secs(2) {
            break;
        }
    }
    if full.len() == texts.len() && full.iter().all(|d| *d < Duration::from_secs(1)) {
        full = interleaved(&texts, runs * 3, |t| {
            black_box(full_analysis(t));
        });
    }
    let what = "Full analysis (analyze + suggestions) of a generated Dockerfile";
    if full.len() < 3 {
        row(
            what,
            &format!("{}: {}", size(&texts[0]), ms(full[0])),
            &format!("{}: {}", size(&texts[1]), ms(full[1])),
            "5 MB not run in --quick (1.25 MB took over 2 s)",
            "5 MB < 1 s; ≤ 4.5×",
            Some(false),
        );
        return;
    }
    row(
        what,
        &format!(
            "{}: {} · {}: {}",
            size(&texts[0]),
            ms(full[0]),
            size(&texts[2]),
            ms(full[2])
        ),
        &format!("{}: {}", size(&texts[1]), ms(full[1])),
        &format!("{:.2}× time for 4× input", growth(&full)),
        "5 MB < 1 s; ≤ 4.5×",
        Some(full[2] < Duration::from_secs(1) && growth(&full) <= 4.5),
    );
}

/// `--phases FILE`: one full analysis of FILE, timed phase by phase (for profiling).
fn phases(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("stageplay-bench: {}: {e}", file.display());
        std::process::exit(1)
    });
    for (name, d) in phase_times(&text) {
        eprintln!("{name:>12}: {}", ms(d));
    }
}

/// One cold run of each phase of the analysis of `text` (layout is the graph pane's).
fn phase_times(text: &str) -> Vec<(&'static str, Duration)> {
    let options = AnalysisOptions::default();
    let mut out = Vec::new();
    let t = Instant::now();
    let doc = stageplay::syntax::parse(text);
    out.push(("parse", t.elapsed()));
    let t = Instant::now();
    let model = stageplay::model::build(&doc, &options.model_options());
    out.push(("model", t.elapsed()));
    let t = Instant::now();
    black_box(stageplay::model::layout::layout(&model));
    out.push(("layout", t.elapsed()));
    let t = Instant::now();
    black_box(stageplay::estimate::estimate(
        &doc,
        &model,
        &options.estimate_options(),
    ));
    out.push(("estimate", t.elapsed()));
    let t = Instant::now();
    black_box(stageplay::lint::lint(
        text,
        &doc,
        &model,
        &options.lint_options(),
    ));
    out.push(("lint", t.elapsed()));
    let t = Instant::now();
    black_box(stageplay::estimate::runtime::check(
        &doc,
        &model,
        &options.estimate_options(),
    ));
    out.push((
        "runtime check (part of lint and of suggestions)",
        t.elapsed(),
    ));
    let a = analysis::analyze(text, &options);
    let t = Instant::now();
    black_box(analysis::suggestions(text, &a, &options));
    out.push(("suggestions", t.elapsed()));
    out
}

/// Writes the generated inputs the browser benchmark types into.
fn write_fixtures(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("gen-300-lines.Dockerfile"), gen::with_lines(300))?;
    std::fs::write(dir.join("gen-60-stages.Dockerfile"), gen::with_stages(60))?;
    std::fs::write(dir.join("gen-1mb.Dockerfile"), gen::with_bytes(1 << 20))?;
    std::fs::write(dir.join("gen-5mb.Dockerfile"), gen::with_bytes(5 << 20))?;
    Ok(())
}

/// Every Dockerfile of the corpus (not its index, oracle or notes), sorted.
fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if d != dir && !path.ends_with("result") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
