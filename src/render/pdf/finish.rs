//! The last steps of a PDF, after layout: fonts cut down to the glyphs the document uses
//! (printpdf without its `text_layout` feature embeds whole fonts, ~850 KB a file), and a
//! lopdf pass for what printpdf cannot write: the language, an empty signature field over
//! the signer's block, PDF 1.7, and a stable file identifier, so the same document always
//! gives the same bytes (printpdf's ids come from a process-wide counter).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use lopdf::{dictionary, Object, StringFormat};
use printpdf::{FontId, Op, ParsedFont, PdfFontHandle, TextItem};
use sha2::{Digest, Sha256};

/// Where an empty signature field goes: a page (0-based) and a rectangle in PDF
/// coordinates (points, bottom-up: x1, y1, x2, y2).
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureBox {
    pub page: usize,
    pub rect: [f32; 4],
    /// Field name (/T), ASCII, from the signer's name: "ChuKy_Pham_Tien_Nhuan".
    pub name: String,
}

/// Where a text field the văn thư fills at issue goes (the number, the day, the month):
/// a page (0-based), a rectangle in PDF coordinates, its name, and the font it is filled
/// in (an index of [`crate::fonts::FaceStyle`], `F1`… in the page resources) and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextFieldBox {
    pub page: usize,
    pub rect: [f32; 4],
    pub name: &'static str,
    pub font: usize,
    pub size: f32,
}

