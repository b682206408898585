//! `cargo xtask kb`: generates the package data the image estimate reads.
//!
//! `cargo xtask kb [debian]` — Debian package metadata for bookworm and trixie. Each suite's Packages
//! indexes (main + updates + security; later ones override earlier ones for the same package) are
//! fetched with the machine's apt into a state directory of their own (`target/kb-apt/<suite>`, a
//! separate sources list built from the mirrors the host's `/etc/apt/sources.list.d` names), so the
//! host's package lists and installed packages are left as they are. `--lists DIR` reads
//! already-fetched indexes from DIR instead. Seeds: `crates/stageplay/data/debian/seeds.txt`
//! (packages Dockerfiles commonly install, plus the packages of the base images); a seed the suite
//! does not have under that name is resolved through the packages that provide it (trixie's `t64`
//! libraries provide their bookworm names). Output: `crates/stageplay/data/debian/<suite>-packages.tsv`
//! with every seed and its dependency closure over Depends, Pre-Depends and Recommends; trixie's
//! file is written as its difference from bookworm's (see `write_index`).
//!
//! Format, one package a line: `name<TAB>installed_kib<TAB>depends<TAB>recommends`;
//! groups are separated by `,`, alternatives by `|`; virtual packages are replaced by their providers;
//! version constraints and `:any` qualifiers are dropped.
//!
//! `cargo xtask kb pip` / `cargo xtask kb npm` — installed sizes of PyPI and npm packages, measured
//! with this machine's pip and npm by `xtask/scripts/pip_sizes.py` and `xtask/scripts/npm_sizes.mjs`
//! (their headers say how) for the lists in `crates/stageplay/data/{pypi,npm}/wanted.txt`. Output:
//! `crates/stageplay/data/{pypi,npm}/sizes.tsv`, headed by the date and the tool versions.
//! `cargo xtask kb all` runs the three.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

const SEEDS: &str = "crates/stageplay/data/debian/seeds.txt";
const SUITES: [&str; 2] = ["bookworm", "trixie"];
const HOST_SOURCES: &str = "/etc/apt/sources.list.d";

struct Package {
    installed_kib: u64,
    depends: Vec<Vec<String>>,
    recommends: Vec<Vec<String>>,
    provides: Vec<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let what = args
        .iter()
        .find(|a| !a.starts_with("--") && crate::option_value(args, "--lists").as_ref() != Some(a))
        .map(String::as_str);
    match what {
        None | Some("debian") => debian(args),
        Some("pip") => measured("pip"),
        Some("npm") => measured("npm"),
        Some("all") => debian(args)
            .and_then(|_| measured("pip"))
            .and_then(|_| measured("npm")),
        Some(other) => Err(format!(
            "kb: unknown part '{other}' (expected debian, pip, npm or all)"
        )),
    }
}

fn debian(args: &[String]) -> Result<(), String> {
    let given = crate::option_value(args, "--lists");
    let mut generated = Vec::new();
    for suite in SUITES {
        let lists = match &given {
            Some(dir) => PathBuf::from(dir),
            None => fetch_lists(suite)?,
        };
        generated.push(generate(suite, &lists)?);
    }
    // The first suite (bookworm) is written in full; the others as what differs from it, which
    // keeps the compiled-in data small (most packages and dependency lists are the same).
    let (first, rest) = generated.split_first().ok_or("no suite")?;
    write_index(first, None)?;
    for other in rest {
        write_index(other, Some(first))?;
    }
    Ok(())
}

/// One suite's generated index: its header comment lines and its rows by package name
/// (`installed_kib`, `depends`, `recommends`).
struct Generated {
    suite: &'static str,
    header: String,
    rows: BTreeMap<String, (u64, String, String)>,
    missing: usize,
}

