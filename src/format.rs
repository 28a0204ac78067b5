//! How numbers are written in Vietnamese documents: `1.234,5`, `85,3%`. Rounding is
//! half-up (away from zero), and happens only here, when a number is shown.

use rust_decimal::{Decimal, RoundingStrategy};

/// `1234.5` → `"1.234,5"` with `dp` decimals (dots group thousands, comma marks decimals).
pub fn number_vi(value: Decimal, dp: u32) -> String {
    let rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", dp as usize, rounded.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&crate::text::group_thousands(int));
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A percentage with one decimal: `85,3%`; whole numbers drop the decimal: `100%`.
pub fn percent_vi(rate: Decimal) -> String {
    let r = rate.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    if r.fract().is_zero() {
        format!("{}%", number_vi(r, 0))
    } else {
        format!("{}%", number_vi(r, 1))
    }
}

/// The civil date (year, month, day) of a count of days since 1970-01-01 (H. Hinnant's
/// algorithm), for any day a spreadsheet or a clock can give.
pub fn civil_date(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Roman numerals for section numbers (1 → I, 4 → IV).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers() {
        assert_eq!(number_vi(d("1234.5"), 1), "1.234,5");
        assert_eq!(number_vi(d("1234"), 0), "1.234");
        assert_eq!(number_vi(d("12345678900.25"), 1), "12.345.678.900,3");
        assert_eq!(number_vi(d("999"), 0), "999");
        assert_eq!(number_vi(d("0.05"), 1), "0,1");
        assert_eq!(number_vi(d("-1234.45"), 1), "-1.234,5");
        assert_eq!(number_vi(d("-0.04"), 1), "0,0");
        assert_eq!(number_vi(d("1000000"), 0), "1.000.000");
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent_vi(d("85.25")), "85,3%");
        assert_eq!(percent_vi(d("100")), "100%");
        assert_eq!(percent_vi(d("66.666")), "66,7%");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
    }
}
