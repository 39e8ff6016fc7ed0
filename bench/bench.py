"""custlake against its peers, side by side in one run.

Workload groups (--workloads; all by default):

- aggregates: per-customer sum/count/max over orders, summarised, against DuckDB on the same
  Parquet files; and the bare read of the same columns on both sides (how close the
  aggregation is to the cost of reading its input).
- segments: the saved segmentation views (segments.rfm, segments.lifecycle,
  segments.value_activity), each summarised by segment, against the same computation written
  in DuckDB SQL (bench/duckdb/*.sql).
- wire: custlake against PostgreSQL serving the same tables on this machine: 1M customers and
  10M orders streamed to a client in text and binary format (rows per second), and the
  round-trip latency of `SELECT 1` and of a point lookup by customer_id (p50, p99).
- concurrency: 8, 32 and 64 clients running a mix of segment queries for a fixed time:
  throughput, p99 latency, errors, peak memory.
- scale: the per-customer aggregate and the segment views at 1x, 4x and 16x the customers
  (--scales) against DuckDB, each scale on its own lake: how time grows with the data. Then
  queries whose working set exceeds the memory pool (a server with --spill-pool-mib, DuckDB
  with the same memory_limit) must complete by spilling; custlake's spill metrics are read
  from EXPLAIN ANALYZE.

Every comparison runs its two sides alternately (A B A B ...): one warm-up of each, then --runs
counted runs. Reported: median, min and max per side, the ratio custlake/peer per pair and its
median, whether both sides returned the same result, and peak memory per side. custlake is
always queried over the PostgreSQL protocol against a warm server. Results: a Markdown table,
a JSON file and a chart per workload in bench/results/.

Run by bench/run, which makes the virtual environment, installs PostgreSQL when missing and
builds custlake and its benchmark client in release mode first.
"""

import argparse
import datetime
import decimal
import json
import math
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# custlake SQL and DuckDB SQL per workload compared with DuckDB. {as_of} is the lake's date.
PER_CUSTOMER = (
    "SELECT count(*) AS customers, sum(spend) AS spend, sum(orders) AS orders, "
    "max(last_order) AS last_order FROM (SELECT customer_id, sum(amount) AS spend, "
    "count(*) AS orders, max(order_ts) AS last_order FROM orders GROUP BY customer_id) AS per_customer"
)
BARE_READ = "SELECT max(customer_id) AS customer_id, sum(amount) AS amount, max(order_ts) AS order_ts FROM orders"
DUCKDB_WORKLOADS = {
    "aggregates": {
        "orders per customer (sum/count/max)": (PER_CUSTOMER, PER_CUSTOMER),
        "bare read of orders (customer_id, amount, order_ts)": (BARE_READ, BARE_READ),
    },
    "segments": {
        "segments.rfm": (
            "SELECT segment, count(*) AS customers, sum(monetary) AS monetary, "
            "sum(recency_days) AS recency_days FROM segments.rfm GROUP BY 1 ORDER BY 1",
            "@rfm.sql",
        ),
        "segments.lifecycle": (
            "SELECT stage, count(*) AS customers FROM segments.lifecycle GROUP BY 1 ORDER BY 1",
            "@lifecycle.sql",
        ),
        "segments.value_activity": (
            "SELECT segment, count(*) AS customers, sum(annual_spend) AS annual_spend "
            "FROM segments.value_activity GROUP BY 1 ORDER BY 1",
            "@value_activity.sql",
        ),
    },
}
GROUPS = ["aggregates", "segments", "wire", "concurrency", "scale", "churn", "baskets"]
# The workloads repeated at each scale (names from DUCKDB_WORKLOADS).
SCALE_WORKLOADS = [
    "orders per customer (sum/count/max)",
    "segments.rfm",
    "segments.lifecycle",
    "segments.value_activity",
]
# Queries whose working set exceeds a small memory pool: both sides must spill to finish.
SPILL_WORKLOADS = {
    # A full sort of every order (no LIMIT, so no top-k): the rank of each order by amount.
    "every order ranked by amount (sort)": (
        "SELECT count(*) AS orders, max(position) AS last, sum(amount) AS amount, "
        "sum(CASE WHEN position <= 1000 THEN amount END) AS top_1000 FROM ("
        "SELECT amount, row_number() OVER (ORDER BY amount DESC, order_id) AS position "
        "FROM orders) AS ranked",
    ),
    # One group per order: as many groups as orders, so the hash table outgrows the pool.
    "order lines per order (aggregation, one group per order)": (
        "SELECT count(*) AS orders, sum(lines) AS lines, max(lines) AS most_lines, "
        "sum(quantity) AS quantity FROM (SELECT order_id, count(*) AS lines, "
        "sum(quantity) AS quantity FROM order_items GROUP BY order_id) AS per_order",
    ),
}
# The churn group: calibrate this many days before the lake's as-of date, and score what
# happens in the days after (26 weeks).
CHURN_HOLDOUT_DAYS = 182
# lifetimes is timed on every customer's summary and, as a second comparison, on the first
# this many customers (by id) with a purchase.
LIFETIMES_SAMPLE = 100_000
# The calibration summary in DuckDB, defined independently of calibration_summary: purchase
# days of completed orders up to the cutoff; x = days after the first, t_x = last - first,
# age = cutoff - first (days), zbar = mean value of the repeat days.
DUCKDB_SUMMARY = """
WITH days AS (
    SELECT customer_id, CAST(order_ts AS DATE) AS day, sum(CAST(amount AS DOUBLE)) AS value
    FROM orders
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '{cutoff}'
    GROUP BY ALL
), firsts AS (
    SELECT customer_id, min(day) AS first, max(day) AS last, count(*) AS n FROM days GROUP BY ALL
)
SELECT f.customer_id, f.n - 1 AS x, CAST(f.last - f.first AS DOUBLE) AS t_x,
       CAST(DATE '{cutoff}' - f.first AS DOUBLE) AS age,
       coalesce(sum(d.value) FILTER (WHERE d.day > f.first) / nullif(f.n - 1, 0), 0) AS zbar
FROM firsts AS f JOIN days AS d USING (customer_id)
GROUP BY f.customer_id, f.n, f.first, f.last
"""
CONCURRENCY_CLIENTS = [8, 32, 64]
# The statements the concurrent clients cycle through: segment summaries and point lookups.
CONCURRENCY_MIX = [
    "SELECT segment, count(*) FROM segments.rfm GROUP BY 1",
    "SELECT stage, count(*) FROM segments.lifecycle GROUP BY 1",
    "SELECT * FROM customers WHERE customer_id = 4242",
    "SELECT segment, count(*) FROM segments.value_activity GROUP BY 1",
    "SELECT customer_id, sum(amount) FROM orders WHERE customer_id BETWEEN 1000 AND 1100 GROUP BY 1 ORDER BY 1",
]


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lake_as_of(lake):
    """The as-of date the lake's config names (custlake gen writes it)."""
    text = (lake / "custlake.toml").read_text()
    match = re.search(r'^as_of\s*=\s*"(\d{4}-\d{2}-\d{2})"', text, re.MULTILINE)
    if not match:
        sys.exit(f"{lake}/custlake.toml names no [engine] as_of; regenerate the lake")
    return match.group(1)


