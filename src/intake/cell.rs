//! One cell as intake reads it: its text, its number (Vietnamese notation, Excel errors,
//! formulas saved without a result, figures beyond the project's bound), and the lines
//! around the table (period, unit) that every sheet shape shares.

use calamine::{Data, Range};

use super::matching::closest_units;
use super::number::{from_float, parse_vietnamese, read_in, Ambiguity, Notation, NotationCount};
use super::{IntakeProblem, Reporter};
use crate::diagnostic::a1;
use crate::period::Period;
use crate::project::{Indicator, Project, ValueKind};
use crate::text::{fold, nfc};

pub(super) const EXCEL_ERRORS: [&str; 8] = [
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#N/A",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#GETTING_DATA",
];

/// One sheet as intake reads it: normalised cells, and formulas to tell an empty cell
/// from a formula whose result was never saved.
pub(super) struct Sheet<'a> {
    pub name: &'a str,
    pub range: &'a Range<Data>,
    pub formulas: &'a (dyn FormulaSource + 'a),
    /// The largest figure taken (`[limits] max_value`).
    pub max_value: u64,
    /// Cells formatted as a percentage (shown "85%" for 0.85): known for xlsx.
    pub percent_cells: &'a std::collections::HashSet<(u32, u32)>,
    /// What the sheet's own text numbers say about its notation, counted when a text
    /// number first needs it.
    pub notation: std::cell::OnceCell<NotationCount>,
    /// The workbook's bytes, for what calamine does not read (an xlsx's hidden rows and
    /// columns).
    pub workbook: &'a [u8],
    /// The sheet's hidden rows and columns, read when two rows of one indicator, or two
    /// columns that may hold the period's figures, need telling apart.
    pub hidden: std::cell::OnceCell<super::hidden::Hidden>,
}

impl Sheet<'_> {
    /// The sheet's hidden rows and columns (0-based), read from the workbook on first use.
    pub fn hidden(&self) -> &super::hidden::Hidden {
        self.hidden
            .get_or_init(|| super::hidden::hidden_in_xlsx(self.workbook, self.name))
    }

    /// The notation the sheet's other text numbers settle for `text`, if they do.
    pub fn notation_for(&self, text: &str) -> Option<Notation> {
        self.notation
            .get_or_init(|| {
                let texts = self.range.used_cells().filter_map(|(_, _, d)| match d {
                    Data::String(s) => Some(s.as_str()),
                    _ => None,
                });
                NotationCount::of(texts)
            })
            .settled_without(text)
    }
}

/// Where a sheet's formulas come from (read lazily, see [`Formulas`]).
pub(super) trait FormulaSource {
    fn get(&self) -> Option<&Range<String>>;
}

impl FormulaSource for Formulas<'_> {
    fn get(&self) -> Option<&Range<String>> {
        Formulas::get(self)
    }
}

/// A sheet's formulas, read from the file only when an empty value cell needs them:
/// reading them parses the sheet a second time, which was a third of reading a
/// canonical sheet whose value cells are all filled in.
pub(super) struct Formulas<'a> {
    loaded: std::cell::OnceCell<Option<Range<String>>>,
    load: std::cell::RefCell<Box<dyn FnMut() -> Option<Range<String>> + 'a>>,
}

impl<'a> Formulas<'a> {
    pub fn new(load: impl FnMut() -> Option<Range<String>> + 'a) -> Self {
        Formulas {
            loaded: std::cell::OnceCell::new(),
            load: std::cell::RefCell::new(Box::new(load)),
        }
    }

    pub fn get(&self) -> Option<&Range<String>> {
        self.loaded
            .get_or_init(|| (self.load.borrow_mut())())
            .as_ref()
    }
}

pub(super) fn cell(range: &Range<Data>, row: u32, col: u32) -> &Data {
    range.get_value((row, col)).unwrap_or(&Data::Empty)
}

pub(super) fn cell_text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// A unit name that is not in the roster, with the closest roster names as the hint.
pub(super) fn push_unknown_unit(
    project: &Project,
    r: &mut Reporter<'_>,
    sheet: &str,
    at: String,
    name: &str,
) {
    let near: Vec<String> = closest_units(project, name, 3)
        .iter()
        .map(|u| format!("\"{}\"", u.name))
        .collect();
    r.push(
        Some(sheet),
        Some(at),
        IntakeProblem::UnknownUnit {
            name: name.to_string(),
            near,
        },
    );
}

/// A cell as a number: `Ok(None)` for no data, `Err(text)` for what is not a number.
pub(super) fn number_of(d: &Data) -> Result<Option<rust_decimal::Decimal>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some((*i).into())),
        Data::Float(f) => from_float(*f).map(Some).ok_or_else(|| f.to_string()),
        Data::String(s) => parse_vietnamese(s).map_err(|_| nfc(s.trim())),
        Data::Bool(b) => Err(b.to_string()),
        Data::DateTime(dt) => Err(dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Err(s.clone()),
        Data::Error(e) => Err(e.to_string()),
    }
}

