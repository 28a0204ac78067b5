//! One workbook → the unit reports in it. Finds the canonical table by its header labels
//! (not by fixed cells), so units may move, reorder and add columns and rows.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

use super::consolidated::{find_consolidated, read_consolidated};
use super::legacy;
use super::matching::{closest_units, match_indicator, match_unit, match_unit_in_file_name};
use super::number::{from_float, parse_vietnamese};
use super::{InputFile, LabelMatch, Limits, ReportedValue, Reporter, UnitReport};
use crate::diagnostic::{a1, Severity};
use crate::period::Period;
use crate::project::{Project, ValueKind};
use crate::text::{fold, nfc};

/// How far down and across the table's header row may be.
const HEADER_SEARCH_ROWS: u32 = 60;
const HEADER_SEARCH_COLS: u32 = 30;

const EXCEL_ERRORS: [&str; 8] = [
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#N/A",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#GETTING_DATA",
];

/// One sheet as intake reads it: normalised cells, and formulas to tell an empty cell
/// from a formula whose result was never saved.
pub(super) struct Sheet<'a> {
    pub name: &'a str,
    pub range: &'a Range<Data>,
    pub formulas: &'a (dyn FormulaSource + 'a),
    /// The largest figure taken (`[limits] max_value`).
    pub max_value: u64,
}

/// Where a sheet's formulas come from (read lazily, see [`Formulas`]).
pub(super) trait FormulaSource {
    fn get(&self) -> Option<&Range<String>>;
}

impl FormulaSource for Formulas<'_> {
    fn get(&self) -> Option<&Range<String>> {
        Formulas::get(self)
    }
}

/// A sheet's formulas, read from the file only when an empty value cell needs them:
/// reading them parses the sheet a second time, which was a third of reading a
/// canonical sheet whose value cells are all filled in.
pub(super) struct Formulas<'a> {
    loaded: std::cell::OnceCell<Option<Range<String>>>,
    load: std::cell::RefCell<Box<dyn FnMut() -> Option<Range<String>> + 'a>>,
}

impl<'a> Formulas<'a> {
    pub fn new(load: impl FnMut() -> Option<Range<String>> + 'a) -> Self {
        Formulas {
            loaded: std::cell::OnceCell::new(),
            load: std::cell::RefCell::new(Box::new(load)),
        }
    }

    pub fn get(&self) -> Option<&Range<String>> {
        self.loaded
            .get_or_init(|| (self.load.borrow_mut())())
            .as_ref()
    }
}

/// Where the canonical table's columns are.
struct Columns {
    header_row: u32,
    label: u32,
    value: u32,
    target: Option<u32>,
}

pub(super) fn read_workbook(
    project: &Project,
    file: &InputFile,
    r: &mut Reporter<'_>,
    limits: Limits,
) -> Vec<UnitReport> {
    let bytes = file.bytes.as_slice();
    if let Some(kind) = not_a_spreadsheet(bytes) {
        r.push(
            Severity::Error,
            "E-NOT-SPREADSHEET",
            None,
            None,
            (
                format!("Tệp này không phải bảng tính Excel/LibreOffice ({kind})."),
                format!("This file is not an Excel/LibreOffice spreadsheet ({kind})."),
            ),
            (
                "Đề nghị đơn vị gửi lại báo cáo theo mẫu bảng tính (.xlsx, .xls hoặc .ods).",
                "Ask the unit for its report on the spreadsheet form (.xlsx, .xls or .ods).",
            ),
        );
        return Vec::new();
    }
    let zip = scan_zip(bytes, limits.max_unpacked_bytes);
    if is_encrypted_ooxml(bytes) || zip.as_ref().is_some_and(|z| z.encrypted_odf) {
        push_password(r);
        return Vec::new();
    }
    if zip.is_some_and(|z| z.too_large) {
        let max = limits.max_unpacked_bytes / 1_048_576;
        r.push(
            Severity::Error,
            "E-TOO-LARGE",
            None,
            None,
            (
                format!("Tệp giải nén ra hơn {max} MB, vượt giới hạn."),
                format!("The workbook unpacks to more than {max} MB, over the limit."),
            ),
            (
                "Xóa các trang tính, hình ảnh không cần thiết rồi lưu lại; nếu là tệp lạ, không mở nó.",
                "Remove unneeded sheets and pictures and save again; if the file is unexpected, do not open it.",
            ),
        );
        return Vec::new();
    }
    if let Some(why) = cfb_damage(bytes, limits.max_cells) {
        push_damaged(r, None, why);
        return Vec::new();
    }
    let mut workbook = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            if e.to_string().to_lowercase().contains("password") || is_encrypted_xls(bytes) {
                push_password(r);
            } else {
                push_damaged(r, None, &e.to_string());
            }
            return Vec::new();
        }
    };
    let ods_merges =
        matches!(workbook, Sheets::Ods(_)).then(|| super::ods_merges::merges_by_sheet(bytes));
    let mut reports = Vec::new();
    let mut any_cells = false;
    for sheet_name in workbook.sheet_names() {
        let mut range = match bounded_range(&mut workbook, &sheet_name, limits.max_cells) {
            Ok(range) => range,
            Err(SheetRead::TooManyCells) => {
                push_too_many_cells(r, &sheet_name, limits.max_cells);
                continue;
            }
            Err(SheetRead::Failed(e)) => {
                r.push(
                    Severity::Error,
                    "E-DAMAGED",
                    Some(&sheet_name),
                    None,
                    (
                        format!("Không đọc được trang tính ({e})."),
                        format!("The sheet cannot be read ({e})."),
                    ),
                    (
                        "Mở tệp bằng Excel hoặc LibreOffice và lưu lại.",
                        "Open and save the file again in Excel or LibreOffice.",
                    ),
                );
                continue;
            }
        };
        let (h, w) = range.get_size();
        if (h as u64) * (w as u64) > limits.max_cells {
            push_too_many_cells(r, &sheet_name, limits.max_cells);
            continue;
        }
        if range.used_cells().next().is_none() {
            continue;
        }
        any_cells = true;
        let merges = merged_regions(&mut workbook, ods_merges.as_ref(), &sheet_name);
        normalise(&mut range, &merges, r, &sheet_name);
        let formula_sheet = sheet_name.clone();
        let formulas =
            Formulas::new(|| bounded_formulas(&mut workbook, &formula_sheet, limits.max_cells));
        let sheet = Sheet {
            name: &sheet_name,
            range: &range,
            formulas: &formulas,
            max_value: limits.max_value,
        };
        if let Some(cols) = find_columns(&range) {
            reports.extend(read_table(project, file, r, &sheet, &cols));
        } else if let Some(cols) = find_consolidated(project, &range) {
            reports.extend(read_consolidated(project, file, r, &sheet, &cols));
        }
    }
    if reports.is_empty() && r.out.iter().all(|d| !d.is_error()) {
        let (code, vi, en) = if any_cells {
            (
                "E-NO-TABLE",
                "Không tìm thấy bảng báo cáo (dòng tiêu đề có cột \"Chỉ tiêu\" và \"Thực hiện\") trong tệp.",
                "No report table (a header row with \"Chỉ tiêu\" and \"Thực hiện\" columns) was found.",
            )
        } else {
            (
                "E-EMPTY-WORKBOOK",
                "Bảng tính trống.",
                "The workbook is empty.",
            )
        };
        r.push(
            Severity::Error,
            code,
            None,
            None,
            (vi.to_string(), en.to_string()),
            (
                "Đề nghị đơn vị dùng mẫu báo cáo do phòng Văn hóa – Xã hội gửi (lệnh vanthu form).",
                "Ask the unit to use the report form (made by `vanthu form`).",
            ),
        );
    }
    reports
}

