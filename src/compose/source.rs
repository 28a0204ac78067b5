//! The document source a template renders to:
//!
//! ```text
//! +++
//! kind = "report"                      # report | notice | plan | official-letter
//! summary = "Kết quả triển khai …"     # trích yếu
//! recipients = ["Như trên;", "Lưu: VT, VHXH."]
//! +++
//! Body in CommonMark with GFM tables.
//! ```
//!
//! Unknown front-matter keys are errors. Ordered and bullet lists become paragraphs that
//! keep their markers ("1.", "-"), as Vietnamese documents number by hand.
//!
//! Tables that need merged cells or set widths are written as well-formed XHTML, from a
//! line starting `<table` to a line `</table>` (see [`xhtml`]).
//!
//! An appendix (phụ lục) starts at a line `+++ appendix` (or `+++ appendix landscape`);
//! its first heading is its name, and everything after it, up to the next appendix, is
//! its content. The heading "Phụ lục I" and the line "(Kèm theo … số … ngày … của …)"
//! are made from the frame.

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use serde_json::Value;

use super::inlines::{column_widths, trim_inlines};
use super::line_index::LineIndex;
use super::problem::SourceProblem;
use super::xhtml;
use crate::doc::{
    Align, Appendix, Block, Cell, Date, DocKind, Document, Draft, Frame, Inline, Orientation,
    Paragraph, Row, Secrecy, Signer, Table, Urgency,
};
use crate::project::Project;
use crate::text::nfc;

/// A result whose error is a problem and the line it is on.
type Located<T> = Result<T, (usize, SourceProblem)>;

/// The frame keys a template may set; the agency and signer come from the project.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    kind: DocKind,
    summary: String,
    #[serde(default)]
    symbol: Option<String>,
    #[serde(default)]
    number: Option<u32>,
    /// `YYYY-MM-DD`; defaults to the run's date.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    addressees: Vec<String>,
    #[serde(default)]
    recipients: Vec<String>,
    /// Title of the file's properties; defaults to type name + summary.
    #[serde(default)]
    title: Option<String>,
    /// Dấu chỉ độ mật: "secret" (MẬT), "top-secret" (TỐI MẬT), "ultra-secret" (TUYỆT MẬT).
    #[serde(default)]
    secrecy: Option<Secrecy>,
    /// Dấu chỉ mức độ khẩn: "urgent" (KHẨN), "very-urgent" (THƯỢNG KHẨN), "express" (HỎA TỐC).
    #[serde(default)]
    urgency: Option<Urgency>,
    /// `draft = true` prints "DỰ THẢO"; `draft = 2` prints "DỰ THẢO LẦN 2".
    #[serde(default)]
    draft: Option<DraftMark>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DraftMark {
    Flag(bool),
    Round(u32),
}

/// Splits a template file at its `+++` lines. The two parts keep their line numbers
/// (padded with empty lines), so errors point at the file's own lines.
pub fn split_template(text: &str) -> Located<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim()) != Some("+++") {
        return Err((1, SourceProblem::NoFrontMatter));
    }
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim() == "+++")
        .map(|p| p + 1)
        .ok_or((1, SourceProblem::FrontMatterNotClosed))?;
    let front = format!("\n{}\n", lines[1..end].join("\n"));
    let body = format!("{}{}\n", "\n".repeat(end + 1), lines[end + 1..].join("\n"));
    Ok((front, body))
}

/// Escapes a value for a TOML basic string.
pub fn escape_toml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes a value for the Markdown body: every character that could start markup is
/// backslash-escaped, and line breaks become spaces.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            // As character references, which Markdown and XHTML both read back as text.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '{' | '}' | '+' | '-'
            | '=' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Reads a rendered source into a document. `context.date` gives the default date.
