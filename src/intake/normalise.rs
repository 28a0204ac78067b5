//! A sheet's cells made uniform before anything reads them.

use calamine::{Data, Dimensions, Range};

use super::legacy;
use super::{IntakeProblem, Reporter};
use crate::diagnostic::a1;
use crate::text::nfc;

/// Makes a sheet's cells uniform before anything reads them: the text of a merged
/// region in each of its cells (a two-row header, a label spread over columns); legacy
/// TCVN3/VNI text converted to Unicode, with one warning naming the cells; NFC.
pub(super) fn normalise(
    range: &mut Range<Data>,
    merges: &[Dimensions],
    r: &mut Reporter<'_>,
    sheet: &str,
) {
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
        r.push(
            Some(sheet),
            Some(first.clone()),
            IntakeProblem::LegacyEncoding {
                cells: converted.len(),
                encoding: enc.name(),
                list,
                old: old.clone(),
                new: new.clone(),
            },
        );
    }
}
