//! Aggregate: the project + the period's unit reports (+ the previous period's) → the
//! [`Dataset`] every template reads. Exact decimal arithmetic; totals from unrounded
//! values; rounding happens only when a number is shown (in `compose`).
//!
//! **Targets** (kế hoạch), most specific first: a unit's is the `Kế hoạch` column of its
//! sheet, else its `targets` in vanthu.toml. A group's is its `targets` in vanthu.toml,
//! else its units' combined by the indicator's rule. The commune's is the indicator's
//! `target`, else (for a sum) the groups' added up, or (other rules) the units' combined.
//! **Whose targets count:** every roster unit's, whether it reported or not, while a
//! group's or the commune's value adds up the units that reported. A plan is the whole
//! group's; a unit that sent nothing has done nothing yet that can be counted, and
//! leaving its plan out would raise the rate for not reporting. The report's appendix
//! says so in its footnote.
//! **Derived indicators** are evaluated last, on each unit's, group's and the commune's
//! own figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::intake::UnitReport;
use crate::period::Period;
use crate::project::{Indicator, Project, Rule};

pub use crate::formula::{Formula, Overflow};

/// Why a period's numbers cannot be stated: no document is made from them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AggregateError {
    /// A sum, average, formula, rate or change left exact decimal arithmetic.
    #[error("the figures of `{indicator}` ({whose}) are too large to compute exactly")]
    Overflow {
        /// The indicator's code.
        indicator: String,
        /// The unit, group or `the commune` whose figure it was.
        whose: String,
    },
}

impl AggregateError {
    /// The message for the clerk, in their language.
    pub fn message(&self, lang: crate::diagnostic::Lang) -> String {
        match self {
            AggregateError::Overflow { indicator, whose } => lang
                .pick(
                    &format!("Số liệu của chỉ tiêu `{indicator}` ({whose}) lớn đến mức không tính chính xác được; không văn bản nào được lập từ số liệu sai. Kiểm tra các ô của chỉ tiêu này và [limits] max_value trong vanthu.toml."),
                    &format!("The figures of indicator `{indicator}` ({whose}) are too large to compute exactly; no document is made from wrong numbers. Check that indicator's cells and [limits] max_value in vanthu.toml."),
                )
                .to_string(),
        }
    }
}

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
    fn new(
        value: Option<Decimal>,
        target: Option<Decimal>,
        previous: Option<Decimal>,
    ) -> Result<Figure, Overflow> {
        Ok(Figure {
            value,
            target,
            rate: ratio(value, target)?,
            previous,
            change: match (value, previous) {
                (Some(v), Some(p)) => ratio(Some(v.checked_sub(p).ok_or(Overflow)?), Some(p))?,
                _ => None,
            },
        })
    }
}

/// a / b × 100: `None` where either is missing or b is zero.
fn ratio(a: Option<Decimal>, b: Option<Decimal>) -> Result<Option<Decimal>, Overflow> {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => a
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(b))
            .map(Some)
            .ok_or(Overflow),
        _ => Ok(None),
    }
}

/// The values present combined by `rule`; `None` when there are none.
pub fn combine(
    rule: Rule,
    values: impl Iterator<Item = Option<Decimal>>,
) -> Result<Option<Decimal>, Overflow> {
    let present: Vec<Decimal> = values.flatten().collect();
    let Some(last) = present.last().copied() else {
        return Ok(None);
    };
    let sum = || {
        present
            .iter()
            .try_fold(Decimal::ZERO, |a, &b| a.checked_add(b))
            .ok_or(Overflow)
    };
    Ok(Some(match rule {
        Rule::Sum => sum()?,
        Rule::Max => present.iter().copied().fold(last, Decimal::max),
        Rule::Min => present.iter().copied().fold(last, Decimal::min),
        Rule::Average => sum()?
            .checked_div(Decimal::from(present.len()))
            .ok_or(Overflow)?,
        Rule::Last => last,
    }))
}

