//! The canonical table: found by its header labels (not by fixed cells), so units may
//! move, reorder and add columns and rows; every row's indicator, the row that counts
//! for each, and its value and plan read and checked.

use std::collections::{BTreeMap, HashMap};

use calamine::Data;

use super::cell::*;
use super::header::Columns;
use super::matching::{match_unit_in_file_name, Matcher};
use super::{InputFile, IntakeProblem, LabelMatch, ReportedValue, Reporter, UnitReport};
use crate::diagnostic::a1;
use crate::text::fold;

pub(super) fn read_table(
    m: &Matcher<'_>,
    file: &InputFile,
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    cols: &Columns,
) -> Option<UnitReport> {
    let project = m.project;
    let (sheet, range) = (sh.name, sh.range);
    // The unit: the "Đơn vị báo cáo" line, else the file name.
    let line = unit_line(range, cols.header_row);
    let unit = match &line {
        UnitLine::Named(name, at) => match m.unit(name) {
            Some(u) => u,
            None => {
                push_unknown_unit(project, r, sheet, at.clone(), name);
                return None;
            }
        },
        UnitLine::Blank(_) | UnitLine::Absent => {
            let stem = file
                .name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(s, _)| s);
            match match_unit_in_file_name(project, stem) {
                Some(u) => u,
                None => {
                    // The cell of a unit line left empty, if there is one.
                    let at = match line {
                        UnitLine::Blank(at) => Some(at),
                        _ => None,
                    };
                    r.push(Some(sheet), at, IntakeProblem::NoUnit);
                    return None;
                }
            }
        }
    };
    let (period, period_cell) = sheet_period(r, sh, cols.header_row).unzip();
    for (taken, other) in &cols.ambiguous {
        r.push(
            Some(sheet),
            Some(a1(cols.header_row, other.col)),
            IntakeProblem::AmbiguousColumn {
                taken: taken.header.clone(),
                taken_at: a1(cols.header_row, taken.col),
                other: other.header.clone(),
                other_at: a1(cols.header_row, other.col),
            },
        );
    }

    for (taken, hidden) in &cols.hidden {
        let (at, own) = (
            a1(cols.header_row, hidden.col),
            a1(cols.header_row, taken.col),
        );
        r.push(
            Some(sheet),
            Some(at.clone()),
            IntakeProblem::HiddenColumn {
                hidden: hidden.header.clone(),
                at,
                taken: taken.header.clone(),
                taken_at: own,
            },
        );
    }

    let (last_row, _) = range.end()?;
    // First every row's indicator, then per indicator the row whose number counts: an
    // exact label beats a similar one wherever it stands, two exact rows are an error
    // naming both, and only the row used gets a warning for its look-alike label.
    let mut matched: Vec<RowMatch<'_>> = Vec::new();
    for row in cols.header_row + 1..=last_row {
        let Some(label) = cell_text(cell(range, row, cols.label)) else {
            continue;
        };
        match m.indicator(&label) {
            Some(LabelMatch::Exact(indicator)) => matched.push(RowMatch {
                row,
                label,
                indicator,
                similarity: None,
            }),
            Some(LabelMatch::Fuzzy(indicator, score)) => matched.push(RowMatch {
                row,
                label,
                indicator,
                similarity: Some(score),
            }),
            None => {
                let value_cell = cell(range, row, cols.value);
                let is_section = project
                    .sections
                    .iter()
                    .any(|s| fold(&label).contains(&fold(&s.title)));
                if !is_section && !matches!(value_cell, Data::Empty) && row_looks_like_data(&label)
                {
                    push_unknown_row(r, sheet, a1(row, cols.label), &label);
                }
            }
        }
    }
    let mut used = rows_used(&matched);
    // Of an indicator's exact rows, a hidden one is never counted over the one visible
    // row (an old row hidden rather than deleted); it is noted.
    let mut hidden_skipped: Vec<u32> = Vec::new();
    for choice in used.values_mut() {
        let RowChoice::Duplicate(rows) = choice else {
            continue;
        };
        let hidden = &sh.hidden().rows;
        let visible: Vec<u32> = rows
            .iter()
            .copied()
            .filter(|r| !hidden.contains(r))
            .collect();
        if let [one] = visible.as_slice() {
            hidden_skipped.extend(rows.iter().filter(|r| hidden.contains(r)));
            *choice = RowChoice::Row(*one);
        }
    }
    let mut values = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for rm in &matched {
        let (row, indicator) = (rm.row, rm.indicator);
        match used.get(indicator.code.as_str()) {
            Some(RowChoice::Row(used_row)) if *used_row == row => {}
            Some(RowChoice::Row(used_row)) if hidden_skipped.contains(&row) => {
                push_hidden_row(r, sheet, (row, *used_row, cols.label), indicator);
                continue;
            }
            Some(RowChoice::Row(used_row)) => {
                // A look-alike of an indicator whose own row is elsewhere.
                if !matches!(cell(range, row, cols.value), Data::Empty) {
                    push_look_alike_row(r, sheet, (row, *used_row, cols.label), rm);
                }
                continue;
            }
            Some(RowChoice::Duplicate(rows)) => {
                if rows.first() == Some(&row) {
                    push_duplicate_rows(r, sheet, rows, cols, indicator);
                }
                seen.insert(indicator.code.as_str());
                continue;
            }
            None => continue,
        }
        if let Some(score) = rm.similarity {
            r.push(
                Some(sheet),
                Some(a1(row, cols.label)),
                IntakeProblem::FuzzyLabel {
                    found: rm.label.to_string(),
                    label: indicator.label.clone(),
                    percent: score * 100.0,
                },
            );
        }
        seen.insert(indicator.code.as_str());
        let value_cell = cell(range, row, cols.value);
        let at = a1(row, cols.value);
        let value = read_value(r, sh, &at, value_cell, indicator, (row, cols.value));
        // Kế hoạch is read for itself, with the same checks as the value: a value that
        // cannot be taken does not lose the plan, and a plan that cannot be taken is an
        // error on its own cell (it was read as nothing, or as it was, negative too).
        let (target, target_refused) = match cols.target {
            None => (None, false),
            Some(c) => {
                let plan_at = a1(row, c);
                match read_value(r, sh, &plan_at, cell(range, row, c), indicator, (row, c)) {
                    Ok(t) => (t, false),
                    Err(()) => (None, true),
                }
            }
        };
        values.insert(
            indicator.code.clone(),
            ReportedValue {
                // A value that cannot be taken counts as no value (its error says so).
                value: value.unwrap_or(None),
                target,
                target_refused,
                cell: at,
            },
        );
    }
    for ind in project
        .reported_indicators()
        .filter(|i| !seen.contains(i.code.as_str()))
    {
        r.push(
            Some(sheet),
            None,
            IntakeProblem::MissingIndicator {
                label: ind.label.clone(),
            },
        );
    }
    Some(UnitReport {
        file: file.name.clone(),
        sheet: sheet.to_string(),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        period,
        period_cell,
        values,
    })
}

