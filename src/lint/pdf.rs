//! Reads a PDF made by anyone into a [`Reading`]: the text of each page with its
//! position, size, face and colour, grouped into lines; the short horizontal rules
//! drawn under them; page numbers in the margins.
//!
//! Written on lopdf (already ours, for issuing) rather than with a text-extraction
//! crate: pdf-extract, the well-kept one, pins an older lopdf (a second copy of the
//! PDF parser in the build) and gives text, not the font and position of each piece,
//! which every rule needs. lopdf parses the file and the content streams and decodes
//! the fonts' ToUnicode maps; this module follows the text and graphics state.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object};

use super::model::{
    is_contact_line, Block, Column, PageNumber, PageSetup, Place, Reading, Rule, RuleKind, Source,
    Span,
};
use super::LintError;

/// Largest page content read, unpacked.
const MAX_CONTENT: usize = 64 * 1024 * 1024;
/// Most pages read: a document to check is not a book, and a hostile file must not
/// hold the web page's worker.
const MAX_PAGES: usize = 500;
/// Most pieces of text and drawn lines kept of one page: matching lines to rules is their
/// product.
const MAX_PIECES: usize = 20_000;
const MAX_RULES: usize = 2_000;
const PT_PER_MM: f32 = 72.0 / 25.4;

pub fn read(bytes: &[u8]) -> Result<Reading, LintError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(LintError::NotPdf);
    }
    let doc = Document::load_mem(bytes).map_err(|_| LintError::Damaged)?;
    if doc.is_encrypted() {
        return Err(LintError::Encrypted);
    }
    let mut reading = Reading {
        source: Source::Pdf,
        blocks: Vec::new(),
        pages: Vec::new(),
        page_numbers: Vec::new(),
        page_count: None,
    };
    let pages = doc.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(LintError::TooLarge);
    }
    reading.page_count = Some(pages.len());
    for (&number, &id) in &pages {
        let number = number as usize;
        let (width, height) = media_box(&doc, id);
        let content = doc
            .get_page_content_with_limit(id, MAX_CONTENT)
            .map_err(|_| LintError::Damaged)?;
        let content = Content::decode(&content).map_err(|_| LintError::Damaged)?;
        let fonts = doc.get_page_fonts(id).unwrap_or_default();
        let maps = unicode_maps(&doc, &fonts);
        let faces = Faces::new(&doc, &fonts, &maps);
        let mut page = PageReader::default();
        page.run(&content, &faces);
        let (blocks, numbers, setup) = page.finish(number, width, height);
        reading.blocks.extend(blocks);
        reading.page_numbers.extend(numbers);
        reading.pages.push(setup);
    }
    Ok(reading)
}

fn media_box(doc: &Document, page: lopdf::ObjectId) -> (f32, f32) {
    let mut id = Some(page);
    for _ in 0..32 {
        let Some(dict) = id.and_then(|i| doc.get_dictionary(i).ok()) else {
            break;
        };
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox").and_then(|o| deref(doc, o)) {
            let n: Vec<f32> = a.iter().filter_map(|o| o.as_float().ok()).collect();
            if n.len() == 4 {
                return ((n[2] - n[0]).abs(), (n[3] - n[1]).abs());
            }
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    (595.28, 841.89)
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> lopdf::Result<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id),
        other => Ok(other),
    }
}

/// One font of a page: how its codes decode and how wide each one is.
struct Face<'a> {
    encoding: Option<Encoding<'a>>,
    two_byte: bool,
    widths: BTreeMap<u32, f32>,
    default_width: f32,
    family: String,
    bold: bool,
    italic: bool,
}

struct Faces<'a> {
    faces: BTreeMap<Vec<u8>, Face<'a>>,
}

impl<'a> Faces<'a> {
    fn new(
        doc: &'a Document,
        fonts: &BTreeMap<Vec<u8>, &'a Dictionary>,
        maps: &'a BTreeMap<Vec<u8>, Dictionary>,
    ) -> Faces<'a> {
        let mut faces = BTreeMap::new();
        for (name, dict) in fonts {
            faces.insert(name.clone(), Face::new(doc, dict, maps.get(name)));
        }
        Faces { faces }
    }
}

