//! Period end: many projects or periods in one run, in parallel on all cores.
//!
//! A job is one project and one period. Jobs come from project folders on the command
//! line (each for its newest period, or `--period`) or from a job file:
//!
//! ```toml
//! # vanthu batch JOB.toml
//! date = "2025-11-05"            # ngày ban hành of every document (default: today)
//! dates = { "2025-10" = "2025-11-05", "2025-11" = "2025-12-04" }  # or per period
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
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use serde::Deserialize;

use crate::deliver;
use crate::diagnostic::Lang;
use crate::doc::Date;
use crate::period::Period;
use crate::pipeline::RunOptions;
use crate::project::Project;

/// One project and one period to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub project: PathBuf,
    /// `None`: the project's newest period.
    pub period: Option<Period>,
    pub out: Option<PathBuf>,
    /// The date of this job's documents (a job file's `dates` for its period), over
    /// the batch's.
    pub date: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
    #[serde(default)]
    date: Option<String>,
    /// A date per period (`"2025-10" = "2025-11-05"`), over `date`.
    #[serde(default)]
    dates: std::collections::BTreeMap<String, String>,
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

/// What is wrong with a batch job file (tệp danh sách việc), with its line where the
/// TOML reader gives one.
#[derive(Debug, thiserror::Error)]
pub enum JobFileError {
    #[error("{}: {source}", file.display())]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}", file.display())]
    Syntax {
        file: PathBuf,
        line: usize,
        message: String,
    },
    /// `date = "…"`, or `dates` when `period` is given, is not a date.
    #[error("{}: {}", file.display(), match period {
        None => format!("`date = \"{value}\"` is not a date (YYYY-MM-DD)"),
        Some(p) => format!("dates: `{p} = \"{value}\"` is not a date (YYYY-MM-DD)"),
    })]
    Date {
        file: PathBuf,
        period: Option<String>,
        value: String,
    },
    /// A period key of `dates`, or of a job's `periods`.
    #[error("{}: {}{source}", file.display(), if *in_dates { "dates: " } else { "" })]
    Period {
        file: PathBuf,
        in_dates: bool,
        source: crate::period::PeriodError,
    },
}

impl JobFileError {
    /// The message for the clerk, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            JobFileError::Read { file, source } => {
                format!("{}: không đọc được tệp ({source})", file.display())
            }
            JobFileError::Syntax {
                file,
                line,
                message,
            } => format!("{}, dòng {line}: {message}", file.display()),
            JobFileError::Date {
                file,
                period,
                value,
            } => {
                let key = period.as_ref().map_or("date".to_string(), |p| format!("dates: {p}"));
                format!(
                    "{}: `{key}` = \"{value}\" không phải là ngày (ghi theo dạng NNNN-TT-NN)",
                    file.display()
                )
            }
            JobFileError::Period { file, source, .. } => format!(
                "{}: \"{}\" không phải là kỳ báo cáo (ghi theo dạng 2025-10, 2025-Q4, 2025-H1 hoặc 2025)",
                file.display(),
                source.0
            ),
        }
    }
}

