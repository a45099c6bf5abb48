#!/usr/bin/env python3
"""Builds the trees of the `hsl check` throughput comparison with ruff
(README, Performance), about 4 MB of HSL each, into DIR (default
/tmp/hsl-check-trees):

- DIR/small: 1,200 copies of testdata/example (14,400 files of 280 bytes on
  average, one workspace each);
- DIR/ordinary: 54 workspaces of 20 hook scripts and 4 shared files of a few
  KB each, the hook scripts including and importing the shared files;
- DIR/one: the same scripts in one workspace (as a Halon repository keeps
  them), each set's shared files in a folder of `src/files`;
- DIR/python: the peer's input, the 168 modules at the top of CPython
  3.11's library (4.7 MB; PYTHON_LIB names another library folder).

The HSL trees check clean. The same generator always writes the same files.

    python3 crates/hsl-cli/benches/check_trees.py [DIR]
"""

import os
import shutil
import sys
from pathlib import Path

HOOKS = ["connect", "helo", "auth", "mailfrom", "rcptto", "eod", "disconnect", "proxy"]
WORKSPACES = 54
SCRIPTS = 20
SHARED = 4
FUNCTIONS = 12
BLOCKS = 9


def shared_file(k):
    """A shared module: policy data and helper functions (about 4 KB)."""
    out = [f"// Policy helpers, part {k}.\n"]
    out.append(f'$networks_{k} = ["192.0.2.0/24", "198.51.100.{k}/32", "203.0.113.0/24"];\n')
    out.append(f'$domains_{k} = ["example.com", "example.net", "mail{k}.example.org"];\n\n')
    for m in range(FUNCTIONS):
        out.append(
            f"function listed_{k}_{m}($ip, $extra = []) {{\n"
            f"    global $networks_{k};\n"
            f"    foreach ([...$networks_{k}, ...$extra] as $network) {{\n"
            f"        if (inet_includes($ip, $network))\n"
            f"            return true;\n"
            f"    }}\n"
            f"    return false;\n"
            f"}}\n\n"
            if m % 2 == 0
            else f"function local_{k}_{m}($domain) {{\n"
            f"    global $domains_{k};\n"
            f"    $lower = str_lower($domain ?? \"\");\n"
            f"    return array_includes($lower, $domains_{k}) or $lower == \"{m}.example\";\n"
            f"}}\n\n"
        )
    return "".join(out)


def hook_script(hook, w, i, folder=""):
    """A hook script of about 3.5 KB using the shared files (in `folder` of
    `src/files`)."""
    k = i % SHARED
    verdict = "Pass();" if hook in ("disconnect", "proxy") else "Accept();"
    out = [
        f'include "{folder}limits.hsl";\n',
        f'import {{ listed_{k}_0, local_{k}_1 }} from "{folder}policy{k}.hsl";\n',
        f"// Workspace {w}, {hook} script {i}.\n\n",
    ]
    for j in range(BLOCKS):
        out.append(
            f"function score_{i}_{j}($value) {{\n"
            f"    $score = 0;\n"
            f"    if (length($value) > {10 + j}) $score += 1;\n"
            f"    if ($value =~ #/spam{j}/i) $score += 5;\n"
            f"    return $score;\n"
            f"}}\n"
            f'$s{j} = score_{i}_{j}("value {w} {i} {j}");\n'
            f'if ($s{j} > $threshold or listed_{k}_0("192.0.2.{j}"))\n'
            f'    echo "high score $s{j} in block {j}";\n'
            f'if (local_{k}_1("host{j}.example.com"))\n'
            f'    $context["local_{j}"] = $s{j} * {j + 1};\n\n'
        )
    out.append(verdict + "\n")
    return "".join(out)


def workspace_config(ids):
    lines = ['version: "6.0"\n', "servers:\n"]
    for i in ids:
        lines.append(f"  - id: server{i}\n    transport: mx\n    phases:\n")
        for hook in HOOKS:
            lines.append(f"      {hook}:\n        hook: s{i}\n")
    return "".join(lines)


def shared_files(files):
    (files / "limits.hsl").write_text("$threshold = 3;\n$max_recipients = 50;\n")
    for k in range(SHARED):
        (files / f"policy{k}.hsl").write_text(shared_file(k))


def ordinary(root):
    for w in range(WORKSPACES):
        ws = root / f"ws{w:02}" / "src"
        (ws / "files").mkdir(parents=True)
        (ws / "config").mkdir()
        shared_files(ws / "files")
        ids = range(SCRIPTS // len(HOOKS) + 1)
        (ws / "config" / "smtpd-app.yaml").write_text(workspace_config(ids))
        for i in range(SCRIPTS):
            hook = HOOKS[i % len(HOOKS)]
            (ws / "hooks" / hook).mkdir(parents=True, exist_ok=True)
            (ws / "hooks" / hook / f"s{i // len(HOOKS)}.hsl").write_text(
                hook_script(hook, w, i)
            )


def one(root):
    ws = root / "src"
    (ws / "config").mkdir(parents=True)
    per_set = SCRIPTS // len(HOOKS) + 1
    ids = [f"{w:02}{i}" for w in range(WORKSPACES) for i in range(per_set)]
    (ws / "config" / "smtpd-app.yaml").write_text(workspace_config(ids))
    for w in range(WORKSPACES):
        (ws / "files" / f"set{w:02}").mkdir(parents=True)
        shared_files(ws / "files" / f"set{w:02}")
        for i in range(SCRIPTS):
            hook = HOOKS[i % len(HOOKS)]
            (ws / "hooks" / hook).mkdir(parents=True, exist_ok=True)
            (ws / "hooks" / hook / f"s{w:02}{i // len(HOOKS)}.hsl").write_text(
                hook_script(hook, w, i, f"set{w:02}/")
            )


def small(root, example):
    for n in range(1200):
        shutil.copytree(example, root / f"copy{n:04}")


def python(root):
    lib = Path(os.environ.get("PYTHON_LIB", "/root/.pyenv/versions/3.11.7/lib/python3.11"))
    root.mkdir()
    for f in sorted(lib.glob("*.py")):
        shutil.copy(f, root / f.name)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hsl-check-trees")
    example = Path(__file__).resolve().parents[3] / "testdata" / "example"
    shutil.rmtree(out, ignore_errors=True)
    small(out / "small", example)
    ordinary(out / "ordinary")
    one(out / "one")
    python(out / "python")
    trees = (("small", "*.hsl"), ("ordinary", "*.hsl"), ("one", "*.hsl"), ("python", "*.py"))
    for tree, pattern in trees:
        files = list((out / tree).rglob(pattern))
        size = sum(f.stat().st_size for f in files)
        print(f"{out / tree}: {len(files)} files, {size} bytes")


if __name__ == "__main__":
    main()
