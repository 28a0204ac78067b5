//! Ban hành (issue): the văn thư's step after the leader has signed (Điều 15.3). The
//! number and the date are written into the PDF's text fields (`SoVanBan`,
//! `NgayBanHanh`, `ThangBanHanh`) as an incremental update, so a signature already in
//! the file stays valid; the editable DOCX beside it gets the same number and date; the
//! output folder's manifest records the issue. vanthu never signs: the agency's seal is
//! signed after this, in its own tool.

use std::path::{Path, PathBuf};

use lopdf::{dictionary, Object, ObjectId, Stream, StringFormat};

use crate::diagnostic::Lang;
use crate::doc::Date;
use crate::fonts::FaceStyle;
use crate::nd30;
use crate::units::Pt;

/// Why a document could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a PDF vanthu can read ({source})", path.display())]
    NotPdf { path: PathBuf, source: lopdf::Error },
    /// The PDF was issued before, with this number.
    #[error("{}: already issued, with the number {number}", path.display())]
    AlreadyIssued { path: PathBuf, number: String },
    /// The PDF reader stopped on the file.
    #[error("{}: the PDF is damaged ({said})", path.display())]
    Damaged { path: PathBuf, said: String },
    /// The PDF has no field for what was given: it was printed when the document was
    /// made (`--number`/`--date` on `run`, or a paper issue), or it is not vanthu's.
    #[error("{}: the {what} is already printed in this PDF (it has no {field} field)", path.display())]
    NoField {
        path: PathBuf,
        what: &'static str,
        field: &'static str,
    },
    /// A field is left that nothing was given for.
    #[error("{}: the PDF still waits for its {what}: give --{what}", path.display())]
    Missing { path: PathBuf, what: &'static str },
    /// The embedded font of a field lacks a digit (not a PDF made by this vanthu).
    #[error("{}: the font of field {field} has no glyph for '{digit}'", path.display())]
    NoGlyph {
        path: PathBuf,
        field: String,
        digit: char,
    },
    /// The date line prints the year the document was made in; the issue date is in
    /// another.
    #[error("{}: the date line prints the year {printed}; --date is in {given}: make the document again with --date", path.display())]
    OtherYear {
        path: PathBuf,
        printed: i32,
        given: i32,
    },
    #[error("{}: {source}", path.display())]
    Pdf { path: PathBuf, source: lopdf::Error },
    #[error("{}: the DOCX cannot be updated ({reason})", path.display())]
    Docx { path: PathBuf, reason: String },
    #[error(transparent)]
    Write(#[from] crate::deliver::DeliverError),
    #[error(transparent)]
    Register(#[from] crate::register::RegisterError),
}

impl IssueError {
    /// The message for the văn thư, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let what_vi = |what: &str| match what {
            "number" => "số văn bản",
            _ => "ngày ban hành",
        };
        match self {
            IssueError::Read { path, source } => {
                format!("{}: không đọc được tệp ({source})", path.display())
            }
            IssueError::AlreadyIssued { path, number } => format!(
                "{}: văn bản đã được ban hành với số {number}; không cấp số lần hai",
                path.display()
            ),
            IssueError::Damaged { path, said } => {
                format!("{}: tệp PDF bị hỏng ({said})", path.display())
            }
            IssueError::NotPdf { path, source } => {
                format!("{}: không phải tệp PDF đọc được ({source})", path.display())
            }
            IssueError::NoField { path, what, .. } => format!(
                "{}: {} đã được in sẵn trong tệp PDF này (tệp không có ô để điền)",
                path.display(),
                what_vi(what)
            ),
            IssueError::Missing { path, what } => format!(
                "{}: tệp PDF còn chờ điền {}: hãy ghi --{what}",
                path.display(),
                what_vi(what)
            ),
            IssueError::NoGlyph { path, field, digit } => format!(
                "{}: phông chữ của ô {field} không có chữ số '{digit}' (tệp không do vanthu tạo?)",
                path.display()
            ),
            IssueError::OtherYear {
                path,
                printed,
                given,
            } => format!(
                "{}: dòng ngày tháng in sẵn năm {printed}, còn ngày ban hành thuộc năm {given}: hãy tạo lại văn bản với --date",
                path.display()
            ),
            IssueError::Pdf { path, source } => {
                format!("{}: lỗi khi ghi tệp PDF ({source})", path.display())
            }
            IssueError::Docx { path, reason } => {
                format!("{}: không cập nhật được tệp DOCX ({reason})", path.display())
            }
            IssueError::Write(e) => e.to_string(),
            IssueError::Register(e) => e.message(lang),
        }
    }
}

