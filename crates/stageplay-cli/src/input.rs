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

/// Splits `args` into flags (starting with `-` but not `-` alone) with their values, and positionals.
/// `with_value` lists the options that take a value (`--target T` or `--target=T`).
pub struct Parsed {
    pub switches: Vec<String>,
    pub values: Vec<(String, String)>,
    pub positionals: Vec<String>,
}

impl Parsed {
    pub fn has(&self, switch: &str) -> bool {
        self.switches.iter().any(|s| s == switch)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all_values(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

pub fn parse_args(args: &[String], with_value: &[&str]) -> Result<Parsed, i32> {
    let mut parsed = Parsed {
        switches: Vec::new(),
        values: Vec::new(),
        positionals: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-" || !arg.starts_with('-') {
            parsed.positionals.push(arg.clone());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if with_value.contains(&name.as_str()) {
            let value = match inline {
                Some(v) => v,
                None => match iter.next() {
                    Some(v) => v.clone(),
                    None => {
                        eprintln!("stageplay: {name} needs a value");
                        return Err(2);
                    }
                },
            };
            parsed.values.push((name, value));
        } else {
            parsed.switches.push(arg.clone());
        }
    }
    Ok(parsed)
}
