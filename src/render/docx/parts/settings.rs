//! `word/settings.xml`, in the schema's order. Every option set, and why:
//!
//! - `w:zoom 100`: Word opens the document at 100 %.
//! - `w:defaultTabStop 840` (1,48 cm): the stop a tab character would use; our documents
//!   contain none, so it only keeps what Word shows when a clerk adds one.
//! - `w:characterSpacingControl doNotCompress`: no compression of punctuation (an East
//!   Asian option Word writes in every document; LibreOffice does not compress either).
//! - `w:doNotExpandShiftReturn`: in a justified paragraph, a line ended by a line break
//!   (Shift+Enter) is not stretched. LibreOffice and our PDF leave it unstretched; Word,
//!   without this option, spreads it across the line.
//! - `compatibilityMode 15`: Word 2013 and later layout, not an older one emulated: the
//!   line heights, table cell margins and text wrapping LibreOffice's Word import
//!   implements and `docs/layout-parity.md` measures.
//! - `enableOpenTypeFeatures 1`: Word applies the fonts' OpenType features (ligatures,
//!   kerning tables) as LibreOffice always does, so line widths agree.
//!
//! docx-rs also wrote `spaceForUL`, `ulTrailSpace`, `balanceSingleByteDoubleByteWidth`,
//! `doNotLeaveBackslashAlone`, `useFELayout` (underline and East Asian options for text
//! we never write) and `overrideTableStyleFontSizeAndJustification`,
//! `doNotFlipMirrorIndents`, `differentiateMultirowTableHeaders`,
//! `useWord2013TrackBottomHyphenation` (table styles, mirrored indents, accessibility
//! and hyphenation, none of which our documents use); they are left out, and the
//! LibreOffice parity tests show the layout unchanged.

use super::{DECLARATION, W};

pub fn xml() -> String {
    let setting = |name: &str, val: &str| {
        format!(
            r#"<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{val}"/>"#
        )
    };
    format!(
        r#"{DECLARATION}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:doNotExpandShiftReturn/>{}{}</w:compat></w:settings>"#,
        setting("compatibilityMode", "15"),
        setting("enableOpenTypeFeatures", "1"),
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
                r#"<w:doNotExpandShiftReturn/>"#,
                r#"<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>"#,
                r#"<w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>"#,
                r#"</w:compat></w:settings>"#,
            )
        );
    }
}
