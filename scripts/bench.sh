#!/usr/bin/env bash
# Foundation benchmarks: builds the release binary, then prints a Markdown table of
# medians (startup to first /health 200, idle RSS, binary and image size).
# Extra arguments go to scripts/bench.py (e.g. --runs 3, --json bench-results/foundation.json).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
cargo build --release --locked --quiet
exec python3 "$ROOT/scripts/bench.py" "$@"
