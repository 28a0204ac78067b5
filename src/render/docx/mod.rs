//! DOCX renderer: [`Document`] → WordprocessingML bytes, with docx-rs.
//!
//! The docx-rs 0.4.22 gaps (no repeated header rows, no core properties, per-thread
//! paragraph ids, one header per extra section, children out of schema order) are worked
//! around in one place, [`finish`], which patches the built XML parts — header rows,
//! section breaks for the appendices, ids, core properties, then [`schema::reorder`] —
//! and packs them with fixed timestamps, so the bytes are deterministic.

mod schema;

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, Header, LineSpacing, LineSpacingType, PageMargin,
    PageNum, Paragraph as DParagraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Run, RunFonts, SpecialIndentType, Table as DTable, TableCell, TableLayoutType, TableRow,
    VMergeType, WidthType,
};
use thiserror::Error;

use super::{addressee_lines, recipient_lines, table_slots, table_widths, FrameGeometry, Slot};
use crate::doc::{
    Align, Appendix, Block, DocKind, Document, Frame, Inline, Orientation, Paragraph, Table,
};
use crate::fonts::{text_width, FaceStyle};
use crate::nd30;
use crate::units::Pt;

#[derive(Debug, Error)]
#[error("cannot write the DOCX package: {0}")]
pub struct DocxError(String);

/// docx-rs 0.4.22 has no API for a repeated header row, so header rows get a marker it
/// does write — a row height of 1 twip with rule "auto" (ignored by Word, and written by
/// nothing else) — which [`finish`] turns into `w:cantSplit` + `w:tblHeader`.
/// (`grid_after` would be the obvious marker, but 0.4.22 never writes it.)
const HEADER_ROW_HEIGHT: f32 = 1.0;
const HEADER_ROW_MARKER: &str = r#"<w:trHeight w:val="1" w:hRule="auto" />"#;

/// The text of the empty paragraph that ends a section (before each appendix); [`finish`]
/// gives that paragraph the section's properties. A private-use character starts it, so
/// no document text can look like it.
const SECTION_END_MARKER: &str = "\u{E000}vanthu-section-end";

fn tw(p: Pt) -> i32 {
    p.to_twips().0
}

fn sz(p: Pt) -> usize {
    p.half_points()
}

fn align(a: Align) -> AlignmentType {
    match a {
        // `Both`, not `Justified`: docx-rs writes the latter as an invalid `w:jc`.
        Align::Justify => AlignmentType::Both,
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

fn spacing(before: Pt, after: Pt) -> LineSpacing {
    LineSpacing::new()
        .before(tw(before) as u32)
        .after(tw(after) as u32)
        .line(nd30::LINE_SPACING_240THS as i32)
        .line_rule(LineSpacingType::Auto)
}

fn run(text: &str, size: Pt, bold: bool, italic: bool) -> Run {
    let mut r = Run::new().add_text(text).size(sz(size));
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    r
}

/// A centred one-line paragraph.
fn centred(text: &str, size: Pt, bold: bool, italic: bool, before: Pt) -> DParagraph {
    DParagraph::new()
        .align(AlignmentType::Center)
        .line_spacing(spacing(before, Pt(0.0)))
        .add_run(run(text, size, bold, italic))
}

/// A short centred rule of `length` inside a box of `box_width`: an empty small paragraph
/// with a bottom border, narrowed by equal side indents.
fn rule(length: Pt, box_width: Pt) -> DParagraph {
    let side = tw(Pt(((box_width.0 - length.0) / 2.0).max(0.0)));
    let mut p = DParagraph::new()
        .align(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(spacing(Pt(0.0), Pt(0.0)))
        .size(sz(nd30::RULE_LINE_SIZE));
    p = p.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1),
        ),
    );
    p
}

fn cell(width: Pt) -> TableCell {
    TableCell::new().width(tw(width) as usize, WidthType::Dxa)
}

