//! A fuzz harness that runs on stable Rust: real unit sheets, damaged the ways files
//! are damaged in mail and on USB sticks (bit flips, truncation, cut and inserted runs,
//! corrupted zip parts, corrupted OLE sectors), and canonical sheets holding extreme
//! values (10^28, 10^308, long and control-character text, dates, booleans), each put
//! through the whole pipeline in process: intake → aggregate → compose → DOCX and PDF.
//! Nothing may panic: each input runs inside [`crate::isolate::isolate`], and a panic
//! is recorded with the input that caused it.
//!
//! `cargo run --release --bin fuzz -- --minutes 10` is the long run; `tests/fuzz.rs`
//! runs a short one on every `cargo test`.

use std::collections::HashSet;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Workbook};

use crate::doc::Date;
use crate::intake::InputFile;
use crate::period::Period;
use crate::project::Project;
use crate::synthetic::Rng;

/// One input that made the pipeline panic.
#[derive(Debug, Clone)]
pub struct Crash {
    /// What the input is: its seed and the mutation (`lo-canonical.xls:truncate`).
    pub what: String,
    pub bytes: Vec<u8>,
    pub message: String,
}

/// What a fuzz run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub mutated: u64,
    pub extreme: u64,
    /// Inputs whose intake gave a result not seen before, rendered to DOCX and PDF.
    pub rendered: u64,
    pub crashes: Vec<Crash>,
    /// Inputs on which a reader panicked and intake caught it (`E-DAMAGED`), one per
    /// place in the reader's code: the upstream bugs to report, and regression files.
    pub caught: Vec<Crash>,
}

/// The seeds: real sheets of every format, by file name.
pub fn seeds(repo: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    let dirs = [
        repo.join("samples/phu-thai/inputs/2025-10"),
        repo.join("tests/fixtures"),
    ];
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if !["xlsx", "xls", "ods"].contains(&ext) || p.to_string_lossy().contains("password") {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&p) {
                let name = p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                out.push(InputFile {
                    name,
                    bytes,
                    modified: None,
                });
            }
        }
    }
    out
}

/// The mutations, by name.
pub const MUTATIONS: [&str; 7] = [
    "bit-flip",
    "truncate",
    "cut-run",
    "insert-run",
    "overwrite-run",
    "zip-part",
    "ole-sector",
];

fn pick(rng: &mut Rng, n: usize) -> usize {
    rng.range(0, n.saturating_sub(1) as u64) as usize
}

