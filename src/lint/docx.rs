//! Reads a DOCX made by anyone (Word, LibreOffice, python-docx, vanthu) into a
//! [`Reading`], resolving formatting the way Word does: document defaults, then the
//! paragraph style and the styles it is based on, then the run style, then direct
//! formatting. Layouts drafts really use are understood: a borderless two-column table
//! for the header and the signature, a header typed on tab stops, text boxes, a rule
//! made by a paragraph border, a drawn line, an underline or typed characters.

use std::collections::HashMap;
use std::io::Read;

use super::model::{
    Align, Block, Column, LineSpacing, PageNumber, PageSetup, Place, Reading, Rule, RuleKind,
    Source, Span,
};
use super::xml::Element;
use super::LintError;
use crate::fonts::{self, FaceStyle};
use crate::units::Pt;

/// Largest part read, unpacked: a zip bomb is refused, not unpacked.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Twips per millimetre.
const TWIPS_PER_MM: f32 = 56.692_9;
/// Word's default cell margin, left and right (0.19 cm).
const CELL_MARGIN_TWIPS: f32 = 108.0;

pub fn read(bytes: &[u8]) -> Result<Reading, LintError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| LintError::NotDocx)?;
    let mut part = |name: &str| -> Result<Option<Vec<u8>>, LintError> {
        let Ok(file) = zip.by_name(name) else {
            return Ok(None);
        };
        let mut out = Vec::new();
        file.take(MAX_PART + 1)
            .read_to_end(&mut out)
            .map_err(|_| LintError::Damaged)?;
        if out.len() as u64 > MAX_PART {
            return Err(LintError::TooLarge);
        }
        Ok(Some(out))
    };
    let document = part("word/document.xml")?.ok_or(LintError::NotDocx)?;
    let styles = part("word/styles.xml")?;
    let theme = part("word/theme/theme1.xml")?;
    let rels = part("word/_rels/document.xml.rels")?;
    let rels = rels
        .as_deref()
        .and_then(Element::parse)
        .map(|r| relationships(&r))
        .unwrap_or_default();
    let mut headers: HashMap<String, Element> = HashMap::new();
    for (id, target) in &rels {
        if target.starts_with("header") || target.starts_with("footer") {
            if let Some(xml) = part(&format!("word/{target}"))? {
                if let Some(el) = Element::parse(&xml) {
                    headers.insert(id.clone(), el);
                }
            }
        }
    }
    let theme = theme
        .as_deref()
        .and_then(Element::parse)
        .map(|t| Theme::read(&t))
        .unwrap_or_default();
    let styles = match styles.as_deref() {
        Some(xml) => Styles::read(&Element::parse(xml).ok_or(LintError::Damaged)?, theme),
        None => Styles {
            theme,
            ..Styles::default()
        },
    };
    let root = Element::parse(&document).ok_or(LintError::Damaged)?;
    let body = root.child("w:body").ok_or(LintError::NotDocx)?;
    let mut walker = Walker {
        styles: &styles,
        headers: &headers,
        reading: Reading {
            source: Source::Docx,
            blocks: Vec::new(),
            pages: Vec::new(),
            page_numbers: Vec::new(),
            page_count: None,
        },
        paragraphs: 0,
        containers: 0,
        section_start: 0,
        section_has_table: false,
        text_width: 0.0,
        tab_columns: None,
        table_depth: 0,
    };
    // The page width the body's paragraphs have: the first section's, known only at
    // its end; read it ahead.
    walker.text_width = first_section(body)
        .map(|s| section_geometry(s).text_width)
        .unwrap_or(165.0 * TWIPS_PER_MM / 20.0);
    let container = walker.container();
    walker.body(body, container, Column::Full, walker.text_width, true);
    Ok(walker.reading)
}

fn relationships(rels: &Element) -> Vec<(String, String)> {
    rels.elements()
        .filter(|e| e.local() == "Relationship")
        .filter_map(|e| Some((e.attr("Id")?.to_string(), e.attr("Target")?.to_string())))
        .collect()
}

/// The first `w:sectPr` in document order: inside a paragraph's properties, or the body's.
fn first_section(body: &Element) -> Option<&Element> {
    for child in body.elements() {
        if child.name == "w:p" {
            if let Some(s) = child.child("w:pPr").and_then(|p| p.child("w:sectPr")) {
                return Some(s);
            }
        }
        if child.name == "w:sectPr" {
            return Some(child);
        }
    }
    None
}