/// What the văn thư gives at issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issue {
    /// Số, from 1; printed with a leading zero below 10.
    pub number: Option<u32>,
    /// Ngày ban hành: its day and month fill the date fields.
    pub date: Option<Date>,
    /// Số lượng bản, for the register, if the văn thư gives it.
    pub copies: Option<u32>,
}

impl Issue {
    /// The text each field takes: "05"; the day "05"; the month "02" or "11" (Phụ lục I,
    /// mục II.3 and II.4).
    fn value_of(&self, field: &str) -> Option<String> {
        match field {
            nd30::NUMBER_FIELD => self.number.map(nd30::number_text),
            nd30::DAY_FIELD => self.date.map(|d| nd30::day_text(d.day)),
            nd30::MONTH_FIELD => self.date.map(|d| nd30::month_text(d.month)),
            _ => None,
        }
    }
}

/// What [`issue_file`] did.
#[derive(Debug, Default)]
pub struct Issued {
    pub pdf: PathBuf,
    /// The number it was given (from the register when none was given).
    pub number: Option<u32>,
    /// The DOCX beside it, updated to match.
    pub docx: Option<PathBuf>,
    /// The manifest that now records the issue.
    pub manifest: Option<PathBuf>,
    /// The exchange metadata written beside it (Phụ lục VI), `<document>.metadata.xml`.
    pub metadata: Option<PathBuf>,
}

/// Issues `pdf`: its fields filled in an incremental update, the DOCX of the same name
/// beside it given the same number and date, the manifest of its folder updated. Each
/// file is replaced atomically. The register is the project's the PDF lies in.
pub fn issue_file(pdf: &Path, issue: Issue) -> Result<Issued, IssueError> {
    issue_in(pdf, issue, crate::register::project_of(pdf))
}

/// [`issue_file`] with the register of the project in `project` (`None`: no register;
/// the number must then be given).
pub fn issue_in(pdf: &Path, issue: Issue, project: Option<PathBuf>) -> Result<Issued, IssueError> {
    let (bytes, doc) = load(pdf)?;
    issue_loaded(pdf, bytes, doc, issue, project)
}

/// The PDF's bytes and, parsed once, its document. A reader that panics on a damaged
/// file fails this file, with what it said.
fn load(pdf: &Path) -> Result<(Vec<u8>, lopdf::Document), IssueError> {
    let bytes = std::fs::read(pdf).map_err(|source| IssueError::Read {
        path: pdf.to_path_buf(),
        source,
    })?;
    let doc = crate::isolate::isolate(|| lopdf::Document::load_mem(&bytes))
        .map_err(|panic| IssueError::Damaged {
            path: pdf.to_path_buf(),
            said: panic.message,
        })?
        .map_err(|source| IssueError::NotPdf {
            path: pdf.to_path_buf(),
            source,
        })?;
    Ok((bytes, doc))
}

