#!/usr/bin/env bash
# The benchmark (issue 8): vraagbaak against the websocketpp, naive Beast and Node ws peers, on
# this machine, in one run. Builds the bench preset (Release with the tools), then runs tests/bench/run.cjs.
#   bash tests/bench/run.sh            full run (3 repetitions, 5 s per point; ~18 min)
#   bash tests/bench/run.sh --quick    one repetition, 2 s per point (--reps 3: ~10 min)
# Output: a table on stdout, build/bench/bench/bench.json and bench.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash deploy/install-deps.sh
# The websocketpp peer's own package (not needed by the server or its tests; liburing-dev, for
# the server and the floor, comes with install-deps.sh).
for package in libwebsocketpp-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || {
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "$package"
  }
done
cmake --preset bench > /dev/null
cmake --build build/bench -j"$(nproc)" --target vraagbaak-server vraagbaak-loadgen vraagbaak-bench-seed \
  beast-broadcast wspp-broadcast floor-broadcast loopback-ceiling
ulimit -n 20000
exec node tests/bench/run.cjs --build build/bench "$@"
