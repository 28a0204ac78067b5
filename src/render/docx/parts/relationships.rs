//! `_rels/.rels` and `word/_rels/document.xml.rels`: what the package and the document
//! point to. The ids `document.xml` uses for headers and footers are fixed here.

use super::DECLARATION;

const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn relationships(items: &[(&str, String, &str)]) -> String {
    let mut xml = format!(
        r#"{DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    );
    for (id, kind, target) in items {
        xml.push_str(&format!(
            r#"<Relationship Id="{id}" Type="{kind}" Target="{target}"/>"#
        ));
    }
    xml.push_str("</Relationships>");
    xml
}

/// `_rels/.rels`: the main document and the two property parts.
pub fn package() -> String {
    relationships(&[
        ("rId1", format!("{R}/officeDocument"), "word/document.xml"),
        (
            "rId2",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{R}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

/// `word/_rels/document.xml.rels`: styles, settings, fonts, theme, the headers
/// (`rIdHeader1` the page number, `rIdHeader2` the empty first-page one) and, when
/// `footers`, the footers (`rIdFooter1` empty, `rIdFooter2` the contact line).
pub fn document(footers: bool) -> String {
    let mut items = vec![
        ("rId1", format!("{R}/styles"), "styles.xml"),
        ("rId2", format!("{R}/settings"), "settings.xml"),
        ("rId3", format!("{R}/fontTable"), "fontTable.xml"),
        ("rId4", format!("{R}/theme"), "theme/theme1.xml"),
        ("rIdHeader1", format!("{R}/header"), "header1.xml"),
        ("rIdHeader2", format!("{R}/header"), "header2.xml"),
    ];
    if footers {
        items.push(("rIdFooter1", format!("{R}/footer"), "footer1.xml"));
        items.push(("rIdFooter2", format!("{R}/footer"), "footer2.xml"));
    }
    relationships(&items)
}

#[cfg(test)]
mod tests {
    #[test]
    fn golden() {
        assert_eq!(
            super::package(),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
                r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
                r#"</Relationships>"#,
            )
        );
        assert_eq!(
            super::document(false),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
                r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
                r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
                r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>"#,
                r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>"#,
                r#"<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>"#,
                r#"<Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>"#,
                r#"</Relationships>"#,
            )
        );
        assert!(super::document(true).contains(
            r#"<Relationship Id="rIdFooter2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#
        ));
    }
}
