//! to_char and to_number of numbers, expected values from PostgreSQL 15.

use super::NumberTemplate;

/// Answers of PostgreSQL 15 (C locale), one a line: kind (`n` exact, `f` float8, `r`
/// float4, `t` to_number) | value | template | result, or `!SQLSTATE message`.
const CASES: &str = r#"
n|125|999| 125
n|-0.1|99.99|  -.10
n|-0.1|FM9.99|-.1
n|0.1|0.9| 0.1
n|12|9990999.9|    0012.0
n|12|FM9990999.9|0012.
n|1485|9,999| 1,485
n|148.5|FM999.999|148.5
n|-485|999S|485-
n|485|PL999|+ 485
n|485|RN|        CDLXXXV
n|482|999th| 482nd
n|-125.8|999D99S|125.80-
r|125.8|999D9| 125.8
n|-0.001|9.99|  .00
f|-0.001|9.99| -.00
n|0|FM9.99|0.
n|0|FM0.00|0.00
n|12345|999| ###
n|0.5|9| 1
n|2.5|9| 3
f|2.5|9| 2
n|-12|999MI| 12-
n|12|FM999PR|12
n|-12|FM999PR|<12>
n|12|S999| +12
n|5.5|9.99S|5.50+
n|1234567.891|9G999G999D99| 1,234,567.89
n|1234|FM9,999,999|1,234
n|123|L999|  123
n|12|"x:"99" y"|x: 12 y
n|12|"a\"b"99|a"b 12
n|12|"\\"9|\ #
n|12|Ü99€|Ü 12€
n|3999|RN|      MMMCMXCIX
n|4000|RN|###############
n|1994|FMrn|mcmxciv
n|100000000000000000000|RN|!22003 integer out of range
f|1e20|RN|###############
n|5|RNSG|              V
n|-3|99th| -3
n|3|9.9th| 3.0
n|NaN|999th|!22P02 "NaN" is not a number
n|12|99V9| 120
# PostgreSQL: int4 ` -10` (wrapped), numeric `##`
n|2147483647|99V9|!0A000 to_char of this integer depends on its type
# PostgreSQL: numeric ` 1.3e+02`, int4 ` 1.2e+02`
n|125|9.9EEEE|!0A000 to_char of this integer depends on its type
n|9.99|9.9EEEE| 10.0e+00
n|-0.000123456|9.99EEEE|-1.23e-04
f|125|9.9EEEE| 1.2e+02
f|995|9.9EEEE| 1.0e+03
n|Infinity|9.99EEEE| #.######
n|NaN|999.99| NaN
f|NaN|9999|  NaN
f|1.5|9.99999999999999999999| 1.50000000000000
r|0.1|9.9999999999|  .10000
f|123456789.123456789|999999999.999999999| 123456789.123457
r|123456.7|999999.99| 123457
n|12|0000| 0012
n|12.5|FM9990.00|12.50
n|0.05|FM.99|.##
n|12|99.9.9|!42601 multiple decimal points
n|12|9V9.9|!42601 cannot use "V" and decimal point together
n|12|SS9|!42601 cannot use "S" twice
n|12|MI9S|!42601 cannot use "S" and "PL"/"MI"/"SG"/"PR" together
n|12|9PR9|!42601 "9" must be ahead of "PR"
n|12|9EEEE9|!42601 "EEEE" must be the last pattern used
n|12|FM9EEEE|!42601 "EEEE" is incompatible with other formats
t|<564646.654564>|999999.999999PR|-564646.654564
t|5.01-|FM9.999999MI|-5.01
t|5 4 4 4 4 8 . 7 8|9 9 9 9 9 9 . 9 9|544448.78
t|$1,234.56|L99,999.99|1234.56
t|42nd|99th|42
t|123|99V9|12.3000000000000000
t|5|9V999999999999999999999999999999|0.0000000000000000
t|1.5|.99|!22003 numeric field overflow
t|abc|999|!22P02 invalid input syntax for type numeric: " "
t|-|9|!22P02 invalid input syntax for type numeric: "-"
t|12|RN|!0A000 "RN" not supported for input
t|12|9EEEE|!0A000 "EEEE" not supported for input
# PostgreSQL: NULL
t|12||!0A000 an empty template gives NULL
t|12.345|99.99|12.34
t|-0.00|9.99|0.00
t|1,2,3|FM9,9,9|12
t|5-|9S|-5
t|(5)|9PR|!22P02 invalid input syntax for type numeric: " "
"#;

fn run(kind: &str, value: &str, template: &str) -> String {
    let template = match NumberTemplate::parse(template) {
        Ok(template) => template,
        Err(message) => return format!("!42601 {message}"),
    };
    let float = value.parse::<f64>().unwrap_or(f64::NAN);
    let result = match kind {
        "n" => template.format_exact(value),
        "f" => template.format_float(float, false),
        "r" => template.format_float(float, true),
        _ => template.parse_number(value),
    };
    result.unwrap_or_else(|e| format!("!{} {}", e.code, e.message))
}

#[test]
fn matches_postgresql() {
    for line in CASES
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.splitn(4, '|').collect();
        let [kind, value, template, expected] = fields[..] else {
            panic!("bad case line {line:?}");
        };
        assert_eq!(run(kind, value, template), expected, "{line}");
    }
}

#[test]
fn long_and_odd_templates() {
    let nines = "9".repeat(5000);
    let long = NumberTemplate::parse(&format!("FM{nines}.{nines}"));
    let long = long.map(|t| t.format_exact("-12.5"));
    assert_eq!(long.ok().and_then(Result::ok).as_deref(), Some("-12.5"));
    assert_eq!(run("n", "12", ""), "");
    assert_eq!(
        run("n", "1e5", "999"),
        "!22P02 invalid input syntax for type numeric: \"1e5\""
    );
    for template in ["\"", "\\", "\"\\", "ü\"", "9\\\"", "RNV9", "EEEE"] {
        let _ = run("n", "-3.5", template);
        let _ = run("f", "inf", template);
        let _ = run("t", "ü-", template);
    }
}
