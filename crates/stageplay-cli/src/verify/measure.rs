//! Image size the way Docker reports it, for images in containers-storage (Podman, Buildah).
//!
//! Docker's image size (repo-info's "Virtual Size") is the sum over the image's layers of each
//! layer directory's size: every non-directory entry's `lstat` size, a hard-linked file once per
//! layer, whiteouts 0. containers-storage records each layer's tar-stream size instead ("diff-size",
//! which adds 512-byte headers and padding per file, ~5% on a Debian base), so the layers'
//! directories under `overlay/<id>/diff` are walked here.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// (bytes, layers) of image `id` (the full hex id) in the storage at `root`.
pub fn storage_image(root: &Path, id: &str) -> Result<(u64, usize), String> {
    let images = read_json(&root.join("overlay-images/images.json"))?;
    let top = images
        .as_array()
        .into_iter()
        .flatten()
        .find(|im| {
            im.get("id")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v == id || v.starts_with(id))
        })
        .and_then(|im| im.get("layer").and_then(|l| l.as_str()))
        .map(str::to_string);
    let Some(top) = top else {
        return Err(format!("image {id} not found in {}", root.display()));
    };
    let mut layers = read_json(&root.join("overlay-layers/layers.json"))?
        .as_array()
        .cloned()
        .unwrap_or_default();
    if let Ok(v) = read_json(&root.join("overlay-layers/volatile-layers.json")) {
        layers.extend(v.as_array().cloned().unwrap_or_default());
    }
    let parent_of = |lid: &str| -> Option<String> {
        layers
            .iter()
            .find(|l| l.get("id").and_then(|v| v.as_str()) == Some(lid))
            .and_then(|l| l.get("parent").and_then(|p| p.as_str()))
            .map(str::to_string)
    };
    let mut total = 0;
    let mut count = 0;
    let mut next = Some(top);
    while let Some(lid) = next {
        count += 1;
        total += dir_size(&root.join("overlay").join(&lid).join("diff"))?;
        next = parent_of(&lid);
        if count > 1000 {
            return Err("layer chain does not end".into());
        }
    }
    Ok((total, count))
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// Docker's `directory.Size`: lstat sizes of non-directories, hard links counted once.
pub fn dir_size(dir: &Path) -> Result<u64, String> {
    let mut seen = HashSet::new();
    let mut total = 0u64;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let meta = entry.metadata().map_err(|e| e.to_string())?; // lstat
            if meta.is_dir() {
                stack.push(entry.path());
                continue;
            }
            if meta.nlink() > 1 && !seen.insert(meta.ino()) {
                continue;
            }
            total += meta.size();
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_files_and_symlinks_once_per_inode_and_not_directories() {
        let dir = std::env::temp_dir().join(format!("sp-measure-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/b/f"), vec![0u8; 1000]).unwrap();
        std::fs::hard_link(dir.join("a/b/f"), dir.join("a/g")).unwrap();
        std::os::unix::fs::symlink("b/f", dir.join("a/link")).unwrap();
        std::fs::write(dir.join("h"), b"xyz").unwrap();
        assert_eq!(dir_size(&dir).unwrap(), 1000 + 3 + 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn walks_the_layer_chain_of_an_image() {
        let root = std::env::temp_dir().join(format!("sp-storage-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (id, bytes) in [("l1", 10usize), ("l2", 5)] {
            std::fs::create_dir_all(root.join("overlay").join(id).join("diff")).unwrap();
            std::fs::write(
                root.join("overlay").join(id).join("diff/f"),
                vec![1u8; bytes],
            )
            .unwrap();
        }
        std::fs::create_dir_all(root.join("overlay-images")).unwrap();
        std::fs::create_dir_all(root.join("overlay-layers")).unwrap();
        std::fs::write(
            root.join("overlay-images/images.json"),
            r#"[{"id":"abc123","layer":"l2"}]"#,
        )
        .unwrap();
        std::fs::write(
            root.join("overlay-layers/layers.json"),
            r#"[{"id":"l1"},{"id":"l2","parent":"l1"}]"#,
        )
        .unwrap();
        assert_eq!(storage_image(&root, "abc").unwrap(), (15, 2));
        assert!(storage_image(&root, "zzz").is_err());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
