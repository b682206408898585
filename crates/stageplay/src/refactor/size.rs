//! The seam between refactors and the image-size estimate: text in, size and layer count out.
//!
//! Suggestions show the final image's estimated size and layer count before and after; the
//! numbers come from [`crate::estimate`]. When no estimate is available the fields stay `None`
//! (never a made-up number).

use crate::model::ModelOptions;

/// The estimated final image: total bytes and the number of filesystem layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub bytes: u64,
    pub layers: usize,
}

/// Estimates the final image of `text` for the target in `opts`.
pub fn measure(_text: &str, _opts: &ModelOptions) -> Option<Measure> {
    None
}