/// For each font with a ToUnicode map, a bare font dictionary holding only that map:
/// lopdf reads a ToUnicode map only for a font without /Encoding, and subset fonts give
/// their own codes a standard encoding's name (LibreOffice's TrueType subsets say
/// WinAnsi), so the map must come first.
fn unicode_maps(
    doc: &Document,
    fonts: &BTreeMap<Vec<u8>, &Dictionary>,
) -> BTreeMap<Vec<u8>, Dictionary> {
    let mut out = BTreeMap::new();
    for (name, dict) in fonts {
        let Some(content) = dict
            .get(b"ToUnicode")
            .and_then(|o| deref(doc, o))
            .and_then(Object::as_stream)
            .ok()
            .and_then(|s| s.get_plain_content_with_limit(MAX_CONTENT).ok())
        else {
            continue;
        };
        let mut bare = Dictionary::new();
        bare.set("Type", Object::Name(b"Font".to_vec()));
        bare.set(
            "ToUnicode",
            Object::Stream(lopdf::Stream::new(Dictionary::new(), content)),
        );
        out.insert(name.clone(), bare);
    }
    out
}

impl<'a> Face<'a> {
    fn new(doc: &'a Document, dict: &'a Dictionary, map: Option<&'a Dictionary>) -> Face<'a> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let two_byte = subtype == b"Type0";
        let encoding = map.unwrap_or(dict).get_font_encoding(doc).ok();
        let base = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let base = base
            .split_once('+')
            .map_or(base.as_str(), |(_, b)| b)
            .to_string();
        let (family, style) = match base.split_once(['-', ',']) {
            Some((f, s)) => (f.to_string(), s.to_string()),
            None => (base.clone(), String::new()),
        };
        let lower = style.to_lowercase() + &base.to_lowercase();
        let mut widths = BTreeMap::new();
        let mut default_width = 500.0;
        if two_byte {
            let descendant = dict
                .get(b"DescendantFonts")
                .and_then(|o| deref(doc, o))
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first())
                .and_then(|o| deref(doc, o).ok())
                .and_then(|o| o.as_dict().ok());
            if let Some(d) = descendant {
                default_width = d.get(b"DW").and_then(Object::as_float).unwrap_or(1000.0);
                if let Ok(w) = d
                    .get(b"W")
                    .and_then(|o| deref(doc, o))
                    .and_then(Object::as_array)
                {
                    cid_widths(doc, w, &mut widths);
                }
            }
        } else {
            let first = dict
                .get(b"FirstChar")
                .and_then(Object::as_i64)
                .unwrap_or(0)
                .max(0) as u32;
            if let Ok(w) = dict
                .get(b"Widths")
                .and_then(|o| deref(doc, o))
                .and_then(Object::as_array)
            {
                for (i, o) in w.iter().enumerate().take(256) {
                    if let Ok(v) = deref(doc, o).and_then(Object::as_float) {
                        widths.insert(first + i as u32, v);
                    }
                }
            }
        }
        Face {
            encoding,
            two_byte,
            widths,
            default_width,
            family,
            bold: lower.contains("bold") || lower.contains("black") || lower.contains("heavy"),
            italic: lower.contains("italic") || lower.contains("oblique"),
        }
    }

    fn decode(&self, bytes: &[u8]) -> String {
        match &self.encoding {
            Some(e) => e.bytes_to_string(bytes).unwrap_or_default(),
            None => String::from_utf8_lossy(bytes).into_owned(),
        }
    }

    /// The codes of a string and each one's width in thousandths of the size.
    fn codes(&self, bytes: &[u8]) -> Vec<(u32, f32)> {
        let step = if self.two_byte { 2 } else { 1 };
        bytes
            .chunks(step)
            .map(|c| {
                let code = c.iter().fold(0u32, |a, b| a * 256 + *b as u32);
                (code, *self.widths.get(&code).unwrap_or(&self.default_width))
            })
            .collect()
    }
}

