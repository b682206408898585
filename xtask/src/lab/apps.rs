//! Lab apps: one folder per application under tests/lab/apps, each with its single-stage
//! `Dockerfile` and a `lab.conf` that says how to smoke-test it:
//!
//! ```text
//! about = Flask app installed with pip from a pinned requirements.txt
//! tls = pip              # build-time CA configuration to mount (see tests/lab/tls/README.md)
//! http = 8000 /health    # --smoke-http PORT PATH (implies a server)
//! smoke = python -c "import app"   # --smoke CMD
//! expect = ok            # text the smoke output (else the HTTP body) must contain
//! server = true          # the entrypoint must keep running
//! start-seconds = 5      # start probe window
//! known = …              # why the original is expected to fail (said in the report)
//! guide-fix = …          # a founding-guide example that fails as written (Dockerfile.guide):
//!                        # why, the rule that flags it, the one fix the Dockerfile carries
//! ```

use super::{conf_get, read_conf, tls_volumes};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct App {
    pub name: String,
    pub dir: PathBuf,
    pub about: String,
    pub conf: Vec<(String, String)>,
}

pub fn discover(dir: &Path) -> Result<Vec<App>, String> {
    let mut apps = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let e = e.map_err(|e| e.to_string())?;
        let p = e.path();
        if p.join("lab.conf").is_file() && p.join("Dockerfile").is_file() {
            let conf = read_conf(&p.join("lab.conf"))?;
            apps.push(App {
                name: e.file_name().to_string_lossy().into_owned(),
                about: conf_get(&conf, "about").unwrap_or("").to_string(),
                dir: p,
                conf,
            });
        }
    }
    apps.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(apps)
}

/// One side of a verify run, as its JSON says.
#[derive(Default, Clone)]
pub struct SideResult {
    pub built: bool,
    pub seconds: f64,
    pub bytes: Option<u64>,
    pub layers: Option<u64>,
    pub estimate: u64,
    pub low: u64,
    pub high: u64,
    pub smoke_pass: bool,
    /// "name: detail" of each probe.
    pub probes: Vec<(String, bool, String)>,
    /// The first failure's log tail (build or probe).
    pub failure_log: String,
}