/// Writes `data/debian/<suite>-packages.tsv`: every row, or (with `base`) only the rows that
/// differ from the base suite's, `=` for a dependency list equal to the base's, and one
/// `@gone` line naming the base's packages this suite does not have.
fn write_index(g: &Generated, base: Option<&Generated>) -> Result<(), String> {
    let output = format!("crates/stageplay/data/debian/{}-packages.tsv", g.suite);
    let mut out = g.header.clone();
    let mut written = 0;
    if let Some(base) = base {
        out.push_str(&format!(
            "# Written as a difference from {}-packages.tsv: a package not listed here has the same row as there;\n\
             # `=` stands for the same depends and recommends; the @gone line names that file's packages this suite lacks.\n",
            base.suite
        ));
    }
    out.push_str("# name\tinstalled_kib\tdepends\trecommends\n");
    for (name, (kib, deps, recs)) in &g.rows {
        let line = match base.and_then(|b| b.rows.get(name)) {
            Some((bkib, bdeps, brecs)) if bdeps == deps && brecs == recs => {
                if bkib == kib {
                    continue;
                }
                format!("{name}\t{kib}\t=\n")
            }
            _ => format!("{name}\t{kib}\t{deps}\t{recs}\n"),
        };
        written += 1;
        out.push_str(&line);
    }
    if let Some(base) = base {
        let gone: Vec<&str> = base
            .rows
            .keys()
            .filter(|n| !g.rows.contains_key(*n))
            .map(String::as_str)
            .collect();
        out.push_str(&format!("@gone\t{}\n", gone.join(" ")));
    }
    std::fs::write(&output, &out).map_err(|e| format!("cannot write {output}: {e}"))?;
    println!(
        "kb: wrote {output}: {} packages ({written} rows written), {} bytes, {} seeds missing",
        g.rows.len(),
        out.len(),
        g.missing
    );
    Ok(())
}

/// Fetches `suite`'s Packages indexes with apt into `target/kb-apt/<suite>` (its own sources list,
/// lists and cache directories: nothing of the host's apt state is read or changed).
fn fetch_lists(suite: &str) -> Result<PathBuf, String> {
    let (main, security) = host_mirrors()?;
    let root = PathBuf::from("target/kb-apt").join(suite);
    let lists = root.join("lists");
    let cache = root.join("cache");
    for dir in [lists.join("partial"), cache.join("archives/partial")] {
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let sources = root.join(format!("{suite}.sources"));
    let keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    let text = format!(
        "Types: deb\nURIs: {main}\nSuites: {suite} {suite}-updates\nComponents: main\nSigned-By: {keyring}\n\n\
         Types: deb\nURIs: {security}\nSuites: {suite}-security\nComponents: main\nSigned-By: {keyring}\n"
    );
    std::fs::write(&sources, text)
        .map_err(|e| format!("cannot write {}: {e}", sources.display()))?;
    let abs = |p: &Path| -> String {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .to_string_lossy()
            .into_owned()
    };
    println!("kb: apt-get update for {suite} into {}", root.display());
    let status = Command::new("apt-get")
        .arg("update")
        .arg("-q")
        .arg(format!("-o=Dir::Etc::sourcelist={}", abs(&sources)))
        .arg("-o=Dir::Etc::sourceparts=/nonexistent")
        .arg(format!("-o=Dir::State::Lists={}", abs(&lists)))
        .arg(format!("-o=Dir::Cache={}", abs(&cache)))
        .arg("-o=APT::Get::List-Cleanup=0")
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if !status.success() {
        return Err(format!("apt-get update for {suite} failed ({status})"));
    }
    Ok(lists)
}

/// The Debian and Debian-security mirrors the host's apt sources name (`URIs:` of deb822 files or
/// the URL of one-line `deb` entries).
fn host_mirrors() -> Result<(String, String), String> {
    let mut uris = Vec::new();
    let entries =
        std::fs::read_dir(HOST_SOURCES).map_err(|e| format!("cannot list {HOST_SOURCES}: {e}"))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !(name.ends_with(".sources") || name.ends_with(".list")) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text.lines().map(str::trim) {
            if let Some(rest) = line.strip_prefix("URIs:") {
                uris.extend(rest.split_whitespace().map(str::to_string));
            } else if let Some(rest) = line.strip_prefix("deb ") {
                if let Some(url) = rest.split_whitespace().find(|w| w.contains("://")) {
                    uris.push(url.to_string());
                }
            }
        }
    }
    let main = uris
        .iter()
        .find(|u| u.trim_end_matches('/').ends_with("/debian"))
        .cloned();
    let security = uris
        .iter()
        .find(|u| u.trim_end_matches('/').ends_with("/debian-security"))
        .cloned();
    match (main, security) {
        (Some(m), Some(s)) => Ok((m, s)),
        _ => Err(format!(
            "no Debian and Debian-security mirrors in {HOST_SOURCES}; pass --lists DIR with fetched indexes"
        )),
    }
}

