//! Reading the compiled-in TSV files into a [`Kb`]: tolerant, a malformed line is skipped and
//! counted.

use super::{
    ApkPackage, BaseImage, DebPackage, Kb, Suite, TagHistory, ToolSize, ALPINE_TSV, BASES_TSV,
    BASE_CLASSES_TSV, DEBIAN_SLIM_TSV, MB, TAG_HISTORY_TSV, TOOLCHAINS_TSV, TRIXIE_SLIM_TSV,
};
use std::collections::BTreeMap;

pub(super) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
}

fn mb(text: &str) -> Option<u64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(|v| (v * MB).round() as u64)
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty() && t != "-").then(|| t.to_string())
}

/// Parses a JSON string array like `["a","b"]` (the only JSON the data uses).
pub fn parse_json_array(text: &str) -> Option<Vec<String>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some('"') => {
                let mut item = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => item.push(chars.next()?),
                        c => item.push(c),
                    }
                }
                items.push(item);
            }
            Some(_) => return None,
        }
    }
    Some(items)
}

fn split_groups(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .filter(|g| !g.is_empty())
        .map(|g| {
            g.split('|')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

pub(super) fn parse_all() -> Kb {
    let mut kb = Kb::default();
    for (file, text, list) in [
        ("bases.tsv", BASES_TSV, &mut kb.bases),
        ("base-classes.tsv", BASE_CLASSES_TSV, &mut kb.classes),
    ] {
        for (i, line) in data_lines(text) {
            match parse_base(line) {
                Some(base) => list.push(base),
                None => kb.bad_lines.push(format!("{file}:{}", i + 1)),
            }
        }
    }
    for (text, list) in [
        (DEBIAN_SLIM_TSV, &mut kb.debian_slim),
        (TRIXIE_SLIM_TSV, &mut kb.trixie_slim),
    ] {
        for (_, line) in data_lines(text) {
            if let Some(name) = line.split('\t').next() {
                list.push(name.to_string());
            }
        }
    }
    for (i, line) in data_lines(TOOLCHAINS_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|v| mb(v)),
            f.get(2).and_then(|v| mb(v)),
            f.get(3).and_then(|v| mb(v)),
        ) {
            (Some(key), Some(bytes), Some(low), Some(high)) if f.len() == 6 => {
                kb.tools.insert(
                    key.to_string(),
                    ToolSize {
                        bytes,
                        low_bytes: low,
                        high_bytes: high,
                        date: f[4].to_string(),
                        source: f[5].to_string(),
                    },
                );
            }
            _ => kb.bad_lines.push(format!("toolchains.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(TAG_HISTORY_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|s| Suite::from_codename(s)),
            f.get(2),
            f.get(3).and_then(|s| Suite::from_codename(s)),
            f.get(4),
        ) {
            (Some(repo), Some(now), Some(since), Some(before), Some(source)) if f.len() == 5 => {
                kb.tag_history.push(TagHistory {
                    repo: repo.to_string(),
                    now,
                    since: since.to_string(),
                    before,
                    source: source.to_string(),
                })
            }
            _ => kb.bad_lines.push(format!("tag-history.tsv:{}", i + 1)),
        }
    }
    for (i, line) in data_lines(ALPINE_TSV) {
        let f: Vec<&str> = line.split('\t').collect();
        match (
            f.first(),
            f.get(1).and_then(|v| mb(v)),
            f.get(2).and_then(|v| mb(v)),
            f.get(3).and_then(|v| mb(v)),
        ) {
            (Some(name), Some(bytes), Some(low), Some(high)) => {
                let build_tool = f.get(4).is_some_and(|v| *v == "yes");
                kb.alpine.insert(
                    name.to_string(),
                    ApkPackage {
                        bytes,
                        low_bytes: low,
                        high_bytes: high,
                        build_tool,
                    },
                );
            }
            _ => kb.bad_lines.push(format!("alpine/packages.tsv:{}", i + 1)),
        }
    }
    kb
}

/// One generated Debian index file (`xtask/src/kb.rs` writes them). With `base`, the file lists
/// only what differs from the base suite: a package it does not list has the base's row, `=`
/// stands for the base's dependency lists, and the `@gone` line names the base's packages this
/// suite does not have.
pub(super) fn parse_debian(
    text: &str,
    file: &str,
    base: Option<&BTreeMap<String, DebPackage>>,
    bad: &mut Vec<String>,
) -> BTreeMap<String, DebPackage> {
    let mut index = base.cloned().unwrap_or_default();
    for (i, line) in data_lines(text) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.first() == Some(&"@gone") && base.is_some() {
            for name in f.get(1).unwrap_or(&"").split_whitespace() {
                index.remove(name);
            }
            continue;
        }
        let (Some(name), Some(kib)) = (f.first(), f.get(1).and_then(|k| k.parse::<u64>().ok()))
        else {
            bad.push(format!("{file}:{}", i + 1));
            continue;
        };
        let package = if f.get(2) == Some(&"=") {
            let Some(same) = base.and_then(|b| b.get(*name)) else {
                bad.push(format!("{file}:{}", i + 1));
                continue;
            };
            DebPackage {
                installed_kib: kib,
                ..same.clone()
            }
        } else {
            DebPackage {
                installed_kib: kib,
                depends: split_groups(f.get(2).unwrap_or(&"")),
                recommends: split_groups(f.get(3).unwrap_or(&"")),
            }
        };
        index.insert(name.to_string(), package);
    }
    index
}

fn parse_base(line: &str) -> Option<BaseImage> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 18 {
        return None;
    }
    let json = |text: &str| -> Option<Option<Vec<String>>> {
        match opt(text) {
            None => Some(None),
            Some(t) => parse_json_array(&t).map(Some),
        }
    };
    let env = opt(f[13])
        .map(|e| {
            e.split(';')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let files = opt(f[15])
        .map(|e| {
            e.split(',')
                .filter_map(|kv| kv.split_once('='))
                .filter_map(|(k, v)| Some((k.to_string(), mb(v)?)))
                .collect()
        })
        .unwrap_or_default();
    Some(BaseImage {
        name: f[0].to_string(),
        aliases: opt(f[1])
            .map(|a| a.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        bytes: mb(f[2])?,
        low_bytes: mb(f[3])?,
        high_bytes: mb(f[4])?,
        os: f[5].to_string(),
        libc: f[6].to_string(),
        shell: f[7].to_string(),
        package_manager: f[8].to_string(),
        user: f[9].to_string(),
        workdir: opt(f[10]),
        entrypoint: json(f[11])?,
        cmd: json(f[12])?,
        env,
        packages: opt(f[14]),
        files,
        build_tools: opt(f[16])
            .map(|t| t.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        source: f[17].to_string(),
    })
}
