//! hadolint's configuration, read as hadolint 2.15.1 reads it: a YAML file (`-c FILE`, else the
//! first of `.hadolint.yaml`/`.hadolint.yml` in the working directory, then the user's config
//! folders), `HADOLINT_*` environment variables and command-line options.
//!
//! How the three combine (measured against hadolint 2.15.1, see docs/reports/hadolint-compare.md):
//! lists (ignored rules, severity overrides, trusted registries, label schema) are the union of
//! all three; a rule named in several override lists gets the most severe level; single values
//! (format, failure threshold, no-fail, …) come from the command line, else the file, else the
//! environment. (hadolint lets the file's and the environment's `format` win over `-f`; Stageplay
//! lets the command line win, as for every other option.)

use serde::Deserialize;
use stageplay::lint::names;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// hadolint's severity levels, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Style,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Style => "style",
        }
    }

    pub fn from_severity(severity: stageplay::Severity) -> Level {
        match severity {
            stageplay::Severity::Error => Level::Error,
            stageplay::Severity::Warning => Level::Warning,
            stageplay::Severity::Info => Level::Info,
        }
    }

    /// The engine's severity closest to this level (style shows as info).
    pub fn severity(self) -> stageplay::Severity {
        match self {
            Level::Error => stageplay::Severity::Error,
            Level::Warning => stageplay::Severity::Warning,
            Level::Info | Level::Style => stageplay::Severity::Info,
        }
    }
}

/// `--failure-threshold`: exit 1 when a finding's level is this one or more severe. `ignore`
/// and `none` make every finding fail, as in hadolint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    Error,
    Warning,
    Info,
    Style,
    Ignore,
    None,
}

impl Threshold {
    pub fn fails(self, level: Level) -> bool {
        let rank = match self {
            Threshold::Error => 0,
            Threshold::Warning => 1,
            Threshold::Info => 2,
            Threshold::Style => 3,
            Threshold::Ignore | Threshold::None => 4,
        };
        (level as u8) <= rank
    }
}

/// The output formats: hadolint's, plus `full` (Stageplay's code frames with help and fixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One line per finding: `FILE:LINE CODE level: message` (hadolint's default).
    Tty,
    /// Code frames: the source line underlined, help and the fix (Stageplay's own).
    Full,
    /// A JSON array of findings (hadolint's fields, plus end position, sources and fix).
    Json,
    /// Checkstyle XML.
    Checkstyle,
    /// Code Climate issues, each followed by a NUL byte.
    Codeclimate,
    /// A JSON array of Code Climate issues with fingerprints (GitLab code quality reports).
    #[value(name = "gitlab_codeclimate")]
    GitlabCodeclimate,
    /// `stageplay:FILE:LINE: CODE level: message` (GNU's error format).
    Gnu,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
}

/// The rule settings, as plain data: what the engine's lint needs to know of the configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings {
    /// Codes never reported. A code matches a finding by its own code or by a rule it mirrors
    /// (`DL3025` matches BuildKit's JSONArgsRecommended, which names hadolint's DL3025).
    pub ignored: Vec<String>,
    /// Level overrides, one entry per code (the most severe when several lists name it).
    pub overrides: Vec<(String, Level)>,
    pub trusted_registries: Vec<String>,
    /// `label-schema` / `--require-label`: label name → format (text, url, semver, …).
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: bool,
    pub disable_ignore_pragma: bool,
}

impl RuleSettings {
    fn matches(code: &str, wanted: &str) -> bool {
        code.eq_ignore_ascii_case(wanted)
    }

    /// True when a finding with this code and these sources (`hadolint:DL3025`) is ignored.
    pub fn ignores(&self, code: &str, sources: &[&str]) -> bool {
        names(code, sources).any(|k| self.ignored.iter().any(|i| Self::matches(k, i)))
    }

    /// The level a finding gets: the most severe override naming its code or a source, else
    /// `default`.
    pub fn level(&self, code: &str, sources: &[&str], default: Level) -> Level {
        names(code, sources)
            .filter_map(|k| {
                self.overrides
                    .iter()
                    .find(|(c, _)| Self::matches(k, c))
                    .map(|(_, l)| *l)
            })
            .min()
            .unwrap_or(default)
    }
}

