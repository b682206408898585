//! The static runtime check (`estimate::runtime`) on the broken refactor outputs issue #15
//! describes, each written from its pattern (not a copy of the file it was seen in), and on
//! their sound counterparts, which it must not flag.

mod support;

use support::runtime_missing as missing;

fn flags(text: &str, what: &str) {
    let m = missing(text);
    assert!(
        m.iter().any(|x| x.contains(what)),
        "expected `{what}` in {m:?}\n{text}"
    );
}

#[test]
fn a_venv_outside_the_copied_folder() {
    let broken = "FROM python:3.11 AS builder\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\n\
                  WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n\
                  FROM python:3.11-slim AS production\nWORKDIR /app\nCOPY --from=builder /app /app\n\
                  ENV PATH=/app/.venv/bin:$PATH\nCMD [\"/opt/venv/bin/python\", \"main.py\"]\n";
    flags(broken, "/opt/venv/bin/python");
    let sound = broken.replace(
        "COPY --from=builder /app /app\n",
        "COPY --from=builder /app /app\nCOPY --from=builder /opt/venv /opt/venv\n",
    );
    assert_eq!(missing(&sound), Vec::<String>::new(), "{sound}");
}

#[test]
fn a_global_npm_command_left_in_the_builder() {
    let broken = "FROM node:22 AS builder\nWORKDIR /app\nRUN npm install -g serve\nCOPY . .\n\
                  RUN npm ci && npm run build\n\
                  FROM node:22-slim AS production\nWORKDIR /app\nCOPY --from=builder /app /app\n\
                  CMD [\"serve\", \"-s\", \"build\"]\n";
    flags(broken, "`serve`");
    let sound = broken.replace(
        "FROM node:22-slim AS production\n",
        "FROM node:22-slim AS production\nRUN npm install -g serve\n",
    );
    assert_eq!(missing(&sound), Vec::<String>::new(), "{sound}");
}

#[test]
fn a_package_manager_only_the_builder_has() {
    let broken =
        "FROM node:22-alpine AS builder\nWORKDIR /app\nRUN npm install -g pnpm\nCOPY . .\n\
                  RUN pnpm install && pnpm build\n\
                  FROM node:22-alpine AS production\nWORKDIR /app\nCOPY --from=builder /app /app\n\
                  CMD [\"pnpm\", \"start\"]\n";
    flags(broken, "`pnpm`");
}

#[test]
fn a_user_only_the_builder_creates() {
    let broken = "FROM python:3.9 AS builder\nRUN apt-get update && apt-get install -y gcc && useradd demouser\n\
                  WORKDIR /app\nCOPY . .\nRUN pip install --prefix=/install -r requirements.txt\n\
                  FROM python:3.9-slim AS production\nCOPY --from=builder /install /usr/local\n\
                  WORKDIR /app\nCOPY . .\nUSER demouser\nCMD [\"python\", \"app.py\"]\n";
    flags(broken, "demouser");
    let sound = broken.replace("USER demouser", "RUN useradd demouser\nUSER demouser");
    assert_eq!(missing(&sound), Vec::<String>::new(), "{sound}");
}

#[test]
fn console_scripts_left_off_path() {
    // `pip install --target` copied into site-packages: the command stays in site-packages/bin.
    let broken = "FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY requirements.txt .\n\
                  RUN pip install --target=/app/deps locust\n\
                  FROM python:3.12-slim AS production\nWORKDIR /app\n\
                  COPY --from=builder /app/deps /usr/local/lib/python3.12/site-packages/\n\
                  COPY . .\nCMD [\"locust\", \"-f\", \"locustfile.py\"]\n";
    flags(broken, "`locust`");
    let sound = broken.replace(
        "COPY . .\n",
        "COPY --from=builder /app/deps/bin /usr/local/bin/\nCOPY . .\n",
    );
    assert_eq!(missing(&sound), Vec::<String>::new(), "{sound}");
}

#[test]
fn a_shell_form_command_on_an_image_without_a_shell() {
    let broken = "FROM golang:1.23 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\
                  FROM gcr.io/distroless/static-debian12\nCOPY --from=builder /app /app\nCMD /app\n";
    flags(broken, "shell");
    let sound = broken.replace("CMD /app", "CMD [\"/app\"]");
    assert_eq!(missing(&sound), Vec::<String>::new(), "{sound}");
}

