//! vanthu turns the progress sheets of many units into Decree 30/2020/NĐ-CP documents.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`project`] — `vanthu.toml` → [`project::Project`] (agency, signer, indicators, roster).
//! 2. [`intake`] — the units' spreadsheets → [`intake::UnitReport`]s + [`intake::Diagnostic`]s.
//! 3. [`aggregate`] — reports (+ last period's) → [`aggregate::Dataset`]: totals, targets, rates.
//! 4. [`compose`] — Handlebars template + dataset → document source → [`doc::Document`].
//! 5. [`doc`] — the document model: a Decree 30 frame and a body of blocks.
//! 6. [`render`] — document → DOCX ([`render::docx`]) and PDF ([`render::pdf`]),
//!    both sized by the rules in [`nd30`] and measured by [`fonts`].
//! 7. [`deliver`] — bytes → files, atomically (temp file + rename).
//!
//! Only `intake::read_period`, `deliver` and the binary touch the file system; the rest
//! takes its inputs (bytes, the date) from the caller.

pub mod aggregate;
pub mod batch;
pub mod compose;
pub mod deliver;
pub mod diagnostic;
pub mod doc;
pub mod fonts;
pub mod form;
pub mod format;
pub mod formula;
pub mod fuzz;
pub mod init;
pub mod intake;
pub mod isolate;
pub mod issue;
pub mod lint;
pub mod nd30;
pub mod period;
pub mod pipeline;
pub mod project;
pub mod register;
pub mod render;
pub mod run;
pub mod serve;
pub mod synthetic;
pub mod text;
pub mod units;
pub mod watch;
pub mod world;

pub use pipeline::{
    appendix_workbook, compose_documents, compose_each, plan_period, template_context,
    ComposedDocument, DocumentFailure, Error, PeriodPlan, RenderedFile, RunOptions,
};
