//! The knowledge base's share of the browser bundle: the raw bytes of every data file the engine
//! compiles in with `include_str!`, and their compressed size, checked against a budget.
//!
//! Budget: issue 5 sets the goal "the knowledge base's share of the gzip bundle ≤ 150 KB" (issue 19
//! keeps it); the whole bundle's goal is 350 KB gzip, so the data may not take more than that share.
//! The compressed size is measured with miniz_oxide's zlib-compatible DEFLATE at level 9, what
//! `gzip -9` does, plus gzip's 18-byte header and trailer; the stream is decoded again and compared.
//!
//! Run with `cargo test -p stageplay --test estimate_kb_size -- --nocapture` to see the table.

use stageplay::estimate::kb;

/// Every data file `estimate/kb/mod.rs` compiles in, with the path it is read from.
const FILES: &[(&str, &str)] = &[
    ("data/bases.tsv", kb::BASES_TSV),
    ("data/debian/bookworm-packages.tsv", kb::DEBIAN_TSV),
    (
        "data/groundtruth/base_slim_packages.tsv",
        kb::DEBIAN_SLIM_TSV,
    ),
    ("data/debian/trixie-packages.tsv", kb::TRIXIE_TSV),
    ("data/debian/trixie-slim-packages.tsv", kb::TRIXIE_SLIM_TSV),
    ("data/tag-history.tsv", kb::TAG_HISTORY_TSV),
    ("data/base-classes.tsv", kb::BASE_CLASSES_TSV),
    ("data/toolchains.tsv", kb::TOOLCHAINS_TSV),
    ("data/npm/sizes.tsv", kb::NPM_SIZES_TSV),
    ("data/pypi/sizes.tsv", kb::PYPI_SIZES_TSV),
    ("data/alpine/packages.tsv", kb::ALPINE_TSV),
];

/// The goal for the knowledge base's share of the gzip bundle.
const GZIP_BUDGET: usize = 150_000;

/// gzip's header (10 bytes) and trailer (CRC-32 and length, 8 bytes) around the DEFLATE stream.
const GZIP_OVERHEAD: usize = 18;

#[test]
fn every_compiled_in_data_file_is_listed() {
    let source = include_str!("../src/estimate/kb/mod.rs");
    let included: Vec<&str> = source
        .match_indices("include_str!(\"../../../")
        .filter_map(|(i, m)| source[i + m.len()..].split('"').next())
        .collect();
    let listed: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        included, listed,
        "estimate/kb/mod.rs compiles in other data files than this test measures"
    );
}

#[test]
fn knowledge_base_stays_within_its_share_of_the_gzip_bundle() {
    println!(
        "{:<42} {:>10} {:>12}",
        "data file (compiled in)", "raw bytes", "deflate -9"
    );
    let mut raw_total = 0;
    let mut all = String::new();
    for (path, text) in FILES {
        let packed = deflate(text.as_bytes());
        assert_eq!(inflate(&packed), text.as_bytes(), "{path}: round trip");
        println!("{path:<42} {:>10} {:>12}", text.len(), packed.len());
        raw_total += text.len();
        all.push_str(text);
    }
    let packed = deflate(all.as_bytes());
    assert_eq!(inflate(&packed), all.as_bytes(), "round trip of all");
    let gzip = packed.len() + GZIP_OVERHEAD;
    println!(
        "{:<42} {raw_total:>10} {gzip:>12}",
        "total (one gzip stream)"
    );
    println!(
        "[bench] knowledge base: {raw_total} raw bytes, {gzip} bytes gzip -9 (budget {GZIP_BUDGET})"
    );
    assert!(raw_total > 0);
    assert!(
        gzip <= GZIP_BUDGET,
        "the knowledge base takes {gzip} bytes gzip, over its budget of {GZIP_BUDGET}"
    );
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 9)
}

fn inflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::inflate::decompress_to_vec(data).expect("a valid DEFLATE stream")
}
