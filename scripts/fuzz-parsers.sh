#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time (FUZZ_SECONDS each, default 30)
# and prints the executions of each. Needs nightly Rust and cargo-fuzz
# (`cargo install cargo-fuzz`); not part of scripts/test.sh. A crash leaves its input in
# fuzz/artifacts/<target>/ and fails the script.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

SECONDS_EACH="${FUZZ_SECONDS:-30}"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz and nightly Rust are needed: rustup toolchain install nightly; cargo install cargo-fuzz" >&2
  exit 1
fi

cargo +nightly fuzz build -O
failed=0
passed=0
for target in $(cargo +nightly fuzz list); do
  log="$(mktemp)"
  # Start from the committed seeds (fuzz/seeds/<target>/) and what earlier runs found.
  mkdir -p "corpus/$target"
  if [ -d "seeds/$target" ]; then
    cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
  fi
  if cargo +nightly fuzz run -O "$target" -- -max_total_time="$SECONDS_EACH" -print_final_stats=1 >"$log" 2>&1; then
    passed=$((passed + 1))
    result="ok"
  else
    failed=$((failed + 1))
    result="FAILED"
    tail -40 "$log" >&2
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
  echo "fuzz $target: $result, ${runs:-?} executions in ${SECONDS_EACH}s"
  rm -f "$log"
done
echo "fuzz-parsers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
