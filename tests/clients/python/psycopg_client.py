"""psycopg 3 against custlake: parameters of every type the lake has (int8, numeric, text,
date, timestamp, bool) in text and binary format, server-side prepared statements, session
settings and transactions. Run by tests/it/clients.rs."""

import datetime as dt
from decimal import Decimal

import psycopg
from psycopg import pq

from conformance import (
    CUSTOMERS_QUERY,
    ORDERS_QUERY,
    TYPED_QUERY,
    TYPED_TOTALS,
    args,
    customer_rows,
    equal,
    equal_rows,
    ok,
    order_rows,
    placeholders,
    typed_params,
    typed_rows,
)


def connect(port):
    return psycopg.connect(host="127.0.0.1", port=port, user="tester", dbname="custlake")


def main():
    port, expected = args()
    with connect(port) as conn:
        equal(conn.info.server_version, 160006, "server_version")
        # PostgreSQL's own builds append a note too ("16.6 (Debian 16.6-1.pgdg120+1)").
        reported = conn.info.parameter_status("server_version")
        if not reported.startswith("16.6"):
            raise AssertionError(f"server_version parameter: {reported}")
        version = conn.execute("SELECT version()").fetchone()[0]
        if not version.startswith("PostgreSQL 16.6 (custlake "):
            raise AssertionError(f"version(): {version}")
        ok("connect")

        equal(
            conn.execute("SELECT count(*) FROM customers").fetchone(),
            (expected["customer_count"],),
            "count(*)",
        )
        cur = conn.execute(placeholders(ORDERS_QUERY, "%s"), (expected["orders_of_customer"]["customer_id"],))
        equal(
            [c.name for c in cur.description],
            ["order_id", "customer_id", "order_ts", "channel", "status", "amount", "discount"],
            "column names",
        )
        equal(
            [c.type_code for c in cur.description],
            [20, 20, 1114, 25, 25, 1700, 1700],
            "column type OIDs",
        )
        equal_rows(cur.fetchall(), order_rows(expected), "orders of a customer")
        cur = conn.execute(placeholders(CUSTOMERS_QUERY, "%s"), (5,))
        equal_rows(cur.fetchall(), customer_rows(expected), "customers 1-5")
        ok("rows")

        params = typed_params(expected)
        rows = typed_rows(expected)
        totals = (expected["typed_query"]["count"], Decimal(expected["typed_query"]["sum_amount"]))
        # Text parameters; the second and third execution use a named prepared statement.
        for prepare in (None, True, True):
            cur = conn.execute(placeholders(TYPED_QUERY, "%s"), params, prepare=prepare)
            equal_rows(cur.fetchall(), rows, f"typed query, text (prepare={prepare})")
        cur = conn.execute(placeholders(TYPED_TOTALS, "%t"), params)
        equal_rows(cur.fetchall(), [totals], "typed totals, text")
        # opted-out selects nothing: the bool parameter counts.
        cur = conn.execute(placeholders(TYPED_QUERY, "%s"), params[:5] + (False,))
        equal(cur.fetchall(), [], "typed query with opt_in = false")
        ok("typed text")

        # Binary parameters and binary results.
        for prepare in (None, True):
            cur = conn.cursor(binary=True)
            cur.execute(placeholders(TYPED_QUERY, "%b"), params, prepare=prepare)
            equal(pq.Format(cur.pgresult.fformat(0)), pq.Format.BINARY, "result format")
            equal_rows(cur.fetchall(), rows, f"typed query, binary (prepare={prepare})")
        cur = conn.cursor(binary=True)
        cur.execute(placeholders(TYPED_TOTALS, "%b"), params)
        equal_rows(cur.fetchall(), [totals], "typed totals, binary")
        cur = conn.cursor(binary=True)
        cur.execute(placeholders(ORDERS_QUERY, "%b"), (expected["orders_of_customer"]["customer_id"],))
        equal_rows(cur.fetchall(), order_rows(expected), "orders of a customer, binary")
        cur = conn.cursor(binary=True)
        cur.execute(placeholders(CUSTOMERS_QUERY, "%b"), (5,))
        equal_rows(cur.fetchall(), customer_rows(expected), "customers 1-5, binary")
        ok("typed binary")

    # Session settings, per connection; autocommit so no transaction is open.
    with connect(port) as a, connect(port) as b:
        a.autocommit = b.autocommit = True
        a.execute("SET application_name = 'psycopg-conformance'")
        equal(a.execute("SHOW application_name").fetchone()[0], "psycopg-conformance", "SHOW")
        # The server reports the change (ParameterStatus), as PostgreSQL does.
        equal(a.info.parameter_status("application_name"), "psycopg-conformance", "reported application_name")
        equal(b.info.parameter_status("application_name"), "", "other connection's application_name")
        a.execute("SET DateStyle = 'ISO, DMY'")
        equal(a.info.parameter_status("DateStyle"), "ISO, DMY", "reported DateStyle")
        equal(b.execute("SHOW application_name").fetchone()[0], "", "SHOW on another connection")
        a.execute("SET search_path = segments, public")
        vip = [(v["customer_id"], v["email"]) for v in expected["vip"]]
        equal(a.execute("SELECT customer_id, email FROM vip ORDER BY 1").fetchall(), vip, "vip view")
        a.execute("RESET ALL")
        equal(a.execute("SHOW application_name").fetchone()[0], "", "SHOW after RESET ALL")
        equal(a.info.parameter_status("application_name"), "", "reported after RESET ALL")
        equal(a.info.parameter_status("DateStyle"), "ISO, MDY", "reported DateStyle after RESET ALL")
        ok("session")

    # Transactions: psycopg opens one before the first statement when autocommit is off.
    with connect(port) as conn:
        equal(conn.info.transaction_status, pq.TransactionStatus.IDLE, "idle at start")
        conn.execute("SELECT 1")
        equal(conn.info.transaction_status, pq.TransactionStatus.INTRANS, "in a transaction")
        conn.commit()
        equal(conn.info.transaction_status, pq.TransactionStatus.IDLE, "idle after commit")
        conn.execute("SELECT 1")
        conn.rollback()
        equal(conn.info.transaction_status, pq.TransactionStatus.IDLE, "idle after rollback")
        with conn.transaction():
            n = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
            equal(n, expected["order_count"], "count in a transaction block")
        equal(conn.info.transaction_status, pq.TransactionStatus.IDLE, "idle after the block")
        ok("transaction")

    rollback_after_prepared_statements(port, expected)
    server_side_cursor(port, expected)
    copy_to_stdout(port, expected)


