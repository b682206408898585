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
    /// lab.conf's `known`: why the original is expected to fail (a bug of the founding guide's
    /// own example, a builder limitation), said in the report.
    pub known: Option<String>,
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

/// The `stageplay verify` arguments for an app (without the CLI path).
pub fn verify_args(app: &App) -> Result<Vec<String>, String> {
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
            "refactor" => a.extend(["--refactor".into(), v.clone()]),
            "build-arg" => a.extend(["--build-arg".into(), v.clone()]),
            "about" | "tls" | "server" | "known" => {}
            other => return Err(format!("{}: unknown lab.conf key '{other}'", app.name)),
        }
    }
    a.push(app.dir.join("Dockerfile").display().to_string());
    Ok(a)
}

pub fn verify(cli: &Path, app: &App) -> Result<AppResult, String> {
    let args = verify_args(app)?;
    let start = std::time::Instant::now();
    let out = Command::new("nice")
        .arg("-n")
        .arg("10")
        .arg(cli)
        .args(&args)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Kept per app, so an interrupted run can still be reported (`--report-from`).
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&stdout) {
        let dir = super::cache_dir().join("results");
        let saved = serde_json::json!({"seconds": seconds, "verify": v});
        if std::fs::create_dir_all(&dir).is_ok() {
            let _ = std::fs::write(dir.join(format!("{}.json", app.name)), saved.to_string());
        }
    }
    Ok(from_output(app, &stdout, &stderr, seconds))
}

/// An app's result from a saved verify output: the `{"seconds", "verify"}` file `verify` keeps,
/// or `stageplay verify --json`'s own output (seconds unknown: 0). `None` when unreadable.
pub fn from_saved(app: &App, path: &Path) -> Option<AppResult> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let (verify, seconds) = match v.get("verify") {
        Some(inner) => (inner.to_string(), v["seconds"].as_f64().unwrap_or(0.0)),
        None => (text, 0.0),
    };
    Some(from_output(app, &verify, "", seconds))
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
                known: conf_get(&app.conf, "known").map(str::to_string),
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
        known: conf_get(&app.conf, "known").map(str::to_string),
        error: None,
        seconds,
    }
}
