//! `stageplay verify`'s error paths, without a real image builder: PATH holds only a fake
//! `buildah` script (written per test) that plays the part of the builder. This tests verify's own
//! logic: which side failed, the exit code, the log tail, clean-up. The real end-to-end run is in
//! `cargo xtask lab`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sp-verify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write_exec(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A project with a Dockerfile that a refactor changes (so both sides are built).
fn project(dir: &Path) -> PathBuf {
    let app = dir.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("requirements.txt"), "flask==3.0.0\n").unwrap();
    std::fs::write(app.join("app.py"), "print('hi')\n").unwrap();
    let file = app.join("Dockerfile");
    std::fs::write(
        &file,
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
    )
    .unwrap();
    file
}

/// PATH for the child: the fake builder's directory plus the system tools the session needs
/// (sh, unshare, ip, sleep, seq, curl), never a real builder.
fn path_with(bin: &Path) -> String {
    format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", bin.display())
}

fn stageplay(args: &[&str], path: &str) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stageplay"))
        .arg("verify")
        .args(args)
        .env("PATH", path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The fake buildah. `BEHAVIOUR` picks what fails: `build-original`, `build-refactored` or
/// `smoke`. It records every call in calls.log, and fakes a containers-storage tree for sizes.
fn fake_buildah(dir: &Path, behaviour: &str) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let store = dir.join("store");
    std::fs::create_dir_all(store.join("overlay/l1/diff")).unwrap();
    std::fs::create_dir_all(store.join("overlay-images")).unwrap();
    std::fs::create_dir_all(store.join("overlay-layers")).unwrap();
    std::fs::write(store.join("overlay/l1/diff/app"), vec![7u8; 4096]).unwrap();
    std::fs::write(
        store.join("overlay-images/images.json"),
        r#"[{"id":"feedface","layer":"l1"}]"#,
    )
    .unwrap();
    std::fs::write(store.join("overlay-layers/layers.json"), r#"[{"id":"l1"}]"#).unwrap();
    let script = format!(
        r#"#!/bin/sh
echo "$*" >> {calls}
case "$1" in
  --version) echo "buildah version 0.0-fake"; exit 0 ;;
  info) echo '{{"store":{{"GraphRoot":"{store}","GraphDriverName":"overlay"}}}}'; exit 0 ;;
  bud)
    tag=""; prev=""
    for a in "$@"; do [ "$prev" = "-t" ] && tag="$a"; prev="$a"; done
    case "{behaviour}:$tag" in
      build-original:*:original|build-refactored:*:refactored)
        echo "STEP 1/4: FROM python:3.11"; echo "STEP 4/4: RUN pip install -r requirements.txt"
        echo "ERROR: No matching distribution found for flask==3.0.0" >&2; exit 1 ;;
    esac
    echo "STEP 1/4: FROM python:3.11"; echo "Successfully tagged $tag"; exit 0 ;;
  inspect) echo '{{"FromImageID":"feedface","Docker":{{"config":{{"Cmd":["python","app.py"]}}}}}}'; exit 0 ;;
  from) exit 0 ;;
  run)
    shift; while [ "$1" != "--" ]; do shift; done; shift
    if [ "{behaviour}" = smoke ] && [ "$1" = "python" ] && [ "$2" = "-c" ]; then
      echo "Traceback: ModuleNotFoundError: No module named 'flask'"; exit 3
    fi
    if [ "$1" = python ] && [ "$2" = app.py ]; then echo serving; exec sleep 30; fi
    echo ok; exit 0 ;;
  images) case "$*" in *dangling=true*) echo "sha256:deadbeef" ;; esac; exit 0 ;;
  rm|rmi) exit 0 ;;
esac
echo "fake buildah: unexpected $*" >&2
exit 99
"#,
        calls = dir.join("calls.log").display(),
        store = store.display(),
    );
    write_exec(&bin.join("buildah"), &script);
    bin
}

