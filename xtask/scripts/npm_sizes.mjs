// Measures installed sizes of npm packages for Stageplay's knowledge base.
//
// Run by `cargo xtask kb npm` (see xtask/src/kb.rs). For every package in the wanted list, npm
// installs its latest version with its production dependencies into a fresh project
// (`npm install --omit=dev --ignore-scripts`: install scripts are not run, so nothing a package
// would fetch or build afterwards is counted; packages that ship platform binaries do so as
// optional dependencies, which are installed for this machine, linux x64). Every package of the
// resulting node_modules tree is measured alone: the bytes of the files in its directory, without
// its nested node_modules. Each row lists the package's dependencies (dependencies, optional and
// peer dependencies that npm installed), so the engine can sum the closure of any set without
// counting a shared package twice. A package of the wanted list is recorded at the version its own
// install gave; any other keeps the first version measured.
//
// Output (stdout): TSV `name version installed_bytes deps`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function dirSize(dir) {
  let bytes = 0;
  let files = 0;
  const seen = new Set();
  const walk = (d, top) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (top && e.name === "node_modules") continue;
        walk(p, false);
      } else {
        const st = fs.lstatSync(p);
        const key = `${st.dev}:${st.ino}`;
        if (seen.has(key)) continue;
        seen.add(key);
        bytes += st.size;
        files += 1;
      }
    }
  };
  walk(dir, true);
  return [bytes, files];
}

const wanted = fs
  .readFileSync(process.argv[2], "utf8")
  .split("\n")
  .map((l) => l.split("#")[0].trim())
  .filter(Boolean);
const rows = new Map();
const failed = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), "kb-npm-"));
wanted.forEach((spec, i) => {
  process.stderr.write(`[${i + 1}/${wanted.length}] ${spec}\n`);
  const dir = path.join(work, String(i));
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "package.json"), '{"name":"m","version":"1.0.0","private":true}\n');
  try {
    execFileSync(
      "npm",
      ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error", spec],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: 900_000 },
    );
  } catch (e) {
    const lines = String(e.stderr || e.message)
      .split("\n")
      .filter((l) => l.startsWith("npm error") && !l.includes("A complete log"));
    failed.push(`${spec}: ${(lines.slice(0, 2).join(" ") || String(e.message)).trim()}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
  const installed = new Set();
  for (const key of Object.keys(lock.packages || {})) {
    const at = key.lastIndexOf("node_modules/");
    if (at >= 0) installed.add(key.slice(at + "node_modules/".length));
  }
  for (const [key, entry] of Object.entries(lock.packages || {})) {
    const at = key.lastIndexOf("node_modules/");
    if (at < 0 || entry.link) continue;
    const name = key.slice(at + "node_modules/".length);
    // A package of the wanted list is recorded as its own install gave it (the version a user
    // gets); any other keeps the first version measured.
    const ownInstall = key === `node_modules/${spec}`;
    if (rows.has(name) && !(ownInstall && wanted.includes(name))) continue;
    const [bytes, files] = dirSize(path.join(dir, key));
    const deps = Object.keys({
      ...(entry.dependencies || {}),
      ...(entry.optionalDependencies || {}),
      ...(entry.peerDependencies || {}),
    }).filter((d) => installed.has(d));
    rows.set(name, [entry.version, bytes, files, deps]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
fs.rmSync(work, { recursive: true, force: true });
for (const f of failed) console.log(`# failed: ${f}`);
console.log("# name\tversion\tinstalled_bytes\tdeps");
for (const name of [...rows.keys()].sort()) {
  const [version, bytes, , deps] = rows.get(name);
  console.log(`${name}\t${version}\t${bytes}\t${deps.length ? deps.join(",") : "-"}`);
}
