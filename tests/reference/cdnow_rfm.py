#!/usr/bin/env python3.11
"""Reference per-customer RFM on the CDNOW master data set.

Usage: cdnow_rfm.py CDNOW_master.txt OUT_DIR

Writes OUT_DIR/cdnow_orders.parquet (the purchases as an `orders` table) and
OUT_DIR/cdnow_rfm_duckdb.parquet (RFM as of 1998-07-01, computed by DuckDB).
The RFM is recomputed with pandas straight from the text file, and the script
exits non-zero if any value differs, so the parquet is checked by two
independent implementations before a Rust test relies on it.
"""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

AS_OF = dt.date(1998, 7, 1)
BUCKETS = 5


def fail(msg: str) -> None:
    sys.exit(f"cdnow_rfm.py: FAILED: {msg}")


def parse_orders(path: Path) -> pa.Table:
    """Parses the text file into the orders table, in file order."""
    ids, ts, amounts = [], [], []
    # newline="" plus split() copes with the file's CRLF endings and runs of spaces.
    with open(path, newline="") as f:
        for lineno, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if lineno == 1 and fields[0] == "customer_id":
                continue  # header
            if len(fields) != 4:
                fail(f"{path}:{lineno}: expected 4 fields, got {fields!r}")
            cust, date, _n_cds, dollars = fields
            amount = Decimal(dollars)
            if amount.as_tuple().exponent < -2:
                fail(f"{path}:{lineno}: amount {dollars} has more than 2 decimals")
            ids.append(int(cust))
            ts.append(dt.datetime.strptime(date, "%Y%m%d"))  # midnight, naive
            amounts.append(amount)
    n = len(ids)
    return pa.table({
        "customer_id": pa.array(ids, pa.int64()),
        "order_ts": pa.array(ts, pa.timestamp("us")),
        "amount": pa.array(amounts, pa.decimal128(12, 2)),
        "status": pa.array(["completed"] * n, pa.string()),
        "order_id": pa.array(range(1, n + 1), pa.int64()),
    })


RFM_SQL = f"""
WITH orders AS (
    -- "on or before" the as-of date: compare dates, not timestamps, so a purchase
    -- later on 1998-07-01 would still count.
    SELECT * FROM read_parquet($orders)
    WHERE status = 'completed' AND CAST(order_ts AS DATE) <= DATE '{AS_OF}'
), per_customer AS (
    SELECT customer_id,
           CAST(max(order_ts) AS DATE)         AS last_order_date,
           count(*)                            AS frequency,
           CAST(sum(amount) AS DECIMAL(18,2))  AS monetary
    FROM orders
    GROUP BY customer_id
), with_recency AS (
    SELECT *, CAST(DATE '{AS_OF}' - last_order_date AS BIGINT) AS recency_days
    FROM per_customer
)
SELECT customer_id, last_order_date, recency_days, frequency, monetary,
       NTILE({BUCKETS}) OVER (ORDER BY recency_days DESC, customer_id) AS r_score,
       NTILE({BUCKETS}) OVER (ORDER BY frequency ASC,     customer_id) AS f_score,
       NTILE({BUCKETS}) OVER (ORDER BY monetary ASC,      customer_id) AS m_score
FROM with_recency
ORDER BY customer_id
"""


