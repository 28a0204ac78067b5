//! What an xlsx sheet's own XML says that calamine does not report, or reports slowly.
//!
//! Hidden rows and columns (`<row hidden="1">`, `<col min max hidden="1">`), read only
//! when a choice needs them: an indicator with two rows, or two columns that could hold
//! the period's figures, one of which may be an old one hidden from view. (An .ods's
//! come with its merges from `content.xml`, an .xls's from its BIFF records, in the
//! passes already made over them.)
//!
//! Merged regions (`<mergeCells>`), found by searching the part rather than parsing
//! every cell again.

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

/// The xlsx `bytes` opened, and the path of sheet `name`'s XML part in it, found
/// through the workbook's relationships.
fn open_sheet<'a>(
    bytes: &'a [u8],
    name: &str,
) -> Option<(zip::ZipArchive<Cursor<&'a [u8]>>, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = read_part(&mut zip, "xl/workbook.xml")?;
    let rels = read_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let id = sheet_relation(&workbook, name)?;
    let target = relation_target(&rels, &id)?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    Some((zip, path))
}

/// The part at `path` of `zip`, at most [`MAX_PART`] bytes of it.
fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, path: &str) -> Option<Vec<u8>> {
    let entry = zip.by_name(path).ok()?;
    let mut out = Vec::new();
    entry.take(MAX_PART).read_to_end(&mut out).ok()?;
    Some(out)
}

/// The XML part of sheet `name` of the xlsx `bytes`.
fn sheet_part(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let (mut zip, path) = open_sheet(bytes, name)?;
    read_part(&mut zip, &path)
}

/// The hidden rows and columns of sheet `name` of the xlsx `bytes`; none when unknown.
pub(super) fn hidden_in_xlsx(bytes: &[u8], name: &str) -> Hidden {
    sheet_part(bytes, name)
        .map(|sheet| xlsx_hidden(&sheet))
        .unwrap_or_default()
}

/// Bytes inflated at a time while looking for `<mergeCells>`.
const CHUNK: usize = 64 * 1024;

/// Longest namespace prefix of `<x:mergeCells` recognised.
const MAX_PREFIX: usize = 64;

/// The merged regions' element's local name.
const NAME: &[u8] = b"mergeCells";

/// The merged regions of sheet `name` of the xlsx `bytes`, 0-based and inclusive.
///
/// calamine's `merge_cells_by_sheet_name` parses the whole sheet again, every cell, to
/// reach `<mergeCells>` after them; here the part is inflated a chunk at a time into one
/// buffer and searched for it, and only that element is kept and parsed: the second
/// reading of every sheet was 13 % of intake, and holding the whole part (grown by
/// doubling, each growth copied) a further 1 % of a batch.
pub(super) fn merges_in_xlsx(bytes: &[u8], name: &str) -> Vec<calamine::Dimensions> {
    let Some((mut zip, path)) = open_sheet(bytes, name) else {
        return Vec::new();
    };
    let Ok(entry) = zip.by_name(&path) else {
        return Vec::new();
    };
    match merge_cells_element(entry.take(MAX_PART)) {
        Some(element) => parse_merge_cells(&element),
        None => Vec::new(),
    }
}

/// The bytes of `part` from its `<mergeCells>` element on, read a chunk at a time into
/// one buffer; `None` if it has none or cannot be read.
fn merge_cells_element(mut part: impl Read) -> Option<Vec<u8>> {
    // `window` holds the last bytes searched (so a name split between two reads, and
    // the `<` and prefix before it, are still seen) and then the next chunk.
    let mut window: Vec<u8> = Vec::with_capacity(CHUNK + MAX_PREFIX + 16);
    let mut searched = 0;
    let start = loop {
        let kept = window.len();
        window.resize(kept + CHUNK, 0);
        let n = part.read(&mut window[kept..]).ok()?;
        window.truncate(kept + n);
        if let Some(at) = merge_cells_start(&window, searched) {
            break at;
        }
        if n == 0 {
            return None;
        }
        let keep = window.len().min(MAX_PREFIX + 1 + NAME.len());
        window.drain(..window.len() - keep);
        // A name found next ends in the new bytes: one wholly in those kept was seen.
        searched = keep.saturating_sub(NAME.len() - 1);
    };
    let mut element = window.split_off(start);
    part.read_to_end(&mut element).ok()?;
    Some(element)
}

/// Where in `xml` the first `<mergeCells` (or `<x:mergeCells`, any prefix) starts, the
/// name beginning at or after `from`: an element's name, not text in a cell.
fn merge_cells_start(xml: &[u8], from: usize) -> Option<usize> {
    let from = from.min(xml.len());
    memchr::memmem::find_iter(&xml[from..], NAME).find_map(|i| {
        let i = from + i;
        let reach = i.saturating_sub(MAX_PREFIX + 1);
        let lt = reach + xml[reach..i].iter().rposition(|&b| b == b'<')?;
        xml[lt + 1..i]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b':')
            .then_some(lt)
    })
}

