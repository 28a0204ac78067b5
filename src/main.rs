//! The `vanthu` command: a thin layer over the library. Exit codes: 0 done, 1 problems in
//! the units' sheets (documents still made from what could be read), 2 a usage or
//! project-file error (nothing written).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vanthu::diagnostic::{Diagnostic, Lang};
use vanthu::doc::Date;
use vanthu::intake;
use vanthu::period::Period;
use vanthu::project::Project;
use vanthu::{build_period, deliver, RunOptions};

#[derive(Parser)]
#[command(
    name = "vanthu",
    version,
    about = "Turns units' progress spreadsheets into Decree 30/2020/NĐ-CP documents (DOCX and PDF).",
    long_about = "Turns units' progress spreadsheets into Decree 30/2020/NĐ-CP documents (DOCX and PDF).\n\n\
                  Tổng hợp bảng tính báo cáo của các đơn vị thành văn bản hành chính theo Nghị định 30/2020/NĐ-CP."
)]
struct Cli {
    /// Language of messages: vi (Tiếng Việt) or en.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Vi)]
    lang: Lang,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the period's documents (DOCX and PDF) into PROJECT/out/<period>/.
    Run {
        /// The project folder (holding vanthu.toml and inputs/<period>/).
        project: PathBuf,
        /// Period: YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY; default: the newest in inputs/.
        #[arg(long)]
        period: Option<Period>,
        /// Output folder; default: PROJECT/out/<period>.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Date of the documents (ngày ban hành), YYYY-MM-DD; default: today.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Also write data.json: the aggregated dataset the templates read.
        #[arg(long)]
        emit_data: bool,
    },
    /// Write the blank canonical sheet (.xlsx) for one or every unit of the roster.
    Form {
        project: PathBuf,
        /// The period the forms are for: YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 or YYYY.
        #[arg(long)]
        period: Period,
        /// Only this unit (its code in vanthu.toml); default: every unit.
        #[arg(long)]
        unit: Option<String>,
        /// Output folder; default: PROJECT/forms/<period>.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Read the period's sheets and report what was recognised and what is wrong.
    Check {
        project: PathBuf,
        #[arg(long)]
        period: Option<Period>,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Vietnam is UTC+7.
    Date::from_days_since_epoch((secs + 7 * 3600).div_euclid(86_400))
}

fn fail(message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

fn print_diagnostics(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        eprintln!("{}", d.render(lang));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    // A usage or project-file problem: one sentence, exit 2, nothing written.
    run(cli.command, lang).unwrap_or_else(fail)
}

fn run(command: Command, lang: Lang) -> Result<ExitCode, String> {
    match command {
        Command::Run {
            project,
            period,
            out,
            date,
            emit_data,
        } => {
            let project = Project::load(&project).map_err(|e| e.message(lang))?;
            let period = period
                .map(Ok)
                .unwrap_or_else(|| project.latest_period())
                .map_err(|e| e.message(lang))?;
            project
                .existing_inputs_dir(&period)
                .map_err(|e| e.message(lang))?;
            let opts = RunOptions {
                period,
                date: date.unwrap_or_else(today),
                lang,
            };
            let output = build_period(&project, &opts).map_err(|e| e.message(lang))?;
            print_diagnostics(&output.intake.diagnostics, lang);
            let out_dir = out.unwrap_or_else(|| project.root.join("out").join(period.to_string()));
            for d in &output.documents {
                for (ext, bytes) in [("docx", &d.docx), ("pdf", &d.pdf)] {
                    let path = out_dir.join(format!("{}.{ext}", d.stem));
                    deliver::write_atomic(&path, bytes).map_err(|e| e.to_string())?;
                    println!("{}", path.display());
                }
            }
            let data = emit_data.then(|| output.data_json());
            for file in std::iter::once(&output.appendix).chain(data.as_ref()) {
                let path = out_dir.join(&file.name);
                deliver::write_atomic(&path, &file.bytes).map_err(|e| e.to_string())?;
                println!("{}", path.display());
            }
            let ds = &output.dataset;
            println!(
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "Kỳ {period}: {}/{} đơn vị đã báo cáo.",
                        ds.reported_count, ds.roster_count
                    ),
                    Lang::En => format!(
                        "Period {period}: {}/{} units reported.",
                        ds.reported_count, ds.roster_count
                    ),
                }
            );
            Ok(if output.intake.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Form {
            project,
            period,
            unit,
            out,
        } => {
            let project = Project::load(&project).map_err(|e| e.message(lang))?;
            let units: Vec<&vanthu::project::Unit> = match &unit {
                Some(code) => {
                    match project.unit(code) {
                        Some(u) => vec![u],
                        None => {
                            let codes: Vec<&str> =
                                project.units.iter().map(|u| u.code.as_str()).collect();
                            return Err(match lang {
                            Lang::Vi => format!("Không có đơn vị mã `{code}` trong vanthu.toml; các mã có: {}.", codes.join(", ")),
                            Lang::En => format!("No unit has the code `{code}` in vanthu.toml; the codes are: {}.", codes.join(", ")),
                        });
                        }
                    }
                }
                None => project.units.iter().collect(),
            };
            let out_dir =
                out.unwrap_or_else(|| project.root.join("forms").join(period.to_string()));
            for u in units {
                let bytes =
                    vanthu::form::blank_form(&project, u, period).map_err(|e| e.to_string())?;
                let path = out_dir.join(vanthu::form::file_name(u, period));
                deliver::write_atomic(&path, &bytes).map_err(|e| e.to_string())?;
                println!("{}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            project,
            period,
            json,
        } => {
            let project = Project::load(&project).map_err(|e| e.message(lang))?;
            let period = period
                .map(Ok)
                .unwrap_or_else(|| project.latest_period())
                .map_err(|e| e.message(lang))?;
            let result =
                intake::read_period(&project, period, lang).map_err(|e| e.message(lang))?;
            if json {
                let reports: Vec<_> = result
                    .reports
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "file": r.file,
                            "sheet": r.sheet,
                            "unit": { "code": r.unit_code, "name": r.unit_name },
                            "period": r.period.map(|p| p.to_string()),
                            "values": r.values.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v.value).unwrap_or_default())).collect::<serde_json::Map<_, _>>(),
                        })
                    })
                    .collect();
                let doc = serde_json::json!({
                    "period": period.to_string(),
                    "reports": reports,
                    "diagnostics": result.diagnostics,
                });
                println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                for r in &result.reports {
                    println!(
                        "{}: {} ({}), {} {}",
                        r.file,
                        r.unit_name,
                        r.period
                            .map_or_else(|| period.to_string(), |p| p.to_string()),
                        r.values.len(),
                        lang.pick("chỉ tiêu", "indicators")
                    );
                }
                print_diagnostics(&result.diagnostics, lang);
            }
            Ok(if result.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
