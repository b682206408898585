//! BuildKit's lexer cases: expansion, quotes, escapes, modifiers and patterns.

use super::pattern::{compile_pattern, reverse_pattern};
use super::*;

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
}

fn ok(word: &str, pairs: &'static [(&'static str, &'static str)]) -> String {
    expand(word, '\\', &env(pairs), &Budget::for_input(0)).unwrap_or_else(|e| panic!("{word}: {e}"))
}

fn err(word: &str, pairs: &'static [(&'static str, &'static str)]) -> String {
    expand(word, '\\', &env(pairs), &Budget::for_input(0))
        .expect_err(word)
        .message
}

/// Cases from moby/buildkit `frontend/dockerfile/shell/lex_test.go` (TestProcessWithMatches).
#[test]
fn buildkit_process_with_matches() {
    const FB: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];
    assert_eq!(ok("x", &[("DUMMY", "dummy")]), "x");
    assert_eq!(ok("x ${UNUSED}", &[]), "x ");
    assert_eq!(ok("x ${FOO}", &[("FOO", "y")]), "x y");
    assert_eq!(ok("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", FB), "xxx  ccc");
    assert_eq!(ok("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", FB), "xxx bbb ccc");
    assert_eq!(ok("${FOO:-}", FB), "xxx");
    assert_eq!(ok("${FOO:-}", &[]), "");
    assert_eq!(ok("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", FB), "aaa bbb ");
    assert_eq!(ok("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", FB), "aaa  ");
    assert_eq!(ok("${FOO?aaa}", FB), "xxx");
    assert_eq!(ok("${BAR?bbb}", FB), "");
    err("${BAZ?ccc}", FB);
    assert_eq!(ok("${FOO:?aaa}", FB), "xxx");
    err("${BAR:?bbb}", FB);
    err("${BAZ:?ccc}", FB);
    err("${BAZ:?}", FB);
    err("${FOO=aaa}", FB);
    err("${FOO=:aaa}", FB);
    err("${FOO=}", &[]);
    assert_eq!(
        ok(
            "${FOO#()[]{\\}^$.\\*\\?|\\\\}",
            &[("FOO", "()[]{}^$.*?|\\x")]
        ),
        "x"
    );
    assert_eq!(ok("${FOO%%\\**}", &[("FOO", "xx**")]), "xx");
    assert_eq!(ok("${FOO#*x*y}", &[("FOO", "xxyy")]), "y");
    assert_eq!(ok("${FOO#*}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(ok("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")]), "xyy");
    assert_eq!(ok("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")]), "xxyy");
    assert_eq!(ok("${FOO#}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(ok("${FOO##*x}", &[("FOO", "xxyy")]), "yy");
    assert_eq!(ok("${FOO##}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(ok("${FOO#?\\?}", &[("FOO", "???y")]), "?y");
    assert_eq!(
        ok("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")]),
        ".xxyy."
    );
    assert_eq!(ok("${FOO%%\\**\\*}", &[("FOO", "a***yy*")]), "a");
    assert_eq!(ok("${FOO%}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(ok("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")]), "xxyy");
    err("${FOO:#}", &[]);
    err("${FOO:##}", &[]);
    err("${FOO:%}", &[]);
    err("${FOO:%%}", &[]);
    assert_eq!(
        ok(
            "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", "\\*/")]
        ),
        "/foo.*/*.txt - /foo..*.txt"
    );
    assert_eq!(
        ok(
            "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")]
        ),
        "/tmp/bar.txt - /bar.txt"
    );
    assert_eq!(
        ok(
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "/a/foo/b/c.txt"),
                ("NEEDLE", "/?/"),
                ("REPLACEMENT", "/")
            ]
        ),
        "/foo/b/c.txt - /foo/c.txt"
    );
    assert_eq!(
        ok(
            "${FOO/$NEEDLE/$REPLACEMENT}",
            &[
                ("FOO", "http://google.de"),
                ("NEEDLE", "http://"),
                ("REPLACEMENT", "https://")
            ]
        ),
        "https://google.de"
    );
    assert_eq!(
        ok("${FOO//\\//\\/}", &[("FOO", "/tmp/foo.txt")]),
        "\\/tmp\\/foo.txt"
    );
    assert_eq!(
        ok("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")]),
        "wwxxyy"
    );
    err("${FOO//ww}", &[("FOO", "xxyy")]);
    err("${FOO//}", &[("FOO", "xxyy")]);
    assert_eq!(ok("${FOO///}", &[("FOO", "xxyy")]), "xxyy");
    assert_eq!(ok("${FOO///}", &[]), "");
}

