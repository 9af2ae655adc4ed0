#!/usr/bin/env bash
# Quick start: install, build, and run the server in try-out mode on 127.0.0.1:8080 with its
# SQLite database in ./data. On an empty database the try-out mode seeds organisations, rooms
# and two accounts and prints their passwords. Stop with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
bash deploy/build.sh default --target vraagbaak-server vraagbaak
mkdir -p data
exec build/default/server/vraagbaak-server --tryout --listen "${VRAAGBAAK_LISTEN:-127.0.0.1:8080}" --db data/vraagbaak.db
