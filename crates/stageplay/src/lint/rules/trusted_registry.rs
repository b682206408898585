use super::super::context::Ctx;
use crate::model::Base;

declare_rule! {
    /// ## What it does
    /// Finds `FROM` images from a registry that is not trusted, when trusted registries are
    /// configured (`--trusted-registry`, `trustedRegistries` in `.hadolint.yaml`). An image
    /// without a registry comes from Docker Hub (`docker.io`); `*.gcr.io` trusts every
    /// subdomain of gcr.io. Earlier stages and `scratch` are not images to pull. An image built
    /// from ARGs is checked after expanding them.
    ///
    /// ## Why is this bad?
    /// Base images from an unvetted registry bypass the organisation's mirror, scanning and
    /// supply-chain policy.
    ///
    /// ## Example
    /// With `trustedRegistries: [my-company.com]`:
    /// ```dockerfile
    /// FROM quay.io/prometheus/busybox:1.36
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM my-company.com/mirror/busybox:1.36
    /// ```
    ///
    /// ## Fix safety
    /// No fix: which mirror holds the image is the organisation's decision.
    ///
    /// ## References
    /// - [hadolint DL3026](https://github.com/hadolint/hadolint/wiki/DL3026)
    pub struct TrustedRegistry {
        code: "DL3026",
        name: "trusted-registry",
        sources: ["hadolint:DL3026"],
        severity: Error,
        status: Stable,
        fix: None,
        stage_aware: false,
    }
}

pub fn check(ctx: &mut Ctx) {
    if ctx.opts.trusted_registries.is_empty() {
        return;
    }
    let mut hits = Vec::new();
    for stage in &ctx.model.stages {
        let Base::Image(image) = &stage.base else {
            continue;
        };
        if image.is_empty() || trusted(&ctx.opts.trusted_registries, registry(image)) {
            continue;
        }
        let Some(inst) = ctx.doc.instructions.get(stage.from_instruction) else {
            continue;
        };
        let span = ctx.words(inst).first().map_or(inst.span, |w| w.span);
        hits.push(span);
    }
    for span in hits {
        ctx.report(span, "Use only an allowed registry in the FROM image");
    }
}

/// The registry of an image reference, as Docker reads it: the first path component when it
/// has a `.` or a `:` or is `localhost`, else Docker Hub.
pub fn registry(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first,
        _ => "docker.io",
    }
}

fn trusted(allowed: &[String], registry: &str) -> bool {
    const HUB: &[&str] = &[
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
        "hub.docker.com",
    ];
    let hub = HUB.iter().any(|h| h.eq_ignore_ascii_case(registry));
    allowed.iter().any(|a| {
        let a = a.trim();
        a.eq_ignore_ascii_case(registry)
            || (hub && HUB.iter().any(|h| h.eq_ignore_ascii_case(a)))
            || a.strip_prefix("*.").is_some_and(|suffix| {
                registry.len() > suffix.len() + 1
                    && registry[registry.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
                    && registry.as_bytes()[registry.len() - suffix.len() - 1] == b'.'
            })
    })
}

#[cfg(test)]
mod tests {
    use super::{registry, trusted};

    #[test]
    fn registries_as_docker_reads_them() {
        assert_eq!(registry("alpine:3"), "docker.io");
        assert_eq!(registry("library/alpine"), "docker.io");
        assert_eq!(registry("quay.io/a/b:1"), "quay.io");
        assert_eq!(registry("localhost:5000/app"), "localhost:5000");
        assert_eq!(registry("localhost/app"), "localhost");
        let allowed = ["docker.io".to_string(), "*.gcr.io".to_string()];
        assert!(trusted(&allowed, "docker.io"));
        assert!(trusted(&allowed, "index.docker.io"));
        assert!(trusted(&allowed, "eu.gcr.io"));
        assert!(!trusted(&allowed, "gcr.io"));
        assert!(!trusted(&allowed, "evilgcr.io"));
        assert!(!trusted(&allowed, "quay.io"));
    }
}
