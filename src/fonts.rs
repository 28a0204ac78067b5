//! The shipped serif family (Liberation Serif 2, metric-compatible with Times New Roman),
//! embedded in the binary and parsed once per process. Both renderers measure text here:
//! the PDF to break lines, the DOCX to size the short rules, so the two agree.

use std::sync::OnceLock;

use crate::units::Pt;

/// One of the four faces of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceStyle {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl FaceStyle {
    pub const ALL: [FaceStyle; 4] = [
        FaceStyle::Regular,
        FaceStyle::Bold,
        FaceStyle::Italic,
        FaceStyle::BoldItalic,
    ];

    pub fn new(bold: bool, italic: bool) -> Self {
        match (bold, italic) {
            (false, false) => FaceStyle::Regular,
            (true, false) => FaceStyle::Bold,
            (false, true) => FaceStyle::Italic,
            (true, true) => FaceStyle::BoldItalic,
        }
    }

    pub fn bold(self) -> bool {
        matches!(self, FaceStyle::Bold | FaceStyle::BoldItalic)
    }

    pub fn italic(self) -> bool {
        matches!(self, FaceStyle::Italic | FaceStyle::BoldItalic)
    }

    /// The PostScript name of the face, as a PDF names it (/BaseFont).
    pub fn postscript_name(self) -> &'static str {
        match self {
            FaceStyle::Regular => "LiberationSerif",
            FaceStyle::Bold => "LiberationSerif-Bold",
            FaceStyle::Italic => "LiberationSerif-Italic",
            FaceStyle::BoldItalic => "LiberationSerif-BoldItalic",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The TrueType file of this face, as shipped in `fonts/`.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            FaceStyle::Regular => include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
            FaceStyle::Bold => include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
            FaceStyle::Italic => include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
            FaceStyle::BoldItalic => include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
        }
    }
}

/// Vertical metrics shared by the four faces (hhea), in font units.
#[derive(Debug, Clone, Copy)]
pub struct VerticalMetrics {
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    pub line_gap: f32,
}

struct Faces {
    faces: Vec<ttf_parser::Face<'static>>,
    /// Advance widths of the characters below [`TABLE_END`] per face, looked up once
    /// (`NO_GLYPH` where the face lacks one): measuring is the layout's inner loop, and a
    /// cmap lookup per character was a tenth of a PDF's time.
    advances: Vec<Vec<u16>>,
}

/// Latin, Vietnamese (U+1EA0–U+1EF9) and general punctuation (U+2000–U+206F) lie below.
const TABLE_END: u32 = 0x2100;
const NO_GLYPH: u16 = u16::MAX;

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| {
        let faces: Vec<ttf_parser::Face<'static>> = FaceStyle::ALL
            .iter()
            .map(|s| {
                ttf_parser::Face::parse(s.bytes(), 0)
                    .expect("the fonts shipped in fonts/ are valid TrueType files")
            })
            .collect();
        let advances = faces
            .iter()
            .map(|f| {
                (0..TABLE_END)
                    .map(|u| {
                        char::from_u32(u)
                            .and_then(|c| f.glyph_index(c))
                            .and_then(|g| f.glyph_hor_advance(g))
                            .unwrap_or(NO_GLYPH)
                    })
                    .collect()
            })
            .collect();
        Faces { faces, advances }
    })
}

fn face(style: FaceStyle) -> &'static ttf_parser::Face<'static> {
    &faces().faces[style.index()]
}

/// Vertical metrics of the family (the same in every face of Liberation Serif).
pub fn vertical_metrics() -> VerticalMetrics {
    let f = face(FaceStyle::Regular);
    VerticalMetrics {
        units_per_em: f.units_per_em() as f32,
        ascender: f.ascender() as f32,
        descender: -(f.descender() as f32),
        line_gap: f.line_gap() as f32,
    }
}

/// Advance width of one character, in font units; `None` when the face lacks it.
pub fn advance_units(style: FaceStyle, c: char) -> Option<u16> {
    if (c as u32) < TABLE_END {
        let a = faces().advances[style.index()][c as usize];
        return (a != NO_GLYPH).then_some(a);
    }
    let f = face(style);
    let gid = f.glyph_index(c)?;
    f.glyph_hor_advance(gid)
}

/// Width of `text` set in `style` at `size`, without kerning (Word does not kern Times
/// New Roman by default, so neither do we). Characters the face lacks count as zero:
/// check coverage with [`missing_chars`] first.
pub fn text_width(text: &str, style: FaceStyle, size: Pt) -> Pt {
    let upem = face(style).units_per_em() as f32;
    let units: u32 = text
        .chars()
        .map(|c| advance_units(style, c).unwrap_or(0) as u32)
        .sum();
    Pt(units as f32 * size.0 / upem)
}

/// The characters of `text` that the face cannot draw (other than controls and spaces).
pub fn missing_chars(text: &str, style: FaceStyle) -> Vec<char> {
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control() && advance_units(style, *c).is_none())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_is_in_every_face() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        let all: String = letters
            .chars()
            .chain(letters.to_uppercase().chars())
            .collect();
        assert_eq!(all.chars().count(), 146);
        for style in FaceStyle::ALL {
            assert!(missing_chars(&all, style).is_empty(), "{style:?}");
        }
    }

    #[test]
    fn widths_match_times_new_roman_metrics() {
        // Measured in crates.md: this string at 14 pt is 228.238 pt in Liberation Serif.
        let w = text_width(
            "Ủy ban nhân dân xã Phú Thái AVATAR",
            FaceStyle::Regular,
            Pt(14.0),
        );
        assert!((w.0 - 228.238).abs() < 0.01, "{w:?}");
        // Measured independently with fontTools (hmtx sums). The width table of the spec
        // (§3.1: 88.9 mm and 57.3 mm) does not match the font; these do.
        let motto = text_width(crate::nd30::MOTTO, FaceStyle::Bold, Pt(14.0));
        assert!((motto.0 - 171.38).abs() < 0.01, "{motto:?}");
        let title = text_width(crate::nd30::NATIONAL_TITLE, FaceStyle::Bold, Pt(13.0));
        assert!((title.0 - 271.20).abs() < 0.01, "{title:?}");
    }
}