fn borderless(widths: &[Pt], rows: Vec<TableRow>) -> DTable {
    let total: i32 = widths.iter().map(|w| tw(*w)).sum();
    DTable::without_borders(rows)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(total as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn header_block(frame: &Frame, g: &FrameGeometry) -> DTable {
    let pad = nd30::CELL_PADDING.0 * 2.0;
    let mut left = cell(g.header_left);
    if let Some(parent) = &frame.parent_agency {
        left = left.add_paragraph(centred(parent, nd30::AGENCY_SIZE, false, false, Pt(0.0)));
    }
    for line in &frame.agency {
        left = left.add_paragraph(centred(line, nd30::AGENCY_SIZE, true, false, Pt(0.0)));
    }
    left = left.add_paragraph(rule(g.agency_rule, Pt(g.header_left.0 - pad)));
    let right = cell(g.header_right)
        .add_paragraph(centred(
            nd30::NATIONAL_TITLE,
            nd30::NATIONAL_TITLE_SIZE,
            true,
            false,
            Pt(0.0),
        ))
        .add_paragraph(centred(nd30::MOTTO, nd30::MOTTO_SIZE, true, false, Pt(0.0)))
        .add_paragraph(rule(g.motto_rule, Pt(g.header_right.0 - pad)));
    let mut number = cell(g.header_left).add_paragraph(centred(
        &nd30::number_line(frame.number, &frame.symbol),
        nd30::NUMBER_SIZE,
        false,
        false,
        Pt(6.0),
    ));
    if frame.kind == DocKind::OfficialLetter {
        number = number.add_paragraph(centred(
            &format!("V/v {}", frame.summary),
            nd30::LETTER_SUMMARY_SIZE,
            false,
            false,
            nd30::PARAGRAPH_SPACING,
        ));
    }
    let date = cell(g.header_right).add_paragraph(centred(
        &frame.date_line(),
        nd30::DATE_SIZE,
        false,
        true,
        Pt(6.0),
    ));
    borderless(
        &[g.header_left, g.header_right],
        vec![
            TableRow::new(vec![left, right]),
            TableRow::new(vec![number, date]),
        ],
    )
}

fn title_block(frame: &Frame, g: &FrameGeometry) -> Vec<DParagraph> {
    let Some(title) = frame.kind.title() else {
        return Vec::new();
    };
    vec![
        centred(title, nd30::TITLE_SIZE, true, false, Pt(18.0)),
        centred(&frame.summary, nd30::TITLE_SIZE, true, false, Pt(0.0)),
        rule(g.summary_rule, nd30::text_width()),
    ]
}

/// The framed marks (draft, ô 10a, ô 10b), left under the header: each a paragraph with
/// a single-line border, narrowed to its text.
fn mark_block(frame: &Frame) -> Vec<DParagraph> {
    let gap = nd30::MARK_GAP.0;
    frame
        .marks()
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let width = text_width(&m.label, FaceStyle::Bold, nd30::MARK_SIZE).0;
            let right = nd30::text_width().0 - width - 2.0 * gap - 2.0;
            let border = |pos| {
                ParagraphBorder::new(pos)
                    .val(BorderType::Single)
                    .size((nd30::MARK_BORDER.0 * 8.0) as usize)
                    .space(gap as usize)
            };
            let mut r = run(&m.label, nd30::MARK_SIZE, true, false);
            if m.red {
                r = r.color(nd30::MARK_RED);
            }
            let before = if i == 0 {
                nd30::MARK_SPACING
            } else {
                Pt(gap * 2.0)
            };
            DParagraph::new()
                .align(AlignmentType::Center)
                .indent(Some(tw(Pt(gap))), None, Some(tw(Pt(right.max(0.0)))), None)
                .line_spacing(spacing(before, Pt(0.0)))
                .set_borders(
                    ParagraphBorders::with_empty()
                        .set(border(ParagraphBorderPosition::Top))
                        .set(border(ParagraphBorderPosition::Left))
                        .set(border(ParagraphBorderPosition::Bottom))
                        .set(border(ParagraphBorderPosition::Right)),
                )
                .add_run(r)
        })
        .collect()
}

