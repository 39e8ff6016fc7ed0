//! PostgreSQL 15's number templates: what `to_char(number, template)` writes and what
//! `to_number(text, template)` reads (§9.8, "Template Patterns for Numeric Formatting"),
//! byte for byte as PostgreSQL 15 does it in the C locale.
//!
//! Supported: `9 0 . , D G` (`D` is `.` and `G` is `,`), `S MI PL SG PR`, `L` (the C locale
//! has no currency symbol: one blank), `RN rn` (`###############` outside 1..3999), `TH th`,
//! `V`, `EEEE`, `FM`; `B`, `C` and `SP` are accepted and do nothing, as in PostgreSQL 15.
//! Other text is copied (to_char) or skips one input character (to_number); `"quoted"` text
//! with `\` escapes and `\"` outside quotes work as in PostgreSQL. PostgreSQL's quirks are
//! kept: `#` for too many integer digits, numerics rounded half away from zero, floats as
//! printf rounds them after cutting to 15 (float4: 6) significant digits, and output that
//! stops where the template asks for more digits than the value text has.
//!
//! Errors: [`NumberTemplate::parse`] gives PostgreSQL's message, SQLSTATE 42601. The others
//! give a [`TemplateError`] with its SQLSTATE: 22P02 for bad to_number input and for `TH` of
//! NaN (`"NaN" is not a number`), 22003 for `RN` beyond int4 (`integer out of range`) and for
//! to_number's `numeric field overflow`, 0A000 for `"RN"`/`"EEEE" not supported for input`
//! and `cannot convert NaN/infinity to integer`, all as PostgreSQL.
//!
//! Refused with 0A000, because PostgreSQL's answer depends on what this API does not carry:
//! `EEEE` of an integer text in int4 range where int4's printf rounding differs from
//! numeric's (`to_char(125, '9.9EEEE')`: int4 `1.2e+02`, numeric `1.3e+02`); `V` of an
//! integer text whose scaled value overflows int4 or int8 (PostgreSQL wraps or fails there,
//! numeric does not); to_number with an empty template (PostgreSQL returns NULL) or with over
//! 1000 fraction digits or 32767 digits (PostgreSQL's typmod overflows).

/// An error as PostgreSQL reports it: its SQLSTATE and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

fn error(code: &'static str, message: impl Into<String>) -> TemplateError {
    let message = message.into();
    TemplateError { code, message }
}

const NOT_SUPPORTED: &str = "0A000";
const INVALID_TEXT: &str = "22P02";
const OUT_OF_RANGE: &str = "22003";

#[rustfmt::skip]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pat {
    Comma, Point, Zero, Nine, Blank, C, D, Eeee, Fill, Group, Currency, Minus, Plus, Brackets,
    Roman { lower: bool }, SignGlobal, Sp, LocaleSign, Ordinal { upper: bool }, Shift,
}

/// PostgreSQL's keywords in its order: of those with the same first letter the first that
/// matches wins (`SG`, `SP` before `S`). Each is all upper or all lower case (`Fm` is text).
#[rustfmt::skip]
const KEYWORDS: [(&str, Pat); 20] = [
    (",", Pat::Comma), (".", Pat::Point), ("0", Pat::Zero), ("9", Pat::Nine), ("B", Pat::Blank),
    ("C", Pat::C), ("D", Pat::D), ("EEEE", Pat::Eeee), ("FM", Pat::Fill), ("G", Pat::Group),
    ("L", Pat::Currency), ("MI", Pat::Minus), ("PL", Pat::Plus), ("PR", Pat::Brackets),
    ("RN", Pat::Roman { lower: false }), ("SG", Pat::SignGlobal), ("SP", Pat::Sp),
    ("S", Pat::LocaleSign), ("TH", Pat::Ordinal { upper: true }), ("V", Pat::Shift),
];

/// The keyword `rest` starts with, and its length.
fn keyword(rest: &str) -> Option<(usize, Pat)> {
    KEYWORDS.iter().find_map(|&(name, pat)| {
        let head = rest.as_bytes().get(..name.len())?;
        let lower = head
            .iter()
            .zip(name.bytes())
            .all(|(&h, n)| h == n.to_ascii_lowercase());
        let pat = match pat {
            Pat::Roman { .. } => Pat::Roman { lower },
            Pat::Ordinal { .. } => Pat::Ordinal { upper: !lower },
            _ => pat,
        };
        (head == name.as_bytes() || lower).then_some((name.len(), pat))
    })
}