/// [`issue_in`] on a PDF already read. Everything that can refuse the issue is checked
/// before the register gives a number, so a refused issue reserves nothing.
fn issue_loaded(
    pdf: &Path,
    bytes: Vec<u8>,
    doc: lopdf::Document,
    issue: Issue,
    project: Option<PathBuf>,
) -> Result<Issued, IssueError> {
    let (waits, printed, pages) = match inspect(&doc, pdf) {
        // Issued, but the process stopped before the register and the manifest said
        // so: they are brought up to date; the number stays the one the PDF shows.
        Err(IssueError::AlreadyIssued { .. }) if issue.number.is_none() => {
            return finish_interrupted(pdf, &bytes, &doc, project)
        }
        other => other?,
    };
    // The project's register gives the number, or records the one given, so no number
    // is given twice.
    let year = issue.date.or(printed).map(|d| d.year);
    let registered = match (&project, year) {
        (Some(project), Some(year)) if waits.number => Some((project, year)),
        _ => None,
    };
    check(waits, printed, issue, registered.is_some(), pdf)?;
    let file = pdf
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut register = match registered {
        Some((project, year)) => Some((crate::register::Register::open(project)?, year)),
        None => None,
    };
    let number = match (&mut register, issue.number) {
        (Some((r, year)), None) => Some(r.reserve(*year, &file)?),
        (Some((r, year)), Some(n)) => Some(r.claim(*year, n, &file)?),
        (None, n) => n,
    };
    let issue = Issue { number, ..issue };
    let filled =
        crate::isolate::isolate(|| fill_pdf(bytes, doc, issue, pdf)).map_err(|panic| {
            IssueError::Damaged {
                path: pdf.to_path_buf(),
                said: panic.message,
            }
        })??;
    let docx_path = pdf.with_extension("docx");
    let docx = match std::fs::read(&docx_path) {
        Ok(docx) => Some(fill_docx(&docx, issue).map_err(|reason| IssueError::Docx {
            path: docx_path.clone(),
            reason,
        })?),
        Err(_) => None,
    };
    crate::deliver::write_atomic(pdf, &filled)?;
    let mut issued = Issued {
        pdf: pdf.to_path_buf(),
        number,
        ..Default::default()
    };
    if let Some(docx) = &docx {
        crate::deliver::write_atomic(&docx_path, docx)?;
        issued.docx = Some(docx_path.clone());
    }
    let dir = pdf.parent().unwrap_or(Path::new("."));
    let mut files = vec![(pdf.to_path_buf(), filled)];
    if let Some(docx) = docx {
        files.push((docx_path, docx));
    }
    let record = || crate::deliver::record_issue(dir, &files, issue.number, issue.date);
    let facts = facts_of(pdf);
    issued.manifest = match (&mut register, number) {
        // The book and the manifest are written under one lock: concurrent issues
        // never interleave the manifest's update.
        (Some((r, year)), Some(n)) => {
            let mut details = details_of(facts.as_ref(), issue.date.or(printed));
            details.copies = issue.copies;
            r.issued(*year, n, &details, record)??
        }
        _ => record()?,
    };
    // The exchange metadata, once the document has its number and date.
    if let (Some(facts), Some(n), Some(date)) = (&facts, number, issue.date.or(printed)) {
        let organ_id = project
            .as_deref()
            .and_then(|p| crate::project::Project::load(p).ok())
            .and_then(|p| p.agency().organ_id.clone());
        let xml = exchange_xml(facts, n, date, organ_id.as_deref(), pages);
        let path = pdf.with_extension("metadata.xml");
        crate::deliver::write_atomic(&path, xml.as_bytes())?;
        issued.metadata = Some(path);
    }
    Ok(issued)
}

