//! Run the final stage as a non-root user.
//!
//! ## What it does
//! In the final stage: creates `appuser` (uid/gid 1000, no home, no login shell) with
//! `groupadd`/`useradd` (Debian, Ubuntu) or `addgroup`/`adduser` (Alpine), or uses the image's own
//! user (`node` in Node images, `app` in .NET 8+ images, `nonroot` in distroless); copies the
//! application with `--chown`; and switches with `USER` after the last file-changing instruction.
//!
//! Each `VOLUME` of the stage is created and given to the user just before it is declared
//! (`RUN mkdir -p /app/data && chown appuser:appuser /app/data`): a volume's mount point that
//! the image leaves to root cannot be written by a non-root process.
//!
//! ## Why is this better?
//! A process running as root in the container is root on any escape; the founding guide's
//! production pattern creates and switches to a non-root user.
//!
//! ## Fix safety
//! Unsafe: the program can no longer write outside the files it owns or bind ports below 1024.
//!
//! ## References
//! Founding guide, "Production Multi-Stage with Security"; hadolint DL3002 (last USER should not
//! be root); Docker docs, "Best practices: USER".

use super::project::{root_image, stage_chain};
use super::util::{self, copy_parts, image_repo_tag, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::{Args, Keyword};

pub const META: RefactorMeta = RefactorMeta {
    id: "non-root-user",
    title: "Run as a non-root user",
    sources: &[
        (
            "Founding guide: Production Multi-Stage with Security",
            "https://docs.docker.com/build/building/best-practices/#user",
        ),
        (
            "hadolint DL3002",
            "https://github.com/hadolint/hadolint/wiki/DL3002",
        ),
    ],
};

/// How the user comes to exist in the image.
pub struct UserPlan {
    /// The `USER` value and the `--chown` value.
    pub user: String,
    /// A RUN that creates the user, when the image has none.
    pub create: Option<String>,
}

/// The user to run as for an image, or `None` when the image's server needs root (ports < 1024).
pub fn user_for(image: &str) -> Option<UserPlan> {
    let (repo, tag) = image_repo_tag(image);
    let name = repo.rsplit('/').next().unwrap_or(&repo);
    if matches!(name, "nginx" | "httpd" | "caddy" | "traefik" | "haproxy")
        || (name == "php" && (tag.contains("apache") || tag.contains("fpm")))
    {
        return None;
    }
    if tag.contains("windows")
        || tag.contains("nanoserver")
        || tag.contains("servercore")
        || repo.contains("windows")
    {
        return None;
    }
    if repo.contains("distroless") || repo == "scratch" {
        return Some(UserPlan {
            user: "65532:65532".into(),
            create: None,
        });
    }
    if name == "node" {
        return Some(UserPlan {
            user: "node".into(),
            create: None,
        });
    }
    if repo.contains("dotnet/") && !tag.starts_with("6.") && !tag.starts_with("7.") {
        return Some(UserPlan {
            user: "app".into(),
            create: None,
        });
    }
    let alpine = repo == "alpine" || tag.contains("alpine");
    let create = if alpine {
        "RUN addgroup -S -g 1000 appuser \\\n    && adduser -S -u 1000 -G appuser -H -s /sbin/nologin appuser"
    } else {
        "RUN groupadd --gid 1000 appuser \\\n    && useradd --uid 1000 --gid 1000 --no-create-home --shell /bin/false appuser"
    };
    Some(UserPlan {
        user: "appuser".into(),
        create: Some(create.into()),
    })
}

pub fn check(cx: &Context) -> Option<Draft> {
    let stage = util::final_stage(cx.model)?;
    let instrs = stage_instructions(cx.doc, stage);
    if instrs.iter().any(|(_, i)| i.keyword == Keyword::User) {
        return None;
    }
    if instrs
        .iter()
        .any(|(_, i)| i.keyword == Keyword::Expose && low_port(&util::arg_text(i)))
    {
        return None;
    }
    // A USER in a stage this one is built FROM already applies here.
    if stage_chain(cx.model, stage).iter().skip(1).any(|parent| {
        stage_instructions(cx.doc, parent)
            .iter()
            .any(|(_, i)| i.keyword == Keyword::User)
    }) {
        return None;
    }
    let image = root_image(cx.model, stage);
    // Images that already run as a non-root user (distroless `:nonroot`, Chainguard) need none.
    if crate::estimate::bases::resolve(&image)
        .default_user()
        .is_some_and(|u| u != "root" && u != "0")
    {
        return None;
    }
    let plan = user_for(&image)?;
    let wd = util::workdirs(cx.doc, stage);
    let mut edits = Vec::new();
    // Create the user before the first COPY/ADD (or before USER when there is none).
    let first_copy = instrs
        .iter()
        .position(|(_, i)| matches!(i.keyword, Keyword::Copy | Keyword::Add));
    let last_change = instrs.iter().rposition(|(_, i)| {
        matches!(
            i.keyword,
            Keyword::Copy | Keyword::Add | Keyword::Run | Keyword::Volume
        )
    });
    let user_at = match last_change {
        Some(p) => util::line_span(cx.text, instrs[p].1.span, false).end,
        None => {
            util::line_span(
                cx.text,
                cx.doc.instructions.get(stage.from_instruction)?.span,
                false,
            )
            .end
        }
    };
    let user_line = format!("\nUSER {}\n", plan.user);
    // Volumes are mount points the image creates owned by root: a non-root user could not
    // write them. They are made and handed to the user before their VOLUME.
    let first_volume = instrs
        .iter()
        .position(|(_, i)| i.keyword == Keyword::Volume);
    let first_setup = match (first_copy, first_volume) {
        (Some(c), Some(v)) => Some(c.min(v)),
        (c, v) => c.or(v),
    };
    if let Some(create) = &plan.create {
        let at = match first_setup {
            Some(p) => util::line_span(cx.text, instrs[p].1.span, true).start,
            None => user_at,
        };
        let insert = if first_setup.is_some() {
            format!("# Create non-root user\n{create}\n\n")
        } else {
            format!("\n{create}\n")
        };
        edits.push(TextEdit {
            span: Span::empty(at),
            insert,
        });
    }
    // Application files owned by the user: COPYs into the working directory.
    let chown = if plan.user.contains(':') {
        plan.user.clone()
    } else {
        format!("{0}:{0}", plan.user)
    };
    for (i, ins) in &instrs {
        if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
            || ins.flags.iter().any(|f| f.name == "chown")
        {
            continue;
        }
        let Some((_, dest)) = copy_parts(ins) else {
            continue;
        };
        let here = wd
            .iter()
            .find(|(j, _)| j == i)
            .map_or("/", |(_, w)| w.as_str());
        let inside = !dest.starts_with('/') || (here != "/" && dest.starts_with(here));
        if !inside {
            continue;
        }
        let at = ins
            .flags
            .first()
            .map(|f| f.span.start)
            .unwrap_or(match &ins.args {
                Args::Shell { span, .. } | Args::Exec { span, .. } => span.start,
            });
        edits.push(TextEdit {
            span: Span::empty(at),
            insert: format!("--chown={chown} "),
        });
    }
    let mut volumes: Vec<String> = Vec::new();
    for (i, ins) in &instrs {
        if ins.keyword != Keyword::Volume {
            continue;
        }
        let here = wd
            .iter()
            .find(|(j, _)| j == i)
            .map_or("/", |(_, w)| w.as_str());
        let paths: Vec<String> = util::arg_words(ins)
            .iter()
            .filter(|p| !p.is_empty() && !p.contains('$'))
            .map(|p| util::resolve(here, p))
            .collect();
        if paths.is_empty() {
            continue;
        }
        let list = paths.join(" ");
        let insert = format!("RUN mkdir -p {list} && chown {chown} {list}\n");
        let at = util::line_span(cx.text, ins.span, true).start;
        // With the user's creation inserted at the same place, it comes first.
        if Some(at) == edits.first().map(|e: &TextEdit| e.span.start) && plan.create.is_some() {
            edits[0].insert.push_str(&insert);
        } else {
            edits.push(TextEdit {
                span: Span::empty(at),
                insert,
            });
        }
        volumes.extend(paths);
    }
    edits.push(TextEdit {
        span: Span::empty(user_at),
        insert: user_line,
    });
    Some(Draft {
        title: format!("Run as the non-root user `{}`", plan.user),
        explanation: format!(
            "The final stage runs as root, so a compromised process is root in the container. {} the application files \
             with `--chown` and switching with `USER {}` follows the founding guide's production pattern.",
            if plan.create.is_some() { "Creating `appuser` (uid 1000), owning" } else { "Using the image's own non-root user, owning" },
            plan.user
        ) + &if volumes.is_empty() {
            String::new()
        } else {
            format!(
                " The volume{} {} {} created owned by `{}` before {} declared: a mount point the image makes belongs to root, which the user could not write.",
                if volumes.len() > 1 { "s" } else { "" },
                volumes.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                if volumes.len() > 1 { "are" } else { "is" },
                plan.user,
                if volumes.len() > 1 { "they are" } else { "it is" },
            )
        },
        applicability: Applicability::Unsafe,
        edits,
    })
}

fn low_port(text: &str) -> bool {
    text.split_whitespace().any(|p| {
        p.split('/')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n < 1024)
    })
}
