//! XHTML tables in a document source, for what GFM tables cannot say: merged cells
//! (`colspan`, `rowspan`), set column widths, and bold total rows.
//!
//! ```text
//! <table>
//! <col width="1"/><col width="6"/><col width="2"/>
//! <thead>
//! <tr><th rowspan="2">STT</th><th rowspan="2">Đơn vị</th><th>Kết quả</th></tr>
//! <tr><th>(1)</th></tr>
//! </thead>
//! <tr><td>1</td><td>Thôn Phú Thái</td><td align="right">12</td></tr>
//! <tr class="total"><td colspan="2">Tổng cộng</td><td align="right">12</td></tr>
//! </table>
//! ```
//!
//! The markup must be well formed. Rows in `<thead>` (or of `<th>` cells only) repeat on
//! every page; `<th>` cells are bold and centred; a row with `class="total"` is bold.
//! Inside cells: text, `<b>`/`<strong>`, `<i>`/`<em>`, `<br/>`. Character references
//! (`&lt;`, `&amp;`, `&#7843;`) and Markdown's backslash escapes (`\*`) are read as the
//! characters they stand for, so a value escaped for the Markdown body is text here too.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::inlines::{column_widths, trim_inlines};
use super::line_index::LineIndex;
use crate::doc::{Align, Cell, Inline, Row, Table};

use super::problem::SourceProblem;

type Located<T> = Result<T, (usize, SourceProblem)>;

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