#[derive(Debug, Clone, Copy)]
enum Node {
    Pat(Pat),
    Literal(char),
}

/// Where `S` puts the sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum SignAt {
    #[default]
    None,
    Before,
    After,
}

/// What the patterns add up to, counted as PostgreSQL counts them (its NUMDesc).
#[rustfmt::skip]
#[derive(Debug, Clone, Default)]
struct Desc {
    /// Digit positions before the point, after it, and after `V`.
    pre: usize,
    post: usize,
    multi: usize,
    sign_at: SignAt,
    /// `pre` when `S` came: an `S` after all the digits goes behind them.
    pre_sign_digits: usize,
    /// 1-based position of the first `0` before the point, and position of the last `0`.
    zero_start: usize,
    zero_end: usize,
    /// Which patterns came (`zero`: a `0` before the point; `blank`: `B` before any digit).
    decimal: bool, zero: bool, blank: bool, fill: bool, locale_sign: bool, bracket: bool,
    minus: bool, plus: bool, roman: bool, shift: bool, eeee: bool,
}

impl Desc {
    /// What PostgreSQL says when `pat` cannot follow the patterns so far.
    #[rustfmt::skip]
    fn conflict(&self, pat: Pat) -> Option<&'static str> {
        let signs = self.plus || self.minus;
        let others = [self.blank, self.fill, self.locale_sign, self.bracket, signs, self.roman];
        Some(match pat {
            _ if self.eeee && pat != Pat::Eeee => "\"EEEE\" must be the last pattern used",
            Pat::Nine if self.bracket => "\"9\" must be ahead of \"PR\"",
            Pat::Zero if self.bracket => "\"0\" must be ahead of \"PR\"",
            Pat::D | Pat::Point if self.decimal => "multiple decimal points",
            Pat::D | Pat::Point if self.shift => "cannot use \"V\" and decimal point together",
            Pat::Shift if self.decimal => "cannot use \"V\" and decimal point together",
            Pat::LocaleSign if self.locale_sign => "cannot use \"S\" twice",
            Pat::LocaleSign if signs || self.bracket =>
                "cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together",
            Pat::Minus if self.locale_sign => "cannot use \"S\" and \"MI\" together",
            Pat::Plus if self.locale_sign => "cannot use \"S\" and \"PL\" together",
            Pat::SignGlobal if self.locale_sign => "cannot use \"S\" and \"SG\" together",
            Pat::Brackets if self.locale_sign || signs =>
                "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together",
            Pat::Eeee if self.eeee => "cannot use \"EEEE\" twice",
            Pat::Eeee if others.contains(&true) || self.shift =>
                "\"EEEE\" is incompatible with other formats",
            _ => return None,
        })
    }

    /// Adds one pattern, or says why PostgreSQL refuses it there.
    fn add(&mut self, pat: Pat) -> Result<(), String> {
        if let Some(message) = self.conflict(pat) {
            return Err(message.to_string());
        }
        match pat {
            Pat::Nine if self.shift => self.multi += 1,
            Pat::Nine | Pat::Zero => {
                if pat == Pat::Zero && !self.zero && !self.decimal {
                    self.zero = true;
                    self.zero_start = self.pre + 1;
                }
                let count = if self.decimal {
                    &mut self.post
                } else {
                    &mut self.pre
                };
                *count += 1;
                if pat == Pat::Zero {
                    self.zero_end = self.pre + self.post;
                }
            }
            Pat::Blank => self.blank |= self.pre == 0 && self.post == 0 && !self.zero,
            Pat::D | Pat::Point => self.decimal = true,
            Pat::Shift => self.shift = true,
            Pat::Fill => self.fill = true,
            Pat::LocaleSign => {
                self.locale_sign = true;
                self.sign_at = if self.decimal {
                    SignAt::After
                } else {
                    SignAt::Before
                };
                self.pre_sign_digits = self.pre;
            }
            Pat::Minus | Pat::Plus | Pat::SignGlobal => {
                self.minus |= pat != Pat::Plus;
                self.plus |= pat != Pat::Minus;
            }
            Pat::Brackets => self.bracket = true,
            Pat::Roman { .. } => self.roman = true,
            Pat::Eeee => self.eeee = true,
            _ => {}
        }
        Ok(())
    }
}

/// An exact decimal: ASCII digits, the point after `int_len` of them.
#[derive(Debug, Clone)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    int_len: usize,
}