/// The rows and columns a sheet's cells span so far: calamine lays a sheet out densely
/// over them.
struct Span {
    rows: (u32, u32),
    cols: (u32, u32),
}

impl Default for Span {
    fn default() -> Self {
        Span {
            rows: (u32::MAX, 0),
            cols: (u32::MAX, 0),
        }
    }
}

impl Span {
    /// Takes in a cell of `row` spanning columns `first` to `last`; returns how many
    /// cells the span now holds.
    fn add(&mut self, row: u32, first: u32, last: u32) -> u64 {
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.cols = (
            self.cols.0.min(first.min(last)),
            self.cols.1.max(first.max(last)),
        );
        let len = |(lo, hi): (u32, u32)| u64::from(hi.saturating_sub(lo)) + 1;
        len(self.rows).saturating_mul(len(self.cols))
    }
}

/// `E-TOO-MANY-CELLS` for a sheet whose cells span more than `max` cells.
fn push_too_many_cells(r: &mut Reporter<'_>, sheet: &str, max: u64) {
    r.push(
        Severity::Error,
        "E-TOO-MANY-CELLS",
        Some(sheet),
        None,
        (
            format!("Các ô có dữ liệu của trang tính trải rộng quá {max} ô, vượt giới hạn (có thể có ô gõ nhầm ở rất xa bảng)."),
            format!("The sheet's filled cells span more than {max} cells, over the limit (a stray entry far from the table?)."),
        ),
        (
            "Xóa các dòng, cột thừa ngoài bảng báo cáo rồi lưu lại.",
            "Delete the rows and columns outside the report table and save again.",
        ),
    );
}

/// Why a sheet's cells were not read.
enum SheetRead {
    /// They span more than the project's `max_cells`.
    TooManyCells,
    /// The reader failed, with what it said.
    Failed(String),
}

/// The sheet's cells as calamine's `worksheet_range` gives them, but for xlsx and xlsb
/// read cell by cell, and refused as soon as the cells span more than `max_cells`:
/// calamine lays them out densely from the first row and column to the last, so one
/// cell typed at XFD1048576 would ask for 17 billion. (A .xls is checked before it is
/// opened, see [`biff_reserves_too_much`]; an .ods by its size after.)
fn bounded_range<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    sheet: &str,
    max_cells: u64,
) -> Result<Range<Data>, SheetRead> {
    use calamine::{Cell, DataRef};
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let mut span = Span::default();
    let mut keep = |cell: Cell<DataRef<'_>>| -> Result<(), SheetRead> {
        if matches!(cell.get_value(), DataRef::Empty) {
            return Ok(());
        }
        let (row, col) = cell.get_position();
        if span.add(row, col, col) > max_cells {
            return Err(SheetRead::TooManyCells);
        }
        let (pos, val) = (cell.get_position(), Data::from(cell.get_value().clone()));
        cells.push(Cell::new(pos, val));
        Ok(())
    };
    match workbook {
        Sheets::Xlsx(x) => {
            let mut reader = match x.worksheet_cells_reader(sheet) {
                Ok(reader) => reader,
                Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
                Err(e) => return Err(SheetRead::Failed(e.to_string())),
            };
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| SheetRead::Failed(e.to_string()))?
            {
                keep(cell)?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x
                .worksheet_cells_reader(sheet)
                .map_err(|e| SheetRead::Failed(e.to_string()))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| SheetRead::Failed(e.to_string()))?
            {
                keep(cell)?;
            }
        }
        other => {
            return other
                .worksheet_range(sheet)
                .map_err(|e| SheetRead::Failed(e.to_string()))
        }
    }
    Ok(Range::from_sparse(cells))
}

