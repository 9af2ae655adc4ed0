#!/usr/bin/env bash
# Quick start: install, build, and run the whole test suite (unit + end-to-end).
# Extra arguments go to ctest, e.g. `bash deploy/test.sh -L unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh default
ctest --preset default "$@"
