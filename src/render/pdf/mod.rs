//! PDF renderer: [`Document`] → PDF bytes, typeset by our own layout on printpdf
//! (without its HTML layout, which drops content). Fonts come from [`crate::fonts`],
//! so lines break as in the DOCX; sizes come from [`crate::nd30`].

mod content;
mod embed;
pub mod finish;
mod truetype;

pub use embed::clear_caches;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use printpdf::{
    FontId, Line as PLine, LinePoint, Mm as PMm, Op, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt as PPt, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::frame::{self, FrameLine, FramePart, LineContent, SigningSpace};
use super::layout::{self, ascent, break_lines, descent, line_height, words, CellBox, Line};
use crate::doc::{Align, Appendix, Block, Document, Inline, Orientation, Paragraph, Table};
use crate::fonts::{missing_chars, text_width, FaceStyle};
use crate::nd30;
use crate::units::Pt;

#[derive(Debug, Error)]
pub enum PdfError {
    #[error("the font cannot draw {chars:?} (in “{context}”)")]
    MissingGlyphs { chars: Vec<char>, context: String },
    #[error("the PDF could not be written: {0}")]
    Write(#[from] lopdf::Error),
}

/// The four faces parsed once per process; each document adds them to its own file.
fn parsed_fonts() -> &'static Vec<ParsedFont> {
    static FONTS: OnceLock<Vec<ParsedFont>> = OnceLock::new();
    FONTS.get_or_init(|| {
        FaceStyle::ALL
            .iter()
            .map(|s| {
                ParsedFont::from_bytes(s.bytes(), 0, &mut Vec::new())
                    .expect("the fonts shipped in fonts/ parse")
            })
            .collect()
    })
}

/// A run of text on one line.
struct Run<'a> {
    text: &'a str,
    style: FaceStyle,
}

/// Page geometry in points, top-down.
#[derive(Debug, Clone, Copy)]
struct Page {
    width: f32,
    height: f32,
    left: f32,
    top: f32,
    bottom: f32,
    /// The text width inside the margins.
    text: f32,
}

impl Page {
    fn of(orientation: Orientation) -> Page {
        let (width, height) = nd30::page_size(orientation);
        Page {
            width: width.to_pt().0,
            height: height.to_pt().0,
            left: nd30::MARGIN_LEFT.to_pt().0,
            top: nd30::MARGIN_TOP.to_pt().0,
            bottom: height.to_pt().0 - nd30::MARGIN_BOTTOM.to_pt().0,
            text: nd30::text_width_of(orientation).0,
        }
    }
}

/// The operators that draw `runs` from (`x`, `y`) (PDF coordinates, bottom-up), adding
/// `extra` points after each space (justification by TJ offsets: `Tw` has no effect on
/// embedded Identity-H fonts).
fn text_ops(fonts: &[FontId], x: f32, y: f32, size: Pt, runs: &[Run<'_>], extra: f32) -> Vec<Op> {
    let mut ops = vec![
        Op::StartTextSection,
        Op::SetTextMatrix {
            matrix: TextMatrix::Translate(PPt(x), PPt(y)),
        },
    ];
    for run in runs {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(fonts[run.style as usize].clone()),
            size: PPt(size.0),
        });
        // Without extra word spacing the run is one piece of text (one `Tj`); a justified
        // line's words are pieces with the spacing between them (a `TJ`).
        if extra.abs() <= 0.001 {
            let items = if run.text.is_empty() {
                Vec::new()
            } else {
                vec![TextItem::Text(run.text.to_string())]
            };
            ops.push(Op::ShowText { items });
            continue;
        }
        let mut items = Vec::new();
        let mut parts = run.text.split(' ').peekable();
        while let Some(part) = parts.next() {
            let mut chunk = part.to_string();
            if parts.peek().is_some() {
                chunk.push(' ');
            }
            if !chunk.is_empty() {
                items.push(TextItem::Text(chunk));
            }
            if parts.peek().is_some() {
                items.push(TextItem::Offset(-extra * 1000.0 / size.0));
            }
        }
        ops.push(Op::ShowText { items });
    }
    ops.push(Op::EndTextSection);
    ops
}

/// The page number of a page (from page 2 of each part), centred in the top margin: the
/// first operators of its page, so text extraction reads it where a reader sees it.
fn page_number(fonts: &[FontId], page: &Page, number: u32) -> Vec<Op> {
    if number < 2 {
        return Vec::new();
    }
    let size = nd30::PAGE_NUMBER_SIZE;
    let text = number.to_string();
    let width = text_width(&text, FaceStyle::Regular, size).0;
    let x = page.left + (page.text - width) / 2.0;
    let baseline = nd30::HEADER_DISTANCE.to_pt().0 + ascent(size);
    let run = Run {
        text: &text,
        style: FaceStyle::Regular,
    };
    text_ops(fonts, x, page.height - baseline, size, &[run], 0.0)
}

struct Writer {
    page: Page,
    fonts: Vec<FontId>,
    pages: Vec<Vec<Op>>,
    /// For each page: its geometry and its number within its part (the document, or
    /// an appendix, which numbers its pages from 1).
    page_info: Vec<(Page, u32)>,
    /// Top of the next line box, from the top of the page.
    y: f32,
    /// Nothing has been placed on the current page yet (space before is dropped there).
    fresh: bool,
    /// The signing space of the signer's block, once it is placed.
    /// The signature fields: the signer's over the signing space, then the seal's.
    signatures: Vec<finish::SignatureBox>,
    /// The text fields over the issue blanks (number, day, month), as they are drawn.
    text_fields: Vec<finish::TextFieldBox>,
    /// Draw on this earlier page instead of the current one (the contact line of page 1).
    target: Option<usize>,
    /// Table borders drawn so far (page, then the segment's bits): a cell's edge shared
    /// with its neighbour's is drawn once, not twice (the same pixels; borders were half
    /// of a table page's content stream, and the time to deflate it).
    borders: rustc_hash::FxHashSet<[u32; 6]>,
}

