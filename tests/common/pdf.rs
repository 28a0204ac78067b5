//! A PDF read with lopdf, no poppler: pages and their sizes, the fonts and whether each
//! is embedded, subset and mapped to Unicode, and the text with where each word stands
//! (glyph ids through the font's ToUnicode map, advances through its widths), in the
//! order the content streams draw it, as `pdftotext -raw` reads it.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A word on a page: its text and box in points, top-down (as `pdftotext -bbox`).
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: ObjectId,
    pub width: f32,
    pub height: f32,
    /// Lines in drawing order, each its words joined by a space.
    pub lines: Vec<String>,
    pub words: Vec<Word>,
}

/// A font as a page's resources name it.
#[derive(Debug, Clone, Default)]
pub struct Font {
    pub base_name: String,
    pub embedded: bool,
    pub to_unicode: BTreeMap<u32, String>,
    pub widths: BTreeMap<u32, f32>,
    pub default_width: f32,
    pub ascent: f32,
    pub descent: f32,
    /// Bytes per character code: 2 for Identity-H, else 1.
    pub code_bytes: usize,
}

pub struct Pdf {
    pub doc: Document,
    pub pages: Vec<Page>,
    /// Every font of every page, by object (or by resource name when inline).
    pub fonts: BTreeMap<String, Font>,
}

fn number(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("a number, not {other:?}"),
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).expect("a reference resolves"),
        other => other,
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    match resolve(doc, o) {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        other => panic!("a dictionary, not {other:?}"),
    }
}

/// A page attribute, inherited from the page tree where the page lacks it.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    loop {
        if let Ok(v) = d.get(key) {
            return Some(v);
        }
        d = dict(doc, d.get(b"Parent").ok()?);
    }
}

fn hex_units(s: &str) -> Vec<u32> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(4)
        .map(|c| u32::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect()
}

fn utf16(units: &[u32]) -> String {
    let u: Vec<u16> = units.iter().map(|&x| x as u16).collect();
    String::from_utf16_lossy(&u)
}

