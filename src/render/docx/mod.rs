//! DOCX renderer: [`Document`] → WordprocessingML bytes.
//!
//! The body (`word/document.xml`) is written straight from the document model by
//! [`wml::Body`], in schema order; every other part — content types, relationships,
//! properties, styles, settings, fonts, theme, the page-number header and the contact
//! footer — by [`parts`], one module per part; [`package`] packs them deflated with
//! fixed timestamps, so the bytes are deterministic. All of it passes the Open XML
//! SDK's schema rules (`openxml-audit`, in `tests/checks`).

mod package;
pub mod parts;
#[cfg(test)]
mod schema;
mod wml;

use thiserror::Error;

use super::frame::{self, FrameLine, FramePart, LineContent};
use super::layout::{self, table_slots, table_widths, Slot};
use crate::doc::{Align, Block, Document, Inline, Orientation, Paragraph, Table};
use crate::fonts::{text_width, FaceStyle};
use crate::nd30;
use crate::units::Pt;
use wml::{
    Body, Border, Break, CellProps, Indent, ParagraphProps, RunProps, Sides, Special, VMerge,
};

#[derive(Debug, Error)]
#[error("cannot write the DOCX package: {0}")]
pub struct DocxError(String);

fn tw(p: Pt) -> i32 {
    p.to_twips().0
}

/// A line width in eighths of a point, the unit of WordprocessingML borders.
pub(super) fn eighths(p: Pt) -> u32 {
    (p.0 * 8.0).round() as u32
}

/// Single line spacing with `before` and `after`.
fn spaced(before: Pt, after: Pt) -> ParagraphProps {
    ParagraphProps {
        spacing: Some((before, after)),
        ..ParagraphProps::default()
    }
}

fn run(size: Pt, bold: bool, italic: bool) -> RunProps<'static> {
    RunProps {
        bold,
        italic,
        color: None,
        size: Some(size),
    }
}

/// A short centred rule of `length` inside a box of `box_width`: an empty small paragraph
/// with a bottom border, narrowed by equal side indents.
fn rule(b: &mut Body, length: Pt, box_width: Pt) {
    let side = tw(Pt(((box_width.0 - length.0) / 2.0).max(0.0)));
    let p = ParagraphProps {
        border: Some(Border {
            sides: Sides::Bottom,
            eighths: eighths(nd30::RULE_THICKNESS),
            space: 1,
        }),
        indent: Some(Indent {
            left: side,
            right: side,
            special: Special::None,
        }),
        align: Some(Align::Center),
        mark_size: Some(nd30::RULE_LINE_SIZE),
        ..spaced(Pt(0.0), Pt(0.0))
    };
    b.paragraph(&p, None);
}

/// A plain cell of `width` (no merge, text at the top).
fn cell(width: Pt) -> CellProps {
    CellProps {
        width: tw(width),
        span: 1,
        vmerge: None,
        centred: false,
    }
}

/// Opens a borderless table on a grid of `widths`.
fn open_borderless(b: &mut Body, widths: &[Pt]) {
    let grid: Vec<i32> = widths.iter().map(|w| tw(*w)).collect();
    b.open_table(grid.iter().sum(), &grid, None);
}

/// A frame line as a paragraph (a rule centred in `box_width`).
fn frame_line(b: &mut Body, l: &FrameLine, box_width: Pt) {
    let (text, bold, italic) = match &l.content {
        LineContent::Rule { length } => return rule(b, *length, box_width),
        LineContent::Text { text, bold, italic } => (text, *bold, *italic),
    };
    let (first, rest) = (l.first_indent.0, l.rest_indent.0);
    let indent = (first != 0.0 || rest != 0.0).then(|| Indent {
        left: tw(l.rest_indent),
        right: 0,
        special: if rest > first {
            Special::Hanging(tw(Pt(rest - first)))
        } else if first > rest {
            Special::FirstLine(tw(Pt(first - rest)))
        } else {
            Special::None
        },
    });
    let p = ParagraphProps {
        align: Some(l.align),
        indent,
        ..spaced(l.before, Pt(0.0))
    };
    if !text.contains('\n') {
        b.paragraph(&p, Some((text, &run(l.size, bold, italic))));
        return;
    }
    // A balanced title's lines, each after a line break.
    b.open_paragraph(&p);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            b.break_run(Break::Line);
        }
        b.text_run(line, &run(l.size, bold, italic));
    }
    b.close_paragraph();
}