/// The outgoing document's metadata for exchange between agencies (Phụ lục VI): who
/// issues it, its number and notation, date, type, subject, language, pages, signer and
/// recipients.
pub fn exchange_xml(
    facts: &crate::render::pdf::DocumentFacts,
    number: u32,
    date: Date,
    organ_id: Option<&str>,
    pages: usize,
) -> String {
    use crate::render::docx::parts::escape;
    let mut to = String::new();
    for r in &facts.recipients {
        to.push_str(&format!(
            "  <To>\n    <OrganName>{}</OrganName>\n  </To>\n",
            escape(r)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<OutgoingDocument>\n\
  <From>\n    <OrganId>{}</OrganId>\n    <OrganName>{}</OrganName>\n  </From>\n\
{to}\
  <Code>\n    <CodeNumber>{number:02}</CodeNumber>\n    <CodeNotation>{}</CodeNotation>\n  </Code>\n\
  <PromulgationInfo>\n    <Place>{}</Place>\n    <PromulgationDate>{:04}-{:02}-{:02}</PromulgationDate>\n  </PromulgationInfo>\n\
  <IssuedDate>{:04}-{:02}-{:02}</IssuedDate>\n\
  <DocumentType>\n    <TypeName>{}</TypeName>\n  </DocumentType>\n\
  <Subject>{}</Subject>\n\
  <Language>vi</Language>\n\
  <PageAmount>{pages}</PageAmount>\n\
  <SignerInfo>\n    <Position>{}</Position>\n    <FullName>{}</FullName>\n  </SignerInfo>\n\
</OutgoingDocument>\n",
        escape(organ_id.unwrap_or_default()),
        escape(&facts.agency),
        escape(&facts.symbol),
        escape(&facts.place),
        date.year,
        date.month,
        date.day,
        date.year,
        date.month,
        date.day,
        escape(&facts.kind),
        escape(&facts.summary),
        escape(&facts.position),
        escape(&facts.signer),
    )
}

/// Completes the issue of a PDF whose fields were filled by a process that stopped
/// before it recorded the issue: its register entry, still reserved for this file with
/// the number the PDF shows, is marked issued and the manifest updated. Anything else
/// is refused as issued already.
fn finish_interrupted(
    pdf: &Path,
    bytes: &[u8],
    doc: &lopdf::Document,
    project: Option<PathBuf>,
) -> Result<Issued, IssueError> {
    let already = |number: String| IssueError::AlreadyIssued {
        path: pdf.to_path_buf(),
        number,
    };
    let values: Vec<(String, Option<String>)> = issue_fields_all(doc)
        .into_iter()
        .map(|(_, name, value)| (name, value))
        .collect();
    let value = |field: &str| {
        values
            .iter()
            .find(|(n, _)| n == field)
            .and_then(|(_, v)| v.clone())
    };
    let shown = value(nd30::NUMBER_FIELD).unwrap_or_default();
    let number: u32 = shown.parse().map_err(|_| already(shown.clone()))?;
    let printed = printed_date(doc);
    let date = match (value(nd30::DAY_FIELD), value(nd30::MONTH_FIELD), printed) {
        (Some(d), Some(m), Some(p)) => Date::parse(&format!("{}-{m:0>2}-{d:0>2}", p.year)),
        _ => printed,
    };
    let (Some(project), Some(date)) = (project, date) else {
        return Err(already(shown));
    };
    let mut register = crate::register::Register::open(&project)?;
    let file = pdf
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if !register.is_reserved(date.year, number, &file)? {
        return Err(already(shown));
    }
    let mut files = vec![(pdf.to_path_buf(), bytes.to_vec())];
    let docx_path = pdf.with_extension("docx");
    let issue = Issue {
        number: Some(number),
        date: Some(date),
        copies: None,
    };
    if let Ok(docx) = std::fs::read(&docx_path) {
        // The DOCX may or may not have been given them before the stop: filling is a
        // no-op once done.
        let docx = fill_docx(&docx, issue).map_err(|reason| IssueError::Docx {
            path: docx_path.clone(),
            reason,
        })?;
        crate::deliver::write_atomic(&docx_path, &docx)?;
        files.push((docx_path.clone(), docx));
    }
    let dir = pdf.parent().unwrap_or(Path::new("."));
    let details = details_of(facts_of(pdf).as_ref(), Some(date));
    let manifest = register.issued(date.year, number, &details, || {
        crate::deliver::record_issue(dir, &files, Some(number), Some(date))
    })??;
    Ok(Issued {
        pdf: pdf.to_path_buf(),
        number: Some(number),
        docx: files.get(1).map(|(p, _)| p.clone()),
        manifest,
        metadata: None,
    })
}

/// What a made PDF still waits for at issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    pub number: bool,
    pub date: bool,
}

/// What the PDF waits for, the date vanthu made it with (its year is printed), and its
/// pages.
fn inspect(doc: &lopdf::Document, path: &Path) -> Result<(Waits, Option<Date>, usize), IssueError> {
    // Issued once already: its fields hold their values. Never a second number.
    if let Some((_, _, Some(number))) = issue_fields_all(doc)
        .into_iter()
        .find(|(_, name, value)| name == nd30::NUMBER_FIELD && value.is_some())
    {
        return Err(IssueError::AlreadyIssued {
            path: path.to_path_buf(),
            number,
        });
    }
    let fields = issue_fields(doc);
    let has = |field: &str| fields.iter().any(|(_, name)| name == field);
    let waits = Waits {
        number: has(nd30::NUMBER_FIELD),
        date: has(nd30::DAY_FIELD),
    };
    Ok((waits, printed_date(doc), doc.get_pages().len()))
}

/// Refuses an issue that cannot be done: a date in another year than the printed one, a
/// number or date the PDF already prints, or one it waits for and is not given (the
/// number may come from the register).
fn check(
    waits: Waits,
    printed: Option<Date>,
    issue: Issue,
    register_numbers: bool,
    path: &Path,
) -> Result<(), IssueError> {
    if let (Some(date), Some(printed)) = (issue.date, printed) {
        if date.year != printed.year {
            return Err(IssueError::OtherYear {
                path: path.to_path_buf(),
                printed: printed.year,
                given: date.year,
            });
        }
    }
    for (given, waits, what, field) in [
        (
            issue.number.is_some() || register_numbers,
            waits.number,
            "number",
            nd30::NUMBER_FIELD,
        ),
        (issue.date.is_some(), waits.date, "date", nd30::DAY_FIELD),
    ] {
        if given && !waits {
            return Err(IssueError::NoField {
                path: path.to_path_buf(),
                what,
                field,
            });
        }
        if !given && waits {
            return Err(IssueError::Missing {
                path: path.to_path_buf(),
                what,
            });
        }
    }
    Ok(())
}

/// Issues a PDF a run of the project in `project` made, wherever its output folder is:
/// its number from the project's register, and `date` if the PDF waits for one (a date
/// set at the run is printed already).
pub fn issue_made(pdf: &Path, date: Date, project: &Path) -> Result<Issued, IssueError> {
    let (bytes, doc) = load(pdf)?;
    // Filled before: completed if a stopped issue left it so, else refused.
    let waits_date = inspect(&doc, pdf).is_ok_and(|(waits, _, _)| waits.date);
    let issue = Issue {
        number: None,
        date: waits_date.then_some(date),
        copies: None,
    };
    issue_loaded(pdf, bytes, doc, issue, Some(project.to_path_buf()))
}

/// The document's facts from its signing sidecar, which vanthu wrote from the model.
fn facts_of(pdf: &Path) -> Option<crate::render::pdf::DocumentFacts> {
    #[derive(serde::Deserialize)]
    struct Sidecar {
        document: crate::render::pdf::DocumentFacts,
    }
    std::fs::read(pdf.with_extension("kyso.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Sidecar>(&b).ok())
        .map(|s| s.document)
}

/// What the register records of the document: its facts, and the issue.
fn details_of(
    facts: Option<&crate::render::pdf::DocumentFacts>,
    date: Option<Date>,
) -> crate::register::Details {
    let issued_on = date
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default();
    match facts {
        Some(f) => crate::register::Details {
            symbol: f.symbol.clone(),
            issued_on,
            kind_and_summary: f.title.clone(),
            signer: f.signer.clone(),
            recipients: f.recipients.join("; "),
            archive: f.archive.clone(),
            copies: None,
        },
        None => crate::register::Details {
            issued_on,
            ..Default::default()
        },
    }
}

/// The PDF with its issue fields filled, as an incremental update of `bytes` (parsed as
/// `doc`): every byte before stays as it was, so the signatures over them stay valid.
/// What is filled has been checked ([`check`]).
fn fill_pdf(
    bytes: Vec<u8>,
    doc: lopdf::Document,
    issue: Issue,
    path: &Path,
) -> Result<Vec<u8>, IssueError> {
    let pdf_error = |source| IssueError::Pdf {
        path: path.to_path_buf(),
        source,
    };
    let fields = issue_fields(&doc);
    let mut appearances = Vec::new();
    for (id, name) in &fields {
        let Some(value) = issue.value_of(name) else {
            continue;
        };
        let stream = appearance(&doc, *id, name, &value, path)?;
        appearances.push((*id, value, stream));
    }
    let mut update = lopdf::IncrementalDocument::create_from(bytes, doc);
    for (id, value, stream) in appearances {
        let ap = update.new_document.add_object(stream);
        update
            .opt_clone_object_to_new_document(id)
            .map_err(pdf_error)?;
        let widget = update
            .new_document
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(pdf_error)?;
        widget.set(
            "V",
            Object::String(value.into_bytes(), StringFormat::Literal),
        );
        widget.set("AP", dictionary! { "N" => ap });
    }
    let mut out = Vec::new();
    update.save_to(&mut out).map_err(|e| pdf_error(e.into()))?;
    Ok(out)
}

/// The text fields of the AcroForm that are filled at issue and still empty: (object,
/// name).
fn issue_fields(doc: &lopdf::Document) -> Vec<(ObjectId, String)> {
    issue_fields_all(doc)
        .into_iter()
        .filter(|(_, _, value)| value.is_none())
        .map(|(id, name, _)| (id, name))
        .collect()
}

/// Every issue field of the AcroForm: (object, name, its value once filled).
fn issue_fields_all(doc: &lopdf::Document) -> Vec<(ObjectId, String, Option<String>)> {
    let Ok(form) = doc
        .catalog()
        .and_then(|c| c.get(b"AcroForm"))
        .and_then(|f| deref(doc, f))
        .and_then(Object::as_dict)
    else {
        return Vec::new();
    };
    let Ok(fields) = form.get(b"Fields").and_then(Object::as_array) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter_map(|f| {
            let id = f.as_reference().ok()?;
            let d = doc.get_dictionary(id).ok()?;
            if d.get(b"FT").and_then(Object::as_name).ok()? != b"Tx" {
                return None;
            }
            let name =
                String::from_utf8(d.get(b"T").and_then(Object::as_str).ok()?.to_vec()).ok()?;
            let value = d
                .get(b"V")
                .and_then(Object::as_str)
                .ok()
                .map(|v| String::from_utf8_lossy(v).to_string());
            [nd30::NUMBER_FIELD, nd30::DAY_FIELD, nd30::MONTH_FIELD]
                .contains(&name.as_str())
                .then_some((id, name, value))
        })
        .collect()
}

/// The date vanthu made the document with, from its /CreationDate ("D:20251105…"):
/// its year is the one the date line prints.
fn printed_date(doc: &lopdf::Document) -> Option<Date> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = deref(doc, info).ok()?.as_dict().ok()?;
    let date = info.get(b"CreationDate").ok()?.as_str().ok()?;
    let digits = std::str::from_utf8(date.strip_prefix(b"D:")?.get(..8)?).ok()?;
    Date::parse(&format!(
        "{}-{}-{}",
        &digits[..4],
        &digits[4..6],
        &digits[6..8]
    ))
}

fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> lopdf::Result<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id),
        other => Ok(other),
    }
}

