"""Write the webhook signature test vectors used by polar-generated/tests/webhook_vectors.rs.

Usage: generate.py OUTPUT.json   (run.sh sets up the pinned venv and calls this)

Signatures with the Standard Webhooks key derivation (base64-decoded `whsec_` key) are
made by the reference implementation `standardwebhooks` (version pinned in
requirements.txt). Signatures with Polar's older derivation (HMAC key = the raw UTF-8
bytes of the whole secret string) are made with Python's `hmac`, as the reference library
does not support it. Each case also records what the reference library's own `verify`
says about it (`reference_verify`), which shows where this crate deliberately differs
(it also accepts raw-key signatures and skips malformed signature entries).

Everything is deterministic: fixed secrets, ids, timestamps and a fixed `now`.
"""

import base64
import hashlib
import hmac
import json
import sys
from datetime import datetime, timezone

import standardwebhooks
from standardwebhooks import webhooks as reference

NOW = 1_800_000_000  # 2027-01-15T08:00:00Z; the time every case is verified at.
TOLERANCE = 300


class _FrozenDatetime(datetime):
    """`datetime` whose `now()` is NOW, so the reference `verify` is deterministic."""

    @classmethod
    def now(cls, tz=None):
        return datetime.fromtimestamp(NOW, tz=tz or timezone.utc)


reference.datetime = _FrozenDatetime


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# A Standard Webhooks secret: `whsec_` + base64 of 24 key bytes.
KEY_BYTES = hashlib.sha256(b"polar-rust-sdk webhook vectors").digest()[:24]
WHSEC = "whsec_" + _b64(KEY_BYTES)
# Same form, 32 key bytes, written without its `=` padding.
WHSEC_UNPADDED = "whsec_" + _b64(hashlib.sha256(b"unpadded").digest()).rstrip("=")
# An older Polar secret of the other prefix (raw-bytes derivation only).
POLAR_WHS = "polar_whs_" + hashlib.sha256(b"polar_whs").hexdigest()[:40]
# An older `whsec_` secret whose remainder is not base64 (raw-bytes derivation only).
WHSEC_NOT_B64 = "whsec_" + "k3y-with_url-safe-chars*and!symbols"
# Some other endpoint's secret.
OTHER = "whsec_" + _b64(hashlib.sha256(b"another endpoint").digest())

MSG_ID = "msg_2Lq8TVgaxJ9Qm0vAEiMX1yEoZcT"
TS = NOW - 42
BODY = (
    '{"type":"order.paid","timestamp":"2027-01-15T07:59:18.000000Z",'
    '"data":{"id":"8f7b0a3e-5f2c-4a55-9a51-0d7a1c2b3e4f","status":"paid",'
    '"paid":true,"total_amount":9720,"currency":"usd"}}'
)
BODY_NON_ASCII = (
    '{"type":"order.paid","data":{"description":"Pro Plan – Jürgen’s “team” 🚀"}}'
)


def ref_sign(secret: str, msg_id: str, ts: int, body: str) -> str:
    """Signature by the reference library (Standard Webhooks derivation)."""
    when = datetime.fromtimestamp(ts, tz=timezone.utc)
    return standardwebhooks.Webhook(secret).sign(msg_id, when, body)


