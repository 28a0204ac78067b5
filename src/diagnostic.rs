//! Diagnostics: what is wrong with an input, where, and how to fix it. Many per run,
//! collected, never only the first. A diagnostic carries its message in both languages;
//! the edge (CLI, web page, JSON) shows it in Vietnamese by default, English on request.

use serde::Serialize;

/// Language of messages shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Tiếng Việt (default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Picks the Vietnamese or the English text.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// A text in both languages, the one shown chosen at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub vi: String,
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One located problem in one input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code (`E-NUMBER-TEXT`, `W-FUZZY-LABEL`…) that tests and scripts can rely on.
    pub code: &'static str,
    pub file: String,
    pub sheet: Option<String>,
    /// A1 reference of the cell, when the problem is in one.
    pub cell: Option<String>,
    /// What is wrong, with the values that say so.
    pub message: Text,
    /// How to fix it.
    pub hint: Text,
}

/// A diagnostic as shown in one language: what `--json` and the web page carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'static str,
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub cell: Option<&'a str>,
    pub message: &'a str,
    pub hint: &'a str,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic in `lang`, for JSON and the web page.
    pub fn shown(&self, lang: Lang) -> ShownDiagnostic<'_> {
        ShownDiagnostic {
            severity: self.severity,
            code: self.code,
            file: &self.file,
            sheet: self.sheet.as_deref(),
            cell: self.cell.as_deref(),
            message: self.message.get(lang),
            hint: self.hint.get(lang),
        }
    }

    /// Where it is and what: "tep.xlsx › Tiến độ › E12 [E-NUMBER-TEXT]".
    pub fn place(&self) -> String {
        let mut place = self.file.clone();
        for part in [&self.sheet, &self.cell].into_iter().flatten() {
            place.push_str(" › ");
            place.push_str(part);
        }
        format!("{place} [{}]", self.code)
    }

    /// One line for a terminal: `lỗi E-NUMBER-TEXT tep.xlsx › Tiến độ › E12: … (… )`.
    pub fn render(&self, lang: Lang) -> String {
        let sev = match self.severity {
            Severity::Error => lang.pick("lỗi", "error"),
            Severity::Warning => lang.pick("cảnh báo", "warning"),
        };
        let mut place = self.file.clone();
        if let Some(s) = &self.sheet {
            place.push_str(" › ");
            place.push_str(s);
        }
        if let Some(c) = &self.cell {
            place.push_str(" › ");
            place.push_str(c);
        }
        let hint_label = lang.pick("cách sửa", "fix");
        format!(
            "{sev} [{}] {place}: {}\n    {hint_label}: {}",
            self.code,
            self.message.get(lang),
            self.hint.get(lang)
        )
    }
}

/// A1 reference of a 0-based (row, column): (0,0) → "A1", (11,27) → "AB12".
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 4), "E12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 27), "AB10");
        assert_eq!(a1(0, 16383), "XFD1");
    }
}
