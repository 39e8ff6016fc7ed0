"""SQLAlchemy (dialect postgresql+psycopg) reflection and pandas.read_sql against custlake:
inspect()'s schemas, tables, views, columns with their types and comments, and DataFrames read
with and without parameters. Run by tests/it/clients.rs."""

import datetime as dt
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from conformance import args, date, equal, equal_rows, ok, timestamp, typed_params, typed_rows

# SQLAlchemy's type for each PostgreSQL type the lake has.
TYPES = {
    "int2": sa.SMALLINT,
    "int4": sa.INTEGER,
    "int8": sa.BIGINT,
    "float4": sa.REAL,
    "float8": pg.DOUBLE_PRECISION,
    "numeric": sa.NUMERIC,
    "text": sa.TEXT,
    "date": sa.DATE,
    "timestamp": pg.TIMESTAMP,
    "bool": sa.BOOLEAN,
}


def check_columns(inspector, table, schema, expected_columns):
    reflected = inspector.get_columns(table, schema=schema)
    what = f"{schema}.{table}"
    equal([c["name"] for c in reflected], [c["name"] for c in expected_columns], f"{what}: columns")
    for got, want in zip(reflected, expected_columns):
        kind = TYPES[want["udt"]]
        if type(got["type"]) is not kind:
            raise AssertionError(f"{what}.{want['name']}: type {got['type']!r}, expected {kind.__name__}")
        if want["udt"] == "numeric":
            equal((got["type"].precision, got["type"].scale), (want["precision"], want["scale"]), f"{what}.{want['name']}: precision and scale")
        if want["udt"] == "timestamp":
            equal(got["type"].timezone, False, f"{what}.{want['name']}: without time zone")
        equal(got["default"], None, f"{what}.{want['name']}: default")


EXPECTED = {}


def url(port):
    return f"postgresql+psycopg://tester@127.0.0.1:{port}/custlake"


def default_engine_connects(port):
    """An engine with the dialect's defaults: on its first connection it looks up the hstore
    type with psycopg's TypeInfo.fetch, `SELECT ... FROM pg_type t WHERE t.oid =
    to_regtype('hstore')`, which PostgreSQL (and custlake, which has no hstore) answers with
    no row."""
    engine = sa.create_engine(url(port))
    try:
        with engine.connect() as conn:
            equal(conn.execute(sa.text("SELECT 1")).scalar(), 1, "SELECT 1")
        ok("default engine")
    finally:
        engine.dispose()


def schema_names(port):
    """Inspector.get_schema_names(): SQLAlchemy leaves out pg_* schemas with
    `nspname NOT LIKE 'pg/_' || '%' ESCAPE '/'`, the pattern bound as a parameter."""
    engine = sa.create_engine(url(port))
    try:
        names = sa.inspect(engine).get_schema_names()
        equal(sorted(names), ["information_schema", "public", "segments"], "schemas")
        ok("schemas")
    finally:
        engine.dispose()


def view_comments(port, expected=None):
    """Inspector.get_table_comment(): a saved query's description is its view's comment.
    SQLAlchemy joins pg_description with `classoid = CAST(%(param)s AS REGCLASS)` and binds
    'pg_catalog.pg_class' as a parameter."""
    engine = sa.create_engine(url(port))
    try:
        inspector = sa.inspect(engine)
        for view in EXPECTED["views"]:
            comment = inspector.get_table_comment(view["name"], schema="segments")
            equal(comment["text"], view["description"], f"comment of segments.{view['name']}")
        ok("view comments")
    finally:
        engine.dispose()


def columns(port):
    """Inspector.get_columns() with each column's type, a Table reflected whole, and
    pandas.read_sql_table (which reflects the table). SQLAlchemy's column query has correlated
    scalar subqueries (identity options, collation), which custlake turns into joins."""
    engine = sa.create_engine(url(port))
    try:
        inspector = sa.inspect(engine)
        for table in ("customers", "orders"):
            check_columns(inspector, table, None, EXPECTED["columns"][table])
        for table in EXPECTED["tables"]:
            check_columns(inspector, table, "public", EXPECTED["columns"][table])
        for view in EXPECTED["views"]:
            check_columns(inspector, view["name"], "segments", view["columns"])
        orders = sa.Table("orders", sa.MetaData(), autoload_with=engine)
        equal([c.name for c in orders.columns], [c["name"] for c in EXPECTED["columns"]["orders"]], "reflected Table")
        with engine.connect() as conn:
            frame = pd.read_sql_table("customers", conn)
        equal(len(frame), EXPECTED["customer_count"], "read_sql_table rows")
        first = frame.sort_values("customer_id").iloc[0]
        want = EXPECTED["customers"][0]
        equal((int(first["customer_id"]), first["name"], first["email"]), (want["customer_id"], want["name"], want["email"]), "first customer")
        ok("columns")
    finally:
        engine.dispose()