/// The field's normal appearance: `value` centred in its rectangle, in the font and
/// size of its /DA (the document's own embedded font), on the line's baseline.
fn appearance(
    doc: &lopdf::Document,
    id: ObjectId,
    name: &str,
    value: &str,
    path: &Path,
) -> Result<Stream, IssueError> {
    let pdf_error = |source| IssueError::Pdf {
        path: path.to_path_buf(),
        source,
    };
    let widget = doc.get_dictionary(id).map_err(pdf_error)?;
    let rect: Vec<f32> = widget
        .get(b"Rect")
        .and_then(Object::as_array)
        .map_err(pdf_error)?
        .iter()
        .filter_map(|o| o.as_float().ok())
        .collect();
    let [x1, y1, x2, y2] = rect[..] else {
        return Err(pdf_error(lopdf::Error::DictKey("Rect".into())));
    };
    let da = widget
        .get(b"DA")
        .and_then(Object::as_str)
        .map_err(pdf_error)?;
    let da = String::from_utf8_lossy(da);
    let parts: Vec<&str> = da.split_whitespace().collect();
    let (font_name, size) = match parts.as_slice() {
        [font, size, "Tf", ..] => (
            font.trim_start_matches('/').to_string(),
            size.parse::<f32>().unwrap_or(13.0),
        ),
        _ => ("F1".to_string(), 13.0),
    };
    // The font, as the AcroForm's resources name it.
    let font_ref = doc
        .catalog()
        .and_then(|c| c.get(b"AcroForm"))
        .and_then(|f| deref(doc, f))
        .and_then(Object::as_dict)
        .and_then(|f| f.get(b"DR"))
        .and_then(|r| deref(doc, r))
        .and_then(Object::as_dict)
        .and_then(|r| r.get(b"Font"))
        .and_then(|f| deref(doc, f))
        .and_then(Object::as_dict)
        .and_then(|f| f.get(font_name.as_bytes()))
        .map_err(pdf_error)?
        .clone();
    let cids = glyphs_of(doc, &font_ref);
    let mut hex = String::new();
    for c in value.chars() {
        match cids.get(&c) {
            Some(cid) => hex.push_str(&format!("{cid:04X}")),
            None => {
                return Err(IssueError::NoGlyph {
                    path: path.to_path_buf(),
                    field: name.to_string(),
                    digit: c,
                })
            }
        }
    }
    // Our fonts are numbered F1… in FaceStyle order; their metrics centre the value.
    let style = font_name
        .trim_start_matches('F')
        .parse::<usize>()
        .ok()
        .and_then(|n| FaceStyle::ALL.get(n.wrapping_sub(1)).copied())
        .unwrap_or(FaceStyle::Regular);
    let (width, height) = (x2 - x1, y2 - y1);
    let text_width = crate::fonts::text_width(value, style, Pt(size)).0;
    // /Q: 0 left, 1 centred, 2 right (the number, which runs on into "/BC-UBND").
    let x = match widget.get(b"Q").and_then(Object::as_i64).unwrap_or(0) {
        1 => (width - text_width) / 2.0,
        2 => width - text_width,
        _ => 0.0,
    };
    let y = height - crate::render::layout::ascent(Pt(size));
    let content = format!(
        "/Tx BMC\nq\nBT\n/{font_name} {size} Tf\n0 g\n{x:.2} {y:.2} Td\n<{hex}> Tj\nET\nQ\nEMC\n"
    );
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Form",
        "BBox" => vec![0.into(), 0.into(), width.into(), height.into()],
        "Resources" => dictionary! { "Font" => dictionary! { font_name.as_str() => font_ref } },
    };
    Ok(Stream::new(dict, content.into_bytes()))
}

