#!/usr/bin/env bash
# Runs the Neovim end-to-end test against a built `hsl` binary:
#   editors/nvim/run-test.sh path/to/hsl
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
hsl="$(realpath "${1:?usage: run-test.sh path/to/hsl}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '$a = 1\n$b = 2;\n' > "$work/broken.hsl"
HSL_TEST_FILE="$work/broken.hsl" timeout 60 nvim --headless -u NONE -i NONE \
  --cmd "let g:hsl_server_path = '$hsl'" -c "luafile $here/test.lua"