impl Writer {
    /// The operators of the page being drawn: the current one, or [`Writer::target`].
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let index = self.target.unwrap_or(self.pages.len() - 1);
        &mut self.pages[index]
    }

    /// Height of the page being drawn, for turning top-down positions into PDF ones.
    fn height(&self) -> f32 {
        self.target
            .and_then(|t| self.page_info.get(t))
            .map_or(self.page.height, |(p, _)| p.height)
    }

    fn new_page(&mut self) {
        let number = self.page_info.last().map_or(1, |p| p.1 + 1);
        self.pages
            .push(page_number(&self.fonts, &self.page, number));
        self.page_info.push((self.page, number));
        self.y = self.page.top;
        self.fresh = true;
    }

    /// Starts a part on a new page of its own orientation, numbered from 1.
    fn new_part(&mut self, orientation: Orientation) {
        self.page = Page::of(orientation);
        self.pages.push(Vec::new());
        self.page_info.push((self.page, 1));
        self.y = self.page.top;
        self.fresh = true;
    }

    /// Makes room for `height`, starting a page if needed. Returns whether it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > self.page.bottom + 0.01 && !self.fresh {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Space before a block, dropped at the top of a page.
    fn space(&mut self, before: f32) {
        if !self.fresh {
            self.y += before;
        }
    }

    /// Draws runs starting at `x` on the baseline `baseline` (top-down), adding `extra`
    /// points after each space.
    fn text(&mut self, x: f32, baseline: f32, size: Pt, runs: &[Run<'_>], extra: f32) {
        let ops = text_ops(&self.fonts, x, self.height() - baseline, size, runs, extra);
        self.ops().extend(ops);
        self.fresh = false;
    }

    fn hline(&mut self, x1: f32, x2: f32, y_top_down: f32, thickness: f32) {
        let y = self.height() - y_top_down;
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: PPt(thickness) });
        ops.push(Op::DrawLine {
            line: PLine {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: PPt(x1),
                            y: PPt(y),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: PPt(x2),
                            y: PPt(y),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn vline(&mut self, x: f32, y1: f32, y2: f32, thickness: f32) {
        let h = self.height();
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: PPt(thickness) });
        ops.push(Op::DrawLine {
            line: PLine {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: PPt(x),
                            y: PPt(h - y1),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: PPt(x),
                            y: PPt(h - y2),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    /// `lines` of a table cell, one under the other from `top`, inside its padding.
    fn cell_text(&mut self, c: &CellBox, lines: &[Line], left: f32, top: f32) {
        let pad = nd30::CELL_PADDING.0;
        let border = nd30::TABLE_BORDER.0;
        let lh = line_height(nd30::TABLE_SIZE);
        for (i, l) in lines.iter().enumerate() {
            self.line(
                l,
                left + c.x + pad + border / 2.0,
                c.width - 2.0 * pad,
                top + i as f32 * lh,
                nd30::TABLE_SIZE,
                c.align,
            );
        }
    }

    /// The four borders of a table cell from `x1` to `x2`, `h` high from `top`, each
    /// unless a neighbouring cell drew the same one on this page.
    fn cell_box(&mut self, x1: f32, x2: f32, top: f32, h: f32, border: f32) {
        let page = self.target.unwrap_or(self.pages.len().saturating_sub(1)) as u32;
        let (upper, lower, bottom) = (top + border / 2.0, top + h + border / 2.0, top + h + border);
        // (from x, to x, from y, to y), top-down.
        let edges = [
            (x1, x2, upper, upper),
            (x1, x2, lower, lower),
            (x1, x1, top, bottom),
            (x2, x2, top, bottom),
        ];
        for (a, b, c, d) in edges {
            let key = [
                page,
                a.to_bits(),
                b.to_bits(),
                c.to_bits(),
                d.to_bits(),
                border.to_bits(),
            ];
            if !self.borders.insert(key) {
                continue;
            }
            if c == d {
                self.hline(a, b, c, border);
            } else {
                self.vline(a, c, d, border);
            }
        }
    }

    /// Draws one laid-out line inside [x, x + width] with the given alignment.
    fn line(&mut self, line: &Line, x: f32, width: f32, top: f32, size: Pt, align: Align) {
        let (start, extra) = match align {
            Align::Justify if !line.last && line.gaps() > 0 => {
                (x, (width - line.width) / line.gaps() as f32)
            }
            Align::Center => (x + (width - line.width) / 2.0, 0.0),
            Align::Right => (x + width - line.width, 0.0),
            _ => (x, 0.0),
        };
        // Merge consecutive pieces of one face (with the spaces between words) into runs.
        let mut runs: Vec<(String, FaceStyle)> = Vec::new();
        let n = line.words.len();
        for (i, w) in line.words.iter().enumerate() {
            for p in &w.pieces {
                match runs.last_mut() {
                    Some((t, s)) if *s == p.style => t.push_str(&p.text),
                    _ => runs.push((p.text.clone(), p.style)),
                }
            }
            if i + 1 < n {
                match runs.last_mut() {
                    Some((t, s)) if *s == w.space_style => t.push(' '),
                    _ => runs.push((" ".into(), w.space_style)),
                }
            }
        }
        let runs: Vec<Run<'_>> = runs
            .iter()
            .map(|(t, s)| Run { text: t, style: *s })
            .collect();
        self.text(start, top + ascent(size), size, &runs, extra);
    }
}

/// Lays out paragraph text in a box: returns the lines.
fn lay(inlines: &[Inline], size: Pt, first: f32, rest: f32) -> Vec<Line> {
    // A word longer than a whole line is split; one that only misses the first line
    // moves to the next.
    break_lines(
        layout::split_long_words(words(inlines, size), size, rest),
        first,
        rest,
    )
}

/// One face's text as inlines, a `\n` (a balanced title's) as a line break.
fn plain(text: &str, bold: bool, italic: bool) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Inline::LineBreak);
        }
        out.push(Inline::Text {
            text: line.to_string(),
            bold,
            italic,
        });
    }
    out
}

/// The height of a rule paragraph: an empty small line plus the border's space and width.
fn rule_height() -> f32 {
    line_height(nd30::RULE_LINE_SIZE) + 1.0 + nd30::RULE_THICKNESS.0
}

/// A column of frame lines laid out once: each with its broken lines, and the height.
struct LaidColumn<'a> {
    parts: Vec<(&'a FrameLine, Vec<Line>)>,
    height: f32,
}

fn lay_column(lines: &[FrameLine], width: f32) -> LaidColumn<'_> {
    let mut height = 0.0;
    let parts = lines
        .iter()
        .map(|l| {
            let broken = match &l.content {
                LineContent::Rule { .. } => {
                    height += rule_height();
                    Vec::new()
                }
                LineContent::Text { text, bold, italic } => {
                    let first = width - l.first_indent.0;
                    let rest = width - l.rest_indent.0;
                    let broken = lay(&plain(text, *bold, *italic), l.size, first, rest);
                    // An empty line (the signing space) is one line high, as an empty
                    // paragraph is in Word and LibreOffice.
                    height += l.before.0 + broken.len().max(1) as f32 * line_height(l.size);
                    broken
                }
            };
            (l, broken)
        })
        .collect();
    LaidColumn { parts, height }
}

fn draw_column(w: &mut Writer, column: &LaidColumn<'_>, x: f32, width: f32, mut top: f32) {
    for (l, broken) in &column.parts {
        if let LineContent::Rule { length } = l.content {
            let y = top + ascent(l.size) + descent(l.size) + 1.0 + nd30::RULE_THICKNESS.0 / 2.0;
            let start = x + (width - length.0) / 2.0;
            w.hline(start, start + length.0, y, nd30::RULE_THICKNESS.0);
            top += rule_height();
            continue;
        }
        top += l.before.0;
        if broken.is_empty() {
            top += line_height(l.size);
        }
        for (i, line) in broken.iter().enumerate() {
            let indent = if i == 0 {
                l.first_indent.0
            } else {
                l.rest_indent.0
            };
            w.line(line, x + indent, width - indent, top, l.size, l.align);
            if let (0, LineContent::Text { bold, italic, .. }) = (i, &l.content) {
                let start = match l.align {
                    Align::Center => x + indent + (width - indent - line.width) / 2.0,
                    Align::Right => x + width - line.width,
                    _ => x + indent,
                };
                let style = FaceStyle::new(*bold, *italic);
                issue_fields(w, line, l, (start, top), style);
            }
            top += line_height(l.size);
        }
    }
}

