//! `word/theme/theme1.xml`: the theme Word expects every document to have (the Open
//! XML SDK calls a package without one invalid). Office's colours, and Times New Roman
//! as both theme fonts, so nothing that falls back to the theme leaves Decree 30's face.

use super::DECLARATION;
use crate::nd30;

const COLOURS: [(&str, &str); 10] = [
    ("dk2", "44546A"),
    ("lt2", "E7E6E6"),
    ("accent1", "4472C4"),
    ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"),
    ("accent4", "FFC000"),
    ("accent5", "5B9BD5"),
    ("accent6", "70AD47"),
    ("hlink", "0563C1"),
    ("folHlink", "954F72"),
];

pub fn xml() -> String {
    let mut colours = String::from(
        r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
    );
    for (name, rgb) in COLOURS {
        colours.push_str(&format!(r#"<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>"#));
    }
    let face = nd30::FONT_FAMILY;
    let font = format!(r#"<a:latin typeface="{face}"/><a:ea typeface=""/><a:cs typeface=""/>"#);
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let line = format!(r#"<a:ln w="6350">{fill}</a:ln>"#);
    let effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
    format!(
        concat!(
            r#"{decl}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="vanthu">"#,
            r#"<a:themeElements><a:clrScheme name="Office">{colours}</a:clrScheme>"#,
            r#"<a:fontScheme name="vanthu"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont></a:fontScheme>"#,
            r#"<a:fmtScheme name="Office"><a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst>"#,
            r#"<a:lnStyleLst>{line}{line}{line}</a:lnStyleLst>"#,
            r#"<a:effectStyleLst>{effect}{effect}{effect}</a:effectStyleLst>"#,
            r#"<a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst></a:fmtScheme>"#,
            r#"</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
        ),
        decl = DECLARATION,
        colours = colours,
        font = font,
        fill = fill,
        line = line,
        effect = effect,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn golden() {
        let xml = super::xml();
        let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
        let want = [
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="vanthu">"#,
            r#"<a:themeElements><a:clrScheme name="Office">"#,
            r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
            r#"<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>"#,
            r#"<a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>"#,
            r#"<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>"#,
            r#"<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>"#,
            r#"<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>"#,
            r#"</a:clrScheme><a:fontScheme name="vanthu">"#,
            r#"<a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>"#,
            r#"<a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>"#,
            r#"</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>"#,
            fill,
            fill,
            fill,
            r#"</a:fillStyleLst><a:lnStyleLst>"#,
            r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
            r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
            r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
            r#"</a:lnStyleLst><a:effectStyleLst>"#,
            r#"<a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>"#,
            r#"</a:effectStyleLst><a:bgFillStyleLst>"#,
            fill,
            fill,
            fill,
            r#"</a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
        ]
        .concat();
        assert_eq!(xml, want);
    }
}