/// A framed mark (draft, ô 10a, ô 10b): a paragraph with a single-line border, narrowed
/// to its text.
fn mark(b: &mut Body, label: &str, red: bool, before: Pt) {
    let gap = nd30::MARK_GAP.0;
    let width = text_width(label, FaceStyle::Bold, nd30::MARK_SIZE).0;
    let right = nd30::text_width().0 - width - 2.0 * gap - 2.0;
    let p = ParagraphProps {
        border: Some(Border {
            sides: Sides::Box,
            eighths: eighths(nd30::MARK_BORDER),
            space: gap as u32,
        }),
        indent: Some(Indent {
            left: tw(Pt(gap)),
            right: tw(Pt(right.max(0.0))),
            special: Special::None,
        }),
        align: Some(Align::Center),
        ..spaced(before, Pt(0.0))
    };
    let r = RunProps {
        color: red.then_some(nd30::MARK_RED),
        ..run(nd30::MARK_SIZE, true, false)
    };
    b.paragraph(&p, Some((label, &r)));
}

/// The frame's parts: columns as a borderless table, lines and marks as paragraphs.
fn frame_parts(b: &mut Body, parts: &[FramePart], text_width: Pt) {
    let pad = nd30::CELL_PADDING.0 * 2.0;
    for part in parts {
        match part {
            FramePart::Columns {
                widths,
                rows,
                keep_rows,
                ..
            } => {
                open_borderless(b, widths);
                for row in rows {
                    b.open_row(*keep_rows, false);
                    for (lines, width) in row.iter().zip(widths) {
                        b.open_cell(&cell(*width));
                        for l in lines {
                            frame_line(b, l, Pt(width.0 - pad));
                        }
                        b.close_cell();
                    }
                    b.close_row();
                }
                b.close_table();
            }
            FramePart::Line(l) => frame_line(b, l, text_width),
            FramePart::Mark { label, red, before } => mark(b, label, *red, *before),
            FramePart::Gap { before, keeps_body } => b.paragraph(
                &ParagraphProps {
                    keep_next: *keeps_body,
                    ..spaced(*before, Pt(0.0))
                },
                None,
            ),
        }
    }
}

fn inlines(b: &mut Body, inlines: &[Inline], size: Pt) {
    for i in inlines {
        match i {
            Inline::Text { text, bold, italic } => b.text_run(text, &run(size, *bold, *italic)),
            Inline::LineBreak => b.break_run(Break::Line),
        }
    }
}

fn body_paragraph(b: &mut Body, p: &Paragraph, keep_next: bool) {
    let props = ParagraphProps {
        keep_next: p.keep_with_next || keep_next,
        indent: Some(Indent {
            left: 0,
            right: 0,
            special: if p.indent {
                Special::FirstLine(nd30::FIRST_LINE_INDENT.to_twips().0)
            } else {
                Special::None
            },
        }),
        align: Some(p.align),
        ..spaced(nd30::PARAGRAPH_SPACING, Pt(0.0))
    };
    b.open_paragraph(&props);
    inlines(b, &p.inlines, nd30::BODY_SIZE);
    b.close_paragraph();
}

