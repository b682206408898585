//! What the estimate reads from RUN scripts and instruction words through the one shell layer
//! and the one expander: each case was read wrongly by the estimate's own reader before.

mod support;

use support::{estimate_of as run, file_paths as paths};

/// `&` inside an ADD URL is not a shell operator: BuildKit's `ProcessWords` reads instruction
/// words, so `keep-git-dir=1` is not a second source copied from the context.
#[test]
fn instruction_words_are_read_as_buildkit_reads_them() {
    let e = run(
        "FROM alpine:3.20\nARG V=v1\nADD https://github.com/x/y.git?ref=${V}&keep-git-dir=1 .\n",
    );
    let add = e.layers.iter().find(|l| l.line == 3).unwrap();
    assert!(
        add.reason.contains("?ref=v1&keep-git-dir=1"),
        "{}",
        add.reason
    );
    assert!(!add.reason.contains("context"), "{}", add.reason);
    // `USER <<X` names a user; it is not an input redirection.
    let e = run("FROM alpine:3.20\nUSER <<INVALID\n");
    assert_eq!(e.facts.user, "<<INVALID");
    // With `# escape=\``, a backslash is an ordinary character in a path.
    let e = run("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\app\\\nCOPY x.txt .\n");
    assert!(
        paths(&e).iter().any(|p| p.contains("C:\\app\\")),
        "{:?}",
        paths(&e)
    );
}

/// Command substitutions are kept whole, quotes and parentheses inside them included: the
/// commands around them are read right, and nothing inside them becomes a command.
#[test]
fn substitutions_stay_inside_their_word() {
    let e = run(
        "FROM alpine:3.20\nRUN runDeps=\"$(scanelf --needed /usr/local | awk '{ print \"so:\" $1 \")\" }' )\" \\\n  && for p in /a /b; do echo `stat -c %u:%g $p`; done\n",
    );
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}

/// A heredoc is the script only when the RUN is the heredoc alone or a shell reads it: in
/// `RUN <<EOF 3<<IN awk -f -` awk reads the heredoc, and its program is not shell.
#[test]
fn a_heredoc_is_the_script_only_when_a_shell_runs_it() {
    let e = run("FROM busybox\nWORKDIR /dest\nRUN <<EOF 3<<IN awk -f -\nBEGIN { while ((getline line < \"/proc/self/fd/3\") > 0) print line > \"./fd3\" }\nEOF\nhello\nIN\n");
    assert!(!paths(&e).iter().any(|p| p == "/dest/0"), "{:?}", paths(&e));
    let e = run("FROM busybox\nRUN bash -e <<EOF\necho hi > /etc/greeting\nEOF\n");
    assert!(
        paths(&e).iter().any(|p| p == "/etc/greeting"),
        "{:?}",
        paths(&e)
    );
    let e = run("FROM busybox\nRUN <<EOF\necho hi > /etc/greeting\nEOF\n");
    assert!(
        paths(&e).iter().any(|p| p == "/etc/greeting"),
        "{:?}",
        paths(&e)
    );
}
