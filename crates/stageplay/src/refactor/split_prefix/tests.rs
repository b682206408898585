//! The prefix split on small Dockerfiles: what it copies and replays, and when it declines.

use super::paths::{expand, paths, Vars};
use super::steps::leading_user_commands;
use crate::refactor::shell;
use crate::syntax::glob;

fn split(text: &str) -> Option<String> {
    crate::refactor::apply_one(
        text,
        "split-prefix",
        &crate::refactor::RefactorOptions::default(),
    )
}

#[test]
fn expands_env_values() {
    let vars = Vars::new(
        vec![("PHP_INI_DIR".to_string(), "/usr/local/etc/php".to_string())],
        0,
    );
    assert_eq!(
        expand("\"$PHP_INI_DIR/conf.d\"", &vars),
        "\"/usr/local/etc/php/conf.d\""
    );
    assert_eq!(expand("${PHP_INI_DIR}/x", &vars), "/usr/local/etc/php/x");
    assert_eq!(expand("$OTHER/x", &vars), "$OTHER/x");
    assert_eq!(expand("${PHP_INI_DIR%/php}", &vars), "/usr/local/etc");
}

#[test]
fn redirect_targets_are_written_paths() {
    let none = Vars::new(Vec::new(), 0);
    let p = |t: &str| paths(&shell::commands(t)[0], &none);
    assert_eq!(p("grep x /etc/a > /etc/b"), ["/etc/b"]);
    assert_eq!(p("grep x /etc/a >>/etc/b"), ["/etc/b"]);
    assert!(p("grep '/var/run/postgresql' /usr/src/x.h").is_empty());
    assert_eq!(p("echo hi 2> /tmp/err"), ["/tmp/err"]);
    assert_eq!(p("cp /a/x /b/y"), ["/a/x", "/b/y"]);
}

#[test]
fn globs() {
    assert!(glob::matches(
        "docker-php-ext-*",
        "docker-php-ext-enable",
        glob::Dialect::Go
    ));
    assert!(!glob::matches(
        "docker-php-ext-*",
        "docker-php-entrypoint",
        glob::Dialect::Go
    ));
}

const BUILD: &str = "FROM debian:bookworm-slim\n\
    RUN groupadd -r app && useradd -r -g app app\n\
    ENV V 1.0\n\
    RUN set -eux; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; \\\n\
    \tapt-get install -y --no-install-recommends gcc make libc6-dev wget; \\\n\
    \twget -O /usr/src/t.tar.gz https://example.org/t.tar.gz; \\\n\
    \ttar -xzf /usr/src/t.tar.gz -C /usr/src; make -C /usr/src/t; make -C /usr/src/t install; \\\n\
    \trm -rf /usr/src/t; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove; \\\n\
    \ttool --version\n\
    RUN mkdir /data && chown app:app /data\n\
    COPY entrypoint.sh /usr/local/bin/\n\
    ENTRYPOINT [\"entrypoint.sh\"]\n\
    CMD [\"tool\"]\n";

#[test]
fn splits_a_make_install_into_usr_local() {
    let out = split(BUILD).expect("split");
    assert!(out.contains("FROM debian:bookworm-slim AS builder"));
    assert!(out.contains("FROM debian:bookworm-slim AS production"));
    assert!(out.contains("COPY --from=builder /usr/local /usr/local"));
    let runtime = out.split("AS production").nth(1).unwrap();
    assert!(runtime.contains("groupadd -r app"));
    assert!(runtime.contains("mkdir /data"));
    assert!(!runtime.contains("make -C"));
    assert!(runtime.contains("dpkg-query") || out.contains("dpkg-query --search"));
    assert_eq!(split(&out), None, "idempotent");
}

#[test]
fn declines_what_it_cannot_do_safely() {
    // Another prefix.
    assert_eq!(
        split(&BUILD.replace("install; \\", "install PREFIX=/opt/t; \\")),
        None
    );
    // A build step that writes outside the prefix.
    assert_eq!(
        split(&BUILD.replace("rm -rf /usr/src/t;", "cp /usr/src/t/t.conf /etc/t.conf;")),
        None
    );
    // The command is an OS package.
    assert_eq!(split(&BUILD.replace("wget; \\", "wget tool; \\")), None);
    // A program the build does not show.
    assert_eq!(
        split(&BUILD.replace("CMD [\"tool\"]", "CMD [\"other\"]")),
        None
    );
    // Windows and unknown families.
    assert_eq!(
        split(&BUILD.replace("debian:bookworm-slim", "centos:7")),
        None
    );
    // A package installed by the build and kept.
    assert_eq!(
        split(&BUILD.replace("apt-get purge -y --auto-remove;", "")),
        None
    );
    // A user created in the middle of a build step (not replayable as a head).
    assert_eq!(
        split(&BUILD.replace("rm -rf /usr/src/t;", "rm -rf /usr/src/t; useradd tool;")),
        None
    );
}

