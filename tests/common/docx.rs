//! A DOCX read the way Word reads it, with no office suite: the package's parts through
//! `zip`, their XML through `quick-xml`, styles resolved as WordprocessingML layers them
//! (run, character style, paragraph style, table style, document defaults). The checks
//! are those of `tests/checks/check_docx.py`, against Decree 30's ranges.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;

use quick_xml::events::Event;
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// One XML element: its qualified name (`w:p`), attributes, children and text.
#[derive(Debug, Default, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub text: String,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first descendant at `path` (`w:pPr/w:jc`).
    pub fn at(&self, path: &str) -> Option<&Node> {
        path.split('/').try_fold(self, |n, step| n.child(step))
    }

    /// Every descendant named `name`, in document order.
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants(name, out);
        }
    }

    pub fn all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.descendants(name, &mut out);
        out
    }
}

/// Parses `xml` into a tree (the root element).
pub fn parse(xml: &[u8]) -> Node {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut stack = vec![Node::default()];
    let mut buf = Vec::new();
    let element = |e: &quick_xml::events::BytesStart| Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("a well-formed attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .expect("an attribute value")
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    };
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let node = element(&e);
                stack.last_mut().unwrap().children.push(node);
            }
            Event::End(_) => {
                let node = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(node);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let name = r.into_inner();
                let text = match name.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    n => {
                        let code = n
                            .strip_prefix("#x")
                            .map(|h| u32::from_str_radix(h, 16))
                            .or_else(|| n.strip_prefix('#').map(str::parse))
                            .expect("a character reference")
                            .expect("a number");
                        char::from_u32(code).expect("a character").to_string()
                    }
                };
                stack.last_mut().unwrap().text.push_str(&text);
            }
            Event::CData(t) => stack.last_mut().unwrap().text.push_str(&t.into_inner()),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut root = stack.pop().unwrap();
    assert!(stack.is_empty(), "unclosed elements");
    root.children
        .pop()
        .expect("an XML document has a root element")
}

/// A DOCX package: every part by name.
pub struct Docx {
    pub parts: BTreeMap<String, Vec<u8>>,
}

/// A section's page (`w:sectPr`), in twentieths of a point.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    pub width: f64,
    pub height: f64,
    pub top: f64,
    pub bottom: f64,
    pub left: f64,
    pub right: f64,
    pub gutter: f64,
}

const TWIPS_PER_MM: f64 = 1440.0 / 25.4;
pub const TIMES: &str = "Times New Roman";

impl Section {
    pub fn landscape(&self) -> bool {
        self.width > self.height
    }
    pub fn mm(v: f64) -> f64 {
        v / TWIPS_PER_MM
    }
}

/// The text of a paragraph: `w:t`, with tabs and breaks as spaces.
pub fn paragraph_text(p: &Node) -> String {
    let mut out = String::new();
    fn walk(n: &Node, out: &mut String) {
        for c in &n.children {
            match c.name.as_str() {
                "w:t" => out.push_str(&c.text),
                "w:tab" | "w:br" | "w:cr" => out.push(' '),
                "w:noBreakHyphen" => out.push('-'),
                _ => walk(c, out),
            }
        }
    }
    walk(p, &mut out);
    out
}

fn run_text(r: &Node) -> String {
    r.children
        .iter()
        .filter(|c| c.name == "w:t")
        .map(|c| c.text.as_str())
        .collect()
}

