#!/usr/bin/env bash
# Applies each mutation of docs/mutations/ to the engine in turn, runs the stateful invariant test
# (InvariantStatefulTest) against it, and reports which seeds caught it and with what. A mutation the
# test does not catch makes the script exit 1. Needs a clean work tree under src/; reverts every
# patch it applied.
#   scripts/mutations.sh [seeds]        (default 20, as in ./mvnw verify)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-20}"
if [ -n "$(git status --porcelain -- src)" ]; then
  echo "the work tree under src/ has changes: commit or stash them first" >&2
  exit 2
fi
mkdir -p target
survivors=0
for patch in docs/mutations/*.patch; do
  name=$(basename "$patch" .patch)
  git apply "$patch"
  trap 'git apply -R "$patch"' EXIT
  # A report left by the previous mutation must not be read as this one's.
  rm -f target/surefire-reports/TEST-io.lethe.steps.InvariantStatefulTest.xml
  if ./mvnw -q -B test -Dspotless.check.skip=true -Dtest=InvariantStatefulTest -Dlethe.invariant.seeds="$seeds" > "target/mutation-$name.log" 2>&1; then
    echo "$name: SURVIVED (no seed of $seeds caught it)"
    survivors=$((survivors + 1))
  elif [ ! -f target/surefire-reports/TEST-io.lethe.steps.InvariantStatefulTest.xml ]; then
    # It did not compile (or the test never ran): that proves nothing; rebase the patch.
    echo "$name: DID NOT RUN (see target/mutation-$name.log)"
    survivors=$((survivors + 1))
  else
    python3 - "$name" target/surefire-reports/TEST-io.lethe.steps.InvariantStatefulTest.xml <<'PY'
import re, sys, xml.etree.ElementTree as ET
name, report = sys.argv[1], sys.argv[2]
caught, first = [], None
for case in ET.parse(report).getroot().iter('testcase'):
    failure = case.find('failure')
    if failure is None:
        failure = case.find('error')
    if failure is not None:
        caught.append(re.sub(r'.*\[(\d+)\]$', r'seed \1', case.get('name')))
        if first is None:
            text = (failure.get('message') or '') + (failure.text or '')
            match = re.search(r'"((?:device|retired|operation|seed)[^"]*)"', text)
            first = (match.group(1) if match else text.splitlines()[0] if text else '?')[:240]
print(f"{name}: caught by {len(caught)} of the seeds ({', '.join(caught)}); first: {first}")
PY
  fi
  git apply -R "$patch"
  trap - EXIT
done
exit $((survivors > 0))