def ntile(rank: np.ndarray, n: int, buckets: int) -> np.ndarray:
    """NTILE bucket of 1-based positions: the first n % buckets buckets get one extra row."""
    base, rem = divmod(n, buckets)
    big = rem * (base + 1)  # rows held by the larger buckets
    p = rank - 1
    small = rem + (p - big) // base + 1 if base else np.zeros_like(p)
    return np.where(p < big, p // (base + 1) + 1, small)


def pandas_rfm(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Independent RFM: own parse of the text file, money in integer cents."""
    raw = pd.read_csv(path, sep=r"\s+", header=0, dtype=str)
    if list(raw.columns) != ["customer_id", "date", "number_of_cds", "dollar_value"]:
        fail(f"unexpected header {list(raw.columns)}")
    if not raw["dollar_value"].str.fullmatch(r"\d+\.\d\d").all():
        fail("a dollar_value is not of the form digits.dd")
    dollars = raw["dollar_value"].str.split(".", n=1, expand=True)
    orders = pd.DataFrame({
        "customer_id": raw["customer_id"].astype("int64"),
        "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
        "cents": dollars[0].astype("int64") * 100 + dollars[1].astype("int64"),
    })
    orders["order_id"] = np.arange(1, len(orders) + 1, dtype="int64")
    kept = orders[orders["date"] <= pd.Timestamp(AS_OF)]
    rfm = (kept.groupby("customer_id")
           .agg(last=("date", "max"), frequency=("date", "size"), cents=("cents", "sum"))
           .sort_index().reset_index())
    rfm["last_order_date"] = rfm["last"].dt.date
    rfm["recency_days"] = (pd.Timestamp(AS_OF) - rfm["last"]).dt.days.astype("int64")
    n = len(rfm)
    # Rows are in customer_id order, so rank(method="first") breaks ties by customer_id,
    # matching the SQL's secondary sort key.
    for score, col, asc in [("r_score", "recency_days", False),
                            ("f_score", "frequency", True),
                            ("m_score", "cents", True)]:
        pos = rfm[col].rank(method="first", ascending=asc).astype("int64").to_numpy()
        rfm[score] = ntile(pos, n, BUCKETS)
    return orders, rfm


def check_ntile_formula(con: duckdb.DuckDBPyConnection) -> None:
    """CDNOW has 23,570 customers, a multiple of 5, so the uneven-bucket branch of
    ntile() is not exercised by the data; check it against DuckDB on small n."""
    for n in range(1, 33):
        want = [r[0] for r in con.execute(
            f"SELECT NTILE({BUCKETS}) OVER (ORDER BY i) FROM range(1, {n + 1}) t(i) ORDER BY i"
        ).fetchall()]
        got = ntile(np.arange(1, n + 1), n, BUCKETS).tolist()
        if got != want:
            fail(f"ntile formula for n={n}: {got} vs DuckDB {want}")


def compare(duck: pd.DataFrame, ref: pd.DataFrame) -> None:
    if len(duck) != len(ref):
        fail(f"DuckDB has {len(duck)} customers, pandas {len(ref)}")
    for col in ["customer_id", "last_order_date", "recency_days", "frequency",
                "cents", "r_score", "f_score", "m_score"]:
        a, b = duck[col].to_numpy(), ref[col].to_numpy()
        bad = np.flatnonzero(a != b)
        if bad.size:
            i = bad[0]
            fail(f"column {col}: {bad.size} customers differ, first customer_id "
                 f"{ref['customer_id'].iat[i]}: DuckDB {a[i]} vs pandas {b[i]}")


def check_orders_file(orders_path: Path, ref_orders: pd.DataFrame) -> None:
    """The written orders parquet must hold exactly what pandas parsed from the text."""
    t = pq.read_table(orders_path)
    want = pa.schema([("customer_id", pa.int64()), ("order_ts", pa.timestamp("us")),
                      ("amount", pa.decimal128(12, 2)), ("status", pa.string()),
                      ("order_id", pa.int64())])
    if not t.schema.remove_metadata().equals(want):
        fail(f"orders parquet schema is\n{t.schema}\nexpected\n{want}")
    got = pd.DataFrame({
        "customer_id": t["customer_id"].to_numpy(),
        "date": t["order_ts"].to_pandas(),
        "cents": [int(d.scaleb(2)) for d in t["amount"].to_pylist()],
        "order_id": t["order_id"].to_numpy(),
    })
    if not got.equals(ref_orders[got.columns].reset_index(drop=True)):
        fail("orders parquet differs from the pandas parse of the text file")
    if set(t["status"].to_pylist()) != {"completed"}:
        fail("orders parquet has a status other than 'completed'")


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    orders_path = out / "cdnow_orders.parquet"
    rfm_path = out / "cdnow_rfm_duckdb.parquet"

    con = duckdb.connect()
    orders_tbl = parse_orders(src)
    con.register("orders_src", orders_tbl)
    con.execute(f"COPY (SELECT * FROM orders_src ORDER BY order_id) "
                f"TO '{orders_path}' (FORMAT parquet, COMPRESSION zstd)")

    # DuckDB computes from the parquet it wrote, so the file itself is exercised.
    duck = con.sql(RFM_SQL, params={"orders": str(orders_path)}).to_arrow_table()
    con.register("rfm_result", duck)
    con.execute("CREATE TABLE rfm AS SELECT * FROM rfm_result")
    con.execute(f"""COPY (SELECT customer_id, recency_days, frequency, monetary,
                             r_score, f_score, m_score FROM rfm ORDER BY customer_id)
                    TO '{rfm_path}' (FORMAT parquet, COMPRESSION zstd)""")

    check_ntile_formula(con)
    ref_orders, ref = pandas_rfm(src)
    check_orders_file(orders_path, ref_orders)
    duck_df = pd.DataFrame({
        "customer_id": duck["customer_id"].to_numpy(),
        "last_order_date": duck["last_order_date"].to_pylist(),
        "recency_days": duck["recency_days"].to_numpy(),
        "frequency": duck["frequency"].to_numpy(),
        "cents": [int(d.scaleb(2)) for d in duck["monetary"].to_pylist()],
        "r_score": duck["r_score"].to_numpy(),
        "f_score": duck["f_score"].to_numpy(),
        "m_score": duck["m_score"].to_numpy(),
    })
    compare(duck_df, ref)

    # DuckDB marks the columns REQUIRED (no nulls); only the types are pinned here.
    out_schema = pq.read_schema(rfm_path).remove_metadata()
    out_schema = pa.schema([f.with_nullable(True) for f in out_schema])
    want = pa.schema([("customer_id", pa.int64()), ("recency_days", pa.int64()),
                      ("frequency", pa.int64()), ("monetary", pa.decimal128(18, 2)),
                      ("r_score", pa.int64()), ("f_score", pa.int64()), ("m_score", pa.int64())])
    if not out_schema.equals(want):
        fail(f"RFM parquet schema is\n{out_schema}\nexpected\n{want}")

    summarize(con, ref_orders, ref)
    print("OK: DuckDB and pandas agree on every column for every customer")


def summarize(con: duckdb.DuckDBPyConnection, orders: pd.DataFrame, ref: pd.DataFrame) -> None:
    print(f"as of {AS_OF}")
    print(f"order rows: {len(orders)}  "
          f"dates {orders['date'].min().date()} .. {orders['date'].max().date()}")
    print(f"customers: {len(ref)}")
    s = con.execute("""SELECT sum(recency_days), sum(frequency), sum(monetary),
                              sum(r_score), sum(f_score), sum(m_score) FROM rfm""").fetchone()
    print("sums: recency_days={} frequency={} monetary={} r_score={} f_score={} m_score={}"
          .format(*s))
    print("score distribution (score: customers, metric min..max):")
    for score, col in [("r_score", "recency_days"), ("f_score", "frequency"),
                       ("m_score", "monetary")]:
        rows = con.execute(f"""SELECT {score}, count(*), min({col}), max({col})
                               FROM rfm GROUP BY 1 ORDER BY 1""").fetchall()
        print(f"  {score} ({col}): " + "; ".join(f"{k}: {c}, {lo}..{hi}" for k, c, lo, hi in rows))
    # Data quirks worth knowing when comparing against other engines.
    zero_rows = int((orders["cents"] == 0).sum())
    same_day = orders.groupby(["customer_id", "date"]).size()
    exact_dup = int(orders.duplicated(["customer_id", "date", "cents"]).sum())
    print(f"notes: zero-amount rows={zero_rows}; "
          f"customers with monetary=0: {int((ref['cents'] == 0).sum())}; "
          f"(customer, day) pairs with >1 row: {int((same_day > 1).sum())} "
          f"covering {int(same_day[same_day > 1].sum())} rows; "
          f"rows repeating an earlier (customer, day, amount): {exact_dup}; "
          f"customers with frequency=1: {int((ref['frequency'] == 1).sum())}")


if __name__ == "__main__":
    main()
