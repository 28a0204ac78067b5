//! `word/header{1,2}.xml` and `word/footer{1,2}.xml`: the page number at the top centre
//! from page 2 (Phụ lục I, mục I.4: the first page's header is empty), and ô 13, the
//! contact line at the foot of page 1 under a rule across the text width.

use super::{escape, DECLARATION, W};
use crate::nd30;

/// A header or footer part (`hdr` or `ftr`) holding `paragraphs`.
fn part(kind: &str, paragraphs: &str) -> String {
    format!(r#"{DECLARATION}<w:{kind} xmlns:w="{W}">{paragraphs}</w:{kind}>"#)
}

fn size(half_points: usize) -> String {
    format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#)
}

/// `header1.xml`: the page number, centred, in the body size.
pub fn page_number() -> String {
    let rpr = format!(
        "<w:rPr>{}</w:rPr>",
        size(nd30::PAGE_NUMBER_SIZE.half_points())
    );
    let run = |inner: &str| format!("<w:r>{rpr}{inner}</w:r>");
    let paragraph = [
        format!(r#"<w:p><w:pPr><w:jc w:val="center"/>{rpr}</w:pPr>"#),
        run(r#"<w:fldChar w:fldCharType="begin"/>"#),
        run(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#),
        run(r#"<w:fldChar w:fldCharType="separate"/>"#),
        run("<w:t>2</w:t>"),
        run(r#"<w:fldChar w:fldCharType="end"/>"#),
        "</w:p>".to_string(),
    ]
    .concat();
    part("hdr", &paragraph)
}

/// `header2.xml`: the first page's, empty.
pub fn empty_header() -> String {
    part("hdr", "<w:p/>")
}

/// `footer1.xml`: every page's but the first, empty.
pub fn empty_footer() -> String {
    part("ftr", "<w:p/>")
}

/// `footer2.xml`: ô 13 on page 1, under a solid rule.
pub fn contact(text: &str) -> String {
    let rule = super::super::eighths(nd30::RULE_THICKNESS);
    let paragraph = format!(
        concat!(
            r#"<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="{rule}" w:space="1" w:color="auto"/></w:pBdr>"#,
            r#"<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>"#,
            r#"<w:r><w:rPr>{size}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#,
        ),
        rule = rule,
        line = nd30::LINE_SPACING_240THS,
        size = size(nd30::CONTACT_SIZE.half_points()),
        text = escape(text),
    );
    part("ftr", &paragraph)
}

#[cfg(test)]
mod tests {
    const HDR: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#;
    const FTR: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#;

    #[test]
    fn golden() {
        let rpr = r#"<w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>"#;
        assert_eq!(
            super::page_number(),
            [
                HDR,
                r#"<w:p><w:pPr><w:jc w:val="center"/>"#,
                rpr,
                "</w:pPr><w:r>",
                rpr,
                r#"<w:fldChar w:fldCharType="begin"/></w:r><w:r>"#,
                rpr,
                r#"<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>"#,
                rpr,
                r#"<w:fldChar w:fldCharType="separate"/></w:r><w:r>"#,
                rpr,
                "<w:t>2</w:t></w:r><w:r>",
                rpr,
                r#"<w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>"#,
            ]
            .concat()
        );
        assert_eq!(super::empty_header(), format!("{HDR}<w:p/></w:hdr>"));
        assert_eq!(super::empty_footer(), format!("{FTR}<w:p/></w:ftr>"));
        assert_eq!(
            super::contact("ĐT: 0225 & E-Mail: a@b.vn"),
            [
                FTR,
                r#"<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>"#,
                r#"<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>"#,
                r#"<w:r><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr><w:t xml:space="preserve">ĐT: 0225 &amp; E-Mail: a@b.vn</w:t></w:r></w:p></w:ftr>"#,
            ]
            .concat()
        );
    }
}
