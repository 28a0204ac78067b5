//! The reports read from a period's sheets, kept beside the project
//! (`.vanthu/intake/<period>.json`) so that the next period's run, which compares with
//! this one, does not read its sheets again: half of a run's intake, a fifth of its time.
//!
//! Kept only what is exactly reproducible: the key is vanthu's version, what of the
//! project file intake reads (sections, indicators, groups, units, limits), the period,
//! and every input file's name and SHA-256. A period where one unit sent two files is
//! not kept (which counts depends on the files' times, which copies do not keep).
//! Figures are stored as their exact decimal text.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{sha256_hex, InputDigest, ReportedValue, UnitReport};
use crate::period::Period;
use crate::project::Project;

#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    reports: Vec<StoredReport>,
}

#[derive(Serialize, Deserialize)]
struct StoredReport {
    file: String,
    sheet: String,
    unit_code: String,
    unit_name: String,
    period: Option<String>,
    period_cell: Option<String>,
    values: BTreeMap<String, StoredValue>,
}

#[derive(Serialize, Deserialize)]
struct StoredValue {
    value: Option<String>,
    target: Option<String>,
    target_refused: bool,
    cell: String,
}

fn path(project: &Project, period: Period) -> PathBuf {
    project
        .root()
        .join(".vanthu")
        .join("intake")
        .join(format!("{period}.json"))
}

/// What the kept reports of `period` must match.
/// `None` if what it is made of cannot be written out (then nothing is kept or used).
pub(super) fn key(project: &Project, period: Period, inputs: &[InputDigest]) -> Option<String> {
    let read_by_intake = serde_json::to_vec(&(
        env!("CARGO_PKG_VERSION"),
        &project.sections,
        &project.indicators,
        &project.groups,
        &project.units,
        &project.limits,
        period.to_string(),
        inputs,
    ))
    .ok()?;
    Some(sha256_hex(&read_by_intake))
}

/// The kept reports of `period`, if they were read from exactly these inputs.
pub(super) fn load(project: &Project, period: Period, key: &str) -> Option<Vec<UnitReport>> {
    let bytes = project.world().read(&path(project, period)).ok()?;
    let stored: Stored = serde_json::from_slice(&bytes).ok()?;
    if stored.key != key {
        return None;
    }
    let decimal = |v: &Option<String>| -> Option<Option<Decimal>> {
        match v {
            None => Some(None),
            Some(text) => Decimal::from_str(text).ok().map(Some),
        }
    };
    stored
        .reports
        .into_iter()
        .map(|r| {
            let values = r
                .values
                .into_iter()
                .map(|(code, v)| {
                    Some((
                        code,
                        ReportedValue {
                            value: decimal(&v.value)?,
                            target: decimal(&v.target)?,
                            target_refused: v.target_refused,
                            cell: v.cell,
                        },
                    ))
                })
                .collect::<Option<_>>()?;
            Some(UnitReport {
                file: r.file,
                sheet: r.sheet,
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                period: match r.period {
                    None => None,
                    Some(p) => Some(p.parse().ok()?),
                },
                period_cell: r.period_cell,
                values,
            })
        })
        .collect()
}

/// Keeps the reports of `intake` for the next period's run; nothing when a unit sent
/// two files (which one counts depends on their times). A failure to write only costs
/// the next run a reading.
pub(super) fn store(project: &Project, key: &str, intake: &super::Intake) {
    let unit_in_two_files = intake
        .diagnostics
        .iter()
        .any(|d| matches!(d.code(), "W-OLDER-FILE" | "E-DUPLICATE-UNIT"));
    if unit_in_two_files {
        return;
    }
    let (period, reports) = (intake.period, &intake.reports);
    let stored = Stored {
        key: key.to_string(),
        reports: reports
            .iter()
            .map(|r| StoredReport {
                file: r.file.clone(),
                sheet: r.sheet.clone(),
                unit_code: r.unit_code.clone(),
                unit_name: r.unit_name.clone(),
                period: r.period.map(|p| p.to_string()),
                period_cell: r.period_cell.clone(),
                values: r
                    .values
                    .iter()
                    .map(|(code, v)| {
                        (
                            code.clone(),
                            StoredValue {
                                value: v.value.map(|d| d.to_string()),
                                target: v.target.map(|d| d.to_string()),
                                target_refused: v.target_refused,
                                cell: v.cell.clone(),
                            },
                        )
                    })
                    .collect(),
            })
            .collect(),
    };
    if let Ok(bytes) = serde_json::to_vec(&stored) {
        let _ = project.world().keep(&path(project, period), &bytes);
    }
}
