//! One workbook → the unit reports in it. Finds the canonical table by its header labels
//! (not by fixed cells), so units may move, reorder and add columns and rows.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

use super::cell::*;
use super::consolidated::{find_consolidated, read_consolidated};
use super::container::*;
use super::header::{find_columns, Columns, NearMiss};
use super::legacy;
use super::matching::{match_unit_in_file_name, Matcher};
use super::{InputFile, LabelMatch, Limits, ReportedValue, Reporter, UnitReport};
use crate::diagnostic::{a1, Severity};
use crate::text::{fold, nfc};
pub(super) fn read_workbook(
    m: &Matcher<'_>,
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
    let xls_stream = match check_cfb(bytes, limits.max_cells) {
        Ok(stream) => stream,
        Err(why) => {
            push_damaged(r, None, why);
            return Vec::new();
        }
    };
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
    // An .xls's percentage cells and hidden rows and columns, from the BIFF stream the container
    // check found (calamine reads neither).
    let xls_sheets = xls_stream
        .filter(|_| matches!(workbook, Sheets::Xls(_)))
        .map(|w| biff_sheets(&w));
    let mut reports = Vec::new();
    let mut any_cells = false;
    // The header row that came closest to a table, for E-NO-TABLE to point at.
    let mut near: Option<(String, NearMiss)> = None;
    for sheet_name in workbook.sheet_names() {
        let (mut range, mut percent_cells) =
            match bounded_range(&mut workbook, &sheet_name, limits.max_cells) {
                Ok(read) => read,
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
        // An .ods's percentage cells and hidden rows and columns come from its
        // content.xml, an .xls's from its records, both read once above; an xlsx's hidden
        // rows and columns are read when needed (see Sheet::hidden).
        let hidden = std::cell::OnceCell::new();
        if let Some(sheet) = ods_merges.as_ref().and_then(|m| m.get(&sheet_name)) {
            percent_cells.clone_from(&sheet.percent);
            let _ = hidden.set(sheet.hidden.clone());
        }
        if let Some(sheet) = xls_sheets.as_ref().and_then(|m| m.get(&sheet_name)) {
            percent_cells.clone_from(&sheet.percent);
            let _ = hidden.set(sheet.hidden.clone());
        }
        normalise(&mut range, &merges, r, &sheet_name);
        let formula_sheet = sheet_name.clone();
        let formulas =
            Formulas::new(|| bounded_formulas(&mut workbook, &formula_sheet, limits.max_cells));
        let sheet = Sheet {
            name: &sheet_name,
            range: &range,
            formulas: &formulas,
            max_value: limits.max_value,
            percent_cells: &percent_cells,
            notation: std::cell::OnceCell::new(),
            workbook: bytes,
            hidden,
        };
        let is_hidden = |col: u32| sheet.hidden().cols.contains(&col);
        match find_columns(&range, m.period, &is_hidden) {
            Ok(cols) => reports.extend(read_table(m, file, r, &sheet, &cols)),
            Err(miss) => {
                if let Some(cols) = find_consolidated(m, &range) {
                    reports.extend(read_consolidated(m, file, r, &sheet, &cols));
                } else if near.is_none() {
                    near = miss.map(|n| (sheet_name.clone(), n));
                }
            }
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
        // The office that sends the form is the project's own ([agency] office).
        let hint = format!(
            "Đề nghị đơn vị dùng mẫu báo cáo do {} gửi (lệnh vanthu form).",
            m.project.agency.office
        );
        let (sheet, at, vi, en) = match (&near, code) {
            (Some((sheet, n)), "E-NO-TABLE") => (
                Some(sheet.as_str()),
                Some(a1(n.row, n.col)),
                format!("{vi} Dòng gần giống nhất có cột \"{}\" nhưng thiếu cột \"Chỉ tiêu\" hoặc \"Thực hiện\" của kỳ này.", n.header),
                format!("{en} The closest row has a \"{}\" column but lacks a \"Chỉ tiêu\" or this period's \"Thực hiện\" column.", n.header),
            ),
            _ => (None, None, vi.to_string(), en.to_string()),
        };
        r.push(
            Severity::Error,
            code,
            sheet,
            at,
            (vi, en),
            (
                &hint,
                "Ask the unit to use the report form (made by `vanthu form`).",
            ),
        );
    }
    reports
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
/// With the cells, those formatted as a percentage (xlsx: a `%` in the number format).
fn bounded_range<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    sheet: &str,
    max_cells: u64,
) -> Result<(Range<Data>, PercentCells), SheetRead> {
    use calamine::{Cell, DataRef};
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let mut percent = PercentCells::new();
    let mut span = Span::default();
    let mut keep = |cell: Cell<DataRef<'_>>| -> Result<(), SheetRead> {
        if matches!(cell.get_value(), DataRef::Empty) {
            return Ok(());
        }
        let (row, col) = cell.get_position();
        if span.add(row, col, col) > max_cells {
            return Err(SheetRead::TooManyCells);
        }
        cells.push(Cell::new((row, col), Data::from(cell.get_value().clone())));
        Ok(())
    };
    match workbook {
        Sheets::Xlsx(x) => {
            let mut reader = match x.worksheet_cells_reader(sheet) {
                Ok(reader) => reader,
                Err(calamine::XlsxError::NotAWorksheet(_)) => {
                    return Ok((Range::default(), percent))
                }
                Err(e) => return Err(SheetRead::Failed(e.to_string())),
            };
            let percent_styles: Vec<bool> = reader
                .styles()
                .iter()
                .map(|s| {
                    s.number_format
                        .as_ref()
                        .is_some_and(|f| is_percent_format(&f.format_code))
                })
                .collect();
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| SheetRead::Failed(e.to_string()))?
            {
                if percent_styles.get(style).copied().unwrap_or(false) {
                    percent.insert(cell.get_position());
                }
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
                .map(|range| (range, percent))
                .map_err(|e| SheetRead::Failed(e.to_string()))
        }
    }
    Ok((Range::from_sparse(cells), percent))
}

/// Positions of cells formatted as a percentage.
type PercentCells = std::collections::HashSet<(u32, u32)>;

/// A number format that shows a percentage: a `%` outside quotes and brackets.
fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut bracket, mut escaped) = (false, false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
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

/// Merged cell regions of a sheet: calamine's for xlsx and xls; for ods, those read
/// once per workbook from its `content.xml` (`ods`); xlsb has none.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    ods: Option<&HashMap<String, super::ods_merges::OdsSheet>>,
    sheet: &str,
) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Ods(_) => ods
            .and_then(|m| m.get(sheet))
            .map(|s| s.merges.clone())
            .unwrap_or_default(),
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

