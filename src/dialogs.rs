//! The app's dialogs: help, examples gallery, snippets, share, embed, export. Their buttons
//! send [`Command`]s.

use crate::commands::{Command, Dialog, ExportKind, EDITOR_KEYS, SHORTCUTS};
use crate::embed::{self, EmbedConfig};
use crate::state::{Library, Pane, Theme};
use stageplay::examples::EXAMPLES;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

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
        // Drawn by the root (`components::guide`: it needs the editor's Markdown renderer).
        Dialog::Guide => html! {},
    }
}

/// The help dialog's prose: (heading, items).
const HELP_SECTIONS: [(&str, &[&str]); 2] = [
    (
        "What you see",
        &[
            "Graph: the build stages, what each one copies from, and which stages the chosen target needs.",
            "Image: the estimated size of the final image, layer by layer, before any build, and the same app on the alternatives of the multi-stage build guide (full, slim, multi-stage, alpine, distroless) beside the guide's own figures. Drop your project folder (or paste requirements.txt, package.json, lock files…) in its Build context section to size COPY and installs from your own files; they are read here, never uploaded.",
            "Suggestions: refactors (for example splitting a single stage into builder and runtime) with their estimated savings. A refactor is offered only when its result still has what the final image's CMD, ENTRYPOINT, HEALTHCHECK and USER need (the programs on PATH, the files, the user); otherwise it is not offered, and the pane's \"Not offered\" list says why. These checks read the text and build nothing.",
            "Verified means built: `stageplay verify Dockerfile` (the command-line tool) builds your file as it is and as refactored with docker, podman or buildah, and checks that both images build, that the entrypoint is still running after a few seconds, that the HEALTHCHECK and an optional HTTP probe or smoke command pass, and compares real sizes with the estimates. `stageplay refactor Dockerfile` lists the refactors not offered and why.",
            "Problems: syntax errors, stage problems and lint findings; click one to jump to its line, apply a quick fix where offered.",
        ],
    ),
    (
        "Your work",
        &[
            "Everything runs in this browser; nothing is uploaded. After the first visit the app works offline.",
            "Open file (Ctrl+O) or drop a Dockerfile on the page: it opens as a new snippet, read by the browser, never uploaded.",
            "Large files: from 128 KB on, the panes update when typing pauses (the editor stays fast at any size). Texts over 10 MB are not loaded.",
            "Each snippet autosaves in this browser as you type. Snippets lets you keep several, rename, duplicate and delete them.",
            "A share link carries the Dockerfile, the target, build args, context settings and pane inside the link itself (after #). Opening one adds a new snippet (or opens the snippet that already holds the same text); your own snippets are never overwritten.",
            "Export downloads the Dockerfile, the analysis as JSON, SARIF for code scanning, or a Markdown report. Embed gives an iframe snippet for documentation pages.",
            "Guide opens the multi-stage build guide that the examples follow, the Image pane compares with, and suggestions cite.",
        ],
    ),
];

fn keys_table(keys: &[(&str, &str)]) -> Html {
    html! {
        <table class="shortcuts">
            <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Does" }</th></tr></thead>
            <tbody>
                { for keys.iter().map(|(k, d)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *d }</td></tr> }) }
            </tbody>
        </table>
    }
}

fn help() -> Html {
    html! {
        <>
            { keys_table(SHORTCUTS) }
            <h3>{ "In the editor" }</h3>
            { keys_table(EDITOR_KEYS) }
            <p class="muted">{ "On a Mac, Cmd stands for Ctrl. Hover a keyword for its documentation, an underline for its problem." }</p>
            { for HELP_SECTIONS.iter().map(|(heading, items)| html! {
                <>
                    <h3>{ *heading }</h3>
                    <ul class="help-list">{ for items.iter().map(|i| html! { <li>{ *i }</li> }) }</ul>
                </>
            }) }
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

/// What Export offers: the kind, its button and what it holds.
const EXPORTS: [(ExportKind, &str, &str); 4] = [
    (
        ExportKind::Dockerfile,
        "Dockerfile",
        "the current text, byte for byte",
    ),
    (
        ExportKind::Json,
        "Analysis (JSON)",
        "stages, edges, the image estimate and every problem",
    ),
    (
        ExportKind::Sarif,
        "SARIF 2.1.0",
        "the problems, for code scanning tools",
    ),
    (
        ExportKind::Markdown,
        "Markdown report",
        "stages, estimated size and problems as tables",
    ),
];

fn export(on_command: &Callback<Command>) -> Html {
    html! {
        <ul class="export-list">
            { for EXPORTS.iter().map(|&(kind, label, what)| html! {
                <li>
                    <button class="button" onclick={on_command.reform(move |_| Command::Download(kind))}>{ label }</button>
                    <span class="muted">{ what }</span>
                </li>
            }) }
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
            <h3>{ "How to use it" }</h3>
            <ul class="help-list">
                <li>{ "Deploy: copy this app's files (the same ones this page was loaded from) to any folder of your site, for example /docs/playground/; they are static and work from any path. Then point the iframe's src at that folder." }</li>
                <li>{ "The Dockerfile travels in the link after #, which browsers never send to a server. An embedded page saves nothing in the visitor's browser and shows an \u{201c}Open in Stageplay\u{201d} link." }</li>
                <li>{ "embed.js (optional, next to the app's files) grows the iframe to its content. It and the app talk only through messages whose origin both check; without it, the iframe keeps the height you set and scrolls." }</li>
                <li>{ "Everything from the Dockerfile is shown as text, never as HTML: a hostile Dockerfile cannot run script in your page." }</li>
            </ul>
            <div class="row">
                <button class="button button-primary" onclick={copy}>{ "Copy HTML" }</button>
            </div>
        </>
    }
}
