//! Which programs an image has without a RUN installing them: those of the official images
//! (by repository), those that come with a package of another name, and the essential ones
//! every Debian, Ubuntu or Alpine image has. Read by the runtime check
//! ([`crate::estimate::runtime`]) and the prefix split ([`crate::refactor::split_prefix`]).

/// The programs of official images, by repository name: a stage built on one has them.
const BASE_PROGRAMS: &[(&str, &[&str])] = &[
    (
        "python",
        &[
            "python",
            "python3",
            "pip",
            "pip3",
            "pydoc",
            "pydoc3",
            "idle",
            "idle3",
            "2to3",
            "python3-config",
        ],
    ),
    (
        "pypy",
        &["pypy", "pypy3", "python", "python3", "pip", "pip3"],
    ),
    (
        "node",
        &[
            "node",
            "npm",
            "npx",
            "corepack",
            "yarn",
            "yarnpkg",
            "docker-entrypoint.sh",
        ],
    ),
    ("golang", &["go", "gofmt"]),
    ("rust", &["cargo", "rustc", "rustup", "rustdoc"]),
    (
        "ruby",
        &[
            "ruby", "gem", "bundle", "bundler", "irb", "erb", "rake", "rdoc", "ri",
        ],
    ),
    (
        "php",
        &[
            "php",
            "php-fpm",
            "apache2-foreground",
            "docker-php-entrypoint",
            "docker-php-ext-install",
            "docker-php-ext-enable",
            "docker-php-ext-configure",
            "docker-php-source",
            "pecl",
            "pear",
            "phpize",
        ],
    ),
    (
        "nextcloud",
        &[
            "php",
            "php-fpm",
            "apache2-foreground",
            "docker-php-entrypoint",
            "/entrypoint.sh",
            "/cron.sh",
        ],
    ),
    ("openjdk", &["java", "javac", "jar", "jshell", "keytool"]),
    (
        "eclipse-temurin",
        &["java", "javac", "jar", "jshell", "keytool"],
    ),
    (
        "amazoncorretto",
        &["java", "javac", "jar", "jshell", "keytool"],
    ),
    ("maven", &["mvn", "java", "javac", "jar"]),
    ("gradle", &["gradle", "java", "javac", "jar"]),
    ("nginx", &["nginx", "docker-entrypoint.sh"]),
    ("httpd", &["httpd", "apachectl", "httpd-foreground"]),
    (
        "redis",
        &[
            "redis-server",
            "redis-cli",
            "redis-sentinel",
            "docker-entrypoint.sh",
        ],
    ),
    (
        "postgres",
        &[
            "postgres",
            "psql",
            "pg_ctl",
            "initdb",
            "docker-entrypoint.sh",
        ],
    ),
    ("sdk", &["dotnet"]),
    ("aspnet", &["dotnet"]),
    ("runtime", &["dotnet"]),
];

/// True when the official image `image` (a reference) provides `prog`: a name, or for an
/// image's own scripts the absolute path (`/entrypoint.sh`). Versioned interpreters
/// (`python3.12`, `pip3.12`) count as their family's.
pub fn base_provides(image: &str, prog: &str) -> bool {
    let repo = repo_name(image);
    BASE_PROGRAMS.iter().any(|(name, progs)| {
        *name == repo
            && progs.iter().any(|p| {
                if p.starts_with('/') {
                    *p == prog
                } else {
                    !prog.contains('/')
                        && (*p == prog
                            || (matches!(*p, "python3" | "pip3")
                                && prog.strip_prefix(p).is_some_and(|v| {
                                    v.starts_with('.') && v[1..].chars().all(|c| c.is_ascii_digit())
                                })))
                }
            })
    })
}

/// The repository's last path part, without tag or digest (`docker.io/library/python:3.12` →
/// `python`), from the engine's one image-reference split.
fn repo_name(image: &str) -> &str {
    let (name, _, _) = crate::model::split_image(image);
    name.rsplit('/').next().unwrap_or(name)
}

/// Programs that come with a package of another name.
pub(crate) const PACKAGED: &[(&str, &[&str])] = &[
    ("awk", &["mawk", "gawk", "original-awk", "busybox"]),
    ("ps", &["procps", "procps-ng", "busybox"]),
    (
        "python3",
        &[
            "python3",
            "python3-minimal",
            "python3.11",
            "python3.12",
            "python3.13",
        ],
    ),
    ("python", &["python-is-python3", "python2"]),
    ("node", &["nodejs"]),
    (
        "java",
        &[
            "default-jre",
            "default-jre-headless",
            "openjdk-17-jre-headless",
            "openjdk-17-jdk-headless",
            "openjdk-21-jre-headless",
            "openjdk-21-jdk-headless",
            "openjdk17",
            "openjdk21",
        ],
    ),
    ("supervisord", &["supervisor"]),
    (
        "psql",
        &[
            "postgresql-client",
            "postgresql-client-15",
            "postgresql-client-16",
        ],
    ),
    ("nc", &["netcat-openbsd", "netcat-traditional", "busybox"]),
    ("ip", &["iproute2"]),
    ("ping", &["iputils-ping", "busybox"]),
    ("su", &["login", "util-linux", "busybox"]),
    ("useradd", &["passwd", "shadow"]),
    ("gunicorn", &["gunicorn", "python3-gunicorn"]),
    ("apache2", &["apache2"]),
    ("php", &["php", "php-cli", "php8.2-cli", "php82", "php83"]),
    ("ruby", &["ruby", "ruby3.1"]),
];

/// Programs of Debian's essential packages and BusyBox: in every Debian, Ubuntu or Alpine image.
pub(crate) const SYSTEM_PROGRAMS: &[&str] = &[
    "sh", "cat", "ls", "sleep", "env", "id", "whoami", "mkdir", "rm", "cp", "mv", "ln", "chmod",
    "chown", "date", "tail", "head", "grep", "sed", "find", "xargs", "tar", "gzip", "gunzip",
    "sort", "uniq", "wc", "cut", "tr", "tee", "touch", "uname", "hostname", "nohup", "timeout",
    "basename", "dirname", "readlink", "realpath", "stat", "dd", "df", "du", "mktemp", "seq",
    "stty", "tty", "yes", "nice", "chgrp", "install", "expr", "printenv", "pwd", "sync", "kill",
    "mount", "umount", "more", "getent", "login", "runuser", "setpriv", "awk",
];
