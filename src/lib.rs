//! Stageplay's web app: one reducer ([`state`]), the analysis derived from the text, and
//! components that render and call back. All logic worth testing lives in the engine or in
//! the pure helpers here ([`highlight`], [`state`]), which are tested natively.

pub mod app;
pub mod browser;
pub mod components;
pub mod dialogs;
pub mod diff;
pub mod embed;
pub mod export;
pub mod highlight;
pub mod instruction_docs;
pub mod pwa;
pub mod share;
pub mod state;
pub mod storage;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