struct Geometry {
    width_mm: f32,
    height_mm: f32,
    margins: Option<[f32; 4]>,
    /// Text width in points.
    text_width: f32,
}

fn section_geometry(sect: &Element) -> Geometry {
    let twips = |e: Option<&Element>, name: &str| -> Option<f32> {
        e.and_then(|e| e.attr(name))
            .and_then(|v| v.parse::<f32>().ok())
    };
    let size = sect.child("w:pgSz");
    let width = twips(size, "w:w").unwrap_or(11906.0);
    let height = twips(size, "w:h").unwrap_or(16838.0);
    let mar = sect.child("w:pgMar");
    let margins = match (
        twips(mar, "w:top"),
        twips(mar, "w:bottom"),
        twips(mar, "w:left"),
        twips(mar, "w:right"),
    ) {
        (Some(t), Some(b), Some(l), Some(r)) => Some([t.abs(), b.abs(), l, r]),
        _ => None,
    };
    let [_, _, left, right] = margins.unwrap_or([1134.0, 1134.0, 1701.0, 850.0]);
    Geometry {
        width_mm: width / TWIPS_PER_MM,
        height_mm: height / TWIPS_PER_MM,
        margins: margins.map(|m| m.map(|t| t / TWIPS_PER_MM)),
        text_width: (width - left - right) / 20.0,
    }
}

/// Fonts of the document's theme (what `w:asciiTheme` names).
#[derive(Debug, Clone, Default)]
struct Theme {
    minor: Option<String>,
    major: Option<String>,
}

impl Theme {
    fn read(theme: &Element) -> Theme {
        let latin = |name: &str| {
            theme
                .find(name)
                .and_then(|f| f.child("a:latin"))
                .and_then(|l| l.attr("typeface"))
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        Theme {
            minor: latin("a:minorFont"),
            major: latin("a:majorFont"),
        }
    }
}

/// Run properties (w:rPr), each `None` when not set at this level.
#[derive(Debug, Clone, Default)]
struct RunProps {
    size: Option<f32>,
    bold: Option<bool>,
    italic: Option<bool>,
    caps: Option<bool>,
    font: Option<String>,
    colour: Option<Option<[u8; 3]>>,
    underline: Option<Option<RuleKind>>,
    hidden: Option<bool>,
    style: Option<String>,
}

impl RunProps {
    fn read(rpr: &Element, theme: &Theme) -> RunProps {
        let on = |name: &str| -> Option<bool> {
            rpr.child(name).map(|e| {
                !matches!(
                    e.attr("w:val"),
                    Some("0") | Some("false") | Some("off") | Some("none")
                )
            })
        };
        let font = rpr.child("w:rFonts").and_then(|f| {
            let theme_font = |key: &str| {
                f.attr(key).and_then(|t| {
                    if t.starts_with("major") {
                        theme.major.clone()
                    } else {
                        theme.minor.clone()
                    }
                })
            };
            f.attr("w:ascii")
                .or(f.attr("w:hAnsi"))
                .map(str::to_string)
                .or_else(|| theme_font("w:asciiTheme"))
                .or_else(|| theme_font("w:hAnsiTheme"))
        });
        RunProps {
            size: rpr
                .child("w:sz")
                .and_then(|e| e.attr("w:val"))
                .and_then(|v| v.parse::<f32>().ok())
                .map(|half| half / 2.0),
            bold: on("w:b"),
            italic: on("w:i"),
            caps: on("w:caps"),
            font,
            colour: rpr.child("w:color").and_then(|c| c.attr("w:val")).map(hex),
            underline: rpr
                .child("w:u")
                .map(|u| line_kind(u.attr("w:val").unwrap_or("single"))),
            hidden: on("w:vanish"),
            style: rpr
                .child("w:rStyle")
                .and_then(|s| s.attr("w:val"))
                .map(str::to_string),
        }
    }

