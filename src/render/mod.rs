//! Render: a [`Document`] → file bytes. [`docx`] writes WordprocessingML (the body
//! ourselves, the rest of the package with docx-rs); [`pdf`] typesets with our own layout
//! on printpdf. Both read sizes from [`crate::nd30`] and the geometry below, so the two
//! files agree.

pub mod docx;
pub mod layout;
pub mod pdf;
pub mod xlsx;

use crate::doc::{Frame, Table};
use crate::fonts::{text_width, FaceStyle};
use crate::nd30;
use crate::units::Pt;

/// Where the parts of the frame go, computed once for both renderers.
#[derive(Debug, Clone, Copy)]
pub struct FrameGeometry {
    /// Width of the header table's left column (agency, number).
    pub header_left: Pt,
    pub header_right: Pt,
    /// Length of the rule under the agency name: a share of its longest bold line.
    pub agency_rule: Pt,
    /// Length of the rule under the Tiêu ngữ: the motto's own width.
    pub motto_rule: Pt,
    /// Length of the rule under the summary of a typed document.
    pub summary_rule: Pt,
    pub signature_left: Pt,
    pub signature_right: Pt,
}

impl FrameGeometry {
    pub fn of(frame: &Frame) -> FrameGeometry {
        let width = nd30::text_width();
        let header_left = Pt((width.0 * nd30::HEADER_LEFT_SHARE).round());
        let signature_left = Pt((width.0 * nd30::SIGNATURE_LEFT_SHARE).round());
        let longest_agency = frame
            .agency
            .iter()
            .map(|l| text_width(l, FaceStyle::Bold, nd30::AGENCY_SIZE).0)
            .fold(0.0, f32::max);
        let summary_width = text_width(&frame.summary, FaceStyle::Bold, nd30::TITLE_SIZE)
            .0
            .min(width.0);
        FrameGeometry {
            header_left,
            header_right: Pt(width.0 - header_left.0),
            agency_rule: Pt((longest_agency * nd30::AGENCY_RULE_SHARE).round()),
            motto_rule: Pt(text_width(nd30::MOTTO, FaceStyle::Bold, nd30::MOTTO_SIZE)
                .0
                .ceil()),
            summary_rule: Pt((summary_width * nd30::SUMMARY_RULE_SHARE).round().max(60.0)),
            signature_left,
            signature_right: Pt(width.0 - signature_left.0),
        }
    }
}

/// The "Kính gửi" block: the label and the lines that follow it. One addressee goes on
/// the label's line; several go one per line as "- …;" with the last ending in ".".
pub fn addressee_lines(addressees: &[String]) -> Vec<String> {
    match addressees {
        [] => Vec::new(),
        [one] => vec![format!("{}{one}", nd30::ADDRESSEE_LABEL)],
        many => many
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let a = a.trim_end_matches([';', '.']);
                let end = if i + 1 == many.len() { "." } else { ";" };
                let lead = if i == 0 { nd30::ADDRESSEE_LABEL } else { "" };
                format!("{lead}- {a}{end}")
            })
            .collect(),
    }
}

/// Column widths of a body table, scaled to the text width (whole points, the last
/// column taking the remainder), the same in both renderers.
pub fn table_widths(t: &Table, text_width: Pt) -> Vec<Pt> {
    let total: f32 = t.widths.iter().sum::<f32>().max(1.0);
    let width = text_width.0;
    let mut out: Vec<Pt> = t
        .widths
        .iter()
        .map(|w| Pt((w / total * width).floor()))
        .collect();
    let used: f32 = out.iter().map(|p| p.0).sum();
    if let Some(last) = out.last_mut() {
        last.0 += width - used;
    }
    out
}

/// Where each cell of a table sits in its grid: for every row, a slot per grid column,
/// either the start of a cell of that row or a place covered by a cell above (a rowspan)
/// or to the left (a colspan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Cell `index` of this row starts here.
    Start(usize),
    /// Covered by a cell of an earlier row that starts in `column` and spans `span`
    /// columns.
    Below { column: usize, span: usize },
    /// Covered by the colspan of a cell to the left.
    Right,
    /// No cell: the row is shorter than the grid.
    Empty,
}

/// The slot grid of a table (rows × columns).
pub fn table_slots(t: &Table) -> Vec<Vec<Slot>> {
    let columns = t.widths.len();
    let grid = crate::doc::grid_columns(&t.rows);
    let mut slots = vec![vec![Slot::Empty; columns]; t.rows.len()];
    for (r, (row, starts)) in t.rows.iter().zip(&grid).enumerate() {
        for (i, (cell, &col)) in row.cells.iter().zip(starts).enumerate() {
            let span = cell.colspan.max(1) as usize;
            let down = cell.rowspan.max(1) as usize;
            for (dr, slot_row) in slots.iter_mut().skip(r).take(down).enumerate() {
                for (dc, slot) in slot_row.iter_mut().skip(col).take(span).enumerate() {
                    *slot = match (dr, dc) {
                        (0, 0) => Slot::Start(i),
                        (0, _) => Slot::Right,
                        _ => Slot::Below { column: col, span },
                    };
                }
            }
        }
    }
    slots
}

/// Items of "Nơi nhận", each with its "- ".
pub fn recipient_lines(recipients: &[String]) -> Vec<String> {
    recipients.iter().map(|r| format!("- {r}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_title_fits_on_one_line_in_the_right_column() {
        let g = FrameGeometry::of(&crate::doc::tests::sample_frame());
        let title = text_width(
            nd30::NATIONAL_TITLE,
            FaceStyle::Bold,
            nd30::NATIONAL_TITLE_SIZE,
        );
        assert!(
            title.0 <= g.header_right.0 - 2.0 * nd30::CELL_PADDING.0,
            "{title:?} vs {g:?}"
        );
        // The agency rule is a third to a half of the agency line (Phụ lục I, mục II.2).
        let agency = text_width("ỦY BAN NHÂN DÂN", FaceStyle::Bold, nd30::AGENCY_SIZE);
        assert!(g.agency_rule.0 >= agency.0 / 3.0 && g.agency_rule.0 <= agency.0 / 2.0);
    }

    #[test]
    fn addressees_one_or_many() {
        assert_eq!(
            addressee_lines(&["Bộ Nội vụ".into()]),
            ["Kính gửi: Bộ Nội vụ"]
        );
        let many = addressee_lines(&["Bộ Nội vụ;".into(), "Bộ Tài chính".into()]);
        assert_eq!(many, ["Kính gửi: - Bộ Nội vụ;", "- Bộ Tài chính."]);
    }
}
