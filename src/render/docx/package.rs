//! The DOCX archive around a body: our own package parts ([`super::parts`]), each
//! deflated with the fixed timestamp of 1980-01-01, so the bytes are deterministic.
//!
//! Everything but the body and the core properties is the same in every document with
//! the same contact line: each such part is deflated once into an archive of its own,
//! from which every document copies it as it is (deflating them again for each
//! document was half of a DOCX's time).

use std::collections::HashMap;
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex, OnceLock};

use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use super::parts;

/// One entry of the archive, in order.
enum Part {
    /// The same in every document of its contact line: a one-entry archive holding it.
    Fixed(Arc<Vec<u8>>),
    Document,
    Core,
}

/// The parts around a body, ready to pack.
pub(super) struct Frame {
    parts: Vec<Part>,
}

/// Packages built so far, by contact line; a run has a handful.
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

/// The package for documents with the contact line `contact` (ô 13), from the cache or
/// built.
pub(super) fn frame(contact: Option<&str>) -> zip::result::ZipResult<Arc<Frame>> {
    let cache = FRAMES.get_or_init(Default::default);
    let key = contact.map(str::to_string);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let frame = Arc::new(build(contact)?);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= FRAMES_MAX {
            c.clear();
        }
        c.insert(key, Arc::clone(&frame));
    }
    Ok(frame)
}

/// The entries, `[Content_Types].xml` first, then each part after the one that points
/// to it.
fn build(contact: Option<&str>) -> zip::result::ZipResult<Frame> {
    let fixed = |name: &str, xml: String| -> zip::result::ZipResult<Part> {
        let mut one = ZipWriter::new(Cursor::new(Vec::new()));
        one.start_file(name, options())?;
        one.write_all(xml.as_bytes())?;
        Ok(Part::Fixed(Arc::new(one.finish()?.into_inner())))
    };
    let footers = contact.is_some();
    let mut entries = vec![
        fixed("[Content_Types].xml", parts::content_types::xml(footers))?,
        fixed("_rels/.rels", parts::relationships::package())?,
        fixed("docProps/app.xml", parts::app::xml())?,
        Part::Core,
        fixed(
            "word/_rels/document.xml.rels",
            parts::relationships::document(footers),
        )?,
        Part::Document,
        fixed("word/styles.xml", parts::styles::xml())?,
        fixed("word/settings.xml", parts::settings::xml())?,
        fixed("word/fontTable.xml", parts::font_table::xml())?,
        fixed("word/theme/theme1.xml", parts::theme::xml())?,
        fixed("word/header1.xml", parts::header_footer::page_number())?,
        fixed("word/header2.xml", parts::header_footer::empty_header())?,
    ];
    if let Some(text) = contact {
        entries.push(fixed(
            "word/footer1.xml",
            parts::header_footer::empty_footer(),
        )?);
        entries.push(fixed(
            "word/footer2.xml",
            parts::header_footer::contact(text),
        )?);
    }
    Ok(Frame { parts: entries })
}

impl Frame {
    /// The archive of one document: its body and core properties, the rest copied as
    /// deflated once.
    pub(super) fn pack(&self, document: &[u8], core: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
        let mut w = ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3)));
        for p in &self.parts {
            match p {
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
            }
        }
        Ok(w.finish()?.into_inner())
    }
}
