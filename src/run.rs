//! The driver every front end calls (the CLI's `run` and `watch`, `batch`, the web page,
//! the benchmark): one period from its project to its output folder — the plan
//! ([`crate::pipeline::plan_period`]: intake → aggregate → compose), then delivery
//! ([`crate::deliver`]: render → files). It is the one place the two halves meet, so
//! neither depends on the other's caller.

use std::path::Path;

use crate::deliver::{self, Delivery, DeliveryOptions, StagedPeriod};
use crate::pipeline::{plan_period, Error, PeriodPlan, RunOptions};
use crate::project::Project;

/// A period planned and delivered.
#[derive(Debug)]
pub struct PeriodRun {
    /// What was read and composed (its diagnostics are the clerk's to see).
    pub plan: PeriodPlan,
    pub delivery: Delivery,
}

/// Plans the period and renders its files under temporary names in `out`: nothing is in
/// place until [`StagedPeriod::finish`] (a batch finishes on other threads).
pub fn stage_period(
    project: &Project,
    opts: &RunOptions,
    delivery: &DeliveryOptions,
    out: &Path,
) -> Result<(PeriodPlan, StagedPeriod), Error> {
    let plan = plan_period(project, opts)?;
    let staged = deliver::stage_period(project, &plan, opts, delivery, out);
    Ok((plan, staged))
}

/// One period from its inputs to its output folder.
pub fn run_period(
    project: &Project,
    opts: &RunOptions,
    delivery: &DeliveryOptions,
    out: &Path,
) -> Result<PeriodRun, Error> {
    let (plan, staged) = stage_period(project, opts, delivery, out)?;
    Ok(PeriodRun {
        plan,
        delivery: staged.finish(),
    })
}
