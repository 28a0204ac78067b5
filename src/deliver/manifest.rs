//! `manifest.json` and the rules that make a run safe to repeat.
//!
//! For each output file the manifest keeps its SHA-256 and a `source` key: the hash of
//! the vanthu version and of the document model it was rendered from (for the workbook
//! and data.json, of the dataset). The model holds every input that reaches the page —
//! the units' figures, the template's text, the frame from vanthu.toml, the date and
//! number — so an equal key means equal bytes, and rendering can be skipped.
//!
//! Before a file is written, the file already there is compared with the manifest:
//! - absent → written;
//! - as recorded, same key → left alone (not even its mtime changes);
//! - as recorded, other key → rewritten;
//! - different from the record, or not recorded at all → someone edited it (or put it
//!   there): it is kept, and the new file is written beside it as `<stem>_ban-moi.<ext>`
//!   (`_ban-moi-2` …), and the clerk is told.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{commit, write_atomic, Staged};
use crate::intake::{sha256_hex, InputDigest, Sha256Writer};
use crate::pipeline::{ComposedDocument, PeriodPlan, RunOptions};
use crate::project::Project;
use crate::render;

/// The manifest's file name in each output folder.
pub const MANIFEST: &str = "manifest.json";

/// One input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEntry {
    /// Path from the project folder: `inputs/2025-10/cong-an-xa_2025-10.xlsx`.
    pub file: String,
    pub sha256: String,
    pub period: String,
    /// The units read from it (none if it could not be read).
    pub units: Vec<String>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputEntry {
    /// File name in the output folder.
    pub file: String,
    pub sha256: String,
    /// The template it was made from (`bao-cao-ky`), or `appendix-workbook` / `data`.
    pub template: String,
    /// The unit of a per-unit document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Số of the document, if it was numbered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// Hash of the vanthu version and the model the file was rendered from.
    pub source: String,
    /// Ngày ban hành, `YYYY-MM-DD`, once `vanthu issue` has given the file its number
    /// and date. An issued file is never replaced: a run whose model differs writes the
    /// new version beside it, as for a hand-edited file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
}

/// `manifest.json`: what went into an output folder and what came out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub vanthu: String,
    pub period: String,
    /// Ngày ban hành, `YYYY-MM-DD`.
    pub date: String,
    pub inputs: Vec<InputEntry>,
    pub outputs: Vec<OutputEntry>,
}

/// The manifest of a folder as a run found it.
#[derive(Debug, Clone, Default)]
struct Loaded {
    manifest: Manifest,
    /// The bytes of a manifest that was there but could not be read: kept aside when
    /// the new one is written.
    damaged: Option<Vec<u8>>,
}

impl Manifest {
    /// Reads the manifest of `dir`; a missing or damaged one counts as empty, and the
    /// files already in the folder are then recognised by their bytes (see
    /// [`make_group`]).
    pub fn load(dir: &Path) -> Manifest {
        load(dir).manifest
    }

    fn entry(&self, file: &str) -> Option<&OutputEntry> {
        self.outputs.iter().find(|o| o.file == file)
    }
}

fn load(dir: &Path) -> Loaded {
    let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) else {
        return Loaded::default();
    };
    match serde_json::from_slice(&bytes) {
        Ok(manifest) => Loaded {
            manifest,
            damaged: None,
        },
        Err(_) => Loaded {
            manifest: Manifest::default(),
            damaged: Some(bytes),
        },
    }
}

/// The folder, inside a period's output folder, where documents a run no longer makes
/// are moved (`cũ`: old), so the folder holds only what is current.
pub const STALE_DIR: &str = "cu";

/// Told after each output file is done: (files done, files in all).
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// What the caller asks of a delivery.
#[derive(Debug, Clone, Default)]
pub struct DeliveryOptions {
    /// Also write `data.json`, the dataset the templates read.
    pub emit_data: bool,
    /// Called as files are done (the web page's progress bar).
    pub progress: Option<Progress>,
}

