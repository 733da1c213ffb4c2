#!/bin/sh
# Used by the Dockerfile. Cargo refuses a manifest whose explicitly declared targets
# ([[bin]], [[test]], [[bench]], [[example]]) have no source file, and the image build
# leaves tests/ and benches/ out of its context (and, for the dependency-caching step,
# every source). This creates an empty `fn main() {}` for each declared target whose
# file is missing, so `cargo build` can read the manifest. Existing files are untouched.
#
#   stub-cargo-targets.sh [Cargo.toml]
set -eu
manifest=${1:-Cargo.toml}
awk '
function val(s) { sub(/^[^=]*=[ \t]*/, "", s); sub(/[ \t]*(#.*)?$/, "", s); gsub(/"/, "", s); return s }
function flush() {
  if (kind != "" && name != "") {
    if (path == "") {
      if (kind == "bin") path = "src/bin/" name ".rs"
      else if (kind == "test") path = "tests/" name ".rs"
      else if (kind == "bench") path = "benches/" name ".rs"
      else path = "examples/" name ".rs"
    }
    print path
  }
  kind = ""; name = ""; path = ""
}
/^[ \t]*\[\[(bin|test|bench|example)\]\]/ { flush(); kind = $0; gsub(/[^a-z]/, "", kind); next }
/^[ \t]*\[/ { flush(); next }
kind != "" && /^[ \t]*name[ \t]*=/ { name = val($0) }
kind != "" && /^[ \t]*path[ \t]*=/ { path = val($0) }
END { flush() }
' "$manifest" | while IFS= read -r f; do
  # A target named after the package with no path lives in src/main.rs, not src/bin/.
  case "$f" in src/bin/*) [ -e src/main.rs ] && [ "$f" = "src/bin/$(awk -F'"' '/^name[ \t]*=/{print $2; exit}' "$manifest").rs" ] && continue ;; esac
  if [ ! -e "$f" ] && [ ! -e "${f%.rs}/main.rs" ]; then
    mkdir -p "$(dirname "$f")"
    echo 'fn main() {}' > "$f"
    echo "stub-cargo-targets: stubbed $f"
  fi
done
