//! Hidden rows and columns of a sheet, which calamine does not report. An xlsx's are
//! read here from the sheet's own XML (`<row hidden="1">`, `<col min max hidden="1">`),
//! and only when a choice needs them: an indicator with two rows, or two columns that
//! could hold the period's figures, one of which may be an old one hidden from view. (An
//! .ods's come with its merges from `content.xml`, an .xls's from its BIFF records, in
//! the passes already made over them.)

use std::collections::HashSet;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Most bytes of one XML part read here (a workbook's parts were bounded before it was
/// opened; this only keeps a second read cheap).
const MAX_PART: u64 = 64 * 1024 * 1024;

/// Most columns one `<col>` range (or an .ods's repeated column) marks hidden here: a
/// range to the sheet's last column is the empty sheet beside the table.
pub(super) const MAX_HIDDEN_SPAN: u32 = 1024;

/// A sheet's hidden rows and columns, 0-based.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Hidden {
    pub rows: HashSet<u32>,
    pub cols: HashSet<u32>,
}

/// The hidden rows and columns of sheet `name` of the xlsx `bytes`; none when unknown.
pub(super) fn hidden_in_xlsx(bytes: &[u8], name: &str) -> Hidden {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Hidden::default();
    };
    let part = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str| -> Option<Vec<u8>> {
        let entry = zip.by_name(path).ok()?;
        let mut out = Vec::new();
        entry.take(MAX_PART).read_to_end(&mut out).ok()?;
        Some(out)
    };
    let found = (|| {
        let workbook = part(&mut zip, "xl/workbook.xml")?;
        let rels = part(&mut zip, "xl/_rels/workbook.xml.rels")?;
        let id = sheet_relation(&workbook, name)?;
        let target = relation_target(&rels, &id)?;
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let sheet = part(&mut zip, &path)?;
        Some(xlsx_hidden(&sheet))
    })();
    found.unwrap_or_default()
}

/// An attribute's value by its local name (`hidden`, `r:id` as `id`, `table:name` as
/// `name`).
fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| {
            let full: &str = a.key.as_ref();
            full.rsplit(':').next() == Some(key)
        })
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The relationship id of the sheet called `name` in `xl/workbook.xml`.
fn sheet_relation(xml: &[u8], name: &str) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "sheet"
                    && attr(&e, "name").as_deref() == Some(name) =>
            {
                return attr(&e, "id");
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The target of relationship `id` in a `.rels` part.
fn relation_target(xml: &[u8], id: &str) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship"
                    && attr(&e, "Id").as_deref() == Some(id) =>
            {
                return attr(&e, "Target");
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// Rows and column ranges with `hidden="1"` (or `true`) in a worksheet part.
fn xlsx_hidden(xml: &[u8]) -> Hidden {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut hidden = Hidden::default();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let is_hidden = || matches!(attr(&e, "hidden").as_deref(), Some("1" | "true"));
                let number = |key| attr(&e, key).and_then(|v| v.trim().parse::<u32>().ok());
                match e.local_name().as_ref() {
                    "row" if is_hidden() => {
                        if let Some(r) = number("r") {
                            hidden.rows.insert(r.saturating_sub(1));
                        }
                    }
                    "col" if is_hidden() => {
                        if let (Some(min), Some(max)) = (number("min"), number("max")) {
                            let first = min.saturating_sub(1);
                            let last = max.min(first.saturating_add(MAX_HIDDEN_SPAN));
                            hidden.cols.extend(first..last);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::Eof) | Err(_) => return hidden,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_columns_of_an_xlsx_sheet_part() {
        let xml = br#"<worksheet><cols><col min="2" max="2" width="9"/><col min="4" max="5" hidden="1"/><col min="7" max="16384" hidden="true"/></cols><sheetData><row r="3" hidden="1"><c r="A3"/></row><row r="4"/><row r="9" hidden="true"/></sheetData></worksheet>"#;
        let hidden = xlsx_hidden(xml);
        assert_eq!(hidden.rows, HashSet::from([2, 8]));
        // D:E, and G on for MAX_HIDDEN_SPAN columns (the rest of the sheet).
        assert!(hidden.cols.contains(&3) && hidden.cols.contains(&4));
        assert!(!hidden.cols.contains(&1) && !hidden.cols.contains(&5));
        assert!(hidden.cols.contains(&6));
        assert_eq!(hidden.cols.len(), 2 + MAX_HIDDEN_SPAN as usize);
    }
}
