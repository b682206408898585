//! Refactoring assistant: golden tests for the founding guide's patterns, recognition and
//! apply-all snapshots over the fixtures. Snapshots live in `tests/snapshots/refactor/` (insta;
//! see tests/support/snapshot.rs to accept changes).

use stageplay::refactor::{self, analyse, apply_all, apply_one, recognise, RefactorOptions};
use std::path::{Path, PathBuf};

mod support;
use support::snapshot::assert_snapshot;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refactor")
}

/// A unified line diff (longest common subsequence), enough for review in a snapshot.
fn unified_diff(a: &str, b: &str, name_a: &str, name_b: &str) -> String {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = format!("--- {name_a}\n+++ {name_b}\n");
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push_str(&format!(" {}\n", a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("-{}\n", a[i]));
            i += 1;
        }
    }
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Runs a golden case: output and diff snapshots, plus the guide lines the output must contain.
fn golden(name: &str, only: Option<&str>, must_contain: &[&str]) {
    let input = read(&fixtures().join(format!("golden/{name}.Dockerfile")));
    let opts = RefactorOptions::default();
    let output = match only {
        Some(id) => {
            apply_one(&input, id, &opts).unwrap_or_else(|| panic!("{id} does not apply to {name}"))
        }
        None => apply_all(&input, &opts),
    };
    assert_snapshot("refactor/golden", &format!("{name}.Dockerfile"), &output);
    assert_snapshot(
        "refactor/golden",
        &format!("{name}.diff"),
        &unified_diff(&input, &output, "single-stage", "refactored"),
    );
    for line in must_contain {
        assert!(
            output.contains(line),
            "{name}: output lacks the guide's `{line}`:\n{output}"
        );
    }
    let problems = refactor::validate::validate(&input, &output, only, &opts);
    assert!(problems.is_empty(), "{name}: {problems:?}");
    let (_, model) = analyse(&output, &opts);
    assert!(model.stages.len() >= 2, "{name}: not multi-stage");
}

#[test]
fn golden_basic_pattern() {
    golden(
        "guide-basic",
        Some("split-stage"),
        &[
            "FROM python:3.12-slim AS builder",
            // Not the guide's `--target=/app/deps` copied into site-packages: that leaves the
            // packages' commands (`fastapi`) in site-packages/bin, off PATH (lab: guide-basic).
            // A `--prefix` copied to /usr/local puts them in /usr/local/bin.
            "RUN pip install --prefix=/install --no-cache-dir -r requirements.txt",
            "COPY --from=builder /install /usr/local",
            "COPY ./app ./app",
            "CMD [\"fastapi\", \"run\", \"app/main.py\", \"--host\", \"0.0.0.0\", \"--port\", \"8000\"]",
        ],
    );
}

#[test]
fn golden_production_with_security() {
    golden(
        "guide-production",
        None,
        &[
            "FROM python:3.12-slim AS builder",
            // The guide's list plus libc6-dev: gcc only recommends it, and without it psycopg2
            // cannot compile (lab: guide-production, guide-before).
            "RUN apt-get update && apt-get install -y --no-install-recommends \\\n    gcc \\\n    libpq-dev \\\n    libc6-dev \\\n    && rm -rf /var/lib/apt/lists/*",
            "--prefix=/install",
            "FROM python:3.12-slim AS production",
            "    libpq5 \\\n",
            "RUN groupadd --gid 1000 appuser \\\n    && useradd --uid 1000 --gid 1000 --no-create-home --shell /bin/false appuser",
            "COPY --from=builder /install /usr/local",
            "COPY --chown=appuser:appuser ./app ./app",
            "USER appuser",
            // The file names no health path, so the check tests the port, not a guessed `/health`.
            "HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \\\n    CMD python -c \"import socket; socket.create_connection(('127.0.0.1', 8000), 5).close()\" || exit 1",
        ],
    );
}

