//! Reading the dependency files of a project: which packages an install brings. Pure functions
//! over text; they never fail or panic (a file they cannot read gives what they could read).
//!
//! JSON files (package.json, package-lock.json) are read with serde_json. The TOML lock files
//! (uv.lock, poetry.lock, Cargo.lock), pyproject.toml, pnpm-lock.yaml, yarn.lock, go.mod and
//! pom.xml are read line by line for the few keys the estimate needs (package names, a count):
//! full TOML, YAML and XML parsers would add to the wasm bundle for nothing the estimate uses.

use serde_json::Value;

/// One package a lock file or manifest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    /// The version a lock file pins (empty for a manifest's range).
    pub version: String,
    /// A development-only dependency (npm's `"dev": true`, `devDependencies`, Poetry's dev
    /// group, uv's dev-dependencies).
    pub dev: bool,
}

fn dep(name: &str, version: &str, dev: bool) -> Dependency {
    Dependency {
        name: name.to_string(),
        version: version.to_string(),
        dev,
    }
}

/// What a requirements file asks for: requirement names (with extras, `uvicorn[standard]`),
/// the files it includes (`-r other.txt`), and lines the estimate cannot size (`-e .`, URLs,
/// local paths).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    pub names: Vec<String>,
    /// The exact version each name pinned with `==` (by name as written), when it did.
    pub pins: Vec<(String, String)>,
    pub includes: Vec<String>,
    pub not_sized: Vec<String>,
}

/// A requirements.txt: one requirement a line, comments, continuations, options. Versions and
/// markers are dropped (the sizes are per distribution).
pub fn requirements_txt(text: &str) -> Requirements {
    let mut out = Requirements::default();
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    for raw in joined.lines() {
        // ` #` starts a comment (a URL fragment `#egg=` has no space before it).
        let line = match raw.find(" #") {
            Some(i) => &raw[..i],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        }
        .trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or("");
        match first {
            "-r" | "--requirement" | "-c" | "--constraint" => {
                if let Some(f) = words.next() {
                    if first.starts_with("-r") || first == "--requirement" {
                        out.includes.push(f.to_string());
                    }
                }
                continue;
            }
            "-e" | "--editable" => {
                out.not_sized.push(line.to_string());
                continue;
            }
            _ => {}
        }
        if let Some(f) = first
            .strip_prefix("--requirement=")
            .or_else(|| first.strip_prefix("-r").filter(|f| !f.is_empty()))
        {
            out.includes.push(f.to_string());
            continue;
        }
        if first.starts_with('-') {
            // --index-url, --hash (on its own line), -f …: not a requirement.
            continue;
        }
        match requirement_name(line) {
            Some(name) => {
                if let Some(v) = requirement_pin(line) {
                    out.pins.push((name.clone(), v));
                }
                out.names.push(name)
            }
            None => out.not_sized.push(line.to_string()),
        }
    }
    out
}

/// The exact version a requirement pins (`Flask==3.0.3; python_version>"3"` → `3.0.3`,
/// `pkg===1.0` → `1.0`); `None` for a range, a bare name or a URL.
pub fn requirement_pin(req: &str) -> Option<String> {
    let spec = req.split(';').next()?;
    let at = spec.find("==")?;
    let v: String = spec[at..]
        .trim_start_matches('=')
        .trim_start()
        .chars()
        .take_while(|c| !(c.is_whitespace() || matches!(c, ',' | ';' | '#')))
        .collect();
    (!v.is_empty() && !v.contains('*')).then_some(v)
}

