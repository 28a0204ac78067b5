//! `docProps/core.xml`: title, subject, author (the agency), language and dates.

use super::{escape, DECLARATION};

/// What the core properties say about one document.
pub struct Core<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub author: &'a str,
    /// The document's date (year, month, day), as both created and modified, so the
    /// bytes do not depend on the clock.
    pub date: (i32, u32, u32),
}

pub fn xml(c: &Core<'_>) -> String {
    let (y, m, d) = c.date;
    let created = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    format!(
        r#"{DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy><dc:language>vi-VN</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>"#,
        title = escape(c.title),
        subject = escape(c.subject),
        author = escape(c.author),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden() {
        let xml = xml(&Core {
            title: "Báo cáo <kỳ> & \"số\"",
            subject: "Kết quả",
            author: "ỦY BAN NHÂN DÂN XÃ PHÚ THÁI",
            date: (2025, 12, 5),
        });
        assert_eq!(
            xml,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
                r#"<dc:title>Báo cáo &lt;kỳ&gt; &amp; &quot;số&quot;</dc:title><dc:subject>Kết quả</dc:subject>"#,
                r#"<dc:creator>ỦY BAN NHÂN DÂN XÃ PHÚ THÁI</dc:creator><cp:lastModifiedBy>ỦY BAN NHÂN DÂN XÃ PHÚ THÁI</cp:lastModifiedBy>"#,
                r#"<dc:language>vi-VN</dc:language><cp:revision>1</cp:revision>"#,
                r#"<dcterms:created xsi:type="dcterms:W3CDTF">2025-12-05T00:00:00Z</dcterms:created>"#,
                r#"<dcterms:modified xsi:type="dcterms:W3CDTF">2025-12-05T00:00:00Z</dcterms:modified></cp:coreProperties>"#,
            )
        );
    }
}