/// Everything `stageplay lint` was told, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub format: Format,
    pub no_fail: bool,
    pub no_color: bool,
    pub verbose: bool,
    pub threshold: Threshold,
    pub rules: RuleSettings,
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
}

/// One source of settings (the file, the environment or the command line); `None` and empty
/// lists mean "not said".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Partial {
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub verbose: Option<bool>,
    pub format: Option<Format>,
    #[serde(rename = "override", default)]
    pub overrides: Overrides,
    #[serde(default, deserialize_with = "one_or_many")]
    pub ignored: Vec<String>,
    #[serde(
        rename = "trustedRegistries",
        default,
        deserialize_with = "one_or_many"
    )]
    pub trusted_registries: Vec<String>,
    #[serde(default, deserialize_with = "label_schema")]
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    pub failure_threshold: Option<Threshold>,
    /// Keys hadolint does not know either (reported as a warning, as a typo would be).
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde_norway::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Overrides {
    #[serde(default, deserialize_with = "one_or_many")]
    pub error: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub warning: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub info: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub style: Vec<String>,
}

/// A YAML list of strings, or one string, or nothing (`ignored:` with no value).
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

fn label_schema<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    Ok(Option::<BTreeMap<String, String>>::deserialize(d)?
        .unwrap_or_default()
        .into_iter()
        .collect())
}

impl Partial {
    /// Reads a configuration file's text. Errors name the file and say what was expected.
    pub fn from_yaml(text: &str, path: &Path) -> Result<Partial, String> {
        if text.trim().is_empty() {
            return Ok(Partial::default());
        }
        serde_norway::from_str::<Option<Partial>>(text)
            .map(Option::unwrap_or_default)
            .map_err(|e| {
                format!(
                    "cannot read the configuration file {}: {e}\n\
                     expected keys: ignored, override (error, warning, info, style), trustedRegistries, \
                     failure-threshold, format, no-fail, no-color, label-schema, strict-labels, disable-ignore-pragma",
                    path.display()
                )
            })
    }

    /// hadolint's environment variables, read through `env`. Values hadolint would not accept
    /// are reported in `warnings` and left out.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>, warnings: &mut Vec<String>) -> Partial {
        let list = |name: &str| -> Vec<String> {
            env(name)
                .map(|v| crate::input::comma_list(&[v]))
                .unwrap_or_default()
        };
        let truthy = |name: &str| {
            env(name).map(|v| {
                matches!(
                    v.to_ascii_lowercase().as_str(),
                    "1" | "y" | "on" | "true" | "yes"
                )
            })
        };
        let enumerated = |name: &str| -> Option<String> {
            let v = env(name)?;
            Some(v.trim().to_ascii_lowercase())
        };
        let format = enumerated("HADOLINT_FORMAT").and_then(|v| {
            let parsed = <Format as clap::ValueEnum>::from_str(&v, true).ok();
            if parsed.is_none() {
                warnings.push(format!("HADOLINT_FORMAT: unknown format '{v}', ignored"));
            }
            parsed
        });
        let failure_threshold = enumerated("HADOLINT_FAILURE_THRESHOLD").and_then(|v| {
            let parsed = <Threshold as clap::ValueEnum>::from_str(&v, true).ok();
            if parsed.is_none() {
                warnings.push(format!(
                    "HADOLINT_FAILURE_THRESHOLD: unknown level '{v}', ignored"
                ));
            }
            parsed
        });
        let label_schema = list("HADOLINT_REQUIRE_LABELS")
            .into_iter()
            .filter_map(|item| match parse_label(&item) {
                Ok(pair) => Some(pair),
                Err(e) => {
                    warnings.push(format!("HADOLINT_REQUIRE_LABELS: {e}"));
                    None
                }
            })
            .collect();
        Partial {
            no_fail: truthy("HADOLINT_NOFAIL"),
            no_color: None,
            verbose: truthy("HADOLINT_VERBOSE"),
            format,
            overrides: Overrides {
                error: list("HADOLINT_OVERRIDE_ERROR"),
                warning: list("HADOLINT_OVERRIDE_WARNING"),
                info: list("HADOLINT_OVERRIDE_INFO"),
                style: list("HADOLINT_OVERRIDE_STYLE"),
            },
            ignored: list("HADOLINT_IGNORE"),
            trusted_registries: list("HADOLINT_TRUSTED_REGISTRIES"),
            label_schema,
            strict_labels: truthy("HADOLINT_STRICT_LABELS"),
            disable_ignore_pragma: truthy("HADOLINT_DISABLE_IGNORE_PRAGMA"),
            failure_threshold,
            unknown: BTreeMap::new(),
        }
    }
}

