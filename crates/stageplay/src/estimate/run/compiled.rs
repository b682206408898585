//! Compiled languages' build tools: `go`, `cargo`, `mvn`, `gradle` and `dotnet`: their caches,
//! toolchain downloads and build outputs.

use super::toolchains::{build_output, tool};
use super::{flag_value, Ctx};
use crate::estimate::context::{self, deps};
use crate::estimate::size::Size;
use crate::estimate::state::{Kind, State};
use crate::syntax::shell::{has_flag, operands};

/// A `data/toolchains.tsv` row's size, or `fallback` (a typical range) when the row is missing.
fn row_or(key: &str, fallback: Size) -> Size {
    tool(key).map_or(fallback, |(s, _)| s)
}

pub(super) fn go(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let gopath = st.var("GOPATH").unwrap_or_else(|| "/root/go".into());
    let modcache = format!("{gopath}/pkg/mod");
    let uses_modules = matches!(
        sub,
        "build" | "install" | "mod" | "get" | "generate" | "test" | "vet"
    );
    // A module that requires nothing (its go.mod in the context lists no module) downloads no
    // module and compiles the standard library alone.
    let stdlib_only =
        context::find_file(cx.opts, "go.mod").is_some_and(|f| deps::go_mod(&f.content).is_empty());
    if stdlib_only && uses_modules {
        cx.reasons
            .push("go.mod requires no module: nothing in the module cache".into());
    }
    if uses_modules
        && !stdlib_only
        && !st.is_cache_mounted(&modcache, cx.line)
        && !st.entries.iter().any(|e| e.path == modcache)
    {
        cx.add(
            st,
            &modcache,
            Size::mb(100.0, 5.0, 1000.0),
            "Go module cache (fallback size: not measured)".into(),
            Kind::Cache("go-mod".into()),
        );
        let modules = context::find_file(cx.opts, "go.mod")
            .map(|f| deps::go_mod(&f.content).len())
            .map(|n| format!(" ({n} modules in go.mod; their size is not measured)"))
            .unwrap_or_default();
        cx.reasons.push(format!(
            "Go module cache: fallback 100 MB (5 MB–1 GB){modules}; a cache mount keeps it out"
        ));
    }
    if matches!(sub, "build" | "install" | "test" | "vet")
        && !st.is_cache_mounted("/root/.cache/go-build", cx.line)
    {
        let (first, what) = match tool("cache:go-build-stdlib").filter(|_| stdlib_only) {
            Some((size, _)) => (
                size,
                "Go build cache of a standard-library program (cache:go-build-stdlib, measured)",
            ),
            None => (
                Size::mb(150.0, 20.0, 800.0),
                "Go build cache (fallback size: not measured)",
            ),
        };
        cx.fill(
            st,
            "/root/.cache/go-build",
            (first, Size::mb(20.0, 0.0, 300.0)),
            what.into(),
            Kind::Cache("go-build".into()),
        );
    }
    if sub == "build" || sub == "install" {
        let out = flag_value(args, &["-o"])
            .map(|o| st.abs(&o))
            .unwrap_or_else(|| {
                if sub == "install" {
                    format!("{gopath}/bin/app")
                } else {
                    st.abs("app")
                }
            });
        let stripped = args
            .iter()
            .any(|a| a.contains("-s -w") || a.contains("-w -s"));
        // A standard-library program: measured unstripped, a few MB.
        cx.reasons
            .push(format!("go {sub} → {out}: caches unless cache mounts"));
        if stdlib_only {
            let scale = stripped.then_some((0.68, "for -ldflags \"-s -w\" (measured)"));
            build_output(st, cx, &out, "output:go-binary-stdlib", "Go", scale);
        } else {
            // The measured rows are Debian's Go programs, which are stripped: a build without
            // `-ldflags "-s -w"` keeps its symbol and DWARF tables.
            let scale =
                (!stripped).then_some((1.3, "for the symbol tables of an unstripped build"));
            build_output(st, cx, &out, "output:go-binary", "Go", scale);
        }
    } else if sub == "mod" {
        cx.reasons.push("go mod download → module cache".into());
    }
}

