//! Compiled ecosystems (Go, Rust, Java, .NET, C/C++): the runtime copies the built artifact.

use super::base_images::{debian_codename, is_alpine, java_version};
use super::os_packages::{install_line, runtime_packages};
use super::{build_only_env, header, join, meta_line, setup_run, Parts, Plan, Role};
use crate::refactor::project::{Ecosystem, Project};
use crate::refactor::shell::{self, exec_form, Command};
use crate::refactor::util::{self, arg_text, image_repo_tag};
use crate::syntax::Keyword;

pub(super) fn compiled(parts: &Parts, project: &Project, base: &str) -> Result<Plan, String> {
    let mut notes: Vec<String> = Vec::new();
    let mut builder = vec![format!("FROM {base} AS builder")];
    let mut run_words = project.run_command.clone();
    let mut suffix: Vec<String> = Vec::new();
    let mut artifacts: Vec<(String, String)> = project
        .artifacts
        .iter()
        .map(|a| (a.clone(), a.clone()))
        .collect();
    let alpine = is_alpine(base);
    let all_cmds: Vec<Command> = parts
        .instrs
        .iter()
        .filter(|(_, ins, _)| ins.keyword == Keyword::Run)
        .flat_map(|(_, ins, _)| shell::commands(&arg_text(ins)))
        .collect();
    let mut runtime_packages = runtime_packages(
        project,
        alpine,
        &["ca-certificates", "tzdata", "curl", "wget"],
    );
    let runtime_base: String;
    let mut distroless = false;
    match project.ecosystem {
        Ecosystem::Go => {
            let cgo_set = all_cmds
                .iter()
                .any(|c| c.assigned().iter().any(|(k, _)| *k == "CGO_ENABLED"))
                || parts.instrs.iter().any(|(_, ins, r)| {
                    *r == Role::Env
                        && util::key_values(ins)
                            .iter()
                            .any(|(k, _)| k == "CGO_ENABLED")
                });
            let cgo_on = all_cmds.iter().any(|c| {
                c.assigned()
                    .iter()
                    .any(|(k, v)| *k == "CGO_ENABLED" && *v == "1")
            }) || project
                .build_packages
                .iter()
                .any(|p| matches!(p.as_str(), "gcc" | "musl-dev" | "build-base" | "g++"))
                || project.build_packages.iter().any(|p| p.contains("sqlite"));
            if cgo_on {
                runtime_base = if alpine {
                    "alpine:3.20".into()
                } else {
                    "debian:bookworm-slim".into()
                };
                notes.push("The build links C code (cgo), so the runtime is a small image with the C library rather than a static one.".into());
            } else {
                if !cgo_set {
                    builder.push("ENV CGO_ENABLED=0".into());
                    notes.push("`CGO_ENABLED=0` makes the Go binary static, so it runs in `distroless/static` (no libc, no shell).".into());
                }
                runtime_base = "gcr.io/distroless/static-debian12".into();
                distroless = true;
            }
        }
        Ecosystem::Rust => {
            if alpine {
                runtime_base = "alpine:3.20".into();
            } else if runtime_packages.is_empty() {
                runtime_base = "gcr.io/distroless/cc-debian12".into();
                distroless = debian_codename(base) == "bookworm";
                if !distroless {
                    return Err(format!(
                        "no distroless image matches `{base}`'s Debian release"
                    ));
                }
                notes.push("`distroless/cc` has glibc and libgcc, what a cargo binary links against, and no shell.".into());
            } else {
                runtime_base = format!("debian:{}-slim", debian_codename(base));
                runtime_packages.push("ca-certificates".into());
            }
        }
        Ecosystem::Java => {
            let version = java_version(base)
                .ok_or_else(|| format!("the Java version of `{base}` is not in its tag"))?;
            runtime_base = if alpine {
                format!("eclipse-temurin:{version}-jre-alpine")
            } else {
                format!("eclipse-temurin:{version}-jre")
            };
            runtime_packages.clear();
            notes.push(format!(
                "The runtime is a Java {version} JRE: no JDK, no Maven or Gradle."
            ));
        }
        Ecosystem::DotNet => {
            let (repo, tag) = image_repo_tag(base);
            if !repo.ends_with("dotnet/sdk") {
                return Err(format!("`{base}` is not the .NET SDK image"));
            }
            runtime_base = format!("mcr.microsoft.com/dotnet/aspnet:{tag}");
            runtime_packages.clear();
            if artifacts.is_empty() {
                // `dotnet run`: publish instead, and run the published dll.
                let project_file = run_words
                    .iter()
                    .position(|w| w == "--project")
                    .and_then(|i| run_words.get(i + 1))
                    .cloned()
                    .or_else(|| {
                        project
                            .manifests
                            .iter()
                            .find(|m| m.ends_with(".csproj") && !m.contains('*'))
                            .cloned()
                    })
                    .ok_or("the project file `dotnet run` runs is not named")?;
                let name = shell::basename(&project_file)
                    .trim_end_matches(".csproj")
                    .to_string();
                if !(run_words.first().is_some_and(|w| w == "dotnet")
                    && run_words.get(1).is_some_and(|w| w == "run"))
                {
                    return Err("the command runs neither a published dll nor `dotnet run`".into());
                }
                suffix.push(format!(
                    "RUN dotnet publish {project_file} -c Release -o /app/publish"
                ));
                artifacts.push(("/app/publish".into(), "/app".into()));
                run_words = vec!["dotnet".into(), format!("{name}.dll")];
                notes.push(format!("`dotnet run` needs the SDK; the builder publishes `{name}` and the runtime runs `{name}.dll`."));
            }
            notes.push("`aspnet` holds the ASP.NET Core and .NET runtimes, not the SDK.".into());
        }
        Ecosystem::C => {
            let (repo, tag) = image_repo_tag(base);
            runtime_base = match repo.as_str() {
                "gcc" => "debian:bookworm-slim".into(),
                "ubuntu" => base.to_string(),
                "debian" if tag.contains("slim") => base.to_string(),
                "debian" => format!("debian:{tag}-slim"),
                "alpine" => base.to_string(),
                _ => return Err(format!("no small runtime image is known for `{base}`")),
            };
            if repo == "gcc" {
                notes.push("Programs built with the `gcc` image's newer libstdc++ may need it at run time; C programs and plain libc are fine on `debian:bookworm-slim`.".into());
            }
        }
        _ => return Err("the ecosystem has no compiled split".into()),
    }
    if artifacts.is_empty() {
        return Err(match run_words.first() {
            Some(p) => format!("where `{p}` comes from is not known: it is neither built at a path the file names nor installed by `go install`/`cargo install`"),
            None => "the stage has no CMD or ENTRYPOINT, so the program to copy is not known".into(),
        });
    }
    // Users, groups and directories the stage sets up (in RUNs that stay in the builder) are
    // set up again in the runtime.
    let setup: Vec<String> = parts
        .instrs
        .iter()
        .enumerate()
        .filter_map(|(pos, (_, ins, _))| setup_run(ins, parts.workdir_at(pos), false))
        .collect();
    // distroless has no shell: every run-time instruction must do without one.
    if distroless {
        let needs_shell = parts.instrs.iter().any(|(_, ins, _)| match ins.keyword {
            Keyword::Cmd | Keyword::Entrypoint => {
                !util::is_exec(ins) && shell::needs_shell(&arg_text(ins))
            }
            Keyword::Healthcheck => true,
            _ => false,
        }) || !runtime_packages.is_empty()
            || !setup.is_empty();
        if needs_shell {
            let fallback = if project.ecosystem == Ecosystem::Go
                || project.ecosystem == Ecosystem::Rust
            {
                format!("debian:{}-slim", debian_codename(base))
            } else {
                return Err(format!("`{runtime_base}` has no shell for the command, health check or setup the stage needs"));
            };
            return compiled_render(
                parts,
                project,
                builder,
                suffix,
                artifacts,
                run_words,
                fallback,
                false,
                runtime_packages,
                setup,
                notes,
            );
        }
    }
    compiled_render(
        parts,
        project,
        builder,
        suffix,
        artifacts,
        run_words,
        runtime_base,
        distroless,
        runtime_packages,
        setup,
        notes,
    )
}

