//! The Guide dialog's body: the multi-stage build guide ([`crate::guide`]), drawn from its
//! Markdown by the editor's renderer.

use yew::prelude::*;

/// The multi-stage build guide, drawn from its Markdown by the editor's renderer.
#[component(GuideView)]
pub fn guide_view() -> Html {
    let body = use_node_ref();
    {
        let body = body.clone();
        use_effect_with((), move |_| {
            if let Some(el) = body.cast::<web_sys::Element>() {
                crate::components::editor::render_markdown(&el, crate::guide::TEXT);
            }
        });
    }
    html! {
        <>
            <p class="muted">{ "The guide Stageplay is built around: the Examples follow its patterns, the Image pane compares your image with its typical sizes, and suggestions cite its sections. A summary of Docker's documentation on multi-stage builds." }</p>
            <div class="guide" ref={body}></div>
        </>
    }
}
