"""custlake against its peers, side by side in one run.

Workload so far: the saved segmentation views (segments.rfm, segments.lifecycle,
segments.value_activity), each summarised by segment so that the whole view is computed
but little is sent, against the same computation written in DuckDB SQL
(bench/duckdb/*.sql) over the same Parquet files.

Each workload runs on custlake and on DuckDB alternately (A B A B ...): one warm-up of each,
then --runs counted runs. Reported: median, min and max wall time per side, the ratio
custlake/DuckDB per pair (A_i / B_i) and its median, whether both sides returned the same
rows, and the peak resident memory of each side (custlake: the server's VmHWM; DuckDB: this
process's, which holds DuckDB in-process). custlake is timed over the PostgreSQL wire
protocol (psycopg, extended protocol) against a warm server, DuckDB in-process.

Run by bench/run, which makes the virtual environment and builds custlake first.
"""

import argparse
import datetime
import decimal
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORKLOADS = {
    # name: custlake SQL (over the saved view)
    "rfm": "SELECT segment, count(*) AS customers, sum(monetary) AS monetary, "
    "sum(recency_days) AS recency_days FROM segments.rfm GROUP BY 1 ORDER BY 1",
    "lifecycle": "SELECT stage, count(*) AS customers FROM segments.lifecycle GROUP BY 1 ORDER BY 1",
    "value_activity": "SELECT segment, count(*) AS customers, sum(annual_spend) AS annual_spend "
    "FROM segments.value_activity GROUP BY 1 ORDER BY 1",
}


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


class Server:
    """custlake serve on a private port, stopped with SIGTERM."""

    def __init__(self, binary, lake):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(binary), "serve", "--data", str(lake), "--queries", str(ROOT / "queries"),
             "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "RUST_LOG": "warn"},
        )
        for line in self.process.stderr:
            if line.startswith("custlake is serving"):
                break
        else:
            sys.exit("custlake serve exited before listening")

    def peak_rss_mib(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        return kib / 1024

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def normalise(rows):
    """Rows as comparable tuples: decimals and floats rounded to cents."""
    out = []
    for row in rows:
        out.append(tuple(
            round(float(v), 2) if isinstance(v, (float, decimal.Decimal)) else v for v in row
        ))
    return out


def timed(run):
    started = time.perf_counter()
    rows = run()
    return time.perf_counter() - started, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lake", type=Path, help="lake directory (default bench/work/lake-N)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", type=Path, required=True)
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS))
    args = parser.parse_args()
    if args.runs < 5:
        sys.exit("--runs must be at least 5")

    lake = (args.lake or BENCH / "work" / f"lake-{args.customers}").resolve()
    ensure_lake(args.binary, lake, args.customers)
    as_of = lake_as_of(lake)

    duck = duckdb.connect()
    duck.execute((BENCH / "duckdb" / "setup.sql").read_text().replace("{lake}", str(lake)))
    server = Server(args.binary, lake)
    results = []
    try:
        with psycopg.connect(f"host=127.0.0.1 port={server.port} user=bench dbname=custlake",
                             autocommit=True) as pg:
            for name in args.workloads:
                custlake_sql = WORKLOADS[name]
                duck_sql = (BENCH / "duckdb" / f"{name}.sql").read_text().replace("{as_of}", as_of)
                run_a = lambda: pg.execute(custlake_sql).fetchall()
                run_b = lambda: duck.execute(duck_sql).fetchall()
                log(f"{name}: warm-up")
                _, rows_a = timed(run_a)
                _, rows_b = timed(run_b)
                same = normalise(rows_a) == normalise(rows_b)
                if not same:
                    log(f"{name}: RESULTS DIFFER\n  custlake: {rows_a}\n  duckdb:   {rows_b}")
                times_a, times_b = [], []
                for i in range(args.runs):
                    ta, _ = timed(run_a)
                    tb, _ = timed(run_b)
                    times_a.append(ta)
                    times_b.append(tb)
                    log(f"{name}: run {i + 1}/{args.runs}: custlake {ta:.3f} s, duckdb {tb:.3f} s")
                ratios = [a / b for a, b in zip(times_a, times_b)]
                results.append({
                    "workload": f"segments.{name}",
                    "custlake_s": {"median": statistics.median(times_a), "min": min(times_a), "max": max(times_a)},
                    "duckdb_s": {"median": statistics.median(times_b), "min": min(times_b), "max": max(times_b)},
                    "ratio_median": statistics.median(ratios),
                    "ratios": ratios,
                    "same_result": same,
                    "rows": len(rows_a),
                })
        custlake_peak = server.peak_rss_mib()
    finally:
        server.stop()
    duck_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(args, lake, as_of, results, custlake_peak, duck_peak)


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


def report(args, lake, as_of, results, custlake_peak, duck_peak):
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    lines = [
        f"# Segment views: custlake vs DuckDB {duckdb.__version__}",
        "",
        f"- commit {commit}{' (with uncommitted changes)' if dirty else ''}, {stamp}",
        f"- machine: {machine()}",
        f"- lake: {args.customers:,} customers ({lake.name}), as of {as_of}",
        f"- {args.runs} counted runs per side after one warm-up, alternating custlake / DuckDB",
        f"- peak memory: custlake server {custlake_peak:.0f} MiB, DuckDB (in the harness process) {duck_peak:.0f} MiB",
        "",
        "| workload | custlake median (min-max) s | DuckDB median (min-max) s | custlake/DuckDB (median of pairs) | same result |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        a, b = r["custlake_s"], r["duckdb_s"]
        lines.append(
            f"| {r['workload']} | {a['median']:.3f} ({a['min']:.3f}-{a['max']:.3f}) "
            f"| {b['median']:.3f} ({b['min']:.3f}-{b['max']:.3f}) | {r['ratio_median']:.2f} "
            f"| {'yes' if r['same_result'] else 'NO'} |"
        )
    text = "\n".join(lines) + "\n"
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    (out / f"segments-{stamp}.md").write_text(text)
    (out / f"segments-{stamp}.json").write_text(json.dumps({
        "commit": commit, "machine": machine(), "customers": args.customers, "as_of": as_of,
        "custlake_peak_mib": custlake_peak, "duckdb_peak_mib": duck_peak, "results": results,
    }, indent=2))
    print(text)
    if not all(r["same_result"] for r in results):
        sys.exit("some workloads returned different results on custlake and DuckDB")


if __name__ == "__main__":
    main()