#[allow(clippy::too_many_arguments)]
fn compiled_render(
    parts: &Parts,
    project: &Project,
    mut builder: Vec<String>,
    suffix: Vec<String>,
    artifacts: Vec<(String, String)>,
    run_words: Vec<String>,
    runtime_base: String,
    distroless: bool,
    packages: Vec<String>,
    setup: Vec<String>,
    mut notes: Vec<String>,
) -> Result<Plan, String> {
    for (_, ins, r) in &parts.instrs {
        if *r != Role::Meta {
            builder.push(parts.source(ins));
        }
    }
    builder.extend(suffix);
    let mut runtime = vec![format!("FROM {runtime_base} AS production")];
    for (_, ins, r) in &parts.instrs {
        match r {
            Role::Env if !build_only_env(ins) => runtime.push(parts.source(ins)),
            Role::Arg => runtime.push(parts.source(ins)),
            _ => {}
        }
    }
    let wd = parts.final_workdir().to_string();
    if wd != "/" {
        runtime.push(format!("WORKDIR {wd}"));
    }
    if !packages.is_empty() {
        runtime.push(install_line(&packages, is_alpine(&runtime_base)));
    }
    for (from, to) in &artifacts {
        runtime.push(format!("COPY --from=builder {from} {to}"));
    }
    runtime.extend(setup);
    let rewrite_cmd = run_words != project.run_command;
    let mut cmd_written = false;
    for (_, ins, r) in &parts.instrs {
        if *r != Role::Meta {
            continue;
        }
        if matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) && rewrite_cmd {
            if !cmd_written {
                runtime.push(format!("ENTRYPOINT {}", exec_form(&run_words)));
                cmd_written = true;
            }
            continue;
        }
        runtime.push(meta_line(parts, ins, None, distroless));
    }
    if distroless {
        notes.push(format!("`{runtime_base}` has no shell, so CMD/ENTRYPOINT use the exec form and a HEALTHCHECK needs a binary of its own."));
    }
    let list: Vec<String> = artifacts.iter().map(|(f, _)| format!("`{f}`")).collect();
    let mut text = header("Stage 1: Builder");
    text.push_str(&join(&builder));
    text.push('\n');
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&join(&runtime));
    Ok(Plan {
        text,
        runtime_base,
        what: list.join(", "),
        notes,
    })
}
