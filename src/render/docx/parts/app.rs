//! `docProps/app.xml`: the application that wrote the package.

use super::DECLARATION;

/// The extended properties: the application's name and version.
pub fn xml() -> String {
    format!(
        r#"{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>vanthu</Application><AppVersion>{}</AppVersion></Properties>"#,
        app_version()
    )
}

/// `AppVersion` must read `XX.YYYY` (two digits, a dot, four): the crate's major and
/// minor version in that shape.
fn app_version() -> String {
    let major: u32 = env!("CARGO_PKG_VERSION_MAJOR").parse().unwrap_or(0);
    let minor: u32 = env!("CARGO_PKG_VERSION_MINOR").parse().unwrap_or(0);
    format!("{:02}.{:04}", major % 100, minor % 10_000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn golden() {
        let want = format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#,
                r#"<Application>vanthu</Application><AppVersion>{}</AppVersion></Properties>"#,
            ),
            super::app_version()
        );
        assert_eq!(super::xml(), want);
        let v = super::app_version();
        assert_eq!((v.len(), &v[2..3]), (7, "."));
    }
}
