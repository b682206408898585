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
pub mod dl3000;
pub mod dl3001;
pub mod dl3002;
pub mod dl3003;
pub mod dl3004;
pub mod dl3006;
pub mod dl3007;
pub mod dl3008;
pub mod dl3009;
pub mod dl3011;
pub mod dl3013;
pub mod dl3014;
pub mod dl3015;
pub mod dl3016;
pub mod dl3018;
pub mod dl3019;
pub mod dl3020;
pub mod dl3021;
pub mod dl3022;
pub mod dl3023;
pub mod dl3027;
pub mod dl3028;
pub mod dl3029;
pub mod dl3030;
pub mod dl3032;
pub mod dl3033;
pub mod dl3034;
pub mod dl3035;
pub mod dl3036;
pub mod dl3037;
pub mod dl3038;
pub mod dl3040;
pub mod dl3041;
pub mod dl3042;
pub mod dl3046;
pub mod dl3047;
pub mod dl3059;
pub mod dl3060;
pub mod dl4001;
pub mod dl4005;
pub mod dl4006;

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
