//! Decree 30/2020/NĐ-CP layout rules, as data. Both renderers read these and nothing else,
//! so the DOCX and the PDF agree. Each value names the clause it comes from
//! (see `docs/nd30-format.md`). Never hard-code a size or a margin in a renderer.

use crate::units::{Mm, Pt};

/// Quốc hiệu (Phụ lục I, mục II.1). Both tone placements occur in the Decree; this one is
/// the form used in Phụ lục I's text.
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// Tiêu ngữ (Phụ lục I, mục II.1): hyphen-minus with a space on each side.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// The family every run names; Word has it, LibreOffice substitutes the metric twin,
/// and the PDF embeds Liberation Serif from `fonts/` (same metrics).
pub const FONT_FAMILY: &str = "Times New Roman";

/// A4 portrait (Phụ lục I, mục I.1).
pub const PAGE_WIDTH: Mm = Mm(210.0);
pub const PAGE_HEIGHT: Mm = Mm(297.0);

/// Margins (Phụ lục I, mục I.2): top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
/// We use the lower bounds, as the common public templates do.
pub const MARGIN_TOP: Mm = Mm(20.0);
pub const MARGIN_BOTTOM: Mm = Mm(20.0);
pub const MARGIN_LEFT: Mm = Mm(30.0);
pub const MARGIN_RIGHT: Mm = Mm(15.0);

/// Dấu của cơ quan: the seal's usual diameter, for the agency's signature field (ô 8);
/// `[agency] seal_mm` sets the agency's own.
pub const SEAL_DIAMETER: Mm = Mm(36.0);
/// The seal image lies over about a third of the signer's signature image, on its left
/// ("trùm lên khoảng 1/3 hình ảnh chữ ký số của người có thẩm quyền về bên trái").
pub const SEAL_OVER_SIGNATURE: f32 = 1.0 / 3.0;
/// Distance of the page-number header from the paper edge (SAMPLE: 567 twips).
pub const HEADER_DISTANCE: Mm = Mm(10.0);

/// Space before the số line and the địa danh–ngày line (ô 2, ô 4), under the header.
pub const NUMBER_LINE_SPACE_BEFORE: Pt = Pt(6.0);

/// Space before the tên loại (title, ô 5a).
pub const TITLE_SPACE_BEFORE: Pt = Pt(18.0);

/// Space before the empty body-size line that separates the body from the signature.
pub const SIGNATURE_SPACE_BEFORE: Pt = Pt(6.0);

/// What the trích yếu of a Công văn begins with (ô 5b): "V/v ".
pub const SUMMARY_PREFIX: &str = "V/v ";

/// The label of the addressees (Kính gửi, ô 9a).
pub const ADDRESSEE_LABEL: &str = "Kính gửi: ";

/// Space before the Kính gửi block (ô 9a).
pub const ADDRESSEE_SPACE_BEFORE: Pt = Pt(12.0);

/// Several addressees start this share of the text width from the left margin.
pub const ADDRESSEE_INDENT_SHARE: f32 = 0.2;

/// The heading of the recipients (Nơi nhận, ô 9b).
pub const RECIPIENTS_LABEL: &str = "Nơi nhận:";

/// Body text (Phụ lục I, mục II.6.a): 13–14 pt; we use 14.
pub const BODY_SIZE: Pt = Pt(14.0);
/// First-line indent: 1 cm or 1.27 cm (Phụ lục I, mục II.6.a). SAMPLE: 1 cm.
pub const FIRST_LINE_INDENT: Mm = Mm(10.0);
/// Space between paragraphs: at least 6 pt (Phụ lục I, mục II.6.a); we put it before.
pub const PARAGRAPH_SPACING: Pt = Pt(6.0);
/// Line spacing as a multiple of single, in 240ths (Word's `w:line`, auto rule):
/// at least single, at most 1.5 lines (Phụ lục I, mục II.6.a). We use single.
pub const LINE_SPACING_240THS: u32 = 240;

