//! Page content streams written straight from the page operators, for the few operators
//! our layout uses (text objects, lines, colours). printpdf turns each operator into
//! lopdf objects and lopdf prints those: a third of a report's PDF time. The bytes here
//! are the ones that pair writes — the same operators, numbers printed as lopdf prints
//! an `f32` (but for the last digit of an exact tie, see [`number`]), text as hex glyph
//! ids of the embedded font (Identity-H) — so the files do not change, only the time it
//! takes to write them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use printpdf::{Color, FontId, Op, ParsedFont, PdfFontHandle, TextItem};

/// The content stream of one page, or `None` if it uses an operator this writer does
/// not know (the caller then lets printpdf write the page). `fonts` are the faces
/// embedded in the file, by resource name; text in any other font is `None` too.
pub(super) fn encode(ops: &[Op], fonts: &BTreeMap<FontId, &ParsedFont>) -> Option<Vec<u8>> {
    let mut out = String::with_capacity(ops.len() * 24);
    let mut font: Option<&ParsedFont> = None;
    // The line width in force: setting it again to the same value is left out.
    let mut width: Option<f32> = None;
    for op in ops {
        if let Op::SetOutlineThickness { pt } = op {
            if width == Some(pt.0) {
                continue;
            }
            width = Some(pt.0);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        match op {
            Op::StartTextSection => out.push_str("BT"),
            Op::EndTextSection => out.push_str("ET"),
            Op::SetTextMatrix { matrix } => {
                for v in matrix.as_array() {
                    real(&mut out, v);
                }
                out.push_str("Tm");
            }
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size,
            } => {
                font = Some(fonts.get(id)?);
                out.push('/');
                name(&mut out, &id.0)?;
                out.push(' ');
                real(&mut out, size.0);
                out.push_str("Tf");
            }
            Op::ShowText { items } => show_text(&mut out, items, font?)?,
            Op::SetOutlineThickness { pt } => {
                real(&mut out, pt.0);
                out.push('w');
            }
            Op::SetOutlineColor { col } => color(&mut out, col, true),
            Op::SetFillColor { col } => color(&mut out, col, false),
            Op::DrawLine { line } => {
                let (first, rest) = line.points.split_first()?;
                if line.points.iter().any(|p| p.bezier) {
                    return None;
                }
                real(&mut out, first.p.x.0);
                real(&mut out, first.p.y.0);
                out.push('m');
                for p in rest {
                    out.push('\n');
                    real(&mut out, p.p.x.0);
                    real(&mut out, p.p.y.0);
                    out.push('l');
                }
                if line.is_closed {
                    out.push_str("\nh");
                }
                out.push_str("\nS");
            }
            _ => return None,
        }
    }
    Some(out.into_bytes())
}

/// `Tj` for one piece of text, `TJ` with offsets otherwise; empty shows write nothing.
fn show_text(out: &mut String, items: &[TextItem], font: &ParsedFont) -> Option<()> {
    if items.is_empty() {
        // Nothing written: take back the line break before it.
        out.pop();
        return Some(());
    }
    let single = matches!(items, [TextItem::Text(_)]);
    if !single {
        out.push('[');
    }
    let mut first = true;
    for item in items {
        match item {
            TextItem::Text(text) => {
                out.push('<');
                for c in text.chars() {
                    hex4(out, font.lookup_glyph_index(c as u32).unwrap_or(0));
                }
                out.push('>');
            }
            TextItem::Offset(o) => {
                if !first {
                    out.push(' ');
                }
                number(out, *o);
            }
            TextItem::GlyphIds(_) => return None,
        }
        first = false;
    }
    out.push_str(if single { " Tj" } else { "] TJ" });
    Some(())
}

/// An operand: the number as lopdf prints an `f32`, and a space.
fn real(out: &mut String, v: f32) {
    number(out, v);
    out.push(' ');
}

/// `v` in the shortest digits that read back as `v`, never in exponent form: what
/// lopdf writes (Rust's `Display` of an `f32`), found by ryu far faster than `core::fmt`.
/// The one difference: when `v` lies exactly halfway between two shortest forms, ryu
/// ends on the even digit and `Display` rounds up; both read back as the same `v`.
/// ryu's rare exponent forms, and non-finite values, go through `Display` itself.
fn number(out: &mut String, v: f32) {
    // Whole numbers (the 1s and 0s of every text matrix, font sizes) need no digit search.
    if v == v.trunc() && v.abs() < 1e7 {
        if v.is_sign_negative() {
            out.push('-');
        }
        out.push_str(itoa::Buffer::new().format(v.abs() as u32));
        return;
    }
    let mut buffer = ryu::Buffer::new();
    let s = if v.is_finite() {
        buffer.format_finite(v)
    } else {
        "e"
    };
    if s.contains('e') {
        let _ = write!(out, "{v}");
    } else {
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
    }
}

/// A glyph id as four upper-case hex digits (a 2-byte code of an Identity-H font).
fn hex4(out: &mut String, gid: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(char::from(DIGITS[usize::from((gid >> shift) & 0xF)]));
    }
}

