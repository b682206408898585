//! How the image estimate sizes layers of build tools run more than once in a stage.

use stageplay::estimate::kb::kb;
use stageplay::estimate::{estimate, Estimate, EstimateOptions};
use stageplay::model::{self, ModelOptions};

fn run(text: &str) -> Estimate {
    let doc = stageplay::syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    estimate(&doc, &m, &EstimateOptions::default())
}

/// target/ and ~/.cargo/registry after a release build, as data/toolchains.tsv measured them.
fn release_build_mb() -> f64 {
    let t = &kb().tools;
    (t["cache:cargo-target-release"].bytes + t["cache:cargo-registry"].bytes) as f64 / 1e6
}

fn layer_mb(e: &Estimate, line: u32) -> f64 {
    e.layers
        .iter()
        .find(|l| l.line == line)
        .map(|l| l.bytes as f64 / 1e6)
        .unwrap_or_else(|| panic!("no layer at line {line}"))
}

/// A second `mvn` / `cargo build` / `go build` in the same stage extends the repository or
/// cache the first one filled: Docker stores only the changed files, so the later layer is an
/// increment and nothing of the earlier layer is wasted.
#[test]
fn a_tool_run_again_adds_to_its_earlier_layer() {
    let maven = run(
        "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY pom.xml .\n\
RUN mvn dependency:go-offline\nCOPY src ./src\nRUN mvn package -DskipTests\n",
    );
    assert_eq!(maven.wasted_bytes, 0);
    // The local repository: data/toolchains.tsv's cache:maven-repository.
    let m2 = kb().tools["cache:maven-repository"].bytes as f64 / 1e6;
    assert_eq!(layer_mb(&maven, 4), m2);
    // The repository increment (20 MB) and target/ (40 MB).
    assert_eq!(layer_mb(&maven, 6), 60.0);

    // The dependency-caching trick: build with a dummy main, then the real sources.
    let cargo = run(
        "FROM rust:1.80\nWORKDIR /app\nCOPY Cargo.toml Cargo.lock ./\n\
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release\n\
COPY src ./src\nRUN cargo build --release\n",
    );
    // Only the rebuilt binary replaces the dummy one: target/ and the registry are extended.
    assert_eq!(
        cargo.wasted_bytes,
        kb().tools["output:rust-release-service"].bytes
    );
    // A release build's target/ and registry, measured (data/toolchains.tsv), and the binary.
    let release = release_build_mb();
    assert!(layer_mb(&cargo, 4) >= release, "{}", layer_mb(&cargo, 4));
    assert!(layer_mb(&cargo, 6) <= 40.0, "{}", layer_mb(&cargo, 6));

    // Within one RUN, the tool's directory is counted once.
    let once = run("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./... && go build -o /out/app ./cmd/app\n");
    let go = once.layers.iter().find(|l| l.line == 4).unwrap();
    assert!(go.reason.contains("go build"), "{}", go.reason);
    assert_eq!(once.wasted_bytes, 0);
}

/// cargo-chef's `cargo chef cook` builds the dependencies: its layer holds a target directory.
#[test]
fn cargo_chef_cook_is_a_build() {
    let e = run(
        "FROM rust:1.80 AS builder\nWORKDIR /app\nCOPY recipe.json .\n\
RUN cargo chef cook --release --recipe-path recipe.json\nCOPY . .\nRUN cargo build --release\n",
    );
    assert!(layer_mb(&e, 4) >= release_build_mb(), "{}", layer_mb(&e, 4));
    assert!(layer_mb(&e, 6) <= 40.0, "{}", layer_mb(&e, 6));
}

/// A cache mount keeps the tool's directory out of the layer, the first time and again.
#[test]
fn cache_mounts_still_keep_tool_directories_out() {
    let e = run(
        "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\n\
RUN --mount=type=cache,target=/root/.m2 mvn dependency:go-offline\n\
RUN --mount=type=cache,target=/root/.m2 mvn package\n",
    );
    assert_eq!(layer_mb(&e, 4), 0.0);
    assert_eq!(layer_mb(&e, 5), 40.0);
}