/// Ô 13: the footer of page 1, under a solid rule across the text width.
fn contact_footer(contact: &str) -> Footer {
    Footer::new().add_paragraph(
        DParagraph::new()
            .align(AlignmentType::Left)
            .line_spacing(spacing(Pt(0.0), Pt(0.0)))
            .set_borders(
                ParagraphBorders::with_empty().set(
                    ParagraphBorder::new(ParagraphBorderPosition::Top)
                        .val(BorderType::Single)
                        .size((nd30::RULE_THICKNESS.0 * 8.0) as usize)
                        .space(1),
                ),
            )
            .add_run(run(contact, nd30::CONTACT_SIZE, false, false)),
    )
}

/// "Phụ lục I", the name, the reference line and its short rule.
fn appendix_heading(a: &Appendix) -> Vec<DParagraph> {
    let width = nd30::text_width_of(a.orientation);
    let reference = text_width(&a.reference, FaceStyle::Italic, nd30::APPENDIX_HEADING_SIZE)
        .0
        .min(width.0);
    let size = nd30::APPENDIX_HEADING_SIZE;
    vec![
        centred(&a.heading, size, true, false, Pt(0.0)),
        centred(&a.title, size, true, false, Pt(0.0)),
        centred(&a.reference, size, false, true, Pt(0.0)),
        rule(Pt((reference * nd30::SUMMARY_RULE_SHARE).round()), width),
    ]
}

fn addressee_block(frame: &Frame) -> Vec<DParagraph> {
    let lines = addressee_lines(&frame.addressees);
    if lines.len() == 1 {
        return vec![centred(&lines[0], nd30::BODY_SIZE, false, false, Pt(12.0))];
    }
    let label = text_width("Kính gửi: ", FaceStyle::Regular, nd30::BODY_SIZE);
    let left = tw(Pt(nd30::text_width().0 * 0.2 + label.0));
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            DParagraph::new()
                .align(AlignmentType::Left)
                // The first line holds the label; later addressees start under the
                // first one, and so do the continuation lines of each.
                .indent(
                    Some(left),
                    (i == 0).then_some(SpecialIndentType::Hanging(tw(label))),
                    None,
                    None,
                )
                .line_spacing(spacing(Pt(if i == 0 { 12.0 } else { 0.0 }), Pt(0.0)))
                .add_run(run(l, nd30::BODY_SIZE, false, false))
        })
        .collect()
}

fn inlines_into(mut p: DParagraph, inlines: &[Inline], size: Pt) -> DParagraph {
    for i in inlines {
        p = match i {
            Inline::Text { text, bold, italic } => p.add_run(run(text, size, *bold, *italic)),
            Inline::LineBreak => p.add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping)),
        };
    }
    p
}

fn body_paragraph(p: &Paragraph) -> DParagraph {
    let indent = if p.indent {
        Some(SpecialIndentType::FirstLine(
            nd30::FIRST_LINE_INDENT.to_twips().0,
        ))
    } else {
        None
    };
    let d = DParagraph::new()
        .align(align(p.align))
        .indent(None, indent, None, None)
        .line_spacing(spacing(nd30::PARAGRAPH_SPACING, Pt(0.0)))
        .keep_next(p.keep_with_next);
    inlines_into(d, &p.inlines, nd30::BODY_SIZE)
}