/// TestShellParserMandatoryEnvVars and TestProcessWithMatchesPlatform.
#[test]
fn buildkit_mandatory_and_platform() {
    let no_empty = "${VAR:?message here$ARG}";
    let no_unset = "${VAR?message here$ARG}";
    assert_eq!(ok(no_empty, &[("VAR", "plain"), ("ARG", "x")]), "plain");
    assert!(err(no_empty, &[("VAR", ""), ("ARG", "x")]).contains("message herex"));
    assert!(err(no_empty, &[("ARG", "x")]).contains("message herex"));
    assert_eq!(ok(no_unset, &[("VAR", "plain"), ("ARG", "x")]), "plain");
    assert_eq!(ok(no_unset, &[("VAR", ""), ("ARG", "x")]), "");
    assert!(err(no_unset, &[("ARG", "x")]).contains("message herex"));
    let release =
        "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    assert_eq!(
        ok(
            release,
            &[
                ("VERSION", "v1.2.3"),
                ("TARGETOS", "linux"),
                ("TARGETARCH", "arm"),
                ("TARGETVARIANT", "v7")
            ]
        ),
        "something-v1.2.3.linux-arm-v7.tar.gz"
    );
    assert_eq!(
        ok(
            release,
            &[
                ("VERSION", "v1.2.3"),
                ("TARGETOS", "linux"),
                ("TARGETARCH", "arm64"),
                ("TARGETVARIANT", "")
            ]
        ),
        "something-v1.2.3.linux-arm64.tar.gz"
    );
}

/// Cases in the form of BuildKit's `envVarTest` (same environment: PWD=/home, SHELL=bash,
/// KOREAN=한국어, NULL=), with results derived from `lex.go`'s rules.
#[test]
fn buildkit_env_var_test() {
    const E: &[(&str, &str)] = &[
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ];
    let cases: &[(&str, &str)] = &[
        ("hello", "hello"),
        ("he'll'o", "hello"),
        ("he'llo", "error"),
        ("he\\'llo", "he'llo"),
        ("he\\\\'llo", "error"),
        ("abc\\\\def", "abc\\def"),
        ("\"abc\\\\def\"", "abc\\def"),
        ("'abc\\\\def'", "abc\\\\def"),
        ("hello\\", "hello"),
        ("hello\\\\", "hello\\"),
        ("\"hello", "error"),
        ("\"hello\\\"", "error"),
        ("\"hel'lo\"", "hel'lo"),
        ("'hello", "error"),
        ("'hello\\'", "hello\\"),
        ("'hello\\there'", "hello\\there"),
        ("'hello\\\\there'", "hello\\\\there"),
        ("\"''\"", "''"),
        ("$.", "$."),
        ("he$1x", "hex"),
        ("he$.x", "he$.x"),
        ("he$pwd.", "he."),
        ("he$PWD", "he/home"),
        ("he\\$PWD", "he$PWD"),
        ("he\\\\$PWD", "he\\/home"),
        ("\"he\\$PWD\"", "he$PWD"),
        ("\"he\\\\$PWD\"", "he\\/home"),
        ("he\\${}", "he${}"),
        ("he\\${}xx", "he${}xx"),
        ("he${}", "error"),
        ("he${}xx", "error"),
        ("he${hi}", "he"),
        ("he${hi}xx", "hexx"),
        ("he${PWD}", "he/home"),
        ("he${.}", "error"),
        ("he${XXX:-000}xx", "he000xx"),
        ("he${PWD:-000}xx", "he/homexx"),
        ("he${XXX:-$PWD}xx", "he/homexx"),
        ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"),
        ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"),
        ("he${XXX:YYY}", "error"),
        ("he${XXX?}", "error"),
        ("he${XXX:?}", "error"),
        ("he${PWD?}", "he/home"),
        ("he${PWD:?}", "he/home"),
        ("he${NULL?}", "he"),
        ("he${NULL:?}", "error"),
        ("he${XXX:+${PWD}}xx", "hexx"),
        ("he${PWD:+${XXX}}xx", "hexx"),
        ("he${PWD:+${SHELL}}xx", "hebashxx"),
        ("he${XXX:+000}xx", "hexx"),
        ("he${PWD:+000}xx", "he000xx"),
        ("'he${XX}'", "he${XX}"),
        ("\"he${PWD}\"", "he/home"),
        ("\"he'$PWD'\"", "he'/home'"),
        ("\"$PWD\"", "/home"),
        ("'$PWD'", "$PWD"),
        ("'\\$PWD'", "\\$PWD"),
        ("'\"hello\"'", "\"hello\""),
        ("he\\$PWD", "he$PWD"),
        ("\"he\\$PWD\"", "he$PWD"),
        ("'he\\$PWD'", "he\\$PWD"),
        ("he${PWD", "error"),
        ("he${PWD:=000}xx", "error"),
        ("he${PWD:+${PWD}:}xx", "he/home:xx"),
        ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"),
        ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"),
        ("무진장", "무진장"),
        ("$한국어", ""),
        ("$KOREAN", "한국어"),
        ("${KOREAN}", "한국어"),
        ("안녕$KOREAN", "안녕한국어"),
    ];
    for (input, expected) in cases {
        let result = expand(input, '\\', &env(E), &Budget::for_input(0));
        if *expected == "error" {
            assert!(result.is_err(), "{input} should fail, got {result:?}");
        } else {
            assert_eq!(
                result.as_deref().map_err(|e| e.to_string()),
                Ok(*expected),
                "{input}"
            );
        }
    }
}

