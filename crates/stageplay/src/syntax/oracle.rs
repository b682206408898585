//! The parse result in the shape of the project's BuildKit oracle (`oracle.jsonl`).
//!
//! The oracle was dumped with the PyPI package `dockerfile` 3.4.0, which wraps BuildKit
//! v0.12.5's parser. This module reproduces that wrapper's view: ONBUILD reports its
//! trigger's keyword and values (and no heredocs), and strings stop at a NUL byte (they
//! pass through C strings).

use super::ast::{Dockerfile, Instruction};
use serde::Serialize;

/// One file's record: `{"file", "ok", "error"?, "instructions"?}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OracleRecord {
    pub file: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instructions: Option<Vec<OracleInstruction>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OracleInstruction {
    pub cmd: String,
    pub sub_cmd: Option<String>,
    pub json: bool,
    pub flags: Vec<String>,
    pub value: Vec<String>,
    pub start_line: u32,
    pub end_line: u32,
    pub heredocs: Vec<OracleHeredoc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OracleHeredoc {
    pub name: String,
    pub fd: u32,
    pub content: String,
}

/// The oracle record of a parsed file; `file` is left empty for the caller to fill.
pub fn to_oracle_json(file: &Dockerfile) -> OracleRecord {
    if let Some(index) = file.buildkit_error {
        let error = file
            .diagnostics
            .get(index)
            .map(|d| d.message.clone())
            .unwrap_or_default();
        return OracleRecord {
            file: String::new(),
            ok: false,
            error: Some(error),
            instructions: None,
        };
    }
    let instructions = file.instructions.iter().map(instruction).collect();
    OracleRecord {
        file: String::new(),
        ok: true,
        error: None,
        instructions: Some(instructions),
    }
}

/// A Go string handed to Python through `C.CString`: cut at the first NUL.
fn c_string(s: &str) -> String {
    s.split('\0').next().unwrap_or_default().to_string()
}

fn instruction(top: &Instruction) -> OracleInstruction {
    let flags = top.flags.iter().map(|f| c_string(&f.processed())).collect();
    let (sub_cmd, node) = match top.onbuild() {
        Some(inner) => (
            Some(c_string(inner.keyword_text())).filter(|s| !s.is_empty()),
            inner,
        ),
        None => (None, top),
    };
    // A nested ONBUILD node shows as one empty value (BuildKit's child-holding node).
    let value = if node.onbuild().is_some() && !std::ptr::eq(node, top) {
        vec![String::new()]
    } else {
        node.values().into_iter().map(c_string).collect()
    };
    let heredocs = if top.onbuild().is_some() {
        Vec::new()
    } else {
        top.heredocs()
            .iter()
            .map(|h| OracleHeredoc {
                name: c_string(&h.name),
                fd: h.fd,
                content: c_string(h.raw_content()),
            })
            .collect()
    };
    OracleInstruction {
        cmd: c_string(top.keyword_text()).to_uppercase(),
        sub_cmd,
        json: node.json,
        flags,
        value,
        start_line: top.start_line,
        end_line: top.end_line,
        heredocs,
    }
}
