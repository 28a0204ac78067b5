//! Intake: every file the clerk drops into `inputs/<period>/` → one [`UnitReport`] per
//! recognised unit, plus a [`Diagnostic`] for everything that cannot be used.
//!
//! Reads bytes, never paths, so the CLI, the batch and a web upload share it. All formats
//! go through calamine; their differences (errors as text in ODS, missing cached formula
//! values…) are normalised here so the rest of the engine never sees them. It never
//! panics on input and one bad file never stops the others.

mod cache;
mod cell;
mod consolidated;
mod container;
mod header;
mod hidden;
mod legacy;
mod matching;
mod normalise;
pub mod number;
mod ods_merges;
mod problem;
mod table;
mod workbook;

pub use problem::{Diagnostic, IntakeProblem, ShownDiagnostic};

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::period::Period;
pub use crate::project::Limits;
use crate::project::{Project, ProjectError};

pub use matching::{label_key, LabelMatch, Matcher};

/// How an `E-DAMAGED` diagnostic begins its reason when the reader itself failed on
/// the file (a panic caught at the file's boundary), rather than refused it.
pub const READER_FAILURE: &str = "trình đọc dừng giữa chừng / the reader failed";

/// File extensions intake reads (compared case-insensitively).
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// One input file, as bytes and the name to show the clerk.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// When the file was last modified, if known: of two files from one unit, the
    /// newer counts.
    pub modified: Option<std::time::SystemTime>,
}

/// A reported value, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedValue {
    /// `None` when the unit wrote `-` or left the cell empty: no data, not zero.
    pub value: Option<Decimal>,
    /// The unit's own `Kế hoạch`, if its sheet has one.
    pub target: Option<Decimal>,
    /// The sheet's Kế hoạch cell could not be taken (negative, words, an error value…;
    /// its diagnostic names the cell): the unit has no target for this indicator, and
    /// vanthu.toml's is not put in its place.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub target_refused: bool,
    /// A1 reference of the value cell.
    pub cell: String,
}

/// What one unit reported for one period.
#[derive(Debug, Clone, Serialize)]
pub struct UnitReport {
    pub file: String,
    pub sheet: String,
    pub unit_code: String,
    pub unit_name: String,
    pub period: Option<Period>,
    /// Where the sheet states its period (the "Kỳ báo cáo" line), if it does.
    #[serde(skip)]
    pub period_cell: Option<String>,
    /// By indicator code.
    pub values: BTreeMap<String, ReportedValue>,
}

/// Everything read for a period.
#[derive(Debug, Clone)]
pub struct Intake {
    pub period: Period,
    pub reports: Vec<UnitReport>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read, with the SHA-256 of its bytes (for the output manifest).
    pub inputs: Vec<InputDigest>,
}

/// One input file as it was read: its name in `inputs/<period>/` and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InputDigest {
    pub file: String,
    pub sha256: String,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    lower_hex(&Sha256::digest(bytes))
}

/// A SHA-256 that text or bytes are written to, piece by piece through a small buffer,
/// as [`sha256_hex`] of all of it gives: a document model's JSON goes to the hash
/// without the text being held.
pub struct Sha256Writer {
    sha: sha2::Sha256,
    buffer: Vec<u8>,
}

impl Default for Sha256Writer {
    fn default() -> Self {
        use sha2::Digest;
        Sha256Writer {
            sha: sha2::Sha256::new(),
            buffer: Vec::with_capacity(8192),
        }
    }
}

impl Sha256Writer {
    fn take(&mut self, bytes: &[u8]) {
        use sha2::Digest;
        if self.buffer.len() + bytes.len() > self.buffer.capacity() {
            self.sha.update(&self.buffer);
            self.buffer.clear();
        }
        if bytes.len() > self.buffer.capacity() {
            self.sha.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// The hash of all that was written, in lowercase hex.
    pub fn hex(mut self) -> String {
        use sha2::Digest;
        self.sha.update(&self.buffer);
        lower_hex(&self.sha.finalize())
    }
}

impl std::io::Write for Sha256Writer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.take(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::fmt::Write for Sha256Writer {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.take(s.as_bytes());
        Ok(())
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

impl Intake {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Gathers the diagnostics of one file.
pub(crate) struct Reporter<'a> {
    pub file: &'a str,
    pub out: Vec<Diagnostic>,
}

impl Reporter<'_> {
    pub fn push(&mut self, sheet: Option<&str>, cell: Option<String>, problem: IntakeProblem) {
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            sheet: sheet.map(str::to_string),
            cell,
            problem,
        });
    }
}

/// The spreadsheets of `inputs/<period>/` (sorted by name, so runs repeat), and the
/// problems of those that could not be read at all.
fn gather(
    project: &Project,
    period: Period,
) -> Result<(Vec<InputFile>, Vec<Diagnostic>), ProjectError> {
    let limits = project.limits;
    let dir = project.existing_inputs_dir(&period)?;
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let world = project.world();
    let entries = world.list(&dir).map_err(|source| ProjectError::Read {
        path: dir.clone(),
        source,
    })?;
    let mut paths: Vec<_> = entries
        .into_iter()
        .filter(|p| !is_lock_or_hidden(p))
        .filter_map(|p| Some((world.file_facts(&p)?, p)))
        .collect();
    paths.sort_by(|(_, a), (_, b)| a.cmp(b));
    for (facts, path) in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut r = Reporter {
            file: &name,
            out: Vec::new(),
        };
        if facts.len > limits.max_file_bytes {
            push_too_large(&mut r, facts.len, limits);
            diagnostics.extend(r.out);
            continue;
        }
        match world.read(&path) {
            Ok(bytes) => files.push(InputFile {
                name,
                bytes,
                modified: facts.modified,
            }),
            Err(e) => {
                r.push(
                    None,
                    None,
                    IntakeProblem::Unreadable {
                        reason: e.to_string(),
                    },
                );
                diagnostics.extend(r.out);
            }
        }
    }
    Ok((files, diagnostics))
}

