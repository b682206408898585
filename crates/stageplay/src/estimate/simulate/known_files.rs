//! What the estimate knows about single files: names that look like secrets, and the measured
//! sizes of files images commonly carry (CA bundles, timezone data).

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w)) || upper.ends_with("_AUTH") || upper == "AUTH"
}

/// A file or folder that Dockerfiles often copy out of a stage's base image
/// (`COPY --from=build /etc/ssl/certs/ca-certificates.crt …`), with its measured size.
pub struct KnownFile {
    pub path: &'static str,
    pub bytes: u64,
    pub low: u64,
    pub high: u64,
    pub source: &'static str,
}

/// Measured with `du -sb` on this project's Debian 12 build machine (2026-11-26); ranges cover
/// other releases and Alpine, whose CA bundle is built from the same Mozilla list.
pub const KNOWN_FILES: &[KnownFile] = &[
    KnownFile {
        path: "/etc/ssl/certs/ca-certificates.crt",
        bytes: 219_597,
        low: 150_000,
        high: 300_000,
        source: "measured: Debian 12 ca-certificates 20230311+deb12u1",
    },
    KnownFile {
        path: "/etc/ssl/certs",
        bytes: 425_475,
        low: 200_000,
        high: 700_000,
        source:
            "measured: Debian 12 ca-certificates 20230311+deb12u1, the bundle and its hash links",
    },
    KnownFile {
        path: "/usr/share/zoneinfo",
        bytes: 1_492_276,
        low: 400_000,
        high: 3_000_000,
        source: "measured: Debian 12 tzdata 2025b-0+deb12u2",
    },
    KnownFile {
        path: "/etc/passwd",
        bytes: 1_294,
        low: 500,
        high: 4_000,
        source: "measured: a Debian 12 /etc/passwd with 25 accounts",
    },
    KnownFile {
        path: "/etc/group",
        bytes: 682,
        low: 300,
        high: 2_000,
        source: "measured: a Debian 12 /etc/group",
    },
];

/// The measured size of a well-known base-image path (exact match).
pub fn known_file(path: &str) -> Option<&'static KnownFile> {
    KNOWN_FILES.iter().find(|k| k.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_files_are_measured_and_in_range() {
        for k in KNOWN_FILES {
            assert!(k.source.starts_with("measured: "), "{}", k.path);
            assert!(k.low <= k.bytes && k.bytes <= k.high, "{}", k.path);
            assert_eq!(known_file(k.path).map(|f| f.path), Some(k.path));
        }
        assert!(known_file("/etc/ssl/certs/other.pem").is_none());
    }
}