/// `NAME:FORMAT` of `--require-label` (formats as hadolint's label schema).
pub fn parse_label(text: &str) -> Result<(String, String), String> {
    const FORMATS: &[&str] = &["text", "url", "semver", "hash", "rfc3339", "spdx", "email"];
    let (name, format) = text
        .split_once(':')
        .ok_or_else(|| format!("'{text}' is not LABEL:FORMAT (e.g. maintainer:text)"))?;
    if !FORMATS.contains(&format) {
        return Err(format!(
            "'{format}' is not a label format ({})",
            FORMATS.join(", ")
        ));
    }
    Ok((name.to_string(), format.to_string()))
}

/// Combines the three sources: lists are joined, single values come from the command line,
/// else the file, else the environment.
pub fn combine(
    cli: Partial,
    file: Partial,
    env: Partial,
    config_file: Option<PathBuf>,
) -> Settings {
    let sources = [&cli, &file, &env];
    let first = |get: &dyn Fn(&Partial) -> Option<bool>| sources.iter().find_map(|p| get(p));
    let joined = |get: &dyn Fn(&Partial) -> &Vec<String>| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in [&file, &env, &cli] {
            for item in get(p) {
                if !out.iter().any(|o| o.eq_ignore_ascii_case(item)) {
                    out.push(item.clone());
                }
            }
        }
        out
    };
    let mut overrides: Vec<(String, Level)> = Vec::new();
    for (level, codes) in [
        (Level::Error, joined(&|p| &p.overrides.error)),
        (Level::Warning, joined(&|p| &p.overrides.warning)),
        (Level::Info, joined(&|p| &p.overrides.info)),
        (Level::Style, joined(&|p| &p.overrides.style)),
    ] {
        for code in codes {
            // Lists come most severe first, so the first level seen for a code is kept.
            if !overrides.iter().any(|(c, _)| c.eq_ignore_ascii_case(&code)) {
                overrides.push((code, level));
            }
        }
    }
    let mut label_schema: Vec<(String, String)> = Vec::new();
    for p in [&file, &env, &cli] {
        for (name, format) in &p.label_schema {
            label_schema.retain(|(n, _)| n != name);
            label_schema.push((name.clone(), format.clone()));
        }
    }
    Settings {
        format: sources.iter().find_map(|p| p.format).unwrap_or(Format::Tty),
        no_fail: first(&|p| p.no_fail).unwrap_or(false),
        no_color: first(&|p| p.no_color).unwrap_or(false),
        verbose: first(&|p| p.verbose).unwrap_or(false),
        threshold: sources
            .iter()
            .find_map(|p| p.failure_threshold)
            .unwrap_or(Threshold::Info),
        rules: RuleSettings {
            ignored: joined(&|p| &p.ignored),
            overrides,
            trusted_registries: joined(&|p| &p.trusted_registries),
            label_schema,
            strict_labels: first(&|p| p.strict_labels).unwrap_or(false),
            disable_ignore_pragma: first(&|p| p.disable_ignore_pragma).unwrap_or(false),
        },
        config_file,
    }
}

