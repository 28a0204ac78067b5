//! The document model both renderers draw: a Decree 30 [`Frame`] (the parts around the
//! content, ô 1–13 of the Decree's layout diagram), a body of [`Block`]s, and appendices.
//! It holds no sizes or positions: those are in [`crate::nd30`].

use serde::Serialize;

pub use crate::nd30::Authority;

/// Tên loại văn bản: which kind of administrative document this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// Báo cáo (BC).
    Report,
    /// Thông báo (TB).
    Notice,
    /// Kế hoạch (KH).
    Plan,
    /// Công văn: no type name; a "V/v …" summary under the number.
    OfficialLetter,
}

impl DocKind {
    /// The type name printed in capitals (ô 5a); `None` for a Công văn.
    pub fn title(self) -> Option<&'static str> {
        match self {
            DocKind::Report => Some("BÁO CÁO"),
            DocKind::Notice => Some("THÔNG BÁO"),
            DocKind::Plan => Some("KẾ HOẠCH"),
            DocKind::OfficialLetter => None,
        }
    }

    /// The type name in a sentence ("Báo cáo"), for file properties.
    pub fn name(self) -> Option<&'static str> {
        match self {
            DocKind::Report => Some("Báo cáo"),
            DocKind::Notice => Some("Thông báo"),
            DocKind::Plan => Some("Kế hoạch"),
            DocKind::OfficialLetter => None,
        }
    }

    /// Abbreviation in the ký hiệu (Phụ lục III): BC, TB, KH; none for a Công văn.
    pub fn abbreviation(self) -> Option<&'static str> {
        match self {
            DocKind::Report => Some("BC"),
            DocKind::Notice => Some("TB"),
            DocKind::Plan => Some("KH"),
            DocKind::OfficialLetter => None,
        }
    }
}

/// A calendar date (ngày ban hành).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year: i32 = it.next()?.parse().ok()?;
        let month: u32 = it.next()?.parse().ok()?;
        let day: u32 = it.next()?.parse().ok()?;
        let d = Date { year, month, day };
        (d.days_since_epoch_checked().is_some()).then_some(d)
    }

    fn days_since_epoch_checked(&self) -> Option<i64> {
        let dim = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let max = if self.month == 2 && leap {
            29
        } else {
            *dim.get(self.month.checked_sub(1)? as usize)?
        };
        if !(1..=max).contains(&self.day) || !(1900..=9999).contains(&self.year) {
            return None;
        }
        Some(self.days_since_epoch())
    }

    /// Today in Việt Nam (UTC+7), from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch((secs + 7 * 3600).div_euclid(86_400))
    }

    /// The civil date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Days since 1970-01-01 (civil calendar).
    pub fn days_since_epoch(&self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

/// Người ký (ô 7a–7c).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signer {
    pub authority: Authority,
    pub acting_for: Option<String>,
    pub position: String,
    pub name: String,
}

impl Signer {
    /// The capital lines above the signature: "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH".
    pub fn title_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let (Some(prefix), Some(of)) = (self.authority.prefix(), &self.acting_for) {
            lines.push(format!("{prefix} {of}"));
        }
        lines.push(self.position.clone());
        lines
    }
}

/// The Decree 30 parts around the content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frame {
    /// Cơ quan chủ quản (ô 2, upper line, not bold).
    pub parent_agency: Option<String>,
    /// Cơ quan ban hành, one entry per line (ô 2, bold).
    pub agency: Vec<String>,
    /// Số (ô 3); `None` leaves the blank the văn thư fills at issue.
    pub number: Option<u32>,
    /// Ký hiệu (ô 3), "BC-UBND".
    pub symbol: String,
    /// Địa danh (ô 4).
    pub place: String,
    pub date: Date,
    pub kind: DocKind,
    /// Trích yếu (ô 5a, or after "V/v" in ô 5b for a Công văn).
    pub summary: String,
    /// Kính gửi (ô 9a): one or many addressees.
    pub addressees: Vec<String>,
    pub signer: Signer,
    /// Nơi nhận (ô 9b), each item without its leading "- ".
    pub recipients: Vec<String>,
    /// Dấu chỉ độ mật (ô 10a).
    pub secrecy: Option<Secrecy>,
    /// Dấu chỉ mức độ khẩn (ô 10b).
    pub urgency: Option<Urgency>,
    /// Chỉ dẫn về dự thảo: "DỰ THẢO" or "DỰ THẢO LẦN n", framed under the number.
    pub draft: Option<Draft>,
    /// Địa chỉ, thư điện tử, website, điện thoại, fax (ô 13): the foot of page 1.
    pub contact: Option<String>,
    /// Dấu: the seal's diameter, the side of the agency's signature field.
    #[serde(skip)]
    pub seal: crate::units::Mm,
    /// The day and the month are left for the văn thư to give at issue (an electronic
    /// issue with no date set): only the year of `date` is printed.
    pub day_at_issue: bool,
}