/// A text field over each issue blank of a frame line's first `line` (drawn from
/// `start`, its box's top at `top`), named as the frame names them.
fn issue_fields(
    w: &mut Writer,
    line: &Line,
    l: &FrameLine,
    (start, top): (f32, f32),
    style: FaceStyle,
) {
    if l.blanks.is_empty() {
        return;
    }
    let words: Vec<String> = line
        .words
        .iter()
        .map(|word| word.pieces.iter().map(|p| p.text.as_str()).collect())
        .collect();
    let text = words.join(" ");
    let page = w.target.unwrap_or(w.pages.len() - 1);
    let height = w
        .page_info
        .get(page)
        .map_or(w.page.height, |(p, _)| p.height);
    let (y1, y2) = (height - top - line_height(l.size), height - top);
    for ((at, _), name) in text.match_indices(nd30::ISSUE_BLANK).zip(l.blanks) {
        let before = crate::fonts::text_width(&text[..at], style, l.size).0;
        let blank = crate::fonts::text_width(nd30::ISSUE_BLANK, style, l.size).0;
        w.text_fields.push(finish::TextFieldBox {
            page,
            rect: [start + before, y1, start + before + blank, y2],
            name,
            font: style as usize,
            size: l.size.0,
        });
    }
}

/// One column of lines at `x`, kept on one page, below what is already placed.
fn place_column(w: &mut Writer, lines: &[FrameLine], x: f32, width: f32) {
    let column = lay_column(lines, width);
    w.ensure(column.height);
    let top = w.y;
    draw_column(w, &column, x, width, top);
    w.y = top + column.height;
}

/// Two borderless columns side by side (the header and the signature area).
fn two_columns(w: &mut Writer, widths: [Pt; 2], left: &[FrameLine], right: &[FrameLine]) -> f32 {
    let pad = nd30::CELL_PADDING.0;
    let lw = widths[0].0 - 2.0 * pad;
    let rw = widths[1].0 - 2.0 * pad;
    let (left, right) = (lay_column(left, lw), lay_column(right, rw));
    let height = left.height.max(right.height);
    w.ensure(height);
    let top = w.y;
    let x = w.page.left;
    draw_column(w, &left, x + pad, lw, top);
    draw_column(w, &right, x + widths[0].0 + pad, rw, top);
    w.y = top + height;
    w.fresh = false;
    height
}

/// The height the frame's `parts` take when drawn (a gap's space, each row of columns).
fn frame_parts_height(parts: &[FramePart]) -> f32 {
    let pad = nd30::CELL_PADDING.0;
    parts
        .iter()
        .map(|part| match part {
            FramePart::Columns { widths, rows, .. } => rows
                .iter()
                .map(|[left, right]| {
                    let left = lay_column(left, widths[0].0 - 2.0 * pad).height;
                    let right = lay_column(right, widths[1].0 - 2.0 * pad).height;
                    left.max(right)
                })
                .sum(),
            FramePart::Gap { before, .. } => before.0 + line_height(nd30::BODY_SIZE),
            FramePart::Line(_) | FramePart::Mark { .. } => 0.0,
        })
        .sum()
}

/// The frame's parts, drawn: `signer` names the signature field of the signing space.
fn frame_parts(w: &mut Writer, parts: &[FramePart], signer: (&str, crate::units::Mm)) {
    for part in parts {
        match part {
            FramePart::Columns {
                widths,
                rows,
                signing_space,
                ..
            } => {
                for [left, right] in rows {
                    let height = two_columns(w, *widths, left, right);
                    if let Some(space) = signing_space {
                        signing_box(w, *widths, height, space, signer);
                    }
                }
            }
            FramePart::Line(l) => {
                let (x, width) = (w.page.left, w.page.text);
                place_column(w, std::slice::from_ref(l), x, width);
            }
            FramePart::Mark { label, red, before } => mark(w, label, *red, before.0),
            FramePart::Gap { before, .. } => w.space(before.0 + line_height(nd30::BODY_SIZE)),
        }
    }
}

/// The empty signature field over the signing space of the row just drawn, `height`
/// high.
/// Then the agency's seal field: a square the seal's size over the left third of the
/// signer's field, centred on its height (ô 8), which the văn thư signs second.
fn signing_box(
    w: &mut Writer,
    widths: [Pt; 2],
    height: f32,
    space: &SigningSpace,
    (signer, seal): (&str, crate::units::Mm),
) {
    let top = w.y - height + space.top.0;
    let bottom = top + space.height.0;
    let pad = nd30::CELL_PADDING.0;
    let left: f32 = widths[..space.column].iter().map(|p| p.0).sum();
    let x1 = w.page.left + left + pad;
    let x2 = w.page.left + left + widths[space.column].0 - pad;
    let page = w.pages.len() - 1;
    let (y1, y2) = (w.page.height - bottom, w.page.height - top);
    w.signatures = vec![
        finish::SignatureBox {
            page,
            rect: [x1, y1, x2, y2],
            name: finish::field_name(signer),
        },
        seal_box(page, [x1, y1, x2, y2], seal.to_pt().0),
    ];
}

/// The agency's signature field of appendices issued in a file of their own: the top
/// right of their first page, inside the top margin, as wide as the number, the symbol
/// and the signing time its tool writes there in 10 pt (Phụ lục I, II.8b).
fn appendix_seal_box(page: Option<Page>) -> finish::SignatureBox {
    let page = page.unwrap_or_else(|| Page::of(Orientation::Portrait));
    let right = page.left + page.text;
    let (width, height) = (
        nd30::APPENDIX_SEAL_WIDTH.to_pt().0,
        nd30::APPENDIX_SEAL_HEIGHT.to_pt().0,
    );
    // Its top a third of the way down the top margin; it ends above the text.
    let top = page.height - page.top / 3.0;
    finish::SignatureBox {
        page: 0,
        rect: [right - width, top - height, right, top],
        name: finish::APPENDIX_SEAL_FIELD.to_string(),
    }
}

/// The seal's field for a signer's field `rect`: `side` points square, its right edge a
/// third of the way into the signer's field, centred on its height.
fn seal_box(page: usize, [x1, y1, x2, y2]: [f32; 4], side: f32) -> finish::SignatureBox {
    let right = x1 + (x2 - x1) * nd30::SEAL_OVER_SIGNATURE;
    let middle = (y1 + y2) / 2.0;
    finish::SignatureBox {
        page,
        rect: [
            right - side,
            middle - side / 2.0,
            right,
            middle + side / 2.0,
        ],
        name: finish::SEAL_FIELD.to_string(),
    }
}

