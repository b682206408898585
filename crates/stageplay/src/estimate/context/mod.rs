//! The user's project as the estimate reads it: the build context's files after `.dockerignore`
//! (their sizes size `COPY`), and the dependency files whose contents size the install layers.
//!
//! The CLI (`stageplay estimate --context DIR`) and the app (a project folder dropped on the
//! Image pane) both list the folder as [`ProjectFile`]s, reading the text of the files
//! [`wants_content`] names only, and call [`project_options`]: the same project gives the same
//! options, whoever read it. Nothing is read here: the engine does no IO.

pub mod deps;
pub mod ignore;

use super::{ContextFile, ContextPath, EstimateOptions};

/// One file of the user's project.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProjectFile {
    /// The path relative to the project folder, `/`-separated (`src/main.py`); see
    /// [`relative_path`].
    pub path: String,
    pub bytes: u64,
    /// The text of a file [`wants_content`] names (`None` for the others, or when it could not
    /// be read as UTF-8).
    pub content: Option<String>,
}

/// A dependency file larger than this is not read (its size still counts).
pub const MAX_CONTENT_BYTES: u64 = 8_000_000;

/// The file names whose text the estimate reads: `.dockerignore` and the dependency files of
/// pip, uv, Poetry, npm, pnpm, Yarn, Go, Cargo and Maven.
pub const DEPENDENCY_FILES: &[&str] = &[
    ".dockerignore",
    "requirements.txt",
    "pyproject.toml",
    "uv.lock",
    "poetry.lock",
    "package.json",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "go.mod",
    "Cargo.lock",
    "pom.xml",
];

/// True when the estimate reads this file's text: a name of [`DEPENDENCY_FILES`] or a
/// requirements file (`requirements-dev.txt`, `requirements/base.txt`), not inside
/// `node_modules` or `.git`, and at most [`MAX_CONTENT_BYTES`].
pub fn wants_content(path: &str, bytes: u64) -> bool {
    let Some(path) = relative_path(path) else {
        return false;
    };
    if bytes > MAX_CONTENT_BYTES || path.split('/').any(|p| p == "node_modules" || p == ".git") {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(&path);
    DEPENDENCY_FILES.contains(&name)
        || (name.ends_with(".txt")
            && (name.starts_with("requirements") || path.starts_with("requirements/")))
}

/// A path as the context knows it: `/`-separated, relative, without `.`, empty or `..`
/// segments (`./src//app.py` → `src/app.py`, `C:\p\a` → `C:/p/a`). `None` for the context's
/// root itself or a path that leaves it.
pub fn relative_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// A path under a dropped folder (the browser's `/myproject/src/app.py`) relative to that
/// folder (`src/app.py`).
pub fn strip_dropped_folder(full_path: &str) -> Option<String> {
    let rel = relative_path(full_path)?;
    rel.split_once('/').map(|(_, rest)| rest.to_string())
}

/// The estimate options for a project folder: its `.dockerignore` (at the root), the files it
/// sends as the build context (their total and each path's size) and the text of its
/// dependency files. Paths are normalized, order does not matter, a path listed twice counts
/// once.
pub fn project_options(files: &[ProjectFile]) -> EstimateOptions {
    let mut listed: Vec<(String, &ProjectFile)> = files
        .iter()
        .filter_map(|f| relative_path(&f.path).map(|p| (p, f)))
        .collect();
    crate::sort::sort_by(&mut listed, |a, b| a.0.cmp(&b.0));
    listed.dedup_by(|a, b| a.0 == b.0);
    let dockerignore = listed
        .iter()
        .find(|(p, _)| p == ".dockerignore")
        .and_then(|(_, f)| f.content.clone());
    let patterns = dockerignore
        .as_deref()
        .map(ignore::patterns)
        .unwrap_or_default();
    let mut opts = EstimateOptions {
        dockerignore,
        ..EstimateOptions::default()
    };
    let mut total = 0u64;
    for (path, f) in listed {
        if ignore::is_ignored(&patterns, &path) {
            continue;
        }
        total = total.saturating_add(f.bytes);
        if let Some(content) = f.content.as_ref().filter(|_| wants_content(&path, f.bytes)) {
            opts.context_files.push(ContextFile {
                path: path.clone(),
                content: content.clone(),
            });
        }
        opts.context_paths.push(ContextPath {
            path,
            bytes: f.bytes,
        });
    }
    opts.context_bytes = Some(total);
    opts
}

/// The options for a project folder (if any) plus dependency files the user pasted or dropped
/// one by one: a pasted file replaces the folder's file of the same path. `None` when there is
/// neither.
pub fn with_pasted(
    folder: Option<&EstimateOptions>,
    pasted: &[ContextFile],
) -> Option<EstimateOptions> {
    if folder.is_none() && pasted.is_empty() {
        return None;
    }
    let mut opts = folder.cloned().unwrap_or_default();
    for f in pasted {
        let path = relative_path(&f.path).unwrap_or_else(|| f.path.clone());
        opts.context_files.retain(|c| c.path != path);
        opts.context_files.push(ContextFile {
            path,
            content: f.content.clone(),
        });
    }
    Some(opts)
}

/// The context file a Dockerfile names (`requirements.txt`, `./app/package.json`): that path,
/// else the file of that name nearest the context's root (the estimate does not know which
/// folder the Dockerfile copied it from).
pub fn find_file<'a>(opts: &'a EstimateOptions, path: &str) -> Option<&'a ContextFile> {
    let wanted = relative_path(path)?;
    let name = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
    opts.context_files
        .iter()
        .find(|f| relative_path(&f.path).as_deref() == Some(wanted.as_str()))
        .or_else(|| {
            opts.context_files
                .iter()
                .filter(|f| f.path.rsplit(['/', '\\']).next() == Some(name.as_str()))
                .min_by_key(|f| (f.path.matches('/').count(), f.path.len()))
        })
}