#[test]
fn golden_uv_with_cache_and_bind_mounts() {
    golden(
        "guide-uv",
        None,
        &[
            // The original's `uv sync` options (no `--no-dev` added: dev dependencies may be
            // used), no UV_COMPILE_BYTECODE the original did not set, and absolute bind-mount
            // targets (Buildah rejects relative ones; lab: py-uv, guide-uv).
            "ENV UV_LINK_MODE=copy",
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n    uv sync --locked --no-install-project --no-editable",
            "RUN --mount=type=cache,target=/root/.cache/uv \\\n    uv sync --locked --no-editable",
            "FROM python:3.12-slim AS production",
            "--from=builder /app/.venv /app/.venv",
            "--from=builder /app/app /app/app",
            "USER appuser",
            "ENV PATH=\"/app/.venv/bin:$PATH\"",
        ],
    );
}

#[test]
fn golden_dev_and_prod_targets() {
    golden(
        "guide-targets",
        None,
        &[
            "FROM python:3.12-slim AS base",
            "FROM base AS development",
            "pip install pytest pytest-cov black ruff mypy",
            "CMD [\"fastapi\", \"dev\", \"app/main.py\"",
            "FROM base AS production",
            "USER appuser",
            "HEALTHCHECK",
            "CMD [\"fastapi\", \"run\", \"app/main.py\"",
        ],
    );
}

fn fixture_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

#[test]
fn fixtures_are_single_stage_and_say_so() {
    let files = fixture_files();
    assert!(files.len() >= 40, "only {} fixtures", files.len());
    for f in files {
        let text = read(&f);
        assert!(
            text.starts_with("# Written for the Stageplay refactor test set"),
            "{}",
            f.display()
        );
        let (_, model) = analyse(&text, &RefactorOptions::default());
        assert_eq!(model.stages.len(), 1, "{}", f.display());
    }
}

#[test]
fn recognition_of_every_fixture() {
    let mut out = String::new();
    for f in fixture_files() {
        let text = read(&f);
        let (doc, model) = analyse(&text, &RefactorOptions::default());
        let p = recognise(&doc, &model);
        out.push_str(&format!(
            "{}: {:?}/{:?} builds={} manifests=[{}] install={:?} build={:?} artifacts=[{}] run=[{}] build_packages=[{}]\n",
            f.file_name().unwrap().to_string_lossy(),
            p.ecosystem,
            p.tool,
            p.builds,
            p.manifests.join(" "),
            p.install_command.map(|c| c.command),
            p.build_command.map(|c| c.command),
            p.artifacts.join(" "),
            p.run_command.join(" "),
            p.build_packages.join(" "),
        ));
    }
    assert_snapshot("refactor", "recognition.txt", &out);
}

#[test]
fn apply_all_snapshots_of_every_fixture() {
    let opts = RefactorOptions::default();
    for f in fixture_files() {
        let text = read(&f);
        let (doc, model) = analyse(&text, &opts);
        let suggestions = refactor::suggest(&text, &doc, &model, &opts);
        let mut listing = String::new();
        for s in &suggestions {
            listing.push_str(&format!(
                "# {} ({:?}): {}\n",
                s.id, s.applicability, s.title
            ));
        }
        let output = apply_all(&text, &opts);
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert_snapshot(
            "refactor/fixtures",
            &name,
            &format!(
                "{listing}\n{}",
                unified_diff(&text, &output, "single-stage", "apply-all")
            ),
        );
    }
}

#[test]
fn suggestions_carry_sources_and_sorted_edits() {
    let opts = RefactorOptions::default();
    let text = read(&fixtures().join("flask-pip.Dockerfile"));
    let (doc, model) = analyse(&text, &opts);
    let suggestions = refactor::suggest(&text, &doc, &model, &opts);
    assert!(suggestions.iter().any(|s| s.id == "split-stage"));
    for s in &suggestions {
        assert!(!s.sources.is_empty(), "{} has no sources", s.id);
        assert!(
            s.edits.windows(2).all(|w| w[0].span.end <= w[1].span.start),
            "{} edits overlap",
            s.id
        );
        assert!(!s.explanation.is_empty());
    }
}

