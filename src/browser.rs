//! Small browser helpers: saving text as a file, reading a file the user picked or dropped,
//! copying to the clipboard, and the page's address. Nothing here leaves the browser: downloads
//! are Blob URLs clicked through an `<a download>`, and files are read locally.

use gloo::timers::callback::Timeout;
use stageplay::estimate::size::human;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};
use yew::Callback;

/// A Blob URL holding `text` with the given MIME type.
pub fn blob_url(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &bag).ok()?;
    Url::create_object_url_with_blob(&blob).ok()
}

/// Clicks a temporary `<a download>` for `url`; revokes a Blob URL once the download started.
pub fn save_url(url: &str, name: &str, revoke: bool) -> bool {
    let Some(a) = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return false;
    };
    a.set_href(url);
    a.set_download(name);
    a.click();
    if revoke {
        let url = url.to_string();
        Timeout::new(10_000, move || {
            let _ = Url::revoke_object_url(&url);
        })
        .forget();
    }
    true
}

/// Offers `text` for download as `name`. Use `application/octet-stream` for names without an
/// extension (`Dockerfile`): with `text/plain` browsers append `.txt`.
pub fn save_text(name: &str, mime: &str, text: &str) -> bool {
    blob_url(text, mime).is_some_and(|url| save_url(&url, name, true))
}

/// Reads a file the user picked or dropped as text, in the browser. `done` gets its name and
/// text, or a message for the user: a file over the engine's limit is not read at all, and a
/// file that is not text (it holds NUL bytes) is refused.
pub fn read_text_file(file: web_sys::File, done: Callback<Result<(String, String), String>>) {
    let name = file.name();
    let limit = stageplay::analysis::MAX_INPUT_BYTES;
    if file.size() > limit as f64 {
        done.emit(Err(format!(
            "Not opened: “{name}” is {}, over the {} limit Stageplay analyses.",
            human(file.size() as u64),
            human(limit as u64)
        )));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        done.emit(match read.ok().and_then(|v| v.as_string()) {
            Some(text) if text.contains('\0') => {
                Err(format!("Not opened: “{name}” is not a text file."))
            }
            Some(text) => Ok((name, text)),
            None => Err(format!("“{name}” could not be read.")),
        });
    });
}

/// Copies text with the async clipboard API; `done` gets whether the browser allowed it.
pub fn copy_text(text: &str, done: Callback<bool>) {
    let navigator = gloo::utils::window().navigator();
    // Not every context has `navigator.clipboard` (insecure origins): look it up dynamically.
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &"writeText".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    let promise = match (clipboard, write) {
        (Some(clipboard), Some(write)) => write
            .call1(&clipboard, &text.into())
            .ok()
            .and_then(|p| p.dyn_into::<js_sys::Promise>().ok()),
        _ => None,
    };
    match promise {
        Some(promise) => wasm_bindgen_futures::spawn_local(async move {
            done.emit(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        }),
        None => done.emit(false),
    }
}

/// The app's address without query or fragment.
pub fn app_url() -> String {
    let location = gloo::utils::window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Removes the fragment (a share link, once opened) from the address bar without reloading.
pub fn clear_fragment() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