/// The sheet's formulas, as calamine's `worksheet_formula`, but for xlsx read one by
/// one and given up (as if the sheet had none) once they span more than `max_cells`:
/// a formula saved without its result far from the table would otherwise make a dense
/// grid of billions of texts.
fn bounded_formulas<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    sheet: &str,
    max_cells: u64,
) -> Option<Range<String>> {
    let Sheets::Xlsx(x) = workbook else {
        let range = workbook.worksheet_formula(sheet).ok()?;
        let (h, w) = range.get_size();
        return ((h as u64) * (w as u64) <= max_cells).then_some(range);
    };
    let mut reader = x.worksheet_cells_reader(sheet).ok()?;
    let mut cells = Vec::new();
    let mut span = Span::default();
    while let Some(cell) = reader.next_formula().ok()? {
        if cell.get_value().is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        if span.add(row, col, col) > max_cells {
            return None;
        }
        cells.push(cell);
    }
    Some(Range::from_sparse(cells))
}

/// `E-DAMAGED` for the file (or one sheet of it), with what the reader said.
pub(super) fn push_damaged(r: &mut Reporter<'_>, sheet: Option<&str>, why: &str) {
    r.push(
        Severity::Error,
        "E-DAMAGED",
        sheet,
        None,
        (
            format!("Tệp bảng tính bị hỏng hoặc không đầy đủ ({why})."),
            format!("The workbook is damaged or truncated ({why})."),
        ),
        (
            "Mở tệp bằng Excel hoặc LibreOffice; nếu không mở được, đề nghị đơn vị gửi lại.",
            "Open it in Excel or LibreOffice; if it does not open, ask the unit to send it again.",
        ),
    );
}

/// Why an OLE compound file (.xls, or an encrypted .xlsx) cannot be whole, from its
/// allocation tables: a sector size other than 512 or 4096 bytes, a table or stream
/// sector past the end of the file (a truncated download), or a sector chain that runs
/// in a circle or off its table (corrupted sectors). calamine follows chains without
/// checking them: on a circle it allocates until the machine runs out of memory, and on
/// a sector out of range it panics. So every chain it will follow is walked here first.
fn cfb_damage(bytes: &[u8], max_cells: u64) -> Option<&'static str> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    /// Values at and above this end a chain or mark a special sector.
    const LAST_SECTOR: u32 = 0xFFFF_FFFA;
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const TRUNCATED: &str = "tệp bị cắt cụt / the file is truncated";
    const BAD_CHAIN: &str = "chuỗi sector OLE bị hỏng / a broken OLE sector chain";
    if !bytes.starts_with(OLE) {
        return None;
    }
    if bytes.len() < 512 {
        return Some(TRUNCATED);
    }
    let u32_at = |b: &[u8], o: usize| -> u32 {
        b.get(o..o + 4).map_or(END_OF_CHAIN, |x| {
            u32::from_le_bytes([x[0], x[1], x[2], x[3]])
        })
    };
    let sector_size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Some("kích thước sector OLE sai / bad OLE sector size"),
    };
    let sectors = (bytes.len().saturating_sub(sector_size) / sector_size) as u32;
    let sector = |s: u32| -> Option<&[u8]> {
        let at = (s as usize + 1).checked_mul(sector_size)?;
        bytes.get(at..at.checked_add(sector_size)?)
    };
    // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    let fat_count = u32_at(bytes, 44) as usize;
    if fat_count > sectors as usize {
        return Some(TRUNCATED);
    }
    let mut fat_sectors: Vec<u32> = (0..109usize.min(fat_count))
        .map(|i| u32_at(bytes, 76 + 4 * i))
        .collect();
    let (mut difat, difat_count) = (u32_at(bytes, 68), u32_at(bytes, 72));
    let mut hops = 0;
    while fat_sectors.len() < fat_count && difat < LAST_SECTOR {
        hops += 1;
        if hops > difat_count.max(1) {
            return Some(BAD_CHAIN);
        }
        let Some(d) = sector(difat) else {
            return Some(TRUNCATED);
        };
        let per = sector_size / 4 - 1;
        fat_sectors.extend((0..per).map(|i| u32_at(d, 4 * i)));
        difat = u32_at(d, 4 * per);
    }
    fat_sectors.truncate(fat_count);
    let mut fat: Vec<u32> = Vec::with_capacity(fat_count * sector_size / 4);
    for s in fat_sectors {
        let Some(f) = sector(s) else {
            return Some(TRUNCATED);
        };
        fat.extend((0..sector_size / 4).map(|i| u32_at(f, 4 * i)));
    }
    // A chain from `start` through `table`: the sectors, or why it cannot be followed.
    fn chain(table: &[u32], start: u32, limit: u32) -> Result<Vec<u32>, &'static str> {
        let mut seen = vec![false; table.len()];
        let mut out = Vec::new();
        let mut s = start;
        while s < LAST_SECTOR {
            let i = s as usize;
            if i >= table.len() || s >= limit {
                return Err(TRUNCATED);
            }
            if std::mem::replace(&mut seen[i], true) {
                return Err(BAD_CHAIN);
            }
            out.push(s);
            s = table[i];
        }
        Ok(out)
    }
    let directory = match chain(&fat, u32_at(bytes, 48), sectors) {
        Ok(c) => c,
        Err(e) => return Some(e),
    };
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat: Vec<u32> = match chain(&fat, mini_fat_start, sectors) {
        Ok(c) => c
            .iter()
            .filter_map(|&s| sector(s))
            .flat_map(|d| (0..sector_size / 4).map(move |i| u32_at(d, 4 * i)))
            .collect(),
        Err(e) => return Some(e),
    };
    let cutoff = u32_at(bytes, 56);
    let mut mini_stream_sectors = u32::MAX;
    let mut mini_stream: Vec<u32> = Vec::new();
    let mut workbook: Option<Vec<u8>> = None;
    for (n, s) in directory.iter().enumerate() {
        let Some(d) = sector(*s) else {
            return Some(TRUNCATED);
        };
        for e in d.chunks_exact(128) {
            let kind = e[66];
            let (start, size) = (u32_at(e, 116), u32_at(e, 120));
            let root = n == 0 && std::ptr::eq(e.as_ptr(), d.as_ptr());
            if root || kind == 5 {
                // The root entry holds the mini stream, in the FAT.
                match chain(&fat, start, sectors) {
                    Ok(c) => {
                        mini_stream_sectors = (c.len() * sector_size / 64) as u32;
                        mini_stream = c;
                    }
                    Err(e) => return Some(e),
                }
            } else if kind == 2 {
                let small = size < cutoff;
                let result = if small {
                    chain(&mini_fat, start, mini_stream_sectors)
                } else {
                    chain(&fat, start, sectors)
                };
                let found = match result {
                    Ok(c) => c,
                    Err(e) => return Some(e),
                };
                let name_len = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
                let name: Vec<u16> = e[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&c| c != 0)
                    .collect();
                let name = String::from_utf16_lossy(&name);
                if name == "Workbook" || (name == "Book" && workbook.is_none()) {
                    workbook = Some(if small {
                        let root: Vec<u8> = mini_stream
                            .iter()
                            .filter_map(|&s| sector(s))
                            .flatten()
                            .copied()
                            .collect();
                        found
                            .iter()
                            .filter_map(|&m| root.get(m as usize * 64..m as usize * 64 + 64))
                            .flatten()
                            .copied()
                            .collect()
                    } else {
                        found
                            .iter()
                            .filter_map(|&s| sector(s))
                            .flatten()
                            .copied()
                            .collect()
                    });
                }
            }
        }
    }
    match workbook {
        Some(w) if biff_reserves_too_much(&w, max_cells) => Some(TOO_MANY_CELLS),
        _ => None,
    }
}

