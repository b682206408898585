//! The app's dialogs (help, examples gallery, snippets, share, embed, export) and the commands
//! that every button, menu and keyboard shortcut goes through.

use crate::embed::{self, EmbedConfig};
use crate::share::Shared;
use crate::state::{Pane, Theme};
use crate::storage::Library;
use stageplay::examples::EXAMPLES;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Which dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Help,
    Gallery,
    Snippets,
    Share,
    Embed,
    Export,
}

impl Dialog {
    pub fn title(self) -> &'static str {
        match self {
            Dialog::Help => "Keyboard shortcuts and help",
            Dialog::Gallery => "Examples",
            Dialog::Snippets => "Snippets",
            Dialog::Share => "Share a link",
            Dialog::Embed => "Embed in a page",
            Dialog::Export => "Export",
        }
    }
}

/// What can be downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Dockerfile,
    Json,
    Sarif,
    Markdown,
}

/// Everything the user can ask for; buttons and shortcuts both send these.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Open(Dialog),
    Close,
    SelectPane(Pane),
    ToggleTheme,
    SaveNow,
    /// Save without a notice (the page is being hidden or reloaded).
    Flush,
    NewSnippet,
    SwitchSnippet(u32),
    RenameSnippet(u32, String),
    DuplicateSnippet(u32),
    DeleteSnippet(u32),
    /// Open an example as a new snippet, or (`replace`) reset the current one to it.
    OpenExample {
        id: &'static str,
        replace: bool,
    },
    OpenShared(Shared),
    /// Ask for a file to open (the file picker).
    PickFile,
    /// A file the user picked or dropped, read in the browser: opened as a new snippet.
    OpenFile {
        name: String,
        text: String,
    },
    /// Undo or redo in the editor (from anywhere but a text field).
    Undo,
    Redo,
    Download(ExportKind),
    Copy(String),
}

/// The keyboard shortcuts, as the help dialog lists them (the handler is in `app.rs`; the
/// editor's own keys are CodeMirror's, set in `static/editor/bridge.js`).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("? or F1", "This help (outside the editor)"),
    ("Alt+1 … Alt+4", "Graph, Image, Suggestions, Problems pane"),
    (
        "← → Home End",
        "Move between pane tabs when a tab has focus",
    ),
    (
        "Ctrl+S",
        "Save the snippet now (it also autosaves as you type)",
    ),
    (
        "Ctrl+O",
        "Open a Dockerfile from your disk (or drop it on the page)",
    ),
    ("Alt+N", "New snippet"),
    ("Alt+O", "Snippets: open, rename, duplicate, delete"),
    ("Alt+E", "Examples gallery"),
    ("Alt+L", "Share link"),
    ("Alt+T", "Switch theme (system, dark, light)"),
    ("Esc", "Close a dialog"),
];

/// The editor's keys (CodeMirror's, with Stageplay's choices), as the help dialog lists them.
pub const EDITOR_KEYS: &[(&str, &str)] = &[
    (
        "Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y",
        "Undo, redo; also right after a quick fix, Fix all safe or Apply, wherever the focus is",
    ),
    (
        "Tab, Shift+Tab",
        "Indent, dedent the line; press Esc, then Tab, to move focus out (Ctrl+M switches Tab to moving focus)",
    ),
    ("Enter", "New line; after a line ending in \\ it is indented"),
    ("Ctrl+F", "Find and replace (Enter: next, Shift+Enter: previous, Esc: close)"),
    ("F3, Shift+F3", "Next, previous match"),
    ("Ctrl+D", "Select the next occurrence too (multiple cursors)"),
    ("Ctrl+click, Ctrl+Alt+↑ ↓, Alt+drag", "Add a cursor, add one above or below, select a rectangle"),
    ("Ctrl+/", "Comment or uncomment the lines (#)"),
    ("Ctrl+Shift+[ ]", "Fold, unfold the stage (or click the gutter's arrow)"),
    ("Alt+↑ ↓, Shift+Alt+↑ ↓", "Move, copy the line up or down"),
    ("Ctrl+Alt+G", "Go to line"),
    ("F8, Ctrl+Shift+M", "Next diagnostic, list of diagnostics"),
    ("[ ( { \" '", "Closing bracket or quote is added; typing it steps over"),
];

/// Modifier keys held with a key press.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub alt: bool,
    /// Ctrl, or Cmd on a Mac.
    pub ctrl: bool,
    pub shift: bool,
}

