//! The build-context inputs: the user's project (a folder dropped or picked, or dependency
//! files pasted or dropped), else the size of the context after `.dockerignore` and the
//! `.dockerignore` text, which `COPY` and install layers are estimated from.
//!
//! A folder is read here, in the browser, and never uploaded: every file's path and size, and
//! the text of the files the engine reads (`context::wants_content`: `.dockerignore` and the
//! dependency files); the engine's `context::project_options` does the rest, as it does for
//! `stageplay estimate --context DIR`.

use crate::state::{Action, Project, StateHandle};
use stageplay::analysis::AnalysisOptions;
use stageplay::estimate::context::{
    project_options, strip_dropped_folder, wants_content, ProjectFile, DEPENDENCY_FILES,
};
use stageplay::estimate::size::human;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DragEvent, File, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry,
    HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement,
};
use yew::prelude::*;

/// A dropped folder with more files than this is refused (it is not a build context a person
/// means to send, or the wrong folder).
const MAX_FILES: usize = 200_000;

/// A promise for a callback-style browser API: `start` gets the resolve and reject functions.
fn promise(start: impl FnOnce(&js_sys::Function, &js_sys::Function)) -> js_sys::Promise {
    let mut start = Some(start);
    js_sys::Promise::new(&mut |resolve, reject| {
        if let Some(start) = start.take() {
            start(&resolve, &reject);
        }
    })
}

/// A file entry's `File`.
async fn entry_file(entry: &FileSystemFileEntry) -> Option<File> {
    let p = promise(|ok, err| entry.file_with_callback_and_callback(ok, err));
    JsFuture::from(p).await.ok()?.dyn_into::<File>().ok()
}

/// One file as the engine wants it: its size, and its text when the engine reads it.
async fn project_file(path: String, file: &File) -> ProjectFile {
    let bytes = file.size() as u64;
    let content = if wants_content(&path, bytes) {
        JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
    } else {
        None
    };
    ProjectFile {
        path,
        bytes,
        content,
    }
}

