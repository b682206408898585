//! The split written out: the builder (the original stage plus the library list step) and the
//! runtime stage.

use super::paths::expand;
use super::paths::Vars;
use super::{Family, Place, Plan, PREFIX};
use crate::refactor::project::{is_build_package, os_packages};
use crate::refactor::shell::{self};
use crate::refactor::util::{self, arg_text};
use crate::refactor::Context;
use crate::syntax::{Instruction, Keyword};

/// The instruction with the comment lines directly above it, without the final newline.
fn source(text: &str, ins: &Instruction) -> String {
    let span = util::line_span(text, ins.span, true);
    let end = ins.span.end.max(span.start);
    util::slice(text, crate::span::Span::new(span.start, end)).to_string()
}

fn header(title: &str) -> String {
    let rule = "# =============================================================================";
    format!("{rule}\n# {title}\n{rule}\n")
}

/// Where the builder writes the list the runtime installs from.
const LIST: &str = "/runtime-packages.txt";

/// The builder step that lists the packages of the shared libraries the files in `copied` link.
/// `libraries`: look at shared objects (`*.so*`, Python and Node extension modules) as well as
/// executables.
pub(crate) fn list_step(family: Family, copied: &[&str], libraries: bool) -> String {
    let dirs = copied.join(" ");
    let find = if libraries {
        "-type f \\( -executable -o -name '*.so*' -o -name '*.node' \\) -exec ldd '{}' ';' 2>/dev/null"
    } else {
        "-type f -executable -exec ldd '{}' ';'"
    };
    let skip: String = copied
        .iter()
        .map(|d| format!("index(so, \"{d}/\") == 1"))
        .collect::<Vec<_>>()
        .join(" || ");
    match family {
        Family::Debian => format!(
            "# The Debian packages of the shared libraries the programs in {dirs} link\n\
             RUN find {dirs} {find} \\\n    \
             | awk '/=> \\// {{ so = $(NF-1); if ({skip}) {{ next }}; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }}' \\\n    \
             | sort -u \\\n    \
             | xargs -r dpkg-query --search \\\n    \
             | cut -d: -f1 \\\n    \
             | sort -u > {LIST}"
        ),
        Family::Alpine => format!(
            "# The shared libraries the programs in {dirs} link and the builder has (outside {PREFIX})\n\
             RUN apk add --no-cache pax-utils \\\n    \
             && scanelf --needed --nobanner --format '%n#p' --recursive {dirs} \\\n    \
             | tr ',' '\\n' \\\n    \
             | sort -u \\\n    \
             | awk 'system(\"[ -e {PREFIX}/lib/\" $1 \" ]\") == 0 {{ next }} system(\"[ -e /lib/\" $1 \" ] || [ -e /usr/lib/\" $1 \" ]\") == 0 {{ print \"so:\" $1 }}' > {LIST}"
        ),
    }
}

/// The runtime step that installs the packages [`list_step`] listed.
pub(crate) fn install_step(family: Family) -> String {
    match family {
        Family::Debian => format!(
            "RUN --mount=type=bind,from=builder,source={LIST},target=/tmp/runtime-packages.txt \\\n    \
             apt-get update \\\n    \
             && xargs -r -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends \\\n    \
             && rm -rf /var/lib/apt/lists/* \\\n    \
             && ldconfig"
        ),
        Family::Alpine => format!(
            "RUN --mount=type=bind,from=builder,source={LIST},target=/tmp/runtime-packages.txt \\\n    \
             xargs -r apk add --no-cache < /tmp/runtime-packages.txt"
        ),
    }
}

impl Plan {
    /// Adds, after the runtime's package install, the run-time package groups a build step kept
    /// and the files it left in `/usr/src`.
    pub(super) fn extra(&mut self, kept_groups: &[String], downloads: &[String], family: Family) {
        let mut add = String::new();
        if !kept_groups.is_empty() {
            add.push_str("\n# The run-time packages the build step installs and keeps\nRUN ");
            add.push_str(&kept_groups.join(" \\\n    && "));
        }
        if !downloads.is_empty() {
            add.push_str("\n# Files the build leaves in /usr/src\nCOPY --from=builder ");
            add.push_str(&downloads.join(" "));
            add.push_str(" /usr/src/");
        }
        let step = install_step(family);
        if let Some(at) = self.text.find(&step) {
            self.text.insert_str(at + step.len(), &add);
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn render(
    cx: &Context,
    instrs: &[(usize, &Instruction)],
    places: &[Place],
    users: &[Option<String>],
    last: usize,
    base: &str,
    family: Family,
    copied: &[&str],
    vars: &Vars,
) -> Plan {
    let mut builder = vec![format!("FROM {base} AS builder")];
    for (pos, (_, ins)) in instrs.iter().enumerate().take(last + 1) {
        if places[pos] != Place::Runtime {
            builder.push(source(cx.text, ins));
        }
    }
    builder.push(String::new());
    builder.push(list_step(family, copied, false));
    let mut runtime = vec![format!("FROM {base} AS production")];
    let mut kept_build_packages: Vec<String> = Vec::new();
    for (pos, (_, ins)) in instrs.iter().enumerate() {
        if let Some(user) = &users[pos] {
            runtime.push(format!(
                "# The users and groups the build step creates\n{user}"
            ));
        }
        if pos == last {
            let mut copy =
                "# The build's result, and the packages of the libraries it links".to_string();
            for dir in copied {
                copy.push_str(&format!("\nCOPY --from=builder {dir} {dir}"));
            }
            runtime.push(copy);
            runtime.push(install_step(family));
            continue;
        }
        match places[pos] {
            Place::Build | Place::InPrefix => {}
            Place::Both | Place::Runtime => {
                if ins.keyword == Keyword::Run {
                    for c in shell::commands(&arg_text(ins)) {
                        for p in os_packages(&c) {
                            let p = if p.starts_with('$') {
                                expand(&p, vars)
                            } else {
                                p
                            };
                            for word in p.split_whitespace() {
                                if is_build_package(word)
                                    && !kept_build_packages.iter().any(|k| k == word)
                                {
                                    kept_build_packages.push(word.to_string());
                                }
                            }
                        }
                    }
                }
                runtime.push(source(cx.text, ins));
            }
        }
    }
    let mut notes = vec![
        "When the original build RUN already removes its build dependencies in the same layer, \
         the estimated saving is small; the split still keeps every build file out of the runtime's layers."
            .to_string(),
    ];
    if !kept_build_packages.is_empty() {
        notes.push(format!(
            "RUNs that only install packages are kept as they are, so the runtime still has {} as the original \
             image did (for compiling extensions in derived images); drop them from the runtime if nothing is \
             compiled there.",
            kept_build_packages
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if family == Family::Debian {
        notes.push(format!(
            "`ldconfig` runs after the copy: the builder's `/etc/ld.so.cache`, which lists the libraries in `{PREFIX}/lib`, is not copied."
        ));
    }
    let mut text = header("Stage 1: Builder (the original stage)");
    text.push_str(&builder.join("\n"));
    text.push_str("\n\n");
    text.push_str(&header("Stage 2: Production"));
    text.push_str(&runtime.join("\n"));
    text.push('\n');
    Plan { text, notes }
}