/// `bytes` damaged by mutation `kind`.
pub fn mutate(bytes: &[u8], kind: &str, rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if b.is_empty() {
        return b;
    }
    let len = b.len();
    let run = |rng: &mut Rng| rng.range(1, 512) as usize;
    match kind {
        "bit-flip" => {
            for _ in 0..rng.range(1, 8) {
                let i = pick(rng, len);
                b[i] ^= 1 << rng.range(0, 7);
            }
        }
        "truncate" => b.truncate(pick(rng, len)),
        "cut-run" => {
            let at = pick(rng, len);
            let end = (at + run(rng)).min(len);
            b.drain(at..end);
        }
        "insert-run" => {
            let at = pick(rng, len);
            let fresh: Vec<u8> = (0..run(rng)).map(|_| rng.next_u64() as u8).collect();
            b.splice(at..at, fresh);
        }
        "overwrite-run" => {
            let at = pick(rng, len);
            let end = (at + run(rng)).min(len);
            let fill = [0x00, 0xFF, rng.next_u64() as u8][pick(rng, 3)];
            b[at..end].fill(fill);
        }
        "zip-part" => {
            // A local file header's sizes, method or data.
            let headers: Vec<usize> = b
                .windows(4)
                .enumerate()
                .filter(|(_, w)| *w == b"PK\x03\x04")
                .map(|(i, _)| i)
                .collect();
            if headers.is_empty() {
                return mutate(bytes, "bit-flip", rng);
            }
            let h = headers[pick(rng, headers.len())];
            let field = [8usize, 14, 18, 22, 26, 30 + rng.range(0, 200) as usize][pick(rng, 6)];
            for i in 0..4 {
                if let Some(x) = b.get_mut(h + field + i) {
                    *x = rng.next_u64() as u8;
                }
            }
        }
        "ole-sector" => {
            if !b.starts_with(b"\xD0\xCF\x11\xE0") || len < 1024 {
                return mutate(bytes, "bit-flip", rng);
            }
            if rng.range(0, 1) == 0 {
                // A header field: FAT count, directory start, mini stream, DIFAT.
                let field = [
                    44usize,
                    48,
                    56,
                    60,
                    64,
                    68,
                    72,
                    76 + 4 * rng.range(0, 4) as usize,
                ][pick(rng, 8)];
                let v = [0u32, 1, 0xFFFF_FFFE, 0xFFFF_FFFA, rng.next_u64() as u32][pick(rng, 5)];
                b[field..field + 4].copy_from_slice(&v.to_le_bytes());
            } else {
                // A whole sector, or a FAT entry in it, overwritten.
                let sectors = (len - 512) / 512;
                let at = 512 + 512 * pick(rng, sectors);
                if rng.range(0, 1) == 0 {
                    let fill = [0x00, 0xFF][pick(rng, 2)];
                    b[at..at + 512].fill(fill);
                } else {
                    let entry = at + 4 * pick(rng, 128);
                    let v = [0xFFFF_FFFEu32, 0xFFFF_FFFF, rng.next_u64() as u32][pick(rng, 3)];
                    b[entry..entry + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
        _ => {}
    }
    b
}

/// What a canonical sheet's value cells hold in the extreme-value sheets.
#[derive(Debug, Clone)]
enum Extreme {
    Number(f64),
    Text(String),
    Bool(bool),
    Date,
}

fn extreme(rng: &mut Rng) -> Extreme {
    let numbers = [
        1e28,
        5e28,
        7.9e28,
        1e29,
        1e308,
        -1e308,
        f64::MAX,
        f64::MIN_POSITIVE,
        1e-30,
        -5e28,
        123_456_789_012_345.67,
        0.1 + 0.2,
    ];
    match rng.range(0, 5) {
        0 | 1 => Extreme::Number(numbers[pick(rng, numbers.len())]),
        2 => Extreme::Text(
            [
                "1E+308".to_string(),
                "5E+28".to_string(),
                "99999999999999999999999999999999".to_string(),
                "1.000.000.000.000.000.000.000.000.000".to_string(),
                "x".repeat(rng.range(1000, 40_000) as usize),
                "\u{0}\u{1}\u{7}\u{1b}[31m\u{feff}\u{202e}".to_string(),
                "12\t\n\r34".to_string(),
                "-".repeat(3),
            ][pick(rng, 8)]
            .clone(),
        ),
        3 => Extreme::Bool(rng.range(0, 1) == 1),
        _ => Extreme::Date,
    }
}

/// A canonical sheet for `unit` (index into the roster) whose value and target cells
/// hold extreme values.
pub fn extreme_sheet(project: &Project, unit: usize, period: Period, rng: &mut Rng) -> Vec<u8> {
    let unit = &project.units[unit % project.units.len().max(1)];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let _ = ws.set_name("Báo cáo");
    let _ = ws.write_string(2, 0, format!("Kỳ báo cáo: {}", period.sheet_label()));
    let _ = ws.write_string(3, 0, format!("Đơn vị báo cáo: {}", unit.name));
    for (c, h) in crate::form::HEADERS.iter().enumerate() {
        let _ = ws.write_string(5, c as u16, *h);
    }
    let date = ExcelDateTime::from_ymd(2025, 10, 5).ok();
    for (i, ind) in project.reported_indicators().enumerate() {
        let row = 6 + i as u32;
        let _ = ws.write_number(row, 0, (i + 1) as f64);
        let _ = ws.write_string(row, 1, &ind.label);
        let _ = ws.write_string(row, 2, &ind.unit);
        for col in [3u16, 4] {
            let _ = match extreme(rng) {
                Extreme::Number(x) => ws.write_number(row, col, x).map(|_| ()),
                Extreme::Text(t) => ws.write_string(row, col, t).map(|_| ()),
                Extreme::Bool(v) => ws.write_boolean(row, col, v).map(|_| ()),
                Extreme::Date => match &date {
                    Some(d) => ws.write_datetime(row, col, d).map(|_| ()),
                    None => Ok(()),
                },
            };
        }
    }
    wb.save_to_buffer().unwrap_or_default()
}

/// What one input did in the pipeline: intake's diagnostics, and whether its reading
/// was new (and so went on to be rendered).
struct Ran {
    diagnostics: Vec<crate::intake::Diagnostic>,
    rendered: bool,
}

/// Runs one period's files through the whole pipeline. Documents are rendered only
/// when intake gave reports not seen before (most damaged files give none, or the
/// seed's own), so a long run spends its time on new inputs.
fn pipeline(
    project: &Project,
    period: Period,
    files: &[InputFile],
    seen: &mut HashSet<String>,
) -> Ran {
    let intake = crate::intake::read_files(project, period, files);
    let key = serde_json::to_string(&intake.reports).unwrap_or_default();
    let ran = Ran {
        rendered: seen.insert(key),
        diagnostics: intake.diagnostics,
    };
    if !ran.rendered {
        return ran;
    }
    let Ok(dataset) = crate::aggregate::aggregate(project, period, &intake.reports, &[]) else {
        return ran;
    };
    let date = Date::parse("2025-11-05").unwrap_or_else(Date::today);
    let _ = crate::pipeline::appendix_workbook(project, &dataset, date);
    if let Ok((documents, _)) = crate::pipeline::compose_each(
        project,
        &dataset,
        crate::pipeline::Dating {
            date,
            day_at_issue: false,
        },
        Some(1),
    ) {
        for d in &documents {
            let _ = crate::render::docx::render(&d.document);
            let _ = crate::render::pdf::render(&d.document);
        }
    }
    ran
}

/// How much a fuzz run does.
#[derive(Debug, Clone, Default)]
pub struct Budget {
    /// The generator's seed: the same seed runs the same inputs.
    pub seed: u64,
    /// Damaged files to run.
    pub mutated: u64,
    /// Extreme-value sheets to run.
    pub extreme: u64,
    /// When to stop, whatever is left.
    pub deadline: Option<std::time::Instant>,
    /// A folder where each input is written before it runs (`in-flight`), so one that
    /// kills the process (memory, a hang) is not lost.
    pub in_flight: Option<std::path::PathBuf>,
}

/// Fuzzes until the budget's damaged files and extreme-value sheets have been run, or
/// its deadline passes. Deterministic for a seed.
pub fn run(
    project: &Project,
    seeds: &[InputFile],
    budget: &Budget,
    mut progress: impl FnMut(&Summary),
) -> Summary {
    let (mutated, extreme, deadline) = (budget.mutated, budget.extreme, budget.deadline);
    let in_flight = budget.in_flight.as_deref();
    let period: Period = "2025-10".parse().expect("a period");
    let mut rng = Rng(budget.seed);
    let mut summary = Summary::default();
    let mut seen = HashSet::new();
    let timed_out = || deadline.is_some_and(|d| std::time::Instant::now() >= d);
    while (summary.mutated < mutated || summary.extreme < extreme) && !timed_out() {
        let (what, file) =
            if summary.mutated < mutated && (summary.extreme >= extreme || rng.range(0, 99) < 95) {
                let s = &seeds[pick(&mut rng, seeds.len())];
                let kind = MUTATIONS[pick(&mut rng, MUTATIONS.len())];
                summary.mutated += 1;
                let bytes = mutate(&s.bytes, kind, &mut rng);
                (
                    format!("{}:{kind}", s.name),
                    InputFile {
                        name: s.name.clone(),
                        bytes,
                        modified: None,
                    },
                )
            } else {
                let unit = pick(&mut rng, project.units.len());
                summary.extreme += 1;
                let bytes = extreme_sheet(project, unit, period, &mut rng);
                (
                    "extreme-values.xlsx".to_string(),
                    InputFile {
                        name: crate::form::file_name(&project.units[unit], period),
                        bytes,
                        modified: None,
                    },
                )
            };
        if let Some(dir) = in_flight {
            // What runs now, so an input that kills the process (memory, a hang) is
            // not lost.
            let _ = std::fs::write(dir.join("in-flight"), &file.bytes);
            let _ = std::fs::write(dir.join("in-flight.what"), &what);
        }
        let files = std::slice::from_ref(&file);
        match crate::isolate::isolate(|| pipeline(project, period, files, &mut seen)) {
            Ok(ran) => {
                summary.rendered += u64::from(ran.rendered);
                let reader_failed = ran.diagnostics.into_iter().find(|d| {
                    matches!(d.problem, crate::intake::IntakeProblem::ReaderFailed { .. })
                });
                if let Some(d) = reader_failed {
                    let message = d.message().vi;
                    // One example per place in the reader's code (the message ends
                    // with it).
                    let place = message.rsplit('(').next().unwrap_or_default().to_string();
                    if !summary.caught.iter().any(|c| c.message.ends_with(&place)) {
                        summary.caught.push(Crash {
                            what,
                            bytes: file.bytes.clone(),
                            message,
                        });
                    }
                }
            }
            Err(panic) => summary.crashes.push(Crash {
                what,
                bytes: file.bytes.clone(),
                message: panic.message,
            }),
        }
        if (summary.mutated + summary.extreme).is_multiple_of(1000) {
            progress(&summary);
        }
    }
    summary
}

/// One file through the pipeline, as the fuzz run does it: the diagnostics intake gave,
/// or the panic that escaped.
pub fn replay(project: &Project, file: InputFile) -> Result<Vec<String>, crate::isolate::Panicked> {
    let period: Period = "2025-10".parse().expect("a period");
    let files = std::slice::from_ref(&file);
    crate::isolate::isolate(|| {
        pipeline(project, period, files, &mut HashSet::new())
            .diagnostics
            .iter()
            .map(|d| format!("{} {:?} {}", d.code(), d.cell, d.message().vi))
            .collect()
    })
}