    fn over(mut self, top: &RunProps) -> RunProps {
        macro_rules! take {
            ($($f:ident),*) => { $( if top.$f.is_some() { self.$f = top.$f.clone(); } )* };
        }
        take!(size, bold, italic, caps, font, colour, underline, hidden, style);
        self
    }
}

/// `auto` → `None`; `1F3864` → its RGB.
fn hex(v: &str) -> Option<[u8; 3]> {
    if v.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(v.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A border or underline value: `None` for none.
fn line_kind(v: &str) -> Option<RuleKind> {
    match v {
        "none" | "nil" => None,
        "single" | "thick" | "words" => Some(RuleKind::Solid),
        _ => Some(RuleKind::NotSolid),
    }
}

/// Paragraph properties (w:pPr), each `None` when not set at this level. Lengths in pt.
#[derive(Debug, Clone, Default)]
struct ParaProps {
    align: Option<Align>,
    first: Option<f32>,
    left: Option<f32>,
    right: Option<f32>,
    before: Option<f32>,
    after: Option<f32>,
    line: Option<LineSpacing>,
    border_bottom: Option<Option<RuleKind>>,
    border_top: Option<Option<RuleKind>>,
}

impl ParaProps {
    fn read(ppr: &Element) -> ParaProps {
        let pt = |e: Option<&Element>, names: &[&str]| -> Option<f32> {
            let e = e?;
            names
                .iter()
                .find_map(|n| e.attr(n))
                .and_then(|v| v.parse::<f32>().ok())
                .map(|t| t / 20.0)
        };
        let ind = ppr.child("w:ind");
        let first = pt(ind, &["w:firstLine"]).or_else(|| pt(ind, &["w:hanging"]).map(|h| -h));
        let spacing = ppr.child("w:spacing");
        let line = spacing.and_then(|s| {
            let v = s.attr("w:line")?.parse::<f32>().ok()?;
            Some(match s.attr("w:lineRule").unwrap_or("auto") {
                "exact" => LineSpacing::Exact(v / 20.0),
                "atLeast" => LineSpacing::AtLeast(v / 20.0),
                _ => LineSpacing::Multiple(v / 240.0),
            })
        });
        let border = |side: &str| {
            ppr.child("w:pBdr")
                .and_then(|b| b.child(side))
                .map(|e| line_kind(e.attr("w:val").unwrap_or("single")))
        };
        ParaProps {
            align: ppr
                .child("w:jc")
                .and_then(|j| j.attr("w:val"))
                .map(|v| match v {
                    "center" => Align::Centre,
                    "both" | "distribute" | "lowKashida" | "mediumKashida" | "highKashida"
                    | "thaiDistribute" => Align::Justified,
                    "right" | "end" => Align::Right,
                    _ => Align::Left,
                }),
            first,
            left: pt(ind, &["w:left", "w:start"]),
            right: pt(ind, &["w:right", "w:end"]),
            before: pt(spacing, &["w:before"]),
            after: pt(spacing, &["w:after"]),
            line,
            border_bottom: border("w:bottom"),
            border_top: border("w:top"),
        }
    }

    fn over(mut self, top: &ParaProps) -> ParaProps {
        macro_rules! take {
            ($($f:ident),*) => { $( if top.$f.is_some() { self.$f = top.$f; } )* };
        }
        take!(
            align,
            first,
            left,
            right,
            before,
            after,
            line,
            border_bottom,
            border_top
        );
        self
    }
}

#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    para: ParaProps,
    run: RunProps,
}

#[derive(Debug, Clone, Default)]
struct Styles {
    theme: Theme,
    default_run: RunProps,
    default_para: ParaProps,
    default_style: Option<String>,
    styles: HashMap<String, Style>,
}

impl Styles {
    fn read(root: &Element, theme: Theme) -> Styles {
        let mut styles = Styles {
            theme,
            ..Styles::default()
        };
        if let Some(defaults) = root.child("w:docDefaults") {
            if let Some(rpr) = defaults
                .child("w:rPrDefault")
                .and_then(|r| r.child("w:rPr"))
            {
                styles.default_run = RunProps::read(rpr, &styles.theme);
            }
            if let Some(ppr) = defaults
                .child("w:pPrDefault")
                .and_then(|p| p.child("w:pPr"))
            {
                styles.default_para = ParaProps::read(ppr);
            }
        }
        for s in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let kind = s.attr("w:type").unwrap_or("paragraph");
            if kind == "paragraph" && matches!(s.attr("w:default"), Some("1") | Some("true")) {
                styles.default_style = Some(id.to_string());
            }
            let style = Style {
                based_on: s
                    .child("w:basedOn")
                    .and_then(|b| b.attr("w:val"))
                    .map(str::to_string),
                para: s.child("w:pPr").map(ParaProps::read).unwrap_or_default(),
                run: s
                    .child("w:rPr")
                    .map(|r| RunProps::read(r, &styles.theme))
                    .unwrap_or_default(),
            };
            styles.styles.insert(id.to_string(), style);
        }
        styles
    }

    /// The chain of a style, root first; a loop or a missing style ends it.
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = id.map(str::to_string);
        while let Some(id) = next {
            let Some(style) = self.styles.get(&id) else {
                break;
            };
            if out.len() > 32 {
                break;
            }
            out.push(style);
            next = style.based_on.clone();
        }
        out.reverse();
        out
    }