/// A framed mark (draft, ô 10a, ô 10b) at the left under the header, as the DOCX
/// draws it: a bordered paragraph narrowed to its text.
fn mark(w: &mut Writer, label: &str, red: bool, before: f32) {
    let gap = nd30::MARK_GAP.0;
    let b = nd30::MARK_BORDER.0;
    let size = nd30::MARK_SIZE;
    let lh = line_height(size);
    let width = text_width(label, FaceStyle::Bold, size).0;
    w.space(before);
    // The borders and their gaps add to the paragraph's height, top and bottom.
    let height = lh + 2.0 * (gap + b);
    w.ensure(height);
    let top = w.y;
    // The frame's left line lies on the margin, as Word draws a paragraph border.
    let x1 = w.page.left - b / 2.0;
    let x2 = w.page.left + gap + width + 2.0 + gap + b / 2.0;
    let (y1, y2) = (top + b / 2.0, top + height - b / 2.0);
    if red {
        w.ops().push(Op::SetOutlineColor {
            col: printpdf::Color::Rgb(printpdf::Rgb::new(1.0, 0.0, 0.0, None)),
        });
        w.ops().push(Op::SetFillColor {
            col: printpdf::Color::Rgb(printpdf::Rgb::new(1.0, 0.0, 0.0, None)),
        });
    }
    w.hline(x1, x2, y1, b);
    w.hline(x1, x2, y2, b);
    w.vline(x1, y1, y2, b);
    w.vline(x2, y1, y2, b);
    let run = Run {
        text: label,
        style: FaceStyle::Bold,
    };
    let x = w.page.left + gap + 1.0;
    w.text(x, top + gap + b + ascent(size), size, &[run], 0.0);
    if red {
        let black = printpdf::Color::Rgb(printpdf::Rgb::new(0.0, 0.0, 0.0, None));
        w.ops().push(Op::SetOutlineColor { col: black.clone() });
        w.ops().push(Op::SetFillColor { col: black });
    }
    w.y = top + height;
}

/// Ô 13 at the foot of page 1: the rule, then the lines, ending where Word's footer
/// ends (the footer distance above the paper's edge).
fn contact(w: &mut Writer, text: &str) {
    let size = nd30::CONTACT_SIZE;
    let lh = line_height(size);
    let first = w.page_info.first().map_or(w.page, |p| p.0);
    let lines = lay(&plain(text, false, false), size, first.text, first.text);
    let bottom = first.height - nd30::HEADER_DISTANCE.to_pt().0;
    let top = bottom - lines.len() as f32 * lh;
    // Draw on page 1, whatever page the body has reached.
    w.target = Some(0);
    let t = nd30::RULE_THICKNESS.0;
    w.hline(first.left, first.left + first.text, top - 1.0 - t / 2.0, t);
    for (i, line) in lines.iter().enumerate() {
        w.line(
            line,
            first.left,
            first.text,
            top + i as f32 * lh,
            size,
            Align::Left,
        );
    }
    w.target = None;
}

/// An appendix on a new part: its heading, then its body.
fn appendix(w: &mut Writer, a: &Appendix) {
    w.new_part(a.orientation);
    frame_parts(w, &frame::appendix_heading(a), ("", nd30::SEAL_DIAMETER));
    blocks(w, &a.body, None);
}

/// Body blocks, each paragraph broken into lines once (a heading looks at the next
/// one's count).
/// The blocks of a body; with `end_keeps`, its last paragraph keeps with what follows
/// it, that high.
fn blocks(w: &mut Writer, body: &[Block], end_keeps: Option<f32>) {
    let width = w.page.text;
    let laid: Vec<Vec<Line>> = body
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => lay_paragraph(p, width),
            _ => Vec::new(),
        })
        .collect();
    for (i, b) in body.iter().enumerate() {
        match b {
            Block::Paragraph(p) => {
                let next = match body.get(i + 1) {
                    Some(Block::Paragraph(_)) => paragraph_start_height(laid[i + 1].len()),
                    Some(Block::Table(_)) => 3.0 * line_height(nd30::TABLE_SIZE),
                    _ => 0.0,
                };
                match end_keeps {
                    Some(height) if i + 1 == body.len() => {
                        let kept = Paragraph {
                            keep_with_next: true,
                            ..p.clone()
                        };
                        paragraph(w, &kept, &laid[i], height);
                    }
                    _ => paragraph(w, p, &laid[i], next),
                }
            }
            Block::Table(t) => table(w, t),
            Block::PageBreak => w.new_page(),
        }
    }
}

/// First-line indent of a body paragraph.
fn indent_of(p: &Paragraph) -> f32 {
    if p.indent {
        nd30::FIRST_LINE_INDENT.to_pt().0
    } else {
        0.0
    }
}

/// A body paragraph broken into lines.
fn lay_paragraph(p: &Paragraph, width: f32) -> Vec<Line> {
    lay(&p.inlines, nd30::BODY_SIZE, width - indent_of(p), width)
}

fn paragraph(w: &mut Writer, p: &Paragraph, lines: &[Line], keep_next_height: f32) {
    let size = nd30::BODY_SIZE;
    let width = w.page.text;
    let indent = indent_of(p);
    let lh = line_height(size);
    w.space(nd30::PARAGRAPH_SPACING.0);
    // Keep a heading with the start of what follows; with two widow and two orphan
    // lines, a paragraph of up to three lines cannot be split.
    let needed = if p.keep_with_next {
        lines.len() as f32 * lh + keep_next_height
    } else {
        lh * unsplittable_lines(lines.len()) as f32
    };
    w.ensure(needed);
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        // Widow control: don't leave the last line alone on the next page.
        let remaining = n - i;
        if remaining == 2 && i >= 2 && w.y + 2.0 * lh > w.page.bottom + 0.01 {
            w.new_page();
        }
        w.ensure(lh);
        let x = w.page.left + if i == 0 { indent } else { 0.0 };
        let wd = if i == 0 { width - indent } else { width };
        let top = w.y;
        w.line(line, x, wd, top, size, p.align);
        w.y += lh;
    }
}

/// How many lines of an `n`-line paragraph must be on the page it starts on: all of
/// them up to three (2 orphans + 2 widows), else two.
fn unsplittable_lines(n: usize) -> usize {
    if n <= 3 {
        n
    } else {
        2
    }
}

/// Height the start of an `n`-line paragraph needs on the page where the heading before
/// it ends.
fn paragraph_start_height(n: usize) -> f32 {
    nd30::PARAGRAPH_SPACING.0 + unsplittable_lines(n) as f32 * line_height(nd30::BODY_SIZE)
}