/// Maps a key press to a command. Keys a text field (or the editor) uses itself are left to it.
pub fn shortcut(key: &str, m: Modifiers, in_text_field: bool) -> Option<Command> {
    let (alt, ctrl) = (m.alt, m.ctrl);
    if ctrl && !alt && key.eq_ignore_ascii_case("s") {
        return Some(Command::SaveNow);
    }
    if ctrl && !alt && key.eq_ignore_ascii_case("o") {
        return Some(Command::PickFile);
    }
    if ctrl && !alt && !in_text_field {
        match key.to_ascii_lowercase().as_str() {
            "z" if m.shift => return Some(Command::Redo),
            "z" => return Some(Command::Undo),
            "y" => return Some(Command::Redo),
            _ => {}
        }
    }
    if alt && !ctrl {
        // Alt+digit reports the digit in `key` on most layouts; `code` is not needed.
        return match key.to_ascii_lowercase().as_str() {
            "1" => Some(Command::SelectPane(Pane::Graph)),
            "2" => Some(Command::SelectPane(Pane::Image)),
            "3" => Some(Command::SelectPane(Pane::Suggestions)),
            "4" => Some(Command::SelectPane(Pane::Problems)),
            "n" => Some(Command::NewSnippet),
            "o" => Some(Command::Open(Dialog::Snippets)),
            "e" => Some(Command::Open(Dialog::Gallery)),
            "l" => Some(Command::Open(Dialog::Share)),
            "t" => Some(Command::ToggleTheme),
            _ => None,
        };
    }
    if key == "F1" || (key == "?" && !in_text_field && !ctrl) {
        return Some(Command::Open(Dialog::Help));
    }
    None
}

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub dialog: Dialog,
    pub on_command: Callback<Command>,
    pub library: Library,
    /// The current share link (full URL).
    pub share_url: AttrValue,
    /// The app's URL without query or fragment (for the embed snippet).
    pub app_url: AttrValue,
    /// The share fragment value (`s=…`) for the embed snippet.
    pub fragment: AttrValue,
    pub pane: Pane,
    pub line_count: usize,
}

/// The body of the open dialog.
#[component(DialogBody)]
pub fn dialog_body(props: &DialogProps) -> Html {
    match props.dialog {
        Dialog::Help => help(),
        Dialog::Gallery => gallery(&props.on_command),
        Dialog::Snippets => {
            html! { <Snippets library={props.library.clone()} on_command={props.on_command.clone()} /> }
        }
        Dialog::Share => share(props),
        Dialog::Embed => html! {
            <EmbedForm app_url={props.app_url.clone()} fragment={props.fragment.clone()}
                pane={props.pane} line_count={props.line_count} on_command={props.on_command.clone()} />
        },
        Dialog::Export => export(&props.on_command),
    }
}

fn help() -> Html {
    html! {
        <>
            <table class="shortcuts">
                <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Does" }</th></tr></thead>
                <tbody>
                    { for SHORTCUTS.iter().map(|(k, d)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *d }</td></tr> }) }
                </tbody>
            </table>
            <h3>{ "In the editor" }</h3>
            <table class="shortcuts">
                <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Does" }</th></tr></thead>
                <tbody>
                    { for EDITOR_KEYS.iter().map(|(k, d)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *d }</td></tr> }) }
                </tbody>
            </table>
            <p class="muted">{ "On a Mac, Cmd stands for Ctrl. Hover a keyword for its documentation, an underline for its problem." }</p>
            <h3>{ "What you see" }</h3>
            <ul class="help-list">
                <li>{ "Graph: the build stages, what each one copies from, and which stages the chosen target needs." }</li>
                <li>{ "Image: the estimated size of the final image, layer by layer, before any build, and the same app on the founding guide's alternatives (full, slim, multi-stage, alpine, distroless) beside the guide's own figures. Drop your project folder (or paste requirements.txt, package.json, lock files…) in its Build context section to size COPY and installs from your own files; they are read here, never uploaded." }</li>
                <li>{ "Suggestions: refactors (for example splitting a single stage into builder and runtime) with their estimated savings." }</li>
                <li>{ "Problems: syntax errors, stage problems and lint findings; click one to jump to its line, apply a quick fix where offered." }</li>
            </ul>
            <h3>{ "Your work" }</h3>
            <ul class="help-list">
                <li>{ "Everything runs in this browser; nothing is uploaded. After the first visit the app works offline." }</li>
                <li>{ "Open file (Ctrl+O) or drop a Dockerfile on the page: it opens as a new snippet, read by the browser, never uploaded." }</li>
                <li>{ "Large files: from 128 KB on, the panes update when typing pauses (the editor stays fast at any size). Texts over 10 MB are not loaded." }</li>
                <li>{ "Each snippet autosaves in this browser as you type. Snippets lets you keep several, rename, duplicate and delete them." }</li>
                <li>{ "A share link carries the Dockerfile, the target, build args, context settings and pane inside the link itself (after #). Opening one adds a new snippet (or opens the snippet that already holds the same text); your own snippets are never overwritten." }</li>
                <li>{ "Export downloads the Dockerfile, the analysis as JSON, SARIF for code scanning, or a Markdown report. Embed gives an iframe snippet for documentation pages." }</li>
            </ul>
        </>
    }
}

