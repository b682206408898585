//! One rule per file, named after what it checks. Each file declares its rule with
//! `declare_rule!` (below): the doc comment is the user-facing documentation (shown by
//! `cargo doc` and, as [`RuleMeta::doc`](super::RuleMeta::doc), in the rules reference) and the
//! fields are its metadata; the file's `check` function keeps detection, message and fix apart
//! and reports through the context, which knows the rule's code.

/// Declares a rule: its marker type with the doc comment, and `RULE`, its entry in the registry
/// ([`super::codes::RULES`]) with the same doc as text and the file's `check` function.
///
/// `fix` is the best applicability of the fixes the rule offers (`Safe`, `Unsafe`,
/// `DisplayOnly`) or `None`; `stage_aware` is true when the rule reads the stage model.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            sources: [$($source:literal),* $(,)?],
            severity: $severity:ident,
            status: $status:ident,
            fix: $fix:ident,
            stage_aware: $aware:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        /// The rule's code, metadata, documentation and check, for the registry.
        pub const RULE: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
            code: $code,
            name: $kebab,
            sources: &[$($source),*],
            severity: $crate::diagnostic::Severity::$severity,
            status: $crate::lint::RuleStatus::$status,
            fix: declare_rule!(@fix $fix),
            stage_aware: $aware,
            doc: concat!($($doc, "\n"),*),
            check,
        };
    };
    (@fix None) => {
        None
    };
    (@fix $fix:ident) => {
        Some($crate::diagnostic::Applicability::$fix)
    };
}

pub mod helpers;

// BuildKit build checks.
pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;

// hadolint mirrors.
pub mod absolute_workdir;
pub mod apk_no_cache;
pub mod apt_get_no_install_recommends;
pub mod apt_get_not_apt;
pub mod apt_get_yes;
pub mod consecutive_run;
pub mod copy_from_known_stage;
pub mod copy_from_self;
pub mod copy_multiple_sources_dir;
pub mod copy_not_add;
pub mod curl_or_wget;
pub mod delete_apt_lists;
pub mod dnf_clean;
pub mod dnf_yes;
pub mod final_user_not_root;
pub mod no_from_platform;
pub mod no_interactive_commands;
pub mod no_latest_tag;
pub mod no_sudo;
pub mod no_zypper_dist_upgrade;
pub mod pin_apk_versions;
pub mod pin_apt_get_versions;
pub mod pin_dnf_versions;
pub mod pin_gem_versions;
pub mod pin_npm_versions;
pub mod pin_pip_versions;
pub mod pin_yum_versions;
pub mod pin_zypper_versions;
pub mod pip_no_cache_dir;
pub mod pipefail;
pub mod tag_base_image;
pub mod trusted_registry;
pub mod use_shell_instruction;
pub mod use_workdir_not_cd;
pub mod useradd_no_log_init;
pub mod valid_port;
pub mod wget_progress;
pub mod yarn_cache_clean;
pub mod yum_clean;
pub mod yum_yes;
pub mod zypper_clean;
pub mod zypper_yes;

// Stageplay's own.
pub mod build_tools_in_final_image;
pub mod command_not_in_image;
pub mod compiler_without_libc_headers;
pub mod context_copy_without_dockerignore;
pub mod copy_before_install;
pub mod final_image_runs_as_root;
pub mod missing_healthcheck;
pub mod package_cache_in_layer;
pub mod secret_in_final_image;
pub mod unused_stage;
