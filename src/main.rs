//! The `vanthu` command: a thin layer over the library. Exit codes: 0 done, 1 problems in
//! the units' sheets (documents still made from what could be read), 2 a usage or
//! project-file error (nothing written).

/// jemalloc instead of the system allocator: every document allocates and frees many
/// small buffers (glibc's malloc and free were a seventh of a batch's processor time);
/// with it a batch takes 9 % less processor time for 12 MB more peak memory. Not on
/// MSVC, which it does not support.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vanthu::diagnostic::Lang;
use vanthu::doc::Date;
use vanthu::intake;
use vanthu::intake::Diagnostic;
use vanthu::period::Period;
use vanthu::project::Project;
use vanthu::{batch, deliver, RunOptions};

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
        /// Date of the documents (ngày ban hành), YYYY-MM-DD. Default: an electronic issue
        /// (`[issue] mode`, the default) leaves the day and month blank for the văn thư to
        /// give at issue; a paper issue takes today's.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Số of the first document (1 to 99999); the others follow in order. Default:
        /// left blank (`Số:      /BC-UBND`) for the văn thư to fill at issue.
        #[arg(long)]
        number: Option<u64>,
        /// Also write data.json: the aggregated dataset the templates read.
        #[arg(long)]
        emit_data: bool,
        /// Issue every document made, in order: numbers from the project's register,
        /// the date --date's or today's (see `issue`).
        #[arg(long, conflicts_with = "number")]
        issue: bool,
    },
    /// Period end: run many projects or periods in parallel (project folders, or a
    /// JOB.toml listing projects and periods), with a summary table at the end.
    Batch {
        /// Project folders and/or job files (.toml).
        #[arg(required = true)]
        jobs: Vec<PathBuf>,
        /// Period for the project folders given directly; default: each one's newest.
        #[arg(long)]
        period: Option<Period>,
        /// Date of the documents (ngày ban hành), YYYY-MM-DD; default: the job file's, else as
        /// for `run` (blank day and month for an electronic issue, today for paper).
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
    },
    /// Ban hành: write the number and the date into a made PDF's fields, after the
    /// leader's signature (an incremental update, so the signature stays valid), give the
    /// DOCX beside it the same, and record the issue in the folder's manifest. The seal
    /// is then signed in the agency's tool.
    Issue {
        /// The PDF vanthu made (electronic issue: number, day and month left blank).
        pdf: PathBuf,
        /// Số (1 to 99999), printed with a leading zero below 10. Default: the next of
        /// the year from the project's register (sổ đăng ký văn bản đi), which also
        /// refuses a number it gave another document.
        #[arg(long)]
        number: Option<u64>,
        /// Ngày ban hành, YYYY-MM-DD: its day and month fill the date line.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Số lượng bản, recorded in the register.
        #[arg(long)]
        copies: Option<u32>,
    },
    /// Sổ đăng ký văn bản đi: print a year of the project's outgoing register, or
    /// withdraw a number (it stays recorded, with why, and is never given again).
    Register {
        project: PathBuf,
        /// The year; default: this year.
        #[arg(long)]
        year: Option<i32>,
        /// Print the book as JSON.
        #[arg(long)]
        json: bool,
        /// Also write the book as the Phụ lục IV workbook (A4 landscape, header repeated).
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Withdraw this number of the year (with --reason).
        #[arg(long, requires = "reason")]
        cancel: Option<u32>,
        /// Why the number is withdrawn.
        #[arg(long)]
        reason: Option<String>,
    },
    /// The clerk's drop-in folder: watch PROJECT/inputs/ and, once files stop arriving,
    /// check and run the periods whose folders changed. Stop with Ctrl-C.
    Watch {
        project: PathBuf,
        /// Quiet time before a run, in milliseconds.
        #[arg(long, default_value_t = 3000)]
        settle_ms: u64,
    },
    /// A local web page for the clerk: drop the units' files, see what is wrong, make and
    /// download the documents. Prints the address to open.
    Serve {
        project: PathBuf,
        /// Address to listen on. Anything but the loopback needs --token.
        #[arg(long, default_value = "127.0.0.1:8686")]
        listen: std::net::SocketAddr,
        /// Access token every request must carry (`?token=` or `Authorization: Bearer`).
        #[arg(long)]
        token: Option<String>,
    },
    /// Start a new project in DIR: a commented vanthu.toml that validates, and empty
    /// inputs/ and templates/ folders (never over an existing vanthu.toml).
    Init {
        dir: PathBuf,
        /// Cấp: xã, phường, thị trấn, huyện… (default: xã).
        #[arg(long)]
        level: Option<String>,
        /// The place name, as in the date line ("Hoàng Liệt").
        #[arg(long)]
        place: Option<String>,
        /// Cơ quan chủ quản printed above the agency ("UBND quận Hoàng Mai"), if any.
        #[arg(long)]
        parent: Option<String>,
        /// Who signs ("Nguyễn Văn An").
        #[arg(long)]
        signer: Option<String>,
        /// The campaign's name ("Chuyển đổi số").
        #[arg(long)]
        campaign: Option<String>,
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
    /// Check any .docx or .pdf against Decree 30's format rules (thể thức, Phụ lục I),
    /// whoever made it. Exit 0 without errors, 1 with any (warnings do not count).
    Lint {
        /// The documents (.docx, .pdf).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print `[{ "file", "findings": [{ "code", "severity", "clause", "where",
        /// "message" }] }]` instead of text.
        #[arg(long)]
        json: bool,
        /// Also list the parts found (quốc hiệu, số, trích yếu, nơi nhận…) and their text.
        #[arg(long, conflicts_with = "json")]
        outline: bool,
    },
}