impl Decimal {
    fn new(negative: bool, digits: &[u8], int_len: usize) -> Decimal {
        let digits = digits.to_vec();
        Decimal {
            negative,
            digits,
            int_len,
        }
    }

    /// numeric_out's text, with `scale` fraction digits (which the digits must have).
    fn text(&self, scale: usize) -> String {
        let (int, frac) = self.digits.split_at(self.int_len.min(self.digits.len()));
        let first = int.iter().position(|&d| d != b'0');
        let int = first.map_or(&b"0"[..], |f| &int[f..]);
        let mut s = String::new();
        if self.negative && self.digits.iter().any(|&d| d != b'0') {
            s.push('-');
        }
        s.extend(int.iter().map(|&d| char::from(d)));
        if scale > 0 {
            s.push('.');
            s.extend(frac.iter().take(scale).map(|&d| char::from(d)));
        }
        s
    }

    /// Rounds to `scale` fraction digits, half away from zero (numeric's round).
    fn round(&mut self, scale: usize) {
        let keep = self.int_len + scale;
        let up = self.digits.get(keep).is_some_and(|&d| d >= b'5');
        self.digits.resize(keep, b'0');
        if up && increment(&mut self.digits) {
            self.digits.insert(0, b'1');
            self.int_len += 1;
        }
    }

    /// The value of an integer text that fits int8 (so it may be an int4 or int8).
    fn small_integer(&self) -> Option<i64> {
        if self.digits.len() != self.int_len || self.digits.len() > 19 {
            return None;
        }
        let magnitude: i128 = std::str::from_utf8(&self.digits).ok()?.parse().ok()?;
        i64::try_from(if self.negative { -magnitude } else { magnitude }).ok()
    }
}

/// Adds one at the last digit; true when that carries out of the first.
fn increment(digits: &mut [u8]) -> bool {
    for d in digits.iter_mut().rev() {
        if *d < b'9' {
            *d += 1;
            return false;
        }
        *d = b'0';
    }
    true
}

/// Reads a finite numeric_out text: `-12.50`, `0`.
fn parse_exact(text: &str) -> Option<Decimal> {
    let body = text.strip_prefix('-');
    let (negative, body) = (body.is_some(), body.unwrap_or(text));
    let (int, frac) = match body.split_once('.') {
        Some((_, "")) => return None,
        Some(split) => split,
        None => (body, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    Some(Decimal::new(negative, &all, int.len()))
}

/// numeric_out_sci: the significand is rounded half away from zero after the exponent is
/// fixed, so 9.99 with one digit is `10.0e+00`. Positive values get a blank for the sign.
fn numeric_sci(value: &Decimal, scale: usize) -> String {
    let first = value.digits.iter().position(|&d| d != b'0');
    let significand = first.map_or(&b"0"[..], |f| &value.digits[f..]);
    let exponent = first.map_or(0, |f| value.int_len as isize - f as isize - 1);
    let mut significand = Decimal::new(value.negative, significand, 1);
    significand.round(scale);
    let (blank, text) = (
        if value.negative { "" } else { " " },
        significand.text(scale),
    );
    format!("{blank}{text}e{}", exponent_text(exponent))
}

/// printf's `%+.*e` (exact, half to even) with the `+` made a blank.
fn float_sci(value: f64, scale: usize) -> String {
    let text = format!("{value:+.scale$e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let (mantissa, exponent) = (
        mantissa.replacen('+', " ", 1),
        exponent.parse().unwrap_or(0),
    );
    format!("{mantissa}e{}", exponent_text(exponent))
}

/// `%+03d`: a sign and at least two digits.
fn exponent_text(exponent: isize) -> String {
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{sign}{:02}", exponent.unsigned_abs())
}

/// PostgreSQL's snprintf `%.*f`: NaN and Infinity spelled out, minus zero keeps its sign.
fn fixed(value: f64, scale: usize) -> String {
    match value {
        v if v.is_nan() => "NaN".to_string(),
        v if v.is_infinite() => if v < 0.0 { "-Infinity" } else { "Infinity" }.to_string(),
        v => format!("{v:.scale$}"),
    }
}

/// Upper-case Roman numerals, or 15 `#` outside 1..=3999.
fn roman(value: i64) -> Vec<u8> {
    #[rustfmt::skip]
    const PARTS: [(i64, &str); 13] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"),
        (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
        (1, "I")];
    if !(1..=3999).contains(&value) {
        return vec![b'#'; 15];
    }
    let (mut rest, mut text) = (value, Vec::new());
    for (worth, letters) in PARTS {
        while rest >= worth {
            text.extend_from_slice(letters.as_bytes());
            rest -= worth;
        }
    }
    text
}

/// `#` in place of `pre` digits, a point and `post` digits (`extra` more, and a blank
/// first, for `EEEE`).
fn hashes(desc: &Desc, extra: usize) -> Vec<u8> {
    let lead = usize::from(extra > 0);
    let mut text = vec![b'#'; desc.pre + desc.post + 1 + extra];
    text[desc.pre + lead] = b'.';
    if lead > 0 {
        text[0] = b' ';
    }
    text
}

/// Splits off the sign and measures the padding, or `#` when the integer part is too long.
fn split_sign(text: String, desc: &Desc) -> (Vec<u8>, usize, u8) {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (b'-', rest.as_bytes().to_vec()),
        None => (b'+', text.into_bytes()),
    };
    let int_len = digits.iter().position(|&b| b == b'.');
    let int_len = int_len.unwrap_or(digits.len());
    match desc.pre.checked_sub(int_len) {
        Some(pad) => (digits, pad, sign),
        None => (hashes(desc, 0), 0, sign),
    }
}

/// The ordinal suffix for a number text's last digit (the teens take `th`).
fn ordinal(number: &[u8], upper: bool) -> Result<&'static str, TemplateError> {
    let Some(&last) = number.last().filter(|d| d.is_ascii_digit()) else {
        let text = String::from_utf8_lossy(number);
        return Err(error(INVALID_TEXT, format!("\"{text}\" is not a number")));
    };
    let teen = number.len() > 1 && number[number.len() - 2] == b'1';
    let index = match last {
        b'1'..=b'3' if !teen => usize::from(last - b'1'),
        _ => 3,
    };
    let suffix = [["st", "ST"], ["nd", "ND"], ["rd", "RD"], ["th", "TH"]][index];
    Ok(suffix[usize::from(upper)])
}