/// The jobs a `batch` command names: project folders, or `.toml` job files. A date set
/// in a job file is returned too.
pub fn load_jobs(
    args: &[PathBuf],
    period: Option<Period>,
) -> Result<(Vec<Job>, Option<Date>), JobFileError> {
    let mut jobs = Vec::new();
    let mut date = None;
    for arg in args {
        if arg.extension().is_some_and(|e| e == "toml") && arg.is_file() {
            let text = std::fs::read_to_string(arg).map_err(|source| JobFileError::Read {
                file: arg.clone(),
                source,
            })?;
            let file: JobFile = toml::from_str(&text).map_err(|e| JobFileError::Syntax {
                file: arg.clone(),
                line: e
                    .span()
                    .map_or(1, |s| text[..s.start].matches('\n').count() + 1),
                message: e.message().trim().to_string(),
            })?;
            let not_a_date = |period: Option<&str>, value: &str| JobFileError::Date {
                file: arg.clone(),
                period: period.map(str::to_string),
                value: value.to_string(),
            };
            let not_a_period = |in_dates: bool, source| JobFileError::Period {
                file: arg.clone(),
                in_dates,
                source,
            };
            if let Some(d) = file.date {
                date = Some(Date::parse(&d).ok_or_else(|| not_a_date(None, &d))?);
            }
            let mut dates = std::collections::HashMap::new();
            for (p, d) in &file.dates {
                let period: Period = p.parse().map_err(|e| not_a_period(true, e))?;
                let day = Date::parse(d).ok_or_else(|| not_a_date(Some(p), d))?;
                dates.insert(period, day);
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
                        date: period.and_then(|p| dates.get(&p).copied()),
                    });
                }
                for p in &spec.periods {
                    let p: Period = p.parse().map_err(|e| not_a_period(false, e))?;
                    jobs.push(Job {
                        project: project.clone(),
                        period: Some(p),
                        out: out.as_ref().map(|o| o.join(p.to_string())),
                        date: dates.get(&p).copied(),
                    });
                }
            }
        } else {
            jobs.push(Job {
                project: arg.clone(),
                period,
                out: None,
                date: None,
            });
        }
    }
    Ok((jobs, date))
}

/// How many of a job's sheet errors its summary line names.
const PROBLEMS_NAMED: usize = 3;

/// What became of one job.
#[derive(Debug)]
pub struct JobReport {
    pub job: Job,
    /// The period produced, once known.
    pub period: Option<Period>,
    pub outcome: Result<JobCounts, JobError>,
}

/// Why a job made nothing: data, told in the clerk's language at the edge
/// ([`JobError::message`]).
#[derive(Debug)]
pub enum JobError {
    /// The project file, its folder or the period's inputs.
    Project(crate::project::ProjectError),
    /// Planning the period: no sheet could be read, a figure overflowed, a template.
    Run(crate::Error),
    /// vanthu itself failed on this job (a panic, isolated to it).
    Internal(crate::isolate::Panicked),
    /// Its files were never put in place (every committer failed).
    NotFinished,
}

impl JobError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            JobError::Project(e) => e.message(lang),
            JobError::Run(e) => e.message(lang),
            JobError::Internal(panic) => panic.internal(),
            JobError::NotFinished => lang.pick("không hoàn thành", "not finished").into(),
        }
    }
}

/// Files of a finished job.
#[derive(Debug, Default)]
pub struct JobCounts {
    pub written: usize,
    pub unchanged: usize,
    pub kept: usize,
    /// Documents that could not be made, with why.
    pub failed: Vec<(String, crate::deliver::FileFailure)>,
    /// Sheets with errors (the documents are still made from what could be read).
    pub sheet_errors: usize,
    /// Where the first of them are: "file › sheet › cell [code]".
    pub problems: Vec<String>,
    pub out: PathBuf,
}

impl JobReport {
    /// Finished with every document made and every sheet read.
    pub fn is_clean(&self) -> bool {
        matches!(&self.outcome, Ok(c) if c.failed.is_empty() && c.sheet_errors == 0)
    }
}

/// Runs one job: plan, then deliver into its folder.
pub fn run_job(job: &Job, date: Option<Date>) -> JobReport {
    stage_job(job, date).finish()
}

/// A job rendered and staged (or stopped before that), waiting for its files to be put
/// in place: [`StagedJob::finish`] does that and says what became of it.
pub struct StagedJob {
    report: JobReport,
    /// The staged period, its output folder and its sheets with errors; `None` if the job
    /// stopped before rendering (its report already says why).
    staged: Option<(deliver::StagedPeriod, PathBuf, usize, Vec<String>)>,
}

