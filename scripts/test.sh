#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
#
# The spec: $POLAR_OPENAPI_SPEC, else ../shared/polar-openapi/2026-10.openapi.json beside
# the project, else the pinned spec cached in spec/cache/openapi.json, downloaded first
# (`cargo xtask fetch-spec`, sha256-checked against spec/openapi.lock) when missing.
# Other spec versions come from $POLAR_OPENAPI_DIR or ../shared/polar-openapi; tests
# that need one that is missing print "SKIPPED: ..." with the reason.
# Needs cargo, and npm for the Prism mock server (installed, pinned, by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [[ -z "${POLAR_OPENAPI_SPEC:-}" ]]; then
    if [[ -f ../shared/polar-openapi/2026-10.openapi.json ]]; then
        POLAR_OPENAPI_SPEC="$PWD/../shared/polar-openapi/2026-10.openapi.json"
    else
        if [[ ! -f spec/cache/openapi.json ]]; then
            printf '\n==> %s\n' "no local spec: fetching the pinned one (cargo xtask fetch-spec)"
            cargo xtask fetch-spec
        fi
        POLAR_OPENAPI_SPEC="$PWD/spec/cache/openapi.json"
    fi
fi
export POLAR_OPENAPI_SPEC
if [[ ! -f "$POLAR_OPENAPI_SPEC" ]]; then
    echo "error: no spec at $POLAR_OPENAPI_SPEC (unset POLAR_OPENAPI_SPEC to use the pinned one)" >&2
    exit 1
fi
echo "testing against spec: $POLAR_OPENAPI_SPEC (sha256 $(sha256sum "$POLAR_OPENAPI_SPEC" | cut -c1-16)…)"
other_specs="${POLAR_OPENAPI_DIR:-$PWD/../shared/polar-openapi}"
for other in 2026-04.openapi.json history/2026-07-21.openapi.json; do
    if [[ -f "$other_specs/$other" ]]; then
        echo "other spec version: $other_specs/$other"
    else
        if [[ -n "${CI:-}" && "${CI:-}" != "false" && "${CI:-}" != "0" ]] || [[ -n "${POLAR_REQUIRE_SPECS:-}" && "${POLAR_REQUIRE_SPECS:-}" != "0" && "${POLAR_REQUIRE_SPECS:-}" != "false" ]]; then
            echo "other spec version $other: not found in $other_specs; CI/POLAR_REQUIRE_SPECS is set, so the tests that need it FAIL (set POLAR_OPENAPI_DIR)"
        else
            echo "other spec version $other: not found in $other_specs; the tests that need it are SKIPPED (set POLAR_OPENAPI_DIR; under CI=true or POLAR_REQUIRE_SPECS=1 they fail)"
        fi
    fi
done

step() { printf '\n==> %s\n' "$*"; }

step "generated crate is up to date (cargo xtask regenerate --check)"
cargo xtask regenerate --check --spec "$POLAR_OPENAPI_SPEC"

step "formatting"
cargo fmt --all --check

step "clippy, no warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rustdoc, no warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked -p polar-generated -p polar-codegen

if [[ -x scripts/check-features.sh ]]; then
    step "every documented feature combination compiles"
    scripts/check-features.sh
fi

step "tests (unit, snapshot, integration, conformance)"
cargo test --workspace --locked -- --show-output

step "the optional tracing feature's spans and events"
cargo test -p polar-generated --locked --features tracing --test tracing_spans

step "the optional axum feature's webhook extractors, over loopback"
cargo test -p polar-generated --locked --features axum --test webhooks_axum
