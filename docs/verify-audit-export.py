#!/usr/bin/env python3
"""Checks a Lethe audit export (GET /api/v1/audit/export, JSON Lines) offline.

Usage:
  python3 verify-audit-export.py export.jsonl
  python3 verify-audit-export.py export.jsonl --checkpoints checkpoints.json --keys signing-key.json

With --checkpoints (the JSON of GET /api/v1/audit/checkpoints, or the "jws=" values of the
"audit checkpoint" log lines, one per line) and --keys (the JSON of GET /api/v1/certificates/signing-key),
every checkpoint's signature is checked with openssl (3.0 or later) against the key its kid names, and
the export must pass through every checkpoint: the record at the checkpoint's sequence number must
have the hash the checkpoint signed, and the export must not end before it.
Prints "intact: N records" and exits 0, or names the first break and exits 1.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

GENESIS = "0" * 64


def canonical(record):
    # keys sorted, no white space, every key present, non-ASCII kept as UTF-8
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def b64url(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def signature_holds(jws, pem):
    """Ed25519 over the JWS signing input, checked by openssl pkeyutl (no Python package needed)."""
    header, payload, signature = jws.split(".")
    with tempfile.TemporaryDirectory() as scratch:
        paths = {name: os.path.join(scratch, name) for name in ("key.pem", "input", "sig")}
        with open(paths["key.pem"], "w", encoding="ascii") as f:
            f.write(pem)
        with open(paths["input"], "wb") as f:
            f.write((header + "." + payload).encode("ascii"))
        with open(paths["sig"], "wb") as f:
            f.write(b64url(signature))
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                                 "-in", paths["input"], "-sigfile", paths["sig"]], capture_output=True, text=True)
        return result.returncode == 0 and "Signature Verified Successfully" in result.stdout


def load_checkpoints(path, keys_path):
    with open(keys_path, encoding="utf-8") as f:
        keys = {k["kid"]: k["pem"] for k in json.load(f)["keys"]}
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        tokens = [c["jws"] for c in json.loads(text)["items"]]
    except ValueError:
        tokens = [line.split("jws=")[-1].strip() for line in text.splitlines() if line.strip()]
    checkpoints = {}
    for jws in tokens:
        header = json.loads(b64url(jws.split(".")[0]))
        payload = json.loads(b64url(jws.split(".")[1]))
        if header.get("alg") != "EdDSA" or header.get("kid") not in keys or not signature_holds(jws, keys[header["kid"]]):
            return None, f"checkpoint {payload.get('seq')} does not verify with a published key"
        checkpoints[payload["seq"]] = payload["hash"]
    return checkpoints, None


def main(path, checkpoints_path=None, keys_path=None):
    checkpoints = {}
    if checkpoints_path:
        checkpoints, problem = load_checkpoints(checkpoints_path, keys_path)
        if problem:
            print(f"broken: {problem}")
            return 1
    previous, expected = GENESIS, 1
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry["seq"] != expected:
                print(f"broken at {expected}: missing (next is {entry['seq']})")
                return 1
            digest = hashlib.sha256((entry["prevHash"] + "\n" + canonical(entry["record"])).encode("utf-8")).hexdigest()
            if digest != entry["hash"]:
                print(f"broken at {entry['seq']}: changed")
                return 1
            if entry["prevHash"] != previous:
                print(f"broken at {entry['seq']}: reordered")
                return 1
            if entry["seq"] in checkpoints and checkpoints[entry["seq"]] != entry["hash"]:
                print(f"broken at {entry['seq']}: rewritten (the signed checkpoint says another hash)")
                return 1
            previous, expected = entry["hash"], expected + 1
    if checkpoints and max(checkpoints) > expected - 1:
        print(f"broken at {expected}: missing (a signed checkpoint names record {max(checkpoints)})")
        return 1
    print(f"intact: {expected - 1} records, last hash {previous}"
          + (f", {len(checkpoints)} signed checkpoints passed" if checkpoints else ""))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    options = dict(zip(args[1::2], args[2::2]))
    if not args or (("--checkpoints" in options) != ("--keys" in options)):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(args[0], options.get("--checkpoints"), options.get("--keys")))