impl SideResult {
    fn from_json(v: &serde_json::Value) -> Option<SideResult> {
        if v.is_null() {
            return None;
        }
        let probes: Vec<(String, bool, String)> = v["probes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["pass"].as_bool().unwrap_or(false),
                    p["detail"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let mut failure_log = v["build_log_tail"].as_str().unwrap_or("").to_string();
        if failure_log.is_empty() {
            failure_log = v["probes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["pass"] == false)
                .and_then(|p| p["log_tail"].as_str())
                .unwrap_or("")
                .to_string();
        }
        if let Some(e) = v["smoke_error"].as_str() {
            failure_log = format!("{e}\n{failure_log}");
        }
        Some(SideResult {
            built: v["build_ok"].as_bool().unwrap_or(false),
            seconds: v["build_seconds"].as_f64().unwrap_or(0.0),
            bytes: v["size_bytes"].as_u64(),
            layers: v["layers"].as_u64(),
            estimate: v["estimate_bytes"].as_u64().unwrap_or(0),
            low: v["estimate_low"].as_u64().unwrap_or(0),
            high: v["estimate_high"].as_u64().unwrap_or(0),
            smoke_pass: v["smoke_pass"].as_bool().unwrap_or(false),
            probes,
            failure_log,
        })
    }

    pub fn ok(&self) -> bool {
        self.built && self.bytes.is_some() && self.smoke_pass
    }

    /// estimate/real − 1.
    pub fn error(&self) -> Option<f64> {
        self.bytes
            .filter(|b| *b > 0)
            .map(|b| self.estimate as f64 / b as f64 - 1.0)
    }

    pub fn inside(&self) -> Option<bool> {
        self.bytes.map(|b| (self.low..=self.high).contains(&b))
    }
}

pub struct AppResult {
    pub name: String,
    pub about: String,
    pub refactors: Vec<String>,
    pub original: Option<SideResult>,
    pub refactored: Option<SideResult>,
    pub refactored_text: String,
    /// The original Dockerfile's text as the run built it.
    pub original_text: String,
    /// The original with Fix all safe applied (`None`: no safe fix changes the file, so there is
    /// nothing else to build), and its build when it was run.
    pub fixed_text: Option<String>,
    pub fixed: Option<SideResult>,
    /// Whether Fix all safe was tried on this app (false: a run that predates it).
    pub fixed_tried: bool,
    /// lab.conf's `known`: why the original is expected to fail (a bug of the founding guide's
    /// own example, a builder limitation), said in the report.
    pub known: Option<String>,
    /// lab.conf's `guide-fix`: a founding-guide example that fails as written, the finding
    /// that flags it and the one fix the lab builds it with (its Dockerfile.guide is the
    /// example as written).
    pub guide_fix: Option<String>,
    /// For a report from kept results: which of the texts built then the current engine and
    /// files would write differently (the original, Apply all's, Fix all safe's).
    /// `None` when not checked (a report written by the run itself).
    pub stale: Option<Vec<&'static str>>,
    /// verify's own failure to run (not a build or smoke failure).
    pub error: Option<String>,
    pub seconds: f64,
}

impl AppResult {
    pub fn original_ok(&self) -> bool {
        self.original.as_ref().is_some_and(SideResult::ok)
    }

    pub fn summary_line(&self) -> String {
        let side = |s: &Option<SideResult>| match s {
            None => "-".to_string(),
            Some(s) if !s.built => "build FAILED".to_string(),
            Some(s) => format!(
                "{:.1} MB, smoke {}",
                s.bytes.unwrap_or(0) as f64 / 1e6,
                if s.smoke_pass { "pass" } else { "FAIL" }
            ),
        };
        match &self.error {
            Some(e) => format!("verify failed to run: {e}"),
            None => format!(
                "original {}; refactored {} ({:.0} s)",
                side(&self.original),
                side(&self.refactored),
                self.seconds
            ),
        }
    }
}

/// Which Dockerfile of an app verify builds.
pub enum Build<'a> {
    /// The app's own Dockerfile, and as Apply all (or lab.conf's `refactor`) refactors it.
    Original,
    /// Another text of it (Fix all safe's result) at this path, built alone with the app's folder
    /// as the context.
    Alone(&'a Path),
}

/// The `stageplay verify` arguments for an app (without the CLI path).
pub fn verify_args(app: &App, build: &Build) -> Result<Vec<String>, String> {
    let mut a: Vec<String> = vec![
        "verify".into(),
        "--builder".into(),
        "buildah".into(),
        "--json".into(),
        "--log-lines".into(),
        "200".into(),
    ];
    let tls: Vec<String> = conf_get(&app.conf, "tls")
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    for v in tls_volumes(&tls)? {
        a.push("--volume".into());
        a.push(v);
    }
    for (k, v) in &app.conf {
        match k.as_str() {
            "smoke" => a.extend(["--smoke".into(), v.clone()]),
            "http" => {
                let mut parts = v.split_whitespace();
                let (Some(port), Some(path)) = (parts.next(), parts.next()) else {
                    return Err(format!("{}: http = PORT PATH", app.name));
                };
                a.extend(["--smoke-http".into(), port.into(), path.into()]);
            }
            "expect" => a.extend(["--expect".into(), v.clone()]),
            "server" if v == "true" => a.push("--server".into()),
            "start-seconds" => a.extend(["--start-seconds".into(), v.clone()]),
            "refactor" if matches!(build, Build::Original) => {
                a.extend(["--refactor".into(), v.clone()])
            }
            "refactor" => {}
            "build-arg" => a.extend(["--build-arg".into(), v.clone()]),
            "about" | "tls" | "server" | "known" | "guide-fix" => {}
            other => return Err(format!("{}: unknown lab.conf key '{other}'", app.name)),
        }
    }
    match build {
        Build::Original => a.push(app.dir.join("Dockerfile").display().to_string()),
        Build::Alone(path) => {
            a.push("--no-refactor".into());
            a.push("--context".into());
            a.push(app.dir.display().to_string());
            a.push(path.display().to_string());
        }
    }
    Ok(a)
}

/// Runs `stageplay verify` (niced) with these arguments: its standard output, error and seconds.
fn run_verify(cli: &Path, args: &[String]) -> Result<(String, String, f64), String> {
    let start = std::time::Instant::now();
    let out = Command::new("nice")
        .arg("-n")
        .arg("10")
        .arg(cli)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed().as_secs_f64(),
    ))
}

/// Where a run keeps each app's verify output, so that `--report-from` can report it later.
pub fn results_dir() -> PathBuf {
    super::cache_dir().join("results")
}

fn save(dir: &Path, file: &str, value: &serde_json::Value) {
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(dir.join(file), value.to_string());
    }
}