pub(super) fn cargo(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    // cargo-chef's `cargo chef cook` builds the dependencies as `cargo build` would.
    let sub = match (sub, args.get(1).map(String::as_str)) {
        ("chef", Some("cook")) => "build",
        _ => sub,
    };
    let home = st
        .var("CARGO_HOME")
        .unwrap_or_else(|| "/root/.cargo".into());
    let registry = format!("{home}/registry");
    // With the project's Cargo.lock, the measured 60-crate build scales by its crate count.
    let crates = context::find_file(cx.opts, "Cargo.lock")
        .map(|f| deps::toml_lock_packages(&f.content).len())
        .filter(|n| *n > 0);
    let scaled = |key: &str, fallback: Size| -> (Size, String) {
        let measured = row_or(key, fallback);
        match crates {
            Some(n) => {
                let b = measured.bytes as f64 * n as f64 / 60.0;
                (
                    Size::new(b as u64, (b * 0.5) as u64, (b * 2.0) as u64),
                    format!("{key} scaled to the {n} crates of Cargo.lock (derived; ×0.5–×2)"),
                )
            }
            None => (measured, format!("{key}, measured for 60 crates")),
        }
    };
    if matches!(sub, "build" | "install" | "fetch" | "test")
        && !st.is_cache_mounted(&registry, cx.line)
    {
        cx.fill(
            st,
            &registry,
            (
                scaled("cache:cargo-registry", Size::mb(60.0, 10.0, 500.0)).0,
                Size::mb(1.0, 0.0, 50.0),
            ),
            format!(
                "cargo registry ({})",
                scaled("cache:cargo-registry", Size::ZERO).1
            ),
            Kind::Cache("cargo-registry".into()),
        );
    }
    match sub {
        "build" | "test" => {
            let target = st
                .var("CARGO_TARGET_DIR")
                .map(|t| st.abs(&t))
                .unwrap_or_else(|| st.abs("target"));
            let release = has_flag(args, &["--release", "-r"])
                || args.iter().any(|a| a == "--profile=release");
            if !st.is_cache_mounted(&target, cx.line) {
                let (full, what) = if release {
                    let (size, how) =
                        scaled("cache:cargo-target-release", Size::mb(130.0, 30.0, 2000.0));
                    (
                        size,
                        format!("cargo {sub} --release target directory ({how})"),
                    )
                } else {
                    (
                        Size::mb(600.0, 80.0, 4000.0),
                        format!("cargo {sub} target directory (debug build: fallback size)"),
                    )
                };
                cx.fill(
                    st,
                    &target,
                    (full, Size::mb(30.0, 2.0, 400.0)),
                    what,
                    Kind::Cache("cargo-target".into()),
                );
            }
            if sub == "build" && release {
                // The binary, where `COPY --from` and `cp` find it (its name comes from
                // Cargo.toml, which the estimate does not read).
                let out = format!("{target}/release/[binary]");
                build_output(
                    st,
                    cx,
                    &out,
                    "output:rust-release-service",
                    "Rust (release)",
                    None,
                );
            }
            cx.reasons.push(format!(
                "cargo {sub}: target/ and registry unless cache mounts ({})",
                match crates {
                    Some(n) => format!("scaled to the {n} crates of Cargo.lock"),
                    None => "measured for a 60-crate service".into(),
                }
            ));
        }
        "install" => {
            let out = format!("{home}/bin");
            build_output(
                st,
                cx,
                &out,
                "output:rust-release-service",
                "Rust (cargo install)",
                None,
            );
        }
        _ => {}
    }
}

/// True when a build tool is only asked for its version or help (`mvn -v`, `gradle --version`):
/// it fetches and builds nothing.
pub(super) fn informational(args: &[String]) -> bool {
    operands(args, &[]).is_empty()
        && args.iter().any(|a| {
            matches!(
                a.as_str(),
                "-v" | "-V" | "--version" | "-version" | "-h" | "--help" | "--info"
            )
        })
}

