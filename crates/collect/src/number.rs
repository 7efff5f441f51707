//! 数值: reading a number as a clerk types it.
//!
//! Accepted: `95.5`, `1,234`, `１２３` (full-width), `-3` (then refused by the range check),
//! `1e3`, and a number followed by a unit (`90%`, `4‰`, `1.5万人`): the unit is returned for
//! the caller to check against the indicator's. Not accepted: words (`九十`, `约90`), two
//! numbers, `NaN` or `inf`. `-`, `—`, `/` and the like mean "nothing to report" (blank).

use minsheng_catalog::key::fold_char;
use minsheng_catalog::unit::{UnitFamily, parse_unit};

/// A number read from text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number {
    pub value: f64,
    /// The unit written after the number (`%`, `万人`), empty when none.
    pub unit: String,
    /// Digits after the decimal point as written (for the rounding tolerance).
    pub decimals: u32,
}

/// What a cell's text is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    Blank,
    Number(Number),
    NotANumber,
}

/// Decimal places of a number as written: `95.50` → 2, `96` → 0, `1e-3` → 3.
fn decimals_of(s: &str) -> u32 {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let frac = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i32);
    (frac - exp).clamp(0, 12) as u32
}

/// Decimal places of a number held as f64, as its shortest round-trip form shows it.
pub(crate) fn decimals_of_f64(v: f64) -> u32 {
    decimals_of(&format!("{v}"))
}

/// True when `s` is a plain decimal number: sign, digits, one point, exponent.
fn plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut digits = 0;
    let mut point = false;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => digits += 1,
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

/// Removes thousands separators when they group digits by three (`1,234,567.8`); returns
/// `None` when commas stand anywhere else (`1,2`).
fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return Some(s.to_string());
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let int_digits = int.trim_start_matches(['+', '-']);
    let mut groups = int_digits.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    if !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut out: String = int.chars().filter(|&c| c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// Reads a cell's text.
pub(crate) fn parse(text: &str) -> Parsed {
    let t = text.trim();
    if t.is_empty() {
        return Parsed::Blank;
    }
    // Fast path: plain ASCII numbers, nearly every cell of a machine-written CSV.
    if plain_number(t)
        && let Ok(value) = t.parse::<f64>()
        && value.is_finite()
    {
        return Parsed::Number(Number {
            value,
            unit: String::new(),
            decimals: decimals_of(t),
        });
    }
    let folded: String = t
        .chars()
        .map(|c| match c {
            '，' => ',',
            '。' | '．' => '.',
            '－' | '−' | '–' => '-',
            c => fold_char(c),
        })
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    if matches!(
        folded.as_str(),
        "-" | "--" | "—" | "——" | "/" | "\\" | "—/" | "…"
    ) {
        return Parsed::Blank;
    }
    let end = number_end(&folded);
    let (number, unit) = folded.split_at(end);
    let Some(number) = strip_thousands(number) else {
        return Parsed::NotANumber;
    };
    if !plain_number(&number) {
        return Parsed::NotANumber;
    }
    let unit = unit.trim();
    // A unit is one the catalog knows: `%`, `‰`, `万人`, `人次`; `90左右` is not a number.
    if !unit.is_empty()
        && !parse_unit(unit).is_some_and(|u| !matches!(u.family, UnitFamily::Other(_)))
    {
        return Parsed::NotANumber;
    }
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() => Parsed::Number(Number {
            value,
            unit: unit.to_string(),
            decimals: decimals_of(&number),
        }),
        _ => Parsed::NotANumber,
    }
}

/// Where the leading number ends: sign, digits, separators, an exponent.
fn number_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' | b'.' | b',' => i += 1,
            b'e' | b'E' if i > 0 && b[i - 1].is_ascii_digit() => {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    i = j;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    i
}

/// A number as a message shows it: no trailing `.0`, at most six decimals.
pub(crate) fn show(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> (f64, String) {
        match parse(text) {
            Parsed::Number(n) => (n.value, n.unit),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn numbers_as_clerks_type_them() {
        assert_eq!(num("95.5"), (95.5, String::new()));
        assert_eq!(num(" 1,234 "), (1234.0, String::new()));
        assert_eq!(num("1,234,567.25"), (1_234_567.25, String::new()));
        assert_eq!(num("１２３．５"), (123.5, String::new()));
        assert_eq!(num("90%"), (90.0, "%".to_string()));
        assert_eq!(num("90 ％"), (90.0, "%".to_string()));
        assert_eq!(num("4‰"), (4.0, "‰".to_string()));
        assert_eq!(num("1.5万人"), (1.5, "万人".to_string()));
        assert_eq!(num("-3"), (-3.0, String::new()));
        assert_eq!(num("1e3"), (1000.0, String::new()));
        assert_eq!(num("2.5E-2"), (0.025, String::new()));
    }

    #[test]
    fn words_are_not_numbers() {
        for text in [
            "九十",
            "约90",
            "90左右啊啊",
            "NaN",
            "inf",
            "1,2",
            "1.2.3",
            "abc",
            "90-95",
            "e5",
        ] {
            assert_eq!(parse(text), Parsed::NotANumber, "{text}");
        }
        for text in ["", "  ", "-", "—", "/", "——"] {
            assert_eq!(parse(text), Parsed::Blank, "{text}");
        }
    }

    #[test]
    fn decimals_are_counted() {
        assert_eq!(decimals_of("95.50"), 2);
        assert_eq!(decimals_of("96"), 0);
        assert_eq!(decimals_of("1e-3"), 3);
        assert_eq!(decimals_of_f64(95.83), 2);
        assert_eq!(show(96.0), "96");
        assert_eq!(show(95.8333333333), "95.833333");
    }
}