impl StagedJob {
    pub fn finish(self) -> JobReport {
        let StagedJob { mut report, staged } = self;
        if let Some((staged, out, sheet_errors, problems)) = staged {
            let d = staged.finish();
            report.outcome = Ok(JobCounts {
                written: d.written.len(),
                unchanged: d.unchanged.len(),
                kept: d.kept.len(),
                failed: d.failed,
                sheet_errors,
                problems,
                out,
            });
        }
        report
    }
}

/// The first half of [`run_job`]: plan, render and stage.
pub fn stage_job(job: &Job, date: Option<Date>) -> StagedJob {
    let mut report = JobReport {
        job: job.clone(),
        period: job.period,
        outcome: Err(JobError::NotFinished),
    };
    let result = crate::isolate::isolate(
        || -> Result<(deliver::StagedPeriod, PathBuf, usize, Vec<String>), JobError> {
            let project = Project::load(&job.project).map_err(JobError::Project)?;
            let period = match job.period {
                Some(p) => p,
                None => project.latest_period().map_err(JobError::Project)?,
            };
            report.period = Some(period);
            project
                .existing_inputs_dir(&period)
                .map_err(JobError::Project)?;
            // The job's own date, else the batch's; else today's, and an electronic
            // issue leaves the day and the month for the văn thư.
            let given = job.date.or(date);
            let opts = RunOptions {
                period,
                date: given.unwrap_or_else(|| project.world().today()),
                date_given: given.is_some(),
                number: None,
            };
            let out = job
                .out
                .clone()
                .unwrap_or_else(|| project.output_dir(&period));
            let (plan, staged) = crate::run::stage_period(
                &project,
                &opts,
                &deliver::DeliveryOptions::default(),
                &out,
            )
            .map_err(JobError::Run)?;
            let errors: Vec<&crate::intake::Diagnostic> = plan
                .intake
                .diagnostics
                .iter()
                .filter(|x| x.is_error())
                .collect();
            let problems = errors
                .iter()
                .take(PROBLEMS_NAMED)
                .map(|d| d.place())
                .collect();
            Ok((staged, out, errors.len(), problems))
        },
    )
    // A panic while planning or rendering fails this job alone.
    .unwrap_or_else(|panic| Err(JobError::Internal(panic)));
    match result {
        Ok(staged) => StagedJob {
            report,
            staged: Some(staged),
        },
        Err(e) => {
            report.outcome = Err(e);
            StagedJob {
                report,
                staged: None,
            }
        }
    }
}

/// Threads that put staged jobs in place. Most of their time is spent waiting for the
/// disk (fsync), which on the rendering threads left a processor idle: a tenth of a
/// batch on a 2-core machine.
const COMMITTERS: usize = 4;

/// Staged jobs that may wait for a committer; a rendering thread that would stage one
/// more waits, so temp files and open handles stay bounded.
const COMMIT_QUEUE: usize = 4;