fn body_table(t: &Table, text_width: Pt) -> DTable {
    let widths = table_widths(t, text_width);
    let slots = table_slots(t);
    let grid = crate::doc::grid_columns(&t.rows);
    let span_width = |col: usize, span: usize| {
        Pt(widths[col..(col + span).min(widths.len())]
            .iter()
            .map(|w| w.0)
            .sum())
    };
    let rows =
        t.rows
            .iter()
            .zip(&slots)
            .enumerate()
            .map(|(index, (r, row_slots))| {
                let mut cells = Vec::new();
                for (col, slot) in row_slots.iter().enumerate() {
                    match *slot {
                        Slot::Start(i) => {
                            let c = &r.cells[i];
                            let span = c.colspan.max(1) as usize;
                            let p = DParagraph::new()
                                .align(align(c.align))
                                .line_spacing(spacing(Pt(0.0), Pt(0.0)));
                            let mut tc = cell(span_width(col, span))
                                .vertical_align(docx_rs::VAlignType::Center)
                                .add_paragraph(inlines_into(p, &c.inlines, nd30::TABLE_SIZE));
                            if span > 1 {
                                tc = tc.grid_span(span);
                            }
                            if c.rowspan > 1 {
                                tc = tc.vertical_merge(VMergeType::Restart);
                            }
                            cells.push(tc);
                        }
                        // The continuation of a cell from above, once, where that cell starts.
                        Slot::Below { column, span } if column == col => {
                            let mut tc = cell(span_width(col, span))
                                .vertical_merge(VMergeType::Continue)
                                .add_paragraph(
                                    DParagraph::new().line_spacing(spacing(Pt(0.0), Pt(0.0))),
                                );
                            if span > 1 {
                                tc = tc.grid_span(span);
                            }
                            cells.push(tc);
                        }
                        Slot::Below { .. } | Slot::Right => {}
                        Slot::Empty => cells.push(cell(span_width(col, 1)).add_paragraph(
                            DParagraph::new().line_spacing(spacing(Pt(0.0), Pt(0.0))),
                        )),
                    }
                }
                let row = TableRow::new(cells);
                // A row does not split across pages unless it is taller than a page, as
                // in the PDF (the marker brings its own cantSplit for header rows).
                if r.header {
                    row.row_height(HEADER_ROW_HEIGHT)
                        .height_rule(docx_rs::HeightRule::Auto)
                } else if row_taller_than_a_page(r, &widths, &grid[index]) {
                    row
                } else {
                    row.cant_split()
                }
            })
            .collect();
    DTable::new(rows)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(tw(text_width) as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// Whether a row's text needs more height than a page holds, measured as the PDF lays
/// it out (such a row must be allowed to split).
fn row_taller_than_a_page(r: &crate::doc::Row, widths: &[Pt], starts: &[usize]) -> bool {
    use crate::render::pdf::layout::{break_lines, line_height, split_long_words, words};
    let pad = 2.0 * nd30::CELL_PADDING.0;
    let lines = r
        .cells
        .iter()
        .zip(starts)
        .map(|(c, &col)| {
            let span = c.colspan.max(1) as usize;
            let width: f32 = widths[col.min(widths.len())..(col + span).min(widths.len())]
                .iter()
                .map(|w| w.0)
                .sum::<f32>()
                - pad;
            let ws = split_long_words(words(&c.inlines, nd30::TABLE_SIZE), nd30::TABLE_SIZE, width);
            break_lines(ws, width, width).len()
        })
        .max()
        .unwrap_or(1);
    let page =
        nd30::PAGE_HEIGHT.to_pt().0 - nd30::MARGIN_TOP.to_pt().0 - nd30::MARGIN_BOTTOM.to_pt().0;
    lines as f32 * line_height(nd30::TABLE_SIZE) > page
}

fn add_blocks(mut docx: Docx, blocks: &[Block], text_width: Pt) -> Docx {
    for b in blocks {
        docx = match b {
            Block::Paragraph(p) => docx.add_paragraph(body_paragraph(p)),
            Block::Table(t) => docx.add_table(body_table(t, text_width)),
            Block::PageBreak => docx.add_paragraph(
                DParagraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)),
            ),
        };
    }
    docx
}

fn signature_block(frame: &Frame, g: &FrameGeometry) -> DTable {
    let mut left = cell(g.signature_left).add_paragraph(
        DParagraph::new()
            .align(AlignmentType::Left)
            .line_spacing(spacing(Pt(0.0), Pt(0.0)))
            .add_run(run("Nơi nhận:", nd30::RECIPIENTS_HEADING_SIZE, true, true)),
    );
    let dash = text_width("- ", FaceStyle::Regular, nd30::RECIPIENTS_ITEM_SIZE);
    for item in recipient_lines(&frame.recipients) {
        left = left.add_paragraph(
            DParagraph::new()
                .align(AlignmentType::Left)
                .indent(
                    Some(tw(dash)),
                    Some(SpecialIndentType::Hanging(tw(dash))),
                    None,
                    None,
                )
                .line_spacing(spacing(Pt(0.0), Pt(0.0)))
                .add_run(run(&item, nd30::RECIPIENTS_ITEM_SIZE, false, false)),
        );
    }
    let mut right = cell(g.signature_right);
    for line in frame.signer.title_lines() {
        right = right.add_paragraph(centred(&line, nd30::SIGNER_SIZE, true, false, Pt(0.0)));
    }
    for _ in 0..nd30::SIGNATURE_SPACE_LINES {
        right = right.add_paragraph(centred("", nd30::SIGNER_SIZE, false, false, Pt(0.0)));
    }
    right = right.add_paragraph(centred(
        &frame.signer.name,
        nd30::SIGNER_SIZE,
        true,
        false,
        Pt(0.0),
    ));
    borderless(
        &[g.signature_left, g.signature_right],
        vec![TableRow::new(vec![left, right]).cant_split()],
    )
}

