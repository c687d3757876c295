#!/usr/bin/env bash
# Applies each mutation of docs/mutations/ to the engine in turn, runs the stateful invariant test
# (InvariantStatefulTest) against it, and reports which seeds caught it and with what. A mutation the
# test does not catch makes the script exit 1. Needs a clean work tree; reverts every patch it applied.
#   scripts/mutations.sh [seeds]        (default 10, as in ./mvnw verify)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-10}"
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
  if ./mvnw -q -B test -Dtest=InvariantStatefulTest -Dlethe.invariant.seeds="$seeds" > "target/mutation-$name.log" 2>&1; then
    echo "$name: SURVIVED (no seed of $seeds caught it)"
    survivors=$((survivors + 1))
  else
    report=target/surefire-reports/TEST-io.lethe.operation.InvariantStatefulTest.xml
    caught=$(grep -o 'testcase name="seed [0-9]*"[^>]*>[[:space:]]*<failure' "$report" | grep -o 'seed [0-9]*' | tr '\n' ' ' || true)
    first=$(grep -o -m1 '\(retired device\|device [0-9]* line [0-9a-f]* reads [^&]*\|operation [0-9a-f-]* was served[^&]*\|operation [0-9a-f-]* failed by the barrier\)' "$report" | head -1 || true)
    echo "$name: caught by ${caught:-?}— first: ${first:-see target/mutation-$name.log}"
  fi
  git apply -R "$patch"
  trap - EXIT
done
exit $((survivors > 0))
