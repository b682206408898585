//! What completion and hover say about instructions, flags and mount options: short docs in
//! markdown, summarised from the Dockerfile reference (moby/buildkit
//! `frontend/dockerfile/docs/reference.md`, read 2026-12-07), with the values each takes.
//!
//! The flag and mount tables are checked against the parser by the tests below:
//! every flag listed here is one the parser accepts for that instruction, every mount option
//! one it accepts for that mount type.

use crate::syntax::Keyword;

const REFERENCE: &str = "https://docs.docker.com/reference/dockerfile/";

/// One instruction: its syntax line and what it does.
pub(crate) struct InstructionDoc {
    pub keyword: Keyword,
    pub syntax: &'static str,
    pub summary: &'static str,
    /// A snippet in the `${1:placeholder}` syntax of LSP and CodeMirror 6, when one helps.
    pub snippet: Option<&'static str>,
}

pub(crate) const INSTRUCTIONS: &[InstructionDoc] = &[
    InstructionDoc {
        keyword: Keyword::From,
        syntax: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
        summary: "Starts a build stage on a base image, an earlier stage, or `scratch`. Only ARGs declared before the first FROM can be used in it.",
        snippet: Some("FROM ${1:image} AS ${2:name}"),
    },
    InstructionDoc {
        keyword: Keyword::Run,
        syntax: "RUN [--mount=…] [--network=…] [--security=…] [--device=…] <command> | [\"exe\", \"arg\"]",
        summary: "Runs a command in a new layer. The shell form runs under SHELL (`/bin/sh -c`); the exec form runs the program directly. `--mount` adds cache, bind, secret, ssh or tmpfs mounts that are not part of the layer.",
        snippet: None,
    },
    InstructionDoc {
        keyword: Keyword::Cmd,
        syntax: "CMD [\"executable\", \"param\"] | CMD command param",
        summary: "The default command of the container, or default arguments to ENTRYPOINT. Only the last CMD counts. Prefer the exec (JSON) form so signals reach the process.",
        snippet: Some("CMD [\"${1:executable}\"]"),
    },
    InstructionDoc {
        keyword: Keyword::Label,
        syntax: "LABEL <key>=<value> [<key>=<value>…]",
        summary: "Adds metadata to the image. Labels of the base image are inherited.",
        snippet: Some("LABEL ${1:key}=${2:value}"),
    },
    InstructionDoc {
        keyword: Keyword::Maintainer,
        syntax: "MAINTAINER <name>",
        summary: "Deprecated: use `LABEL org.opencontainers.image.authors=…` instead.",
        snippet: None,
    },
    InstructionDoc {
        keyword: Keyword::Expose,
        syntax: "EXPOSE <port>[/<protocol>] …",
        summary: "Documents the ports the container listens on (`tcp` unless `/udp`); it publishes nothing.",
        snippet: Some("EXPOSE ${1:8080}"),
    },
    InstructionDoc {
        keyword: Keyword::Env,
        syntax: "ENV <key>=<value> …",
        summary: "Sets environment variables for later instructions, later stages built FROM this one, and the running container. Values stay in the image: never put secrets here. ENV overrides an ARG of the same name.",
        snippet: Some("ENV ${1:NAME}=${2:value}"),
    },
    InstructionDoc {
        keyword: Keyword::Add,
        syntax: "ADD [--chown=…] [--chmod=…] [--link] [--checksum=…] [--keep-git-dir] [--unpack] [--exclude=…] <src>… <dest>",
        summary: "Like COPY, and also fetches URLs and git repositories and unpacks local tar archives. Prefer COPY to copy files.",
        snippet: Some("ADD ${1:source} ${2:destination}"),
    },
    InstructionDoc {
        keyword: Keyword::Copy,
        syntax: "COPY [--from=<stage|image>] [--chown=…] [--chmod=…] [--link] [--parents] [--exclude=…] <src>… <dest>",
        summary: "Copies files from the build context, another stage, or an image into the image.",
        snippet: Some("COPY ${1:source} ${2:destination}"),
    },
    InstructionDoc {
        keyword: Keyword::Entrypoint,
        syntax: "ENTRYPOINT [\"executable\", \"param\"] | ENTRYPOINT command param",
        summary: "The program the container runs; CMD supplies its default arguments. Only the last ENTRYPOINT counts; the shell form ignores CMD and does not pass signals.",
        snippet: Some("ENTRYPOINT [\"${1:executable}\"]"),
    },
    InstructionDoc {
        keyword: Keyword::Volume,
        syntax: "VOLUME [\"/data\"] | VOLUME /data …",
        summary: "Marks paths as volumes; changes to them after this instruction are discarded from the build.",
        snippet: Some("VOLUME ${1:/data}"),
    },
    InstructionDoc {
        keyword: Keyword::User,
        syntax: "USER <user>[:<group>]",
        summary: "The user (and group) for later RUN, CMD and ENTRYPOINT. The final stage should not run as root.",
        snippet: Some("USER ${1:app}"),
    },
    InstructionDoc {
        keyword: Keyword::Workdir,
        syntax: "WORKDIR <path>",
        summary: "The working directory for later instructions, created when missing. Use absolute paths.",
        snippet: Some("WORKDIR ${1:/app}"),
    },
    InstructionDoc {
        keyword: Keyword::Arg,
        syntax: "ARG <name>[=<default>] …",
        summary: "A build argument (`--build-arg`). Declared before the first FROM it is global and usable in FROM; a stage sees it only after declaring it again (`ARG name`). ARG values are not kept in the image.",
        snippet: Some("ARG ${1:NAME}"),
    },
    InstructionDoc {
        keyword: Keyword::Onbuild,
        syntax: "ONBUILD <instruction>",
        summary: "Adds an instruction that runs when another build uses this image as its base.",
        snippet: None,
    },
    InstructionDoc {
        keyword: Keyword::Stopsignal,
        syntax: "STOPSIGNAL <signal>",
        summary: "The signal sent to stop the container (default `SIGTERM`).",
        snippet: Some("STOPSIGNAL ${1:SIGTERM}"),
    },
    InstructionDoc {
        keyword: Keyword::Healthcheck,
        syntax: "HEALTHCHECK [--interval=…] [--timeout=…] [--start-period=…] [--start-interval=…] [--retries=…] CMD <command> | HEALTHCHECK NONE",
        summary: "How to test that the container still works; `NONE` disables a check inherited from the base image.",
        snippet: Some("HEALTHCHECK CMD ${1:command}"),
    },
    InstructionDoc {
        keyword: Keyword::Shell,
        syntax: "SHELL [\"executable\", \"param\"]",
        summary: "The shell for the shell form of RUN, CMD and ENTRYPOINT (default `[\"/bin/sh\", \"-c\"]`). Must be JSON.",
        snippet: Some("SHELL [\"${1:/bin/bash}\", \"-c\"]"),
    },
];