/// Labels of signature and note rows are not data rows.
fn row_looks_like_data(label: &str) -> bool {
    let f = fold(label);
    !(f.starts_with("nguoi") || f.starts_with("thu truong") || f.starts_with("ghi chu"))
}

/// A row of the table whose label names an indicator.
struct RowMatch<'p> {
    row: u32,
    label: String,
    indicator: &'p crate::project::Indicator,
    /// How alike the label is, when it is not the indicator's own (or an alias).
    similarity: Option<f64>,
}

/// Which row's number counts for an indicator.
#[derive(Debug, PartialEq)]
enum RowChoice {
    Row(u32),
    /// Two or more rows with the indicator's exact label: none is taken.
    Duplicate(Vec<u32>),
}

/// For each indicator, the row whose number counts: its one exact row; else the most
/// alike of its look-alike rows (the first of equals); several exact rows are a
/// [`RowChoice::Duplicate`].
fn rows_used<'a>(matched: &'a [RowMatch<'_>]) -> HashMap<&'a str, RowChoice> {
    let mut by_indicator: HashMap<&str, Vec<&RowMatch<'_>>> = HashMap::new();
    for rm in matched {
        by_indicator
            .entry(rm.indicator.code.as_str())
            .or_default()
            .push(rm);
    }
    by_indicator
        .into_iter()
        .map(|(code, rows)| {
            let exact: Vec<u32> = rows
                .iter()
                .filter(|r| r.similarity.is_none())
                .map(|r| r.row)
                .collect();
            let choice = match exact.as_slice() {
                [one] => RowChoice::Row(*one),
                [] => {
                    let best = rows
                        .iter()
                        .fold(None::<&RowMatch<'_>>, |best, r| match best {
                            Some(b) if b.similarity >= r.similarity => Some(b),
                            _ => Some(r),
                        })
                        .map_or(0, |r| r.row);
                    RowChoice::Row(best)
                }
                _ => RowChoice::Duplicate(exact),
            };
            (code, choice)
        })
        .collect()
}

fn push_unknown_row(r: &mut Reporter<'_>, sheet: &str, at: String, label: &str) {
    r.push(
        Some(sheet),
        Some(at),
        IntakeProblem::UnknownRow {
            label: label.to_string(),
        },
    );
}

/// A row whose label looks like an indicator's, not counted: the indicator's own row
/// (`used`) is elsewhere.
fn push_look_alike_row(
    r: &mut Reporter<'_>,
    sheet: &str,
    (row, used, col): (u32, u32, u32),
    rm: &RowMatch<'_>,
) {
    let (at, own) = (a1(row, col), a1(used, col));
    r.push(
        Some(sheet),
        Some(at),
        IntakeProblem::LookAlikeRow {
            label: rm.label.to_string(),
            indicator: rm.indicator.label.clone(),
            own,
        },
    );
}

/// `E-DUPLICATE-ROW`: one indicator on several rows; none is counted.
fn push_duplicate_rows(
    r: &mut Reporter<'_>,
    sheet: &str,
    rows: &[u32],
    cols: &Columns,
    ind: &crate::project::Indicator,
) {
    let list: Vec<String> = rows.iter().map(|&row| a1(row, cols.label)).collect();
    let list = list.join(", ");
    r.push(
        Some(sheet),
        Some(a1(rows[0], cols.label)),
        IntakeProblem::DuplicateRow {
            label: ind.label.clone(),
            rows: list,
        },
    );
}

/// `W-HIDDEN-ROW`: a hidden row with an indicator's label, not counted; the visible
/// row `used` is.
fn push_hidden_row(
    r: &mut Reporter<'_>,
    sheet: &str,
    (row, used, col): (u32, u32, u32),
    ind: &crate::project::Indicator,
) {
    let (at, own) = (a1(row, col), a1(used, col));
    r.push(
        Some(sheet),
        Some(at.clone()),
        IntakeProblem::HiddenRow {
            at,
            label: ind.label.clone(),
            own,
        },
    );
}