/// Markdown's backslash escapes: a backslash before ASCII punctuation stands for it.
fn unescape_backslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if next.is_ascii_punctuation() {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

struct Builder {
    rows: Vec<Row>,
    widths: Vec<f32>,
    row: Option<(Vec<Cell>, bool, bool)>,
    cell: Option<Cell>,
    header_section: bool,
    bold: u32,
    italic: u32,
}

impl Builder {
    fn push_text(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        let Some(cell) = self.cell.as_mut() else {
            return;
        };
        // Whitespace between words collapses, as in HTML.
        let mut collapsed = String::with_capacity(text.len());
        let mut space = false;
        for ch in text.chars() {
            if ch.is_whitespace() {
                space = true;
            } else {
                if space {
                    collapsed.push(' ');
                }
                space = false;
                collapsed.push(ch);
            }
        }
        if space {
            collapsed.push(' ');
        }
        if let Some(Inline::Text {
            text: t,
            bold: b,
            italic: i,
        }) = cell.inlines.last_mut()
        {
            if *b == bold && *i == italic {
                if !(t.ends_with(' ') && collapsed.starts_with(' ')) {
                    t.push_str(&collapsed);
                } else {
                    t.push_str(&collapsed[1..]);
                }
                return;
            }
        }
        cell.inlines.push(Inline::Text {
            text: collapsed,
            bold,
            italic,
        });
    }
}

fn number(e: &BytesStart<'_>, name: &str, line: usize) -> Located<u32> {
    match attr(e, name) {
        None => Ok(1),
        Some(v) => match v.trim().parse::<u32>() {
            Ok(n) if (1..=1000).contains(&n) => Ok(n),
            _ => Err((
                line,
                SourceProblem::BadSpan {
                    name: name.to_string(),
                    value: v,
                },
            )),
        },
    }
}

/// Reads one `<table>…</table>` block of a portrait page. Errors give the line within
/// `xml` (from 1).
pub fn read_table(xml: &str) -> Located<Table> {
    read_table_in(xml, crate::nd30::text_width().0)
}

/// Reads one `<table>…</table>` block for a text `width` (points) wide: a table without
/// `<col>` widths gets widths from its content, for that width.
pub fn read_table_in(xml: &str, width: f32) -> Located<Table> {
    let mut reader = Reader::from_str(xml);
    let lines = LineIndex::new(xml);
    let line_at = |pos: u64| lines.line(usize::try_from(pos).unwrap_or(usize::MAX));
    let mut b = Builder {
        rows: Vec::new(),
        widths: Vec::new(),
        row: None,
        cell: None,
        header_section: false,
        bold: 0,
        italic: 0,
    };
    let mut depth = 0usize;
    loop {
        let pos = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            (
                line_at(reader.error_position()),
                SourceProblem::NotWellFormed(e.to_string()),
            )
        })?;
        let line = line_at(pos);
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "br" => {
                if let Some(c) = b.cell.as_mut() {
                    c.inlines.push(Inline::LineBreak);
                }
            }
            Event::Empty(e) if e.name().as_ref() == "col" => {
                let w = attr(&e, "width").unwrap_or_else(|| "1".into());
                match w.trim().trim_end_matches('%').parse::<f32>() {
                    Ok(w) if w > 0.0 && w.is_finite() => b.widths.push(w),
                    _ => return Err((line, SourceProblem::BadColWidth(w))),
                }
            }
            Event::Empty(e) => {
                return Err((
                    line,
                    SourceProblem::EmptyElement(e.name().as_ref().to_string()),
                ))
            }
            Event::Start(e) => {
                depth += 1;
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "table" if depth == 1 => {}
                    "colgroup" | "tbody" => {}
                    "col" => {
                        return Err((line, SourceProblem::ColNotEmpty));
                    }
                    "thead" => b.header_section = true,
                    "tr" => {
                        let total = attr(&e, "class")
                            .is_some_and(|c| c.split_whitespace().any(|w| w == "total"));
                        b.row = Some((Vec::new(), b.header_section, total));
                        if total {
                            b.bold += 1;
                        }
                    }
                    "td" | "th" => {
                        if b.row.is_none() {
                            return Err((line, SourceProblem::CellOutsideRow));
                        }
                        let th = name == "th";
                        let align = match attr(&e, "align").as_deref() {
                            Some("left") => Align::Left,
                            Some("right") => Align::Right,
                            Some("center") => Align::Center,
                            Some("justify") => Align::Justify,
                            None if th => Align::Center,
                            None => Align::Left,
                            Some(other) => {
                                return Err((line, SourceProblem::BadAlign(other.to_string())))
                            }
                        };
                        let mut cell = Cell::new(Vec::new(), align);
                        cell.colspan = number(&e, "colspan", line)?;
                        cell.rowspan = number(&e, "rowspan", line)?;
                        b.cell = Some(cell);
                        if th {
                            b.bold += 1;
                        }
                    }
                    "b" | "strong" => b.bold += 1,
                    "i" | "em" => b.italic += 1,
                    other => {
                        return Err((line, SourceProblem::ElementNotAccepted(other.to_string())))
                    }
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    "thead" => b.header_section = false,
                    "tr" => {
                        if let Some((cells, header, total)) = b.row.take() {
                            if total {
                                b.bold = b.bold.saturating_sub(1);
                            }
                            b.rows.push(Row { cells, header });
                        }
                    }
                    name @ ("td" | "th") => {
                        if name == "th" {
                            b.bold = b.bold.saturating_sub(1);
                        }
                        if let (Some(mut cell), Some(row)) = (b.cell.take(), b.row.as_mut()) {
                            trim_inlines(&mut cell.inlines);
                            row.0.push(cell);
                        }
                    }
                    "b" | "strong" => b.bold = b.bold.saturating_sub(1),
                    "i" | "em" => b.italic = b.italic.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let text = unescape_backslashes(&t.xml10_content());
                if b.cell.is_some() {
                    b.push_text(&text);
                } else if !text.trim().is_empty() {
                    return Err((
                        line,
                        SourceProblem::TextOutsideCell(text.trim().to_string()),
                    ));
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match r.xml10_content().as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => {
                            return Err((line, SourceProblem::UnknownEntity(other.to_string())))
                        }
                    },
                    Err(e) => return Err((line, SourceProblem::BadCharRef(e.to_string()))),
                };
                if b.cell.is_some() {
                    // A reference is never markup: add it as it is, past the unescaper.
                    b.push_text(&ch);
                }
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::DocType(_) => return Err((line, SourceProblem::DocType)),
        }
    }
    if b.rows.is_empty() {
        return Err((1, SourceProblem::NoRows));
    }
    let grid = crate::doc::grid_columns(&b.rows);
    let columns = b
        .rows
        .iter()
        .zip(&grid)
        .map(|(r, starts)| {
            r.cells
                .iter()
                .zip(starts)
                .map(|(c, s)| s + c.colspan.max(1) as usize)
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let widths = if b.widths.is_empty() {
        column_widths(&b.rows, columns, width)
    } else if b.widths.len() == columns {
        b.widths
    } else {
        return Err((
            1,
            SourceProblem::WidthCount {
                widths: b.widths.len(),
                columns,
            },
        ));
    };
    Ok(Table {
        widths,
        rows: b.rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| {
                        c.inlines
                            .iter()
                            .map(|i| match i {
                                Inline::Text { text, .. } => text.clone(),
                                Inline::LineBreak => "\n".into(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    const TWO_LEVEL: &str = r#"<table>
<thead>
<tr><th rowspan="2">STT</th><th rowspan="2">Đơn vị</th><th colspan="2">Tuyên truyền</th></tr>
<tr><th>Tin, bài</th><th>Zalo</th></tr>
</thead>
<tr><td>1</td><td>Thôn  Phú
Thái</td><td align="right">3</td><td align="right">4</td></tr>
<tr class="total"><td colspan="2">Tổng cộng</td><td align="right">3</td><td align="right">4</td></tr>
</table>
"#;

    #[test]
    fn a_two_level_header_with_spans() {
        let t = read_table(TWO_LEVEL).unwrap();
        assert_eq!(t.widths.len(), 4);
        assert_eq!(t.rows.len(), 4);
        assert!(t.rows[0].header && t.rows[1].header && !t.rows[2].header);
        assert_eq!(t.rows[0].cells[0].rowspan, 2);
        assert_eq!(t.rows[0].cells[2].colspan, 2);
        assert_eq!(
            crate::doc::grid_columns(&t.rows),
            [vec![0, 1, 2], vec![2, 3], vec![0, 1, 2, 3], vec![0, 2, 3]]
        );
        assert_eq!(texts(&t)[2][1], "Thôn Phú Thái");
        assert_eq!(t.rows[2].cells[2].align, Align::Right);
        // The total row is bold; header cells are bold and centred.
        assert!(matches!(
            t.rows[3].cells[0].inlines[0],
            Inline::Text { bold: true, .. }
        ));
        assert!(matches!(
            t.rows[1].cells[0].inlines[0],
            Inline::Text { bold: true, .. }
        ));
        assert_eq!(t.rows[1].cells[0].align, Align::Center);
        assert!(matches!(
            t.rows[2].cells[0].inlines[0],
            Inline::Text { bold: false, .. }
        ));
    }

    #[test]
    fn escaped_values_stay_text() {
        let name = "*Thôn | 1* <b>&amp; {{x}} \\ </td>";
        let cell = super::super::source::escape_markdown(name);
        let t = read_table(&format!("<table><tr><td>{cell}</td></tr></table>")).unwrap();
        assert_eq!(texts(&t)[0][0], name.trim());
    }

    #[test]
    fn widths_and_errors_name_their_line() {
        let t = read_table("<table>\n<col width=\"1\"/><col width=\"3\"/>\n<tr><td>a</td><td>b</td></tr>\n</table>").unwrap();
        assert_eq!(t.widths, [1.0, 3.0]);
        let e = read_table("<table>\n<tr><td>a</td><td>b</td></tr>\n<tr><td>c</tr>\n</table>")
            .unwrap_err();
        assert_eq!(e.0, 3, "{e:?}");
        let e = read_table("<table>\n<tr>\n<td><img src=\"x\"/></td></tr></table>").unwrap_err();
        assert_eq!(e.0, 3, "{e:?}");
        assert_eq!(e.1, SourceProblem::EmptyElement("img".into()));
        let e = read_table("<table>\n<col width=\"1\"/>\n<tr><td>a</td><td>b</td></tr></table>")
            .unwrap_err();
        assert_eq!(
            e.1,
            SourceProblem::WidthCount {
                widths: 1,
                columns: 2
            }
        );
        let e = read_table("<table><tr><td rowspan=\"0\">a</td></tr></table>").unwrap_err();
        assert_eq!(
            e.1,
            SourceProblem::BadSpan {
                name: "rowspan".into(),
                value: "0".into()
            }
        );
    }
}