/// Runs every job in parallel; `done` is called as each one finishes (from any thread).
/// The reports come back in the jobs' order.
///
/// Jobs are planned, rendered and staged on all cores, and their files made durable and
/// put in place by [`COMMITTERS`] other threads, so the cores go on rendering while the
/// disk catches up.
pub fn run_jobs(
    jobs: &[Job],
    date: Option<Date>,
    done: &(dyn Fn(&JobReport) + Sync),
) -> Vec<JobReport> {
    let (queue, staged) = std::sync::mpsc::sync_channel::<(usize, StagedJob)>(COMMIT_QUEUE);
    let staged = Mutex::new(staged);
    let reports: Mutex<Vec<Option<JobReport>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..COMMITTERS {
            scope.spawn(|| loop {
                // The lock is held while waiting: the other committers would wait anyway.
                let next = staged.lock().unwrap_or_else(PoisonError::into_inner).recv();
                let Ok((i, job)) = next else { break };
                let (which, period) = (job.report.job.clone(), job.report.period);
                let report =
                    crate::isolate::isolate(|| job.finish()).unwrap_or_else(|panic| JobReport {
                        job: which,
                        period,
                        outcome: Err(JobError::Internal(panic)),
                    });
                done(&report);
                reports.lock().unwrap_or_else(PoisonError::into_inner)[i] = Some(report);
            });
        }
        jobs.par_iter()
            .enumerate()
            .for_each_with(queue, |queue, (i, job)| {
                let staged = stage_job(job, date);
                // Fails only if every committer has panicked: the job is then reported
                // as not finished.
                let _ = queue.send((i, staged));
            });
    });
    reports
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .zip(jobs)
        .map(|(r, job)| {
            r.unwrap_or_else(|| JobReport {
                job: job.clone(),
                period: job.period,
                outcome: Err(JobError::NotFinished),
            })
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
    // Where the sheet errors are, the first few named ("vanthu check" tells them all).
    let at = |c: &JobCounts| {
        if c.problems.is_empty() {
            return String::new();
        }
        let more = c.sheet_errors.saturating_sub(c.problems.len());
        let rest = match (more, lang) {
            (0, _) => String::new(),
            (n, Lang::Vi) => format!(" và {n} lỗi khác"),
            (n, Lang::En) => format!(" and {n} more"),
        };
        format!(" ({}{rest})", c.problems.join("; "))
    };
    match (&r.outcome, lang) {
        (Ok(c), Lang::Vi) => format!(
            "{name} {period}: ghi {} tệp, {} không đổi, {} giữ bản sửa tay, {} lỗi văn bản, {} lỗi bảng tính{}",
            c.written,
            c.unchanged,
            c.kept,
            c.failed.len(),
            c.sheet_errors,
            at(c)
        ),
        (Ok(c), Lang::En) => format!(
            "{name} {period}: {} written, {} unchanged, {} hand edits kept, {} documents failed, {} sheet errors{}",
            c.written,
            c.unchanged,
            c.kept,
            c.failed.len(),
            c.sheet_errors,
            at(c)
        ),
        (Err(e), Lang::Vi) => format!("{name} {period}: KHÔNG CHẠY ĐƯỢC: {}", e.message(lang)),
        (Err(e), Lang::En) => format!("{name} {period}: FAILED: {}", e.message(lang)),
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
                format!("{}: {}", lang.pick("lỗi", "failed"), e.message(lang)),
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
        // A date per period, over the file's date.
        std::fs::write(
            &file,
            "date = \"2025-11-05\"\ndates = { \"2025-10\" = \"2025-10-31\" }\n[[jobs]]\nproject = \"a\"\nperiods = [\"2025-10\", \"2025-11\"]\n",
        )
        .unwrap();
        let (jobs, _) = load_jobs(std::slice::from_ref(&file), None).unwrap();
        assert_eq!(jobs[0].date, Date::parse("2025-10-31"));
        assert_eq!(jobs[1].date, None);
        std::fs::write(
            &file,
            "dates = { \"2025-13\" = \"2025-10-31\" }\n[[jobs]]\nproject = \"a\"\n",
        )
        .unwrap();
        let e = load_jobs(std::slice::from_ref(&file), None).unwrap_err();
        assert!(
            matches!(&e, JobFileError::Period { in_dates: true, source, .. } if source.0 == "2025-13"),
            "{e:?}"
        );
        assert!(e
            .message(Lang::Vi)
            .contains("\"2025-13\" không phải là kỳ báo cáo"));
        std::fs::write(&file, "[[jobs]]\nproject = \"a\"\nperiod = \"2025-10\"\n").unwrap();
        let e = load_jobs(&[file], None).unwrap_err();
        assert!(matches!(e, JobFileError::Syntax { line: 3, .. }), "{e:?}");
        assert!(e.to_string().contains(":3:"), "{e}");
        assert!(
            e.message(Lang::Vi).contains(", dòng 3:"),
            "{}",
            e.message(Lang::Vi)
        );
    }
}
