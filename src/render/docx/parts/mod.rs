//! The package parts around `word/document.xml`, written by us, one module per part
//! (rust_xlsxwriter's shape): each in the schema's element order, with nothing Word
//! does not expect, and a golden test of its XML beside it. docx-rs wrote them before;
//! its styles, settings and numbering parts broke the schema (an `w:rPr` inside a
//! style's `w:pPr`, `w:rFonts` after `w:sz`, `w:zoom` after `w:defaultTabStop`) and
//! the package had no theme, which `openxml-audit` (the Open XML SDK's rules) reports
//! as errors Word may "repair".

pub mod app;
pub mod content_types;
pub mod core;
pub mod font_table;
pub mod header_footer;
pub mod relationships;
pub mod settings;
pub mod styles;
pub mod theme;

/// The XML declaration every part starts with.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// The WordprocessingML main namespace.
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `s` escaped for XML text and attribute values, as the body escapes it.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    super::wml::escape_into(&mut out, s);
    out
}