/// Byte length of the UTF-8 character starting with `lead`, as pg_mblen counts it.
fn char_len(lead: u8) -> usize {
    match lead {
        b if b & 0xe0 == 0xc0 => 2,
        b if b & 0xf0 == 0xe0 => 3,
        b if b & 0xf8 == 0xf0 => 4,
        _ => 1,
    }
}

/// One to_char run: the state PostgreSQL's NUM_processor keeps.
#[derive(Default)]
struct Writer<'a> {
    desc: Desc,
    number: &'a [u8],
    sign: u8,
    sign_wrote: bool,
    num_count: isize,
    pre_spaces: isize,
    /// With `FM`, the last fraction digit to show.
    last_relevant: Option<usize>,
    /// Next character of `number` to write, digit positions done, and whether the last one
    /// wrote a digit (a `,` after a blank is a blank).
    at: usize,
    num_curr: isize,
    num_in: bool,
    out: String,
}

impl Writer<'_> {
    fn last_relevant_is_point(&self) -> bool {
        self.last_relevant
            .is_some_and(|i| self.number.get(i) == Some(&b'.'))
    }

    /// The zero of `0.x` that shows as a blank (`9.9` of 0.1 is ` .1`).
    fn predecimal_space(&self) -> bool {
        let lead_zero = self.at == 0 && self.number.first() == Some(&b'0');
        !self.desc.zero && lead_zero && self.desc.post != 0
    }

    fn push_sign(&mut self, minus: char, plus: char) {
        let c = if self.sign == b'-' { minus } else { plus };
        self.out.push(c);
    }

    /// One digit position (`9`, `0`, `.`, `D`), with the sign when it is due.
    fn digit(&mut self, pat: Pat) {
        let d = &self.desc;
        self.num_in = false;
        let at_zero = d.zero && d.zero_start as isize == self.num_curr;
        let due = (self.num_curr >= self.pre_spaces || at_zero)
            && (!self.predecimal_space() || self.last_relevant_is_point());
        if !self.sign_wrote && due {
            let wrote = (d.locale_sign && d.sign_at == SignAt::Before)
                || (!d.locale_sign && (d.bracket || self.sign == b'+' || self.sign == b'-'));
            if d.locale_sign {
                if d.sign_at == SignAt::Before {
                    self.push_sign('-', '+');
                }
            } else if d.bracket {
                self.push_sign('<', ' ');
            } else if self.sign == b'-' || (self.sign == b'+' && !d.fill) {
                self.push_sign('-', ' ');
            }
            self.sign_wrote = wrote;
        }
        let d = &self.desc;
        let padding = self.num_curr < self.pre_spaces;
        if padding && (d.zero_start as isize > self.num_curr || !d.zero) {
            if !d.fill {
                self.out.push(' ');
            }
        } else if padding {
            self.out.push('0');
            self.num_in = true;
        } else {
            let c = self.number.get(self.at).copied().unwrap_or(0);
            if c == b'.' {
                if !self.last_relevant_is_point() || d.fill {
                    self.out.push('.');
                }
            } else if self.last_relevant.is_some_and(|l| self.at > l) && pat != Pat::Zero {
                // FM drops the trailing fraction zeros.
            } else if self.predecimal_space() {
                if !d.fill {
                    self.out.push(' ');
                } else if self.last_relevant_is_point() {
                    self.out.push('0');
                }
            } else {
                // Past the text's end PostgreSQL writes its terminator: output stops there.
                self.out.push(char::from(c));
                self.num_in = true;
            }
            self.at += usize::from(c != 0);
        }
        let d = &self.desc;
        let mut end = self.num_count + isize::from(self.pre_spaces > 0) + isize::from(d.decimal);
        if self.last_relevant == Some(self.at) {
            end = self.num_curr;
        }
        if self.num_curr + 1 == end {
            if self.sign_wrote && d.bracket {
                self.push_sign('>', ' ');
            } else if d.locale_sign && d.sign_at == SignAt::After {
                self.push_sign('-', '+');
            }
        }
        self.num_curr += 1;
    }

    /// Writes every node; `number` is the digit text (or Roman numeral) without its sign.
    fn run(mut self, nodes: &[Node]) -> Result<String, TemplateError> {
        let (fill, number, sign) = (self.desc.fill, self.number, self.sign);
        for node in nodes {
            let pat = match *node {
                Node::Literal(c) => {
                    self.out.push(c);
                    continue;
                }
                Node::Pat(pat) => pat,
            };
            match pat {
                Pat::Nine | Pat::Zero | Pat::Point | Pat::D if !self.desc.roman => self.digit(pat),
                Pat::Comma | Pat::Group if self.num_in => self.out.push(','),
                Pat::Comma | Pat::Group | Pat::Currency if !fill || pat == Pat::Currency => {
                    self.out.push(' ')
                }
                Pat::Roman { lower } => {
                    let text = String::from_utf8_lossy(number);
                    let text = if lower {
                        text.to_ascii_lowercase()
                    } else {
                        text.into_owned()
                    };
                    let width = if fill { 0 } else { 15 };
                    self.out.push_str(&format!("{text:>width$}"));
                }
                Pat::Ordinal { upper } => {
                    let hidden = number.first() == Some(&b'#') || sign == b'-';
                    if !(self.desc.roman || hidden || self.desc.decimal) {
                        self.out.push_str(ordinal(number, upper)?);
                    }
                }
                Pat::Minus | Pat::Plus => {
                    let shown = if pat == Pat::Minus { b'-' } else { b'+' };
                    if sign == shown {
                        self.out.push(char::from(shown));
                    } else if !fill {
                        self.out.push(' ');
                    }
                }
                // Roman numerals have no sign: PostgreSQL writes its terminator here.
                Pat::SignGlobal => self.out.push(char::from(sign)),
                _ => {}
            }
        }
        let mut out = self.out;
        out.truncate(out.find('\0').unwrap_or(out.len()));
        Ok(out)
    }
}