/// PHP's FPM recipe: nothing runs `php-fpm` after the install, `--enable-fpm` shows it is built.
const FPM: &str = "FROM debian:bookworm-slim\n\
    RUN set -eux; apt-get update; apt-get install -y --no-install-recommends gcc make libc6-dev; \\\n\
    \tcd /usr/src/php; ./configure --disable-cgi --enable-fpm; make; make install; \\\n\
    \tapt-get purge -y --auto-remove; php --version\n\
    CMD [\"php-fpm\"]\n";

#[test]
fn a_configure_flag_shows_the_program_is_built() {
    let out = split(FPM).expect("split");
    assert!(out.contains("COPY --from=builder /usr/local /usr/local"));
    assert_eq!(split(&out), None, "idempotent");
    // Without the flag, nothing shows that php-fpm is in the prefix.
    assert_eq!(split(&FPM.replace(" --enable-fpm", "")), None);
    // The flag on another program than configure is no evidence.
    assert_eq!(
        split(&FPM.replace(" --enable-fpm;", "; echo --enable-fpm;")),
        None
    );
    // The Apache module is installed into Apache's directories, outside the prefix.
    assert_eq!(
        split(&FPM.replace("--enable-fpm", "--enable-fpm --with-apxs2")),
        None
    );
}

/// node's Alpine recipe: the build RUN starts by creating the `node` user.
const USERS: &str = "FROM alpine:3.23\n\
    RUN addgroup -g 1000 node \\\n\
    \t&& adduser -u 1000 -G node -s /bin/sh -D node \\\n\
    \t&& apk add --no-cache --virtual .build-deps gcc make \\\n\
    \t&& cd /usr/src/node && ./configure && make && make install \\\n\
    \t&& apk del .build-deps \\\n\
    \t&& node --version\n\
    RUN apk add --no-cache --virtual .yarn-deps tar \\\n\
    \t&& mkdir -p /opt && tar -xzf /tmp/yarn.tar.gz -C /opt/ \\\n\
    \t&& ln -s /opt/yarn/bin/yarn /usr/local/bin/yarn \\\n\
    \t&& apk del .yarn-deps\n\
    CMD [\"node\"]\n";

#[test]
fn replays_the_users_a_build_step_creates_and_copies_opt() {
    let out = split(USERS).expect("split");
    let runtime = out.split("AS production").nth(1).unwrap();
    let user = runtime
        .find("RUN addgroup -g 1000 node \\\n    && adduser -u 1000 -G node -s /bin/sh -D node\n")
        .expect("user RUN");
    let copy = runtime
        .find("COPY --from=builder /usr/local /usr/local\nCOPY --from=builder /opt /opt\n")
        .expect("copies");
    assert!(user < copy);
    assert!(!runtime.contains("make install"));
    assert!(out.contains("--recursive /usr/local /opt"));
    assert_eq!(split(&out), None, "idempotent");
    // A word the reader unquoted cannot be written back exactly.
    assert_eq!(split(&USERS.replace("-D node", "-D \"$USER\"")), None);
    // Not at the head of the RUN: the user would be lost.
    assert_eq!(
        split(&USERS.replace("&& node --version", "&& adduser -D other && node --version")),
        None
    );
}

#[test]
fn rebuilds_leading_user_commands() {
    let cmds = shell::commands("groupadd -r 'a b' && useradd -r x && make install");
    assert_eq!(
        leading_user_commands(&cmds),
        Some((
            2,
            "RUN groupadd -r 'a b' \\\n    && useradd -r x".to_string()
        ))
    );
    assert_eq!(
        leading_user_commands(&shell::commands("useradd x; make")),
        None
    );
    assert_eq!(leading_user_commands(&shell::commands("useradd x")), None);
}

