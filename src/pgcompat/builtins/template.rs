//! PostgreSQL's template patterns for dates and times (`YYYY-MM-DD`, `Mon`, `HH24:MI:SS`,
//! `FMDay`, `DDth`, `"quoted"` text), read once into [`Item`]s: `to_char` writes by them and
//! `to_date`/`to_timestamp` read by them.

/// Letter case of a pattern that writes words (`MONTH`, `Month`, `month`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Case {
    Upper,
    Capitalized,
    Lower,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Field {
    Year4,
    YearComma,
    Year3,
    Year2,
    Year1,
    IsoYear4,
    IsoYear3,
    IsoYear2,
    IsoYear1,
    Century,
    Quarter,
    Month,
    MonthName(Case),
    MonthAbbrev(Case),
    RomanMonth(Case),
    WeekOfYear,
    IsoWeek,
    WeekOfMonth,
    DayOfYear,
    IsoDayOfYear,
    DayOfMonth,
    DayOfWeek,
    IsoDayOfWeek,
    DayName(Case),
    DayAbbrev(Case),
    Julian,
    Hour24,
    Hour12,
    Minute,
    Second,
    Millisecond,
    Microsecond,
    Fraction(u32),
    SecondsOfDay,
    Meridiem { upper: bool, dots: bool },
    Era { upper: bool, dots: bool },
    ZoneName(Case),
    ZoneHours,
    ZoneMinutes,
    ZoneOffset,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    Literal(String),
    Field {
        field: Field,
        fill_mode: bool,
        ordinal: Option<Case>,
    },
}

/// The patterns, longest first where one begins another (`HH24` before `HH`).
pub(super) const PATTERNS: &[(&str, Field)] = &[
    ("Y,YYY", Field::YearComma),
    ("YYYY", Field::Year4),
    ("YYY", Field::Year3),
    ("YY", Field::Year2),
    ("Y", Field::Year1),
    ("IYYY", Field::IsoYear4),
    ("IYY", Field::IsoYear3),
    ("IDDD", Field::IsoDayOfYear),
    ("IY", Field::IsoYear2),
    ("ID", Field::IsoDayOfWeek),
    ("IW", Field::IsoWeek),
    ("I", Field::IsoYear1),
    ("CC", Field::Century),
    ("Q", Field::Quarter),
    ("MONTH", Field::MonthName(Case::Upper)),
    ("Month", Field::MonthName(Case::Capitalized)),
    ("month", Field::MonthName(Case::Lower)),
    ("MON", Field::MonthAbbrev(Case::Upper)),
    ("Mon", Field::MonthAbbrev(Case::Capitalized)),
    ("mon", Field::MonthAbbrev(Case::Lower)),
    ("MM", Field::Month),
    ("MI", Field::Minute),
    ("MS", Field::Millisecond),
    ("RM", Field::RomanMonth(Case::Upper)),
    ("rm", Field::RomanMonth(Case::Lower)),
    ("WW", Field::WeekOfYear),
    ("W", Field::WeekOfMonth),
    ("DAY", Field::DayName(Case::Upper)),
    ("Day", Field::DayName(Case::Capitalized)),
    ("day", Field::DayName(Case::Lower)),
    ("DY", Field::DayAbbrev(Case::Upper)),
    ("Dy", Field::DayAbbrev(Case::Capitalized)),
    ("dy", Field::DayAbbrev(Case::Lower)),
    ("DDD", Field::DayOfYear),
    ("DD", Field::DayOfMonth),
    ("D", Field::DayOfWeek),
    ("J", Field::Julian),
    ("HH24", Field::Hour24),
    ("HH12", Field::Hour12),
    ("HH", Field::Hour12),
    ("SSSSS", Field::SecondsOfDay),
    ("SSSS", Field::SecondsOfDay),
    ("SS", Field::Second),
    ("US", Field::Microsecond),
    ("FF1", Field::Fraction(1)),
    ("FF2", Field::Fraction(2)),
    ("FF3", Field::Fraction(3)),
    ("FF4", Field::Fraction(4)),
    ("FF5", Field::Fraction(5)),
    ("FF6", Field::Fraction(6)),
    (
        "A.M.",
        Field::Meridiem {
            upper: true,
            dots: true,
        },
    ),
    (
        "a.m.",
        Field::Meridiem {
            upper: false,
            dots: true,
        },
    ),
    (
        "P.M.",
        Field::Meridiem {
            upper: true,
            dots: true,
        },
    ),
    (
        "p.m.",
        Field::Meridiem {
            upper: false,
            dots: true,
        },
    ),
    (
        "AM",
        Field::Meridiem {
            upper: true,
            dots: false,
        },
    ),
    (
        "am",
        Field::Meridiem {
            upper: false,
            dots: false,
        },
    ),
    (
        "PM",
        Field::Meridiem {
            upper: true,
            dots: false,
        },
    ),
    (
        "pm",
        Field::Meridiem {
            upper: false,
            dots: false,
        },
    ),
    (
        "A.D.",
        Field::Era {
            upper: true,
            dots: true,
        },
    ),
    (
        "a.d.",
        Field::Era {
            upper: false,
            dots: true,
        },
    ),
    (
        "B.C.",
        Field::Era {
            upper: true,
            dots: true,
        },
    ),
    (
        "b.c.",
        Field::Era {
            upper: false,
            dots: true,
        },
    ),
    (
        "AD",
        Field::Era {
            upper: true,
            dots: false,
        },
    ),
    (
        "ad",
        Field::Era {
            upper: false,
            dots: false,
        },
    ),
    (
        "BC",
        Field::Era {
            upper: true,
            dots: false,
        },
    ),
    (
        "bc",
        Field::Era {
            upper: false,
            dots: false,
        },
    ),
    ("TZH", Field::ZoneHours),
    ("TZM", Field::ZoneMinutes),
    ("TZ", Field::ZoneName(Case::Upper)),
    ("tz", Field::ZoneName(Case::Lower)),
    ("OF", Field::ZoneOffset),
];