/// One indicator with its commune total, for templates that iterate over indicators.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub code: String,
    pub section: String,
    pub label: String,
    pub unit: String,
    /// Decimals to show (`{{so value dp=decimals}}`).
    pub decimals: u32,
    /// Computed by a formula, not reported.
    pub derived: bool,
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
    /// Overall completion (%): the mean of the unit's rates over reported indicators
    /// with a target, each capped at 100; `None` without any.
    pub completion: Option<Decimal>,
    /// Reported, and its completion is below the project's threshold.
    pub behind: bool,
    /// 1-based place in the ranking; `None` for a unit that did not report.
    pub rank: Option<usize>,
}

impl UnitRow {
    /// Sent no report, or is behind its targets: who gets a reminder and who the
    /// follow-up lists name.
    pub fn is_lagging(&self) -> bool {
        !self.reported || self.behind
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub code: String,
    pub name: String,
    pub reported: usize,
    pub roster: usize,
    pub totals: BTreeMap<String, Figure>,
    /// Overall completion (%) of the group's totals, as a unit's is of its figures.
    pub completion: Option<Decimal>,
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
    /// Reporting units below the threshold, by code, in roster order.
    pub behind: Vec<String>,
    /// Reporting units, best first, by code.
    pub ranking: Vec<String>,
    /// The threshold (%) and the ranking key, as the project sets them.
    pub behind_below_percent: Decimal,
    pub rank_by: String,
    pub reported_count: usize,
    pub roster_count: usize,
    /// How many roster units reported last period (0 when nothing was read for it):
    /// totals compared across periods say it where it differs from this period's.
    pub previous_reported_count: usize,
}

/// The inputs of one [`Figure`].
#[derive(Debug, Clone, Copy)]
struct Part {
    value: Option<Decimal>,
    target: Option<Decimal>,
    previous: Option<Decimal>,
}

/// Every indicator's [`Part`] for one unit, group or the commune.
type Parts = BTreeMap<String, Part>;

/// The value and previous value of a group's or the commune's derived ratios, like for
/// like: each computed from the totals of only the members that reported every
/// indicator it reads (for the previous value, that had every one last period), so one
/// unit's numerator never meets another's missing denominator. Sums of parts (`a + b`)
/// are not ratios and keep the totals of all.
type LikeForLike = BTreeMap<String, (Option<Decimal>, Option<Decimal>)>;

fn like_for_like(
    project: &Project,
    formulas: &[(String, Formula)],
    members: &[&UnitRow],
    whose: &str,
) -> Result<LikeForLike, AggregateError> {
    let mut out = LikeForLike::new();
    for (code, f) in formulas.iter().filter(|(_, f)| f.is_ratio()) {
        let reads = f.reads();
        let overflow = |_| AggregateError::Overflow {
            indicator: code.clone(),
            whose: whose.to_string(),
        };
        let of = |k: fn(&Figure) -> Option<Decimal>| -> Result<Option<Decimal>, AggregateError> {
            let complete: Vec<&&UnitRow> = members
                .iter()
                .filter(|u| reads.iter().all(|r| u.values.get(*r).and_then(k).is_some()))
                .collect();
            let totals: BTreeMap<&str, Option<Decimal>> = reads
                .iter()
                .map(|r| {
                    let rule = project.indicator(r).map_or(Rule::Sum, |i| i.aggregate);
                    let total = combine(rule, complete.iter().map(|u| k(&u.values[*r])));
                    total.map(|t| (*r, t)).map_err(overflow)
                })
                .collect::<Result<_, _>>()?;
            f.eval(|r| totals.get(r).copied().flatten())
                .map_err(overflow)
        };
        out.insert(code.clone(), (of(|f| f.value)?, of(|f| f.previous)?));
    }
    Ok(out)
}

/// Adds the derived indicators to `parts` (in declaration order, so one may read an
/// earlier one) and turns every part into a [`Figure`]. A group's or the commune's
/// ratios take their value and previous value from `like` ([`like_for_like`]).
fn figures(
    formulas: &[(String, Formula)],
    mut parts: Parts,
    whose: &str,
    like: &LikeForLike,
) -> Result<BTreeMap<String, Figure>, AggregateError> {
    let overflow = |code: &str| AggregateError::Overflow {
        indicator: code.to_string(),
        whose: whose.to_string(),
    };
    for (code, f) in formulas {
        let pick = |k: fn(&Part) -> Option<Decimal>| {
            f.eval(|code| parts.get(code).and_then(k))
                .map_err(|Overflow| overflow(code))
        };
        let mut part = Part {
            value: pick(|p| p.value)?,
            target: pick(|p| p.target)?,
            previous: pick(|p| p.previous)?,
        };
        if let Some(&(value, previous)) = like.get(code) {
            (part.value, part.previous) = (value, previous);
        }
        parts.insert(code.clone(), part);
    }
    parts
        .into_iter()
        .map(|(code, p)| {
            let figure = Figure::new(p.value, p.target, p.previous).map_err(|_| overflow(&code))?;
            Ok((code, figure))
        })
        .collect()
}

/// Overall completion of one unit (see [`UnitRow::completion`]).
fn completion(project: &Project, values: &BTreeMap<String, Figure>) -> Option<Decimal> {
    let rates: Vec<Decimal> = project
        .reported_indicators()
        .filter_map(|i| values.get(&i.code)?.rate)
        .map(|r| r.min(Decimal::ONE_HUNDRED))
        .collect();
    // Each rate is at most 100, so neither the sum nor the mean can overflow.
    (!rates.is_empty()).then(|| rates.iter().sum::<Decimal>() / Decimal::from(rates.len()))
}

/// Builds the dataset. `previous` holds the previous period's reports (empty if none).
/// Every operation is checked: a figure that leaves exact decimal arithmetic is an
/// [`AggregateError`] naming the indicator, never a panic or a wrong number.
pub fn aggregate(
    project: &Project,
    period: Period,
    reports: &[UnitReport],
    previous: &[UnitReport],
) -> Result<Dataset, AggregateError> {
    // Compiled once, when the project was loaded.
    let formulas = project.formulas();
    let reported: Vec<&Indicator> = project.reported_indicators().collect();
    let value_of = |rs: &[UnitReport], unit: &str, ind: &str| -> Option<Decimal> {
        rs.iter()
            .find(|r| r.unit_code == unit)
            .and_then(|r| r.values.get(ind))
            .and_then(|v| v.value)
    };

    let mut units: Vec<UnitRow> = project
        .units
        .iter()
        .map(|u| {
            let report = reports.iter().find(|r| r.unit_code == u.code);
            let parts: Parts = reported
                .iter()
                .map(|ind| {
                    let cell = report.and_then(|r| r.values.get(&ind.code));
                    // The sheet's own plan; else vanthu.toml's, unless the sheet's plan
                    // cell was refused (then the unit has none).
                    let target = match cell {
                        Some(v) if v.target_refused => None,
                        Some(v) => v.target.or_else(|| u.targets.get(&ind.code).copied()),
                        None => u.targets.get(&ind.code).copied(),
                    };
                    let part = Part {
                        value: cell.and_then(|v| v.value),
                        target,
                        previous: value_of(previous, &u.code, &ind.code),
                    };
                    (ind.code.clone(), part)
                })
                .collect();
            let values = figures(formulas, parts, &u.name, &LikeForLike::new())?;
            Ok(UnitRow {
                code: u.code.clone(),
                name: u.name.clone(),
                group: u.group.clone(),
                reported: report.is_some(),
                file: report.map(|r| r.file.clone()),
                completion: report.and_then(|_| completion(project, &values)),
                values,
                behind: false,
                rank: None,
            })
        })
        .collect::<Result<_, AggregateError>>()?;

    // Values of the units that reported, targets and previous values of all members.
    let combined = |members: &[&UnitRow], ind: &Indicator, whose: &str| {
        let of = |f: fn(&Figure) -> Option<Decimal>, only_reported: bool| {
            combine(
                ind.aggregate,
                members
                    .iter()
                    .filter(|u| u.reported || !only_reported)
                    .map(|u| f(&u.values[&ind.code])),
            )
            .map_err(|Overflow| AggregateError::Overflow {
                indicator: ind.code.clone(),
                whose: whose.to_string(),
            })
        };
        Ok::<Part, AggregateError>(Part {
            value: of(|f| f.value, true)?,
            target: of(|f| f.target, false)?,
            previous: of(|f| f.previous, false)?,
        })
    };

    let groups: Vec<GroupRow> = project
        .groups
        .iter()
        .map(|g| {
            let members: Vec<&UnitRow> = units.iter().filter(|u| u.group == g.code).collect();
            let parts: Parts = reported
                .iter()
                .map(|ind| {
                    let mut part = combined(&members, ind, &g.name)?;
                    part.target = g.targets.get(&ind.code).copied().or(part.target);
                    Ok((ind.code.clone(), part))
                })
                .collect::<Result<_, AggregateError>>()?;
            let totals = figures(
                formulas,
                parts,
                &g.name,
                &like_for_like(project, formulas, &members, &g.name)?,
            )?;
            Ok(GroupRow {
                code: g.code.clone(),
                name: g.name.clone(),
                reported: members.iter().filter(|u| u.reported).count(),
                roster: members.len(),
                completion: completion(project, &totals),
                totals,
            })
        })
        .collect::<Result<_, AggregateError>>()?;

    let everyone: Vec<&UnitRow> = units.iter().collect();
    let whole_name = project.agency.in_sentence();
    let whole = whole_name.as_str();
    let parts: Parts = reported
        .iter()
        .map(|ind| {
            let mut part = combined(&everyone, ind, whole)?;
            part.target = match (ind.target, ind.aggregate) {
                (Some(t), _) => Some(t),
                (None, Rule::Sum) => {
                    combine(Rule::Sum, groups.iter().map(|g| g.totals[&ind.code].target)).map_err(
                        |Overflow| AggregateError::Overflow {
                            indicator: ind.code.clone(),
                            whose: whole.to_string(),
                        },
                    )?
                }
                (None, _) => part.target,
            };
            Ok((ind.code.clone(), part))
        })
        .collect::<Result<_, AggregateError>>()?;
    let totals = figures(
        formulas,
        parts,
        whole,
        &like_for_like(project, formulas, &everyone, whole)?,
    )?;

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
                    decimals: i.shown_decimals(),
                    derived: !i.is_reported(),
                    total: totals[&i.code].clone(),
                })
                .collect(),
        })
        .collect();

    let assess = &project.aggregate;
    for u in units.iter_mut() {
        u.behind = u.reported
            && u.completion
                .is_some_and(|c| c < assess.behind_below_percent);
    }
    let key = |u: &UnitRow| -> Option<Decimal> {
        match assess.rank_by.as_str() {
            "overall" => u.completion,
            code => u.values.get(code).and_then(|f| f.value),
        }
    };
    let mut order: Vec<usize> = (0..units.len()).filter(|&i| units[i].reported).collect();
    // Best first; no value last; ties keep roster order (the sort is stable).
    order.sort_by(|&a, &b| key(&units[b]).cmp(&key(&units[a])));
    for (place, &i) in order.iter().enumerate() {
        units[i].rank = Some(place + 1);
    }
    let ranking = order.iter().map(|&i| units[i].code.clone()).collect();

    let codes = |f: fn(&UnitRow) -> bool| -> Vec<String> {
        units
            .iter()
            .filter(|u| f(u))
            .map(|u| u.code.clone())
            .collect()
    };
    let missing = codes(|u| !u.reported);
    let behind = codes(|u| u.behind);
    Ok(Dataset {
        period,
        previous_period: period.previous(),
        sections,
        reported_count: units.len() - missing.len(),
        roster_count: units.len(),
        previous_reported_count: project
            .units
            .iter()
            .filter(|u| previous.iter().any(|r| r.unit_code == u.code))
            .count(),
        units,
        groups,
        totals,
        missing,
        behind,
        ranking,
        behind_below_percent: assess.behind_below_percent,
        rank_by: assess.rank_by.clone(),
    })
}
