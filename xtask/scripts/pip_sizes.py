"""Measures installed sizes of PyPI distributions for Stageplay's knowledge base.

Run by `cargo xtask kb pip` (see xtask/src/kb.rs). For every requirement in the wanted list,
`pip download` resolves and downloads its full dependency set for this machine's CPython on linux
x86_64 (a distribution published only as a source archive is built into a wheel with `pip wheel`).
Every wheel is then measured alone, the way pip installs it: its files unpacked (the bytes of every
file, `.data/` directories included) and its Python modules compiled to `.pyc` as pip does at
install time; the row gives the bytes with and without those `.pyc` files, and the wheel's size. Each row also lists the distribution's own dependencies as resolved here
(Requires-Dist whose marker holds, without extras), so the engine can sum the closure of any set
without counting a shared dependency twice. A requirement with extras (`uvicorn[standard]`) gets a
row of its own, of size 0, whose dependencies are the package plus what the extras require.

Output (stdout): TSV `name version wheel_bytes installed_bytes_nopyc installed_bytes_pyc deps`.
Progress goes to stderr; failures are printed as `# failed:` comment lines.
"""

import compileall
import email.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import (
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

WORK = tempfile.mkdtemp(prefix="kb-pip-")
DOWNLOADS = os.path.join(WORK, "downloads")
WHEELS = os.path.join(WORK, "wheels")


def pip(*args):
    env = dict(os.environ)
    # Measure what the public index serves, not a local wheelhouse; a cache of our own (removed
    # at the end: a full run's wheels take gigabytes).
    env.pop("PIP_FIND_LINKS", None)
    env["PIP_CACHE_DIR"] = os.path.join(WORK, "cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run([sys.executable, "-m", "pip", *args], env=env, text=True, capture_output=True)


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else "pip failed"


def download(spec):
    """Resolves `spec` and downloads its dependency set; returns the archive paths it needs."""
    r = pip("download", "--progress-bar", "off", "-d", DOWNLOADS, spec)
    if r.returncode != 0:
        raise RuntimeError(last_line(r.stderr))
    files = []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*(?:Saved|File was already downloaded)\s+(\S+)", line)
        if m:
            files.append(os.path.join(DOWNLOADS, os.path.basename(m.group(1))))
    return files


def wheel_for(path):
    """The wheel of a downloaded archive (a source archive is built with `pip wheel`)."""
    if path.endswith(".whl"):
        return path
    out = os.path.join(WHEELS, os.path.basename(path))
    os.makedirs(out, exist_ok=True)
    r = pip("wheel", "--no-deps", "--quiet", "-w", out, path)
    if r.returncode != 0:
        raise RuntimeError("build: " + last_line(r.stderr))
    built = [f for f in os.listdir(out) if f.endswith(".whl")]
    return os.path.join(out, built[0])


def name_version(path):
    base = os.path.basename(path)
    if base.endswith(".whl"):
        n, v, _b, _t = parse_wheel_filename(base)
    else:
        n, v = parse_sdist_filename(base)
    return canonicalize_name(n), str(v)


def measure(wheel):
    """(installed bytes without .pyc, with .pyc, files, Requires-Dist) of one wheel."""
    target = os.path.join(WORK, "unpacked")
    shutil.rmtree(target, ignore_errors=True)
    with zipfile.ZipFile(wheel) as z:
        z.extractall(target)
        meta_name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode("utf-8", "replace"))
    # pip writes INSTALLER (and REQUESTED for a requested package) into the .dist-info.
    nopyc = len("pip\n")
    files = 1
    for root, _dirs, names in os.walk(target):
        for n in names:
            nopyc += os.lstat(os.path.join(root, n)).st_size
            files += 1
    compileall.compile_dir(target, quiet=2, force=True, workers=1)
    pyc = nopyc
    for root, _dirs, names in os.walk(target):
        if os.path.basename(root) != "__pycache__":
            continue
        for n in names:
            pyc += os.lstat(os.path.join(root, n)).st_size
            files += 1
    shutil.rmtree(target, ignore_errors=True)
    return nopyc, pyc, files, meta.get_all("Requires-Dist") or []


def deps_of(requires, resolved, extras=()):
    out = []
    for text in requires:
        try:
            req = Requirement(text)
        except Exception:  # noqa: BLE001 - a malformed requirement is skipped
            continue
        if extras:
            if req.marker is None or not any(req.marker.evaluate({"extra": e}) for e in extras):
                continue
            if req.marker.evaluate({"extra": ""}):
                continue  # not an extra's requirement: it is on the package's own row
        elif req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        n = canonicalize_name(req.name)
        if n in resolved and n not in out:
            out.append(n)
    return out


def main():
    wanted = []
    for line in open(sys.argv[1]):
        line = line.split("#", 1)[0].strip()
        if line:
            wanted.append(line)
    os.makedirs(DOWNLOADS)
    os.makedirs(WHEELS)
    rows = {}
    requires = {}
    failed = []
    try:
        for i, spec in enumerate(wanted):
            print(f"[{i + 1}/{len(wanted)}] {spec}", file=sys.stderr, flush=True)
            try:
                archives = download(spec)
            except Exception as e:  # noqa: BLE001 - recorded, the run goes on
                failed.append(f"{spec}: {e}")
                continue
            resolved = {name_version(a)[0]: a for a in archives}
            for n, archive in resolved.items():
                if n in rows:
                    continue
                version = name_version(archive)[1]
                try:
                    wheel = wheel_for(archive)
                    nopyc, pyc, files, req = measure(wheel)
                except Exception as ex:  # noqa: BLE001
                    failed.append(f"{n}=={version}: {ex}")
                    continue
                requires[n] = req
                rows[n] = [version, os.path.getsize(archive), nopyc, pyc, files, resolved]
            for n in resolved:
                if n in rows and isinstance(rows[n][5], dict):
                    rows[n][5] = ",".join(deps_of(requires[n], resolved))
            m = re.match(r"^([A-Za-z0-9._-]+)\[([^\]]+)\]", spec)
            if m:
                base = canonicalize_name(m.group(1))
                extras = [x.strip() for x in m.group(2).split(",")]
                if base in rows:
                    deps = [base] + [d for d in deps_of(requires[base], resolved, extras) if d != base]
                    rows[f"{base}[{','.join(extras)}]"] = [rows[base][0], 0, 0, 0, 0, ",".join(deps)]
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    for f in failed:
        print(f"# failed: {f}")
    print("# name\tversion\twheel_bytes\tinstalled_bytes_nopyc\tinstalled_bytes_pyc\tdeps")
    for n in sorted(rows):
        v, wheel, nopyc, pyc, _count, deps = rows[n]
        print(f"{n}\t{v}\t{wheel}\t{nopyc}\t{pyc}\t{deps or '-'}")


if __name__ == "__main__":
    main()