/// A parsed number template.
#[derive(Debug, Clone)]
pub(crate) struct NumberTemplate {
    nodes: Vec<Node>,
    desc: Desc,
    /// PostgreSQL answers an empty template unparsed: `''` from to_char, NULL from to_number.
    empty: bool,
}

impl NumberTemplate {
    /// Parses a template. Errors are PostgreSQL's messages; their SQLSTATE is 42601.
    pub(crate) fn parse(template: &str) -> Result<NumberTemplate, String> {
        let (mut nodes, mut desc, mut rest) = (Vec::new(), Desc::default(), template);
        while let Some(c) = rest.chars().next() {
            if let Some((len, pat)) = keyword(rest) {
                desc.add(pat)?;
                nodes.push(Node::Pat(pat));
                rest = &rest[len..];
            } else if c == '"' {
                // Quoted text runs to the next quote; a backslash takes the next character.
                let body = &rest[1..];
                let mut chars = body.char_indices();
                rest = "";
                while let Some((i, ch)) = chars.next() {
                    if ch == '"' {
                        rest = &body[i + 1..];
                        break;
                    }
                    let ch = match ch {
                        '\\' => chars.next().map_or(ch, |next| next.1),
                        _ => ch,
                    };
                    nodes.push(Node::Literal(ch));
                }
            } else {
                let quote = rest.starts_with("\\\"");
                let c = if quote { '"' } else { c };
                nodes.push(Node::Literal(c));
                rest = &rest[c.len_utf8() + usize::from(quote)..];
            }
        }
        let empty = template.is_empty();
        Ok(NumberTemplate { nodes, desc, empty })
    }