def hmac_sign(key: bytes, msg_id: str, ts: int, body: str) -> str:
    mac = hmac.new(key, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + _b64(mac)


def raw_sign(secret: str, msg_id: str, ts: int, body: str) -> str:
    """Polar's older scheme: HMAC key = raw UTF-8 bytes of the whole secret string."""
    return hmac_sign(secret.encode(), msg_id, ts, body)


def headers(msg_id=MSG_ID, ts=TS, signature=None, **overrides):
    result = {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": signature}
    result.update(overrides)
    return {k: v for k, v in result.items() if v is not None}


def reference_verify(secret: str, body: str, hdrs: dict) -> str:
    try:
        wh = standardwebhooks.Webhook(secret)
    except Exception as err:  # e.g. a secret the reference cannot decode
        return f"{type(err).__name__}: {err}"
    try:
        wh.verify(body.encode(), dict(hdrs), json_parse=False)
        return "ok"
    except Exception as err:
        return f"{type(err).__name__}: {err}"


def build_cases():
    good = ref_sign(WHSEC, MSG_ID, TS, BODY)
    good_raw = raw_sign(WHSEC, MSG_ID, TS, BODY)
    cases = []

    def case(name, description, expected, secret=WHSEC, body=BODY, hdrs=None, header=None, sign_check=None):
        entry = {
            "name": name,
            "description": description,
            "secret": secret,
            "body": body,
            "headers": hdrs,
            "expected": expected,
        }
        if header:
            entry["header"] = header
        if sign_check:
            entry["sign_check"] = sign_check
        entry["reference_verify"] = reference_verify(secret, body, hdrs)
        cases.append(entry)

    # --- valid ---------------------------------------------------------------------------
    case("valid_decoded_key", "whsec_ secret, signed by the reference library (base64-decoded key)",
         "valid", hdrs=headers(signature=good), sign_check="base64_decoded")
    case("valid_raw_key_whsec", "the same whsec_ secret, signed with its raw UTF-8 bytes as key (Polar's older scheme)",
         "valid", hdrs=headers(signature=good_raw), sign_check="raw_bytes")
    case("valid_raw_key_polar_whs", "polar_whs_ secret, signed with its raw UTF-8 bytes as key",
         "valid", secret=POLAR_WHS, hdrs=headers(signature=raw_sign(POLAR_WHS, MSG_ID, TS, BODY)), sign_check="raw_bytes")
    case("valid_raw_key_whsec_not_base64", "whsec_ secret whose remainder is not base64: only the raw key exists",
         "valid", secret=WHSEC_NOT_B64, hdrs=headers(signature=raw_sign(WHSEC_NOT_B64, MSG_ID, TS, BODY)), sign_check="raw_bytes")
    case("valid_unpadded_secret", "whsec_ secret written without base64 padding, reference-signed",
         "valid", secret=WHSEC_UNPADDED, hdrs=headers(signature=ref_sign(WHSEC_UNPADDED, MSG_ID, TS, BODY)), sign_check="base64_decoded")
    case("valid_mixed_case_header_names", "header names in mixed case",
         "valid", hdrs={"Webhook-Id": MSG_ID, "WEBHOOK-TIMESTAMP": str(TS), "Webhook-Signature": good})
    case("valid_multiple_entries_one_valid", "several v1 entries (e.g. during secret rotation), only the last valid",
         "valid", hdrs=headers(signature=f"{ref_sign(OTHER, MSG_ID, TS, BODY)} {raw_sign(OTHER, MSG_ID, TS, BODY)} {good}"))
    case("valid_other_schemes_ignored", "entries of other schemes are ignored",
         "valid", hdrs=headers(signature=f"v1a,{good[3:]} v2,{good[3:]} {good}"))
    case("valid_timestamp_at_old_edge", "timestamp exactly the tolerance before now",
         "valid", hdrs=headers(ts=NOW - TOLERANCE, signature=ref_sign(WHSEC, MSG_ID, NOW - TOLERANCE, BODY)))
    case("valid_timestamp_at_new_edge", "timestamp exactly the tolerance after now",
         "valid", hdrs=headers(ts=NOW + TOLERANCE, signature=ref_sign(WHSEC, MSG_ID, NOW + TOLERANCE, BODY)))
    case("valid_non_ascii_body", "body with non-ASCII UTF-8, signed over its bytes",
         "valid", body=BODY_NON_ASCII, hdrs=headers(signature=ref_sign(WHSEC, MSG_ID, TS, BODY_NON_ASCII)), sign_check="base64_decoded")
    case("valid_after_malformed_entry", "a malformed entry (no comma) before a valid one is skipped (the reference library raises instead)",
         "valid", hdrs=headers(signature=f"v1 {good}"))

    # --- signature mismatches ----------------------------------------------------------------
    nm = "no_matching_signature"
    case("tampered_body", "body changed after signing", nm,
         body=BODY.replace("9720", "9721"), hdrs=headers(signature=good))
    case("tampered_id", "webhook-id changed after signing", nm, hdrs=headers(msg_id=MSG_ID + "x", signature=good))
    case("tampered_timestamp", "webhook-timestamp changed after signing", nm, hdrs=headers(ts=TS + 1, signature=good))
    case("wrong_secret", "signed with another endpoint's secret", nm, secret=OTHER, hdrs=headers(signature=good))
    case("multiple_entries_none_valid", "several entries, none valid", nm,
         hdrs=headers(signature=f"{ref_sign(OTHER, MSG_ID, TS, BODY)} {raw_sign(OTHER, MSG_ID, TS, BODY)}"))
    case("only_other_scheme", "the right tag, but under a scheme other than v1", nm, hdrs=headers(signature=f"v2,{good[3:]}"))
    case("malformed_entry_no_comma", "an entry without a comma", nm, hdrs=headers(signature="v1"))
    case("malformed_entry_not_base64", "an entry whose signature is not base64", nm, hdrs=headers(signature="v1,not*base64!"))
    case("malformed_entry_truncated", "the right tag with its last characters cut", nm, hdrs=headers(signature=good[:-8]))
    case("malformed_entry_empty_scheme", "the right tag with no scheme", nm, hdrs=headers(signature=good[2:]))
    case("malformed_entry_uppercase_scheme", "scheme names are case-sensitive", nm, hdrs=headers(signature="V" + good[1:]))

    # --- wrong key derivations (must not verify) ---------------------------------------------
    case("wrong_derivation_polar_whs_base64_decoded",
         "polar_whs_ secret signed by the reference library, which base64-decodes it leniently; Polar never does", nm,
         secret=POLAR_WHS, hdrs=headers(signature=ref_sign(POLAR_WHS, MSG_ID, TS, BODY)))
    case("wrong_derivation_whsec_remainder_raw",
         "whsec_ secret with the HMAC key = the part after the prefix as raw bytes", nm,
         hdrs=headers(signature=hmac_sign(WHSEC[len("whsec_"):].encode(), MSG_ID, TS, BODY)))

    # --- headers -------------------------------------------------------------------------
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"]:
        hdrs = headers(signature=good)
        del hdrs[name]
        case(f"missing_{name.replace('-', '_')}", f"no {name} header", "missing_header", hdrs=hdrs, header=name)
    case("empty_webhook_id", "an empty webhook-id counts as missing", "missing_header",
         hdrs=headers(msg_id="", signature=good), header="webhook-id")
    case("empty_webhook_signature", "an empty webhook-signature counts as missing", "missing_header",
         hdrs=headers(signature=""), header="webhook-signature")
    case("non_numeric_timestamp", "webhook-timestamp is not a number", "invalid_header",
         hdrs=headers(ts="yesterday", signature=good), header="webhook-timestamp")
    case("fractional_timestamp", "webhook-timestamp with a fraction (the reference library accepts it; Standard Webhooks sends whole seconds)",
         "invalid_header", hdrs=headers(ts=f"{TS}.0", signature=good), header="webhook-timestamp")
    case("negative_timestamp", "a negative webhook-timestamp", "invalid_header",
         hdrs=headers(ts=-TS, signature=good), header="webhook-timestamp")

    # --- timestamps ----------------------------------------------------------------------
    old = NOW - TOLERANCE - 1
    case("timestamp_too_old", "signed one second more than the tolerance before now", "timestamp_too_old",
         hdrs=headers(ts=old, signature=ref_sign(WHSEC, MSG_ID, old, BODY)))
    new = NOW + TOLERANCE + 1
    case("timestamp_too_new", "signed one second more than the tolerance after now", "timestamp_too_new",
         hdrs=headers(ts=new, signature=ref_sign(WHSEC, MSG_ID, new, BODY)))
    case("timestamp_a_day_old", "a replay of a day-old delivery", "timestamp_too_old",
         hdrs=headers(ts=NOW - 86_400, signature=ref_sign(WHSEC, MSG_ID, NOW - 86_400, BODY)))

    return cases


def main():
    out = sys.argv[1]
    cases = build_cases()
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    # Where the reference library accepts what Polar (and this crate) must reject.
    known_differences = {"fractional_timestamp", "wrong_derivation_polar_whs_base64_decoded"}
    for c in cases:
        ref_ok = c["reference_verify"] == "ok"
        if c["expected"] == "valid" and c.get("sign_check") == "base64_decoded":
            assert ref_ok, c["name"]
        if c["expected"] != "valid":
            assert not ref_ok or c["name"] in known_differences, c["name"]
    document = {
        "comment": "Generated by scripts/webhook-vectors/run.sh (generate.py); do not edit by hand.",
        "reference": f"standardwebhooks=={standardwebhooks_version()} (PyPI), raw-key signatures with Python hmac",
        "now": NOW,
        "tolerance_seconds": TOLERANCE,
        "cases": cases,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {out}")


def standardwebhooks_version() -> str:
    from importlib.metadata import version

    return version("standardwebhooks")


if __name__ == "__main__":
    main()
