//! Embed mode: `?embed` with options, minimal chrome, and the iframe-sizing handshake.
//!
//! Options (query parameters): `readonly` (refuse edits), `pane=graph|image|suggestions|problems`,
//! `theme=light|dark`, `height=<px>` (the editor's height), `editor=0` (hide the editor),
//! `example=<id>` (the text, unless the fragment carries a share link) and `parent=<origin>`
//! (answer only that embedding origin).
//!
//! Sizing (`static/embed.js` is the other side): the app posts `{type: "stageplay:ready"}` to its
//! parent (no data, so any target origin is harmless). The parent's script answers
//! `{type: "stageplay:hello"}`; the app accepts it only from `window.parent` (and from `parent=`
//! when given), remembers that origin, and from then on posts `{type: "stageplay:resize",
//! height}` to exactly that origin whenever its height changes. The script accepts messages only
//! from its iframe's window and the iframe's origin.

use crate::state::{Pane, Theme};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The embed options read from the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedConfig {
    pub read_only: bool,
    pub pane: Option<Pane>,
    pub theme: Option<Theme>,
    /// The editor's height in CSS pixels.
    pub height: Option<u32>,
    pub hide_editor: bool,
    pub example: Option<String>,
    pub parent: Option<String>,
}

fn query_pairs(search: &str) -> impl Iterator<Item = (String, String)> + '_ {
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k), decode_component(v))
        })
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                if let Some(v) = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    out.push(v);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn truthy(v: &str) -> bool {
    !matches!(v, "0" | "false" | "no" | "off")
}

/// Reads the embed options from a query string (`?embed&readonly…`); `None` when not embedded.
pub fn parse(search: &str) -> Option<EmbedConfig> {
    let mut embed = false;
    let mut c = EmbedConfig::default();
    for (k, v) in query_pairs(search) {
        match k.as_str() {
            "embed" => embed = truthy(&v),
            "readonly" => c.read_only = truthy(&v),
            "mode" => c.read_only = v == "readonly",
            "pane" => c.pane = Pane::from_id(&v),
            "theme" => {
                c.theme = match v.as_str() {
                    "light" => Some(Theme::Light),
                    "dark" => Some(Theme::Dark),
                    _ => None,
                }
            }
            "height" => c.height = v.parse::<u32>().ok().map(|h| h.clamp(80, 4000)),
            "editor" => c.hide_editor = !truthy(&v),
            "example" => c.example = Some(v),
            "parent" => c.parent = Some(v),
            _ => {}
        }
    }
    embed.then_some(c)
}

/// The query string that [`parse`] reads back (for the "Embed" dialog).
pub fn query(c: &EmbedConfig) -> String {
    let mut q = String::from("?embed");
    if c.read_only {
        q.push_str("&readonly");
    }
    if let Some(p) = c.pane {
        q.push_str("&pane=");
        q.push_str(p.id());
    }
    match c.theme {
        Some(Theme::Light) => q.push_str("&theme=light"),
        Some(Theme::Dark) => q.push_str("&theme=dark"),
        _ => {}
    }
    if let Some(h) = c.height {
        q.push_str(&format!("&height={h}"));
    }
    if c.hide_editor {
        q.push_str("&editor=0");
    }
    q
}

/// Escapes text for an HTML attribute value in double quotes (the generated iframe snippet).
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The snippet to paste into a page: the iframe plus the optional sizing script.
pub fn snippet(app_url: &str, query: &str, fragment: &str, height: u32) -> String {
    let src = format!("{app_url}{query}#{fragment}");
    let script = format!("{app_url}embed.js");
    format!(
        "<iframe src=\"{}\" title=\"Stageplay: Dockerfile playground\" width=\"100%\" height=\"{height}\" style=\"border:0\" loading=\"lazy\" data-stageplay></iframe>\n<script src=\"{}\" async></script>",
        attr(&src),
        attr(&script)
    )
}

/// Starts the sizing handshake: observes `element` and reports its height to the parent that
/// said hello. Does nothing outside an iframe.
pub fn start_sizing(element: web_sys::Element, allowed_parent: Option<String>) {
    let window = gloo::utils::window();
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    if parent == window {
        return;
    }
    let origin = std::rc::Rc::new(std::cell::RefCell::new(None::<String>));
    let last = std::rc::Rc::new(std::cell::Cell::new(-1.0f64));
    let report = {
        let (origin, parent, element, last) = (
            origin.clone(),
            parent.clone(),
            element.clone(),
            last.clone(),
        );
        move || {
            let Some(target) = origin.borrow().clone() else {
                return;
            };
            let height = element.scroll_height().max(element.client_height()) as f64;
            if height == last.get() {
                return;
            }
            last.set(height);
            let msg = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&msg, &"type".into(), &"stageplay:resize".into());
            let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
            let _ = parent.post_message(&msg, &target);
        }
    };
    let report = std::rc::Rc::new(report);
    {
        let (origin, parent, report) = (origin.clone(), parent.clone(), report.clone());
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                // Compare identities: the parent's window is from another realm, so no
                // `instanceof Window` check would hold for it.
                let parent_value: &JsValue = parent.as_ref();
                let from_parent = e
                    .source()
                    .is_some_and(|s| JsValue::from(s) == *parent_value);
                let kind = js_sys::Reflect::get(&e.data(), &"type".into())
                    .ok()
                    .and_then(|t| t.as_string());
                if !from_parent || kind.as_deref() != Some("stageplay:hello") {
                    return;
                }
                let sender = e.origin();
                if sender == "null" || allowed_parent.as_ref().is_some_and(|p| *p != sender) {
                    return;
                }
                *origin.borrow_mut() = Some(sender);
                last.set(-1.0);
                report();
            });
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
        on_message.forget();
    }
    {
        let report = report.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || report());
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&element);
        }
        on_resize.forget();
    }
    let ready = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&ready, &"type".into(), &"stageplay:ready".into());
    let _ = parent.post_message(&ready, "*");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_options_and_writes_them_back() {
        assert_eq!(parse("?pane=graph"), None);
        let c = parse("?embed&readonly&pane=image&theme=dark&height=300&editor=0&example=guide-uv")
            .unwrap();
        assert!(c.read_only && c.hide_editor);
        assert_eq!(
            (c.pane, c.theme, c.height),
            (Some(Pane::Image), Some(Theme::Dark), Some(300))
        );
        assert_eq!(c.example.as_deref(), Some("guide-uv"));
        let back = parse(&query(&c)).unwrap();
        assert_eq!(EmbedConfig { example: None, ..c }, back);
        let d =
            parse("?embed=1&mode=editable&height=99999&parent=https%3A%2F%2Fdocs.example").unwrap();
        assert!(!d.read_only);
        assert_eq!(d.height, Some(4000));
        assert_eq!(d.parent.as_deref(), Some("https://docs.example"));
    }

    #[test]
    fn the_snippet_escapes_attribute_values() {
        let s = snippet("https://x.test/a\"b/", "?embed", "s=AQ", 400);
        assert!(s.contains("src=\"https://x.test/a&quot;b/?embed#s=AQ\""));
        assert!(s.contains("<script src=\"https://x.test/a&quot;b/embed.js\" async></script>"));
    }
}
