#!/usr/bin/env bash
# The main job: for now, check every bundled preset (parse + compile) and
# print the report. Extra arguments are passed to `kefir check`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --quiet -p kefir -- check presets "$@"
