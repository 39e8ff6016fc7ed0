// node-postgres (`pg` from npm) against custlake: queries with parameters of every type the
// lake has, a named prepared statement, and a pool with concurrent queries. node-postgres sends
// parameters as text with no declared type (the server infers them) and reads results as text.
// Run by tests/it/clients.rs as `node client.js PORT EXPECTED_JSON` (with TZ=UTC); prints
// `ok <check>` after each check and exits non-zero at the first value that differs.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const pg = require('pg');

const TYPED_QUERY = `
SELECT o.order_id, o.order_ts, o.amount, o.status, c.signup_date, c.marketing_opt_in
FROM orders o JOIN customers c ON c.customer_id = o.customer_id
WHERE o.customer_id = $1 AND o.amount >= $2 AND o.status = $3
  AND c.signup_date >= $4 AND o.order_ts < $5 AND c.marketing_opt_in = $6
ORDER BY o.order_id`;

function ok(check) {
  console.log(`ok ${check}`);
}

// A `timestamp` as node-postgres parses it by default: a Date in the process's time zone
// (UTC here), to the millisecond.
function jsTimestamp(micros) {
  return new Date(Math.floor(micros / 1000));
}

// A `date` as node-postgres parses it by default: local midnight (UTC here).
function jsDate(text) {
  return new Date(`${text}T00:00:00Z`);
}

function typedParams(expected) {
  const p = expected.typed_query.params;
  return [p.customer_id, p.min_amount, p.status, p.signup_from, p.before, p.opt_in];
}

// The typed query's rows as node-postgres returns them: int8 and numeric as strings.
function typedRows(expected) {
  return expected.typed_query.rows.map((r) => ({
    order_id: String(r.order_id),
    order_ts: jsTimestamp(r.order_ts_us),
    amount: r.amount,
    status: r.status,
    signup_date: jsDate(r.signup_date),
    marketing_opt_in: r.marketing_opt_in,
  }));
}

async function main() {
  const [port, path] = process.argv.slice(-2);
  const expected = JSON.parse(fs.readFileSync(path, 'utf8'));
  const config = { host: '127.0.0.1', port: Number(port), user: 'tester', database: 'custlake' };

  const client = new pg.Client(config);
  await client.connect();
  try {
    const version = (await client.query('SELECT version() AS version')).rows[0].version;
    assert.ok(version.startsWith('PostgreSQL 16.6 (custlake '), version);
    ok('connect');

    const count = await client.query('SELECT count(*) AS count FROM customers');
    assert.deepEqual(count.rows, [{ count: String(expected.customer_count) }]);
    const ofCustomer = expected.orders_of_customer;
    const orders = await client.query(
      'SELECT order_id, customer_id, order_ts, channel, status, amount, discount ' +
        'FROM orders WHERE customer_id = $1 ORDER BY order_id',
      [ofCustomer.customer_id],
    );
    assert.deepEqual(
      orders.fields.map((f) => [f.name, f.dataTypeID]),
      [['order_id', 20], ['customer_id', 20], ['order_ts', 1114], ['channel', 25],
        ['status', 25], ['amount', 1700], ['discount', 1700]],
    );
    assert.deepEqual(
      orders.rows,
      ofCustomer.rows.map((r) => ({
        order_id: String(r.order_id),
        customer_id: String(r.customer_id),
        order_ts: jsTimestamp(r.order_ts_us),
        channel: r.channel,
        status: r.status,
        amount: r.amount,
        discount: r.discount,
      })),
    );
    const customers = await client.query({
      text: 'SELECT customer_id, name, email, birth_date, signup_date, customer_type, ' +
        'marketing_opt_in, referred_by FROM customers WHERE customer_id <= $1 ORDER BY customer_id',
      values: [expected.customers.length],
      rowMode: 'array',
    });
    assert.deepEqual(
      customers.rows,
      expected.customers.map((c) => [
        String(c.customer_id), c.name, c.email, jsDate(c.birth_date), jsDate(c.signup_date),
        c.customer_type, c.marketing_opt_in, c.referred_by === null ? null : String(c.referred_by),
      ]),
    );
    ok('rows');

    // Parameters of every type; the named statement is parsed once and executed again.
    const params = typedParams(expected);
    const rows = typedRows(expected);
    for (let run = 0; run < 3; run++) {
      const result = await client.query({ name: 'typed', text: TYPED_QUERY, values: params });
      assert.deepEqual(result.rows, rows, `typed query, run ${run}`);
    }
    const none = await client.query({ name: 'typed', text: TYPED_QUERY, values: [...params.slice(0, 5), false] });
    assert.deepEqual(none.rows, [], 'typed query with opt_in = false');
    // A JS Date as the date parameter: node-postgres sends it as local time with its offset,
    // '2019-07-07T00:00:00.000+00:00', which a date takes the date of.
    const withDate = [...params];
    withDate[3] = jsDate(params[3]);
    const dated = await client.query(TYPED_QUERY, withDate);
    assert.deepEqual(dated.rows, rows, 'typed query with a Date');
    // Timestamps to the microsecond: the raw text of the result.
    const raw = await client.query({
      text: TYPED_QUERY,
      values: params,
      types: { getTypeParser: () => (value) => value },
    });
    assert.deepEqual(
      raw.rows.map((r) => [r.order_ts, r.amount, r.signup_date, r.marketing_opt_in]),
      expected.typed_query.rows.map((r) => [r.order_ts, r.amount, r.signup_date, r.marketing_opt_in ? 't' : 'f']),
    );
    const totals = await client.query(
      'SELECT count(*) AS n, sum(o.amount) AS total FROM orders o JOIN customers c ' +
        'ON c.customer_id = o.customer_id WHERE o.customer_id = $1 AND o.amount >= $2 ' +
        'AND o.status = $3 AND c.signup_date >= $4 AND o.order_ts < $5 AND c.marketing_opt_in = $6',
      params,
    );
    assert.deepEqual(totals.rows, [{ n: String(expected.typed_query.count), total: expected.typed_query.sum_amount }]);
    ok('typed');
  } finally {
    await client.end();
  }

  // A pool: concurrent queries on several connections, each released after use.
  const pool = new pg.Pool({ ...config, max: 4 });
  try {
    const perCustomer = expected.completed_per_customer;
    const results = await Promise.all(
      perCustomer.map((row) =>
        pool.query(
          'SELECT count(*) AS n, coalesce(sum(amount), 0) AS total FROM orders ' +
            'WHERE customer_id = $1 AND status = $2',
          [row.customer_id, 'completed'],
        ),
      ),
    );
    results.forEach((result, i) => {
      const want = perCustomer[i];
      assert.equal(result.rows[0].n, String(want.orders), `orders of customer ${want.customer_id}`);
      assert.equal(Number(result.rows[0].total), Number(want.amount), `amount of customer ${want.customer_id}`);
    });
    assert.ok(pool.totalCount > 1, `more than one connection served (${pool.totalCount})`);
    const conn = await pool.connect();
    try {
      await conn.query("SET application_name = 'node-conformance'");
      const shown = await conn.query('SHOW application_name');
      assert.deepEqual(shown.rows, [{ application_name: 'node-conformance' }]);
    } finally {
      conn.release();
    }
    ok('pool');
  } finally {
    await pool.end();
  }

  await checkColumnNames(config);
}

// Unaliased function calls are named as PostgreSQL names them.
async function checkColumnNames(config) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    // An unaliased function call is named after the function: "version", "count".
    const result = await client.query('SELECT version(), count(*) FROM customers');
    assert.deepEqual(result.fields.map((f) => f.name), ['version', 'count']);
    ok('column names of function calls');
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
