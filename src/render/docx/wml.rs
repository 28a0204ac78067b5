//! A WordprocessingML writer for `word/document.xml`: paragraphs, runs and tables written
//! straight into one buffer, every property element's children already in the order the
//! schema prescribes (ECMA-376 Part 1, §17), so the body needs neither docx-rs's model
//! nor a reordering pass (a test checks it against [`super::schema`]). The syntax is the
//! one docx-rs 0.4.22 wrote (after reordering), which LibreOffice and the checkers were
//! measured on.

use std::fmt::Write as _;

use crate::doc::Align;
use crate::units::Pt;

/// The start of `word/document.xml`, up to the opening of the body.
const PROLOGUE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:document xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" mc:Ignorable="w14 wp14">"#,
    "<w:body>"
);

/// A paragraph's special first-line indent (`w:firstLine` or `w:hanging`), in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Special {
    None,
    FirstLine(i32),
    Hanging(i32),
}

/// `w:ind`: left and right indents and the first line's, in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indent {
    pub left: i32,
    pub right: i32,
    pub special: Special,
}

/// A single-line paragraph border (`w:pBdr`): the sides it is drawn on, its width in
/// eighths of a point and its distance from the text in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Border {
    pub sides: Sides,
    pub eighths: u32,
    pub space: u32,
}

/// Which sides of a paragraph a [`Border`] is drawn on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sides {
    Bottom,
    /// All four: a frame round the paragraph.
    Box,
}

/// Paragraph properties (`w:pPr`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ParagraphProps {
    /// `w:keepNext`: on the same page as the next paragraph.
    pub keep_next: bool,
    pub border: Option<Border>,
    /// Space before and after, with single line spacing (`w:spacing`).
    pub spacing: Option<(Pt, Pt)>,
    pub indent: Option<Indent>,
    pub align: Option<Align>,
    /// The size of the paragraph mark (what an empty paragraph's height follows).
    pub mark_size: Option<Pt>,
}

/// Run properties (`w:rPr`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunProps<'a> {
    pub bold: bool,
    pub italic: bool,
    /// A hex colour such as `FF0000`.
    pub color: Option<&'a str>,
    pub size: Option<Pt>,
}

/// A break inside a run (`w:br`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Break {
    /// A line break in the same paragraph.
    Line,
    Page,
}

/// The vertical merge of a table cell (`w:vMerge`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VMerge {
    Restart,
    Continue,
}

/// Table cell properties (`w:tcPr`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellProps {
    /// Width in twips.
    pub width: i32,
    /// Grid columns spanned; 1 is written as nothing.
    pub span: usize,
    pub vmerge: Option<VMerge>,
    /// Text centred vertically (`w:vAlign`).
    pub centred: bool,
}

/// The body of a document being written.
pub struct Body {
    xml: String,
    /// The last `w14:paraId` given; ids run from 1 in document order.
    para_id: u32,
}

impl Body {
    pub fn new(capacity: usize) -> Body {
        let mut xml = String::with_capacity(capacity);
        xml.push_str(PROLOGUE);
        Body { xml, para_id: 0 }
    }

