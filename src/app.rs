//! The root component: header, editor, and the tabbed panes. It holds the one state (a
//! reducer, `crate::state`) and the derived analysis, wires the hooks (`crate::hooks`) and
//! hands every button and shortcut to `crate::commands`.

use crate::commands::{self, Command, Dialog};
use crate::components::editor::Editor;
use crate::components::graph_pane::GraphPane;
use crate::components::guide::GuideView;
use crate::components::image_pane::ImagePane;
use crate::components::problems_pane::ProblemsPane;
use crate::components::splitter::{split_style, Splitter};
use crate::components::suggestions_pane::SuggestionsPane;
use crate::dialogs::DialogBody;
use crate::embed::{self, EmbedConfig};
use crate::hooks;
use crate::share::{self, Shared};
use crate::state::{split, Action, AppState, Pane, Shown, StateHandle, StoredTexts, Theme};
use crate::{browser, pwa, storage, tables};
use stageplay::analysis::{analyze, AnalysisOptions};
use stageplay::estimate::size::human;
use stageplay::examples;
use stageplay::Severity;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, ServiceWorker};
use yew::prelude::*;

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

fn default_text() -> String {
    examples::find(examples::DEFAULT_EXAMPLE)
        .map_or("", |e| e.text)
        .to_string()
}

/// The initial state: an embed shows its link or example; the app opens the active snippet, or a
/// share link as a snippet (never over the user's text).
fn initial_state(boot: &Boot) -> AppState {
    let shared = match &boot.shared {
        Some(Ok(shared)) => Some(shared.clone()),
        _ => None,
    };
    let mut state = if let Some(config) = &boot.embed {
        let text = match (&shared, &config.example) {
            (Some(s), _) => s.text.clone(),
            (None, Some(id)) => {
                examples::find(id).map_or_else(default_text, |e| e.text.to_string())
            }
            (None, None) => default_text(),
        };
        let mut state = AppState::new(text);
        if let Some(s) = &shared {
            state.apply_settings(&s.settings);
        }
        if let Some(pane) = config.pane {
            state.pane = pane;
        }
        state.theme = config.theme.unwrap_or(Theme::System);
        state.read_only = config.read_only;
        state.embedded = true;
        state
    } else {
        let (library, saved) = storage::load();
        let first_run = saved.is_none() && shared.is_none();
        let mut state = AppState::new(saved.unwrap_or_else(default_text));
        state.first_run = first_run;
        state.library = library;
        state.stored = StoredTexts(storage::load_text);
        state.theme = storage::load_theme();
        state.split = storage::load_split();
        if let Some(shared) = shared {
            state.open_shared(shared);
            // Opened once: the link leaves the address bar.
            browser::clear_fragment();
        }
        state
    };
    if let Some(Err(e)) = &boot.shared {
        state.notice = Some(crate::state::Notice {
            text: format!("This share link could not be opened: {e}."),
            seq: 0,
        });
    }
    state
}

/// The header's dialog buttons: the dialog, its label and its tooltip.
const HEADER_DIALOGS: [(Dialog, &str, Option<&str>); 7] = [
    (Dialog::Snippets, "Snippets", Some("Snippets (Alt+O)")),
    (Dialog::Gallery, "Examples", Some("Examples (Alt+E)")),
    (Dialog::Share, "Share", Some("Share link (Alt+L)")),
    (Dialog::Embed, "Embed", None),
    (Dialog::Export, "Export", None),
    (
        Dialog::Guide,
        "Guide",
        Some("The multi-stage build guide the examples and suggestions follow"),
    ),
    (
        Dialog::Help,
        "Help",
        Some("Keyboard shortcuts and help (?)"),
    ),
];

