//! One workbook → the unit reports in it: the workbook opened (with the limits on what
//! it may unpack and span), each sheet's cells read and bounded, what calamine does not
//! say gathered (merges, percentage cells, hidden rows and columns), the sheet made
//! uniform ([`super::normalise`]), and its table found — the canonical form's
//! ([`super::table`]) or a consolidated one ([`super::consolidated`]).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, Dimensions, Range, Reader, Sheets};

use super::cell::*;
use super::consolidated::{find_consolidated, read_consolidated};
use super::container::*;
use super::header::{find_columns, NearMiss};
use super::matching::Matcher;
use super::normalise::normalise;
use super::table::read_table;
use super::{InputFile, IntakeProblem, Limits, Reporter, UnitReport};
use crate::diagnostic::a1;
pub(super) fn read_workbook(
    m: &Matcher<'_>,
    file: &InputFile,
    r: &mut Reporter<'_>,
    limits: Limits,
) -> Vec<UnitReport> {
    let bytes = file.bytes.as_slice();
    if let Some(kind) = not_a_spreadsheet(bytes) {
        r.push(None, None, IntakeProblem::NotSpreadsheet { kind });
        return Vec::new();
    }
    let zip = scan_zip(bytes, limits.max_unpacked_bytes);
    if is_encrypted_ooxml(bytes) || zip.as_ref().is_some_and(|z| z.encrypted_odf) {
        push_password(r);
        return Vec::new();
    }
    if zip.is_some_and(|z| z.too_large) {
        r.push(
            None,
            None,
            IntakeProblem::UnpacksTooLarge {
                max_mb: limits.max_unpacked_bytes / 1_048_576,
            },
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
                        Some(&sheet_name),
                        None,
                        IntakeProblem::SheetUnreadable { reason: e },
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
        let merges = merged_regions(&mut workbook, bytes, ods_merges.as_ref(), &sheet_name);
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
        let office = m.project.agency.office.clone();
        let (sheet, at, problem) = match (&near, any_cells) {
            (Some((sheet, n)), true) => (
                Some(sheet.as_str()),
                Some(a1(n.row, n.col)),
                IntakeProblem::NoTable {
                    office,
                    near: Some(n.header.clone()),
                },
            ),
            (None, true) => (None, None, IntakeProblem::NoTable { office, near: None }),
            (_, false) => (None, None, IntakeProblem::EmptyWorkbook { office }),
        };
        r.push(sheet, at, problem);
    }
    reports
}

/// `E-TOO-MANY-CELLS` for a sheet whose cells span more than `max` cells.
fn push_too_many_cells(r: &mut Reporter<'_>, sheet: &str, max: u64) {
    r.push(Some(sheet), None, IntakeProblem::TooManyCells { max });
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
        sheet,
        None,
        IntakeProblem::Damaged {
            reason: why.to_string(),
        },
    );
}

fn push_password(r: &mut Reporter<'_>) {
    r.push(None, None, IntakeProblem::Password);
}

/// Merged cell regions of a sheet: calamine's for xlsx and xls; for ods, those read
/// once per workbook from its `content.xml` (`ods`); xlsb has none.
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    workbook: &mut Sheets<RS>,
    bytes: &[u8],
    ods: Option<&HashMap<String, super::ods_merges::OdsSheet>>,
    sheet: &str,
) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(_) => super::hidden::merges_in_xlsx(bytes, sheet),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).unwrap_or_default(),
        Sheets::Ods(_) => ods
            .and_then(|m| m.get(sheet))
            .map(|s| s.merges.clone())
            .unwrap_or_default(),
        Sheets::Xlsb(_) => Vec::new(),
    }
}
