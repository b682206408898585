//! Refactors on the patterns the build lab found broken (tests/lab/FAILURE-CAUSES.md and
//! issue #15): each is written here from its pattern, not copied from a lab app, and checked
//! without a builder. A split that cannot be made sound must be declined with a reason.

use stageplay::refactor::{analyse, apply_all, apply_one, suggest, RefactorOptions};

fn opts() -> RefactorOptions {
    RefactorOptions::default()
}

fn split(text: &str) -> Option<String> {
    apply_one(text, "split-stage", &opts())
}

/// The runtime stage of a split: the text after the last FROM.
fn runtime(out: &str) -> &str {
    &out[out.rfind("\nFROM ").expect("a second stage")..]
}

#[test]
fn user_creation_in_an_install_run_is_replayed_in_the_runtime() {
    let text = "FROM python:3.11\nWORKDIR /app\n\
                RUN apt-get update && apt-get install -y gcc libxml2-dev && useradd -m demouser && mkdir -p /srv/data && chown demouser /srv/data\n\
                COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n\
                USER demouser\nCMD [\"gunicorn\", \"app:app\"]\n";
    let out = split(text).expect("split offered");
    let rt = runtime(&out);
    assert!(rt.contains("useradd -m demouser"), "{out}");
    assert!(rt.contains("mkdir -p /srv/data"), "{out}");
    assert!(!rt.contains("apt-get install -y gcc"), "{out}");
}

#[test]
fn npm_install_without_a_package_json_is_declined_with_a_reason() {
    let text = "FROM node:22\nWORKDIR /app\nRUN npm install express\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    let (doc, model) = analyse(text, &opts());
    let declined = stageplay::refactor::declined(text, &doc, &model, &opts());
    let reason = declined
        .iter()
        .find(|(id, _)| id == "split-stage")
        .map(|(_, r)| r.as_str());
    assert!(
        reason.is_some_and(|r| r.contains("package.json")),
        "{declined:?}"
    );
    assert_eq!(split(text), None);
}

#[test]
fn a_global_npm_command_the_cmd_runs_reaches_the_runtime() {
    let text = "FROM node:22\nWORKDIR /app\nRUN npm install -g serve\nCOPY package*.json ./\n\
                RUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"serve\", \"-s\", \"build\"]\n";
    if let Some(out) = split(text) {
        assert!(runtime(&out).contains("npm install -g serve"), "{out}");
    }
}

#[test]
fn build_output_copied_outside_the_tree_is_copied_to_the_runtime() {
    let text = "FROM node:22\nRUN apt-get update && apt-get install -y nginx\nWORKDIR /app\n\
                COPY . .\nRUN npm ci && npm run build && cp -r dist/. /var/www/html/\n\
                CMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
    if let Some(out) = split(text) {
        assert!(runtime(&out).contains("/var/www/html"), "{out}");
    }
}

