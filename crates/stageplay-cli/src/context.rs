//! Reading a project folder for the estimate (`stageplay estimate --context DIR`, and the build
//! context of `stageplay verify`): every file's path and size, and the text of the files the
//! engine reads (`estimate::context::wants_content`). The engine's `project_options` then applies
//! the folder's `.dockerignore` with its matcher; the app's folder drop calls the same function
//! with the same list, so both give the same estimate.

use stageplay::estimate::context::{
    ignore, project_options, relative_path, wants_content, ProjectFile,
};
use stageplay::estimate::EstimateOptions;
use std::path::Path;

/// The project folder's files. Directories the `.dockerignore` excludes are not entered when
/// the file has no `!` exception (an exception can bring back a file below an excluded
/// directory, so then everything is listed and the engine decides). Symbolic links are listed
/// with their own size, not followed, as BuildKit sends them.
pub fn read_project(dir: &Path) -> Result<Vec<ProjectFile>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let ignore_text = std::fs::read_to_string(dir.join(".dockerignore")).ok();
    let patterns = ignore_text
        .as_deref()
        .map(ignore::patterns)
        .unwrap_or_default();
    let prune = !patterns.iter().any(|(_, negated)| *negated);
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries =
            std::fs::read_dir(&current).map_err(|e| format!("{}: {e}", current.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", current.display()))?;
            let path = entry.path();
            let Some(rel) = path
                .strip_prefix(dir)
                .ok()
                .and_then(|r| relative_path(&r.to_string_lossy()))
            else {
                continue;
            };
            let meta =
                std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if meta.is_dir() {
                if !(prune && ignore::is_ignored(&patterns, &rel)) {
                    stack.push(path);
                }
                continue;
            }
            let bytes = meta.len();
            let content = (meta.is_file() && wants_content(&rel, bytes))
                .then(|| std::fs::read_to_string(&path).ok())
                .flatten();
            out.push(ProjectFile {
                path: rel,
                bytes,
                content,
            });
        }
    }
    Ok(out)
}

/// The estimate options for a project folder.
pub fn options(dir: &Path) -> Result<EstimateOptions, String> {
    read_project(dir).map(|files| project_options(&files))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stageplay::estimate::context::strip_dropped_folder;

    fn app(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../stageplay/tests/data/apps")
            .join(name)
    }

    /// Acceptance 5 of issue 19: `--context DIR` and the app's drop of the same folder give the
    /// same estimate. The drop is built as the app builds it: the browser lists the dropped
    /// folder's entries under its name (`/express/server.js`), in its own order, reads the text
    /// of the files `wants_content` names, and strips the folder name.
    #[test]
    fn context_dir_and_a_dropped_folder_give_the_same_estimate() {
        for name in ["fastapi", "express"] {
            let dir = app(name);
            let cli = options(&dir).expect("read");
            let mut dropped: Vec<ProjectFile> = read_project(&dir)
                .expect("read")
                .into_iter()
                .map(|f| ProjectFile {
                    path: format!("/{name}/{}", f.path),
                    ..f
                })
                .collect();
            dropped.reverse();
            let app_files: Vec<ProjectFile> = dropped
                .into_iter()
                .filter_map(|f| {
                    Some(ProjectFile {
                        path: strip_dropped_folder(&f.path)?,
                        ..f
                    })
                })
                .collect();
            let app = project_options(&app_files);
            assert_eq!(cli, app, "{name}");
            let text = std::fs::read_to_string(dir.join("Dockerfile")).expect("Dockerfile");
            let doc = stageplay::syntax::parse(&text);
            let model = stageplay::model::build(&doc, &Default::default());
            let (a, b) = (
                stageplay::estimate::estimate(&doc, &model, &cli),
                stageplay::estimate::estimate(&doc, &model, &app),
            );
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                serde_json::to_string(&b).unwrap()
            );
            assert!(cli.context_bytes.is_some_and(|b| b > 0));
        }
    }

    #[test]
    fn ignored_directories_are_not_listed() {
        let dir = std::env::temp_dir().join(format!("sp-context-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("node_modules/x")).unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join(".dockerignore"), "node_modules\n").unwrap();
        std::fs::write(dir.join("node_modules/x/index.js"), "x".repeat(5000)).unwrap();
        std::fs::write(dir.join("src/app.js"), "console.log(1)\n").unwrap();
        std::fs::write(dir.join("package.json"), "{\"dependencies\":{}}").unwrap();
        let opts = options(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let paths: Vec<&str> = opts.context_paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, [".dockerignore", "package.json", "src/app.js"]);
        assert_eq!(opts.context_files.len(), 2);
        assert!(options(Path::new("/nonexistent/dir")).is_err());
    }
}
