//! Period end: many projects or periods in one run, in parallel on all cores.
//!
//! A job is one project and one period. Jobs come from project folders on the command
//! line (each for its newest period, or `--period`) or from a job file:
//!
//! ```toml
//! # vanthu batch JOB.toml
//! date = "2025-11-05"            # ngày ban hành of every document (default: today)
//!
//! [[jobs]]
//! project = "xa-phu-thai"        # relative to the job file
//! periods = ["2025-10", "2025-11"]
//!
//! [[jobs]]
//! project = "xa-kim-xuyen"       # no periods: its newest
//! out = "ban-in/kim-xuyen"       # default: <project>/out/<period>
//! ```
//!
//! One job that fails (a project file with an error, a period with no inputs) is reported
//! and the others go on. Each job streams its documents to disk, so memory does not grow
//! with the number of jobs.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostic::Lang;
use crate::doc::Date;
use crate::period::Period;
use crate::project::Project;
use crate::{deliver, plan_period, RunOptions};

/// One project and one period to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub project: PathBuf,
    /// `None`: the project's newest period.
    pub period: Option<Period>,
    pub out: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
    #[serde(default)]
    date: Option<String>,
    jobs: Vec<JobSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobSpec {
    project: PathBuf,
    #[serde(default)]
    periods: Vec<String>,
    #[serde(default)]
    out: Option<PathBuf>,
}

/// The jobs a `batch` command names: project folders, or `.toml` job files. A date set
/// in a job file is returned too.
pub fn load_jobs(
    args: &[PathBuf],
    period: Option<Period>,
) -> Result<(Vec<Job>, Option<Date>), String> {
    let mut jobs = Vec::new();
    let mut date = None;
    for arg in args {
        if arg.extension().is_some_and(|e| e == "toml") && arg.is_file() {
            let text =
                std::fs::read_to_string(arg).map_err(|e| format!("{}: {e}", arg.display()))?;
            let file: JobFile = toml::from_str(&text).map_err(|e| {
                let line = e
                    .span()
                    .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
                format!("{}:{line}: {}", arg.display(), e.message().trim())
            })?;
            if let Some(d) = file.date {
                date = Some(Date::parse(&d).ok_or_else(|| {
                    format!(
                        "{}: `date = \"{d}\"` is not a date (YYYY-MM-DD)",
                        arg.display()
                    )
                })?);
            }
            let base = arg.parent().unwrap_or_else(|| Path::new("."));
            for spec in file.jobs {
                let project = base.join(&spec.project);
                let out = spec.out.map(|o| base.join(o));
                if spec.periods.is_empty() {
                    jobs.push(Job {
                        project: project.clone(),
                        period,
                        out: out.clone(),
                    });
                }
                for p in &spec.periods {
                    let p: Period = p
                        .parse()
                        .map_err(|e| format!("{}: period `{p}`: {e}", arg.display()))?;
                    jobs.push(Job {
                        project: project.clone(),
                        period: Some(p),
                        out: out.as_ref().map(|o| o.join(p.to_string())),
                    });
                }
            }
        } else {
            jobs.push(Job {
                project: arg.clone(),
                period,
                out: None,
            });
        }
    }
    Ok((jobs, date))
}

/// What became of one job.
#[derive(Debug)]
pub struct JobReport {
    pub job: Job,
    /// The period produced, once known.
    pub period: Option<Period>,
    pub outcome: Result<JobCounts, String>,
}

/// Files of a finished job.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JobCounts {
    pub written: usize,
    pub unchanged: usize,
    pub kept: usize,
    /// Documents that could not be made, with why.
    pub failed: Vec<(String, String)>,
    /// Sheets with errors (the documents are still made from what could be read).
    pub sheet_errors: usize,
    pub out: PathBuf,
}

impl JobReport {
    /// Finished with every document made and every sheet read.
    pub fn is_clean(&self) -> bool {
        matches!(&self.outcome, Ok(c) if c.failed.is_empty() && c.sheet_errors == 0)
    }
}

/// Runs one job: plan, then deliver into its folder.
pub fn run_job(job: &Job, date: Date, lang: Lang) -> JobReport {
    let mut report = JobReport {
        job: job.clone(),
        period: job.period,
        outcome: Err(String::new()),
    };
    let result = (|| -> Result<JobCounts, String> {
        let project = Project::load(&job.project).map_err(|e| e.message(lang))?;
        let period = match job.period {
            Some(p) => p,
            None => project.latest_period().map_err(|e| e.message(lang))?,
        };
        report.period = Some(period);
        project
            .existing_inputs_dir(&period)
            .map_err(|e| e.message(lang))?;
        let opts = RunOptions {
            period,
            date,
            lang,
            number: None,
        };
        let plan = plan_period(&project, &opts).map_err(|e| e.message(lang))?;
        let out = job
            .out
            .clone()
            .unwrap_or_else(|| project.output_dir(&period));
        let d = deliver::deliver_period(
            &project,
            &plan,
            &opts,
            &deliver::DeliveryOptions::default(),
            &out,
        );
        Ok(JobCounts {
            written: d.written.len(),
            unchanged: d.unchanged.len(),
            kept: d.kept.len(),
            failed: d.failed,
            sheet_errors: plan
                .intake
                .diagnostics
                .iter()
                .filter(|x| x.is_error())
                .count(),
            out,
        })
    })();
    report.outcome = result;
    report
}