fn color(out: &mut String, col: &Color, stroke: bool) {
    let (values, op) = match col {
        Color::Rgb(c) => (vec![c.r, c.g, c.b], "rg"),
        Color::Cmyk(c) => (vec![c.c, c.m, c.y, c.k], "k"),
        Color::SpotColor(c) => (vec![c.c, c.m, c.y, c.k], "k"),
        Color::Greyscale(g) => (vec![g.percent], "g"),
    };
    for v in values {
        real(out, v);
    }
    if stroke {
        out.push_str(&op.to_uppercase());
    } else {
        out.push_str(op);
    }
}

/// A resource name; ours are plain ASCII ("F1"), anything else is left to printpdf.
fn name(out: &mut String, n: &str) -> Option<()> {
    n.bytes()
        .all(|b| b.is_ascii_alphanumeric())
        .then(|| out.push_str(n))
}

#[cfg(test)]
mod tests {
    use printpdf::{
        Line, LinePoint, Mm, PdfDocument, PdfFont, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
        TextMatrix,
    };

    use super::*;

    fn line(points: &[(f32, f32)]) -> Op {
        Op::DrawLine {
            line: Line {
                points: points
                    .iter()
                    .map(|&(x, y)| LinePoint {
                        p: Point { x: Pt(x), y: Pt(y) },
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            },
        }
    }

    /// Every kind of operator the layout writes, with awkward numbers and text.
    fn page_ops(font: &FontId) -> Vec<Op> {
        let text = |t: &str| TextItem::Text(t.to_string());
        vec![
            Op::SetOutlineThickness { pt: Pt(0.75) },
            line(&[(85.05, 761.3), (510.123_4, 761.3)]),
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(1.0, 0.0, 0.0, None)),
            },
            Op::SetFillColor {
                col: Color::Rgb(Rgb::new(1.0, 0.0, 0.0, None)),
            },
            Op::StartTextSection,
            Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(85.039_37), Pt(700.5)),
            },
            Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: Pt(13.0),
            },
            Op::ShowText {
                items: vec![text("Ủy ban (nhân) dân \\ xã")],
            },
            Op::ShowText { items: vec![] },
            Op::ShowText {
                items: vec![
                    text("Kết "),
                    TextItem::Offset(-123.456),
                    text("quả "),
                    TextItem::Offset(-0.5),
                    text("đạt"),
                ],
            },
            Op::EndTextSection,
            Op::SetOutlineColor {
                col: Color::Greyscale(printpdf::Greyscale::new(0.0, None)),
            },
        ]
    }

    #[test]
    fn the_stream_is_the_one_printpdf_writes_for_the_same_operators() {
        let face = &super::super::parsed_fonts()[0];
        let id = FontId("F1".into());
        let ops = page_ops(&id);
        let mut pdf = PdfDocument::new("t");
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(face.clone()));
        pdf.with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), ops.clone())]);
        let opts = PdfSaveOptions {
            subset_fonts: false,
            optimize: false,
            ..Default::default()
        };
        let lo = pdf.to_lopdf_document(&opts, &mut Vec::new());
        let page = *lo.get_pages().values().next().unwrap();
        let stream = lo
            .get_object(page)
            .and_then(|p| p.as_dict()?.get(b"Contents")?.as_reference())
            .and_then(|s| lo.get_object(s)?.as_stream())
            .unwrap();
        let fonts = BTreeMap::from([(id, face)]);
        let ours = encode(&ops, &fonts).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&stream.content)
        );
        assert!(ours.windows(4).any(|w| w == b"] TJ"));
    }

    #[test]
    fn whole_numbers_print_without_a_point() {
        for (v, text) in [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (14.0, "14"),
            (-3.0, "-3"),
        ] {
            let mut s = String::new();
            number(&mut s, v);
            assert_eq!(s, text);
            assert_eq!(s, v.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn numbers_read_back_as_themselves_in_the_fewest_digits(
            bits in proptest::num::u32::ANY,
            x in -2000f32..2000f32,
        ) {
            for v in [f32::from_bits(bits), x, (x * 100.0).round() / 100.0] {
                let mut s = String::new();
                number(&mut s, v);
                let display = v.to_string();
                proptest::prop_assert!(!s.contains('e'));
                proptest::prop_assert_eq!(s.len(), display.len());
                if v.is_finite() {
                    proptest::prop_assert_eq!(s.parse::<f32>().ok(), Some(v));
                } else {
                    proptest::prop_assert_eq!(s, display);
                }
            }
        }

        #[test]
        fn glyph_ids_print_as_hex(gid in proptest::num::u16::ANY) {
            let mut s = String::new();
            hex4(&mut s, gid);
            proptest::prop_assert_eq!(s, format!("{gid:04X}"));
        }
    }

    #[test]
    fn an_operator_it_does_not_know_leaves_the_page_to_printpdf() {
        let face = &super::super::parsed_fonts()[0];
        let id = FontId("F1".into());
        let fonts = BTreeMap::from([(id.clone(), face)]);
        let mut ops = page_ops(&id);
        ops.push(Op::SaveGraphicsState);
        assert!(encode(&ops, &fonts).is_none());
        // Nor text in a font that is not embedded.
        let other = page_ops(&FontId("F9".into()));
        assert!(encode(&other, &fonts).is_none());
    }
}
