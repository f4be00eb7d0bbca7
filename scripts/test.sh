#!/usr/bin/env bash
# Runs every test file under test/ with node:test through tsx. Files are named explicitly:
# Node 20 does not expand quoted globs, and a run of zero tests must fail, not pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(find test -name '*.test.ts' -type f | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "test: no test files found under test/" >&2
  exit 1
fi
exec node --import tsx --test --test-reporter=spec "$@" "${files[@]}"
