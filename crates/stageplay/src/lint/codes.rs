//! The one table of every lint rule: code, name, the rules it mirrors, default severity,
//! status, fix availability, stage awareness and its documentation. Codes are never reused.
//!
//! Codes: BuildKit checks keep their BuildKit names (`StageNameCasing`), hadolint mirrors keep
//! their `DLxxxx` code, Stageplay's own rules are `SP1xxx`.

use super::context::Ctx;
use super::rules;
use crate::diagnostic::{Applicability, Severity};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Stable,
    /// Runs only when asked for (BuildKit's experimental checks).
    Preview,
}

/// A rule's metadata and its check function.
#[derive(Clone, Copy, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    /// A readable kebab-case name.
    pub name: &'static str,
    /// What it mirrors: `buildkit:<Check>`, `hadolint:DLxxxx`; empty for Stageplay's own.
    pub sources: &'static [&'static str],
    pub severity: Severity,
    pub status: RuleStatus,
    /// The best applicability of the fixes the rule offers, if any.
    pub fix: Option<Applicability>,
    /// True when the rule reads the stage model (final image, builder, unused).
    pub stage_aware: bool,
    /// The user-facing documentation (markdown), the rule file's doc comment.
    pub doc: &'static str,
    #[serde(skip)]
    pub check: fn(&mut Ctx),
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleMeta").field("code", &self.code).field("name", &self.name).finish()
    }
}

impl RuleMeta {
    pub fn is_buildkit(&self) -> bool {
        self.sources.iter().any(|s| s.starts_with("buildkit:"))
    }

    pub fn has_fix(&self) -> bool {
        self.fix.is_some()
    }

    /// The doc with the one leading space of each doc-comment line removed.
    pub fn doc_markdown(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }

