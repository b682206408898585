//! One rule per file. Each file declares its rule with [`rule_doc!`], whose doc comment is the
//! user-facing documentation (shown by `cargo doc` and, as `DOC`, in the in-app reference),
//! and a `check` function that keeps detection, message and fix apart.

/// Declares a rule's marker type with its doc comment and exposes that same text as `DOC`,
/// so the documentation is written once.
macro_rules! rule_doc {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        pub struct $name;
        /// The rule's documentation (the doc comment above), for the rules reference.
        pub const DOC: &str = concat!($($doc, "\n"),*);
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
pub mod context_copy_without_dockerignore;
pub mod copy_before_install;
pub mod final_image_runs_as_root;
pub mod missing_healthcheck;
pub mod package_cache_in_layer;
pub mod secret_in_final_image;
pub mod unpinned_final_base;
pub mod unused_stage;