/// Quốc hiệu 12–13 pt bold; Tiêu ngữ 13–14 pt bold (Phụ lục I, mục II.1).
pub const NATIONAL_TITLE_SIZE: Pt = Pt(13.0);
pub const MOTTO_SIZE: Pt = Pt(14.0);
/// Agency names 12–13 pt, all caps; the issuing agency bold (Phụ lục I, mục II.2).
pub const AGENCY_SIZE: Pt = Pt(13.0);
/// "Số: …" 13 pt upright (Phụ lục I, mục II.3).
pub const NUMBER_SIZE: Pt = Pt(13.0);
/// Place and date 13–14 pt italic (Phụ lục I, mục II.4).
pub const DATE_SIZE: Pt = Pt(14.0);
/// Type name and summary 13–14 pt bold (Phụ lục I, mục II.5.a); sample uses 14.
pub const TITLE_SIZE: Pt = Pt(14.0);
/// "V/v …" summary of a Công văn 12–13 pt upright (Phụ lục I, mục II.5.b); sample 12.
pub const LETTER_SUMMARY_SIZE: Pt = Pt(12.0);
/// "Nơi nhận:" 12 pt bold italic; its items 11 pt (Phụ lục I, mục II.9.b).
pub const RECIPIENTS_HEADING_SIZE: Pt = Pt(12.0);
pub const RECIPIENTS_ITEM_SIZE: Pt = Pt(11.0);
/// Signer's authority, position and name 13–14 pt bold (Phụ lục I, mục II.7).
pub const SIGNER_SIZE: Pt = Pt(14.0);
/// Page number 13–14 pt, centred in the top margin, not on page 1 (Phụ lục I, mục I.4).
pub const PAGE_NUMBER_SIZE: Pt = Pt(14.0);
/// Table text: the Decree sets no size for tables; 13 pt keeps wide tables readable.
pub const TABLE_SIZE: Pt = Pt(13.0);

/// Width of the left column of the header (agency, number): about 43 % of the text
/// width in the Decree's layout diagram (Phụ lục I, mục IV.2). The right column must hold
/// a 13 pt Quốc hiệu (88.9 mm) plus cell padding.
pub const HEADER_LEFT_SHARE: f32 = 0.38;
/// Width of the left column of the signature area ("Nơi nhận").
pub const SIGNATURE_LEFT_SHARE: f32 = 0.45;
/// Rule under the agency name: 1/3 to 1/2 of the name's line (Phụ lục I, mục II.2).
pub const AGENCY_RULE_SHARE: f32 = 0.4;
/// Rule under a type-name summary: 1/3 to 1/2 of the summary line (mục II.5.a).
pub const SUMMARY_RULE_SHARE: f32 = 0.4;
/// Blank lines left for the handwritten or digital signature (PRACTICE: 3–5 lines).
pub const SIGNATURE_SPACE_LINES: u32 = 4;
/// The short rules are the bottom border of an empty line of this size, which sets the
/// gap between the text above and the rule (PRACTICE: clear of the descenders).
pub const RULE_LINE_SIZE: Pt = Pt(4.0);
/// Thickness of the short rules (a 0.75 pt single line, Word's `sz=6`).
pub const RULE_THICKNESS: Pt = Pt(0.75);
/// Table borders (single 0.5 pt, Word's `sz=4`) and cell side padding (Word's default 108 tw).
pub const TABLE_BORDER: Pt = Pt(0.5);
pub const CELL_PADDING: Pt = Pt(5.4);

/// What Phụ lục I allows, where it allows a range: `vanthu lint` checks any document
/// against these; the values above are vanthu's choice within them (see the test).
pub mod allowed {
    use crate::units::{Mm, Pt};

