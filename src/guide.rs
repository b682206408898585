//! The multi-stage build guide, readable in the app (the Guide dialog). The project calls it
//! "the founding guide": the gallery's examples follow its patterns, the Image pane compares
//! with its sizes, and suggestions cite its sections. Users have never seen it, so the app names
//! it for what it is and shows it whole.
//!
//! `docs/multi-stage-guide.md` is a verbatim copy of the team's founding document
//! (`shared/founding-guide.md`), itself a summary of Docker's "Multi-stage builds"
//! (https://docs.docker.com/build/building/multi-stage/).

/// The guide's name in the app.
pub const TITLE: &str = "Multi-stage build guide";

/// The guide, as Markdown.
pub const TEXT: &str = include_str!("../docs/multi-stage-guide.md");

/// What the engine's sources call it (`Founding guide: Basic Multi-Stage Pattern`).
const ENGINE_PREFIX: &str = "Founding guide: ";

/// A source title as users read it: the guide by its name.
pub fn source_title(title: &str) -> String {
    match title.strip_prefix(ENGINE_PREFIX) {
        Some(section) => format!("{TITLE}: {section}"),
        None => title.to_string(),
    }
}

/// Whether a source title is a section of the guide.
pub fn is_guide_source(title: &str) -> bool {
    title.starts_with(ENGINE_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_is_whole_and_its_sections_are_the_ones_suggestions_cite() {
        assert!(TEXT.starts_with("# Multi-Stage Builds"));
        for section in [
            "Why Multi-Stage?",
            "Basic Multi-Stage Pattern",
            "Production Multi-Stage with Security",
            "Multi-Stage with uv",
            "Named Stages and Targets",
            "COPY --from Syntax",
            "Image Size Comparison",
            "BuildKit Features",
            "Best Practices",
        ] {
            assert!(TEXT.contains(&format!("## {section}")), "{section}");
        }
        assert_eq!(
            source_title("Founding guide: Basic Multi-Stage Pattern"),
            "Multi-stage build guide: Basic Multi-Stage Pattern"
        );
        assert_eq!(source_title("Docker docs"), "Docker docs");
    }
}
