#!/usr/bin/env bash
# `npm test`: every node:test file under test/ (named explicitly: Node 20 does not expand quoted
# globs, and a run of zero tests must fail), then the fault-injection suite (test/faults/run.ts),
# which ends with "N passed, N failed". Exits non-zero when either fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(find test -name '*.test.ts' -type f | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "test: no test files found under test/" >&2
  exit 1
fi
npm run --silent build || exit 1
# The drift tests compare Debian's Xen 4.17 and 4.20; fetch 4.20 once (no-op when present).
bash scripts/fetch-xen.sh 4.20 || exit 1
node --import tsx --test --test-reporter=spec "$@" "${files[@]}"
unit=$?
node --import tsx test/faults/run.ts
faults=$?
exit $(( unit != 0 || faults != 0 ))
