//! The end-to-end benchmark: builds synthetic projects with the sample generator and
//! times every stage, then prints one line of `key=value` figures.
//!
//!     cargo run --release --bin bench            # the full measurement (a minute or two)
//!     cargo run --release --bin bench -- --quick # small sizes: proves it still works (CI)
//!
//! Figures: `intake_sheets_per_s` (canonical .xlsx sheets read per second), `aggregate_ms`
//! (one period of the intake project), `docx_ms_per_doc` / `pdf_ms_per_doc` (every
//! document of a 30-unit commune's period, averaged), `report_docx_ms` / `report_pdf_ms`
//! (its period report: 3 pages and a 30-row landscape appendix), `pdf_pages_per_s`,
//! `run_commune_ms` (one commune's whole period, DOCX and PDF, into an empty folder),
//! `rerun_commune_ms` (the same again: nothing to do), `batch_communes_per_s` (many
//! communes through the batch runner), `batch_user_ms_per_commune` /
//! `batch_sys_ms_per_commune` (the processor time each took), `appendix_rows_500_ms` /
//! `appendix_rows_2000_ms` (a PDF with a table of that many rows: time must grow
//! linearly), `appendix_source_500_ms` / `appendix_source_2000_ms` (reading those
//! tables from the XHTML a template renders: linear too), `peak_rss_mb`.
//!
//! `startup_ms` is a whole process's start as a clerk's run pays it: the binary loaded,
//! the project file read and checked, its templates compiled, the fonts parsed (a fresh
//! process of this binary doing only that, the median of several).
//!
//! `--national [N]` runs a country's month instead: N synthetic communes (default 3,321,
//! each 30 units with two periods of sheets) through the batch runner, made 128 at a
//! time into the same 128 folders (so the inputs on disk stay one chunk's and memory
//! stays bounded; the documents are kept, about 0.7 MB a commune, as a month's are), and
//! prints `national_communes`, `national_month_s` (the batch runner's time),
//! `national_wall_s` (with the communes' making), `national_communes_per_s`,
//! `national_output_mb` and `peak_rss_mb`.
//!
//! On ext4 without a journal, a file deleted in the last 30 seconds
//! (`vm.dirty_expire_centisecs`) makes each new file's inode slower to find: a bench
//! started right after a large deletion (another bench's folders) measures that too.
//!
//! Every commune measured has had October's run before the November measured, as a
//! month follows the last one's: October's reading is kept and November's comparisons
//! take it from there instead of reading October's sheets again.
//!
//! `--peer` measures vanthu against the office-suite pipeline per document, each a whole
//! process: `benches/peer/docxtpl_peer.py` (openpyxl reads the sheets, docxtpl fills a
//! Word template, LibreOffice prints the PDF; one document) against a fresh process
//! delivering the commune's period (every document, DOCX and PDF, divided by their
//! number). Prints `peer_ms_per_doc`, `vanthu_ms_per_doc` and `peer_ratio`.
//!
//! For a profiler, `--loop pdf|pdf-cold|report-cold|docx|intake|plan|run|batch` repeats one stage on
//! the commune for a few seconds and exits (`batch`: 20 distinct communes, each round
//! into new folders) and prints its wall time and processor time (user and system, all
//! threads) per round: `perf record -g target/release/bench --loop run`.

/// The allocator of the `vanthu` binary, so the figures are its own: jemalloc instead of
/// the system allocator (see `src/main.rs`). Not on MSVC, which it does not support.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use vanthu::diagnostic::Lang;
use vanthu::doc::{Date, Document};
use vanthu::period::Period;
use vanthu::{batch, deliver, plan_period, render, synthetic, RunOptions};

struct Sizes {
    intake_units: usize,
    repeats: usize,
    batch_communes: usize,
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Processor time this process has used so far, in user space and in the kernel
/// (Linux: /proc/self/stat, in its fixed 100 ticks a second).
fn cpu_time() -> (Duration, Duration) {
    let ticks = |n: u64| Duration::from_millis(n * 10);
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let mut f = rest.split_whitespace().skip(11);
            Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
        })
        .map_or((Duration::ZERO, Duration::ZERO), |(u, k)| {
            (ticks(u), ticks(k))
        })
}