pub(crate) fn instruction(keyword: Keyword) -> Option<&'static InstructionDoc> {
    INSTRUCTIONS.iter().find(|d| d.keyword == keyword)
}

/// The markdown hover of an instruction keyword.
pub(crate) fn instruction_markdown(keyword: Keyword) -> Option<String> {
    let d = instruction(keyword)?;
    Some(format!(
        "```dockerfile\n{}\n```\n{}\n\n[Dockerfile reference]({REFERENCE}#{})",
        d.syntax,
        d.summary,
        keyword.as_str().to_ascii_lowercase()
    ))
}

/// What a flag's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagValue {
    /// A boolean written bare (`--link`); `=true|false` is accepted.
    Bool,
    /// Free text, with a placeholder for the docs.
    Text(&'static str),
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A stage name or image (`--from`).
    Stage,
    /// `--mount`'s comma-separated options.
    Mount,
}

pub(crate) struct FlagDoc {
    pub keyword: Keyword,
    pub name: &'static str,
    pub value: FlagValue,
    /// May be given more than once.
    pub repeats: bool,
    pub doc: &'static str,
    /// The anchor in the Dockerfile reference.
    pub anchor: &'static str,
}

const fn flag(
    keyword: Keyword,
    name: &'static str,
    value: FlagValue,
    repeats: bool,
    doc: &'static str,
    anchor: &'static str,
) -> FlagDoc {
    FlagDoc {
        keyword,
        name,
        value,
        repeats,
        doc,
        anchor,
    }
}

use FlagValue::{Bool, Choice, Mount, Stage, Text};
use Keyword::{Add, Copy, From, Healthcheck, Run};