pub fn read(project: &Project, front: &str, body: &str, context: &Value) -> Located<Document> {
    let fm: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| front[..s.start].matches('\n').count() + 1);
        (
            line,
            SourceProblem::FrontMatter(e.message().trim().to_string()),
        )
    })?;
    let date_text = fm
        .date
        .clone()
        .or_else(|| {
            context
                .pointer("/date/iso")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .ok_or((1, SourceProblem::NoDate))?;
    let date = Date::parse(&date_text).ok_or((1, SourceProblem::BadDate(date_text.clone())))?;
    let agency = &project.agency;
    let symbol = fm.symbol.unwrap_or_else(|| match fm.kind.abbreviation() {
        Some(abbr) => format!("{abbr}-{}", agency.short),
        None => format!("{}-{}", agency.short, agency.office_short),
    });
    let summary = nfc(fm.summary.trim());
    let title = fm.title.unwrap_or_else(|| match fm.kind.name() {
        Some(name) => format!("{name} {summary}"),
        None => format!("V/v {summary}"),
    });
    let frame = Frame {
        parent_agency: agency.parent.clone(),
        agency: agency.name.clone(),
        number: fm.number,
        symbol,
        place: agency.place.clone(),
        date,
        kind: fm.kind,
        summary,
        addressees: fm.addressees.iter().map(|s| nfc(s.trim())).collect(),
        signer: Signer {
            authority: project.signer.authority,
            acting_for: project.signer.acting_for.clone(),
            position: project.signer.position.clone(),
            name: project.signer.name.clone(),
        },
        recipients: fm.recipients.iter().map(|s| nfc(s.trim())).collect(),
        secrecy: fm.secrecy,
        urgency: fm.urgency,
        draft: match fm.draft {
            None | Some(DraftMark::Flag(false)) => None,
            Some(DraftMark::Flag(true)) => Some(Draft { round: None }),
            Some(DraftMark::Round(n)) => Some(Draft { round: Some(n) }),
        },
        contact: agency.contact.as_deref().map(|c| nfc(c.trim())),
        seal: agency
            .seal_mm
            .map_or(crate::nd30::SEAL_DIAMETER, crate::units::Mm),
        // A date set in the front matter is the document's own; otherwise the run's
        // (with its day and month left for the issue, if it says so).
        day_at_issue: fm.date.is_none()
            && context
                .pointer("/date/at_issue")
                .and_then(Value::as_bool)
                .unwrap_or(false),
    };
    let body = nfc(body);
    let (main, parts) = split_appendices(&body)?;
    let body = read_body(&main, crate::nd30::text_width().0)?;
    let count = parts.len();
    let appendices = parts
        .into_iter()
        .enumerate()
        .map(|(i, (orientation, text, line))| {
            let mut blocks = read_body(&text, crate::nd30::text_width_of(orientation).0)?;
            let title = match blocks.first() {
                Some(Block::Paragraph(p)) if p.keep_with_next => crate::text::upper(&p.text()),
                _ => return Err((line, SourceProblem::AppendixWithoutTitle)),
            };
            blocks.remove(0);
            let heading = if count > 1 {
                format!("Phụ lục {}", crate::format::roman(i as u32 + 1))
            } else {
                "Phụ lục".to_string()
            };
            Ok(Appendix {
                heading,
                title,
                reference: reference_line(&frame, project),
                orientation,
                body: blocks,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Document {
        frame,
        body,
        appendices,
        title,
    })
}

/// "(Kèm theo Báo cáo số 05/BC-UBND ngày 05 tháng 11 năm 2025 của Ủy ban nhân dân xã
/// Phú Thái)" (Phụ lục I, mục III.1). An unnumbered document leaves the number blank.
/// An electronic issue leaves the number, the day and the month blank whatever the run
/// gives: "đối với văn bản điện tử, không phải điền thông tin tại các vị trí này".
pub(crate) fn reference_line(frame: &Frame, project: &Project) -> String {
    let kind = frame.kind.name().unwrap_or("Công văn");
    let electronic = project.issue_mode() == crate::project::IssueMode::Electronic;
    let (number, date) = if electronic {
        (
            crate::nd30::number_and_symbol(None, &frame.symbol),
            crate::nd30::date_words_at_issue(frame.date.year),
        )
    } else {
        (
            crate::nd30::number_and_symbol(frame.number, &frame.symbol),
            frame.date_words(),
        )
    };
    let agency = project.agency.in_sentence();
    format!("(Kèm theo {kind} số {number} {date} của {agency})")
}

/// The body's own text and each appendix: (orientation, text, line of its `+++`).
/// Line numbers are kept by padding each part with empty lines.
#[allow(clippy::type_complexity)]
fn split_appendices(body: &str) -> Located<(String, Vec<(Orientation, String, usize)>)> {
    let mut main = String::new();
    let mut parts: Vec<(Orientation, String, usize)> = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("+++") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let orientation = match words.as_slice() {
                ["appendix"] | ["appendix", "portrait"] => Orientation::Portrait,
                ["appendix", "landscape"] => Orientation::Landscape,
                _ => return Err((i + 1, SourceProblem::BadAppendixLine(trimmed.to_string()))),
            };
            parts.push((orientation, "\n".repeat(i + 1), i + 1));
            continue;
        }
        let target = match parts.last_mut() {
            Some(p) => &mut p.1,
            None => &mut main,
        };
        target.push_str(line);
        target.push('\n');
    }
    Ok((main, parts))
}

/// A body: Markdown, with XHTML tables from a line `<table` to a line `</table>`.
/// `width`: the text width of the pages the body is on (for tables' content widths).
fn read_body(text: &str, width: f32) -> Located<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut markdown = String::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        if !line.trim_start().starts_with("<table") {
            markdown.push_str(line);
            markdown.push('\n');
            continue;
        }
        blocks.extend(read_markdown(&markdown, width)?);
        // The Markdown read so far is replaced by as many empty lines, so the next
        // part's line numbers stay those of the file.
        markdown = "\n".repeat(i + 1);
        let mut xml = format!("{line}\n");
        let mut closed = line.trim_end().ends_with("</table>");
        while !closed {
            let Some((_, next)) = lines.next() else {
                return Err((i + 1, SourceProblem::TableNotClosed));
            };
            xml.push_str(next);
            xml.push('\n');
            markdown.push('\n');
            closed = next.trim() == "</table>" || next.trim_end().ends_with("</table>");
        }
        blocks.push(Block::Table(
            xhtml::read_table_in(&xml, width).map_err(|(l, m)| (i + l, m))?,
        ));
    }
    blocks.extend(read_markdown(&markdown, width)?);
    Ok(blocks)
}