fn read_table(
    m: &Matcher<'_>,
    file: &InputFile,
    r: &mut Reporter<'_>,
    sh: &Sheet<'_>,
    cols: &Columns,
) -> Option<UnitReport> {
    let project = m.project;
    let (sheet, range) = (sh.name, sh.range);
    // The unit: the "Đơn vị báo cáo" line, else the file name.
    let line = unit_line(range, cols.header_row);
    let unit = match &line {
        UnitLine::Named(name, at) => match m.unit(name) {
            Some(u) => u,
            None => {
                push_unknown_unit(project, r, sheet, at.clone(), name);
                return None;
            }
        },
        UnitLine::Blank(_) | UnitLine::Absent => {
            let stem = file
                .name
                .rsplit_once('.')
                .map_or(file.name.as_str(), |(s, _)| s);
            match match_unit_in_file_name(project, stem) {
                Some(u) => u,
                None => {
                    // The cell of a unit line left empty, if there is one.
                    let at = match line {
                        UnitLine::Blank(at) => Some(at),
                        _ => None,
                    };
                    r.push(
                        Severity::Error,
                        "E-NO-UNIT",
                        Some(sheet),
                        at,
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
    let (period, period_cell) = sheet_period(r, sh, cols.header_row).unzip();
    for (taken, other) in &cols.ambiguous {
        r.push(
            Severity::Warning,
            "W-AMBIGUOUS-COLUMN",
            Some(sheet),
            Some(a1(cols.header_row, other.col)),
            (
                format!(
                    "Có hai cột có thể là số liệu kỳ này: \"{}\" ({}) và \"{}\" ({}); đã lấy cột \"{}\".",
                    taken.header,
                    a1(cols.header_row, taken.col),
                    other.header,
                    a1(cols.header_row, other.col),
                    taken.header
                ),
                format!(
                    "Two columns may hold this period's figures: \"{}\" ({}) and \"{}\" ({}); \"{}\" was read.",
                    taken.header,
                    a1(cols.header_row, taken.col),
                    other.header,
                    a1(cols.header_row, other.col),
                    taken.header
                ),
            ),
            (
                "Nếu lấy nhầm cột, sửa tiêu đề cột theo mẫu (\"Thực hiện\", \"Kế hoạch\") hoặc xóa cột thừa.",
                "If the wrong column was read, restore the form's headers (\"Thực hiện\", \"Kế hoạch\") or delete the extra column.",
            ),
        );
    }

    for (taken, hidden) in &cols.hidden {
        let (at, own) = (
            a1(cols.header_row, hidden.col),
            a1(cols.header_row, taken.col),
        );
        r.push(
            Severity::Warning,
            "W-HIDDEN-COLUMN",
            Some(sheet),
            Some(at.clone()),
            (
                format!(
                    "Cột \"{}\" ({at}) đang bị ẩn nên không được đọc; đã lấy cột hiện \"{}\" ({own}).",
                    hidden.header, taken.header
                ),
                format!(
                    "The column \"{}\" ({at}) is hidden and not read; the visible column \"{}\" ({own}) is.",
                    hidden.header, taken.header
                ),
            ),
            (
                "Nếu cột ẩn mới là số liệu đúng, hiện cột đó và xóa cột còn lại.",
                "If the hidden column holds the right figures, unhide it and delete the other.",
            ),
        );
    }

    let (last_row, _) = range.end()?;
    // First every row's indicator, then per indicator the row whose number counts: an
    // exact label beats a similar one wherever it stands, two exact rows are an error
    // naming both, and only the row used gets a warning for its look-alike label.
    let mut matched: Vec<RowMatch<'_>> = Vec::new();
    for row in cols.header_row + 1..=last_row {
        let Some(label) = cell_text(cell(range, row, cols.label)) else {
            continue;
        };
        match m.indicator(&label) {
            Some(LabelMatch::Exact(indicator)) => matched.push(RowMatch {
                row,
                label,
                indicator,
                similarity: None,
            }),
            Some(LabelMatch::Fuzzy(indicator, score)) => matched.push(RowMatch {
                row,
                label,
                indicator,
                similarity: Some(score),
            }),
            None => {
                let value_cell = cell(range, row, cols.value);
                let is_section = project
                    .sections
                    .iter()
                    .any(|s| fold(&label).contains(&fold(&s.title)));
                if !is_section && !matches!(value_cell, Data::Empty) && row_looks_like_data(&label)
                {
                    push_unknown_row(r, sheet, a1(row, cols.label), &label);
                }
            }
        }
    }
    let mut used = rows_used(&matched);
    // Of an indicator's exact rows, a hidden one is never counted over the one visible
    // row (an old row hidden rather than deleted); it is noted.
    let mut hidden_skipped: Vec<u32> = Vec::new();
    for choice in used.values_mut() {
        let RowChoice::Duplicate(rows) = choice else {
            continue;
        };
        let hidden = &sh.hidden().rows;
        let visible: Vec<u32> = rows
            .iter()
            .copied()
            .filter(|r| !hidden.contains(r))
            .collect();
        if let [one] = visible.as_slice() {
            hidden_skipped.extend(rows.iter().filter(|r| hidden.contains(r)));
            *choice = RowChoice::Row(*one);
        }
    }
    let mut values = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for rm in &matched {
        let (row, indicator) = (rm.row, rm.indicator);
        match used.get(indicator.code.as_str()) {
            Some(RowChoice::Row(used_row)) if *used_row == row => {}
            Some(RowChoice::Row(used_row)) if hidden_skipped.contains(&row) => {
                push_hidden_row(r, sheet, (row, *used_row, cols.label), indicator);
                continue;
            }
            Some(RowChoice::Row(used_row)) => {
                // A look-alike of an indicator whose own row is elsewhere.
                if !matches!(cell(range, row, cols.value), Data::Empty) {
                    push_look_alike_row(r, sheet, (row, *used_row, cols.label), rm);
                }
                continue;
            }
            Some(RowChoice::Duplicate(rows)) => {
                if rows.first() == Some(&row) {
                    push_duplicate_rows(r, sheet, rows, cols, indicator);
                }
                seen.insert(indicator.code.as_str());
                continue;
            }
            None => continue,
        }
        if let Some(score) = rm.similarity {
            r.push(
                Severity::Warning,
                "W-FUZZY-LABEL",
                Some(sheet),
                Some(a1(row, cols.label)),
                (
                    format!(
                        "Chỉ tiêu \"{}\" được hiểu là \"{}\" (giống {:.0}%).",
                        rm.label,
                        indicator.label,
                        score * 100.0
                    ),
                    format!(
                        "The label \"{}\" was taken for \"{}\" ({:.0}% alike).",
                        rm.label,
                        indicator.label,
                        score * 100.0
                    ),
                ),
                (
                    "Nếu hiểu sai, sửa lại tên chỉ tiêu theo mẫu.",
                    "If that is wrong, restore the label of the form.",
                ),
            );
        }
        seen.insert(indicator.code.as_str());
        let value_cell = cell(range, row, cols.value);
        let at = a1(row, cols.value);
        let value = read_value(r, sh, &at, value_cell, indicator, (row, cols.value));
        // Kế hoạch is read for itself, with the same checks as the value: a value that
        // cannot be taken does not lose the plan, and a plan that cannot be taken is an
        // error on its own cell (it was read as nothing, or as it was, negative too).
        let (target, target_refused) = match cols.target {
            None => (None, false),
            Some(c) => {
                let plan_at = a1(row, c);
                match read_value(r, sh, &plan_at, cell(range, row, c), indicator, (row, c)) {
                    Ok(t) => (t, false),
                    Err(()) => (None, true),
                }
            }
        };
        values.insert(
            indicator.code.clone(),
            ReportedValue {
                // A value that cannot be taken counts as no value (its error says so).
                value: value.unwrap_or(None),
                target,
                target_refused,
                cell: at,
            },
        );
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
        period_cell,
        values,
    })
}

/// Labels of signature and note rows are not data rows.
fn row_looks_like_data(label: &str) -> bool {
    let f = fold(label);
    !(f.starts_with("nguoi") || f.starts_with("thu truong") || f.starts_with("ghi chu"))
}

/// A row of the table whose label names an indicator.
struct RowMatch<'p> {
    row: u32,
    label: String,
    indicator: &'p crate::project::Indicator,
    /// How alike the label is, when it is not the indicator's own (or an alias).
    similarity: Option<f64>,
}

/// Which row's number counts for an indicator.
#[derive(Debug, PartialEq)]
enum RowChoice {
    Row(u32),
    /// Two or more rows with the indicator's exact label: none is taken.
    Duplicate(Vec<u32>),
}

/// For each indicator, the row whose number counts: its one exact row; else the most
/// alike of its look-alike rows (the first of equals); several exact rows are a
/// [`RowChoice::Duplicate`].
fn rows_used<'a>(matched: &'a [RowMatch<'_>]) -> HashMap<&'a str, RowChoice> {
    let mut by_indicator: HashMap<&str, Vec<&RowMatch<'_>>> = HashMap::new();
    for rm in matched {
        by_indicator
            .entry(rm.indicator.code.as_str())
            .or_default()
            .push(rm);
    }
    by_indicator
        .into_iter()
        .map(|(code, rows)| {
            let exact: Vec<u32> = rows
                .iter()
                .filter(|r| r.similarity.is_none())
                .map(|r| r.row)
                .collect();
            let choice = match exact.as_slice() {
                [one] => RowChoice::Row(*one),
                [] => {
                    let best = rows
                        .iter()
                        .fold(None::<&RowMatch<'_>>, |best, r| match best {
                            Some(b) if b.similarity >= r.similarity => Some(b),
                            _ => Some(r),
                        })
                        .map_or(0, |r| r.row);
                    RowChoice::Row(best)
                }
                _ => RowChoice::Duplicate(exact),
            };
            (code, choice)
        })
        .collect()
}

fn push_unknown_row(r: &mut Reporter<'_>, sheet: &str, at: String, label: &str) {
    r.push(
        Severity::Warning,
        "W-UNKNOWN-ROW",
        Some(sheet),
        Some(at),
        (
            format!("Dòng \"{label}\" không khớp chỉ tiêu nào; số liệu của dòng này không được tính."),
            format!("The row \"{label}\" matches no indicator; its number is not counted."),
        ),
        ("Nếu là chỉ tiêu của dự án, sửa tên theo mẫu hoặc thêm vào aliases trong vanthu.toml.", "If it is one of the project's indicators, restore its label or add an alias in vanthu.toml."),
    );
}

/// A row whose label looks like an indicator's, not counted: the indicator's own row
/// (`used`) is elsewhere.
fn push_look_alike_row(
    r: &mut Reporter<'_>,
    sheet: &str,
    (row, used, col): (u32, u32, u32),
    rm: &RowMatch<'_>,
) {
    let (at, own) = (a1(row, col), a1(used, col));
    let ind = &rm.indicator.label;
    r.push(
        Severity::Warning,
        "W-UNKNOWN-ROW",
        Some(sheet),
        Some(at),
        (
            format!("Dòng \"{}\" gần giống chỉ tiêu \"{ind}\", nhưng chỉ tiêu này đã có dòng đúng tên ở {own}; số liệu của dòng này không được tính.", rm.label),
            format!("The row \"{}\" looks like the indicator \"{ind}\", whose own row is at {own}; this row's number is not counted.", rm.label),
        ),
        ("Không cần làm gì nếu đây là dòng khác của đơn vị.", "Nothing to do if this is a row of the unit's own."),
    );
}

/// `E-DUPLICATE-ROW`: one indicator on several rows; none is counted.
fn push_duplicate_rows(
    r: &mut Reporter<'_>,
    sheet: &str,
    rows: &[u32],
    cols: &Columns,
    ind: &crate::project::Indicator,
) {
    let list: Vec<String> = rows.iter().map(|&row| a1(row, cols.label)).collect();
    let list = list.join(", ");
    r.push(
        Severity::Error,
        "E-DUPLICATE-ROW",
        Some(sheet),
        Some(a1(rows[0], cols.label)),
        (
            format!("Chỉ tiêu \"{}\" có ở nhiều dòng ({list}); không biết lấy số liệu dòng nào nên chưa tính.", ind.label),
            format!("The indicator \"{}\" is on several rows ({list}); it is not counted, as it cannot be told which one holds the figure.", ind.label),
        ),
        ("Xóa các dòng thừa (kể cả dòng đã ẩn), chỉ giữ một dòng cho mỗi chỉ tiêu.", "Delete the extra rows (hidden ones too), keeping one row per indicator."),
    );
}

/// `W-HIDDEN-ROW`: a hidden row with an indicator's label, not counted; the visible
/// row `used` is.
fn push_hidden_row(
    r: &mut Reporter<'_>,
    sheet: &str,
    (row, used, col): (u32, u32, u32),
    ind: &crate::project::Indicator,
) {
    let (at, own) = (a1(row, col), a1(used, col));
    r.push(
        Severity::Warning,
        "W-HIDDEN-ROW",
        Some(sheet),
        Some(at.clone()),
        (
            format!("Dòng {at} của chỉ tiêu \"{}\" đang bị ẩn nên không được tính; đã lấy dòng hiện ở {own}.", ind.label),
            format!("Row {at} of the indicator \"{}\" is hidden and not counted; the visible row at {own} is.", ind.label),
        ),
        (
            "Nếu dòng ẩn mới là số liệu đúng, hiện dòng đó và xóa dòng còn lại.",
            "If the hidden row holds the right figure, unhide it and delete the other.",
        ),
    );
}
