//! Go to definition and references of stages and variables, from the cursor (`$0`).

mod ide_support;

use ide_support::{check, fixture, show, with_document};
use stageplay::ide::{goto_definition, references, ReferenceKind};

/// The definitions: `kind name` and the selected text.
fn definition(input: &str) -> String {
    let (text, at) = fixture(input);
    with_document(&text, |d| {
        goto_definition(d, at)
            .iter()
            .map(|t| format!("{} {} {}", t.kind, t.name, show(&text, t.focus_span)))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The references, `def` or `use` and the text, in source order.
fn refs(input: &str) -> String {
    let (text, at) = fixture(input);
    with_document(&text, |d| {
        references(d, at)
            .iter()
            .map(|r| {
                let kind = match r.kind {
                    ReferenceKind::Definition => "def",
                    ReferenceKind::Read => "use",
                };
                format!("{kind} {}", show(&text, r.span))
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

const STAGES: &str = "FROM golang:1.22 AS Builder
RUN go build -o /out/app
FROM builder AS test
RUN go test
FROM alpine
COPY --from=builder /out/app /app
COPY --from=\"BUILDER\" /out/app /app2
RUN --mount=type=bind,from=builder,source=/out,target=/b ls /b
COPY --from=0 /out /copy-by-index
";

/// `STAGES` with the cursor just after the first occurrence of `before`.
fn at(before: &str) -> String {
    let i = STAGES.find(before).unwrap() + before.len();
    format!("{}$0{}", &STAGES[..i], &STAGES[i..])
}

#[test]
fn stage_definition_from_every_kind_of_reference() {
    for cursor in ["FROM build", "COPY --from=buil", "from=build", "\"BUILD"] {
        check(definition(&at(cursor)), "stage Builder 20..27 \"Builder\"");
    }
    // On the definition itself, it is its own definition.
    check(
        definition(&at("AS Build")),
        "stage Builder 20..27 \"Builder\"",
    );
}

#[test]
fn stage_references_are_case_insensitive_and_skip_indices() {
    let expect = "def 20..27 \"Builder\"
                  use 58..65 \"builder\"
                  use 110..117 \"builder\"
                  use 145..152 \"BUILDER\"
                  use 196..203 \"builder\"";
    check(refs(&at("AS Buil")), expect);
    check(refs(&at("from=build")), expect);
}

#[test]
fn from_refers_only_to_earlier_stages() {
    // `FROM app` before `AS app` is an image, as BuildKit reads it.
    check(refs("FROM a$0pp\nFROM alpine AS app"), "");
    check(
        definition("FROM alpine AS app\nFROM a$0pp"),
        "stage app 15..18 \"app\"",
    );
}

#[test]
fn arg_definition_respects_buildkit_scopes() {
    let input = "ARG VERSION=1.2
FROM alpine:${VERSION}
ARG VERSION
RUN echo $VERSION
FROM alpine
RUN echo $VERSION";
    // FROM sees the global ARG.
    check(
        definition(&input.replacen("${VERSION}", "${VER$0SION}", 1)),
        "ARG VERSION 4..11 \"VERSION\"",
    );
    // Inside the stage, the re-declaration; from it, the global it reads.
    check(
        definition(&input.replacen("echo $VERSION", "echo $VERS$0ION", 1)),
        "ARG VERSION 43..50 \"VERSION\"",
    );
    check(
        definition(&input.replacen("ARG VERSION\n", "ARG VER$0SION\n", 1)),
        "ARG VERSION 4..11 \"VERSION\"",
    );
    // The second stage never declares it: nothing to go to.
    check(definition(&format!("{input}$0")), "");
}

#[test]
fn env_wins_over_arg_and_is_inherited() {
    let input = "FROM scratch AS base
ENV APP=/app
ARG APP=/other
RUN echo $AP$0P
FROM base
WORKDIR $APP";
    check(definition(input), "ENV APP 25..28 \"APP\"");
    check(
        refs(input),
        "def 25..28 \"APP\"
         use 59..62 \"APP\"
         use 82..85 \"APP\"",
    );
}

#[test]
fn arg_references_span_every_declaration_of_the_build_arg() {
    let input = "ARG TAG=1
FROM alpine:$TAG AS a
ARG TAG
RUN echo ${TA$0G:-none} '$TAG' \\$TAG
FROM alpine AS b
ARG TAG=2
CMD echo $TAG";
    check(
        refs(input),
        "def 4..7 \"TAG\"
         use 23..26 \"TAG\"
         def 36..39 \"TAG\"
         use 51..54 \"TAG\"
         def 96..99 \"TAG\"",
    );
}

#[test]
fn uses_in_heredocs_flags_and_continuations() {
    let input = "FROM scratch
ARG DIR=/x
RUN --mount=type=cache,target=$DIR/cache <<EOF
echo $DIR
EOF
COPY <<'EOF' /f
$DIR stays literal here
EOF
RUN echo a \\
# $DIR in a comment line is not a use
    $DI$0R";
    check(
        refs(input),
        "def 17..20 \"DIR\"
         use 55..58 \"DIR\"
         use 77..80 \"DIR\"
         use 185..188 \"DIR\"",
    );
}

#[test]
fn nothing_on_other_words() {
    for input in ["FROM alp$0ine", "FROM a\nRUN ec$0ho", "$0"] {
        check(refs(input), "");
        check(definition(input), "");
    }
}
