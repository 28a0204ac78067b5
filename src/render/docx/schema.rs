//! Puts the children of WordprocessingML property elements in the order the schema
//! (ECMA-376 Part 1, §17) prescribes. docx-rs 0.4.22 writes, for example, `w:rPr` before
//! `w:jc` inside `w:pPr`, and `w:headerReference` after `w:pgSz` inside `w:sectPr`;
//! LibreOffice accepts that, Word may call the file corrupt. One pass over the built XML
//! fixes every part, whatever docx-rs version wrote it.

use quick_xml::events::Event;
use quick_xml::{Reader, Writer};

/// The schema order of the children of each property element we write.
fn order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => &[
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
        "w:rPr" => &[
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
        "w:pBdr" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
        "w:tblPr" => &[
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
        "w:tblBorders" | "w:tcBorders" => &[
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
        "w:tcPr" => &[
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
        "w:sectPr" => &[
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
fn rank(parent: &str, child: &str) -> usize {
    let child = if child == "w:footerReference" {
        "w:headerReference"
    } else {
        child
    };
    order(parent)
        .and_then(|o| o.iter().position(|c| *c == child))
        .unwrap_or(usize::MAX)
}

/// An element of the part, kept as its events.
enum Node {
    Element {
        start: Event<'static>,
        name: String,
        children: Vec<Node>,
        empty: bool,
    },
    Other(Event<'static>),
}

/// Sorts the children of one element (its own children were sorted when they closed).
fn sort(nodes: &mut [Node], parent: &str) {
    if order(parent).is_some() {
        // Stable: children the list does not name keep their order, after the rest.
        nodes.sort_by_key(|n| match n {
            Node::Element { name, .. } => rank(parent, name),
            Node::Other(_) => usize::MAX,
        });
    }
}

fn write(w: &mut Writer<Vec<u8>>, nodes: Vec<Node>) -> Result<(), quick_xml::Error> {
    for n in nodes {
        match n {
            Node::Element {
                start,
                children,
                empty,
                name,
            } => {
                w.write_event(start)?;
                write(w, children)?;
                if !empty {
                    w.write_event(Event::End(quick_xml::events::BytesEnd::new(name)))?;
                }
            }
            Node::Other(e) => w.write_event(e)?,
        }
    }
    Ok(())
}

/// The part with the children of every property element in schema order. Text, attributes
/// and all other order are kept as they are. Only property elements are held in memory
/// (as small trees); everything else streams through.
pub fn reorder(xml: &[u8]) -> Result<Vec<u8>, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut w = Writer::new(Vec::with_capacity(xml.len()));
    // The open elements of the property element being read, outermost first.
    let mut stack: Vec<(Event<'static>, String, Vec<Node>)> = Vec::new();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf)?;
        if stack.is_empty() {
            match &event {
                Event::Eof => break,
                Event::Start(e) if order(e.name().as_ref()).is_some() => {
                    let name = e.name().as_ref().to_string();
                    stack.push((event.into_owned(), name, Vec::new()));
                }
                _ => w.write_event(event)?,
            }
            buf.clear();
            continue;
        }
        let event = event.into_owned();
        buf.clear();
        match event {
            Event::Eof => break,
            Event::Start(ref e) => {
                let name = e.name().as_ref().to_string();
                stack.push((event, name, Vec::new()));
            }
            Event::End(_) => {
                let Some((start, name, mut children)) = stack.pop() else {
                    continue;
                };
                sort(&mut children, &name);
                let node = Node::Element {
                    start,
                    name,
                    children,
                    empty: false,
                };
                match stack.last_mut() {
                    Some(parent) => parent.2.push(node),
                    None => write(&mut w, vec![node])?,
                }
            }
            Event::Empty(ref e) => {
                let name = e.name().as_ref().to_string();
                if let Some(parent) = stack.last_mut() {
                    parent.2.push(Node::Element {
                        start: event,
                        name,
                        children: Vec::new(),
                        empty: true,
                    });
                }
            }
            other => {
                if let Some(parent) = stack.last_mut() {
                    parent.2.push(Node::Other(other));
                }
            }
        }
    }
    Ok(w.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_and_section_properties_come_out_in_schema_order() {
        let xml = r#"<w:document><w:body><w:p><w:pPr><w:rPr><w:b /></w:rPr><w:jc w:val="both" /><w:spacing w:before="120" /><w:ind w:left="0" /><w:pBdr><w:bottom w:val="single" /><w:top w:val="single" /></w:pBdr><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="28" /><w:b /><w:i /></w:rPr><w:t xml:space="preserve">Ủy ban &amp; x</w:t></w:r></w:p><w:sectPr><w:pgSz w:w="11906" /><w:cols /><w:headerReference w:type="default" /><w:footerReference w:type="first" /><w:titlePg /></w:sectPr></w:body></w:document>"#;
        let out = String::from_utf8(reorder(xml.as_bytes()).unwrap()).unwrap();
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
}