pub(crate) const FLAGS: &[FlagDoc] = &[
    flag(From, "platform", Text("<platform>"), false, "The platform of the image to pull when it is multi-platform, e.g. `linux/arm64`. Global ARGs work here: `--platform=$BUILDPLATFORM` builds the stage natively to cross-compile.", "from"),
    flag(Run, "mount", Mount, true, "Mounts a cache, a bind from the context or another stage, a secret, an SSH agent or a tmpfs for this command only; nothing mounted becomes part of the layer.", "run---mount"),
    flag(Run, "network", Choice(&["default", "none", "host"]), false, "The network of the command: `default`, `none` (no network access) or `host` (needs the `network.host` entitlement).", "run---network"),
    flag(Run, "security", Choice(&["sandbox", "insecure"]), false, "`insecure` runs the command without the sandbox, like `docker run --privileged` (needs the `security.insecure` entitlement); `sandbox` is the default.", "run---security"),
    flag(Run, "device", Text("<name>[,required]"), true, "Makes a CDI device available to the command, e.g. `nvidia.com/gpu=all` (BuildKit 0.20+, `device` entitlement).", "run---device"),
    flag(Copy, "from", Stage, false, "Copies from a build stage (by name or index), a named context or an image instead of the build context.", "copy---from"),
    flag(Copy, "chown", Text("<user>:<group>"), false, "Owner of the copied files (names are looked up in the image's /etc/passwd and /etc/group; use numeric IDs with --link). Default: 0:0.", "copy---chown"),
    flag(Copy, "chmod", Text("<perms>"), false, "Permissions of the copied files, octal (`755`) or symbolic (`u=rwX,go=rX`).", "copy---chmod"),
    flag(Copy, "link", Bool, false, "Copies into an independent layer, so the layer is reused even when earlier layers change.", "copy---link"),
    flag(Copy, "parents", Bool, false, "Keeps the parent directories of each source (`./x/./y` keeps only what follows `./`).", "copy---parents"),
    flag(Copy, "exclude", Text("<pattern>"), true, "Leaves out paths matching the pattern; may repeat.", "copy---exclude"),
    flag(Add, "chown", Text("<user>:<group>"), false, "Owner of the added files. Default: 0:0.", "add---chown---chmod"),
    flag(Add, "chmod", Text("<perms>"), false, "Permissions of the added files, octal or symbolic.", "add---chown---chmod"),
    flag(Add, "link", Bool, false, "Adds into an independent layer, reused even when earlier layers change.", "add---link"),
    flag(Add, "checksum", Text("sha256:<hash>"), false, "Verifies a remote source against this checksum.", "add---checksum"),
    flag(Add, "keep-git-dir", Bool, false, "Keeps the `.git` directory when adding a git repository.", "add---keep-git-dir"),
    flag(Add, "unpack", Bool, false, "Whether to unpack a tar archive source (local archives are unpacked by default, URLs are not).", "add---unpack"),
    flag(Add, "exclude", Text("<pattern>"), true, "Leaves out paths matching the pattern; may repeat.", "add---exclude"),
    flag(Healthcheck, "interval", Text("<duration>"), false, "Time between checks. Default: `30s`.", "healthcheck"),
    flag(Healthcheck, "timeout", Text("<duration>"), false, "A check running longer than this fails. Default: `30s`.", "healthcheck"),
    flag(Healthcheck, "start-period", Text("<duration>"), false, "Start-up time during which failures do not count. Default: `0s`.", "healthcheck"),
    flag(Healthcheck, "start-interval", Text("<duration>"), false, "Time between checks during the start period. Default: `5s`.", "healthcheck"),
    flag(Healthcheck, "retries", Text("<n>"), false, "Consecutive failures before the container is unhealthy. Default: `3`.", "healthcheck"),
];

/// The flags of an instruction, in the reference's order.
pub(crate) fn flags(keyword: Keyword) -> impl Iterator<Item = &'static FlagDoc> {
    FLAGS.iter().filter(move |f| f.keyword == keyword)
}

pub(crate) fn flag_doc(keyword: Keyword, name: &str) -> Option<&'static FlagDoc> {
    flags(keyword).find(|f| f.name == name)
}

/// The markdown hover of a flag.
pub(crate) fn flag_markdown(f: &FlagDoc) -> String {
    let shape = match f.value {
        Bool => format!("--{}", f.name),
        Text(placeholder) => format!("--{}={placeholder}", f.name),
        Choice(values) => format!("--{}={}", f.name, values.join("|")),
        Stage => format!("--{}=<stage|image>", f.name),
        Mount => format!("--{}=[type=<type>][,<option>=<value>…]", f.name),
    };
    format!(
        "```dockerfile\n{} {shape}\n```\n{}\n\n[Dockerfile reference]({REFERENCE}#{})",
        f.keyword.as_str(),
        f.doc,
        f.anchor
    )
}

/// A RUN `--mount` type.
pub(crate) struct MountTypeDoc {
    pub name: &'static str,
    pub doc: &'static str,
}