/// The prefix split on docker-library recipes of the corpus: output and diff snapshots in
/// `tests/snapshots/refactor/prefix/`, validity, and the lines that carry the split.
fn prefix_golden(corpus_file: &str, snapshot: &str, must_contain: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/real")
        .join(corpus_file);
    let input = read(&path);
    let opts = RefactorOptions::default();
    let output = apply_one(&input, "split-prefix", &opts)
        .unwrap_or_else(|| panic!("split-prefix does not apply to {corpus_file}"));
    assert_snapshot(
        "refactor/prefix",
        &format!("{snapshot}.Dockerfile"),
        &output,
    );
    assert_snapshot(
        "refactor/prefix",
        &format!("{snapshot}.diff"),
        &unified_diff(&input, &output, "single-stage", "refactored"),
    );
    for line in must_contain {
        assert!(
            output.contains(line),
            "{snapshot}: output lacks `{line}`:\n{output}"
        );
    }
    let problems = refactor::validate::validate(&input, &output, Some("split-prefix"), &opts);
    assert!(problems.is_empty(), "{snapshot}: {problems:?}");
    let (_, model) = analyse(&output, &opts);
    assert_eq!(model.stages.len(), 2, "{snapshot}");
}

#[test]
fn prefix_split_python_debian() {
    prefix_golden(
        "docker-library_python/3.12__slim-bookworm__Dockerfile",
        "python-slim-bookworm",
        &[
            "FROM debian:bookworm-slim AS builder",
            "| xargs -r dpkg-query --search \\",
            "FROM debian:bookworm-slim AS production",
            "COPY --from=builder /usr/local /usr/local",
            "&& ldconfig",
            "CMD [\"python3\"]",
        ],
    );
}

#[test]
fn prefix_split_python_alpine() {
    prefix_golden(
        "docker-library_python/3.12__alpine3.23__Dockerfile",
        "python-alpine",
        &[
            "FROM alpine:3.23 AS builder",
            "scanelf --needed --nobanner --format '%n#p' --recursive /usr/local",
            "FROM alpine:3.23 AS production",
            "COPY --from=builder /usr/local /usr/local",
            "xargs -r apk add --no-cache < /tmp/runtime-packages.txt",
        ],
    );
}

#[test]
fn prefix_split_php_debian() {
    prefix_golden(
        "docker-library_php/8.3__bookworm__cli__Dockerfile",
        "php-bookworm-cli",
        &[
            "FROM debian:bookworm-slim AS production",
            "COPY --from=builder /usr/local /usr/local",
            "ENTRYPOINT [\"docker-php-entrypoint\"]",
        ],
    );
}

#[test]
fn prefix_split_redis() {
    prefix_golden(
        "docker-library_redis/7.2__debian__Dockerfile",
        "redis-debian",
        &[
            "FROM debian:bookworm-slim AS production",
            "RUN mkdir /data && chown redis:redis /data",
            "COPY --from=builder /usr/local /usr/local",
            "CMD [\"redis-server\"]",
        ],
    );
}

#[test]
fn prefix_split_php_fpm() {
    // Nothing runs `php-fpm` after the install; `--enable-fpm` on configure shows it is built.
    for (file, snapshot, base) in [
        (
            "docker-library_php/8.4__alpine3.23__fpm__Dockerfile",
            "php-fpm-alpine",
            "alpine:3.23",
        ),
        (
            "docker-library_php/8.4__bookworm__fpm__Dockerfile",
            "php-fpm-bookworm",
            "debian:bookworm-slim",
        ),
    ] {
        prefix_golden(
            file,
            snapshot,
            &[
                &format!("FROM {base} AS production"),
                "COPY --from=builder /usr/local /usr/local",
                "STOPSIGNAL SIGQUIT",
                "CMD [\"php-fpm\"]",
            ],
        );
    }
}