/// Builds and smoke-tests the app's Dockerfile as it is and as refactored, then the original with
/// Fix all safe applied (when a safe fix changes it). Each verify output is kept in
/// [`results_dir`].
pub fn verify(cli: &Path, app: &App) -> Result<AppResult, String> {
    let dir = results_dir();
    let (stdout, stderr, seconds) = run_verify(cli, &verify_args(app, &Build::Original)?)?;
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&stdout) {
        save(
            &dir,
            &format!("{}.json", app.name),
            &serde_json::json!({"seconds": seconds, "verify": v}),
        );
    }
    let mut result = from_output(app, &stdout, &stderr, seconds);
    let original = std::fs::read_to_string(app.dir.join("Dockerfile"))
        .map_err(|e| format!("{}: {e}", app.name))?;
    let fixed = fix_all_safe(cli, app, &original)?;
    result.fixed_tried = true;
    if fixed == original {
        save(
            &dir,
            &format!("{}.fixed.json", app.name),
            &serde_json::json!({"changed": false}),
        );
        return Ok(result);
    }
    let tmp = std::env::temp_dir().join(format!("stageplay-lab-fixed-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let path = tmp.join(format!("{}.Dockerfile", app.name));
    std::fs::write(&path, &fixed).map_err(|e| format!("{}: {e}", path.display()))?;
    let run = run_verify(cli, &verify_args(app, &Build::Alone(&path))?);
    let _ = std::fs::remove_dir_all(&tmp);
    let (stdout, stderr, fixed_seconds) = run?;
    let v = serde_json::from_str::<serde_json::Value>(&stdout)
        .unwrap_or_else(|_| serde_json::json!({"error": stderr.trim()}));
    let saved =
        serde_json::json!({"changed": true, "text": fixed, "seconds": fixed_seconds, "verify": v});
    save(&dir, &format!("{}.fixed.json", app.name), &saved);
    read_fixed(&mut result, &saved);
    result.seconds += fixed_seconds;
    Ok(result)
}

/// The app's Dockerfile with every safe quick fix applied: `stageplay lint --fix` on a copy,
/// which runs the engine's one Fix all safe (`lint::fix_all_safe`, what the app's button runs)
/// with the app's `.dockerignore` beside it, as it is beside the original.
pub fn fix_all_safe(cli: &Path, app: &App, text: &str) -> Result<String, String> {
    let tmp = std::env::temp_dir().join(format!(
        "stageplay-lab-fix-{}-{}",
        std::process::id(),
        app.name
    ));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let path = tmp.join("Dockerfile");
    let result = (|| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Ok(ignore) = std::fs::read(app.dir.join(".dockerignore")) {
            std::fs::write(tmp.join(".dockerignore"), ignore).map_err(|e| e.to_string())?;
        }
        // The exit status says whether findings are left; the file is what matters.
        Command::new(cli)
            .args(["lint", "--no-color", "--fix"])
            .arg(&path)
            .current_dir(&tmp)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// Fills the Fix-all-safe side from its kept record (`{"changed": false}`, or the fixed text
/// and its verify output).
fn read_fixed(result: &mut AppResult, saved: &serde_json::Value) {
    result.fixed_tried = true;
    if saved["changed"] != true {
        return;
    }
    result.fixed_text = saved["text"].as_str().map(str::to_string);
    result.fixed = SideResult::from_json(&saved["verify"]["original"]).or_else(|| {
        // verify did not run (its error is kept): count it as a failed build.
        Some(SideResult {
            failure_log: saved["verify"]["error"].as_str().unwrap_or("").to_string(),
            ..SideResult::default()
        })
    });
}

/// An app's result from a saved verify output: the `{"seconds", "verify"}` file `verify` keeps,
/// or `stageplay verify --json`'s own output (seconds unknown: 0), with the Fix-all-safe record
/// beside it (`APP.fixed.json`) when there is one. `None` when unreadable.
pub fn from_saved(app: &App, dir: &Path) -> Option<AppResult> {
    let path = dir.join(format!("{}.json", app.name));
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let (verify, seconds) = match v.get("verify") {
        Some(inner) => (inner.to_string(), v["seconds"].as_f64().unwrap_or(0.0)),
        None => (text, 0.0),
    };
    let mut result = from_output(app, &verify, "", seconds);
    let fixed = std::fs::read_to_string(dir.join(format!("{}.fixed.json", app.name)))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    if let Some(f) = fixed {
        read_fixed(&mut result, &f);
        result.seconds += f["seconds"].as_f64().unwrap_or(0.0);
    }
    Some(result)
}

/// Which texts of a kept result the current app files and engine would write differently: the
/// original (the app's Dockerfile now), Apply all's result (`stageplay refactor --apply-all`,
/// the same Apply all verify runs) and Fix all safe's. Only sides that were built are compared.
pub fn stale_texts(cli: &Path, app: &App, r: &AppResult) -> Result<Vec<&'static str>, String> {
    let mut stale = Vec::new();
    if r.original.is_none() {
        return Ok(stale);
    }
    let original = std::fs::read_to_string(app.dir.join("Dockerfile"))
        .map_err(|e| format!("{}: {e}", app.name))?;
    if original != r.original_text {
        stale.push("original");
    }
    if conf_get(&app.conf, "refactor").is_none() && r.original.as_ref().is_some_and(|o| o.built) {
        let out = Command::new(cli)
            .args(["refactor", "--apply-all"])
            .arg(app.dir.join("Dockerfile"))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
        let now = String::from_utf8_lossy(&out.stdout).into_owned();
        let then = if r.refactored.is_some() {
            r.refactored_text.as_str()
        } else {
            original.as_str()
        };
        if out.status.success() && now != then {
            stale.push("Apply all");
        }
    }
    if r.fixed_tried {
        let now = fix_all_safe(cli, app, &original)?;
        let then = r.fixed_text.as_deref().unwrap_or(original.as_str());
        if now != then {
            stale.push("Fix all safe");
        }
    }
    Ok(stale)
}

/// A Dockerfile's estimate (point, low, high) for an app's context.
pub type Estimator<'a> = dyn Fn(&str, &App) -> Result<(u64, u64, u64), String> + 'a;

/// The current engine's estimate, from `stageplay estimate --json --context APP_DIR -`: the same
/// reading of the context and the same estimate `stageplay verify` prints.
pub fn cli_estimate(cli: &Path, text: &str, app: &App) -> Result<(u64, u64, u64), String> {
    use std::io::Write;
    let mut child = Command::new(cli)
        .args(["estimate", "--json", "--context"])
        .arg(&app.dir)
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    parse_estimate(&String::from_utf8_lossy(&out.stdout)).ok_or_else(|| {
        format!(
            "{}: stageplay estimate gave no estimate: {}",
            app.name,
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })
}

/// (total, low, high) bytes of `stageplay estimate --json`'s output.
fn parse_estimate(json: &str) -> Option<(u64, u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some((
        v["total_bytes"].as_u64()?,
        v["low_bytes"].as_u64()?,
        v["high_bytes"].as_u64()?,
    ))
}

/// Replaces every side's estimate with `estimate`'s for the text that side built: a report from
/// kept results shows the current engine's estimates next to the sizes measured then.
pub fn reestimate(result: &mut AppResult, app: &App, estimate: &Estimator) -> Result<(), String> {
    let texts = [
        result.original_text.clone(),
        result.refactored_text.clone(),
        result.fixed_text.clone().unwrap_or_default(),
    ];
    let sides = [
        &mut result.original,
        &mut result.refactored,
        &mut result.fixed,
    ];
    for (side, text) in sides.into_iter().zip(texts) {
        let Some(side) = side else { continue };
        if text.is_empty() {
            return Err(format!(
                "{}: the kept result has no Dockerfile text to estimate",
                app.name
            ));
        }
        (side.estimate, side.low, side.high) = estimate(&text, app)?;
    }
    Ok(())
}

/// An app's result from verify's standard output and error.
fn from_output(app: &App, stdout: &str, stderr: &str, seconds: f64) -> AppResult {
    let v: serde_json::Value = match serde_json::from_str(stdout) {
        Ok(v) => v,
        Err(_) => {
            return AppResult {
                name: app.name.clone(),
                about: app.about.clone(),
                refactors: Vec::new(),
                original: None,
                refactored: None,
                refactored_text: String::new(),
                original_text: String::new(),
                fixed_text: None,
                fixed: None,
                fixed_tried: false,
                known: conf_get(&app.conf, "known").map(str::to_string),
                guide_fix: conf_get(&app.conf, "guide-fix").map(str::to_string),
                stale: None,
                error: Some(stderr.trim().to_string()),
                seconds,
            }
        }
    };
    AppResult {
        name: app.name.clone(),
        about: app.about.clone(),
        refactors: v["refactors_applied"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect(),
        original: SideResult::from_json(&v["original"]),
        refactored: SideResult::from_json(&v["refactored"]),
        refactored_text: v["refactored"]["dockerfile"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        original_text: v["original"]["dockerfile"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        fixed_text: None,
        fixed: None,
        fixed_tried: false,
        known: conf_get(&app.conf, "known").map(str::to_string),
        guide_fix: conf_get(&app.conf, "guide-fix").map(str::to_string),
        stale: None,
        error: None,
        seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(bytes: u64, estimate: u64, text: &str) -> serde_json::Value {
        serde_json::json!({
            "build_ok": true, "build_seconds": 12.5, "size_bytes": bytes, "layers": 3,
            "estimate_bytes": estimate, "estimate_low": estimate / 2, "estimate_high": estimate * 2,
            "smoke_pass": true, "probes": [{"name": "start probe", "pass": true, "detail": "ok"}],
            "dockerfile": text,
        })
    }

    /// `--report-from`: a kept result is read with its Fix-all-safe record, and every side's
    /// estimate is replaced by the estimator's for the text that side built, while the measured
    /// size, build time and smoke results stay the run's.
    #[test]
    fn report_from_keeps_measurements_and_recomputes_every_estimate() {
        let dir = std::env::temp_dir().join(format!("stageplay-lab-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let app = App {
            name: "demo".into(),
            dir: dir.clone(),
            about: String::new(),
            conf: Vec::new(),
        };
        let (orig, split, fixed) = ("FROM a\n", "FROM a AS b\nFROM c\n", "FROM a\nRUN x\n");
        let verify = serde_json::json!({
            "refactors_applied": ["split-stage"],
            "original": side(1000, 1, orig),
            "refactored": side(400, 2, split),
        });
        std::fs::write(
            dir.join("demo.json"),
            serde_json::json!({"seconds": 30.0, "verify": verify}).to_string(),
        )
        .unwrap();
        std::fs::write(
            dir.join("demo.fixed.json"),
            serde_json::json!({"changed": true, "text": fixed, "seconds": 10.0,
                "verify": {"original": side(990, 3, fixed)}})
            .to_string(),
        )
        .unwrap();
        let mut r = from_saved(&app, &dir).expect("kept result");
        // A stand-in for the engine: 100 bytes per line of the text, ±10%.
        let estimator = |text: &str, _: &App| {
            let n = 100 * text.lines().count() as u64;
            Ok((n, n * 9 / 10, n * 11 / 10))
        };
        reestimate(&mut r, &app, &estimator).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let (o, s, f) = (r.original.unwrap(), r.refactored.unwrap(), r.fixed.unwrap());
        assert_eq!((o.estimate, o.low, o.high), (100, 90, 110));
        assert_eq!((s.estimate, s.low, s.high), (200, 180, 220));
        assert_eq!((f.estimate, f.low, f.high), (200, 180, 220));
        assert_eq!(
            (o.bytes, s.bytes, f.bytes),
            (Some(1000), Some(400), Some(990))
        );
        assert!(o.smoke_pass && s.smoke_pass && f.smoke_pass && o.built);
        assert_eq!(o.seconds, 12.5);
        assert_eq!(r.seconds, 40.0);
        assert_eq!(r.fixed_text.as_deref(), Some(fixed));
        assert_eq!(r.refactors, ["split-stage"]);
        assert_eq!(o.error(), Some(100.0 / 1000.0 - 1.0));
    }

    /// A kept side without its text cannot be re-estimated: said, not reported with the old figure.
    #[test]
    fn reestimate_refuses_a_side_without_its_text() {
        let app = App {
            name: "demo".into(),
            dir: PathBuf::from("."),
            about: String::new(),
            conf: Vec::new(),
        };
        let mut side = side(1000, 1, "");
        side["dockerfile"] = serde_json::Value::Null;
        let v = serde_json::json!({"refactors_applied": [], "original": side});
        let mut r = from_output(&app, &v.to_string(), "", 1.0);
        let err = reestimate(&mut r, &app, &|_: &str, _: &App| Ok((1, 1, 1))).unwrap_err();
        assert!(err.contains("no Dockerfile text"), "{err}");
    }

    #[test]
    fn parses_stageplay_estimate_json() {
        let json = r#"{"total_bytes": 5, "low_bytes": 4, "high_bytes": 6, "layers": []}"#;
        assert_eq!(parse_estimate(json), Some((5, 4, 6)));
        assert_eq!(parse_estimate("{}"), None);
    }

    /// The Fix-all-safe side is built alone, with the app's folder as the context, and never
    /// refactored.
    #[test]
    fn fixed_side_is_verified_alone_with_the_apps_context() {
        let app = App {
            name: "demo".into(),
            dir: PathBuf::from("/lab/demo"),
            about: String::new(),
            conf: vec![
                ("smoke".into(), "true".into()),
                ("refactor".into(), "split-stage".into()),
            ],
        };
        let a = verify_args(&app, &Build::Alone(Path::new("/tmp/x.Dockerfile"))).unwrap();
        assert!(a.ends_with(&[
            "--no-refactor".into(),
            "--context".into(),
            "/lab/demo".into(),
            "/tmp/x.Dockerfile".into()
        ]));
        assert!(!a.contains(&"--refactor".to_string()));
        let a = verify_args(&app, &Build::Original).unwrap();
        assert!(a.contains(&"--refactor".to_string()));
        assert_eq!(a.last().unwrap(), "/lab/demo/Dockerfile");
    }
}