fn table(w: &mut Writer, t: &Table) {
    let widths: Vec<f32> = layout::table_widths(t, Pt(w.page.text))
        .iter()
        .map(|p| p.0)
        .collect();
    let border = nd30::TABLE_BORDER.0;
    let lh = line_height(nd30::TABLE_SIZE);
    // Every cell laid out in its grid place, and the rows measured, as the DOCX is.
    let cells = layout::table_cells(t, &widths);
    let rows = layout::TableRows::measure(&cells);
    let heights = &rows.heights;
    let bands = &rows.bands;
    let header_bands = rows.header_bands(|r| t.rows[r].header);
    let draw_band = |w: &mut Writer, (start, end): (usize, usize)| {
        let top = w.y;
        let left = w.page.left;
        let mut row_top = top;
        for r in start..end {
            for c in &cells[r] {
                let h: f32 = heights[r..r + c.down].iter().sum();
                w.cell_box(left + c.x, left + c.x + c.width, row_top, h, border);
                // Centre the lines vertically in the cell.
                let content = c.lines.len() as f32 * lh;
                let y = row_top + border + (h - border - content) / 2.0;
                w.cell_text(c, &c.lines, left, y);
            }
            row_top += heights[r];
        }
        w.y = row_top;
        w.fresh = false;
    };
    let band_height = |band: (usize, usize)| -> f32 { rows.band_height(band) };
    let header_height = rows.header_height(&header_bands);
    // A row taller than a page under its headers cannot move whole: it is split at the
    // foot of the page, line by line, and goes on under the repeated headers (the DOCX
    // lets such a row split too).
    let page_body = w.page.bottom - w.page.top;
    // The header rows start where their first body row fits under them.
    if !header_bands.is_empty() {
        w.ensure(rows.opening_height(&header_bands, page_body));
    }
    for &band in bands {
        if t.rows[band.0].header && header_bands.contains(&band) {
            w.ensure(band_height(band));
            draw_band(w, band);
            continue;
        }
        if rows.may_split(band, header_height, page_body) {
            let row = &cells[band.0];
            let total = row.iter().map(|c| c.lines.len()).max().unwrap_or(1);
            let mut from = 0;
            while from < total {
                if w.y + lh + border > w.page.bottom + 0.01 {
                    w.new_page();
                    for &h in &header_bands {
                        draw_band(w, h);
                    }
                }
                let fit = (((w.page.bottom - w.y - border) / lh).floor() as usize).max(1);
                let to = (from + fit).min(total);
                let top = w.y;
                let h = (to - from) as f32 * lh + border;
                let left = w.page.left;
                for c in row {
                    w.cell_box(left + c.x, left + c.x + c.width, top, h, border);
                    let part = &c.lines[from.min(c.lines.len())..to.min(c.lines.len())];
                    w.cell_text(c, part, left, top + border);
                }
                w.y = top + h;
                w.fresh = false;
                from = to;
            }
            continue;
        }
        // A band that does not fit starts a page, under the repeated header rows.
        if w.ensure(band_height(band) + border) {
            for &h in &header_bands {
                draw_band(w, h);
            }
        }
        draw_band(w, band);
    }
    w.y += border;
}

/// Checks that every character can be drawn, before anything is laid out.
fn check_coverage(doc: &Document) -> Result<(), PdfError> {
    let body = doc.body_text();
    let mut texts: Vec<&str> = vec![&doc.frame.summary, &doc.frame.signer.name];
    texts.extend(doc.frame.agency.iter().map(String::as_str));
    texts.extend(doc.frame.addressees.iter().map(String::as_str));
    texts.extend(doc.frame.recipients.iter().map(String::as_str));
    texts.extend(doc.frame.contact.iter().map(String::as_str));
    for a in &doc.appendices {
        texts.extend([a.heading.as_str(), a.title.as_str(), a.reference.as_str()]);
    }
    texts.push(&body);
    // Every face has every character of almost every text: one pass over its
    // characters, and the missing ones gathered only for a text that lacks one.
    let covered = |c: char| {
        c.is_control()
            || FaceStyle::ALL
                .iter()
                .all(|style| crate::fonts::advance_units(*style, c).is_some())
    };
    for t in texts {
        if t.chars().all(covered) {
            continue;
        }
        for style in FaceStyle::ALL {
            let missing = missing_chars(t, style);
            if !missing.is_empty() {
                let context: String = t.chars().take(60).collect();
                return Err(PdfError::MissingGlyphs {
                    chars: missing,
                    context,
                });
            }
        }
    }
    Ok(())
}

/// Renders the document.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    render_part(doc, Part::Whole).map(|(bytes, _)| bytes)
}

/// What a signing tool needs to know of a PDF (sidecar `<document>.kyso.json`): its
/// fields in signing order, where they lie, and the text around the signer's block.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SigningPlan {
    pub fields: Vec<FieldPlace>,
    pub anchors: Anchors,
    /// What the outgoing register records of the document (Phụ lục IV).
    pub document: DocumentFacts,
}

/// The document as the register (sổ đăng ký văn bản đi) records it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocumentFacts {
    /// Ký hiệu: "BC-UBND".
    pub symbol: String,
    /// Tên loại: "Báo cáo"; empty for a Công văn.
    pub kind: String,
    /// Trích yếu.
    pub summary: String,
    /// Cơ quan ban hành, its name lines joined.
    pub agency: String,
    /// Địa danh.
    pub place: String,
    /// The signer's position line: "PHÓ CHỦ TỊCH".
    pub position: String,
    /// Tên loại và trích yếu: "Báo cáo Kết quả …".
    pub title: String,
    /// Người ký.
    pub signer: String,
    /// Nơi nhận, without the archive line.
    pub recipients: Vec<String>,
    /// Đơn vị nhận bản lưu: the "Lưu:" line of Nơi nhận ("VT, VHXH").
    pub archive: String,
}

/// One field of the PDF, placed as each kind of tool wants it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldPlace {
    /// "signer" (chữ ký số của người có thẩm quyền), "seal" (chữ ký số của cơ quan), or
    /// a text field the văn thư fills at issue: "number", "date-day", "date-month".
    pub role: &'static str,
    /// The field's name (/T) in the PDF.
    pub name: String,
    /// 1-based.
    pub page: usize,
    /// PDF points from the bottom left of the page: llx, lly, urx, ury (rounded to 0.01).
    pub rect_pt: [f32; 4],
    /// Millimetres from the top left of the page: x, y, width, height (rounded to 0.01).
    pub rect_mm: [f32; 4],
}

/// Text a tool finds the signer's block by; it stays extractable in the PDF.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Anchors {
    /// The position line right above the signing space: "PHÓ CHỦ TỊCH".
    pub position: String,
    /// The signer's name below it.
    pub name: String,
}

/// Which part of a document one PDF holds: all of it, or — when the appendices are
/// issued as a file of their own (`[issue] appendices = "separate"`) — the document
/// without them, or the appendices alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// The document without its appendices.
    Main,
    /// The appendices alone (văn bản kèm theo không cùng tệp tin), with the agency's
    /// signature field at the top right of the first page (Phụ lục I, II.8b).
    Appendices,
}