/// The glyph (CID) of each character a Type0 font's ToUnicode map names.
pub(crate) fn glyphs_of(
    doc: &lopdf::Document,
    font: &Object,
) -> std::collections::HashMap<char, u32> {
    let mut map = std::collections::HashMap::new();
    let Ok(stream) = deref(doc, font)
        .and_then(Object::as_dict)
        .and_then(|f| f.get(b"ToUnicode"))
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_object(id))
        .and_then(Object::as_stream)
    else {
        return map;
    };
    let text = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&text);
    let mut in_chars = false;
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            in_chars = true;
            continue;
        }
        if line == "endbfchar" {
            in_chars = false;
            continue;
        }
        if !in_chars {
            continue;
        }
        let hexes: Vec<&str> = line
            .split(['<', '>'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if let [cid, uni] = hexes[..] {
            let (Ok(cid), Ok(uni)) = (u32::from_str_radix(cid, 16), u32::from_str_radix(uni, 16))
            else {
                continue;
            };
            if let Some(c) = char::from_u32(uni) {
                map.entry(c).or_insert(cid);
            }
        }
    }
    map
}

/// The DOCX with the same number and date as its issued PDF: the blanks of the number
/// line and of the date line (and of the appendix's "(Kèm theo …)" line) filled.
pub fn fill_docx(bytes: &[u8], issue: Issue) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let raw = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        if raw.name().ok().as_deref() != Some("word/document.xml") {
            // Every other part is copied as it is, compressed bytes and all.
            out.raw_copy_file(raw).map_err(|e| e.to_string())?;
            continue;
        }
        drop(raw);
        let mut entry = archive.by_index(i).map_err(|e| e.to_string())?;
        let mut xml = String::new();
        entry.read_to_string(&mut xml).map_err(|e| e.to_string())?;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .last_modified_time(zip::DateTime::default());
        out.start_file("word/document.xml", options)
            .map_err(|e| e.to_string())?;
        out.write_all(fill_text(&xml, issue).as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// `text` with the header's number blank ("Số:      /BC-UBND") and date blanks ("ngày
/// tháng …") given their values.
fn fill_text(text: &str, issue: Issue) -> String {
    let mut text = text.to_string();
    // Only the header's (the first): an appendix's "(Kèm theo …)" line stays unfilled
    // in an electronic document, as in its PDF. The lines as the frame writes them,
    // blank and filled.
    if let Some(n) = issue.number {
        text = text.replacen(
            &nd30::number_line(None, ""),
            &nd30::number_line(Some(n), ""),
            1,
        );
    }
    if let Some(d) = issue.date {
        text = text.replacen(
            &nd30::date_words_at_issue(d.year),
            &nd30::date_words(d.year, d.month, d.day),
            1,
        );
    }
    text
}
