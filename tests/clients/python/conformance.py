"""Shared helpers of the Python client programs of the conformance suite.

Each program is run by tests/it/clients.rs as `python PROGRAM PORT EXPECTED_JSON`; it prints
`ok <check>` after each check that passed and exits non-zero at the first value that differs.
"""

import datetime as dt
import json
import sys
from decimal import Decimal

EPOCH = dt.datetime(1970, 1, 1)


def args():
    """(port, expected values) from the command line."""
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} PORT EXPECTED_JSON")
    with open(sys.argv[-1], encoding="utf-8") as f:
        return int(sys.argv[-2]), json.load(f)


def ok(check):
    print(f"ok {check}", flush=True)


def equal(actual, expected, what):
    if actual != expected or type(actual) is not type(expected):
        raise AssertionError(
            f"{what}: got {actual!r} ({type(actual).__name__}), "
            f"expected {expected!r} ({type(expected).__name__})"
        )


def timestamp(micros):
    """A `timestamp` value, from microseconds since the epoch."""
    return EPOCH + dt.timedelta(microseconds=micros)


def date(text):
    return dt.date.fromisoformat(text)


def typed_params(expected):
    """The typed query's parameters as Python values: int, Decimal, str, date, datetime, bool."""
    p = expected["typed_query"]["params"]
    return (
        p["customer_id"],
        Decimal(p["min_amount"]),
        p["status"],
        date(p["signup_from"]),
        timestamp(p["before_us"]),
        p["opt_in"],
    )


def typed_rows(expected):
    """The typed query's rows as Python values, as a driver should return them."""
    return [
        (
            r["order_id"],
            timestamp(r["order_ts_us"]),
            Decimal(r["amount"]),
            r["status"],
            date(r["signup_date"]),
            r["marketing_opt_in"],
        )
        for r in expected["typed_query"]["rows"]
    ]


def order_rows(expected):
    """The orders of one customer (every column of `orders`), as Python values."""
    return [
        (
            r["order_id"],
            r["customer_id"],
            timestamp(r["order_ts_us"]),
            r["channel"],
            r["status"],
            Decimal(r["amount"]),
            Decimal(r["discount"]),
        )
        for r in expected["orders_of_customer"]["rows"]
    ]


def customer_rows(expected):
    return [
        (
            c["customer_id"],
            c["name"],
            c["email"],
            date(c["birth_date"]),
            date(c["signup_date"]),
            c["customer_type"],
            c["marketing_opt_in"],
            c["referred_by"],
        )
        for c in expected["customers"]
    ]


def equal_rows(actual, expected, what):
    """Rows equal value for value and type for type (Decimal scale included)."""
    actual = [tuple(r) for r in actual]
    equal(len(actual), len(expected), f"{what}: number of rows")
    for i, (a, e) in enumerate(zip(actual, expected)):
        equal(len(a), len(e), f"{what}: row {i} width")
        for j, (x, y) in enumerate(zip(a, e)):
            equal(x, y, f"{what}: row {i} column {j}")
            if isinstance(y, Decimal):
                equal(str(x), str(y), f"{what}: row {i} column {j} as text")


# The typed query: one parameter of each type the lake has, in each driver's placeholder style.
TYPED_QUERY = """
SELECT o.order_id, o.order_ts, o.amount, o.status, c.signup_date, c.marketing_opt_in
FROM orders o JOIN customers c ON c.customer_id = o.customer_id
WHERE o.customer_id = {0} AND o.amount >= {1} AND o.status = {2}
  AND c.signup_date >= {3} AND o.order_ts < {4} AND c.marketing_opt_in = {5}
ORDER BY o.order_id
"""

TYPED_TOTALS = """
SELECT count(*) AS n, sum(o.amount) AS total
FROM orders o JOIN customers c ON c.customer_id = o.customer_id
WHERE o.customer_id = {0} AND o.amount >= {1} AND o.status = {2}
  AND c.signup_date >= {3} AND o.order_ts < {4} AND c.marketing_opt_in = {5}
"""

ORDERS_QUERY = (
    "SELECT order_id, customer_id, order_ts, channel, status, amount, discount "
    "FROM orders WHERE customer_id = {0} ORDER BY order_id"
)

CUSTOMERS_QUERY = (
    "SELECT customer_id, name, email, birth_date, signup_date, customer_type, "
    "marketing_opt_in, referred_by FROM customers WHERE customer_id <= {0} ORDER BY customer_id"
)


def placeholders(query, style):
    """The query with its six placeholders written in a driver's style ('%s', '%b', '$n')."""
    if style == "$n":
        return query.format(*[f"${i}" for i in range(1, 7)])
    return query.format(*[style] * 6)