    /// to_char of an exact number: `digits` is numeric_out's text (`-125.80`, `12`, `NaN`,
    /// `Infinity`); int2, int4 and int8 come this way too.
    pub(crate) fn format_exact(&self, digits: &str) -> Result<String, TemplateError> {
        if self.empty {
            return Ok(String::new());
        }
        let mut desc = self.desc.clone();
        desc.pre += desc.multi;
        if matches!(digits, "NaN" | "Infinity" | "-Infinity") {
            let name = if digits == "NaN" { "NaN" } else { "infinity" };
            if desc.roman {
                return Err(error(
                    NOT_SUPPORTED,
                    format!("cannot convert {name} to integer"),
                ));
            }
            let (number, pad, sign) = match desc.eeee {
                true => (hashes(&desc, 5), 0, 0),
                false => split_sign(digits.to_string(), &desc),
            };
            return self.write(desc, &number, pad, sign);
        }
        let invalid = format!("invalid input syntax for type numeric: \"{digits}\"");
        let mut v = parse_exact(digits).ok_or_else(|| error(INVALID_TEXT, invalid))?;
        let small = v.small_integer();
        let int4 = small.is_some_and(|n| i32::try_from(n).is_ok());
        let ambiguous = || error(NOT_SUPPORTED, "to_char of this integer depends on its type");
        let (number, pad, sign) = if desc.roman {
            v.round(0);
            let n = v.small_integer().filter(|n| i32::try_from(*n).is_ok());
            let n = n.ok_or_else(|| error(OUT_OF_RANGE, "integer out of range"))?;
            (roman(n), 0, 0)
        } else if desc.eeee {
            let text = numeric_sci(&v, desc.post);
            // int4 goes through printf, which rounds half to even and renormalizes.
            if int4 && small.is_some_and(|n| float_sci(n as f64, desc.post) != text) {
                return Err(ambiguous());
            }
            (text.into_bytes(), 0, 0)
        } else {
            // int4 multiplies by 10^multi in 32 bits and wraps; int8 in 64 bits and fails.
            if let Some(n) = small.filter(|_| desc.multi > 0) {
                let scaled = i128::from(n) * 10i128.pow(desc.multi.min(19) as u32);
                let fits = match int4 {
                    true => desc.multi <= 9 && i32::try_from(scaled).is_ok(),
                    false => desc.multi <= 18 && i64::try_from(scaled).is_ok(),
                };
                if !fits {
                    return Err(ambiguous());
                }
            }
            v.int_len += desc.multi;
            v.digits.resize(v.digits.len().max(v.int_len), b'0');
            v.round(desc.post);
            split_sign(v.text(desc.post), &desc)
        };
        self.write(desc, &number, pad, sign)
    }

    /// to_char of a float8 (`single == false`) or float4 (`single == true`), as PostgreSQL's
    /// float8_to_char/float4_to_char: printf rounding after cutting to 15 (6) digits.
    pub(crate) fn format_float(&self, value: f64, single: bool) -> Result<String, TemplateError> {
        if self.empty {
            return Ok(String::new());
        }
        let narrowed = f64::from(value as f32);
        let value = if single { narrowed } else { value };
        let mut desc = self.desc.clone();
        let (number, pre_spaces, sign) = if desc.roman {
            let rounded = value.round_ties_even();
            // Out of int4's range PostgreSQL's cast gives INT_MIN, which shows as `#`.
            let fits = (-2_147_483_648.0..2_147_483_648.0).contains(&rounded);
            (roman(if fits { rounded as i64 } else { 0 }), 0, 0)
        } else if desc.eeee {
            let text = match value.is_finite() {
                true => float_sci(value, desc.post).into_bytes(),
                false => hashes(&desc, 5),
            };
            (text, 0, 0)
        } else {
            // `V` multiplies (float4 in single precision); without it by 1.
            let factor = 10f64.powf(desc.multi as f64);
            let narrowed = f64::from(value as f32 * factor as f32);
            let val = if single { narrowed } else { value * factor };
            desc.pre += desc.multi;
            let max_digits: usize = if single { 6 } else { 15 };
            let int_len = fixed(val.abs(), 0).len();
            desc.post = desc.post.min(max_digits.saturating_sub(int_len));
            split_sign(fixed(val, desc.post), &desc)
        };
        self.write(desc, &number, pre_spaces, sign)
    }

