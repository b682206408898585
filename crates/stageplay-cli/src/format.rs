//! `stageplay format [--check] FILE...`: format Dockerfiles in place (the engine's
//! `ide::format`: keyword case and whitespace only; what BuildKit reads never changes).
//!
//! `-` reads stdin and writes the result to stdout. With `--check` nothing is written: the
//! files that would change are named on stdout. A file is replaced only whole: the result is
//! written to a temporary file in the same folder, which is then renamed over the original.
//!
//! Exit codes: 0 when every file is (or now is) formatted; 1 with `--check` when a file would
//! change; 2 on a usage error, an unreadable or non-UTF-8 file, a failed write, or a file the
//! formatter leaves alone because formatting it would change what BuildKit reads.

use stageplay::ide::format::{try_format, FormatOptions};
use std::io::{Read, Write};
use std::path::Path;

/// Format Dockerfiles: upper-case keywords, one space after the keyword and between flags,
/// continuation lines indented as a block, JSON arrays as ["a", "b"], no trailing whitespace, at
/// most one blank line in a row. Only whitespace and keyword case change.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Write nothing; list the files that would change and exit 1 if any.
    #[arg(long)]
    check: bool,
    /// Columns for continuation lines (0 leaves them as written).
    #[arg(long, value_name = "N", default_value_t = FormatOptions::default().indent_width,
          value_parser = clap::value_parser!(u32).range(0..=16))]
    indent_width: u32,
    /// Dockerfiles to format in place (`-` reads stdin and writes the result to stdout).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
}

/// What the command line asked for.
struct Request {
    check: bool,
    options: FormatOptions,
    files: Vec<String>,
}

pub fn run(args: &Args) -> i32 {
    let request = Request {
        check: args.check,
        options: FormatOptions {
            indent_width: args.indent_width,
            ..FormatOptions::default()
        },
        files: args.files.clone(),
    };
    let mut failed = false;
    let mut would_change = false;
    for file in &request.files {
        match format_one(file, &request) {
            Ok(changed) => would_change |= changed,
            Err(message) => {
                eprintln!("stageplay format: {message}");
                failed = true;
            }
        }
    }
    if failed {
        2
    } else if request.check && would_change {
        1
    } else {
        0
    }
}

/// Formats one file (or stdin); `Ok(true)` when it changed or would change.
fn format_one(file: &str, request: &Request) -> Result<bool, String> {
    let bytes = if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map(|_| buf)
            .map_err(|e| format!("cannot read stdin: {e}"))?
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{file} is not UTF-8 text; left unchanged"))?;
    let formatted = try_format(&text, &request.options)
        .map_err(|e| format!("{file} left unchanged: {}", e.message))?;
    let changed = formatted != text;
    if request.check {
        if changed {
            println!("would reformat {file}");
        }
        return Ok(changed);
    }
    if file == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(formatted.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write stdout: {e}"))?;
    } else if changed {
        write_whole(Path::new(file), formatted.as_bytes())
            .map_err(|e| format!("cannot write {file}: {e}; the file is unchanged"))?;
        eprintln!("formatted {file}");
    }
    Ok(changed)
}

/// Replaces `path` with `contents` without ever leaving it half-written: the contents go to a
/// temporary file in the same folder (same file system, so the rename is atomic), which keeps
/// the original's permissions and is then renamed over it. A temporary file already there is
/// never overwritten (another run may be writing it).
fn write_whole(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    // Through a symbolic link, the file it points to is replaced, not the link.
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = real.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("Dockerfile");
    let temp = dir.join(format!(".{name}.stageplay-format.tmp"));
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(std::io::Error::new(
                e.kind(),
                format!(
                    "{} exists (left by an interrupted run?); remove it",
                    temp.display()
                ),
            ))
        }
        Err(e) => return Err(e),
    };
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
