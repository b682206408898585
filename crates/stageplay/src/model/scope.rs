//! Build-arg scopes: the predefined platform ARGs, the global scope (ARGs before the first FROM)
//! and expansion of words against a scope.
//!
//! BuildKit's rules (`dockerfile2llb/convert.go`: `defaultArgs`, `buildMetaArgs`, `dispatchArg`):
//! FROM and `--platform` see only the global scope; inside a stage a global ARG is visible only
//! after `ARG NAME` re-declares it; a user `--build-arg` overrides any declared default.

use crate::syntax::expand::Budget;

/// An ordered set of variables; `None` is a declared ARG without a value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    vars: Vec<(String, Option<String>)>,
}

impl Scope {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    pub fn set(&mut self, name: &str, value: Option<String>) {
        match self.vars.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name.to_string(), value)),
        }
    }
}

/// The predefined platform ARGs for a build on and for `platform` (`os/arch[/variant]`).
/// We have no separate build machine, so BUILD* equals TARGET*, as on a native build.
pub(crate) fn platform_args(platform: &str) -> Vec<(String, String)> {
    let mut parts = platform.split('/');
    let os = parts
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("linux")
        .to_string();
    let arch = parts
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("amd64")
        .to_string();
    let variant = parts.next().unwrap_or("").to_string();
    let full = if variant.is_empty() {
        format!("{os}/{arch}")
    } else {
        format!("{os}/{arch}/{variant}")
    };
    let mut out = Vec::new();
    for prefix in ["BUILD", "TARGET"] {
        out.push((format!("{prefix}PLATFORM"), full.clone()));
        out.push((format!("{prefix}OS"), os.clone()));
        out.push((format!("{prefix}ARCH"), arch.clone()));
        out.push((format!("{prefix}VARIANT"), variant.clone()));
    }
    out
}

/// Expands `$VAR`, `${VAR}` and the `${VAR:-word}` family in `word` against `scope`, removing
/// quotes, with BuildKit's shell lexer (`syntax::expand`). Returns the expanded text or
/// BuildKit's message (or the budget's, once the model's expansions have used it up).
pub(crate) fn expand(
    word: &str,
    escape: char,
    scope: &Scope,
    budget: &Budget,
) -> Result<String, String> {
    crate::syntax::expand::expand(
        word,
        escape,
        &|name| scope.get(name).map(str::to_string),
        budget,
    )
    .map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(pairs: &[(&str, Option<&str>)]) -> Scope {
        let mut s = Scope::default();
        for (k, v) in pairs {
            s.set(k, v.map(str::to_string));
        }
        s
    }

    #[test]
    fn expands_buildkit_forms() {
        let s = scope(&[("A", Some("x")), ("E", Some("")), ("U", None)]);
        let budget = Budget::for_input(0);
        let e = |w: &str| expand(w, '\\', &s, &budget).unwrap();
        assert_eq!(e("img:$A"), "img:x");
        assert_eq!(e("img:${A}-1"), "img:x-1");
        assert_eq!(e("${E:-d}"), "d");
        assert_eq!(e("${E-d}"), "");
        assert_eq!(e("${U-d}"), "d");
        assert_eq!(e("${A:+y}"), "y");
        assert_eq!(e("'$A' \"$A\""), "$A x");
        assert_eq!(e("\\$A"), "$A");
        assert_eq!(e("d-${E:-\"supported\"}"), "d-supported");
        assert_eq!(e("${A:+'un'}"), "un");
        assert!(expand("${U:?}", '\\', &s, &budget).is_err());
    }

    #[test]
    fn platform_args_split_variant() {
        let args = platform_args("linux/arm/v7");
        assert!(args.contains(&("TARGETVARIANT".into(), "v7".into())));
        assert!(args.contains(&("BUILDPLATFORM".into(), "linux/arm/v7".into())));
    }
}
