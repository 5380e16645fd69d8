#!/usr/bin/env bash
# Debug `cargo xtask regenerate --check` with and without the generator's dev-profile
# optimisations (root Cargo.toml, `[profile.dev.package]`): builds both binaries, then
# runs them in turn and prints each run's CPU seconds (user + sys) and wall seconds.
#
# Usage: scripts/bench-regenerate-debug.sh [SPEC] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-${POLAR_OPENAPI_SPEC:-../shared/polar-openapi/2026-10.openapi.json}}"
runs="${2:-7}"
target="${CARGO_TARGET_DIR:-target}"

# The same build with every override set back to opt-level 0.
plain_flags=()
while read -r package; do
    plain_flags+=(--config "profile.dev.package.$package.opt-level=0")
done < <(sed -n '/^\[profile.dev.package\]$/,/^$/p' Cargo.toml | sed -n 's/^\([A-Za-z0-9_-]*\) = { opt-level.*/\1/p')

mkdir -p "$target/bench-regenerate"
cargo build -q -p xtask "${plain_flags[@]}"
cp "$target/debug/xtask" "$target/bench-regenerate/xtask-plain"
cargo build -q -p xtask
cp "$target/debug/xtask" "$target/bench-regenerate/xtask-optimised"

TIMEFORMAT='%U %S %R'
for ((i = 1; i <= runs; i++)); do
    for variant in plain optimised; do
        times=$({ time "$target/bench-regenerate/xtask-$variant" regenerate --check --spec "$spec" >/dev/null 2>&1; } 2>&1)
        read -r user sys wall <<<"$times"
        printf '%-9s run %d: cpu %.3f s, wall %.3f s\n' "$variant" "$i" "$(awk "BEGIN { print $user + $sys }")" "$wall"
    done
done