/// Renders the document. `created` is the document date as `YYYY-MM-DDT00:00:00Z`.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let frame = &doc.frame;
    let g = FrameGeometry::of(frame);
    let fonts = RunFonts::new()
        .ascii(nd30::FONT_FAMILY)
        .hi_ansi(nd30::FONT_FAMILY)
        .cs(nd30::FONT_FAMILY)
        .east_asia(nd30::FONT_FAMILY);
    let page_number = Header::new().add_paragraph(
        DParagraph::new()
            .align(AlignmentType::Center)
            .add_run(Run::new().size(sz(nd30::PAGE_NUMBER_SIZE)))
            .add_page_num(PageNum::new())
            .size(sz(nd30::PAGE_NUMBER_SIZE)),
    );
    let mut docx = Docx::new()
        .page_size(
            nd30::PAGE_WIDTH.to_twips().0 as u32,
            nd30::PAGE_HEIGHT.to_twips().0 as u32,
        )
        .page_margin(
            PageMargin::new()
                .top(nd30::MARGIN_TOP.to_twips().0)
                .bottom(nd30::MARGIN_BOTTOM.to_twips().0)
                .left(nd30::MARGIN_LEFT.to_twips().0)
                .right(nd30::MARGIN_RIGHT.to_twips().0)
                .header(nd30::HEADER_DISTANCE.to_twips().0)
                .footer(nd30::HEADER_DISTANCE.to_twips().0),
        )
        .default_fonts(fonts)
        .default_size(sz(nd30::BODY_SIZE))
        .header(page_number)
        .first_header(Header::new())
        .title_pg()
        .add_table(header_block(frame, &g));
    // Footers: an empty default one, and the contact line on page 1 (rIdFooter1, 2).
    if let Some(contact) = &frame.contact {
        docx = docx
            .footer(Footer::new())
            .first_footer(contact_footer(contact));
    }
    for p in mark_block(frame) {
        docx = docx.add_paragraph(p);
    }
    for p in title_block(frame, &g) {
        docx = docx.add_paragraph(p);
    }
    for p in addressee_block(frame) {
        docx = docx.add_paragraph(p);
    }
    docx = add_blocks(docx, &doc.body, nd30::text_width());
    docx = docx
        .add_paragraph(DParagraph::new().line_spacing(spacing(Pt(6.0), Pt(0.0))))
        .add_table(signature_block(frame, &g));
    for a in &doc.appendices {
        docx = docx.add_paragraph(
            DParagraph::new()
                .line_spacing(spacing(Pt(0.0), Pt(0.0)))
                .size(sz(nd30::RULE_LINE_SIZE))
                .add_run(
                    Run::new()
                        .add_text(SECTION_END_MARKER)
                        .size(sz(nd30::RULE_LINE_SIZE)),
                ),
        );
        for p in appendix_heading(a) {
            docx = docx.add_paragraph(p);
        }
        docx = add_blocks(docx, &a.body, nd30::text_width_of(a.orientation));
    }
    finish(docx, doc)
}

