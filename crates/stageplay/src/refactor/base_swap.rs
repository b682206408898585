//! Swap a full runtime base for its slim variant.
//!
//! ## What it does
//! When the final stage only runs the application (it installs no build tools and compiles
//! nothing), replaces a full base image with the smaller one of the same family:
//! `python:3.12` → `python:3.12-slim`, `node:22` → `node:22-slim`, `ruby:3.3` → `ruby:3.3-slim`,
//! `debian:bookworm` → `debian:bookworm-slim`, a JDK → its JRE (`eclipse-temurin:21-jre`), the
//! .NET SDK → `aspnet`.
//!
//! ## Why is this better?
//! Founding guide, "Image Size Comparison": `python:3.12` is about 1 GB, `python:3.12-slim` about
//! 150 MB. The full images carry compilers and headers a runtime does not use.
//!
//! ## Compatibility
//! Slim images lack compilers, `-dev` headers, git and curl; Alpine uses musl, not glibc, so
//! prebuilt wheels and native addons may not load; distroless has no shell, so CMD must be in
//! exec form and a HEALTHCHECK needs its own binary.
//!
//! ## Fix safety
//! Unsafe: a run-time dependency on something only the full image has breaks.
//!
//! ## References
//! Founding guide, "Image Size Comparison" and "Best Practices" 4 (use slim/alpine); hadolint
//! has no rule for it.

use super::project::{recognise_stage, Ecosystem};
use super::util::{self, image_repo_tag};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::Base;

pub const META: RefactorMeta = RefactorMeta {
    id: "base-swap",
    title: "Use a slim runtime base image",
    sources: &[
        (
            "Founding guide: Image Size Comparison",
            "https://docs.docker.com/build/building/best-practices/#choose-the-right-base-image",
        ),
        (
            "Founding guide: Best Practices (use slim/alpine)",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ],
};

/// The lighter image of the same family, with the compatibility note to show.
pub fn lighter(image: &str) -> Option<(String, &'static str)> {
    let (repo, tag) = image_repo_tag(image);
    let slim_note = "Slim images have no compilers, headers, git or curl. For a smaller image still, `-alpine` uses musl \
                     instead of glibc (prebuilt wheels and native addons may not load), and distroless has no shell \
                     (exec-form CMD only, HEALTHCHECK needs its own binary).";
    match repo.as_str() {
        "python" | "node" | "ruby" | "perl" => {
            if tag.contains("slim") || tag.contains("alpine") || tag.contains("windows") {
                return None;
            }
            let digits = tag.chars().all(|c| c.is_ascii_digit() || c == '.');
            let slim = if digits {
                format!("{repo}:{tag}-slim")
            } else if let Some(v) = ["bookworm", "bullseye", "trixie"].iter().find_map(|c| tag.strip_suffix(&format!("-{c}")).map(|v| (v, *c))) {
                if repo == "node" { format!("{repo}:{}-{}-slim", v.0, v.1) } else { format!("{repo}:{}-slim-{}", v.0, v.1) }
            } else {
                return None;
            };
            Some((slim, slim_note))
        }
        "debian" if !tag.contains("slim") && tag.chars().all(|c| c.is_ascii_lowercase()) && tag != "latest" => {
            Some((format!("debian:{tag}-slim"), slim_note))
        }
        "eclipse-temurin" if tag.contains("jdk") => Some((
            format!("eclipse-temurin:{}", tag.replace("jdk", "jre")),
            "A JRE runs a jar; it has no javac or jlink. `-alpine` variants use musl.",
        )),
        "openjdk" => {
            let version: String = tag.chars().take_while(|c| c.is_ascii_digit()).collect();
            (!version.is_empty()).then(|| (format!("eclipse-temurin:{version}-jre"), "The `openjdk` images are deprecated; Eclipse Temurin's JRE runs the same jar without the JDK."))
        }
        r if r.ends_with("dotnet/sdk") => Some((
            format!("mcr.microsoft.com/dotnet/aspnet:{tag}"),
            "`aspnet` has the .NET and ASP.NET Core runtimes but not the SDK: run a published dll, not `dotnet run`.",
        )),
        _ => None,
    }
}

pub fn check(cx: &Context) -> Option<Draft> {
    let stage = util::final_stage(cx.model)?;
    let Base::Image(_) = &stage.base else {
        return None;
    };
    let project = recognise_stage(cx.doc, cx.model, stage.index);
    if !project.build_packages.is_empty()
        || project.build_command.is_some()
        || project.install_command.is_some()
    {
        return None;
    }
    let run = project.run_command.join(" ");
    if run.contains("dotnet run")
        || run.contains("mvn")
        || run.contains("gradle")
        || run.contains("go run")
        || run.contains("cargo run")
    {
        return None;
    }
    let from = util::ins(cx.doc, stage.from_instruction)?;
    let words = from.value_words();
    let image_word = words.first()?;
    if image_word.text.contains('$') {
        return None;
    }
    let (slim, note) = lighter(&image_word.text)?;
    if project.ecosystem == Ecosystem::Unknown && !image_word.text.starts_with("debian") {
        return None;
    }
    Some(Draft {
        title: format!("Use `{slim}` instead of `{}`", image_word.text),
        explanation: format!(
            "The final stage only runs the application, but `{}` is the full image with compilers and headers. `{slim}` is the \
             same runtime without them (founding guide: \"Image Size Comparison\"). {note}",
            image_word.text
        ),
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit { span: image_word.span, insert: slim }],
    })
}