/// `poetry install` puts packages where Poetry's configuration says: the system (or active)
/// environment with `virtualenvs.create false` (set by `poetry config` in an earlier RUN or by
/// its environment variable), `.venv` in the project with `virtualenvs.in-project`, otherwise a
/// virtualenv under Poetry's cache directory.
#[test]
fn poetry_install_follows_poetry_configuration() {
    let at = |text: &str| {
        let e = run(text);
        let line = text.lines().count() as u32;
        let l = e.layers.iter().find(|l| l.line == line).expect("layer");
        assert!(l.bytes > 0, "{}", l.reason);
        l.reason.clone()
    };
    let base = "FROM python:3.12-slim\nRUN pip install poetry\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n";
    let cases = [
        (
            "RUN poetry config virtualenvs.create false\nRUN poetry install --no-root\n",
            "poetry install → /usr/local/lib/python3.12/site-packages",
        ),
        (
            "ENV POETRY_VIRTUALENVS_IN_PROJECT=true\nRUN poetry install --no-root\n",
            "poetry install → /app/.venv",
        ),
        (
            "RUN poetry install --no-root\n",
            "poetry install → /root/.cache/pypoetry/virtualenvs",
        ),
    ];
    for (tail, expected) in cases {
        let reason = at(&format!("{base}{tail}"));
        assert!(reason.contains(expected), "{tail}: {reason}");
    }
    // The setting is not an ENV of the image.
    let e = run(&format!(
        "{base}RUN poetry config virtualenvs.create false && poetry install\n"
    ));
    assert!(e.facts.env.iter().all(|(k, _)| !k.starts_with("POETRY_")));
}

/// ENV in the `K=V` form sets variables for later steps and the image (it was read only in
/// the legacy `K V` form before): values are expanded as BuildKit does, quotes removed.
#[test]
fn env_key_value_form_sets_variables() {
    let e = run(
        "FROM python:3.12-slim\nENV A=1 B=\"two words\" C=$A\nENV D 4\n\
RUN python -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\nRUN pip install flask\n",
    );
    let env: Vec<(&str, &str)> = e
        .facts
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for pair in [("A", "1"), ("B", "two words"), ("C", ""), ("D", "4")] {
        assert!(env.contains(&pair), "{pair:?} in {env:?}");
    }
    assert!(env
        .iter()
        .any(|(k, v)| *k == "PATH" && v.starts_with("/opt/venv/bin:/usr/local/bin")));
    let pip = e.layers.iter().find(|l| l.line == 6).unwrap();
    assert!(
        pip.reason
            .contains("/opt/venv/lib/python3.12/site-packages"),
        "{}",
        pip.reason
    );
}

/// pnpm hard-links its store into node_modules (one copy in the layer); npm keeps a tarball
/// cache beside node_modules unless cleaned.
#[test]
fn pnpm_store_is_not_a_second_copy() {
    let install = |prog: &str| {
        let e = run(&format!(
            "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\nRUN {prog} install\n"
        ));
        layer_mb(&e, 4)
    };
    assert_eq!(install("pnpm"), 250.0);
    assert!(install("npm") > 250.0);
}