/// Peak resident memory of this process (Linux: VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// What a fresh process does before any work: the project loaded, its templates
/// compiled, the fonts parsed.
fn startup_probe(project: &Path) -> Result<()> {
    let project =
        vanthu::project::Project::load(project).map_err(|e| anyhow!(e.message(Lang::En)))?;
    let _composer = vanthu::compose::Composer::new(&project).map_err(|e| anyhow!("{e:?}"))?;
    let _ = vanthu::fonts::vertical_metrics();
    let _ = vanthu::fonts::text_width(
        "Phú Thái",
        vanthu::fonts::FaceStyle::BoldItalic,
        vanthu::units::Pt(14.0),
    );
    Ok(())
}

/// Median wall time of a fresh process running [`startup_probe`] on `project`.
fn startup_ms(project: &Path, repeats: usize) -> Result<f64> {
    let exe = std::env::current_exe()?;
    let times = (0..repeats.max(3))
        .map(|_| {
            process_time(
                std::process::Command::new(&exe)
                    .arg("--startup-probe")
                    .arg(project),
                "the start-up probe",
            )
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ms(median(times)))
}

/// The wall time of a whole process, which must succeed.
fn process_time(command: &mut std::process::Command, what: &str) -> Result<Duration> {
    let (status, t) = time(|| command.status());
    if !status?.success() {
        return Err(anyhow!("{what} failed"));
    }
    Ok(t)
}

/// The commune every measure runs: 30 units with October's and November's sheets,
/// and October's run done (see [`last_months_run`]). Returns its project and November.
fn commune_after_october(
    dir: &Path,
    work: &Path,
) -> Result<(vanthu::project::Project, Period, Date)> {
    let err = |e: Box<dyn std::error::Error + Send + Sync>| anyhow!("{e}");
    let oct: Period = "2025-10".parse().map_err(|e| anyhow!("{e}"))?;
    let nov: Period = "2025-11".parse().map_err(|e| anyhow!("{e}"))?;
    let date = Date::parse("2025-12-05").ok_or_else(|| anyhow!("date"))?;
    let commune = synthetic::write_project(dir, SAMPLE_TOML, 30, &[oct, nov]).map_err(err)?;
    last_months_run(&commune, oct, date, work)?;
    Ok((commune, nov, date))
}

/// October's run of a commune, before the November measured: as every month follows
/// the last one's run, its reading is kept (`.vanthu/intake/`) and copied with the
/// commune, and November's comparisons take October's figures from there.
fn last_months_run(
    commune: &vanthu::project::Project,
    period: Period,
    date: Date,
    work: &Path,
) -> Result<()> {
    let opts = RunOptions {
        period,
        date,
        date_given: true,
        number: None,
    };
    vanthu::run::run_period(
        commune,
        &opts,
        &deliver::DeliveryOptions::default(),
        &work.join("last-month"),
    )
    .map_err(|e| anyhow!(e.message(Lang::En)))?;
    Ok(())
}

/// `--run-probe PROJECT PERIOD OUT`: one period delivered, as `vanthu run` does it, in a
/// fresh process (the library code the binary runs).
fn run_probe(project: &Path, period: &str, out: &Path) -> Result<()> {
    let project =
        vanthu::project::Project::load(project).map_err(|e| anyhow!(e.message(Lang::En)))?;
    let period: Period = period.parse().map_err(|e| anyhow!("{e}"))?;
    let opts = RunOptions {
        period,
        date: Date::parse("2025-12-05").ok_or_else(|| anyhow!("date"))?,
        date_given: true,
        number: None,
    };
    vanthu::run::run_period(&project, &opts, &deliver::DeliveryOptions::default(), out)
        .map_err(|e| anyhow!(e.message(Lang::En)))?;
    Ok(())
}

/// `--peer`: vanthu against the office-suite pipeline (docxtpl fills a Word template, then
/// LibreOffice prints it to PDF: `benches/peer/docxtpl_peer.py`), per document, each a
/// whole process, on the same commune's sheets. Says `peer=absent` without python3,
/// openpyxl, docxtpl or soffice.
fn peer(repeats: usize) -> Result<()> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer/docxtpl_peer.py");
    let have = std::process::Command::new("python3")
        .args(["-c", "import docxtpl, openpyxl, docx"])
        .status()
        .is_ok_and(|s| s.success())
        && std::process::Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !have {
        println!(
            "peer=absent (python3 with docxtpl, openpyxl, python-docx and soffice are needed)"
        );
        return Ok(());
    }
    let work = tempfile::tempdir()?;
    let dir = work.path().join("commune");
    commune_after_october(&dir, work.path())?;
    let profile = work.path().join("office-profile");
    let peer_once = |i: usize| -> Result<Duration> {
        process_time(
            std::process::Command::new("python3")
                .arg(&script)
                .arg(dir.join("inputs/2025-11"))
                .arg(work.path().join(format!("peer-{i}")))
                .arg(&profile),
            "the peer pipeline",
        )
    };
    // The office suite's first start makes its profile: not timed, as on a clerk's machine.
    peer_once(0)?;
    let peer_ms = ms(median(
        (1..=repeats.max(3))
            .map(peer_once)
            .collect::<Result<Vec<_>>>()?,
    ));
    let exe = std::env::current_exe()?;
    let mut ours = Vec::new();
    let mut documents = 0;
    for i in 0..repeats.max(3) {
        let out = work.path().join(format!("ours-{i}"));
        let t = process_time(
            std::process::Command::new(&exe)
                .arg("--run-probe")
                .arg(&dir)
                .arg("2025-11")
                .arg(&out),
            "the run probe",
        )?;
        documents = std::fs::read_dir(&out)?
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            })
            .count();
        ours.push(t);
    }
    let ours_ms = ms(median(ours)) / documents.max(1) as f64;
    println!(
        "peer_ms_per_doc={peer_ms:.0} vanthu_ms_per_doc={ours_ms:.1} peer_ratio={:.0} vanthu_docs_per_run={documents}",
        peer_ms / ours_ms
    );
    Ok(())
}

