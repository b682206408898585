//! Generated Dockerfiles: the same generator feeds the native and the browser benchmarks.
//!
//! One unit is a realistic three-stage service (dependencies, build, runtime) with continued
//! RUN lines, a cache mount, a heredoc, COPY --from edges and exec-form CMD; units get unique
//! stage names so every file is a valid multi-stage build.

/// The text of unit `i` (31 lines, about 1 KB).
pub fn unit(i: usize) -> String {
    format!(
        "# service {i}: dependencies, build, runtime
FROM python:3.12-slim AS deps-{i}
ARG PIP_INDEX_URL
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update \\
 && apt-get install -y --no-install-recommends gcc libpq-dev \\
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM golang:1.22 AS build-{i}
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN <<EOF
set -e
CGO_ENABLED=0 go build -o /out/app-{i} ./cmd/app
EOF

FROM debian:bookworm-slim AS runtime-{i}
COPY --from=deps-{i} /usr/local/lib/python3.12 /usr/local/lib/python3.12
COPY --from=build-{i} /out/app-{i} /usr/local/bin/app
USER 1000
EXPOSE 8080
HEALTHCHECK --interval=30s CMD [\"app\", \"health\"]
CMD [\"app\", \"serve\", \"--port\", \"8080\"]

"
    )
}

/// Whole units until the text has at least `lines` lines.
pub fn with_lines(lines: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.lines().count() < lines {
        out.push_str(&unit(i));
        i += 1;
    }
    out
}

/// Whole units until the text has at least `bytes` bytes.
pub fn with_bytes(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 2048);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&unit(i));
        i += 1;
    }
    out
}

/// Exactly `stages` stages (whole units, then single stages to make up the count).
pub fn with_stages(stages: usize) -> String {
    let mut out = String::new();
    for i in 0..stages / 3 {
        out.push_str(&unit(i));
    }
    for j in 0..stages % 3 {
        out.push_str(&format!(
            "FROM alpine:3.20 AS extra-{j}\nCOPY --from=build-0 /out/app-0 /app\n\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_files_have_the_asked_shape() {
        assert!(with_lines(300).lines().count() >= 300);
        assert!(with_bytes(1 << 20).len() >= 1 << 20);
        let doc = stageplay::syntax::parse(&with_stages(60));
        let model = stageplay::model::build(&doc, &Default::default());
        assert_eq!(model.stages.len(), 60);
        let errors = doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == stageplay::Severity::Error)
            .count();
        assert_eq!(errors, 0, "{:?}", doc.diagnostics);
    }
}
