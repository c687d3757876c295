#!/usr/bin/env python3
"""Checks a Lethe audit export (GET /api/v1/audit/export, JSON Lines) offline.

Usage: python3 verify-audit-export.py export.jsonl
Prints "intact: N records" and exits 0, or names the first broken record and exits 1.
"""
import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(record):
    # keys sorted, no white space, every key present, non-ASCII kept as UTF-8
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main(path):
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
            previous, expected = entry["hash"], expected + 1
    print(f"intact: {expected - 1} records, last hash {previous}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