/// The period a sheet states on its "Kỳ báo cáo" line above `header_row`, if it states one.
pub(super) fn sheet_period(
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    header_row: u32,
) -> Option<(Period, String)> {
    let (text, at) = keyed_line(sh.range, header_row, "ky bao cao")?;
    let period = Period::parse_vietnamese(&text);
    if period.is_none() {
        r.push(
            Some(sh.name),
            Some(at.clone()),
            IntakeProblem::PeriodText { text },
        );
    }
    period.map(|p| (p, at))
}

/// One value cell: `Ok(None)` for no data; `Err` once its diagnostic is pushed.
pub(super) fn read_value(
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    at: &str,
    d: &Data,
    ind: &Indicator,
    pos: (u32, u32),
) -> Result<Option<rust_decimal::Decimal>, ()> {
    let sheet = sh.name;
    let kind = ind.kind;
    let percent_indicator = ind.unit.trim() == "%";
    let date_shown = match d {
        // Excel's day 0 is 1899-12-30 (1904-01-01 in the Mac system, which calamine
        // has already turned into the same serial).
        Data::DateTime(dt) => {
            let days = dt.as_f64().floor() as i64 - 25_569;
            let (y, m, day) = crate::format::civil_date(days);
            Some(format!("{day:02}/{m:02}/{y}"))
        }
        // An .ods date: "2025-11-05" or "2025-11-05T…".
        Data::DateTimeIso(iso) => {
            let date = iso.split('T').next().unwrap_or(iso);
            Some(match date.split('-').collect::<Vec<_>>().as_slice() {
                [y, m, day] => format!("{day}/{m}/{y}"),
                _ => iso.clone(),
            })
        }
        _ => None,
    };
    if let Some(shown) = date_shown {
        r.push(
            Some(sheet),
            Some(at.to_string()),
            IntakeProblem::DateValue { shown },
        );
        return Err(());
    }
    // A percentage: a cell formatted as one (0.85 shown "85%"), or text "85%".
    let percent_text = match d {
        Data::String(s) => s.trim().strip_suffix('%').map(str::trim),
        _ => None,
    };
    let percent_cell =
        matches!(d, Data::Float(_) | Data::Int(_)) && sh.percent_cells.contains(&pos);
    if (percent_text.is_some() || percent_cell) && !percent_indicator {
        let shown = match d {
            Data::String(s) => s.trim().to_string(),
            _ => number_of(d)
                .ok()
                .flatten()
                .map(|v| crate::format::percent_vi(v * rust_decimal::Decimal::ONE_HUNDRED))
                .unwrap_or_default(),
        };
        r.push(
            Some(sheet),
            Some(at.to_string()),
            IntakeProblem::PercentValue {
                shown,
                unit: ind.unit.clone(),
            },
        );
        return Err(());
    }
    let error_value = match d {
        Data::Error(e) => Some(e.to_string()),
        Data::String(s) if EXCEL_ERRORS.contains(&s.trim()) => Some(s.trim().to_string()),
        _ => None,
    };
    if let Some(e) = error_value {
        r.push(
            Some(sheet),
            Some(at.to_string()),
            IntakeProblem::CellError { error: e },
        );
        return Err(());
    }
    if matches!(d, Data::Empty) {
        let has_formula = sh
            .formulas
            .get()
            .and_then(|f| f.get_value(pos))
            .is_some_and(|f| !f.trim().is_empty());
        if has_formula {
            r.push(
                Some(sheet),
                Some(at.to_string()),
                IntakeProblem::FormulaNoValue,
            );
            return Err(());
        }
        return Ok(None);
    }
    let too_big = |r: &mut Reporter<'_>, shown: String| {
        let max = crate::text::group_thousands(&sh.max_value.to_string());
        r.push(
            Some(sheet),
            Some(at.to_string()),
            IntakeProblem::TooBig { value: shown, max },
        );
    };
    if let Data::Float(f) = d {
        if f.is_finite() && f.abs() > sh.max_value as f64 {
            too_big(r, f.to_string());
            return Err(());
        }
    }
    let read = match (d, percent_text) {
        (Data::String(raw), Some(text)) => {
            read_in(text, sh.notation_for(raw)).map_err(|_| nfc(raw.trim()))
        }
        (Data::String(s), None) => read_in(s, sh.notation_for(s)).map_err(|_| nfc(s.trim())),
        _ => number_of(d).map(|v| (v, None)),
    };
    let read = read.map(|(v, ambiguity)| {
        // A cell formatted as a percentage holds the share: 0.85 is shown, and meant,
        // as 85%.
        let v = if percent_cell {
            v.map(|v| v * rust_decimal::Decimal::ONE_HUNDRED)
        } else {
            v
        };
        (v, ambiguity)
    });
    let value = match read {
        Ok((v, ambiguity)) => {
            if let (Some(v), Some(a)) = (v, ambiguity) {
                push_notation(r, sheet, at, d, v, a, kind);
            }
            v
        }
        Err(text) => {
            r.push(
                Some(sheet),
                Some(at.to_string()),
                IntakeProblem::NumberText { text },
            );
            return Err(());
        }
    };
    if let Some(v) = value {
        if v.abs() > rust_decimal::Decimal::from(sh.max_value) {
            too_big(r, v.to_string());
            return Err(());
        }
        if v.is_sign_negative() && !v.is_zero() {
            r.push(
                Some(sheet),
                Some(at.to_string()),
                IntakeProblem::Negative { value: v },
            );
            return Err(());
        }
        if kind == ValueKind::Integer && !v.fract().is_zero() {
            r.push(
                Some(sheet),
                Some(at.to_string()),
                IntakeProblem::Fraction { value: v },
            );
            return Err(());
        }
    }
    Ok(value)
}