/// PHP's Apache recipe: Debian's apache2 installed by a setup step, the module built by
/// `--with-apxs2`, the source archive kept in /usr/src for docker-php-source.
const APACHE_PHP: &str = "FROM debian:trixie-slim\n\
    RUN set -eux; apt-get update; apt-get install -y --no-install-recommends apache2; \\\n\
    \tfor dir in /var/run/apache2 /var/lock/apache2; do rm -rvf \"$dir\"; mkdir -p \"$dir\"; done\n\
    RUN set -eux; mkdir -p /usr/src; cd /usr/src; curl -fsSL -o php.tar.xz \"$PHP_URL\"; \\\n\
    \tcurl -fsSL -o php.tar.xz.asc \"$PHP_ASC_URL\"; curl -fsSL -o junk.tgz \"$X\"; rm junk.tgz\n\
    COPY docker-php-source /usr/local/bin/\n\
    RUN set -eux; apt-get update; apt-get install -y --no-install-recommends apache2-dev gcc make; \\\n\
    \tdocker-php-source extract; cd /usr/src/php; ./configure --with-apxs2 --with-pdo-sqlite=/usr --with-openssl-dir=/usr; \\\n\
    \tmake; make install; docker-php-source delete; apt-get purge -y --auto-remove; php --version\n\
    COPY apache2-foreground /usr/local/bin/\n\
    CMD [\"apache2-foreground\"]\n";

#[test]
fn copies_the_apache_module_and_the_kept_source_archive() {
    let out = split(APACHE_PHP).expect("split");
    let runtime = out.split("AS production").nth(1).unwrap();
    for copy in [
        "COPY --from=builder /usr/lib/apache2/modules /usr/lib/apache2/modules",
        "COPY --from=builder /etc/apache2 /etc/apache2",
        "COPY --from=builder /usr/src/php.tar.xz /usr/src/php.tar.xz.asc /usr/src/",
    ] {
        assert!(runtime.contains(copy), "{copy}\n{runtime}");
    }
    assert!(
        !runtime.contains("junk.tgz"),
        "removed downloads are not copied"
    );
    assert!(runtime.contains("install -y --no-install-recommends apache2;"));
    assert!(!runtime.contains("make install"));
    assert_eq!(split(&out), None, "idempotent");
    // Without a replayed apache2 package the module has nowhere to go.
    assert_eq!(
        split(&APACHE_PHP.replace(
            "install -y --no-install-recommends apache2;",
            "install -y tzdata;"
        )),
        None
    );
}

/// PostgreSQL's Alpine recipe keeps a named run-time group with computed and literal names.
const KEPT: &str = "FROM alpine:3.23\n\
    RUN set -eux; apk add --no-cache --virtual .build-deps gcc make; \\\n\
    \tcd /usr/src/pg; ./configure --with-system-tzdata=/usr/share/zoneinfo; make; make install; \\\n\
    \trunDeps=\"$(scanelf --needed --nobanner --recursive /usr/local | awk '{ print \"so:\" $1 }')\"; \\\n\
    \tapk add --no-cache --virtual .pg-rundeps $runDeps bash tzdata \
    $([ \"$(apk --print-arch)\" != 'ppc64le' ] && echo 'nss_wrapper'); \\\n\
    \tapk del --no-network .build-deps; grep '/var/run/postgresql' /usr/src/pg/x.h; postgres --version\n\
    CMD [\"postgres\"]\n";

#[test]
fn replays_the_run_time_packages_a_build_step_keeps() {
    let out = split(KEPT).expect("split");
    let runtime = out.split("AS production").nth(1).unwrap();
    assert!(
        runtime.contains(
            "RUN apk add --no-cache --virtual .pg-rundeps bash tzdata $([ \"$(apk --print-arch)\" != 'ppc64le' ] && echo 'nss_wrapper')"
        ),
        "{runtime}"
    );
    assert!(!runtime.contains("$runDeps"));
    assert_eq!(split(&out), None, "idempotent");
    // A kept package that cannot be written back exactly.
    assert_eq!(
        split(&KEPT.replace(" bash tzdata", " 'bash' \"tz data\"")),
        None
    );
}

/// nextcloud: PHP extensions built on the official image, the application fetched after.
const EXTENSIONS: &str = "FROM php:8.4-apache-trixie\n\
    RUN set -ex; apt-get update; apt-get install -y --no-install-recommends supervisor rsync; apt-get dist-clean\n\
    RUN set -ex; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; \\\n\
    \tapt-get install -y --no-install-recommends libzip-dev; \\\n\
    \tdocker-php-ext-configure ftp --with-openssl-dir=/usr; docker-php-ext-install zip ftp; pecl install redis; \\\n\
    \tdocker-php-ext-enable redis; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove\n\
    RUN set -ex; apt-get update; apt-get install -y --no-install-recommends gnupg; \\\n\
    \tcurl -fsSL -o app.tar.bz2 \"$URL\"; tar -xjf app.tar.bz2 -C /usr/src/; rm app.tar.bz2; \\\n\
    \tapt-get purge -y --auto-remove gnupg\n\
    COPY *.sh /\n\
    ENTRYPOINT [\"/entrypoint.sh\"]\n\
    CMD [\"apache2-foreground\"]\n";