/// Text with whitespace collapsed, in NFC.
pub fn normal(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Styles of `word/styles.xml`, to resolve a run's font and size.
struct Styles {
    by_id: BTreeMap<String, Node>,
    default_paragraph: Option<String>,
    defaults: Option<Node>,
}

impl Styles {
    fn read(doc: &Docx) -> Styles {
        let mut s = Styles {
            by_id: BTreeMap::new(),
            default_paragraph: None,
            defaults: None,
        };
        let Some(xml) = doc.parts.get("word/styles.xml") else {
            return s;
        };
        let root = parse(xml);
        s.defaults = root.at("w:docDefaults/w:rPrDefault/w:rPr").cloned();
        for style in root.children.iter().filter(|c| c.name == "w:style") {
            let id = style.attr("w:styleId").unwrap_or_default().to_string();
            if style.attr("w:type") == Some("paragraph")
                && matches!(style.attr("w:default"), Some("1" | "true" | "on"))
            {
                s.default_paragraph = Some(id.clone());
            }
            s.by_id.insert(id, style.clone());
        }
        s
    }

    /// The style and those it is based on, nearest first.
    fn chain(&self, id: Option<&str>) -> Vec<&Node> {
        let mut out: Vec<&Node> = Vec::new();
        let mut id = id.map(str::to_string);
        while let Some(s) = id.as_deref().and_then(|i| self.by_id.get(i)) {
            if out.iter().any(|o| std::ptr::eq(*o, s)) {
                break;
            }
            out.push(s);
            id = s
                .at("w:basedOn")
                .and_then(|b| b.attr("w:val"))
                .map(str::to_string);
        }
        out
    }
}

/// A text run with what it resolves to.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub ascii: String,
    pub h_ansi: String,
    pub size_pt: f64,
}

/// A paragraph with where it stands and its resolved runs.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub part: String,
    pub text: String,
    pub in_table: bool,
    pub justification: String,
    pub runs: Vec<Run>,
}

impl Docx {
    pub fn open(path: &Path) -> Docx {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(file)
            .unwrap_or_else(|e| panic!("{} is not a zip package: {e}", path.display()));
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            parts.insert(f.name().unwrap().to_string(), bytes);
        }
        Docx { parts }
    }

    pub fn xml(&self, part: &str) -> Node {
        parse(
            self.parts
                .get(part)
                .unwrap_or_else(|| panic!("no part {part}")),
        )
    }

    /// The document, header and footer parts, the document first.
    pub fn text_parts(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .parts
            .keys()
            .filter(|n| {
                n.strip_prefix("word/")
                    .and_then(|r| r.strip_suffix(".xml"))
                    .is_some_and(|s| {
                        s == "document"
                            || ["header", "footer"].iter().any(|k| {
                                s.strip_prefix(k)
                                    .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
                            })
                    })
            })
            .cloned()
            .collect();
        names.sort_by_key(|n| (n != "word/document.xml", n.clone()));
        names
    }

    /// Every `w:sectPr` of the body, in order.
    pub fn sections(&self) -> Vec<Section> {
        let doc = self.xml("word/document.xml");
        doc.all("w:sectPr")
            .into_iter()
            .map(|s| {
                let num = |path: &str, attr: &str| -> f64 {
                    s.at(path)
                        .and_then(|n| n.attr(attr))
                        .unwrap_or_else(|| panic!("sectPr without {path}@{attr}"))
                        .parse()
                        .unwrap()
                };
                Section {
                    width: num("w:pgSz", "w:w"),
                    height: num("w:pgSz", "w:h"),
                    top: num("w:pgMar", "w:top"),
                    bottom: num("w:pgMar", "w:bottom"),
                    left: num("w:pgMar", "w:left"),
                    right: num("w:pgMar", "w:right"),
                    gutter: s
                        .at("w:pgMar")
                        .and_then(|n| n.attr("w:gutter"))
                        .map_or(0.0, |g| g.parse().unwrap()),
                }
            })
            .collect()
    }

    /// Every paragraph of the document, headers and footers, with its runs resolved.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        let styles = Styles::read(self);
        let mut out = Vec::new();
        for part in self.text_parts() {
            let root = self.xml(&part);
            collect_paragraphs(&root, &part, None, false, &styles, &mut out);
        }
        out
    }

    /// The document's text in order: a line per paragraph, table cells as they come.
    pub fn text_in_order(&self) -> String {
        let root = self.xml("word/document.xml");
        let body = root.child("w:body").expect("w:body");
        let mut out = String::new();
        fn walk(n: &Node, out: &mut String) {
            for c in &n.children {
                match c.name.as_str() {
                    "w:p" => {
                        out.push_str(&paragraph_text(c));
                        out.push('\n');
                    }
                    "w:tbl" | "w:tr" | "w:tc" | "w:sdt" | "w:sdtContent" => walk(c, out),
                    _ => {}
                }
            }
        }
        walk(body, &mut out);
        out
    }

    /// The parts the body's sections name as headers and footers, through the rels.
    pub fn header_footer_parts(&self) -> Vec<String> {
        let rels = self.xml("word/_rels/document.xml.rels");
        let doc = self.xml("word/document.xml");
        let mut out = Vec::new();
        for kind in ["w:headerReference", "w:footerReference"] {
            for r in doc.all(kind) {
                let id = r.attr("r:id").expect("a reference's r:id");
                let rel = rels
                    .children
                    .iter()
                    .find(|x| x.attr("Id") == Some(id))
                    .unwrap_or_else(|| panic!("{kind} {id} has no relationship"));
                let target = format!("word/{}", rel.attr("Target").unwrap());
                out.push(target);
            }
        }
        out
    }
}