#[derive(Default)]
struct Style {
    bold: u32,
    italic: u32,
}

/// An open list: its next number, or `None` for bullets.
struct List {
    next: Option<u64>,
}

fn read_markdown(text: &str, width: f32) -> Located<Vec<Block>> {
    let mut blocks = Vec::new();
    let mut style = Style::default();
    let mut inlines: Vec<Inline> = Vec::new();
    let mut lists: Vec<List> = Vec::new();
    let mut pending_marker: Option<String> = None;
    let mut heading = false;
    let mut table: Option<(Vec<Alignment>, Vec<Row>, bool)> = None;
    let mut row: Vec<Cell> = Vec::new();

    let push_text = |inlines: &mut Vec<Inline>, style: &Style, text: &str| {
        let (bold, italic) = (style.bold > 0, style.italic > 0);
        if let Some(Inline::Text {
            text: t,
            bold: b,
            italic: i,
        }) = inlines.last_mut()
        {
            if *b == bold && *i == italic {
                t.push_str(text);
                return;
            }
        }
        inlines.push(Inline::Text {
            text: text.to_string(),
            bold,
            italic,
        });
    };

    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .into_offset_iter();
    let lines = LineIndex::new(text);
    for (event, range) in parser {
        let line = lines.line(range.start);
        match event {
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) => {
                inlines.clear();
                heading = matches!(event, Event::Start(Tag::Heading { .. }));
                if heading {
                    style.bold += 1;
                }
                if let Some(m) = pending_marker.take() {
                    push_text(&mut inlines, &style, &m);
                }
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                if heading {
                    style.bold = style.bold.saturating_sub(1);
                }
                close_paragraph(&mut blocks, &mut inlines, heading);
                heading = false;
            }
            Event::Start(Tag::List(start)) => lists.push(List { next: start }),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                let marker = match lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                pending_marker = Some(marker);
            }
            // A tight list item has no paragraph events: close its text here.
            Event::End(TagEnd::Item) if !inlines.is_empty() || pending_marker.is_some() => {
                if let Some(m) = pending_marker.take() {
                    inlines.insert(0, Inline::plain(m));
                }
                close_paragraph(&mut blocks, &mut inlines, false);
            }
            Event::Start(Tag::Strong) => style.bold += 1,
            Event::End(TagEnd::Strong) => style.bold = style.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => style.italic += 1,
            Event::End(TagEnd::Emphasis) => style.italic = style.italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some(m) = pending_marker.take() {
                    push_text(&mut inlines, &style, &m);
                }
                push_text(&mut inlines, &style, &t);
            }
            Event::SoftBreak => push_text(&mut inlines, &style, " "),
            Event::HardBreak => inlines.push(Inline::LineBreak),
            Event::Start(Tag::Table(aligns)) => table = Some((aligns, Vec::new(), false)),
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.2 = true;
                }
                row.clear();
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some((_, rows, header)) = table.as_mut() {
                    rows.push(Row {
                        cells: std::mem::take(&mut row),
                        header: *header,
                    });
                    *header = false;
                }
            }
            Event::Start(Tag::TableCell) => {
                inlines.clear();
                if table.as_ref().is_some_and(|t| t.2) {
                    style.bold += 1;
                }
            }
            Event::End(TagEnd::TableCell) => {
                let header = table.as_ref().is_some_and(|t| t.2);
                if header {
                    style.bold = style.bold.saturating_sub(1);
                }
                let col = row.len();
                let align = match table.as_ref().and_then(|t| t.0.get(col)) {
                    _ if header => Align::Center,
                    Some(Alignment::Center) => Align::Center,
                    Some(Alignment::Right) => Align::Right,
                    _ => Align::Left,
                };
                trim_inlines(&mut inlines);
                row.push(Cell::new(std::mem::take(&mut inlines), align));
            }
            Event::End(TagEnd::Table) => {
                if let Some((aligns, rows, _)) = table.take() {
                    let widths = column_widths(&rows, aligns.len(), width);
                    blocks.push(Block::Table(Table { widths, rows }));
                }
            }
            Event::Rule => blocks.push(Block::PageBreak),
            Event::Html(_) | Event::InlineHtml(_) => {
                return Err((line, SourceProblem::Html));
            }
            Event::Start(Tag::Image { .. })
            | Event::Start(Tag::Link { .. })
            | Event::Start(Tag::BlockQuote(_))
            | Event::Start(Tag::CodeBlock(_)) => {
                return Err((line, SourceProblem::UnsupportedMarkdown));
            }
            _ => {}
        }
    }
    Ok(blocks)
}