/// A prune of development dependencies shrinks node_modules: freed in the same RUN, wasted
/// (kept by the earlier layer) in a later one; a stage copying node_modules gets the rest.
#[test]
fn pruning_dev_dependencies_shrinks_node_modules() {
    let same = run("FROM node:22-alpine\nWORKDIR /app\nCOPY package.json ./\n\
RUN npm ci && npm prune --omit=dev && npm cache clean --force\n");
    assert_eq!(layer_mb(&same, 4), 120.0);
    assert_eq!(same.wasted_bytes, 0);

    let later = run("FROM node:22-alpine AS build\nWORKDIR /app\nCOPY package.json ./\n\
RUN pnpm install\nRUN pnpm prune --prod\nFROM node:22-alpine\nCOPY --from=build /app/node_modules /app/node_modules\n");
    assert_eq!(
        later.wasted_bytes, 0,
        "the target does not keep the builder's layers"
    );
    assert_eq!(layer_mb(&later, 7), 120.0);
    let builder = &later.stages[0];
    assert_eq!(builder.wasted_bytes, 130_000_000);
}

/// curl's clustered short options are read (`-fsSLO` keeps the remote name, `-fsSLo FILE`
/// writes FILE), so an archive downloaded and unpacked in one RUN is counted; `yarn --version`
/// installs nothing.
#[test]
fn curl_option_clusters_and_informational_commands() {
    let e = run("FROM debian:bookworm-slim\n\
RUN curl -fsSLO https://example.org/tool-1.0.tar.gz && tar -xzf tool-1.0.tar.gz -C /opt && rm tool-1.0.tar.gz\n\
RUN curl -fsSLo /usr/local/bin/helper https://example.org/helper\n\
RUN yarn --version && npm --version\n");
    let unpack = e.layers.iter().find(|l| l.line == 2).unwrap();
    assert!(
        unpack.bytes > 0 && unpack.reason.contains("tool-1.0.tar.gz"),
        "{}",
        unpack.reason
    );
    let helper = e.layers.iter().find(|l| l.line == 3).unwrap();
    assert!(helper.bytes > 0, "{}", helper.reason);
    assert_eq!(layer_mb(&e, 4), 0.0);
}

/// Asking a tool for its version or help fetches and builds nothing (`mvn -v` used to count a
/// whole Maven repository).
#[test]
fn version_and_help_commands_write_nothing() {
    let e = run("FROM python:3.12-slim\n\
RUN pip --version && python3 -m pip --version && pip list && pip freeze\n\
RUN uv --version; poetry --version; go version; cargo --version; mvn -v; gradle --version; dotnet --info; npm -v; yarn --version\n");
    for line in [2, 3] {
        let l = e.layers.iter().find(|l| l.line == line).unwrap();
        assert_eq!(l.bytes, 0, "line {line}: {}", l.reason);
        assert!(
            !l.reason.contains("not understood"),
            "line {line}: {}",
            l.reason
        );
    }
}

/// `--auto-remove` removes only the dependencies nothing left needs: purging gcc in a later
/// RUN keeps curl's libraries; a bare `apt-get purge --auto-remove` after an unrelated install
/// removes nothing that install needs.
#[test]
fn auto_remove_keeps_what_remaining_packages_need() {
    let e = run("FROM debian:bookworm-slim\n\
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n\
RUN apt-get update && apt-get install -y --no-install-recommends gcc && apt-get purge -y --auto-remove gcc && rm -rf /var/lib/apt/lists/*\n\
RUN apt-get purge -y --auto-remove\n");
    let tree = serde_json::to_string(&e.files).unwrap();
    for kept in ["libcurl4", "libssl3", "[deb] curl"] {
        assert!(tree.contains(kept), "{kept} removed");
    }
    assert!(!tree.contains("[deb] gcc-12"), "gcc's dependencies stay");
    // The gcc RUN leaves nothing of gcc in its layer.
    assert!(layer_mb(&e, 3) < 2.0, "{}", layer_mb(&e, 3));
}

/// A versioned package bookworm lacks is sized as the version bookworm has.
#[test]
fn versioned_packages_bookworm_lacks_use_its_version() {
    let e = run("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends postgresql-17 && rm -rf /var/lib/apt/lists/*\n");
    let l = e.layers.iter().find(|l| l.line == 2).unwrap();
    assert!(
        l.reason.contains("postgresql-15 for postgresql-17"),
        "{}",
        l.reason
    );
    assert!(l.bytes > 150_000_000, "{}", l.bytes);
}

