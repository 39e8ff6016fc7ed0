// pgjdbc (Debian's libpostgresql-jdbc-java) against custlake: DatabaseMetaData getSchemas,
// getTables and getColumns, and a PreparedStatement binding every type the lake has (int8,
// numeric, text, date, timestamp, bool), executed past pgjdbc's prepareThreshold so that the
// server-side prepared statement with binary transfer is used too. Run by tests/it/clients.rs as
// `java -cp ... PgjdbcClient PORT EXPECTED_JSON`; prints `ok <check>` after each check and exits
// non-zero at the first value that differs.

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

public class PgjdbcClient {
    static final String TYPED_QUERY =
        "SELECT o.order_id, o.order_ts, o.amount, o.status, c.signup_date, c.marketing_opt_in "
            + "FROM orders o JOIN customers c ON c.customer_id = o.customer_id "
            + "WHERE o.customer_id = ? AND o.amount >= ? AND o.status = ? "
            + "AND c.signup_date >= ? AND o.order_ts < ? AND c.marketing_opt_in = ? "
            + "ORDER BY o.order_id";

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            throw new IllegalArgumentException("usage: PgjdbcClient PORT EXPECTED_JSON");
        }
        int port = Integer.parseInt(args[args.length - 2]);
        Map<String, Object> expected = map(
            new Json(Files.readString(Path.of(args[args.length - 1]), StandardCharsets.UTF_8)).parse());
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/custlake";
        Properties props = new Properties();
        props.setProperty("user", "tester");
        try (Connection conn = DriverManager.getConnection(url, props)) {
            DatabaseMetaData meta = conn.getMetaData();
            equal(meta.getDatabaseProductName(), "PostgreSQL", "product name");
            equal(meta.getDatabaseMajorVersion(), 16, "major version");
            equal(meta.getDatabaseMinorVersion(), 6, "minor version");
            ok("connect");

            checkSchemas(meta);
            checkTables(meta, expected);
            checkColumns(meta, expected);
            checkKeys(meta);
            checkPrepared(conn, expected);
            checkRows(conn, expected);
        }
        checkDriverDefaults(url, expected);
    }

    /**
     * pgjdbc's defaults, as PostgreSQL answers them:
     * - with the default stringtype (varchar), setString declares the parameter as varchar
     *   (OID 1043) in Parse, and the ParameterDescription must echo 1043 (pgjdbc fails with
     *   "Can't change resolved type" otherwise);
     * - setDate binds '2019-07-07 +00' (a date with pgjdbc's zone suffix), whose zone the date
     *   input ignores.
     */
    static void checkDriverDefaults(String url, Map<String, Object> expected) throws Exception {
        Map<String, Object> typed = map(expected.get("typed_query"));
        Map<String, Object> p = map(typed.get("params"));
        int failures = 0;
        for (String gap : new String[] {"setString as varchar", "setDate"}) {
            Properties props = new Properties();
            props.setProperty("user", "tester");
            if (gap.equals("setDate")) {
                props.setProperty("stringtype", "unspecified");
            }
            try (Connection conn = DriverManager.getConnection(url, props);
                    PreparedStatement ps = conn.prepareStatement(TYPED_QUERY)) {
                // Past prepareThreshold (5): the named server-side statement is described too.
                for (int run = 1; run <= 7; run++) {
                    ps.setLong(1, ((Number) p.get("customer_id")).longValue());
                    ps.setBigDecimal(2, new BigDecimal((String) p.get("min_amount")));
                    ps.setString(3, (String) p.get("status"));
                    if (gap.equals("setDate")) {
                        ps.setDate(4, Date.valueOf((String) p.get("signup_from")));
                    } else {
                        ps.setObject(4, java.time.LocalDate.parse((String) p.get("signup_from")));
                    }
                    ps.setTimestamp(5, timestamp(((Number) p.get("before_us")).longValue()));
                    ps.setBoolean(6, (Boolean) p.get("opt_in"));
                    int n = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            n++;
                        }
                    }
                    equal(n, list(typed.get("rows")).size(), gap + ", execution " + run + ": rows");
                }
                ok(gap);
            } catch (Exception | AssertionError e) {
                String state = e instanceof java.sql.SQLException ? " [" + ((java.sql.SQLException) e).getSQLState() + "]" : "";
                System.out.println("FAIL " + gap + ": " + e + state);
                failures++;
            }
        }
        if (failures > 0) {
            System.exit(1);
        }
    }

    static void checkSchemas(DatabaseMetaData meta) throws Exception {
        List<String> schemas = new ArrayList<>();
        try (ResultSet rs = meta.getSchemas()) {
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
        }
        equal(schemas, List.of("information_schema", "pg_catalog", "public", "segments"), "getSchemas");
        ok("getSchemas");
    }

    /** A lake table has no primary key, foreign key or index: each answer has no rows. */
    static void checkKeys(DatabaseMetaData meta) throws Exception {
        int rows = 0;
        try (ResultSet rs = meta.getPrimaryKeys(null, "public", "customers")) {
            equal(rs.getMetaData().getColumnName(4).toLowerCase(), "column_name", "getPrimaryKeys columns");
            while (rs.next()) {
                rows++;
            }
        }
        try (ResultSet rs = meta.getIndexInfo(null, "public", "customers", false, true)) {
            while (rs.next()) {
                rows++;
            }
        }
        try (ResultSet rs = meta.getImportedKeys(null, "public", "orders")) {
            while (rs.next()) {
                rows++;
            }
        }
        equal(rows, 0, "keys and indexes of lake tables");
        ok("getPrimaryKeys");
    }

    static void checkTables(DatabaseMetaData meta, Map<String, Object> expected) throws Exception {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                equal(rs.getString("TABLE_SCHEM"), "public", "TABLE_SCHEM");
                equal(rs.getString("TABLE_TYPE"), "TABLE", "TABLE_TYPE");
                tables.add(rs.getString("TABLE_NAME"));
            }
        }
        equal(tables, list(expected.get("tables")), "getTables(public, TABLE)");

        List<String> views = new ArrayList<>();
        Map<String, Object> remarks = new LinkedHashMap<>();
        try (ResultSet rs = meta.getTables(null, "segments", "%", new String[] {"VIEW"})) {
            while (rs.next()) {
                equal(rs.getString("TABLE_TYPE"), "VIEW", "TABLE_TYPE of a view");
                views.add(rs.getString("TABLE_NAME"));
                remarks.put(rs.getString("TABLE_NAME"), rs.getString("REMARKS"));
            }
        }
        List<String> expectedViews = new ArrayList<>();
        Map<String, Object> expectedRemarks = new LinkedHashMap<>();
        for (Object v : list(expected.get("views"))) {
            expectedViews.add((String) map(v).get("name"));
            expectedRemarks.put((String) map(v).get("name"), map(v).get("description"));
        }
        equal(views, expectedViews, "getTables(segments, VIEW)");
        equal(remarks, expectedRemarks, "REMARKS of the views (the saved queries' descriptions)");

        // No table type filter: the tables, and no views, in public.
        List<String> all = new ArrayList<>();
        try (ResultSet rs = meta.getTables(null, "public", "orders", null)) {
            while (rs.next()) {
                all.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
            }
        }
        equal(all, List.of("orders:TABLE"), "getTables(public, orders, null)");
        ok("getTables");
    }

    static int jdbcType(String udt) {
        switch (udt) {
            case "int2": return Types.SMALLINT;
            case "int4": return Types.INTEGER;
            case "int8": return Types.BIGINT;
            case "float4": return Types.REAL;
            case "float8": return Types.DOUBLE;
            case "numeric": return Types.NUMERIC;
            case "text": return Types.VARCHAR;
            case "date": return Types.DATE;
            case "timestamp": return Types.TIMESTAMP;
            case "bool": return Types.BIT;
            default: throw new AssertionError("no JDBC type in the test for " + udt);
        }
    }

    static void checkColumns(DatabaseMetaData meta, Map<String, Object> expected) throws Exception {
        Map<String, Object> columns = map(expected.get("columns"));
        for (String table : columns.keySet()) {
            checkColumnsOf(meta, "public", table, list(columns.get(table)));
        }
        for (Object v : list(expected.get("views"))) {
            checkColumnsOf(meta, "segments", (String) map(v).get("name"), list(map(v).get("columns")));
        }
        ok("getColumns");
    }

    static void checkColumnsOf(DatabaseMetaData meta, String schema, String table, List<Object> want)
            throws Exception {
        int i = 0;
        try (ResultSet rs = meta.getColumns(null, schema, table, "%")) {
            while (rs.next()) {
                String what = schema + "." + table + " column " + (i + 1);
                if (i >= want.size()) {
                    throw new AssertionError(what + ": more columns than expected");
                }
                Map<String, Object> col = map(want.get(i));
                String udt = (String) col.get("udt");
                equal(rs.getString("TABLE_SCHEM"), schema, what + " TABLE_SCHEM");
                equal(rs.getString("TABLE_NAME"), table, what + " TABLE_NAME");
                equal(rs.getString("COLUMN_NAME"), col.get("name"), what + " COLUMN_NAME");
                equal(rs.getString("TYPE_NAME"), udt, what + " TYPE_NAME");
                equal(rs.getInt("DATA_TYPE"), jdbcType(udt), what + " DATA_TYPE");
                equal(rs.getInt("ORDINAL_POSITION"), i + 1, what + " ORDINAL_POSITION");
                if (udt.equals("numeric")) {
                    equal(rs.getInt("COLUMN_SIZE"), ((Number) col.get("precision")).intValue(), what + " COLUMN_SIZE");
                    equal(rs.getInt("DECIMAL_DIGITS"), ((Number) col.get("scale")).intValue(), what + " DECIMAL_DIGITS");
                }
                if (udt.equals("int8")) {
                    equal(rs.getInt("COLUMN_SIZE"), 19, what + " COLUMN_SIZE");
                }
                equal(rs.getString("IS_AUTOINCREMENT"), "NO", what + " IS_AUTOINCREMENT");
                i++;
            }
        }
        equal(i, want.size(), schema + "." + table + ": number of columns");
    }

    /** Microseconds since the epoch of a timestamp read in UTC (the JVM runs with UTC). */
    static long micros(Timestamp ts) {
        return Math.floorDiv(ts.getTime(), 1000L) * 1_000_000L + ts.getNanos() / 1000;
    }

    static Timestamp timestamp(long micros) {
        Timestamp ts = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
        ts.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return ts;
    }

    static void checkPrepared(Connection conn, Map<String, Object> expected) throws Exception {
        Map<String, Object> typed = map(expected.get("typed_query"));
        Map<String, Object> p = map(typed.get("params"));
        List<Object> rows = list(typed.get("rows"));
        try (PreparedStatement ps = conn.prepareStatement(TYPED_QUERY)) {
            // The sixth execution and later use a named server-side statement, binary results.
            for (int run = 1; run <= 7; run++) {
                ps.setLong(1, ((Number) p.get("customer_id")).longValue());
                ps.setBigDecimal(2, new BigDecimal((String) p.get("min_amount")));
                ps.setString(3, (String) p.get("status"));
                ps.setObject(4, java.time.LocalDate.parse((String) p.get("signup_from")));
                ps.setTimestamp(5, timestamp(((Number) p.get("before_us")).longValue()));
                ps.setBoolean(6, run != 7 && (Boolean) p.get("opt_in"));
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String what = "typed query, execution " + run + ", row " + n;
                        if (n >= rows.size()) {
                            throw new AssertionError(what + ": more rows than expected");
                        }
                        Map<String, Object> r = map(rows.get(n));
                        equal(rs.getLong(1), ((Number) r.get("order_id")).longValue(), what + " order_id");
                        equal(micros(rs.getTimestamp(2)), ((Number) r.get("order_ts_us")).longValue(), what + " order_ts");
                        equal(rs.getString(2), r.get("order_ts"), what + " order_ts as text");
                        equal(rs.getBigDecimal(3), new BigDecimal((String) r.get("amount")), what + " amount");
                        equal(rs.getString(4), r.get("status"), what + " status");
                        equal(rs.getDate(5).toString(), r.get("signup_date"), what + " signup_date");
                        equal(rs.getBoolean(6), r.get("marketing_opt_in"), what + " marketing_opt_in");
                        n++;
                    }
                }
                // The last execution binds opt_in = false: no rows.
                equal(n, run == 7 ? 0 : rows.size(), "typed query, execution " + run + ": rows");
            }
        }
        ok("prepared");
    }

    static void checkRows(Connection conn, Map<String, Object> expected) throws Exception {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM customers")) {
            rs.next();
            equal(rs.getLong(1), ((Number) expected.get("customer_count")).longValue(), "count(*)");
        }
        Map<String, Object> ofCustomer = map(expected.get("orders_of_customer"));
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT order_id, customer_id, order_ts, channel, status, amount, discount "
                    + "FROM orders WHERE customer_id = ? ORDER BY order_id")) {
            ps.setLong(1, ((Number) ofCustomer.get("customer_id")).longValue());
            int n = 0;
            List<Object> rows = list(ofCustomer.get("rows"));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> r = map(rows.get(n));
                    String what = "orders row " + n;
                    equal(rs.getLong("order_id"), ((Number) r.get("order_id")).longValue(), what);
                    equal(rs.getLong("customer_id"), ((Number) r.get("customer_id")).longValue(), what);
                    equal(micros(rs.getTimestamp("order_ts")), ((Number) r.get("order_ts_us")).longValue(), what);
                    equal(rs.getString("channel"), r.get("channel"), what);
                    equal(rs.getString("status"), r.get("status"), what);
                    equal(rs.getBigDecimal("amount"), new BigDecimal((String) r.get("amount")), what);
                    equal(rs.getBigDecimal("discount"), new BigDecimal((String) r.get("discount")), what);
                    n++;
                }
            }
            equal(n, rows.size(), "orders of a customer: rows");
        }
        List<Object> customers = list(expected.get("customers"));
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(
                    "SELECT customer_id, name, email, birth_date, signup_date, customer_type, "
                        + "marketing_opt_in, referred_by FROM customers WHERE customer_id <= "
                        + customers.size() + " ORDER BY customer_id")) {
            int n = 0;
            while (rs.next()) {
                Map<String, Object> c = map(customers.get(n));
                String what = "customer " + c.get("customer_id");
                equal(rs.getLong(1), ((Number) c.get("customer_id")).longValue(), what);
                equal(rs.getString(2), c.get("name"), what + " name");
                equal(rs.getString(3), c.get("email"), what + " email");
                equal(rs.getDate(4).toString(), c.get("birth_date"), what + " birth_date");
                equal(rs.getDate(5).toString(), c.get("signup_date"), what + " signup_date");
                equal(rs.getString(6), c.get("customer_type"), what + " customer_type");
                equal(rs.getBoolean(7), c.get("marketing_opt_in"), what + " marketing_opt_in");
                Object referred = rs.getObject(8);
                Object want = c.get("referred_by");
                equal(referred == null ? null : ((Number) referred).longValue(),
                    want == null ? null : ((Number) want).longValue(), what + " referred_by");
                n++;
            }
            equal(n, customers.size(), "customers: rows");
        }
        ok("rows");
    }

    static void ok(String check) {
        System.out.println("ok " + check);
        System.out.flush();
    }

    static void equal(Object actual, Object expected, String what) {
        if (!Objects.equals(actual, expected)) {
            throw new AssertionError(what + ": got " + actual + ", expected " + expected);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value) {
        return (List<T>) value;
    }

    /** A small JSON reader (the JDK has none): objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object value = value();
            space();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            return value;
        }

        private RuntimeException error(String message) {
            return new IllegalArgumentException("JSON: " + message + " at " + i);
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> out = new LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') {
                    i++;
                    return out;
                }
                while (true) {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    out.put(key, value());
                    space();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return out;
                    }
                }
            }
            if (c == '[') {
                List<Object> out = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') {
                    i++;
                    return out;
                }
                while (true) {
                    out.add(value());
                    space();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return out;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            for (String literal : new String[] {"true", "false", "null"}) {
                if (s.startsWith(literal, i)) {
                    i += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty()) {
                throw error("unexpected character " + c);
            }
            if (number.contains(".") || number.contains("e") || number.contains("E")) {
                return Double.valueOf(number);
            }
            return Long.valueOf(number);
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected " + c);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: out.append(e);
                }
            }
        }
    }
}