/// The PDF of one part of a document, and where its signature fields lie.
pub fn render_part(doc: &Document, part: Part) -> Result<(Vec<u8>, SigningPlan), PdfError> {
    check_coverage(doc)?;
    let mut pdf = PdfDocument::new(&doc.title);
    // Font ids named by us, not by printpdf's process-wide counter, so bytes repeat.
    let fonts: Vec<FontId> = (0..parsed_fonts().len())
        .map(|i| FontId(format!("F{}", i + 1)))
        .collect();
    let page = Page::of(Orientation::Portrait);
    let top = page.top;
    let mut w = Writer {
        page,
        fonts,
        pages: vec![Vec::new()],
        page_info: vec![(page, 1)],
        y: top,
        fresh: true,
        signatures: Vec::new(),
        text_fields: Vec::new(),
        target: None,
        borders: Default::default(),
    };
    if part == Part::Appendices {
        // The appendices start the file: no page before the first.
        w.pages.clear();
        w.page_info.clear();
    } else {
        let laid = frame::lay_out(&doc.frame);
        let signer = &doc.frame.signer.name;
        let signer = (signer.as_str(), doc.frame.seal);
        frame_parts(&mut w, &laid.before_body, signer);
        // The body's last paragraph keeps with the signature, whose height it must
        // find room for beside it (as the DOCX's keep-with-next does in LibreOffice
        // and Word).
        let end_keeps = laid
            .body_end_keeps()
            .then(|| frame_parts_height(&laid.after_body));
        blocks(&mut w, &doc.body, end_keeps);
        frame_parts(&mut w, &laid.after_body, signer);
        if let Some(text) = &doc.frame.contact {
            contact(&mut w, text);
        }
    }
    if part != Part::Main {
        for a in &doc.appendices {
            appendix(&mut w, a);
        }
    }
    if part == Part::Appendices {
        w.signatures = vec![appendix_seal_box(w.page_info.first().map(|(p, _)| *p))];
    }

    // Each face cut down to the characters this document draws with it, and the digits
    // its issue fields are filled with.
    let text_fields = std::mem::take(&mut w.text_fields);
    let mut used = finish::used_chars(&w.pages);
    for f in &text_fields {
        used.entry(w.fonts[f.font].clone())
            .or_default()
            .extend('0'..='9');
    }
    let subsets: Vec<(FontId, Arc<embed::Subset>)> = w
        .fonts
        .iter()
        .zip(FaceStyle::ALL)
        .filter_map(|(id, style)| Some((id.clone(), embed::subset(style, used.get(id)?))))
        .collect();
    let signatures = w.signatures.clone();
    let plan = signing_plan(doc, &signatures, &text_fields, &w.page_info);
    // The content streams are ours (see `content`), and so are the font objects (see
    // `embed`): printpdf writes the rest of the file.
    let embedded: BTreeMap<FontId, &ParsedFont> = subsets
        .iter()
        .map(|(id, s)| (id.clone(), &s.font))
        .collect();
    let contents: Option<Vec<Vec<u8>>> = w
        .pages
        .iter()
        .map(|ops| content::encode(ops, &embedded))
        .collect();
    let mut page_ops = w.pages;
    if contents.is_some() {
        page_ops.iter_mut().for_each(Vec::clear);
    } else {
        // A page only printpdf can write: it writes the fonts too.
        for (id, subset) in &subsets {
            pdf.resources
                .fonts
                .map
                .insert(id.clone(), printpdf::PdfFont::new(subset.font.clone()));
        }
    }
    let pages = page_ops
        .into_iter()
        .zip(&w.page_info)
        .map(|(ops, (page, _))| {
            PdfPage::new(
                PMm(page.width * 25.4 / 72.0),
                PMm(page.height * 25.4 / 72.0),
                ops,
            )
        })
        .collect();
    pdf.with_pages(pages);
    let info = &mut pdf.metadata.info;
    info.document_title = doc.title.clone();
    info.author = doc.frame.agency.join(" ");
    info.subject = doc.frame.summary.clone();
    info.creator = "vanthu".into();
    info.producer = format!("vanthu {}", env!("CARGO_PKG_VERSION"));
    let date =
        printpdf::OffsetDateTime::from_unix_timestamp(doc.frame.date.days_since_epoch() * 86_400)
            .unwrap_or_else(|_| printpdf::OffsetDateTime::now_utc());
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    let opts = PdfSaveOptions {
        subset_fonts: false,
        optimize: false,
        ..Default::default()
    };
    // The file's /ID: a hash of what the pages show and of the metadata, which the rest
    // of the file follows from (the document's model, when printpdf drew the pages).
    let identity: [u8; 32] = match &contents {
        Some(pages) => {
            let mut h = Sha256::new();
            for (content, (page, _)) in pages.iter().zip(&w.page_info) {
                h.update((content.len() as u64).to_le_bytes());
                h.update(content);
                h.update(page.width.to_le_bytes());
                h.update(page.height.to_le_bytes());
            }
            let info = &pdf.metadata.info;
            for field in [&info.document_title, &info.author, &info.subject] {
                h.update((field.len() as u64).to_le_bytes());
                h.update(field.as_bytes());
            }
            h.update(doc.frame.date.days_since_epoch().to_le_bytes());
            for sig in &signatures {
                h.update(sig.name.as_bytes());
            }
            for field in &text_fields {
                h.update(field.name.as_bytes());
            }
            h.finalize().into()
        }
        None => Sha256::digest(format!("{doc:?}")).into(),
    };
    let mut lo = pdf.to_lopdf_document(&opts, &mut Vec::new());
    if let Some(contents) = contents {
        finish::set_contents(&mut lo, contents)?;
        embed::add(&mut lo, &subsets)?;
    }
    let bytes = finish::finish(
        lo,
        &finish::Finish {
            language: "vi-VN",
            signatures: &signatures,
            text_fields: &text_fields,
            identity,
        },
    )?;
    Ok((bytes, plan))
}

