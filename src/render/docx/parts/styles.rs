//! `word/styles.xml`: the document defaults (Times New Roman at the body size, single
//! spacing with no space after, as Word reads a document without them) and the Normal
//! paragraph and character styles every body paragraph and run use unnamed. The body
//! sets everything else on its paragraphs, runs and tables (no table style: a table
//! style's cell margins would move LibreOffice's layout off the PDF's).

use super::{DECLARATION, W};
use crate::nd30;

pub fn xml() -> String {
    let font = nd30::FONT_FAMILY;
    let size = nd30::BODY_SIZE.half_points();
    format!(
        concat!(
            r#"{decl}<w:styles xmlns:w="{w}">"#,
            r#"<w:docDefaults><w:rPrDefault><w:rPr>"#,
            r#"<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>"#,
            r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#,
            r#"</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"#,
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
            r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
            r#"</w:styles>"#,
        ),
        decl = DECLARATION,
        w = W,
        font = font,
        size = size,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn golden() {
        assert_eq!(
            super::xml(),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:docDefaults><w:rPrDefault><w:rPr>"#,
                r#"<w:rFonts w:ascii="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>"#,
                r#"<w:sz w:val="28"/><w:szCs w:val="28"/>"#,
                r#"</w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>"#,
                r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
                r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
                r#"</w:styles>"#,
            )
        );
    }
}
