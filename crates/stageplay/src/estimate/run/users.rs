//! User and group creation (`useradd`, `adduser`, `groupadd`, `addgroup`): home directories and
//! the account databases they rewrite.

use super::{flag_value, has, Ctx};
use crate::estimate::size::{Size, KB};
use crate::estimate::state::{Kind, State};

pub(super) fn user_add(prog: &str, args: &[String], st: &mut State, cx: &mut Ctx) {
    let positional: Vec<&String> = {
        let mut out = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a.starts_with('-') {
                let takes_value = [
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
                if takes_value.contains(&a.as_str()) {
                    it.next();
                }
                continue;
            }
            out.push(a);
        }
        out
    };
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
        && (has(args, &["-m", "--create-home"])
            || (prog == "adduser" && !has(args, &["--no-create-home", "-H"])));
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
