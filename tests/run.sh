#!/usr/bin/env bash
# Runs every test of custlake. It first installs what the tests need beyond the Rust toolchain:
# - the psql client (Debian package postgresql-client), driven against a running server;
# - moto (PyPI), a local S3 server for the object-store tests, in a virtual environment
#   under target/ so nothing is installed into the system's Python.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v psql >/dev/null 2>&1; then
    echo "tests/run.sh: installing the PostgreSQL client (psql) from Debian packages" >&2
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql-client >/dev/null
fi

target_dir="${CARGO_TARGET_DIR:-target}"
venv="$target_dir/test-venv"
if [ ! -x "$venv/bin/moto_server" ]; then
    echo "tests/run.sh: installing moto (local S3) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.*'
fi
export CUSTLAKE_MOTO_SERVER="$(cd "$venv/bin" && pwd)/moto_server"

# cargo prints one "test result" line per test target (some empty); end with the total.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
