//! Reading inputs: files or `-` for stdin, with clear errors.

use std::io::Read;

/// A Dockerfile read from disk or stdin.
pub struct Input {
    /// The path as given on the command line (`-` for stdin).
    pub name: String,
    pub text: String,
}

/// Reads every path; on failure prints `stageplay: cannot read PATH: reason` and returns `Err(2)`.
pub fn read_all(paths: &[String]) -> Result<Vec<Input>, i32> {
    if paths.is_empty() {
        eprintln!("stageplay: no input files (use - for stdin)");
        return Err(2);
    }
    paths.iter().map(|p| read_one(p)).collect()
}

pub fn read_one(path: &str) -> Result<Input, i32> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    };
    match bytes {
        Ok(bytes) => Ok(Input {
            name: path.to_string(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }),
        Err(err) => {
            eprintln!("stageplay: cannot read {path}: {err}");
            Err(2)
        }
    }
}

/// Splits comma-separated values given once or several times (`--only a,b --only c`).
pub fn comma_list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