pub(crate) const MOUNT_TYPES: &[MountTypeDoc] = &[
    MountTypeDoc { name: "bind", doc: "Binds files from the build context or another stage (`from=`), read-only unless `rw`. The default type." },
    MountTypeDoc { name: "cache", doc: "A cache directory kept between builds (package managers, compilers); never part of the layer." },
    MountTypeDoc { name: "tmpfs", doc: "An empty in-memory filesystem for this command." },
    MountTypeDoc { name: "secret", doc: "A secret (`docker build --secret id=…`) as a file under /run/secrets or an environment variable, never stored in the image." },
    MountTypeDoc { name: "ssh", doc: "The SSH agent socket (`docker build --ssh default`) for cloning private repositories." },
];

/// One `--mount` option and the types that take it.
pub(crate) struct MountKeyDoc {
    pub name: &'static str,
    /// Other spellings BuildKit accepts for the same option.
    pub aliases: &'static [&'static str],
    pub types: &'static [&'static str],
    pub value: FlagValue,
    pub doc: &'static str,
}

const ALL: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
const FILES: &[&str] = &["cache", "secret", "ssh"];

pub(crate) const MOUNT_KEYS: &[MountKeyDoc] = &[
    MountKeyDoc { name: "type", aliases: &[], types: ALL, value: Choice(&["bind", "cache", "tmpfs", "secret", "ssh"]), doc: "The mount type: `bind` (default), `cache`, `tmpfs`, `secret` or `ssh`." },
    MountKeyDoc { name: "target", aliases: &["dst", "destination"], types: ALL, value: Text("<path>"), doc: "Where the mount appears in the container." },
    MountKeyDoc { name: "source", aliases: &["src"], types: &["bind", "cache"], value: Text("<path>"), doc: "The path inside `from` to mount (default: its root)." },
    MountKeyDoc { name: "from", aliases: &[], types: &["bind", "cache"], value: Stage, doc: "The stage, named context or image to mount from (bind: default the build context; cache: default an empty directory)." },
    MountKeyDoc { name: "id", aliases: &[], types: &["cache", "secret", "ssh"], value: Text("<id>"), doc: "Cache: separates caches (default: the target). Secret/ssh: the id given to `docker build --secret/--ssh`." },
    MountKeyDoc { name: "sharing", aliases: &[], types: &["cache"], value: Choice(&["shared", "private", "locked"]), doc: "How concurrent builds share the cache: `shared` (default), `private` (a new cache per writer) or `locked` (one writer at a time; apt needs it)." },
    MountKeyDoc { name: "readonly", aliases: &["ro"], types: ALL, value: Bool, doc: "Mount read-only (the default for bind, secret and ssh)." },
    MountKeyDoc { name: "readwrite", aliases: &["rw"], types: ALL, value: Bool, doc: "Allow writes; what is written is discarded after the command." },
    MountKeyDoc { name: "required", aliases: &[], types: &["secret", "ssh"], value: Bool, doc: "Fail the build when the secret or SSH key is not provided (default: false)." },
    MountKeyDoc { name: "mode", aliases: &[], types: FILES, value: Text("<octal>"), doc: "File mode of the cache directory (default `0755`), secret file (`0400`) or socket (`0600`)." },
    MountKeyDoc { name: "uid", aliases: &[], types: FILES, value: Text("<uid>"), doc: "Owner user ID (default 0)." },
    MountKeyDoc { name: "gid", aliases: &[], types: FILES, value: Text("<gid>"), doc: "Owner group ID (default 0)." },
    MountKeyDoc { name: "size", aliases: &[], types: &["tmpfs"], value: Text("<bytes>"), doc: "Upper limit on the tmpfs size." },
    MountKeyDoc { name: "env", aliases: &[], types: &["secret"], value: Text("<NAME>"), doc: "Expose the secret as this environment variable instead of (or as well as) a file (Dockerfile 1.10+)." },
];

/// The mount option named `key` (or one of its aliases), case-insensitively.
pub(crate) fn mount_key(key: &str) -> Option<&'static MountKeyDoc> {
    MOUNT_KEYS.iter().find(|k| {
        k.name.eq_ignore_ascii_case(key) || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(key))
    })
}

pub(crate) fn mount_type(name: &str) -> Option<&'static MountTypeDoc> {
    MOUNT_TYPES
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// The markdown hover of a mount option.
pub(crate) fn mount_key_markdown(k: &MountKeyDoc) -> String {
    let names = std::iter::once(k.name)
        .chain(k.aliases.iter().copied())
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "**--mount option** {names}\n\n{}\n\nFor types: {}.\n\n[Dockerfile reference]({REFERENCE}#run---mount)",
        k.doc,
        k.types.join(", ")
    )
}