def keys_and_indexes(port):
    """get_pk_constraint / get_unique_constraints (their query calls generate_subscripts())
    and get_indexes (it joins pg_catalog.pg_opclass). A lake table has none of them."""
    engine = sa.create_engine(url(port))
    try:
        inspector = sa.inspect(engine)
        equal(inspector.get_pk_constraint("orders")["constrained_columns"], [], "primary key")
        equal(inspector.get_unique_constraints("orders"), [], "unique constraints")
        equal(inspector.get_indexes("orders"), [], "indexes")
        ok("keys and indexes")
    finally:
        engine.dispose()


def main():
    port, expected = args()
    EXPECTED.update(expected)
    default_engine_connects(port)
    view_comments(port)
    schema_names(port)
    keys_and_indexes(port)
    columns(port)
    engine = sa.create_engine(url(port))
    try:
        inspector = sa.inspect(engine)
        equal(inspector.default_schema_name, "public", "default schema")
        ok("default schema")

        equal(sorted(inspector.get_table_names()), expected["tables"], "tables of public")
        equal(inspector.get_table_names(schema="segments"), [], "tables of segments")
        equal(inspector.get_view_names(), [], "views of public")
        ok("tables")

        views = expected["views"]
        equal(sorted(inspector.get_view_names(schema="segments")), [v["name"] for v in views], "views of segments")
        definition = inspector.get_view_definition("big_orders", schema="segments")
        equal(definition.strip(), "SELECT order_id, amount FROM orders WHERE amount > 500", "view definition")
        ok("views")

        # Lake tables have no constraints; reflection says so rather than failing.
        equal(inspector.get_foreign_keys("orders"), [], "foreign keys")
        equal(inspector.get_check_constraints("orders"), [], "check constraints")
        ok("constraints")

        with engine.connect() as conn:
            frame = pd.read_sql("SELECT customer_id, email FROM segments.vip ORDER BY customer_id", conn)
            equal(list(frame.columns), ["customer_id", "email"], "vip columns")
            equal(str(frame["customer_id"].dtype), "int64", "customer_id dtype")
            equal(
                [(int(r.customer_id), r.email) for r in frame.itertuples()],
                [(v["customer_id"], v["email"]) for v in expected["vip"]],
                "vip rows",
            )
            frame = pd.read_sql("SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status", conn)
            equal(dict(zip(frame["status"], (int(n) for n in frame["n"]))), expected["status_counts"], "orders by status")
            frame = pd.read_sql("SELECT count(*) AS n FROM segments.big_orders", conn)
            equal(int(frame["n"][0]), expected["big_orders_count"], "count of a view")
            ok("read_sql")

            query = sa.text(
                "SELECT o.order_id, o.order_ts, o.amount, o.status, c.signup_date, c.marketing_opt_in "
                "FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
                "WHERE o.customer_id = :customer_id AND o.amount >= :min_amount AND o.status = :status "
                "AND c.signup_date >= :signup_from AND o.order_ts < :before AND c.marketing_opt_in = :opt_in "
                "ORDER BY o.order_id"
            )
            names = ("customer_id", "min_amount", "status", "signup_from", "before", "opt_in")
            params = dict(zip(names, typed_params(expected)))
            frame = pd.read_sql(query, conn, params=params, coerce_float=False)
            equal(
                [str(t) for t in frame.dtypes],
                ["int64", "datetime64[us]", "object", "str", "object", "bool"],
                "dtypes",
            )
            rows = [
                (
                    int(r.order_id),
                    r.order_ts.to_pydatetime(),
                    r.amount,
                    r.status,
                    r.signup_date,
                    bool(r.marketing_opt_in),
                )
                for r in frame.itertuples()
            ]
            equal_rows(rows, typed_rows(expected), "read_sql with parameters")
            ok("read_sql params")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