/// The distribution a PEP 508 requirement names (`Django>=4; python_version>"3"` → `Django`,
/// `uvicorn[standard]==0.30` → `uvicorn[standard]`); `None` for a URL or a path.
pub fn requirement_name(req: &str) -> Option<String> {
    let req = req.trim();
    // `name @ https://…`: a direct reference, sized as the named distribution.
    if let Some((name, _)) = req.split_once(" @ ") {
        return requirement_name(name);
    }
    if req.contains("://")
        || req.starts_with('.')
        || req.starts_with('/')
        || req.ends_with(".whl")
        || req.ends_with(".tar.gz")
        || req.ends_with(".zip")
    {
        return None;
    }
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    let name = &req[..end];
    if name.is_empty() {
        return None;
    }
    let rest = req[end..].trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        if let Some(close) = extras.find(']') {
            return Some(format!("{name}[{}]", &extras[..close]));
        }
    }
    Some(name.to_string())
}

/// `[project] dependencies = [...]`, `[project.optional-dependencies]` is left out, and
/// `[tool.poetry.dependencies]` (without `python`); `[tool.poetry.group.dev.dependencies]` and
/// `[tool.poetry.dev-dependencies]` as dev.
pub fn pyproject(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut table = String::new();
    let mut in_array = false;
    for raw in text.lines() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        if in_array {
            collect_strings(line, &mut |s| {
                if let Some(n) = requirement_name(s) {
                    out.push(dep(&n, "", false));
                }
            });
            if line.contains(']') {
                in_array = false;
            }
            continue;
        }
        if line.starts_with('[') {
            table = line.trim_matches(['[', ']']).trim().to_string();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim().trim_matches('"'), value.trim());
        if table == "project" && key == "dependencies" {
            collect_strings(value, &mut |s| {
                if let Some(n) = requirement_name(s) {
                    out.push(dep(&n, "", false));
                }
            });
            in_array = value.starts_with('[') && !value.contains(']');
        } else if table == "tool.poetry.dependencies" && key != "python" {
            out.push(dep(key, "", false));
        } else if (table == "tool.poetry.dev-dependencies"
            || (table.starts_with("tool.poetry.group.") && table.ends_with(".dependencies")))
            && key != "python"
        {
            out.push(dep(key, "", true));
        }
    }
    out
}

/// Calls `f` on each double- or single-quoted string of `text`.
fn collect_strings(text: &str, f: &mut dyn FnMut(&str)) {
    let mut rest = text;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = rest[start..].chars().next().unwrap_or('"');
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        f(&after[..end]);
        rest = &after[end + 1..];
    }
}

/// The `[[package]]` tables of a TOML lock file (uv.lock, poetry.lock, Cargo.lock): name,
/// version, and whether Poetry marks it dev (`category = "dev"`). uv's root project (`source =
/// { editable = "." }` or `{ virtual = "." }`) is left out: it is the user's code.
pub fn toml_lock_packages(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, bool, bool)> = None;
    let flush = |c: Option<(String, String, bool, bool)>, out: &mut Vec<Dependency>| {
        if let Some((name, version, dev, local)) = c {
            if !name.is_empty() && !local {
                out.push(dep(&name, &version, dev));
            }
        }
    };
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with('[') {
            let c = current.take();
            flush(c, &mut out);
            if line == "[[package]]" {
                current = Some((String::new(), String::new(), false, false));
            }
            continue;
        }
        let Some(c) = current.as_mut() else { continue };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let unquoted = value.trim_matches('"');
        match key.trim() {
            "name" => c.0 = unquoted.to_string(),
            "version" => c.1 = unquoted.to_string(),
            "category" => c.2 = unquoted == "dev",
            "source" => {
                c.3 = value.contains("editable = \".\"")
                    || value.contains("virtual = \".\"")
                    || value.contains("editable = '.'")
            }
            _ => {}
        }
    }
    flush(current, &mut out);
    out
}