/// `vanthu lint`: each file's findings; exit 1 when any file has an error.
fn lint_files(files: &[PathBuf], json: bool, outline: bool, lang: Lang) -> ExitCode {
    use std::io::Write;
    use vanthu::lint;
    // A reader that stops early (`| head`) ends the output, not the process with a panic.
    let mut stdout = std::io::stdout().lock();
    let mut reports = Vec::new();
    let mut errors = false;
    for path in files {
        let name = path.display().to_string();
        let findings = match std::fs::read(path) {
            Ok(bytes) => {
                if outline {
                    for (part, text) in lint::outline(&name, &bytes).unwrap_or_default() {
                        let _ = writeln!(stdout, "{name}: {part:<16} {text}");
                    }
                }
                lint::lint(&name, &bytes)
            }
            Err(e) => vec![lint::Finding {
                check: lint::Check::Unreadable,
                place: lint::Place::Document,
                excerpt: String::new(),
                found: vanthu::diagnostic::Text::new(
                    format!("không mở được tệp ({e})"),
                    format!("cannot open the file ({e})"),
                ),
            }],
        };
        errors |= lint::has_errors(&findings);
        if json {
            reports.push(lint::ShownReport {
                file: name,
                findings: findings.iter().map(|f| f.shown(lang)).collect(),
            });
        } else {
            let _ = write!(stdout, "{}", lint::render(&name, &findings, lang));
        }
    }
    if json {
        let text = serde_json::to_string_pretty(&reports).unwrap_or_else(|_| "[]".to_string());
        let _ = writeln!(stdout, "{text}");
    }
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

/// The largest số `--number` takes: the register numbers one series a year (Điều 15),
/// and no agency issues a hundred thousand documents in one.
const MAX_NUMBER: u64 = 99_999;

/// `--number` as given, if it is a số a register can hand out.
fn valid_number(n: u64, lang: Lang) -> Result<u32, String> {
    match u32::try_from(n) {
        Ok(n) if (1..=MAX_NUMBER as u32).contains(&n) => Ok(n),
        _ => Err(lang
            .pick(
                &format!("--number {n} không phải là số văn bản hợp lệ: số đi từ 1 đến {MAX_NUMBER}, bắt đầu lại từ 01 mỗi năm."),
                &format!("--number {n} is not a valid document number: numbers run from 1 to {MAX_NUMBER}, starting again at 01 each year."),
            )
            .to_string()),
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

/// Diagnostics go to stdout with the summary they belong to, so `> file` keeps both;
/// stderr is for what stops a command (a usage or project-file error) and progress.
fn print_diagnostics(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        println!("{}", d.render(lang));
    }
}

/// What the clerk must know beyond the files written: unchanged files, kept edits,
/// documents that failed.
fn print_delivery_notes(d: &deliver::Delivery, lang: Lang) {
    if !d.unchanged.is_empty() {
        println!(
            "{}",
            match lang {
                Lang::Vi => format!(
                    "{} tệp không đổi so với lần chạy trước, giữ nguyên.",
                    d.unchanged.len()
                ),
                Lang::En => format!(
                    "{} files unchanged since the last run, left as they are.",
                    d.unchanged.len()
                ),
            }
        );
    }
    for k in &d.kept {
        eprintln!(
            "{}",
            match lang {
                Lang::Vi => format!(
                    "Tệp {} đã được sửa sau khi tạo: giữ nguyên, bản mới ghi vào {}.",
                    k.edited.display(),
                    k.new.display()
                ),
                Lang::En => format!(
                    "{} was edited after it was made: kept as it is; the new one is {}.",
                    k.edited.display(),
                    k.new.display()
                ),
            }
        );
    }
    if let Some(aside) = &d.damaged_manifest {
        eprintln!(
            "{}",
            lang.pick(
                &format!("Tệp manifest.json bị hỏng: đã lập lại từ các tệp trong thư mục (tệp trùng với bản sẽ tạo được giữ nguyên); bản hỏng được lưu ở {}.", aside.display()),
                &format!("manifest.json was damaged: it was rebuilt from the files in the folder (a file identical to what this run makes is left alone); the damaged one is kept as {}.", aside.display()),
            )
        );
    }
    for moved in &d.stale {
        eprintln!(
            "{}",
            lang.pick(
                &format!(
                    "Văn bản không còn đúng với số liệu kỳ này đã chuyển vào {}.",
                    moved.display()
                ),
                &format!(
                    "A document no longer true for this period's figures was moved to {}.",
                    moved.display()
                ),
            )
        );
    }
    for path in &d.stale_edited {
        eprintln!(
            "{}",
            lang.pick(
                &format!("Cảnh báo: {} không còn đúng với số liệu kỳ này, nhưng đã được sửa tay nên vẫn để nguyên; đừng gửi văn bản này.", path.display()),
                &format!("Warning: {} is no longer true for this period's figures, but it was edited by hand, so it is left where it is; do not send it.", path.display()),
            )
        );
    }
    for (doc, why) in &d.failed {
        let message = why.message(lang);
        eprintln!(
            "{}",
            match lang {
                Lang::Vi => format!("Không tạo được {doc}: {message}"),
                Lang::En => format!("Could not make {doc}: {message}"),
            }
        );
    }
}

/// Runs the jobs with a progress bar on a terminal, plain lines otherwise.
fn run_batch(jobs: &[batch::Job], date: Option<Date>, lang: Lang) -> Vec<batch::JobReport> {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let reports = batch::run_jobs(jobs, date, &|r| {
            bar.set_message(r.job.project.display().to_string());
            if !r.is_clean() {
                bar.println(batch::job_line(r, lang));
            }
            bar.inc(1);
        });
        bar.finish_and_clear();
        reports
    } else {
        let total = jobs.len();
        let n = std::sync::atomic::AtomicUsize::new(0);
        batch::run_jobs(jobs, date, &|r| {
            let k = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            eprintln!("[{k}/{total}] {}", batch::job_line(r, lang));
        })
    }
}

/// `check`: what was recognised in each sheet, then every diagnostic.
fn check_period(
    project: &Project,
    period: Period,
    json: bool,
    lang: Lang,
) -> Result<ExitCode, String> {
    // The documents the project declares must have templates that exist and compile:
    // found now, not at `run`.
    if let Err(e) = vanthu::compose::Composer::new(project) {
        println!("{}", e.message(lang));
        return Ok(ExitCode::from(1));
    }
    let result = intake::read_period(project, period).map_err(|e| e.message(lang))?;
    // Roster units with no report read this period, in roster order.
    let missing: Vec<&vanthu::project::Unit> = project
        .units()
        .iter()
        .filter(|u| !result.reports.iter().any(|r| r.unit_code == u.code))
        .collect();
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
            "missing": missing.iter().map(|u| &u.code).collect::<Vec<_>>(),
            "diagnostics": result.diagnostics.iter().map(|d| d.shown(lang)).collect::<Vec<_>>(),
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
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|u| u.name.as_str()).collect();
            println!(
                "{} ({}/{}): {}",
                lang.pick("Chưa có báo cáo", "No report yet"),
                missing.len(),
                project.units().len(),
                names.join("; ")
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

/// What `run` (and `watch`) were asked for beyond the project and period.
struct RunArgs {
    /// Print the sheets' diagnostics (`watch` has printed them with `check` already).
    diagnostics: bool,
    out: Option<PathBuf>,
    /// `--date`; without it the day is today's, and an electronic issue leaves the day
    /// and the month for the văn thư.
    date: Option<Date>,
    number: Option<u32>,
    emit_data: bool,
    /// `--issue`: issue every document made, numbered from the register.
    issue: bool,
}

/// One period's run: documents into the output folder, with the notes the clerk needs.
fn run_period(
    project: &Project,
    period: Period,
    run: &RunArgs,
    lang: Lang,
) -> Result<ExitCode, String> {
    project
        .existing_inputs_dir(&period)
        .map_err(|e| e.message(lang))?;
    let opts = RunOptions {
        period,
        date: run.date.unwrap_or_else(|| project.world().today()),
        date_given: run.date.is_some(),
        number: run.number,
    };
    let out_dir = run
        .out
        .clone()
        .unwrap_or_else(|| project.output_dir(&period));
    let ran = vanthu::run::run_period(
        project,
        &opts,
        &deliver::DeliveryOptions {
            emit_data: run.emit_data,
            progress: None,
        },
        &out_dir,
    );
    let vanthu::run::PeriodRun { plan, delivery } = match ran {
        Ok(r) => r,
        // Sheets that could not be read are the clerk's to fix: their diagnostics, one
        // sentence, exit 1 (not a usage error), and nothing written.
        Err(e) => {
            let vanthu::Error::NothingReported { diagnostics, .. } = &e else {
                return Err(e.message(lang));
            };
            if run.diagnostics {
                print_diagnostics(diagnostics, lang);
            }
            println!("{}", e.message(lang));
            return Ok(ExitCode::from(1));
        }
    };
    if run.diagnostics {
        print_diagnostics(&plan.intake.diagnostics, lang);
    }
    for path in &delivery.written {
        println!("{}", path.display());
    }
    print_delivery_notes(&delivery, lang);
    let ds = &plan.dataset;
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
    if run.issue && delivery.failed.is_empty() {
        // In the order the documents were made: the register numbers them so.
        let date = opts.date;
        for c in &plan.documents {
            let pdf = out_dir.join(format!("{}.pdf", c.stem));
            let issued = vanthu::issue::issue_made(&pdf, date, project.root())
                .map_err(|e| e.message(lang))?;
            if let Some(n) = issued.number {
                println!("{n:02}: {}", pdf.display());
            }
        }
    }
    Ok(if plan.intake.has_errors() || !delivery.failed.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `watch`: runs `check` and `run` for each period folder that changed, after the files
/// have stopped arriving for `settle_ms`.
fn watch(project_dir: &std::path::Path, settle_ms: u64, lang: Lang) -> Result<ExitCode, String> {
    let project = Project::load(project_dir).map_err(|e| e.message(lang))?;
    let inputs = project.root().join("inputs");
    std::fs::create_dir_all(&inputs).map_err(|e| format!("{}: {e}", inputs.display()))?;
    println!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "Đang theo dõi {} — chép tệp báo cáo vào inputs/<kỳ>/ (Ctrl-C để dừng).",
                inputs.display()
            ),
            Lang::En => format!(
                "Watching {} — copy the sheets into inputs/<period>/ (Ctrl-C to stop).",
                inputs.display()
            ),
        }
    );
    let settle = std::time::Duration::from_millis(settle_ms);
    vanthu::watch::watch_inputs(&inputs, settle, |folders| {
        // The project file may have been edited meanwhile: read it again each time.
        let project = match Project::load(project_dir) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}", e.message(lang));
                return;
            }
        };
        for folder in folders {
            let Ok(period) = folder.parse::<Period>() else {
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Vi => format!("Bỏ qua thư mục inputs/{folder}: tên không phải một kỳ (ví dụ 2025-10)."),
                        Lang::En => format!("Ignoring inputs/{folder}: not a period name (for example 2025-10)."),
                    }
                );
                continue;
            };
            println!("== {period}");
            let run = RunArgs {
                diagnostics: false,
                out: None,
                date: None,
                number: None,
                emit_data: false,
                issue: false,
            };
            // A panic on one period is that period's failure; the folder is still watched.
            let outcome = vanthu::isolate::isolate(|| {
                check_period(&project, period, false, lang)
                    .and_then(|_| run_period(&project, period, &run, lang))
            })
            .unwrap_or_else(|panic| Err(panic.internal()));
            if let Err(e) = outcome {
                eprintln!("{e}");
            }
        }
    })
    .map_err(|e| format!("{}: {e}", inputs.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The language asked for on the command line (`--lang en` or `--lang=en`), read before
/// clap parses it, so clap's own errors can be told in it.
fn lang_of_args(args: &[String]) -> Lang {
    let en = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en")
        || args.iter().any(|a| a == "--lang=en");
    if en {
        Lang::En
    } else {
        Lang::Vi
    }
}

/// A command-line mistake in Vietnamese: clap words its errors in English.
fn usage_error_vi(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let sentence = match e.kind() {
        ErrorKind::ValueValidation | ErrorKind::InvalidValue if arg.starts_with("--period") => {
            format!("`{value}` không phải là kỳ báo cáo: viết YYYY-MM (2025-11), YYYY-Qn (2025-Q4), YYYY-H1, YYYY-H2 hoặc YYYY (2025).")
        }
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            let more = if valid.is_empty() {
                String::new()
            } else {
                format!(" Giá trị dùng được: {valid}.")
            };
            format!("Giá trị `{value}` của {arg} không hợp lệ.{more}")
        }
        ErrorKind::UnknownArgument => format!("Không có tùy chọn `{arg}`."),
        ErrorKind::MissingRequiredArgument => format!("Thiếu {arg}."),
        ErrorKind::InvalidSubcommand => format!(
            "Không có lệnh `{}`: các lệnh là run, check, batch, watch, serve, form, init.",
            context(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "Thiếu lệnh: run, check, batch, watch, serve, form hoặc init.".to_string()
        }
        _ => {
            return format!(
                "{}\n(Xem hướng dẫn: vanthu --help)",
                e.render().to_string().trim()
            );
        }
    };
    format!("Lỗi: {sentence}\nXem hướng dẫn: vanthu --help")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
                || lang_of_args(&args) == Lang::En
            {
                e.exit();
            }
            eprintln!("{}", usage_error_vi(&e));
            return ExitCode::from(2);
        }
    };
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
            number,
            emit_data,
            issue,
        } => {
            let number = number.map(|n| valid_number(n, lang)).transpose()?;
            let project = Project::load(&project).map_err(|e| e.message(lang))?;
            let period = period
                .map(Ok)
                .unwrap_or_else(|| project.latest_period())
                .map_err(|e| e.message(lang))?;
            let run = RunArgs {
                diagnostics: true,
                out,
                date,
                number,
                emit_data,
                issue,
            };
            run_period(&project, period, &run, lang)
        }
        Command::Batch { jobs, period, date } => {
            let (jobs, file_date) = batch::load_jobs(&jobs, period).map_err(|e| e.message(lang))?;
            let reports = run_batch(&jobs, date.or(file_date), lang);
            print!("{}", batch::summary_table(&reports, lang));
            for r in &reports {
                if let Ok(c) = &r.outcome {
                    for (doc, why) in &c.failed {
                        let message = why.message(lang);
                        eprintln!("{}: {doc}: {message}", r.job.project.display());
                    }
                }
            }
            Ok(if reports.iter().all(batch::JobReport::is_clean) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Init {
            dir,
            level,
            place,
            parent,
            signer,
            campaign,
        } => {
            let options = vanthu::init::InitOptions {
                level,
                place,
                parent,
                signer,
                campaign,
            };
            let written = vanthu::init::init(&dir, &options).map_err(|e| e.message(lang))?;
            for path in &written {
                println!("{}", path.display());
            }
            println!(
                "{}",
                lang.pick(
                    &format!(
                        "Đã tạo dự án. Sửa {} rồi chạy: vanthu form {} --period <kỳ>",
                        written[0].display(),
                        dir.display()
                    ),
                    &format!(
                        "Project created. Edit {}, then run: vanthu form {} --period <period>",
                        written[0].display(),
                        dir.display()
                    ),
                )
            );
            Ok(ExitCode::SUCCESS)
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
                                project.units().iter().map(|u| u.code.as_str()).collect();
                            return Err(match lang {
                            Lang::Vi => format!("Không có đơn vị mã `{code}` trong vanthu.toml; các mã có: {}.", codes.join(", ")),
                            Lang::En => format!("No unit has the code `{code}` in vanthu.toml; the codes are: {}.", codes.join(", ")),
                        });
                        }
                    }
                }
                None => project.units().iter().collect(),
            };
            let out_dir =
                out.unwrap_or_else(|| project.root().join("forms").join(period.to_string()));
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
            check_period(&project, period, json, lang)
        }
        Command::Watch { project, settle_ms } => watch(&project, settle_ms, lang),
        Command::Lint {
            files,
            json,
            outline,
        } => Ok(lint_files(&files, json, outline, lang)),
        Command::Register {
            project,
            year,
            json,
            xlsx,
            cancel,
            reason,
        } => {
            let year = year.unwrap_or_else(|| Date::today().year);
            let mut register =
                vanthu::register::Register::open(&project).map_err(|e| e.message(lang))?;
            if let Some(n) = cancel {
                register
                    .cancel(year, n, reason.as_deref().unwrap_or_default())
                    .map_err(|e| e.message(lang))?;
            }
            let entries = register.entries(year).map_err(|e| e.message(lang))?;
            if let Some(path) = &xlsx {
                // The agency's name as its documents print it, if the project reads.
                let agency = Project::load(&project)
                    .map(|p| p.agency().name.join(" "))
                    .unwrap_or_default();
                let bytes = vanthu::register::book_xlsx(&entries, year, &agency)
                    .map_err(|e| e.to_string())?;
                deliver::write_atomic(path, &bytes).map_err(|e| e.to_string())?;
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&entries).map_err(|e| e.to_string())?
                );
            } else {
                for e in &entries {
                    let state = match e.state.as_str() {
                        "issued" => lang.pick("đã ban hành", "issued"),
                        "cancelled" => lang.pick("đã hủy", "cancelled"),
                        _ => lang.pick("đang cấp số (chưa ghi xong)", "reserved (not finished)"),
                    };
                    println!(
                        "{}\t{}\t{}\t{}\t{state}\t{}",
                        e.number_and_symbol,
                        e.issued_on.as_deref().unwrap_or("-"),
                        e.kind_and_summary,
                        e.signer,
                        if e.note.is_empty() { &e.file } else { &e.note }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Issue {
            pdf,
            number,
            date,
            copies,
        } => {
            let number = number.map(|n| valid_number(n, lang)).transpose()?;
            let issued = vanthu::issue::issue_file(
                &pdf,
                vanthu::issue::Issue {
                    number,
                    date,
                    copies,
                },
            )
            .map_err(|e| e.message(lang))?;
            if let Some(n) = issued.number {
                println!("{} {n:02}", lang.pick("Số:", "Number:"));
            }
            let mut made = vec![issued.pdf.display().to_string()];
            made.extend(issued.docx.iter().map(|p| p.display().to_string()));
            println!(
                "{} {}",
                lang.pick("Đã ban hành:", "Issued:"),
                made.join(", ")
            );
            for m in issued.manifest.iter().chain(&issued.metadata) {
                println!("{} {}", lang.pick("Đã ghi", "Written"), m.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            project,
            listen,
            token,
        } => {
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            let options = vanthu::serve::ServeOptions {
                project,
                token: token.clone(),
                lang,
            };
            runtime.block_on(vanthu::serve::serve(options, listen, |bound| {
                let query = token
                    .as_deref()
                    .map(|t| format!("?token={t}"))
                    .unwrap_or_default();
                println!("http://{bound}/{query}");
                eprintln!(
                    "{}",
                    lang.pick(
                        "Mở địa chỉ trên trong trình duyệt. Ctrl-C để dừng.",
                        "Open the address above in a browser. Ctrl-C to stop."
                    )
                );
            }))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
