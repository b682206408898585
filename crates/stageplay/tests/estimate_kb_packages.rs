//! Issue 19, points 3 and 4: the measured tables the estimate reads for toolchains, build outputs
//! and dependency installs (`data/toolchains.tsv`, `data/npm/sizes.tsv`, `data/pypi/sizes.tsv`).
//! Each row is sourced and dated; a package's dependencies are all in the table, so the closure of
//! any set can be summed; and the per-package measurements add up to what a whole install measured.

use stageplay::estimate::kb::{kb, normalize_pypi, NPM_SIZES_TSV, PYPI_SIZES_TSV};

#[test]
fn toolchain_rows_are_dated_sourced_and_inside_their_range() {
    let kb = kb();
    assert!(kb.bad_lines().is_empty(), "{:?}", kb.bad_lines());
    assert!(kb.tools.len() >= 20, "{} rows", kb.tools.len());
    for (key, t) in &kb.tools {
        assert!(
            t.low_bytes <= t.bytes && t.bytes <= t.high_bytes && t.bytes > 0,
            "{key}: {} not in {}-{}",
            t.bytes,
            t.low_bytes,
            t.high_bytes
        );
        assert!(
            t.date.len() == 10 && t.date.starts_with("20"),
            "{key}: date {}",
            t.date
        );
        assert!(
            ["measured:", "derived:", "ESTIMATE:"]
                .iter()
                .any(|p| t.source.starts_with(p)),
            "{key}: {}",
            t.source
        );
    }
    // What the issue reported as missing from the estimate, now in the data.
    for key in [
        "rust:toolchain-minimal",
        "go:toolchain",
        "node:binary",
        "npm:cli",
        "java:maven",
        "cache:maven-repository",
        "output:go-binary",
        "output:rust-release-hello",
        "output:c-hello-static",
        "output:dotnet-self-contained",
    ] {
        assert!(kb.tools.contains_key(key), "missing {key}");
    }
    // The measured minimal Rust toolchain explains the gap between rust:1-slim and its Debian base.
    let rust = &kb.tools["rust:toolchain-minimal"];
    let slim = stageplay::estimate::bases::resolve("rust:1-slim-trixie")
        .base
        .unwrap();
    let debian = stageplay::estimate::bases::resolve("debian:trixie-slim")
        .base
        .unwrap();
    let gap = slim.bytes - debian.bytes;
    assert!(
        rust.bytes < gap && gap - rust.bytes < 250_000_000,
        "gap {gap}"
    );
}

#[test]
fn npm_rows_name_their_version_and_all_their_dependencies() {
    let kb = kb();
    let header: Vec<&str> = NPM_SIZES_TSV
        .lines()
        .filter(|l| l.starts_with('#'))
        .collect();
    assert!(
        header
            .iter()
            .any(|l| l.contains("Measured by `cargo xtask kb npm`") && l.contains("20")),
        "the table says when and how it was measured"
    );
    assert!(
        kb.npm_measured().len() >= 500,
        "{}",
        kb.npm_measured().len()
    );
    for (name, p) in kb.npm_measured() {
        assert!(!p.version.is_empty(), "{name}");
        for d in &p.deps {
            assert!(
                kb.npm_measured().contains_key(d),
                "{name} -> {d} not measured"
            );
        }
    }
    // The wanted list is covered: every name it lists was measured or is recorded as failed.
    let wanted = include_str!("../data/npm/wanted.txt");
    for name in wanted
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
    {
        let failed = header
            .iter()
            .any(|l| l.starts_with(&format!("# failed: {name}:")));
        assert!(
            kb.npm_measured().contains_key(name) || failed,
            "{name} neither measured nor recorded as failed"
        );
    }
}

/// The shared measurements of 2026-11-26 installed whole applications (`npm install --omit=dev`
/// in an empty project, node_modules measured as a whole). Summing this table's per-package rows
/// over the dependency closure must land near them: the closure counts each package once, as npm
/// hoists it.
#[test]
fn npm_closures_match_whole_installs() {
    let kb = kb();
    let measured = include_str!("../data/groundtruth/npm.tsv");
    let mut checked = 0;
    for line in measured.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(version), Some(whole)) = (
            f.first(),
            f.get(1),
            f.get(2).and_then(|v| v.parse::<f64>().ok()),
        ) else {
            continue;
        };
        // typescript was installed as a dev dependency there, prisma runs scripts that download
        // engines: the two installs are not comparable.
        if ["typescript", "prisma"].contains(name) {
            continue;
        }
        // Only the same release is comparable.
        match kb.npm_measured().get(*name) {
            Some(p) if p.version == *version => {}
            other => {
                println!(
                    "{name:16} not compared: measured {version} then, {:?} now",
                    other.map(|p| &p.version)
                );
                continue;
            }
        }
        let (bytes, count, missing) = kb.npm_closure(&[name]);
        let ratio = bytes as f64 / whole;
        println!(
            "{name:16} closure {:8.2} MB ({count} packages) vs whole install {:8.2} MB: x{ratio:.2} {missing:?}",
            bytes as f64 / 1e6,
            whole / 1e6
        );
        assert!(missing.is_empty(), "{name}: {missing:?}");
        assert!((0.75..=1.25).contains(&ratio), "{name}: x{ratio:.2}");
        checked += 1;
    }
    assert!(checked >= 6, "{checked} packages compared");
}

