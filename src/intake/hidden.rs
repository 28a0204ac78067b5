//! Hidden rows of an xlsx sheet, which calamine does not report: read from the sheet's
//! own XML (`<row hidden="1">`), and only when an indicator has two rows and one may be
//! an old row hidden from view. (An .ods's come with its merges from `content.xml`, an
//! .xls's from its BIFF records, in the passes already made over them.)

use std::collections::HashSet;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// Most bytes of one XML part read here (a workbook's parts were bounded before it was
/// opened; this only keeps a second read cheap).
const MAX_PART: u64 = 64 * 1024 * 1024;

/// The 0-based hidden rows of sheet `name` of the xlsx `bytes`; empty when unknown.
pub(super) fn hidden_rows(bytes: &[u8], name: &str) -> HashSet<u32> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return HashSet::new();
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
        Some(xlsx_hidden_rows(&sheet))
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

/// Rows with `hidden="1"` (or `true`) in a worksheet part.
fn xlsx_hidden_rows(xml: &[u8]) -> HashSet<u32> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut hidden = HashSet::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "row" => {
                let is_hidden = matches!(attr(&e, "hidden").as_deref(), Some("1" | "true"));
                let row = attr(&e, "r").and_then(|r| r.parse::<u32>().ok());
                if let (true, Some(r)) = (is_hidden, row) {
                    hidden.insert(r.saturating_sub(1));
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
    fn hidden_rows_of_an_xlsx_sheet_part() {
        let xml = br#"<worksheet><sheetData><row r="3" hidden="1"><c r="A3"/></row><row r="4"/><row r="9" hidden="true"/></sheetData></worksheet>"#;
        let rows = xlsx_hidden_rows(xml);
        assert_eq!(rows, HashSet::from([2, 8]));
    }
}