    /// A paragraph style's properties over the defaults.
    fn paragraph(&self, id: Option<&str>) -> (ParaProps, RunProps) {
        let id = id.or(self.default_style.as_deref());
        let mut para = self.default_para.clone();
        let mut run = self.default_run.clone();
        for s in self.chain(id) {
            para = para.over(&s.para);
            run = run.over(&s.run);
        }
        (para, run)
    }

    /// A run's properties: the paragraph's, its character style's, its own.
    fn run(&self, para_run: &RunProps, direct: &RunProps) -> RunProps {
        let mut run = para_run.clone();
        for s in self.chain(direct.style.as_deref()) {
            run = run.over(&s.run);
        }
        run.over(direct)
    }
}

/// What is gathered from one paragraph's inline content.
#[derive(Default)]
struct Inline {
    spans: Vec<Span>,
    /// Drawn lines: length and, when placed, the centre's offset from the column's left.
    lines: Vec<(f32, Option<f32>)>,
    /// Text boxes: content, left offset and width in points.
    boxes: Vec<(Element, Option<f32>, f32)>,
    page_field: bool,
}

struct Walker<'a> {
    styles: &'a Styles,
    headers: &'a HashMap<String, Element>,
    reading: Reading,
    paragraphs: usize,
    containers: usize,
    section_start: usize,
    section_has_table: bool,
    /// The body's text width in points.
    text_width: f32,
    /// Containers of the left and right columns of consecutive tab-split paragraphs.
    tab_columns: Option<(usize, usize)>,
    /// How deep in tables the walk is.
    table_depth: usize,
}