#[component(App)]
pub fn app() -> Html {
    let boot = use_memo((), |_| Boot::read());
    let state = {
        let boot = boot.clone();
        use_reducer(move || initial_state(&boot))
    };
    let embed_config = boot.embed.clone();
    let embedded = state.embedded;
    let dialog = use_state(|| None::<Dialog>);
    let dialog_ref = use_node_ref();
    let app_ref = use_node_ref();
    let file_input = use_node_ref();

    let flush = hooks::use_autosave(&state);
    hooks::use_library_storage(&state.library, !embedded);
    hooks::use_notice_timer(&state);
    hooks::use_modal(&dialog_ref, &dialog);
    use_effect_with(state.theme, move |theme| {
        if !embedded {
            storage::save_theme(*theme);
        }
    });
    use_effect_with(state.split, move |percent| {
        if !embedded {
            storage::save_split(*percent);
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
    // `None` until the first analysis, which waits for the editor's first paint.
    let analysed_text = hooks::use_analysed_text(&state.text);
    let analysed = analysed_text
        .as_ref()
        .is_some_and(|t| Rc::ptr_eq(t, &state.text));
    let analysis = use_memo(
        (analysed_text.clone(), options.clone()),
        |(text, options)| analyze(text.as_deref().unwrap_or(""), options),
    );
    // The engine's package tables, fetched when a pane that reads them is first shown: `Ok(true)`
    // once they are there, `Err` with why not (the pane offers to try again).
    let tables = use_state(|| Ok::<bool, String>(tables::ready()));
    {
        let tables = tables.clone();
        let needs = matches!(state.pane, Pane::Image | Pane::Suggestions);
        use_effect_with((needs, (*tables).clone()), move |(needs, now)| {
            if *needs && *now == Ok(false) {
                tables::load(Callback::from(move |loaded: Result<(), String>| {
                    tables.set(loaded.map(|()| true));
                }));
            }
        });
    }

    // Every button and shortcut goes through one command handler (rebuilt each render, so it
    // sees the current state; the page-wide listeners read it through `latest`).
    let on_command = {
        let context = commands::Context {
            state: state.clone(),
            dialog: dialog.clone(),
            file_input: file_input.clone(),
            analysis: analysis.clone(),
            options: options.clone(),
            flush,
        };
        Callback::from(move |command: Command| commands::run(command, &context))
    };
    let latest = use_mut_ref(|| on_command.clone());
    *latest.borrow_mut() = on_command.clone();
    hooks::use_global_listeners(latest);

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
            if let Some(notice) = &state.notice {
                <span>{ notice.text.clone() }</span>
                <button class="notice-close" aria-label="Dismiss"
                    onclick={{ let (state, seq) = (state.clone(), notice.seq); Callback::from(move |_| state.dispatch(Action::DismissNotice(seq))) }}>{ "×" }</button>
            }
        </div>
    };

    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::Edited(text)))
    };
    let notify = {
        let state = state.clone();
        Callback::from(move |message: String| state.dispatch(Action::Notify(message)))
    };
    let on_reject = notify.reform(|bytes: usize| {
        format!(
            "Not loaded: that text is {}, over the {} limit Stageplay analyses. The editor kept your previous text.",
            human(bytes as u64),
            human(stageplay::analysis::MAX_INPUT_BYTES as u64)
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
            browser::read_text_file(
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
    let problems_badge = (!analysis.problems.is_empty()).then(|| {
        html! { <span class={classes!("badge", (errors > 0).then_some("badge-error"))}>{ analysis.problems.len() }</span> }
    });
    let tabs = Pane::ALL.into_iter().map(|pane| {
        let selected = pane == state.pane;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::SelectPane(pane)))
        };
        let badge = match pane {
            Pane::Problems => problems_badge.clone().unwrap_or_default(),
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
            focus_by_id(&format!("tab-{}", pane.id()));
        })
    };
    // The panes read the text their analysis is of.
    let text: Rc<str> = analysed_text.clone().unwrap_or_default();
    let pane_body = match state.pane {
        _ if analysed_text.is_none() => {
            html! { <p class="muted" aria-busy="true">{ "Analysing…" }</p> }
        }
        Pane::Image | Pane::Suggestions if *tables != Ok(true) => match &*tables {
            Err(message) => {
                let retry = {
                    let tables = tables.clone();
                    Callback::from(move |_| tables.set(Ok(false)))
                };
                html! {
                    <div role="alert">
                        <p>{ message.clone() }</p>
                        <button class="button" onclick={retry}>{ "Try again" }</button>
                    </div>
                }
            }
            _ => {
                html! { <p class="muted" aria-busy="true">{ "Loading the package tables the estimate reads…" }</p> }
            }
        },
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
        (needs_link, state.text.clone(), state.settings()),
        |(needs, text, settings)| {
            if *needs {
                format!("{}{}", share::FRAGMENT_KEY, share::encode(text, settings))
            } else {
                String::new()
            }
        },
    );
    let fragment = fragment.as_str();
    let app_url: Rc<str> = use_memo((), |_| Rc::<str>::from(browser::app_url()))
        .as_ref()
        .clone();
    let share_url = format!("{app_url}#{fragment}");
    let line_count = state.text.split('\n').count();

    let hide_editor = embed_config.as_ref().is_some_and(|c| c.hide_editor);
    let editor_style = embed_config.as_ref().map(|c| {
        let fit = (line_count.clamp(4, 30) * 20 + 24) as u32;
        format!("height:{}px", c.height.unwrap_or(fit))
    });
    let editor = (!hide_editor).then(|| {
        html! {
            <section id="editor-section" class="editor-pane" aria-label="Dockerfile editor" style={editor_style}>
                if state.first_run {
                    <div class="first-run" role="note">
                        <p>{ "This is a sample. Paste your Dockerfile here, drop a file on the page, or use Open file: it stays in this browser. The sample follows the multi-stage build guide (Guide, at the top)." }</p>
                        <button class="button" onclick={{ let state = state.clone(); Callback::from(move |_| state.dispatch(Action::DismissHint)) }}>{ "Got it" }</button>
                    </div>
                }
                <Editor text={state.text.clone()} text_rev={state.text_rev} text_origin={state.text_origin}
                    history={state.history} analysis={analysis.clone()} {analysed}
                    jump={state.jump} {on_edit} {on_cursor} {on_reject} read_only={state.read_only} />
            </section>
        }
    });
    // A narrow screen (a phone) shows the editor or the analysis, switched here (hidden by the
    // style sheet on wide screens, where the splitter sits between them).
    let view_switch = (!embedded && !hide_editor).then(|| {
        let shown = state.shown;
        let show = |to: Shown| {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::Show(to)))
        };
        let onkeydown = {
            let state = state.clone();
            Callback::from(move |e: KeyboardEvent| {
                let to = match e.key().as_str() {
                    "ArrowLeft" | "Home" => Shown::Editor,
                    "ArrowRight" | "End" => Shown::Analysis,
                    _ => return,
                };
                e.prevent_default();
                state.dispatch(Action::Show(to));
                focus_by_id(&format!("show-{}", to.id()));
            })
        };
        let tab = |to: Shown, label: &'static str, badge: Option<Html>| {
            let selected = shown == to;
            let controls = match to {
                Shown::Editor => "editor-section",
                Shown::Analysis => "analysis-section",
            };
            html! {
                <button role="tab" id={format!("show-{}", to.id())} class="view-tab"
                    aria-selected={selected.to_string()} aria-controls={controls}
                    tabindex={if selected { "0" } else { "-1" }} onclick={show(to)}>
                    { label }{ for badge }
                </button>
            }
        };
        html! {
            <div class="view-switch" role="tablist" aria-label="Show the editor or the analysis" {onkeydown}>
                { tab(Shown::Editor, "Editor", None) }
                { tab(Shown::Analysis, "Analysis", problems_badge.clone()) }
            </div>
        }
    });
    let splitter = (!embedded && !hide_editor).then(|| {
        let state = state.clone();
        html! {
            <Splitter percent={state.split.unwrap_or(split::DEFAULT)} controls="editor-section"
                on_change={Callback::from(move |p| state.dispatch(Action::SetSplit(p)))} />
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
                    <button class="button" onclick={on_command.reform(|_| Command::Format)}
                        title="Format the Dockerfile: indentation, spacing and keyword case only (Shift+Alt+F); Ctrl+Z undoes it">{ "Format" }</button>
                    { for HEADER_DIALOGS.iter().map(|&(d, label, title)| html! {
                        <button class="button" onclick={open(d)} {title}>{ label }</button>
                    }) }
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
                if d == Dialog::Guide { <GuideView /> }
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
            <main class={classes!("workspace", hide_editor.then_some("no-editor"))} data-shown={state.shown.id()}
                style={(!embedded).then(|| split_style(state.split.unwrap_or(split::DEFAULT)))} {ondragover} {ondrop}>
                { view_switch }
                { for editor }
                { splitter }
                <section id="analysis-section" class="side-pane" aria-label="Analysis">
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

/// Moves the focus to the element `id` (a tab the arrow keys moved to).
fn focus_by_id(id: &str) {
    if let Some(el) = gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
