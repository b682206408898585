//! Hover: what the pointer (`$0`) is on, and what is said about it.

mod ide_support;

use ide_support::{check, fixture, show, with_document};
use stageplay::estimate::bases;
use stageplay::estimate::size::human;
use stageplay::ide::hover;

/// A base image's ENV value as the knowledge base records it.
fn recorded_env(image: &str, name: &str) -> String {
    let base = bases::resolve(image).base.expect("a known image");
    let (_, value) = base
        .env
        .iter()
        .find(|(k, _)| k == name)
        .expect("a recorded ENV");
    value.clone()
}

/// The hovered text, then the markdown.
fn render(input: &str) -> String {
    let (text, at) = fixture(input);
    with_document(&text, |d| match hover(d, at) {
        Some(h) => format!("{}\n{}", show(&text, h.span), h.markdown),
        None => "(none)".to_string(),
    })
}

#[test]
fn instruction_keywords() {
    check(
        render("FROM alpine\nWORK$0DIR /app"),
        "12..19 \"WORKDIR\"
         ```dockerfile
         WORKDIR <path>
         ```
         The working directory for later instructions, created when missing. Use absolute paths.
         [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#workdir)",
    );
    let onbuild = render("FROM a\nONBUILD ru$0n make");
    assert!(
        onbuild.starts_with("15..18 \"run\"\n```dockerfile\nRUN "),
        "{onbuild}"
    );
}

#[test]
fn flags_and_mount_options() {
    check(
        render("FROM a\nCOPY --ch$0own=1:1 a b"),
        "12..23 \"--chown=1:1\"
         ```dockerfile
         COPY --chown=<user>:<group>
         ```
         Owner of the copied files (names are looked up in the image's /etc/passwd and /etc/group; use numeric IDs with --link). Default: 0:0.
         [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#copy---chown)",
    );
    check(
        render("FROM a\nRUN --mount=type=cache,shar$0ing=locked,target=/v x"),
        "30..44 \"sharing=locked\"
         **--mount option** `sharing`
         How concurrent builds share the cache: `shared` (default), `private` (a new cache per writer) or `locked` (one writer at a time; apt needs it).
         For types: cache.
         [Dockerfile reference](https://docs.docker.com/reference/dockerfile/#run---mount)",
    );
    check(
        render("FROM a\nRUN --mount=type=se$0cret,id=t x"),
        "24..30 \"secret\"
         **--mount type** `secret`
         A secret (`docker build --secret id=…`) as a file under /run/secrets or an environment variable, never stored in the image.",
    );
    let alias = render("FROM a\nRUN --mount=type=cache,ds$0t=/v x");
    assert!(alias.contains("`target`, `dst`, `destination`"), "{alias}");
}

#[test]
fn a_variable_shows_its_value_at_that_line() {
    let input = "ARG VERSION=3.20\nFROM alpine:${VER$0SION}";
    check(
        render(input),
        "31..38 \"VERSION\"
         **ARG VERSION** = `3.20`
         Defined at line 1, global (before the first FROM). Not kept in the image.",
    );
    // ENV values are expanded against what their instruction sees.
    let input =
        "FROM scratch\nARG BASE=/opt\nENV APP=\"$BASE/app\"\nENV BIN=$APP/bin\nWORKDIR $BI$0N";
    check(
        render(input),
        "73..76 \"BIN\"
         **ENV BIN** = `/opt/app/bin`
         Defined at line 4, stage stage-0.",
    );
    // A later definition does not count; the global ARG needs a declaration in the stage.
    let input = "ARG V=1\nFROM scratch\nRUN echo $V$0\nARG V";
    let out = render(input);
    assert!(
        out.contains("**$V** is not defined by this Dockerfile here"),
        "{out}"
    );
    let input = "ARG V=1\nFROM scratch\nARG V\nRUN echo $V$0";
    let out = render(input);
    assert!(
        out.contains("**ARG V** = `1`") && out.contains("takes the global ARG's value"),
        "{out}"
    );
}

#[test]
fn env_wins_over_arg_and_base_image_env_is_known() {
    let input = "FROM scratch\nENV X=env\nARG X=arg\nRUN echo $X$0";
    assert!(render(input).contains("**ENV X** = `env`"));
    let input = "FROM python:3.12-slim\nRUN echo $PYTHON_VER$0SION";
    check(
        render(input),
        &format!(
            "32..46 \"PYTHON_VERSION\"
             **ENV PYTHON_VERSION** = `{}`
             Set by the base image `python:3.12-slim-trixie` (the knowledge base's record of its config).",
            recorded_env("python:3.12-slim", "PYTHON_VERSION")
        ),
    );
}

#[test]
fn build_arg_overrides_reach_the_hover() {
    use stageplay::analysis::{analyze, AnalysisOptions};
    use stageplay::ide::Document;
    let (text, at) = fixture("ARG TAG=1\nFROM alpine:$TA$0G");
    let options = AnalysisOptions {
        build_args: vec![("TAG".into(), "3.22".into())],
        ..AnalysisOptions::default()
    };
    let analysis = analyze(&text, &options);
    let h = hover(&Document::new(&text, &analysis), at).unwrap();
    assert!(
        h.markdown.starts_with("**ARG TAG** = `3.22`"),
        "{}",
        h.markdown
    );
}

#[test]
fn a_stage_shows_its_base_and_its_users() {
    let input = "FROM scratch AS bu$0ild\nCOPY x /out\nFROM alpine AS app\nCOPY --from=build /out /app\nRUN --mount=type=bind,from=build,target=/b ls\nFROM app";
    check(
        render(input),
        "16..21 \"build\"
         **stage build** (stage 0 of 3)
         Built FROM `scratch` (an empty image).
         Used by:
         - stage `app`: COPY --from, line 4
         - stage `app`: RUN --mount, line 5",
    );
    let out = render("FROM alpine AS app\nFROM a$0pp\nFROM scratch AS x");
    assert!(
        out.contains("**stage app** (stage 0 of 3)")
            && out.contains("- stage `stage-1`: FROM, line 2"),
        "{out}"
    );
    assert!(
        !render("FROM scratch AS unused\nFROM alpine\nCOPY --from=unu$0sed / /")
            .contains("This is the build's target.")
    );
    assert!(render("FROM scratch AS un$0used\nFROM alpine").contains("The target does not need it"));
}

#[test]
fn a_base_image_shows_its_facts() {
    // The figures are the knowledge base's, whatever they are today.
    let base = bases::resolve("alpine:3.22").base.unwrap();
    check(
        render("FROM alpi$0ne:3.22"),
        &format!(
            "5..16 \"alpine:3.22\"
             **alpine:3.22**: {} ({}–{}), {}, {}
             | | |
             |---|---|
             | user | {} |
             | shell | {} |
             | package manager | {} |
             | cmd | `/bin/sh` |
             Source: {}",
            human(base.bytes),
            human(base.low_bytes),
            human(base.high_bytes),
            base.os,
            base.libc,
            base.user,
            base.shell,
            base.package_manager,
            base.source
        ),
    );
    let approx = render("ARG PY=3.12.7-slim\nFROM python:$P$0Y");
    assert!(approx.contains("**ARG PY**"), "{approx}");
    let approx = render("FROM python:3.12.7-sl$0im");
    assert!(
        approx.starts_with("5..23 \"python:3.12.7-slim\"\n**python:3.12-slim-trixie**"),
        "{approx}"
    );
    assert!(
        render("FROM example.com/team/ima$0ge:1").contains("is not in Stageplay's knowledge base")
    );
}

#[test]
fn nothing_on_plain_arguments() {
    for input in [
        "FROM a\nRUN apt-get ins$0tall x",
        "FROM a\n# comm$0ent",
        "$0",
        "FROM a\nCOPY sr$0c /dst",
    ] {
        assert_eq!(render(input), "(none)", "{input:?}");
    }
}

#[test]
fn values_that_double_at_every_step_stay_cheap() {
    // Each ENV refers to the previous one twice: naive expansion would take 2^40 steps.
    let mut text = String::from("FROM scratch\nENV V0=x\n");
    for i in 1..=40 {
        text.push_str(&format!("ENV V{i}=${{V{}}}${{V{}}}\n", i - 1, i - 1));
    }
    text.push_str("RUN echo $V40$0");
    let out = render(&text);
    assert!(
        out.starts_with(&format!(
            "{0}..{1} \"V40\"\n**ENV V40** = `xx",
            text.len() - 5,
            text.len() - 2
        )),
        "{}",
        &out[..out.len().min(200)]
    );
}