fn body_table(b: &mut Body, t: &Table, text_width: Pt, orientation: nd30::Orientation) {
    let widths = table_widths(t, text_width);
    // Which rows may split: measured and decided as the PDF does (render::layout), on
    // this section's page under the repeated header rows.
    let measured = {
        let widths: Vec<f32> = widths.iter().map(|w| w.0).collect();
        layout::TableRows::measure(&layout::table_cells(t, &widths))
    };
    let header_height = measured.header_height(&measured.header_bands(|r| t.rows[r].header));
    let may_split = measured.splittable_rows(header_height, layout::page_body_height(orientation));
    let slots = table_slots(t);
    let span_width = |col: usize, span: usize| {
        Pt(widths[col..(col + span).min(widths.len())]
            .iter()
            .map(|w| w.0)
            .sum())
    };
    let columns: Vec<i32> = widths.iter().map(|w| tw(*w)).collect();
    b.open_table(tw(text_width), &columns, Some(eighths(nd30::TABLE_BORDER)));
    for (index, (r, row_slots)) in t.rows.iter().zip(&slots).enumerate() {
        // A header row's paragraphs keep with the next row, so the header never ends a
        // page alone (as the PDF does, render::layout::TableRows::opening_height).
        let empty = ParagraphProps {
            keep_next: r.header,
            ..spaced(Pt(0.0), Pt(0.0))
        };
        // A row does not split across pages unless the PDF splits it; header rows
        // repeat on every page.
        let cant_split = !r.header && !may_split[index];
        b.open_row(cant_split, r.header);
        for (col, slot) in row_slots.iter().enumerate() {
            match *slot {
                Slot::Start(i) => {
                    let c = &r.cells[i];
                    let span = c.colspan.max(1) as usize;
                    b.open_cell(&CellProps {
                        span,
                        vmerge: (c.rowspan > 1).then_some(VMerge::Restart),
                        centred: true,
                        ..cell(span_width(col, span))
                    });
                    b.open_paragraph(&ParagraphProps {
                        align: Some(c.align),
                        ..empty
                    });
                    inlines(b, &c.inlines, nd30::TABLE_SIZE);
                    b.close_paragraph();
                    b.close_cell();
                }
                // The continuation of a cell from above, once, where that cell starts.
                Slot::Below { column, span } if column == col => {
                    b.open_cell(&CellProps {
                        span,
                        vmerge: Some(VMerge::Continue),
                        ..cell(span_width(col, span))
                    });
                    b.paragraph(&empty, None);
                    b.close_cell();
                }
                Slot::Below { .. } | Slot::Right => {}
                Slot::Empty => {
                    b.open_cell(&cell(span_width(col, 1)));
                    b.paragraph(&empty, None);
                    b.close_cell();
                }
            }
        }
        b.close_row();
    }
    b.close_table();
}

/// The blocks of a body; with `end_keeps`, its last paragraph keeps with what follows.
fn add_blocks(b: &mut Body, blocks: &[Block], orientation: nd30::Orientation, end_keeps: bool) {
    let text_width = nd30::text_width_of(orientation);
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Paragraph(p) => body_paragraph(b, p, end_keeps && i + 1 == blocks.len()),
            Block::Table(t) => body_table(b, t, text_width, orientation),
            Block::PageBreak => {
                b.open_paragraph(&ParagraphProps::default());
                b.break_run(Break::Page);
                b.close_paragraph();
            }
        }
    }
}

/// Renders the document.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let frame = &doc.frame;
    let laid = frame::lay_out(frame);
    let footers = frame.contact.is_some();
    let mut b = Body::new(64 * 1024);
    frame_parts(&mut b, &laid.before_body, nd30::text_width());
    add_blocks(
        &mut b,
        &doc.body,
        nd30::Orientation::Portrait,
        laid.body_end_keeps(),
    );
    frame_parts(&mut b, &laid.after_body, nd30::text_width());
    // Each appendix is a section of its own; the paragraph before it ends the one before.
    let mut previous = (Orientation::Portrait, true);
    for a in &doc.appendices {
        let sect_pr = section_properties(previous.0, previous.1, footers);
        b.section_break(nd30::RULE_LINE_SIZE, &sect_pr);
        frame_parts(
            &mut b,
            &frame::appendix_heading(a),
            nd30::text_width_of(a.orientation),
        );
        add_blocks(&mut b, &a.body, a.orientation, false);
        previous = (a.orientation, false);
    }
    let document = b.finish(&section_properties(previous.0, previous.1, footers));
    finish(document, doc)
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

