//! The DOCX archive around a body: docx-rs's package parts, in docx-rs's order, each
//! deflated (docx-rs stores them uncompressed; Word deflates them) with the fixed
//! timestamp of 1980-01-01, so the bytes are deterministic.
//!
//! Everything but the body, the core properties and the header and footer parts (whose
//! paragraph ids follow the body's) is the same in every document with the same contact
//! footer: docx-rs builds it once per footer text, and each such part is deflated once
//! into an archive of its own, from which every document copies it as it is. Building
//! and deflating those parts again for each document was half of a DOCX's time.

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex, OnceLock};

use docx_rs::XMLDocx;
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// One entry of the archive, in order.
enum Part {
    Directory(&'static str),
    /// The same in every document of its footer: a one-entry archive holding it.
    Fixed(Arc<Vec<u8>>),
    Document,
    Core,
    /// `word/header{n}.xml` for index n − 1.
    Header(usize),
    Footer(usize),
}

/// What docx-rs builds around a body, ready to pack.
pub(super) struct Frame {
    parts: Vec<Part>,
    headers: Vec<String>,
    footers: Vec<String>,
}

/// Packages built so far, by contact footer text; a run has a handful.
type FrameCache = Mutex<HashMap<Option<String>, Arc<Frame>>>;
static FRAMES: OnceLock<FrameCache> = OnceLock::new();
const FRAMES_MAX: usize = 64;

/// The deflate options of every entry: level 1, which on the bench report costs 15 %
/// fewer instructions per DOCX than level 6 for a file 36 % larger (23 KB against
/// 17 KB), which no user of a 3-page report notices.
fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(zip::DateTime::default())
}

/// The package for documents with footer `contact`, from the cache or built by
/// `build` (which must depend on `contact` alone).
pub(super) fn frame(
    contact: Option<&str>,
    build: impl FnOnce() -> XMLDocx,
) -> zip::result::ZipResult<Arc<Frame>> {
    let cache = FRAMES.get_or_init(Default::default);
    let key = contact.map(str::to_string);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let frame = Arc::new(frame_of(build())?);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= FRAMES_MAX {
            c.clear();
        }
        c.insert(key, Arc::clone(&frame));
    }
    Ok(frame)
}

/// Headers or footers: their part name, how many, their relationships, their entry.
type Side<'a> = (&'a str, usize, &'a [Vec<u8>], fn(usize) -> Part);

/// The entries in the order docx-rs's own packer writes them. Media, task panes and
/// custom XML are refused: this packer does not write them, and none of our packages
/// has them.
fn frame_of(xml: XMLDocx) -> zip::result::ZipResult<Frame> {
    if !xml.media.is_empty()
        || xml.taskpanes.is_some()
        || !xml.web_extensions.is_empty()
        || !xml.custom_items.is_empty()
    {
        return Err(zip::result::ZipError::UnsupportedArchive(
            "docx-rs wrote a part vanthu does not pack",
        ));
    }
    let fixed = |name: &str, bytes: &[u8]| -> zip::result::ZipResult<Part> {
        let mut one = ZipWriter::new(Cursor::new(Vec::new()));
        one.start_file(name, options())?;
        one.write_all(bytes)?;
        Ok(Part::Fixed(Arc::new(one.finish()?.into_inner())))
    };
    let mut parts = vec![
        Part::Directory("word/"),
        Part::Directory("word/_rels"),
        Part::Directory("_rels/"),
        Part::Directory("docProps/"),
        fixed("[Content_Types].xml", &xml.content_type)?,
        fixed("_rels/.rels", &xml.rels)?,
        fixed("docProps/app.xml", &xml.doc_props.app)?,
        Part::Core,
        fixed("docProps/custom.xml", &xml.doc_props.custom)?,
        fixed("word/_rels/document.xml.rels", &xml.document_rels)?,
        Part::Document,
        fixed("word/styles.xml", &xml.styles)?,
        fixed("word/settings.xml", &xml.settings)?,
        fixed("word/fontTable.xml", &xml.font_table)?,
        fixed("word/comments.xml", &xml.comments)?,
        fixed("word/numbering.xml", &xml.numberings)?,
        fixed("word/commentsExtended.xml", &xml.comments_extended)?,
        fixed("word/footnotes.xml", &xml.footnotes)?,
    ];
    // Each header, then each footer, with its relationships after it.
    let sides: [Side<'_>; 2] = [
        ("header", xml.headers.len(), &xml.header_rels, Part::Header),
        ("footer", xml.footers.len(), &xml.footer_rels, Part::Footer),
    ];
    for (kind, count, rels, part) in sides {
        for i in 0..count {
            parts.push(part(i));
            if let Some(rels) = rels.get(i) {
                parts.push(fixed(
                    &format!("word/_rels/{kind}{}.xml.rels", i + 1),
                    rels,
                )?);
            }
        }
    }
    let text = |parts: &[Vec<u8>]| -> Vec<String> {
        parts
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    Ok(Frame {
        parts,
        headers: text(&xml.headers),
        footers: text(&xml.footers),
    })
}

impl Frame {
    /// The archive of one document: its body and core properties, and the frame's
    /// headers and footers as `part` makes them (numbering their paragraph ids on from
    /// the body's), the rest copied as deflated once.
    pub(super) fn pack(
        &self,
        document: &[u8],
        core: &[u8],
        mut part: impl FnMut(&str) -> Vec<u8>,
    ) -> zip::result::ZipResult<Vec<u8>> {
        let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3)));
        for p in &self.parts {
            match p {
                Part::Directory(name) => w.add_directory(*name, options())?,
                Part::Fixed(one) => {
                    let mut archive = zip::ZipArchive::new(Cursor::new(one.as_slice()))?;
                    w.raw_copy_file(archive.by_index_raw(0)?)?;
                }
                Part::Document => {
                    w.start_file("word/document.xml", options())?;
                    w.write_all(document)?;
                }
                Part::Core => {
                    w.start_file("docProps/core.xml", options())?;
                    w.write_all(core)?;
                }
                Part::Header(i) => {
                    w.start_file(format!("word/header{}.xml", i + 1), options())?;
                    w.write_all(&part(&self.headers[*i]))?;
                }
                Part::Footer(i) => {
                    w.start_file(format!("word/footer{}.xml", i + 1), options())?;
                    w.write_all(&part(&self.footers[*i]))?;
                }
            }
        }
        Ok(w.finish()?.into_inner())
    }
}