fn gallery(on_command: &Callback<Command>) -> Html {
    html! {
        <ul class="gallery">
            { for EXAMPLES.iter().map(|e| {
                let open = on_command.reform(move |_| Command::OpenExample { id: e.id, replace: false });
                let reset = on_command.reform(move |_| Command::OpenExample { id: e.id, replace: true });
                html! {
                    <li class="gallery-item">
                        <h3 class="gallery-title">{ e.title }</h3>
                        <p class="gallery-hint">{ e.hint }</p>
                        <div class="row">
                            <button class="button button-primary" onclick={open}
                                aria-label={format!("Open {} as a new snippet", e.title)}>{ "Open as new snippet" }</button>
                            <button class="button" onclick={reset}
                                aria-label={format!("Replace the current snippet with {}", e.title)}>{ "Replace current" }</button>
                        </div>
                    </li>
                }
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct SnippetsProps {
    library: Library,
    on_command: Callback<Command>,
}

#[component(Snippets)]
fn snippets(props: &SnippetsProps) -> Html {
    let on_command = &props.on_command;
    let only_one = props.library.snippets.len() <= 1;
    html! {
        <>
            <ul class="snippet-list">
                { for props.library.snippets.iter().map(|s| {
                    let id = s.id;
                    let active = id == props.library.active;
                    let rename = on_command.reform(move |e: Event| {
                        let input: HtmlInputElement = e.target_unchecked_into();
                        Command::RenameSnippet(id, input.value())
                    });
                    html! {
                        <li class={classes!("snippet", active.then_some("snippet-active"))}>
                            <label class="sr-only" for={format!("snippet-name-{id}")}>{ "Name" }</label>
                            <input id={format!("snippet-name-{id}")} class="snippet-name" value={s.name.clone()} onchange={rename} maxlength="80" />
                            if active {
                                <span class="muted snippet-open">{ "open" }</span>
                            } else {
                                <button class="button" onclick={on_command.reform(move |_| Command::SwitchSnippet(id))}
                                    aria-label={format!("Open {}", s.name)}>{ "Open" }</button>
                            }
                            <button class="button" onclick={on_command.reform(move |_| Command::DuplicateSnippet(id))}
                                aria-label={format!("Duplicate {}", s.name)}>{ "Duplicate" }</button>
                            <button class="button" disabled={only_one} onclick={on_command.reform(move |_| Command::DeleteSnippet(id))}
                                aria-label={format!("Delete {}", s.name)}>{ "Delete" }</button>
                        </li>
                    }
                }) }
            </ul>
            <div class="row">
                <button class="button button-primary" onclick={on_command.reform(|_| Command::NewSnippet)}>{ "New empty snippet" }</button>
                <button class="button" onclick={on_command.reform(|_| Command::Open(Dialog::Gallery))}>{ "New from an example…" }</button>
            </div>
        </>
    }
}

fn share(props: &DialogProps) -> Html {
    let url = props.share_url.to_string();
    let copy = props.on_command.reform({
        let url = url.clone();
        move |_| Command::Copy(url.clone())
    });
    html! {
        <>
            <p>{ "The link holds the Dockerfile, the target, build args, context settings and the open pane, compressed after the #. Nothing is uploaded: whoever opens it gets a new snippet with this text." }</p>
            <label for="share-link">{ "Link" }</label>
            <input id="share-link" class="wide" readonly=true value={url.clone()} />
            <p class="muted">{ format!("{} characters", url.len()) }</p>
            <div class="row">
                <button class="button button-primary" onclick={copy}>{ "Copy link" }</button>
            </div>
        </>
    }
}

fn export(on_command: &Callback<Command>) -> Html {
    let item = |kind: ExportKind, label: &'static str, what: &'static str| {
        html! {
            <li>
                <button class="button" onclick={on_command.reform(move |_| Command::Download(kind))}>{ label }</button>
                <span class="muted">{ what }</span>
            </li>
        }
    };
    html! {
        <ul class="export-list">
            { item(ExportKind::Dockerfile, "Dockerfile", "the current text, byte for byte") }
            { item(ExportKind::Json, "Analysis (JSON)", "stages, edges, the image estimate and every problem") }
            { item(ExportKind::Sarif, "SARIF 2.1.0", "the problems, for code scanning tools") }
            { item(ExportKind::Markdown, "Markdown report", "stages, estimated size and problems as tables") }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct EmbedFormProps {
    app_url: AttrValue,
    fragment: AttrValue,
    pane: Pane,
    line_count: usize,
    on_command: Callback<Command>,
}

#[component(EmbedForm)]
fn embed_form(props: &EmbedFormProps) -> Html {
    let config = use_state(|| EmbedConfig {
        read_only: true,
        pane: Some(props.pane),
        ..EmbedConfig::default()
    });
    let set = |f: fn(&mut EmbedConfig, &str, bool)| {
        let config = config.clone();
        Callback::from(move |e: Event| {
            let mut next = (*config).clone();
            let target = e.target_unchecked_into::<web_sys::Element>();
            if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(target.clone()) {
                f(&mut next, &input.value(), input.checked());
            } else if let Ok(select) = wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(target) {
                f(&mut next, &select.value(), false);
            }
            config.set(next);
        })
    };
    let frame_height = config
        .height
        .unwrap_or_else(|| (props.line_count.clamp(6, 24) * 20 + 60) as u32)
        + if config.hide_editor { 0 } else { 40 };
    let code = embed::snippet(
        &props.app_url,
        &embed::query(&config),
        &props.fragment,
        frame_height,
    );
    let copy = props.on_command.reform({
        let code = code.clone();
        move |_| Command::Copy(code.clone())
    });
    html! {
        <>
            <div class="form-grid">
                <label><input type="checkbox" checked={config.read_only}
                    onchange={set(|c, _, on| c.read_only = on)} />{ " Read-only" }</label>
                <label><input type="checkbox" checked={config.hide_editor}
                    onchange={set(|c, _, on| c.hide_editor = on)} />{ " Hide the editor" }</label>
                <label for="embed-pane">{ "Pane" }</label>
                <select id="embed-pane" onchange={set(|c, v, _| c.pane = Pane::from_id(v))}>
                    { for Pane::ALL.iter().map(|p| html! { <option value={p.id()} selected={config.pane == Some(*p)}>{ p.label() }</option> }) }
                </select>
                <label for="embed-theme">{ "Theme" }</label>
                <select id="embed-theme" onchange={set(|c, v, _| c.theme = match v { "light" => Some(Theme::Light), "dark" => Some(Theme::Dark), _ => None })}>
                    <option value="system" selected={config.theme.is_none()}>{ "System" }</option>
                    <option value="light" selected={config.theme == Some(Theme::Light)}>{ "Light" }</option>
                    <option value="dark" selected={config.theme == Some(Theme::Dark)}>{ "Dark" }</option>
                </select>
                <label for="embed-height">{ "Editor height (px, empty: fit the text)" }</label>
                <input id="embed-height" type="number" min="80" max="4000" value={config.height.map(|h| h.to_string()).unwrap_or_default()}
                    onchange={set(|c, v, _| c.height = v.parse::<u32>().ok().map(|h| h.clamp(80, 4000)))} />
            </div>
            <label for="embed-code">{ "HTML to paste" }</label>
            <textarea id="embed-code" class="wide code-box" readonly=true rows="5" value={code} />
            <p class="muted">{ "The optional embed.js script resizes the iframe to its content (messages are checked against the iframe's origin). See docs/embedding.md." }</p>
            <div class="row">
                <button class="button button-primary" onclick={copy}>{ "Copy HTML" }</button>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTRL: Modifiers = Modifiers {
        alt: false,
        ctrl: true,
        shift: false,
    };

    #[test]
    fn undo_and_redo_reach_the_editor_from_outside_text_fields_only() {
        let shift = Modifiers {
            shift: true,
            ..CTRL
        };
        assert_eq!(shortcut("z", CTRL, false), Some(Command::Undo));
        assert_eq!(shortcut("Z", shift, false), Some(Command::Redo));
        assert_eq!(shortcut("y", CTRL, false), Some(Command::Redo));
        // In the editor or a text field, the field's own undo.
        assert_eq!(shortcut("z", CTRL, true), None);
        assert_eq!(shortcut("Z", shift, true), None);
    }

    #[test]
    fn app_shortcuts() {
        let alt = Modifiers {
            alt: true,
            ..Modifiers::default()
        };
        assert_eq!(shortcut("s", CTRL, true), Some(Command::SaveNow));
        assert_eq!(shortcut("o", CTRL, true), Some(Command::PickFile));
        assert_eq!(shortcut("l", alt, true), Some(Command::Open(Dialog::Share)));
        assert_eq!(
            shortcut("2", alt, false),
            Some(Command::SelectPane(Pane::Image))
        );
        assert_eq!(
            shortcut("?", Modifiers::default(), false),
            Some(Command::Open(Dialog::Help))
        );
        assert_eq!(shortcut("?", Modifiers::default(), true), None);
    }
}
