//! User and group creation (`useradd`, `adduser`, `groupadd`, `addgroup`): home directories and
//! the account databases they rewrite.

use super::{flag_value, Ctx};
use crate::estimate::size::{Size, KB};
use crate::estimate::state::{Kind, State};
use crate::syntax::shell::{has_flag, operands};

pub(super) fn user_add(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    // Options that take a value (`-s /bin/bash`, also last in a cluster: `-ms /bin/bash`).
    const TAKES_VALUE: &[&str] = &[
        "-u",
        "-g",
        "-G",
        "-s",
        "-d",
        "-c",
        "-h",
        "-k",
        "-K",
        "-e",
        "-f",
        "--uid",
        "--gid",
        "--shell",
        "--home",
        "--home-dir",
        "--groups",
        "--comment",
        "--gecos",
        "--ingroup",
    ];
    let positional: Vec<&String> = operands(args, TAKES_VALUE)
        .into_iter()
        .map(|i| &args[i])
        .collect();
    let group_only = prog == "groupadd" || prog == "addgroup";
    if let Some(name) = positional.first() {
        if !group_only {
            st.users.push(name.to_string());
        }
    }
    cx.add(
        st,
        "/etc/[passwd, group, shadow]",
        Size::new(3 * KB, KB, 20 * KB),
        format!("{prog} (account files)"),
        Kind::Other,
    );
    let creates_home = !group_only
        && (has_flag(args, &["-m", "--create-home"])
            || (prog == "adduser" && !has_flag(args, &["--no-create-home", "-H"])));
    if creates_home {
        if let Some(name) = positional.first() {
            let home = flag_value(args, &["-d", "--home", "--home-dir", "-h"])
                .unwrap_or_else(|| format!("/home/{name}"));
            cx.add(
                st,
                &home,
                Size::new(4 * KB, 0, 20 * KB),
                format!("home of {name} (skeleton files)"),
                Kind::Other,
            );
        }
    }
}