def copy_to_stdout(port, expected):
    """cursor.copy() of COPY (query) TO STDOUT, in text and binary (rows read back as typed
    values) and CSV with a header (the bytes)."""
    customer = expected["orders_of_customer"]["customer_id"]
    query = ORDERS_QUERY.format(customer)
    types = ["int8", "int8", "timestamp", "text", "text", "numeric", "numeric"]
    with connect(port) as conn:
        cur = conn.cursor()
        for options in ("", " (FORMAT binary)"):
            with cur.copy(f"COPY ({query}) TO STDOUT{options}") as copy:
                copy.set_types(types)
                rows = list(copy.rows())
            equal_rows(rows, order_rows(expected), f"COPY TO STDOUT{options}")
            equal(cur.rowcount, len(rows), f"COPY{options} row count")
        with cur.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            text = b"".join(bytes(chunk) for chunk in copy).decode()
        lines = text.splitlines()
        equal(lines[0], "order_id,customer_id,order_ts,channel,status,amount,discount", "CSV header")
        first = expected["orders_of_customer"]["rows"][0]
        equal(lines[1].split(",")[0], str(first["order_id"]), "CSV first order")
        equal(lines[1].split(",")[5], first["amount"], "CSV amount as text")
        equal(len(lines), len(rows) + 1, "CSV lines")
        # A list parameter (sent as an array's text) for = ANY(%s).
        ids = [r["order_id"] for r in expected["orders_of_customer"]["rows"]][:3]
        found = conn.execute("SELECT order_id FROM orders WHERE order_id = ANY(%s) ORDER BY 1", (ids,)).fetchall()
        equal(found, [(i,) for i in sorted(ids)], "= ANY(list parameter)")
        # A COPY into custlake is refused; the connection keeps serving.
        try:
            with cur.copy("COPY orders FROM STDIN") as copy:
                pass
            raise AssertionError("COPY FROM STDIN was accepted")
        except psycopg.errors.ReadOnlySqlTransaction:
            pass
        conn.rollback()
        equal(conn.execute("SELECT 1").fetchone(), (1,), "after a refused COPY")
    ok("copy")


def server_side_cursor(port, expected):
    """A named (server-side) cursor: psycopg sends DECLARE ... CURSOR and FETCH FORWARD n.

    The DECLARE has a bound parameter, and psycopg describes the cursor as a portal."""
    with connect(port) as conn:
        with conn.cursor(name="orders_cursor") as cur:
            cur.itersize = 5
            cur.execute(placeholders(ORDERS_QUERY, "%s"), (expected["orders_of_customer"]["customer_id"],))
            first = cur.fetchmany(3)
            rest = cur.fetchall()
            equal_rows(first + rest, order_rows(expected), "server-side cursor")
        ok("server-side cursor")


def rollback_after_prepared_statements(port, expected):
    """psycopg sends DEALLOCATE ALL after ROLLBACK once it has prepared statements on the
    connection (a rollback may have dropped them); custlake accepts it and the client prepares
    again."""
    with connect(port) as conn:
        params = typed_params(expected)
        cur = conn.execute(placeholders(TYPED_QUERY, "%s"), params, prepare=True)
        equal_rows(cur.fetchall(), typed_rows(expected), "prepared before a rollback")
        conn.rollback()
        equal(conn.info.transaction_status, pq.TransactionStatus.IDLE, "idle after rollback")
        cur = conn.execute(placeholders(TYPED_QUERY, "%s"), params, prepare=True)
        equal_rows(cur.fetchall(), typed_rows(expected), "prepared again after the rollback")
        ok("rollback after prepared statements")


if __name__ == "__main__":
    main()
