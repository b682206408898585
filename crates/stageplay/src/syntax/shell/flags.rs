//! Command-line options inside RUN words, read as most programs read them (getopt_long): the
//! one lookup for lint rules, the estimate and the refactors.
//!
//! Option names are written as on the command line. A short name (`-y`: one dash, one
//! character) matches a lone `-y` and any cluster of short options that holds it (`-qy`,
//! `-fsSLo`); a long name (`--no-cache`) matches `--no-cache` and `--no-cache=…`; any other
//! name (`-name`, `--omit=dev`) matches only itself (and `name=…`). Options end at `--`.
//! Like hadolint, a cluster is read as letters only: `-ofile` holds `-o`, `-f`, `-i`, `-l`,
//! `-e` — the lookup does not know which options take a value.

/// True when one of the options `names` is among `args`.
pub fn has_flag<S: AsRef<str>>(args: &[S], names: &[&str]) -> bool {
    options(args).any(|a| names.iter().any(|n| matches(a, n).is_some()))
}

/// The value of the first of the options `names` in `args`: `--name=V`, `--name V`, `-n V`,
/// `-nV`, or `-abn V` (the option last in a cluster takes the next word). `None` when none is
/// given, or it is last with no value after it.
pub fn flag_value<'a, S: AsRef<str>>(args: &'a [S], names: &[&str]) -> Option<&'a str> {
    for (i, arg) in args.iter().enumerate() {
        let a = arg.as_ref();
        if a == "--" {
            return None;
        }
        for n in names {
            match matches(a, n) {
                Some(Match::Exact) => return args.get(i + 1).map(|v| v.as_ref()),
                Some(Match::Attached(at)) => return Some(&a[at..]),
                Some(Match::InCluster) | None => {}
            }
        }
    }
    None
}

/// Indices of the arguments that are operands: not options, and not the value after an
/// option of `value_flags` written without one (`-t bookworm`, `--target-release bookworm`).
pub fn operands<S: AsRef<str>>(args: &[S], value_flags: impl OptionNames) -> Vec<usize> {
    let mut out = Vec::new();
    let mut skip_next = false;
    let mut after_dashes = false;
    for (i, arg) in args.iter().enumerate() {
        let a = arg.as_ref();
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if a == "--" && !after_dashes {
            after_dashes = true;
            continue;
        }
        if after_dashes || !is_option(a) {
            out.push(i);
            continue;
        }
        skip_next = value_flags.any(|n| matches!(matches(a, n), Some(Match::Exact)));
    }
    out
}

/// The operands of `args` as text, in order; see [`operands`].
pub fn operand_texts<S: AsRef<str>>(args: &[S], value_flags: impl OptionNames) -> Vec<&str> {
    operands(args, value_flags)
        .into_iter()
        .map(|i| args[i].as_ref())
        .collect()
}

/// Option names, as a list or as [`value_options`] gives them.
pub trait OptionNames {
    /// True when `f` holds for one of the names.
    fn any(&self, f: impl FnMut(&str) -> bool) -> bool;
}

impl OptionNames for &[&str] {
    fn any(&self, f: impl FnMut(&str) -> bool) -> bool {
        self.iter().copied().any(f)
    }
}

impl<const N: usize> OptionNames for &[&str; N] {
    fn any(&self, f: impl FnMut(&str) -> bool) -> bool {
        self.iter().copied().any(f)
    }
}

/// A program's options that take a value, space-separated: one string per program keeps the
/// table small in the wasm bundle (a list of `&str` costs a pointer and a length per name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueOptions(&'static str);

impl ValueOptions {
    /// True when `name` (written as on the command line) is one of them.
    pub fn contains(&self, name: &str) -> bool {
        self.any(|n| n == name)
    }
}

impl OptionNames for ValueOptions {
    fn any(&self, f: impl FnMut(&str) -> bool) -> bool {
        self.0.split_ascii_whitespace().any(f)
    }
}

