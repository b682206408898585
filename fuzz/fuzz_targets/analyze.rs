//! The whole analysis never panics on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stageplay::analysis::{analyze, AnalysisOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let analysis = analyze(&text, &AnalysisOptions::default());
    let _ = analysis.estimate();
});
