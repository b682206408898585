//! Compiled languages' build tools: `go`, `cargo`, `mvn`, `gradle` and `dotnet`: their caches,
//! toolchain downloads and build outputs.

use super::{flag_value, Ctx};
use crate::estimate::size::Size;
use crate::estimate::state::{Kind, State};

pub(super) fn go(args: &[String], st: &mut State, cx: &mut Ctx) {
    let sub = args.first().map(String::as_str).unwrap_or("");
    let gopath = st.var("GOPATH").unwrap_or_else(|| "/root/go".into());
    let modcache = format!("{gopath}/pkg/mod");
    let uses_modules = matches!(
        sub,
        "build" | "install" | "mod" | "get" | "generate" | "test" | "vet"
    );
    if uses_modules
        && !st.is_cache_mounted(&modcache, cx.line)
        && !st.entries.iter().any(|e| e.path == modcache)
    {
        cx.add(
            st,
            &modcache,
            Size::mb(100.0, 5.0, 1000.0),
            "Go module cache".into(),
            Kind::Cache("go-mod".into()),
        );
    }
    if matches!(sub, "build" | "install" | "test" | "vet")
        && !st.is_cache_mounted("/root/.cache/go-build", cx.line)
    {
        cx.fill(
            st,
            "/root/.cache/go-build",
            (Size::mb(150.0, 20.0, 800.0), Size::mb(20.0, 0.0, 300.0)),
            "Go build cache".into(),
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
        let size = if stripped {
            Size::mb(12.0, 2.0, 60.0)
        } else {
            Size::mb(18.0, 3.0, 90.0)
        };
        cx.add(
            st,
            &out,
            size,
            format!(
                "go {sub} binary{}",
                if stripped { " (stripped)" } else { "" }
            ),
            Kind::BuildOutput("go".into()),
        );
        cx.reasons.push(format!("go {sub} → {out}: binary size depends on the program (typical range); caches unless cache mounts"));
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
    if matches!(sub, "build" | "install" | "fetch" | "test")
        && !st.is_cache_mounted(&registry, cx.line)
    {
        cx.fill(
            st,
            &registry,
            (Size::mb(150.0, 10.0, 800.0), Size::mb(1.0, 0.0, 50.0)),
            "cargo registry".into(),
            Kind::Cache("cargo-registry".into()),
        );
    }
    match sub {
        "build" | "test" => {
            let target = st
                .var("CARGO_TARGET_DIR")
                .map(|t| st.abs(&t))
                .unwrap_or_else(|| st.abs("target"));
            if !st.is_cache_mounted(&target, cx.line) {
                cx.fill(
                    st,
                    &target,
                    (Size::mb(600.0, 80.0, 4000.0), Size::mb(30.0, 2.0, 400.0)),
                    format!("cargo {sub} target directory"),
                    Kind::Cache("cargo-target".into()),
                );
            }
            cx.reasons.push(format!(
                "cargo {sub}: target/ and registry unless cache mounts (typical range)"
            ));
        }
        "install" => {
            cx.add(
                st,
                &format!("{home}/bin"),
                Size::mb(15.0, 1.0, 100.0),
                "cargo install binary".into(),
                Kind::BuildOutput("cargo".into()),
            );
            cx.reasons.push("cargo install".into());
        }
        _ => {}
    }
}

/// True when a build tool is only asked for its version or help (`mvn -v`, `gradle --version`):
/// it fetches and builds nothing.
pub(super) fn informational(args: &[String]) -> bool {
    args.iter().all(|a| a.starts_with('-'))
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
            (Size::mb(150.0, 20.0, 800.0), Size::mb(20.0, 1.0, 200.0)),
            "Maven local repository".into(),
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
            "Maven target/ (jar)".into(),
            Kind::BuildOutput("maven".into()),
        );
    }
    cx.reasons
        .push("mvn: local repository + target/ (typical range)".into());
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
            (Size::mb(350.0, 80.0, 1200.0), Size::mb(30.0, 1.0, 300.0)),
            "Gradle user home (caches, wrapper)".into(),
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
            "Gradle build/".into(),
            Kind::BuildOutput("gradle".into()),
        );
    }
    cx.reasons
        .push("gradle: caches + build/ (typical range)".into());
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
            "NuGet packages".into(),
            Kind::Cache("nuget".into()),
        );
    }
    if sub == "publish" || sub == "build" {
        let out = flag_value(args, &["-o", "--output"])
            .map(|o| st.abs(&o))
            .unwrap_or_else(|| st.abs("bin"));
        cx.add(
            st,
            &out,
            Size::mb(60.0, 2.0, 300.0),
            format!("dotnet {sub} output"),
            Kind::BuildOutput("dotnet".into()),
        );
    }
    if matches!(sub, "restore" | "publish" | "build") {
        cx.reasons.push(format!("dotnet {sub} (typical range)"));
    }
}
