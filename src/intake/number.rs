//! Numbers as units type them: real numbers, or text in Vietnamese style (`1.234`,
//! `1.234,5`, `12,5`, ` 12 `), `-` or blank for "no data" (kept distinct from 0).

use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a cell's text is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber;

/// Parses Vietnamese-style number text. `Ok(None)` means "no data" (`-`, `–`, blank).
pub fn parse_vietnamese(text: &str) -> Result<Option<Decimal>, NotANumber> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if t.is_empty() || matches!(t.as_str(), "-" | "–" | "—" | "x" | "X") {
        return Ok(None);
    }
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(NotANumber);
    }
    let canonical = match (digits.contains('.'), digits.contains(',')) {
        // 1.234,5: dots group thousands, the comma is the decimal mark.
        (true, true) => {
            let (int, frac) = digits.rsplit_once(',').ok_or(NotANumber)?;
            if frac.contains('.') || !grouped_by_thousands(int, '.') {
                return Err(NotANumber);
            }
            format!("{}.{frac}", int.replace('.', ""))
        }
        // 12,5: the comma is the decimal mark.
        (false, true) => {
            let (int, frac) = digits.split_once(',').ok_or(NotANumber)?;
            if frac.contains(',') {
                return Err(NotANumber);
            }
            format!("{int}.{frac}")
        }
        // 1.234 or 1.234.567: thousands; 12.5: a decimal point typed the English way.
        (true, false) => {
            if grouped_by_thousands(digits, '.') {
                digits.replace('.', "")
            } else if digits.matches('.').count() == 1 {
                digits.to_string()
            } else {
                return Err(NotANumber);
            }
        }
        (false, false) => digits.to_string(),
    };
    if canonical.starts_with('.') || canonical.ends_with('.') {
        return Err(NotANumber);
    }
    let value = Decimal::from_str(&canonical).map_err(|_| NotANumber)?;
    Ok(Some(if negative { -value } else { value }))
}

/// `1.234.567`: a group of 1–3 digits, then groups of exactly 3.
fn grouped_by_thousands(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let mut rest = parts.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&first.len())
        && rest.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
}

/// A spreadsheet float as an exact decimal: spreadsheets store binary doubles, so round
/// away the noise below 10⁻⁹ (1234.0000000001 is what the unit typed as 1234).
pub fn from_float(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_f64_retain(f).map(|d| d.round_dp(9).normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn vietnamese_forms() {
        assert_eq!(parse_vietnamese("1.234"), Ok(d("1234")));
        assert_eq!(parse_vietnamese("1.234.567"), Ok(d("1234567")));
        assert_eq!(parse_vietnamese("1.234,5"), Ok(d("1234.5")));
        assert_eq!(parse_vietnamese("12,5"), Ok(d("12.5")));
        assert_eq!(parse_vietnamese(" 12 "), Ok(d("12")));
        assert_eq!(parse_vietnamese("12.5"), Ok(d("12.5")));
        assert_eq!(parse_vietnamese("-3"), Ok(d("-3")));
        assert_eq!(parse_vietnamese("-"), Ok(None));
        assert_eq!(parse_vietnamese(""), Ok(None));
        assert_eq!(parse_vietnamese("0"), Ok(d("0")));
    }

    #[test]
    fn words_are_not_numbers() {
        for bad in [
            "mười hai",
            "12 người",
            "1,2,3",
            "1.2.3",
            "12,",
            ",5",
            "--1",
            "1.234,5.6",
        ] {
            assert_eq!(parse_vietnamese(bad), Err(NotANumber), "{bad}");
        }
    }

    #[test]
    fn float_noise_is_rounded_away() {
        assert_eq!(from_float(1234.0000000001), d("1234"));
        assert_eq!(from_float(0.1 + 0.2), d("0.3"));
        assert_eq!(from_float(f64::NAN), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_vietnamese(&s);
        }

        #[test]
        fn formatted_numbers_read_back(n in 0u64..10_000_000_000, frac in 0u32..10) {
            let text = crate::format::number_vi(Decimal::from(n) + Decimal::new(frac as i64, 1), 1);
            prop_assert_eq!(parse_vietnamese(&text), Ok(Some(Decimal::from(n) + Decimal::new(frac as i64, 1))));
        }
    }
}