/// Ends a body paragraph: its runs, trimmed, become a justified, indented paragraph.
fn close_paragraph(blocks: &mut Vec<Block>, inlines: &mut Vec<Inline>, keep_with_next: bool) {
    trim_inlines(inlines);
    blocks.push(Block::Paragraph(Paragraph {
        inlines: std::mem::take(inlines),
        align: Align::Justify,
        indent: true,
        keep_with_next,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_values_stay_text() {
        let name = "*Thôn | 1* <b>&amp; {{x}} # [a](b) - 1.";
        let md = format!("Đơn vị {} báo cáo.\n", escape_markdown(name));
        let blocks = read_markdown(&md, crate::nd30::text_width().0).unwrap();
        match &blocks[..] {
            [Block::Paragraph(p)] => assert_eq!(p.text(), format!("Đơn vị {name} báo cáo.")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn toml_values_stay_strings() {
        let v = "a \" b \\ c\nd";
        let parsed: toml::Value = toml::from_str(&format!("x = \"{}\"", escape_toml(v))).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("a \" b \\ c d"));
    }

    #[test]
    fn lists_keep_their_markers() {
        let blocks =
            read_markdown("1. Một\n2. Hai\n\n- Gạch\n", crate::nd30::text_width().0).unwrap();
        let texts: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["1. Một", "2. Hai", "- Gạch"]);
    }

    #[test]
    fn tables_have_header_rows() {
        let blocks = read_markdown(
            "| A | B |\n|---|--:|\n| x | 1 |\n",
            crate::nd30::text_width().0,
        )
        .unwrap();
        match &blocks[..] {
            [Block::Table(t)] => {
                assert_eq!(t.rows.len(), 2);
                assert!(t.rows[0].header);
                assert!(!t.rows[1].header);
                assert_eq!(t.rows[1].cells[1].align, Align::Right);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn table_columns_hold_their_longest_word() {
        let blocks = read_markdown("| STT | Chỉ tiêu rất dài của bảng tổng hợp kết quả thực hiện phong trào | Tỷ lệ |\n|---|---|---|\n| 1 | x | 85,3% |\n", crate::nd30::text_width().0).unwrap();
        let Block::Table(t) = &blocks[0] else {
            panic!()
        };
        let total: f32 = t.widths.iter().sum();
        assert!((total - crate::nd30::text_width().0).abs() < 0.01);
        let stt = crate::fonts::text_width(
            "STT",
            crate::fonts::FaceStyle::Bold,
            crate::nd30::TABLE_SIZE,
        )
        .0;
        assert!(
            t.widths[0] >= stt + 2.0 * crate::nd30::CELL_PADDING.0,
            "{:?}",
            t.widths
        );
        assert!(t.widths[1] > t.widths[0] && t.widths[1] > t.widths[2]);
    }

    #[test]
    fn appendices_split_off_with_their_orientation_and_line_numbers() {
        let body =
            "Mở đầu.\n\n+++ appendix landscape\n# Kết quả\n\nNội dung.\n+++ appendix\n# Hai\n";
        let (main, parts) = split_appendices(body).unwrap();
        assert_eq!(
            read_body(&main, crate::nd30::text_width().0).unwrap().len(),
            1
        );
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].0, Orientation::Landscape);
        assert_eq!(parts[1].0, Orientation::Portrait);
        assert_eq!((parts[0].2, parts[1].2), (3, 7));
        // The part keeps the file's line numbers: its heading is on line 4.
        assert_eq!(parts[0].1.lines().nth(3), Some("# Kết quả"));
        let e = split_appendices("a\n+++ appendix sideways\n").unwrap_err();
        assert_eq!(e.0, 2, "{e:?}");
    }

    #[test]
    fn an_xhtml_table_sits_among_markdown_and_its_errors_keep_the_file_line() {
        let body = "Trước.\n\n<table>\n<tr><td>a</td><td rowspan=\"2\">b</td></tr>\n<tr><td>c</td></tr>\n</table>\n\nSau.\n";
        let blocks = read_body(body, crate::nd30::text_width().0).unwrap();
        assert!(matches!(
            blocks[..],
            [Block::Paragraph(_), Block::Table(_), Block::Paragraph(_)]
        ));
        let bad = "Trước.\n\n<table>\n<tr><td>a</td></tr>\n<tr><td><u>c</u></td></tr>\n</table>\n";
        assert_eq!(
            read_body(bad, crate::nd30::text_width().0).unwrap_err().0,
            5
        );
        let open = "Trước.\n<table>\n<tr><td>a</td></tr>\n";
        assert_eq!(
            read_body(open, crate::nd30::text_width().0).unwrap_err().0,
            2
        );
        // Raw HTML outside a table block is still refused.
        assert!(read_body("a <b>b</b>\n", crate::nd30::text_width().0).is_err());
    }

    #[test]
    fn split_keeps_line_numbers() {
        let (front, body) = split_template("+++\nkind = \"report\"\n+++\nBody line 4\n").unwrap();
        assert_eq!(front.lines().nth(1), Some("kind = \"report\""));
        assert_eq!(body.lines().nth(3), Some("Body line 4"));
        assert!(split_template("no front matter").is_err());
    }
}