#[test]
fn prefix_split_node_alpine() {
    // The build RUN starts by creating the node user: the runtime replays those commands, and
    // copies yarn's `/opt` with the prefix.
    prefix_golden(
        "nodejs_docker-node/24__alpine3.23__Dockerfile",
        "node-alpine",
        &[
            "FROM alpine:3.23 AS production",
            "RUN addgroup -g 1000 node \\\n    && adduser -u 1000 -G node -s /bin/sh -D node\n",
            "COPY --from=builder /usr/local /usr/local\nCOPY --from=builder /opt /opt\n",
            "--recursive /usr/local /opt",
            "CMD [ \"node\" ]",
        ],
    );
}

#[test]
fn prefix_split_declines_packages_and_other_families() {
    let opts = RefactorOptions::default();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    for (file, why) in [
        (
            "nginxinc_docker-nginx/stable__debian__Dockerfile",
            "nginx is an OS package, not built into /usr/local",
        ),
        (
            "docker-library_python/3.13__windows__windowsservercore-ltsc2022__Dockerfile",
            "Windows: no known package manager",
        ),
        (
            "docker-library_postgres/17__bookworm__Dockerfile",
            "PostgreSQL on Debian is an OS package; building is only the fallback for other architectures",
        ),
        (
            "moby_moby/contrib__syscall-test__Dockerfile",
            "an output behind `|| true` may not exist, so it cannot be copied by name",
        ),
    ] {
        let text = read(&corpus.join(file));
        assert_eq!(
            apply_one(&text, "split-prefix", &opts),
            None,
            "{file}: {why}"
        );
    }
}

/// Recipes the prefix split reaches beyond `make install` into `/usr/local`, each with what its
/// runtime must have to behave as the original image.
#[test]
fn prefix_split_apache_module_extensions_and_kept_packages() {
    let opts = RefactorOptions::default();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/real");
    for (file, wants, not) in [
        (
            "docker-library_php/8.4__bookworm__apache__Dockerfile",
            &[
                "COPY --from=builder /usr/lib/apache2/modules /usr/lib/apache2/modules",
                "COPY --from=builder /etc/apache2 /etc/apache2",
                "COPY --from=builder /usr/src/php.tar.xz /usr/src/php.tar.xz.asc /usr/src/",
                "apt-get install -y --no-install-recommends apache2;",
            ][..],
            &["--with-apxs2"][..],
        ),
        (
            "nextcloud_docker/33__fpm__Dockerfile",
            &[
                "COPY --from=builder /usr/local /usr/local",
                "tar -xjf nextcloud.tar.bz2 -C /usr/src/",
                "COPY *.sh upgrade.exclude /",
            ][..],
            &["docker-php-ext-install"][..],
        ),
        (
            "nextcloud_docker/32__fpm-alpine__Dockerfile",
            &["tar -xjf nextcloud.tar.bz2 -C /usr/src/", "CMD [\"php-fpm\"]"][..],
            &["pecl install"][..],
        ),
        (
            "docker-library_postgres/17__alpine3.23__Dockerfile",
            &[
                "RUN apk add --no-cache --virtual .postgresql-rundeps bash tzdata zstd icu-data-full",
                "COPY --from=builder /usr/local /usr/local",
            ][..],
            &["make install-world-bin", "$runDeps"][..],
        ),
        (
            "moby_moby/contrib__nnp-test__Dockerfile",
            &["COPY --from=builder /usr/bin/nnp-test /usr/bin/nnp-test", "RUN chmod +s /usr/bin/nnp-test"][..],
            &["gcc"][..],
        ),
    ] {
        let text = read(&corpus.join(file));
        let out = apply_one(&text, "split-prefix", &opts).unwrap_or_else(|| panic!("{file}: no split"));
        let runtime = out.split(" AS production").nth(1).unwrap();
        for w in wants {
            assert!(runtime.contains(w), "{file}: runtime lacks `{w}`");
        }
        for n in not {
            assert!(!runtime.contains(n), "{file}: runtime has `{n}`");
        }
        // The fetch after the build runs after the copy that brings PHP.
        if let (Some(copy), Some(fetch)) = (runtime.find("COPY --from=builder /usr/local"), runtime.find("tar -xjf")) {
            assert!(copy < fetch, "{file}");
        }
        assert_eq!(apply_one(&out, "split-prefix", &opts), None, "{file}: idempotent");
    }
}