    /// Lề trên, lề dưới 20–25 mm; lề trái 30–35 mm; lề phải 15–20 mm (mục I.3).
    pub const MARGIN_TOP: (Mm, Mm) = (Mm(20.0), Mm(25.0));
    pub const MARGIN_BOTTOM: (Mm, Mm) = (Mm(20.0), Mm(25.0));
    pub const MARGIN_LEFT: (Mm, Mm) = (Mm(30.0), Mm(35.0));
    pub const MARGIN_RIGHT: (Mm, Mm) = (Mm(15.0), Mm(20.0));
    /// Quốc hiệu 12–13 pt; tiêu ngữ 13–14 pt (mục II.1).
    pub const NATIONAL_TITLE_SIZE: (Pt, Pt) = (Pt(12.0), Pt(13.0));
    pub const MOTTO_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    /// Tên cơ quan 12–13 pt (mục II.2).
    pub const AGENCY_SIZE: (Pt, Pt) = (Pt(12.0), Pt(13.0));
    /// Địa danh, ngày tháng 13–14 pt (mục II.4).
    pub const DATE_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    /// Tên loại and its trích yếu 13–14 pt; a công văn's "V/v …" 12–13 pt (mục II.5).
    pub const TITLE_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    pub const LETTER_SUMMARY_SIZE: (Pt, Pt) = (Pt(12.0), Pt(13.0));
    /// Nội dung 13–14 pt, first line indented 1–1.27 cm, at least 6 pt between
    /// paragraphs, from single to 1.5 lines (mục II.6).
    pub const BODY_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    pub const FIRST_LINE_INDENT: (Mm, Mm) = (Mm(10.0), Mm(12.7));
    pub const MIN_PARAGRAPH_SPACING: Pt = Pt(6.0);
    pub const LINE_SPACING: (f32, f32) = (1.0, 1.5);
    /// Quyền hạn, chức vụ and họ tên 13–14 pt (mục II.7).
    pub const SIGNER_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    /// Số trang 13–14 pt (mục I.7).
    pub const PAGE_NUMBER_SIZE: (Pt, Pt) = (Pt(13.0), Pt(14.0));
    /// The rules under the agency's name and under the trích yếu: 1/3 to 1/2 of its
    /// line (mục II.2, II.5).
    pub const SHORT_RULE_SHARE: (f32, f32) = (1.0 / 3.0, 0.5);
}

/// Tên loại văn bản hành chính (Điều 7), as a title prints them.
pub const TYPE_NAMES: [&str; 27] = [
    "NGHỊ QUYẾT",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "THÔNG CÁO",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "CHƯƠNG TRÌNH",
    "KẾ HOẠCH",
    "PHƯƠNG ÁN",
    "ĐỀ ÁN",
    "DỰ ÁN",
    "BÁO CÁO",
    "BIÊN BẢN",
    "TỜ TRÌNH",
    "HỢP ĐỒNG",
    "CÔNG ĐIỆN",
    "BẢN GHI NHỚ",
    "BẢN THỎA THUẬN",
    "GIẤY ỦY QUYỀN",
    "GIẤY MỜI",
    "GIẤY GIỚI THIỆU",
    "GIẤY NGHỈ PHÉP",
    "PHIẾU GỬI",
    "PHIẾU CHUYỂN",
    "PHIẾU BÁO",
];

/// The printable text width inside the margins of a portrait page.
pub fn text_width() -> Pt {
    Pt(PAGE_WIDTH.to_pt().0 - MARGIN_LEFT.to_pt().0 - MARGIN_RIGHT.to_pt().0)
}

/// Khổ giấy: A4 portrait, or landscape for an appendix with wide tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// Paper size of a section: A4 portrait, or A4 landscape for a wide appendix (Phụ lục I,
/// mục I.1; the margins stay the same, measured from the page as it is read).
pub fn page_size(orientation: Orientation) -> (Mm, Mm) {
    match orientation {
        Orientation::Portrait => (PAGE_WIDTH, PAGE_HEIGHT),
        Orientation::Landscape => (PAGE_HEIGHT, PAGE_WIDTH),
    }
}

/// The text width of a section.
pub fn text_width_of(orientation: Orientation) -> Pt {
    let (width, _) = page_size(orientation);
    Pt(width.to_pt().0 - MARGIN_LEFT.to_pt().0 - MARGIN_RIGHT.to_pt().0)
}

/// Marks (ô 10a, 10b, draft): capitals 13 pt bold in a single-line frame (Phụ lục I,
/// mục III.3); the urgency marks in bright red.
pub const MARK_SIZE: Pt = Pt(13.0);
pub const MARK_RED: &str = "FF0000";
/// Frame of a mark: 0.5 pt line, 2 pt from the text on every side.
pub const MARK_BORDER: Pt = Pt(0.5);
pub const MARK_GAP: Pt = Pt(2.0);
/// Space before the first mark, under the header.
pub const MARK_SPACING: Pt = Pt(6.0);

/// Ô 13, the agency's address line: 11 pt upright at the foot of page 1, under a solid
/// rule across the text width (Phụ lục I, mục III.5).
pub const CONTACT_SIZE: Pt = Pt(11.0);

