//! The reader's cases (from the three readers it replaces) and its invariants.

use super::*;

/// The script of `RUN <s>` (its spans are offsets in `RUN <s>`).
fn script(s: &str) -> Script {
    let source = format!("RUN {s}");
    let doc = crate::syntax::parse(&source);
    let run = &doc.instructions[0];
    Script::read(run.args_text(), run.args_map.clone())
}

fn names(s: &Script) -> Vec<&str> {
    s.commands().map(Command::name).collect()
}

fn texts(words: &[Word]) -> Vec<&str> {
    words.iter().map(|w| w.text.as_str()).collect()
}

#[test]
fn splits_commands_and_sets_aside_assignments_and_redirections() {
    let args = "DEBIAN_FRONTEND=noninteractive apt-get install -y \\\n  curl > /dev/null 2>&1 && rm -rf /x | tee";
    let s = script(args);
    let text = format!("RUN {args}");
    assert_eq!(names(&s), ["apt-get", "rm", "tee"]);
    let c = s.commands().next().unwrap();
    assert_eq!(texts(c.args()), ["install", "-y", "curl"]);
    assert_eq!(texts(&c.assignments), ["DEBIAN_FRONTEND=noninteractive"]);
    assert_eq!(&text[c.args()[2].span.range()], "curl");
    let r: Vec<(&str, Option<&str>, Option<&str>)> = c
        .redirects
        .iter()
        .map(|r| {
            (
                r.op.as_str(),
                r.fd.as_deref(),
                r.target.as_ref().map(|t| t.text.as_str()),
            )
        })
        .collect();
    assert_eq!(
        r,
        [(">", None, Some("/dev/null")), (">&", Some("2"), Some("1"))]
    );
    assert_eq!(
        texts(&c.written_files().cloned().collect::<Vec<_>>()),
        ["/dev/null"]
    );
    // The command's span ends after its last redirection; its text is as written.
    assert_eq!(
        &text[c.span.range()],
        "apt-get install -y \\\n  curl > /dev/null 2>&1"
    );
    assert_eq!(
        s.slice(c.range),
        "DEBIAN_FRONTEND=noninteractive apt-get install -y   curl > /dev/null 2>&1"
    );
    assert_eq!(c.followed_by, Some("&&"));
    assert!(s.has_pipe);
}

#[test]
fn finds_commands_in_substitutions_and_control_flow() {
    let s =
        script("if [ -f x ]; then cd \"$(dirname x)\"; fi; for f in a b; do echo `wget q`; done");
    assert_eq!(names(&s), ["[", "dirname", "cd", "wget", "echo"]);
    let depths: Vec<u32> = s.commands().map(|c| c.depth).collect();
    assert_eq!(depths, [0, 1, 0, 1, 0]);
    assert!(!s.has_pipe);
    // Keywords lead the commands; headers and lone keywords are kept, but are not commands.
    let all: Vec<(Vec<&str>, Vec<&str>, bool)> = s
        .all
        .iter()
        .filter(|c| c.depth == 0)
        .map(|c| (texts(&c.keywords), texts(&c.words), c.header))
        .collect();
    assert_eq!(
        all,
        [
            (vec!["if"], vec!["[", "-f", "x", "]"], false),
            (vec!["then"], vec!["cd", "$(dirname x)"], false),
            (vec!["fi"], vec![], false),
            (vec![], vec!["for", "f", "in", "a", "b"], true),
            (vec!["do"], vec!["echo", "`wget q`"], false),
            (vec!["done"], vec![], false),
        ]
    );
    assert!(!s.only_and_chains());
    // Backticks inside double quotes are read too.
    assert_eq!(names(&script("echo \"v=`uname -m`\"")), ["uname", "echo"]);
}