/// Sizes are estimated for a normal file; over `MAX_MEASURED_BYTES` they are reported as not
/// estimated (a note, no number) while the suggestions themselves stay the same.
#[test]
fn suggestion_sizes_are_measured_up_to_the_limit() {
    let unit = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY . /app\nCMD [\"/app/run\"]\n";
    let small = unit.to_string();
    let opts = RefactorOptions::default();
    let (doc, model) = analyse(&small, &opts);
    let normal = refactor::suggest(&small, &doc, &model, &opts);
    assert!(!normal.is_empty());
    for s in &normal {
        assert!(
            s.size_before.is_some() && s.size_after.is_some(),
            "{}",
            s.id
        );
        assert_eq!(s.size_note, None, "{}", s.id);
    }
    // The same instructions after a long comment: the same suggestions, no sizes.
    let filler = "# padding\n".repeat(refactor::MAX_MEASURED_BYTES / 10 + 1);
    let big = format!("{filler}{unit}");
    let (doc, model) = analyse(&big, &opts);
    let large = refactor::suggest(&big, &doc, &model, &opts);
    let ids = |v: &[refactor::Suggestion]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&large), ids(&normal));
    for s in &large {
        assert_eq!((s.size_before, s.size_after), (None, None), "{}", s.id);
        assert_eq!((s.layers_before, s.layers_after), (None, None), "{}", s.id);
        assert!(s
            .size_note
            .as_deref()
            .is_some_and(|n| n.starts_with("not estimated")));
    }
}

/// The healthcheck's explanation names where the port came from: an EXPOSE, or the server
/// command's own `--port` when nothing is exposed.
#[test]
fn healthcheck_says_where_the_port_comes_from() {
    let explanation = |text: &str| {
        let opts = RefactorOptions::default();
        let (doc, model) = analyse(text, &opts);
        refactor::suggest(text, &doc, &model, &opts)
            .into_iter()
            .find(|s| s.id == "healthcheck")
            .map(|s| (s.title, s.explanation))
            .expect("a healthcheck suggestion")
    };
    let (title, why) = explanation(
        "FROM python:3.12-slim\nCMD [\"fastapi\", \"run\", \"app/main.py\", \"--port\", \"8000\"]\n",
    );
    assert_eq!(title, "Add a HEALTHCHECK on port 8000");
    assert!(
        why.starts_with("The final stage runs a server on port 8000 "),
        "{why}"
    );
    let (title, why) =
        explanation("FROM python:3.12-slim\nEXPOSE 8080/tcp\nCMD [\"python\", \"app.py\"]\n");
    assert_eq!(title, "Add a HEALTHCHECK on port 8080");
    assert!(
        why.starts_with("The final stage exposes port 8080 "),
        "{why}"
    );
}

/// `non-root-user` is not offered where the image already runs as a non-root user: a USER in
/// a stage the final one is built FROM, or a base whose default user is not root.
#[test]
fn non_root_user_not_offered_when_already_non_root() {
    let offered = |text: &str| {
        let opts = RefactorOptions::default();
        let (doc, model) = analyse(text, &opts);
        refactor::suggest(text, &doc, &model, &opts)
            .iter()
            .any(|s| s.id == "non-root-user")
    };
    assert!(offered(
        "FROM python:3.12-slim\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n"
    ));
    for text in [
        "FROM python:3.12-slim AS base\nUSER 1000\nFROM base\nCOPY app.py /app/\nCMD [\"python\", \"/app/app.py\"]\n",
        "FROM python:3.12-slim AS build\nRUN pip install --target=/deps flask\nFROM gcr.io/distroless/python3-debian12:nonroot\nCOPY --from=build /deps /deps\n",
        "FROM cgr.dev/chainguard/node\nCOPY . /app\nCMD [\"/app/server.js\"]\n",
    ] {
        assert!(!offered(text), "{text}");
    }
}
