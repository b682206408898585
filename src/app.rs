//! The root component: header, editor, and the tabbed panes; snippets, share links, embed mode,
//! exports and keyboard shortcuts are wired here (the logic lives in their own modules).

use crate::components::editor::Editor;
use crate::components::graph_pane::GraphPane;
use crate::components::image_pane::ImagePane;
use crate::components::problems_pane::ProblemsPane;
use crate::components::suggestions_pane::SuggestionsPane;
use crate::dialogs::{shortcut, Command, Dialog, DialogBody, ExportKind, Modifiers};
use crate::editing::normalize_newlines;
use crate::embed::{self, EmbedConfig};
use crate::share::{self, Settings, Shared};
use crate::state::{Action, AppState, HistoryOp, Pane, Theme};
use crate::{export, pwa, storage};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use stageplay::analysis::{analyze, AnalysisOptions};
use stageplay::examples;
use stageplay::Severity;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement, HtmlInputElement, HtmlSelectElement, ServiceWorker};
use yew::prelude::*;

/// The app's state handle, shared with components through a context.
pub type StateHandle = UseReducerHandle<AppState>;

/// What the URL asked for when the page opened.
struct Boot {
    embed: Option<EmbedConfig>,
    shared: Option<Result<Shared, String>>,
}

impl Boot {
    fn read() -> Boot {
        let location = gloo::utils::window().location();
        let search = location.search().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        Boot {
            embed: embed::parse(&search),
            shared: share::fragment_value(&hash).map(share::decode),
        }
    }
}