/// Communes made, run and removed at a time by `--national`.
const NATIONAL_CHUNK: usize = 128;

/// `--national N`: N communes through the batch runner, a chunk at a time.
fn national(communes: usize) -> Result<()> {
    let work = tempfile::tempdir()?;
    let template = work.path().join("commune");
    let (_, nov, date) = commune_after_october(&template, work.path())?;
    let startup = startup_ms(&template, 5)?;
    let wall = Instant::now();
    let mut running = Duration::ZERO;
    let mut done = 0;
    while done < communes {
        let n = NATIONAL_CHUNK.min(communes - done);
        // The chunk's communes are written over the slots of the one before (the same
        // files rewritten in place): the inputs on disk stay one chunk's. Nothing is
        // deleted while the month runs, as nothing is in a real one; on ext4 without a
        // journal a file deleted in the last 30 s makes every new file's inode slower to
        // find, which would be the bench's cost, not vanthu's.
        let jobs: Vec<batch::Job> = (done..done + n)
            .map(|i| -> Result<batch::Job> {
                let dir = work.path().join(format!("slot-{:03}", i - done));
                copy_dir(&template, &dir)?;
                as_another_commune(&dir.join("vanthu.toml"), i)?;
                Ok(batch::Job {
                    project: dir,
                    period: Some(nov),
                    // The month's documents are kept, as a real month's are.
                    out: Some(work.path().join("out").join(format!("xa-{i:04}"))),
                    date: None,
                })
            })
            .collect::<Result<_>>()?;
        let (reports, t) = time(|| batch::run_jobs(&jobs, Some(date), &|_| {}));
        running += t;
        if let Some(bad) = reports.iter().find(|r| !r.is_clean()) {
            return Err(anyhow!("{}", batch::job_line(bad, Lang::En)));
        }
        done += n;
        eprintln!(
            "bench: {done}/{communes} communes, {:.1} s",
            running.as_secs_f64()
        );
    }
    let output_mb = dir_bytes(&work.path().join("out")) as f64 / 1e6;
    println!(
        "national_communes={communes} national_month_s={:.1} national_wall_s={:.1} national_communes_per_s={:.1} national_output_mb={output_mb:.0} startup_ms={startup:.1} peak_rss_mb={:.0}",
        running.as_secs_f64(),
        wall.elapsed().as_secs_f64(),
        communes as f64 / running.as_secs_f64(),
        peak_rss_mb()
    );
    Ok(())
}