/// Whether a pattern's letters may be written in any case (those that write numbers);
/// the others' case says how their words are written.
pub(super) fn case_insensitive(field: Field) -> bool {
    !matches!(
        field,
        Field::MonthName(_)
            | Field::MonthAbbrev(_)
            | Field::RomanMonth(_)
            | Field::DayName(_)
            | Field::DayAbbrev(_)
            | Field::Meridiem { .. }
            | Field::Era { .. }
            | Field::ZoneName(_)
    )
}

pub(super) fn parse(template: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut literal = String::new();
    let mut rest = template;
    while !rest.is_empty() {
        // A quoted part is copied; a backslash quotes the next character in it.
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            literal.push(next);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => literal.push(c),
                }
            }
            rest = &quoted[end.min(quoted.len())..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("\\\"") {
            literal.push('"');
            rest = after;
            continue;
        }
        let mut fill_mode = false;
        let mut body = rest;
        loop {
            if let Some(after) = strip_prefix_ignore_case(body, "FM") {
                fill_mode = true;
                body = after;
            } else if let Some(after) = strip_prefix_ignore_case(body, "FX")
                .or_else(|| strip_prefix_ignore_case(body, "TM"))
            {
                body = after;
            } else {
                break;
            }
        }
        let matched = PATTERNS.iter().find(|(pattern, field)| {
            if case_insensitive(*field) {
                strip_prefix_ignore_case(body, pattern).is_some()
            } else {
                body.starts_with(pattern)
            }
        });
        match matched {
            Some((pattern, field)) => {
                if !literal.is_empty() {
                    items.push(Item::Literal(std::mem::take(&mut literal)));
                }
                body = &body[pattern.len()..];
                let ordinal = if let Some(after) = body.strip_prefix("TH") {
                    body = after;
                    Some(Case::Upper)
                } else if let Some(after) = body.strip_prefix("th") {
                    body = after;
                    Some(Case::Lower)
                } else {
                    None
                };
                items.push(Item::Field {
                    field: *field,
                    fill_mode,
                    ordinal,
                });
                rest = body;
            }
            None => {
                let mut chars = rest.chars();
                if let Some(c) = chars.next() {
                    literal.push(c);
                }
                rest = chars.as_str();
            }
        }
    }
    if !literal.is_empty() {
        items.push(Item::Literal(literal));
    }
    items
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub(super) const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const ROMAN: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];