#[test]
fn no_builder_on_path_is_a_clear_error() {
    let dir = temp("none");
    let file = project(&dir);
    let empty = dir.join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, stdout, stderr) = stageplay(
        &[file.to_str().unwrap()],
        &format!("{}:/nonexistent", empty.display()),
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("no image builder found"), "{stderr}");
    assert!(stderr.contains("buildah"), "{stderr}");
    // an explicit choice names that builder
    let (code, _, stderr) = stageplay(
        &["--builder", "podman", file.to_str().unwrap()],
        &format!("{}:/nonexistent", empty.display()),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--builder podman: podman is not on PATH"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_original_build_says_which_side_and_shows_the_log() {
    let dir = temp("build-original");
    let file = project(&dir);
    let bin = fake_buildah(&dir, "build-original");
    let (code, stdout, stderr) = stageplay(
        &["--no-start-probe", file.to_str().unwrap()],
        &path_with(&bin),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("the original image FAILED to build"),
        "{stdout}"
    );
    assert!(
        stdout.contains("No matching distribution found"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the refactored file was not built"),
        "{stdout}"
    );
    assert!(stdout.ends_with("verify: FAIL\n"), "{stdout}");
    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    assert_eq!(calls.matches("bud ").count(), 1, "{calls}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_refactored_build_is_reported_as_the_refactored_side() {
    let dir = temp("build-refactored");
    let file = project(&dir);
    let bin = fake_buildah(&dir, "build-refactored");
    let (code, stdout, stderr) = stageplay(
        &["--no-start-probe", "--json", file.to_str().unwrap()],
        &path_with(&bin),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["pass"], false);
    assert_eq!(v["original"]["build_ok"], true);
    assert_eq!(v["original"]["size_bytes"], 4096);
    assert_eq!(v["refactored"]["build_ok"], false);
    assert!(v["refactored"]["build_log_tail"]
        .as_str()
        .unwrap()
        .contains("No matching distribution"));
    assert!(!v["refactors_applied"].as_array().unwrap().is_empty());
    // the image that was built is removed (no --keep)
    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    assert!(calls.contains("rmi -f localhost/"), "{calls}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_smoke_command_fails_verify_with_its_output() {
    if Command::new("unshare")
        .args(["--net", "--pid", "--fork", "--mount-proc", "true"])
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        eprintln!(
            "skipped: unshare --net --pid needs root (verify's session runs in its own namespaces)"
        );
        return;
    }
    let dir = temp("smoke");
    let file = project(&dir);
    let bin = fake_buildah(&dir, "smoke");
    let (code, stdout, stderr) = stageplay(
        &[
            "--smoke",
            "python -c 'import flask'",
            "--start-seconds",
            "1",
            file.to_str().unwrap(),
        ],
        &path_with(&bin),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("start probe"), "{stdout}");
    assert!(stdout.contains("pass: running after 1 s"), "{stdout}");
    assert!(
        stdout.contains("the original image FAILED its smoke command (exit 3)"),
        "{stdout}"
    );
    assert!(stdout.contains("No module named 'flask'"), "{stdout}");
    assert!(stdout.contains("real size"), "{stdout}");
    // the working containers are removed
    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    assert!(calls.contains("from --pull=never --name"), "{calls}");
    assert_eq!(
        calls.lines().filter(|l| l.starts_with("rm ")).count(),
        2,
        "{calls}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let (code, _, stderr) = stageplay(&["--smoke-http", "x", "/", "Dockerfile"], "/nonexistent");
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a port"), "{stderr}");
    let (code, _, stderr) = stageplay(&["/nonexistent/Dockerfile"], "/nonexistent");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read /nonexistent/Dockerfile"),
        "{stderr}"
    );
}

#[test]
fn build_arg_in_verify_reaches_the_builds_as_docker_reads_it() {
    let dir = temp("build-arg");
    let file = project(&dir);
    let bin = fake_buildah(&dir, "none");
    let run = |extra: &[&str], env: Option<&str>| {
        let _ = std::fs::remove_file(dir.join("calls.log"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stageplay"));
        cmd.arg("verify")
            .args(["--no-refactor", "--no-start-probe"])
            .args(extra)
            .arg(&file)
            .env("PATH", path_with(&bin));
        match env {
            Some(v) => cmd.env("BASE", v),
            None => cmd.env_remove("BASE"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
        calls
            .lines()
            .find(|l| l.starts_with("bud "))
            .unwrap()
            .to_string()
    };
    assert!(run(&["--build-arg", "BASE=debian:12"], None).contains("--build-arg BASE=debian:12"));
    assert!(
        run(&["--build-arg", "BASE"], Some("alpine:3.20")).contains("--build-arg BASE=alpine:3.20")
    );
    assert!(!run(&["--build-arg", "BASE"], None).contains("--build-arg"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Clean-up removes the intermediate images its builds left without forcing: an image another
/// build's container uses (a second verify on the same storage) must stay, or that build fails.
#[test]
fn clean_up_never_forces_the_removal_of_intermediate_images() {
    let dir = temp("cleanup");
    let file = project(&dir);
    let bin = fake_buildah(&dir, "none");
    let out = Command::new(env!("CARGO_BIN_EXE_stageplay"))
        .arg("verify")
        .args(["--no-refactor", "--no-start-probe"])
        .arg(&file)
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let calls = std::fs::read_to_string(dir.join("calls.log")).unwrap();
    assert!(calls.lines().any(|l| l == "rmi deadbeef"), "{calls}");
    assert!(
        !calls.lines().any(|l| l.starts_with("rmi -f deadbeef")),
        "{calls}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
