#!/usr/bin/env bash
# Runs every test of custlake. It first installs what the tests need beyond the Rust toolchain:
# the psql client, which the integration tests drive against a running server.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v psql >/dev/null 2>&1; then
    echo "tests/run.sh: installing the PostgreSQL client (psql) from Debian packages" >&2
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql-client >/dev/null
fi

cargo test --workspace --locked "$@"