/// Packs `document` (the body) in the package of its contact line, with core
/// properties of its own.
fn finish(document: Vec<u8>, doc: &Document) -> Result<Vec<u8>, DocxError> {
    let error = |e: zip::result::ZipError| DocxError(e.to_string());
    let built = package::frame(doc.frame.contact.as_deref()).map_err(error)?;
    let d = doc.frame.date;
    let core = parts::core::xml(&parts::core::Core {
        title: &doc.title,
        subject: &doc.frame.summary,
        author: &doc.frame.agency.join(" "),
        date: (d.year, d.month, d.day),
    });
    built.pack(&document, core.as_bytes()).map_err(error)
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
    fn a_landscape_row_splits_in_the_docx_exactly_when_the_pdf_splits_it() {
        // A row taller than a landscape page's body but shorter than a portrait one's:
        // the DOCX measured it against a portrait page and kept it whole, while the PDF
        // split it. Both now decide with render::layout on the section's real page.
        let text = |n: usize| (1..=n).map(|k| format!("dòng{k} ")).collect::<String>();
        let table = |n: usize| Table {
            widths: vec![1.0, 4.0],
            rows: vec![
                row(&["STT", "Nội dung"], true),
                row(&["1", &text(n)], false),
            ],
        };
        let widths = |t: &Table| -> Vec<f32> {
            table_widths(t, nd30::text_width_of(nd30::Orientation::Landscape))
                .iter()
                .map(|w| w.0)
                .collect()
        };
        let height =
            |t: &Table| layout::TableRows::measure(&layout::table_cells(t, &widths(t))).heights[1];
        let landscape = layout::page_body_height(nd30::Orientation::Landscape);
        let portrait = layout::page_body_height(nd30::Orientation::Portrait);
        let n = (50..2000)
            .step_by(10)
            .find(|&n| height(&table(n)) > landscape + 40.0)
            .unwrap();
        let t = table(n);
        assert!(
            height(&t) < portrait,
            "{} pt: between the two pages",
            height(&t)
        );
        let mut doc = table_document(vec![row(&["a"], false)]);
        doc.appendices.push(crate::doc::Appendix {
            heading: "Phụ lục".into(),
            title: "BẢNG".into(),
            reference: "(Kèm theo)".into(),
            orientation: nd30::Orientation::Landscape,
            body: vec![Block::Table(t)],
        });
        let xml = document_xml(&doc);
        let long_row = xml
            .split("<w:tr>")
            .find(|r| r.contains("dòng5 "))
            .map(|r| r.split("</w:tr>").next().unwrap_or_default().to_string())
            .unwrap();
        assert!(
            !long_row.contains("<w:cantSplit />"),
            "the DOCX lets it split"
        );
        // The PDF splits it too: it starts under the header on the appendix's first page
        // and ends on the second (moved whole, it would start on the second and run onto
        // a third).
        let pdf = crate::render::pdf::render(&doc).unwrap();
        let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
        assert_eq!(pages, 3, "the letter's page and the appendix's two");
    }

    #[test]
    fn the_body_end_and_the_gap_keep_with_the_signature() {
        let mut doc = table_document(vec![row(&["STT"], true), row(&["1"], false)]);
        let para = |t: &str| {
            Block::Paragraph(Paragraph {
                inlines: vec![Inline::plain(t)],
                align: Align::Justify,
                indent: true,
                keep_with_next: false,
            })
        };
        doc.body.extend([para("Đoạn giữa."), para("Đoạn cuối./.")]);
        let xml = document_xml(&doc);
        // A paragraph opens `<w:p>` or `<w:p w14:paraId=…>`.
        let opening = |s: &str| s.rfind("<w:p ").max(s.rfind("<w:p>"));
        let paragraph_of = |text: &str| {
            let end = xml.find(&format!(">{text}<")).unwrap();
            &xml[opening(&xml[..end]).unwrap()..end]
        };
        assert!(paragraph_of("Đoạn cuối./.").contains("<w:keepNext />"));
        assert!(!paragraph_of("Đoạn giữa.").contains("<w:keepNext />"));
        // The empty line between the body and the signature keeps with it too.
        let after = &xml[xml.find(">Đoạn cuối./.<").unwrap()..];
        let after = &after[after.find("</w:p>").unwrap() + 6..];
        let gap = &after[..after.find("</w:p>").unwrap()];
        assert!(gap.contains("<w:keepNext />"), "{gap}");
    }

    #[test]
    fn header_rows_keep_with_the_row_under_them_and_body_rows_do_not() {
        let xml = document_xml(&table_document(vec![
            row(&["STT", "Nội dung"], true),
            row(&["1", "một"], false),
            row(&["2", "hai"], false),
        ]));
        let row_with = |text: &str| {
            xml.split("<w:tr>")
                .map(|r| r.find("</w:tr>").map_or(r, |e| &r[..e]))
                .find(|r| r.contains(&format!(">{text}<")))
                .unwrap()
        };
        let header = row_with("Nội dung");
        assert_eq!(header.matches("<w:keepNext />").count(), 2, "{header}");
        assert!(!row_with("một").contains("<w:keepNext />"));
        assert!(!row_with("hai").contains("<w:keepNext />"));
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

    #[test]
    fn documents_of_one_process_keep_their_own_footer_and_paragraph_ids() {
        // The package around the body is built once per contact line and shared: each
        // document still gets its own footer text, its own paragraph ids, and the same
        // bytes as when it is the first one rendered.
        let with = |contact: Option<&str>, words: usize| {
            let mut doc = marked_document();
            doc.frame.contact = contact.map(str::to_string);
            doc.body = vec![
                Block::Paragraph(Paragraph {
                    inlines: vec![Inline::plain(vec!["chữ"; words].join(" "))],
                    align: Align::Justify,
                    indent: true,
                    keep_with_next: false,
                });
                words
            ];
            doc
        };
        let a = with(Some("ĐT: 0225 1111 111"), 3);
        let b = with(Some("ĐT: 0225 2222 222"), 9);
        let c = with(None, 5);
        let first = render(&a).unwrap();
        for (doc, text) in [(&b, Some("2222")), (&c, None), (&a, Some("1111"))] {
            let bytes = render(doc).unwrap();
            let names: Vec<String> = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
                .unwrap()
                .file_names()
                .map(|n| n.unwrap().into_owned())
                .collect();
            match text {
                Some(t) => assert!(part(&bytes, "word/footer2.xml").contains(t)),
                None => assert!(!names.iter().any(|n| n.contains("footer")), "{names:?}"),
            }
            // Paragraph ids are the body's alone, numbered from 1 in order; the shared
            // header parts carry none, so they cannot clash with a body's.
            let body = attr(&part(&bytes, "word/document.xml"), "w:p", "w14:paraId");
            let want: Vec<String> = (1..=body.len()).map(|n| format!("{n:08X}")).collect();
            assert_eq!(body, want);
            assert!(!part(&bytes, "word/header1.xml").contains("paraId"));
        }
        assert!(render(&a).unwrap() == first);
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
    }

    #[test]
    fn every_appendix_is_a_section_of_its_own() {
        let mut doc = marked_document();
        let mut second = doc.appendices[0].clone();
        second.orientation = Orientation::Portrait;
        second.heading = "Phụ lục II".into();
        doc.appendices[0].heading = "Phụ lục I".into();
        doc.appendices[0]
            .body
            .push(Block::Paragraph(crate::doc::Paragraph {
                inlines: vec![Inline::plain("Cuối phụ lục I.")],
                align: Align::Justify,
                indent: true,
                keep_with_next: false,
            }));
        doc.appendices.push(second);
        let document = part(&render(&doc).unwrap(), "word/document.xml");
        // Both appendices are there, in order, each after the break that ends the part
        // before it (the report, then appendix I).
        let first = document.find(">Phụ lục I<").unwrap();
        let end_of_first = document.find(">Cuối phụ lục I.<").unwrap();
        let second_at = document.find(">Phụ lục II<").unwrap();
        let breaks: Vec<usize> = document
            .match_indices("<w:sectPr>")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(breaks.len(), 3);
        assert!(breaks[0] < first && first < end_of_first && end_of_first < breaks[1]);
        assert!(breaks[1] < second_at && second_at < breaks[2]);
        // Report portrait, appendix I landscape, appendix II portrait; both appendices
        // number from 1, and only the report's page 1 has the contact footer.
        assert_eq!(
            attr(&document, "w:pgSz", "w:w"),
            ["11906", "16838", "11906"]
        );
        assert_eq!(attr(&document, "w:pgNumType", "w:start"), ["1", "1"]);
        let first_footers: Vec<&str> = document
            .split("<w:footerReference w:type=\"first\" r:id=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .collect();
        assert_eq!(first_footers, ["rIdFooter2", "rIdFooter1", "rIdFooter1"]);
    }
}