/// "Phụ lục I" 14 pt bold; the appendix name 14 pt bold capitals; the reference line
/// 14 pt italic (Phụ lục I, mục III.1 and the type-size table).
pub const APPENDIX_HEADING_SIZE: Pt = Pt(14.0);

/// The leading zero rules of the date line (Phụ lục I, mục II.4): days below 10 and the
/// months 1 and 2 get a leading zero; other months are written plainly.
pub fn date_line(place: &str, year: i32, month: u32, day: u32) -> String {
    format!("{place}, {}", date_words(year, month, day))
}

/// The date of the date line without the place: "ngày 05 tháng 11 năm 2025" (also
/// used where a date is cited, as in an appendix's "(Kèm theo …)").
pub fn date_words(year: i32, month: u32, day: u32) -> String {
    format!(
        "ngày {} tháng {} năm {year}",
        day_text(day),
        month_text(month)
    )
}

/// The day as the date line writes it: a leading zero below 10 ("05").
pub fn day_text(day: u32) -> String {
    format!("{day:02}")
}

/// The month as the date line writes it: a leading zero for 1 and 2 only ("02", "11").
pub fn month_text(month: u32) -> String {
    if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    }
}

/// The number as the number line writes it: a leading zero below 10 ("05").
pub fn number_text(number: u32) -> String {
    format!("{number:02}")
}

/// "Số: 05/BC-UBND": numbers below 10 get a leading zero (Phụ lục I, mục II.3). An
/// unnumbered document (numbered by the văn thư at issue) leaves the blank of the Decree.
pub fn number_line(number: Option<u32>, symbol: &str) -> String {
    match number {
        Some(_) => format!("Số: {}", number_and_symbol(number, symbol)),
        None => format!("Số:{}", number_and_symbol(number, symbol)),
    }
}

/// The date line of a document whose day and month the văn thư gives at issue: "Phú
/// Thái, ngày      tháng      năm 2025".
pub fn date_line_at_issue(place: &str, year: i32) -> String {
    format!("{place}, {}", date_words_at_issue(year))
}

/// "ngày      tháng      năm 2025": the date words with the day and the month left blank.
pub fn date_words_at_issue(year: i32) -> String {
    format!("ngày {ISSUE_BLANK} tháng {ISSUE_BLANK} năm {year}")
}

/// The blank the văn thư fills at issue (a number, a day, a month): six no-break spaces,
/// so it is never squeezed or broken.
pub const ISSUE_BLANK: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

/// The agency's signature on appendices in a file of their own (Phụ lục I, II.8b): no
/// image, the number, the symbol and the signing time in Times New Roman 10 pt at the
/// top right of the first page. The field is sized for those three short lines.
pub const APPENDIX_SEAL_WIDTH: Mm = Mm(60.0);
pub const APPENDIX_SEAL_HEIGHT: Mm = Mm(13.0);

/// The PDF's form field over the number's blank, filled at issue.
pub const NUMBER_FIELD: &str = "SoVanBan";
/// The PDF's form field over the day's blank of the date line.
pub const DAY_FIELD: &str = "NgayBanHanh";
/// The PDF's form field over the month's blank of the date line.
pub const MONTH_FIELD: &str = "ThangBanHanh";

/// "05/BC-UBND", or the blank of the Decree ("      /BC-UBND") when unnumbered.
pub fn number_and_symbol(number: Option<u32>, symbol: &str) -> String {
    match number {
        Some(n) => format!("{}/{symbol}", number_text(n)),
        None => format!("{ISSUE_BLANK}/{symbol}"),
    }
}

/// Thẩm quyền ký (Điều 13): the prefix before the title of the one signed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
pub enum Authority {
    /// The head signs in their own right: no prefix.
    #[default]
    #[serde(rename = "")]
    Own,
    /// "TM." — on behalf of a collective body.
    #[serde(rename = "TM")]
    OnBehalfOf,
    /// "KT." — a deputy signs in place of the head.
    #[serde(rename = "KT")]
    Deputy,
    /// "Q." — acting head.
    #[serde(rename = "Q")]
    Acting,
    /// "TL." — thừa lệnh.
    #[serde(rename = "TL")]
    ByOrder,
    /// "TUQ." — thừa ủy quyền.
    #[serde(rename = "TUQ")]
    ByDelegation,
}

