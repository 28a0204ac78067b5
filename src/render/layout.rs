//! Line breaking and vertical metrics, the way LibreOffice lays out our DOCX
//! (measured in `docs/layout-parity.md`): break at spaces, first fit on exact
//! advance widths, trailing spaces hang; line height from hhea ascent + descent + gap,
//! rounded to twips.

use crate::doc::{Align, Inline, Table};
use crate::fonts::{text_width, vertical_metrics, FaceStyle};
use crate::nd30;
use crate::units::Pt;

/// Tolerance of the fit test, in points. LibreOffice's measured thresholds
/// (layout-parity.md §3): 14 pt body lines break between avail − 0.049 and − 0.028;
/// 13 pt table cells between avail − 0.18 and + 0.125. −0.03 lies inside both.
const FIT_TOLERANCE: f32 = -0.03;

/// Natural line height at `size` for single spacing, rounded to twips as Word does.
pub fn line_height(size: Pt) -> f32 {
    let m = vertical_metrics();
    let units = m.ascender + m.descender + m.line_gap;
    (size.0 * 20.0 * units / m.units_per_em).round() / 20.0
}

/// Distance from the top of a line box to its baseline (the line gap sits above).
pub fn ascent(size: Pt) -> f32 {
    let m = vertical_metrics();
    (size.0 * 20.0 * (m.ascender + m.line_gap) / m.units_per_em).round() / 20.0
}

/// Descent below the baseline.
pub fn descent(size: Pt) -> f32 {
    let m = vertical_metrics();
    size.0 * m.descender / m.units_per_em
}

/// A piece of a word in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub style: FaceStyle,
}

/// A word (text between spaces), possibly in several faces, and the space after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    pub pieces: Vec<Piece>,
    pub width: f32,
    /// Width of the space that follows (0 at a line break or the end).
    pub space: f32,
    pub space_style: FaceStyle,
    /// A forced line break follows this word.
    pub break_after: bool,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub words: Vec<Word>,
    /// Width without the trailing space.
    pub width: f32,
    /// The last line of the paragraph, or one ended by a forced break: not justified.
    pub last: bool,
}

impl Line {
    /// Number of inter-word spaces that justification stretches.
    pub fn gaps(&self) -> usize {
        self.words.len().saturating_sub(1)
    }
}

/// Splits runs into words at spaces, measuring each piece in its face.
pub fn words(inlines: &[Inline], size: Pt) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let finish = |w: Option<Word>, out: &mut Vec<Word>| {
        if let Some(w) = w {
            if !w.pieces.is_empty() {
                out.push(w);
            }
        }
    };
    for inline in inlines {
        match inline {
            Inline::LineBreak => {
                finish(current.take(), &mut out);
                if let Some(last) = out.last_mut() {
                    last.break_after = true;
                    last.space = 0.0;
                }
            }
            Inline::Text { text, bold, italic } => {
                let style = FaceStyle::new(*bold, *italic);
                let mut first = true;
                for part in text.split(' ') {
                    if !first {
                        // A space ends the current word.
                        let space = text_width(" ", style, size).0;
                        match current.take() {
                            Some(mut w) if !w.pieces.is_empty() => {
                                w.space = space;
                                w.space_style = style;
                                out.push(w);
                            }
                            _ => {}
                        }
                    }
                    first = false;
                    if part.is_empty() {
                        continue;
                    }
                    let w = current.get_or_insert_with(|| Word {
                        pieces: Vec::new(),
                        width: 0.0,
                        space: 0.0,
                        space_style: style,
                        break_after: false,
                    });
                    w.width += text_width(part, style, size).0;
                    w.pieces.push(Piece {
                        text: part.to_string(),
                        style,
                    });
                }
            }
        }
    }
    finish(current, &mut out);
    if let Some(last) = out.last_mut() {
        last.space = 0.0;
    }
    out
}

/// Splits every word wider than `width` into pieces that fit, as Word and LibreOffice do
/// with a word longer than its line (a URL, a narrow table column): each piece but the
/// last ends its line. A piece ends after the last `/` that fits, else after the last
/// `.`, else at the last character that fits.
pub fn split_long_words(words: Vec<Word>, size: Pt, width: f32) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        if w.width <= width + FIT_TOLERANCE {
            out.push(w);
            continue;
        }
        let chars: Vec<(char, FaceStyle, f32)> = w
            .pieces
            .iter()
            .flat_map(|p| {
                p.text.chars().map(move |c| {
                    let cw = text_width(c.encode_utf8(&mut [0u8; 4]), p.style, size).0;
                    (c, p.style, cw)
                })
            })
            .collect();
        let mut start = 0;
        while start < chars.len() {
            // The longest run from `start` that fits (at least one character).
            let mut end = start;
            let mut used = 0.0;
            while end < chars.len()
                && (end == start || used + chars[end].2 <= width + FIT_TOLERANCE)
            {
                used += chars[end].2;
                end += 1;
            }
            if end < chars.len() {
                let after = |mark: char| (start + 1..end).rev().find(|&k| chars[k - 1].0 == mark);
                if let Some(k) = after('/').or_else(|| after('.')) {
                    end = k;
                }
            }
            let last = end == chars.len();
            let mut piece = Word {
                pieces: Vec::new(),
                width: 0.0,
                space: if last { w.space } else { 0.0 },
                space_style: w.space_style,
                break_after: if last { w.break_after } else { true },
            };
            for &(c, style, cw) in &chars[start..end] {
                piece.width += cw;
                match piece.pieces.last_mut() {
                    Some(p) if p.style == style => p.text.push(c),
                    _ => piece.pieces.push(Piece {
                        text: c.to_string(),
                        style,
                    }),
                }
            }
            out.push(piece);
            start = end;
        }
    }
    out
}