    /// The first sentence under "What it does", for lists.
    pub fn summary(&self) -> String {
        let md = self.doc_markdown();
        let body: Vec<&str> = md
            .lines()
            .skip_while(|l| !l.starts_with("## What it does"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .collect();
        body.join(" ").trim().to_string()
    }
}

macro_rules! rule {
    ($code:literal, $name:literal, [$($src:literal),*], $sev:ident, $status:ident, $fix:expr, $aware:literal, $module:ident) => {
        RuleMeta {
            code: $code,
            name: $name,
            sources: &[$($src),*],
            severity: Severity::$sev,
            status: RuleStatus::$status,
            fix: $fix,
            stage_aware: $aware,
            doc: rules::$module::DOC,
            check: rules::$module::check,
        }
    };
}

const SAFE: Option<Applicability> = Some(Applicability::Safe);
const UNSAFE: Option<Applicability> = Some(Applicability::Unsafe);
const NONE: Option<Applicability> = None;

pub static RULES: &[RuleMeta] = &[
    // BuildKit build checks.
    rule!("StageNameCasing", "stage-name-casing", ["buildkit:StageNameCasing"], Warning, Stable, SAFE, false, stage_name_casing),
    rule!("FromAsCasing", "from-as-casing", ["buildkit:FromAsCasing"], Warning, Stable, SAFE, false, from_as_casing),
    rule!("NoEmptyContinuation", "no-empty-continuation", ["buildkit:NoEmptyContinuation"], Warning, Stable, SAFE, false, no_empty_continuation),
    rule!("ConsistentInstructionCasing", "consistent-instruction-casing", ["buildkit:ConsistentInstructionCasing"], Warning, Stable, SAFE, false, consistent_instruction_casing),
    rule!("DuplicateStageName", "duplicate-stage-name", ["buildkit:DuplicateStageName", "hadolint:DL3024"], Error, Stable, NONE, false, duplicate_stage_name),
    rule!("ReservedStageName", "reserved-stage-name", ["buildkit:ReservedStageName"], Error, Stable, NONE, false, reserved_stage_name),
    rule!("JSONArgsRecommended", "json-args-recommended", ["buildkit:JSONArgsRecommended", "hadolint:DL3025"], Warning, Stable, UNSAFE, false, json_args_recommended),
    rule!("MaintainerDeprecated", "maintainer-deprecated", ["buildkit:MaintainerDeprecated", "hadolint:DL4000"], Warning, Stable, UNSAFE, false, maintainer_deprecated),
    rule!("UndefinedArgInFrom", "undefined-arg-in-from", ["buildkit:UndefinedArgInFrom"], Warning, Stable, UNSAFE, false, undefined_arg_in_from),
    rule!("WorkdirRelativePath", "workdir-relative-path", ["buildkit:WorkdirRelativePath"], Warning, Stable, NONE, true, workdir_relative_path),
    rule!("UndefinedVar", "undefined-var", ["buildkit:UndefinedVar"], Warning, Stable, UNSAFE, true, undefined_var),
    rule!("MultipleInstructionsDisallowed", "multiple-instructions-disallowed", ["buildkit:MultipleInstructionsDisallowed", "hadolint:DL4003", "hadolint:DL4004", "hadolint:DL3012"], Warning, Stable, SAFE, false, multiple_instructions_disallowed),
    rule!("LegacyKeyValueFormat", "legacy-key-value-format", ["buildkit:LegacyKeyValueFormat"], Warning, Stable, SAFE, false, legacy_key_value_format),
    rule!("RedundantTargetPlatform", "redundant-target-platform", ["buildkit:RedundantTargetPlatform"], Info, Stable, SAFE, false, redundant_target_platform),
    rule!("SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env", ["buildkit:SecretsUsedInArgOrEnv"], Warning, Stable, NONE, false, secrets_used_in_arg_or_env),
    rule!("InvalidDefaultArgInFrom", "invalid-default-arg-in-from", ["buildkit:InvalidDefaultArgInFrom"], Error, Stable, NONE, false, invalid_default_arg_in_from),
    rule!("FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed", ["buildkit:FromPlatformFlagConstDisallowed"], Warning, Stable, NONE, false, from_platform_flag_const_disallowed),
    rule!("CopyIgnoredFile", "copy-ignored-file", ["buildkit:CopyIgnoredFile"], Warning, Stable, NONE, false, copy_ignored_file),
    rule!("InvalidDefinitionDescription", "invalid-definition-description", ["buildkit:InvalidDefinitionDescription"], Info, Preview, SAFE, false, invalid_definition_description),
    rule!("ExposeProtoCasing", "expose-proto-casing", ["buildkit:ExposeProtoCasing"], Warning, Stable, SAFE, false, expose_proto_casing),
    rule!("ExposeInvalidFormat", "expose-invalid-format", ["buildkit:ExposeInvalidFormat"], Warning, Stable, SAFE, false, expose_invalid_format),
    // hadolint mirrors (DL3024, DL3025, DL3012, DL4000, DL4003, DL4004 are covered by the BuildKit rows above).
    rule!("DL3000", "absolute-workdir", ["hadolint:DL3000"], Error, Stable, NONE, false, dl3000),
    rule!("DL3001", "no-interactive-commands", ["hadolint:DL3001"], Info, Stable, NONE, false, dl3001),
    rule!("DL3002", "final-user-not-root", ["hadolint:DL3002"], Warning, Stable, NONE, true, dl3002),
    rule!("DL3003", "use-workdir-not-cd", ["hadolint:DL3003"], Warning, Stable, NONE, false, dl3003),
    rule!("DL3004", "no-sudo", ["hadolint:DL3004"], Error, Stable, UNSAFE, false, dl3004),
    rule!("DL3006", "tag-base-image", ["hadolint:DL3006"], Warning, Stable, NONE, false, dl3006),
    rule!("DL3007", "no-latest-tag", ["hadolint:DL3007"], Warning, Stable, NONE, false, dl3007),
    rule!("DL3008", "pin-apt-get-versions", ["hadolint:DL3008"], Warning, Stable, NONE, false, dl3008),
    rule!("DL3009", "delete-apt-lists", ["hadolint:DL3009"], Info, Stable, UNSAFE, true, dl3009),
    rule!("DL3011", "valid-port", ["hadolint:DL3011"], Error, Stable, NONE, false, dl3011),
    rule!("DL3013", "pin-pip-versions", ["hadolint:DL3013"], Warning, Stable, NONE, false, dl3013),
    rule!("DL3014", "apt-get-yes", ["hadolint:DL3014"], Warning, Stable, SAFE, false, dl3014),
    rule!("DL3015", "apt-get-no-install-recommends", ["hadolint:DL3015"], Info, Stable, UNSAFE, false, dl3015),
    rule!("DL3016", "pin-npm-versions", ["hadolint:DL3016"], Warning, Stable, NONE, false, dl3016),
    rule!("DL3018", "pin-apk-versions", ["hadolint:DL3018"], Warning, Stable, NONE, false, dl3018),
    rule!("DL3019", "apk-no-cache", ["hadolint:DL3019"], Info, Stable, SAFE, true, dl3019),
    rule!("DL3020", "copy-not-add", ["hadolint:DL3020"], Error, Stable, SAFE, false, dl3020),
    rule!("DL3021", "copy-multiple-sources-dir", ["hadolint:DL3021"], Error, Stable, SAFE, false, dl3021),
    rule!("DL3022", "copy-from-known-stage", ["hadolint:DL3022"], Warning, Stable, NONE, false, dl3022),
    rule!("DL3023", "copy-from-self", ["hadolint:DL3023"], Error, Stable, NONE, false, dl3023),
    rule!("DL3027", "apt-get-not-apt", ["hadolint:DL3027"], Warning, Stable, SAFE, false, dl3027),
    rule!("DL3028", "pin-gem-versions", ["hadolint:DL3028"], Warning, Stable, NONE, false, dl3028),
    rule!("DL3029", "no-from-platform", ["hadolint:DL3029"], Warning, Stable, NONE, false, dl3029),
    rule!("DL3030", "yum-yes", ["hadolint:DL3030"], Warning, Stable, SAFE, false, dl3030),
    rule!("DL3032", "yum-clean", ["hadolint:DL3032"], Warning, Stable, SAFE, true, dl3032),
    rule!("DL3033", "pin-yum-versions", ["hadolint:DL3033"], Warning, Stable, NONE, false, dl3033),
    rule!("DL3034", "zypper-yes", ["hadolint:DL3034"], Warning, Stable, SAFE, false, dl3034),
    rule!("DL3035", "no-zypper-dist-upgrade", ["hadolint:DL3035"], Warning, Stable, NONE, false, dl3035),
    rule!("DL3036", "zypper-clean", ["hadolint:DL3036"], Warning, Stable, SAFE, true, dl3036),
    rule!("DL3037", "pin-zypper-versions", ["hadolint:DL3037"], Warning, Stable, NONE, false, dl3037),
    rule!("DL3038", "dnf-yes", ["hadolint:DL3038"], Warning, Stable, SAFE, false, dl3038),
    rule!("DL3040", "dnf-clean", ["hadolint:DL3040"], Warning, Stable, SAFE, true, dl3040),
    rule!("DL3041", "pin-dnf-versions", ["hadolint:DL3041"], Warning, Stable, NONE, false, dl3041),
    rule!("DL3042", "pip-no-cache-dir", ["hadolint:DL3042"], Warning, Stable, SAFE, true, dl3042),
    rule!("DL3046", "useradd-no-log-init", ["hadolint:DL3046"], Warning, Stable, SAFE, false, dl3046),
    rule!("DL3047", "wget-progress", ["hadolint:DL3047"], Info, Stable, SAFE, false, dl3047),
    rule!("DL3059", "consecutive-run", ["hadolint:DL3059"], Info, Stable, UNSAFE, true, dl3059),
    rule!("DL3060", "yarn-cache-clean", ["hadolint:DL3060"], Info, Stable, SAFE, true, dl3060),
    rule!("DL4001", "curl-or-wget", ["hadolint:DL4001"], Warning, Stable, NONE, false, dl4001),
    rule!("DL4005", "use-shell-instruction", ["hadolint:DL4005"], Warning, Stable, NONE, false, dl4005),
    rule!("DL4006", "pipefail", ["hadolint:DL4006"], Warning, Stable, UNSAFE, false, dl4006),
    // Stageplay's own.
    rule!("SP1001", "build-tools-in-final-image", [], Warning, Stable, NONE, true, build_tools_in_final_image),
    rule!("SP1002", "unused-stage", [], Warning, Stable, UNSAFE, true, unused_stage),
    rule!("SP1003", "copy-before-install", [], Warning, Stable, NONE, false, copy_before_install),
    rule!("SP1004", "secret-in-final-image", [], Warning, Stable, NONE, true, secret_in_final_image),
    rule!("SP1005", "package-cache-in-layer", [], Info, Stable, SAFE, true, package_cache_in_layer),
    rule!("SP1006", "missing-healthcheck", [], Info, Stable, NONE, true, missing_healthcheck),
    rule!("SP1007", "context-copy-without-dockerignore", [], Warning, Stable, NONE, false, context_copy_without_dockerignore),
    rule!("SP1008", "unpinned-final-base", [], Warning, Stable, NONE, true, unpinned_final_base),
];