/// The reason [`cfb_damage`] gives for a sheet whose Dimensions record declares more
/// cells than the project allows.
const TOO_MANY_CELLS: &str = "trang tính khai báo quá nhiều ô / a sheet declares too many cells";

/// Whether a sheet of the BIFF workbook stream `w` declares (Dimensions record, 0x0200)
/// or spans with its cells more than `max_cells` cells. calamine reserves memory for
/// every declared cell before reading one, then lays the cells out densely from the
/// first row and column to the last: a corrupted record asks for gigabytes, and one
/// cell far away makes a grid of billions. The globals are walked as calamine walks
/// them, then each sheet from where its BoundSheet record (0x0085) says it starts.
fn biff_reserves_too_much(w: &[u8], max_cells: u64) -> bool {
    let record = |at: usize| -> Option<(u16, &[u8], usize)> {
        let head = w.get(at..at.checked_add(4)?)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = u16::from_le_bytes([head[2], head[3]]) as usize;
        let data = w.get(at + 4..at + 4 + len)?;
        Some((typ, data, at + 4 + len))
    };
    let u32_of = |d: &[u8], o: usize| {
        d.get(o..o + 4)
            .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    let u16_of = |d: &[u8], o: usize| {
        d.get(o..o + 2)
            .map_or(0, |x| u16::from_le_bytes([x[0], x[1]]) as u32)
    };
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some((typ, data, next)) = record(at) {
        if typ == 0x002F {
            // FilePass: the rest is encrypted, and calamine stops here (E-PASSWORD).
            return false;
        }
        if typ == 0x0085 {
            starts.push(u32_of(data, 0) as usize);
        }
        if typ == 0x000A {
            break;
        }
        at = next;
    }
    for start in starts {
        let mut at = start;
        // The rows and columns the sheet's cells span, as calamine's Range will.
        let mut span = Span::default();
        while let Some((typ, data, next)) = record(at) {
            // Number, Label, LabelSst, Rk, Formula, BoolErr: row, then column; MulRk: row,
            // first column, …, last column.
            if matches!(
                typ,
                0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0006 | 0x0205 | 0x00BD
            ) && data.len() >= 4
            {
                let row = u16_of(data, 0);
                let first = u16_of(data, 2);
                let last = if typ == 0x00BD {
                    u16_of(data, data.len() - 2)
                } else {
                    first
                };
                if span.add(row, first, last) > max_cells {
                    return true;
                }
            }
            if typ == 0x0200 {
                // As calamine's parse_dimensions reads it.
                let (rf, rl, mut cf, cl) = match data.len() {
                    10 => (
                        u16_of(data, 0),
                        u16_of(data, 2),
                        u16_of(data, 4),
                        u16_of(data, 6),
                    ),
                    14 | 16 => (
                        u32_of(data, 0),
                        u32_of(data, 4),
                        u16_of(data, 8),
                        u16_of(data, 10),
                    ),
                    _ => break,
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = (rl as u64 - 1).wrapping_sub(rf as u64).wrapping_add(1);
                    let cols = (cl as u64 - 1).wrapping_sub(cf as u64).wrapping_add(1);
                    if rows.saturating_mul(cols) > max_cells {
                        return true;
                    }
                }
            }
            if typ == 0x000A {
                break;
            }
            at = next;
        }
    }
    false
}

fn push_password(r: &mut Reporter<'_>) {
    r.push(
        Severity::Error,
        "E-PASSWORD",
        None,
        None,
        (
            "Tệp được đặt mật khẩu nên không đọc được.".into(),
            "The workbook is password-protected and cannot be read.".into(),
        ),
        (
            "Đề nghị đơn vị lưu lại tệp không đặt mật khẩu rồi gửi lại.",
            "Ask the unit to save it without a password and send it again.",
        ),
    );
}

/// What a file that is not a spreadsheet looks like, from its first bytes.
fn not_a_spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) {
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(b"word/document.xml") {
            return Some("Word .docx");
        }
        if has(b"ppt/presentation.xml") {
            return Some("PowerPoint .pptx");
        }
        return None;
    }
    if bytes.starts_with(OLE) {
        return None;
    }
    if bytes.starts_with(b"%PDF") {
        return Some("PDF");
    }
    if bytes.is_empty() {
        return Some("tệp rỗng / empty file");
    }
    Some("không rõ định dạng / unknown format")
}