/// The bytes of every file below `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => dir_bytes(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(project) = args.iter().skip_while(|a| *a != "--startup-probe").nth(1) {
        return startup_probe(Path::new(project));
    }
    if let Some(at) = args.iter().position(|a| a == "--run-probe") {
        let arg = |k: usize| {
            args.get(at + k)
                .ok_or_else(|| anyhow!("--run-probe PROJECT PERIOD OUT"))
        };
        return run_probe(Path::new(arg(1)?), arg(2)?, Path::new(arg(3)?));
    }
    if args.iter().any(|a| a == "--peer") {
        return peer(5);
    }
    if let Some(at) = args.iter().position(|a| a == "--national") {
        let communes = match args.get(at + 1).filter(|a| !a.starts_with("--")) {
            Some(n) => n
                .parse()
                .map_err(|_| anyhow!("--national N: a number of communes"))?,
            None => 3321,
        };
        return national(communes);
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes = if quick {
        Sizes {
            intake_units: 60,
            repeats: 2,
            batch_communes: 4,
        }
    } else {
        Sizes {
            intake_units: 1000,
            repeats: 7,
            batch_communes: 100,
        }
    };
    let err = |e: Box<dyn std::error::Error + Send + Sync>| anyhow!("{e}");
    let work = tempfile::tempdir()?;
    let oct: Period = "2025-10".parse().map_err(|e| anyhow!("{e}"))?;
    let nov: Period = "2025-11".parse().map_err(|e| anyhow!("{e}"))?;
    let date = Date::parse("2025-12-05").ok_or_else(|| anyhow!("date"))?;

    // Intake and aggregate on a large roster.
    eprintln!("bench: writing {} sheets…", sizes.intake_units);
    let big = synthetic::write_project(
        &work.path().join("big"),
        SAMPLE_TOML,
        sizes.intake_units,
        &[oct],
    )
    .map_err(err)?;
    let mut intake_times = Vec::new();
    let mut intake = None;
    for _ in 0..sizes.repeats.min(3) {
        let (i, d) = time(|| vanthu::intake::read_period(&big, oct));
        intake_times.push(d);
        intake = Some(i.map_err(|e| anyhow!(e.message(Lang::En)))?);
    }
    let intake = intake.ok_or_else(|| anyhow!("no intake"))?;
    let sheets = intake.inputs.len() as f64;
    let intake_per_s = sheets / median(intake_times).as_secs_f64();
    let aggregate = median(
        (0..sizes.repeats)
            .map(|_| {
                time(|| vanthu::aggregate::aggregate(&big, oct, &intake.reports, &[]).unwrap()).1
            })
            .collect(),
    );

    // One commune of 30 units, two periods (so the report compares with the last).
    let commune_dir = work.path().join("commune");
    let (commune, _, _) = commune_after_october(&commune_dir, work.path())?;
    let opts = RunOptions {
        period: nov,
        date,
        date_given: true,
        number: None,
    };
    let plan = plan_period(&commune, &opts).map_err(|e| anyhow!(e.message(Lang::En)))?;
    if let Some(stage) = std::env::args().skip_while(|a| a != "--loop").nth(1) {
        let communes = if stage == "batch" {
            distinct_communes(&commune_dir, work.path(), LOOP_BATCH_COMMUNES)?
        } else {
            Vec::new()
        };
        let start = Instant::now();
        let cpu_start = cpu_time();
        let mut n = 0u64;
        while start.elapsed() < Duration::from_secs(5) {
            match stage.as_str() {
                "pdf" => plan.documents.iter().for_each(|c| {
                    let _ = render::pdf::render(&c.document);
                }),
                "pdf-cold" => plan.documents.iter().for_each(|c| {
                    render::pdf::clear_caches();
                    let _ = render::pdf::render(&c.document);
                }),
                // What `report_pdf_ms` measures: the period report, a first rendering.
                "report-cold" => {
                    render::pdf::clear_caches();
                    if let Some(c) = plan.documents.first() {
                        let _ = render::pdf::render(&c.document);
                    }
                }
                "docx" => plan.documents.iter().for_each(|c| {
                    let _ = render::docx::render(&c.document);
                }),
                "intake" => {
                    let _ = vanthu::intake::read_period(&commune, nov);
                }
                "plan" => {
                    let _ = plan_period(&commune, &opts);
                }
                "batch" => {
                    render::pdf::clear_caches();
                    let jobs: Vec<batch::Job> = communes
                        .iter()
                        .enumerate()
                        .map(|(i, dir)| batch::Job {
                            project: dir.clone(),
                            period: Some(nov),
                            out: Some(work.path().join(format!("loop-{n}-{i}"))),
                            date: None,
                        })
                        .collect();
                    let _ = batch::run_jobs(&jobs, Some(date), &|_| {});
                }
                "run" => {
                    let out = work.path().join(format!("loop-{n}"));
                    let options = deliver::DeliveryOptions::default();
                    let _ = vanthu::run::run_period(&commune, &opts, &options, &out);
                }
                other => {
                    return Err(anyhow!(
                    "--loop {other}: pdf, pdf-cold, report-cold, docx, intake, plan, run or batch"
                ))
                }
            }
            n += 1;
        }
        let cpu_end = cpu_time();
        let cpu = (cpu_end.0 + cpu_end.1).saturating_sub(cpu_start.0 + cpu_start.1);
        println!(
            "{stage}: {:.2} ms per round, {:.2} ms of processor time per round",
            ms(start.elapsed()) / n as f64,
            ms(cpu) / n as f64
        );
        return Ok(());
    }
    let docs: Vec<&Document> = plan.documents.iter().map(|c| &c.document).collect();
    let report = docs
        .first()
        .copied()
        .ok_or_else(|| anyhow!("the commune has no documents"))?;
    let mut docx_total = Duration::ZERO;
    let mut pdf_total = Duration::ZERO;
    let mut pages = 0usize;
    for round in 0..sizes.repeats {
        // Each round as the first rendering of these documents in a process.
        render::pdf::clear_caches();
        for d in &docs {
            let (bytes, t) = time(|| render::docx::render(d));
            bytes.map_err(|e| anyhow!("{e}"))?;
            docx_total += t;
            let (bytes, t) = time(|| render::pdf::render(d));
            let bytes = bytes.map_err(|e| anyhow!("{e}"))?;
            pdf_total += t;
            if round == 0 {
                pages += lopdf::Document::load_mem(&bytes)
                    .map(|l| l.get_pages().len())
                    .unwrap_or(0);
            }
        }
    }
    let renders = (sizes.repeats * docs.len()) as f64;
    let docx_per_doc = ms(docx_total) / renders;
    let pdf_per_doc = ms(pdf_total) / renders;
    let pdf_pages_per_s = pages as f64 * sizes.repeats as f64 / pdf_total.as_secs_f64();
    let report_docx = median(
        (0..sizes.repeats)
            .map(|_| time(|| render::docx::render(report)).1)
            .collect(),
    );
    let report_pdf = median(
        (0..sizes.repeats)
            .map(|_| {
                render::pdf::clear_caches();
                time(|| render::pdf::render(report)).1
            })
            .collect(),
    );

    // The whole period of the commune, as `vanthu run` does it, into an empty folder;
    // then once more into the same folder (a re-run with nothing to do).
    let mut runs = Vec::new();
    let mut reruns = Vec::new();
    for i in 0..sizes.repeats {
        let out = work.path().join(format!("out-{i}"));
        let one = || -> Result<()> {
            let d = vanthu::run::run_period(
                &commune,
                &opts,
                &deliver::DeliveryOptions::default(),
                &out,
            )
            .map_err(|e| anyhow!(e.message(Lang::En)))?
            .delivery;
            match d.failed.first() {
                Some((doc, m)) => Err(anyhow!("{doc}: {m}")),
                None => Ok(()),
            }
        };
        let (r, t) = time(one);
        r?;
        runs.push(t);
        let (r, t) = time(one);
        r?;
        reruns.push(t);
    }

    // Many communes through the batch runner (all cores), each into its own folder.
    eprintln!("bench: {} communes in batch…", sizes.batch_communes);
    let jobs: Vec<batch::Job> = distinct_communes(&commune_dir, work.path(), sizes.batch_communes)?
        .into_iter()
        .map(|project| batch::Job {
            project,
            period: Some(nov),
            out: None,
            date: None,
        })
        .collect();
    let cpu_before = cpu_time();
    let (reports, batch_time) = time(|| batch::run_jobs(&jobs, Some(date), &|_| {}));
    let cpu_after = cpu_time();
    let per_commune = |d: Duration| ms(d) / sizes.batch_communes as f64;
    let batch_user = per_commune(cpu_after.0.saturating_sub(cpu_before.0));
    let batch_sys = per_commune(cpu_after.1.saturating_sub(cpu_before.1));
    if let Some(bad) = reports.iter().find(|r| !r.is_clean()) {
        return Err(anyhow!("{}", batch::job_line(bad, Lang::En)));
    }
    let communes_per_s = sizes.batch_communes as f64 / batch_time.as_secs_f64();

    let startup = startup_ms(&commune_dir, sizes.repeats)?;

    // A long appendix: the time per row must not grow with the rows. Each size is
    // rendered once first (its font subsets), then timed warm.
    let row_times: Vec<(usize, f64)> = [500usize, 2000]
        .iter()
        .map(|&n| {
            let doc = synthetic::long_table_document(report, n);
            let _ = render::pdf::render(&doc);
            let t = median(
                (0..sizes.repeats)
                    .map(|_| time(|| render::pdf::render(&doc)).1)
                    .collect(),
            );
            (n, ms(t))
        })
        .collect();
    // The same tables as the source a template renders: reading them must be linear too.
    let source_times: Vec<f64> = [500usize, 2000]
        .iter()
        .map(|&n| {
            let xml = synthetic::long_table_xhtml(n);
            let t = median(
                (0..sizes.repeats)
                    .map(|_| time(|| vanthu::compose::xhtml::read_table(&xml)).1)
                    .collect(),
            );
            ms(t)
        })
        .collect();

    println!(
        "units_intake={} sheets={} communes={} docs_per_commune={} pages_per_commune={}",
        sizes.intake_units,
        sheets,
        sizes.batch_communes,
        docs.len(),
        pages
    );
    println!(
        "intake_sheets_per_s={:.0} aggregate_ms={:.2} docx_ms_per_doc={:.2} pdf_ms_per_doc={:.2} report_docx_ms={:.2} report_pdf_ms={:.2} pdf_pages_per_s={:.0} run_commune_ms={:.1} rerun_commune_ms={:.1} batch_communes_per_s={:.1} batch_user_ms_per_commune={:.1} batch_sys_ms_per_commune={:.1} appendix_rows_500_ms={:.1} appendix_rows_2000_ms={:.1} appendix_source_500_ms={:.2} appendix_source_2000_ms={:.2} startup_ms={:.1} peak_rss_mb={:.0}",
        intake_per_s,
        ms(aggregate),
        docx_per_doc,
        pdf_per_doc,
        ms(report_docx),
        ms(report_pdf),
        pdf_pages_per_s,
        ms(median(runs)),
        ms(median(reruns)),
        communes_per_s,
        batch_user,
        batch_sys,
        row_times[0].1,
        row_times[1].1,
        source_times[0],
        source_times[1],
        startup,
        peak_rss_mb()
    );
    Ok(())
}

