//! Facts about the final image, read from the simulated state of the target stage.

use super::run::is_build_tool_package;
use super::size::human;
use super::state::{Kind, State};
use super::{BuildTool, CacheFact, Facts};
use crate::model::Model;

pub fn collect(st: &State, model: &Model, target: usize) -> Facts {
    let base = st.base.as_ref().and_then(|r| r.base);
    let mut f = Facts::default();
    match &st.user {
        Some((u, line)) => {
            f.user = u.clone();
            f.user_source = line
                .map(|l| format!("line {l}"))
                .unwrap_or_else(|| "base image".into());
        }
        None => {
            f.user = st
                .base
                .as_ref()
                .and_then(|r| r.default_user())
                .unwrap_or("root")
                .to_string();
            f.user_source = if base.is_some() {
                "base image".into()
            } else {
                "Docker's default (the base image is not in the knowledge base)".into()
            };
        }
    }
    let uname = f.user.split(':').next().unwrap_or("");
    f.runs_as_root = uname == "root" || uname == "0" || uname.is_empty();
    f.shell = base.filter(|b| b.has_shell()).map(|b| b.shell.clone());
    f.package_manager = base
        .filter(|b| b.package_manager != "none")
        .map(|b| b.package_manager.clone());
    f.os = base.map(|b| b.os.clone());
    f.libc = base.map(|b| b.libc.clone());
    // Build tools: installed packages, toolchains from the base image, compiler outputs and caches.
    for e in &st.entries {
        let tool = match &e.kind {
            Kind::Deb(n) if is_build_tool_package(n) => Some((n.clone(), "apt package")),
            Kind::Apk(n, _)
                if is_build_tool_package(n)
                    || super::kb::kb().alpine.get(n).is_some_and(|p| p.build_tool) =>
            {
                Some((n.clone(), "apk package"))
            }
            _ => None,
        };
        if let Some((name, via)) = tool {
            f.build_tools.push(BuildTool {
                name,
                stage: e.stage,
                line: e.line,
                via: via.into(),
            });
        }
    }
    if let Some(b) = base {
        for t in &b.build_tools {
            f.build_tools.push(BuildTool {
                name: t.clone(),
                stage: target,
                line: 0,
                via: format!("base image {}", b.name),
            });
        }
    }
    for e in &st.entries {
        if let Kind::Cache(what) = &e.kind {
            f.caches.push(CacheFact {
                path: e.path.clone(),
                bytes: e.size.bytes,
                stage: e.stage,
                line: e.line,
                in_image: true,
            });
            f.build_tools.push(BuildTool {
                name: format!("{what} cache"),
                stage: e.stage,
                line: e.line,
                via: e.path.clone(),
            });
        }
    }
    f.caches.extend(st.cache_mounts.iter().cloned());
    f.secrets = st.secrets.clone();
    f.entrypoint = st.entrypoint.as_ref().map(|(v, _)| v.clone());
    f.entrypoint_source = st.entrypoint.as_ref().map(|(_, l)| {
        l.map(|l| format!("line {l}"))
            .unwrap_or_else(|| "base image".into())
    });
    f.cmd = st.cmd.as_ref().map(|(v, _)| v.clone());
    f.cmd_source = st.cmd.as_ref().map(|(_, l)| {
        l.map(|l| format!("line {l}"))
            .unwrap_or_else(|| "base image".into())
    });
    f.exposed_ports = st.ports.clone();
    f.healthcheck = st.healthcheck.as_ref().map(|(t, _)| t.clone());
    f.workdir = st.workdir.clone();
    f.env = st.env.clone();

    // Warnings for the fact cards.
    let stage_count = model.stages.len();
    let real_tools: Vec<String> = f
        .build_tools
        .iter()
        .filter(|t| !t.name.ends_with(" cache"))
        .map(|t| {
            if t.line > 0 {
                format!("{} (line {})", t.name, t.line)
            } else {
                format!("{} ({})", t.name, t.via)
            }
        })
        .collect();
    if !real_tools.is_empty() {
        let mut shown: Vec<String> = real_tools.iter().take(6).cloned().collect();
        if real_tools.len() > 6 {
            shown.push(format!("and {} more", real_tools.len() - 6));
        }
        f.warnings.push(format!(
            "build tools in final image: {}{}",
            shown.join(", "),
            if stage_count < 2 {
                " — build in a separate stage and copy only the result"
            } else {
                ""
            }
        ));
    }
    let in_image: Vec<String> = f
        .caches
        .iter()
        .filter(|c| c.in_image)
        .map(|c| format!("{} ({})", c.path, human(c.bytes)))
        .collect();
    if !in_image.is_empty() {
        f.warnings
            .push(format!("caches in final image: {}", in_image.join(", ")));
    }
    if f.runs_as_root {
        f.warnings.push(format!("runs as root ({})", f.user_source));
    } else if !st.users.iter().any(|u| u == uname)
        && !uname.chars().all(|c| c.is_ascii_digit())
        && base.is_some_and(|b| !b.user.contains(uname))
        && ![
            "nobody", "www-data", "daemon", "node", "nonroot", "postgres", "redis", "nginx", "app",
            "gradle",
        ]
        .contains(&uname)
    {
        f.warnings.push(format!(
            "USER {uname}: no RUN in the image creates this user"
        ));
    }
    for s in &f.secrets {
        f.warnings.push(format!("{} {} (line {}) looks like a secret: ARG and ENV values stay in the image history; use --mount=type=secret", s.instruction, s.name, s.line));
    }
    if f.healthcheck.is_none() {
        f.warnings.push("no HEALTHCHECK".into());
    }
    f
}
