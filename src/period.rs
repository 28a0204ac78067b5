//! Reporting periods (kỳ báo cáo): a month `2025-10`, a quarter `2025-Q4`, a half year
//! `2025-H1`, or a year `2025`. The folder `inputs/<period>/` holds that period's sheets.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

/// One reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// Tháng.
    Month { year: i32, month: u32 },
    /// Quý, 1–4.
    Quarter { year: i32, quarter: u32 },
    /// 6 tháng đầu năm (1) or cuối năm (2).
    Half { year: i32, half: u32 },
    /// Năm.
    Year { year: i32 },
}

#[derive(Debug, Error, PartialEq, Eq)]
#[error("`{0}` is not a period: write YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY")]
pub struct PeriodError(pub String);

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_string());
        let t = s.trim();
        let (y, rest) = match t.split_once('-') {
            Some((y, rest)) => (y, Some(rest)),
            None => (t, None),
        };
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let digits = |r: &str| -> Option<u32> {
            if r.is_empty() || r.len() > 2 || !r.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                r.parse().ok()
            }
        };
        let p = match rest {
            None => Period::Year { year },
            Some(r) if r.starts_with(['Q', 'q']) => Period::Quarter {
                year,
                quarter: digits(&r[1..])
                    .filter(|q| (1..=4).contains(q))
                    .ok_or_else(err)?,
            },
            Some(r) if r.starts_with(['H', 'h']) => Period::Half {
                year,
                half: digits(&r[1..])
                    .filter(|h| (1..=2).contains(h))
                    .ok_or_else(err)?,
            },
            Some(r) if r.len() == 2 => Period::Month {
                year,
                month: digits(r).filter(|m| (1..=12).contains(m)).ok_or_else(err)?,
            },
            Some(_) => return Err(err()),
        };
        Ok(p)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::Half { year, half } => write!(f, "{year}-H{half}"),
            Period::Year { year } => write!(f, "{year}"),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// From the folder form (`"2025-10"`, `"2025-Q4"`), as the project file writes periods.
impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is not a period: write YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY"
            ))
        })
    }
}

const ROMAN: [&str; 5] = ["", "I", "II", "III", "IV"];

impl Period {
    pub fn year(&self) -> i32 {
        match *self {
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Half { year, .. }
            | Period::Year { year } => year,
        }
    }

