//! The Decree 30 frame (thể thức, Phụ lục I) laid out once: the header's two columns,
//! the marks, the title and trích yếu, Kính gửi, the signer's block and Nơi nhận, and
//! an appendix's heading, as [`FramePart`]s of lines, rules and gaps placed from
//! [`crate::nd30`]'s sizes and spacings. The DOCX and PDF writers only translate these
//! parts (a borderless table row, a paragraph, a bordered paragraph; or drawn lines), so
//! what the frame holds and where it goes cannot drift between the two files.

use crate::doc::{Align, Appendix, DocKind, Frame};
use crate::fonts::{text_width, FaceStyle};
use crate::nd30;
use crate::units::Pt;

use super::layout::{self, line_height};

/// What a frame line shows.
#[derive(Debug, Clone, PartialEq)]
pub enum LineContent {
    /// One run of text in one face.
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    /// A short centred rule of `length` (the lines under the agency, the Tiêu ngữ and
    /// the trích yếu): an empty small line with a bottom border, as Word draws it.
    Rule { length: Pt },
}

/// One line (a paragraph, possibly wrapping) of the frame, inside its column or across
/// the text width.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameLine {
    pub content: LineContent,
    pub size: Pt,
    pub align: Align,
    /// Space above the line.
    pub before: Pt,
    /// Where the first line starts, from the left of its box.
    pub first_indent: Pt,
    /// Where the wrapped lines start, from the left of its box.
    pub rest_indent: Pt,
    /// The names of the form fields over the line's issue blanks ([`nd30::ISSUE_BLANK`]),
    /// in order: the number, the day, the month the văn thư gives at issue. The PDF
    /// puts a text field over each; the DOCX leaves the blank.
    pub blanks: &'static [&'static str],
}

impl FrameLine {
    fn text(text: &str, size: Pt, bold: bool, italic: bool) -> FrameLine {
        FrameLine {
            content: LineContent::Text {
                text: text.to_string(),
                bold,
                italic,
            },
            size,
            align: Align::Center,
            before: Pt(0.0),
            first_indent: Pt(0.0),
            rest_indent: Pt(0.0),
            blanks: &[],
        }
    }

    fn rule(length: Pt) -> FrameLine {
        FrameLine {
            content: LineContent::Rule { length },
            ..FrameLine::text("", nd30::RULE_LINE_SIZE, false, false)
        }
    }

    /// With fields named `blanks` over its issue blanks, if it has them.
    fn fields(self, blanks: &'static [&'static str]) -> FrameLine {
        let has_blanks = match &self.content {
            LineContent::Text { text, .. } => text.contains(nd30::ISSUE_BLANK),
            LineContent::Rule { .. } => false,
        };
        FrameLine {
            blanks: if has_blanks { blanks } else { &[] },
            ..self
        }
    }

    fn before(self, before: Pt) -> FrameLine {
        FrameLine { before, ..self }
    }

    fn left(self) -> FrameLine {
        FrameLine {
            align: Align::Left,
            ..self
        }
    }

    fn indented(self, first_indent: Pt, rest_indent: Pt) -> FrameLine {
        FrameLine {
            first_indent,
            rest_indent,
            ..self
        }
    }
}

/// The signing space of the signer's block (ô 7c): the empty lines between the
/// position and the name, where the signature image goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SigningSpace {
    /// From the top of the block's row to the top of the space.
    pub top: Pt,
    pub height: Pt,
    /// The column of the row that holds it.
    pub column: usize,
}