/// Dấu chỉ độ mật (ô 10a), as the law on state secrets names the levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Secrecy {
    /// MẬT.
    Secret,
    /// TỐI MẬT.
    TopSecret,
    /// TUYỆT MẬT.
    UltraSecret,
}

impl Secrecy {
    pub const ALL: [Secrecy; 3] = [Secrecy::Secret, Secrecy::TopSecret, Secrecy::UltraSecret];

    pub fn label(self) -> &'static str {
        match self {
            Secrecy::Secret => "MẬT",
            Secrecy::TopSecret => "TỐI MẬT",
            Secrecy::UltraSecret => "TUYỆT MẬT",
        }
    }
}

/// Dấu chỉ mức độ khẩn (ô 10b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Urgency {
    /// KHẨN.
    Urgent,
    /// THƯỢNG KHẨN.
    VeryUrgent,
    /// HỎA TỐC.
    Express,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Urgent, Urgency::VeryUrgent, Urgency::Express];

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Urgent => "KHẨN",
            Urgency::VeryUrgent => "THƯỢNG KHẨN",
            Urgency::Express => "HỎA TỐC",
        }
    }
}

/// Chỉ dẫn về dự thảo; `round` numbers the draft ("DỰ THẢO LẦN 2").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub round: Option<u32>,
}

impl Draft {
    pub fn label(self) -> String {
        match self.round {
            Some(n) => format!("DỰ THẢO LẦN {n}"),
            None => "DỰ THẢO".into(),
        }
    }
}

/// A framed mark of the frame (ô 10a, 10b, the draft mark), in the order printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub label: String,
    /// Printed in bright red (the urgency marks, Phụ lục I mục III.3).
    pub red: bool,
}

impl Frame {
    /// "Phú Thái, ngày 05 tháng 11 năm 2025" (ô 4), by the Decree's leading-zero rule.
    pub fn date_line(&self) -> String {
        match self.day_at_issue {
            true => crate::nd30::date_line_at_issue(&self.place, self.date.year),
            false => {
                crate::nd30::date_line(&self.place, self.date.year, self.date.month, self.date.day)
            }
        }
    }

    /// The date as cited: "ngày 05 tháng 11 năm 2025", or with the day and the month
    /// blank when they are given at issue.
    pub fn date_words(&self) -> String {
        match self.day_at_issue {
            true => crate::nd30::date_words_at_issue(self.date.year),
            false => crate::nd30::date_words(self.date.year, self.date.month, self.date.day),
        }
    }

    /// The draft mark (under the number), then secrecy and urgency (ô 10a, 10b).
    pub fn marks(&self) -> Vec<Mark> {
        let mut marks = Vec::new();
        if let Some(d) = self.draft {
            marks.push(Mark {
                label: d.label(),
                red: false,
            });
        }
        if let Some(s) = self.secrecy {
            marks.push(Mark {
                label: s.label().into(),
                red: false,
            });
        }
        if let Some(u) = self.urgency {
            marks.push(Mark {
                label: u.label().into(),
                red: true,
            });
        }
        marks
    }
}

/// Text alignment of a paragraph or a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Align {
    #[default]
    Justify,
    Left,
    Center,
    Right,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    LineBreak,
}

impl Inline {
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline::Text {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
}

/// A body paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub inlines: Vec<Inline>,
    pub align: Align,
    /// First-line indent of the body (1 cm).
    pub indent: bool,
    /// Keep with the next block (headings).
    pub keep_with_next: bool,
}