/// A CIDFont's /W array: `c [w1 w2 …]` and `c_first c_last w`.
fn cid_widths(doc: &Document, w: &[Object], out: &mut BTreeMap<u32, f32>) {
    let mut i = 0;
    while i < w.len() && out.len() < 65536 {
        let Ok(first) = w[i].as_i64() else {
            break;
        };
        let first = first.max(0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, v) in list.iter().enumerate() {
                    if let Ok(v) = v.as_float() {
                        out.insert(first + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(Ok(last)) => {
                let (Ok(last), Some(Ok(width))) =
                    (last.as_i64(), w.get(i + 2).map(Object::as_float))
                else {
                    break;
                };
                let last = (last.max(0) as u32).min(first + 65536);
                for code in first..=last {
                    out.insert(code, width);
                }
                i += 3;
            }
            _ => break,
        }
    }
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// A piece of text drawn by one operator.
#[derive(Debug, Clone)]
struct Piece {
    x0: f32,
    x1: f32,
    y: f32,
    size: f32,
    span: Span,
}

#[derive(Debug, Clone, Copy)]
struct HRule {
    x0: f32,
    x1: f32,
    y: f32,
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    fill: Option<[u8; 3]>,
}

#[derive(Default)]
struct PageReader {
    pieces: Vec<Piece>,
    rules: Vec<HRule>,
}

impl PageReader {
    fn run(&mut self, content: &Content, faces: &Faces<'_>) {
        let mut state = State {
            ctm: IDENTITY,
            fill: None,
        };
        let mut stack: Vec<State> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut font: Option<&Face<'_>> = None;
        let mut size = 0.0f32;
        let (mut tc, mut tw, mut th, mut tl, mut rise) = (0.0f32, 0.0f32, 1.0f32, 0.0f32, 0.0f32);
        let mut invisible = false;
        let mut path: Vec<(f32, f32, f32, f32)> = Vec::new();
        let mut current: Option<(f32, f32)> = None;
        let mut start: Option<(f32, f32)> = None;
        let num = |o: &Object| o.as_float().unwrap_or(0.0);
        for op in &content.operations {
            let a = &op.operands;
            let n = |i: usize| a.get(i).map(num).unwrap_or(0.0);
            match op.operator.as_str() {
                "q" if stack.len() < 64 => stack.push(state.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        state = s;
                    }
                }
                "cm" => {
                    let m = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    state.ctm = multiply(&m, &state.ctm);
                }
                "g" => state.fill = grey(n(0)),
                "rg" => state.fill = rgb(n(0), n(1), n(2)),
                "k" => {
                    let k = n(3);
                    state.fill = rgb(
                        (1.0 - n(0)) * (1.0 - k),
                        (1.0 - n(1)) * (1.0 - k),
                        (1.0 - n(2)) * (1.0 - k),
                    );
                }
                "sc" | "scn" => match a.len() {
                    1 => state.fill = grey(n(0)),
                    3 => state.fill = rgb(n(0), n(1), n(2)),
                    _ => {}
                },
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    font = a
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| faces.faces.get(name));
                    size = n(1);
                }
                "Tc" => tc = n(0),
                "Tw" => tw = n(0),
                "Tz" => th = n(0) / 100.0,
                "TL" => tl = n(0),
                "Ts" => rise = n(0),
                "Tr" => invisible = n(0) as i64 == 3 || n(0) as i64 == 7,
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        tl = -n(1);
                    }
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator == "'" || op.operator == "\"" {
                        tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -tl], &tlm);
                        tm = tlm;
                    }
                    let Some(face) = font else {
                        continue;
                    };
                    let items: Vec<&Object> = match op.operator.as_str() {
                        "TJ" => a
                            .first()
                            .and_then(|o| o.as_array().ok())
                            .map(|v| v.iter().collect())
                            .unwrap_or_default(),
                        "\"" => a.get(2).into_iter().collect(),
                        _ => a.first().into_iter().collect(),
                    };
                    let trm0 = multiply(&tm, &state.ctm);
                    let (x0, y0) = apply(&trm0, 0.0, rise);
                    let scale = (trm0[2] * trm0[2] + trm0[3] * trm0[3]).sqrt();
                    let mut text = String::new();
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                let decoded = face.decode(bytes);
                                let mut advance = 0.0;
                                for (code, w) in face.codes(bytes) {
                                    let space = !face.two_byte && code == 32;
                                    advance +=
                                        (w / 1000.0 * size + tc + if space { tw } else { 0.0 })
                                            * th;
                                }
                                tm = multiply(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &tm);
                                text.push_str(&decoded);
                            }
                            other => {
                                let adjust = other.as_float().unwrap_or(0.0);
                                if adjust < -250.0 && !text.ends_with(' ') {
                                    text.push(' ');
                                }
                                tm = multiply(
                                    &[1.0, 0.0, 0.0, 1.0, -adjust / 1000.0 * size * th, 0.0],
                                    &tm,
                                );
                            }
                        }
                    }
                    let (x1, _) = apply(&multiply(&tm, &state.ctm), 0.0, rise);
                    if invisible || text.trim().is_empty() || self.pieces.len() >= MAX_PIECES {
                        continue;
                    }
                    let effective = (size * scale * 100.0).round() / 100.0;
                    self.pieces.push(Piece {
                        x0: x0.min(x1),
                        x1: x0.max(x1),
                        y: y0,
                        size: effective,
                        span: Span {
                            text,
                            size: effective,
                            bold: face.bold,
                            italic: face.italic,
                            font: face.family.clone(),
                            colour: state.fill,
                            underline: None,
                        },
                    });
                }
                "m" => {
                    let p = apply(&state.ctm, n(0), n(1));
                    current = Some(p);
                    start = Some(p);
                }
                "l" => {
                    let p = apply(&state.ctm, n(0), n(1));
                    if let Some(c) = current {
                        path.push((c.0, c.1, p.0, p.1));
                    }
                    current = Some(p);
                }
                "h" => {
                    if let (Some(c), Some(s)) = (current, start) {
                        path.push((c.0, c.1, s.0, s.1));
                    }
                }
                "re" => {
                    let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                    let p0 = apply(&state.ctm, x, y);
                    let p1 = apply(&state.ctm, x + w, y + h);
                    if (p1.1 - p0.1).abs() <= 2.5 && (p1.0 - p0.0).abs() > 8.0 {
                        path.push((p0.0, (p0.1 + p1.1) / 2.0, p1.0, (p0.1 + p1.1) / 2.0));
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    for &(x0, y0, x1, y1) in &path {
                        if (y1 - y0).abs() < 0.5
                            && (x1 - x0).abs() > 8.0
                            && self.rules.len() < MAX_RULES
                        {
                            self.rules.push(HRule {
                                x0: x0.min(x1),
                                x1: x0.max(x1),
                                y: (y0 + y1) / 2.0,
                            });
                        }
                    }
                    path.clear();
                    current = None;
                }
                "n" => {
                    path.clear();
                    current = None;
                }
                _ => {}
            }
        }
    }

    /// Lines of text as blocks, the page numbers, and the page's setup.
    fn finish(
        mut self,
        page: usize,
        width: f32,
        height: f32,
    ) -> (Vec<Block>, Vec<PageNumber>, PageSetup) {
        self.pieces.sort_by(|a, b| {
            b.y.partial_cmp(&a.y)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal))
        });
        // Pieces on one baseline form a line; a wide gap splits it into two blocks (the
        // header's two columns share baselines, as do Nơi nhận and the signer's title).
        let mut lines: Vec<Vec<Piece>> = Vec::new();
        for piece in self.pieces {
            match lines.last_mut() {
                Some(line) if (line[0].y - piece.y).abs() < 0.35 * piece.size.max(line[0].size) => {
                    line.push(piece)
                }
                _ => lines.push(vec![piece]),
            }
        }
        let mut segments: Vec<Vec<Piece>> = Vec::new();
        for mut line in lines {
            line.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal));
            let mut current: Vec<Piece> = Vec::new();
            for piece in line {
                if let Some(last) = current.last() {
                    let gap = piece.x0 - last.x1;
                    if gap > 2.5 * piece.size.max(last.size) {
                        segments.push(std::mem::take(&mut current));
                    } else if gap > 0.15 * piece.size && !last.span.text.ends_with(' ') {
                        let mut last = current.pop().unwrap_or_else(|| piece.clone());
                        last.span.text.push(' ');
                        current.push(last);
                    }
                }
                current.push(piece);
            }
            if !current.is_empty() {
                segments.push(current);
            }
        }
        let place = Place::Page(page);
        let mut numbers = Vec::new();
        let top_margin = crate::nd30::allowed::MARGIN_TOP.0 .0 * PT_PER_MM;
        let mut kept: Vec<Vec<Piece>> = Vec::new();
        for seg in segments {
            let text: String = seg.iter().map(|p| p.span.text.as_str()).collect();
            let text = text.trim();
            let y = seg[0].y;
            let in_margin = y > height - top_margin + 2.0 || y < top_margin - 2.0;
            if in_margin
                && !text.is_empty()
                && text.len() <= 4
                && text.chars().all(|c| c.is_ascii_digit())
            {
                let centre = (seg[0].x0 + seg[seg.len() - 1].x1) / 2.0;
                numbers.push(PageNumber {
                    place,
                    on_first_page: page == 1,
                    in_footer: y < height / 2.0,
                    size: seg[0].size,
                    centred: ((crate::nd30::MARGIN_LEFT.0 * PT_PER_MM + width
                        - crate::nd30::MARGIN_RIGHT.0 * PT_PER_MM)
                        / 2.0
                        - centre)
                        .abs()
                        < 30.0,
                });
                continue;
            }
            kept.push(seg);
        }
        let left = kept.iter().map(|s| s[0].x0).fold(f32::INFINITY, f32::min);
        let right = kept
            .iter()
            .map(|s| s[s.len() - 1].x1)
            .fold(f32::NEG_INFINITY, f32::max);
        let text_width = (right - left).max(1.0);
        let mut blocks = Vec::new();
        let mut extents: Vec<(f32, f32, f32, f32)> = Vec::new();
        for seg in &kept {
            let x0 = seg[0].x0;
            let x1 = seg[seg.len() - 1].x1;
            let size = seg.iter().map(|p| p.size).fold(0.0, f32::max);
            let text: String = seg.iter().map(|p| p.span.text.as_str()).collect();
            if !is_contact_line(text.trim()) {
                extents.push((x0, x1, seg[0].y + 0.7 * size, seg[0].y - 0.25 * size));
            }
            let centre = (x0 + x1) / 2.0;
            let column = if x1 - x0 > 0.6 * text_width {
                Column::Full
            } else if centre < left + 0.42 * text_width {
                Column::Left
            } else if centre > left + 0.58 * text_width {
                Column::Right
            } else {
                Column::Full
            };
            let container = page * 3
                + match column {
                    Column::Left => 0,
                    Column::Right => 1,
                    Column::Full => 2,
                };
            blocks.push(Block {
                place,
                column,
                container,
                spans: seg.iter().map(|p| p.span.clone()).collect(),
                align: None,
                first_indent: None,
                space_before: None,
                space_after: None,
                line_spacing: None,
                rule_below: None,
                page,
                x: Some((x0, x1)),
                in_table: false,
            });
        }
        // Each rule belongs to the nearest line above it that it lies under.
        let baselines: Vec<f32> = kept.iter().map(|s| s[0].y).collect();
        for rule in &self.rules {
            let mut best: Option<(usize, f32)> = None;
            for (i, block) in blocks.iter().enumerate() {
                let (x0, x1) = block.x.unwrap_or((0.0, 0.0));
                let size = block.size().max(1.0);
                let below = baselines[i] - rule.y;
                let overlaps = rule.x0 < x1 + 2.0 && rule.x1 > x0 - 2.0;
                if overlaps
                    && below > -0.3 * size
                    && below < 1.6 * size
                    && best.is_none_or(|(_, d)| below < d)
                {
                    best = Some((i, below));
                }
            }
            if let Some((i, _)) = best {
                if blocks[i].rule_below.is_none() {
                    blocks[i].rule_below = Some(Rule {
                        length: rule.x1 - rule.x0,
                        kind: RuleKind::Solid,
                    });
                }
            }
        }
        let margins = if extents.is_empty() {
            None
        } else {
            let l = extents.iter().map(|e| e.0).fold(f32::INFINITY, f32::min);
            let r = extents
                .iter()
                .map(|e| e.1)
                .fold(f32::NEG_INFINITY, f32::max);
            let t = extents
                .iter()
                .map(|e| e.2)
                .fold(f32::NEG_INFINITY, f32::max);
            let b = extents.iter().map(|e| e.3).fold(f32::INFINITY, f32::min);
            Some([
                (height - t) / PT_PER_MM,
                b / PT_PER_MM,
                l / PT_PER_MM,
                (width - r) / PT_PER_MM,
            ])
        };
        let appendix = blocks
            .iter()
            .find(|b| !b.is_empty())
            .is_some_and(|b| b.text().to_lowercase().starts_with("phụ lục"));
        let setup = PageSetup {
            place,
            width: width / PT_PER_MM,
            height: height / PT_PER_MM,
            margins,
            has_table: self.rules.len() >= 8,
            appendix,
        };
        (blocks, numbers, setup)
    }
}

fn grey(v: f32) -> Option<[u8; 3]> {
    rgb(v, v, v)
}

fn rgb(r: f32, g: f32, b: f32) -> Option<[u8; 3]> {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    let out = [c(r), c(g), c(b)];
    (out != [0, 0, 0]).then_some(out)
}
