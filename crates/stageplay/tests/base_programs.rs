//! The knowledge base's one table of the programs official images provide
//! (`estimate::kb::programs`), read by the runtime check and the prefix split alike.

use stageplay::estimate::kb::programs::base_provides;
use stageplay::refactor::{apply_one, RefactorOptions};
use std::path::Path;

#[test]
fn one_table_for_both_readers() {
    // The image as pulled through a registry mirror is the official image.
    assert!(base_provides(
        "mirror.gcr.io/library/php:8.3-fpm-alpine3.24",
        "php-fpm"
    ));
    assert!(base_provides(
        "mcr.microsoft.com/dotnet/aspnet:8.0",
        "dotnet"
    ));
    // Versioned interpreters count as their family's; scripts match by absolute path only.
    assert!(base_provides("python:3.12-slim", "python3.12"));
    assert!(base_provides("nextcloud:30-fpm", "/entrypoint.sh"));
    assert!(!base_provides("nextcloud:30-fpm", "entrypoint.sh"));
    assert!(!base_provides("alpine:3.20", "python3"));
}

/// The prefix split read its own, shorter table and matched only `php` or
/// `docker.io/library/php`: from a mirror of the same official image it declined (`php-fpm`
/// unknown), while the runtime check, which every draft passes, knew the image has it.
#[test]
fn the_prefix_split_knows_a_mirrored_official_image() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    let text = std::fs::read_to_string(corpus.join("nextcloud_docker/32__fpm-alpine__Dockerfile"))
        .unwrap()
        .replace(
            "FROM php:8.3-fpm-alpine3.24",
            "FROM mirror.gcr.io/library/php:8.3-fpm-alpine3.24",
        );
    let out = apply_one(&text, "split-prefix", &RefactorOptions::default())
        .expect("the split applies from the mirror as from php:8.3-fpm-alpine3.24");
    let runtime = out.split(" AS production").nth(1).unwrap();
    assert!(runtime.contains("CMD [\"php-fpm\"]"), "{runtime}");
}
