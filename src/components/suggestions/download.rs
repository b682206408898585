//! Saves text as a file: a Blob, an object URL and a click on an `<a download>`.

use gloo::timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` for download as `name`. The object URL is revoked once the download started.
pub fn download(name: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    // Not text/plain: browsers would add `.txt` to a name without an extension.
    options.set_type("application/octet-stream");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let anchor: HtmlAnchorElement = gloo::utils::document()
        .create_element("a")?
        .dyn_into()
        .map_err(JsValue::from)?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