/// package.json's `dependencies` (and `devDependencies`, marked dev; `optionalDependencies` as
/// production). `None` when the text is not a JSON object.
pub fn package_json(text: &str) -> Option<Vec<Dependency>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let obj = v.as_object()?;
    let mut out = Vec::new();
    for (section, dev) in [
        ("dependencies", false),
        ("optionalDependencies", false),
        ("devDependencies", true),
    ] {
        if let Some(map) = obj.get(section).and_then(Value::as_object) {
            for (name, range) in map {
                if !out.iter().any(|d: &Dependency| d.name == *name) {
                    out.push(dep(name, range.as_str().unwrap_or(""), dev));
                }
            }
        }
    }
    Some(out)
}

/// package-lock.json (lockfileVersion 2 or 3): every installed copy under `node_modules`
/// (a package nested in another's node_modules is a second copy on disk). Version 1 files
/// (`dependencies` tree) are read too. `None` when the text is not a lock file.
pub fn package_lock(text: &str) -> Option<Vec<Dependency>> {
    let v: Value = serde_json::from_str(text).ok()?;
    let obj = v.as_object()?;
    let mut out = Vec::new();
    if let Some(packages) = obj.get("packages").and_then(Value::as_object) {
        for (path, info) in packages {
            let Some(i) = path.rfind("node_modules/") else {
                continue;
            };
            let name = &path[i + "node_modules/".len()..];
            if name.is_empty() || info.get("link").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let version = info.get("version").and_then(Value::as_str).unwrap_or("");
            let dev = info.get("dev").and_then(Value::as_bool) == Some(true);
            out.push(dep(name, version, dev));
        }
        return Some(out);
    }
    fn walk(map: &serde_json::Map<String, Value>, out: &mut Vec<Dependency>, depth: usize) {
        if depth > 64 {
            return;
        }
        for (name, info) in map {
            let version = info.get("version").and_then(Value::as_str).unwrap_or("");
            let dev = info.get("dev").and_then(Value::as_bool) == Some(true);
            out.push(dep(name, version, dev));
            if let Some(inner) = info.get("dependencies").and_then(Value::as_object) {
                walk(inner, out, depth + 1);
            }
        }
    }
    walk(obj.get("dependencies")?.as_object()?, &mut out, 0);
    Some(out)
}

/// pnpm-lock.yaml: the keys of its `packages:` section (`/express@5.1.0:` in version 6,
/// `express@5.1.0:` and `'@types/node@22.0.0':` in version 9), each package once.
pub fn pnpm_lock(text: &str) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = Vec::new();
    let mut in_packages = false;
    for raw in text.lines() {
        if !raw.starts_with(' ') && !raw.trim().is_empty() {
            in_packages = raw.trim_end() == "packages:";
            continue;
        }
        if !in_packages {
            continue;
        }
        // Keys are indented by exactly two spaces.
        let Some(key) = raw.strip_prefix("  ").filter(|k| !k.starts_with(' ')) else {
            continue;
        };
        let key = key
            .trim_end()
            .trim_end_matches(':')
            .trim_matches(['\'', '"']);
        let key = key.trim_start_matches('/');
        // `name@version(peer@x)`: the name ends at the last `@` that is not the first char.
        let key = key.split('(').next().unwrap_or(key);
        let Some(at) = key.rfind('@').filter(|&i| i > 0) else {
            continue;
        };
        let (name, version) = (&key[..at], &key[at + 1..]);
        if !out.iter().any(|d| d.name == name && d.version == version) {
            out.push(dep(name, version, false));
        }
    }
    out
}

/// yarn.lock (v1 and berry): each entry's header (`express@^5.1.0, express@^5:` or
/// `"express@npm:^5.1.0":`) and its `version` line.
pub fn yarn_lock(text: &str) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = Vec::new();
    let mut name: Option<String> = None;
    for raw in text.lines() {
        if raw.starts_with('#') || raw.trim().is_empty() {
            continue;
        }
        if !raw.starts_with(' ') {
            let first = raw
                .trim_end_matches(':')
                .split(',')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            name = first
                .get(1..)
                .and_then(|rest| rest.find('@'))
                .map(|i| first[..i + 1].to_string())
                .filter(|n| n != "__metadata");
            continue;
        }
        let line = raw.trim();
        if let (Some(n), Some(v)) = (
            name.as_ref(),
            line.strip_prefix("version ")
                .or_else(|| line.strip_prefix("version: ")),
        ) {
            let v = v.trim().trim_matches('"');
            if !out.iter().any(|d| d.name == *n && d.version == v) {
                out.push(dep(n, v, false));
            }
        }
    }
    out
}