/// The `bfchar` and `bfrange` entries of a ToUnicode CMap.
fn parse_cmap(text: &str) -> BTreeMap<u32, String> {
    let mut map = BTreeMap::new();
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace())
        .flat_map(|t| {
            // `<0001><0041>` and `[<..>` come without spaces too.
            let mut parts = Vec::new();
            let mut start = 0;
            for (i, c) in t.char_indices() {
                if c == '<' || c == '[' || c == ']' {
                    if i > start {
                        parts.push(&t[start..i]);
                    }
                    start = i;
                    if c != '<' {
                        parts.push(&t[i..=i]);
                        start = i + 1;
                    }
                }
            }
            if start < t.len() {
                parts.push(&t[start..]);
            }
            parts
        })
        .filter(|t| !t.is_empty())
        .collect();
    let code = |t: &str| -> u32 {
        u32::from_str_radix(t.trim_matches(|c| c == '<' || c == '>'), 16).unwrap()
    };
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "beginbfchar" => {
                i += 1;
                while tokens[i] != "endbfchar" {
                    map.insert(code(tokens[i]), utf16(&hex_units(tokens[i + 1])));
                    i += 2;
                }
            }
            "beginbfrange" => {
                i += 1;
                while tokens[i] != "endbfrange" {
                    let (lo, hi) = (code(tokens[i]), code(tokens[i + 1]));
                    if tokens[i + 2] == "[" {
                        let mut j = i + 3;
                        let mut c = lo;
                        while tokens[j] != "]" {
                            map.insert(c, utf16(&hex_units(tokens[j])));
                            c += 1;
                            j += 1;
                        }
                        i = j + 1;
                    } else {
                        let mut units = hex_units(tokens[i + 2]);
                        for c in lo..=hi {
                            map.insert(c, utf16(&units));
                            *units.last_mut().unwrap() += 1;
                        }
                        i += 3;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

fn read_font(doc: &Document, font: &Dictionary) -> Font {
    let name = |d: &Dictionary, k: &[u8]| -> String {
        d.get(k)
            .ok()
            .and_then(|o| o.as_name().ok())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    };
    let mut f = Font {
        base_name: name(font, b"BaseFont"),
        default_width: 1000.0,
        code_bytes: 1,
        ..Font::default()
    };
    if let Ok(tu) = font.get(b"ToUnicode") {
        if let Object::Stream(s) = resolve(doc, tu) {
            let bytes = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            f.to_unicode = parse_cmap(&String::from_utf8_lossy(&bytes));
        }
    }
    let descendant = if name(font, b"Subtype") == "Type0" {
        f.code_bytes = if name(font, b"Encoding") == "Identity-H" {
            2
        } else {
            1
        };
        font.get(b"DescendantFonts")
            .ok()
            .and_then(|d| resolve(doc, d).as_array().ok())
            .and_then(|a| a.first())
            .map(|d| dict(doc, d))
    } else {
        None
    };
    let metrics = descendant.unwrap_or(font);
    if let Some(cid) = descendant {
        if let Ok(dw) = cid.get(b"DW") {
            f.default_width = number(resolve(doc, dw));
        }
        if let Ok(w) = cid.get(b"W") {
            let w = resolve(doc, w).as_array().unwrap();
            let mut i = 0;
            while i < w.len() {
                let first = number(resolve(doc, &w[i])) as u32;
                match resolve(doc, &w[i + 1]) {
                    Object::Array(list) => {
                        for (k, v) in list.iter().enumerate() {
                            f.widths.insert(first + k as u32, number(resolve(doc, v)));
                        }
                        i += 2;
                    }
                    last => {
                        let (last, width) = (number(last) as u32, number(resolve(doc, &w[i + 2])));
                        for c in first..=last {
                            f.widths.insert(c, width);
                        }
                        i += 3;
                    }
                }
            }
        }
    } else if let (Ok(first), Ok(widths)) = (font.get(b"FirstChar"), font.get(b"Widths")) {
        let first = number(resolve(doc, first)) as u32;
        for (k, v) in resolve(doc, widths).as_array().unwrap().iter().enumerate() {
            f.widths.insert(first + k as u32, number(resolve(doc, v)));
        }
    }
    if let Ok(fd) = metrics.get(b"FontDescriptor") {
        let fd = dict(doc, fd);
        f.embedded = [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|k| fd.get(k).is_ok());
        f.ascent = fd.get(b"Ascent").map_or(0.0, |a| number(resolve(doc, a)));
        f.descent = fd.get(b"Descent").map_or(0.0, |a| number(resolve(doc, a)));
    }
    f
}

/// One drawn character: its text, where its box starts and ends, its baseline (PDF
/// coordinates, bottom-up) and size.
struct Drawn {
    text: String,
    x0: f32,
    x1: f32,
    baseline: f32,
    size: f32,
    ascent: f32,
    descent: f32,
}

impl Pdf {
    pub fn open(path: &Path) -> Pdf {
        let doc = Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Pdf::from_document(doc)
    }

    pub fn load_mem(bytes: &[u8]) -> Pdf {
        Pdf::from_document(Document::load_mem(bytes).expect("a PDF lopdf reads"))
    }

    fn from_document(doc: Document) -> Pdf {
        let mut fonts = BTreeMap::new();
        let mut pages = Vec::new();
        for (_, &id) in doc.get_pages().iter() {
            let page = doc.get_dictionary(id).unwrap();
            let media = inherited(&doc, page, b"MediaBox").expect("a MediaBox");
            let media: Vec<f32> = resolve(&doc, media)
                .as_array()
                .unwrap()
                .iter()
                .map(|o| number(resolve(&doc, o)))
                .collect();
            let (width, height) = (media[2] - media[0], media[3] - media[1]);
            // The page's fonts by resource name.
            let mut by_name: BTreeMap<Vec<u8>, Font> = BTreeMap::new();
            if let Some(res) = inherited(&doc, page, b"Resources") {
                if let Ok(fd) = dict(&doc, res).get(b"Font") {
                    for (name, f) in dict(&doc, fd).iter() {
                        let key = match f {
                            Object::Reference(r) => format!("{} {}", r.0, r.1),
                            _ => String::from_utf8_lossy(name).into_owned(),
                        };
                        let font = read_font(&doc, dict(&doc, f));
                        fonts.insert(key, font.clone());
                        by_name.insert(name.clone(), font);
                    }
                }
            }
            let drawn = draw(&doc, id, &by_name);
            let (lines, words) = lines_and_words(&drawn, height);
            pages.push(Page {
                id,
                width,
                height,
                lines,
                words,
            });
        }
        Pdf { doc, pages, fonts }
    }

    /// The whole text, a line per line, pages in order.
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .map(|p| p.lines.join("\n"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every line of every page, in drawing order.
    pub fn lines(&self) -> Vec<String> {
        self.pages.iter().flat_map(|p| p.lines.clone()).collect()
    }

    /// The words of page `n` (1-based).
    pub fn words(&self, n: usize) -> &[Word] {
        &self.pages[n - 1].words
    }
}

/// Runs the text operators of a page's content and returns every character drawn.
fn draw(doc: &Document, page: ObjectId, fonts: &BTreeMap<Vec<u8>, Font>) -> Vec<Drawn> {
    let content = doc
        .get_and_decode_page_content(page)
        .expect("a content stream lopdf parses");
    let mut out = Vec::new();
    // Text matrix [a b c d e f] and line matrix; font, size, spacing.
    let mut tm = [1.0f32, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut lm = tm;
    let mut font: Option<&Font> = None;
    let mut size = 0.0f32;
    let (mut char_spacing, mut word_spacing, mut leading) = (0.0f32, 0.0f32, 0.0f32);
    let nums = |ops: &[Object]| -> Vec<f32> { ops.iter().map(number).collect() };
    for op in &content.operations {
        match op.operator.as_str() {
            "BT" => {
                tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
                lm = tm;
            }
            "Tm" => {
                let v = nums(&op.operands);
                tm = [v[0], v[1], v[2], v[3], v[4], v[5]];
                lm = tm;
            }
            "Td" | "TD" => {
                let v = nums(&op.operands);
                if op.operator == "TD" {
                    leading = -v[1];
                }
                lm[4] += v[0] * lm[0] + v[1] * lm[2];
                lm[5] += v[0] * lm[1] + v[1] * lm[3];
                tm = lm;
            }
            "T*" => {
                lm[4] += -leading * lm[2];
                lm[5] += -leading * lm[3];
                tm = lm;
            }
            "TL" => leading = number(&op.operands[0]),
            "Tc" => char_spacing = number(&op.operands[0]),
            "Tw" => word_spacing = number(&op.operands[0]),
            "Tf" => {
                let name = op.operands[0].as_name().unwrap();
                font = fonts.get(name);
                assert!(font.is_some(), "Tf names a font the page has");
                size = number(&op.operands[1]);
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let f = font.expect("a font is set before text");
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => op.operands[0].as_array().unwrap().iter().collect(),
                    _ => vec![op.operands.last().unwrap()],
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            for code in bytes.chunks(f.code_bytes) {
                                let c = code.iter().fold(0u32, |a, &b| (a << 8) | b as u32);
                                let w = f.widths.get(&c).copied().unwrap_or(f.default_width);
                                let advance = w / 1000.0 * size
                                    + char_spacing
                                    + if f.code_bytes == 1 && c == 32 {
                                        word_spacing
                                    } else {
                                        0.0
                                    };
                                let x0 = tm[4];
                                let x1 = x0 + w / 1000.0 * size * tm[0];
                                out.push(Drawn {
                                    text: f.to_unicode.get(&c).cloned().unwrap_or_else(|| {
                                        panic!(
                                            "code {c:04X} of {} has no ToUnicode entry",
                                            f.base_name
                                        )
                                    }),
                                    x0,
                                    x1,
                                    baseline: tm[5],
                                    size: size * tm[3],
                                    ascent: f.ascent / 1000.0,
                                    descent: f.descent / 1000.0,
                                });
                                tm[4] += advance * tm[0];
                            }
                        }
                        other => tm[4] -= number(other) / 1000.0 * size * tm[0],
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Lines in drawing order (a new line where the baseline changes or the pen moves
/// back), words split at spaces and at gaps wider than a fifth of the size.
fn lines_and_words(drawn: &[Drawn], height: f32) -> (Vec<String>, Vec<Word>) {
    let mut lines: Vec<String> = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut line = String::new();
    let mut word: Option<Word> = None;
    let mut prev: Option<&Drawn> = None;
    let flush_word = |word: &mut Option<Word>, words: &mut Vec<Word>| {
        if let Some(w) = word.take() {
            words.push(w);
        }
    };
    for d in drawn {
        let new_line = prev.is_none_or(|p| {
            (p.baseline - d.baseline).abs() > 0.3 * d.size.max(1.0) || d.x0 < p.x0 - 0.5
        });
        let gap = prev.is_some_and(|p| d.x0 - p.x1 > 0.2 * d.size);
        if new_line {
            flush_word(&mut word, &mut words);
            let done = std::mem::take(&mut line);
            if !done.trim().is_empty() {
                lines.push(done.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        } else if gap {
            flush_word(&mut word, &mut words);
            line.push(' ');
        }
        prev = Some(d);
        if d.text.trim().is_empty() {
            flush_word(&mut word, &mut words);
            line.push(' ');
            continue;
        }
        line.push_str(&d.text);
        let (top, bottom) = (
            height - (d.baseline + d.ascent * d.size),
            height - (d.baseline + d.descent * d.size),
        );
        match &mut word {
            Some(w) => {
                w.text.push_str(&d.text);
                w.x_max = w.x_max.max(d.x1);
                w.y_min = w.y_min.min(top);
                w.y_max = w.y_max.max(bottom);
            }
            None => {
                word = Some(Word {
                    text: d.text.clone(),
                    x_min: d.x0,
                    y_min: top,
                    x_max: d.x1,
                    y_max: bottom,
                })
            }
        }
    }
    flush_word(&mut word, &mut words);
    if !line.trim().is_empty() {
        lines.push(line.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    (lines, words)
}

/// What `check` found wrong.
pub use super::docx::Findings;

const A4: (f32, f32) = (595.28, 841.89);

/// Decree 30's basics on a PDF (those of `check_pdf.py`, without qpdf): a PDF header;
/// every page A4 (either way round); every font embedded, subset (`ABCDEF+` tag) and
/// mapped to Unicode; the Quốc hiệu, the Tiêu ngữ and each of `expect` in the text.
pub fn check(path: &Path, expect: &[&str]) -> Findings {
    let bytes = std::fs::read(path).unwrap();
    let mut found = Findings(Vec::new());
    if !bytes.starts_with(b"%PDF-") {
        found.0.push("header: no %PDF-".into());
    }
    let pdf = Pdf::load_mem(&bytes);
    if pdf.pages.is_empty() {
        found.0.push("pages: none".into());
    }
    for (i, p) in pdf.pages.iter().enumerate() {
        let portrait = (p.width - A4.0).abs() <= 2.0 && (p.height - A4.1).abs() <= 2.0;
        let landscape = (p.width - A4.1).abs() <= 2.0 && (p.height - A4.0).abs() <= 2.0;
        if !portrait && !landscape {
            found.0.push(format!(
                "page_size: page {} is {}x{} pt",
                i + 1,
                p.width,
                p.height
            ));
        }
    }
    if pdf.fonts.is_empty() {
        found.0.push("fonts: none".into());
    }
    for f in pdf.fonts.values() {
        if !f.embedded {
            found.0.push(format!("fonts_embedded: {}", f.base_name));
        }
        if f.to_unicode.is_empty() {
            found.0.push(format!("fonts_tounicode: {}", f.base_name));
        }
        let tag = f.base_name.split('+').next().unwrap_or_default();
        if !(f.base_name.contains('+')
            && tag.len() == 6
            && tag.chars().all(|c| c.is_ascii_uppercase()))
        {
            found.0.push(format!("fonts_subset: {}", f.base_name));
        }
    }
    let text = super::docx::normal(&pdf.text());
    for needle in [super::docx::NATIONAL_TITLE, super::docx::MOTTO]
        .iter()
        .chain(expect)
    {
        if !text.contains(&super::docx::normal(needle)) {
            found.0.push(format!("text: {needle:?} not found"));
        }
    }
    found
}
