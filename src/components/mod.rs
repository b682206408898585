//! UI components: each takes props and emits callbacks. One pane per file.

pub mod editor;
pub mod graph_pane;
pub mod guide;
pub mod image_pane;
pub mod problems_pane;
pub mod splitter;
pub mod suggestions_pane;

use stageplay::analysis::{Analysis, AnalysisOptions};
use std::rc::Rc;
use yew::prelude::*;

/// Every pane gets the current analysis; equality is pointer identity (it is memoised).
#[derive(Properties)]
pub struct PaneProps {
    pub analysis: Rc<Analysis>,
    /// The text the analysis was made from.
    pub text: Rc<str>,
    /// The options the analysis was made with (target, build args, context).
    pub options: Rc<AnalysisOptions>,
}

impl PartialEq for PaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && Rc::ptr_eq(&self.text, &other.text)
            && self.options == other.options
    }
}