/// The properties of one section, written in schema order: its header and footer
/// references, paper, margins, numbering and the first-page switch.
fn section_properties(orientation: Orientation, first: bool, footers: bool) -> String {
    let (w, h) = nd30::page_size(orientation);
    let orient = match orientation {
        Orientation::Portrait => "",
        Orientation::Landscape => r#" w:orient="landscape""#,
    };
    let mut xml = String::from(
        r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1" /><w:headerReference w:type="first" r:id="rIdHeader2" />"#,
    );
    if footers {
        // Page 1 of the document carries the contact line; an appendix's first page is
        // blank below (it would otherwise inherit it).
        let first_footer = if first { "rIdFooter2" } else { "rIdFooter1" };
        xml.push_str(&format!(
            r#"<w:footerReference w:type="default" r:id="rIdFooter1" /><w:footerReference w:type="first" r:id="{first_footer}" />"#
        ));
    }
    xml.push_str(&format!(
        r#"<w:pgSz w:w="{}" w:h="{}"{orient} /><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" w:gutter="0" />"#,
        w.to_twips().0,
        h.to_twips().0,
        nd30::MARGIN_TOP.to_twips().0,
        nd30::MARGIN_RIGHT.to_twips().0,
        nd30::MARGIN_BOTTOM.to_twips().0,
        nd30::MARGIN_LEFT.to_twips().0,
        nd30::HEADER_DISTANCE.to_twips().0,
        nd30::HEADER_DISTANCE.to_twips().0,
    ));
    // Each appendix numbers its pages from 1 (Phụ lục I, mục I.4).
    if !first {
        xml.push_str(r#"<w:pgNumType w:start="1" />"#);
    }
    xml.push_str(r#"<w:cols w:space="425" w:num="1" /><w:titlePg /></w:sectPr>"#);
    xml
}

/// Ends each section where its marker paragraph is, and sets the last section's
/// properties at the end of the body.
fn sections(document: &str, doc: &Document) -> String {
    let footers = doc.frame.contact.is_some();
    let mut out = document.to_string();
    let mut previous = (Orientation::Portrait, true);
    for a in &doc.appendices {
        let Some(at) = out.find(SECTION_END_MARKER) else {
            break;
        };
        let (Some(p_start), Some(p_end)) = (
            out[..at]
                .rfind("<w:p>")
                .or_else(|| out[..at].rfind("<w:p ")),
            out[at..].find("</w:p>").map(|e| at + e + "</w:p>".len()),
        ) else {
            break;
        };
        let break_paragraph = format!(
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" /><w:rPr><w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" /></w:rPr>{}</w:pPr></w:p>",
            section_properties(previous.0, previous.1, footers),
            size = sz(nd30::RULE_LINE_SIZE),
        );
        out.replace_range(p_start..p_end, &break_paragraph);
        previous = (a.orientation, false);
    }
    if let (Some(start), Some(end)) = (out.rfind("<w:sectPr>"), out.rfind("</w:sectPr>")) {
        if end > start {
            let last = section_properties(previous.0, previous.1, footers);
            out.replace_range(start..end + "</w:sectPr>".len(), &last);
        }
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renumbers `w14:paraId` / `w14:textId` values from 1 in document order, so the bytes
/// do not depend on what the thread built before.
fn renumber_ids(xml: &str, counter: &mut u32) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(pos) = rest.find("w14:paraId=\"") {
        let start = pos + "w14:paraId=\"".len();
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('"') else {
            break;
        };
        *counter += 1;
        out.push_str(&format!("{:08X}", *counter));
        rest = &rest[start + end..];
    }
    out.push_str(rest);
    out
}

/// Patches the built parts (header rows, core properties, ids) and packs them.
fn finish(docx: Docx, doc: &Document) -> Result<Vec<u8>, DocxError> {
    let mut xml = docx.build();
    let mut counter = 0u32;
    let document = String::from_utf8_lossy(&xml.document)
        .replace(HEADER_ROW_MARKER, "<w:cantSplit /><w:tblHeader />");
    let document = sections(&document, doc);
    let ordered = |part: String| schema::reorder(part.as_bytes());
    xml.document = ordered(renumber_ids(&document, &mut counter));
    xml.headers = xml
        .headers
        .iter()
        .map(|h| ordered(renumber_ids(&String::from_utf8_lossy(h), &mut counter)))
        .collect();
    xml.footers = xml
        .footers
        .iter()
        .map(|f| ordered(renumber_ids(&String::from_utf8_lossy(f), &mut counter)))
        .collect();
    let d = doc.frame.date;
    let created = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day);
    let author = xml_escape(&doc.frame.agency.join(" "));
    xml.doc_props.core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>vi-VN</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>"#,
        title = xml_escape(&doc.title),
        subject = xml_escape(&doc.frame.summary),
    )
    .into_bytes();
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    deflate_package(&out.into_inner()).map_err(|e| DocxError(e.to_string()))
}

/// docx-rs stores the package's parts uncompressed (a report with its appendix was
/// 250 KB); Word deflates them. Rewrites the archive with every part deflated, in the
/// same order, with the fixed timestamp of 1980-01-01 so the bytes stay the same.
/// Level 1: on the bench report it costs 15 % fewer instructions per DOCX than level 6
/// for a file 36 % larger (23 KB against 17 KB), which no user of a 3-page report notices.
fn deflate_package(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(stored))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(stored.len() / 4)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default());
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        let name = part.name()?.to_string();
        if part.is_dir() {
            writer.add_directory(name, options)?;
            continue;
        }
        buf.clear();
        part.read_to_end(&mut buf)?;
        writer.start_file(name, options)?;
        writer.write_all(&buf)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::doc::{Block, Cell, Document, Inline, Row, Table};

    fn document_xml(doc: &Document) -> String {
        let bytes = render(doc).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn row(texts: &[&str], header: bool) -> Row {
        Row {
            cells: texts
                .iter()
                .map(|t| Cell::new(vec![Inline::plain(*t)], Align::Left))
                .collect(),
            header,
        }
    }

    fn table_document(rows: Vec<Row>) -> Document {
        Document {
            frame: crate::doc::tests::sample_frame(),
            body: vec![Block::Table(Table {
                widths: vec![1.0, 4.0],
                rows,
            })],
            appendices: Vec::new(),
            title: "Báo cáo".into(),
        }
    }

    #[test]
    fn only_a_row_taller_than_a_page_may_split() {
        let long: String = (1..=1000).map(|n| format!("dòng{n} ")).collect();
        let rows = vec![
            row(&["STT", "Nội dung"], true),
            row(&["1", &long], false),
            row(&["2", "ngắn"], false),
        ];
        let doc = table_document(rows);
        let xml = document_xml(&doc);
        let row_with = |text: &str| {
            xml.split("<w:tr>")
                .find(|r| r.contains(text))
                .map(|r| r.split("</w:tr>").next().unwrap_or_default().to_string())
                .unwrap()
        };
        assert!(!row_with("dòng500").contains("<w:cantSplit />"));
        assert!(row_with("ngắn").contains("<w:cantSplit />"));
    }

    #[test]
    fn header_rows_repeat_on_every_page_and_only_they_do() {
        let mut rows = vec![row(&["STT", "Đơn vị"], true), row(&["", "(1)"], true)];
        rows.extend((1..=40).map(|n| row(&[&n.to_string(), "Thôn"], false)));
        let doc = table_document(rows);
        let xml = document_xml(&doc);
        assert_eq!(
            xml.matches("<w:tblHeader />").count(),
            2,
            "the two header rows"
        );
        assert!(!xml.contains(HEADER_ROW_MARKER), "no marker left behind");
        // Of the 42 rows only the two header rows carry it; no row splits across pages,
        // and none says so twice.
        assert!(xml.matches("<w:cantSplit />").count() >= 42);
        assert!(!xml.contains("<w:cantSplit /><w:cantSplit />"));
    }
}

