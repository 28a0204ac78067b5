//! The fonts a PDF embeds (phông chữ nhúng): each face cut down to the characters the
//! document draws with it, and the objects that describe it (ISO 32000-1 §9.7): a Type0
//! font over a CIDFontType2 descendant with Identity-H codes (the glyph ids), its
//! /W widths, its descriptor, the TrueType program (FontFile2) and the ToUnicode map
//! that gives the text back.
//!
//! Written here, not by printpdf: printpdf rebuilt all of it for every document (the
//! subset's bytes copied five times over, the ToUnicode map formatted and deflated again,
//! the program compared byte for byte with the ones deflated before), while the documents
//! of a run repeat a few subsets. A subset and its objects are made once per process,
//! program and map already deflated, and each file that draws with it gets a copy.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset as allsorts_subset, CmapTarget, SubsetProfile};
use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream};
use printpdf::{FontId, ParsedFont};
use sha2::{Digest, Sha256};

use crate::fonts::FaceStyle;

/// A face cut down to a document's characters, with its PDF objects.
pub(super) struct Subset {
    /// The cut-down face: its bytes, and its cmap and widths by the new glyph ids (what
    /// the content streams are encoded with).
    pub font: ParsedFont,
    /// The FontFile2 stream, deflated.
    program: Stream,
    /// The ToUnicode CMap stream, deflated.
    to_unicode: Stream,
    /// The FontDescriptor, but for its /FontFile2.
    descriptor: Dictionary,
    /// The CIDFontType2 descendant, but for its /FontDescriptor.
    descendant: Dictionary,
    /// The Type0 font, but for its /ToUnicode and /DescendantFonts.
    font_dict: Dictionary,
}

/// What tells two subsets apart: the face and the characters it keeps.
type SubsetKey = (FaceStyle, Vec<char>);
type SubsetCache = Mutex<HashMap<SubsetKey, Arc<Subset>>>;
static SUBSETS: OnceLock<SubsetCache> = OnceLock::new();

/// Forgets the subsets made so far (for benchmarks that measure a first rendering).
pub fn clear_caches() {
    if let Some(Ok(mut c)) = SUBSETS.get().map(Mutex::lock) {
        c.clear();
    }
}

/// `full` cut down to the glyphs of `chars` (plus .notdef), with its objects. The face
/// name carries a subset tag made from the glyph set (ISO 32000-1, 9.6.4), so it is the
/// same for the same text. A face that cannot be cut down is embedded whole, under its
/// own name.
pub(super) fn subset(style: FaceStyle, chars: &BTreeSet<char>) -> Arc<Subset> {
    let key = (style, chars.iter().copied().collect());
    // Documents of one run share most of their glyphs (a reminder per unit differs
    // only in the unit's name): a subset made once is reused.
    let cache = SUBSETS.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let full = super::face(style);
    let name = style.postscript_name();
    let font = cut_down(full, name, chars).unwrap_or_else(|| ParsedFont {
        font_name: Some(name.to_string()),
        ..full.clone()
    });
    let made = Arc::new(describe(font, chars));
    if let Ok(mut c) = cache.lock() {
        if c.len() > 256 {
            c.clear();
        }
        c.insert(key, Arc::clone(&made));
    }
    made
}

