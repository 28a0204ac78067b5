//! A small element tree over quick-xml, enough to walk a WordprocessingML part the way
//! Word resolves it (styles inherit, tables nest, text boxes sit inside runs). Names
//! keep their prefix (`w:p`); the parts we read use the customary prefixes, and the
//! reader checks the namespace of `w` once (see [`Element::parse`]).

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

#[derive(Debug, Clone, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// Deepest nesting accepted: a hostile file cannot overflow the stack of the walkers.
const MAX_DEPTH: usize = 256;

impl Element {
    /// Parses a whole part. `None` for XML that is not well formed or nests too deep.
    pub fn parse(xml: &[u8]) -> Option<Element> {
        let mut reader = Reader::from_reader(xml);
        reader.config_mut().trim_text(false);
        let mut stack: Vec<Element> = vec![Element::default()];
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).ok()? {
                Event::Start(e) => {
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                    stack.push(Element::open(&e)?);
                }
                Event::Empty(e) => {
                    let el = Element::open(&e)?;
                    stack.last_mut()?.children.push(Node::Element(el));
                }
                Event::End(_) => {
                    let el = stack.pop()?;
                    stack.last_mut()?.children.push(Node::Element(el));
                }
                Event::Text(t) => {
                    let text = t.xml10_content().into_owned();
                    stack.last_mut()?.children.push(Node::Text(text));
                }
                Event::GeneralRef(r) => {
                    let name: String = AsRef::<str>::as_ref(&r).to_string();
                    let text = match name.as_str() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        _ => r
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .map(String::from)
                            .unwrap_or_default(),
                    };
                    stack.last_mut()?.children.push(Node::Text(text));
                }
                Event::CData(t) => {
                    let text = AsRef::<str>::as_ref(&t).to_string();
                    stack.last_mut()?.children.push(Node::Text(text));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        let root = stack.pop()?;
        if !stack.is_empty() {
            return None;
        }
        root.children.into_iter().find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn open(e: &quick_xml::events::BytesStart<'_>) -> Option<Element> {
        let name = e.name().as_ref().to_string();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.ok()?;
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()?
                .into_owned();
            attrs.push((key, value));
        }
        Some(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }

    /// The attribute `name` (with its prefix, `w:val`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// The first descendant (depth first) named `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// The text directly inside.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                Node::Element(_) => None,
            })
            .collect()
    }

    /// The local name, without its prefix.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }
}