/// Communes per round of `--loop batch`.
const LOOP_BATCH_COMMUNES: usize = 20;

/// The shape of every synthetic commune measured: the bundled sample's project file
/// (its agency, indicators and groups).
const SAMPLE_TOML: &str = include_str!("../../samples/phu-thai/vanthu.toml");

/// `n` copies of the commune project under `work`, each made another commune.
fn distinct_communes(commune: &Path, work: &Path, n: usize) -> Result<Vec<std::path::PathBuf>> {
    (0..n)
        .map(|i| {
            let dir = work.join(format!("xa-{i:03}"));
            copy_dir(commune, &dir)?;
            as_another_commune(&dir.join("vanthu.toml"), i)?;
            Ok(dir)
        })
        .collect()
}

/// Gives commune `i` its own place and signer, as the communes of a province differ:
/// their documents then draw other letters, so each needs its own font subsets, as in a
/// real batch (identical copies would be served from the subset cache after the first).
fn as_another_commune(toml: &Path, i: usize) -> Result<()> {
    const PLACES: [&str; 12] = [
        "Kiến Thụy",
        "Đồng Hỷ",
        "Quỳnh Phụ",
        "Yên Dũng",
        "Ứng Hòa",
        "Lương Sơn",
        "Cẩm Giàng",
        "Tứ Kỳ",
        "Nghĩa Hưng",
        "Ý Yên",
        "Hữu Lũng",
        "Bắc Quỳnh",
    ];
    const SIGNERS: [&str; 7] = [
        "Nguyễn Thị Huệ",
        "Trần Đức Lưỡng",
        "Lê Văn Ẩn",
        "Hoàng Thị Ỷ",
        "Vũ Quốc Hưởng",
        "Đặng Ngọc Ánh",
        "Bùi Xuân Lộc",
    ];
    let text = std::fs::read_to_string(toml)?
        .replace(
            "Phú Thái",
            &format!("{} {}", PLACES[i % PLACES.len()], i / PLACES.len() + 1),
        )
        .replace("Phạm Tiến Nhuận", SIGNERS[i % SIGNERS.len()]);
    std::fs::write(toml, text)?;
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            if e.file_name() != "out" {
                copy_dir(&e.path(), &target)?;
            }
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}