/// `cargo xtask kb pip|npm`: runs the measuring script and writes its table under a header.
fn measured(tool: &str) -> Result<(), String> {
    let (script, interpreter, dir, versions): (&str, &str, &str, &[&[&str]]) = match tool {
        "pip" => (
            "xtask/scripts/pip_sizes.py",
            "python3",
            "crates/stageplay/data/pypi",
            &[
                &["python3", "--version"],
                &["python3", "-m", "pip", "--version"],
            ],
        ),
        _ => (
            "xtask/scripts/npm_sizes.mjs",
            "node",
            "crates/stageplay/data/npm",
            &[&["node", "--version"], &["npm", "--version"]],
        ),
    };
    let wanted = format!("{dir}/wanted.txt");
    let output = format!("{dir}/sizes.tsv");
    println!("kb: measuring every package of {wanted} with {tool} (this takes a while)");
    let run = Command::new(interpreter)
        .args([script, &wanted])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {interpreter} {script}: {e}"))?;
    if !run.status.success() {
        return Err(format!("{script} failed ({})", run.status));
    }
    let mut tools = Vec::new();
    for cmd in versions {
        let out = Command::new(cmd[0])
            .args(&cmd[1..])
            .output()
            .map_err(|e| format!("cannot run {}: {e}", cmd[0]))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or("").trim();
        let first = first.split(" from ").next().unwrap_or(first);
        tools.push(format!("{} {first}", cmd.join(" ")));
    }
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&run.stdout);
    let rows = body.lines().filter(|l| !l.starts_with('#')).count();
    let mut out = format!(
        "# Installed sizes of {tool} packages for Stageplay's image estimate (bytes, 10^0).\n\
         # Measured by `cargo xtask kb {tool}` ({script}; its header says how) on {date}, linux x86_64,\n\
         # with: {}.\n# Packages: {wanted}.\n",
        tools.join("; ")
    );
    out.push_str(&body);
    std::fs::write(&output, out).map_err(|e| format!("cannot write {output}: {e}"))?;
    println!("kb: wrote {output}: {rows} packages");
    Ok(())
}

fn generate(suite: &'static str, lists: &Path) -> Result<Generated, String> {
    let mut indexes = find_indexes(lists, suite)?;
    // Main first, then updates, then security: later entries override earlier ones.
    indexes.sort_by_key(|p| {
        let name = p.to_string_lossy().to_string();
        if name.contains("security") {
            2
        } else if name.contains("updates") {
            1
        } else {
            0
        }
    });
    let mut packages: BTreeMap<String, Package> = BTreeMap::new();
    let mut sources = Vec::new();
    for index in &indexes {
        let text = read_index(index)?;
        let count = parse_index(&text, &mut packages);
        sources.push(format!(
            "{} ({count} packages)",
            index
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
    }
    if packages.is_empty() {
        return Err(format!("no packages found in {}", lists.display()));
    }
    let mut providers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, package) in &packages {
        for virtual_name in &package.provides {
            providers
                .entry(virtual_name.clone())
                .or_default()
                .push(name.clone());
        }
    }

    let seeds_text =
        std::fs::read_to_string(SEEDS).map_err(|e| format!("cannot read {SEEDS}: {e}"))?;
    let seeds: Vec<String> = seeds_text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();

    // Closure over depends + recommends, every alternative and provider included so that the
    // engine can resolve alternatives the way apt does against what is already installed.
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    // Seeds this suite has only as a name other packages provide (trixie's `libssl3t64` provides
    // bookworm's `libssl3`): written as rows of size 0 that depend on the provider, so a lookup by
    // the old name finds what apt would install.
    let mut virtual_seeds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut queue: Vec<String> = seeds.clone();
    while let Some(name) = queue.pop() {
        if wanted.contains(&name) {
            continue;
        }
        let Some(package) = packages.get(&name) else {
            if let Some(provs) = providers.get(&name) {
                if seeds.contains(&name) {
                    virtual_seeds.insert(name.clone(), provs.clone());
                }
                queue.extend(provs.iter().cloned());
            } else {
                missing.insert(name);
            }
            continue;
        };
        wanted.insert(name.clone());
        for group in package.depends.iter().chain(package.recommends.iter()) {
            // Only the first alternative (and its providers) is followed: that is apt's default choice.
            if let Some(first) = group.first() {
                queue.push(first.clone());
            }
        }
    }

    let mut out = String::new();
    out.push_str(&format!(
        "# Debian {suite} (amd64) package metadata for Stageplay's image estimate.\n"
    ));
    out.push_str(&format!(
        "# Generated by `cargo xtask kb` from the apt Packages indexes of {}:\n",
        release_date(lists, suite)
    ));
    for source in &sources {
        out.push_str(&format!("#   {source}\n"));
    }
    out.push_str(&format!(
        "# Seeds: {SEEDS} ({} names); closure over Depends, Pre-Depends, Recommends (first alternative).\n",
        seeds.len()
    ));
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        out.push_str(&format!(
            "# Not in the index (kept as missing): {}\n",
            list.join(" ")
        ));
    }
    if !virtual_seeds.is_empty() {
        out.push_str(&format!(
            "# Seeds that are only provided by other packages here ({}): rows of size 0 that depend on the providers.\n",
            virtual_seeds.len()
        ));
    }
    let mut rows: BTreeMap<String, (u64, String, String)> = virtual_seeds
        .iter()
        .filter(|(name, _)| !wanted.contains(*name))
        .map(|(name, provs)| (name.clone(), (0, provs.join("|"), String::new())))
        .collect();
    for name in &wanted {
        let Some(package) = packages.get(name) else {
            continue;
        };
        let resolve = |groups: &[Vec<String>]| -> String {
            groups
                .iter()
                .map(|group| {
                    let mut alts: Vec<String> = Vec::new();
                    for alt in group {
                        if packages.contains_key(alt) {
                            alts.push(alt.clone());
                        } else if let Some(provs) = providers.get(alt) {
                            alts.extend(provs.iter().cloned());
                        } else {
                            alts.push(alt.clone());
                        }
                    }
                    alts.dedup();
                    alts.join("|")
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        rows.insert(
            name.clone(),
            (
                package.installed_kib,
                resolve(&package.depends),
                resolve(&package.recommends),
            ),
        );
    }
    Ok(Generated {
        suite,
        header: out,
        rows,
        missing: missing.len(),
    })
}

/// The `Date:` of the suite's InRelease file (when the index was published), or "an unknown date".
fn release_date(lists: &Path, suite: &str) -> String {
    let date = std::fs::read_dir(lists).ok().and_then(|entries| {
        entries.flatten().find_map(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            if !name.ends_with(&format!("_dists_{suite}_InRelease")) {
                return None;
            }
            let text = std::fs::read_to_string(entry.path()).ok()?;
            text.lines()
                .find_map(|l| l.strip_prefix("Date:").map(|d| d.trim().to_string()))
        })
    });
    date.unwrap_or_else(|| "an unknown date".to_string())
}

fn find_indexes(dir: &Path, suite: &str) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let of_suite = [
            format!("_dists_{suite}_"),
            format!("_dists_{suite}-updates_"),
            format!("_dists_{suite}-security_"),
        ]
        .iter()
        .any(|part| name.contains(part.as_str()));
        if of_suite && name.contains("binary-amd64_Packages") {
            found.push(entry.path());
        }
    }
    if found.is_empty() {
        return Err(format!("no {suite} Packages index in {}", dir.display()));
    }
    Ok(found)
}