/// Cache directories worth mounting, by the tool that fills them.
pub(crate) const CACHE_TARGETS: &[(&str, &str)] = &[
    ("/var/cache/apt", "apt (with sharing=locked)"),
    ("/var/lib/apt", "apt lists (with sharing=locked)"),
    ("/var/cache/apk", "apk"),
    ("/root/.cache/pip", "pip"),
    ("/root/.cache/uv", "uv"),
    ("/root/.npm", "npm"),
    ("/usr/local/share/.cache/yarn", "yarn"),
    ("/root/.local/share/pnpm/store", "pnpm"),
    ("/go/pkg/mod", "Go modules"),
    ("/root/.cache/go-build", "Go build cache"),
    ("/usr/local/cargo/registry", "Cargo registry"),
    ("/root/.m2", "Maven"),
    ("/root/.gradle", "Gradle"),
];

/// The predefined ARGs and what they hold.
pub(crate) const PREDEFINED_ARGS: &[(&str, &str)] = &[
    (
        "TARGETPLATFORM",
        "the platform being built for, e.g. `linux/amd64`",
    ),
    (
        "TARGETOS",
        "the OS of the platform being built for, e.g. `linux`",
    ),
    (
        "TARGETARCH",
        "the architecture being built for, e.g. `amd64`, `arm64`",
    ),
    (
        "TARGETVARIANT",
        "the variant of the target architecture, e.g. `v7`",
    ),
    (
        "BUILDPLATFORM",
        "the platform of the machine running the build",
    ),
    ("BUILDOS", "the OS of the machine running the build"),
    (
        "BUILDARCH",
        "the architecture of the machine running the build",
    ),
    (
        "BUILDVARIANT",
        "the variant of the build machine's architecture",
    ),
    (
        "TARGETSTAGE",
        "the name of the stage being built (`--target`)",
    ),
];

/// Doc of a predefined ARG, for hover.
pub(crate) fn predefined_arg(name: &str) -> Option<&'static str> {
    PREDEFINED_ARGS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, doc)| *doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn errors(text: &str) -> Vec<String> {
        parse(text)
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    }

    fn line(keyword: Keyword, flag: &str) -> String {
        match keyword {
            Keyword::From => format!("FROM {flag} alpine"),
            Keyword::Copy | Keyword::Add => format!("FROM a\n{} {flag} src dst", keyword.as_str()),
            Keyword::Healthcheck => format!("FROM a\nHEALTHCHECK {flag} CMD true"),
            _ => format!("FROM a\n{} {flag} true", keyword.as_str()),
        }
    }

    #[test]
    fn every_flag_listed_is_one_the_parser_accepts_and_no_accepted_one_is_missing() {
        for f in FLAGS {
            let flag = match f.value {
                FlagValue::Bool => format!("--{}", f.name),
                FlagValue::Mount => format!("--{}=type=cache,target=/c", f.name),
                _ => format!("--{}=x", f.name),
            };
            assert_eq!(
                errors(&line(f.keyword, &flag)),
                Vec::<String>::new(),
                "{flag}"
            );
        }
        let names: Vec<&str> = FLAGS.iter().map(|f| f.name).collect();
        for keyword in Keyword::ALL {
            for name in &names {
                let text = line(keyword, &format!("--{name}=x"));
                let known = !parse(&text)
                    .diagnostics
                    .iter()
                    .any(|d| d.code == "syntax/unknown-flag");
                assert_eq!(
                    known,
                    flag_doc(keyword, name).is_some(),
                    "{} --{name}",
                    keyword.as_str()
                );
            }
        }
    }

    #[test]
    fn every_mount_option_listed_is_accepted_for_its_types() {
        for key in MOUNT_KEYS {
            for kind in key.types {
                for name in std::iter::once(key.name).chain(key.aliases.iter().copied()) {
                    let value = match key.value {
                        FlagValue::Bool => "true".to_string(),
                        FlagValue::Choice(_) if key.name == "type" => kind.to_string(),
                        FlagValue::Choice(values) => values[0].to_string(),
                        _ if matches!(key.name, "mode") => "0755".to_string(),
                        _ if matches!(key.name, "uid" | "gid" | "size") => "0".to_string(),
                        _ => "/x".to_string(),
                    };
                    let id = if *kind == "secret" && !matches!(key.name, "id" | "target") {
                        ",id=s"
                    } else {
                        ""
                    };
                    let text = format!("FROM a\nRUN --mount=type={kind}{id},{name}={value} true");
                    assert_eq!(errors(&text), Vec::<String>::new(), "{text}");
                }
            }
        }
        for t in MOUNT_TYPES {
            assert!(mount_key("type")
                .is_some_and(|k| matches!(k.value, FlagValue::Choice(v) if v.contains(&t.name))));
        }
    }
}
