//! Aggregate: the project + the period's unit reports (+ the previous period's) → the
//! [`Dataset`] every template reads. Exact decimal arithmetic; totals from unrounded
//! values; rounding happens only when a number is shown (in `compose`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::intake::UnitReport;
use crate::period::Period;
use crate::project::Project;

/// One number with its target, completion rate and the previous period's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figure {
    /// `None`: nobody reported a value ("-" in a document), distinct from 0.
    pub value: Option<Decimal>,
    pub target: Option<Decimal>,
    /// value / target × 100; `None` when either is missing or the target is 0.
    pub rate: Option<Decimal>,
    pub previous: Option<Decimal>,
    /// (value − previous) / previous × 100.
    pub change: Option<Decimal>,
}

impl Figure {
    fn new(value: Option<Decimal>, target: Option<Decimal>, previous: Option<Decimal>) -> Figure {
        Figure {
            value,
            target,
            rate: ratio(value, target),
            previous,
            change: match (value, previous) {
                (Some(v), Some(p)) => ratio(Some(v - p), Some(p)),
                _ => None,
            },
        }
    }
}

fn ratio(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => a
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(b)),
        _ => None,
    }
}

/// Sum of the values present; `None` when there are none.
fn sum(values: impl Iterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values
        .flatten()
        .fold(None, |acc, v| Some(acc.unwrap_or_default() + v))
}

/// One indicator with its commune total, for templates that iterate over indicators.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub code: String,
    pub section: String,
    pub label: String,
    pub unit: String,
    #[serde(flatten)]
    pub total: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionRows {
    pub code: String,
    pub title: String,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub group: String,
    pub reported: bool,
    pub file: Option<String>,
    pub values: BTreeMap<String, Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub code: String,
    pub name: String,
    pub reported: usize,
    pub roster: usize,
    pub totals: BTreeMap<String, Figure>,
}

/// The numbers a period's documents state.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    pub period: Period,
    pub previous_period: Period,
    pub sections: Vec<SectionRows>,
    pub units: Vec<UnitRow>,
    pub groups: Vec<GroupRow>,
    pub totals: BTreeMap<String, Figure>,
    /// Roster units with no report for the period, by code.
    pub missing: Vec<String>,
    pub reported_count: usize,
    pub roster_count: usize,
}

/// Builds the dataset. `previous` holds the previous period's reports (empty if none).
pub fn aggregate(
    project: &Project,
    period: Period,
    reports: &[UnitReport],
    previous: &[UnitReport],
) -> Dataset {
    let value_of = |rs: &[UnitReport], unit: &str, ind: &str| -> Option<Decimal> {
        rs.iter()
            .find(|r| r.unit_code == unit)
            .and_then(|r| r.values.get(ind))
            .and_then(|v| v.value)
    };
    let units: Vec<UnitRow> = project
        .units
        .iter()
        .map(|u| {
            let report = reports.iter().find(|r| r.unit_code == u.code);
            let values = project
                .indicators
                .iter()
                .map(|ind| {
                    let reported = report.and_then(|r| r.values.get(&ind.code));
                    let fig = Figure::new(
                        reported.and_then(|v| v.value),
                        reported.and_then(|v| v.target),
                        value_of(previous, &u.code, &ind.code),
                    );
                    (ind.code.clone(), fig)
                })
                .collect();
            UnitRow {
                code: u.code.clone(),
                name: u.name.clone(),
                group: u.group.clone(),
                reported: report.is_some(),
                file: report.map(|r| r.file.clone()),
                values,
            }
        })
        .collect();

    let total_over = |members: &[&UnitRow], code: &str, target: Option<Decimal>| -> Figure {
        let value = sum(members
            .iter()
            .filter(|u| u.reported)
            .map(|u| u.values[code].value));
        let previous = sum(members.iter().map(|u| u.values[code].previous));
        let target = target.or_else(|| sum(members.iter().map(|u| u.values[code].target)));
        Figure::new(value, target, previous)
    };

    let groups: Vec<GroupRow> = project
        .groups
        .iter()
        .map(|g| {
            let members: Vec<&UnitRow> = units.iter().filter(|u| u.group == g.code).collect();
            GroupRow {
                code: g.code.clone(),
                name: g.name.clone(),
                reported: members.iter().filter(|u| u.reported).count(),
                roster: members.len(),
                totals: project
                    .indicators
                    .iter()
                    .map(|ind| (ind.code.clone(), total_over(&members, &ind.code, None)))
                    .collect(),
            }
        })
        .collect();

    let everyone: Vec<&UnitRow> = units.iter().collect();
    let totals: BTreeMap<String, Figure> = project
        .indicators
        .iter()
        .map(|ind| {
            (
                ind.code.clone(),
                total_over(&everyone, &ind.code, ind.target),
            )
        })
        .collect();

    let sections = project
        .sections
        .iter()
        .map(|s| SectionRows {
            code: s.code.clone(),
            title: s.title.clone(),
            indicators: project
                .indicators
                .iter()
                .filter(|i| i.section == s.code)
                .map(|i| IndicatorRow {
                    code: i.code.clone(),
                    section: i.section.clone(),
                    label: i.label.clone(),
                    unit: i.unit.clone(),
                    total: totals[&i.code].clone(),
                })
                .collect(),
        })
        .collect();

    let missing: Vec<String> = units
        .iter()
        .filter(|u| !u.reported)
        .map(|u| u.code.clone())
        .collect();
    Dataset {
        period,
        previous_period: period.previous(),
        sections,
        reported_count: units.len() - missing.len(),
        roster_count: units.len(),
        units,
        groups,
        totals,
        missing,
    }
}
