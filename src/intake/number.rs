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

/// How a sheet writes numbers as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// `1.234,5`: dots group thousands, the comma marks decimals (the default).
    Vietnamese,
    /// `1,234.5`: commas group thousands, the dot marks decimals.
    English,
}

/// How many of a sheet's text numbers can only be read the Vietnamese way (`1.234,5`,
/// `12,5`) and how many only the English way (`1,234.5`, `12.50`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NotationCount {
    pub vietnamese: usize,
    pub english: usize,
}

impl NotationCount {
    pub fn of<'a>(texts: impl Iterator<Item = &'a str>) -> NotationCount {
        let mut n = NotationCount::default();
        for t in texts {
            match only_reading(t) {
                Some(Notation::Vietnamese) => n.vietnamese += 1,
                Some(Notation::English) => n.english += 1,
                None => {}
            }
        }
        n
    }

    /// The notation the counted cells settle, leaving out `text` (the cell being read
    /// does not settle its own reading).
    pub fn settled_without(self, text: &str) -> Option<Notation> {
        let mut n = self;
        match only_reading(text) {
            Some(Notation::Vietnamese) => n.vietnamese = n.vietnamese.saturating_sub(1),
            Some(Notation::English) => n.english = n.english.saturating_sub(1),
            None => {}
        }
        match (n.vietnamese > 0, n.english > 0) {
            (true, false) => Some(Notation::Vietnamese),
            (false, true) => Some(Notation::English),
            _ => None,
        }
    }
}

/// The only notation a number text can be in, if it is a number in just one.
fn only_reading(text: &str) -> Option<Notation> {
    let vi = parse_vietnamese(text).ok().flatten();
    let en = parse_english(text).ok().flatten();
    let digits = text.trim().trim_start_matches('-');
    match (vi, en) {
        (Some(_), None) => Some(Notation::Vietnamese),
        (None, Some(_)) => Some(Notation::English),
        // "12.50" parses both ways, but a dot before other than three digits is no
        // Vietnamese thousands mark.
        (Some(_), Some(_)) if digits.contains('.') && !digits.contains(',') => {
            (!grouped_by_thousands(digits, '.')).then_some(Notation::English)
        }
        _ => None,
    }
}

/// Parses English-style number text (`1,234.5`, `12.5`, `1,234`).
pub fn parse_english(text: &str) -> Result<Option<Decimal>, NotANumber> {
    let swapped: String = text
        .chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            c => c,
        })
        .collect();
    // "12.5" in English is "12,5" in Vietnamese; "1,234" is "1.234".
    parse_vietnamese(&swapped).and_then(|v| {
        // The Vietnamese reader takes "12.5" as a decimal point typed the English way;
        // swapped, that is "12,5" here, so "12,5" read back would be English 12.5 —
        // refuse it: a comma before other than three digits is no English grouping.
        let t = text.trim().trim_start_matches('-');
        if t.contains(',') && !t.contains('.') && !grouped_by_thousands(t, ',') {
            Err(NotANumber)
        } else {
            Ok(v)
        }
    })
}

/// The reading of a text number in `notation`, and, when the sheet's notation is not
/// settled, the other reading if it differs (`12.345`: 12345 or 12,345; `12.50`: only
/// 12,5 but with an English point).
pub fn read_in(
    text: &str,
    notation: Option<Notation>,
) -> Result<(Option<Decimal>, Option<Ambiguity>), NotANumber> {
    match notation {
        Some(Notation::English) => Ok((parse_english(text)?, None)),
        Some(Notation::Vietnamese) => Ok((parse_vietnamese(text)?, None)),
        None => {
            let vi = parse_vietnamese(text)?;
            let ambiguity = match (vi, parse_english(text).ok().flatten()) {
                (Some(v), Some(e)) if v != e => Some(Ambiguity::TwoReadings(e)),
                (Some(_), _) if only_reading(text) == Some(Notation::English) => {
                    Some(Ambiguity::EnglishPoint)
                }
                _ => None,
            };
            Ok((vi, ambiguity))
        }
    }
}

/// Why a text number's reading was a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ambiguity {
    /// Read the Vietnamese way; the English way it is this.
    TwoReadings(Decimal),
    /// A dot that can only be a decimal point (`12.50`), which Vietnamese writes as a
    /// comma.
    EnglishPoint,
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

    fn settled<'a>(texts: impl Iterator<Item = &'a str>) -> Option<Notation> {
        NotationCount::of(texts).settled_without("")
    }

    #[test]
    fn notations_and_their_ambiguities() {
        assert_eq!(parse_english("1,234.5"), Ok(d("1234.5")));
        assert_eq!(parse_english("1,234"), Ok(d("1234")));
        assert_eq!(parse_english("12.5"), Ok(d("12.5")));
        assert_eq!(parse_english("12,5"), Err(NotANumber));
        assert_eq!(
            read_in("12.345", None),
            Ok((
                d("12345"),
                Some(Ambiguity::TwoReadings(Decimal::new(12345, 3)))
            ))
        );
        assert_eq!(
            read_in("1,234", None),
            Ok((
                d("1.234"),
                Some(Ambiguity::TwoReadings(Decimal::from(1234)))
            ))
        );
        assert_eq!(
            read_in("12.50", None),
            Ok((d("12.5"), Some(Ambiguity::EnglishPoint)))
        );
        assert_eq!(read_in("12", None), Ok((d("12"), None)));
        assert_eq!(read_in("1.234,5", None), Ok((d("1234.5"), None)));
        assert_eq!(
            read_in("12.345", Some(Notation::Vietnamese)),
            Ok((d("12345"), None))
        );
        assert_eq!(
            read_in("12.345", Some(Notation::English)),
            Ok((d("12.345"), None))
        );
        assert_eq!(
            read_in("1,234.5", Some(Notation::English)),
            Ok((d("1234.5"), None))
        );
        assert_eq!(
            settled(["1.234,5", "12.345"].into_iter()),
            Some(Notation::Vietnamese)
        );
        assert_eq!(settled(["12,5"].into_iter()), Some(Notation::Vietnamese));
        assert_eq!(
            settled(["1,234.5", "7"].into_iter()),
            Some(Notation::English)
        );
        assert_eq!(settled(["12.345", "1,234"].into_iter()), None);
        assert_eq!(settled(["1.234,5", "1,234.5"].into_iter()), None);
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

        #[test]
        fn readings_never_panic_and_agree_with_their_notation(s in "[-0-9.,% ]{0,16}") {
            let _ = NotationCount::of([s.as_str()].into_iter()).settled_without(&s);
            if let Ok((v, ambiguity)) = read_in(&s, None) {
                // Unsettled, the reading is the Vietnamese one; the other is only said.
                prop_assert_eq!(Ok(v), parse_vietnamese(&s));
                if let Some(Ambiguity::TwoReadings(other)) = ambiguity {
                    prop_assert_eq!(Ok(Some(other)), parse_english(&s));
                }
            }
        }

        #[test]
        fn english_numbers_read_back_in_english(n in 0u64..10_000_000_000, frac in 0u32..10) {
            let vi = crate::format::number_vi(Decimal::from(n) + Decimal::new(frac as i64, 1), 1);
            let en: String = vi.chars().map(|c| match c { '.' => ',', ',' => '.', c => c }).collect();
            let want = Decimal::from(n) + Decimal::new(frac as i64, 1);
            prop_assert_eq!(read_in(&en, Some(Notation::English)), Ok((Some(want), None)));
        }
    }
}
