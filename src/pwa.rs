//! Service worker registration and the "update available — reload" flow.
//!
//! The worker (`sw.js`, generated at build time) precaches the hashed build. A new deployed
//! version installs in the background and waits; the app shows a banner, and "Reload" asks the
//! waiting worker to take over, then reloads. The draft is autosaved, so nothing is lost.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};
use yew::Callback;

/// Registers `sw.js`; calls `on_update` with the waiting worker when a new version is ready.
pub fn register(on_update: Callback<ServiceWorker>) {
    let window = gloo::utils::window();
    if !js_sys::Reflect::has(&window.navigator(), &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
    {
        return;
    }
    let container = window.navigator().service_worker();
    let promise = container.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            return;
        };
        let reg: ServiceWorkerRegistration = reg.unchecked_into();
        let has_controller = || {
            gloo::utils::window()
                .navigator()
                .service_worker()
                .controller()
                .is_some()
        };
        if let Some(waiting) = reg.waiting() {
            if has_controller() {
                on_update.emit(waiting);
            }
        }
        let reg2 = reg.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = reg2.installing() else {
                return;
            };
            let worker = installing.clone();
            let on_update = on_update.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && has_controller() {
                    on_update.emit(worker.clone());
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        reg.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}

/// Asks the waiting worker to activate, and reloads once it controls the page.
pub fn activate_update(worker: &ServiceWorker) {
    let container = gloo::utils::window().navigator().service_worker();
    let on_change = Closure::<dyn FnMut()>::new(|| {
        let _ = gloo::utils::window().location().reload();
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"stageplay:skip-waiting".into());
    let _ = worker.post_message(&message);
}
