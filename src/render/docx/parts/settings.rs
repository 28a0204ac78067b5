//! `word/settings.xml`: zoom, tab stops and the compatibility options Word 2013 and
//! later lay documents out by (`compatibilityMode` 15), in the schema's order. The
//! legacy options are those docx-rs wrote, which the layout-parity measurements were
//! made with; `doNotExpandShiftReturn` matters: a justified line ended by a line break
//! is not stretched, as the PDF's is not.

use super::{DECLARATION, W};

pub fn xml() -> String {
    let setting = |name: &str, val: &str| {
        format!(
            r#"<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{val}"/>"#
        )
    };
    format!(
        r#"{DECLARATION}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:useFELayout/>{}{}{}{}{}{}</w:compat></w:settings>"#,
        setting("compatibilityMode", "15"),
        setting("overrideTableStyleFontSizeAndJustification", "1"),
        setting("enableOpenTypeFeatures", "1"),
        setting("doNotFlipMirrorIndents", "1"),
        setting("differentiateMultirowTableHeaders", "1"),
        setting("useWord2013TrackBottomHyphenation", "0"),
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
                r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat>"#,
                r#"<w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:useFELayout/>"#,
                r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
                r#"<w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
                r#"<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
                r#"<w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
                r#"<w:compatSetting w:name="differentiateMultirowTableHeaders" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
                r#"<w:compatSetting w:name="useWord2013TrackBottomHyphenation" w:uri="http://schemas.microsoft.com/office/word" w:val="0"/>"#,
                r#"</w:compat></w:settings>"#,
            )
        );
    }
}