#[test]
fn apt_hygiene_keeps_the_c_library_headers_gcc_only_recommends() {
    let text = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y gcc libpq-dev\nCMD [\"bash\"]\n";
    let out = apply_one(text, "apt-hygiene", &opts()).expect("offered");
    assert!(out.contains("--no-install-recommends"), "{out}");
    assert!(out.contains("libc6-dev"), "{out}");
    // Without a compiler nothing is added.
    let text =
        "FROM debian:bookworm\nRUN apt-get update && apt-get install -y libpq5\nCMD [\"bash\"]\n";
    let out = apply_one(text, "apt-hygiene", &opts()).expect("offered");
    assert!(!out.contains("libc6-dev"), "{out}");
}

#[test]
fn healthcheck_probes_a_named_path_or_only_the_port() {
    let guessed =
        "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
    let out = apply_one(guessed, "healthcheck", &opts()).expect("offered");
    assert!(!out.contains("/health"), "{out}");
    assert!(out.contains("require('net').connect(3000"), "{out}");
    let named = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nENV HEALTH_PATH=/livez\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
    let out = apply_one(named, "healthcheck", &opts()).expect("offered");
    assert!(out.contains("http://127.0.0.1:3000/livez"), "{out}");
}

#[test]
fn non_root_user_owns_the_volumes_the_image_declares() {
    let text = "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nVOLUME /app/data\nCMD [\"python\", \"app.py\"]\n";
    let out = apply_one(text, "non-root-user", &opts()).expect("offered");
    let mk = out.find("mkdir -p /app/data && chown").expect(&out);
    assert!(mk < out.find("VOLUME").unwrap(), "{out}");
}

#[test]
fn manifests_first_is_not_offered_for_a_node_install_with_compilers_before_it() {
    // node-gyp builds into the tree during the install; moving the sources after it would
    // build without them (lab: node-native).
    let text = "FROM node:22\nRUN apt-get update && apt-get install -y build-essential python3\n\
                WORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n";
    assert_eq!(apply_one(text, "manifests-first", &opts()), None);
    let plain = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n";
    assert!(apply_one(plain, "manifests-first", &opts()).is_some());
}

#[test]
fn pip_target_split_keeps_commands_on_path() {
    // The founding guide's `--target` copied into site-packages leaves `fastapi` off PATH.
    let text = "FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\n\
                RUN pip install -r requirements.txt\nCOPY . .\nCMD [\"fastapi\", \"run\", \"main.py\"]\n";
    let out = split(text).expect("split offered");
    assert!(
        out.contains("COPY --from=builder /install /usr/local"),
        "{out}"
    );
}

#[test]
fn no_apply_all_output_trips_the_runtime_check() {
    for text in [
        "FROM node:22\nWORKDIR /app\nRUN npm install -g pnpm\nCOPY . .\nRUN pnpm install && pnpm build\nCMD [\"pnpm\", \"start\"]\n",
        "FROM python:3.11\nRUN python -m venv /opt/venv\nENV PATH=/opt/venv/bin:$PATH\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"/opt/venv/bin/python\", \"app.py\"]\n",
    ] {
        let out = apply_all(text, &opts());
        let (doc, model) = analyse(&out, &opts());
        let missing = stageplay::estimate::runtime::check(&doc, &model, &Default::default());
        assert!(missing.is_empty(), "{out}\n{missing:?}");
    }
}

#[test]
fn suggestions_never_include_a_declined_split() {
    let text = "FROM node:22\nWORKDIR /app\nRUN npm install express\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    let (doc, model) = analyse(text, &opts());
    assert!(suggest(text, &doc, &model, &opts())
        .iter()
        .all(|s| s.id != "split-stage"));
}

#[test]
fn apply_all_steps_names_each_refactor_applied() {
    let text = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
    let (out, ids) = stageplay::refactor::apply_all_steps(text, &opts());
    assert_eq!(out, apply_all(text, &opts()));
    assert!(ids.contains(&"split-stage"), "{ids:?}");
    // Each step changed the text: replaying the ids one at a time gives the same result.
    let mut replay = text.to_string();
    for id in &ids {
        replay = apply_one(&replay, id, &opts()).unwrap_or(replay);
    }
    assert_eq!(replay, out);
}

#[test]
fn a_run_is_never_moved_above_the_copy_that_brings_its_file() {
    let text = "FROM python:3.11\nRUN pip install uv\nWORKDIR /app\nCOPY . .\nCOPY resources /resources\n\
                RUN chmod 777 /resources/docker-entrypoint.sh\nRUN uv sync --all-extras --group website\n\
                ENV PATH=/app/.venv/bin:$PATH\nENTRYPOINT [\"/resources/docker-entrypoint.sh\"]\n\
                CMD [\"python\", \"main.py\"]\n";
    let out = apply_all(text, &opts());
    let (doc, model) = analyse(&out, &opts());
    assert_eq!(
        stageplay::refactor::validate::used_before_copied(&doc, &model),
        Vec::<String>::new(),
        "{out}"
    );
    // uv's options are kept.
    if out.contains("AS production") {
        assert!(
            out.contains("uv sync --all-extras --group website"),
            "{out}"
        );
    }
}
