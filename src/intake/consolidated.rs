//! The second shape intake accepts: a consolidated sheet with one row per unit and one
//! column per indicator — what a clerk keeps, or what a district sends back. It is
//! recognised when a header row names at least two of the project's indicators.

use std::collections::BTreeMap;

use super::cell::{cell, cell_text, push_unknown_unit, read_value, sheet_period, Sheet};
use super::matching::{LabelMatch, Matcher};
use super::{InputFile, ReportedValue, Reporter, UnitReport};
use crate::diagnostic::{a1, Severity};
use crate::project::{Indicator, Project};
use crate::text::fold;
use calamine::{Data, Range};

/// How far down the header row may be, and how many indicator columns at least.
use super::header::HEADER_SEARCH_ROWS;
const MIN_INDICATOR_COLUMNS: usize = 2;

/// Where the consolidated table's columns are.
pub(super) struct ConsolidatedColumns<'p> {
    header_row: u32,
    unit: u32,
    indicators: Vec<(u32, &'p Indicator)>,
}

/// An indicator named by a header cell: its code, label or an alias (not fuzzy: a
/// header is short and a wrong guess would move a whole column).
fn header_indicator<'p>(m: &Matcher<'p>, text: &str) -> Option<&'p Indicator> {
    if let Some(ind) = m.project.indicator(text.trim()).filter(|i| i.is_reported()) {
        return Some(ind);
    }
    // "Số lớp học (buổi)": the unit of measure in brackets is not part of the label.
    let label = text.split(['(', '\n']).next().unwrap_or(text);
    match m.indicator(label) {
        Some(LabelMatch::Exact(ind)) => Some(ind),
        _ => None,
    }
}

pub(super) fn find_consolidated<'p>(
    m: &Matcher<'p>,
    range: &Range<Data>,
) -> Option<ConsolidatedColumns<'p>> {
    let (r0, c0) = range.start()?;
    let (r1, c1) = range.end()?;
    for row in r0..=r1.min(r0 + HEADER_SEARCH_ROWS) {
        let mut indicators: Vec<(u32, &Indicator)> = Vec::new();
        let mut unit = None;
        for col in c0..=c1 {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            if let Some(ind) = header_indicator(m, &text) {
                if !indicators.iter().any(|(_, i)| i.code == ind.code) {
                    indicators.push((col, ind));
                }
                continue;
            }
            let f = fold(&text);
            if unit.is_none()
                && (f.starts_with("don vi") || f.starts_with("ten don vi"))
                && !f.starts_with("don vi tinh")
            {
                unit = Some(col);
            }
        }
        if indicators.len() >= MIN_INDICATOR_COLUMNS {
            let first = indicators.iter().map(|(c, _)| *c).min().unwrap_or(c0);
            // No "Đơn vị" header: the unit names are in the nearest text column before
            // the first indicator that is not the row number.
            let unit = unit.or_else(|| {
                (c0..first).rev().find(|&col| {
                    (row + 1..=r1.min(row + 10)).any(
                        |r| matches!(cell(range, r, col), Data::String(s) if !s.trim().is_empty()),
                    )
                })
            })?;
            return Some(ConsolidatedColumns {
                header_row: row,
                unit,
                indicators,
            });
        }
    }
    None
}

/// Rows that are not a unit: totals, and group or section headings.
fn is_summary_row(project: &Project, name: &str) -> bool {
    let f = fold(name);
    f.starts_with("tong")
        || f.starts_with("cong")
        || f.starts_with("toan xa")
        || project
            .groups
            .iter()
            .any(|g| f.contains(&fold(&g.name)) || fold(&g.name).contains(&f))
}

pub(super) fn read_consolidated(
    m: &Matcher<'_>,
    file: &InputFile,
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    cols: &ConsolidatedColumns<'_>,
) -> Vec<UnitReport> {
    let project = m.project;
    let range = sh.range;
    let (period, period_cell) = sheet_period(r, sh, cols.header_row).unzip();
    let Some((last_row, _)) = range.end() else {
        return Vec::new();
    };
    let mut reports: Vec<UnitReport> = Vec::new();
    for row in cols.header_row + 1..=last_row {
        let Some(name) = cell_text(cell(range, row, cols.unit)) else {
            continue;
        };
        let has_numbers = cols
            .indicators
            .iter()
            .any(|(c, _)| !matches!(cell(range, row, *c), Data::Empty));
        let unit = match m.unit(&name) {
            Some(u) => u,
            None => {
                // A unit-name cell may be a heading ("I. Khối cơ quan") or a total.
                if has_numbers && !is_summary_row(project, &name) {
                    push_unknown_unit(project, r, sh.name, a1(row, cols.unit), &name);
                }
                continue;
            }
        };
        if reports.iter().any(|x| x.unit_code == unit.code) {
            r.push(
                Severity::Error,
                "E-DUPLICATE-UNIT",
                Some(sh.name),
                Some(a1(row, cols.unit)),
                (
                    format!(
                        "{} có hai dòng trong bảng; dòng này không được tính.",
                        unit.name
                    ),
                    format!(
                        "{} has two rows in the table; this one is not counted.",
                        unit.name
                    ),
                ),
                ("Xóa dòng thừa của đơn vị.", "Delete the unit's extra row."),
            );
            continue;
        }
        let mut values = BTreeMap::new();
        for (col, ind) in &cols.indicators {
            let at = a1(row, *col);
            let d = cell(range, row, *col);
            if let Ok(value) = read_value(r, sh, &at, d, ind.kind, (row, *col)) {
                values.insert(
                    ind.code.clone(),
                    ReportedValue {
                        value,
                        target: None,
                        target_refused: false,
                        cell: at,
                    },
                );
            }
        }
        reports.push(UnitReport {
            file: file.name.clone(),
            sheet: sh.name.to_string(),
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            period,
            period_cell: period_cell.clone(),
            values,
        });
    }
    let missing: Vec<&Indicator> = project
        .reported_indicators()
        .filter(|i| !cols.indicators.iter().any(|(_, c)| c.code == i.code))
        .collect();
    if !reports.is_empty() {
        for ind in missing {
            r.push(
                Severity::Error,
                "E-MISSING-INDICATOR",
                Some(sh.name),
                Some(a1(cols.header_row, cols.unit)),
                (
                    format!("Bảng tổng hợp thiếu cột chỉ tiêu \"{}\".", ind.label),
                    format!(
                        "The consolidated table has no column for \"{}\".",
                        ind.label
                    ),
                ),
                (
                    "Thêm cột chỉ tiêu này vào dòng tiêu đề, ghi đúng tên chỉ tiêu.",
                    "Add a column for this indicator, headed with its label.",
                ),
            );
        }
    }
    reports
}