    /// Writes `number` by the template, as PostgreSQL's NUM_processor.
    fn write(&self, mut desc: Desc, number: &[u8], pre_spaces: usize, sign: u8) -> Text {
        desc.zero_start = desc.zero_start.saturating_sub(1);
        if desc.eeee {
            return Ok(String::from_utf8_lossy(number).into_owned());
        }
        let mut pre_spaces = pre_spaces as isize;
        if desc.roman {
            // Roman numerals forget everything but FM.
            let fill = desc.fill;
            desc = Desc::default();
            (desc.roman, desc.fill, pre_spaces) = (true, fill, 0);
        }
        let sign_wrote = if desc.plus || desc.minus {
            !desc.plus || desc.minus
        } else {
            desc.bracket &= sign == b'-' || !desc.fill;
            if desc.sign_at == SignAt::Before && desc.pre == desc.pre_sign_digits {
                desc.sign_at = SignAt::After;
            }
            sign == b'+' && desc.fill && !desc.locale_sign
        };
        let mut last_relevant = None;
        let point = number.iter().position(|&b| b == b'.');
        if let Some(point) = point.filter(|_| desc.fill && desc.decimal) {
            let last = number.iter().rposition(|&b| b != b'0');
            let last = last.filter(|&i| i > point).unwrap_or(point) as isize;
            // The `0` patterns keep their digits, within the text.
            let zeros = (desc.zero_end as isize - pre_spaces).min(number.len() as isize - 1);
            last_relevant = Some(last.max(zeros) as usize);
        }
        let num_count = (desc.post + desc.pre) as isize - 1;
        let num_count = num_count + isize::from(!sign_wrote && pre_spaces == 0);
        let mut writer = Writer {
            desc,
            number,
            sign,
            ..Writer::default()
        };
        (writer.sign_wrote, writer.num_count) = (sign_wrote, num_count);
        (writer.pre_spaces, writer.last_relevant) = (pre_spaces, last_relevant);
        writer.run(&self.nodes)
    }

    /// The fraction digits the template reads: the most to_number's results have (`None`
    /// with `V`, whose results' scale follows from a division).
    pub(crate) fn fraction_digits(&self) -> Option<usize> {
        (!self.desc.shift).then_some(self.desc.post)
    }