/// An OOXML workbook saved with a password is an OLE container holding
/// `EncryptedPackage`. (An OpenDocument one is found by [`scan_zip`], a .xls one by
/// [`is_encrypted_xls`].)
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    bytes.starts_with(b"\xD0\xCF\x11\xE0") && bytes.windows(NAME.len()).any(|w| w == NAME)
}

/// calamine's format detection hides the .xls reader's password error behind "cannot
/// detect file format", so once opening failed the Xls reader is asked directly.
fn is_encrypted_xls(bytes: &[u8]) -> bool {
    matches!(
        calamine::Xls::new(Cursor::new(bytes)),
        Err(calamine::XlsError::Password)
    )
}

/// What one pass over a zip container (xlsx, xlsm, xlsb, ods) finds before calamine
/// opens it.
struct ZipScan {
    /// Its parts unpack to more than the limit. A part is read through at most its
    /// compressed size (as the zip readers do) and DEFLATE cannot expand data more
    /// than [`DEFLATE_MAX_RATIO`] times, so when every part is stored or deflated and
    /// that bound is under the limit, nothing is inflated to know it — an ordinary
    /// unit sheet, whose inflating was a fifth of reading it. Otherwise each part is
    /// inflated into nothing through a bounded reader, so a zip bomb is found by what
    /// it really holds (its directory may lie about the unpacked sizes) and stopped
    /// at the limit.
    too_large: bool,
    /// An OpenDocument file saved with a password: its manifest declares
    /// `manifest:encryption-data` for the encrypted parts.
    encrypted_odf: bool,
}

/// `None` for a file that is not a readable zip.
fn scan_zip(bytes: &[u8], limit: u64) -> Option<ZipScan> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut scan = ZipScan {
        too_large: false,
        encrypted_odf: false,
    };
    if let Some(bound) = unpacked_bound(&mut archive) {
        if bound <= limit {
            // Only the OpenDocument manifest needs reading.
            if let Ok(mut manifest) = archive.by_name(ODF_MANIFEST) {
                let mut xml = Vec::new();
                manifest.read_to_end(&mut xml).ok()?;
                scan.encrypted_odf = declares_encryption(&xml);
            }
            return Some(scan);
        }
    }
    let mut left = limit;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).ok()?;
        let is_manifest = entry.name().is_ok_and(|n| n == ODF_MANIFEST);
        let mut bounded = entry.take(left + 1);
        let read = if is_manifest {
            let mut xml = Vec::new();
            let n = bounded.read_to_end(&mut xml).ok()?;
            scan.encrypted_odf = declares_encryption(&xml);
            n as u64
        } else {
            std::io::copy(&mut bounded, &mut std::io::sink()).ok()?
        };
        if read > left {
            scan.too_large = true;
            break;
        }
        left -= read;
    }
    Some(scan)
}

/// The part of an OpenDocument file that lists its parts and how they are encrypted.
const ODF_MANIFEST: &str = "META-INF/manifest.xml";

/// The manifest declares encrypted parts (`manifest:encryption-data`).
fn declares_encryption(manifest: &[u8]) -> bool {
    String::from_utf8_lossy(manifest).contains("encryption-data")
}

/// The most DEFLATE can expand its input: a 258-byte match coded in 2 bits.
const DEFLATE_MAX_RATIO: u64 = 258 * 8 / 2;

/// The most the archive's parts can unpack to, from their compressed sizes alone;
/// `None` if a part uses another method (no such bound is known) or the sum overflows.
fn unpacked_bound(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<u64> {
    let mut bound = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).ok()?;
        let ratio = match entry.compression() {
            zip::CompressionMethod::Stored => 1,
            zip::CompressionMethod::Deflated => DEFLATE_MAX_RATIO,
            _ => return None,
        };
        bound = bound.checked_add(entry.compressed_size().checked_mul(ratio)?)?;
    }
    Some(bound)
}

/// Merged cell regions of a sheet: calamine's for xlsx and xls; for ods, those read
/// once per workbook from its `content.xml` (`ods`); xlsb has none.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    ods: Option<&HashMap<String, Vec<Dimensions>>>,
    sheet: &str,
) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Ods(_) => ods.and_then(|m| m.get(sheet)).cloned().unwrap_or_default(),
        Sheets::Xlsb(_) => Vec::new(),
    }
}