/// The fields as the sidecar states them.
fn signing_plan(
    doc: &Document,
    signatures: &[finish::SignatureBox],
    text_fields: &[finish::TextFieldBox],
    pages: &[(Page, u32)],
) -> SigningPlan {
    let round = |v: f32| (v * 100.0).round() / 100.0;
    let place = |role: &'static str, name: &str, page: usize, [x1, y1, x2, y2]: [f32; 4]| {
        let height = pages.get(page).map_or(0.0, |(p, _)| p.height);
        let mm = |pt: f32| round(pt * 25.4 / 72.0);
        FieldPlace {
            role,
            name: name.to_string(),
            page: page + 1,
            rect_pt: [round(x1), round(y1), round(x2), round(y2)],
            rect_mm: [mm(x1), mm(height - y2), mm(x2 - x1), mm(y2 - y1)],
        }
    };
    let signed = signatures.iter().map(|sig| {
        let role = match sig.name.as_str() {
            finish::SEAL_FIELD => "seal",
            finish::APPENDIX_SEAL_FIELD => "appendix-seal",
            _ => "signer",
        };
        place(role, &sig.name, sig.page, sig.rect)
    });
    let filled = text_fields.iter().map(|f| {
        let role = match f.name {
            nd30::NUMBER_FIELD => "number",
            nd30::DAY_FIELD => "date-day",
            _ => "date-month",
        };
        place(role, f.name, f.page, f.rect)
    });
    let fields = signed.chain(filled).collect();
    let (archive, recipients): (Vec<&String>, Vec<&String>) = doc
        .frame
        .recipients
        .iter()
        .partition(|r| r.starts_with("Lưu:"));
    let trim = |r: &str| r.trim().trim_end_matches([';', '.']).trim().to_string();
    SigningPlan {
        fields,
        anchors: Anchors {
            position: doc.frame.signer.position.clone(),
            name: doc.frame.signer.name.clone(),
        },
        document: DocumentFacts {
            symbol: doc.frame.symbol.clone(),
            kind: doc.frame.kind.name().unwrap_or("Công văn").to_string(),
            summary: doc.frame.summary.clone(),
            agency: doc.frame.agency.join(" "),
            place: doc.frame.place.clone(),
            position: doc.frame.signer.position.clone(),
            title: doc.title.clone(),
            signer: doc.frame.signer.name.clone(),
            recipients: recipients.iter().map(|r| trim(r)).collect(),
            archive: archive
                .first()
                .map(|a| trim(a.trim_start_matches("Lưu:")))
                .unwrap_or_default(),
        },
    }
}

