//! The engine's package tables (Debian package indexes, measured npm and PyPI packages), which
//! only the image estimate and the refactors read. They are not in the wasm: the build copies
//! them into `kb/` (index.html), the service worker precaches them with the rest of the build,
//! and the app fetches them the first time a view needs them (the Image or Suggestions pane, an
//! export with the estimate), so they are not part of the first load.

use stageplay::estimate::kb::tables::{self, TableTexts, TABLE_FILES};
use std::borrow::Cow;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

/// Whether the tables are there (fetched, or compiled in for native builds).
pub fn ready() -> bool {
    tables::ready()
}

/// Told when the fetch is over: `Err` carries a message for the user.
type Done = Callback<Result<(), String>>;

thread_local! {
    /// Who waits for the fetch under way (`None`: no fetch under way).
    static WAITING: RefCell<Option<Vec<Done>>> = const { RefCell::new(None) };
}

/// Calls `done` once the tables are there: at once if they are, else after one fetch of the
/// files that every caller shares. `Err` carries a message for the user; a later call tries again.
pub fn load(done: Done) {
    if ready() {
        done.emit(Ok(()));
        return;
    }
    let start = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let start = w.is_none();
        w.get_or_insert_with(Vec::new).push(done);
        start
    });
    if !start {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        let result = fetch_all().await.map(tables::provide);
        let waiting = WAITING.with(|w| w.borrow_mut().take()).unwrap_or_default();
        for done in waiting {
            done.emit(result.clone());
        }
    });
}

async fn fetch_all() -> Result<TableTexts, String> {
    let mut texts = Vec::with_capacity(TABLE_FILES.len());
    for file in TABLE_FILES {
        texts.push(fetch_text(&format!("kb/{file}")).await.map_err(|e| {
            format!("The package tables the image estimate and the suggestions read could not be loaded (kb/{file}: {e}).")
        })?);
    }
    let mut texts = texts.into_iter().map(Cow::Owned);
    let mut next = || texts.next().unwrap_or_default();
    Ok(TableTexts {
        bookworm: next(),
        trixie: next(),
        npm: next(),
        pypi: next(),
    })
}

/// The text at `url` (relative to the page), or why not.
async fn fetch_text(url: &str) -> Result<String, String> {
    let describe = |e: wasm_bindgen::JsValue| match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => e.as_string().unwrap_or_else(|| "unknown error".into()),
    };
    let response = JsFuture::from(gloo::utils::window().fetch_with_str(url))
        .await
        .map_err(describe)?
        .dyn_into::<web_sys::Response>()
        .map_err(describe)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?;
    text.as_string().ok_or_else(|| "not text".to_string())
}
