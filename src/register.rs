//! Sổ đăng ký văn bản đi: the outgoing register. One series of numbers per agency per
//! calendar year, from 01 (Điều 15; Phụ lục I, 3c), kept in an SQLite file in the
//! project folder, so two processes (two `vanthu issue`, or the web page and the command
//! line) never give the same number and a number is never reused.
//!
//! A number is given in two steps, each its own transaction: it is *reserved* for a
//! file (the next of the year, or the one already reserved for that file), then, once
//! the file is written, *issued*. A process killed between the two leaves the number
//! reserved and shown as such: nothing is given twice, and no gap is silent. Issuing
//! the same file again takes the number it reserved.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::diagnostic::Lang;

/// The register's file in the project folder.
pub const REGISTER_FILE: &str = "so-dang-ky-van-ban-di.sqlite";

/// The schema, one step per version: `PRAGMA user_version` says how many are applied.
const MIGRATIONS: &[&str] = &[
    // 1: the book, with the columns of Phụ lục IV.
    "CREATE TABLE outgoing (
        year INTEGER NOT NULL,
        number INTEGER NOT NULL,
        symbol TEXT NOT NULL DEFAULT '',
        file TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('reserved', 'issued', 'cancelled')),
        issued_on TEXT,
        kind_and_summary TEXT NOT NULL DEFAULT '',
        signer TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '',
        archive TEXT NOT NULL DEFAULT '',
        copies INTEGER,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (year, number)
    ) STRICT",
];

/// Why the register could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// A file made by a newer vanthu.
    #[error("{}: the register's schema is version {found}, newer than this vanthu's {known}", path.display())]
    Newer {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// A number given by hand that the register gave another file.
    #[error("{}: number {number:02} of {year} was given to {file}", path.display())]
    Taken {
        path: PathBuf,
        year: i32,
        number: u32,
        file: String,
    },
    #[error("{}: no number {number} in {year}", path.display())]
    NoSuchNumber {
        path: PathBuf,
        year: i32,
        number: u32,
    },
}

impl RegisterError {
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            RegisterError::Sqlite { path, source } => {
                format!("{}: lỗi sổ đăng ký ({source})", path.display())
            }
            RegisterError::Newer { path, found, known } => format!(
                "{}: sổ đăng ký do phiên bản vanthu mới hơn tạo (lược đồ {found}, phiên bản này biết đến {known})",
                path.display()
            ),
            RegisterError::Taken {
                path,
                year,
                number,
                file,
            } => format!(
                "{}: số {number:02} năm {year} đã cấp cho {file}; số văn bản không được cấp hai lần",
                path.display()
            ),
            RegisterError::NoSuchNumber { path, year, number } => format!(
                "{}: năm {year} không có số {number:02}",
                path.display()
            ),
        }
    }
}

/// One line of the book (Phụ lục IV).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub year: i32,
    pub number: u32,
    /// "05/BC-UBND".
    pub number_and_symbol: String,
    pub file: String,
    /// reserved, issued or cancelled.
    pub state: String,
    /// Ngày tháng văn bản, YYYY-MM-DD.
    pub issued_on: Option<String>,
    pub kind_and_summary: String,
    pub signer: String,
    pub recipients: String,
    pub archive: String,
    pub copies: Option<u32>,
    pub note: String,
}

/// What the register records of an issued document (from its model and the issue).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Details {
    pub symbol: String,
    pub issued_on: String,
    pub kind_and_summary: String,
    pub signer: String,
    pub recipients: String,
    pub archive: String,
    pub copies: Option<u32>,
}

/// The error of an SQLite call on the register at `path`.
fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> RegisterError + 'static {
    let path = path.to_path_buf();
    move |source| RegisterError::Sqlite {
        path: path.clone(),
        source,
    }
}

/// The open register of one project.
pub struct Register {
    connection: Connection,
    path: PathBuf,
}

