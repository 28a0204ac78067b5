//! Puts the children of WordprocessingML property elements in the order the schema
//! (ECMA-376 Part 1, §17) prescribes. docx-rs 0.4.22 writes, for example, `w:rPr` before
//! `w:jc` inside `w:pPr`, and `w:headerReference` after `w:pgSz` inside `w:sectPr`;
//! LibreOffice accepts that, Word may call the file corrupt. Every part is now written
//! by us in order; this pass remains as the test that nothing we write needs it.

use std::borrow::Cow;

/// The schema order of the children of each property element we write.
fn order(parent: &[u8]) -> Option<&'static [&'static str]> {
    Some(match parent {
        b"w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        b"w:rPr" => &[
            "w:ins",
            "w:del",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        ],
        b"w:pBdr" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
        b"w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ],
        b"w:tblBorders" | b"w:tcBorders" => &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        b"w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
        b"w:sectPr" => &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
        ],
        _ => return None,
    })
}

/// Where a child goes among its siblings: its place in the schema list; header and
/// footer references share one place and keep their order.
fn rank(parent: &[u8], child: &[u8]) -> usize {
    let child: &[u8] = if child == b"w:footerReference" {
        b"w:headerReference"
    } else {
        child
    };
    order(parent)
        .and_then(|o| o.iter().position(|c| c.as_bytes() == child))
        .unwrap_or(usize::MAX)
}

/// One child of a property element: its bytes, borrowed from the part when nothing inside
/// it moved, and its place in the parent's schema list.
struct Child<'a> {
    rank: usize,
    bytes: Cow<'a, [u8]>,
}

/// A property element (or an element inside one) whose end has not been read yet.
struct Open<'a> {
    /// Where its start tag begins and ends in the part.
    start: usize,
    tag_end: usize,
    name: &'a [u8],
    children: Vec<Child<'a>>,
}

impl<'a> Open<'a> {
    /// The element's bytes once its end tag (`end_tag..end` of the part) has been read:
    /// the part's own bytes when its children are already in order and none of them
    /// changed, else its tags around its children in schema order (stable, so children the
    /// list does not name keep their order, after the rest).
    fn close(mut self, xml: &'a [u8], end_tag: usize, end: usize) -> Cow<'a, [u8]> {
        let sorts = order(self.name).is_some();
        let in_order = !sorts || self.children.is_sorted_by_key(|c| c.rank);
        if in_order
            && self
                .children
                .iter()
                .all(|c| matches!(c.bytes, Cow::Borrowed(_)))
        {
            return Cow::Borrowed(&xml[self.start..end]);
        }
        if sorts {
            self.children.sort_by_key(|c| c.rank);
        }
        let mut out = Vec::with_capacity(end - self.start);
        out.extend_from_slice(&xml[self.start..self.tag_end]);
        for child in &self.children {
            out.extend_from_slice(&child.bytes);
        }
        out.extend_from_slice(&xml[end_tag..end]);
        Cow::Owned(out)
    }
}

/// The part with the children of every property element in schema order. Text, attributes
/// and all other order are kept byte for byte: the part is scanned for the start tags of
/// property elements, copied as it is between them, and only those elements are parsed.
/// (A '<' can only open markup in the XML docx-rs writes: it writes no comments or CDATA.)
pub fn reorder(xml: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len());
    // How much of the part is already in `out`, and where the scan is.
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &xml[at..]) {
        let lt = at + found;
        if order(tag_name(&xml[lt + 1..])).is_none() {
            at = lt + 1;
            continue;
        }
        let (bytes, end) = property_element(&xml[lt..]);
        out.extend_from_slice(&xml[copied..lt]);
        out.extend_from_slice(&bytes);
        copied = lt + end;
        // An element always takes at least its '<'; never scan the same one twice.
        at = copied.max(lt + 1);
    }
    out.extend_from_slice(&xml[copied..]);
    out
}

/// One piece of markup inside a property element.
#[derive(Clone, Copy)]
enum Token {
    Start,
    End,
    Empty,
    /// Text, or a comment or processing instruction: kept where it is among its siblings.
    Other,
}

/// The token at the start of `xml` (which is not empty), where it ends, and for a tag
/// its name. A tag ends at the first '>' outside a quoted attribute value.
fn token(xml: &[u8]) -> (Token, usize, &[u8]) {
    if xml[0] != b'<' {
        let end = memchr::memchr(b'<', xml).unwrap_or(xml.len());
        return (Token::Other, end, &[]);
    }
    let mut end = xml.len();
    let mut at = 1;
    while let Some(found) = memchr::memchr3(b'>', b'"', b'\'', &xml[at..]) {
        let i = at + found;
        if xml[i] == b'>' {
            end = i + 1;
            break;
        }
        // A quoted attribute value: skip to its closing quote.
        match memchr::memchr(xml[i], &xml[i + 1..]) {
            Some(close) => at = i + 2 + close,
            None => break,
        }
    }
    let tag = &xml[..end];
    let (kind, from) = match tag.get(1) {
        Some(b'/') => (Token::End, 2),
        Some(b'?' | b'!') => return (Token::Other, end, &[]),
        _ if tag.ends_with(b"/>") => (Token::Empty, 1),
        _ => (Token::Start, 1),
    };
    (kind, end, tag_name(&tag[from..]))
}