/// The first context file with one of these names (nearest the root), for a tool that reads
/// its manifest from the working directory (`npm ci` reads package-lock.json).
pub fn find_named<'a>(opts: &'a EstimateOptions, names: &[&str]) -> Option<&'a ContextFile> {
    names.iter().find_map(|n| find_file(opts, n))
}

/// What a COPY source matches in the listed context: (bytes, files). `None` when no listing was
/// given. A directory counts everything below it; `*`, `?` and `[…]` match per path segment as
/// BuildKit's COPY does, a matched directory with its contents.
pub fn listed_size(opts: &EstimateOptions, src: &str) -> Option<(u64, usize)> {
    if opts.context_paths.is_empty() {
        return None;
    }
    let all = opts.context_paths.iter();
    let Some(wanted) = relative_path(src) else {
        // `.`, `./`, `/`: the whole context.
        return Some(all.fold((0, 0), |(b, n), p| (b + p.bytes, n + 1)));
    };
    let globbed = wanted.contains(['*', '?', '[']);
    let matches = |path: &str| {
        if globbed {
            let mut prefix = String::new();
            path.split('/').any(|part| {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                crate::syntax::glob::path_matches(&wanted, &prefix)
            })
        } else {
            super::state::is_at_or_below(path, &wanted)
        }
    };
    Some(
        all.filter(|p| matches(&p.path))
            .fold((0, 0), |(b, n), p| (b + p.bytes, n + 1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, bytes: u64, content: Option<&str>) -> ProjectFile {
        ProjectFile {
            path: path.into(),
            bytes,
            content: content.map(str::to_string),
        }
    }

    #[test]
    fn paths_are_normalized_and_kept_inside() {
        assert_eq!(
            relative_path("./src//app.py").as_deref(),
            Some("src/app.py")
        );
        assert_eq!(relative_path("a\\b").as_deref(), Some("a/b"));
        assert_eq!(relative_path("."), None);
        assert_eq!(relative_path("../x"), None);
        assert_eq!(
            strip_dropped_folder("/proj/src/a.py").as_deref(),
            Some("src/a.py")
        );
        assert_eq!(strip_dropped_folder("/proj"), None);
    }

    #[test]
    fn dockerignore_applies_and_order_does_not_matter() {
        let files = vec![
            file("app/main.py", 1000, None),
            file(".dockerignore", 20, Some(".git\n*.log\n")),
            file(".git/HEAD", 50, None),
            file("debug.log", 5000, None),
            file("requirements.txt", 16, Some("fastapi\nuvicorn\n")),
        ];
        let a = project_options(&files);
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(a, project_options(&reversed));
        assert_eq!(a.context_bytes, Some(1000 + 20 + 16));
        assert_eq!(a.context_paths.len(), 3);
        assert_eq!(a.context_files.len(), 2);
        assert_eq!(listed_size(&a, "app"), Some((1000, 1)));
        assert_eq!(listed_size(&a, "./app/"), Some((1000, 1)));
        assert_eq!(listed_size(&a, "*.txt"), Some((16, 1)));
        assert_eq!(listed_size(&a, "."), Some((1036, 3)));
        assert_eq!(listed_size(&a, "missing"), Some((0, 0)));
        assert_eq!(
            find_file(&a, "requirements.txt").map(|f| f.content.as_str()),
            Some("fastapi\nuvicorn\n")
        );
    }

    #[test]
    fn pasted_files_replace_the_folders() {
        let folder = project_options(&[file("requirements.txt", 8, Some("flask\n"))]);
        let pasted = [ContextFile {
            path: "./requirements.txt".into(),
            content: "fastapi\n".into(),
        }];
        let merged = with_pasted(Some(&folder), &pasted).unwrap();
        assert_eq!(merged.context_files.len(), 1);
        assert_eq!(merged.context_files[0].content, "fastapi\n");
        assert_eq!(merged.context_paths, folder.context_paths);
        assert_eq!(with_pasted(None, &[]), None);
        assert_eq!(with_pasted(None, &pasted).unwrap().context_paths, vec![]);
    }

    #[test]
    fn only_dependency_files_are_read() {
        assert!(wants_content("package-lock.json", 10));
        assert!(wants_content("requirements/dev.txt", 10));
        assert!(wants_content("requirements-dev.txt", 10));
        assert!(!wants_content("node_modules/x/package.json", 10));
        assert!(!wants_content("notes.txt", 10));
        assert!(!wants_content("package.json", MAX_CONTENT_BYTES + 1));
    }
}
