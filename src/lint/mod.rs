//! `vanthu lint`: checks any DOCX or PDF against the format rules (thể thức) of Nghị định
//! 30/2020/NĐ-CP, Phụ lục I — documents typed by the office's staff as much as ours.
//!
//! A reader per format ([`docx`], [`pdf`]) turns the file into one [`model::Reading`];
//! [`rules`] finds the document's parts in it and checks each against its rule in
//! [`check::Check`], which holds every rule's code, clause, severity and wording.

pub mod check;
mod docx;
pub mod model;
mod pdf;
mod rules;
mod xml;

use serde::Serialize;

pub use check::Check;
pub use model::Place;

use crate::diagnostic::{Lang, Severity, Text};

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LintError {
    #[error("not a DOCX package")]
    NotDocx,
    #[error("not a PDF")]
    NotPdf,
    #[error("neither .docx nor .pdf")]
    UnknownKind,
    #[error("damaged")]
    Damaged,
    #[error("encrypted")]
    Encrypted,
    #[error("too large")]
    TooLarge,
    #[error("reader failed: {0}")]
    ReaderFailed(String),
}

impl LintError {
    pub fn message(&self) -> Text {
        match self {
            LintError::NotDocx => Text::new(
                "tệp không phải văn bản Word (.docx) hoặc đã hỏng",
                "the file is not a Word document (.docx) or is damaged",
            ),
            LintError::NotPdf => Text::new("tệp không phải PDF", "the file is not a PDF"),
            LintError::UnknownKind => Text::new(
                "chỉ kiểm tra được tệp .docx và .pdf",
                "only .docx and .pdf files can be checked",
            ),
            LintError::Damaged => Text::new(
                "tệp bị hỏng, không đọc được",
                "the file is damaged and cannot be read",
            ),
            LintError::Encrypted => Text::new(
                "PDF có mật khẩu, không đọc được",
                "the PDF is password-protected",
            ),
            LintError::TooLarge => Text::new(
                "tệp quá lớn để kiểm tra (một phần giải nén quá 64 MB, hoặc hơn 500 trang)",
                "the file is too large to check (a part unpacks to more than 64 MB, or over 500 pages)",
            ),
            LintError::ReaderFailed(said) => Text::new(
                format!("trình đọc gặp lỗi với tệp này ({said})"),
                format!("the reader failed on this file ({said})"),
            ),
        }
    }
}

/// One rule a document breaks, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: Check,
    pub place: Place,
    /// The start of the text there (empty for page setup and the whole document).
    pub excerpt: String,
    /// What was found.
    pub found: Text,
}

impl Finding {
    pub fn code(&self) -> &'static str {
        self.check.code()
    }

    pub fn severity(&self) -> Severity {
        self.check.severity()
    }

    /// "đoạn 12 «Số: 5/BC-UBND»", "trang 1 «…»".
    pub fn place_shown(&self, lang: Lang) -> String {
        let at = match (self.place, lang) {
            (Place::Paragraph(n), Lang::Vi) => format!("đoạn {n}"),
            (Place::Paragraph(n), Lang::En) => format!("paragraph {n}"),
            (Place::Page(n), Lang::Vi) => format!("trang {n}"),
            (Place::Page(n), Lang::En) => format!("page {n}"),
            (Place::Section(n), Lang::Vi) => format!("định dạng trang, phần {n}"),
            (Place::Section(n), Lang::En) => format!("page setup, section {n}"),
            (Place::PageHeader(n), Lang::Vi) => format!("đầu trang, phần {n}"),
            (Place::PageHeader(n), Lang::En) => format!("page header, section {n}"),
            (Place::PageFooter(n), Lang::Vi) => format!("chân trang, phần {n}"),
            (Place::PageFooter(n), Lang::En) => format!("page footer, section {n}"),
            (Place::Document, Lang::Vi) => "toàn văn bản".to_string(),
            (Place::Document, Lang::En) => "whole document".to_string(),
        };
        if self.excerpt.is_empty() {
            at
        } else {
            format!("{at} «{}»", self.excerpt)
        }
    }

    /// What was found, and what is due.
    pub fn message(&self, lang: Lang) -> String {
        let due = self.check.due();
        match lang {
            Lang::Vi => format!("{}; quy định: {}", self.found.vi, due.vi),
            Lang::En => format!("{}; due: {}", self.found.en, due.en),
        }
    }

    pub fn shown(&self, lang: Lang) -> ShownFinding {
        ShownFinding {
            code: self.code(),
            severity: self.severity(),
            clause: self.check.clause(),
            r#where: self.place_shown(lang),
            message: self.message(lang),
        }
    }
}