    /// How the period is said in a sentence: "tháng 10 năm 2025", "quý IV năm 2025",
    /// "6 tháng đầu năm 2025", "năm 2025".
    pub fn label_vi(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("tháng {month} năm {year}"),
            Period::Quarter { year, quarter } => {
                format!("quý {} năm {year}", ROMAN[quarter as usize])
            }
            Period::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Period::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            Period::Year { year } => format!("năm {year}"),
        }
    }

    /// How the canonical unit sheet writes it: "Tháng 10/2025", "Quý IV/2025".
    pub fn sheet_label(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("Tháng {month}/{year}"),
            Period::Quarter { year, quarter } => format!("Quý {}/{year}", ROMAN[quarter as usize]),
            Period::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            Period::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            Period::Year { year } => format!("Năm {year}"),
        }
    }

    /// The period before this one, of the same kind.
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::Half { year, half: 1 } => Period::Half {
                year: year - 1,
                half: 2,
            },
            Period::Half { year, .. } => Period::Half { year, half: 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// Reads the period as units write it on their sheets: "Tháng 10/2025",
    /// "tháng 10 năm 2025", "Quý IV/2025", "6 tháng đầu năm 2025", "Năm 2025",
    /// "Từ ngày 01/10/2025 đến ngày 31/10/2025" (a range that is exactly one period).
    /// Where the period falls in time, for sorting a list the way a clerk reads it: by
    /// the month it ends with, then the shorter first (2025-12, 2025-Q4, 2025-H2, 2025).
    /// (The derived order keeps every month before every quarter whatever the year.)
    pub fn chronological_key(&self) -> (i32, u32, u32) {
        match *self {
            Period::Month { year, month } => (year, month, 1),
            Period::Quarter { year, quarter } => (year, quarter * 3, 3),
            Period::Half { year, half } => (year, half * 6, 6),
            Period::Year { year } => (year, 12, 12),
        }
    }

    /// A period as the clerk types it: the engine's form (`2025-11`, `2025-Q4`), or the
    /// Vietnamese ways of writing one: "11/2025", "T11/2025", "Tháng 11/2025", "Quý
    /// IV/2025", "6 tháng đầu năm 2025", "Năm 2025".
    pub fn parse_typed(text: &str) -> Option<Period> {
        let t = text.trim();
        if let Ok(p) = t.parse() {
            return Some(p);
        }
        // "11/2025" and "T11/2025": a month.
        let short = t.strip_prefix(['T', 't']).unwrap_or(t);
        if let Some((m, y)) = short.split_once('/') {
            let (m, y) = (m.trim(), y.trim());
            if m.len() <= 2
                && y.len() == 4
                && m.bytes().chain(y.bytes()).all(|b| b.is_ascii_digit())
            {
                return Period::parse_vietnamese(&format!("tháng {m}/{y}"));
            }
        }
        Period::parse_vietnamese(t)
    }

    pub fn parse_vietnamese(text: &str) -> Option<Period> {
        let t = crate::text::fold(text);
        let t = t
            .trim()
            .trim_start_matches("ky bao cao")
            .trim_start_matches(':')
            .trim();
        let nums: Vec<u32> = t
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        let year_of = |n: &u32| (1900..=2999).contains(n).then_some(*n as i32);
        if t.starts_with("tu ngay") {
            // d/m/y to d/m/y: accept when it covers exactly one month, quarter, half or year.
            if let [d1, m1, y1, d2, m2, y2] = nums[..] {
                let (y1, y2) = (year_of(&y1)?, year_of(&y2)?);
                if y1 != y2 || d1 != 1 || d2 != days_in_month(y2, m2)? || m1 > m2 {
                    return None;
                }
                return match (m1, m2) {
                    (a, b) if a == b => Some(Period::Month { year: y1, month: a }),
                    (1, 12) => Some(Period::Year { year: y1 }),
                    (1, 6) => Some(Period::Half { year: y1, half: 1 }),
                    (7, 12) => Some(Period::Half { year: y1, half: 2 }),
                    (a, b) if b == a + 2 && a % 3 == 1 => Some(Period::Quarter {
                        year: y1,
                        quarter: a / 3 + 1,
                    }),
                    _ => None,
                };
            }
            return None;
        }
        if let Some(rest) = t.strip_prefix("quy") {
            let word = rest
                .trim()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()?;
            let quarter = match word {
                "i" | "1" => 1,
                "ii" | "2" => 2,
                "iii" | "3" => 3,
                "iv" | "4" => 4,
                _ => return None,
            };
            let year = nums.iter().rev().find_map(year_of)?;
            return Some(Period::Quarter { year, quarter });
        }
        if t.starts_with("6 thang") {
            let year = nums.iter().rev().find_map(year_of)?;
            let half = if t.contains("dau") {
                1
            } else if t.contains("cuoi") {
                2
            } else {
                return None;
            };
            return Some(Period::Half { year, half });
        }
        if t.starts_with("thang") {
            if let [month, year] = nums[..] {
                let year = year_of(&year)?;
                return (1..=12)
                    .contains(&month)
                    .then_some(Period::Month { year, month });
            }
            return None;
        }
        if t.starts_with("nam") {
            if let [year] = nums[..] {
                return Some(Period::Year {
                    year: year_of(&year)?,
                });
            }
        }
        None
    }
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folder_names_parse_and_print_back() {
        for s in [
            "2025-10", "2025-Q4", "2025-H1", "2025-H2", "2025", "2026-01",
        ] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
        for bad in [
            "2025-13",
            "2025-Q5",
            "2025-H3",
            "25-10",
            "2025-1",
            "",
            "abcd",
            "2025-10-01",
        ] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sheet_forms_are_recognised() {
        let oct = Period::Month {
            year: 2025,
            month: 10,
        };
        assert_eq!(Period::parse_vietnamese("Tháng 10/2025"), Some(oct));
        assert_eq!(
            Period::parse_vietnamese("Kỳ báo cáo: Tháng 10/2025"),
            Some(oct)
        );
        assert_eq!(Period::parse_vietnamese("tháng 10 năm 2025"), Some(oct));
        assert_eq!(
            Period::parse_vietnamese("Từ ngày 01/10/2025 đến ngày 31/10/2025"),
            Some(oct)
        );
        assert_eq!(
            Period::parse_vietnamese("Quý IV/2025"),
            Some(Period::Quarter {
                year: 2025,
                quarter: 4
            })
        );
        assert_eq!(
            Period::parse_vietnamese("6 tháng đầu năm 2025"),
            Some(Period::Half {
                year: 2025,
                half: 1
            })
        );
        assert_eq!(
            Period::parse_vietnamese("Năm 2025"),
            Some(Period::Year { year: 2025 })
        );
        assert_eq!(
            Period::parse_vietnamese("Từ ngày 05/10/2025 đến ngày 31/10/2025"),
            None
        );
        assert_eq!(Period::parse_vietnamese("Tháng 13/2025"), None);
    }

    #[test]
    fn a_period_typed_the_vietnamese_way() {
        let nov = Period::Month {
            year: 2025,
            month: 11,
        };
        for typed in [
            "2025-11",
            "11/2025",
            "T11/2025",
            "t11/2025",
            " Tháng 11/2025 ",
        ] {
            assert_eq!(Period::parse_typed(typed), Some(nov), "{typed}");
        }
        assert_eq!(
            Period::parse_typed("Quý IV/2025"),
            Some(Period::Quarter {
                year: 2025,
                quarter: 4
            })
        );
        assert_eq!(
            Period::parse_typed("6 tháng đầu năm 2025"),
            Some(Period::Half {
                year: 2025,
                half: 1
            })
        );
        for bad in ["13/2025", "2025-13", "thang 13", "11/25", ""] {
            assert_eq!(Period::parse_typed(bad), None, "{bad}");
        }
    }

    #[test]
    fn periods_sort_by_when_they_end() {
        let mut periods: Vec<Period> = [
            "2025-Q4", "2024-H1", "2025-10", "2025", "2025-12", "2024-11",
        ]
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
        periods.sort_by_key(Period::chronological_key);
        let shown: Vec<String> = periods.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["2024-H1", "2024-11", "2025-10", "2025-12", "2025-Q4", "2025"]
        );
    }

    #[test]
    fn previous_period_crosses_years() {
        let p: Period = "2025-01".parse().unwrap();
        assert_eq!(p.previous().to_string(), "2024-12");
        let q: Period = "2025-Q1".parse().unwrap();
        assert_eq!(q.previous().to_string(), "2024-Q4");
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = s.parse::<Period>();
            let _ = Period::parse_vietnamese(&s);
        }

        #[test]
        fn sheet_label_round_trips(year in 1990i32..2100, month in 1u32..=12, q in 1u32..=4, h in 1u32..=2) {
            for p in [Period::Month{year, month}, Period::Quarter{year, quarter: q}, Period::Half{year, half: h}, Period::Year{year}] {
                prop_assert_eq!(Period::parse_vietnamese(&p.sheet_label()), Some(p));
                prop_assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
            }
        }
    }
}
