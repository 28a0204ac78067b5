//! Runs of text (inlines) as both readers leave them: without leading and trailing
//! spaces; and the widths of a table's columns from what its cells hold.

use crate::doc::{Inline, Row};

/// Drops leading and trailing spaces of a run list.
pub(super) fn trim_inlines(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = text.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
}

/// Column widths in points that fill `total`, the width the table gets: each column gets
/// at least its longest word (measured in its face) plus the cell padding, so no word is
/// ever split inside a cell, and the rest is shared by how much text each column's body
/// cells hold — a header's words may wrap (it asks for a third of its line), so a column
/// of names gets the room and a column of figures under a long heading does not.
pub(super) fn column_widths(rows: &[Row], n: usize, total: f32) -> Vec<f32> {
    use crate::fonts::{text_width, FaceStyle};
    let size = crate::nd30::TABLE_SIZE;
    let pad = 2.0 * crate::nd30::CELL_PADDING.0 + 2.0;
    let mut min = vec![pad; n];
    let mut want = vec![pad; n];
    let grid = crate::doc::grid_columns(rows);
    for (row, starts) in rows.iter().zip(&grid) {
        for (cell, &i) in row.cells.iter().zip(starts) {
            // A cell across columns sets no column's width alone.
            if cell.colspan > 1 || i >= n {
                continue;
            }
            let mut line = 0.0f32;
            for x in &cell.inlines {
                if let Inline::Text { text, bold, italic } = x {
                    let face = FaceStyle::new(*bold, *italic);
                    for word in text.split_whitespace() {
                        min[i] = min[i].max(text_width(word, face, size).0 + pad);
                    }
                    line += text_width(text, face, size).0;
                }
            }
            let line = if row.header { line / 3.0 } else { line };
            want[i] = want[i].max((line + pad).min(220.0));
        }
    }
    let floor: f32 = min.iter().sum();
    if floor >= total {
        return min.iter().map(|m| m * total / floor).collect();
    }
    let extra: Vec<f32> = want
        .iter()
        .zip(&min)
        .map(|(w, m)| (w - m).max(0.0))
        .collect();
    let extra_sum: f32 = extra.iter().sum();
    min.iter()
        .zip(&extra)
        .map(|(m, e)| {
            let share = if extra_sum > 0.0 {
                e / extra_sum
            } else {
                1.0 / n as f32
            };
            m + share * (total - floor)
        })
        .collect()
}
