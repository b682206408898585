//! The runtime stage's OS packages: the run-time library of each build package and the install
//! line for Debian or Alpine.

use crate::refactor::project::{is_build_package, Project};

/// The runtime library a `-dev` package's programs link against (Debian 12 names).
pub(super) fn runtime_library(pkg: &str, alpine: bool) -> Option<&'static str> {
    if alpine {
        return match pkg {
            "postgresql-dev" | "libpq-dev" => Some("libpq"),
            "libffi-dev" => Some("libffi"),
            "jpeg-dev" | "libjpeg-turbo-dev" => Some("libjpeg-turbo"),
            "libxml2-dev" => Some("libxml2"),
            "libxslt-dev" => Some("libxslt"),
            "mariadb-dev" | "mariadb-connector-c-dev" => Some("mariadb-connector-c"),
            "sqlite-dev" => Some("sqlite-libs"),
            "libzip-dev" => Some("libzip"),
            "icu-dev" => Some("icu-libs"),
            "yaml-dev" => Some("yaml"),
            _ => None,
        };
    }
    Some(match pkg {
        "libpq-dev" => "libpq5",
        "libssl-dev" => "libssl3",
        "libffi-dev" => "libffi8",
        "libjpeg-dev" | "libjpeg62-turbo-dev" => "libjpeg62-turbo",
        "libpng-dev" => "libpng16-16",
        "libxml2-dev" => "libxml2",
        "libxslt1-dev" | "libxslt-dev" => "libxslt1.1",
        "default-libmysqlclient-dev"
        | "libmariadb-dev"
        | "libmysqlclient-dev"
        | "libmariadb-dev-compat" => "libmariadb3",
        "libcurl4-openssl-dev" | "libcurl4-gnutls-dev" => "libcurl4",
        "libzip-dev" => "libzip4",
        "libicu-dev" => "libicu72",
        "libyaml-dev" => "libyaml-0-2",
        "libsqlite3-dev" => "libsqlite3-0",
        "libgmp-dev" => "libgmp10",
        "libmagic-dev" => "libmagic1",
        "libreadline-dev" => "libreadline8",
        "libsasl2-dev" => "libsasl2-2",
        "libldap2-dev" => "libldap-2.5-0",
        "libcairo2-dev" => "libcairo2",
        "libfreetype6-dev" => "libfreetype6",
        "libwebp-dev" => "libwebp7",
        "libonig-dev" => "libonig5",
        "libsodium-dev" => "libsodium23",
        "libpcre3-dev" => "libpcre3",
        _ => return None,
    })
}

/// The OS packages the runtime keeps: non-build packages as they are, `-dev` packages mapped to
/// their runtime library; build tools dropped.
pub(super) fn runtime_packages(project: &Project, alpine: bool, drop: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pkg in &project.os_packages {
        let name = pkg.split('=').next().unwrap_or(pkg);
        let keep = if is_build_package(name) {
            runtime_library(name, alpine).map(str::to_string)
        } else if drop.contains(&name) || name.starts_with('$') {
            None
        } else {
            Some(pkg.clone())
        };
        if let Some(k) = keep {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// One RUN that installs `pkgs` the way the founding guide writes it.
pub(super) fn install_line(pkgs: &[String], alpine: bool) -> String {
    if alpine {
        return format!("RUN apk add --no-cache {}", pkgs.join(" "));
    }
    let mut s =
        String::from("RUN apt-get update && apt-get install -y --no-install-recommends \\\n");
    for p in pkgs {
        s.push_str(&format!("    {p} \\\n"));
    }
    s.push_str("    && rm -rf /var/lib/apt/lists/*");
    s
}
