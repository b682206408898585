//! Rename of stages and ARGs: the text after the rename, or the reason it is refused.

mod ide_support;

use ide_support::{check, fixture, with_document};
use stageplay::diagnostic::apply_edits;
use stageplay::ide::{prepare_rename, rename};

/// The renamed text, or `refused: <reason>`.
fn renamed(input: &str, new_name: &str) -> String {
    let (text, at) = fixture(input);
    with_document(&text, |d| match rename(d, at, new_name) {
        Ok(edits) => apply_edits(&text, &edits),
        Err(e) => format!("refused: {}", e.message),
    })
}

#[test]
fn a_stage_everywhere_it_is_used() {
    let input = "FROM golang AS Build$0er
RUN go build
FROM builder AS test
FROM alpine
COPY --from=BUILDER /out /app
COPY --from=\"builder\" /out /app2
RUN --mount=type=cache,from=builder,target=/c ls
COPY --from=0 /x /y";
    check(
        renamed(input, "compile"),
        "FROM golang AS compile
         RUN go build
         FROM compile AS test
         FROM alpine
         COPY --from=compile /out /app
         COPY --from=\"compile\" /out /app2
         RUN --mount=type=cache,from=compile,target=/c ls
         COPY --from=0 /x /y",
    );
    // From a reference, the same.
    let from_reference = input
        .replace("AS Build$0er", "AS Builder")
        .replace("BUILDER", "BUI$0LDER");
    assert_eq!(
        renamed(&from_reference, "compile"),
        renamed(input, "compile")
    );
}

#[test]
fn prepare_names_what_is_renamed() {
    let (text, at) = fixture("FROM a AS base\nFROM ba$0se");
    let target = with_document(&text, |d| prepare_rename(d, at)).unwrap();
    assert_eq!(
        (
            target.name.as_str(),
            target.kind,
            &text[target.span.range()]
        ),
        ("base", "stage", "base")
    );
    let (text, at) = fixture("FROM a\nRUN ec$0ho");
    let refused = with_document(&text, |d| prepare_rename(d, at)).unwrap_err();
    assert!(
        refused.message.starts_with("Nothing to rename here"),
        "{}",
        refused.message
    );
}

#[test]
fn stage_renames_that_would_break_the_build_are_refused() {
    let input =
        "FROM alpine AS ba$0se\nFROM base AS app\nCOPY --from=helper / /\nFROM scratch AS tool";
    check(
        renamed(input, "1st"),
        "refused: '1st' is not a valid stage name: it must start with a letter and hold only letters, digits, '-', '_' and '.'.",
    );
    check(
        renamed(input, "App"),
        "refused: Stage 1 (line 2) is already called 'app' (stage names are case-insensitive).",
    );
    check(
        renamed(input, "scratch"),
        "refused: 'scratch' is reserved by BuildKit.",
    );
    // `alpine` and `helper` are images today: a stage of that name would capture them.
    check(
        renamed(input, "alpine"),
        "refused: Line 1 uses an image called 'alpine': with a stage of that name it would use the stage instead.",
    );
    check(
        renamed(input, "Helper"),
        "refused: Line 3 uses an image called 'helper': with a stage of that name it would use the stage instead.",
    );
    // A new casing of the same name is fine.
    check(
        renamed(input, "Base"),
        "FROM alpine AS Base\nFROM Base AS app\nCOPY --from=helper / /\nFROM scratch AS tool",
    );
}

#[test]
fn stage_reached_through_a_variable_is_refused() {
    let input = "ARG PARENT=base\nFROM alpine AS ba$0se\nFROM ${PARENT}";
    let out = renamed(input, "root");
    assert_eq!(
        out,
        "refused: Line 3 reaches this stage through a variable or an escaped name; rename by hand."
    );
}

#[test]
fn an_arg_everywhere_it_is_used() {
    let input = "ARG VER$0SION=1
FROM alpine:${VERSION} AS a
ARG VERSION
RUN echo $VERSION ${VERSION:-x} '$VERSION'
FROM alpine AS b
ARG VERSION=2
ENV V=$VERSION
RUN echo $VERSIONS";
    check(
        renamed(input, "TAG"),
        "ARG TAG=1
         FROM alpine:${TAG} AS a
         ARG TAG
         RUN echo $TAG ${TAG:-x} '$VERSION'
         FROM alpine AS b
         ARG TAG=2
         ENV V=$TAG
         RUN echo $VERSIONS",
    );
}

#[test]
fn arg_renames_are_refused_with_a_reason() {
    let input = "ARG A$0=1\nFROM scratch\nENV B=2\nRUN echo $A $C";
    check(renamed(input, "2x"), "refused: '2x' is not a valid ARG name: use letters, digits and '_', not starting with a digit.");
    check(renamed(input, "B"), "refused: B is already used on line 3.");
    check(renamed(input, "C"), "refused: C is already used on line 4.");
    check(
        renamed(input, "TARGETARCH"),
        "refused: TARGETARCH is one of BuildKit's predefined ARGs.",
    );
    check(
        renamed("FROM scratch\nENV B$0=2", "C"),
        "refused: B is an ENV variable: renaming it changes the image's environment, which containers and child images read. Only stages and ARGs are renamed.",
    );
    check(
        renamed("FROM scratch\nARG TARGETARCH\nRUN echo $TARGET$0ARCH", "ARCH"),
        "refused: TARGETARCH is one of BuildKit's predefined ARGs: renaming it would lose its automatic value.",
    );
    check(
        renamed("FROM scratch\nRUN echo $HO$0ME", "X"),
        "refused: HOME is not defined by this Dockerfile at this point, so there is nothing to rename.",
    );
}
