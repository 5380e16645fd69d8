#!/usr/bin/env bash
# Installs the spec-driven mock server (Prism) used by the conformance test, exactly as
# pinned by tests/conformance/package-lock.json, into tests/conformance/node_modules.
#
# The conformance test (tests/tests/conformance.rs) runs this script itself when
# tests/conformance/node_modules/.bin/prism is missing. Needs node and npm, and access
# to the npm registry.
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/conformance" && pwd)"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "install-prism: '$tool' is not installed; the conformance test needs Node.js and npm" >&2
        exit 1
    fi
done

cd "$dir"
# --ignore-scripts: nothing in Prism's tree needs an install script.
# Prism 5.16 declares node >= 24 but runs on the Node 20 of our machines (measured);
# npm only warns about the engine.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
"$dir/node_modules/.bin/prism" --version >/dev/null
echo "install-prism: prism $("$dir/node_modules/.bin/prism" --version) installed in $dir/node_modules"
