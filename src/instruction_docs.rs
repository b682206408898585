//! One-paragraph docs for each instruction, shown when hovering a keyword in the editor.
//! Summarised from the Dockerfile reference (https://docs.docker.com/reference/dockerfile/).

use stageplay::syntax::Keyword;

pub fn doc(keyword: Keyword) -> Option<&'static str> {
    Some(match keyword {
        Keyword::From => "FROM [--platform=P] IMAGE [AS name] — starts a build stage on a base image, an earlier stage, or scratch. ARGs declared before the first FROM can be used in it.",
        Keyword::Run => "RUN [--mount=…] [--network=…] [--security=…] cmd — runs a command in a new layer. Shell form runs under SHELL; exec form ([\"a\",\"b\"]) runs directly. --mount adds cache, bind, secret, ssh or tmpfs mounts that are not part of the layer.",
        Keyword::Cmd => "CMD [\"exe\",\"arg\"] — the default command of the container (or default arguments to ENTRYPOINT). Only the last CMD counts. Prefer the exec (JSON) form so signals reach the process.",
        Keyword::Label => "LABEL key=value … — adds metadata to the image.",
        Keyword::Maintainer => "MAINTAINER name — deprecated; use LABEL org.opencontainers.image.authors=… instead.",
        Keyword::Expose => "EXPOSE port[/tcp|/udp] … — documents the ports the container listens on; it publishes nothing.",
        Keyword::Env => "ENV key=value … — sets environment variables for later instructions and the running container. Values persist in the image: never put secrets here.",
        Keyword::Add => "ADD [--chown] [--chmod] [--checksum] [--keep-git-dir] [--unpack] src… dest — like COPY, but also fetches URLs and git repositories and unpacks local archives. Prefer COPY when you only copy files.",
        Keyword::Copy => "COPY [--from=stage|image] [--chown] [--chmod] [--link] [--parents] [--exclude] src… dest — copies files from the build context, another stage, or an image into the image.",
        Keyword::Entrypoint => "ENTRYPOINT [\"exe\",\"arg\"] — the executable the container runs; CMD supplies its default arguments.",
        Keyword::Volume => "VOLUME [\"/data\"] — marks a path as a volume; later changes to it in the build are discarded.",
        Keyword::User => "USER name[:group] — the user for later RUN, CMD and ENTRYPOINT. The final stage should not run as root.",
        Keyword::Workdir => "WORKDIR /path — the working directory for later instructions; created when missing. Use absolute paths.",
        Keyword::Arg => "ARG name[=default] … — a build argument (--build-arg). Before the first FROM it is global (usable in FROM); inside a stage it must be declared again to be used there.",
        Keyword::Onbuild => "ONBUILD instruction — runs the instruction when another build uses this image as its base.",
        Keyword::Stopsignal => "STOPSIGNAL signal — the signal sent to stop the container.",
        Keyword::Healthcheck => "HEALTHCHECK [--interval] [--timeout] [--start-period] [--retries] CMD cmd | NONE — how to test that the container still works.",
        Keyword::Shell => "SHELL [\"exe\",\"arg\"] — the shell used by shell-form RUN, CMD and ENTRYPOINT. Must be JSON.",
        Keyword::Unknown => return None,
    })
}