impl Register {
    /// Opens the register of the project in `dir`, creating or migrating it.
    pub fn open(dir: &Path) -> Result<Register, RegisterError> {
        let path = dir.join(REGISTER_FILE);
        let err = sqlite_error(&path);
        let mut connection = Connection::open(&path).map_err(&err)?;
        // Other processes hold the write lock for milliseconds: wait for them.
        connection
            .busy_timeout(Duration::from_secs(60))
            .map_err(&err)?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(&err)?;
        let tx = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(&err)?;
        if version as usize > MIGRATIONS.len() {
            return Err(RegisterError::Newer {
                path,
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for step in &MIGRATIONS[version as usize..] {
            tx.execute_batch(step).map_err(&err)?;
        }
        tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(Register { connection, path })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> RegisterError + 'static {
        sqlite_error(&self.path)
    }

    /// A write transaction, taken at once (BEGIN IMMEDIATE, so two processes never both
    /// read the same next number), and the error of this file.
    fn write(
        &mut self,
    ) -> Result<
        (
            rusqlite::Transaction<'_>,
            impl Fn(rusqlite::Error) -> RegisterError + 'static,
        ),
        RegisterError,
    > {
        let err = sqlite_error(&self.path);
        let tx = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&err)?;
        Ok((tx, err))
    }

    /// The number of `file` in `year`: the one it reserved before, or the next of the
    /// year, reserved for it now.
    pub fn reserve(&mut self, year: i32, file: &str) -> Result<u32, RegisterError> {
        let (tx, err) = self.write()?;
        let held: Option<u32> = tx
            .query_row(
                "SELECT number FROM outgoing WHERE year = ?1 AND file = ?2 AND state = 'reserved'",
                params![year, file],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        let number = match held {
            Some(n) => n,
            None => {
                let next: u32 = tx
                    .query_row(
                        "SELECT COALESCE(MAX(number), 0) + 1 FROM outgoing WHERE year = ?1",
                        params![year],
                        |r| r.get(0),
                    )
                    .map_err(&err)?;
                tx.execute(
                    "INSERT INTO outgoing (year, number, file, state) VALUES (?1, ?2, ?3, 'reserved')",
                    params![year, next, file],
                )
                .map_err(&err)?;
                next
            }
        };
        tx.commit().map_err(&err)?;
        Ok(number)
    }

    /// Records `number`, given by hand, for `file`: refused if the register gave it to
    /// another file.
    pub fn claim(&mut self, year: i32, number: u32, file: &str) -> Result<u32, RegisterError> {
        let path = self.path.clone();
        let (tx, err) = self.write()?;
        let holder: Option<String> = tx
            .query_row(
                "SELECT file FROM outgoing WHERE year = ?1 AND number = ?2",
                params![year, number],
                |r| r.get(0),
            )
            .optional()
            .map_err(&err)?;
        match holder {
            Some(f) if f == file => {}
            Some(f) => {
                return Err(RegisterError::Taken {
                    path: path.clone(),
                    year,
                    number,
                    file: f,
                })
            }
            None => {
                tx.execute(
                    "INSERT INTO outgoing (year, number, file, state) VALUES (?1, ?2, ?3, 'reserved')",
                    params![year, number, file],
                )
                .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(number)
    }

    /// Marks `number` of `year` issued with `details`, running `also` (the manifest's
    /// update) inside the same write lock, so concurrent issues never interleave it.
    pub fn issued<T, E>(
        &mut self,
        year: i32,
        number: u32,
        details: &Details,
        also: impl FnOnce() -> Result<T, E>,
    ) -> Result<Result<T, E>, RegisterError> {
        let path = self.path.clone();
        let (tx, err) = self.write()?;
        let changed = tx
            .execute(
                "UPDATE outgoing SET state = 'issued', symbol = ?3, issued_on = ?4,
                    kind_and_summary = ?5, signer = ?6, recipients = ?7, archive = ?8,
                    copies = ?9
                 WHERE year = ?1 AND number = ?2",
                params![
                    year,
                    number,
                    details.symbol,
                    details.issued_on,
                    details.kind_and_summary,
                    details.signer,
                    details.recipients,
                    details.archive,
                    details.copies,
                ],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(RegisterError::NoSuchNumber {
                path: path.clone(),
                year,
                number,
            });
        }
        let result = also();
        tx.commit().map_err(&err)?;
        Ok(result)
    }

    /// Whether `number` of `year` is reserved for `file` and not yet issued.
    pub fn is_reserved(&self, year: i32, number: u32, file: &str) -> Result<bool, RegisterError> {
        let found: Option<String> = self
            .connection
            .query_row(
                "SELECT state FROM outgoing WHERE year = ?1 AND number = ?2 AND file = ?3",
                params![year, number, file],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        Ok(found.as_deref() == Some("reserved"))
    }

    /// Withdraws `number` of `year`: it stays in the book, marked cancelled, with why;
    /// it is never given again.
    pub fn cancel(&mut self, year: i32, number: u32, reason: &str) -> Result<(), RegisterError> {
        let changed = self
            .connection
            .execute(
                "UPDATE outgoing SET state = 'cancelled', note = ?3 WHERE year = ?1 AND number = ?2",
                params![year, number, reason],
            )
            .map_err(self.err())?;
        if changed == 0 {
            return Err(RegisterError::NoSuchNumber {
                path: self.path.clone(),
                year,
                number,
            });
        }
        Ok(())
    }

    /// The book of `year`, in number order.
    pub fn entries(&self, year: i32) -> Result<Vec<Entry>, RegisterError> {
        let mut statement = self
            .connection
            .prepare(
                "SELECT year, number, symbol, file, state, issued_on, kind_and_summary, signer,
                        recipients, archive, copies, note
                 FROM outgoing WHERE year = ?1 ORDER BY number",
            )
            .map_err(self.err())?;
        let rows = statement
            .query_map(params![year], |r| {
                let number: u32 = r.get(1)?;
                let symbol: String = r.get(2)?;
                Ok(Entry {
                    year: r.get(0)?,
                    number,
                    number_and_symbol: if symbol.is_empty() {
                        crate::nd30::number_text(number)
                    } else {
                        crate::nd30::number_and_symbol(Some(number), &symbol)
                    },
                    file: r.get(3)?,
                    state: r.get(4)?,
                    issued_on: r.get(5)?,
                    kind_and_summary: r.get(6)?,
                    signer: r.get(7)?,
                    recipients: r.get(8)?,
                    archive: r.get(9)?,
                    copies: r.get(10)?,
                    note: r.get(11)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<Vec<_>, _>>().map_err(self.err())
    }
}

/// The project folder a file of its output lies in: the nearest folder above it with a
/// vanthu.toml.
pub fn project_of(file: &Path) -> Option<PathBuf> {
    let mut dir = std::fs::canonicalize(file).ok()?.parent()?.to_path_buf();
    loop {
        if dir.join("vanthu.toml").is_file() {
            return Some(dir);
        }
        dir = dir.parent()?.to_path_buf();
    }
}

/// The columns of the sổ đăng ký văn bản đi (Phụ lục IV, I), with their widths.
pub const BOOK_COLUMNS: [(&str, f64); 10] = [
    ("Số, ký hiệu văn bản", 14.0),
    ("Ngày tháng văn bản", 12.0),
    ("Tên loại và trích yếu nội dung văn bản", 40.0),
    ("Người ký", 16.0),
    ("Nơi nhận văn bản", 28.0),
    ("Đơn vị, người nhận bản lưu", 14.0),
    ("Số lượng bản", 8.0),
    ("Ngày chuyển", 10.0),
    ("Ký nhận", 10.0),
    ("Ghi chú", 16.0),
];

/// The book of `year` as the Phụ lục IV workbook: its columns, A4 landscape, the header
/// repeated on every printed page, numbers as "05/BC-UBND", dates as "05/11/2025".
pub fn book_xlsx(
    entries: &[Entry],
    year: i32,
    agency: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut workbook = Workbook::new();
    let base = Format::new()
        .set_font_name(crate::nd30::FONT_FAMILY)
        .set_font_size(11)
        .set_align(FormatAlign::VerticalCenter);
    let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap();
    let head = cell.clone().set_bold().set_align(FormatAlign::Center);
    let title = base.clone().set_bold().set_font_size(13);
    let ws = workbook.add_worksheet();
    ws.set_name(format!("So VB di {year}"))?;
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, format!("SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}"), &title)?;
    ws.write_string_with_format(1, 0, agency, &base)?;
    let header_row = 3;
    for (col, (name, width)) in BOOK_COLUMNS.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
        ws.write_string_with_format(header_row, col as u16, *name, &head)?;
    }
    ws.set_repeat_rows(header_row, header_row)?;
    for (i, e) in entries.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        let date = e
            .issued_on
            .as_deref()
            .and_then(crate::doc::Date::parse)
            .map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year))
            .unwrap_or_default();
        let note = match e.state.as_str() {
            "cancelled" => format!("Đã hủy: {}", e.note),
            "reserved" => "Đang cấp số, chưa ban hành".to_string(),
            _ => e.note.clone(),
        };
        let copies = e.copies.map(|c| c.to_string()).unwrap_or_default();
        let values = [
            e.number_and_symbol.as_str(),
            &date,
            &e.kind_and_summary,
            &e.signer,
            &e.recipients,
            &e.archive,
            &copies,
            "",
            "",
            &note,
        ];
        for (col, v) in values.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, *v, &cell)?;
        }
    }
    workbook.save_to_buffer()
}
