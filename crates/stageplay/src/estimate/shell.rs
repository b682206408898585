//! The estimate's view of a RUN script ([`crate::syntax::shell`]): the top-level simple
//! commands with their words expanded as the shell would (known ARG and ENV values
//! substituted, unquoted ones split into words, unknown variables left as written), the files
//! their redirections write, and whether they pipe into the next one. A `case` on the
//! architecture (`case "$dpkgArch" in amd64) … ;; *) … ;; esac`) keeps only the arm that runs
//! on amd64, the platform the estimate is for; an `if [ -n "$VAR" ]` (or `-z`) whose variable
//! the script or the stage set keeps only the branch that runs (docker-node's Alpine images
//! download a prebuilt Node when the amd64 arm set `CHECKSUM`, else build it from source).

use crate::syntax::expand::{Budget, Lex, Unset};
use crate::syntax::glob;
use crate::syntax::shell::{Case, Script, Word};

/// One simple command, expanded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    pub words: Vec<String>,
    /// Files its `>`/`>>` redirections write.
    pub writes: Vec<String>,
    /// True when the output is piped into the next command.
    pub piped: bool,
}

/// The commands of `script` that run on amd64, expanded with `vars`.
pub fn commands(
    script: &Script,
    vars: &dyn Fn(&str) -> Option<String>,
    budget: &Budget,
) -> Vec<Command> {
    let mut skipped = skipped_arms(script);
    skip_untaken_branches(script, vars, &mut skipped);
    let expand = |w: &Word| expand_word(script, w, vars, budget);
    script
        .all
        .iter()
        .enumerate()
        .filter(|(i, c)| c.depth == 0 && !c.header && !skipped[*i])
        .map(|(_, c)| Command {
            words: c.words.iter().flat_map(expand).collect(),
            writes: c
                .written_files()
                .filter_map(|w| expand(w).into_iter().next())
                .collect(),
            piped: c.followed_by == Some("|"),
        })
        .filter(|c| !c.words.is_empty() || !c.writes.is_empty())
        .collect()
}

/// The shell's expansion of a word: substitutions kept as written, the rest as the shell
/// would expand it (the word as read when it cannot be expanded).
fn expand_word(
    script: &Script,
    word: &Word,
    vars: &dyn Fn(&str) -> Option<String>,
    budget: &Budget,
) -> Vec<String> {
    let raw = script.slice(word.raw);
    if !raw.contains('$') {
        return vec![word.text.clone()];
    }
    let lex = Lex {
        unset: Unset::Keep,
        substitutions: true,
        ..Lex::new('\\')
    };
    match lex.process(raw, vars, budget) {
        Ok((_, words)) => words,
        Err(_) => vec![word.text.clone()],
    }
}

/// Names an amd64 build reports (`dpkg --print-architecture`, `apk --print-arch`, `uname -m`,
/// `TARGETARCH`).
const AMD64_NAMES: &[&str] = &["amd64", "x86_64", "x86-64", "x64", "linux/amd64"];

/// For each command of `script`, whether it sits in an arm of an architecture `case` (its
/// subject names an architecture: `$dpkgArch`, `$(apk --print-arch)`, `$TARGETARCH`) other
/// than the first arm matching amd64. Other `case` statements keep every arm.
fn skipped_arms(script: &Script) -> Vec<bool> {
    let mut skipped = vec![false; script.all.len()];
    for case in &script.cases {
        if !is_arch_case(script, case) {
            continue;
        }
        let chosen = case.arms.iter().position(|arm| {
            arm.patterns.iter().any(|p| {
                AMD64_NAMES
                    .iter()
                    .any(|name| glob::matches(&p.text, name, glob::Dialect::Shell))
            })
        });
        for (k, arm) in case.arms.iter().enumerate() {
            if Some(k) != chosen {
                for s in &mut skipped[arm.commands.clone()] {
                    *s = true;
                }
            }
        }
    }
    skipped
}

