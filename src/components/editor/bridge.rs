//! The JavaScript side of the editor: CodeMirror 6 and `static/editor/bridge.js`, bundled by
//! `cargo xtask editor` (esbuild) into `static/editor/build/editor.js`, which wasm-bindgen copies
//! into the build as a module snippet. Positions are UTF-16 offsets, as CodeMirror counts them.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/static/editor/build/editor.js")]
extern "C" {
    /// A CodeMirror `EditorView`.
    pub type View;

    pub fn create(
        parent: &web_sys::Element,
        doc: &str,
        options: &JsValue,
        callbacks: &JsValue,
    ) -> View;
    pub fn destroy(view: &View);
    /// The document as the editor holds it.
    pub fn text(view: &View) -> String;
    /// Replaces `from..to` with `insert` as one undoable step.
    pub fn replace(view: &View, from: u32, to: u32, insert: &str);
    /// Another document: new text, new history.
    pub fn reset(view: &View, doc: &str);
    #[wasm_bindgen(js_name = undoEdit)]
    pub fn undo_edit(view: &View) -> bool;
    #[wasm_bindgen(js_name = redoEdit)]
    pub fn redo_edit(view: &View) -> bool;
    #[wasm_bindgen(js_name = setReadOnly)]
    pub fn set_read_only(view: &View, on: bool);
    /// Highlight runs (`[from, to, class]…`), diagnostics (JSON) and fold ranges (`[from, to]…`)
    /// of a document `length` units long (ignored when the editor's is not).
    #[wasm_bindgen(js_name = setAnalysis)]
    pub fn set_analysis(view: &View, length: u32, runs: &[u32], diagnostics: &str, folds: &[u32]);
    /// Markdown drawn as DOM nodes (text nodes only, never HTML) into `parent`.
    #[wasm_bindgen(js_name = renderMarkdown)]
    pub fn render_markdown(parent: &web_sys::Element, md: &str);
    #[wasm_bindgen(js_name = setCursor)]
    pub fn set_cursor(view: &View, pos: u32);
}