def ensure_lake(binary, lake, customers):
    if (lake / "custlake.toml").exists():
        log(f"reusing the lake in {lake}")
        return
    log(f"generating {customers} customers into {lake} ...")
    started = time.monotonic()
    subprocess.run([str(binary), "gen", "--out", str(lake), "--customers", str(customers)], check=True)
    log(f"generated in {time.monotonic() - started:.1f} s")


def rss_kib(pid, field="VmRSS"):
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"{field}:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


def process_tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return out


class PeakMemory:
    """Samples the resident memory of a process tree every 100 ms and keeps the peak: for a
    server whose backends come and go (PostgreSQL), where no single high-water mark exists."""

    def __init__(self, pid):
        self.pid, self.peak_kib, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            self.peak_kib = max(self.peak_kib, sum(rss_kib(p) for p in process_tree(self.pid)))
            time.sleep(0.1)

    def stop_mib(self):
        self.running = False
        self.thread.join()
        return self.peak_kib / 1024


class Custlake:
    """custlake serve on a private port, stopped with SIGTERM."""

    name = "custlake"

    def __init__(self, binary, lake, config=None):
        self.port = free_port()
        source = ["--config", str(config)] if config else ["--data", str(lake)]
        self.process = subprocess.Popen(
            [str(binary), "serve", *source, "--queries", str(ROOT / "queries"),
             "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "RUST_LOG": "warn"},
        )
        for line in self.process.stderr:
            if line.startswith("custlake is serving"):
                break
        else:
            sys.exit("custlake serve exited before listening")
        self.dsn = f"host=127.0.0.1 port={self.port} user=bench dbname=custlake"

    def peak_rss_mib(self):
        return rss_kib(self.process.pid, "VmHWM") / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


# DuckDB's column types as PostgreSQL's, for loading the lake's tables into PostgreSQL.
PG_TYPES = {
    "BIGINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "BOOLEAN": "boolean",
    "VARCHAR": "text", "DATE": "date", "DOUBLE": "double precision", "FLOAT": "real",
    "TIMESTAMP": "timestamp", "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def pg_type(duck_type):
    if duck_type.startswith("DECIMAL"):
        return duck_type.replace("DECIMAL", "numeric")
    return PG_TYPES[duck_type]


class Postgres:
    """A PostgreSQL server from the Debian packages on a private port and data directory,
    created here and removed by stop(). As root, it runs as the packages' postgres user."""

    name = "PostgreSQL"

    def __init__(self, work):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                      key=lambda p: int(p.parent.parent.name))
        if not bins:
            sys.exit("PostgreSQL is not installed (bench/run installs the Debian package postgresql)")
        self.bin = bins[-1].parent
        banner = subprocess.run([str(self.bin / "postgres"), "--version"],
                                capture_output=True, text=True).stdout
        self.version = "PostgreSQL " + re.search(r"\(PostgreSQL\) (\S+)", banner).group(1)
        work.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="pg-", dir=work))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        subprocess.run(self.as_user + [str(self.bin / "initdb"), "-D", str(data), "-U", "bench",
                                       "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL)
        self.port = free_port()
        self.process = subprocess.Popen(
            self.as_user + [str(self.bin / "postgres"), "-D", str(data), "-p", str(self.port),
                            "-k", str(self.dir), "-c", "listen_addresses=127.0.0.1",
                            "-c", "fsync=off", "-c", "synchronous_commit=off",
                            "-c", "full_page_writes=off", "-c", "shared_buffers=2GB",
                            "-c", "work_mem=64MB", "-c", "max_connections=120",
                            "-c", "max_parallel_workers_per_gather=2"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.dsn = f"host=127.0.0.1 port={self.port} user=bench dbname=postgres"
        for _ in range(300):
            try:
                psycopg.connect(self.dsn).close()
                break
            except psycopg.OperationalError:
                time.sleep(0.1)
        else:
            sys.exit("PostgreSQL did not start")
        self.postmaster = int((data / "postmaster.pid").read_text().split()[0])

    def load(self, lake, tables):
        """Copies the lake's tables into PostgreSQL (through CSV files DuckDB writes), with
        the primary key a PostgreSQL user would give customers, then ANALYZE."""
        duck = duckdb.connect()
        with psycopg.connect(self.dsn, autocommit=True) as pg:
            for table in tables:
                started = time.monotonic()
                source = f"read_parquet('{lake}/{table}/*.parquet')"
                columns = duck.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
                ddl = ", ".join(f'"{name}" {pg_type(kind)}' for name, kind, *_ in columns)
                pg.execute(f'CREATE TABLE "{table}" ({ddl})')
                csv = self.dir / f"{table}.csv"
                duck.execute(f"COPY (SELECT * FROM {source}) TO '{csv}' (HEADER, DELIMITER ',')")
                if self.as_user:
                    shutil.chown(csv, "postgres", "postgres")
                pg.execute(f"COPY \"{table}\" FROM '{csv}' (FORMAT csv, HEADER true)")
                csv.unlink()
                log(f"PostgreSQL: loaded {table} in {time.monotonic() - started:.1f} s")
            pg.execute("ALTER TABLE customers ADD PRIMARY KEY (customer_id)")
            pg.execute("ANALYZE")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def normalise(rows):
    """Rows as comparable tuples: decimals and floats rounded to cents, timestamps in UTC
    without their zone."""
    out = []
    for row in rows:
        values = []
        for v in row:
            if isinstance(v, (float, decimal.Decimal)):
                v = round(float(v), 2)
            elif isinstance(v, datetime.datetime) and v.tzinfo is not None:
                v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            values.append(v)
        out.append(tuple(values))
    return out


def spread(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def alternate(name, run_a, run_b, runs, shown="seconds"):
    """Warm-up of each side, then `runs` counted pairs A B. run_* return dicts (the progress
    line shows their `shown` value); returns both warm-up results and both sides' counted
    results."""
    log(f"{name}: warm-up")
    first_a, first_b = run_a(), run_b()
    a, b = [], []
    for i in range(runs):
        a.append(run_a())
        b.append(run_b())
        log(f"{name}: run {i + 1}/{runs}: custlake {a[-1][shown]:.4g}, peer {b[-1][shown]:.4g}")
    return first_a, first_b, a, b


def timed_rows(run):
    started = time.perf_counter()
    rows = run()
    return {"seconds": time.perf_counter() - started, "rows": rows}


def client(binary, *args):
    out = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"benchmark client failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def duckdb_connect(lake, memory_limit_mib=None):
    """DuckDB in this process, with the lake's tables as views over the same Parquet files."""
    duck = duckdb.connect()
    if memory_limit_mib:
        duck.execute(f"SET memory_limit = '{memory_limit_mib}MiB'")
        duck.execute(f"SET temp_directory = '{BENCH / 'work' / 'duckdb-spill'}'")
    duck.execute((BENCH / "duckdb" / "setup.sql").read_text().replace("{lake}", str(lake)))
    return duck


def duckdb_workload(name):
    """(custlake SQL, DuckDB SQL template) of a workload of DUCKDB_WORKLOADS, by name."""
    for workloads in DUCKDB_WORKLOADS.values():
        if name in workloads:
            return workloads[name]
    raise KeyError(name)


def run_duckdb_group(group, custlake, duck, as_of, runs, workloads=None, label=None, extra=None):
    """custlake (over the wire) against DuckDB (in-process) on the same Parquet files.
    workloads: {name: (custlake SQL, DuckDB SQL)}, by default the group's; label(name) names a
    result; extra is merged into every result."""
    results = []
    workloads = DUCKDB_WORKLOADS[group] if workloads is None else workloads
    with psycopg.connect(custlake.dsn, autocommit=True) as pg:
        for name, (custlake_sql, duck_sql) in workloads.items():
            if duck_sql.startswith("@"):
                duck_sql = (BENCH / "duckdb" / duck_sql[1:]).read_text()
            duck_sql = duck_sql.replace("{as_of}", as_of)
            series, name = name, label(name) if label else name
            first_a, first_b, a, b = alternate(
                name,
                lambda: timed_rows(lambda: pg.execute(custlake_sql).fetchall()),
                lambda: timed_rows(lambda: duck.execute(duck_sql).fetchall()),
                runs,
            )
            a, b = [r["seconds"] for r in a], [r["seconds"] for r in b]
            same = normalise(first_a["rows"]) == normalise(first_b["rows"])
            if not same:
                log(f"{name}: RESULTS DIFFER\n  custlake: {first_a['rows']}\n  duckdb:   {first_b['rows']}")
            results.append({
                "group": group, "workload": name, "series": series, "unit": "s",
                "peer": f"DuckDB {duckdb.__version__}",
                "custlake": spread(a), "peer_values": spread(b),
                "ratios": [x / y for x, y in zip(a, b)], "same_result": same, **(extra or {}),
            })
    return results


def run_scale(args, binary, base_lake, peaks):
    """The scale series, then the spill queries on the base lake under a small pool."""
    results = []
    for factor in args.scales:
        customers = args.customers * factor
        lake = base_lake if factor == 1 else BENCH / "work" / f"lake-{customers}"
        ensure_lake(binary, lake, customers)
        as_of = lake_as_of(lake)
        log(f"scale {factor}x: {customers:,} customers")
        server = Custlake(binary, lake)
        duck = duckdb_connect(lake)
        try:
            workloads = {name: duckdb_workload(name) for name in SCALE_WORKLOADS}
            results += run_duckdb_group(
                "scale", server, duck, as_of, args.runs, workloads,
                label=lambda name, f=factor: f"{name}, {f}x",
                extra={"scale": factor, "customers": customers},
            )
            peaks[f"custlake server at {factor}x"] = server.peak_rss_mib()
        finally:
            server.stop()
            duck.close()
    # Time at each scale relative to the first scale, per workload and side.
    for r in results:
        base = next(x for x in results if x["series"] == r["series"] and x["scale"] == args.scales[0])
        r["growth"] = {side: r[side]["median"] / base[side]["median"] for side in ["custlake", "peer_values"]}
    results += run_spill(args, binary, base_lake, peaks)
    return results


def run_spill(args, binary, lake, peaks):
    """Queries whose working set exceeds a --spill-pool-mib pool, on both sides."""
    pool = args.spill_pool_mib
    config = lake / "custlake-spill.toml"
    text = (lake / "custlake.toml").read_text()
    config.write_text(text.replace("[engine]\n", f'[engine]\nmemory_limit = "{pool}MiB"\n', 1))
    as_of = lake_as_of(lake)
    server = Custlake(binary, lake, config=config)
    duck = duckdb_connect(lake, memory_limit_mib=pool)
    try:
        workloads = {name: (sql, sql) for name, (sql,) in SPILL_WORKLOADS.items()}
        results = run_duckdb_group(
            "spill", server, duck, as_of, args.runs, workloads,
            extra={"pool_mib": pool},
        )
        # What custlake spilled, from the operators' metrics.
        with psycopg.connect(server.dsn, autocommit=True) as pg:
            for r, (sql,) in zip(results, SPILL_WORKLOADS.values()):
                plan = "\n".join(row[-1] for row in pg.execute(f"EXPLAIN ANALYZE {sql}").fetchall())
                r["spill"] = spill_metrics(plan)
                log(f"{r['workload']}: custlake spilled {r['spill']}")
        peaks[f"custlake server with a {pool} MiB pool"] = server.peak_rss_mib()
    finally:
        server.stop()
        duck.close()
        config.unlink()
        shutil.rmtree(BENCH / "work" / "duckdb-spill", ignore_errors=True)
    return results


def auc(scores, labels):
    """Area under the ROC curve of `scores` for the boolean `labels` (Mann-Whitney U, ties
    counted half)."""
    import numpy as np
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    ranks = np.empty(len(scores))
    # Average ranks over ties.
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], len(scores)]
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2
    positives = labels.sum()
    negatives = len(labels) - positives
    return (ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives)


def run_churn(args, binary, lake):
    """BG/NBD and the scorecard on the lake calibrated CHURN_HOLDOUT_DAYS before its as-of date:
    custlake's calibration summary against DuckDB's, bgnbd_fit's time against lifetimes' on
    the same summary, and the AUC of P(alive) and of the churn score for a purchase in the
    holdout and for the generator's true status at the cutoff."""
    import lifetimes
    import numpy as np

    as_of = datetime.date.fromisoformat(lake_as_of(lake))
    cutoff = (as_of - datetime.timedelta(days=CHURN_HOLDOUT_DAYS)).isoformat()
    work = BENCH / "work" / f"churn-{lake.name}"
    work.mkdir(parents=True, exist_ok=True)
    summary_path = work / "summary.parquet"
    duck = duckdb_connect(lake)
    duck.execute(f"COPY ({DUCKDB_SUMMARY.format(cutoff=cutoff)} ORDER BY customer_id) "
                 f"TO '{summary_path}' (FORMAT parquet)")
    config = lake / "custlake-churn.toml"
    config.write_text((lake / "custlake.toml").read_text()
                      + f'\n[[tables]]\nname = "churn_summary"\nlocation = "{summary_path}"\n')
    results = []
    server = Custlake(binary, lake, config=config)
    try:
        with psycopg.connect(server.dsn, autocommit=True) as pg:
            # 1. The summary: custlake's calibration_summary against DuckDB's definition.
            totals = ("count(*), sum(x), round(sum(t_x)), round(sum(age)), round(sum(zbar), 2)")
            ours = pg.execute(
                f"SELECT {totals} FROM (SELECT s.x AS x, s.t_x AS t_x, s.age AS age, "
                f"s.zbar AS zbar FROM (SELECT calibration_summary(order_ts, amount, "
                f"DATE '{cutoff}') AS s FROM orders WHERE status = 'completed' "
                f"GROUP BY customer_id) WHERE s IS NOT NULL)").fetchone()
            theirs = duck.execute(f"SELECT {totals} FROM read_parquet('{summary_path}')").fetchone()
            same_summary = normalise([ours]) == normalise([theirs])
            if not same_summary:
                log(f"churn: SUMMARIES DIFFER\n  custlake: {ours}\n  duckdb:   {theirs}")
            customers = ours[0]

            # 2. The fit against lifetimes on the same rows: every customer's summary (the
            # comparison the target is for; lifetimes takes seconds) and the first 100,000.
            fit_sql = ("SELECT m.r, m.alpha, m.a, m.b, m.log_likelihood, m.converged, "
                       "m.iterations FROM (SELECT bgnbd_fit(x, t_x, age) AS m FROM churn_summary{})")

            def custlake_fit(where):
                start = time.perf_counter()
                row = pg.execute(fit_sql.format(where)).fetchone()
                return {"seconds": time.perf_counter() - start, "row": row}

            fits = []
            for size in (customers, min(LIFETIMES_SAMPLE, customers)):
                last_id = duck.execute(
                    f"SELECT max(customer_id) FROM (SELECT customer_id FROM read_parquet("
                    f"'{summary_path}') ORDER BY customer_id LIMIT {size})").fetchone()[0]
                frame = duck.execute(
                    f"SELECT x, t_x, age FROM read_parquet('{summary_path}') "
                    f"WHERE customer_id <= {last_id} ORDER BY customer_id").fetchnumpy()

                def lifetimes_fit():
                    start = time.perf_counter()
                    fitter = lifetimes.BetaGeoFitter().fit(frame["x"], frame["t_x"],
                                                           frame["age"])
                    seconds = time.perf_counter() - start
                    r, alpha, a, b = (fitter.params_[k] for k in ("r", "alpha", "a", "b"))
                    return {"seconds": seconds, "row": (r, alpha, a, b)}

                where = f" WHERE customer_id <= {last_id}"
                first_a, first_b, a, b = alternate(
                    f"bgnbd_fit, {size:,} customers", lambda: custlake_fit(where),
                    lifetimes_fit, max(2, args.runs // 2))
                ours_params, theirs_params = first_a["row"][:4], first_b["row"]
                fits.append({
                    "customers": size,
                    "custlake": spread([r["seconds"] for r in a]),
                    "lifetimes": spread([r["seconds"] for r in b]),
                    "ratio": statistics.median(x["seconds"] / y["seconds"] for x, y in zip(a, b)),
                    "params_custlake": list(ours_params), "params_lifetimes": list(theirs_params),
                    "max_relative_difference": max(abs(x - y) / abs(y) for x, y in
                                                   zip(ours_params, theirs_params)),
                    "row_custlake": list(first_a["row"]),
                })
            results.append({
                "group": "churn", "kind": "fit", "customers": customers, "fits": fits,
                "same_summary": same_summary, "lifetimes": lifetimes.__version__,
            })

            # 3. Scores at the cutoff against what happened.
            pg.execute(f"SET custlake.as_of = '{cutoff}'")
            start = time.perf_counter()
            scored = pg.execute("SELECT customer_id, p_alive, churn_risk "
                                "FROM segments.churn_scores ORDER BY customer_id").fetchall()
            scoring_seconds = time.perf_counter() - start
            # BG/NBD's own forecast for the holdout: expected purchases in its 182 days.
            expected = dict(pg.execute(f"""
                WITH h AS (
                    SELECT customer_id, s.x AS x, s.t_x AS t_x, s.age AS age
                    FROM (SELECT customer_id, calibration_summary(order_ts, amount,
                          DATE '{cutoff}') AS s FROM orders WHERE status = 'completed'
                          GROUP BY customer_id)
                    WHERE s IS NOT NULL
                ), m AS (SELECT bgnbd_fit(x, t_x, age) AS m FROM h)
                SELECT h.customer_id,
                       bgnbd_expected_purchases({CHURN_HOLDOUT_DAYS}, h.x, h.t_x, h.age, m.m)
                FROM h CROSS JOIN m""").fetchall())
        outcome = duck.execute(f"""
            SELECT s.customer_id,
                   EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = s.customer_id
                           AND o.status = 'completed'
                           AND CAST(o.order_ts AS DATE) > DATE '{cutoff}'
                           AND CAST(o.order_ts AS DATE) <= DATE '{as_of}') AS purchased,
                   t.dropout_ts IS NULL OR CAST(t.dropout_ts AS DATE) > DATE '{cutoff}' AS alive,
                   s.x > 0 AS repeat_buyer
            FROM read_parquet('{summary_path}') AS s
            JOIN read_parquet('{lake / "truth" / "customers.parquet"}') AS t USING (customer_id)
            ORDER BY s.customer_id""").fetchall()
    finally:
        server.stop()
        duck.close()
    outcome = {row[0]: row[1:] for row in outcome}
    rows = [(p_alive, float(risk), *outcome[cid], expected[cid])
            for cid, p_alive, risk in scored if cid in outcome]
    p_alive = np.array([r[0] for r in rows])
    risk = np.array([r[1] for r in rows])
    purchased = np.array([r[2] for r in rows])
    alive = np.array([r[3] for r in rows])
    repeat = np.array([r[4] for r in rows])
    forecast = np.array([r[5] for r in rows])
    results.append({
        "group": "churn", "kind": "auc", "customers": len(rows), "cutoff": cutoff,
        "scoring_seconds": scoring_seconds,
        "purchased_share": float(purchased.mean()), "alive_share": float(alive.mean()),
        "auc": {
            "P(alive), purchase in the holdout": auc(p_alive, purchased),
            "scorecard, purchase in the holdout": auc(-risk, purchased),
            "BG/NBD expected purchases in the holdout, purchase in the holdout":
                auc(forecast, purchased),
            "P(alive), truly alive at the cutoff": auc(p_alive, alive),
            "scorecard, truly alive at the cutoff": auc(-risk, alive),
            # BG/NBD gives P(alive) = 1 to every customer without a repeat purchase; among
            # repeat buyers the two rank on equal terms.
            "P(alive), purchase in the holdout (repeat buyers)": auc(p_alive[repeat], purchased[repeat]),
            "scorecard, purchase in the holdout (repeat buyers)": auc(-risk[repeat], purchased[repeat]),
            "P(alive), truly alive at the cutoff (repeat buyers)": auc(p_alive[repeat], alive[repeat]),
            "scorecard, truly alive at the cutoff (repeat buyers)": auc(-risk[repeat], alive[repeat]),
        },
        "repeat_share": float(repeat.mean()),
    })
    return results


# The baskets group: (name, where the baskets come from, min_support, whether mlxtend runs).
# The reference files are one basket per line, items separated by spaces; the repository keeps
# them gzipped with the tests' reference data.
BASKET_DATA = ROOT / "udfs" / "tests" / "data" / "baskets"
BASKET_CASES = [
    ("retail.dat", "file", 0.0005, True),
    ("T10I4D100K.dat", "file", 0.0005, True),
    # The generated lake's orders: too many baskets for mlxtend's dense one-hot table.
    ("order_items", "lake", 0.0005, False),
]


def run_baskets(args, binary, lake):
    """frequent_itemsets through SQL against pyfim's fpgrowth (C) and mlxtend's fpgrowth on the
    same baskets: the reference data sets at low support and the lake's order items. Each side
    is checked to find the same number of itemsets with the same total count."""
    import fim
    import mlxtend
    import pandas as pd
    from mlxtend.frequent_patterns import fpgrowth
    from mlxtend.preprocessing import TransactionEncoder

    work = BENCH / "work" / "baskets"
    work.mkdir(parents=True, exist_ok=True)
    duck = duckdb_connect(lake)
    tables, baskets = {}, {}
    for name, kind, _, _ in BASKET_CASES:
        if kind == "file":
            table = name.split(".")[0].lower()
            path = work / f"{table}.parquet"
            if not path.exists():
                duck.execute(f"""
                    COPY (SELECT basket_id, CAST(item AS BIGINT) AS item FROM (
                        SELECT row_number() OVER () AS basket_id,
                               unnest(string_split(trim(line), ' ')) AS item
                        FROM read_csv('{BASKET_DATA / name}.gz', columns = {{'line': 'VARCHAR'}},
                                      delim = '|', header = false, quote = ''))
                        WHERE item <> '') TO '{path}' (FORMAT parquet)""")
            tables[name] = (table, path)
            source = f"SELECT basket_id, item FROM read_parquet('{path}')"
            sql = f"'{table}'"
        else:
            source = f"SELECT order_id AS basket_id, product_id AS item FROM order_items"
            sql = "'SELECT order_id, product_id FROM order_items'"
        rows = duck.execute(f"SELECT list(item) FROM ({source}) GROUP BY basket_id").fetchall()
        baskets[name] = ([list(r[0]) for r in rows], sql)
    duck.close()
    config = lake / "custlake-baskets.toml"
    config.write_text((lake / "custlake.toml").read_text() + "".join(
        f'\n[[tables]]\nname = "{table}"\nlocation = "{path}"\n'
        for table, path in tables.values()))
    results = []
    server = Custlake(binary, lake, config=config)
    try:
        with psycopg.connect(server.dsn, autocommit=True) as pg:
            for name, _, support, with_mlxtend in BASKET_CASES:
                transactions, source = baskets[name]
                n = len(transactions)
                min_count = math.ceil(support * n - 1e-9)

                def ours():
                    start = time.perf_counter()
                    row = pg.execute(f"SELECT count(*), sum(count) FROM frequent_itemsets("
                                     f"{source}, {support})").fetchone()
                    return {"seconds": time.perf_counter() - start, "row": tuple(row)}

                def pyfim():
                    start = time.perf_counter()
                    found = fim.fpgrowth(transactions, target="s", supp=-min_count, zmin=1,
                                         report="a")
                    seconds = time.perf_counter() - start
                    return {"seconds": seconds,
                            "row": (len(found), sum(count for _, count in found))}

                first_a, first_b, a, b = alternate(f"frequent_itemsets {name}", ours, pyfim,
                                                   args.runs)
                result = {
                    "group": "baskets", "data": name, "baskets": n, "support": support,
                    "min_count": min_count, "itemsets": first_a["row"][0],
                    "same_as_pyfim": first_a["row"] == first_b["row"],
                    "pyfim_row": list(first_b["row"]),
                    "custlake": spread([r["seconds"] for r in a]),
                    "pyfim": spread([r["seconds"] for r in b]),
                    "ratio_pyfim": statistics.median(x["seconds"] / y["seconds"]
                                                     for x, y in zip(a, b)),
                    "versions": f"pyfim {fim.version if hasattr(fim, 'version') else '6.28'}, "
                                f"mlxtend {mlxtend.__version__}",
                }
                if with_mlxtend:
                    encoder = TransactionEncoder()
                    table = pd.DataFrame.sparse.from_spmatrix(
                        encoder.fit(transactions).transform(transactions, sparse=True),
                        columns=encoder.columns_)

                    def mlx():
                        # mlxtend compares supports as floats: at min_count / n it drops some
                        # itemsets of exactly min_count (471 of them on retail.dat). Half a
                        # basket lower, then whole counts, finds each itemset once.
                        start = time.perf_counter()
                        found = fpgrowth(table, min_support=(min_count - 0.5) / n)
                        seconds = time.perf_counter() - start
                        counts = (found.support * n).round().astype(int)
                        counts = counts[counts >= min_count]
                        return {"seconds": seconds,
                                "row": (len(counts), int(counts.sum()))}

                    # mlxtend takes minutes: two counted runs, each next to one of custlake.
                    _, first_m, a2, m = alternate(f"frequent_itemsets {name} (mlxtend)", ours,
                                                  mlx, 2)
                    result.update({
                        "same_as_mlxtend": first_a["row"] == first_m["row"],
                        "mlxtend": spread([r["seconds"] for r in m]),
                        "ratio_mlxtend": statistics.median(
                            x["seconds"] / y["seconds"] for x, y in zip(a2, m)),
                    })
                results.append(result)
    finally:
        server.stop()
    return results


def baskets_section(rows):
    lines = [
        "## baskets", "",
        "`SELECT count(*), sum(count) FROM frequent_itemsets(source, min_support)` over the "
        "wire, against pyfim's `fpgrowth` and mlxtend's `fpgrowth` (sparse one-hot table) on "
        f"the same baskets in the harness process ({rows[0]['versions']}). Same itemsets: the "
        "number of itemsets and the sum of their counts agree.", "",
        "| data | baskets | min count | itemsets | custlake | pyfim | custlake/pyfim | mlxtend "
        "| custlake/mlxtend | same |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        same = r["same_as_pyfim"] and r.get("same_as_mlxtend", True)
        mlx = (f"{r['mlxtend']['median']:.2f} s | {r['ratio_mlxtend']:.4f}"
               if "mlxtend" in r else "- | -")
        lines.append(
            f"| {r['data']} | {r['baskets']:,} | {r['min_count']} | {r['itemsets']:,} "
            f"| {r['custlake']['median']:.3f} s | {r['pyfim']['median']:.3f} s "
            f"| {r['ratio_pyfim']:.3f} | {mlx} | {'yes' if same else 'NO'} |")
    lines.append("")
    return lines


def churn_section(rows):
    fit = next(r for r in rows if r["kind"] == "fit")
    scores = next(r for r in rows if r["kind"] == "auc")
    names = ("r", "alpha", "a", "b")
    lines = [
        "## churn", "",
        f"Calibrated at {scores['cutoff']} ({CHURN_HOLDOUT_DAYS} days before the as-of date), in "
        f"days. custlake's calibration_summary equals DuckDB's independent definition: "
        f"{'yes' if fit['same_summary'] else 'NO'}.", "",
        f"| fit | customers | custlake median (min-max) | lifetimes {fit['lifetimes']} median "
        "(min-max) | custlake/lifetimes | largest relative difference of r, alpha, a, b |",
        "|---|---|---|---|---|---|",
    ]
    for f in fit["fits"]:
        lines.append(
            f"| bgnbd_fit | {f['customers']:,} | {f['custlake']['median']:.3f} s "
            f"({f['custlake']['min']:.3f}-{f['custlake']['max']:.3f}) "
            f"| {f['lifetimes']['median']:.2f} s ({f['lifetimes']['min']:.2f}-"
            f"{f['lifetimes']['max']:.2f}) | {f['ratio']:.4f} "
            f"| {f['max_relative_difference']:.1e} |")
    every = fit["fits"][0]
    lines += [
        "",
        "On every customer, custlake / lifetimes: "
        + ", ".join(f"{n} {x:.6g} / {y:.6g}" for n, x, y in
                    zip(names, every["params_custlake"], every["params_lifetimes"]))
        + f"; custlake's log-likelihood {every['row_custlake'][4]:.1f}, converged "
        f"{every['row_custlake'][5]}, {every['row_custlake'][6]} iterations.", "",
        f"Scores of {scores['customers']:,} customers at the cutoff (segments.churn_scores, "
        f"{scores['scoring_seconds']:.1f} s): {scores['purchased_share']:.1%} bought again in "
        f"the holdout, {scores['alive_share']:.1%} were truly alive at the cutoff "
        f"(truth/customers.parquet), {scores['repeat_share']:.1%} had a repeat purchase.", "",
        "| score | predicts | AUC |", "|---|---|---|",
    ]
    for name, value in scores["auc"].items():
        score, predicts = name.split(", ", 1)
        lines.append(f"| {score} | {predicts} | {value:.3f} |")
    lines.append("")
    return lines


def spill_metrics(plan):
    """Sums of spill_count, spilled_rows and spilled_bytes over a plan's operators (EXPLAIN
    ANALYZE prints them rounded: `10.33 M` rows, `151.2 MB` with 1024-based units)."""
    counts = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
    sizes = {"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}
    number = r"([\d.]+)(?: ([A-Z]+))?"
    return {
        "spill_count": sum(int(n) for n in re.findall(r"spill_count=(\d+)", plan)),
        "spilled_rows": sum(float(v) * counts[u] for v, u in re.findall(rf"spilled_rows={number}", plan)),
        "spilled_mib": sum(float(v) * sizes[u or "B"] for v, u in re.findall(rf"spilled_bytes={number}", plan)) / (1 << 20),
    }


def run_wire(custlake, postgres, bench_client, runs, customers):
    """Rows per second streamed to the client and round-trip latencies, against PostgreSQL."""
    results = []
    orders_limit = 10_000_000
    with psycopg.connect(postgres.dsn) as pg:
        orders = min(orders_limit, pg.execute("SELECT count(*) FROM orders").fetchone()[0])
    streams = [
        (f"stream customers ({customers:,} rows)", "SELECT * FROM customers"),
        (f"stream orders ({orders:,} rows)", f"SELECT * FROM orders LIMIT {orders_limit}"),
    ]
    for label, sql in streams:
        for fmt in ["text", "binary"]:
            name = f"{label}, {fmt}"
            first_a, first_b, a, b = alternate(
                name,
                lambda: client(bench_client, "stream", custlake.dsn, sql, fmt),
                lambda: client(bench_client, "stream", postgres.dsn, sql, fmt),
                runs, shown="rows_per_second",
            )
            a, b = [r["rows_per_second"] for r in a], [r["rows_per_second"] for r in b]
            results.append({
                "group": "wire", "workload": name, "unit": "rows/s", "peer": postgres.version,
                "custlake": spread(a), "peer_values": spread(b),
                # Higher is better here; the ratio stays custlake/peer.
                "ratios": [x / y for x, y in zip(a, b)], "higher_is_better": True,
                "same_result": first_a["rows"] == first_b["rows"],
            })
    lookups = [
        ("latency SELECT 1", "SELECT 1", 2000, None),
        ("latency point lookup by customer_id", "SELECT * FROM customers WHERE customer_id = $1", 200, customers),
    ]
    for name, sql, count, max_id in lookups:
        extra = [max_id] if max_id else []
        _, _, runs_a, runs_b = alternate(
            name,
            lambda: client(bench_client, "latency", custlake.dsn, sql, count, *extra),
            lambda: client(bench_client, "latency", postgres.dsn, sql, count, *extra),
            runs, shown="p50_ms",
        )
        for stat in ["p50_ms", "p99_ms"]:
            a = [r[stat] for r in runs_a]
            b = [r[stat] for r in runs_b]
            results.append({
                "group": "wire", "workload": f"{name} ({stat[:3]})", "unit": "ms", "peer": postgres.version,
                "custlake": spread(a), "peer_values": spread(b),
                "ratios": [x / y for x, y in zip(a, b)], "same_result": True,
            })
    return results


def run_concurrency(custlake, bench_client, seconds):
    mix = BENCH / "work" / "concurrency-mix.sql"
    mix.write_text("\n".join(CONCURRENCY_MIX) + "\n")
    results = []
    for clients in CONCURRENCY_CLIENTS:
        log(f"concurrency: {clients} clients for {seconds} s")
        r = client(bench_client, "load", custlake.dsn, seconds, clients, mix)
        r["peak_mib"] = custlake.peak_rss_mib()
        log(f"concurrency: {clients} clients: {r['statements_per_second']:.2f} statements/s, "
            f"p99 {r['p99_ms']:.0f} ms, {r['errors']} errors")
        results.append({"group": "concurrency", "workload": f"{clients} clients", **r})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lake", type=Path, help="lake directory (default bench/work/lake-N)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, required=True)
    parser.add_argument("--client", type=Path, required=True, help="the custlake-bench-client binary")
    parser.add_argument("--workloads", nargs="*", default=GROUPS, choices=GROUPS)
    parser.add_argument("--concurrency-seconds", type=int, default=30)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16],
                        help="multiples of --customers for the scale group (the first is the base)")
    parser.add_argument("--spill-pool-mib", type=int, default=256,
                        help="memory pool of both sides for the spill queries (scale group)")
    args = parser.parse_args()
    if args.runs < 5:
        sys.exit("--runs must be at least 5")

    lake = (args.lake or BENCH / "work" / f"lake-{args.customers}").resolve()
    ensure_lake(args.binary, lake, args.customers)
    as_of = lake_as_of(lake)

    results, peaks, peers = [], {}, []
    custlake = Custlake(args.binary, lake)
    postgres = None
    try:
        duck_groups = [g for g in args.workloads if g in DUCKDB_WORKLOADS]
        if duck_groups:
            duck = duckdb_connect(lake)
            for group in duck_groups:
                results += run_duckdb_group(group, custlake, duck, as_of, args.runs)
            peers.append(f"DuckDB {duckdb.__version__}")
            peaks["DuckDB (in the harness process)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            duck.close()
        if "wire" in args.workloads:
            postgres = Postgres(BENCH / "work")
            postgres.load(lake, ["customers", "orders"])
            memory = PeakMemory(postgres.postmaster)
            results += run_wire(custlake, postgres, args.client, args.runs, args.customers)
            peaks[f"{postgres.version} (postmaster and backends, sampled)"] = memory.stop_mib()
            peers.append(postgres.version)
        peaks["custlake server before the concurrency run"] = custlake.peak_rss_mib()
        if "concurrency" in args.workloads:
            results += run_concurrency(custlake, args.client, args.concurrency_seconds)
        peaks["custlake server (VmHWM)"] = custlake.peak_rss_mib()
    finally:
        custlake.stop()
        if postgres:
            postgres.stop()
    if "churn" in args.workloads:
        results += run_churn(args, args.binary, lake)
        peers.append(f"lifetimes {next(r['lifetimes'] for r in results if r.get('kind') == 'fit')}")
    if "baskets" in args.workloads:
        results += run_baskets(args, args.binary, lake)
        peers.append(next(r["versions"] for r in results if r["group"] == "baskets"))
    if "scale" in args.workloads:
        results += run_scale(args, args.binary, lake, peaks)
        if f"DuckDB {duckdb.__version__}" not in peers:
            peers.append(f"DuckDB {duckdb.__version__}")
    report(args, lake, as_of, results, peaks, peers)


def machine():
    cpus = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / (1 << 20)
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {cpus} cores ({model}), {mem_gib:.0f} GiB"


def fmt(value, unit):
    if unit == "rows/s":
        return f"{value / 1e6:.2f}M"
    if unit == "ms":
        return f"{value:.2f}"
    return f"{value:.3f}"


def pyplot():
    """matplotlib's pyplot without a display (imported late: only reports need it)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    pyplot().close(fig)


def chart(path, title, rows):
    """A bar chart of medians with min-max whiskers, custlake beside its peer per workload."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.6 * len(rows)))
    labels = [r["workload"] for r in rows]
    ys = range(len(rows))
    for offset, side, colour in [(-0.2, "custlake", "#1f77b4"), (0.2, "peer_values", "#ff7f0e")]:
        med = [r[side]["median"] for r in rows]
        lo = [r[side]["median"] - r[side]["min"] for r in rows]
        hi = [r[side]["max"] - r[side]["median"] for r in rows]
        ax.barh([y + offset for y in ys], med, height=0.38, xerr=[lo, hi], color=colour,
                label="custlake" if side == "custlake" else rows[0]["peer"])
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlabel(rows[0]["unit"] + (" (higher is better)" if rows[0].get("higher_is_better") else " (lower is better)"))
    ax.set_title(title)
    ax.legend(loc="lower right")
    save(fig, path)


def concurrency_chart(path, rows):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    clients = [r["clients"] for r in rows]
    ax.plot(clients, [r["statements_per_second"] for r in rows], "o-", label="statements/s")
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("statements per second")
    ax2 = ax.twinx()
    ax2.plot(clients, [r["p99_ms"] / 1000 for r in rows], "s--", color="#d62728", label="p99 latency (s)")
    ax2.set_ylabel("p99 latency, s")
    ax.set_title("custlake under concurrent segment queries")
    fig.legend(loc="upper left")
    save(fig, path)


def scale_chart(path, rows):
    """Median time against customers (log-log), custlake and DuckDB per workload."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for colour, series in zip(colours, dict.fromkeys(r["series"] for r in rows)):
        points = [r for r in rows if r["series"] == series]
        xs = [r["customers"] for r in points]
        ax.plot(xs, [r["custlake"]["median"] for r in points], "o-", color=colour,
                label=f"{series} (custlake)")
        ax.plot(xs, [r["peer_values"]["median"] for r in points], "s--", color=colour,
                label=f"{series} ({points[0]['peer']})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("customers")
    ax.set_ylabel("median seconds (lower is better)")
    ax.set_title("scale: time against data size")
    ax.legend(fontsize="small")
    save(fig, path)


def scale_section(out, scale, spill):
    """The scale series (growth against the first scale) and the spill queries."""
    lines = []
    if scale:
        lines += [
            "## scale", "",
            "![scale](scale.png)", "",
            "Growth: median time at this scale over the median at the first scale (linear "
            "growth is the scale factor).", "",
            "| workload | customers | custlake median (min-max) | DuckDB median (min-max) "
            "| custlake/DuckDB | custlake growth | DuckDB growth | same result |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in sorted(scale, key=lambda r: (r["series"], r["scale"])):
            a, b = r["custlake"], r["peer_values"]
            lines.append(
                f"| {r['workload']} | {r['customers']:,} | {fmt(a['median'], 's')} "
                f"({fmt(a['min'], 's')}-{fmt(a['max'], 's')}) | {fmt(b['median'], 's')} "
                f"({fmt(b['min'], 's')}-{fmt(b['max'], 's')}) | {statistics.median(r['ratios']):.2f} "
                f"| {r['growth']['custlake']:.2f} | {r['growth']['peer_values']:.2f} "
                f"| {'yes' if r['same_result'] else 'NO'} |")
        lines.append("")
        scale_chart(out / "scale.png", scale)
    if spill:
        pool = spill[0]["pool_mib"]
        lines += [
            "## spill", "",
            "![spill](spill.png)", "",
            f"On the first scale's lake, with a {pool} MiB memory pool on both sides (custlake "
            f"`engine.memory_limit`, DuckDB `memory_limit`). Spilled: custlake's operator "
            "metrics (EXPLAIN ANALYZE) of one more run.", "",
            "| workload | custlake median (min-max) | DuckDB median (min-max) | custlake/DuckDB "
            "| custlake spilled | same result |",
            "|---|---|---|---|---|---|",
        ]
        for r in spill:
            a, b, m = r["custlake"], r["peer_values"], r["spill"]
            lines.append(
                f"| {r['workload']} | {fmt(a['median'], 's')} ({fmt(a['min'], 's')}-"
                f"{fmt(a['max'], 's')}) | {fmt(b['median'], 's')} ({fmt(b['min'], 's')}-"
                f"{fmt(b['max'], 's')}) | {statistics.median(r['ratios']):.2f} "
                f"| {m['spill_count']} spills, {m['spilled_rows'] / 1e6:.2f}M rows, {m['spilled_mib']:.0f} MiB "
                f"| {'yes' if r['same_result'] else 'NO'} |")
        lines.append("")
        chart(out / "spill.png", f"spill: custlake vs {spill[0]['peer']}, {pool} MiB pool", spill)
    return lines


def chart_name(group, unit, rows):
    units = {r["unit"] for r in rows}
    slug = {"s": "time", "ms": "latency", "rows/s": "throughput"}[unit]
    return f"{group}.png" if len(units) == 1 else f"{group}-{slug}.png"


def report(args, lake, as_of, results, peaks, peers):
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    out = BENCH / "results" / stamp
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# custlake against {', '.join(peers) or 'itself'}",
        "",
        f"- commit {commit}{' (with uncommitted changes)' if dirty else ''}, {stamp}",
        f"- machine: {machine()}",
        f"- lake: {args.customers:,} customers ({lake.name}), as of {as_of}",
        f"- {args.runs} counted runs per side after one warm-up, alternating custlake / peer",
        "- peak memory: " + "; ".join(f"{k} {v:.0f} MiB" for k, v in peaks.items()),
        "",
    ]
    compared = [r for r in results if "ratios" in r]
    for group in GROUPS:
        if group == "churn":
            churn = [r for r in results if r["group"] == "churn"]
            if churn:
                lines += churn_section(churn)
            continue
        if group == "baskets":
            found = [r for r in results if r["group"] == "baskets"]
            if found:
                lines += baskets_section(found)
            continue
        if group == "scale":
            lines += scale_section(out, [r for r in results if r["group"] == "scale"],
                                   [r for r in results if r["group"] == "spill"])
            continue
        rows = [r for r in compared if r["group"] == group]
        if not rows:
            continue
        lines += [f"## {group}", ""]
        lines += [f"![{group} ({unit})]({chart_name(group, unit, rows)})"
                  for unit in dict.fromkeys(r["unit"] for r in rows)]
        lines += [
            "",
            "| workload | unit | custlake median (min-max) | peer median (min-max) | custlake/peer (median of pairs) | same result |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            a, b, u = r["custlake"], r["peer_values"], r["unit"]
            better = " (higher is better)" if r.get("higher_is_better") else ""
            lines.append(
                f"| {r['workload']} | {u} | {fmt(a['median'], u)} ({fmt(a['min'], u)}-{fmt(a['max'], u)}) "
                f"| {fmt(b['median'], u)} ({fmt(b['min'], u)}-{fmt(b['max'], u)}) "
                f"| {statistics.median(r['ratios']):.2f}{better} | {'yes' if r['same_result'] else 'NO'} |"
            )
        lines.append("")
        # One chart per unit (throughput and latency do not share an axis).
        for unit in dict.fromkeys(r["unit"] for r in rows):
            same_unit = [r for r in rows if r["unit"] == unit]
            chart(out / chart_name(group, unit, rows), f"{group}: custlake vs {rows[0]['peer']}", same_unit)
    load = [r for r in results if r["group"] == "concurrency"]
    if load:
        lines += [
            "## concurrency", "",
            "![concurrency](concurrency.png)", "",
            f"Each client cycles through {len(CONCURRENCY_MIX)} statements (segment summaries, "
            f"a point lookup, a range aggregate) for {args.concurrency_seconds} s.", "",
            "| clients | statements/s | p50 ms | p99 ms | errors | server peak MiB |",
            "|---|---|---|---|---|---|",
        ]
        for r in load:
            lines.append(f"| {r['clients']} | {r['statements_per_second']:.2f} | {r['p50_ms']:.0f} "
                         f"| {r['p99_ms']:.0f} | {r['errors']} | {r['peak_mib']:.0f} |")
            if r["first_errors"]:
                lines.append(f"|  | first errors: {'; '.join(r['first_errors'])} | | | | |")
        lines.append("")
        concurrency_chart(out / "concurrency.png", load)
    text = "\n".join(lines)
    (out / "report.md").write_text(text)
    (out / "report.json").write_text(json.dumps({
        "commit": commit, "machine": machine(), "customers": args.customers, "as_of": as_of,
        "peaks_mib": peaks, "results": results,
    }, indent=2))
    print(text)
    log(f"written to {out}")
    failures = [r["workload"] for r in compared if not r["same_result"]]
    failures += [f"{r['workload']}: {r['errors']} errors" for r in load if r["errors"]]
    failures += ["churn: calibration summaries differ" for r in results
                 if r["group"] == "churn" and r["kind"] == "fit" and not r["same_summary"]]
    failures += [f"{r['workload']}: did not spill" for r in results
                 if r["group"] == "spill" and r["spill"]["spill_count"] == 0]
    if failures:
        sys.exit(f"failed: {failures}")


if __name__ == "__main__":
    main()