fn collect_paragraphs(
    n: &Node,
    part: &str,
    table_style: Option<&str>,
    in_table: bool,
    styles: &Styles,
    out: &mut Vec<Paragraph>,
) {
    for c in &n.children {
        match c.name.as_str() {
            "w:p" => out.push(paragraph(c, part, table_style, in_table, styles)),
            "w:tbl" => {
                let ts = c.at("w:tblPr/w:tblStyle").and_then(|s| s.attr("w:val"));
                collect_paragraphs(c, part, ts, true, styles, out);
            }
            _ => collect_paragraphs(c, part, table_style, in_table, styles, out),
        }
    }
}

fn paragraph(
    p: &Node,
    part: &str,
    table_style: Option<&str>,
    in_table: bool,
    styles: &Styles,
) -> Paragraph {
    let pstyle = p
        .at("w:pPr/w:pStyle")
        .and_then(|s| s.attr("w:val"))
        .or(styles.default_paragraph.as_deref());
    let justification = p
        .at("w:pPr/w:jc")
        .and_then(|j| j.attr("w:val"))
        .or_else(|| {
            styles
                .chain(pstyle)
                .iter()
                .find_map(|s| s.at("w:pPr/w:jc").and_then(|j| j.attr("w:val")))
        })
        .unwrap_or("left")
        .to_string();
    let runs = p
        .all("w:r")
        .into_iter()
        .map(|r| {
            // The layers of run properties, the most specific first.
            let mut layers: Vec<&Node> = Vec::new();
            if let Some(rpr) = r.child("w:rPr") {
                layers.push(rpr);
                let rstyle = rpr.at("w:rStyle").and_then(|s| s.attr("w:val"));
                layers.extend(styles.chain(rstyle).iter().filter_map(|s| s.child("w:rPr")));
            }
            layers.extend(styles.chain(pstyle).iter().filter_map(|s| s.child("w:rPr")));
            layers.extend(
                styles
                    .chain(table_style)
                    .iter()
                    .filter_map(|s| s.child("w:rPr")),
            );
            layers.extend(styles.defaults.iter());
            let font = |attr: &str| {
                layers
                    .iter()
                    .find_map(|l| {
                        let f = l.child("w:rFonts")?;
                        f.attr(&format!("{attr}Theme"))
                            .map(|t| format!("(theme {t})"))
                            .or_else(|| f.attr(attr).map(str::to_string))
                    })
                    .unwrap_or_else(|| "(unset)".to_string())
            };
            let size_pt = layers
                .iter()
                .find_map(|l| l.at("w:sz")?.attr("w:val")?.parse::<f64>().ok())
                .map_or(10.0, |half| half / 2.0);
            Run {
                text: run_text(r),
                ascii: font("w:ascii"),
                h_ansi: font("w:hAnsi"),
                size_pt,
            }
        })
        .collect();
    Paragraph {
        part: part.to_string(),
        text: paragraph_text(p),
        in_table,
        justification,
        runs,
    }
}

/// What `check` found wrong; empty when the file passes.
#[derive(Debug, Default)]
pub struct Findings(pub Vec<String>);

