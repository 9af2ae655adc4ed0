#!/usr/bin/env bash
# The sanitizer runs CI adds to the test command: the whole suite under AddressSanitizer +
# UndefinedBehaviorSanitizer, and the end-to-end tests (the real server, its transport threads
# and real clients) under ThreadSanitizer. Each build is separate (build/asan, build/tsan).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh asan
ctest --preset asan
bash deploy/build.sh tsan
ctest --preset tsan -L e2e