/// The options of `program` (a command name without its directory) that take their value in
/// the next word (`apt-get -t bookworm`, `apk add --virtual .deps`, `git clone --depth 1`):
/// what [`operands`] must skip so that the value is not read as a package, a path or a URL.
/// Programs not listed have none that the engine's readers meet.
pub fn value_options(program: &str) -> ValueOptions {
    match program {
        "apt-get" | "apt" | "apt-cache" => ValueOptions("-t --target-release -o --option -c --config-file"),
        "apk" => ValueOptions("-t --virtual -X --repository -p --root --arch --cache-dir --keys-dir"),
        "yum" | "dnf" | "microdnf" | "tdnf" => ValueOptions("--enablerepo --disablerepo --setopt --repo --installroot --releasever -c --config"),
        "zypper" => ValueOptions("-r --repo --from -t --type"),
        "git" => ValueOptions("-C -c --depth -b --branch -o --origin --reference --filter -j --jobs --template -u --upload-pack --separate-git-dir --shallow-since --shallow-exclude"),
        "cp" | "mv" => ValueOptions("-t --target-directory -S --suffix"),
        "install" => ValueOptions("-m --mode -o --owner -g --group -t --target-directory -S --suffix"),
        "mkdir" => ValueOptions("-m --mode"),
        "rsync" => ValueOptions("-e --rsh --exclude --include --chown --chmod"),
        "rm" | "chown" | "chmod" => ValueOptions(""),
        "xargs" => ValueOptions("-I -n -P -L -d -s -E -a --arg-file --delimiter --max-args --max-procs --max-lines --max-chars"),
        "nice" => ValueOptions("-n --adjustment"),
        "env" => ValueOptions("-u --unset -C --chdir -S --split-string"),
        "exec" => ValueOptions("-a"),
        "tini" => ValueOptions("-p -e"),
        "python" => ValueOptions("-W -X --check-hash-based-pycs"),
        "venv" | "virtualenv" => ValueOptions("--prompt -p --python"),
        "node" => ValueOptions("-r --require --import --loader --experimental-loader -C --conditions --title"),
        "ruby" => ValueOptions("-I -C -E"),
        "npm" | "pnpm" | "yarn" => ValueOptions("--prefix -C --dir --cwd -w --workspace --registry --cache --cache-folder --modules-folder --omit --include --network-timeout --filter"),
        "pip" | "pip3" | "pipx" | "uv" => ValueOptions("-r --requirement -c --constraint -i --index-url --extra-index-url -f --find-links -t --target --prefix --root --python-version --platform --implementation --abi --no-binary --only-binary --progress-bar --cache-dir --src --upgrade-strategy --trusted-host --log --python -p --with --directory --project --extra --group --env-file"),
        "rustup" => ValueOptions("--profile --default-toolchain -t --target -c --component --toolchain"),
        "go" => ValueOptions("-o -C -ldflags -gcflags -tags -mod -modfile -p"),
        "cargo" => ValueOptions("--root --version --git --branch --tag --rev --path --target --target-dir -j --jobs --features -F --bin --profile --index --registry -p --package"),
        _ => ValueOptions(""),
    }
}

/// How an argument holds an option.
enum Match {
    /// The option alone: a value, if any, is the next word (`--name`, `-n`, `-abn`).
    Exact,
    /// With its value in the same word, from this byte on (`--name=V`, `-nV`).
    Attached(usize),
    /// Inside a cluster, followed by more options (`-n` in `-anb`).
    InCluster,
}

fn is_option(arg: &str) -> bool {
    arg.len() > 1 && arg.starts_with('-')
}

/// The arguments before `--`.
fn options<S: AsRef<str>>(args: &[S]) -> impl Iterator<Item = &str> {
    args.iter().map(|a| a.as_ref()).take_while(|a| *a != "--")
}

fn matches(arg: &str, name: &str) -> Option<Match> {
    if !is_option(arg) {
        return None;
    }
    let short = name.len() == 2 && name.starts_with('-') && name != "--";
    if !short {
        if arg == name {
            return Some(Match::Exact);
        }
        return arg
            .strip_prefix(name)
            .filter(|rest| rest.starts_with('=') && name.starts_with("--") && !name.contains('='))
            .map(|_| Match::Attached(name.len() + 1));
    }
    if arg.starts_with("--") {
        return None;
    }
    let letter = name.as_bytes()[1];
    let cluster = &arg.as_bytes()[1..];
    let at = cluster.iter().position(|&b| b == letter)?;
    let rest = 1 + at + 1;
    if rest == arg.len() {
        Some(Match::Exact)
    } else if at == 0 {
        Some(Match::Attached(rest))
    } else {
        Some(Match::InCluster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_options_cluster_and_long_ones_take_equals() {
        let args = ["-fsSLo", "/tmp/x", "--retry=3", "--compressed", "-", "url"];
        assert!(has_flag(&args, &["-L"]));
        assert!(has_flag(&args, &["-o"]));
        assert!(has_flag(&args, &["--retry"]));
        assert!(!has_flag(&args, &["-r"]));
        assert!(!has_flag(&args, &["--compress"]));
        assert_eq!(flag_value(&args, &["-o", "--output"]), Some("/tmp/x"));
        assert_eq!(flag_value(&args, &["--retry"]), Some("3"));
        assert_eq!(flag_value(&["-C/opt", "x"], &["-C"]), Some("/opt"));
        assert_eq!(
            flag_value(&["-xzf", "a.tgz", "-C", "/opt"], &["-C"]),
            Some("/opt")
        );
        assert_eq!(flag_value(&["-o"], &["-o"]), None);
        // After `--`, words are operands.
        assert!(!has_flag(&["--", "-y"], &["-y"]));
        // A one-dash long option matches only itself.
        assert!(has_flag(&["-name", "x"], &["-name"]));
        // As in hadolint, a one-dash word is read as a cluster of letters.
        assert!(has_flag(&["-name"], &["-n"]));
        assert!(has_flag(&["--omit=dev"], &["--omit=dev"]));
    }

    #[test]
    fn operands_skip_options_and_their_values() {
        let args = [
            "install",
            "-y",
            "-t",
            "bookworm",
            "--no-install-recommends",
            "curl",
            "--",
            "-x",
        ];
        let ops: Vec<&str> = operands(&args, &["-t", "--target-release"])
            .into_iter()
            .map(|i| args[i])
            .collect();
        assert_eq!(ops, ["install", "curl", "-x"]);
        let args = [
            "add",
            "--virtual=.deps",
            "gcc",
            "--repository",
            "edge",
            "musl",
        ];
        let ops: Vec<&str> = operands(&args, &["--repository", "-X"])
            .into_iter()
            .map(|i| args[i])
            .collect();
        assert_eq!(ops, ["add", "gcc", "musl"]);
    }
}
