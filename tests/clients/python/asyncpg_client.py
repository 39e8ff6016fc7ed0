"""asyncpg against custlake: a pool (acquire and release), concurrent queries on several
connections, and prepared statements with parameters of every type the lake has. asyncpg uses
the extended protocol with binary formats for parameters and results. Run by
tests/it/clients.rs."""

import asyncio
import sys
from decimal import Decimal

import asyncpg

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

PER_CUSTOMER = (
    "SELECT count(*), coalesce(sum(amount), 0) FROM orders "
    "WHERE customer_id = $1 AND status = $2"
)


def dsn(port):
    return f"postgresql://tester@127.0.0.1:{port}/custlake"


async def main():
    port, expected = args()
    pool = await asyncpg.create_pool(dsn(port), min_size=2, max_size=4)
    try:
        # Acquire and release: the same connections serve again after release.
        async with pool.acquire() as conn:
            equal(conn.get_server_version().major, 16, "server version")
            equal(await conn.fetchval("SELECT count(*) FROM customers"), expected["customer_count"], "count(*)")
            await conn.execute("SET application_name = 'asyncpg-conformance'")
            # Reported by the server in ParameterStatus, which asyncpg keeps as its settings.
            equal(conn.get_settings().application_name, "asyncpg-conformance", "reported application_name")
            first = conn.get_server_pid()
        async with pool.acquire() as conn:
            # The released connection's session was reset.
            equal(await conn.fetchval("SHOW application_name"), "", "application_name after release")
        equal(pool.get_size() <= 4, True, "pool size")
        equal(isinstance(first, int), True, "backend pid")
        ok("pool")

        # Concurrent queries on the pool's connections.
        per_customer = expected["completed_per_customer"]

        async def one(row):
            async with pool.acquire() as conn:
                return await conn.fetchrow(PER_CUSTOMER, row["customer_id"], "completed")

        results = await asyncio.gather(*(one(r) for r in per_customer))
        for row, got in zip(per_customer, results):
            equal(
                (got[0], got[1]),
                (row["orders"], Decimal(row["amount"])),
                f"completed orders of customer {row['customer_id']}",
            )
        equal(pool.get_size() > 1, True, "more than one connection served")
        ok("concurrent")

        # Prepared statements with parameters of each type, executed several times.
        async with pool.acquire() as conn:
            statement = await conn.prepare(placeholders(TYPED_QUERY, "$n"))
            equal(
                [t.name for t in statement.get_parameters()],
                ["int8", "numeric", "text", "date", "timestamp", "bool"],
                "parameter types",
            )
            equal(
                [(a.name, a.type.name) for a in statement.get_attributes()],
                [
                    ("order_id", "int8"),
                    ("order_ts", "timestamp"),
                    ("amount", "numeric"),
                    ("status", "text"),
                    ("signup_date", "date"),
                    ("marketing_opt_in", "bool"),
                ],
                "result columns",
            )
            params = typed_params(expected)
            for _ in range(3):
                equal_rows(await statement.fetch(*params), typed_rows(expected), "typed query")
            equal(await statement.fetch(*params[:5], False), [], "typed query with opt_in = false")
            totals = await conn.fetchrow(placeholders(TYPED_TOTALS, "$n"), *params)
            equal(
                (totals["n"], totals["total"]),
                (expected["typed_query"]["count"], Decimal(expected["typed_query"]["sum_amount"])),
                "typed totals",
            )
            # A cursor-less row limit: asyncpg's fetchrow binds and executes the whole portal,
            # statement.fetchrow the first row only.
            first_row = await statement.fetchrow(*params)
            equal(tuple(first_row), typed_rows(expected)[0], "first row")
            ok("prepared")

            customer = expected["orders_of_customer"]["customer_id"]
            equal_rows(await conn.fetch(placeholders(ORDERS_QUERY, "$n"), customer), order_rows(expected), "orders of a customer")
            equal_rows(await conn.fetch(placeholders(CUSTOMERS_QUERY, "$n"), 5), customer_rows(expected), "customers 1-5")
            ok("rows")
    finally:
        await pool.close()

    await cursor_iteration(port, expected)

    await default_pool_reset(port, expected)


async def default_pool_reset(port, expected):
    """asyncpg's own reset on release: for a server that says it is PostgreSQL it runs
    `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;`, so a released
    connection's settings are gone when it is acquired again."""
    pool = await asyncpg.create_pool(dsn(port), min_size=1, max_size=1)
    try:
        for _ in range(2):
            async with pool.acquire() as conn:
                await conn.execute("SET application_name = 'asyncpg-conformance'")
        async with pool.acquire() as conn:
            equal(await conn.fetchval("SHOW application_name"), "", "application_name after release")
        ok("default pool reset")
    finally:
        pool.terminate()


async def cursor_iteration(port, expected):
    """Connection.cursor() in a transaction: a portal read in chunks of `prefetch` rows
    (Execute with a row limit, then the suspended portal resumed)."""
    conn = await asyncpg.connect(dsn(port))
    try:
        async with conn.transaction():
            rows = [r async for r in conn.cursor(placeholders(ORDERS_QUERY, "$n"), expected["orders_of_customer"]["customer_id"], prefetch=3)]
        equal_rows(rows, order_rows(expected), "cursor")
        ok("cursor")
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
