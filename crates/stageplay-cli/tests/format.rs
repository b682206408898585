//! `stageplay format`: in place, `--check`, stdin, and the failure paths (an unreadable or
//! non-UTF-8 file, a folder that cannot be written), none of which loses or half-writes a file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const UNFORMATTED: &str = "from alpine  as  build\nrun  apt-get update && \\\n  apt-get install -y curl   \n\n\n\nCMD [ \"sh\" ]";
const FORMATTED: &str =
    "FROM alpine AS build\nRUN apt-get update && \\\n    apt-get install -y curl\n\nCMD [\"sh\"]\n";

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stageplay-format-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stageplay(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stageplay"))
        .arg("format")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The names in a folder (to see that no temporary file is left behind).
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn check_fails_on_an_unformatted_file_and_passes_after_format() {
    let dir = folder("check");
    let file = dir.join("Dockerfile");
    std::fs::write(&file, UNFORMATTED).unwrap();
    let path = file.to_str().unwrap();

    let check = stageplay(&["--check", path], None);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
    assert_eq!(text(&check.stdout), format!("would reformat {path}\n"));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        UNFORMATTED,
        "--check writes nothing"
    );

    let format = stageplay(&[path], None);
    assert_eq!(format.status.code(), Some(0), "{}", text(&format.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), FORMATTED);
    assert_eq!(entries(&dir), ["Dockerfile"], "no temporary file is left");

    let again = stageplay(&["--check", path], None);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(text(&again.stdout), "");
}

#[test]
fn stdin_to_stdout() {
    let out = stageplay(&["-"], Some(UNFORMATTED.as_bytes()));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), FORMATTED);
    let check = stageplay(&["--check", "-"], Some(UNFORMATTED.as_bytes()));
    assert_eq!(
        (check.status.code(), text(&check.stdout)),
        (Some(1), "would reformat -\n".to_string())
    );
    let clean = stageplay(&["--check", "-"], Some(FORMATTED.as_bytes()));
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn indent_width_option() {
    let out = stageplay(&["--indent-width", "2", "-"], Some(UNFORMATTED.as_bytes()));
    assert!(
        text(&out.stdout).contains("\\\n  apt-get"),
        "{}",
        text(&out.stdout)
    );
    let bad = stageplay(&["--indent-width=x", "-"], Some(b""));
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn unreadable_and_non_utf8_files_exit_2_and_stay_as_they_are() {
    let dir = folder("bad");
    let missing = dir.join("missing.Dockerfile");
    let out = stageplay(&[missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(&format!("cannot read {}", missing.display())),
        "{}",
        text(&out.stderr)
    );

    let latin1 = dir.join("latin1.Dockerfile");
    let bytes = b"from alpine\nLABEL author=\"Jos\xe9\"\n";
    std::fs::write(&latin1, bytes).unwrap();
    let out = stageplay(&[latin1.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not UTF-8 text; left unchanged"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read(&latin1).unwrap(), bytes);

    // A folder given as a file.
    let out = stageplay(&[dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));

    // The other files are still formatted; the exit code reports the failure.
    let good = dir.join("good.Dockerfile");
    std::fs::write(&good, UNFORMATTED).unwrap();
    let out = stageplay(&[missing.to_str().unwrap(), good.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&good).unwrap(), FORMATTED);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(stageplay(&[], None).status.code(), Some(2));
    assert_eq!(stageplay(&["--bogus", "x"], None).status.code(), Some(2));
    assert_eq!(stageplay(&["--help"], None).status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_a_failed_write_leaves_the_file_whole() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder("perms");
    let file = dir.join("Dockerfile");
    std::fs::write(&file, UNFORMATTED).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(
        stageplay(&[file.to_str().unwrap()], None).status.code(),
        Some(0)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);

    // The temporary file cannot be made (something is in its place): the original stays.
    std::fs::write(&file, UNFORMATTED).unwrap();
    let blocker = dir.join(".Dockerfile.stageplay-format.tmp");
    std::fs::create_dir(&blocker).unwrap();
    let out = stageplay(&[file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("exists (left by an interrupted run?)")
            && stderr.contains("the file is unchanged"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), UNFORMATTED);
    assert!(blocker.is_dir(), "what was there is left alone");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_keeps_pointing_at_the_formatted_file() {
    let dir = folder("link");
    let real = dir.join("real.Dockerfile");
    let link = dir.join("Dockerfile");
    std::fs::write(&real, UNFORMATTED).unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(
        stageplay(&[link.to_str().unwrap()], None).status.code(),
        Some(0)
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), FORMATTED);
}