/// The element name `markup` (what follows a tag's '<' or '</') starts with.
fn tag_name(markup: &[u8]) -> &[u8] {
    let end = markup
        .iter()
        .position(|b| matches!(b, b' ' | b'/' | b'>' | b'\t' | b'\r' | b'\n'))
        .unwrap_or(markup.len());
    &markup[..end]
}

/// The property element `xml` starts with, its children in schema order, and where it
/// ends in `xml`. A part that ends inside the element keeps what was read as it is.
fn property_element(xml: &[u8]) -> (Cow<'_, [u8]>, usize) {
    // The open elements of the property element, outermost first.
    let mut stack: Vec<Open> = Vec::new();
    let mut at = 0;
    while at < xml.len() {
        let before = at;
        let (kind, len, name) = token(&xml[at..]);
        at += len;
        let bytes = Cow::Borrowed(&xml[before..at]);
        let (name, bytes) = match kind {
            Token::Start => {
                stack.push(Open {
                    start: before,
                    tag_end: at,
                    name,
                    children: Vec::new(),
                });
                continue;
            }
            Token::End => {
                let Some(open) = stack.pop() else {
                    return (Cow::Borrowed(&xml[..before]), before);
                };
                (open.name, open.close(xml, before, at))
            }
            Token::Empty => (name, bytes),
            // No name: it ranks after every named child.
            Token::Other => (&[][..], bytes),
        };
        let Some(parent) = stack.last_mut() else {
            return (bytes, at);
        };
        let rank = rank(parent.name, name);
        parent.children.push(Child { rank, bytes });
    }
    (Cow::Borrowed(xml), xml.len())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn paragraph_and_section_properties_come_out_in_schema_order() {
        let xml = r#"<w:document><w:body><w:p><w:pPr><w:rPr><w:b /></w:rPr><w:jc w:val="both" /><w:spacing w:before="120" /><w:ind w:left="0" /><w:pBdr><w:bottom w:val="single" /><w:top w:val="single" /></w:pBdr><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="28" /><w:b /><w:i /></w:rPr><w:t xml:space="preserve">Ủy ban &amp; x</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="11906" /><w:cols /><w:headerReference w:type="default" /><w:footerReference w:type="first" /><w:titlePg /></w:sectPr></w:body></w:document>"#;
        let out = String::from_utf8(reorder(xml.as_bytes())).unwrap();
        let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} in {out}"));
        assert!(pos("<w:keepNext") < pos("<w:pBdr"));
        assert!(pos("<w:pBdr") < pos("<w:spacing"));
        assert!(pos("<w:top ") < pos("<w:bottom "));
        assert!(pos("<w:spacing") < pos("<w:ind") && pos("<w:ind") < pos("<w:jc"));
        assert!(pos("<w:jc") < pos("<w:rPr><w:b"));
        assert!(pos("<w:b />") < pos("<w:i />") && pos("<w:i />") < pos("<w:sz "));
        assert!(pos("<w:headerReference") < pos("<w:footerReference"));
        assert!(pos("<w:footerReference") < pos("<w:pgSz"));
        assert!(pos("<w:cols") < pos("<w:titlePg"));
        assert!(out.contains("Ủy ban &amp; x"), "text kept: {out}");
    }

    #[test]
    fn a_quoted_angle_bracket_is_part_of_its_tag() {
        let xml = r#"<w:p><w:pPr><w:rFonts w:ascii="a>b/>c" /><w:jc w:val="both" /><w:keepNext /></w:pPr></w:p>"#;
        let out = String::from_utf8(reorder(xml.as_bytes())).unwrap();
        assert_eq!(
            out,
            r#"<w:p><w:pPr><w:keepNext /><w:jc w:val="both" /><w:rFonts w:ascii="a>b/>c" /></w:pPr></w:p>"#
        );
    }

    #[test]
    fn a_part_cut_inside_a_property_element_comes_back_as_it_is() {
        for xml in [
            "<w:p><w:pPr><w:jc />",
            "<w:p><w:pPr><w:jc w:val=\"",
            "<w:pPr",
            "<w:rPr />x",
        ] {
            assert_eq!(reorder(xml.as_bytes()), xml.as_bytes(), "{xml}");
        }
    }

    fn run_property_children() -> impl Strategy<Value = Vec<&'static str>> {
        let names = order(b"w:rPr").unwrap_or_default().to_vec();
        proptest::sample::subsequence(names.clone(), 0..names.len()).prop_shuffle()
    }

    proptest! {
        /// Whatever order a run's properties come in, they come out in the schema's,
        /// every byte kept, the text around them untouched; and ordering twice is ordering once.
        #[test]
        fn run_properties_come_out_in_schema_order(children in run_property_children(), text in "[a-z &;]{0,12}") {
            let tags = |names: &[&str]| names.iter().map(|n| format!("<{n} w:val=\"1\" />")).collect::<String>();
            let xml = format!("<w:r><w:rPr>{}</w:rPr><w:t>{text}</w:t></w:r>", tags(&children));
            let mut sorted = children.clone();
            sorted.sort_by_key(|n| rank(b"w:rPr", n.as_bytes()));
            let expected = format!("<w:r><w:rPr>{}</w:rPr><w:t>{text}</w:t></w:r>", tags(&sorted));
            let out = reorder(xml.as_bytes());
            prop_assert_eq!(String::from_utf8_lossy(&out), expected);
            prop_assert_eq!(reorder(&out), out);
        }
    }
}
