#!/usr/bin/env python3
"""Checks a Lethe audit export (GET /api/v1/audit/export, JSON Lines) offline.

Usage:
  python3 verify-audit-export.py export.jsonl
  python3 verify-audit-export.py export.jsonl --checkpoints saved.jsonl --trusted-keys pins.pem [--keys signing-key.json]
  python3 verify-audit-export.py export.jsonl --checkpoints checkpoints.json --keys signing-key.json

--checkpoints: checkpoints saved earlier (`lethe audit checkpoints --save FILE` or a checkpoint sink's
file: one JSON object a line), the JSON of GET /api/v1/audit/checkpoints, or the "jws=" values of the
"audit checkpoint" log lines, one per line.
--trusted-keys: PEM public keys pinned outside Lethe's database ("trust: pinned"). With --keys as well
(the JSON of GET /api/v1/certificates/signing-key), a key is also trusted when its endorsement is signed
by a trusted key (a rotation). With --keys alone every published key is trusted ("trust: unpinned"):
that proves nothing against someone who can write Lethe's database.
Every checkpoint's signature is checked with openssl (3.0 or later), and the export must pass through
every checkpoint: the record at the checkpoint's sequence number must have the hash the checkpoint
signed, and the export must not end before it.
Prints "intact: N records" and exits 0, or names the first break and exits 1.
"""
import base64
import hashlib
import json
import os
import re
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


PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----")


def kid_of(pem):
    """The key id Lethe gives a key: SHA-256 of its DER (SubjectPublicKeyInfo), base64url, 16 chars."""
    der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode("ascii").rstrip("=")[:16]


def signed_payload(jws, typ, keys):
    """The payload when the JWS is EdDSA, of this typ, and verifies with the key its kid names."""
    try:
        header = json.loads(b64url(jws.split(".")[0]))
        payload = json.loads(b64url(jws.split(".")[1]))
    except (ValueError, IndexError):
        return None
    if header.get("alg") != "EdDSA" or header.get("typ") != typ or header.get("kid") not in keys:
        return None
    return payload if signature_holds(jws, keys[header["kid"]]) else None


def trusted_keys(pins_path, keys_path):
    published = []
    if keys_path:
        with open(keys_path, encoding="utf-8") as f:
            published = json.load(f)["keys"]
    if not pins_path:
        return {k["kid"]: k["pem"] for k in published}, "unpinned"
    with open(pins_path, encoding="ascii") as f:
        keys = {kid_of(pem): pem + "\n" for pem in PEM_BLOCK.findall(f.read())}
    grew = True
    while grew:
        grew = False
        for key in published:
            if key["kid"] in keys or not key.get("endorsement"):
                continue
            endorsed = signed_payload(key["endorsement"], "lethe-signing-key+jws", keys)
            if endorsed and endorsed.get("kid") == key["kid"] and \
                    "".join(endorsed.get("pem", "").split()) == "".join(key["pem"].split()):
                keys[key["kid"]] = key["pem"]
                grew = True
    return keys, "pinned"


def load_checkpoints(path, keys):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith('{"items"'):
        tokens = [c["jws"] for c in json.loads(text)["items"]]
    else:
        tokens = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                tokens.append(json.loads(line)["jws"])
            except ValueError:
                tokens.append(line.split("jws=")[-1].strip())
    checkpoints = {}
    for jws in tokens:
        payload = signed_payload(jws, "lethe-audit-checkpoint+jws", keys)
        if payload is None:
            try:
                seq = json.loads(b64url(jws.split(".")[1])).get("seq")
            except (ValueError, IndexError):
                seq = "?"
            return None, f"checkpoint {seq} does not verify with a trusted key"
        checkpoints[payload["seq"]] = payload["hash"]
    return checkpoints, None


def main(path, checkpoints_path=None, keys_path=None, pins_path=None):
    checkpoints, trust = {}, None
    if checkpoints_path:
        keys, trust = trusted_keys(pins_path, keys_path)
        checkpoints, problem = load_checkpoints(checkpoints_path, keys)
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
          + (f", {len(checkpoints)} signed checkpoints passed" if checkpoints else "")
          + (f"; trust: {trust}" if trust else ""))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    options = dict(zip(args[1::2], args[2::2]))
    known = {"--checkpoints", "--keys", "--trusted-keys"}
    if not args or set(options) - known or (("--checkpoints" in options)
                                           != ("--keys" in options or "--trusted-keys" in options)):
        print(__doc__)
        sys.exit(2)
    sys.exit(main(args[0], options.get("--checkpoints"), options.get("--keys"), options.get("--trusted-keys")))
