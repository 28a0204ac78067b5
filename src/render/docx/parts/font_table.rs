//! `word/fontTable.xml`: the one face every run uses (Decree 30: Times New Roman).

use super::{DECLARATION, W};
use crate::nd30;

pub fn xml() -> String {
    format!(
        r#"{DECLARATION}<w:fonts xmlns:w="{W}"><w:font w:name="{}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#,
        nd30::FONT_FAMILY
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
                r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
                r#"<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/>"#,
                r#"<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#,
            )
        );
    }
}
