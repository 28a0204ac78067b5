//! DOCX renderer: [`Document`] → WordprocessingML bytes, with docx-rs.
//!
//! The docx-rs 0.4.22 gaps (no repeated header rows, no core properties, per-thread
//! paragraph ids) are worked around in one place, [`finish`], which patches the built
//! XML parts and packs them with fixed timestamps, so the bytes are deterministic.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph as DParagraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run,
    RunFonts, SpecialIndentType, Table as DTable, TableCell, TableLayoutType, TableRow, WidthType,
};
use thiserror::Error;

use super::{addressee_lines, recipient_lines, table_widths, FrameGeometry};
use crate::doc::{Align, Block, DocKind, Document, Frame, Inline, Paragraph, Table};
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
        &nd30::date_line(
            &frame.place,
            frame.date.year,
            frame.date.month,
            frame.date.day,
        ),
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
                .indent(
                    Some(left),
                    Some(SpecialIndentType::Hanging(tw(label))),
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

fn body_table(t: &Table) -> DTable {
    let widths = table_widths(t);
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut col = 0usize;
            let cells = r
                .cells
                .iter()
                .map(|c| {
                    let span = c.colspan.max(1) as usize;
                    let w = Pt(widths[col..(col + span).min(widths.len())]
                        .iter()
                        .map(|w| w.0)
                        .sum());
                    col += span;
                    let p = DParagraph::new()
                        .align(align(c.align))
                        .line_spacing(spacing(Pt(0.0), Pt(0.0)));
                    let mut tc = cell(w)
                        .vertical_align(docx_rs::VAlignType::Center)
                        .add_paragraph(inlines_into(p, &c.inlines, nd30::TABLE_SIZE));
                    if span > 1 {
                        tc = tc.grid_span(span);
                    }
                    tc
                })
                .collect();
            let row = TableRow::new(cells);
            // No row splits across pages, as in the PDF (the marker brings its own
            // cantSplit for header rows).
            if r.header {
                row.row_height(HEADER_ROW_HEIGHT)
                    .height_rule(docx_rs::HeightRule::Auto)
            } else {
                row.cant_split()
            }
        })
        .collect();
    DTable::new(rows)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(tw(nd30::text_width()) as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
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
    for p in title_block(frame, &g) {
        docx = docx.add_paragraph(p);
    }
    for p in addressee_block(frame) {
        docx = docx.add_paragraph(p);
    }
    for b in &doc.body {
        docx = match b {
            Block::Paragraph(p) => docx.add_paragraph(body_paragraph(p)),
            Block::Table(t) => docx.add_table(body_table(t)),
            Block::PageBreak => docx.add_paragraph(
                DParagraph::new().add_run(Run::new().add_break(docx_rs::BreakType::Page)),
            ),
        };
    }
    docx = docx
        .add_paragraph(DParagraph::new().line_spacing(spacing(Pt(6.0), Pt(0.0))))
        .add_table(signature_block(frame, &g));
    finish(docx, doc)
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
    xml.document = renumber_ids(&document, &mut counter).into_bytes();
    xml.headers = xml
        .headers
        .iter()
        .map(|h| renumber_ids(&String::from_utf8_lossy(h), &mut counter).into_bytes())
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
    Ok(out.into_inner())
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
                .map(|t| Cell {
                    inlines: vec![Inline::plain(*t)],
                    align: Align::Left,
                    colspan: 1,
                })
                .collect(),
            header,
        }
    }

    #[test]
    fn header_rows_repeat_on_every_page_and_only_they_do() {
        let mut rows = vec![row(&["STT", "Đơn vị"], true), row(&["", "(1)"], true)];
        rows.extend((1..=40).map(|n| row(&[&n.to_string(), "Thôn"], false)));
        let doc = Document {
            frame: crate::doc::tests::sample_frame(),
            body: vec![Block::Table(Table {
                widths: vec![1.0, 4.0],
                rows,
            })],
            title: "Báo cáo".into(),
        };
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