/// The face `style` stands for, parsed once per process ([`FaceStyle::ALL`] lists the
/// faces in the order they are declared, which [`parsed_fonts`] follows).
fn face(style: FaceStyle) -> &'static ParsedFont {
    &parsed_fonts()[style as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::tests::sample_frame;

    fn sample_document(words: usize) -> Document {
        let text = vec!["Ủy ban nhân dân xã Phú Thái báo cáo"; words].join(" ");
        Document {
            frame: sample_frame(),
            body: vec![Block::Paragraph(Paragraph {
                inlines: vec![Inline::plain(text)],
                align: Align::Justify,
                indent: true,
                keep_with_next: false,
            })],
            appendices: Vec::new(),
            title: "Báo cáo".into(),
        }
    }

    /// A character no face can draw is refused before anything is laid out, named with
    /// the text it is in; one in the signer's name as much as in the body.
    #[test]
    fn a_character_no_face_has_is_refused_with_its_text() {
        let mut doc = sample_document(3);
        doc.body.push(Block::Paragraph(Paragraph {
            inlines: vec![Inline::plain("Tên chữ Hán 漢 và ☃")],
            align: Align::Justify,
            indent: true,
            keep_with_next: false,
        }));
        match render(&doc) {
            Err(PdfError::MissingGlyphs { chars, context }) => {
                assert_eq!(chars, vec!['☃', '漢']);
                assert!(context.contains("Ủy ban nhân dân"), "{context}");
            }
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        let mut doc = sample_document(3);
        doc.frame.signer.name = "Nguyễn Văn 漢".into();
        match render(&doc) {
            Err(PdfError::MissingGlyphs { chars, context }) => {
                assert_eq!(chars, vec!['漢']);
                assert_eq!(context, "Nguyễn Văn 漢");
            }
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        // Control characters are not drawn, so not missing.
        let mut doc = sample_document(3);
        doc.frame.summary.push('\u{7}');
        assert!(render(&doc).is_ok());
    }

    #[test]
    fn the_same_document_gives_the_same_bytes_within_one_process() {
        // printpdf's own ids come from a process-wide counter; ours must not.
        let doc = sample_document(40);
        let a = render(&doc).unwrap();
        let b = render(&doc).unwrap();
        assert!(a == b, "two renderings in one process differ");
        // And a different document gets a different /ID.
        let c = render(&sample_document(41)).unwrap();
        let id = |bytes: &[u8]| {
            let lo = lopdf::Document::load_mem(bytes).unwrap();
            format!("{:?}", lo.trailer.get(b"ID").unwrap())
        };
        assert_ne!(id(&a), id(&c));
    }

    fn long_table(rows: usize) -> Table {
        use crate::doc::{Cell, Row};
        let cell = |t: &str| Cell::new(vec![Inline::plain(t)], Align::Center);
        let mut all = crate::doc::tests::two_level_header();
        for n in 1..=rows {
            all.push(Row {
                cells: vec![
                    cell(&n.to_string()),
                    cell(&format!("Thôn số {n}")),
                    cell(&(n * 7).to_string()),
                ],
                header: false,
            });
        }
        Table {
            widths: vec![1.0, 4.0, 2.0],
            rows: all,
        }
    }

    /// The PDF of a one-word document and a table of `rows` body rows, read back.
    fn with_table(rows: usize) -> lopdf::Document {
        let mut doc = sample_document(1);
        doc.body.push(Block::Table(long_table(rows)));
        lopdf::Document::load_mem(&render(&doc).unwrap()).unwrap()
    }

    #[test]
    fn a_table_of_200_rows_repeats_its_header_on_every_page() {
        let lo = with_table(200);
        let pages = lo.get_pages().len() as u32;
        assert!(pages >= 5, "{pages} pages");
        let mut seen = Vec::new();
        for page in 1..=pages {
            let text = lo.extract_text(&[page]).unwrap();
            let rows: Vec<usize> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("Thôn số "))
                .filter_map(|n| n.trim().parse().ok())
                .collect();
            if !rows.is_empty() {
                assert!(text.contains("STT") && text.contains("(1)"), "page {page}");
            }
            seen.extend(rows);
        }
        // Every row once, in order, none lost at a page break.
        assert_eq!(seen, (1..=200).collect::<Vec<_>>());
    }

    #[test]
    fn a_border_shared_by_two_cells_is_drawn_once_and_every_cell_keeps_four() {
        let lo = with_table(30);
        for (page, id) in lo.get_pages() {
            let content = String::from_utf8(lo.get_page_content(id)).unwrap();
            let lines: Vec<&str> = content.lines().collect();
            // Each segment: "x1 y1 m", "x2 y2 l", "S".
            let mut segments = Vec::new();
            for w in lines.windows(3) {
                if w[0].ends_with(" m") && w[1].ends_with(" l") && w[2] == "S" {
                    segments.push((w[0].to_string(), w[1].to_string()));
                }
            }
            let mut unique = segments.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), segments.len(), "page {page}: a segment twice");
            let widths = lines.iter().filter(|l| l.ends_with(" w")).count();
            assert!(
                widths <= 2,
                "page {page}: the line width set {widths} times"
            );
            // The body rows (three cells of one height): four vertical edges each.
            let mut by_span: BTreeMap<(String, String), usize> = BTreeMap::new();
            for (from, to) in &segments {
                let (x1, y1) = from.trim_end_matches(" m").split_once(' ').unwrap();
                let (x2, y2) = to.trim_end_matches(" l").split_once(' ').unwrap();
                if x1 == x2 {
                    *by_span.entry((y1.to_string(), y2.to_string())).or_default() += 1;
                }
            }
            let rows = by_span.values().filter(|n| **n == 4).count();
            if page == 1 {
                assert!(
                    rows >= 20,
                    "page 1: {rows} rows with four edges: {by_span:?}"
                );
            }
            assert!(by_span.values().all(|n| *n >= 2), "{by_span:?}");
        }
    }

    #[test]
    fn a_row_taller_than_a_page_splits_across_pages_under_its_header() {
        use crate::doc::{Cell, Row};
        let long: String = (1..=1000).map(|n| format!("dòng{n} ")).collect();
        let cell = |t: &str| Cell::new(vec![Inline::plain(t)], Align::Left);
        let table = Table {
            widths: vec![1.0, 4.0],
            rows: vec![
                Row {
                    cells: vec![cell("STT"), cell("Nội dung")],
                    header: true,
                },
                Row {
                    cells: vec![cell("1"), cell(&long)],
                    header: false,
                },
            ],
        };
        let mut doc = sample_document(1);
        doc.body.push(Block::Table(table));
        let bytes = render(&doc).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let pages = lo.get_pages().len() as u32;
        assert!(pages >= 3, "{pages}");
        let mut words = Vec::new();
        for p in 1..=pages {
            let text = lo.extract_text(&[p]).unwrap();
            if text.contains("dòng") {
                assert!(text.contains("Nội dung"), "the header repeats on page {p}");
            }
            words.extend(
                text.split_whitespace()
                    .filter_map(|w| w.strip_prefix("dòng"))
                    .filter_map(|n| n.parse::<u32>().ok()),
            );
        }
        assert_eq!(
            words,
            (1..=1000).collect::<Vec<_>>(),
            "every line once, in order"
        );
    }

    /// A justified body paragraph of `text`.
    fn body_line(text: &str) -> Block {
        Block::Paragraph(Paragraph {
            inlines: vec![Inline::plain(text)],
            align: Align::Justify,
            indent: true,
            keep_with_next: false,
        })
    }

    /// The document `doc` with `fillers` one-line paragraphs ("Dòng thứ n …") added to
    /// its body, then `end`, rendered: the page (from 1) each word is first on.
    fn pages_of_words(fillers: usize, end: Block) -> impl Fn(&str) -> u32 {
        let mut doc = sample_document(1);
        doc.body
            .extend((0..fillers).map(|n| body_line(&format!("Dòng thứ {n} của phần thân."))));
        doc.body.push(end);
        let lo = lopdf::Document::load_mem(&render(&doc).unwrap()).unwrap();
        let texts: Vec<String> = (1..=lo.get_pages().len() as u32)
            .map(|p| lo.extract_text(&[p]).unwrap())
            .collect();
        move |word: &str| texts.iter().position(|t| t.contains(word)).unwrap() as u32 + 1
    }

    #[test]
    fn the_signature_keeps_with_the_end_of_the_body() {
        // However far down the body ends, its last paragraph ("CUỐI") is on the page
        // of the signer's name: the signature never stands alone on a page.
        let signer = sample_frame().signer.name;
        let mut moved = 0;
        for fillers in 14..30 {
            let page_of = pages_of_words(
                fillers,
                body_line("Trên đây là nội dung thông báo của cơ quan, đề nghị các đơn vị thực hiện CUỐI./."),
            );
            let (end, sign) = (page_of("CUỐI"), page_of(&signer));
            assert_eq!(end, sign, "{fillers} fillers");
            moved += usize::from(sign == 2 && page_of("thứ 0") == 1);
        }
        assert!(moved > 0, "some body ended at the foot of page 1");
    }

    #[test]
    fn a_table_header_never_ends_a_page_without_a_row_under_it() {
        use crate::doc::{Cell, Row};
        let cell = |t: &str| Cell::new(vec![Inline::plain(t)], Align::Left);
        // However far down the page the table starts, its header ("Nội dung") is on
        // the same page as its first row ("Hàng1").
        let mut moved = 0;
        for fillers in 20..32 {
            let mut rows = vec![Row {
                cells: vec![cell("STT"), cell("Nội dung")],
                header: true,
            }];
            rows.extend((1..=5).map(|n| Row {
                cells: vec![cell(&n.to_string()), cell(&format!("Hàng{n}"))],
                header: false,
            }));
            let table = Block::Table(Table {
                widths: vec![1.0, 4.0],
                rows,
            });
            let page_of = pages_of_words(fillers, table);
            assert_eq!(page_of("Nội dung"), page_of("Hàng1"), "{fillers} fillers");
            moved += usize::from(page_of("Nội dung") == 2 && page_of("thứ 0") == 1);
        }
        assert!(
            moved > 0,
            "some table started at the foot of page 1 and moved"
        );
    }

    #[test]
    fn an_appendix_is_landscape_and_numbers_its_pages_from_one() {
        let mut doc = sample_document(1);
        doc.appendices.push(Appendix {
            heading: "Phụ lục".into(),
            title: "KẾT QUẢ THEO ĐƠN VỊ".into(),
            reference: "(Kèm theo Báo cáo số /BC-UBND)".into(),
            orientation: Orientation::Landscape,
            body: vec![Block::Table(long_table(40))],
        });
        let bytes = render(&doc).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let pages = lo.get_pages();
        assert!(pages.len() >= 3);
        let size = |id| {
            let page = lo.get_dictionary(id).unwrap();
            let b = page.get(b"MediaBox").unwrap().as_array().unwrap();
            (b[2].as_float().unwrap(), b[3].as_float().unwrap())
        };
        let (w1, h1) = size(pages[&1]);
        let (w2, h2) = size(pages[&2]);
        assert!(w1 < h1 && w2 > h2, "portrait, then landscape");
        // The appendix's page 2 carries the number 2; its page 1 none.
        let first = lo.extract_text(&[2]).unwrap();
        let second = lo.extract_text(&[3]).unwrap();
        assert!(first.trim_start().starts_with("Phụ lục"), "{first}");
        assert!(second.trim_start().starts_with('2'), "{second}");
    }

    #[test]
    fn each_style_finds_its_own_face() {
        for style in FaceStyle::ALL {
            assert!(face(style).original_bytes == style.bytes(), "{style:?}");
        }
    }

    #[test]
    fn subset_fonts_keep_every_character_drawn() {
        let doc = sample_document(3);
        let bytes = render(&doc).unwrap();
        let lo = lopdf::Document::load_mem(&bytes).unwrap();
        let text = lo.extract_text(&[1]).unwrap();
        let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            collapsed.contains("Ủy ban nhân dân xã Phú Thái báo cáo"),
            "{collapsed}"
        );
        assert!(bytes.len() < 120_000, "{} bytes", bytes.len());
    }
}