/// A part of the frame, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum FramePart {
    /// Two borderless columns side by side (the header, the signer's block and Nơi
    /// nhận): each row's columns start level and the row is as high as its taller one.
    Columns {
        widths: [Pt; 2],
        rows: Vec<[Vec<FrameLine>; 2]>,
        /// A row never splits across pages.
        keep_rows: bool,
        signing_space: Option<SigningSpace>,
    },
    /// A line across the text width.
    Line(FrameLine),
    /// A framed mark (dự thảo, độ mật, độ khẩn: ô 10a, 10b), at the left, a box
    /// narrowed to its label.
    Mark {
        label: String,
        red: bool,
        before: Pt,
    },
    /// An empty body line with `before` above it (between the body and the signer).
    /// With `keeps_body`, it and what follows keep with the end of the body before it:
    /// the signature is never alone on its page.
    Gap { before: Pt, keeps_body: bool },
}

/// The frame of a document: what comes before its body and what comes after.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidFrame {
    pub before_body: Vec<FramePart>,
    pub after_body: Vec<FramePart>,
}

impl LaidFrame {
    /// Whether the body's last paragraph keeps with what follows it (the signature).
    pub fn body_end_keeps(&self) -> bool {
        matches!(
            self.after_body.first(),
            Some(FramePart::Gap {
                keeps_body: true,
                ..
            })
        )
    }
}

/// Widths and rule lengths that depend on the frame's texts.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    /// Width of the header table's left column (agency, number).
    header_left: Pt,
    header_right: Pt,
    /// Length of the rule under the agency name: a share of its longest bold line.
    agency_rule: Pt,
    /// Length of the rule under the Tiêu ngữ: the motto's own width.
    motto_rule: Pt,
    /// Length of the rule under the summary of a typed document.
    summary_rule: Pt,
    signature_left: Pt,
    signature_right: Pt,
}