/// go.mod's required modules (the `require` block and one-line `require`s), `// indirect` ones
/// included: `go mod download` fetches them all.
pub fn go_mod(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut in_block = false;
    for raw in text.lines() {
        let line = raw.split("//").next().unwrap_or("").trim();
        if in_block {
            if line.starts_with(')') {
                in_block = false;
                continue;
            }
            let mut w = line.split_whitespace();
            if let (Some(m), Some(v)) = (w.next(), w.next()) {
                out.push(dep(m, v, false));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("require") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_block = true;
            } else {
                let mut w = rest.split_whitespace();
                if let (Some(m), Some(v)) = (w.next(), w.next()) {
                    out.push(dep(m, v, false));
                }
            }
        }
    }
    out
}

/// pom.xml's `<dependency>` elements: (groupId:artifactId, version, test or provided scope as
/// dev). The parent and plugins are not dependencies.
pub fn pom_xml(text: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<dependency>") {
        let after = &rest[start + "<dependency>".len()..];
        let end = after.find("</dependency>").unwrap_or(after.len());
        let body = &after[..end];
        let tag = |t: &str| -> String {
            let open = format!("<{t}>");
            let close = format!("</{t}>");
            body.find(&open)
                .and_then(|i| {
                    let s = &body[i + open.len()..];
                    s.find(&close).map(|j| s[..j].trim().to_string())
                })
                .unwrap_or_default()
        };
        let scope = tag("scope");
        out.push(dep(
            &format!("{}:{}", tag("groupId"), tag("artifactId")),
            &tag("version"),
            scope == "test" || scope == "provided",
        ));
        rest = &after[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_names_includes_and_unsized_lines() {
        let r = requirements_txt(
            "# app\nfastapi>=0.110  # web\nuvicorn[standard]==0.30.1\n-r base.txt\n\
             --index-url https://x\n-e .\nDjango ; python_version > '3.8'\n\
             pkg @ https://example.com/pkg.whl\nhttps://example.com/x.tar.gz\nnumpy \\\n  >=1.26\n",
        );
        assert_eq!(
            r.names,
            ["fastapi", "uvicorn[standard]", "Django", "pkg", "numpy"]
        );
        assert_eq!(r.includes, ["base.txt"]);
        assert_eq!(r.not_sized, ["-e .", "https://example.com/x.tar.gz"]);
        assert_eq!(
            r.pins,
            [("uvicorn[standard]".to_string(), "0.30.1".to_string())]
        );
    }

    #[test]
    fn a_requirement_pins_only_with_double_equals() {
        assert_eq!(
            requirement_pin("Flask == 3.0.3 ; python_version > '3'"),
            Some("3.0.3".into())
        );
        assert_eq!(requirement_pin("pkg===1.0"), Some("1.0".into()));
        assert_eq!(requirement_pin("attrs==23.*"), None);
        assert_eq!(requirement_pin("requests>=2,<3"), None);
        assert_eq!(requirement_pin("numpy; python_version=='3.11'"), None);
    }

    #[test]
    fn pyproject_project_and_poetry_tables() {
        let deps = pyproject(
            "[project]\nname = \"app\"\ndependencies = [\n  \"fastapi>=0.110\",\n  'httpx',\n]\n\
             [tool.poetry.dependencies]\npython = \"^3.12\"\nrequests = \"^2\"\n\
             [tool.poetry.group.dev.dependencies]\npytest = \"*\"\n",
        );
        let names: Vec<(&str, bool)> = deps.iter().map(|d| (d.name.as_str(), d.dev)).collect();
        assert_eq!(
            names,
            [
                ("fastapi", false),
                ("httpx", false),
                ("requests", false),
                ("pytest", true)
            ]
        );
    }

    #[test]
    fn toml_locks_list_packages_without_the_project() {
        let uv = "version = 1\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\
                  [[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\
                  [package.dependencies]\nidna = \"*\"\n[[package]]\nname = \"idna\"\nversion = \"3.7\"\n";
        let names: Vec<String> = toml_lock_packages(uv).into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["anyio", "idna"]);
        let poetry = "[[package]]\nname = \"pytest\"\nversion = \"8.0\"\ncategory = \"dev\"\n";
        assert!(toml_lock_packages(poetry)[0].dev);
    }

    #[test]
    fn npm_files() {
        let pj = package_json(
            r#"{"dependencies":{"express":"^5.1.0"},"devDependencies":{"jest":"^29"}}"#,
        )
        .unwrap();
        assert_eq!(pj.len(), 2);
        assert!(pj[1].dev);
        let lock = package_lock(
            r#"{"lockfileVersion":3,"packages":{"":{"name":"app"},
            "node_modules/express":{"version":"5.1.0"},
            "node_modules/a/node_modules/debug":{"version":"2.6.9"},
            "node_modules/jest":{"version":"29.0.0","dev":true}}}"#,
        )
        .unwrap();
        let names: Vec<(&str, bool)> = lock.iter().map(|d| (d.name.as_str(), d.dev)).collect();
        assert_eq!(
            names,
            [("debug", false), ("express", false), ("jest", true)]
        );
        assert!(package_json("not json").is_none());
        assert!(package_lock("[1,2]").is_none());
    }

    #[test]
    fn pnpm_and_yarn_locks() {
        let pnpm = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: {}\npackages:\n  \
                    express@5.1.0:\n    resolution: {integrity: x}\n  '@types/node@22.0.0':\n    resolution: {}\n  \
                    /debug@4.3.4(supports-color@8.1.1):\n    resolution: {}\nsnapshots:\n  express@5.1.0: {}\n";
        let names: Vec<String> = pnpm_lock(pnpm).into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["express", "@types/node", "debug"]);
        let yarn = "# yarn lockfile v1\n\n\"@babel/core@^7.0.0\", \"@babel/core@^7.1\":\n  version \"7.24.0\"\n\n\
                    express@^5.1.0:\n  version \"5.1.0\"\n";
        let names: Vec<String> = yarn_lock(yarn).into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["@babel/core", "express"]);
    }

    #[test]
    fn go_mod_and_pom() {
        let m = go_mod("module x\n\ngo 1.22\n\nrequire github.com/a/b v1.0.0\nrequire (\n\tgolang.org/x/net v0.1.0 // indirect\n\tgithub.com/c/d v2.0.0\n)\n");
        assert_eq!(m.len(), 3);
        let p = pom_xml("<project><dependencies><dependency><groupId>org.a</groupId><artifactId>b</artifactId><version>1</version></dependency>\
                         <dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency></dependencies></project>");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].name, "org.a:b");
        assert!(p[1].dev);
    }

    #[test]
    fn readers_never_panic_on_odd_text() {
        for text in [
            "",
            "[",
            "[[package]]\nname",
            "\"",
            "é@",
            "  x@",
            "require (",
            "<dependency>",
            "packages:\n  @:\n",
            "-r",
            "a[",
            "name @",
            "\u{1F600}@1:\n  version \"1\"",
        ] {
            let _ = requirements_txt(text);
            let _ = pyproject(text);
            let _ = toml_lock_packages(text);
            let _ = package_json(text);
            let _ = package_lock(text);
            let _ = pnpm_lock(text);
            let _ = yarn_lock(text);
            let _ = go_mod(text);
            let _ = pom_xml(text);
        }
    }
}