/// Runs every job in parallel; `done` is called as each one finishes (from any thread).
/// The reports come back in the jobs' order.
pub fn run_jobs(
    jobs: &[Job],
    date: Date,
    lang: Lang,
    done: &(dyn Fn(&JobReport) + Sync),
) -> Vec<JobReport> {
    jobs.par_iter()
        .map(|job| {
            let r = run_job(job, date, lang);
            done(&r);
            r
        })
        .collect()
}

/// A plain line for one finished job (logs, a terminal without a progress bar).
pub fn job_line(r: &JobReport, lang: Lang) -> String {
    let period = r
        .period
        .map(|p| p.to_string())
        .unwrap_or_else(|| "?".into());
    let name = r.job.project.display();
    match (&r.outcome, lang) {
        (Ok(c), Lang::Vi) => format!(
            "{name} {period}: ghi {} tệp, {} không đổi, {} giữ bản sửa tay, {} lỗi văn bản, {} lỗi bảng tính",
            c.written,
            c.unchanged,
            c.kept,
            c.failed.len(),
            c.sheet_errors
        ),
        (Ok(c), Lang::En) => format!(
            "{name} {period}: {} written, {} unchanged, {} hand edits kept, {} documents failed, {} sheet errors",
            c.written,
            c.unchanged,
            c.kept,
            c.failed.len(),
            c.sheet_errors
        ),
        (Err(e), Lang::Vi) => format!("{name} {period}: KHÔNG CHẠY ĐƯỢC: {e}"),
        (Err(e), Lang::En) => format!("{name} {period}: FAILED: {e}"),
    }
}

/// The summary table printed at the end of a batch.
pub fn summary_table(reports: &[JobReport], lang: Lang) -> String {
    let head = match lang {
        Lang::Vi => [
            "Dự án",
            "Kỳ",
            "Ghi",
            "Không đổi",
            "Giữ",
            "Lỗi VB",
            "Lỗi BT",
            "Kết quả",
        ],
        Lang::En => [
            "Project",
            "Period",
            "Written",
            "Unchanged",
            "Kept",
            "Doc errors",
            "Sheet errors",
            "Result",
        ],
    };
    let mut rows: Vec<[String; 8]> = vec![head.map(str::to_string)];
    for r in reports {
        let period = r
            .period
            .map(|p| p.to_string())
            .unwrap_or_else(|| "?".into());
        let project = r.job.project.display().to_string();
        rows.push(match &r.outcome {
            Ok(c) => [
                project,
                period,
                c.written.to_string(),
                c.unchanged.to_string(),
                c.kept.to_string(),
                c.failed.len().to_string(),
                c.sheet_errors.to_string(),
                if r.is_clean() {
                    lang.pick("xong", "done").to_string()
                } else {
                    lang.pick("xong, có lỗi", "done, with errors").to_string()
                },
            ],
            Err(e) => [
                project,
                period,
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                format!("{}: {e}", lang.pick("lỗi", "failed")),
            ],
        });
    }
    let widths: Vec<usize> = (0..8)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (n, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                // The last column is free text: no padding.
                if i == 7 {
                    c.clone()
                } else {
                    format!("{c}{}", " ".repeat(w - c.chars().count()))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if n == 0 {
            let width = widths[..7].iter().sum::<usize>() + 2 * 7 + rows[0][7].chars().count();
            out.push_str(&"-".repeat(width));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_file_names_projects_and_periods_relative_to_itself() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ky.toml");
        std::fs::write(
            &file,
            "date = \"2025-11-05\"\n[[jobs]]\nproject = \"a\"\nperiods = [\"2025-10\", \"2025-11\"]\nout = \"o\"\n[[jobs]]\nproject = \"b\"\n",
        )
        .unwrap();
        let (jobs, date) = load_jobs(std::slice::from_ref(&file), None).unwrap();
        assert_eq!(date, Date::parse("2025-11-05"));
        assert_eq!(jobs.len(), 3);
        assert_eq!(jobs[0].project, dir.path().join("a"));
        assert_eq!(jobs[1].out, Some(dir.path().join("o/2025-11")));
        assert_eq!(jobs[2].period, None);
        std::fs::write(&file, "[[jobs]]\nproject = \"a\"\nperiod = \"2025-10\"\n").unwrap();
        let e = load_jobs(&[file], None).unwrap_err();
        assert!(e.contains(":3:"), "{e}");
    }
}
