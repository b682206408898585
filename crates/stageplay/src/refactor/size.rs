//! The seam between refactors and the image-size estimate: text in, size and layer count out.
//!
//! Suggestions show the final image's estimated size and layer count before and after; the
//! numbers come from [`crate::estimate`] ([`crate::estimate::final_image`]: only the target's
//! stages are simulated). When no estimate is available the fields stay `None` (never a made-up
//! number); over [`super::MAX_MEASURED_BYTES`] they are not measured and
//! [`super::Suggestion::size_note`] says so.

use crate::estimate::EstimateOptions;
use crate::model::ModelOptions;

/// The estimated final image: total bytes and the number of filesystem layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub bytes: u64,
    pub layers: usize,
}

/// Estimates the final image of `text` for the target in `opts`, with what `estimate` knows of
/// the build context, as the Image pane does (`None` for a file without stages).
pub fn measure(text: &str, opts: &ModelOptions, estimate: &EstimateOptions) -> Option<Measure> {
    measure_doc(&crate::syntax::parse(text), opts, estimate)
}

/// [`measure`] of an already parsed text.
pub fn measure_doc(
    doc: &crate::syntax::Dockerfile,
    opts: &ModelOptions,
    estimate: &EstimateOptions,
) -> Option<Measure> {
    let model = crate::model::build(doc, opts);
    if model.stages.is_empty() {
        return None;
    }
    // Only the target's stages are simulated: the numbers are those of the full estimate.
    let (bytes, layers) = crate::estimate::final_image(doc, &model, estimate)?;
    Some(Measure { bytes, layers })
}