/// A file edited by hand, kept; the new output went to `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub edited: PathBuf,
    pub new: PathBuf,
}

/// Why one file of a delivery could not be made or put in place (lý do không tạo được
/// tệp). Put into words at the edge, in the user's language where we have it.
#[derive(Debug, thiserror::Error)]
pub enum FileFailure {
    /// The document could not be composed: its template or its data (the message in
    /// both languages).
    #[error("{}", .0.en)]
    Compose(crate::diagnostic::Text),
    #[error(transparent)]
    Docx(#[from] render::docx::DocxError),
    #[error(transparent)]
    Pdf(#[from] render::pdf::PdfError),
    /// The appendix workbook.
    #[error(transparent)]
    Workbook(#[from] crate::pipeline::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// A renderer's panic, isolated to this file.
    #[error("{}", .0.internal())]
    Internal(#[from] crate::isolate::Panicked),
    /// Writing the file or making it durable.
    #[error(transparent)]
    Write(#[from] super::DeliverError),
    /// Moving a stale file aside.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl FileFailure {
    /// The message for the user, in their language where we have it.
    pub fn message(&self, lang: crate::diagnostic::Lang) -> String {
        match self {
            FileFailure::Compose(text) => text.get(lang).to_string(),
            other => other.to_string(),
        }
    }
}

/// Records in `dir`'s manifest that `files` were issued with `number` and `date`: their
/// new hashes, the number and the date. `None` when the folder has no manifest (a PDF
/// moved elsewhere), which is left so.
pub fn record_issue(
    dir: &Path,
    files: &[(PathBuf, Vec<u8>)],
    number: Option<u32>,
    date: Option<crate::doc::Date>,
) -> Result<Option<PathBuf>, super::DeliverError> {
    let Loaded {
        mut manifest,
        damaged,
    } = load(dir);
    if damaged.is_some() || manifest.outputs.is_empty() {
        return Ok(None);
    }
    for (path, bytes) in files {
        let name = name_of(path);
        if let Some(e) = manifest.outputs.iter_mut().find(|o| o.file == name) {
            e.sha256 = sha256_hex(bytes);
            e.number = number.or(e.number);
            e.issued = date
                .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
                .or(e.issued.take())
                .or_else(|| Some(manifest.date.clone()));
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    bytes.push(b'\n');
    let path = dir.join(MANIFEST);
    write_atomic(&path, &bytes)?;
    Ok(Some(path))
}

/// What a delivery did, file by file.
#[derive(Debug, Default)]
pub struct Delivery {
    pub written: Vec<PathBuf>,
    /// Already there as recorded, from the same model: not touched.
    pub unchanged: Vec<PathBuf>,
    pub kept: Vec<Kept>,
    /// Documents that could not be made, and why.
    pub failed: Vec<(String, FileFailure)>,
    pub manifest: PathBuf,
    /// The manifest was damaged: rebuilt from the files, the damaged one kept here.
    pub damaged_manifest: Option<PathBuf>,
    /// Documents of an earlier run that this run no longer makes (a unit that has now
    /// reported gets no reminder), moved into [`STALE_DIR`]: where each went.
    pub stale: Vec<PathBuf>,
    /// Such documents that were edited by hand: left where they are, but no longer
    /// current.
    pub stale_edited: Vec<PathBuf>,
}

/// The hash that stands for a file's content before it is rendered.
fn source_key(what: &str) -> String {
    sha256_hex(format!("vanthu {}\0{what}", env!("CARGO_PKG_VERSION")).as_bytes())
}

/// The hash that stands for a document's files before they are rendered: its model as
/// JSON (written straight into the hash; its `Debug`, used before, cost a batch 2.4 % of
/// its time escaping every Vietnamese letter), and the seal's size, which the JSON
/// leaves out.
fn document_key(document: &crate::doc::Document) -> String {
    use std::io::Write;
    let mut h = Sha256Writer::default();
    let _ = write!(h, "vanthu {}\0", env!("CARGO_PKG_VERSION"));
    let _ = serde_json::to_writer(&mut h, document);
    let _ = write!(h, "\0{:?}", document.frame.seal);
    h.hex()
}

/// Where a file goes, by the rules in the module documentation. `kept` is the hand-edited
/// file that `path` stands beside, if any.
#[derive(Debug)]
enum Decision {
    Skip {
        path: PathBuf,
        kept: Option<PathBuf>,
    },
    Write {
        path: PathBuf,
        kept: Option<PathBuf>,
    },
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What is at a file's place before a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    Absent,
    /// As the manifest records it; `same` when from the same model.
    Recorded {
        same: bool,
    },
    /// Not as recorded, or not recorded at all: the clerk's (edited, or put there).
    Foreign,
}

fn found(dir: &Path, file: &str, key: &str, old: &Manifest) -> Found {
    let path = dir.join(file);
    if !path.exists() {
        return Found::Absent;
    }
    let recorded = old.entry(file).and_then(|entry| {
        let bytes = std::fs::read(&path).ok()?;
        (sha256_hex(&bytes) == entry.sha256).then_some((entry.source == key, entry))
    });
    match recorded {
        Some((same, entry)) if entry.issued.is_none() || same => Found::Recorded { same },
        _ => Found::Foreign,
    }
}

/// `name` with `_ban-moi` (n = 1) or `_ban-moi-n` before its extension.
fn beside(name: &str, n: u32) -> String {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.to_string(), String::new()),
    };
    let suffix = if n == 1 {
        "_ban-moi".to_string()
    } else {
        format!("_ban-moi-{n}")
    };
    format!("{stem}{suffix}{ext}")
}

/// Where each file of one document goes (its DOCX and PDF, which stay a pair), by the
/// rules in the module documentation, from what was `found` at each file's place: when
/// any of them is the clerk's ([`Found::Foreign`]), every file of the document goes
/// beside its original, under the first suffix free (or still ours) for all of them.
fn decide_group(
    dir: &Path,
    names: &[&str],
    key: &str,
    old: &Manifest,
    found_there: &[Found],
) -> Vec<Decision> {
    if !found_there.contains(&Found::Foreign) {
        return names
            .iter()
            .zip(found_there)
            .map(|(name, f)| {
                let path = dir.join(name);
                match f {
                    Found::Recorded { same: true } => Decision::Skip { path, kept: None },
                    _ => Decision::Write { path, kept: None },
                }
            })
            .collect();
    }
    for n in 1u32.. {
        let places: Vec<(String, Found)> = names
            .iter()
            .map(|name| {
                let file = beside(name, n);
                let f = found(dir, &file, key, old);
                (file, f)
            })
            .collect();
        if places.iter().any(|(_, f)| *f == Found::Foreign) {
            continue;
        }
        return names
            .iter()
            .zip(places)
            .map(|(name, (file, f))| {
                let original = dir.join(name);
                let kept = original.exists().then_some(original);
                let path = dir.join(file);
                match f {
                    Found::Recorded { same: true } => Decision::Skip { path, kept },
                    _ => Decision::Write { path, kept },
                }
            })
            .collect();
    }
    unreachable!("u32 runs out of names only after four billion edited copies")
}

/// One file's decision as [`decide_group`] makes it for a document of one file.
#[cfg(test)]
fn decide(dir: &Path, name: &str, key: &str, old: &Manifest) -> Decision {
    let found_there = found(dir, name, key, old);
    decide_group(dir, &[name], key, old, &[found_there])
        .pop()
        .expect("one decision")
}

/// What became of one file.
enum Outcome {
    Written(PathBuf, OutputEntry, Option<PathBuf>),
    Unchanged(PathBuf, OutputEntry, Option<PathBuf>),
    Failed(String, FileFailure),
}

/// What [`make`] did: a file rendered and staged beside its place (in place once the
/// period is committed), or its outcome already.
enum Made {
    Staged(Staged, OutputEntry, Option<PathBuf>),
    Done(Outcome),
}

/// One output to make: its file name, what it is, and how to render it.
struct Job<'a> {
    name: String,
    template: String,
    unit: Option<String>,
    number: Option<u32>,
    key: String,
    render: Box<dyn Fn() -> Result<Vec<u8>, FileFailure> + Send + Sync + 'a>,
}

/// Renders and stages the files of one document (or one other output). A file at its
/// place that is not as recorded, but holds exactly the bytes this run would write, is
/// ours after all (a missing or damaged manifest is rebuilt this way) and is left alone.
fn make_group(dir: &Path, old: &Manifest, jobs: &[Job<'_>]) -> Vec<Made> {
    let mut rendered: Vec<Option<Result<Vec<u8>, FileFailure>>> =
        jobs.iter().map(|_| None).collect();
    let mut adopted: Vec<Option<String>> = jobs.iter().map(|_| None).collect();
    let mut found_there = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        let mut f = found(dir, &job.name, &job.key, old);
        if f == Found::Foreign {
            let bytes = (job.render)();
            if let (Ok(new), Ok(there)) = (&bytes, std::fs::read(dir.join(&job.name))) {
                if *new == there {
                    // Exactly what this run makes: ours, as if recorded.
                    f = Found::Recorded { same: true };
                    adopted[i] = Some(sha256_hex(new));
                }
            }
            rendered[i] = Some(bytes);
        }
        found_there.push(f);
    }
    // The files of a group share the document's key.
    let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    let key = jobs.first().map(|j| j.key.as_str()).unwrap_or_default();
    let decisions = decide_group(dir, &names, key, old, &found_there);
    jobs.iter()
        .zip(decisions)
        .zip(rendered.into_iter().zip(adopted))
        .map(|((job, decision), (bytes, adopted))| {
            let entry = |path: &Path, sha256: String| OutputEntry {
                file: name_of(path),
                sha256,
                template: job.template.clone(),
                unit: job.unit.clone(),
                number: job.number,
                source: job.key.clone(),
                issued: None,
            };
            match decision {
                Decision::Skip { path, kept } => {
                    // Skipped only when the file is as recorded, or as this run makes it.
                    let sha = adopted
                        .or_else(|| old.entry(&name_of(&path)).map(|e| e.sha256.clone()))
                        .unwrap_or_default();
                    let mut e = entry(&path, sha);
                    // An issued file keeps what its issue recorded.
                    if let Some(o) = old.entry(&name_of(&path)).filter(|o| o.issued.is_some()) {
                        e.issued = o.issued.clone();
                        e.number = o.number;
                    }
                    Made::Done(Outcome::Unchanged(path, e, kept))
                }
                Decision::Write { path, kept } => match bytes.unwrap_or_else(|| (job.render)()) {
                    Err(message) => Made::Done(Outcome::Failed(job.name.clone(), message)),
                    Ok(bytes) => match Staged::write(&path, &bytes) {
                        Ok(staged) => {
                            let e = entry(&path, sha256_hex(&bytes));
                            Made::Staged(staged, e, kept)
                        }
                        Err(err) => Made::Done(Outcome::Failed(job.name.clone(), err.into())),
                    },
                },
            }
        })
        .collect()
}

/// The files of one document: its DOCX, its PDF and the PDF's signing sidecar; with
/// `separate` appendices, also the appendices' own PDF and sidecar (the DOCX, the
/// editable copy, keeps them).
fn document_jobs<'a>(c: &'a ComposedDocument, separate: bool) -> Vec<Job<'a>> {
    let key = document_key(&c.document);
    let job =
        |suffix: &str, render: Box<dyn Fn() -> Result<Vec<u8>, FileFailure> + Send + Sync + 'a>| {
            Job {
                name: format!("{}{suffix}", c.stem),
                template: c.template.clone(),
                unit: c.unit.clone(),
                number: c.document.frame.number,
                key: key.clone(),
                render,
            }
        };
    let mut jobs = vec![
        // A renderer that panics on one document fails that document alone.
        job(
            ".docx",
            Box::new(move || {
                Ok(crate::isolate::isolate(|| {
                    render::docx::render(&c.document)
                })??)
            }),
        ),
    ];
    let separate = separate && !c.document.appendices.is_empty();
    let parts = if separate {
        vec![
            ("", render::pdf::Part::Main),
            (APPENDIX_SUFFIX, render::pdf::Part::Appendices),
        ]
    } else {
        vec![("", render::pdf::Part::Whole)]
    };
    for (suffix, part) in parts {
        // The PDF's signing plan, shared with its sidecar (a group's jobs run in order):
        // from the PDF's rendering when this run made it, else the sidecar's own.
        let plan: std::sync::Arc<std::sync::OnceLock<render::pdf::SigningPlan>> =
            Default::default();
        let plan_of_pdf = plan.clone();
        let render_part = move || -> Result<(Vec<u8>, render::pdf::SigningPlan), FileFailure> {
            Ok(crate::isolate::isolate(|| {
                render::pdf::render_part(&c.document, part)
            })??)
        };
        jobs.push(job(
            &format!("{suffix}.pdf"),
            Box::new(move || {
                let (bytes, fields) = render_part()?;
                let _ = plan_of_pdf.set(fields);
                Ok(bytes)
            }),
        ));
        // Beside the PDF, where its signature fields lie, for the signing tool.
        let pdf_name = format!("{}{suffix}.pdf", c.stem);
        jobs.push(job(
            &format!("{suffix}.kyso.json"),
            Box::new(move || {
                let plan = match plan.get() {
                    Some(p) => p.clone(),
                    None => render_part()?.1,
                };
                let sidecar = Sidecar {
                    file: pdf_name.clone(),
                    plan,
                };
                let mut bytes = serde_json::to_vec_pretty(&sidecar)?;
                bytes.push(b'\n');
                Ok(bytes)
            }),
        ));
    }
    jobs
}

/// What the appendices' own files add to the document's name.
const APPENDIX_SUFFIX: &str = "_phu-luc";

/// `<document>.kyso.json`: the PDF it describes, then its signing plan.
#[derive(serde::Serialize)]
struct Sidecar {
    file: String,
    #[serde(flatten)]
    plan: render::pdf::SigningPlan,
}

/// A period's files rendered and written under temporary names in their folder, with
/// what its manifest will record: nothing is in place yet. [`StagedPeriod::finish`] makes
/// them durable, renames them into place and writes the manifest; dropped, it leaves
/// nothing behind. It owns all it needs, so a batch finishes it on another thread (where
/// waiting for the disk does not hold a processor) while the next period is rendered.
pub struct StagedPeriod {
    made: Vec<Made>,
    old: Manifest,
    damaged: Option<Vec<u8>>,
    dir: PathBuf,
    /// Documents that could not be composed, and why.
    failed: Vec<(String, FileFailure)>,
    manifest: PathBuf,
    period: String,
    date: String,
    inputs: Vec<InputEntry>,
}

/// Every file of a period rendered and staged (the run driver, run.rs, then finishes
/// it). Nothing here stops at one failure.
pub fn stage_period(
    project: &Project,
    plan: &PeriodPlan,
    run: &RunOptions,
    options: &DeliveryOptions,
    dir: &Path,
) -> StagedPeriod {
    let Loaded {
        manifest: old,
        damaged,
    } = load(dir);
    let dataset_json = serde_json::to_string(&plan.dataset).unwrap_or_default();
    let date = format!(
        "{:04}-{:02}-{:02}",
        run.date.year, run.date.month, run.date.day
    );
    // A document's DOCX and PDF are one group: both stay a pair.
    let separate = project.appendix_file() == crate::project::AppendixFile::Separate;
    let mut groups: Vec<Vec<Job<'_>>> = plan
        .documents
        .iter()
        .map(|c| document_jobs(c, separate))
        .collect();
    let dataset = &plan.dataset;
    groups.push(vec![Job {
        name: render::xlsx::file_name(dataset),
        template: "appendix-workbook".into(),
        unit: None,
        number: None,
        key: source_key(&format!("{dataset_json}\0{date}")),
        render: Box::new(move || {
            Ok(crate::pipeline::appendix_workbook(project, dataset, run.date)?.bytes)
        }),
    }]);
    if options.emit_data {
        groups.push(vec![Job {
            name: "data.json".into(),
            template: "data".into(),
            unit: None,
            number: None,
            key: source_key(&dataset_json),
            render: Box::new(move || {
                let mut bytes = serde_json::to_vec_pretty(dataset)?;
                bytes.push(b'\n');
                Ok(bytes)
            }),
        }]);
    }
    // Each document rendered and written on its own, in parallel; results keep their
    // order.
    let total = groups.iter().map(Vec::len).sum();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let made: Vec<Made> = groups
        .par_iter()
        .flat_map_iter(|g| {
            let o = make_group(dir, &old, g);
            let n = done.fetch_add(g.len(), std::sync::atomic::Ordering::SeqCst) + g.len();
            if let Some(p) = &options.progress {
                (p.0)(n, total);
            }
            o
        })
        .collect();
    StagedPeriod {
        made,
        old,
        damaged,
        dir: dir.to_path_buf(),
        failed: plan
            .failures
            .iter()
            .map(|f| {
                let why = crate::diagnostic::Text::new(
                    f.error.message(crate::diagnostic::Lang::Vi),
                    f.error.message(crate::diagnostic::Lang::En),
                );
                (f.document.clone(), FileFailure::Compose(why))
            })
            .collect(),
        manifest: dir.join(MANIFEST),
        period: plan.dataset.period.to_string(),
        date,
        inputs: input_entries(plan),
    }
}

impl StagedPeriod {
    /// The staged files made durable and put in
    /// place together, then the manifest written (only if it changed).
    pub fn finish(self) -> Delivery {
        let StagedPeriod {
            made,
            old,
            damaged,
            dir,
            failed,
            manifest,
            period,
            date,
            inputs,
        } = self;
        let outcomes = commit_staged(made);
        let mut delivery = Delivery {
            manifest,
            failed,
            ..Default::default()
        };
        let mut outputs: BTreeMap<String, OutputEntry> = BTreeMap::new();
        for o in outcomes {
            let (path, entry, kept, list) = match o {
                Outcome::Written(path, entry, kept) => (path, entry, kept, &mut delivery.written),
                Outcome::Unchanged(path, entry, kept) => {
                    (path, entry, kept, &mut delivery.unchanged)
                }
                Outcome::Failed(document, message) => {
                    delivery.failed.push((document, message));
                    continue;
                }
            };
            delivery.kept.extend(kept.map(|edited| Kept {
                edited,
                new: path.clone(),
            }));
            outputs.insert(entry.file.clone(), entry);
            list.push(path);
        }
        // The originals of kept files stay recorded as they were.
        for k in &delivery.kept {
            let name = name_of(&k.edited);
            if let Some(e) = old.entry(&name) {
                outputs.entry(name).or_insert_with(|| e.clone());
            }
        }
        retire_stale(&dir, &old, &mut outputs, &mut delivery);
        if let Some(bytes) = damaged {
            let aside = free_place(&dir, "manifest_hong.json");
            match write_atomic(&aside, &bytes) {
                Ok(()) => delivery.damaged_manifest = Some(aside),
                Err(e) => delivery.failed.push((MANIFEST.into(), e.into())),
            }
        }
        let manifest = Manifest {
            vanthu: env!("CARGO_PKG_VERSION").into(),
            period,
            date,
            inputs,
            outputs: outputs.into_values().collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        bytes.push(b'\n');
        // Written only when it changed, so a run that changes nothing touches nothing.
        if std::fs::read(&delivery.manifest).ok().as_deref() != Some(&bytes[..]) {
            if let Err(e) = write_atomic(&delivery.manifest, &bytes) {
                delivery.failed.push((MANIFEST.into(), e.into()));
            }
        }
        delivery
    }
}

/// `name` in `dir`, or the first of `stem-2.ext`, `stem-3.ext`… that is free.
fn free_place(dir: &Path, name: &str) -> PathBuf {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut path = dir.join(name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    path
}

/// Documents the old manifest records that this run did not make: moved into
/// [`STALE_DIR`] when they are as recorded (and dropped from the manifest); left in
/// place and still recorded, with a warning, when they were edited by hand. A
/// document's DOCX and PDF (one source key) go together: if either was edited, both stay.
fn retire_stale(
    dir: &Path,
    old: &Manifest,
    outputs: &mut BTreeMap<String, OutputEntry>,
    delivery: &mut Delivery,
) {
    // Stale files on disk, by document, each with whether it is as recorded.
    let mut documents: BTreeMap<&str, Vec<(&OutputEntry, bool)>> = BTreeMap::new();
    for entry in &old.outputs {
        if outputs.contains_key(&entry.file)
            || ["appendix-workbook", "data"].contains(&entry.template.as_str())
        {
            continue;
        }
        let Ok(bytes) = std::fs::read(dir.join(&entry.file)) else {
            continue;
        };
        let as_recorded = sha256_hex(&bytes) == entry.sha256;
        documents
            .entry(entry.source.as_str())
            .or_default()
            .push((entry, as_recorded));
    }
    for files in documents.into_values() {
        if files.iter().any(|(_, as_recorded)| !as_recorded) {
            for (entry, as_recorded) in files {
                if !as_recorded {
                    delivery.stale_edited.push(dir.join(&entry.file));
                }
                outputs.insert(entry.file.clone(), entry.clone());
            }
            continue;
        }
        for (entry, _) in files {
            let stale_dir = dir.join(STALE_DIR);
            let moved = std::fs::create_dir_all(&stale_dir).and_then(|()| {
                let target = free_place(&stale_dir, &entry.file);
                std::fs::rename(dir.join(&entry.file), &target).map(|()| target)
            });
            match moved {
                Ok(target) => delivery.stale.push(target),
                Err(e) => {
                    delivery.failed.push((entry.file.clone(), e.into()));
                    outputs.insert(entry.file.clone(), entry.clone());
                }
            }
        }
    }
}

/// Makes every staged file of the period durable and puts it in place, together; the
/// outcomes keep their order.
fn commit_staged(made: Vec<Made>) -> Vec<Outcome> {
    let mut staged = Vec::new();
    let mut places = Vec::new();
    let mut out: Vec<Option<Outcome>> = Vec::with_capacity(made.len());
    for m in made {
        match m {
            Made::Staged(s, entry, kept) => {
                staged.push(s);
                places.push((out.len(), entry, kept));
                out.push(None);
            }
            Made::Done(o) => out.push(Some(o)),
        }
    }
    for ((i, entry, kept), result) in places.into_iter().zip(commit(staged)) {
        out[i] = Some(match result {
            Ok(path) => Outcome::Written(path, entry, kept),
            Err(e) => Outcome::Failed(entry.file.clone(), e.into()),
        });
    }
    out.into_iter().flatten().collect()
}

fn input_entries(plan: &PeriodPlan) -> Vec<InputEntry> {
    let period = plan.intake.period;
    let entry = |d: &InputDigest, p: crate::period::Period, units: Vec<String>| InputEntry {
        file: format!("inputs/{p}/{}", d.file),
        sha256: d.sha256.clone(),
        period: p.to_string(),
        units,
    };
    let mut out: Vec<InputEntry> = plan
        .intake
        .inputs
        .iter()
        .map(|d| {
            let units = plan
                .intake
                .reports
                .iter()
                .filter(|r| r.file == d.file)
                .map(|r| r.unit_code.clone())
                .collect();
            entry(d, period, units)
        })
        .collect();
    // The previous period's files feed the comparisons ("so với tháng trước").
    out.extend(
        plan.previous_inputs
            .iter()
            .map(|d| entry(d, period.previous(), Vec::new())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(dir: &Path, file: &str, bytes: &[u8], key: &str) -> Manifest {
        std::fs::write(dir.join(file), bytes).unwrap();
        Manifest {
            outputs: vec![OutputEntry {
                file: file.into(),
                sha256: sha256_hex(bytes),
                template: "t".into(),
                unit: None,
                number: None,
                source: key.into(),
                issued: None,
            }],
            ..Default::default()
        }
    }

    /// A document's key changes with anything its files show, the seal's size (which
    /// its JSON leaves out) included, and only with that.
    #[test]
    fn a_documents_key_follows_its_model_and_its_seal() {
        use crate::doc::{Block, Document, Inline, Paragraph};
        let doc = Document {
            frame: crate::doc::tests::sample_frame(),
            body: vec![Block::Paragraph(Paragraph {
                inlines: vec![Inline::plain("Ủy ban nhân dân xã báo cáo")],
                align: crate::doc::Align::Justify,
                indent: true,
                keep_with_next: false,
            })],
            appendices: Vec::new(),
            title: "Báo cáo".into(),
        };
        let key = document_key(&doc);
        assert_eq!(key, document_key(&doc.clone()));
        let mut sealed = doc.clone();
        sealed.frame.seal = crate::units::Mm(sealed.frame.seal.0 + 2.0);
        let mut worded = doc.clone();
        worded.body[0] = Block::Paragraph(Paragraph {
            inlines: vec![Inline::plain("Ủy ban nhân dân xã báo cáo.")],
            align: crate::doc::Align::Justify,
            indent: true,
            keep_with_next: false,
        });
        let mut dated = doc.clone();
        dated.frame.day_at_issue = !dated.frame.day_at_issue;
        for other in [sealed, worded, dated] {
            assert_ne!(document_key(&other), key, "{:?}", other.frame);
        }
    }

    #[test]
    fn decisions_follow_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let m = manifest_with(d, "a.pdf", b"ours", "k1");
        assert!(matches!(
            decide(d, "new.pdf", "k1", &m),
            Decision::Write { kept: None, .. }
        ));
        assert!(matches!(
            decide(d, "a.pdf", "k1", &m),
            Decision::Skip { kept: None, .. }
        ));
        assert!(matches!(
            decide(d, "a.pdf", "k2", &m),
            Decision::Write { kept: None, .. }
        ));
        // Edited by hand: kept, the new one beside it.
        std::fs::write(d.join("a.pdf"), b"edited").unwrap();
        match decide(d, "a.pdf", "k2", &m) {
            Decision::Write { path, kept } => {
                assert_eq!(path, d.join("a_ban-moi.pdf"));
                assert_eq!(kept, Some(d.join("a.pdf")));
            }
            Decision::Skip { .. } => panic!("must not skip"),
        }
        // A file the manifest never recorded is the clerk's too.
        std::fs::write(d.join("b.docx"), b"theirs").unwrap();
        assert!(matches!(
            decide(d, "b.docx", "k1", &m),
            Decision::Write { kept: Some(_), .. }
        ));
        // And an edited _ban-moi moves on to _ban-moi-2.
        std::fs::write(d.join("a_ban-moi.pdf"), b"edited too").unwrap();
        match decide(d, "a.pdf", "k2", &m) {
            Decision::Write { path, .. } => assert_eq!(path, d.join("a_ban-moi-2.pdf")),
            Decision::Skip { .. } => panic!(),
        }
        // Once that copy is written and recorded, a re-run leaves it alone and still
        // names the edited original it stands beside.
        std::fs::write(d.join("a_ban-moi-2.pdf"), b"new").unwrap();
        let mut m = m;
        m.outputs.push(OutputEntry {
            file: "a_ban-moi-2.pdf".into(),
            sha256: sha256_hex(b"new"),
            template: "t".into(),
            unit: None,
            number: None,
            source: "k2".into(),
            issued: None,
        });
        match decide(d, "a.pdf", "k2", &m) {
            Decision::Skip { path, kept } => {
                assert_eq!(path, d.join("a_ban-moi-2.pdf"));
                assert_eq!(kept, Some(d.join("a.pdf")));
            }
            other => panic!("{other:?}"),
        }
    }
}