impl Authority {
    /// The prefix as printed, with its dot ("KT.").
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            Authority::Own => None,
            Authority::OnBehalfOf => Some("TM."),
            Authority::Deputy => Some("KT."),
            Authority::Acting => Some("Q."),
            Authority::ByOrder => Some("TL."),
            Authority::ByDelegation => Some("TUQ."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vanthus_choices_lie_within_what_the_decree_allows() {
        let within = |v: f32, (low, high): (f32, f32)| v >= low && v <= high;
        let mm = |(a, b): (Mm, Mm)| (a.0, b.0);
        let pt = |(a, b): (Pt, Pt)| (a.0, b.0);
        assert!(within(MARGIN_TOP.0, mm(allowed::MARGIN_TOP)));
        assert!(within(MARGIN_BOTTOM.0, mm(allowed::MARGIN_BOTTOM)));
        assert!(within(MARGIN_LEFT.0, mm(allowed::MARGIN_LEFT)));
        assert!(within(MARGIN_RIGHT.0, mm(allowed::MARGIN_RIGHT)));
        assert!(within(
            NATIONAL_TITLE_SIZE.0,
            pt(allowed::NATIONAL_TITLE_SIZE)
        ));
        assert!(within(MOTTO_SIZE.0, pt(allowed::MOTTO_SIZE)));
        assert!(within(AGENCY_SIZE.0, pt(allowed::AGENCY_SIZE)));
        assert!(within(DATE_SIZE.0, pt(allowed::DATE_SIZE)));
        assert!(within(TITLE_SIZE.0, pt(allowed::TITLE_SIZE)));
        assert!(within(
            LETTER_SUMMARY_SIZE.0,
            pt(allowed::LETTER_SUMMARY_SIZE)
        ));
        assert!(within(BODY_SIZE.0, pt(allowed::BODY_SIZE)));
        assert!(within(FIRST_LINE_INDENT.0, mm(allowed::FIRST_LINE_INDENT)));
        assert!(within(
            PARAGRAPH_SPACING.0,
            (allowed::MIN_PARAGRAPH_SPACING.0, f32::MAX)
        ));
        assert!(within(SIGNER_SIZE.0, pt(allowed::SIGNER_SIZE)));
        assert!(within(PAGE_NUMBER_SIZE.0, pt(allowed::PAGE_NUMBER_SIZE)));
        assert!(within(AGENCY_RULE_SHARE, allowed::SHORT_RULE_SHARE));
        assert!(within(SUMMARY_RULE_SHARE, allowed::SHORT_RULE_SHARE));
    }

    #[test]
    fn date_line_follows_the_leading_zero_rule() {
        assert_eq!(
            date_line("Phú Thái", 2025, 10, 5),
            "Phú Thái, ngày 05 tháng 10 năm 2025"
        );
        assert_eq!(
            date_line("Hà Nội", 2020, 1, 5),
            "Hà Nội, ngày 05 tháng 01 năm 2020"
        );
        assert_eq!(
            date_line("Hà Nội", 2020, 3, 25),
            "Hà Nội, ngày 25 tháng 3 năm 2020"
        );
    }

    #[test]
    fn number_line_pads_below_ten_and_leaves_a_blank_when_unnumbered() {
        assert_eq!(number_line(Some(5), "BC-UBND"), "Số: 05/BC-UBND");
        assert_eq!(number_line(Some(123), "UBND-VHXH"), "Số: 123/UBND-VHXH");
        assert!(number_line(None, "BC-UBND").ends_with("/BC-UBND"));
        assert!(!number_line(None, "BC-UBND").contains(char::is_numeric));
    }

    #[test]
    fn margins_are_inside_the_decree_ranges() {
        assert!((20.0..=25.0).contains(&MARGIN_TOP.0));
        assert!((20.0..=25.0).contains(&MARGIN_BOTTOM.0));
        assert!((30.0..=35.0).contains(&MARGIN_LEFT.0));
        assert!((15.0..=20.0).contains(&MARGIN_RIGHT.0));
        assert!((13.0..=14.0).contains(&BODY_SIZE.0));
    }
}