fn read_index(path: &Path) -> Result<String, String> {
    let name = path.to_string_lossy();
    if name.ends_with(".lz4") {
        let output = Command::new("lz4")
            .args(["-dc", &name])
            .output()
            .map_err(|e| format!("cannot run lz4 for {name}: {e} (install the lz4 package)"))?;
        if !output.status.success() {
            return Err(format!("lz4 failed on {name}"));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else if name.ends_with("_Packages") {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))
    } else {
        Err(format!("unsupported index compression: {name}"))
    }
}

fn parse_index(text: &str, packages: &mut BTreeMap<String, Package>) -> usize {
    let mut count = 0;
    for stanza in text.split("\n\n") {
        let mut fields: BTreeMap<&str, String> = BTreeMap::new();
        let mut last: Option<&str> = None;
        for line in stanza.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(key) = last {
                    if let Some(value) = fields.get_mut(key) {
                        value.push(' ');
                        value.push_str(line.trim());
                    }
                }
                continue;
            }
            if let Some((key, value)) = line.split_once(':') {
                fields.insert(key, value.trim().to_string());
                last = Some(key);
            }
        }
        let Some(name) = fields.get("Package").cloned() else {
            continue;
        };
        let installed_kib = fields
            .get("Installed-Size")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut depends =
            parse_relations(fields.get("Pre-Depends").map(String::as_str).unwrap_or(""));
        depends.extend(parse_relations(
            fields.get("Depends").map(String::as_str).unwrap_or(""),
        ));
        let recommends =
            parse_relations(fields.get("Recommends").map(String::as_str).unwrap_or(""));
        let provides = parse_relations(fields.get("Provides").map(String::as_str).unwrap_or(""))
            .into_iter()
            .flatten()
            .collect();
        packages.insert(
            name,
            Package {
                installed_kib,
                depends,
                recommends,
                provides,
            },
        );
        count += 1;
    }
    count
}

/// `a (>= 1), b:any | c` → `[[a], [b, c]]`.
fn parse_relations(text: &str) -> Vec<Vec<String>> {
    text.split(',')
        .map(|group| {
            group
                .split('|')
                .filter_map(|alt| {
                    let name = alt.trim().split([' ', '(', '[']).next().unwrap_or("");
                    let name = name.split(':').next().unwrap_or("");
                    (!name.is_empty()).then(|| name.to_string())
                })
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}
