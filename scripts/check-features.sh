#!/usr/bin/env bash
# Every feature combination we document compiles, without warnings, and the
# webhooks-only build stays free of the HTTP stack.
#
#   scripts/check-features.sh            # every feature alone, none, checkouts+webhooks
#   FEATURE_SETS="webhooks checkouts,webhooks" scripts/check-features.sh   # a chosen list
#
# For each set: `cargo clippy -p polar-generated --no-default-features --features <set>
# -- -D warnings` (clippy runs the compiler's checks plus lints; warnings are errors).
# The feature list is read from polar-generated/Cargo.toml with `cargo metadata`, so a new
# group in the spec is checked without editing this script. `default` (checked as
# `api,webhooks`), `api`, `full` (the workspace build checks it) and the internal
# `__client` are skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
crate=polar-generated
failures=()
timings=()

say() { printf '%s\n' "$*" >&2; }

if [[ -n "${FEATURE_SETS:-}" ]]; then
    read -r -a sets <<<"$FEATURE_SETS"
else
    mapfile -t features < <(
        cargo metadata --no-deps --format-version 1 --offline 2>/dev/null \
            | jq -r --arg c "$crate" '.packages[] | select(.name == $c) | .features | keys[]' \
            | grep -vxE 'default|full|api|__client'
    )
    if [[ ${#features[@]} -eq 0 ]]; then
        say "error: no features found for $crate (is jq installed?)"
        exit 2
    fi
    # "" is --no-default-features alone.
    sets=("" "${features[@]}" "checkouts,webhooks" "api,webhooks")
fi

# 1. The dependency-tree checks (seconds; run first so they fail fast).
forbidden='^(reqwest|tokio|hyper|hyper-util|hyper-rustls|rustls|tokio-rustls|ring|aws-lc-rs|aws-lc-sys|openssl|openssl-sys|native-tls|h2) '
tree_of() { cargo tree -p "$crate" -e normal --target all --prefix none "$@" | sort -u; }
say "== cargo tree: webhooks-only has no HTTP client, TLS or async runtime"
if bad=$(tree_of --no-default-features --features webhooks | grep -E "$forbidden"); then
    say "error: the webhooks-only build depends on:"; say "$bad"
    failures+=("tree:webhooks")
fi
say "== cargo tree: the full build has no aws-lc-sys, OpenSSL or HTTP/2 stack"
if bad=$(tree_of | grep -E '^(aws-lc-rs|aws-lc-sys|openssl-sys|native-tls|h2) '); then
    say "error: the default build depends on:"; say "$bad"
    failures+=("tree:full")
fi

# 2. Each feature set alone, warnings denied.
total_start=$(date +%s)
for set in "${sets[@]}"; do
    label=${set:-"(none)"}
    args=(-p "$crate" --no-default-features)
    [[ -n "$set" ]] && args+=(--features "$set")
    say "== clippy --no-default-features --features $label"
    start=$(date +%s)
    if ! cargo clippy "${args[@]}" --locked --quiet -- -D warnings; then
        failures+=("$label")
    fi
    timings+=("$label $(( $(date +%s) - start ))s")
done
total=$(( $(date +%s) - total_start ))

say ""
say "feature set timings (seconds, includes dependency checks on the first sets):"
printf '  %s\n' "${timings[@]}" >&2
say "checked ${#sets[@]} feature sets in ${total}s (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if [[ ${#failures[@]} -gt 0 ]]; then
    say "FAILED: ${failures[*]}"
    exit 1
fi
say "all feature sets compile without warnings"