/// The face holding only the glyphs of `chars`, with a Unicode cmap of them.
fn cut_down(full: &ParsedFont, name: &str, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    let mut gids: BTreeSet<u16> = chars
        .iter()
        .filter_map(|c| full.codepoint_to_glyph.get(&(*c as u32)).copied())
        .collect();
    gids.remove(&0);
    let mut order = vec![0u16];
    order.extend(gids);
    // Our subsetter reads only the glyphs kept (see `truetype`); allsorts for a font it
    // does not handle.
    let mappings: Vec<(u32, u16)> = chars
        .iter()
        .filter_map(|c| Some((*c as u32, *full.codepoint_to_glyph.get(&(*c as u32))?)))
        .collect();
    let bytes = match super::truetype::subset(&full.original_bytes, &order, &mappings) {
        Some(bytes) => bytes,
        None => {
            let scope = ReadScope::new(&full.original_bytes);
            let data = scope.read::<FontData<'_>>().ok()?;
            let provider = data.table_provider(full.font_index as usize).ok()?;
            allsorts_subset(&provider, &order, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?
        }
    };
    // The subset numbers its glyphs in the order given (composite glyphs' parts, if
    // any, come after), so the maps are known without parsing the new font again —
    // which, walking every code point of its cmap, cost more than the subsetting.
    let new_gid: HashMap<u16, u16> = order
        .iter()
        .enumerate()
        .map(|(i, old)| (*old, i as u16))
        .collect();
    // Built field by field: cloning the whole font (its bytes and its maps of every
    // glyph) only to replace them was most of the cost.
    let codepoint_to_glyph = mappings
        .iter()
        .filter_map(|(c, old)| Some((*c, *new_gid.get(old)?)))
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

/// The width PDFs assume for a glyph /W does not list (/DW).
const DEFAULT_WIDTH: i64 = 1000;

/// The subset's PDF objects, as printpdf 0.12 wrote them for a TrueType face (the same
/// metrics, flags and names), but for the ToUnicode map's header, the standard
/// Adobe-Identity-UCS one.
fn describe(font: ParsedFont, chars: &BTreeSet<char>) -> Subset {
    // Each glyph with the character its text is. Where the face draws two with one
    // glyph, the one outside the Private Use Area: the bundled Italic's "ﬁ" is both
    // U+FB01 and U+F001 (see the test); else the first.
    let private = |c: char| ('\u{e000}'..='\u{f8ff}').contains(&c);
    let mut text_of: BTreeMap<u16, char> = BTreeMap::new();
    for c in chars {
        if let Some(gid) = font.lookup_glyph_index(*c as u32) {
            let text = text_of.entry(gid).or_insert(*c);
            if private(*text) && !private(*c) {
                *text = *c;
            }
        }
    }
    text_of.remove(&0);
    let name = font.font_name.clone().unwrap_or_default();
    let metrics = &font.pdf_font_metrics;
    let scale = if metrics.units_per_em == 0 {
        1.0
    } else {
        1000.0 / f32::from(metrics.units_per_em)
    };
    let scaled = |v: i64| (v as f32 * scale).round() as i64;
    let ascent = scaled(i64::from(font.font_metrics.ascent));
    let descent = scaled(i64::from(font.font_metrics.descent));
    // The slant in degrees, counter-clockwise from upright (so negative for an italic),
    // from hhea's caret slope.
    let italic_angle = if metrics.caret_slope_rise == 0 {
        0
    } else {
        (-f32::from(metrics.caret_slope_run)
            .atan2(f32::from(metrics.caret_slope_rise))
            .to_degrees())
        .round() as i64
    };
    // Table 123: non-symbolic (bit 6), italic (bit 7) when slanted.
    let flags = (1 << 5) | if italic_angle != 0 { 1 << 6 } else { 0 };
    // No table holds the stem width: estimated from usWeightClass, as producers do.
    let stem_v = if metrics.us_weight_class == 0 {
        80
    } else {
        50 + (f32::from(metrics.us_weight_class) / 65.0).powi(2).round() as i64
    };
    let face = || Object::Name(name.clone().into_bytes());
    let descriptor = dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => face(),
        "Ascent" => ascent,
        "Descent" => descent,
        // Without its text layout, printpdf reads no cap height: the ascent stands in.
        "CapHeight" => ascent,
        "ItalicAngle" => italic_angle,
        "Flags" => flags,
        "StemV" => stem_v,
        "FontBBox" => vec![
            scaled(i64::from(metrics.x_min)).into(),
            scaled(i64::from(metrics.y_min)).into(),
            scaled(i64::from(metrics.x_max)).into(),
            scaled(i64::from(metrics.y_max)).into(),
        ],
    };
    let descendant = dictionary! {
        "Type" => "Font",
        "BaseFont" => face(),
        "Subtype" => "CIDFontType2",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "W" => widths(&font, text_of.keys().copied()),
        "DW" => DEFAULT_WIDTH,
        "CIDToGIDMap" => "Identity",
    };
    let font_dict = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => face(),
        "Encoding" => "Identity-H",
    };
    let program_dict = dictionary! { "Length1" => font.original_bytes.len() as i64 };
    let program = deflated(program_dict, &font.original_bytes);
    let to_unicode = deflated(Dictionary::new(), to_unicode_cmap(&text_of).as_bytes());
    Subset {
        font,
        program,
        to_unicode,
        descriptor,
        descendant,
        font_dict,
    }
}

/// A stream of `content`, deflated unless that would not make it smaller.
fn deflated(mut dict: Dictionary, content: &[u8]) -> Stream {
    match super::finish::zlib(content) {
        Some(z) if z.len() + 19 < content.len() => {
            dict.set("Filter", "FlateDecode");
            Stream::new(dict, z)
        }
        _ => Stream::new(dict, content.to_vec()),
    }
}

