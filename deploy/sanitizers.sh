#!/usr/bin/env bash
# The sanitizer runs CI adds to the test command: the whole suite under AddressSanitizer +
# UndefinedBehaviorSanitizer, then its end-to-end tests once more with every server on one CPU
# (where the core runs on the network thread), and the end-to-end tests (the real server, its
# transport threads and real clients) under ThreadSanitizer. Each build is separate (build/asan,
# build/tsan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh asan
ctest --preset asan
VRAAGBAAK_TEST_SERVER_CPU=0 ctest --preset asan -L e2e
bash deploy/build.sh tsan
ctest --preset tsan -L e2e