/// The `<mergeCell ref>`s of the `<mergeCells>` element `xml` starts with.
fn parse_merge_cells(xml: &[u8]) -> Vec<calamine::Dimensions> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(d) = attr(&e, "ref").and_then(|r| dimensions(&r)) {
                    out.push(d);
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => return out,
            Ok(Event::Eof) | Err(_) => return out,
            _ => {}
        }
        buf.clear();
    }
}

/// `B2:D3` (or one cell, `B2`) as 0-based (row, column) corners.
fn dimensions(reference: &str) -> Option<calamine::Dimensions> {
    let cell = |a1: &str| -> Option<(u32, u32)> {
        let a1 = a1.trim().replace('$', "");
        let split = a1.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = a1.split_at(split);
        if letters.is_empty() || letters.len() > 3 {
            return None;
        }
        let mut col: u32 = 0;
        for c in letters.chars() {
            if !c.is_ascii_alphabetic() {
                return None;
            }
            col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
        }
        let row: u32 = digits.parse().ok()?;
        Some((row.checked_sub(1)?, col - 1))
    };
    let (start, end) = match reference.split_once(':') {
        Some((a, b)) => (cell(a)?, cell(b)?),
        None => (cell(reference)?, cell(reference)?),
    };
    Some(calamine::Dimensions {
        start: (start.0.min(end.0), start.1.min(end.1)),
        end: (start.0.max(end.0), start.1.max(end.1)),
    })
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
    use proptest::prelude::*;

    /// Hands out its bytes `step` at a time, as an inflating reader may.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// The element as found in the whole part at once.
    fn whole(xml: &[u8]) -> Option<Vec<u8>> {
        merge_cells_start(xml, 0).map(|at| xml[at..].to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// However the part arrives, in whatever pieces, the element found is the one
        /// the whole part shows: a name split between reads, or a prefix before it, is
        /// still seen, and a cell's text "mergeCells" is not taken for it.
        #[test]
        fn merge_cells_are_found_across_any_read_boundary(
            before in 0usize..200_000,
            prefix in prop::sample::select(vec!["", "x:", "ns1:"]),
            decoy in any::<bool>(),
            step in prop::sample::select(vec![1usize, 7, 9, 10, 11, 4096, 65_536, 1 << 20]),
        ) {
            let mut xml = b"<worksheet><sheetData>".to_vec();
            xml.extend(std::iter::repeat_n(b'r', before));
            if decoy {
                xml.extend_from_slice(b"<c t=\"inlineStr\"><is><t>mergeCells</t></is></c>");
            }
            xml.extend_from_slice(b"</sheetData><");
            xml.extend_from_slice(prefix.as_bytes());
            xml.extend_from_slice(b"mergeCells count=\"1\"><");
            xml.extend_from_slice(prefix.as_bytes());
            xml.extend_from_slice(b"mergeCell ref=\"A1:B2\"/></");
            xml.extend_from_slice(prefix.as_bytes());
            xml.extend_from_slice(b"mergeCells></worksheet>");
            let found = merge_cells_element(Trickle { bytes: &xml, step });
            prop_assert_eq!(&found, &whole(&xml));
            let found = found.unwrap();
            let opening = format!("<{prefix}mergeCells");
            prop_assert!(found.starts_with(opening.as_bytes()));
            let merges = parse_merge_cells(&found);
            prop_assert_eq!(merges.len(), 1);
            prop_assert_eq!((merges[0].start, merges[0].end), ((0, 0), (1, 1)));
        }
    }

    #[test]
    fn a_part_without_merge_cells_has_none_even_with_the_word_in_a_cell() {
        let xml = b"<worksheet><sheetData><c><v>1</v></c><is><t>mergeCells</t></is></sheetData></worksheet>";
        for step in [1, 5, 1 << 16] {
            assert_eq!(merge_cells_element(Trickle { bytes: xml, step }), None);
        }
    }

    /// Every xlsx the repository holds: the merges found here are calamine's.
    #[test]
    fn merges_are_those_calamine_finds_in_every_bundled_xlsx() {
        use calamine::Reader as _;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut stack = vec![root.join("tests"), root.join("samples")];
        let mut sheets = 0;
        let mut merged = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "xlsx") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let Ok(mut book) = calamine::Xlsx::new(Cursor::new(bytes.as_slice())) else {
                    continue;
                };
                for name in book.sheet_names() {
                    let Ok(theirs) = book.merge_cells_by_sheet_name(&name) else {
                        continue;
                    };
                    let ours = merges_in_xlsx(&bytes, &name);
                    assert_eq!(ours, theirs, "{} {name}", path.display());
                    sheets += 1;
                    merged += usize::from(!ours.is_empty());
                }
            }
        }
        assert!(
            sheets > 50 && merged > 0,
            "{sheets} sheets, {merged} with merges"
        );
    }

    #[test]
    fn merge_references_read_as_calamine_reads_them() {
        let d = dimensions("B2:D3").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (2, 3)));
        let d = dimensions("$AA$10").unwrap();
        assert_eq!((d.start, d.end), ((9, 26), (9, 26)));
        assert!(dimensions("B0:C1").is_none());
        assert!(dimensions("ABCD1").is_none());
        assert!(dimensions("").is_none());
    }

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
