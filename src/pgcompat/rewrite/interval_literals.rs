//! Interval literals as PostgreSQL reads them, written in the form DataFusion's parser takes
//! (`<number> <unit>` pairs): a time of day `[-]HH:MM[:SS[.ffffff]]` is its hours, minutes
//! and seconds (`1 day 12:00`), a `+` sign is dropped, `@ … ago` negates every field, and an
//! ISO 8601 duration (`P1Y2M3DT4H5M6S`) is its fields. Text that is none of these is left
//! as written, for DataFusion to read or refuse (22P02).

use datafusion::sql::sqlparser::ast::{DataType as SqlType, Expr, Value};

/// Rewrites the text of `interval '…'` and `'…'::interval`; claims nothing.
pub(super) fn interval_text(expr: &mut Expr) -> bool {
    let value = match expr {
        Expr::Interval(interval) if interval.leading_field.is_none() => interval.value.as_mut(),
        Expr::Cast {
            data_type: SqlType::Interval { .. },
            expr,
            ..
        } => expr.as_mut(),
        _ => return false,
    };
    if let Expr::Value(value) = value
        && let Value::SingleQuotedString(text) = &mut value.value
        && let Some(written) = as_pairs(text)
    {
        *text = written;
    }
    false
}

/// `text` as `<number> <unit>` pairs; `None` where it has none of the forms to rewrite.
fn as_pairs(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if let Some(iso) = trimmed.strip_prefix('P') {
        return iso_8601(iso);
    }
    let mut words: Vec<&str> = trimmed.split_whitespace().collect();
    let at = words.first() == Some(&"@");
    if at {
        words.remove(0);
    }
    let ago = words.last().is_some_and(|w| w.eq_ignore_ascii_case("ago"));
    if ago {
        words.pop();
    }
    let mut changed = at || ago;
    let mut pairs = Vec::new();
    for word in words {
        if let Some(time) = time_of_day(word) {
            pairs.extend(time);
            changed = true;
        } else if let Some(unsigned) = word.strip_prefix('+') {
            pairs.push(unsigned.to_string());
            changed = true;
        } else {
            pairs.push(word.to_string());
        }
    }
    if !changed {
        return None;
    }
    if ago {
        // Every number negated (units are the words between them).
        for word in &mut pairs {
            if word.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
                word.insert(0, '-');
            } else if let Some(positive) = word.strip_prefix('-') {
                *word = positive.to_string();
            }
        }
    }
    Some(pairs.join(" "))
}

/// `[-]HH:MM[:SS[.f]]` as `H hours M minutes S seconds`, each with the sign.
fn time_of_day(word: &str) -> Option<Vec<String>> {
    let (sign, digits) = match word.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", word.strip_prefix('+').unwrap_or(word)),
    };
    let parts: Vec<&str> = digits.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let whole = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let seconds_ok = |p: &str| match p.split_once('.') {
        Some((s, f)) => whole(s) && (f.is_empty() || whole(f)),
        None => whole(p),
    };
    if !whole(parts[0]) || !whole(parts[1]) || parts.get(2).is_some_and(|s| !seconds_ok(s)) {
        return None;
    }
    let mut out = vec![
        format!("{sign}{}", parts[0]),
        "hours".to_string(),
        format!("{sign}{}", parts[1]),
        "minutes".to_string(),
    ];
    if let Some(seconds) = parts.get(2) {
        out.push(format!("{sign}{seconds}"));
        out.push("seconds".to_string());
    }
    Some(out)
}

/// The fields of an ISO 8601 duration after its `P`: `1Y2M3DT4H5M6S` (M is months before
/// the T, minutes after), `2W`.
fn iso_8601(text: &str) -> Option<String> {
    let mut pairs = Vec::new();
    let mut number = String::new();
    let mut in_time = false;
    for c in text.chars() {
        match c {
            'T' if number.is_empty() && !in_time => in_time = true,
            '0'..='9' | '.' | '-' => number.push(c),
            unit => {
                let unit = match (unit, in_time) {
                    ('Y', false) => "years",
                    ('M', false) => "months",
                    ('W', false) => "weeks",
                    ('D', false) => "days",
                    ('H', true) => "hours",
                    ('M', true) => "minutes",
                    ('S', true) => "seconds",
                    _ => return None,
                };
                if number.is_empty() {
                    return None;
                }
                pairs.push(format!("{} {unit}", std::mem::take(&mut number)));
            }
        }
    }
    (number.is_empty() && !pairs.is_empty()).then(|| pairs.join(" "))
}

#[cfg(test)]
mod tests {
    use super::as_pairs;

    #[test]
    fn postgres_forms_become_pairs() {
        let pairs = |t: &str| as_pairs(t);
        assert_eq!(
            pairs("1 year 2 months 3 days 04:05:06.789").as_deref(),
            Some("1 year 2 months 3 days 04 hours 05 minutes 06.789 seconds")
        );
        assert_eq!(pairs("-1 day +2 hours").as_deref(), Some("-1 day 2 hours"));
        assert_eq!(
            pairs("3 days -01:00").as_deref(),
            Some("3 days -01 hours -00 minutes")
        );
        assert_eq!(pairs("@ 1 hour ago").as_deref(), Some("-1 hour"));
        assert_eq!(
            pairs("P1Y2M3DT4H5M6S").as_deref(),
            Some("1 years 2 months 3 days 4 hours 5 minutes 6 seconds")
        );
        assert_eq!(pairs("1 day"), None);
        assert_eq!(pairs("Pxyz"), None);
    }
}