pub(super) fn maven(args: &[String], st: &mut State, cx: &mut Ctx) {
    if informational(args) {
        return;
    }
    let repo = "/root/.m2";
    if !st.is_cache_mounted(repo, cx.line) {
        cx.fill(
            st,
            repo,
            (
                row_or("cache:maven-repository", Size::mb(100.0, 20.0, 400.0)),
                Size::mb(20.0, 1.0, 200.0),
            ),
            "Maven local repository (cache:maven-repository, an ESTIMATE row)".into(),
            Kind::Cache("maven".into()),
        );
    }
    if args
        .iter()
        .any(|a| a == "package" || a == "install" || a == "verify")
    {
        let t = st.abs("target");
        cx.add(
            st,
            &t,
            Size::mb(40.0, 2.0, 300.0),
            "Maven target/ (jar; fallback size)".into(),
            Kind::BuildOutput("maven".into()),
        );
    }
    cx.reasons.push(format!(
        "mvn: local repository (cache:maven-repository{}) + target/ (fallback 40 MB, 2–300 MB)",
        context::find_file(cx.opts, "pom.xml")
            .map(|f| deps::pom_xml(&f.content).len())
            .map(|n| format!("; pom.xml declares {n} dependencies, their size is not measured"))
            .unwrap_or_default()
    ));
}

pub(super) fn gradle(args: &[String], st: &mut State, cx: &mut Ctx) {
    if informational(args) {
        return;
    }
    let home = st
        .var("GRADLE_USER_HOME")
        .unwrap_or_else(|| "/root/.gradle".into());
    if !st.is_cache_mounted(&home, cx.line) {
        cx.fill(
            st,
            &home,
            (
                row_or("cache:gradle", Size::mb(250.0, 100.0, 600.0)),
                Size::mb(30.0, 1.0, 300.0),
            ),
            "Gradle user home (caches, wrapper; cache:gradle, an ESTIMATE row)".into(),
            Kind::Cache("gradle".into()),
        );
    }
    if args
        .iter()
        .any(|a| a.contains("build") || a.contains("assemble") || a.contains("Jar"))
    {
        let b = st.abs("build");
        cx.add(
            st,
            &b,
            Size::mb(50.0, 2.0, 400.0),
            "Gradle build/ (fallback size)".into(),
            Kind::BuildOutput("gradle".into()),
        );
    }
    cx.reasons
        .push("gradle: caches (cache:gradle) + build/ (fallback 50 MB, 2–400 MB)".into());
}

pub(super) fn dotnet(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    if matches!(sub, "restore" | "publish" | "build")
        && !st.is_cache_mounted("/root/.nuget/packages", cx.line)
    {
        cx.fill(
            st,
            "/root/.nuget/packages",
            (Size::mb(150.0, 10.0, 800.0), Size::mb(5.0, 0.0, 100.0)),
            "NuGet packages (fallback size: not measured)".into(),
            Kind::Cache("nuget".into()),
        );
    }
    if sub == "publish" || sub == "build" {
        let out = flag_value(args, &["-o", "--output"])
            .map(|o| st.abs(&o))
            .unwrap_or_else(|| st.abs("bin"));
        let self_contained = args.iter().any(|a| {
            a == "--self-contained"
                || a == "--sc"
                || a.eq_ignore_ascii_case("-p:SelfContained=true")
                || a.eq_ignore_ascii_case("/p:SelfContained=true")
        }) && !args
            .iter()
            .any(|a| a.contains("self-contained=false") || a == "--no-self-contained");
        let key = if self_contained {
            "output:dotnet-self-contained"
        } else {
            "output:dotnet-framework-dependent"
        };
        build_output(st, cx, &out, key, ".NET", None);
    }
    if matches!(sub, "restore" | "publish" | "build") {
        cx.reasons.push(format!(
            "dotnet {sub}: NuGet packages fallback 150 MB (10–800 MB) unless a cache mount"
        ));
    }
}