/// Makes a sheet's cells uniform before anything reads them: the text of a merged
/// region in each of its cells (a two-row header, a label spread over columns); legacy
/// TCVN3/VNI text converted to Unicode, with one warning naming the cells; NFC.
fn normalise(range: &mut Range<Data>, merges: &[Dimensions], r: &mut Reporter<'_>, sheet: &str) {
    let (Some(start), Some(end)) = (range.start(), range.end()) else {
        return;
    };
    for m in merges {
        let Some(Data::String(text)) = range.get_value(m.start).cloned() else {
            continue;
        };
        for row in m.start.0.max(start.0)..=m.end.0.min(end.0) {
            for col in m.start.1.max(start.1)..=m.end.1.min(end.1) {
                if matches!(range.get_value((row, col)), Some(Data::Empty) | None) {
                    range.set_value((row, col), Data::String(text.clone()));
                }
            }
        }
    }
    let mut converted: Vec<(String, legacy::Legacy, String, String)> = Vec::new();
    for row in start.0..=end.0 {
        for col in start.1..=end.1 {
            let Some(Data::String(text)) = range.get_value((row, col)) else {
                continue;
            };
            let new = match legacy::convert(text) {
                Some((enc, unicode)) => {
                    converted.push((a1(row, col), enc, text.clone(), unicode.clone()));
                    unicode
                }
                None if text.is_ascii() => continue,
                None => nfc(text),
            };
            range.set_value((row, col), Data::String(new));
        }
    }
    if let Some((first, enc, old, new)) = converted.first() {
        let cells: Vec<&str> = converted.iter().map(|c| c.0.as_str()).take(8).collect();
        let more = if converted.len() > cells.len() {
            ", …"
        } else {
            ""
        };
        let list = format!("{}{more}", cells.join(", "));
        let n = converted.len();
        r.push(
            Severity::Warning,
            "W-LEGACY-ENCODING",
            Some(sheet),
            Some(first.clone()),
            (
                format!("{n} ô gõ bằng bảng mã cũ {} ({list}) đã được chuyển sang Unicode, ví dụ \"{old}\" → \"{new}\".", enc.name()),
                format!("{n} cells typed in the legacy encoding {} ({list}) were converted to Unicode, e.g. \"{old}\" → \"{new}\".", enc.name()),
            ),
            (
                "Kiểm tra lại các ô này; lần sau đề nghị đơn vị gõ bằng bảng mã Unicode (phông Times New Roman).",
                "Check these cells; ask the unit to type in Unicode (Times New Roman) next time.",
            ),
        );
    }
}

pub(super) fn cell(range: &Range<Data>, row: u32, col: u32) -> &Data {
    range.get_value((row, col)).unwrap_or(&Data::Empty)
}

pub(super) fn cell_text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Data::Float(f) => Some(f.to_string()),
        Data::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

fn find_columns(range: &Range<Data>) -> Option<Columns> {
    let (r0, c0) = range.start()?;
    let (r1, c1) = range.end()?;
    for row in r0..=r1.min(r0 + HEADER_SEARCH_ROWS) {
        let mut label = None;
        let mut value = None;
        let mut target = None;
        for col in c0..=c1.min(c0 + HEADER_SEARCH_COLS) {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            let f = fold(&text);
            if label.is_none() && (f.starts_with("chi tieu") || f == "noi dung") {
                label = Some(col);
            } else if value.is_none() && f.starts_with("thuc hien") {
                value = Some(col);
            } else if target.is_none() && f.starts_with("ke hoach") {
                target = Some(col);
            }
        }
        if let (Some(label), Some(value)) = (label, value) {
            return Some(Columns {
                header_row: row,
                label,
                value,
                target,
            });
        }
    }
    None
}

/// The text of a "Key: value" line above the table: after the colon in the same cell,
/// or in the next non-empty cell to the right.
pub(super) fn keyed_line(range: &Range<Data>, above: u32, key: &str) -> Option<(String, String)> {
    let (r0, c0) = range.start()?;
    let (_, c1) = range.end()?;
    for row in r0..above {
        for col in c0..=c1 {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            if !fold(&text).starts_with(key) {
                continue;
            }
            if let Some((_, rest)) = text.split_once(':') {
                if !rest.trim().is_empty() {
                    return Some((rest.trim().to_string(), a1(row, col)));
                }
            }
            for next in col + 1..=c1 {
                if let Some(t) = cell_text(cell(range, row, next)) {
                    return Some((t, a1(row, next)));
                }
            }
        }
    }
    None
}

