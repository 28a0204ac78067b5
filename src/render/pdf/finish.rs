//! The last steps of a PDF, after layout: the characters each font draws (which `embed`
//! cuts the fonts down to), and a lopdf pass for what printpdf cannot write: the
//! language, an empty signature field over the signer's block, PDF 1.7, and a stable file
//! identifier, so the same document always gives the same bytes (printpdf's ids come
//! from a process-wide counter).

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{dictionary, Object, StringFormat};
use printpdf::{FontId, Op, PdfFontHandle, TextItem};

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
/// third of a report's rendering time; see [`zlib`] for what is used instead. The
/// embedded fonts come deflated already (see `embed`).
pub(super) fn compress(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let Some(compressed) = zlib(&stream.content) else {
                continue;
            };
            if compressed.len() + 19 < stream.content.len() {
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
pub(super) fn zlib(bytes: &[u8]) -> Option<Vec<u8>> {
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
    fn a_stream_is_deflated_once_and_reads_back_as_itself() {
        let content: Vec<u8> = (0..6011u32).map(|i| (i % 5) as u8).collect();
        let mut lo = lopdf::Document::with_version("1.7");
        let id = lo.add_object(lopdf::Stream::new(
            lopdf::Dictionary::new(),
            content.clone(),
        ));
        compress(&mut lo);
        let once = lo.get_object(id).unwrap().as_stream().unwrap().clone();
        assert_eq!(
            once.dict.get(b"Filter").unwrap().as_name().unwrap(),
            b"FlateDecode"
        );
        assert!(once.content.len() < content.len());
        assert_eq!(once.decompressed_content().unwrap(), content);
        // A filtered stream is left as it is.
        compress(&mut lo);
        assert_eq!(
            lo.get_object(id).unwrap().as_stream().unwrap().content,
            once.content
        );
    }

    #[test]
    fn field_names_are_ascii() {
        assert_eq!(field_name("Phạm Tiến Nhuận"), "ChuKy_Pham_Tien_Nhuan");
        assert_eq!(field_name("Đỗ Thị Ánh"), "ChuKy_Do_Thi_Anh");
        assert_eq!(field_name("  "), "ChuKy");
    }
}