#[test]
fn pypi_rows_name_their_version_and_all_their_dependencies() {
    let kb = kb();
    let header: Vec<&str> = PYPI_SIZES_TSV
        .lines()
        .filter(|l| l.starts_with('#'))
        .collect();
    assert!(
        header
            .iter()
            .any(|l| l.contains("Measured by `cargo xtask kb pip`") && l.contains("20")),
        "the table says when and how it was measured"
    );
    assert!(
        kb.pypi_measured().len() >= 300,
        "{}",
        kb.pypi_measured().len()
    );
    for (name, p) in kb.pypi_measured() {
        assert!(!p.version.is_empty(), "{name}");
        assert!(p.installed_nopyc <= p.installed_pyc, "{name}");
        for d in &p.deps {
            assert!(
                kb.pypi_measured().contains_key(d),
                "{name} -> {d} not measured"
            );
        }
    }
    let wanted = include_str!("../data/pypi/wanted.txt");
    for spec in wanted
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
    {
        let name = normalize_pypi(spec);
        let failed = header.iter().any(|l| {
            l.strip_prefix("# failed: ")
                .and_then(|r| r.split(':').next())
                .is_some_and(|n| normalize_pypi(n.split("==").next().unwrap_or(n)) == name)
        });
        assert!(
            kb.pypi_measured().contains_key(&name) || failed,
            "{spec} neither measured nor recorded as failed"
        );
    }
}

/// The shared measurements of 2026-11-26 installed each package with its dependencies into one
/// directory (`data/groundtruth/pip.tsv`, CPython 3.11). The closure of this table's rows, each
/// distribution measured alone, must land near them when the release is the same.
#[test]
fn pypi_closures_match_whole_installs() {
    let kb = kb();
    let measured = include_str!("../data/groundtruth/pip.tsv");
    let mut checked = 0;
    for line in measured.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(version), Some(whole)) = (
            f.first(),
            f.get(1),
            f.get(7).and_then(|v| v.parse::<f64>().ok()),
        ) else {
            continue;
        };
        let key = normalize_pypi(name);
        let base = key.split('[').next().unwrap_or(&key).to_string();
        match kb.pypi_measured().get(&base) {
            Some(p) if p.version == *version => {}
            other => {
                println!(
                    "{name:20} not compared: measured {version} then, {:?} now",
                    other.map(|p| &p.version)
                );
                continue;
            }
        }
        let (bytes, count, missing) = kb.pypi_closure(&[name], true);
        let ratio = bytes as f64 / whole;
        println!(
            "{name:20} closure {:8.2} MB ({count} dists) vs whole install {:8.2} MB: x{ratio:.2} {missing:?}",
            bytes as f64 / 1e6,
            whole / 1e6
        );
        assert!(missing.is_empty(), "{name}: {missing:?}");
        assert!((0.8..=1.2).contains(&ratio), "{name}: x{ratio:.2}");
        checked += 1;
    }
    assert!(checked >= 6, "{checked} packages compared");
}

/// The version-step factor the estimate applies when a Debian suite lacks the version a file
/// names (`postgresql-17` on bookworm is sized as `postgresql-15`) is recomputed here from the
/// package data: every versioned family (`NAME-15`, `libllvm14`, `openjdk-17-jre-headless`) with
/// exactly one version in each of bookworm and trixie, different ones, both at least 1000 KiB.
#[test]
fn the_version_step_factor_is_what_the_debian_data_shows() {
    use std::collections::HashMap;
    type Families = HashMap<(String, String), Vec<(String, u64)>>;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/debian");
    let families = |file: &str| -> Families {
        let text = std::fs::read_to_string(dir.join(file)).expect("package data");
        let mut f = Families::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(name), Some(kib)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Ok(kib) = kib.parse::<u64>() else {
                continue;
            };
            // prefix, version (digits and dots, at least one digit), optional -suffix
            let Some(start) = name.find(|c: char| c.is_ascii_digit()) else {
                continue;
            };
            if start == 0 {
                continue;
            }
            let rest = &name[start..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(rest.len());
            let (version, suffix) = rest.split_at(end);
            if version.ends_with('.') || !(suffix.is_empty() || suffix.starts_with('-')) {
                continue;
            }
            if suffix.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            f.entry((name[..start].to_string(), suffix.to_string()))
                .or_default()
                .push((version.to_string(), kib));
        }
        f
    };
    let (old, new) = (
        families("bookworm-packages.tsv"),
        families("trixie-packages.tsv"),
    );
    let mut ratios: Vec<f64> = old
        .iter()
        .filter_map(|(k, o)| {
            let n = new.get(k)?;
            let ([(vo, so)], [(vn, sn)]) = (o.as_slice(), n.as_slice()) else {
                return None;
            };
            (vo != vn && *so >= 1000 && *sn >= 1000).then(|| *sn as f64 / *so as f64)
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let q = |p: f64| ratios[(p * (ratios.len() - 1) as f64) as usize];
    let (mid, low, high) = stageplay::estimate::run::VERSION_STEP;
    println!(
        "{} families: median ×{:.2}, p5 ×{:.2}, p95 ×{:.2}",
        ratios.len(),
        q(0.5),
        q(0.05),
        q(0.95)
    );
    assert!(ratios.len() >= 30, "{}", ratios.len());
    for (constant, measured) in [(mid, q(0.5)), (low, q(0.05)), (high, q(0.95))] {
        assert!(
            (constant - measured).abs() < 0.02,
            "{constant} vs {measured}"
        );
    }
}
