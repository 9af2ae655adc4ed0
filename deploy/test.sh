#!/usr/bin/env bash
# Quick start: install, build, and run the whole test suite (unit + end-to-end).
# Extra arguments go to ctest, e.g. `bash deploy/test.sh -L unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh default
ctest --preset default "$@"
# A short fuzzing run of the decoder and the dispatcher (deploy/fuzz.sh SECONDS for a longer one).
if [ "$#" -eq 0 ]; then bash deploy/fuzz.sh 30; fi
