#!/usr/bin/env bash
# Fuzzes the protocol decoder and the request dispatcher with libFuzzer (clang, ASan+UBSan).
# Usage: bash deploy/fuzz.sh [SECONDS-PER-TARGET]   (default 60; CI runs a short one)
# Seeds are every example frame in protocol/PROTOCOL.md; the corpus grows in build/fuzz/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
cmake --preset fuzz > /dev/null
cmake --build build/fuzz --target fuzz_decoder fuzz_hub -j 2 > /dev/null

seeds=build/fuzz/seeds
rm -rf "$seeds" && mkdir -p "$seeds/decoder" "$seeds/hub" build/fuzz/corpus/decoder build/fuzz/corpus/hub
# One file per example frame (requests and server frames) for the decoder; the requests alone,
# and all of them as one conversation, for the dispatcher.
grep -oE '^(→|←) \{.*\}$' protocol/PROTOCOL.md | awk -v dir="$seeds" '
  { frame = substr($0, index($0, "{")); n++
    print frame > (dir "/decoder/" n ".json")
    if ($1 == "→") { print frame > (dir "/hub/" n ".txt"); print frame >> (dir "/hub/all.txt") } }'

for target in decoder hub; do
  log="build/fuzz/fuzz_$target.log"
  if ! "build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=4096 -artifact_prefix=build/fuzz/ \
       "build/fuzz/corpus/$target" "$seeds/$target" > "$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $target: CRASH (see $log and the crash-* file it names)"
    exit 1
  fi
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  echo "fuzz $target: $runs executions in ${seconds} s, 0 crashes, seeds $(ls "$seeds/$target" | wc -l)"
done