/// Greedy first-fit breaking: a word stays on the line if the line without its trailing
/// space fits. `first` is the width of the first line (after a first-line indent).
pub fn break_lines(words: Vec<Word>, first: f32, rest: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line: Vec<Word> = Vec::new();
    let mut width = 0.0f32; // including trailing space of the last word
    let mut natural = 0.0f32;
    for w in words {
        let avail = if lines.is_empty() { first } else { rest };
        let candidate = width + w.width;
        if !line.is_empty() && candidate > avail + FIT_TOLERANCE {
            lines.push(Line {
                words: std::mem::take(&mut line),
                width: natural,
                last: false,
            });
            width = 0.0;
        }
        natural = width + w.width;
        width = natural + w.space;
        let forced = w.break_after;
        line.push(w);
        if forced {
            lines.push(Line {
                words: std::mem::take(&mut line),
                width: natural,
                last: true,
            });
            width = 0.0;
            natural = 0.0;
        }
    }
    if !line.is_empty() {
        lines.push(Line {
            words: line,
            width: natural,
            last: true,
        });
    }
    lines
}

/// `text` (one face) broken into lines of at most `width` the way a title should be:
/// as the paragraph would break it, unless that leaves a lone word or two on the last
/// line ("… THÁNG 10 / NĂM 2025"); then into as many lines as narrow as they can be,
/// so the lines come out about even. The lines are joined by `\n`, which both writers
/// print as a line break; one line comes back as it was.
pub fn balanced(text: &str, style: FaceStyle, size: Pt, width: f32) -> String {
    let inlines = [Inline::Text {
        text: text.to_string(),
        bold: style.bold(),
        italic: style.italic(),
    }];
    let measured = words(&inlines, size);
    let natural = break_lines(measured.clone(), width, width);
    let lone = natural.last().is_some_and(|l| l.words.len() <= 2);
    if natural.len() < 2 || !lone {
        return text.to_string();
    }
    let count = natural.len();
    // The narrowest width that still gives `count` lines, to a tenth of a point.
    let (mut low, mut high) = (0.0f32, width);
    for _ in 0..40 {
        let mid = (low + high) / 2.0;
        if break_lines(measured.clone(), mid, mid).len() <= count {
            high = mid;
        } else {
            low = mid;
        }
        if high - low < 0.1 {
            break;
        }
    }
    let lines = break_lines(measured, high, high);
    // A word wider than the narrowest width would be split: keep the paragraph's own.
    if lines.len() != count {
        return text.to_string();
    }
    lines
        .iter()
        .map(|l| {
            l.words
                .iter()
                .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
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

/// The page body's height (between the top and bottom margins) of a section.
pub fn page_body_height(orientation: nd30::Orientation) -> f32 {
    let (_, height) = nd30::page_size(orientation);
    height.to_pt().0 - nd30::MARGIN_TOP.to_pt().0 - nd30::MARGIN_BOTTOM.to_pt().0
}

/// A table's rows as both writers measure them: each row's height (its tallest cell
/// that stays within it; a cell across rows that needs more makes its last row taller,
/// as Word and LibreOffice do) and its bands (rows held together by cells across them).
/// `cells` are [`table_cells`]'s.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRows {
    pub heights: Vec<f32>,
    pub bands: Vec<(usize, usize)>,
}

impl TableRows {
    pub fn measure(cells: &[Vec<CellBox>]) -> TableRows {
        let lh = line_height(nd30::TABLE_SIZE);
        let border = nd30::TABLE_BORDER.0;
        let n = cells.len();
        let mut heights: Vec<f32> = cells
            .iter()
            .map(|row| {
                let lines = row
                    .iter()
                    .filter(|c| c.down == 1)
                    .map(|c| c.lines.len())
                    .max()
                    .unwrap_or(1)
                    .max(1);
                lines as f32 * lh + border
            })
            .collect();
        for (r, row) in cells.iter().enumerate() {
            for c in row.iter().filter(|c| c.down > 1) {
                let need = c.lines.len().max(1) as f32 * lh + border;
                let have: f32 = heights[r..r + c.down].iter().sum();
                if need > have {
                    heights[r + c.down - 1] += need - have;
                }
            }
        }
        let mut bands: Vec<(usize, usize)> = Vec::new();
        let mut r = 0;
        while r < n {
            let mut end = r + 1;
            let mut k = r;
            while k < end {
                for c in &cells[k] {
                    end = end.max(k + c.down);
                }
                k += 1;
            }
            bands.push((r, end.min(n)));
            r = end.min(n);
        }
        TableRows { heights, bands }
    }

    /// The height of a band of rows.
    pub fn band_height(&self, (start, end): (usize, usize)) -> f32 {
        self.heights[start..end].iter().sum()
    }

    /// The bands of header rows at the top, which repeat on every page.
    pub fn header_bands(&self, is_header: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
        self.bands
            .iter()
            .copied()
            .take_while(|(s, _)| is_header(*s))
            .collect()
    }

    /// The height of the header bands, which repeat on every page the table runs onto.
    pub fn header_height(&self, header_bands: &[(usize, usize)]) -> f32 {
        header_bands.iter().map(|b| self.band_height(*b)).sum()
    }

    /// The height a table needs on the page it starts on: its header rows keep with its
    /// first body row (keep-with-next on the header rows' paragraphs, which Word and
    /// LibreOffice honour), so a page never ends on a header with no data under it. A
    /// first row that must split needs only its first line there.
    pub fn opening_height(&self, header_bands: &[(usize, usize)], page_body: f32) -> f32 {
        let header = self.header_height(header_bands);
        let border = nd30::TABLE_BORDER.0;
        match self.bands.get(header_bands.len()) {
            None => header,
            Some(&first) if self.may_split(first, header, page_body) => {
                header + line_height(nd30::TABLE_SIZE) + border
            }
            Some(&first) => header + self.band_height(first) + border,
        }
    }

    /// For each row, whether it may split across pages ([`TableRows::may_split`] of
    /// the band it starts).
    pub fn splittable_rows(&self, header_height: f32, page_body: f32) -> Vec<bool> {
        let mut rows = vec![false; self.heights.len()];
        for &band in &self.bands {
            rows[band.0] = self.may_split(band, header_height, page_body);
        }
        rows
    }

    /// Whether the band may split across pages, the one rule of both writers: only a
    /// single row taller than the room a page body of `page_body` points leaves under
    /// the repeated header rows (`header_height`); any other row moves to the next page
    /// whole.
    pub fn may_split(&self, band: (usize, usize), header_height: f32, page_body: f32) -> bool {
        let room = page_body - header_height - nd30::TABLE_BORDER.0;
        band.1 - band.0 == 1 && self.band_height(band) > room
    }
}

/// One table cell laid out: where it starts across the table, how wide it is, its lines
/// and alignment, and how many rows it spans.
#[derive(Debug, Clone)]
pub struct CellBox {
    pub x: f32,
    pub width: f32,
    pub lines: Vec<Line>,
    pub align: Align,
    pub down: usize,
}

/// Every cell of `t` laid out in its grid place, by the row it starts in, for columns
/// `widths` points wide: what both writers measure a table by.
pub fn table_cells(t: &Table, widths: &[f32]) -> Vec<Vec<CellBox>> {
    let pad = nd30::CELL_PADDING.0;
    let n = t.rows.len();
    let mut column_x = vec![0.0f32; widths.len() + 1];
    for (i, wd) in widths.iter().enumerate() {
        column_x[i + 1] = column_x[i] + wd;
    }
    let slots = table_slots(t);
    t.rows
        .iter()
        .zip(&slots)
        .enumerate()
        .map(|(r, (row, row_slots))| {
            row_slots
                .iter()
                .enumerate()
                .filter_map(|(col, slot)| match *slot {
                    Slot::Start(i) => Some((col, &row.cells[i])),
                    _ => None,
                })
                .map(|(col, c)| {
                    let span = c.colspan.max(1) as usize;
                    let end = (col + span).min(widths.len());
                    let cw = column_x[end] - column_x[col];
                    let width = cw - 2.0 * pad;
                    let size = nd30::TABLE_SIZE;
                    CellBox {
                        x: column_x[col],
                        width: cw,
                        lines: break_lines(
                            split_long_words(words(&c.inlines, size), size, width),
                            width,
                            width,
                        ),
                        align: c.align,
                        down: (c.rowspan.max(1) as usize).min(n - r),
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Vec<Inline> {
        vec![Inline::plain(text)]
    }

    #[test]
    fn metrics_match_libreoffice() {
        // layout-parity.md §1: 16.10 pt at 14 pt, 14.95 pt at 13 pt; first baseline
        // 13.07 pt below the top at 14 pt.
        assert!((line_height(Pt(14.0)) - 16.10).abs() < 0.001);
        assert!((line_height(Pt(13.0)) - 14.95).abs() < 0.001);
        assert!((ascent(Pt(14.0)) - 13.05).abs() < 0.03);
    }

    #[test]
    fn no_line_overflows_and_words_keep_their_order() {
        let text = "Tổ chức truyền thông, tuyên truyền phong trào Bình dân học vụ số, Ngày hội toàn dân học tập số gắn với hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia bằng các hình thức trực tuyến, trực tiếp.";
        let size = Pt(14.0);
        let lines = break_lines(words(&para(text), size), 440.0, 467.75);
        assert!(lines.len() >= 3);
        for (i, l) in lines.iter().enumerate() {
            let avail = if i == 0 { 440.0 } else { 467.75 };
            assert!(l.width <= avail + FIT_TOLERANCE, "line {i} is {}", l.width);
            if !l.last {
                // The next word would not have fitted.
                let next = &lines[i + 1].words[0];
                let space = l.words.last().unwrap().space;
                assert!(l.width + space + next.width > avail + FIT_TOLERANCE);
            }
        }
        let back: Vec<String> = lines
            .iter()
            .flat_map(|l| {
                l.words
                    .iter()
                    .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect::<String>())
            })
            .collect();
        assert_eq!(back.join(" "), text);
        assert!(lines.last().unwrap().last);
    }

    #[test]
    fn a_word_longer_than_the_line_breaks_between_characters() {
        let size = Pt(13.0);
        let width = 30.0;
        let ws = split_long_words(words(&para("Tin bài truyền thanh"), size), size, width);
        let lines = break_lines(ws, width, width);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| {
                l.words
                    .iter()
                    .flat_map(|w| w.pieces.iter().map(|p| p.text.clone()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        // Every line fits, and the characters are all there in order.
        for l in &lines {
            assert!(l.width <= width + 0.01, "{texts:?}");
        }
        assert_eq!(texts.concat().replace(' ', ""), "Tinbàitruyềnthanh");
        assert!(texts.len() >= 5, "{texts:?}");
    }

    #[test]
    fn a_long_url_breaks_after_a_slash_or_a_dot() {
        let size = Pt(14.0);
        let url = "https://binhdanhocvuso.gov.vn/khoa-hoc/ky-nang-so-co-ban/bai-1";
        let width = 200.0;
        let ws = split_long_words(words(&para(url), size), size, width);
        let texts: Vec<String> = ws
            .iter()
            .map(|w| w.pieces.iter().map(|p| p.text.as_str()).collect())
            .collect();
        assert_eq!(texts.concat(), url);
        for t in &texts[..texts.len() - 1] {
            assert!(t.ends_with('/') || t.ends_with('.'), "{texts:?}");
        }
        for w in &ws {
            assert!(w.width <= width, "{texts:?}");
        }
    }

    #[test]
    fn a_title_leaving_a_lone_word_is_balanced() {
        let style = FaceStyle::Bold;
        let size = Pt(14.0);
        let text = "KẾT QUẢ TRIỂN KHAI PHONG TRÀO CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06 QUÝ IV NĂM 2025";
        let width = text_width(text, style, size).0 - 30.0;
        // The paragraph's own break leaves "NĂM 2025" or so alone.
        let natural = break_lines(
            words(
                &[Inline::Text {
                    text: text.into(),
                    bold: true,
                    italic: false,
                }],
                size,
            ),
            width,
            width,
        );
        assert_eq!(natural.len(), 2);
        assert!(natural[1].words.len() <= 2);
        let lines: Vec<String> = balanced(text, style, size, width)
            .split('\n')
            .map(str::to_string)
            .collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let widths: Vec<f32> = lines.iter().map(|l| text_width(l, style, size).0).collect();
        assert!((widths[0] - widths[1]).abs() < widths[0] / 2.0, "{lines:?}");
        // A title on one line, or one whose last line is long enough, is left alone.
        assert_eq!(balanced("BÁO CÁO", style, size, width), "BÁO CÁO");
    }

    #[test]
    fn mixed_faces_and_forced_breaks() {
        let inlines = vec![
            Inline::Text {
                text: "Đậm".into(),
                bold: true,
                italic: false,
            },
            Inline::plain("thường tiếp"),
            Inline::LineBreak,
            Inline::plain("dòng hai"),
        ];
        let lines = break_lines(words(&inlines, Pt(14.0)), 400.0, 400.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].last, "a forced break ends an unjustified line");
        assert_eq!(lines[0].words[0].pieces.len(), 2);
        assert_eq!(lines[0].words[0].pieces[0].style, FaceStyle::Bold);
    }
}