/// The app's address without query or fragment.
fn app_url() -> String {
    let location = gloo::utils::window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Removes the fragment (a share link, once opened) from the address bar without reloading.
fn clear_fragment() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn settings_of(state: &AppState) -> Settings {
    Settings {
        target: state.target.clone(),
        build_args: state.build_args.clone(),
        context_bytes: state.context_bytes,
        dockerignore: state.dockerignore.clone(),
        pane: Some(state.pane.id().to_string()),
    }
}

fn default_text() -> String {
    examples::find(examples::DEFAULT_EXAMPLE)
        .map_or("", |e| e.text)
        .to_string()
}

/// Applies a share link's settings.
fn apply_settings(state: &mut AppState, settings: &Settings) {
    state.target = settings.target.clone();
    state.build_args = settings.build_args.clone();
    state.context_bytes = settings.context_bytes;
    state.dockerignore = settings.dockerignore.clone();
    if let Some(pane) = settings.pane.as_deref().and_then(Pane::from_id) {
        state.pane = pane;
    }
}

/// The initial state: an embed shows its link or example; the app opens the active snippet, or a
/// share link as a new snippet (never over the user's text).
fn initial_state(boot: &Boot) -> (AppState, Option<String>) {
    let shared = match &boot.shared {
        Some(Ok(shared)) => Some(shared.clone()),
        _ => None,
    };
    let mut notice = match &boot.shared {
        Some(Err(e)) => Some(format!("This share link could not be opened: {e}.")),
        _ => None,
    };
    if let Some(config) = &boot.embed {
        let text = match (&shared, &config.example) {
            (Some(s), _) => s.text.clone(),
            (None, Some(id)) => {
                examples::find(id).map_or_else(default_text, |e| e.text.to_string())
            }
            (None, None) => default_text(),
        };
        let mut state = AppState::new(text);
        if let Some(s) = &shared {
            apply_settings(&mut state, &s.settings);
        }
        if let Some(pane) = config.pane {
            state.pane = pane;
        }
        state.theme = config.theme.unwrap_or(Theme::System);
        state.read_only = config.read_only;
        return (state, notice);
    }
    let (mut library, saved) = storage::load();
    let mut state = match shared {
        Some(shared) => {
            let text = normalize_newlines(shared.text);
            let new = storage::open_text(&mut library, "Shared link", &text);
            storage::save_library(&library);
            clear_fragment();
            notice = Some(opened_notice("the shared link", new, library.active_name()));
            let mut state = AppState::new(text);
            apply_settings(&mut state, &shared.settings);
            state
        }
        None => AppState::new(saved.unwrap_or_else(default_text)),
    };
    state.library = library;
    state.theme = storage::load_theme();
    (state, notice)
}

/// What the user is told when a share link or a file opened as a snippet.
fn opened_notice(what: &str, new: bool, name: &str) -> String {
    if new {
        format!("Opened {what} as a new snippet, “{name}”. Your other snippets are unchanged.")
    } else {
        format!("Opened {what}: your snippet “{name}” already holds the same text.")
    }
}

/// Texts at least this large are analysed after typing pauses, not on every keystroke.
const DEFER_ANALYSIS_BYTES: usize = 128 * 1024;
/// The pause, in milliseconds.
const DEFER_ANALYSIS_MS: u32 = 300;

#[component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| Boot::read());
    let first_notice = use_mut_ref(|| None::<String>);
    let state = {
        let boot = boot.clone();
        let first_notice = first_notice.clone();
        use_reducer(move || {
            let (state, notice) = initial_state(&boot);
            *first_notice.borrow_mut() = notice;
            state
        })
    };
    let embed_config = boot.embed.clone();
    let embedded = embed_config.is_some();
    let notice = {
        let first_notice = first_notice.clone();
        use_state(move || first_notice.borrow_mut().take())
    };
    let notice_timer = use_mut_ref(|| None::<Timeout>);
    let notify = {
        let notice = notice.clone();
        let notice_timer = notice_timer.clone();
        Callback::from(move |message: String| {
            notice.set(Some(message));
            let notice = notice.clone();
            *notice_timer.borrow_mut() = Some(Timeout::new(6000, move || notice.set(None)));
        })
    };
    let dialog = use_state(|| None::<Dialog>);
    let dialog_ref = use_node_ref();
    let app_ref = use_node_ref();
    let file_input = use_node_ref();

    // Autosave, debounced: a burst of keystrokes writes once, into the snippet being edited.
    let save_timer = use_mut_ref(|| None::<Timeout>);
    {
        let save_timer = save_timer.clone();
        use_effect_with(
            (state.text.clone(), state.library.active),
            move |(text, id)| {
                if !embedded {
                    let (text, id) = (text.clone(), *id);
                    *save_timer.borrow_mut() =
                        Some(Timeout::new(400, move || storage::save_text(id, &text)));
                }
            },
        );
    }
    use_effect_with(state.library.clone(), move |library| {
        if !embedded {
            storage::save_library(library);
        }
    });
    use_effect_with(state.theme, move |theme| {
        if !embedded {
            storage::save_theme(*theme);
        }
    });
    // A new deployed version waits in the service worker until the user reloads.
    let update = use_state(|| None::<ServiceWorker>);
    {
        let update = update.clone();
        use_effect_with((), move |_| {
            if !embedded {
                pwa::register(Callback::from(move |w| update.set(Some(w))));
            }
        });
    }
    // Embedded: no page scrollbars of our own; report our height to the embedding page.
    {
        let app_ref = app_ref.clone();
        let parent = embed_config.as_ref().and_then(|c| c.parent.clone());
        use_effect_with((), move |_| {
            if embedded {
                if let Some(root) = gloo::utils::document().document_element() {
                    let _ = root.class_list().add_1("embedded");
                }
                if let Some(el) = app_ref.cast::<web_sys::Element>() {
                    embed::start_sizing(el, parent);
                }
            }
        });
    }
    // Open the dialog as a modal (focus moves in, Esc closes), close it when the state says so.
    {
        let dialog_ref = dialog_ref.clone();
        let dialog_state = dialog.clone();
        use_effect_with(*dialog, move |open| {
            let listener = dialog_ref.cast::<HtmlDialogElement>().map(|el| {
                match open {
                    Some(_) if !el.open() => {
                        let _ = el.show_modal();
                    }
                    None if el.open() => el.close(),
                    _ => {}
                }
                EventListener::new(&el, "close", move |_| dialog_state.set(None))
            });
            move || drop(listener)
        });
    }

    let options = use_memo(
        (
            state.target.clone(),
            state.build_args.clone(),
            state.context_bytes,
            state.dockerignore.clone(),
            state.project_options(),
        ),
        |(target, build_args, context_bytes, dockerignore, project)| {
            Rc::new(AnalysisOptions {
                target: target.clone(),
                build_args: build_args.clone(),
                context_bytes: *context_bytes,
                dockerignore: dockerignore.clone(),
                project: project.clone(),
            })
        },
    )
    .as_ref()
    .clone();
    // Small texts are analysed on every keystroke. A large one (the analysis takes longer than
    // a frame) is analysed once typing pauses; until then the panes show the previous analysis
    // and the editor shows the new text plain.
    let deferred_input = use_state(|| state.text.clone());
    let defer_timer = use_mut_ref(|| None::<Timeout>);
    {
        let deferred_input = deferred_input.clone();
        let defer_timer = defer_timer.clone();
        use_effect_with(state.text.clone(), move |text| {
            *defer_timer.borrow_mut() = None;
            if text.len() >= DEFER_ANALYSIS_BYTES && !Rc::ptr_eq(text, &deferred_input) {
                let text = text.clone();
                *defer_timer.borrow_mut() = Some(Timeout::new(DEFER_ANALYSIS_MS, move || {
                    deferred_input.set(text)
                }));
            }
        });
    }
    let analysed_text: Rc<str> = if state.text.len() < DEFER_ANALYSIS_BYTES {
        state.text.clone()
    } else {
        (*deferred_input).clone()
    };
    let analysed = Rc::ptr_eq(&analysed_text, &state.text);
    let analysis = use_memo(
        (analysed_text.clone(), options.clone()),
        |(text, options)| analyze(text, options),
    );

    // Every button and shortcut goes through one command handler (rebuilt each render, so it
    // sees the current state; the global key listener reads it through `latest`).
    let on_command = {
        let state = state.clone();
        let file_input = file_input.clone();
        let dialog = dialog.clone();
        let notify = notify.clone();
        let analysis = analysis.clone();
        let options = options.clone();
        Callback::from(move |command: Command| {
            let save_current = || storage::save_text(state.library.active, &state.text);
            match command {
                Command::Open(d) => {
                    if !embedded {
                        dialog.set(Some(d));
                    }
                }
                Command::Close => dialog.set(None),
                Command::SelectPane(p) => state.dispatch(Action::SelectPane(p)),
                Command::ToggleTheme => state.dispatch(Action::ToggleTheme),
                Command::SaveNow => {
                    if !embedded {
                        save_current();
                        storage::save_library(&state.library);
                        notify.emit(format!(
                            "Saved “{}” in this browser.",
                            state.library.active_name()
                        ));
                    }
                }
                Command::Flush => {
                    if !embedded {
                        save_current();
                    }
                }
                Command::NewSnippet => {
                    if embedded {
                        return;
                    }
                    save_current();
                    let mut library = state.library.clone();
                    let id = library.create("Untitled");
                    storage::save_text(id, "");
                    state.dispatch(Action::OpenSnippet {
                        library,
                        text: String::new(),
                    });
                    dialog.set(None);
                    notify.emit(
                        "New empty snippet. Your other snippets are in Snippets (Alt+O).".into(),
                    );
                }
                Command::SwitchSnippet(id) => {
                    save_current();
                    let mut library = state.library.clone();
                    library.active = id;
                    let text = storage::load_text(id).unwrap_or_default();
                    state.dispatch(Action::OpenSnippet { library, text });
                }
                Command::RenameSnippet(id, name) => {
                    let mut library = state.library.clone();
                    if library.rename(id, &name) {
                        state.dispatch(Action::SetLibrary(library));
                    }
                }
                Command::DuplicateSnippet(id) => {
                    save_current();
                    let text = if id == state.library.active {
                        state.text.to_string()
                    } else {
                        storage::load_text(id).unwrap_or_default()
                    };
                    let mut library = state.library.clone();
                    let name = library
                        .snippets
                        .iter()
                        .find(|s| s.id == id)
                        .map_or("Untitled".to_string(), |s| format!("{} copy", s.name));
                    let new_id = library.create(&name);
                    storage::save_text(new_id, &text);
                    state.dispatch(Action::OpenSnippet { library, text });
                }
                Command::DeleteSnippet(id) => {
                    let mut library = state.library.clone();
                    let name = library
                        .snippets
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| s.name.clone())
                        .unwrap_or_default();
                    let sure = gloo::utils::window()
                        .confirm_with_message(&format!(
                            "Delete the snippet “{name}”? This cannot be undone."
                        ))
                        .unwrap_or(false);
                    if !sure {
                        return;
                    }
                    let was_active = id == state.library.active;
                    if library.remove(id).is_none() {
                        return;
                    }
                    storage::delete_text(id);
                    if was_active {
                        let text = storage::load_text(library.active).unwrap_or_default();
                        state.dispatch(Action::OpenSnippet { library, text });
                    } else {
                        state.dispatch(Action::SetLibrary(library));
                    }
                }
                Command::OpenExample { id, replace } => {
                    let Some(example) = examples::find(id) else {
                        return;
                    };
                    if replace {
                        state.dispatch(Action::Replace(example.text.to_string()));
                    } else {
                        save_current();
                        let mut library = state.library.clone();
                        let new_id = library.create(example.title);
                        storage::save_text(new_id, example.text);
                        state.dispatch(Action::OpenSnippet {
                            library,
                            text: example.text.to_string(),
                        });
                    }
                    state.dispatch(Action::SetTarget(None));
                    dialog.set(None);
                    notify.emit(format!("{}: {}", example.title, example.hint));
                }
                Command::OpenShared(shared) => {
                    if embedded {
                        return;
                    }
                    save_current();
                    let mut library = state.library.clone();
                    let text = normalize_newlines(shared.text);
                    let new = storage::open_text(&mut library, "Shared link", &text);
                    let name = library.active_name().to_string();
                    state.dispatch(Action::OpenSnippet { library, text });
                    let s = shared.settings;
                    state.dispatch(Action::SetTarget(s.target));
                    state.dispatch(Action::SetBuildArgs(s.build_args));
                    state.dispatch(Action::SetContext {
                        bytes: s.context_bytes,
                        dockerignore: s.dockerignore,
                    });
                    if let Some(pane) = s.pane.as_deref().and_then(Pane::from_id) {
                        state.dispatch(Action::SelectPane(pane));
                    }
                    clear_fragment();
                    notify.emit(opened_notice("the shared link", new, &name));
                }
                Command::PickFile => {
                    if let Some(input) = file_input.cast::<HtmlInputElement>() {
                        input.click();
                    }
                }
                Command::OpenFile { name, text } => {
                    if embedded {
                        return;
                    }
                    save_current();
                    let mut library = state.library.clone();
                    let text = normalize_newlines(text);
                    let new = storage::open_text(&mut library, &name, &text);
                    let snippet = library.active_name().to_string();
                    state.dispatch(Action::OpenSnippet { library, text });
                    dialog.set(None);
                    notify.emit(opened_notice(&format!("“{name}”"), new, &snippet));
                }
                Command::Undo => state.dispatch(Action::History(HistoryOp::Undo)),
                Command::Redo => state.dispatch(Action::History(HistoryOp::Redo)),
                Command::Download(kind) => {
                    let (name, mime, content) = match kind {
                        ExportKind::Dockerfile => (
                            "Dockerfile",
                            "application/octet-stream",
                            state.text.to_string(),
                        ),
                        ExportKind::Json => (
                            "stageplay-analysis.json",
                            "application/json",
                            export::json(&state.text, &analysis, &options),
                        ),
                        ExportKind::Sarif => (
                            "stageplay.sarif",
                            "application/sarif+json",
                            export::sarif(&state.text, &analysis, "Dockerfile"),
                        ),
                        ExportKind::Markdown => (
                            "stageplay-report.md",
                            "text/markdown",
                            export::markdown(&state.text, &analysis, &options),
                        ),
                    };
                    crate::browser::save_text(name, mime, &content);
                }
                Command::Copy(text) => {
                    let notify = notify.clone();
                    crate::browser::copy_text(
                        &text,
                        Callback::from(move |ok: bool| {
                            notify.emit(if ok {
                                "Copied to the clipboard.".into()
                            } else {
                                "Copying was refused by the browser: select the text and copy it by hand.".into()
                            })
                        }),
                    );
                }
            }
        })
    };
    let latest = use_mut_ref(|| on_command.clone());
    *latest.borrow_mut() = on_command.clone();
    // Global shortcuts, and share links pasted into the address bar of an open app.
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let keys = {
                let latest = latest.clone();
                EventListener::new(&document, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    // The editor is a contenteditable element.
                    let in_text_field = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                        .is_some_and(|el| {
                            el.is_content_editable()
                                || matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                        });
                    let modifiers = Modifiers {
                        alt: e.alt_key(),
                        ctrl: e.ctrl_key() || e.meta_key(),
                        shift: e.shift_key(),
                    };
                    if let Some(command) = shortcut(&e.key(), modifiers, in_text_field) {
                        e.prevent_default();
                        latest.borrow().emit(command);
                    }
                })
            };
            // Leaving or reloading the page (the update banner too) never loses typing that
            // the debounced autosave has not written yet.
            let hide = {
                let latest = latest.clone();
                EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                    latest.borrow().emit(Command::Flush)
                })
            };
            let hash = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let hash = gloo::utils::window().location().hash().unwrap_or_default();
                if let Some(value) = share::fragment_value(&hash) {
                    match share::decode(value) {
                        Ok(shared) => latest.borrow().emit(Command::OpenShared(shared)),
                        Err(e) => gloo::console::warn!(format!("share link: {e}")),
                    }
                }
            });
            move || drop((keys, hash, hide))
        });
    }

    let update_banner = match (&*update, embedded) {
        (Some(worker), false) => {
            let worker = worker.clone();
            let flush = on_command.clone();
            let onclick = Callback::from(move |_| {
                flush.emit(Command::Flush);
                pwa::activate_update(&worker)
            });
            html! {
                <div class="update-banner" role="status">
                    { "A new version of Stageplay is available. Your draft is saved." }
                    <button class="button" {onclick}>{ "Reload" }</button>
                </div>
            }
        }
        _ => html! {},
    };
    let notice_view = html! {
        <div class="notice" role="status" aria-live="polite">
            if let Some(message) = &*notice {
                <span>{ message.clone() }</span>
                <button class="notice-close" aria-label="Dismiss"
                    onclick={{ let notice = notice.clone(); Callback::from(move |_| notice.set(None)) }}>{ "×" }</button>
            }
        </div>
    };

    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::Edited(text)))
    };
    let on_reject = notify.reform(|bytes: usize| {
        format!(
            "Not loaded: that text is {:.1} MB, over the {} MB limit Stageplay analyses. The editor kept your previous text.",
            bytes as f64 / 1e6,
            stageplay::analysis::MAX_INPUT_BYTES / (1024 * 1024)
        )
    });
    let on_cursor = {
        let state = state.clone();
        Callback::from(move |offset: u32| state.dispatch(Action::Cursor(offset)))
    };
    // A file picked or dropped is read here and opens as a new snippet.
    let open_file = {
        let on_command = on_command.clone();
        let notify = notify.clone();
        Callback::from(move |file: web_sys::File| {
            let (on_command, notify) = (on_command.clone(), notify.clone());
            crate::browser::read_text_file(
                file,
                Callback::from(move |read| match read {
                    Ok((name, text)) => on_command.emit(Command::OpenFile { name, text }),
                    Err(message) => notify.emit(message),
                }),
            );
        })
    };
    let on_file_picked = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                open_file.emit(file);
            }
            // Picking the same file again fires `change` again.
            input.set_value("");
        })
    };
    let dragged_files = |e: &DragEvent| {
        e.data_transfer()
            .is_some_and(|d| d.types().includes(&"Files".into(), 0))
    };
    let ondragover = {
        let accept = !embedded && !state.read_only;
        Callback::from(move |e: DragEvent| {
            if accept && dragged_files(&e) {
                e.prevent_default();
            }
        })
    };
    let ondrop = {
        let accept = !embedded && !state.read_only;
        Callback::from(move |e: DragEvent| {
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            if let (true, Some(file)) = (accept, file) {
                e.prevent_default();
                open_file.emit(file);
            }
        })
    };
    let on_snippet = on_command.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Command::SwitchSnippet(select.value().parse().unwrap_or(0))
    });
    let open = |d: Dialog| on_command.reform(move |_: MouseEvent| Command::Open(d));

    let theme = match state.theme {
        Theme::System => None,
        Theme::Light => Some("light"),
        Theme::Dark => Some("dark"),
    };
    let errors = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let tabs = Pane::ALL.into_iter().map(|pane| {
        let selected = pane == state.pane;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::SelectPane(pane)))
        };
        let badge = match pane {
            Pane::Problems if !analysis.problems.is_empty() => {
                html! { <span class={classes!("badge", (errors > 0).then_some("badge-error"))}>{ analysis.problems.len() }</span> }
            }
            _ => html! {},
        };
        html! {
            <button role="tab" id={format!("tab-{}", pane.id())} class="tab"
                aria-selected={selected.to_string()} aria-controls={format!("pane-{}", pane.id())}
                tabindex={if selected { "0" } else { "-1" }} {onclick}>
                { pane.label() }{ badge }
            </button>
        }
    });
    // The ARIA tabs pattern: arrows, Home and End move between tabs.
    let on_tab_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let at = Pane::ALL.iter().position(|p| *p == state.pane).unwrap_or(0);
            let n = Pane::ALL.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            let pane = Pane::ALL[next];
            state.dispatch(Action::SelectPane(pane));
            if let Some(tab) = gloo::utils::document()
                .get_element_by_id(&format!("tab-{}", pane.id()))
                .and_then(|t| t.dyn_into::<HtmlElement>().ok())
            {
                let _ = tab.focus();
            }
        })
    };
    // The panes read the text their analysis is of.
    let text: Rc<str> = analysed_text.clone();
    let pane_body = match state.pane {
        Pane::Graph => {
            html! { <GraphPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Image => {
            html! { <ImagePane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Suggestions => {
            html! { <SuggestionsPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
        Pane::Problems => {
            html! { <ProblemsPane analysis={analysis.clone()} text={text.clone()} options={options.clone()} /> }
        }
    };

    // Encoding compresses the whole text: only while a share link is on screen.
    let needs_link = embedded || matches!(*dialog, Some(Dialog::Share | Dialog::Embed));
    let fragment = use_memo(
        (needs_link, state.text.clone(), settings_of(&state)),
        |(needs, text, settings)| {
            if *needs {
                format!("{}{}", share::FRAGMENT_KEY, share::encode(text, settings))
            } else {
                String::new()
            }
        },
    );
    let fragment = fragment.as_str();
    let app_url: Rc<str> = use_memo((), |_| Rc::<str>::from(app_url()))
        .as_ref()
        .clone();
    let share_url = format!("{app_url}#{fragment}");
    let line_count = analysis.line_index.line_count();

    let hide_editor = embed_config.as_ref().is_some_and(|c| c.hide_editor);
    let editor_style = embed_config.as_ref().map(|c| {
        let fit = (line_count.clamp(4, 30) * 20 + 24) as u32;
        format!("height:{}px", c.height.unwrap_or(fit))
    });
    let editor = (!hide_editor).then(|| {
        html! {
            <section class="editor-pane" aria-label="Dockerfile editor" style={editor_style}>
                <Editor text={state.text.clone()} text_rev={state.text_rev} text_origin={state.text_origin}
                    history={state.history} analysis={analysis.clone()} {analysed}
                    jump={state.jump} {on_edit} {on_cursor} {on_reject} read_only={state.read_only} />
            </section>
        }
    });
    let header = if embedded {
        html! {
            <header class="embed-bar">
                <h1 class="brand-small">{ "Stageplay" }</h1>
                if state.read_only { <span class="muted">{ "read-only" }</span> }
                <div class="spacer"></div>
                <a class="embed-open" href={share_url.clone()} target="_blank" rel="noopener">{ "Open in Stageplay ↗" }</a>
            </header>
        }
    } else {
        html! {
            <header class="topbar">
                <h1 class="brand">{ "Stageplay" }</h1>
                <span class="tagline">{ "Dockerfile playground — runs in your browser, nothing leaves it" }</span>
                <div class="spacer"></div>
                <nav class="toolbar" aria-label="Tools">
                    <label class="sr-only" for="snippet-select">{ "Open snippet" }</label>
                    <select id="snippet-select" class="snippet-select" onchange={on_snippet} title="The snippet being edited (autosaved)">
                        { for state.library.snippets.iter().map(|s| html! {
                            <option value={s.id.to_string()} selected={s.id == state.library.active}>{ s.name.clone() }</option>
                        }) }
                    </select>
                    <button class="button" onclick={on_command.reform(|_| Command::PickFile)}
                        title="Open a Dockerfile from your disk (Ctrl+O), or drop it on the page; it is read here, never uploaded">{ "Open file" }</button>
                    // Hidden: the button above opens it (and stays the one control a screen reader sees).
                    <input ref={file_input.clone()} id="open-file" type="file" hidden=true onchange={on_file_picked} />
                    <button class="button" onclick={open(Dialog::Snippets)} title="Snippets (Alt+O)">{ "Snippets" }</button>
                    <button class="button" onclick={open(Dialog::Gallery)} title="Examples (Alt+E)">{ "Examples" }</button>
                    <button class="button" onclick={open(Dialog::Share)} title="Share link (Alt+L)">{ "Share" }</button>
                    <button class="button" onclick={open(Dialog::Embed)}>{ "Embed" }</button>
                    <button class="button" onclick={open(Dialog::Export)}>{ "Export" }</button>
                    <button class="button" onclick={open(Dialog::Help)} title="Keyboard shortcuts and help (?)">{ "Help" }</button>
                    <button class="button theme-toggle" onclick={on_command.reform(|_| Command::ToggleTheme)} title="Switch between system, dark and light themes (Alt+T)">{ state.theme.label() }</button>
                </nav>
            </header>
        }
    };
    let dialog_view = html! {
        <dialog ref={dialog_ref} class="dialog" aria-labelledby="dialog-title">
            if let Some(d) = *dialog {
                <div class="dialog-head">
                    <h2 id="dialog-title" class="dialog-title">{ d.title() }</h2>
                    <button class="button" onclick={on_command.reform(|_| Command::Close)} aria-label="Close">{ "Close" }</button>
                </div>
                <DialogBody dialog={d} on_command={on_command.clone()} library={state.library.clone()}
                    share_url={AttrValue::from(share_url.clone())} app_url={AttrValue::from(app_url.clone())}
                    fragment={AttrValue::from(fragment.to_string())} pane={state.pane} {line_count} />
            }
        </dialog>
    };

    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
        <div ref={app_ref} class={classes!("app", embedded.then_some("embed"))} data-theme={theme}>
            { header }
            { update_banner }
            { notice_view }
            <main class={classes!("workspace", hide_editor.then_some("no-editor"))} {ondragover} {ondrop}>
                { for editor }
                <section class="side-pane" aria-label="Analysis">
                    <div role="tablist" class="tabs" aria-label="Analysis panes" onkeydown={on_tab_key}>{ for tabs }</div>
                    <div role="tabpanel" class="pane" id={format!("pane-{}", state.pane.id())}
                        aria-labelledby={format!("tab-{}", state.pane.id())} tabindex="0">
                        { pane_body }
                    </div>
                </section>
            </main>
            { dialog_view }
        </div>
        </ContextProvider<StateHandle>>
    }
}