/// The configuration file hadolint would read when none is named: `.hadolint.yaml` or
/// `.hadolint.yml` in `cwd`; then `hadolint.yaml|yml` in `$XDG_CONFIG_HOME` (default
/// `~/.config`); then `~/.hadolint/{hadolint,config}.{yaml,yml}`; then `~/.hadolint.yaml|yml`.
pub fn find_config_file(
    cwd: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    exists: &dyn Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let home = env("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    let xdg = env("XDG_CONFIG_HOME")
        .filter(|x| !x.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut candidates = vec![cwd.join(".hadolint.yaml"), cwd.join(".hadolint.yml")];
    if let Some(x) = &xdg {
        candidates.extend([x.join("hadolint.yaml"), x.join("hadolint.yml")]);
    }
    if let Some(h) = &home {
        let app = h.join(".hadolint");
        candidates.extend(
            ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"]
                .iter()
                .map(|f| app.join(f)),
        );
        candidates.extend([h.join(".hadolint.yaml"), h.join(".hadolint.yml")]);
    }
    candidates.into_iter().find(|c| exists(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Partial {
        Partial::from_yaml(text, Path::new(".hadolint.yaml")).expect("valid config")
    }

    #[test]
    fn reads_hadolint_yaml_keys() {
        let p = yaml(
            "ignored:\n  - DL3000\n  - SC1010\noverride:\n  error: [DL3001]\n  style:\n    - DL3015\n\
             trustedRegistries:\n  - docker.io\n  - \"*.gcr.io\"\nfailure-threshold: warning\n\
             format: sarif\nno-fail: true\nlabel-schema:\n  author: text\nstrict-labels: true\n\
             disable-ignore-pragma: true\n",
        );
        assert_eq!(p.ignored, ["DL3000", "SC1010"]);
        assert_eq!(p.overrides.error, ["DL3001"]);
        assert_eq!(p.overrides.style, ["DL3015"]);
        assert_eq!(p.trusted_registries, ["docker.io", "*.gcr.io"]);
        assert_eq!(p.failure_threshold, Some(Threshold::Warning));
        assert_eq!(p.format, Some(Format::Sarif));
        assert_eq!(p.no_fail, Some(true));
        assert_eq!(p.label_schema, [("author".to_string(), "text".to_string())]);
        assert_eq!(p.strict_labels, Some(true));
        assert_eq!(p.disable_ignore_pragma, Some(true));
        assert!(p.unknown.is_empty());
        // One registry as a plain string (the README's `string | [string]`), empty keys, typos.
        let p = yaml("trustedRegistries: docker.io\nignored:\nignore: [DL3000]\n");
        assert_eq!(p.trusted_registries, ["docker.io"]);
        assert!(p.ignored.is_empty());
        assert_eq!(p.unknown.keys().collect::<Vec<_>>(), ["ignore"]);
        assert_eq!(yaml(""), Partial::default());
        assert_eq!(yaml("# only a comment\n"), Partial::default());
    }

    #[test]
    fn bad_files_say_which_and_why() {
        for bad in [
            "ignored: [DL3000\n",
            "failure-threshold: bogus\n",
            "- a list\n",
        ] {
            let err = Partial::from_yaml(bad, Path::new("/x/.hadolint.yaml")).unwrap_err();
            assert!(err.contains("/x/.hadolint.yaml"), "{err}");
        }
    }

    #[test]
    fn environment_variables_as_hadolint_reads_them() {
        let vars = [
            ("HADOLINT_NOFAIL", "yes"),
            ("HADOLINT_FORMAT", "gitlab_codeclimate"),
            ("HADOLINT_FAILURE_THRESHOLD", "bogus"),
            ("HADOLINT_OVERRIDE_ERROR", "DL3010,DL3020"),
            ("HADOLINT_IGNORE", "DL3003, DL3006"),
            ("HADOLINT_TRUSTED_REGISTRIES", "docker.io"),
            ("HADOLINT_REQUIRE_LABELS", "maintainer:text,bad"),
            ("HADOLINT_STRICT_LABELS", "0"),
        ];
        let env = |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let mut warnings = Vec::new();
        let p = Partial::from_env(&env, &mut warnings);
        assert_eq!(p.no_fail, Some(true));
        assert_eq!(p.format, Some(Format::GitlabCodeclimate));
        assert_eq!(p.failure_threshold, None);
        assert_eq!(p.overrides.error, ["DL3010", "DL3020"]);
        assert_eq!(p.ignored, ["DL3003", "DL3006"]);
        assert_eq!(p.trusted_registries, ["docker.io"]);
        assert_eq!(p.label_schema.len(), 1);
        assert_eq!(p.strict_labels, Some(false));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn sources_combine_as_in_hadolint() {
        let file = yaml(
            "ignored: [DL3047]\noverride:\n  error: [DL3047]\nfailure-threshold: error\nno-fail: false\n",
        );
        let env = Partial {
            ignored: vec!["DL3059".into()],
            failure_threshold: Some(Threshold::Info),
            no_fail: Some(true),
            overrides: Overrides {
                style: vec!["DL3047".into(), "DL3003".into()],
                ..Overrides::default()
            },
            ..Partial::default()
        };
        let cli = Partial {
            ignored: vec!["DL3003".into()],
            overrides: Overrides {
                info: vec!["DL3003".into()],
                ..Overrides::default()
            },
            format: Some(Format::Json),
            ..Partial::default()
        };
        let s = combine(cli, file, env, None);
        assert_eq!(s.rules.ignored, ["DL3047", "DL3059", "DL3003"]);
        // The most severe override wins, whoever said it.
        assert_eq!(s.rules.level("DL3047", &[], Level::Info), Level::Error);
        assert_eq!(s.rules.level("DL3003", &[], Level::Warning), Level::Info);
        // Single values: the file before the environment.
        assert_eq!(s.threshold, Threshold::Error);
        assert!(!s.no_fail);
        assert_eq!(s.format, Format::Json);
    }

    #[test]
    fn codes_match_a_finding_or_the_rule_it_mirrors() {
        let rules = RuleSettings {
            ignored: vec!["dl3025".into()],
            overrides: vec![("DL4000".into(), Level::Error)],
            ..RuleSettings::default()
        };
        let json_args = ["buildkit:JSONArgsRecommended", "hadolint:DL3025"];
        assert!(rules.ignores("JSONArgsRecommended", &json_args));
        assert!(!rules.ignores("DL3003", &["hadolint:DL3003"]));
        let maintainer = ["buildkit:MaintainerDeprecated", "hadolint:DL4000"];
        assert_eq!(
            rules.level("MaintainerDeprecated", &maintainer, Level::Warning),
            Level::Error
        );
    }

    #[test]
    fn thresholds_compare_as_hadolint() {
        assert!(Threshold::Info.fails(Level::Error));
        assert!(Threshold::Info.fails(Level::Info));
        assert!(!Threshold::Info.fails(Level::Style));
        assert!(!Threshold::Error.fails(Level::Warning));
        assert!(Threshold::None.fails(Level::Style));
        assert!(Threshold::Ignore.fails(Level::Style));
    }

    #[test]
    fn config_lookup_order() {
        let env = |k: &str| match k {
            "HOME" => Some("/home/u".to_string()),
            _ => None,
        };
        let found = |present: &[&str]| {
            find_config_file(Path::new("/repo"), &env, &|p: &Path| {
                present.iter().any(|x| Path::new(x) == p)
            })
        };
        assert_eq!(
            found(&["/home/u/.hadolint.yaml", "/repo/.hadolint.yml"]),
            Some(PathBuf::from("/repo/.hadolint.yml"))
        );
        assert_eq!(
            found(&["/home/u/.hadolint.yaml", "/home/u/.config/hadolint.yaml"]),
            Some(PathBuf::from("/home/u/.config/hadolint.yaml"))
        );
        assert_eq!(
            found(&["/home/u/.hadolint.yml", "/home/u/.hadolint/config.yaml"]),
            Some(PathBuf::from("/home/u/.hadolint/config.yaml"))
        );
        assert_eq!(found(&[]), None);
    }
}
