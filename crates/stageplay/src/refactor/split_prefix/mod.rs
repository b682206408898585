//! Split a stage that compiles a program into `/usr/local` into a builder and a runtime stage.
//!
//! ## What it does
//! For a single stage that builds a runtime or server from source and installs it under
//! `/usr/local` (`./configure && make && make install`, the docker-library recipes for Python,
//! PHP, Redis, PostgreSQL on Alpine…): the original stage becomes the `builder`, unchanged, plus
//! one step that lists the OS packages (Debian: `ldd` + `dpkg-query --search`) or shared
//! libraries (Alpine: `scanelf --needed`) the programs in `/usr/local` link. The `production`
//! stage starts `FROM` the same base and keeps, in their original order, the instructions that
//! build nothing (ENV, ARG, WORKDIR, USER, user and directory setup RUNs, package-only RUNs,
//! COPY of context files, EXPOSE, CMD, ENTRYPOINT…); the build RUNs are replaced by
//! `COPY --from=builder /usr/local /usr/local` followed by one RUN that installs the listed
//! packages (and, on Debian, runs `ldconfig`: the builder's `/etc/ld.so.cache` is not copied).
//!
//! A RUN is a build step (kept in the builder only) unless every program it runs is a plain
//! system tool (package managers, `mkdir`, `chown`, `ln`, `groupadd`, `sed`…) and it names
//! nothing under `/usr/local`. The copy goes where the last build step was. User and group
//! commands at the head of a build RUN (`addgroup … && adduser … && build`, node's Alpine
//! image) are rebuilt word for word as a RUN the runtime replays in place. A build step may also
//! install into `/opt` (empty in the bases): the runtime then copies `/opt` too. More that the
//! runtime copies or replays:
//! - PHP's Apache module (`configure --with-apxs2` on Debian, with the `apache2` package installed
//!   by a step both stages run): Apache's module and configuration directories;
//! - a compiler's named output or a `mv`/`cp` destination directly in a system program directory
//!   or a new top-level folder (`gcc … -o /usr/bin/nnp-test`, `mv dist /webui`);
//! - files downloaded into `/usr/src` that nothing removes (PHP's source archive, which
//!   `docker-php-source` extracts in derived images);
//! - run-time package groups a build step keeps (`apk add --virtual .postgresql-rundeps $runDeps
//!   bash tzdata`), without the computed `$runDeps` that the runtime's own library list brings;
//! - steps after the last one that writes the prefix that compile nothing (nextcloud fetching
//!   its application into `/usr/src`): they run in the runtime, after the copy.
//!
//! A RUN that only installs compilers and headers, and context files copied into `/usr/src`
//! before the build, stay in the builder. PHP extension builds on the official `php` and
//! `nextcloud` images (`docker-php-ext-install`, `pecl install`) install into the prefix; those
//! images' own programs (`apache2-foreground`, `php-fpm`, `/entrypoint.sh`…) are there in both
//! stages, and a stage without a command of its own runs its base's.
//!
//! Declined when it cannot be done safely: more than one stage, ONBUILD, SHELL (Windows
//! images), an OS family other than Debian/Ubuntu or Alpine (the package names cannot be
//! found), another install prefix (`--prefix=`, `PREFIX=`, `DESTDIR=`, `CMAKE_INSTALL_PREFIX=`),
//! nothing installed (`make install`, `ninja install`, `cmake --install`, PHP's extension
//! installers, a file moved into the prefix, a named output), a build step that names a path
//! outside `/usr/local` other than scratch and read-only ones (`/tmp`, `/usr/src`,
//! `/usr/include`, the package caches, a directory the same RUN removes…), an output that may
//! not exist (`|| true` in its RUN), a build step that installs an OS package other than
//! compilers and headers without removing it in the same RUN, a non-root USER before the last
//! build step, user or group commands elsewhere in a build step, `configure --with-apxs*`
//! without a replayed Debian `apache2`, or a command whose program is not known to be in the
//! runtime — in `/usr/local` (run after the install, built by a known `configure` flag such as
//! `--enable-fpm` → `php-fpm`, or copied from the context), a named output, a program of the
//! official base image, a package a replayed step installs (`supervisor` → `supervisord`), or
//! the base's shell.
//!
//! ## Why is this better?
//! Compilers, headers, sources and the package manager's lists used by the build stay in the
//! builder; the runtime gets the installed tree and the libraries it links. When the original
//! RUN already purges its build dependencies in the same layer (docker-library does), the saving
//! is small: the estimate shows it. The split still gives a cached builder and a runtime whose
//! layers hold no trace of the build.
//!
//! ## Fix safety
//! Unsafe: files a build step wrote outside `/usr/local` (other than the ones it names and the
//! declined cases above) are not in the runtime, and packages are chosen from the libraries
//! the programs link, not from what the program opens at run time (`dlopen`, data files of
//! other packages). Review the runtime's package list.
//!
//! ## References
//! Docker docs, "Multi-stage builds"; docker-library's own idiom for runtime dependencies
//! (`ldd` + `dpkg-query --search` in python/php/redis on Debian, `scanelf --needed` on
//! Alpine); founding guide, "Why Multi-Stage?".

mod paths;
mod plan;
mod programs;
pub(crate) mod render;
mod steps;
#[cfg(test)]
mod tests;