#[cfg(test)]
mod frame_tests {
    use std::io::Read;

    use super::*;
    use crate::doc::{
        Appendix, Block, Cell, Document, Draft, Inline, Row, Secrecy, Table, Urgency,
    };

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    fn marked_document() -> Document {
        let mut frame = crate::doc::tests::sample_frame();
        frame.secrecy = Some(Secrecy::Secret);
        frame.urgency = Some(Urgency::Express);
        frame.draft = Some(Draft { round: Some(2) });
        frame.contact = Some("Địa chỉ: thôn Phú Thái; ĐT: 0225 3000 000".into());
        let mut rows = crate::doc::tests::two_level_header();
        rows.push(Row {
            cells: ["1", "Thôn Phú Thái", "12"]
                .iter()
                .map(|t| Cell::new(vec![Inline::plain(*t)], Align::Center))
                .collect(),
            header: false,
        });
        let table = Table {
            widths: vec![1.0, 3.0, 3.0],
            rows,
        };
        Document {
            frame,
            body: vec![Block::Paragraph(crate::doc::Paragraph {
                inlines: vec![Inline::plain("Nội dung.")],
                align: Align::Justify,
                indent: true,
                keep_with_next: false,
            })],
            appendices: vec![Appendix {
                heading: "Phụ lục".into(),
                title: "KẾT QUẢ".into(),
                reference: "(Kèm theo Báo cáo số /BC-UBND)".into(),
                orientation: Orientation::Landscape,
                body: vec![Block::Table(table)],
            }],
            title: "Báo cáo".into(),
        }
    }