impl Findings {
    fn fail(&mut self, check: &str, why: String) {
        self.0.push(format!("{check}: {why}"));
    }
    pub fn assert_clean(&self, file: &Path) {
        assert!(
            self.0.is_empty(),
            "{} fails the format checks:\n{}",
            file.display(),
            self.0.join("\n")
        );
    }
}

pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// Decree 30's basics on a DOCX (those of `check_docx.py`, but LibreOffice's page
/// count): A4 in every section; portrait margins in the Decree's ranges; every run in
/// Times New Roman; body paragraphs 13–14 pt; the Quốc hiệu, the Tiêu ngữ and each of
/// `expect` in the text; all text NFC; every header and footer the sections name exists.
pub fn check(path: &Path, expect: &[&str]) -> Findings {
    let doc = Docx::open(path);
    let mut found = Findings::default();
    let sections = doc.sections();
    if sections.is_empty() {
        found.fail("page_size", "no w:sectPr".into());
    }
    for (i, s) in sections.iter().enumerate() {
        let (w, h) = (Section::mm(s.width), Section::mm(s.height));
        let want = if s.landscape() {
            (297.0, 210.0)
        } else {
            (210.0, 297.0)
        };
        if (w - want.0).abs() > 1.0 || (h - want.1).abs() > 1.0 {
            found.fail("page_size", format!("section {}: {w:.1}x{h:.1} mm", i + 1));
        }
        if s.landscape() {
            continue;
        }
        let tol = 0.2;
        for (label, v, lo, hi) in [
            ("top", s.top, 20.0, 25.0),
            ("bottom", s.bottom, 20.0, 25.0),
            ("left", s.left + s.gutter, 30.0, 35.0),
            ("right", s.right, 15.0, 20.0),
        ] {
            let mm = Section::mm(v);
            if !(lo - tol..=hi + tol).contains(&mm) {
                found.fail(
                    "margins",
                    format!("section {}: {label} {mm:.1} mm not in {lo}-{hi}", i + 1),
                );
            }
        }
    }
    for part in doc.header_footer_parts() {
        if !doc.parts.contains_key(&part) {
            found.fail("header_footer", format!("{part} is named but absent"));
        }
    }
    let paragraphs = doc.paragraphs();
    let mut runs = 0;
    for p in &paragraphs {
        for r in p.runs.iter().filter(|r| !r.text.trim().is_empty()) {
            runs += 1;
            if r.ascii != TIMES || r.h_ansi != TIMES {
                found.fail(
                    "font_name",
                    format!(
                        "{}: {:?} in {}/{}",
                        p.part,
                        r.text.trim(),
                        r.ascii,
                        r.h_ansi
                    ),
                );
            }
            if !is_nfc(&r.text) {
                found.fail("nfc", format!("{}: {:?}", p.part, r.text));
            }
        }
    }
    if runs == 0 {
        found.fail("font_name", "no text runs".into());
    }
    let mut body = 0;
    for p in paragraphs
        .iter()
        .filter(|p| p.part == "word/document.xml" && !p.in_table)
        .take_while(|p| !normal(&p.text).to_lowercase().starts_with("nơi nhận"))
    {
        if p.text.chars().filter(|c| !c.is_whitespace()).count() < 20
            || matches!(p.justification.as_str(), "center" | "right" | "end")
        {
            continue;
        }
        body += 1;
        for r in p.runs.iter().filter(|r| !r.text.trim().is_empty()) {
            if !(13.0..=14.0).contains(&r.size_pt) {
                found.fail(
                    "body_size",
                    format!("{:?} has a run of {} pt", normal(&p.text), r.size_pt),
                );
            }
        }
    }
    if body == 0 {
        found.fail("body_size", "no body paragraphs".into());
    }
    let text = normal(
        &paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    for needle in [NATIONAL_TITLE, MOTTO].iter().chain(expect) {
        if !text.contains(&normal(needle)) {
            found.fail("text", format!("{needle:?} not found"));
        }
    }
    found
}
