//! What can be wrong in a document source — a template once Handlebars has filled it,
//! or a document file — as data: each problem with its values, shown in Vietnamese or
//! English at the edge ([`SourceProblem::message`]). The line it is on travels beside it.

use crate::diagnostic::Lang;

/// One problem in a document source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceProblem {
    #[error("a template must start with a `+++` line (front matter)")]
    NoFrontMatter,
    #[error("the front matter opened on line 1 is never closed by `+++`")]
    FrontMatterNotClosed,
    /// The TOML reader's own words.
    #[error("front matter: {0}")]
    FrontMatter(String),
    #[error("no date: set `date` in the front matter or run with a date")]
    NoDate,
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("`{0}`: an appendix starts with `+++ appendix` or `+++ appendix landscape`")]
    BadAppendixLine(String),
    #[error("an appendix must start with its name as a heading (`# …`)")]
    AppendixWithoutTitle,
    #[error("this <table> is never closed by a line `</table>`")]
    TableNotClosed,
    #[error("HTML is not accepted in a document source")]
    Html,
    #[error(
        "only paragraphs, headings, lists, emphasis and tables are accepted in a document body"
    )]
    UnsupportedMarkdown,
    /// The XML reader's own words.
    #[error("the table is not well-formed XHTML: {0}")]
    NotWellFormed(String),
    #[error("{name}=\"{value}\" is not a whole number from 1")]
    BadSpan { name: String, value: String },
    #[error("<col width=\"{0}\">: not a positive number")]
    BadColWidth(String),
    #[error("<{0}/> is not accepted in a table (only <col/> and <br/> are empty)")]
    EmptyElement(String),
    #[error("write <col …/> as an empty element")]
    ColNotEmpty,
    #[error("a cell outside a <tr>")]
    CellOutsideRow,
    #[error("align=\"{0}\": use left, center, right or justify")]
    BadAlign(String),
    #[error("<{0}> is not accepted in a table (table, col, thead, tbody, tr, th, td, b, i, br)")]
    ElementNotAccepted(String),
    #[error("text outside a cell: “{0}”")]
    TextOutsideCell(String),
    #[error("unknown entity &{0};")]
    UnknownEntity(String),
    #[error("bad character reference: {0}")]
    BadCharRef(String),
    #[error("no DOCTYPE in a table")]
    DocType,
    #[error("the table has no rows")]
    NoRows,
    #[error("{widths} <col> widths for a table of {columns} columns")]
    WidthCount { widths: usize, columns: usize },
}

impl SourceProblem {
    /// The problem in `lang` (a reader's own words, quoted in it, stay as it said them).
    pub fn message(&self, lang: Lang) -> String {
        use SourceProblem::*;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            NoFrontMatter => "mẫu phải bắt đầu bằng một dòng `+++` (phần khai báo)".into(),
            FrontMatterNotClosed => {
                "phần khai báo mở ở dòng 1 không có dòng `+++` đóng lại".into()
            }
            FrontMatter(detail) => format!("phần khai báo: {detail}"),
            NoDate => {
                "chưa có ngày: khai báo `date` ở phần khai báo hoặc chạy với --date".into()
            }
            BadDate(text) => format!("`{text}` không phải là ngày (YYYY-MM-DD)"),
            BadAppendixLine(line) => format!(
                "`{line}`: phụ lục bắt đầu bằng `+++ appendix` hoặc `+++ appendix landscape`"
            ),
            AppendixWithoutTitle => {
                "phụ lục phải bắt đầu bằng tên của nó, viết như một đề mục (`# …`)".into()
            }
            TableNotClosed => "bảng <table> này không có dòng `</table>` đóng lại".into(),
            Html => "không nhận mã HTML trong nguồn văn bản".into(),
            UnsupportedMarkdown => {
                "thân văn bản chỉ nhận đoạn văn, đề mục, danh sách, chữ nghiêng, chữ đậm và bảng"
                    .into()
            }
            NotWellFormed(detail) => format!("bảng không phải XHTML hợp lệ: {detail}"),
            BadSpan { name, value } => {
                format!("{name}=\"{value}\" không phải là số nguyên từ 1 trở lên")
            }
            BadColWidth(w) => format!("<col width=\"{w}\">: độ rộng phải là số dương"),
            EmptyElement(name) => format!(
                "không nhận <{name}/> trong bảng (chỉ <col/> và <br/> được viết rỗng)"
            ),
            ColNotEmpty => "viết <col …/> thành thẻ rỗng".into(),
            CellOutsideRow => "ô nằm ngoài <tr>".into(),
            BadAlign(a) => format!("align=\"{a}\": dùng left, center, right hoặc justify"),
            ElementNotAccepted(name) => format!(
                "không nhận <{name}> trong bảng (chỉ table, col, thead, tbody, tr, th, td, b, i, br)"
            ),
            TextOutsideCell(text) => format!("chữ nằm ngoài ô: “{text}”"),
            UnknownEntity(name) => format!("không biết ký hiệu &{name};"),
            BadCharRef(detail) => format!("mã ký tự sai: {detail}"),
            DocType => "không nhận DOCTYPE trong bảng".into(),
            NoRows => "bảng không có dòng nào".into(),
            WidthCount { widths, columns } => {
                format!("có {widths} độ rộng <col> cho một bảng {columns} cột")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_shown_in_either_language_with_its_values() {
        let p = SourceProblem::WidthCount {
            widths: 2,
            columns: 3,
        };
        assert_eq!(
            p.message(Lang::En),
            "2 <col> widths for a table of 3 columns"
        );
        assert_eq!(p.message(Lang::Vi), "có 2 độ rộng <col> cho một bảng 3 cột");
        let d = SourceProblem::BadDate("2025-13-01".into());
        assert!(d.message(Lang::Vi).contains("2025-13-01"));
        assert!(d.message(Lang::En).contains("2025-13-01"));
    }
}