impl Geometry {
    fn of(frame: &Frame) -> Geometry {
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
        Geometry {
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

/// Lays out the frame of a (portrait) document.
pub fn lay_out(frame: &Frame) -> LaidFrame {
    let g = Geometry::of(frame);
    let mut before_body = vec![header(frame, &g)];
    before_body.extend(marks(frame));
    before_body.extend(title(frame, &g));
    before_body.extend(addressees(&frame.addressees));
    LaidFrame {
        before_body,
        after_body: vec![
            FramePart::Gap {
                before: nd30::SIGNATURE_SPACE_BEFORE,
                keeps_body: true,
            },
            signature(frame, &g),
        ],
    }
}

/// Ô 1–4 (and 5b of a Công văn): agency | Quốc hiệu and Tiêu ngữ, then number (and
/// trích yếu) | place and date.
fn header(frame: &Frame, g: &Geometry) -> FramePart {
    let size = nd30::AGENCY_SIZE;
    let mut agency: Vec<FrameLine> = frame
        .parent_agency
        .iter()
        .map(|p| FrameLine::text(p, size, false, false))
        .collect();
    agency.extend(
        frame
            .agency
            .iter()
            .map(|a| FrameLine::text(a, size, true, false)),
    );
    agency.push(FrameLine::rule(g.agency_rule));
    let national = vec![
        FrameLine::text(nd30::NATIONAL_TITLE, nd30::NATIONAL_TITLE_SIZE, true, false),
        FrameLine::text(nd30::MOTTO, nd30::MOTTO_SIZE, true, false),
        FrameLine::rule(g.motto_rule),
    ];
    let mut number = vec![FrameLine::text(
        &nd30::number_line(frame.number, &frame.symbol),
        nd30::NUMBER_SIZE,
        false,
        false,
    )
    .before(nd30::NUMBER_LINE_SPACE_BEFORE)
    .fields(&[nd30::NUMBER_FIELD])];
    if frame.kind == DocKind::OfficialLetter {
        let summary = format!("{}{}", nd30::SUMMARY_PREFIX, frame.summary);
        let column = g.header_left.0 - 2.0 * nd30::CELL_PADDING.0;
        let summary = layout::balanced(
            &summary,
            FaceStyle::Regular,
            nd30::LETTER_SUMMARY_SIZE,
            column,
        );
        number.push(
            FrameLine::text(&summary, nd30::LETTER_SUMMARY_SIZE, false, false)
                .before(nd30::PARAGRAPH_SPACING),
        );
    }
    let date = vec![
        FrameLine::text(&frame.date_line(), nd30::DATE_SIZE, false, true)
            .before(nd30::NUMBER_LINE_SPACE_BEFORE)
            .fields(&[nd30::DAY_FIELD, nd30::MONTH_FIELD]),
    ];
    FramePart::Columns {
        widths: [g.header_left, g.header_right],
        rows: vec![[agency, national], [number, date]],
        keep_rows: false,
        signing_space: None,
    }
}

/// The framed marks, the first under the header, the rest a gap apart.
fn marks(frame: &Frame) -> Vec<FramePart> {
    frame
        .marks()
        .into_iter()
        .enumerate()
        .map(|(i, m)| FramePart::Mark {
            label: m.label,
            red: m.red,
            before: if i == 0 {
                nd30::MARK_SPACING
            } else {
                Pt(nd30::MARK_GAP.0 * 2.0)
            },
        })
        .collect()
}

/// Ô 5a–5b of a typed document: the tên loại, the trích yếu and its rule.
fn title(frame: &Frame, g: &Geometry) -> Vec<FramePart> {
    let Some(title) = frame.kind.title() else {
        return Vec::new();
    };
    let size = nd30::TITLE_SIZE;
    vec![
        FramePart::Line(FrameLine::text(title, size, true, false).before(nd30::TITLE_SPACE_BEFORE)),
        FramePart::Line(FrameLine::text(
            &layout::balanced(&frame.summary, FaceStyle::Bold, size, nd30::text_width().0),
            size,
            true,
            false,
        )),
        FramePart::Line(FrameLine::rule(g.summary_rule)),
    ]
}

/// The "Kính gửi" block: the label and the lines that follow it. One addressee goes on
/// the label's line; several go one per line as "- …;" with the last ending in ".".
fn addressee_lines(addressees: &[String]) -> Vec<String> {
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

/// Ô 9a: one addressee centred on the label's line; several from a fifth of the text
/// width, later ones (and every wrapped line) under the first addressee.
fn addressees(addressees: &[String]) -> Vec<FramePart> {
    let lines = addressee_lines(addressees);
    let size = nd30::BODY_SIZE;
    if let [one] = lines.as_slice() {
        let line = FrameLine::text(one, size, false, false).before(nd30::ADDRESSEE_SPACE_BEFORE);
        return vec![FramePart::Line(line)];
    }
    let label = text_width(nd30::ADDRESSEE_LABEL, FaceStyle::Regular, size);
    let start = Pt(nd30::text_width().0 * nd30::ADDRESSEE_INDENT_SHARE);
    let under = Pt(start.0 + label.0);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (before, first) = if i == 0 {
                (nd30::ADDRESSEE_SPACE_BEFORE, start)
            } else {
                (Pt(0.0), under)
            };
            let line = FrameLine::text(l, size, false, false)
                .left()
                .before(before)
                .indented(first, under);
            FramePart::Line(line)
        })
        .collect()
}

/// Ô 9b | ô 7a–7b, 7c and the name: Nơi nhận at the left, the signer's block at the
/// right with its signing space; the row never splits.
fn signature(frame: &Frame, g: &Geometry) -> FramePart {
    let item_size = nd30::RECIPIENTS_ITEM_SIZE;
    let dash = text_width("- ", FaceStyle::Regular, item_size);
    let mut recipients = vec![FrameLine::text(
        nd30::RECIPIENTS_LABEL,
        nd30::RECIPIENTS_HEADING_SIZE,
        true,
        true,
    )
    .left()];
    recipients.extend(frame.recipients.iter().map(|r| {
        FrameLine::text(&format!("- {r}"), item_size, false, false)
            .left()
            .indented(Pt(0.0), dash)
    }));
    let size = nd30::SIGNER_SIZE;
    let titles = frame.signer.title_lines();
    let mut signer: Vec<FrameLine> = titles
        .iter()
        .map(|l| FrameLine::text(l, size, true, false))
        .collect();
    for _ in 0..nd30::SIGNATURE_SPACE_LINES {
        signer.push(FrameLine::text("", size, false, false));
    }
    signer.push(FrameLine::text(&frame.signer.name, size, true, false));
    let lh = line_height(size);
    FramePart::Columns {
        widths: [g.signature_left, g.signature_right],
        rows: vec![[recipients, signer]],
        keep_rows: true,
        signing_space: Some(SigningSpace {
            top: Pt(titles.len() as f32 * lh),
            height: Pt(nd30::SIGNATURE_SPACE_LINES as f32 * lh),
            column: 1,
        }),
    }
}

/// "Phụ lục I", the name, the reference line and its short rule, across the text width
/// of the appendix's orientation.
pub fn appendix_heading(a: &Appendix) -> Vec<FramePart> {
    let width = nd30::text_width_of(a.orientation);
    let size = nd30::APPENDIX_HEADING_SIZE;
    let reference = text_width(&a.reference, FaceStyle::Italic, size)
        .0
        .min(width.0);
    [
        FrameLine::text(&a.heading, size, true, false),
        FrameLine::text(
            &layout::balanced(&a.title, FaceStyle::Bold, size, width.0),
            size,
            true,
            false,
        ),
        FrameLine::text(&a.reference, size, false, true),
        FrameLine::rule(Pt((reference * nd30::SUMMARY_RULE_SHARE).round())),
    ]
    .into_iter()
    .map(FramePart::Line)
    // The rule under the reference line (Mẫu 2.1) keeps an empty line between it and
    // the appendix's content, which would otherwise run into it.
    .chain([FramePart::Gap {
        before: Pt(0.0),
        keeps_body: false,
    }])
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_title_fits_on_one_line_in_the_right_column() {
        let g = Geometry::of(&crate::doc::tests::sample_frame());
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

    #[test]
    fn several_addressees_start_under_the_first_one() {
        let parts = addressees(&["Bộ Nội vụ".into(), "Bộ Tài chính".into()]);
        let lines: Vec<&FrameLine> = parts
            .iter()
            .map(|p| match p {
                FramePart::Line(l) => l,
                other => panic!("{other:?}"),
            })
            .collect();
        let label = text_width(nd30::ADDRESSEE_LABEL, FaceStyle::Regular, nd30::BODY_SIZE);
        assert_eq!(lines[0].before, nd30::ADDRESSEE_SPACE_BEFORE);
        assert!((lines[0].rest_indent.0 - lines[0].first_indent.0 - label.0).abs() < 1e-3);
        assert_eq!(lines[1].first_indent, lines[0].rest_indent);
        assert_eq!(lines[1].rest_indent, lines[0].rest_indent);
    }

    #[test]
    fn the_signing_space_lies_between_the_position_and_the_name() {
        let frame = crate::doc::tests::sample_frame();
        let laid = lay_out(&frame);
        let Some(FramePart::Columns {
            rows,
            signing_space: Some(space),
            keep_rows: true,
            ..
        }) = laid.after_body.last()
        else {
            panic!("{:?}", laid.after_body);
        };
        let signer = &rows[0][space.column];
        let titles = frame.signer.title_lines().len();
        let lh = line_height(nd30::SIGNER_SIZE);
        assert_eq!(space.top.0, titles as f32 * lh);
        // The lines under the titles, down to the name, are empty.
        let blank = &signer[titles..signer.len() - 1];
        assert_eq!(blank.len() as u32, nd30::SIGNATURE_SPACE_LINES);
        assert!(blank.iter().all(|l| matches!(&l.content,
            LineContent::Text { text, .. } if text.is_empty())));
        assert!(matches!(&signer.last().unwrap().content,
            LineContent::Text { text, .. } if *text == frame.signer.name));
    }
}
