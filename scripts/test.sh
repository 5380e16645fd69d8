#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this script).
#
# Needs ../shared/polar-openapi beside the project (or POLAR_OPENAPI_SPEC), cargo, and
# npm for the Prism mock server (installed, pinned, by the tests themselves).
set -euo pipefail
cd "$(dirname "$0")/.."

export POLAR_OPENAPI_SPEC="${POLAR_OPENAPI_SPEC:-$PWD/../shared/polar-openapi/2026-10.openapi.json}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [[ ! -f "$POLAR_OPENAPI_SPEC" ]]; then
    echo "error: no spec at $POLAR_OPENAPI_SPEC (set POLAR_OPENAPI_SPEC)" >&2
    exit 1
fi

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
