#!/usr/bin/env bash
# Regenerate polar-generated/tests/fixtures/webhook_signature_vectors.json with the pinned
# Standard Webhooks reference implementation, in a venv under target/ (not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/webhook-vectors/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
"$venv/bin/python" "$here/generate.py" "$root/polar-generated/tests/fixtures/webhook_signature_vectors.json"