/// Marks the commands of an `if`/`else` branch that does not run: the condition is a test of
/// whether a variable is empty (`[ -n "$V" ]`, `[ -z "${V}" ]`, `test -n "$V"`, `[ "$V" ]`), and
/// the variable's value is known from an assignment that runs before it in the script (`V=x`,
/// `V=` — commands already skipped do not count) or from the stage (`vars`). Any other condition
/// keeps both branches, as before.
fn skip_untaken_branches(
    script: &Script,
    vars: &dyn Fn(&str) -> Option<String>,
    skipped: &mut [bool],
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Branch {
        Condition,
        Then,
        Else,
        /// After an `elif` that followed a true condition: nothing more runs.
        Rest,
        /// After an `elif` of an unknown chain: everything is kept.
        Unknown,
    }
    struct Frame {
        branch: Branch,
        taken: Option<bool>,
    }
    let mut set: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut frames: Vec<Frame> = Vec::new();
    for (i, c) in script.all.iter().enumerate() {
        if c.depth != 0 {
            continue;
        }
        for k in &c.keywords {
            match k.text.as_str() {
                "if" => frames.push(Frame {
                    branch: Branch::Condition,
                    taken: None,
                }),
                "then" => {
                    if let Some(f) = frames.last_mut() {
                        if f.branch == Branch::Condition {
                            f.branch = Branch::Then;
                        }
                    }
                }
                "elif" => {
                    if let Some(f) = frames.last_mut() {
                        f.branch = if f.taken == Some(true) {
                            Branch::Rest
                        } else {
                            Branch::Unknown
                        };
                        f.taken = None;
                    }
                }
                "else" => {
                    if let Some(f) = frames.last_mut() {
                        if matches!(f.branch, Branch::Then | Branch::Condition) {
                            f.branch = Branch::Else;
                        }
                    }
                }
                "fi" => {
                    frames.pop();
                }
                _ => {}
            }
        }
        let off = frames.iter().any(|f| match f.branch {
            Branch::Then => f.taken == Some(false),
            Branch::Else => f.taken == Some(true),
            Branch::Rest => true,
            Branch::Condition | Branch::Unknown => false,
        });
        if off {
            skipped[i] = true;
        }
        if skipped[i] {
            continue;
        }
        if let Some(f) = frames.last_mut() {
            if f.branch == Branch::Condition && !c.words.is_empty() {
                f.taken = emptiness_test(c, &|name| {
                    set.get(name)
                        .copied()
                        .or_else(|| vars(name).map(|v| !v.is_empty()))
                });
            }
        }
        for a in &c.assignments {
            if let Some((name, value)) = a.text.split_once('=') {
                set.insert(name.to_string(), !value.is_empty());
            }
        }
    }
}

/// The value of `[ -n "$V" ]`, `[ -z "$V" ]`, `[ "$V" ]` (and `test …`) when whether `V` is
/// set to a non-empty value is known.
fn emptiness_test(
    c: &crate::syntax::shell::Command,
    non_empty: &dyn Fn(&str) -> Option<bool>,
) -> Option<bool> {
    let words: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
    let args: &[&str] = match words.as_slice() {
        ["[" | "[[", rest @ .., "]" | "]]"] => rest,
        ["test", rest @ ..] => rest,
        _ => return None,
    };
    let (negate, operand) = match args {
        ["-n", v] | [v] => (false, *v),
        ["-z", v] => (true, *v),
        _ => return None,
    };
    let name = operand
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| operand.strip_prefix('$'))?;
    if name.is_empty()
        || !name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
    {
        return None;
    }
    non_empty(name).map(|v| v != negate)
}