/// /W: the widths of `gids` (ascending) in thousandths of an em, a run of consecutive
/// ids as one array after its first id.
fn widths(font: &ParsedFont, gids: impl Iterator<Item = u16>) -> Vec<Object> {
    let upm = f32::from(font.pdf_font_metrics.units_per_em.max(1));
    let mut out = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut next: Option<u16> = None;
    for gid in gids {
        let width = font
            .get_glyph_width(gid)
            .map_or(0, |w| (f32::from(w) * 1000.0 / upm) as i64);
        if next != Some(gid) && !run.is_empty() {
            out.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            out.push(i64::from(gid).into());
        }
        run.push(width.into());
        next = gid.checked_add(1);
    }
    if !run.is_empty() {
        out.push(Object::Array(run));
    }
    out
}

/// The ToUnicode CMap (ISO 32000-1 §9.10.3): each glyph id to its character in
/// UTF-16BE, in `bfchar` blocks of at most 100 entries, one entry a line.
fn to_unicode_cmap(text_of: &BTreeMap<u16, char>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &char)> = text_of.iter().collect();
    for block in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for (gid, c) in block {
            let _ = write!(out, "<{gid:04X}> <");
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str(">\n");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Adds each subset's objects to `lo` and names them in the pages' font resources, which
/// every page shares.
pub(super) fn add(lo: &mut lopdf::Document, fonts: &[(FontId, Arc<Subset>)]) -> lopdf::Result<()> {
    let Some(&page) = lo.get_pages().values().next() else {
        return Ok(());
    };
    let resources = match lo.get_object(page)?.as_dict()?.get(b"Resources")? {
        Object::Reference(id) => *id,
        _ => return Err(lopdf::Error::DictKey("Resources".into())),
    };
    let font_resources: ObjectId = lo
        .get_object(resources)?
        .as_dict()?
        .get(b"Font")?
        .as_reference()?;
    let mut named = Vec::with_capacity(fonts.len());
    for (id, subset) in fonts {
        let program = lo.add_object(subset.program.clone());
        let to_unicode = lo.add_object(subset.to_unicode.clone());
        let mut descriptor = subset.descriptor.clone();
        descriptor.set("FontFile2", program);
        let descriptor = lo.add_object(descriptor);
        let mut descendant = subset.descendant.clone();
        descendant.set("FontDescriptor", descriptor);
        let mut font = subset.font_dict.clone();
        font.set("ToUnicode", to_unicode);
        font.set("DescendantFonts", vec![Object::Dictionary(descendant)]);
        named.push((id.0.clone(), lo.add_object(font)));
    }
    let dict = lo.get_object_mut(font_resources)?.as_dict_mut()?;
    for (name, font) in named {
        dict.set(name, font);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page file holding `subset` as font F2, and the font's reference.
    fn in_a_file(subset: &Arc<Subset>) -> (lopdf::Document, Object) {
        let mut lo = lopdf::Document::with_version("1.7");
        let fonts_id = lo.add_object(Dictionary::new());
        let resources = lo.add_object(dictionary! { "Font" => fonts_id });
        let pages = lo.new_object_id();
        let page = lo.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Resources" => resources,
        });
        lo.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = lo.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        lo.trailer.set("Root", catalog);
        add(&mut lo, &[(FontId("F2".into()), Arc::clone(subset))]).unwrap();
        let font = lo
            .get_object(fonts_id)
            .and_then(Object::as_dict)
            .and_then(|d| d.get(b"F2"))
            .unwrap()
            .clone();
        (lo, font)
    }

    /// Each character the file's ToUnicode map names, with its glyph: read as `vanthu
    /// issue` reads it to fill the number and date.
    fn text_map(subset: &Arc<Subset>) -> HashMap<char, u32> {
        let (lo, font) = in_a_file(subset);
        crate::issue::glyphs_of(&lo, &font)
    }

    #[test]
    fn the_subset_maps_are_those_its_own_cmap_gives() {
        let full = super::super::face(FaceStyle::Bold);
        let chars: BTreeSet<char> = "Ủy ban nhân dân xã Phú Thái – “BÁO CÁO” 2025 ./."
            .chars()
            .collect();
        let ours = subset(FaceStyle::Bold, &chars);
        let parsed = ParsedFont::from_bytes(&ours.font.original_bytes, 0, &mut Vec::new()).unwrap();
        for c in &chars {
            let code = *c as u32;
            assert_eq!(
                ours.font.codepoint_to_glyph.get(&code),
                parsed.codepoint_to_glyph.get(&code),
                "{c:?}"
            );
            let gid = ours.font.codepoint_to_glyph[&code];
            assert_eq!(
                ours.font.glyph_widths.get(&gid),
                parsed.glyph_widths.get(&gid),
                "{c:?}"
            );
            assert_eq!(
                ours.font.glyph_widths.get(&gid),
                full.glyph_widths.get(&full.codepoint_to_glyph[&code]),
                "{c:?}"
            );
        }
        assert!(ours
            .font
            .font_name
            .as_deref()
            .unwrap()
            .ends_with("+LiberationSerif-Bold"));
    }

    #[test]
    fn the_text_map_gives_back_every_character_and_the_widths_are_its_glyphs() {
        let full = super::super::face(FaceStyle::Bold);
        let chars: BTreeSet<char> = (' '..='~').chain("ĐđƯươỦủẾếỳ–“”…".chars()).collect();
        let ours = subset(FaceStyle::Bold, &chars);
        let map = text_map(&ours);
        assert_eq!(map.len(), chars.len());
        for c in &chars {
            let gid = ours.font.codepoint_to_glyph[&(*c as u32)];
            assert_eq!(map.get(c), Some(&u32::from(gid)), "{c:?}");
        }
        // /W lists the same glyphs, each with its advance in thousandths of an em.
        let w = ours.descendant.get(b"W").unwrap().as_array().unwrap();
        let mut listed = BTreeMap::new();
        for pair in w.chunks(2) {
            let first = pair[0].as_i64().unwrap() as u16;
            for (i, width) in pair[1].as_array().unwrap().iter().enumerate() {
                listed.insert(first + i as u16, width.as_i64().unwrap());
            }
        }
        assert_eq!(listed.len(), chars.len());
        let upm = f32::from(full.pdf_font_metrics.units_per_em);
        for c in &chars {
            let gid = ours.font.codepoint_to_glyph[&(*c as u32)];
            let advance = f32::from(full.glyph_widths[&full.codepoint_to_glyph[&(*c as u32)]]);
            assert_eq!(listed[&gid], (advance * 1000.0 / upm) as i64, "{c:?}");
        }
    }

    #[test]
    fn a_glyph_two_characters_share_reads_as_the_one_outside_the_private_use_area() {
        let private = |c: u32| (0xE000..=0xF8FF).contains(&c);
        let mut shared = 0;
        for style in FaceStyle::ALL {
            let face = super::super::face(style);
            let mut by_glyph: HashMap<u16, Vec<u32>> = HashMap::new();
            for (c, gid) in &face.codepoint_to_glyph {
                by_glyph.entry(*gid).or_default().push(*c);
            }
            for (gid, group) in by_glyph {
                if gid == 0 || group.len() < 2 {
                    continue;
                }
                // Never two real characters: the text of a glyph is never a guess.
                let real: Vec<&u32> = group.iter().filter(|c| !private(**c)).collect();
                assert_eq!(real.len(), 1, "{style:?}: glyph {gid} is {group:X?}");
                let chars: BTreeSet<char> =
                    group.iter().filter_map(|c| char::from_u32(*c)).collect();
                let ours = subset(style, &chars);
                let new_gid = ours.font.codepoint_to_glyph[real[0]];
                let map = text_map(&ours);
                // The glyph's one entry is the real character; the private one has none.
                assert_eq!(map.len(), 1, "{style:?}: {map:X?}");
                assert_eq!(
                    map.get(&char::from_u32(*real[0]).unwrap()),
                    Some(&u32::from(new_gid))
                );
                shared += 1;
            }
        }
        // The Italic's "ﬁ" and "ﬂ" (U+FB01, U+FB02, also at U+F001, U+F002).
        assert_eq!(shared, 2);
    }

    #[test]
    fn a_subset_is_made_once_and_its_objects_are_copied_into_each_file() {
        let chars: BTreeSet<char> = "Báo cáo kết quả".chars().collect();
        let first = subset(FaceStyle::Bold, &chars);
        let again = subset(FaceStyle::Bold, &chars);
        assert!(Arc::ptr_eq(&first, &again));
        let (lo, font) = in_a_file(&first);
        let font = lo
            .get_object(font.as_reference().unwrap())
            .unwrap()
            .as_dict()
            .unwrap();
        assert_eq!(font.get(b"Subtype").unwrap().as_name().unwrap(), b"Type0");
        let descendant = &font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0];
        let descriptor = descendant
            .as_dict()
            .unwrap()
            .get(b"FontDescriptor")
            .unwrap()
            .as_reference()
            .unwrap();
        let program = lo
            .get_object(descriptor)
            .unwrap()
            .as_dict()
            .unwrap()
            .get(b"FontFile2")
            .unwrap()
            .as_reference()
            .unwrap();
        let program = lo.get_object(program).unwrap().as_stream().unwrap();
        assert_eq!(
            program.decompressed_content().unwrap(),
            again.font.original_bytes
        );
        assert_eq!(
            program.dict.get(b"Length1").unwrap().as_i64().unwrap(),
            again.font.original_bytes.len() as i64
        );
    }
}