#[test]
fn extensions_on_the_official_php_image() {
    let out = split(EXTENSIONS).expect("split");
    let (builder, runtime) = out.split_once("AS production").unwrap();
    assert!(builder.contains("docker-php-ext-install zip ftp"));
    assert!(!runtime.contains("docker-php-ext-install"));
    // The fetch after the last build step runs in the runtime, after the copy.
    let copy = runtime
        .find("COPY --from=builder /usr/local /usr/local")
        .unwrap();
    let fetch = runtime
        .find("tar -xjf app.tar.bz2 -C /usr/src/")
        .expect("fetch replayed");
    assert!(copy < fetch);
    assert!(!builder.contains("tar -xjf"));
    assert_eq!(split(&out), None, "idempotent");
    // The image's own program, or one from a package a replayed step installs.
    assert!(split(&EXTENSIONS.replace("apache2-foreground", "php-fpm")).is_some());
    assert!(split(&EXTENSIONS.replace(
        "CMD [\"apache2-foreground\"]",
        "CMD [\"/usr/bin/supervisord\", \"-c\", \"/s.conf\"]"
    ))
    .is_some());
    // No command of its own: the image's command, in both stages.
    assert!(split(&EXTENSIONS.replace("CMD [\"apache2-foreground\"]\n", "")).is_some());
    // A program nothing shows.
    assert_eq!(
        split(&EXTENSIONS.replace("apache2-foreground", "unknownd")),
        None
    );
    // A step after the build that needs more than fetching cannot be replayed, and in the
    // builder its result would be lost.
    assert_eq!(
        split(&EXTENSIONS.replace("tar -xjf", "git lfs pull; tar -xjf")),
        None
    );
}

/// moby's contrib test images: a compiler's named output in /usr/bin.
const OUTPUT: &str = "FROM debian:trixie-slim\n\
    RUN apt-get update && apt-get install -y gcc libc6-dev --no-install-recommends\n\
    COPY . /usr/src/\n\
    WORKDIR /usr/src/\n\
    RUN gcc -g -Wall -static nnp-test.c -o /usr/bin/nnp-test\n\
    RUN chmod +s /usr/bin/nnp-test\n";

#[test]
fn copies_a_compilers_named_output() {
    let out = split(OUTPUT).expect("split");
    let runtime = out.split("AS production").nth(1).unwrap();
    assert!(runtime.contains("COPY --from=builder /usr/bin/nnp-test /usr/bin/nnp-test"));
    // Compilers-only package RUNs and the sources stay in the builder.
    assert!(!runtime.contains("gcc"), "{runtime}");
    assert!(!runtime.contains("COPY . /usr/src/"));
    let copy = runtime.find("/usr/bin/nnp-test /usr/bin/nnp-test").unwrap();
    assert!(copy < runtime.find("chmod +s").unwrap());
    assert_eq!(split(&out), None, "idempotent");
    // An output that may not exist (`|| true`) cannot be copied by name.
    assert_eq!(
        split(&OUTPUT.replace("-o /usr/bin/nnp-test\n", "-o /usr/bin/nnp-test || true\n")),
        None
    );
    // Into a system directory as a whole, or a system folder: declined.
    assert_eq!(
        split(&OUTPUT.replace("-o /usr/bin/nnp-test\n", "-o /etc/nnp\n")),
        None
    );
}

/// A Go program fetched into a GOPATH the step removes, moved into the prefix.
const GOPATH: &str = "FROM someone/ubuntu:14.04\n\
    ENV GOPATH /go\n\
    ENTRYPOINT [\"/usr/local/bin/tool\"]\n\
    RUN apt-get update && apt-get install -y git golang \\\n\
    \t&& go get -v example.org/tool && mv $GOPATH/bin/tool /usr/local/bin/tool \\\n\
    \t&& apt-get remove --purge -y git golang && rm -rf $GOPATH\n";

#[test]
fn a_gopath_the_step_removes_is_scratch() {
    let out = split(GOPATH).expect("split");
    assert!(out.contains("FROM someone/ubuntu:14.04 AS production"));
    assert_eq!(split(&out), None, "idempotent");
    // Kept, the GOPATH would be lost in the runtime.
    assert_eq!(split(&GOPATH.replace(" && rm -rf $GOPATH", "")), None);
}