fn is_arch_case(script: &Script, case: &Case) -> bool {
    case.subject
        .as_ref()
        .is_some_and(|s| script.slice(s.raw).to_ascii_lowercase().contains("arch"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, vars: &dyn Fn(&str) -> Option<String>) -> Vec<Command> {
        commands(&Script::parse(text), vars, &Budget::for_input(text.len()))
    }

    fn words(script: &str) -> Vec<String> {
        split(script, &|_| None)
            .iter()
            .map(|c| c.words.join(" "))
            .collect()
    }

    #[test]
    fn splits_on_operators_and_continuations() {
        assert_eq!(
            words("set -eux; apt-get update && apt-get install -y \\\n  curl \\\n  git && rm -rf /var/lib/apt/lists/*"),
            vec!["set -eux", "apt-get update", "apt-get install -y curl git", "rm -rf /var/lib/apt/lists/*"]
        );
    }

    #[test]
    fn pipes_redirections_and_quotes() {
        let cmds = split(
            "curl -fsSL 'https://x/y.sh' | sh 2>&1 > /tmp/log; echo \"a b\" >> /etc/f; cmd &>/tmp/all",
            &|_| None,
        );
        assert_eq!(cmds[0].words, vec!["curl", "-fsSL", "https://x/y.sh"]);
        assert!(cmds[0].piped);
        assert_eq!(cmds[1].words, vec!["sh"]);
        assert_eq!(cmds[1].writes, vec!["/tmp/log"]);
        assert_eq!(cmds[2].words, vec!["echo", "a b"]);
        assert_eq!(cmds[2].writes, vec!["/etc/f"]);
        assert_eq!(cmds[3].words, vec!["cmd"]);
        assert_eq!(cmds[3].writes, vec!["/tmp/all"]);
    }

    #[test]
    fn unquoted_expansions_split_into_words() {
        let cmds = split("apt-get install -y $DEPS \"$ONE\"", &|n| match n {
            "DEPS" => Some("autoconf \t\tre2c\n make".to_string()),
            "ONE" => Some("a b".to_string()),
            _ => None,
        });
        assert_eq!(
            cmds[0].words,
            vec!["apt-get", "install", "-y", "autoconf", "re2c", "make", "a b"]
        );
    }

    #[test]
    fn expands_known_variables_and_keeps_the_rest() {
        let vars = |n: &str| match n {
            "V" => Some("1.0".to_string()),
            "PY" => Some("3.12.1".to_string()),
            _ => None,
        };
        let cmds = split(
            "pip install \"fastapi==${V}\" $X ${Y:-dflt} ${PY%.*} \"$(cat v.txt)\" `uname -m`",
            &vars,
        );
        assert_eq!(
            cmds[0].words,
            vec![
                "pip",
                "install",
                "fastapi==1.0",
                "$X",
                "dflt",
                "3.12",
                "$(cat v.txt)",
                "`uname -m`"
            ]
        );
    }

    #[test]
    fn an_emptiness_test_on_a_known_variable_keeps_the_branch_that_runs() {
        let script = "ARCH= ; case \"$(apk --print-arch)\" in x86_64) ARCH=x64 SUM=abc ;; *) ;; esac \
            && if [ -n \"${SUM}\" ]; then curl -O prebuilt-$ARCH; else apk add gcc && make install; fi \
            && if [ -z \"$SUM\" ]; then echo none; fi && echo done";
        // (The conditions are commands too.)
        let run = |s: &str, vars: &dyn Fn(&str) -> Option<String>| -> Vec<String> {
            split(s, vars)
                .iter()
                .map(|c| c.words.join(" "))
                .filter(|w| !w.starts_with('[') && !w.starts_with("test "))
                .collect()
        };
        assert_eq!(
            run(script, &|_| None),
            vec!["curl -O prebuilt-$ARCH", "echo done"]
        );
        // The stage's variables count too; an unknown variable keeps both branches.
        let vars = |n: &str| (n == "FAST").then(String::new);
        let kept = run(
            "if [ \"$FAST\" ]; then a; else b; fi; if test -n \"$OTHER\"; then c; else d; fi",
            &vars,
        );
        assert_eq!(kept, vec!["b", "c", "d"]);
        // Nested ifs inside a skipped branch stay skipped; other conditions keep everything.
        assert_eq!(
            run(
                "V=1; if [ -z $V ]; then if true; then x; fi; y; else z; fi; if [ -f f ]; then p; else q; fi",
                &|_| None
            ),
            vec!["z", "p", "q"]
        );
    }

    #[test]
    fn an_architecture_case_keeps_the_amd64_branch() {
        let script =
            "set -eux; dpkgArch=\"$(dpkg --print-architecture)\"; case \"${dpkgArch##*-}\" in \\\n\
            amd64|arm64) apt-get install -y nginx ;; \\\n\
            *) apt-get install -y gcc make; case \"$x\" in a) echo a ;; esac; make install ;; \\\n\
            esac; echo done";
        assert_eq!(
            words(script),
            vec!["set -eux", "apt-get install -y nginx", "echo done"]
        );
        // The catch-all branch when no branch names amd64.
        assert_eq!(
            words("case \"$(apk --print-arch)\" in aarch64) echo arm ;; *) echo other ;; esac"),
            vec!["echo other"]
        );
        // Not an architecture: every branch is seen (the patterns are not commands).
        assert_eq!(
            words("case \"$MODE\" in dev) echo dev ;; *) echo prod ;; esac"),
            vec!["echo dev", "echo prod"]
        );
    }

    #[test]
    fn skips_control_keywords() {
        assert_eq!(
            words("if true; then apt-get update; fi"),
            vec!["true", "apt-get update"]
        );
    }
}
