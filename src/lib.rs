//! Stageplay's web app: one reducer ([`state`]), the analysis derived from the text, and
//! components that render and call back. All logic worth testing lives in the engine or in
//! the pure helpers here ([`editing`], [`state`]), which are tested natively.

pub mod app;
pub mod browser;
pub mod commands;
pub mod components;
pub mod dialogs;
pub mod diff;
pub mod editing;
pub mod embed;
pub mod export;
pub mod guide;
pub mod hooks;
pub mod pwa;
pub mod share;
pub mod state;
pub mod storage;
pub mod tables;

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

    /// The build copies each package table the app fetches (src/tables.rs) to `kb/`, where
    /// the app asks for it.
    #[test]
    fn the_build_copies_the_package_tables() {
        let html = include_str!("../index.html");
        for file in stageplay::estimate::kb::tables::TABLE_FILES {
            let dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
            let link =
                format!("href=\"crates/stageplay/data/{file}\" data-target-path=\"kb/{dir}\"");
            assert!(html.contains(&link), "index.html must copy {file}: {link}");
        }
    }

    /// The app's layers, lowest first (a file may use its own layer's module and lower ones):
    /// pure helpers and browser glue; the state; what stores it or reads it from the URL; the
    /// commands; the hooks; the components and dialogs; the root component.
    #[cfg(not(target_arch = "wasm32"))]
    const LAYERS: &[(&str, u32)] = &[
        ("browser", 0),
        ("diff", 0),
        ("export", 0),
        ("guide", 0),
        ("pwa", 0),
        ("share", 0),
        ("tables", 0),
        ("editing", 1),
        ("state", 2),
        ("embed", 3),
        ("storage", 3),
        ("commands", 4),
        ("hooks", 5),
        ("components", 6),
        ("dialogs", 6),
        ("app", 7),
    ];

    /// No import cycle between the app's files (state, storage and components included), and
    /// uses that point down the layers above: the reader the engine's test uses.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn no_import_cycle_and_one_way_layers_in_the_app() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let tree = import_graph::Tree::read(&src);
        assert!(tree.len() > 30, "read only {} files", tree.len());
        assert!(
            tree.edges().len() > 40,
            "found only {} edges",
            tree.edges().len()
        );
        let cycles = tree.cycles();
        assert!(
            cycles.is_empty(),
            "{} import cycle(s) between files of src/ (file:line → file):\n{}",
            cycles.len(),
            cycles.join("\n")
        );
        let wrong = import_graph::layering_violations(&tree, LAYERS);
        assert!(
            wrong.is_empty(),
            "uses against the layering:\n{}",
            wrong.join("\n")
        );
    }
}
