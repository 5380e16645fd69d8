#!/usr/bin/env bash
# Cold debug build of polar-generated at two commits, side by side: what a change to the
# generated code costs a user's first build.
#
#   scripts/bench-build-commits.sh OLD NEW [RUNS] [FEATURE_SETS]
#
# OLD and NEW are commits (anything `git archive` takes). FEATURE_SETS is a space-separated
# list of cargo feature arguments per configuration, `default` meaning the commit's own
# default features (default: "default full"). Each run builds, for every configuration,
# OLD then NEW (alternating, so drifting machine load hits both), each in a fresh
# CARGO_TARGET_DIR, `--offline` after a `cargo fetch`. Prints every run's wall and CPU
# seconds (user + sys of cargo and the compilers it waited for) and, per configuration,
# the medians and the NEW/OLD ratio. Sources and target dirs live in a temporary directory.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,13p' "$0" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
old=$1
new=$2
runs=${3:-3}
read -r -a configs <<<"${4:-default full}"
scratch=$(mktemp -d -t polar-build-commits.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if ! /usr/bin/time -f '%U' true >/dev/null 2>&1; then
    echo "error: GNU time (/usr/bin/time) is needed; install it with: sudo apt-get install time" >&2
    exit 2
fi

for side in old new; do
    commit=${!side}
    mkdir -p "$scratch/$side"
    git -C "$root" archive "$commit" | tar -x -C "$scratch/$side"
    (cd "$scratch/$side" && cargo fetch --quiet)
done

declare -A wall cpu
for run in $(seq 1 "$runs"); do
    for config in "${configs[@]}"; do
        args=()
        [[ $config != default ]] && args=(--features "$config")
        for side in old new; do
            target="$scratch/target-$side"
            rm -rf "$target"
            log="$scratch/time.txt"
            (cd "$scratch/$side" && CARGO_TARGET_DIR=$target /usr/bin/time -o "$log" -f '%e %U %S' \
                cargo build --quiet --offline -p polar-generated "${args[@]}")
            read -r e u s <"$log"
            c=$(python3 -c "print(round($u + $s, 1))")
            wall[$config.$side]+="$e "
            cpu[$config.$side]+="$c "
            printf 'run %d  %-8s %-4s wall %6.1f s  cpu %6.1f s\n' "$run" "$config" "$side" "$e" "$c"
        done
    done
done
rm -rf "$scratch"/target-*

median() { python3 -c "import statistics,sys; print(round(statistics.median(map(float, sys.argv[1:])), 1))" "$@"; }
printf '\n| features | %s wall | %s wall | ratio | %s CPU | %s CPU | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n' \
    "$old" "$new" "$old" "$new"
for config in "${configs[@]}"; do
    # shellcheck disable=SC2086
    ow=$(median ${wall[$config.old]}); nw=$(median ${wall[$config.new]})
    # shellcheck disable=SC2086
    oc=$(median ${cpu[$config.old]}); nc=$(median ${cpu[$config.new]})
    printf '| %s | %s s | %s s | %s× | %s s | %s s | %s× |\n' "$config" "$ow" "$nw" \
        "$(python3 -c "print(round($nw / $ow, 2))")" "$oc" "$nc" "$(python3 -c "print(round($nc / $oc, 2))")"
done
echo "(medians of $runs alternating runs; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
