#!/usr/bin/env bash
# Runs every test of custlake. It first installs what the tests need beyond the Rust toolchain
# (each step is skipped when what it installs is already there):
# - the psql client (Debian package postgresql-client), driven against a running server;
# - moto (PyPI), a local S3 server for the object-store tests, in a virtual environment
#   under target/ so nothing is installed into the system's Python;
# - the drivers of the client conformance suite (tests/it/clients.rs): pgjdbc and a JDK
#   (Debian packages libpostgresql-jdbc-java, default-jdk-headless), psycopg 3, asyncpg,
#   SQLAlchemy and pandas (PyPI, tests/clients/python/requirements.txt, in a second virtual
#   environment under target/), node-postgres (npm, `npm ci` from
#   tests/clients/node/package-lock.json into tests/clients/node/node_modules);
# - a PostgreSQL server (Debian package postgresql) for the differential test.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
apt_updated=""
apt_install() {
    if [ -z "$apt_updated" ]; then
        $sudo_cmd apt-get update -qq
        apt_updated=1
    fi
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v psql >/dev/null 2>&1; then
    echo "tests/run.sh: installing the PostgreSQL client (psql) from Debian packages" >&2
    apt_install postgresql-client
fi

# A PostgreSQL server for the differential test (tests/it/pgdiff), which makes its own
# cluster; the package's default cluster is not wanted.
pg_bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$pg_bindir" ] || [ ! -x "$pg_bindir/initdb" ] || ! id postgres >/dev/null 2>&1; then
    echo "tests/run.sh: installing the PostgreSQL server from Debian packages" >&2
    $sudo_cmd mkdir -p /etc/postgresql-common
    if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
        echo "create_main_cluster = false" | $sudo_cmd tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    apt_install postgresql
    pg_bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi
export CUSTLAKE_PG_BINDIR="$pg_bindir"

pgjdbc_jar=/usr/share/java/postgresql.jar
if [ ! -f "$pgjdbc_jar" ] || ! command -v javac >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    echo "tests/run.sh: installing pgjdbc and a JDK from Debian packages" >&2
    apt_install libpostgresql-jdbc-java default-jdk-headless
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "tests/run.sh: installing Node.js and npm from Debian packages" >&2
    apt_install nodejs npm
fi

target_dir="${CARGO_TARGET_DIR:-target}"
venv="$target_dir/test-venv"
if [ ! -x "$venv/bin/moto_server" ]; then
    echo "tests/run.sh: installing moto (local S3) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.*'
fi
export CUSTLAKE_MOTO_SERVER="$(cd "$venv/bin" && pwd)/moto_server"

# The Python drivers, reinstalled when requirements.txt changes.
clients_venv="$target_dir/clients-venv"
requirements=tests/clients/python/requirements.txt
if ! cmp -s "$requirements" "$clients_venv/requirements.txt"; then
    echo "tests/run.sh: installing the Python clients (psycopg, asyncpg, SQLAlchemy, pandas) into $clients_venv" >&2
    python3 -m venv "$clients_venv"
    "$clients_venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$clients_venv/requirements.txt"
fi
export CUSTLAKE_CLIENTS_PYTHON="$(cd "$clients_venv/bin" && pwd)/python"

# node-postgres, reinstalled when package-lock.json changes.
node_dir=tests/clients/node
if ! cmp -s "$node_dir/package-lock.json" "$node_dir/node_modules/.custlake-package-lock.json"; then
    echo "tests/run.sh: installing node-postgres (npm ci) into $node_dir/node_modules" >&2
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$node_dir/package-lock.json" "$node_dir/node_modules/.custlake-package-lock.json"
fi
export CUSTLAKE_CLIENTS_NODE="$(command -v node)"

# pgjdbc and the JDK whose javac compiles the Java client at test time.
export CUSTLAKE_PGJDBC_JAR="$pgjdbc_jar"
export CUSTLAKE_CLIENTS_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"

# cargo prints one "test result" line per test target (some empty); end with the total.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