fn digests(files: &[InputFile]) -> Vec<InputDigest> {
    files
        .iter()
        .map(|f| InputDigest {
            file: f.name.clone(),
            sha256: sha256_hex(&f.bytes),
        })
        .collect()
}

fn read_gathered(
    project: &Project,
    period: Period,
    files: &[InputFile],
    mut diagnostics: Vec<Diagnostic>,
) -> Intake {
    let mut intake = read_files(project, period, files);
    intake.inputs = digests(files);
    diagnostics.append(&mut intake.diagnostics);
    intake.diagnostics = diagnostics;
    intake
}

/// Reads every spreadsheet in `inputs/<period>/`.
pub fn read_period(project: &Project, period: Period) -> Result<Intake, ProjectError> {
    let (files, diagnostics) = gather(project, period)?;
    Ok(read_gathered(project, period, &files, diagnostics))
}

/// The reports of `period` and its inputs, for the comparisons of the period after it:
/// kept from the run that read the same files last time, else read (and kept).
pub fn read_reports(
    project: &Project,
    period: Period,
) -> Result<(Vec<UnitReport>, Vec<InputDigest>), ProjectError> {
    let (files, diagnostics) = gather(project, period)?;
    let inputs = digests(&files);
    let key = cache::key(project, period, &inputs);
    if let Some(reports) = key.as_deref().and_then(|k| cache::load(project, period, k)) {
        return Ok((reports, inputs));
    }
    let intake = read_gathered(project, period, &files, diagnostics);
    if let Some(key) = key {
        cache::store(project, &key, &intake);
    }
    Ok((intake.reports, intake.inputs))
}

/// Keeps what `intake` read, for the next period's run (see [`read_reports`]).
pub fn remember(project: &Project, intake: &Intake) {
    if let Some(key) = cache::key(project, intake.period, &intake.inputs) {
        cache::store(project, &key, intake);
    }
}

fn push_too_large(r: &mut Reporter<'_>, len: u64, limits: Limits) {
    r.push(
        None,
        None,
        IntakeProblem::FileTooLarge {
            mb: len.div_ceil(1_048_576),
            max_mb: limits.max_file_bytes / 1_048_576,
        },
    );
}

fn is_lock_or_hidden(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') || n.starts_with("~$") || n.starts_with(".~lock"))
}