#[test]
fn raw_and_words() {
    let e = env(&[("A", "x y")]);
    assert_eq!(
        expand_raw("'$A' \"$A\" \\$A", '\\', &e, &Budget::for_input(0)).unwrap(),
        "'$A' \"x y\" \\$A"
    );
    assert_eq!(
        expand_words("a $A \"b c\"", '\\', &e, &Budget::for_input(0)).unwrap(),
        ["a", "x", "y", "b c"]
    );
    assert_eq!(expand("`$A", '`', &e, &Budget::for_input(0)).unwrap(), "$A");
    let err = expand("${A", '\\', &e, &Budget::for_input(0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "failed to process \"${A\": unsupported modifier (\u{FFFD}) in substitution"
    );
    assert_eq!(
        expand("${A:-x", '\\', &e, &Budget::for_input(0))
            .unwrap_err()
            .message,
        "syntax error: missing '}'"
    );
}

#[test]
fn patterns() {
    assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
    assert_eq!(reverse_pattern("ab\\"), "\\ba");
    assert!(compile_pattern("\\x").is_err());
    assert!(compile_pattern("\\").is_err());
}

#[test]
fn unset_variables_kept_as_written_where_a_shell_may_set_them() {
    let keep = Lex {
        unset: Unset::Keep,
        ..Lex::new('\\')
    };
    let e = env(&[("A", "x")]);
    let run = |w: &str| keep.process(w, &e, &Budget::for_input(0)).unwrap().0;
    assert_eq!(run("$A $U ${U} ${A}"), "x $U ${U} x");
    // A default applies, as the shell would apply it to a variable it leaves unset.
    assert_eq!(run("${U:-d} ${U-d}"), "d d");
    // Other modifiers need the value: the reference stays.
    assert_eq!(
        run("${U:+y} ${U%.*} ${U#*/} ${U/a/b} ${U//a/b} ${U:?m}"),
        "${U:+y} ${U%.*} ${U#*/} ${U/a/b} ${U//a/b} ${U:?m}"
    );
    assert_eq!(run("${A%x}y"), "y");
}

#[test]
fn the_budget_stops_doubling_chains() {
    // V(i) = V(i-1) twice: 2^i bytes. Each lookup is charged; once the budget is spent every
    // later expansion fails without looking anything up.
    let budget = Budget::new(1000);
    let mut values: Vec<String> = vec!["x".into()];
    let mut failed_at = None;
    for i in 1..40 {
        let vars = values.clone();
        let lookup = move |n: &str| {
            n.strip_prefix('V')
                .and_then(|k| k.parse::<usize>().ok())
                .and_then(|k| vars.get(k).cloned())
        };
        let word = format!("${{V{}}}${{V{}}}", i - 1, i - 1);
        match expand(&word, '\\', &lookup, &budget) {
            Ok(v) => values.push(v),
            Err(e) => {
                assert!(e.message.contains("expansion stopped"), "{e}");
                failed_at.get_or_insert(i);
                values.push(word);
            }
        }
    }
    // 2 + 4 + … + 2^k ≤ 1000 bytes charged: the chain stops at V9 (2^9 = 512 bytes charged
    // there, 1022 in all).
    assert_eq!(failed_at, Some(9));
    assert!(budget.is_spent());
    assert!(values.iter().all(|v| v.len() <= 256));
    // Spent is final: even a short value is no longer substituted.
    let err = expand("$A", '\\', &env(&[("A", "1")]), &budget).unwrap_err();
    assert!(err.message.contains("1000 bytes"));
    // `${V//?/…}` grows by the replacement at each character: charged too.
    let small = Budget::new(100);
    let r = expand(
        "${A//?/yyyyyyyyyy}",
        '\\',
        &env(&[("A", "0123456789x")]),
        &small,
    );
    assert!(r.is_err());
}

#[test]
fn words_carry_their_byte_ranges() {
    let lex = Lex {
        raw_quotes: true,
        raw_escapes: true,
        unset: Unset::Keep,
        ..Lex::new('\\')
    };
    let (_, words) = lex
        .process_spanned("a  'b c'd \\ e é$X", &|_| None, &Budget::new(0))
        .unwrap();
    let got: Vec<(&str, usize, usize)> = words
        .iter()
        .map(|w| (w.text.as_str(), w.start, w.end))
        .collect();
    assert_eq!(
        got,
        [
            ("a", 0, 1),
            ("'b c'd", 3, 9),
            ("\\ e", 10, 13),
            ("é$X", 14, 18)
        ]
    );
    // A value with spaces splits where it was referenced.
    let (_, words) = Lex::new('\\')
        .process_spanned("x$V", &|_| Some("1 2".into()), &Budget::new(100))
        .unwrap();
    let got: Vec<(&str, usize, usize)> = words
        .iter()
        .map(|w| (w.text.as_str(), w.start, w.end))
        .collect();
    assert_eq!(got, [("x1", 0, 3), ("2", 1, 3)]);
}

#[test]
fn verbatim_keeps_defaults_and_v0_12_reads_its_own_forms() {
    let v012 = Lex {
        unset: Unset::Verbatim,
        grammar: Grammar::V0_12,
        ..Lex::new('\\')
    };
    let none = |_: &str| None;
    let run = |lex: &Lex, w: &str| {
        lex.process(w, &none, &Budget::new(0))
            .map(|(w, _)| w)
            .map_err(|e| e.message)
    };
    assert_eq!(
        run(&v012, "${a:-x} ${b-y} $c ${d}").unwrap(),
        "${a:-x} ${b-y} $c ${d}"
    );
    // v0.12 had no pattern forms: `#`, `%` and `/` fail; after `:` any character is read.
    assert_eq!(
        run(&v012, "${a#b}").unwrap_err(),
        "missing ':' in substitution"
    );
    assert_eq!(
        run(&v012, "${a/b/c}").unwrap_err(),
        "missing ':' in substitution"
    );
    assert_eq!(
        run(&v012, "${a").unwrap_err(),
        "missing ':' in substitution"
    );
    assert_eq!(run(&v012, "${a:#b}").unwrap(), "${a:#b}");
    let set = |n: &str| (n == "a").then(|| "v".to_string());
    assert_eq!(
        v012.process("${a:#b}", &set, &Budget::new(10))
            .unwrap_err()
            .message,
        "unsupported modifier (#) in substitution"
    );
    // Today's grammar: Keep applies a default, Verbatim keeps it as written.
    let keep = Lex {
        unset: Unset::Keep,
        ..Lex::new('\\')
    };
    let verbatim = Lex {
        unset: Unset::Verbatim,
        ..Lex::new('\\')
    };
    assert_eq!(run(&keep, "${a:-x}").unwrap(), "x");
    assert_eq!(run(&verbatim, "${a:-x}").unwrap(), "${a:-x}");
    assert_eq!(run(&verbatim, "${a#b}").unwrap(), "${a#b}");
}
