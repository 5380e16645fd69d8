#!/usr/bin/env bash
# Cold-build cost of polar-generated for three feature sets, measured in one run on one
# machine: wall time, peak memory (largest process, usually rustc on polar-generated) and
# the time cargo --timings attributes to polar-generated itself and to ring (C/asm).
#
#   scripts/bench-build.sh            # prints a Markdown table, writes benches/build-cost.md
#
# Each build is `cargo build -p polar-generated` (debug, the workspace's dev profile) in a
# fresh target directory, from a temporary copy of the working tree (so editing the tree
# while it runs does not change the result), with every dependency downloaded beforehand
# (`cargo fetch`) and the build run `--offline`. Other load on the machine inflates the
# numbers: the table records the load average before and after.
#
# Environment: BENCH_TARGET_ROOT (default $TMPDIR, else /tmp) holds the fresh target dirs
# (target-bench-*), deleted afterwards; BENCH_OUT (default benches/build-cost.md).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${BENCH_OUT:-$root/benches/build-cost.md}
target_root=${BENCH_TARGET_ROOT:-${TMPDIR:-/tmp}}

if ! [[ -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "error: GNU time (/usr/bin/time -v) is needed for peak memory; install it with" >&2
    echo "       sudo apt-get install time" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "error: python3 is needed to read cargo's timing report" >&2; exit 2; }

copy=$(mktemp -d "${TMPDIR:-/tmp}/polar-bench-src.XXXXXX")
targets=()
cleanup() { rm -rf "$copy" "${targets[@]}"; }
trap cleanup EXIT

# The working tree as it is (tracked and new files, not ignored ones such as target/).
git -C "$root" ls-files -z --cached --others --exclude-standard \
    | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$copy"
(cd "$copy" && cargo fetch --quiet)

# name|cargo feature arguments
configs=(
    "full (default features)|"
    "checkouts + webhooks|--no-default-features --features checkouts,webhooks"
    "webhooks only|--no-default-features --features webhooks"
)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
full_wall=""
for config in "${configs[@]}"; do
    name=${config%%|*}
    flags=${config#*|}
    target=$(mktemp -d "$target_root/target-bench-XXXXXX")
    targets+=("$target")
    echo "== $name: cargo build -p polar-generated $flags" >&2
    # shellcheck disable=SC2086 # $flags is a word list on purpose
    (cd "$copy" && CARGO_TARGET_DIR="$target" /usr/bin/time -v -o "$target/time.txt" \
        cargo build -p polar-generated --offline --timings $flags >/dev/null 2>"$target/build.log") \
        || { cat "$target/build.log" >&2; exit 1; }
    row=$(python3 - "$target" "$name" "$flags" "${full_wall:-}" <<'PY'
import json, re, sys, glob
target, name, flags, full = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
t = open(f"{target}/time.txt").read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = 0.0
for part in wall.split(":"):
    secs = secs * 60 + float(part)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
html = open(glob.glob(f"{target}/cargo-timings/cargo-timing.html")[0]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\n\]);", html, re.S).group(1))
own = sum(u["duration"] for u in units if u["name"] == "polar-generated")
ring = sum(u["duration"] for u in units if u["name"] == "ring")
ratio = "1.00×" if not full else f"{secs / float(full):.2f}×"
features = flags.replace("--no-default-features --features ", "") or "full"
print(f"{secs:.1f}\t| {name} | `{features}` | {secs:.1f} s | {ratio} | {rss:.0f} MiB | "
      f"{own:.1f} s | {ring:.1f} s | {len(units)} |")
PY
)
    [[ -z "$full_wall" ]] && full_wall=${row%%$'\t'*}
    rows+=("${row#*$'\t'}")
    rm -rf "$target"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

table=$(cat <<MD
# Cold build cost of polar-generated

Measured by \`scripts/bench-build.sh\` on $(date -u +%Y-%m-%d), $(nproc) CPUs, $(rustc --version).
Load average (1/5/15 min) before: $load_before; after: $load_after. Numbers taken while
other builds run on the machine are inflated; compare ratios, and rerun on a quiet machine
for absolute times.

Each row is \`cargo build -p polar-generated\` (debug, workspace dev profile) in a fresh
target directory with dependencies already downloaded. *polar-generated* and *ring* are the
time cargo's \`--timings\` gives those units (ring: build script, C/asm compile and crate);
units run in parallel, so they do not add up to the wall time. Peak memory is the largest
single process (rustc on polar-generated).

| Build | Features | Wall time | Ratio to full | Peak memory | polar-generated | ring | Units |
|---|---|---:|---:|---:|---:|---:|---:|
$(printf '%s\n' "${rows[@]}")

Targets (2 cores): full ≤ 52 s; checkouts + webhooks ≤ 0.3× full; webhooks only ≤ 0.2× full.
MD
)
mkdir -p "$(dirname "$out")"
printf '%s\n' "$table" >"$out"
printf '%s\n' "$table"
echo "written to ${out#"$root"/}" >&2
