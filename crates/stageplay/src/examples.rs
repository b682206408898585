//! The example gallery, compiled in: the founding guide's patterns and single-stage "before"
//! versions. The files live in `crates/stageplay/gallery/` (provenance in its README) and are
//! also the inputs of the golden tests.

/// One example of the gallery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// Stable id, used in share links and tests (the file name without `.Dockerfile`).
    pub id: &'static str,
    pub title: &'static str,
    /// One line on what to look at.
    pub hint: &'static str,
    pub text: &'static str,
}

macro_rules! example {
    ($id:literal, $title:literal, $hint:literal) => {
        Example {
            id: $id,
            title: $title,
            hint: $hint,
            text: include_str!(concat!("../gallery/", $id, ".Dockerfile")),
        }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!("guide-basic", "Basic multi-stage (Python)", "A slim builder installs dependencies; the runtime copies only them."),
    example!(
        "guide-production",
        "Production multi-stage with security",
        "Build tools stay in the builder; the final stage runs as a non-root user with a HEALTHCHECK."
    ),
    example!("guide-uv", "Multi-stage with uv", "uv from an external image, cache and bind mounts, only .venv copied."),
    example!("guide-targets", "Named dev and prod targets", "Switch the target: development and production share one base."),
    example!("guide-copy-from", "COPY --from by name, index and image", "Three kinds of --from edge in the graph."),
    example!("guide-mounts", "BuildKit cache, secret and bind mounts", "Mounts add nothing to the image's layers."),
    example!(
        "single-stage-python",
        "Single-stage Python (before)",
        "gcc and the full python image end up in production: see the suggestions."
    ),
    example!("single-stage-uv", "Single-stage uv (before)", "The uv cache and the project's dev tools ship in the image."),
    example!("single-stage-node", "Single-stage Node (before)", "devDependencies and the build toolchain ship in the image."),
    example!("single-stage-go", "Single-stage Go (before)", "A whole Go toolchain ships to run one binary."),
];

/// The example the app opens on: the founding guide's basic multi-stage pattern.
/// `static/gen-sw.sh` writes its file into the loading shell of `index.html` (a web-crate test
/// checks they agree).
pub const DEFAULT_EXAMPLE: &str = "guide-basic";

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}