impl Paragraph {
    /// The paragraph's text, runs joined, line breaks as spaces.
    pub fn text(&self) -> String {
        self.inlines
            .iter()
            .map(|i| match i {
                Inline::Text { text, .. } => text.as_str(),
                Inline::LineBreak => " ",
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub inlines: Vec<Inline>,
    pub align: Align,
    pub colspan: u32,
    /// Rows this cell spans downward; the rows below hold no cell in its place.
    pub rowspan: u32,
}

impl Cell {
    pub fn new(inlines: Vec<Inline>, align: Align) -> Cell {
        Cell {
            inlines,
            align,
            colspan: 1,
            rowspan: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Header rows repeat on every page.
    pub header: bool,
}

/// The grid column where each cell of each row starts, taking colspans and the cells
/// that rowspans bring down from the rows above into account.
pub fn grid_columns(rows: &[Row]) -> Vec<Vec<usize>> {
    // For each grid column, how many more rows a cell from above still covers.
    let mut covered: Vec<u32> = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut starts = Vec::with_capacity(row.cells.len());
        let mut col = 0usize;
        for cell in &row.cells {
            while covered.get(col).is_some_and(|c| *c > 0) {
                col += 1;
            }
            starts.push(col);
            let span = cell.colspan.max(1) as usize;
            if covered.len() < col + span {
                covered.resize(col + span, 0);
            }
            for c in &mut covered[col..col + span] {
                *c = cell.rowspan.max(1);
            }
            col += span;
        }
        out.push(starts);
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Column widths (points, or any unit: renderers scale them to the text width).
    pub widths: Vec<f32>,
    pub rows: Vec<Row>,
}

/// Khổ giấy (portrait or landscape): a rule of the Decree, so it lives with the others.
pub use crate::nd30::Orientation;

/// Phụ lục: a separate part after the signature, on new pages numbered from 1, with its
/// heading ("Phụ lục I"), its name in capitals, and the line that ties it to the
/// document ("(Kèm theo Báo cáo số …)").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendix {
    /// "Phụ lục" alone, or "Phụ lục I", "Phụ lục II" when there are several.
    pub heading: String,
    /// The name, upper case.
    pub title: String,
    /// "(Kèm theo Báo cáo số      /BC-UBND ngày 05 tháng 11 năm 2025 của …)".
    pub reference: String,
    pub orientation: Orientation,
    pub body: Vec<Block>,
}

/// A piece of the body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
    PageBreak,
}

/// A whole document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub frame: Frame,
    pub body: Vec<Block>,
    pub appendices: Vec<Appendix>,
    /// Title for the file's properties.
    pub title: String,
}

impl Document {
    /// All the words of the document in reading order (frame and body), for tests and
    /// for checking a rendering against the model.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        let appendix_blocks = self.appendices.iter().flat_map(|a| a.body.iter());
        for b in self.body.iter().chain(appendix_blocks) {
            match b {
                Block::Paragraph(p) => out.push_str(&p.text()),
                Block::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            for i in &c.inlines {
                                if let Inline::Text { text, .. } = i {
                                    out.push_str(text);
                                    out.push(' ');
                                }
                            }
                        }
                    }
                }
                Block::PageBreak => {}
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn every_kind_with_a_type_name_prints_one_of_the_decrees() {
        for kind in [DocKind::Report, DocKind::Notice, DocKind::Plan] {
            assert!(crate::nd30::TYPE_NAMES.contains(&kind.title().unwrap()));
        }
    }

    /// A frame like the sample project's, for renderer tests.
    pub(crate) fn sample_frame() -> Frame {
        Frame {
            parent_agency: None,
            agency: vec!["ỦY BAN NHÂN DÂN".into(), "XÃ PHÚ THÁI".into()],
            number: None,
            symbol: "BC-UBND".into(),
            place: "Phú Thái".into(),
            date: Date {
                year: 2025,
                month: 10,
                day: 5,
            },
            kind: DocKind::Report,
            summary: "Kết quả triển khai phong trào “Bình dân học vụ số” tháng 10 năm 2025".into(),
            addressees: Vec::new(),
            signer: Signer {
                authority: Authority::Deputy,
                acting_for: Some("CHỦ TỊCH".into()),
                position: "PHÓ CHỦ TỊCH".into(),
                name: "Phạm Tiến Nhuận".into(),
            },
            recipients: vec!["Lưu: VT, VHXH.".into()],
            secrecy: None,
            urgency: None,
            draft: None,
            contact: None,
            seal: crate::nd30::SEAL_DIAMETER,
            day_at_issue: false,
        }
    }

    /// STT and Đơn vị over two header rows, "Kết quả" over "(1)".
    pub(crate) fn two_level_header() -> Vec<Row> {
        let cell = |t: &str, rowspan: u32| {
            let mut c = Cell::new(vec![Inline::plain(t)], Align::Center);
            c.rowspan = rowspan;
            c
        };
        vec![
            Row {
                cells: vec![cell("STT", 2), cell("Đơn vị", 2), cell("Kết quả", 1)],
                header: true,
            },
            Row {
                cells: vec![cell("(1)", 1)],
                header: true,
            },
        ]
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2025-10-05").unwrap().days_since_epoch(), 20366);
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2025-13-01").is_none());
        assert!(Date::parse("hôm nay").is_none());
        for days in [0, 20366, 19782, -1, 40000] {
            let d = Date::from_days_since_epoch(days);
            assert_eq!(d.days_since_epoch(), days, "{d:?}");
        }
    }

    #[test]
    fn signer_lines() {
        let s = Signer {
            authority: Authority::Deputy,
            acting_for: Some("CHỦ TỊCH".into()),
            position: "PHÓ CHỦ TỊCH".into(),
            name: "Phạm Tiến Nhuận".into(),
        };
        assert_eq!(s.title_lines(), ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
    }
}