/// `pip install --target D -r requirements.txt`, D copied into site-packages, and a CMD that
/// runs one of the list's commands: they are in site-packages/bin, off PATH.
const PIP_TARGET_IN_SITE_PACKAGES: &str =
    "FROM python:3.11-slim AS build\nWORKDIR /w\nCOPY requirements.txt .\n\
    RUN pip install --no-cache-dir --target=/w/pkgs -r requirements.txt\n\
    FROM python:3.11-slim\nWORKDIR /srv\n\
    COPY --from=build /w/pkgs /usr/local/lib/python3.11/site-packages/\n\
    COPY src ./src\nCMD [\"uvicorn\", \"src.main:app\"]\n";

#[test]
fn commands_of_an_unknown_requirements_list_left_off_path() {
    // `pip install --target D -r requirements.txt`, D copied into site-packages: whatever the
    // list holds, its commands are in site-packages/bin, off PATH.
    let broken = PIP_TARGET_IN_SITE_PACKAGES;
    flags(broken, "`uvicorn`");
    flags(broken, "site-packages/bin");
    // The commands copied to a PATH folder, or the module run by the interpreter: sound.
    let copied = broken.replace(
        "COPY src ./src\n",
        "COPY --from=build /w/pkgs/bin /usr/local/bin/\nCOPY src ./src\n",
    );
    assert_eq!(missing(&copied), Vec::<String>::new(), "{copied}");
    let module = broken.replace("[\"uvicorn\",", "[\"python\", \"-m\", \"uvicorn\",");
    assert_eq!(missing(&module), Vec::<String>::new(), "{module}");
    // Shared libraries installed in the final stage put no commands on PATH: still flagged.
    let libs = broken.replace(
        "WORKDIR /srv\n",
        "WORKDIR /srv\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 libxml2 \
         && rm -rf /var/lib/apt/lists/*\n",
    );
    flags(&libs, "`uvicorn`");
    // A package that may hold the program (not a library): not said.
    let tools = broken.replace(
        "WORKDIR /srv\n",
        "WORKDIR /srv\nRUN apt-get update && apt-get install -y --no-install-recommends uvicorn \
         && rm -rf /var/lib/apt/lists/*\n",
    );
    assert_eq!(missing(&tools), Vec::<String>::new(), "{tools}");
    let other = broken.replace(
        "WORKDIR /srv\n",
        "WORKDIR /srv\nRUN apt-get update && apt-get install -y --no-install-recommends some-server \
         && rm -rf /var/lib/apt/lists/*\n",
    );
    assert_eq!(missing(&other), Vec::<String>::new(), "{other}");
}

#[test]
fn sp1010_reads_the_context_files_the_analysis_was_given() {
    use stageplay::analysis::{analyze, Analysis, AnalysisOptions};
    // `pip install --target D -r requirements.txt`, D copied into site-packages: the commands
    // of the list are in site-packages/bin, off PATH. Which commands they are, only the user's
    // requirements.txt says.
    let text = PIP_TARGET_IN_SITE_PACKAGES;
    let sp1010 = |a: &Analysis| -> Vec<String> {
        a.lint
            .iter()
            .filter(|l| l.code == "SP1010")
            .map(|l| l.diagnostic.message.clone())
            .collect()
    };
    let with_requirements =
        |content: &str| support::analysis_with_files(&[("requirements.txt", content)]);
    // No context: the list is unknown, so the finding names the list.
    let unknown = sp1010(&analyze(text, &AnalysisOptions::default()));
    assert!(
        unknown.len() == 1 && unknown[0].contains("pip install -r requirements.txt"),
        "{unknown:?}"
    );
    // The user's list holds uvicorn: the finding names uvicorn's own command.
    let listed = analyze(
        text,
        &with_requirements("fastapi==0.115.0\nuvicorn==0.30.6\n"),
    );
    let found = sp1010(&listed);
    assert!(
        found.len() == 1
            && found[0].contains("its command is in `/usr/local/lib/python3.11/site-packages/bin`")
            && !found[0].contains("-r requirements.txt"),
        "{found:?}"
    );
    // The refactor gate reads the same, shared result.
    let shared: Vec<String> = listed
        .runtime()
        .missing()
        .iter()
        .map(|m| m.message.clone())
        .collect();
    assert_eq!(shared, found);
    // The user's list does not hold it: nothing shows where uvicorn would come from.
    let other = sp1010(&analyze(text, &with_requirements("flask==3.0.3\n")));
    assert_eq!(other, Vec::<String>::new());
    // `lint::lint` alone (the CLI, which takes no context) keeps the default options.
    let (doc, model) = stageplay::refactor::analyse(text, &Default::default());
    let alone: Vec<String> = stageplay::lint::lint(text, &doc, &model, &Default::default())
        .into_iter()
        .filter(|l| l.code == "SP1010")
        .map(|l| l.diagnostic.message)
        .collect();
    assert_eq!(alone, unknown);
}