impl Walker<'_> {
    fn container(&mut self) -> usize {
        self.containers += 1;
        self.containers
    }

    /// A body, a table cell's or a text box's content.
    fn body(&mut self, el: &Element, container: usize, column: Column, width: f32, top: bool) {
        for child in el.elements() {
            match child.name.as_str() {
                "w:p" => self.paragraph(child, container, column, width, top),
                "w:tbl" => {
                    self.tab_columns = None;
                    self.table(child);
                }
                "w:sdt" => {
                    if let Some(content) = child.child("w:sdtContent") {
                        self.body(content, container, column, width, top);
                    }
                }
                "w:sectPr" if top => self.section(child),
                _ => {}
            }
        }
    }

    fn table(&mut self, tbl: &Element) {
        let grid: Vec<f32> = tbl
            .child("w:tblGrid")
            .map(|g| {
                g.elements()
                    .filter(|c| c.name == "w:gridCol")
                    .map(|c| {
                        c.attr("w:w")
                            .and_then(|w| w.parse::<f32>().ok())
                            .unwrap_or(0.0)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let rows: Vec<&Element> = tbl.elements().filter(|e| e.name == "w:tr").collect();
        let columns = grid.len().max(1);
        if columns > 2 || rows.len() > 4 {
            self.section_has_table = true;
        }
        for row in rows {
            let mut at = 0usize;
            let cells: Vec<&Element> = row.elements().filter(|e| e.name == "w:tc").collect();
            let count = cells.len();
            for (i, cell) in cells.into_iter().enumerate() {
                let span = cell
                    .child("w:tcPr")
                    .and_then(|p| p.child("w:gridSpan"))
                    .and_then(|s| s.attr("w:val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let width_twips: f32 = grid.iter().skip(at).take(span).sum();
                let width_twips = if width_twips > 0.0 {
                    width_twips
                } else {
                    cell.child("w:tcPr")
                        .and_then(|p| p.child("w:tcW"))
                        .and_then(|w| w.attr("w:w"))
                        .and_then(|w| w.parse::<f32>().ok())
                        .unwrap_or(self.text_width * 20.0 / count.max(1) as f32)
                };
                at += span;
                let column = match (count, i) {
                    (2, 0) => Column::Left,
                    (2, _) => Column::Right,
                    _ => Column::Full,
                };
                let inner = (width_twips - 2.0 * CELL_MARGIN_TWIPS).max(0.0) / 20.0;
                let container = self.container();
                self.table_depth += 1;
                self.body(cell, container, column, inner, false);
                self.table_depth -= 1;
            }
        }
    }

    fn section(&mut self, sect: &Element) {
        let g = section_geometry(sect);
        let number = self.reading.pages.len() + 1;
        let first_text = self.reading.blocks[self.section_start..]
            .iter()
            .find(|b| !b.is_empty())
            .map(|b| b.text().to_lowercase())
            .unwrap_or_default();
        self.reading.pages.push(PageSetup {
            place: Place::Section(number),
            width: g.width_mm,
            height: g.height_mm,
            margins: g.margins,
            has_table: self.section_has_table,
            appendix: first_text.starts_with("phụ lục"),
        });
        self.page_numbers(sect, number);
        self.section_start = self.reading.blocks.len();
        self.section_has_table = false;
    }

    /// Page numbers in the section's headers and footers.
    fn page_numbers(&mut self, sect: &Element, section: usize) {
        let title_page = sect
            .child("w:titlePg")
            .is_some_and(|t| !matches!(t.attr("w:val"), Some("0") | Some("false") | Some("off")));
        for reference in sect
            .elements()
            .filter(|e| e.name == "w:headerReference" || e.name == "w:footerReference")
        {
            let footer = reference.name == "w:footerReference";
            let kind = reference.attr("w:type").unwrap_or("default");
            let Some(part) = reference.attr("r:id").and_then(|id| self.headers.get(id)) else {
                continue;
            };
            let shows_first = match kind {
                "first" => title_page,
                "default" => !title_page,
                _ => false,
            };
            for p in descendants(part, "w:p") {
                let (para, run) = self.styles.paragraph(style_of(p));
                let mut inline = Inline::default();
                self.inline(p, &run, &mut inline);
                if !inline.page_field {
                    continue;
                }
                let size = field_size(p, self.styles, &run).unwrap_or(0.0);
                let para = para.over(&p.child("w:pPr").map(ParaProps::read).unwrap_or_default());
                self.reading.page_numbers.push(PageNumber {
                    place: if footer {
                        Place::PageFooter(section)
                    } else {
                        Place::PageHeader(section)
                    },
                    on_first_page: shows_first && section == 1,
                    in_footer: footer,
                    size,
                    centred: para.align == Some(Align::Centre),
                });
            }
        }
    }

    fn paragraph(&mut self, p: &Element, container: usize, column: Column, width: f32, top: bool) {
        self.paragraphs += 1;
        let place = Place::Paragraph(self.paragraphs);
        let direct = p.child("w:pPr").map(ParaProps::read).unwrap_or_default();
        let (style_para, style_run) = self.styles.paragraph(style_of(p));
        let props = style_para.over(&direct);
        let mut inline = Inline::default();
        self.inline(p, &style_run, &mut inline);
        let available = width - props.left.unwrap_or(0.0) - props.right.unwrap_or(0.0);
        let mut block = Block {
            place,
            column,
            container,
            spans: std::mem::take(&mut inline.spans),
            align: props.align,
            first_indent: props.first,
            space_before: props.before,
            space_after: props.after,
            line_spacing: props.line,
            rule_below: None,
            page: 0,
            x: None,
            in_table: self.table_depth > 0,
        };
        let text = block.text();
        let typed = text.chars().count() >= 5
            && text
                .chars()
                .all(|c| matches!(c, '_' | '-' | '.' | '…' | '─' | '—'));
        let mut rules: Vec<(Rule, Option<f32>)> = Vec::new();
        if typed {
            let length: f32 = block.spans.iter().map(span_width).sum();
            rules.push((
                Rule {
                    length,
                    kind: RuleKind::Typed,
                },
                None,
            ));
            block.spans.clear();
        }
        if let Some(Some(kind)) = props.border_bottom {
            rules.push((
                Rule {
                    length: available.max(0.0),
                    kind,
                },
                None,
            ));
        }
        for (length, centre) in &inline.lines {
            rules.push((
                Rule {
                    length: *length,
                    kind: RuleKind::Solid,
                },
                *centre,
            ));
        }
        if let Some(Some(kind)) = props.border_top {
            // A rule over this paragraph is a rule under the one before.
            self.attach(
                Rule {
                    length: available.max(0.0),
                    kind,
                },
                container,
            );
        }

        // A header typed on tab stops: each side of the tabs is a column of its own.
        let segments = tab_segments(&block);
        if top
            && column == Column::Full
            && segments.len() >= 2
            && props.align != Some(Align::Justified)
        {
            let (left, right) = match self.tab_columns {
                Some(pair) => pair,
                None => {
                    let pair = (self.container(), self.container());
                    self.tab_columns = Some(pair);
                    pair
                }
            };
            let last = segments.len() - 1;
            for (i, spans) in segments.into_iter().enumerate() {
                let (col, cont) = match i {
                    0 => (Column::Left, left),
                    i if i == last => (Column::Right, right),
                    _ => (Column::Full, container),
                };
                let mut part = block.clone();
                part.spans = spans;
                part.column = col;
                part.container = cont;
                part.rule_below = underline_rule(&part.spans);
                self.reading.blocks.push(part);
            }
        } else if block.is_empty() {
            // A paragraph holding only rules: they belong to the text above.
            for (rule, centre) in rules {
                let side = centre.map(|c| {
                    if c < width / 2.0 {
                        Column::Left
                    } else {
                        Column::Right
                    }
                });
                let target = match (side, self.tab_columns) {
                    (Some(Column::Left), Some((l, _))) => l,
                    (Some(Column::Right), Some((_, r))) => r,
                    _ => container,
                };
                self.attach(rule, target);
            }
            self.reading.blocks.push(block);
        } else {
            if !block.text().is_empty() && top && column == Column::Full {
                self.tab_columns = None;
            }
            block.rule_below = rules
                .first()
                .map(|(r, _)| *r)
                .or_else(|| underline_rule(&block.spans));
            self.reading.blocks.push(block);
        }
        if top {
            if let Some(sect) = p.child("w:pPr").and_then(|p| p.child("w:sectPr")) {
                self.section(sect);
            }
        }

        for (content, x, box_width) in inline.boxes {
            let side = match x {
                Some(x) if x + box_width / 2.0 < self.text_width / 2.0 => Column::Left,
                Some(_) => Column::Right,
                None => Column::Full,
            };
            let inner = (box_width - 14.4).max(0.0);
            let container = self.container();
            self.body(&content, container, side, inner, false);
        }
    }

    /// Gives `rule` to the last block with text in `container`.
    fn attach(&mut self, rule: Rule, container: usize) {
        if let Some(block) = self
            .reading
            .blocks
            .iter_mut()
            .rev()
            .take(24)
            .find(|b| b.container == container && !b.is_empty())
        {
            if block.rule_below.is_none() {
                block.rule_below = Some(rule);
            }
        }
    }

    /// Walks runs and the elements that hold runs.
    fn inline(&self, el: &Element, para_run: &RunProps, out: &mut Inline) {
        for child in el.elements() {
            match child.name.as_str() {
                "w:r" => self.run(child, para_run, out),
                "w:hyperlink" | "w:smartTag" | "w:ins" | "w:customXml" | "w:moveTo" | "w:dir"
                | "w:bdo" => self.inline(child, para_run, out),
                "w:sdt" => {
                    if let Some(c) = child.child("w:sdtContent") {
                        self.inline(c, para_run, out);
                    }
                }
                "w:fldSimple" => {
                    if child.attr("w:instr").is_some_and(is_page_field) {
                        out.page_field = true;
                    }
                    self.inline(child, para_run, out);
                }
                "mc:AlternateContent" => {
                    if let Some(choice) = child.child("mc:Choice") {
                        self.inline(choice, para_run, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&self, r: &Element, para_run: &RunProps, out: &mut Inline) {
        let direct = r
            .child("w:rPr")
            .map(|p| RunProps::read(p, &self.styles.theme))
            .unwrap_or_default();
        let props = self.styles.run(para_run, &direct);
        let mut text = String::new();
        for child in r.elements() {
            match child.name.as_str() {
                "w:t" => text.push_str(&child.text()),
                "w:tab" | "w:ptab" => text.push('\t'),
                "w:br" | "w:cr" => text.push(' '),
                "w:noBreakHyphen" => text.push('-'),
                "w:instrText" if is_page_field(&child.text()) => out.page_field = true,
                "w:drawing" | "w:pict" | "w:object" => self.shapes(child, out),
                "mc:AlternateContent" => {
                    if let Some(choice) = child.child("mc:Choice") {
                        for inner in choice.elements() {
                            self.shapes(inner, out);
                        }
                    }
                }
                _ => {}
            }
        }
        if props.hidden == Some(true) || text.is_empty() {
            return;
        }
        if props.caps == Some(true) {
            text = text.to_uppercase();
        }
        let span = Span {
            text,
            size: props.size.unwrap_or(10.0),
            bold: props.bold.unwrap_or(false),
            italic: props.italic.unwrap_or(false),
            font: props
                .font
                .clone()
                .unwrap_or_else(|| "Times New Roman".to_string()),
            colour: props.colour.flatten(),
            underline: props.underline.flatten(),
        };
        out.spans.push(span);
    }

    /// Lines and text boxes inside a drawing (DrawingML) or a picture (VML).
    fn shapes(&self, el: &Element, out: &mut Inline) {
        // DrawingML: an anchor or inline with its extent and offset.
        for frame in descendants_any(el, &["wp:anchor", "wp:inline"]) {
            let emu = |v: Option<&str>| v.and_then(|v| v.parse::<f32>().ok()).map(|e| e / 12700.0);
            let extent = frame.child("wp:extent");
            let cx = emu(extent.and_then(|e| e.attr("cx"))).unwrap_or(0.0);
            let cy = emu(extent.and_then(|e| e.attr("cy"))).unwrap_or(0.0);
            let x = frame
                .child("wp:positionH")
                .and_then(|h| h.child("wp:posOffset"))
                .and_then(|o| o.text().trim().parse::<f32>().ok())
                .map(|e| e / 12700.0);
            if let Some(content) = frame.find("w:txbxContent") {
                out.boxes.push((content.clone(), x, cx));
                continue;
            }
            let geometry = frame
                .find("a:prstGeom")
                .and_then(|g| g.attr("prst"))
                .unwrap_or("");
            let is_line = geometry.contains("line")
                || geometry.contains("Connector")
                || (geometry == "rect" && cy <= 2.0 && cx > 10.0);
            if is_line && cx > 0.0 {
                out.lines.push((cx, x.map(|x| x + cx / 2.0)));
            }
        }
        // VML: v:line from/to, a thin v:rect, a text box.
        for shape in descendants_any(el, &["v:line", "v:rect", "v:shape", "v:roundrect"]) {
            if let Some(content) = shape.find("w:txbxContent") {
                let style = shape.attr("style").unwrap_or("");
                let width = css_length(style, "width").unwrap_or(self.text_width / 2.0);
                let left = css_length(style, "margin-left").or(css_length(style, "left"));
                out.boxes.push((content.clone(), left, width));
                continue;
            }
            if shape.name == "v:line" {
                let point = |name: &str| -> Option<(f32, f32)> {
                    let v = shape.attr(name)?;
                    let (x, y) = v.split_once(',')?;
                    Some((vml_length(x)?, vml_length(y)?))
                };
                if let (Some(from), Some(to)) = (point("from"), point("to")) {
                    if (to.1 - from.1).abs() < 2.0 && (to.0 - from.0).abs() > 1.0 {
                        out.lines
                            .push(((to.0 - from.0).abs(), Some((to.0 + from.0) / 2.0)));
                    }
                }
            } else {
                let style = shape.attr("style").unwrap_or("");
                if let (Some(w), Some(h)) =
                    (css_length(style, "width"), css_length(style, "height"))
                {
                    if h <= 2.0 && w > 10.0 {
                        let left = css_length(style, "margin-left").or(css_length(style, "left"));
                        out.lines.push((w, left.map(|l| l + w / 2.0)));
                    }
                }
            }
        }
    }
}

fn style_of(p: &Element) -> Option<&str> {
    p.child("w:pPr")
        .and_then(|p| p.child("w:pStyle"))
        .and_then(|s| s.attr("w:val"))
}

/// The size of the run that holds a PAGE field in `p`.
fn field_size(p: &Element, styles: &Styles, para_run: &RunProps) -> Option<f32> {
    let runs: Vec<&Element> = descendants(p, "w:r");
    let holder = runs
        .iter()
        .find(|r| {
            r.child("w:instrText")
                .is_some_and(|t| is_page_field(&t.text()))
        })
        .or_else(|| runs.first())?;
    let direct = holder
        .child("w:rPr")
        .map(|r| RunProps::read(r, &styles.theme))
        .unwrap_or_default();
    styles.run(para_run, &direct).size.or(Some(10.0))
}

fn is_page_field(instr: &str) -> bool {
    instr.split_whitespace().next() == Some("PAGE")
}

fn descendants<'e>(el: &'e Element, name: &str) -> Vec<&'e Element> {
    descendants_any(el, &[name])
}

fn descendants_any<'e>(el: &'e Element, names: &[&str]) -> Vec<&'e Element> {
    let mut out = Vec::new();
    let mut stack = vec![el];
    while let Some(e) = stack.pop() {
        for c in e.elements() {
            if names.contains(&c.name.as_str()) {
                out.push(c);
            } else {
                stack.push(c);
            }
        }
    }
    out
}

/// A VML length ("12pt", "1in", "2.5mm", "3cm"; bare numbers are pixels at 96 dpi) in pt.
fn vml_length(v: &str) -> Option<f32> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let n: f32 = number.trim().parse().ok()?;
    Some(match unit {
        "pt" => n,
        "in" => n * 72.0,
        "mm" => n * 72.0 / 25.4,
        "cm" => n * 72.0 / 2.54,
        "" | "px" => n * 0.75,
        _ => return None,
    })
}

/// A length from a VML `style` attribute (`width:120pt;height:0`).
fn css_length(style: &str, key: &str) -> Option<f32> {
    style.split(';').find_map(|item| {
        let (k, v) = item.split_once(':')?;
        (k.trim() == key).then(|| vml_length(v)).flatten()
    })
}

/// Text underlined all along with one kind of line reads as a rule of its length.
fn underline_rule(spans: &[Span]) -> Option<Rule> {
    let visible: Vec<&Span> = spans.iter().filter(|s| s.visible()).collect();
    if visible.is_empty() || visible.iter().any(|s| s.underline.is_none()) {
        return None;
    }
    let kind = if visible.iter().all(|s| s.underline == Some(RuleKind::Solid)) {
        RuleKind::Solid
    } else {
        RuleKind::NotSolid
    };
    Some(Rule {
        length: visible.iter().map(|s| span_width(s)).sum(),
        kind,
    })
}

/// The width of a span's text in its own size and style, in points.
fn span_width(s: &Span) -> f32 {
    let style = FaceStyle::new(s.bold, s.italic);
    fonts::text_width(s.text.trim(), style, Pt(s.size)).0
}

/// The spans of a paragraph split at its tabs, keeping only the parts with text, when
/// there are two or more of them.
fn tab_segments(block: &Block) -> Vec<Vec<Span>> {
    let mut segments: Vec<Vec<Span>> = vec![Vec::new()];
    for span in &block.spans {
        let mut parts = span.text.split('\t');
        if let Some(first) = parts.next() {
            if !first.is_empty() {
                let mut s = span.clone();
                s.text = first.to_string();
                if let Some(seg) = segments.last_mut() {
                    seg.push(s);
                }
            }
        }
        for part in parts {
            segments.push(Vec::new());
            if !part.is_empty() {
                let mut s = span.clone();
                s.text = part.to_string();
                if let Some(seg) = segments.last_mut() {
                    seg.push(s);
                }
            }
        }
    }
    segments.retain(|seg| seg.iter().any(Span::visible));
    if segments.len() >= 2 {
        segments
    } else {
        Vec::new()
    }
}