/// A finding as `--json` and the web page give it.
#[derive(Debug, Clone, Serialize)]
pub struct ShownFinding {
    pub code: &'static str,
    pub severity: Severity,
    pub clause: &'static str,
    pub r#where: String,
    pub message: String,
}

/// One file's findings.
#[derive(Debug, Clone, Serialize)]
pub struct ShownReport {
    pub file: String,
    pub findings: Vec<ShownFinding>,
}

/// The kinds of file lint reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Docx,
    Pdf,
}

impl Kind {
    /// By the file's first bytes, the name's extension breaking a tie.
    pub fn of(name: &str, bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(b"%PDF") {
            return Some(Kind::Pdf);
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Some(Kind::Docx);
        }
        let lower = name.to_lowercase();
        if lower.ends_with(".pdf") {
            Some(Kind::Pdf)
        } else if lower.ends_with(".docx") {
            Some(Kind::Docx)
        } else {
            None
        }
    }
}

/// Reads a document into the model the rules check; a reader's panic is this file's
/// error.
pub fn read(name: &str, bytes: &[u8]) -> Result<model::Reading, LintError> {
    let kind = Kind::of(name, bytes).ok_or(LintError::UnknownKind)?;
    crate::isolate::isolate(|| match kind {
        Kind::Docx => docx::read(bytes),
        Kind::Pdf => pdf::read(bytes),
    })
    .map_err(|p| LintError::ReaderFailed(p.message))?
}

/// The findings for one document, errors first within each rule's order.
pub fn lint(name: &str, bytes: &[u8]) -> Vec<Finding> {
    match read(name, bytes).and_then(|r| {
        crate::isolate::isolate(|| rules::check(&r)).map_err(|p| LintError::ReaderFailed(p.message))
    }) {
        Ok(findings) => findings,
        Err(e) => vec![Finding {
            check: Check::Unreadable,
            place: Place::Document,
            excerpt: String::new(),
            found: e.message(),
        }],
    }
}

/// The parts the rules found in a document (name, start of its text), in order.
pub fn outline(name: &str, bytes: &[u8]) -> Result<Vec<(&'static str, String)>, LintError> {
    let reading = read(name, bytes)?;
    crate::isolate::isolate(|| rules::outline(&reading))
        .map_err(|p| LintError::ReaderFailed(p.message))
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity() == Severity::Error)
}

/// The terminal's lines for one file.
pub fn render(file: &str, findings: &[Finding], lang: Lang) -> String {
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str(&format!(
            "{file}: {}\n",
            lang.pick("đúng thể thức, không có lỗi", "no format faults")
        ));
        return out;
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    out.push_str(&match lang {
        Lang::Vi => format!("{file}: {errors} lỗi, {warnings} cảnh báo\n"),
        Lang::En => format!("{file}: {errors} errors, {warnings} warnings\n"),
    });
    for f in findings {
        let level = match (f.severity(), lang) {
            (Severity::Error, Lang::Vi) => "lỗi",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Vi) => "cảnh báo",
            (Severity::Warning, Lang::En) => "warning",
        };
        out.push_str(&format!(
            "  {level} {} [{}] {}: {}\n",
            f.code(),
            f.check.clause(),
            f.place_shown(lang),
            f.message(lang)
        ));
    }
    out
}
