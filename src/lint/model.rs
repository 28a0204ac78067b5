//! What a document reader hands the rules: the document as a reader of the printed page
//! sees it — page setups, blocks of text with their resolved formatting and the column
//! they sit in, the short rules drawn under them, and the page numbers. The DOCX reader
//! ([`super::docx`]) and the PDF reader ([`super::pdf`]) both produce a [`Reading`], so
//! the rules ([`super::rules`]) are written once.

use unicode_normalization::UnicodeNormalization;

/// Where a finding is, in the words of the file's own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A DOCX paragraph, counted from 1 in reading order (body, table cells, text boxes).
    Paragraph(usize),
    /// A PDF page, counted from 1.
    Page(usize),
    /// A DOCX section's page setup, counted from 1.
    Section(usize),
    /// The page header (đầu trang) of a DOCX section.
    PageHeader(usize),
    /// The page footer (chân trang) of a DOCX section.
    PageFooter(usize),
    /// The document as a whole.
    Document,
}

/// A run of text with one formatting, resolved through styles as Word shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    /// Size in points.
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    /// The font family as the file names it ("Times New Roman", "LiberationSerif").
    pub font: String,
    /// RGB, `None` for automatic (black).
    pub colour: Option<[u8; 3]>,
    /// The underline, if any (DOCX; a PDF draws it as a line).
    pub underline: Option<RuleKind>,
}

impl Span {
    /// Whether the span draws anything (not only spaces and tabs).
    pub fn visible(&self) -> bool {
        self.text.chars().any(|c| !c.is_whitespace())
    }
}

/// Horizontal alignment of a paragraph (DOCX only; a PDF line has none to read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
    Justified,
}

/// Line spacing of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineSpacing {
    /// A multiple of single spacing (1.0 = single).
    Multiple(f32),
    /// Exactly this many points.
    Exact(f32),
    /// At least this many points.
    AtLeast(f32),
}

/// Which part of the page width a block sits in: the left or right column of a
/// two-column header or signature block, or the full width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Left,
    Right,
    Full,
}

/// A short horizontal rule (đường kẻ) drawn under a block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Length in points.
    pub length: f32,
    /// How it is made.
    pub kind: RuleKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// A solid line: a paragraph border, a drawn line, a solid underline.
    Solid,
    /// A dashed, dotted or double line.
    NotSolid,
    /// Characters typed as a line ("______").
    Typed,
}

/// A paragraph (DOCX) or a line of text (PDF).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub place: Place,
    pub column: Column,
    /// Which container it is in (a table cell, a text box, the body); blocks of one
    /// container follow each other.
    pub container: usize,
    pub spans: Vec<Span>,
    pub align: Option<Align>,
    /// First-line indent in points (negative: hanging).
    pub first_indent: Option<f32>,
    /// Space before and after in points.
    pub space_before: Option<f32>,
    pub space_after: Option<f32>,
    pub line_spacing: Option<LineSpacing>,
    pub rule_below: Option<Rule>,
    /// The page it is on (PDF), 1-based; 0 when unknown (DOCX).
    pub page: usize,
    /// Left and right edges on the page in points (PDF only).
    pub x: Option<(f32, f32)>,
    /// In a table's cell (DOCX; a PDF does not say).
    pub in_table: bool,
}

impl Block {
    /// The block's text as printed, NFC, tabs as spaces, runs of spaces as one, trimmed.
    pub fn text(&self) -> String {
        let raw: String = self.spans.iter().map(|s| s.text.as_str()).collect();
        squeeze(&raw)
    }

    /// The visible spans.
    pub fn visible_spans(&self) -> impl Iterator<Item = &Span> {
        self.spans.iter().filter(|s| s.visible())
    }

    pub fn is_empty(&self) -> bool {
        self.visible_spans().next().is_none()
    }

    /// Every visible span bold.
    pub fn bold(&self) -> bool {
        self.visible_spans().all(|s| s.bold)
    }

    /// Every visible span italic.
    pub fn italic(&self) -> bool {
        self.visible_spans().all(|s| s.italic)
    }

    /// The size of most of the text (by characters), in points.
    pub fn size(&self) -> f32 {
        let mut best = (0usize, 0.0f32);
        let mut seen: Vec<(f32, usize)> = Vec::new();
        for s in self.visible_spans() {
            let n = s.text.chars().filter(|c| !c.is_whitespace()).count();
            match seen
                .iter_mut()
                .find(|(size, _)| (size - s.size).abs() < 0.05)
            {
                Some(entry) => entry.1 += n,
                None => seen.push((s.size, n)),
            }
        }
        for (size, n) in seen {
            if n > best.0 {
                best = (n, size);
            }
        }
        best.1
    }
}

/// One DOCX section's page setup, or one PDF page's.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSetup {
    pub place: Place,
    /// Width and height in millimetres.
    pub width: f32,
    pub height: f32,
    /// Top, bottom, left, right margins in millimetres, as set (DOCX) or as the text
    /// keeps them (PDF: the distance of the outermost text from each edge).
    pub margins: Option<[f32; 4]>,
    /// Whether the pages hold a table (a reason the Decree allows landscape).
    pub has_table: bool,
    /// Whether these pages are an appendix (phụ lục).
    pub appendix: bool,
}

/// A page number found on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageNumber {
    pub place: Place,
    /// Shown on the first page of the document.
    pub on_first_page: bool,
    /// In the bottom margin (footer) rather than the top.
    pub in_footer: bool,
    pub size: f32,
    pub centred: bool,
}

/// Which reader made a [`Reading`]: some rules can only be read from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Docx,
    Pdf,
}

/// A document as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub source: Source,
    pub blocks: Vec<Block>,
    pub pages: Vec<PageSetup>,
    pub page_numbers: Vec<PageNumber>,
    /// How many pages the document has, when known (PDF).
    pub page_count: Option<usize>,
}

/// NFC, tabs and no-break spaces as spaces, runs of spaces as one, trimmed.
pub fn squeeze(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.nfc() {
        if c.is_whitespace() || c == '\u{a0}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Whether a line is the agency's address and contacts (ô 13, at the foot of page 1):
/// not content, and printed in the bottom margin by many.
pub fn is_contact_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.starts_with("địa chỉ")
        || [
            "đt:",
            "điện thoại:",
            "e-mail:",
            "email:",
            "website:",
            "fax:",
        ]
        .iter()
        .filter(|k| lower.contains(*k))
        .count()
            >= 2
}
