//! The configuration half of `cargo xtask hadolint-compare`: the same command lines (ignored
//! rules, severity overrides, trusted registries, every failure threshold, config files,
//! `HADOLINT_*` variables, pragmas) given to hadolint 2.15.1 and to `stageplay lint` over the
//! fixtures in crates/stageplay-cli/tests/data/compare. Each run is a real process; the exit
//! codes and the findings of the rules both tools have are compared, and every difference is
//! explained by a reason or listed as unexplained.

use crate::hadolint_compare::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// One command line: its name, the options (before `-f json FILE`), the environment, and the
/// failure threshold it amounts to (to tell which findings make a run fail).
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
    threshold: u8,
}

const ERROR: u8 = 0;
const WARNING: u8 = 1;
const INFO: u8 = 2;
const STYLE: u8 = 3;
const ANY: u8 = 4;
/// `--no-fail`: nothing fails.
const NEVER: u8 = 255;

const CASES: &[Case] = &[
    Case {
        name: "defaults",
        args: &[],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "-t error",
        args: &["-t", "error"],
        env: &[],
        threshold: ERROR,
    },
    Case {
        name: "-t warning",
        args: &["-t", "warning"],
        env: &[],
        threshold: WARNING,
    },
    Case {
        name: "-t info",
        args: &["-t", "info"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "-t style",
        args: &["-t", "style"],
        env: &[],
        threshold: STYLE,
    },
    Case {
        name: "-t ignore",
        args: &["-t", "ignore"],
        env: &[],
        threshold: ANY,
    },
    Case {
        name: "--failure-threshold none",
        args: &["--failure-threshold", "none"],
        env: &[],
        threshold: ANY,
    },
    Case {
        name: "--no-fail",
        args: &["--no-fail"],
        env: &[],
        threshold: NEVER,
    },
    Case {
        name: "--ignore DL3008 --ignore DL3003",
        args: &["--ignore", "DL3008", "--ignore", "DL3003"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "--ignore DL3025 (a BuildKit check's hadolint code)",
        args: &["--ignore", "DL3025"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "--error DL3015 -t error",
        args: &["--error", "DL3015", "-t", "error"],
        env: &[],
        threshold: ERROR,
    },
    Case {
        name: "--style DL3008 --style DL3047 -t info",
        args: &["--style", "DL3008", "--style", "DL3047", "-t", "info"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "--warning DL4000 -t error",
        args: &["--warning", "DL4000", "-t", "error"],
        env: &[],
        threshold: ERROR,
    },
    Case {
        name: "--info DL3059 --error DL3059",
        args: &["--info", "DL3059", "--error", "DL3059"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "--trusted-registry docker.io",
        args: &["--trusted-registry", "docker.io"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "--disable-ignore-pragma",
        args: &["--disable-ignore-pragma"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "-c ignore.yaml",
        args: &["-c", "ignore.yaml"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "-c threshold.yaml",
        args: &["-c", "threshold.yaml"],
        env: &[],
        threshold: WARNING,
    },
    Case {
        name: "-c threshold.yaml -t info",
        args: &["-c", "threshold.yaml", "-t", "info"],
        env: &[],
        threshold: INFO,
    },
    Case {
        name: "HADOLINT_IGNORE=DL3015,DL3009",
        args: &[],
        env: &[("HADOLINT_IGNORE", "DL3015,DL3009")],
        threshold: INFO,
    },
    Case {
        name: "HADOLINT_FAILURE_THRESHOLD=error HADOLINT_OVERRIDE_ERROR=DL3003",
        args: &[],
        env: &[
            ("HADOLINT_FAILURE_THRESHOLD", "error"),
            ("HADOLINT_OVERRIDE_ERROR", "DL3003"),
        ],
        threshold: ERROR,
    },
    Case {
        name: "HADOLINT_NOFAIL=1",
        args: &[],
        env: &[("HADOLINT_NOFAIL", "1")],
        threshold: NEVER,
    },
    Case {
        name: "-c ignore.yaml with HADOLINT_FAILURE_THRESHOLD=error (the file has none)",
        args: &["-c", "ignore.yaml"],
        env: &[("HADOLINT_FAILURE_THRESHOLD", "error")],
        threshold: ERROR,
    },
];

/// One finding: its hadolint code (a Stageplay finding counts under each hadolint code it
/// mirrors), the line of the instruction it is on, and its level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    code: String,
    line: u32,
    level: String,
    /// Stageplay's own code when it differs (`MaintainerDeprecated` for DL4000).
    own: String,
}

fn rank(level: &str) -> u8 {
    match level {
        "error" => ERROR,
        "warning" => WARNING,
        "info" => INFO,
        "style" => STYLE,
        _ => ANY,
    }
}

/// Why the two tools differ in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    StageplayOnlyRule,
    HadolintOnlyRule,
    DefaultLevel,
    CheckDirective,
    NotApplied,
}

impl Reason {
    fn title(self) -> &'static str {
        match self {
            Reason::StageplayOnlyRule => "A rule only Stageplay has (SP rules, BuildKit checks) reaches the threshold",
            Reason::HadolintOnlyRule => "A rule only hadolint has (ShellCheck's SC rules, DL3066, DL3026 …) reaches the threshold",
            Reason::DefaultLevel => "A mirrored rule's default level differs (DL4000: hadolint error, BuildKit's MaintainerDeprecated warning)",
            Reason::CheckDirective => "BuildKit's `# check=skip=…;error=true` directive (Stageplay honours it, hadolint does not know it)",
            Reason::NotApplied => "Read but not checked yet by Stageplay: label schemas (--require-label, --strict-labels)",
        }
    }
}

pub struct Outcome {
    pub markdown: String,
    pub unexplained: usize,
}

pub fn run(
    root: &Path,
    stageplay: &Path,
    hadolint: &Path,
    mirrored: &BTreeMap<String, bool>,
) -> Result<Outcome, String> {
    let dir = root.join("crates/stageplay-cli/tests/data/compare");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".Dockerfile"))
        .collect();
    files.sort();
    // No user configuration of this machine: an empty HOME and no XDG_CONFIG_HOME.
    let home = std::env::temp_dir().join(format!("stageplay-compare-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;

    let mut rows = Vec::new();
    let mut reasons: BTreeMap<Reason, (usize, String)> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let (mut runs, mut same_exit, mut same_findings) = (0, 0, 0);
    for case in CASES {
        for file in &files {
            let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            let (h_exit, h_found) = hadolint_run(hadolint, &dir, &home, case, file, mirrored)?;
            let (s_exit, s_found) = stageplay_run(stageplay, &dir, &home, case, file)?;
            runs += 1;
            let shared = |list: &[Found]| -> BTreeSet<Found> {
                list.iter()
                    .filter(|f| mirrored.contains_key(&f.code))
                    .map(|f| Found {
                        own: String::new(),
                        ..f.clone()
                    })
                    .collect()
            };
            let (h_shared, s_shared) = (shared(&h_found), shared(&s_found));
            let mut why: BTreeSet<Reason> = BTreeSet::new();
            let mut open: Vec<String> = Vec::new();
            let place = format!("{file} with `{}`", case.name);
            // Findings of shared rules that only one side has, or with another level.
            for f in h_shared.symmetric_difference(&s_shared) {
                let side = if h_shared.contains(f) {
                    "hadolint"
                } else {
                    "stageplay"
                };
                match explain_finding(f, side, &text, case, &h_shared, &s_shared) {
                    Some(r) => {
                        why.insert(r);
                    }
                    None => open.push(format!(
                        "{side} only: {} line {} {}",
                        f.code, f.line, f.level
                    )),
                }
            }
            let findings_agree = h_shared == s_shared;
            if findings_agree {
                same_findings += 1;
            }
            // Exit codes: the findings that make each side fail.
            if h_exit == s_exit {
                same_exit += 1;
            } else {
                let (failing, other_side): (&[Found], &str) = if s_exit == Some(1) {
                    (&s_found, "stageplay")
                } else {
                    (&h_found, "hadolint")
                };
                let mut all_explained = true;
                for f in failing.iter().filter(|f| rank(&f.level) <= case.threshold) {
                    if f.code.is_empty() || !mirrored.contains_key(&f.code) {
                        why.insert(if other_side == "stageplay" {
                            Reason::StageplayOnlyRule
                        } else {
                            Reason::HadolintOnlyRule
                        });
                    } else if !findings_agree {
                        // A shared finding that differs: explained (or not) above.
                    } else {
                        all_explained = false;
                    }
                }
                if !all_explained || (failing.is_empty() && open.is_empty()) {
                    open.push(format!(
                        "exit {h_exit:?} (hadolint) vs {s_exit:?} (stageplay)"
                    ));
                }
            }
            for r in &why {
                let e = reasons.entry(*r).or_insert((0, place.clone()));
                e.0 += 1;
            }
            for o in &open {
                unexplained.push(format!("{place}: {o}"));
            }
            rows.push(format!(
                "| {} | `{}` | {} | {} | {} | {} |",
                file,
                case.name,
                code(h_exit),
                code(s_exit),
                if findings_agree { "same" } else { "differ" },
                why.iter()
                    .map(|r| format!("{r:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&home);

    let mut md = String::from("## Configurations\n\n");
    md.push_str(&format!(
        "{} fixture files (crates/stageplay-cli/tests/data/compare, written for this comparison: apt, pragmas, \
         BuildKit's check directive, multi-stage with registries, MAINTAINER, info-only, clean) × {} command lines, \
         each run as a real process of both tools with `-f json` added, in the fixtures' folder (for `-c FILE`), \
         with an empty HOME. Compared: the exit code, and the findings (code, instruction line, level) of the rules \
         both tools have.\n\n",
        files.len(),
        CASES.len()
    ));
    md.push_str(&format!(
        "{runs} runs: **same exit code in {same_exit}**, same shared findings in {same_findings}; \
         **{} unexplained**.\n\n",
        unexplained.len()
    ));
    md.push_str("Differences by reason (runs; first example):\n\n");
    for (r, (n, example)) in &reasons {
        md.push_str(&format!("- `{r:?}` ({n}; e.g. {example}): {}\n", r.title()));
    }
    md.push_str("\nUnexplained:\n\n");
    if unexplained.is_empty() {
        md.push_str("None.\n");
    }
    for u in &unexplained {
        md.push_str(&format!("- {u}\n"));
    }
    md.push_str(
        "\n<details><summary>Every run</summary>\n\n| file | command line | hadolint exit | stageplay exit | shared findings | reasons |\n|---|---|---:|---:|---|---|\n",
    );
    for r in &rows {
        md.push_str(r);
        md.push('\n');
    }
    md.push_str("\n</details>\n\n");
    Ok(Outcome {
        markdown: md,
        unexplained: unexplained.len(),
    })
}

fn code(c: Option<i32>) -> String {
    c.map_or("signal".to_string(), |c| c.to_string())
}

fn command(bin: &Path, dir: &Path, home: &Path, case: &Case) -> Command {
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("NO_COLOR");
    for (k, _) in std::env::vars() {
        if k.starts_with("HADOLINT_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in case.env {
        cmd.env(k, v);
    }
    cmd
}

fn hadolint_run(
    hadolint: &Path,
    dir: &Path,
    home: &Path,
    case: &Case,
    file: &str,
    mirrored: &BTreeMap<String, bool>,
) -> Result<(Option<i32>, Vec<Found>), String> {
    let out = command(hadolint, dir, home, case)
        .args(case.args)
        .args(["-f", "json", file])
        .output()
        .map_err(|e| format!("{}: {e}", hadolint.display()))?;
    let v = json::parse(String::from_utf8_lossy(&out.stdout).trim())?;
    let found = v
        .as_array()
        .unwrap_or(&[])
        .iter()
        .map(|d| {
            let code = d
                .get("code")
                .and_then(|c| c.as_str())
                .unwrap_or("")
                .to_string();
            Found {
                line: d.get("line").and_then(|l| l.as_num()).unwrap_or(0.0) as u32,
                level: d
                    .get("level")
                    .and_then(|l| l.as_str())
                    .unwrap_or("")
                    .to_string(),
                own: if mirrored.contains_key(&code) {
                    String::new()
                } else {
                    code.clone()
                },
                code,
            }
        })
        .collect();
    Ok((out.status.code(), found))
}

fn stageplay_run(
    stageplay: &Path,
    dir: &Path,
    home: &Path,
    case: &Case,
    file: &str,
) -> Result<(Option<i32>, Vec<Found>), String> {
    let out = command(stageplay, dir, home, case)
        .args(["lint"])
        .args(case.args)
        .args(["-f", "json", file])
        .output()
        .map_err(|e| format!("{}: {e}", stageplay.display()))?;
    let v = json::parse(String::from_utf8_lossy(&out.stdout).trim()).map_err(|e| {
        format!(
            "stageplay lint {:?} {file}: {e}: {}",
            case.args,
            String::from_utf8_lossy(&out.stderr)
        )
    })?;
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
    let starts = crate::hadolint_compare::instruction_starts(&text);
    let mut found = Vec::new();
    for d in v.as_array().unwrap_or(&[]) {
        let own = d
            .get("code")
            .and_then(|c| c.as_str())
            .unwrap_or("")
            .to_string();
        let line = d.get("line").and_then(|l| l.as_num()).unwrap_or(0.0) as u32;
        let line = crate::hadolint_compare::instruction_of(&starts, line);
        let level = d
            .get("level")
            .and_then(|l| l.as_str())
            .unwrap_or("")
            .to_string();
        let codes: Vec<String> = d
            .get("sources")
            .and_then(|s| s.as_array())
            .unwrap_or(&[])
            .iter()
            .filter_map(|s| s.as_str()?.strip_prefix("hadolint:").map(str::to_string))
            .collect();
        if codes.is_empty() {
            // A rule hadolint does not have: no hadolint code.
            found.push(Found {
                code: String::new(),
                line,
                level,
                own,
            });
            continue;
        }
        for code in codes {
            found.push(Found {
                code,
                line,
                level: level.clone(),
                own: own.clone(),
            });
        }
    }
    found.sort();
    found.dedup();
    Ok((out.status.code(), found))
}

/// The documented reason a shared finding differs, if any.
fn explain_finding(
    f: &Found,
    side: &str,
    text: &str,
    case: &Case,
    h: &BTreeSet<Found>,
    s: &BTreeSet<Found>,
) -> Option<Reason> {
    let other = if side == "hadolint" { s } else { h };
    let same_place = other.iter().find(|o| o.code == f.code && o.line == f.line);
    let named_in_case = case.args.iter().any(|a| a.contains(&f.code))
        || case.env.iter().any(|(_, v)| v.contains(&f.code));
    // The same finding with another level: a default level that differs (not overridden).
    if let Some(o) = same_place {
        if o.level != f.level && !named_in_case && f.code == "DL4000" {
            return Some(Reason::DefaultLevel);
        }
        if o.level != f.level && f.code == "DL4000" && case.args.contains(&"DL4000") {
            return None;
        }
    }
    // BuildKit's check directive: Stageplay skips or raises the BuildKit checks it names.
    if text.lines().any(|l| l.trim_start().starts_with("# check=")) {
        return Some(Reason::CheckDirective);
    }
    if case
        .args
        .iter()
        .any(|a| a.starts_with("--require-label") || *a == "--strict-labels")
        && side == "hadolint"
    {
        return Some(Reason::NotApplied);
    }
    // The corpus comparison's documented reasons (a heredoc, a cache mount, a builder stage …)
    // are not expected on these fixtures; anything else is unexplained.
    None
}