fn read_table(
    project: &Project,
    file: &InputFile,
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    cols: &Columns,
) -> Option<UnitReport> {
    let (sheet, range) = (sh.name, sh.range);
    // The unit: the "Đơn vị báo cáo" line, else the file name.
    let unit = match keyed_line(range, cols.header_row, "don vi bao cao") {
        Some((name, at)) => match match_unit(project, &name) {
            Some(u) => u,
            None => {
                push_unknown_unit(project, r, sheet, at, &name);
                return None;
            }
        },
        None => {
            let stem = file
                .name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(s, _)| s);
            match match_unit_in_file_name(project, stem) {
                Some(u) => u,
                None => {
                    r.push(
                        Severity::Error,
                        "E-NO-UNIT",
                        Some(sheet),
                        None,
                        (
                            "Không xác định được đơn vị báo cáo: thiếu dòng \"Đơn vị báo cáo: …\" và tên tệp không chứa tên đơn vị.".into(),
                            "The reporting unit is unknown: no \"Đơn vị báo cáo: …\" line, and the file name names no unit.".into(),
                        ),
                        (
                            "Thêm dòng \"Đơn vị báo cáo: <tên đơn vị>\" phía trên bảng, hoặc đặt tên tệp theo tên đơn vị.",
                            "Add a line \"Đơn vị báo cáo: <unit name>\" above the table, or name the file after the unit.",
                        ),
                    );
                    return None;
                }
            }
        }
    };
    let period = sheet_period(r, sh, cols.header_row);

    let (last_row, _) = range.end()?;
    let mut values = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for row in cols.header_row + 1..=last_row {
        let Some(label) = cell_text(cell(range, row, cols.label)) else {
            continue;
        };
        let value_cell = cell(range, row, cols.value);
        let indicator = match match_indicator(project, &label) {
            Some(LabelMatch::Exact(ind)) => ind,
            Some(LabelMatch::Fuzzy(ind, score)) => {
                r.push(
                    Severity::Warning,
                    "W-FUZZY-LABEL",
                    Some(sheet),
                    Some(a1(row, cols.label)),
                    (
                        format!(
                            "Chỉ tiêu \"{label}\" được hiểu là \"{}\" (giống {:.0}%).",
                            ind.label,
                            score * 100.0
                        ),
                        format!(
                            "The label \"{label}\" was taken for \"{}\" ({:.0}% alike).",
                            ind.label,
                            score * 100.0
                        ),
                    ),
                    (
                        "Nếu hiểu sai, sửa lại tên chỉ tiêu theo mẫu.",
                        "If that is wrong, restore the label of the form.",
                    ),
                );
                ind
            }
            None => {
                let is_section = project
                    .sections
                    .iter()
                    .any(|s| fold(&label).contains(&fold(&s.title)));
                if !is_section && !matches!(value_cell, Data::Empty) && row_looks_like_data(&label)
                {
                    r.push(
                        Severity::Warning,
                        "W-UNKNOWN-ROW",
                        Some(sheet),
                        Some(a1(row, cols.label)),
                        (
                            format!("Dòng \"{label}\" không khớp chỉ tiêu nào; số liệu của dòng này không được tính."),
                            format!("The row \"{label}\" matches no indicator; its number is not counted."),
                        ),
                        ("Nếu là chỉ tiêu của dự án, sửa tên theo mẫu hoặc thêm vào aliases trong vanthu.toml.", "If it is one of the project's indicators, restore its label or add an alias in vanthu.toml."),
                    );
                }
                continue;
            }
        };
        if !seen.insert(indicator.code.as_str()) {
            continue;
        }
        let at = a1(row, cols.value);
        let value = read_value(r, sh, &at, value_cell, indicator.kind, (row, cols.value));
        let target = cols
            .target
            .and_then(|c| number_of(cell(range, row, c)).ok().flatten());
        if let Ok(value) = value {
            values.insert(
                indicator.code.clone(),
                ReportedValue {
                    value,
                    target,
                    cell: at,
                },
            );
        }
    }
    for ind in project
        .reported_indicators()
        .filter(|i| !seen.contains(i.code.as_str()))
    {
        r.push(
            Severity::Error,
            "E-MISSING-INDICATOR",
            Some(sheet),
            None,
            (
                format!("Thiếu chỉ tiêu \"{}\".", ind.label),
                format!("The indicator \"{}\" is missing.", ind.label),
            ),
            (
                "Thêm lại dòng chỉ tiêu này theo mẫu; nếu không có số liệu, ghi \"-\".",
                "Add the indicator's row back as on the form; write \"-\" when there is no figure.",
            ),
        );
    }
    Some(UnitReport {
        file: file.name.clone(),
        sheet: sheet.to_string(),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        period,
        values,
    })
}

/// A unit name that is not in the roster, with the closest roster names as the hint.
pub(super) fn push_unknown_unit(
    project: &Project,
    r: &mut Reporter<'_>,
    sheet: &str,
    at: String,
    name: &str,
) {
    let near: Vec<String> = closest_units(project, name, 3)
        .iter()
        .map(|u| format!("\"{}\"", u.name))
        .collect();
    r.push(
        Severity::Error,
        "E-UNKNOWN-UNIT",
        Some(sheet),
        Some(at),
        (
            format!("Đơn vị \"{name}\" không có trong danh sách đơn vị của dự án."),
            format!("The unit \"{name}\" is not in the project's roster."),
        ),
        (
            &format!("Có phải là {}? Sửa tên đơn vị cho đúng, hoặc thêm tên này vào aliases của đơn vị trong vanthu.toml.", near.join(", ")),
            &format!("Did you mean {}? Correct the name, or add it to the unit's aliases in vanthu.toml.", near.join(", ")),
        ),
    );
}

/// Labels of signature and note rows are not data rows.
fn row_looks_like_data(label: &str) -> bool {
    let f = fold(label);
    !(f.starts_with("nguoi") || f.starts_with("thu truong") || f.starts_with("ghi chu"))
}

/// A cell as a number: `Ok(None)` for no data, `Err(text)` for what is not a number.
fn number_of(d: &Data) -> Result<Option<rust_decimal::Decimal>, String> {
    match d {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some((*i).into())),
        Data::Float(f) => from_float(*f).map(Some).ok_or_else(|| f.to_string()),
        Data::String(s) => parse_vietnamese(s).map_err(|_| nfc(s.trim())),
        Data::Bool(b) => Err(b.to_string()),
        Data::DateTime(dt) => Err(dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Err(s.clone()),
        Data::Error(e) => Err(e.to_string()),
    }
}

/// The period a sheet states on its "Kỳ báo cáo" line above `header_row`, if it states one.
pub(super) fn sheet_period(
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    header_row: u32,
) -> Option<Period> {
    let (text, at) = keyed_line(sh.range, header_row, "ky bao cao")?;
    let period = Period::parse_vietnamese(&text);
    if period.is_none() {
        r.push(
            Severity::Warning,
            "W-PERIOD-TEXT",
            Some(sh.name),
            Some(at),
            (
                format!("Không đọc được kỳ báo cáo \"{text}\"; coi như kỳ của thư mục."),
                format!("The period \"{text}\" cannot be read; the folder's period is assumed."),
            ),
            (
                "Ghi kỳ báo cáo theo dạng \"Tháng 10/2025\" hoặc \"Quý IV/2025\".",
                "Write the period as \"Tháng 10/2025\" or \"Quý IV/2025\".",
            ),
        );
    }
    period
}