    /// Opens a paragraph (with the next id) and writes its properties.
    pub fn open_paragraph(&mut self, p: &ParagraphProps) {
        self.para_id += 1;
        let _ = write!(self.xml, r#"<w:p w14:paraId="{:08X}">"#, self.para_id);
        self.paragraph_props(p);
    }

    pub fn close_paragraph(&mut self) {
        self.xml.push_str("</w:p>");
    }

    /// A whole paragraph of one run (`text`), or of none when `text` is `None`.
    pub fn paragraph(&mut self, p: &ParagraphProps, text: Option<(&str, &RunProps)>) {
        self.open_paragraph(p);
        if let Some((text, r)) = text {
            self.text_run(text, r);
        }
        self.close_paragraph();
    }

    /// The empty paragraph that ends a section and carries its properties (`sect_pr`,
    /// a whole `w:sectPr` element).
    pub fn section_break(&mut self, mark_size: Pt, sect_pr: &str) {
        self.xml
            .push_str(r#"<w:p><w:pPr><w:spacing w:before="0" w:after="0" /><w:rPr>"#);
        sizes(&mut self.xml, mark_size);
        self.xml.push_str("</w:rPr>");
        self.xml.push_str(sect_pr);
        self.xml.push_str("</w:pPr></w:p>");
    }

    fn paragraph_props(&mut self, p: &ParagraphProps) {
        let x = &mut self.xml;
        x.push_str("<w:pPr>");
        if p.keep_next {
            x.push_str("<w:keepNext />");
        }
        if let Some(b) = p.border {
            x.push_str("<w:pBdr>");
            let sides: &[&str] = match b.sides {
                Sides::Bottom => &["bottom"],
                Sides::Box => &["top", "left", "bottom", "right"],
            };
            for side in sides {
                let _ = write!(
                    x,
                    r#"<w:{side} w:val="single" w:space="{}" w:sz="{}" w:color="auto" />"#,
                    b.space, b.eighths
                );
            }
            x.push_str("</w:pBdr>");
        }
        if let Some((before, after)) = p.spacing {
            let _ = write!(
                x,
                r#"<w:spacing w:before="{}" w:after="{}" w:line="{}" w:lineRule="auto" />"#,
                twips(before),
                twips(after),
                crate::nd30::LINE_SPACING_240THS
            );
        }
        if let Some(i) = p.indent {
            let _ = write!(x, r#"<w:ind w:left="{}" w:right="{}""#, i.left, i.right);
            match i.special {
                Special::None => {}
                Special::FirstLine(v) => {
                    let _ = write!(x, r#" w:firstLine="{v}""#);
                }
                Special::Hanging(v) => {
                    let _ = write!(x, r#" w:hanging="{v}""#);
                }
            }
            x.push_str(" />");
        }
        if let Some(a) = p.align {
            let _ = write!(x, r#"<w:jc w:val="{}" />"#, jc(a));
        }
        match p.mark_size {
            Some(size) => {
                x.push_str("<w:rPr>");
                sizes(x, size);
                x.push_str("</w:rPr>");
            }
            None => x.push_str("<w:rPr />"),
        }
        x.push_str("</w:pPr>");
    }

    fn run_props(&mut self, r: &RunProps) {
        let x = &mut self.xml;
        if !r.bold && !r.italic && r.color.is_none() && r.size.is_none() {
            x.push_str("<w:rPr />");
            return;
        }
        x.push_str("<w:rPr>");
        if r.bold {
            x.push_str("<w:b /><w:bCs />");
        }
        if r.italic {
            x.push_str("<w:i /><w:iCs />");
        }
        if let Some(c) = r.color {
            let _ = write!(x, r#"<w:color w:val="{c}" />"#);
        }
        if let Some(size) = r.size {
            sizes(x, size);
        }
        x.push_str("</w:rPr>");
    }

    /// A run of text (`w:r` with one `w:t`).
    pub fn text_run(&mut self, text: &str, r: &RunProps) {
        self.xml.push_str("<w:r>");
        self.run_props(r);
        self.xml.push_str(r#"<w:t xml:space="preserve">"#);
        escape_into(&mut self.xml, text);
        self.xml.push_str("</w:t></w:r>");
    }

    /// A run holding one break.
    pub fn break_run(&mut self, kind: Break) {
        self.xml.push_str("<w:r>");
        self.run_props(&RunProps::default());
        self.xml.push_str(match kind {
            Break::Line => r#"<w:br w:type="textWrapping" />"#,
            Break::Page => r#"<w:br w:type="page" />"#,
        });
        self.xml.push_str("</w:r>");
    }

    /// Opens a fixed-layout table of `width` twips on a grid of `columns` (twips), with
    /// single borders of `border` eighths of a point everywhere, or none.
    pub fn open_table(&mut self, width: i32, columns: &[i32], border: Option<u32>) {
        let x = &mut self.xml;
        let _ = write!(
            x,
            r#"<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa" /><w:jc w:val="left" />"#
        );
        match border {
            Some(eighths) => {
                x.push_str("<w:tblBorders>");
                for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                    let _ = write!(
                        x,
                        r#"<w:{side} w:val="single" w:sz="{eighths}" w:space="0" w:color="000000" />"#
                    );
                }
                x.push_str("</w:tblBorders>");
            }
            None => x.push_str("<w:tblBorders />"),
        }
        x.push_str(r#"<w:tblLayout w:type="fixed" /></w:tblPr><w:tblGrid>"#);
        for c in columns {
            let _ = write!(x, r#"<w:gridCol w:w="{c}" />"#);
        }
        x.push_str("</w:tblGrid>");
    }

    pub fn close_table(&mut self) {
        self.xml.push_str("</w:tbl>");
    }

    /// Opens a row. `cant_split`: the row stays on one page; `header`: it repeats at the
    /// top of every page the table runs onto (and does not split either).
    pub fn open_row(&mut self, cant_split: bool, header: bool) {
        self.xml.push_str(match (cant_split || header, header) {
            (_, true) => "<w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>",
            (true, false) => "<w:tr><w:trPr><w:cantSplit /></w:trPr>",
            (false, false) => "<w:tr><w:trPr />",
        });
    }

    pub fn close_row(&mut self) {
        self.xml.push_str("</w:tr>");
    }

    pub fn open_cell(&mut self, c: &CellProps) {
        let x = &mut self.xml;
        let _ = write!(
            x,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa" />"#,
            c.width
        );
        if c.span > 1 {
            let _ = write!(x, r#"<w:gridSpan w:val="{}" />"#, c.span);
        }
        match c.vmerge {
            Some(VMerge::Restart) => x.push_str(r#"<w:vMerge w:val="restart" />"#),
            Some(VMerge::Continue) => x.push_str(r#"<w:vMerge w:val="continue" />"#),
            None => {}
        }
        if c.centred {
            x.push_str(r#"<w:vAlign w:val="center" />"#);
        }
        x.push_str("</w:tcPr>");
    }

    pub fn close_cell(&mut self) {
        self.xml.push_str("</w:tc>");
    }

    /// Ends the body with the last section's properties (`sect_pr`, a whole `w:sectPr`).
    pub fn finish(mut self, sect_pr: &str) -> Vec<u8> {
        self.xml.push_str(sect_pr);
        self.xml.push_str("</w:body></w:document>");
        self.xml.into_bytes()
    }
}

fn twips(p: Pt) -> i32 {
    p.to_twips().0
}

fn sizes(x: &mut String, size: Pt) {
    let half = size.half_points();
    let _ = write!(x, r#"<w:sz w:val="{half}" /><w:szCs w:val="{half}" />"#);
}

/// `w:jc`'s value: `both` for justified text (Word's name; `justified` is not valid).
fn jc(a: Align) -> &'static str {
    match a {
        Align::Justify => "both",
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// Escapes text for XML character data. Carriage returns are dropped (LibreOffice
/// misreads them escaped), and so are the other C0 controls, which XML 1.0 forbids.
pub(super) fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.bytes().position(|b| {
        matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\n') || b < 0x20 && b != b'\t'
    }) {
        out.push_str(&rest[..i]);
        match rest.as_bytes()[i] {
            b'&' => out.push_str("&amp;"),
            b'<' => out.push_str("&lt;"),
            b'>' => out.push_str("&gt;"),
            b'"' => out.push_str("&quot;"),
            b'\'' => out.push_str("&apos;"),
            b'\n' => out.push_str("&#xA;"),
            _ => {}
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_controls_dropped() {
        let mut s = String::new();
        escape_into(&mut s, "a<b>&\"c'\r\nd\u{1}\te");
        assert_eq!(s, "a&lt;b&gt;&amp;&quot;c&apos;&#xA;d\te");
    }

    #[test]
    fn paragraph_properties_come_in_schema_order() {
        let mut b = Body::new(0);
        b.paragraph(
            &ParagraphProps {
                keep_next: true,
                border: Some(Border {
                    sides: Sides::Bottom,
                    eighths: 6,
                    space: 1,
                }),
                spacing: Some((Pt(6.0), Pt(0.0))),
                indent: Some(Indent {
                    left: 0,
                    right: 0,
                    special: Special::FirstLine(567),
                }),
                align: Some(Align::Justify),
                mark_size: Some(Pt(4.0)),
            },
            Some((
                "x",
                &RunProps {
                    bold: true,
                    italic: true,
                    color: Some("FF0000"),
                    size: Some(Pt(14.0)),
                },
            )),
        );
        let xml = b.finish("");
        let xml = std::str::from_utf8(&xml).unwrap();
        let body = &xml[PROLOGUE.len()..];
        assert_eq!(
            body,
            concat!(
                r#"<w:p w14:paraId="00000001"><w:pPr><w:keepNext /><w:pBdr><w:bottom w:val="single" w:space="1" w:sz="6" w:color="auto" /></w:pBdr>"#,
                r#"<w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto" /><w:ind w:left="0" w:right="0" w:firstLine="567" /><w:jc w:val="both" />"#,
                r#"<w:rPr><w:sz w:val="8" /><w:szCs w:val="8" /></w:rPr></w:pPr>"#,
                r#"<w:r><w:rPr><w:b /><w:bCs /><w:i /><w:iCs /><w:color w:val="FF0000" /><w:sz w:val="28" /><w:szCs w:val="28" /></w:rPr><w:t xml:space="preserve">x</w:t></w:r></w:p>"#,
                "</w:body></w:document>"
            )
        );
        // And the schema pass finds nothing to move.
        assert_eq!(
            super::super::schema::reorder(xml.as_bytes()),
            xml.as_bytes()
        );
    }
}
