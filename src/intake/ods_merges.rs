//! What calamine does not report of an OpenDocument sheet, read here from
//! `content.xml`: merged cells (a cell with `table:number-columns-spanned` or
//! `table:number-rows-spanned` greater than one is the top-left cell of a merge; calamine
//! reports merges for xlsx and xls only), the cells whose value is a percentage
//! (`office:value-type="percentage"`, shown "85%" for 0.85; calamine gives the bare
//! float), and the hidden rows and columns (`table:visibility` `collapse` or `filter` on
//! a `table:table-row` or `table:table-column`). Positions are absolute (0-based), as
//! calamine's are. `content.xml` holds every sheet, so it is read once per workbook.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::hidden::{Hidden, MAX_HIDDEN_SPAN};

/// Largest `content.xml` read for merges; larger files were already refused by the
/// unpacked-size limit, this only bounds the work if that limit is raised.
const MAX_CONTENT_BYTES: u64 = 256 * 1024 * 1024;

/// Percentage cells (and hidden rows) recorded at most per sheet (a repeated row of them is the empty
/// sheet's formatting below the table, not data).
const MAX_PERCENT_CELLS: usize = 100_000;

/// What one sheet has that calamine does not say.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct OdsSheet {
    pub merges: Vec<Dimensions>,
    pub percent: HashSet<(u32, u32)>,
    pub hidden: Hidden,
}

/// Every sheet of the .ods `bytes`, by sheet name; none if it cannot be read.
pub(super) fn merges_by_sheet(bytes: &[u8]) -> HashMap<String, OdsSheet> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashMap::new();
    };
    let Ok(file) = archive.by_name("content.xml") else {
        return HashMap::new();
    };
    let mut xml = Vec::new();
    if file.take(MAX_CONTENT_BYTES).read_to_end(&mut xml).is_err() {
        return HashMap::new();
    }
    merges_in_content(&xml)
}

fn attr_u32(e: &BytesStart<'_>, name: &str) -> Option<u32> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse().ok())
}

fn attr_string(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn merges_in_content(xml: &[u8]) -> HashMap<String, OdsSheet> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    // The sheet being read, and what it has so far.
    let mut current: Option<(String, OdsSheet)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    // The next `table:table-column`'s index.
    let mut column = 0u32;
    let mut row_repeat = 1u32;
    let mut out = HashMap::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        current = Some((
                            attr_string(e, "table:name").unwrap_or_default(),
                            OdsSheet::default(),
                        ));
                        row = 0;
                        column = 0;
                    }
                    "table:table-column" => {
                        let repeat = attr_u32(e, "table:number-columns-repeated").unwrap_or(1);
                        let visibility = attr_string(e, "table:visibility");
                        if let (Some((_, sheet)), Some("collapse" | "filter")) =
                            (current.as_mut(), visibility.as_deref())
                        {
                            let end = column.saturating_add(repeat.min(MAX_HIDDEN_SPAN));
                            sheet.hidden.cols.extend(column..end);
                        }
                        column = column.saturating_add(repeat);
                    }
                    "table:table-row" if current.is_some() => {
                        col = 0;
                        row_repeat = attr_u32(e, "table:number-rows-repeated").unwrap_or(1);
                        let visibility = attr_string(e, "table:visibility");
                        if matches!(visibility.as_deref(), Some("collapse" | "filter")) {
                            if let Some((_, sheet)) = current.as_mut() {
                                // A long run of hidden rows is the empty sheet below the
                                // table: only rows that can hold data matter.
                                let end =
                                    row.saturating_add(row_repeat.min(MAX_PERCENT_CELLS as u32));
                                sheet.hidden.rows.extend(row..end);
                            }
                        }
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        if let Some((_, sheet)) = current.as_mut() {
                            let cols = attr_u32(e, "table:number-columns-spanned").unwrap_or(1);
                            let rows = attr_u32(e, "table:number-rows-spanned").unwrap_or(1);
                            let is_cell = e.name().as_ref() == "table:table-cell";
                            let repeat = attr_u32(e, "table:number-columns-repeated").unwrap_or(1);
                            let is_percent = attr_string(e, "office:value-type").as_deref()
                                == Some("percentage");
                            if is_cell && is_percent {
                                for r in row..row.saturating_add(row_repeat) {
                                    for c in col..col.saturating_add(repeat) {
                                        if sheet.percent.len() >= MAX_PERCENT_CELLS {
                                            break;
                                        }
                                        sheet.percent.insert((r, c));
                                    }
                                }
                            }
                            if is_cell && (cols > 1 || rows > 1) {
                                sheet.merges.push(Dimensions {
                                    start: (row, col),
                                    end: (
                                        row.saturating_add(rows - 1),
                                        col.saturating_add(cols - 1),
                                    ),
                                });
                            }
                            col = col.saturating_add(repeat);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table" => {
                    if let Some((name, merges)) = current.take() {
                        out.insert(name, merges);
                    }
                }
                "table:table-row" if current.is_some() => row = row.saturating_add(row_repeat),
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_found_past_repeated_rows_and_cells() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row>
              <table:table-cell table:number-columns-spanned="9"/></table:table-row></table:table>
            <table:table table:name="B&#225;o c&#225;o">
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row>
                <table:table-cell table:number-columns-repeated="3"/>
                <table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="3"><text:p>K</text:p></table:table-cell>
                <table:covered-table-cell/>
              </table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let all = merges_in_content(xml);
        let m = &all["Báo cáo"].merges;
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].start, m[0].end), ((2, 3), (4, 4)));
        assert_eq!(all["Other"].merges.len(), 1);
        assert!(all["Other"].hidden.rows.is_empty());
        assert!(!all.contains_key("Missing"));
        assert!(merges_in_content(b"<not xml").is_empty());
    }

    #[test]
    fn hidden_rows_and_columns_are_counted_past_repeated_ones() {
        let xml = br#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="A"><table:table-row table:visibility="collapse"/></table:table>
            <table:table table:name="BC">
              <table:table-column table:number-columns-repeated="3"/>
              <table:table-column table:visibility="collapse"/>
              <table:table-column/>
              <table:table-column table:number-columns-repeated="4000" table:visibility="collapse"/>
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row table:visibility="collapse"><table:table-cell/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let all = merges_in_content(xml);
        assert_eq!(all["BC"].hidden.rows, HashSet::from([2]));
        assert_eq!(all["A"].hidden.rows, HashSet::from([0]));
        let cols = &all["BC"].hidden.cols;
        assert!(cols.contains(&3) && !cols.contains(&4) && cols.contains(&5));
        assert_eq!(cols.len(), 1 + MAX_HIDDEN_SPAN as usize);
        assert!(all["A"].hidden.cols.is_empty());
    }
}
