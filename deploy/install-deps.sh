#!/usr/bin/env bash
# Installs what vraagbaak needs to build and test, from Debian bookworm packages, and nothing
# else. Idempotent: packages already present are left alone, and apt is not touched at all when
# nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libsqlite3-dev nlohmann-json3-dev libsimdjson-dev libsodium-dev libssl-dev
  libspdlog-dev libcli11-dev libreadline-dev liburing-dev
  libgtest-dev libgmock-dev
  clang libclang-rt-14-dev
  sqlite3 curl openssl
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node and npm (for the ws@8 test peer) may come from elsewhere already; only when the commands
# are missing are Debian's packages installed.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present, and node and npm"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