/// The text of a "Key: value" line above the table: after the colon in the same cell,
/// or in the next non-empty cell to the right.
pub(super) fn keyed_line(range: &Range<Data>, above: u32, key: &str) -> Option<(String, String)> {
    let (r0, c0) = range.start()?;
    let (_, c1) = range.end()?;
    for row in r0..above {
        for col in c0..=c1 {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            if !crate::text::fold_starts_with(&text, key) {
                continue;
            }
            if let Some((_, rest)) = text.split_once(':') {
                if !rest.trim().is_empty() {
                    return Some((rest.trim().to_string(), a1(row, col)));
                }
            }
            for next in col + 1..=c1 {
                if let Some(t) = cell_text(cell(range, row, next)) {
                    return Some((t, a1(row, next)));
                }
            }
        }
    }
    None
}

/// What the lines above a table say about the reporting unit.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum UnitLine {
    /// "Đơn vị báo cáo: …" (or "Tên đơn vị: …", "Đơn vị: …"): the name and its cell.
    Named(String, String),
    /// The line is there with no name in it: its cell.
    Blank(String),
    Absent,
}

/// The unit line above row `above`: "Đơn vị báo cáo" first, then "Tên đơn vị" and
/// "Đơn vị" (never "Đơn vị tính"), the name after the colon or in the next cell.
pub(super) fn unit_line(range: &Range<Data>, above: u32) -> UnitLine {
    let (Some((r0, c0)), Some((_, c1))) = (range.start(), range.end()) else {
        return UnitLine::Absent;
    };
    let mut blank = None;
    for key in ["don vi bao cao", "ten don vi", "don vi"] {
        for row in r0..above {
            for col in c0..=c1 {
                let Some(text) = cell_text(cell(range, row, col)) else {
                    continue;
                };
                let (head, rest) = text.split_once(':').unwrap_or((&text, ""));
                // Folded whole only when it can be the key (most cells differ at once).
                if !crate::text::fold_starts_with(head, key.split(' ').next().unwrap_or(key)) {
                    continue;
                }
                let head = fold(head);
                let is_key = if key == "don vi bao cao" {
                    head.starts_with(key)
                } else {
                    head == key
                };
                if !is_key {
                    continue;
                }
                if !rest.trim().is_empty() {
                    return UnitLine::Named(rest.trim().to_string(), a1(row, col));
                }
                let next =
                    (col + 1..=c1).find_map(|c| cell_text(cell(range, row, c)).map(|t| (t, c)));
                match next {
                    Some((t, c)) => return UnitLine::Named(t, a1(row, c)),
                    None => {
                        blank.get_or_insert_with(|| a1(row, col));
                    }
                }
            }
        }
    }
    blank.map_or(UnitLine::Absent, UnitLine::Blank)
}

/// `W-NUMBER-NOTATION`: a text number read the Vietnamese way, where the other way
/// reads differently (and would be a figure this indicator takes), or a dot that can
/// only be an English decimal point; the sheet's other cells do not settle it.
fn push_notation(
    r: &mut Reporter<'_>,
    sheet: &str,
    at: &str,
    d: &Data,
    read: rust_decimal::Decimal,
    ambiguity: Ambiguity,
    kind: ValueKind,
) {
    let text = match d {
        Data::String(s) => s.trim().to_string(),
        _ => return,
    };
    let shown = |v: rust_decimal::Decimal| crate::format::number_vi(v, v.scale());
    let problem = match ambiguity {
        Ambiguity::TwoReadings(other) => {
            if kind == ValueKind::Integer && !other.fract().is_zero() {
                return;
            }
            IntakeProblem::TwoNotations {
                text,
                read: shown(read),
                other: shown(other),
            }
        }
        Ambiguity::EnglishPoint => {
            if kind == ValueKind::Integer {
                return;
            }
            IntakeProblem::EnglishPoint {
                text,
                read: shown(read),
            }
        }
    };
    r.push(Some(sheet), Some(at.to_string()), problem);
}
