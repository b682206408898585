//! Stageplay's web app: one reducer ([`state`]), the analysis derived from the text, and
//! components that render and call back. All logic worth testing lives in the engine or in
//! the pure helpers here ([`editing`], [`state`]), which are tested natively.

pub mod app;
pub mod browser;
pub mod components;
pub mod dialogs;
pub mod diff;
pub mod editing;
pub mod embed;
pub mod export;
pub mod instruction_docs;
pub mod pwa;
pub mod share;
pub mod state;
pub mod storage;

/// Mounts the app on `<body>`.
pub fn start() {
    // The static loading shell of index.html gives way to the app.
    if let Some(shell) = gloo::utils::document().get_element_by_id("shell") {
        shell.remove();
    }
    yew::Renderer::<app::App>::new().render();
}

#[cfg(test)]
mod tests {
    /// The loading shell (written by the build hook) shows the example the app opens on.
    #[test]
    fn loading_shell_shows_the_default_example() {
        let hook = include_str!("../static/gen-sw.sh");
        let file = format!(
            "crates/stageplay/gallery/{}.Dockerfile",
            stageplay::examples::DEFAULT_EXAMPLE
        );
        assert!(hook.contains(&file), "static/gen-sw.sh must read {file}");
        assert!(include_str!("../index.html").contains("id=\"shell-text\""));
    }
}