/// Calls `f` with each piece of text the pages show and the font it is shown in, in
/// drawing order.
pub(super) fn for_each_text<'a>(pages: &'a [Vec<Op>], mut f: impl FnMut(&'a FontId, &'a str)) {
    for ops in pages {
        let mut current: Option<&FontId> = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(id),
                Op::ShowText { items } => {
                    if let Some(id) = current {
                        for item in items {
                            if let TextItem::Text(t) = item {
                                f(id, t);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Characters drawn with each font, read off the page operators.
pub(super) fn used_chars(pages: &[Vec<Op>]) -> BTreeMap<FontId, BTreeSet<char>> {
    // ASCII, most of what is drawn, as bits; only the rest goes into a tree as it comes
    // (inserting every character drawn into one was most of this walk).
    let mut used: BTreeMap<&FontId, (u128, BTreeSet<char>)> = BTreeMap::new();
    for_each_text(pages, |id, text| {
        let (ascii, other) = used.entry(id).or_default();
        for c in text.chars() {
            if c.is_ascii() {
                *ascii |= 1u128 << (c as u32);
            } else {
                other.insert(c);
            }
        }
    });
    used.into_iter()
        .map(|(id, (ascii, other))| {
            let low = (0u8..128)
                .filter(|b| ascii & (1u128 << b) != 0)
                .map(char::from);
            (id.clone(), low.chain(other).collect())
        })
        .collect()
}

/// A font holding only the glyphs of `chars` (plus .notdef), with a Unicode cmap so the
/// PDF's ToUnicode map and text extraction still give back the exact text. The face name
/// carries a subset tag made from the glyph set (ISO 32000-1, 9.6.4), so it is the same
/// for the same text. `None` if the font cannot be subset; the caller keeps the full font.
pub(super) fn subset_font(
    full: &ParsedFont,
    name: &str,
    chars: &BTreeSet<char>,
) -> Option<ParsedFont> {
    let mut gids: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| full.codepoint_to_glyph.get(&(*c as u32)).copied())
        .collect();
    gids.remove(&0);
    let mut order = vec![0u16];
    order.extend(gids);
    // Documents of one run share most of their glyphs (a reminder per unit differs
    // only in the unit's name): a subset made once is reused.
    let cache = SUBSETS.get_or_init(Default::default);
    let key = (name.to_string(), order.clone());
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Some(hit);
    }
    let font = make_subset(full, name, chars, &order)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() > 256 {
            c.clear();
        }
        c.insert(key, font.clone());
    }
    Some(font)
}

type SubsetCache = Mutex<HashMap<(String, Vec<u16>), ParsedFont>>;
static SUBSETS: OnceLock<SubsetCache> = OnceLock::new();
/// Embedded fonts deflated so far, by length: each with its bytes, to compare whole.
type StreamCache = Mutex<HashMap<usize, Vec<CompressedStream>>>;

/// A stream's bytes and their deflated form.
struct CompressedStream {
    plain: std::sync::Arc<Vec<u8>>,
    deflated: std::sync::Arc<Vec<u8>>,
}
static STREAMS: OnceLock<StreamCache> = OnceLock::new();

/// Forgets the subsets and compressed streams made so far (for benchmarks that measure
/// a first rendering).
pub fn clear_caches() {
    if let Some(Ok(mut c)) = SUBSETS.get().map(Mutex::lock) {
        c.clear();
    }
    if let Some(Ok(mut c)) = STREAMS.get().map(Mutex::lock) {
        c.clear();
    }
}

fn make_subset(
    full: &ParsedFont,
    name: &str,
    chars: &BTreeSet<char>,
    order: &[u16],
) -> Option<ParsedFont> {
    // Our subsetter reads only the glyphs kept (see `truetype`); allsorts for a font it
    // does not handle.
    let mappings: Vec<(u32, u16)> = chars
        .iter()
        .filter_map(|c| Some((*c as u32, *full.codepoint_to_glyph.get(&(*c as u32))?)))
        .collect();
    let bytes = match super::truetype::subset(&full.original_bytes, order, &mappings) {
        Some(bytes) => bytes,
        None => {
            let scope = ReadScope::new(&full.original_bytes);
            let data = scope.read::<FontData<'_>>().ok()?;
            let provider = data.table_provider(full.font_index as usize).ok()?;
            subset(&provider, order, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?
        }
    };
    // The subset numbers its glyphs in the order given (composite glyphs' parts, if
    // any, come after), so the maps are known without parsing the new font again —
    // which, walking every code point of its cmap, cost more than the subsetting.
    let new_gid = |old: u16| order.iter().position(|g| *g == old).map(|i| i as u16);
    // Built field by field: cloning the whole font (its bytes and its maps of every
    // glyph) only to replace them was most of the cost.
    let codepoint_to_glyph = chars
        .iter()
        .filter_map(|c| {
            let old = *full.codepoint_to_glyph.get(&(*c as u32))?;
            Some((*c as u32, new_gid(old)?))
        })
        .collect();
    let glyph_widths = order
        .iter()
        .enumerate()
        .filter_map(|(i, old)| Some((i as u16, *full.glyph_widths.get(old)?)))
        .collect();
    let digest = Sha256::digest(
        order
            .iter()
            .flat_map(|g| g.to_be_bytes())
            .collect::<Vec<u8>>(),
    );
    let tag: String = digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    Some(ParsedFont {
        original_bytes: bytes,
        font_index: 0,
        font_name: Some(format!("{tag}+{name}")),
        codepoint_to_glyph,
        glyph_widths,
        units_per_em: full.units_per_em,
        font_metrics: full.font_metrics.clone(),
        font_type: full.font_type,
        pdf_font_metrics: full.pdf_font_metrics.clone(),
    })
}

/// What the lopdf pass needs to know of the document.
pub(super) struct Finish<'a> {
    /// BCP 47 language of the text (/Lang).
    pub language: &'a str,
    /// The signature fields, in signing order: the signer's, then the agency's seal.
    pub signatures: &'a [SignatureBox],
    /// The text fields over the issue blanks, after the signature fields.
    pub text_fields: &'a [TextFieldBox],
    /// A hash of the document's content: the /ID is its first 16 bytes.
    pub identity: [u8; 32],
}

/// Puts `contents` in as the content streams of the pages, in page order.
pub(super) fn set_contents(
    lo: &mut lopdf::Document,
    contents: Vec<Vec<u8>>,
) -> Result<(), lopdf::Error> {
    let pages = lo.get_pages();
    for (page_id, content) in pages.values().zip(contents) {
        let stream_id = lo
            .get_object(*page_id)?
            .as_dict()?
            .get(b"Contents")?
            .as_reference()?;
        lo.get_object_mut(stream_id)?
            .as_stream_mut()?
            .set_content(content);
    }
    Ok(())
}

/// Applies the lopdf pass and serialises the file.
pub(super) fn finish(mut lo: lopdf::Document, f: &Finish<'_>) -> Result<Vec<u8>, lopdf::Error> {
    lo.version = "1.7".into();
    let pages = lo.get_pages();
    let mut fields = Vec::new();
    for sig in f.signatures {
        if let Some(&page_id) = pages.get(&(sig.page as u32 + 1)) {
            let [x1, y1, x2, y2] = sig.rect;
            let widget = dictionary! {
                "Type" => "Annot",
                "Subtype" => "Widget",
                "FT" => "Sig",
                "T" => Object::String(sig.name.clone().into_bytes(), StringFormat::Literal),
                "Rect" => vec![x1.into(), y1.into(), x2.into(), y2.into()],
                "F" => 4,
                "P" => page_id,
            };
            fields.push(add_widget(&mut lo, page_id, widget)?);
        }
    }
    // Text fields, drawn in the page's own embedded font: the văn thư's tool (or
    // `vanthu issue`) fills them, as a certification signature with DocMDP P=2 allows.
    let mut fonts: Option<Object> = None;
    for field in f.text_fields {
        if let Some(&page_id) = pages.get(&(field.page as u32 + 1)) {
            if fonts.is_none() {
                fonts = lo
                    .get_object(page_id)
                    .and_then(Object::as_dict)
                    .and_then(|p| p.get(b"Resources"))
                    .and_then(|r| match r {
                        Object::Reference(id) => lo.get_object(*id),
                        other => Ok(other),
                    })
                    .and_then(Object::as_dict)
                    .and_then(|r| r.get(b"Font"))
                    .ok()
                    .cloned();
            }
            let [x1, y1, x2, y2] = field.rect;
            let da = format!("/F{} {} Tf 0 g", field.font + 1, field.size);
            let widget = dictionary! {
                "Type" => "Annot",
                "Subtype" => "Widget",
                "FT" => "Tx",
                "T" => Object::String(field.name.as_bytes().to_vec(), StringFormat::Literal),
                "Rect" => vec![x1.into(), y1.into(), x2.into(), y2.into()],
                "F" => 4,
                "P" => page_id,
                "DA" => Object::String(da.into_bytes(), StringFormat::Literal),
                // The number runs on into "/BC-UBND": right-aligned; the day and
                // the month are centred in their blanks.
                "Q" => if field.name == crate::nd30::NUMBER_FIELD { 2 } else { 1 },
                "MaxLen" => 5,
            };
            fields.push(add_widget(&mut lo, page_id, widget)?);
        }
    }
    let catalog = lo.catalog_mut()?;
    catalog.set(
        "Lang",
        Object::String(f.language.as_bytes().to_vec(), StringFormat::Literal),
    );
    if !fields.is_empty() {
        let mut form = dictionary! { "Fields" => fields, "SigFlags" => 1 };
        if let Some(fonts) = fonts {
            form.set("DR", dictionary! { "Font" => fonts });
            form.set(
                "DA",
                Object::String(b"/F1 13 Tf 0 g".to_vec(), StringFormat::Literal),
            );
        }
        catalog.set("AcroForm", form);
    }
    // printpdf marks every file as PDF/X, which it is not.
    if let Ok(Object::Reference(info_id)) = lo.trailer.get(b"Info") {
        let info_id = *info_id;
        if let Ok(info) = lo.get_object_mut(info_id).and_then(Object::as_dict_mut) {
            info.remove(b"GTS_PDFXVersion");
            info.remove(b"Identifier");
            info.remove(b"Keywords");
        }
    }
    let id = Object::String(f.identity[..16].to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", vec![id.clone(), id]);
    compress(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)?;
    Ok(out)
}

/// Adds a field's widget annotation to its page; returns the reference /Fields lists.
fn add_widget(
    lo: &mut lopdf::Document,
    page_id: lopdf::ObjectId,
    widget: lopdf::Dictionary,
) -> Result<Object, lopdf::Error> {
    let widget_id = lo.add_object(widget);
    let page = lo.get_object_mut(page_id)?.as_dict_mut()?;
    let mut annots = match page.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    annots.push(widget_id.into());
    page.set("Annots", annots);
    Ok(Object::Reference(widget_id))
}

/// Deflates every stream not yet filtered. lopdf's own `compress` (zlib at level 9) was a
/// third of a report's rendering time; see [`zlib`] for what is used instead.
///
/// The embedded fonts (the same in most documents of a run) are compressed once per
/// process and reused: found by their length, then compared byte for byte (a memcmp, far
/// cheaper than hashing them).
pub(super) fn compress(lo: &mut lopdf::Document) {
    use std::sync::Arc;
    let cache = STREAMS.get_or_init(Default::default);
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            // An embedded font (a FontFile2 stream, which alone carries /Length1): the
            // page contents, never the same twice, would only crowd the fonts out of
            // the cache.
            let font = stream.dict.has(b"Length1");
            if font {
                let hit = cache.lock().ok().and_then(|c| {
                    c.get(&stream.content.len())?
                        .iter()
                        .find(|e| *e.plain == stream.content)
                        .map(|e| Arc::clone(&e.deflated))
                });
                if let Some(deflated) = hit {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(deflated.as_ref().clone());
                    continue;
                }
            }
            let Some(compressed) = zlib(&stream.content) else {
                continue;
            };
            if compressed.len() + 19 < stream.content.len() {
                if let (true, Ok(mut c)) = (font, cache.lock()) {
                    // A run embeds a handful of distinct fonts; never let it grow.
                    if c.values().map(Vec::len).sum::<usize>() > 64 {
                        c.clear();
                    }
                    c.entry(stream.content.len())
                        .or_default()
                        .push(CompressedStream {
                            plain: Arc::new(stream.content.clone()),
                            deflated: Arc::new(compressed.clone()),
                        });
                }
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
}

/// libdeflate's level for the PDF's streams. On the sample's 87 streams (fonts 70 % of
/// the bytes, page contents the rest) its level 4 made 1 % less than zlib's level 6
/// (zlib-rs, used before) in 63 % of the time. Level 1, libdeflate's fastest, makes the
/// sample period's PDFs 3 % larger (491 → 505 kB) and a first rendering 13 % faster
/// (`bench --loop pdf-cold`, eleven documents: 20.4 → 17.7 ms): each commune of a batch
/// embeds its own font subsets, so their compression is paid per commune.
const COMPRESSION_LEVEL: i32 = 1;

thread_local! {
    /// A compressor per thread: setting one up (its hash tables) cost as much as
    /// compressing a small stream.
    static COMPRESSOR: std::cell::RefCell<Option<libdeflater::Compressor>> =
        const { std::cell::RefCell::new(None) };
}

/// `bytes` in the zlib format (RFC 1950) that /FlateDecode reads; `None` if libdeflate
/// refuses (it does not for a buffer of its own bound).
fn zlib(bytes: &[u8]) -> Option<Vec<u8>> {
    let level = libdeflater::CompressionLvl::new(COMPRESSION_LEVEL).ok()?;
    COMPRESSOR.with(|cell| {
        let mut cell = cell.borrow_mut();
        let compressor = cell.get_or_insert_with(|| libdeflater::Compressor::new(level));
        let mut out = vec![0; compressor.zlib_compress_bound(bytes.len())];
        let n = compressor.zlib_compress(bytes, &mut out).ok()?;
        out.truncate(n);
        Some(out)
    })
}

/// The agency seal's signature field name (stable, ASCII).
pub const SEAL_FIELD: &str = "DauCoQuan";

/// The agency's signature field on appendices issued in a file of their own.
pub const APPENDIX_SEAL_FIELD: &str = "KySoPhuLuc";

/// The signer's signature field name: "ChuKy_" and the signer's name without diacritics.
pub(super) fn field_name(signer: &str) -> String {
    let words: Vec<String> = crate::text::fold(signer)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect();
    if words.is_empty() {
        "ChuKy".into()
    } else {
        format!("ChuKy_{}", words.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_stream_is_reused_only_for_the_same_bytes() {
        use std::io::Read;
        let deflated_back = |content: Vec<u8>| {
            let mut lo = lopdf::Document::with_version("1.7");
            // A font file, as the cache keeps only those.
            let dict = dictionary! { "Length1" => content.len() as i64 };
            let id = lo.add_object(lopdf::Stream::new(dict, content));
            compress(&mut lo);
            let stream = lo.get_object(id).unwrap().as_stream().unwrap().clone();
            let mut plain = Vec::new();
            flate2::read::ZlibDecoder::new(&stream.content[..])
                .read_to_end(&mut plain)
                .unwrap();
            plain
        };
        let a: Vec<u8> = (0..6000u32).map(|i| (i % 7) as u8).collect();
        let mut b = a.clone();
        b[5000] = 255;
        // Same length, one byte apart: each comes back as itself, the first time and
        // from the cache.
        for _ in 0..2 {
            assert_eq!(deflated_back(a.clone()), a);
            assert_eq!(deflated_back(b.clone()), b);
        }
    }

    /// Whether the stream cache holds a stream of `len` bytes.
    fn cached(len: usize) -> bool {
        STREAMS
            .get()
            .and_then(|c| c.lock().ok().map(|c| c.contains_key(&len)))
            .unwrap_or(false)
    }

    #[test]
    fn a_page_content_stream_is_compressed_but_not_kept() {
        // A length no other test uses: the cache is the process's.
        let content: Vec<u8> = (0..6011u32).map(|i| (i % 5) as u8).collect();
        let mut lo = lopdf::Document::with_version("1.7");
        let id = lo.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), content));
        compress(&mut lo);
        let stream = lo.get_object(id).unwrap().as_stream().unwrap();
        assert!(stream.dict.get(b"Filter").is_ok());
        assert!(!cached(6011));
    }

    #[test]
    fn the_subset_maps_are_those_its_own_cmap_gives() {
        let full =
            ParsedFont::from_bytes(crate::fonts::FaceStyle::Bold.bytes(), 0, &mut Vec::new())
                .unwrap();
        let chars: BTreeSet<char> = "Ủy ban nhân dân xã Phú Thái – “BÁO CÁO” 2025 ./."
            .chars()
            .collect();
        let ours = subset_font(&full, "LiberationSerif-Bold", &chars).unwrap();
        let parsed = ParsedFont::from_bytes(&ours.original_bytes, 0, &mut Vec::new()).unwrap();
        for c in &chars {
            let code = *c as u32;
            assert_eq!(
                ours.codepoint_to_glyph.get(&code),
                parsed.codepoint_to_glyph.get(&code),
                "{c:?}"
            );
            let gid = ours.codepoint_to_glyph[&code];
            assert_eq!(
                ours.glyph_widths.get(&gid),
                parsed.glyph_widths.get(&gid),
                "{c:?}"
            );
        }
        assert!(ours
            .font_name
            .as_deref()
            .unwrap()
            .ends_with("+LiberationSerif-Bold"));
    }

    #[test]
    fn field_names_are_ascii() {
        assert_eq!(field_name("Phạm Tiến Nhuận"), "ChuKy_Pham_Tien_Nhuan");
        assert_eq!(field_name("Đỗ Thị Ánh"), "ChuKy_Do_Thi_Anh");
        assert_eq!(field_name("  "), "ChuKy");
    }
}