/// Every file below a dropped directory entry, with paths relative to it. `readEntries`
/// returns a batch at a time: it is called until it returns none.
async fn read_directory(root: FileSystemDirectoryEntry) -> Result<Vec<ProjectFile>, String> {
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let reader = dir.create_reader();
        loop {
            let p = promise(|ok, err| {
                // A synchronous failure rejects the promise: the read ends with a message
                // instead of waiting forever.
                if let Err(e) = reader.read_entries_with_callback_and_callback(ok, err) {
                    err.call1(&wasm_bindgen::JsValue::UNDEFINED, &e).ok();
                }
            });
            let batch = JsFuture::from(p)
                .await
                .map_err(|_| format!("{} could not be read", dir.full_path()))?;
            let batch: js_sys::Array = batch.unchecked_into();
            if batch.length() == 0 {
                break;
            }
            for entry in batch.iter() {
                let entry: FileSystemEntry = entry.unchecked_into();
                if entry.is_directory() {
                    dirs.push(entry.unchecked_into());
                } else if let Some(file) = entry_file(entry.unchecked_ref()).await {
                    let Some(path) = strip_dropped_folder(&entry.full_path()) else {
                        continue;
                    };
                    out.push(project_file(path, &file).await);
                    if out.len() > MAX_FILES {
                        return Err(format!(
                            "Not read: the folder has more than {MAX_FILES} files."
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The project for a folder's files.
fn project(name: String, files: Vec<ProjectFile>) -> Project {
    Project {
        name,
        files: files.len(),
        options: Arc::new(project_options(&files)),
    }
}

/// What a drop on the build-context section holds: a folder (read whole) or files (each a
/// dependency file the engine reads; others are ignored).
fn on_drop(e: DragEvent, state: StateHandle, message: UseStateHandle<Option<String>>) {
    e.prevent_default();
    e.stop_propagation();
    let Some(items) = e.data_transfer().map(|d| d.items()) else {
        return;
    };
    let entries: Vec<FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i)?.webkit_get_as_entry().ok().flatten())
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut ignored = Vec::new();
        for entry in entries {
            if entry.is_directory() {
                let name = entry.name();
                match read_directory(entry.unchecked_into()).await {
                    Ok(files) => state.dispatch(Action::SetProject(Some(project(name, files)))),
                    Err(m) => message.set(Some(m)),
                }
            } else if let Some(file) = entry_file(entry.unchecked_ref()).await {
                let f = project_file(file.name(), &file).await;
                match f.content {
                    Some(content) => state.dispatch(Action::SetPastedFile {
                        path: f.path,
                        content,
                    }),
                    None => ignored.push(f.path),
                }
            }
        }
        if !ignored.is_empty() {
            message.set(Some(format!(
                "Not a dependency file the estimate reads: {} (drop the project folder to size COPY from it).",
                ignored.join(", ")
            )));
        }
    });
}

/// The files of a folder picked with `<input webkitdirectory>` (each carries its path under
/// the folder as `webkitRelativePath`).
fn on_folder_picked(e: Event, state: StateHandle) {
    let input: HtmlInputElement = e.target_unchecked_into();
    let Some(list) = input.files() else { return };
    let files: Vec<File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    wasm_bindgen_futures::spawn_local(async move {
        let mut out = Vec::new();
        let mut name = String::new();
        for file in files.iter().take(MAX_FILES) {
            // `webkitRelativePath` is not in web-sys's stable File API.
            let full = js_sys::Reflect::get(file, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            if name.is_empty() {
                name = full.split('/').next().unwrap_or("").to_string();
            }
            if let Some(path) = strip_dropped_folder(&full) {
                out.push(project_file(path, file).await);
            }
        }
        state.dispatch(Action::SetProject(Some(project(name, out))));
    });
}

#[derive(Properties, PartialEq)]
pub(super) struct ContextProps {
    /// The options the shown estimate was made with.
    pub options: Rc<AnalysisOptions>,
}

/// Megabytes as typed (`12`, `0.5`) to bytes; blank or invalid means "not set".
fn parse_mb(text: &str) -> Option<u64> {
    let mb: f64 = text.trim().parse().ok()?;
    (mb.is_finite() && mb >= 0.0).then(|| (mb * 1e6).round() as u64)
}

#[component(ContextForm)]
pub(super) fn context_form(props: &ContextProps) -> Html {
    let state = use_context::<StateHandle>();
    let size = use_node_ref();
    let ignore = use_node_ref();
    let paste_name = use_node_ref();
    let paste_text = use_node_ref();
    let message = use_state(|| None::<String>);
    let (bytes, dockerignore, project, pasted) = state
        .as_ref()
        .map(|s| {
            (
                s.context_bytes,
                s.dockerignore.clone(),
                s.project.clone(),
                s.pasted.clone(),
            )
        })
        .unwrap_or_default();
    let onsubmit = {
        let (state, size, ignore) = (state.clone(), size.clone(), ignore.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let bytes = size
                .cast::<HtmlInputElement>()
                .and_then(|i| parse_mb(&i.value()));
            let dockerignore = ignore.cast::<HtmlTextAreaElement>().map(|t| t.value());
            if let Some(state) = &state {
                state.dispatch(Action::SetContext {
                    bytes,
                    dockerignore,
                });
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| {
        e.prevent_default();
        e.stop_propagation();
    });
    let ondrop = {
        let (state, message) = (state.clone(), message.clone());
        Callback::from(move |e: DragEvent| {
            if let Some(state) = state.clone() {
                message.set(None);
                on_drop(e, state, message.clone());
            }
        })
    };
    let onfolder = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(state) = state.clone() {
                on_folder_picked(e, state);
            }
        })
    };
    let forget = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(state) = &state {
                state.dispatch(Action::SetProject(None));
            }
        })
    };
    let onpaste = {
        let (state, paste_name, paste_text) =
            (state.clone(), paste_name.clone(), paste_text.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = paste_name
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let text = paste_text.cast::<HtmlTextAreaElement>();
            if let (Some(state), Some(text)) = (&state, text) {
                state.dispatch(Action::SetPastedFile {
                    path: name,
                    content: text.value(),
                });
                text.set_value("");
            }
        })
    };
    let remove = |path: String| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(state) = &state {
                state.dispatch(Action::SetPastedFile {
                    path: path.clone(),
                    content: String::new(),
                });
            }
        })
    };
    let estimate_opts = props.options.estimate_options();
    let applied = match (&project, estimate_opts.context_bytes) {
        (Some(p), Some(b)) => format!(
            "Project “{}”: {} files, {} sent to the builder after its .dockerignore ({} files); COPY layers are sized from them.",
            p.name,
            p.files,
            human(b),
            p.options.context_paths.len()
        ),
        (None, Some(b)) => format!("The estimate assumes a {} build context.", human(b)),
        (_, None) => "Not set: COPY/ADD from the context use a wide range.".into(),
    };
    let read: Vec<String> = estimate_opts
        .context_files
        .iter()
        .filter(|f| !f.path.ends_with(".dockerignore"))
        .map(|f| f.path.clone())
        .collect();
    html! {
        <section class="img-section" aria-label="Build context">
            <h3>{ "Build context" }</h3>
            <div class="img-project" {ondragover} {ondrop} data-project={project.as_ref().map(|p| p.name.clone())}>
                <p>
                    { "Drop your project folder here, or " }
                    <label class="img-project-pick">
                        { "choose it" }
                        <input type="file" webkitdirectory={true} multiple={true} class="sr-only" onchange={onfolder} />
                    </label>
                    { ": the estimate then sizes COPY from its files (after its .dockerignore) and the installs from its \
                       dependency files. You can also drop or paste dependency files alone. Everything is read here, never uploaded." }
                </p>
                if let Some(p) = &project {
                    <p class="img-project-status">
                        { format!("Folder “{}” read.", p.name) }
                        <button class="button" onclick={forget}>{ "Forget it" }</button>
                    </p>
                }
                if !read.is_empty() {
                    <p class="muted">{ format!("Dependency files the estimate reads: {}.", read.join(", ")) }</p>
                }
                if !pasted.is_empty() {
                    <ul class="img-pasted">
                        { for pasted.iter().map(|f| html! {
                            <li>
                                <span class="mono">{ f.path.clone() }</span>
                                { format!(" ({} lines) ", f.content.lines().count()) }
                                <button class="button" onclick={remove(f.path.clone())}
                                    aria-label={format!("Remove {}", f.path)}>{ "Remove" }</button>
                            </li>
                        }) }
                    </ul>
                }
                <form class="img-context" onsubmit={onpaste}>
                    <label for="img-paste-name">{ "Paste a file" }</label>
                    <select id="img-paste-name" ref={paste_name}>
                        { for DEPENDENCY_FILES.iter().filter(|n| **n != ".dockerignore").map(|n| html! {
                            <option value={*n}>{ *n }</option>
                        }) }
                    </select>
                    <textarea id="img-paste-text" ref={paste_text} rows="3" spellcheck="false"
                        aria-label="The file's content" placeholder="fastapi\nuvicorn" />
                    <button class="button" type="submit">{ "Add" }</button>
                </form>
                if let Some(m) = &*message {
                    <p class="notice" role="status">{ m.clone() }</p>
                }
            </div>
            if project.is_none() {
                <form class="img-context" {onsubmit}>
                    <label for="img-context-size">{ "Context size after .dockerignore (MB)" }</label>
                    <input id="img-context-size" ref={size} type="number" min="0" step="any" inputmode="decimal"
                        placeholder="not set" value={bytes.map(|b| format!("{}", b as f64 / 1e6)).unwrap_or_default()} />
                    <label for="img-context-ignore">{ ".dockerignore" }</label>
                    <textarea id="img-context-ignore" ref={ignore} rows="3" spellcheck="false"
                        placeholder=".git\nnode_modules" value={dockerignore.unwrap_or_default()} />
                    <button class="button" type="submit">{ "Apply" }</button>
                </form>
            }
            <p class="muted img-context-applied">{ applied }</p>
        </section>
    }
}