#[test]
fn case_arms_hold_their_patterns_and_commands() {
    let s = Script::parse("case \"$a\" in\n  x86_64|aarch64) echo 64 ;;\n  (i386 | armhf) echo 32 ;;\n  *) exit 1 ;;\nesac; uname -m");
    assert_eq!(names(&s), ["echo", "echo", "exit", "uname"]);
    assert!(!s.has_pipe);
    assert_eq!(s.cases.len(), 1);
    let case = &s.cases[0];
    assert_eq!(case.subject.as_ref().map(|w| w.text.as_str()), Some("$a"));
    let arms: Vec<(Vec<&str>, Vec<&str>)> = case
        .arms
        .iter()
        .map(|a| {
            (
                texts(&a.patterns),
                s.all[a.commands.clone()]
                    .iter()
                    .map(Command::name)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        arms,
        [
            (vec!["x86_64", "aarch64"], vec!["echo"]),
            (vec!["i386", "armhf"], vec!["echo"]),
            (vec!["*"], vec!["exit"]),
        ]
    );
    assert!(!s.all[case.commands.clone()]
        .iter()
        .any(|c| c.name() == "uname"));
    let s = script("case $a in a|b) cat x | sort ;; esac");
    assert_eq!(names(&s), ["cat", "sort"]);
    assert!(s.has_pipe);
    // Nested: the outer arms go on after the inner `esac`.
    let s = script("case $a in x) case $b in y) one ;; esac; two ;; z) three ;; esac; four");
    assert_eq!(names(&s), ["one", "two", "three", "four"]);
    let outer = &s.cases[0];
    assert_eq!(outer.arms.len(), 2);
    let second: Vec<&str> = s.all[outer.arms[1].commands.clone()]
        .iter()
        .map(Command::name)
        .collect();
    assert_eq!(second, ["three"]);
}

#[test]
fn comment_lines_inside_continuations_are_dropped() {
    let s = script("apt-get install \\\n# comment\n  curl");
    assert_eq!(s.commands().count(), 1);
    assert_eq!(s.commands().next().unwrap().args().len(), 2);
    // In a heredoc script (read as it is), a backslash-newline continues the line.
    let body = "apt-get install \\\n  curl\n";
    let s = Script::at(body, 0);
    assert_eq!(
        texts(s.commands().next().unwrap().args()),
        ["install", "curl"]
    );
}

#[test]
fn quotes_escapes_and_substitutions() {
    let s = Script::parse(
        "./configure $(test \"$x\" = y && echo '--without-pcre-jit') --enable-fpm && make `echo a;b` && make install",
    );
    let c = s.commands().find(|c| c.depth == 0).unwrap();
    assert_eq!(
        texts(&c.words),
        [
            "./configure",
            "$(test \"$x\" = y && echo '--without-pcre-jit')",
            "--enable-fpm"
        ]
    );
    let top: Vec<Vec<&str>> = s
        .commands()
        .filter(|c| c.depth == 0)
        .map(|c| texts(&c.words))
        .collect();
    assert_eq!(top[1], ["make", "`echo a;b`"]);
    assert!(s.only_and_chains());
    // Nested and unclosed substitutions do not panic and keep the rest in the word.
    let s = Script::parse("a $(b $(c) d) && e $(f");
    let top: Vec<Vec<&str>> = s
        .commands()
        .filter(|c| c.depth == 0)
        .map(|c| texts(&c.words))
        .collect();
    assert_eq!(top, [vec!["a", "$(b $(c) d)"], vec!["e", "$(f"]]);
    let s = Script::parse("echo 'a b' \"c \\\"d\\\" $e\" f\\ g ${h:-i j}");
    let c = s.commands().next().unwrap();
    assert_eq!(texts(c.args()), ["a b", "c \"d\" $e", "f g", "${h:-i j}"]);
    assert_eq!(s.slice(c.args()[1].raw), "\"c \\\"d\\\" $e\"");
}

#[test]
fn the_program_behind_wrappers_and_its_subcommand() {
    let s =
        Script::parse("sudo env CGO_ENABLED=0 /usr/local/go/bin/go build -o /x . ; A=1 B=2 make");
    let cmds: Vec<&Command> = s.commands().collect();
    assert_eq!(cmds[0].name(), "sudo");
    assert_eq!(cmds[0].program(), "go");
    assert_eq!(cmds[0].subcommand(), Some("build"));
    assert!(cmds[0].runs("go", "build"));
    assert_eq!(cmds[0].flag_value(&["-o"]), Some("/x"));
    assert_eq!(cmds[0].assigned(), [("CGO_ENABLED", "0")]);
    assert_eq!(cmds[1].assigned(), [("A", "1"), ("B", "2")]);
    assert_eq!(cmds[1].program(), "make");
}

#[test]
fn subshells_and_groups_are_not_plain_chains() {
    let s = Script::parse("(cd x && make) && rm -r x");
    assert_eq!(names(&s), ["cd", "make", "rm"]);
    assert!(!s.only_and_chains());
    assert!(!Script::parse("{ a && b; }").only_and_chains());
    assert!(!Script::parse("a | b").only_and_chains());
    assert!(Script::parse("a && b && c").only_and_chains());
}

#[test]
fn exec_form_is_one_command_that_cannot_be_edited() {
    let items = vec![
        ("apt-get".to_string(), Span::new(5, 12)),
        ("install".to_string(), Span::new(16, 23)),
    ];
    let s = Script::exec(&items);
    assert!(!s.editable);
    assert_eq!(s.text, "apt-get install");
    let c = s.commands().next().unwrap();
    assert_eq!(c.name_span(), Span::new(5, 12));
    assert_eq!(c.span, Span::new(5, 23));
    assert_eq!(s.slice(c.args()[0].raw), "install");
}

/// The module's invariants on the script of `RUN <text>`, and on `text` read as it is.
pub(crate) fn check_invariants(text: &str) {
    let source = format!("RUN {text}");
    let doc = crate::syntax::parse(&source);
    if let Some(run) = doc.instructions.first() {
        let region = Span::new(4, source.len() as u32);
        check_script(
            &source,
            &Script::read(run.args_text(), run.args_map.clone()),
            region,
        );
    }
    check_script(text, &Script::parse(text), Span::new(0, text.len() as u32));
}

fn check_script(source: &str, s: &Script, region: Span) {
    for c in &s.all {
        let mut last = 0u32;
        let mut pieces: Vec<Span> = c
            .keywords
            .iter()
            .chain(&c.assignments)
            .chain(&c.words)
            .map(|w| w.raw)
            .collect();
        pieces.extend(
            c.redirects
                .iter()
                .filter_map(|r| r.target.as_ref().map(|t| t.raw)),
        );
        pieces.sort_by_key(|p| p.start);
        for p in &pieces {
            assert!(p.start >= last, "{source:?}: overlapping pieces in {c:?}");
            assert!(
                p.start >= c.range.start && p.end <= c.range.end,
                "{source:?}: {c:?}"
            );
            last = p.end;
        }
        for w in c.keywords.iter().chain(&c.assignments).chain(&c.words) {
            assert!(
                w.span.start >= region.start && w.span.end <= region.end,
                "{source:?}: {w:?} outside {region:?}"
            );
            assert!(w.raw.end as usize <= s.text.len());
            // Words round-trip: the raw text read alone gives the same word.
            let raw = s.slice(w.raw);
            if c.depth == 0 && !c.header && !raw.is_empty() {
                let again = Script::parse(raw);
                let words: Vec<&Word> = again
                    .all
                    .iter()
                    .filter(|c| c.depth == 0)
                    .flat_map(|c| c.keywords.iter().chain(&c.assignments).chain(&c.words))
                    .collect();
                if let [one] = words.as_slice() {
                    assert_eq!(one.text, w.text, "{source:?}: {raw:?}");
                }
            }
        }
        assert!(c.span.start >= region.start && c.span.end <= region.end);
    }
    for case in &s.cases {
        assert!(case.commands.start <= case.commands.end && case.commands.end <= s.all.len());
        for arm in &case.arms {
            assert!(
                arm.commands.start >= case.commands.start,
                "{source:?}: {case:?}"
            );
            assert!(
                arm.commands.end <= case.commands.end,
                "{source:?}: {case:?}"
            );
        }
    }
}

#[test]
fn invariants_on_tricky_texts() {
    for text in [
        "",
        "\\",
        "'",
        "\"",
        "$(",
        "`",
        "${",
        "a \\\n b",
        "x=1 y=\"2 3\" cmd >out 2>&1 <in <<EOF | tee -a log &",
        "case x in a) b ;; esac",
        "case",
        "esac esac ;; ) ( ((",
        "for ((i=0;i<3;i++)); do echo $i; done",
        "écho \"ünï $(cödé 'ç')\" `ü` ${ä:-ö}",
        "a\\\n\\\n",
        "f() { echo x; }; f",
        "cat <<-EOF > /etc/x\n",
        "echo \"$(echo \"$(echo 'x)')\")\"",
    ] {
        check_invariants(text);
    }
}

#[test]
fn the_script_of_a_run_with_heredocs() {
    let script = |text: &str| {
        let doc = crate::syntax::parse(text);
        let s = run_script(&doc.instructions[0]);
        let names: Vec<String> = s.commands().map(|c| c.name().to_string()).collect();
        (s, names)
    };
    // The heredoc alone is the script (BuildKit's dispatch), with spans into its body.
    let text = "RUN <<EOF\napt-get install -y curl\nEOF\n";
    let (s, names) = script(text);
    assert_eq!(names, ["apt-get"]);
    let c = s.commands().next().unwrap();
    assert_eq!(&text[c.args()[2].span.range()], "curl");
    // A shell reading its standard input runs the heredoc.
    assert_eq!(
        script("RUN bash -ex <<-'EOF'\n\techo hi\nEOF\n").1,
        ["echo"]
    );
    // Anything else reads the heredoc as data: the RUN's own words are the script.
    assert_eq!(
        script("RUN <<EOF | python3\nprint(1)\nEOF\n").1,
        ["python3"]
    );
    assert_eq!(
        script("RUN <<EOF 3<<IN awk -f -\nBEGIN {}\nEOF\nx\nIN\n").1,
        ["awk"]
    );
    assert_eq!(
        script("RUN sh -c 'cat' <<EOF\nnot a script\nEOF\n").1,
        ["sh"]
    );
    assert_eq!(script("RUN python3 <<EOF\nimport os\nEOF\n").1, ["python3"]);
    // Exec form: one command, not editable.
    let (s, names) = script("RUN [\"apt-get\", \"update\"]\n");
    assert_eq!(names, ["apt-get"]);
    assert!(!s.editable);
}