    fn attr(xml: &str, element: &str, name: &str) -> Vec<String> {
        xml.split(&format!("<{element} "))
            .skip(1)
            .filter_map(|rest| {
                let tag = &rest[..rest.find('>')?];
                let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
                Some(tag[start..start + tag[start..].find('"')?].to_string())
            })
            .collect()
    }

    #[test]
    fn margins_fonts_and_sizes_read_back_from_the_xml() {
        let bytes = render(&marked_document()).unwrap();
        let document = part(&bytes, "word/document.xml");
        let styles = part(&bytes, "word/styles.xml");
        // Two sections: the report (A4 portrait) and the appendix (A4 landscape).
        let widths = attr(&document, "w:pgSz", "w:w");
        let heights = attr(&document, "w:pgSz", "w:h");
        assert_eq!(widths, ["11906", "16838"]);
        assert_eq!(heights, ["16838", "11906"]);
        assert_eq!(attr(&document, "w:pgSz", "w:orient"), ["landscape"]);
        for (name, mm) in [
            ("w:top", nd30::MARGIN_TOP),
            ("w:bottom", nd30::MARGIN_BOTTOM),
            ("w:left", nd30::MARGIN_LEFT),
            ("w:right", nd30::MARGIN_RIGHT),
        ] {
            let values = attr(&document, "w:pgMar", name);
            assert_eq!(values.len(), 2);
            for v in values {
                let twips: f32 = v.parse().unwrap();
                assert!((twips / 1440.0 * 25.4 - mm.0).abs() < 0.05, "{name} {v}");
            }
        }
        // The appendix numbers its pages from 1; both sections hide the number on page 1.
        assert_eq!(attr(&document, "w:pgNumType", "w:start"), ["1"]);
        assert_eq!(document.matches("<w:titlePg").count(), 2);
        // Times New Roman in every script slot; body 14 pt.
        for slot in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"] {
            assert!(
                attr(&styles, "w:rFonts", slot)
                    .iter()
                    .any(|f| f == nd30::FONT_FAMILY),
                "{slot}"
            );
        }
        assert!(attr(&styles, "w:sz", "w:val").contains(&"28".to_string()));
        // Marks: framed, the urgency one in red, in the order draft, secrecy, urgency.
        let draft = document.find("DỰ THẢO LẦN 2").unwrap();
        let secret = document.find(">MẬT<").unwrap();
        let express = document.find("HỎA TỐC").unwrap();
        assert!(draft < secret && secret < express);
        assert!(attr(&document, "w:color", "w:val").contains(&nd30::MARK_RED.to_string()));
        assert!(document.matches("<w:pBdr>").count() >= 3);
        // The contact line is the first-page footer of the report only.
        let footer2 = part(&bytes, "word/footer2.xml");
        assert!(footer2.contains("ĐT: 0225 3000 000"));
        let first_footers: Vec<String> = document
            .split("<w:footerReference w:type=\"first\" r:id=\"")
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].to_string())
            .collect();
        assert_eq!(first_footers, ["rIdFooter2", "rIdFooter1"]);
        // The merged cells: restart once per column, continued in the row below.
        assert_eq!(document.matches("<w:vMerge w:val=\"restart\"").count(), 2);
        assert_eq!(document.matches("<w:vMerge w:val=\"continue\"").count(), 2);
        assert!(!document.contains(SECTION_END_MARKER));
    }
}