/// `mv`/`cp` into a directory keeps the name; `-T` (or a new name) renames; a folder of an
/// archive unpacked into its parent moves with the archive's contents.
#[test]
fn move_and_copy_destinations() {
    let e = run("FROM alpine:3.23 AS build\n\
RUN wget -O go.tgz https://example.org/go.linux-amd64.tar.gz && tar -C /usr/local -xzf go.tgz && rm go.tgz \
&& mkdir -p /target/usr/local && mv -vT /usr/local/go /target/usr/local/go\n\
RUN wget -O /tmp/tool https://example.org/tool && cp /tmp/tool /usr/local/bin && mv /tmp/tool /opt/tool-1\n\
FROM alpine:3.23\nCOPY --from=build /target/ /\n");
    let tree = serde_json::to_string(&e.files).unwrap();
    assert!(
        tree.contains("\"/usr/local/go\""),
        "the unpacked archive moved with -T"
    );
    assert!(e.layers.iter().find(|l| l.line == 5).unwrap().bytes > 1_000_000);
    let build = run("FROM alpine:3.23\n\
RUN wget -O /tmp/tool https://example.org/tool && cp /tmp/tool /usr/local/bin && mv /tmp/tool /opt/tool-1\n");
    let tree = serde_json::to_string(&build.files).unwrap();
    assert!(tree.contains("\"/usr/local/bin/tool\""), "{tree}");
    assert!(tree.contains("\"/opt/tool-1\""), "{tree}");
}

/// rustup's toolchain is sized by its host: a `*-linux-musl` `--default-host` (or none readable,
/// on Alpine, where rustup-init detects musl) installs the musl-hosted rustc and standard
/// library, larger than the glibc-hosted ones (both measured, data/toolchains.tsv).
#[test]
fn rustup_sizes_the_toolchain_of_its_host() {
    let t = &kb().tools;
    let gnu = t["rust:toolchain-minimal"].bytes as f64 / 1e6;
    let musl = t["rust:toolchain-minimal-musl"].bytes as f64 / 1e6;
    assert!(musl > gnu * 1.2, "{musl} vs {gnu}");
    let install =
        "RUN curl -sSf https://sh.rustup.rs -o rustup.sh && sh rustup.sh -y --profile minimal";
    let toolchain_mb = |text: &str| {
        let e = run(text);
        let l = e
            .layers
            .iter()
            .find(|l| l.line == 2)
            .expect("the rustup layer");
        assert!(l.reason.contains("toolchain-minimal"), "{}", l.reason);
        l.bytes as f64 / 1e6
    };
    // Named host, on either base.
    let debian_musl = toolchain_mb(&format!(
        "FROM debian:trixie-slim\n{install} --default-host x86_64-unknown-linux-musl\n"
    ));
    let debian_gnu = toolchain_mb(&format!(
        "FROM debian:trixie-slim\n{install} --default-host x86_64-unknown-linux-gnu\n"
    ));
    assert!(
        (debian_musl - debian_gnu - (musl - gnu)).abs() < 1.0,
        "{debian_musl} {debian_gnu}"
    );
    // No host named: the base's libc decides.
    let alpine = toolchain_mb(&format!("FROM alpine:3.23\n{install}\n"));
    let debian = toolchain_mb(&format!("FROM debian:trixie-slim\n{install}\n"));
    assert!(
        (alpine - debian_musl).abs() < 1.0,
        "{alpine} vs {debian_musl}"
    );
    assert!(
        (debian - debian_gnu).abs() < 1.0,
        "{debian} vs {debian_gnu}"
    );
    // A host set in a `case` Stageplay does not follow (`${rustArch}`): the base decides.
    let unread = toolchain_mb("FROM alpine:3.23\nRUN rustArch=x86_64-unknown-linux-musl; curl -sSf -o rustup-init https://static.rust-lang.org/rustup/dist/x86_64-unknown-linux-musl/rustup-init && ./rustup-init -y --profile minimal --default-host ${rustArch}\n");
    assert!((unread - alpine).abs() < 1.0, "{unread} vs {alpine}");
}

