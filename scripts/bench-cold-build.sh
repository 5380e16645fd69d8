#!/usr/bin/env bash
# Cold-build cost of the dev-profile overrides in the root Cargo.toml
# (`[profile.dev.package]`, opt-level 1 for the generator and the crates it spends its time in).
#
#   scripts/bench-cold-build.sh [RUNS] [PACKAGE_RUNS]
#
# Builds two copies of the working tree (tracked and new files, not ignored ones): one as it
# is ("overrides") and one with the `[profile.dev.package]` table removed ("plain"). Each run
# is a cold debug build in a fresh CARGO_TARGET_DIR (deleted afterwards), `--offline` after a
# `cargo fetch`, the two variants alternated:
#   RUNS (default 2) times          cargo build --workspace --all-targets
#   PACKAGE_RUNS (default 1) times  cargo build -p polar-generated   (what a user's build compiles)
# and prints each run's CPU seconds (user + sys of cargo and every rustc it waited for) and
# wall seconds. On a shared machine wall time follows the other load; CPU time is the figure
# to compare. Copies and target dirs go in a temporary directory (mktemp, under $TMPDIR).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-2}
package_runs=${2:-1}
scratch=$(mktemp -d -t polar-cold-build.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if ! /usr/bin/time -f '%U' true >/dev/null 2>&1; then
    echo "error: GNU time (/usr/bin/time) is needed; install it with: sudo apt-get install time" >&2
    exit 2
fi

# Both variants are copies, so editing the tree while this runs changes neither.
mkdir -p "$scratch/overrides"
git -C "$root" ls-files -z --cached --others --exclude-standard \
    | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$scratch/overrides"
cp -a "$scratch/overrides" "$scratch/plain"
# Drop the `[profile.dev.package]` table: from its header to the next table header.
awk '/^\[/ { skip = ($0 == "[profile.dev.package]") } !skip' \
    "$scratch/overrides/Cargo.toml" >"$scratch/plain/Cargo.toml"
if grep -q '^\[profile.dev.package\]$' "$scratch/plain/Cargo.toml" \
    || ! grep -q '^\[profile.dev.package\]$' "$scratch/overrides/Cargo.toml"; then
    echo "error: could not make a copy without the [profile.dev.package] table" >&2
    exit 1
fi
(cd "$scratch/overrides" && cargo fetch --quiet)

# cold_build VARIANT RUN ARGS...: one cold build, printed as one line.
cold_build() {
    local variant=$1 run=$2
    shift 2
    local target="$scratch/target-$variant"
    rm -rf "$target"
    (cd "$scratch/$variant" && CARGO_TARGET_DIR="$target" /usr/bin/time -f '%U %S %e' \
        -o "$scratch/time.txt" cargo build --offline --quiet "$@" 2>"$scratch/build.log") \
        || { cat "$scratch/build.log" >&2; exit 1; }
    rm -rf "$target"
    read -r user sys wall <"$scratch/time.txt"
    printf '%-9s run %d: cargo build %s: cpu %.1f s (user %.1f + sys %.1f), wall %.1f s\n' \
        "$variant" "$run" "$*" "$(awk "BEGIN { print $user + $sys }")" "$user" "$sys" "$wall"
}

echo "$(nproc) CPUs, $(rustc --version); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 1; i <= runs; i++)); do
    for variant in overrides plain; do
        cold_build "$variant" "$i" --workspace --all-targets
    done
done
for ((i = 1; i <= package_runs; i++)); do
    for variant in overrides plain; do
        cold_build "$variant" "$i" -p polar-generated
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