    /// to_number(text, template): numeric_out's text of the result, in PostgreSQL's scale.
    pub(crate) fn parse_number(&self, text: &str) -> Result<String, TemplateError> {
        let d = &self.desc;
        if self.empty {
            return Err(error(NOT_SUPPORTED, "an empty template gives NULL"));
        } else if d.eeee {
            return Err(error(NOT_SUPPORTED, "\"EEEE\" not supported for input"));
        } else if d.roman {
            return Err(error(NOT_SUPPORTED, "\"RN\" not supported for input"));
        }
        let (input, number) = (text.as_bytes(), vec![b' ']);
        let mut r = Reader {
            d,
            input,
            number,
            at: 0,
            pre: 0,
            post: None,
        };
        for node in &self.nodes {
            let Some(c) = r.peek() else { break };
            match *node {
                Node::Literal(_) => r.at += char_len(c),
                Node::Pat(Pat::Nine | Pat::Zero | Pat::Point | Pat::D) => {
                    r.digit(node);
                    r.at += 1;
                }
                Node::Pat(Pat::Comma | Pat::Group) => r.at += usize::from(!d.fill && c == b','),
                Node::Pat(Pat::Currency) => r.skip_non_data(1),
                Node::Pat(Pat::Ordinal { .. }) if !d.decimal => r.skip_non_data(2),
                Node::Pat(pat @ (Pat::Minus | Pat::Plus | Pat::SignGlobal)) => {
                    if (c == b'-' && pat != Pat::Plus) || (c == b'+' && pat != Pat::Minus) {
                        r.number[0] = c;
                        r.at += 1;
                    } else {
                        r.skip_non_data(1);
                    }
                }
                Node::Pat(_) => {}
            }
        }
        let (mut number, read_post) = (r.number, r.post.unwrap_or(0));
        if number.len() > 1 && number.last() == Some(&b'.') {
            number.pop();
        }
        // numeric_in reads the text, then applies the typmod the template makes.
        let shown = String::from_utf8_lossy(&number).into_owned();
        let negative = shown.trim_start().starts_with('-');
        let body = shown.trim_start().trim_start_matches(['-', '+']);
        let value = parse_exact(&format!("0{body}"))
            .filter(|_| body.contains(|c: char| c.is_ascii_digit()));
        let Some(mut value) = value else {
            let message = format!("invalid input syntax for type numeric: \"{shown}\"");
            return Err(error(INVALID_TEXT, message));
        };
        value.negative = negative;
        let precision = d.pre + d.multi + read_post;
        if read_post > 1000 || precision > 32767 {
            return Err(error(NOT_SUPPORTED, "to_number of so many digits"));
        }
        let int_digits = value.digits[..value.int_len]
            .iter()
            .skip_while(|&&b| b == b'0');
        if int_digits.count() > precision - read_post {
            return Err(error(OUT_OF_RANGE, "numeric field overflow"));
        }
        if !d.shift {
            return Ok(value.text(read_post));
        }
        // V divides by 10^multi, a numeric rounded to 16 fraction digits.
        if d.multi > 16 {
            value.digits.fill(b'0');
        } else {
            let pad = d.multi.saturating_sub(value.int_len);
            value.digits.splice(0..0, std::iter::repeat_n(b'0', pad));
            value.int_len = value.int_len + pad - d.multi;
        }
        value.digits.resize(value.int_len + read_post + 16, b'0');
        Ok(value.text(read_post + 16))
    }
}

type Text = Result<String, TemplateError>;

/// One to_number run: the input side of PostgreSQL's NUM_processor.
struct Reader<'a> {
    d: &'a Desc,
    input: &'a [u8],
    at: usize,
    /// The sign (` `, `-` or `+`), then the digits and point read.
    number: Vec<u8>,
    /// Digits read before the point, and after it once it is read.
    pre: usize,
    post: Option<usize>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.at).copied()
    }

    /// Skips up to `n` characters that cannot be part of a number.
    fn skip_non_data(&mut self, n: usize) {
        for _ in 0..n {
            match self.peek() {
                Some(c) if !b"0123456789.,+-".contains(&c) => self.at += char_len(c),
                _ => break,
            }
        }
    }

    /// Reads a sign before the first digit, a digit or the point, and a sign after a digit.
    fn digit(&mut self, node: &Node) {
        let d = self.d;
        if self.peek() == Some(b' ') {
            self.at += 1;
        }
        let Some(c) = self.peek() else { return };
        let digit_pat = matches!(node, Node::Pat(Pat::Nine | Pat::Zero));
        if self.number[0] == b' ' && digit_pat && self.pre + self.post.unwrap_or(0) == 0 {
            let bracket = d.bracket && c == b'<' && !(d.locale_sign && d.sign_at == SignAt::Before);
            if c == b'-' || c == b'+' || bracket {
                self.number[0] = if c == b'+' { b'+' } else { b'-' };
                self.at += 1;
            }
        }
        let Some(c) = self.peek() else { return };
        let mut read = true;
        if c.is_ascii_digit() {
            if self.post == Some(d.post) {
                return;
            }
            self.number.push(c);
            *self.post.as_mut().unwrap_or(&mut self.pre) += 1;
        } else if d.decimal && self.post.is_none() && c == b'.' {
            self.number.push(b'.');
            self.post = Some(0);
        } else {
            read = false;
        }
        if self.number[0] != b' ' || self.pre + self.post.unwrap_or(0) == 0 {
            return;
        }
        let next = self.input.get(self.at + 1).copied();
        if d.locale_sign && read && next.is_some_and(|n| !n.is_ascii_digit()) {
            if let Some(sign @ (b'-' | b'+')) = next {
                self.number[0] = sign;
                self.at += 1;
            }
        } else if !read && !d.locale_sign && (d.plus || d.minus) && (c == b'-' || c == b'+') {
            self.number[0] = c;
        }
    }
}

#[cfg(test)]
mod tests;
