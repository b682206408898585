//! The final filesystem as a tree: directories sum their children; leaves carry provenance.

use super::size::Size;
use super::state::Entry;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileNode {
    pub name: String,
    pub path: String,
    pub bytes: u64,
    pub low_bytes: u64,
    pub high_bytes: u64,
    /// What wrote it: `stage N line L: what` (leaves only).
    pub origins: Vec<Origin>,
    /// Largest first.
    pub children: Vec<FileNode>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub stage: usize,
    pub line: u32,
    pub what: String,
}

pub fn build(entries: &[Entry]) -> FileNode {
    let mut root = FileNode {
        name: "/".into(),
        path: "/".into(),
        ..FileNode::default()
    };
    for e in entries {
        let mut node = &mut root;
        let mut path = String::new();
        for part in e.path.split('/').filter(|p| !p.is_empty()) {
            path.push('/');
            path.push_str(part);
            let pos = node.children.iter().position(|c| c.name == part);
            let idx = match pos {
                Some(i) => i,
                None => {
                    node.children.push(FileNode {
                        name: part.to_string(),
                        path: path.clone(),
                        ..FileNode::default()
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[idx];
        }
        node.origins.push(Origin {
            stage: e.stage,
            line: e.line,
            what: e.what.clone(),
        });
        node.bytes += e.size.bytes;
        node.low_bytes += e.size.low;
        node.high_bytes += e.size.high;
    }
    total(&mut root);
    root
}

fn total(node: &mut FileNode) -> Size {
    let mut sum = Size::new(node.bytes, node.low_bytes, node.high_bytes);
    for c in &mut node.children {
        sum += total(c);
    }
    crate::sort::sort_by(&mut node.children, |a, b| {
        b.bytes.cmp(&a.bytes).then(a.name.cmp(&b.name))
    });
    node.bytes = sum.bytes;
    node.low_bytes = sum.low;
    node.high_bytes = sum.high;
    sum
}