/// One value cell: `Ok(None)` for no data; `Err` once its diagnostic is pushed.
pub(super) fn read_value(
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    at: &str,
    d: &Data,
    kind: ValueKind,
    pos: (u32, u32),
) -> Result<Option<rust_decimal::Decimal>, ()> {
    let sheet = sh.name;
    let error_value = match d {
        Data::Error(e) => Some(e.to_string()),
        Data::String(s) if EXCEL_ERRORS.contains(&s.trim()) => Some(s.trim().to_string()),
        _ => None,
    };
    if let Some(e) = error_value {
        r.push(
            Severity::Error,
            "E-CELL-ERROR",
            Some(sheet),
            Some(at.to_string()),
            (
                format!("Ô có lỗi công thức {e}."),
                format!("The cell holds the error {e}."),
            ),
            (
                "Sửa công thức hoặc nhập số trực tiếp vào ô.",
                "Fix the formula or type the number in the cell.",
            ),
        );
        return Err(());
    }
    if matches!(d, Data::Empty) {
        let has_formula = sh
            .formulas
            .get()
            .and_then(|f| f.get_value(pos))
            .is_some_and(|f| !f.trim().is_empty());
        if has_formula {
            r.push(
                Severity::Error,
                "E-FORMULA-NO-VALUE",
                Some(sheet),
                Some(at.to_string()),
                (
                    "Ô có công thức nhưng tệp không lưu kết quả tính (tệp do phần mềm khác tạo ra).".into(),
                    "The cell has a formula but the file carries no computed result (it was written by another program).".into(),
                ),
                (
                    "Mở tệp bằng Excel hoặc LibreOffice, lưu lại một lần rồi gửi lại.",
                    "Open the file once in Excel or LibreOffice, save it, and send it again.",
                ),
            );
            return Err(());
        }
        return Ok(None);
    }
    let too_big = |r: &mut Reporter<'_>, shown: String| {
        let max = crate::text::group_thousands(&sh.max_value.to_string());
        r.push(
            Severity::Error,
            "E-TOO-BIG",
            Some(sheet),
            Some(at.to_string()),
            (
                format!("Số liệu {shown} lớn quá mức có thể (hơn {max}); không được tính."),
                format!("The figure {shown} is beyond any plausible value (over {max}); it is not counted."),
            ),
            (
                "Kiểm tra lại ô: có thể gõ nhầm hoặc dán nhầm; giới hạn đặt ở [limits] max_value của vanthu.toml.",
                "Check the cell for a typing or pasting slip; the bound is [limits] max_value in vanthu.toml.",
            ),
        );
    };
    if let Data::Float(f) = d {
        if f.is_finite() && f.abs() > sh.max_value as f64 {
            too_big(r, f.to_string());
            return Err(());
        }
    }
    let value = match number_of(d) {
        Ok(v) => v,
        Err(text) => {
            r.push(
                Severity::Error,
                "E-NUMBER-TEXT",
                Some(sheet),
                Some(at.to_string()),
                (
                    format!("Ô số liệu ghi \"{text}\", không phải là số."),
                    format!("The value cell says \"{text}\", which is not a number."),
                ),
                (
                    "Chỉ ghi số (ví dụ 12 hoặc 1.234); đơn vị tính đã có ở cột riêng; không có số liệu thì ghi \"-\".",
                    "Write only the number (12 or 1.234); the unit of measure has its own column; write \"-\" when there is none.",
                ),
            );
            return Err(());
        }
    };
    if let Some(v) = value {
        if v.abs() > rust_decimal::Decimal::from(sh.max_value) {
            too_big(r, v.to_string());
            return Err(());
        }
        if v.is_sign_negative() && !v.is_zero() {
            r.push(
                Severity::Error,
                "E-NEGATIVE",
                Some(sheet),
                Some(at.to_string()),
                (
                    format!("Số liệu âm ({v})."),
                    format!("A negative figure ({v})."),
                ),
                (
                    "Kiểm tra lại số liệu: chỉ tiêu này không thể âm.",
                    "Check the figure: this indicator cannot be negative.",
                ),
            );
            return Err(());
        }
        if kind == ValueKind::Integer && !v.fract().is_zero() {
            r.push(
                Severity::Error,
                "E-FRACTION",
                Some(sheet),
                Some(at.to_string()),
                (
                    format!("Chỉ tiêu này phải là số nguyên, ô ghi {v}."),
                    format!("This indicator takes whole numbers; the cell says {v}."),
                ),
                (
                    "Ghi số nguyên (số buổi, số người…).",
                    "Write a whole number (sessions, people…).",
                ),
            );
            return Err(());
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    /// A zip of `parts`: each its bytes and whether it is deflated (else stored).
    fn zip_of(parts: &[(Vec<u8>, bool)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (i, (data, deflated)) in parts.iter().enumerate() {
            let method = if *deflated {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(format!("part{i}.xml"), options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The bound that lets a sheet skip inflating is never below what its parts
        /// really unpack to, however well they compress (runs of one byte, up to
        /// 300 KB, compress about a thousand times).
        #[test]
        fn the_unpacked_bound_is_never_below_the_truth(
            parts in proptest::collection::vec(
                (any::<u8>(), 0usize..300_000, proptest::collection::vec(any::<u8>(), 0..64), any::<bool>()),
                1..5,
            ),
        ) {
            let parts: Vec<(Vec<u8>, bool)> = parts
                .into_iter()
                .map(|(b, run, noise, deflated)| {
                    let mut data = vec![b; run];
                    data.extend(noise);
                    (data, deflated)
                })
                .collect();
            let truth: u64 = parts.iter().map(|(d, _)| d.len() as u64).sum();
            let bytes = zip_of(&parts);
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
            let bound = unpacked_bound(&mut archive).unwrap();
            prop_assert!(bound >= truth, "bound {bound} < {truth}");
            // And the guard agrees with the truth on either side of it, by the bound
            // alone (a limit at the bound) or by inflating (a limit under it).
            let scan = |limit| scan_zip(&bytes, limit).unwrap().too_large;
            prop_assert!(!scan(bound));
            prop_assert!(!scan(truth));
            if truth > 0 {
                prop_assert!(scan(truth - 1));
            }
        }
    }
}
