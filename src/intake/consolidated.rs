//! The second shape intake accepts: a consolidated sheet with one row per unit and one
//! column per indicator — what a clerk keeps, or what a district sends back. It is
//! recognised when a header row names at least two of the project's indicators.

use std::collections::BTreeMap;

use super::cell::{cell, cell_text, push_unknown_unit, read_value, sheet_period, Sheet};
use super::matching::{LabelMatch, Matcher};
use super::{InputFile, IntakeProblem, ReportedValue, Reporter, UnitReport};
use crate::diagnostic::a1;
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
    /// Indicator columns whose header only looks like the label: (column, header, how
    /// alike), warned about.
    look_alikes: Vec<(u32, String, f64)>,
    /// Headed columns that are neither the unit's nor an indicator's: (column, header).
    unread: Vec<(u32, String)>,
}

/// Text in brackets anywhere in a header, dropped: "Số lớp học (buổi)", "Số bài giảng
/// (E-learning) đã xây dựng" written without its bracket.
fn without_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// An indicator named by a header cell, matched as rows are: its code, its label or an
/// alias (a bracket may stand anywhere in it), the same without the bracketed words,
/// then a look-alike (with how alike it is, for a warning).
fn header_indicator<'p>(m: &Matcher<'p>, text: &str) -> Option<(&'p Indicator, Option<f64>)> {
    if let Some(ind) = m.project.indicator(text.trim()).filter(|i| i.is_reported()) {
        return Some((ind, None));
    }
    let bare = without_brackets(text);
    let mut fuzzy = None;
    for candidate in [text, bare.as_str()] {
        match m.indicator(candidate) {
            Some(LabelMatch::Exact(ind)) => return Some((ind, None)),
            Some(LabelMatch::Fuzzy(ind, score)) if fuzzy.is_none() => {
                fuzzy = Some((ind, Some(score)));
            }
            _ => {}
        }
    }
    fuzzy
}

/// Headers of columns that are expected beside the units and indicators: not "unread".
fn is_plain_column(folded: &str) -> bool {
    matches!(folded, "stt" | "tt" | "so tt" | "so thu tu" | "ghi chu")
}

pub(super) fn find_consolidated<'p>(
    m: &Matcher<'p>,
    range: &Range<Data>,
) -> Option<ConsolidatedColumns<'p>> {
    let (r0, c0) = range.start()?;
    let (r1, c1) = range.end()?;
    for row in r0..=r1.min(r0 + HEADER_SEARCH_ROWS) {
        let mut indicators: Vec<(u32, &Indicator)> = Vec::new();
        let mut look_alikes = Vec::new();
        let mut others: Vec<(u32, String)> = Vec::new();
        let mut unit = None;
        for col in c0..=c1 {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            if let Some((ind, similarity)) = header_indicator(m, &text) {
                if !indicators.iter().any(|(_, i)| i.code == ind.code) {
                    indicators.push((col, ind));
                    if let Some(score) = similarity {
                        look_alikes.push((col, text.trim().to_string(), score));
                    }
                }
                continue;
            }
            let f = fold(&text);
            if unit.is_none()
                && (f.starts_with("don vi") || f.starts_with("ten don vi"))
                && !f.starts_with("don vi tinh")
            {
                unit = Some(col);
            } else if !is_plain_column(&f) {
                others.push((col, text.trim().to_string()));
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
            let unread = others.into_iter().filter(|(c, _)| *c != unit).collect();
            return Some(ConsolidatedColumns {
                header_row: row,
                unit,
                indicators,
                look_alikes,
                unread,
            });
        }
    }
    None
}

/// The signature block under a table: the compiler, the head, the place and date.
fn is_footer_row(name: &str) -> bool {
    let f = fold(name);
    [
        "nguoi ",
        "thu truong",
        "ky ten",
        "xac nhan",
        "ghi chu",
        "ngay ",
    ]
    .iter()
    .any(|w| f.starts_with(w))
        || f.contains(" ngay ") && f.contains(" thang ")
}

/// Rows that are not a unit: totals, and group or section headings.
fn is_summary_row(project: &Project, name: &str) -> bool {
    let f = fold(name);
    f.starts_with("tong")
        || f.starts_with("cong")
        || f.starts_with("toan ")
        || f == "toan"
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
    push_header_notes(r, sh.name, cols);
    let mut reports: Vec<UnitReport> = Vec::new();
    for row in cols.header_row + 1..=last_row {
        let Some(name) = cell_text(cell(range, row, cols.unit)) else {
            continue;
        };
        // Below the table's signature lines nothing is a unit.
        if is_footer_row(&name) {
            break;
        }
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
                Some(sh.name),
                Some(a1(row, cols.unit)),
                IntakeProblem::DuplicateUnitRow {
                    unit: unit.name.clone(),
                },
            );
            continue;
        }
        let mut values = BTreeMap::new();
        for (col, ind) in &cols.indicators {
            let at = a1(row, *col);
            let d = cell(range, row, *col);
            if let Ok(value) = read_value(r, sh, &at, d, ind, (row, *col)) {
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
                Some(sh.name),
                Some(a1(cols.header_row, cols.unit)),
                IntakeProblem::MissingIndicatorColumn {
                    label: ind.label.clone(),
                },
            );
        }
    }
    reports
}

/// Warnings about the header row: indicator columns taken for a look-alike header, and
/// the headed columns that are not read at all.
fn push_header_notes(r: &mut Reporter<'_>, sheet: &str, cols: &ConsolidatedColumns<'_>) {
    for (col, header, score) in &cols.look_alikes {
        let Some((_, ind)) = cols.indicators.iter().find(|(c, _)| c == col) else {
            continue;
        };
        r.push(
            Some(sheet),
            Some(a1(cols.header_row, *col)),
            IntakeProblem::FuzzyColumn {
                header: header.clone(),
                label: ind.label.clone(),
                percent: score * 100.0,
            },
        );
    }
    if let Some((first, _)) = cols.unread.first() {
        let list: Vec<String> = cols
            .unread
            .iter()
            .map(|(c, h)| format!("\"{h}\" ({})", a1(cols.header_row, *c)))
            .collect();
        let list = list.join(", ");
        r.push(
            Some(sheet),
            Some(a1(cols.header_row, *first)),
            IntakeProblem::UnreadColumns { list },
        );
    }
}
