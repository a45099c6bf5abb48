#!/bin/sh
# `hsl check` against `ruff check` in one hyperfine run (README,
# Performance): the HSL trees of check_trees.py and CPython's library, with
# one and two threads. Needs a release build of hsl (`cargo build --release -p
# hsl-cli`), hyperfine and ruff (`pip install ruff`). ruff's own binary is run,
# not a wrapper in PATH (pyenv's shim adds 70 ms to every run); set RUFF to
# choose another.
#
#     sh crates/hsl-cli/benches/check_vs_ruff.sh [DIR] [RUNS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hsl=${HSL:-$here/../../../target/release/hsl}
dir=${1:-/tmp/hsl-check-trees}
runs=${2:-10}
[ -d "$dir/one" ] || python3 "$here/check_trees.py" "$dir" >/dev/null
cd "$dir"
uptime
ruff_bin=${RUFF:-$(python3 -c 'from ruff.__main__ import find_ruff_bin; print(find_ruff_bin())' 2>/dev/null || command -v ruff)}
"$ruff_bin" --version
ruff="$ruff_bin check --select E,F,W --no-cache -q python"
hyperfine -N -i --warmup 1 --runs "$runs" --export-json "$dir/hyperfine.json" \
    -n "hsl small, 2 threads" "$hsl check -q small" \
    -n "hsl small, 1 thread" "env RAYON_NUM_THREADS=1 $hsl check -q small" \
    -n "hsl ordinary, 2 threads" "$hsl check -q ordinary" \
    -n "hsl ordinary, 1 thread" "env RAYON_NUM_THREADS=1 $hsl check -q ordinary" \
    -n "hsl one workspace, 2 threads" "$hsl check -q one" \
    -n "hsl one workspace, 1 thread" "env RAYON_NUM_THREADS=1 $hsl check -q one" \
    -n "ruff python, 2 threads" "$ruff" \
    -n "ruff python, 1 thread" "env RAYON_NUM_THREADS=1 $ruff"
uptime
# Wall and CPU per run, CPU per byte of input.
python3 - "$dir" <<'PY'
import json, sys
from pathlib import Path
d = Path(sys.argv[1])
size = {t: sum(f.stat().st_size for f in (d / t).rglob(p)) for t, p in
        (("small", "*.hsl"), ("ordinary", "*.hsl"), ("one", "*.hsl"), ("python", "*.py"))}
for r in json.load(open(d / "hyperfine.json"))["results"]:
    tree = r["command"].split()[1].rstrip(",")  # "hsl one workspace, …" → one
    cpu = r["user"] + r["system"]
    print(f'{r["command"]:32} wall {r["mean"]:.3f} s  cpu {cpu:.3f} s '
          f'(user {r["user"]:.3f}, sys {r["system"]:.3f})  '
          f'{cpu / size[tree] * 1e9:.0f} ns/byte of {size[tree]} bytes')
PY