/// Reads a set of files for `period`; a unit sent twice is counted once.
pub fn read_files(project: &Project, period: Period, files: &[InputFile]) -> Intake {
    let matcher = Matcher::new(project, period);
    let limits = project.limits;
    // Each file is read on its own, in parallel; what they hold is then checked against
    // each other in the files' order, so the result does not depend on the threads.
    let read: Vec<(Vec<UnitReport>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let mut r = Reporter {
                file: &file.name,
                out: Vec::new(),
            };
            if file.bytes.len() as u64 > limits.max_file_bytes {
                push_too_large(&mut r, file.bytes.len() as u64, limits);
                return (Vec::new(), r.out);
            }
            // A reader that panics on this file (calamine on a damaged .xls) fails this
            // file alone: what it said so far is dropped and the file is E-DAMAGED.
            match crate::isolate::isolate(|| {
                workbook::read_workbook(&matcher, file, &mut r, limits)
            }) {
                Ok(found) => (found, r.out),
                Err(panic) => {
                    r.out.clear();
                    let said = panic.message;
                    r.push(None, None, IntakeProblem::ReaderFailed { said });
                    (Vec::new(), r.out)
                }
            }
        })
        .collect();
    let mut reports: Vec<UnitReport> = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, (found, out)) in files.iter().zip(read) {
        let mut r = Reporter {
            file: &file.name,
            out,
        };
        // Units of this file that also have a sheet of the folder's own period in it.
        let current: Vec<String> = found
            .iter()
            .filter(|x| x.period.is_none_or(|p| p == period))
            .map(|x| x.unit_code.clone())
            .collect();
        for report in found {
            if let Some(p) = report.period {
                if p != period && current.contains(&report.unit_code) {
                    // Last period's sheet kept beside this one in the same workbook: the
                    // right sheet is read; the other is only noted.
                    r.push(
                        Some(&report.sheet),
                        report.period_cell.clone(),
                        IntakeProblem::OtherPeriodSheet { sheet: p, period },
                    );
                    continue;
                }
                if p != period {
                    r.push(
                        Some(&report.sheet),
                        report.period_cell.clone(),
                        IntakeProblem::PeriodMismatch { sheet: p, period },
                    );
                    continue;
                }
            }
            if let Some(at) = reports.iter().position(|x| x.unit_code == report.unit_code) {
                let first = &reports[at];
                let earlier = modified_of(files, &first.file);
                match (earlier, file.modified) {
                    // Of two files from one unit, the newer counts; the older is noted.
                    (Some(a), Some(b)) if a != b && first.file != file.name => {
                        let (newer, older) = if b > a {
                            ((&file.name, b), (first.file.clone(), a))
                        } else {
                            ((&first.file, a), (file.name.clone(), b))
                        };
                        let (nt, ot) = (local_time(newer.1), local_time(older.1));
                        let (newer_name, older_name) = (newer.0.clone(), older.0.clone());
                        r.push(
                            Some(&report.sheet),
                            None,
                            IntakeProblem::OlderFile {
                                unit: report.unit_name.clone(),
                                newer: newer_name,
                                newer_time: nt,
                                older: older_name.clone(),
                                older_time: ot,
                            },
                        );
                        if let Some(d) = r.out.last_mut() {
                            d.file = older_name;
                        }
                        if b > a {
                            reports[at] = report;
                        }
                        continue;
                    }
                    _ => {}
                }
                r.push(
                    Some(&report.sheet),
                    None,
                    IntakeProblem::DuplicateUnitFile {
                        unit: report.unit_name.clone(),
                        first: first.file.clone(),
                    },
                );
                continue;
            }
            reports.push(report);
        }
        diagnostics.append(&mut r.out);
    }
    Intake {
        period,
        reports,
        diagnostics,
        inputs: Vec::new(),
    }
}

/// When the input named `name` was modified, if known.
fn modified_of(files: &[InputFile], name: &str) -> Option<std::time::SystemTime> {
    files
        .iter()
        .find(|f| f.name == name)
        .and_then(|f| f.modified)
}

/// A time as the clerk reads it: "14:03, 05/11/2025", in Việt Nam's time (UTC+7,
/// no daylight saving).
fn local_time(t: std::time::SystemTime) -> String {
    let secs = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    } + 7 * 3600;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::format::civil_date(days);
    format!(
        "{:02}:{:02}, {day:02}/{month:02}/{year}",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn local_time_is_vietnams() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_762_351_380);
        // 2025-11-05 14:03 UTC is 21:03 in Hà Nội.
        assert_eq!(local_time(t), "21:03, 05/11/2025");
        assert_eq!(local_time(std::time::UNIX_EPOCH), "07:00, 01/01/1970");
    }
}

#[cfg(test)]
mod digest_tests {
    use super::*;

    /// Hashing what is formatted, piece by piece, gives the hash of the formatted text:
    /// pieces smaller than the buffer, larger than it, and across its edge.
    #[test]
    fn the_hash_of_formatted_text_is_the_hash_of_the_text() {
        let long = "ễ".repeat(5000);
        let pieces: Vec<String> = (0..3000).map(|i| format!("{i}ô")).collect();
        let cases = [
            format!("vanthu\0{:?}", pieces),
            format!("{long}\0{long}{:?}", pieces.first()),
            String::new(),
        ];
        let of = |args: std::fmt::Arguments<'_>| {
            let mut h = Sha256Writer::default();
            std::fmt::Write::write_fmt(&mut h, args).unwrap();
            h.hex()
        };
        assert_eq!(
            of(format_args!("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            of(format_args!("vanthu\0{:?}", pieces)),
            sha256_hex(cases[0].as_bytes())
        );
        assert_eq!(
            of(format_args!("{long}\0{long}{:?}", pieces.first())),
            sha256_hex(cases[1].as_bytes())
        );
        assert_eq!(of(format_args!("{}", cases[2])), sha256_hex(b""));
        // Bytes as io::Write, in pieces of every size.
        let mut h = Sha256Writer::default();
        for piece in cases[1].as_bytes().chunks(1000) {
            std::io::Write::write_all(&mut h, piece).unwrap();
        }
        assert_eq!(h.hex(), sha256_hex(cases[1].as_bytes()));
    }
}