/// A Go module whose go.mod requires nothing builds a standard-library program: its binary is
/// sized from the measured stdlib programs (a few MB), not from Debian's large Go programs; a
/// module with requirements, or no go.mod in the context, keeps the general row.
#[test]
fn a_stdlib_only_go_module_builds_a_small_binary() {
    use stageplay::estimate::context::{project_options, ProjectFile};
    let binary_mb = |go_mod: Option<&str>, build: &str| -> f64 {
        let mut files = vec![ProjectFile {
            path: "main.go".into(),
            bytes: 900,
            content: None,
        }];
        if let Some(m) = go_mod {
            files.push(ProjectFile {
                path: "go.mod".into(),
                bytes: m.len() as u64,
                content: Some(m.to_string()),
            });
        }
        let text = format!(
            "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN {build}\n\
FROM scratch\nCOPY --from=build /out/app /app\nCMD [\"/app\"]\n"
        );
        let doc = stageplay::syntax::parse(&text);
        let m = stageplay::model::build(&doc, &Default::default());
        let e = stageplay::estimate::estimate(&doc, &m, &project_options(&files));
        layer_mb(&e, 6)
    };
    let stdlib = "module example.com/svc\n\ngo 1.23\n";
    let deps = "module example.com/svc\n\ngo 1.23\n\nrequire github.com/go-chi/chi/v5 v5.1.0\n";
    let row = |k: &str| kb().tools[k].bytes as f64 / 1e6;
    let small = binary_mb(Some(stdlib), "CGO_ENABLED=0 go build -o /out/app .");
    assert_eq!(small, row("output:go-binary-stdlib"));
    assert!((2.0..=10.0).contains(&small), "{small}");
    let stripped = binary_mb(Some(stdlib), "go build -ldflags \"-s -w\" -o /out/app .");
    assert!(stripped < small, "{stripped} vs {small}");
    assert!(binary_mb(Some(deps), "go build -o /out/app .") > 3.0 * small);
    assert!(binary_mb(None, "go build -o /out/app .") > 3.0 * small);
}

/// The same module's `go build` layer holds the measured standard-library build cache and no
/// module cache; with requirements, the fallback caches stay.
#[test]
fn a_stdlib_only_go_build_fills_no_module_cache() {
    use stageplay::estimate::context::{project_options, ProjectFile};
    let build_layer = |go_mod: &str| -> (f64, String) {
        let files = [ProjectFile {
            path: "go.mod".into(),
            bytes: go_mod.len() as u64,
            content: Some(go_mod.to_string()),
        }];
        let text = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o clock .\n";
        let doc = stageplay::syntax::parse(text);
        let m = model::build(&doc, &ModelOptions::default());
        let e = estimate(&doc, &m, &project_options(&files));
        let l = e.layers.iter().find(|l| l.line == 4).unwrap();
        (l.bytes as f64 / 1e6, l.reason.clone())
    };
    let row = |k: &str| kb().tools[k].bytes as f64 / 1e6;
    let (stdlib, why) = build_layer("module example.com/clock\n\ngo 1.23\n");
    let expected = row("cache:go-build-stdlib") + row("output:go-binary-stdlib");
    assert!(
        (stdlib - expected).abs() < 0.01,
        "{stdlib} vs {expected}: {why}"
    );
    assert!(why.contains("nothing in the module cache"), "{why}");
    let (with_deps, _) =
        build_layer("module example.com/clock\n\ngo 1.23\n\nrequire golang.org/x/text v0.21.0\n");
    assert!(with_deps > 2.0 * stdlib, "{with_deps} vs {stdlib}");
}