use super::util::{self, image_repo_tag};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::model::Stage;
use plan::plan;
pub use programs::copied_to_path;

pub const META: RefactorMeta = RefactorMeta {
    id: "split-prefix",
    title: "Split a compiled /usr/local into a builder and a runtime stage",
    sources: &[
        (
            "Docker docs: Multi-stage builds",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
        (
            "docker-library/python: runtime dependencies from ldd and dpkg-query",
            "https://github.com/docker-library/python",
        ),
        (
            "docker-library/php: runtime dependencies from scanelf on Alpine",
            "https://github.com/docker-library/php",
        ),
        (
            "Founding guide: Why Multi-Stage?",
            "https://docs.docker.com/build/building/multi-stage/",
        ),
    ],
};

/// The install prefix the runtime copies.
pub const PREFIX: &str = "/usr/local";

/// The OS family of the base, which decides how runtime libraries are found and installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Debian,
    Alpine,
}

/// Official images built on Debian unless their tag says otherwise.
const DEBIAN_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "python",
    "php",
    "node",
    "ruby",
    "perl",
    "golang",
    "rust",
    "httpd",
    "nextcloud",
];

pub(crate) fn family(image: &str) -> Option<Family> {
    let (repo, tag) = image_repo_tag(image);
    let lower = tag.to_ascii_lowercase();
    if ["windows", "nanoserver", "servercore", "ltsc"]
        .iter()
        .any(|w| lower.contains(w) || repo.contains(w))
    {
        return None;
    }
    if repo == "alpine" || lower.contains("alpine") {
        return Some(Family::Alpine);
    }
    // A user's own Debian or Ubuntu image (`someone/ubuntu:14.04`) is still Debian.
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    (DEBIAN_IMAGES.contains(&repo.as_str()) || matches!(last, "debian" | "ubuntu"))
        .then_some(Family::Debian)
}

/// Programs that only set up the system: a RUN using only these (and naming nothing under the
/// prefix) builds nothing and is replayed in the runtime.
const SYSTEM_TOOLS: &[&str] = &[
    "",
    "set",
    "export",
    "apt-get",
    "apt",
    "apt-mark",
    "apk",
    "rm",
    "mkdir",
    "chown",
    "chmod",
    "chgrp",
    "ln",
    "groupadd",
    "useradd",
    "usermod",
    "groupmod",
    "addgroup",
    "adduser",
    "echo",
    "printf",
    "tee",
    "sed",
    "grep",
    "test",
    "[",
    "true",
    ":",
    "touch",
    "install",
    "localedef",
    "locale-gen",
    "update-ca-certificates",
    "a2enmod",
    "a2dismod",
    "a2enconf",
    "a2disconf",
    "a2ensite",
    "a2dissite",
    "dpkg-reconfigure",
    "{",
    "}",
    "cat",
    "cd",
    "for",
    "done",
    "fi",
    ".",
];

/// One instruction of the stage and what the split does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Builder only (a build step).
    Build,
    /// Builder and runtime (ENV, ARG, WORKDIR, setup RUNs, context COPY).
    Both,
    /// Runtime only (CMD, ENTRYPOINT, EXPOSE, USER, …).
    Runtime,
    /// Builder only: a context COPY into the prefix before the last build step (the copied
    /// prefix brings it), or of sources into `/usr/src`.
    InPrefix,
}

struct Plan {
    text: String,
    notes: Vec<String>,
}

/// Offers the prefix split (where the ecosystem split does not apply: see
/// [`crate::refactor::REFACTORS`]).
pub fn check(cx: &Context) -> Option<Draft> {
    let stage = util::lone_stage(cx.model)?;
    let from = util::ins(cx.doc, stage.from_instruction)?;
    // The image as written goes into both FROMs (a global ARG in it still applies); the family
    // comes from the image after ARG expansion.
    let base = util::from_parts(from).0;
    if resolved_base(stage).contains('$') {
        return None;
    }
    let family = family(&resolved_base(stage))?;
    let plan = plan(cx, stage, &base, family).ok()?;
    let span = util::stage_span(cx.text, cx.doc, stage);
    let mut explanation = format!(
        "This stage compiles a program into `{PREFIX}` and runs it from there. The original stage becomes \
         the `builder`; a `production` stage from the same `{base}` keeps the instructions that build \
         nothing, in their order, and replaces the build steps by `COPY --from=builder {PREFIX} {PREFIX}` \
         plus the {} the programs link (listed in the builder from {}), so compilers, headers and sources \
         stay in the builder."
,
        match family {
            Family::Debian => "Debian packages of the shared libraries",
            Family::Alpine => "shared libraries (`so:` names for apk)",
        },
        match family {
            Family::Debian => "`ldd` and `dpkg-query --search`, docker-library's idiom",
            Family::Alpine => "`scanelf --needed`, docker-library's idiom",
        },
    );
    for note in &plan.notes {
        explanation.push(' ');
        explanation.push_str(note);
    }
    Some(Draft {
        title: format!("Split into a builder and a runtime stage that copies `{PREFIX}`"),
        explanation,
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit {
            span,
            insert: plan.text,
        }],
    })
}

/// The stage's base image after ARG expansion (as written when it is not an image).
pub(crate) fn resolved_base(stage: &Stage) -> String {
    match &stage.base {
        crate::model::Base::Image(image) => image.clone(),
        _ => stage.base_text.clone(),
    }
}
