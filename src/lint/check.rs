//! Every Decree 30 format rule `vanthu lint` checks, as data: its stable code, the
//! clause of Nghị định 30/2020/NĐ-CP Phụ lục I it rests on, its severity, and what the
//! Decree requires, in both languages. The severity follows the rule: an error
//! where the Decree says "phải" or gives one fixed value; a warning where it gives a
//! range (sizes 13–14, margins, indent, spacing) or is silent (the "./." end mark).

use crate::diagnostic::{Severity, Text};

/// Declares the rules once: the enum and [`Check::ALL`], in the order findings are listed.
macro_rules! checks {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A format rule (thể thức) of the Decree.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Check {
            $($(#[$doc])* $name,)*
        }

        impl Check {
            /// Every rule, in the order findings are listed.
            pub const ALL: &'static [Check] = &[$(Check::$name,)*];
        }
    };
}

checks! {
    /// File cannot be read as a DOCX or PDF.
    Unreadable,
    /// Khổ giấy A4.
    Paper,
    /// Trình bày theo chiều dài khổ A4.
    Landscape,
    /// Định lề trang.
    Margin,
    /// Phông chữ Times New Roman, Unicode TCVN 6909:2001.
    Font,
    /// A TCVN3 or VNI font: not Unicode.
    FontLegacy,
    /// Màu đen.
    Colour,
    /// Unicode dựng sẵn (NFC).
    Nfc,
    /// Số trang không hiển thị ở trang thứ nhất.
    PageNumberFirst,
    /// Số trang ở lề trên, canh giữa.
    PageNumberPlace,
    PageNumberSize,
    /// A document of two or more pages without page numbers.
    PageNumberMissing,
    /// Quốc hiệu.
    NationalTitleMissing,
    NationalTitleCase,
    NationalTitleBold,
    NationalTitleSize,
    /// Tiêu ngữ.
    MottoMissing,
    MottoForm,
    MottoBold,
    MottoSize,
    MottoRule,
    MottoRuleLength,
    /// Tên cơ quan, tổ chức ban hành.
    AgencyMissing,
    AgencyCase,
    AgencyBold,
    AgencySize,
    AgencyRule,
    AgencyRuleLength,
    /// Số, ký hiệu.
    NumberMissing,
    NumberZero,
    NumberForm,
    NumberSize,
    NumberBold,
    SymbolLetter,
    /// Địa danh và thời gian ban hành.
    DateMissing,
    DateForm,
    DateDayZero,
    DateMonthZero,
    DateItalic,
    DateSize,
    /// Tên loại văn bản.
    TitleCase,
    TitleBold,
    TitleSize,
    /// Trích yếu nội dung of a document with a type name.
    SummaryVv,
    SummaryBold,
    SummarySize,
    SummaryRule,
    SummaryRuleLength,
    /// Trích yếu of a công văn ("V/v …").
    LetterSummaryMissing,
    LetterSummaryVv,
    LetterSummaryBold,
    LetterSummarySize,
    /// Nội dung.
    BodySize,
    BodyJustify,
    BodyIndent,
    BodySpacing,
    BodyLineSpacing,
    BodyEnd,
    /// Quyền hạn, chức vụ của người ký.
    AuthorityForm,
    AuthorityCase,
    AuthorityBold,
    AuthoritySize,
    /// Họ tên người ký.
    SignerMissing,
    SignerCase,
    SignerBold,
    SignerTitle,
    SignerSize,
    /// Nơi nhận.
    RecipientsMissing,
    RecipientsHeading,
    RecipientsItemSize,
    RecipientsItemForm,
    RecipientsArchive,
    /// Phụ lục.
    AppendixHeading,
    AppendixNumbering,
    AppendixReference,
    /// Dấu chỉ độ mật, mức độ khẩn.
    MarkStyle,
    /// Chỉ dẫn dự thảo left in a document to issue.
    MarkDraft,
}

use Check::*;

impl Check {
    /// The stable code shown to the user and in `--json`.
    pub fn code(self) -> &'static str {
        match self {
            Unreadable => "L-UNREADABLE",
            Paper => "L-PAPER",
            Landscape => "L-LANDSCAPE",
            Margin => "L-MARGIN",
            Font => "L-FONT",
            FontLegacy => "L-FONT-LEGACY",
            Colour => "L-COLOUR",
            Nfc => "L-NFC",
            PageNumberFirst => "L-PAGE-NUMBER-FIRST",
            PageNumberPlace => "L-PAGE-NUMBER-PLACE",
            PageNumberSize => "L-PAGE-NUMBER-SIZE",
            PageNumberMissing => "L-PAGE-NUMBER-MISSING",
            NationalTitleMissing => "L-NATIONAL-TITLE-MISSING",
            NationalTitleCase => "L-NATIONAL-TITLE-CASE",
            NationalTitleBold => "L-NATIONAL-TITLE-BOLD",
            NationalTitleSize => "L-NATIONAL-TITLE-SIZE",
            MottoMissing => "L-MOTTO-MISSING",
            MottoForm => "L-MOTTO-FORM",
            MottoBold => "L-MOTTO-BOLD",
            MottoSize => "L-MOTTO-SIZE",
            MottoRule => "L-MOTTO-RULE",
            MottoRuleLength => "L-MOTTO-RULE-LENGTH",
            AgencyMissing => "L-AGENCY-MISSING",
            AgencyCase => "L-AGENCY-CASE",
            AgencyBold => "L-AGENCY-BOLD",
            AgencySize => "L-AGENCY-SIZE",
            AgencyRule => "L-AGENCY-RULE",
            AgencyRuleLength => "L-AGENCY-RULE-LENGTH",
            NumberMissing => "L-NUMBER-MISSING",
            NumberZero => "L-NUMBER-ZERO",
            NumberForm => "L-NUMBER-FORM",
            NumberSize => "L-NUMBER-SIZE",
            NumberBold => "L-NUMBER-BOLD",
            SymbolLetter => "L-SYMBOL-CV",
            DateMissing => "L-DATE-MISSING",
            DateForm => "L-DATE-FORM",
            DateDayZero => "L-DATE-DAY-ZERO",
            DateMonthZero => "L-DATE-MONTH-ZERO",
            DateItalic => "L-DATE-ITALIC",
            DateSize => "L-DATE-SIZE",
            TitleCase => "L-TITLE-CASE",
            TitleBold => "L-TITLE-BOLD",
            TitleSize => "L-TITLE-SIZE",
            SummaryVv => "L-SUMMARY-VV",
            SummaryBold => "L-SUMMARY-BOLD",
            SummarySize => "L-SUMMARY-SIZE",
            SummaryRule => "L-SUMMARY-RULE",
            SummaryRuleLength => "L-SUMMARY-RULE-LENGTH",
            LetterSummaryMissing => "L-LETTER-SUMMARY-MISSING",
            LetterSummaryVv => "L-LETTER-SUMMARY-VV",
            LetterSummaryBold => "L-LETTER-SUMMARY-BOLD",
            LetterSummarySize => "L-LETTER-SUMMARY-SIZE",
            BodySize => "L-BODY-SIZE",
            BodyJustify => "L-BODY-JUSTIFY",
            BodyIndent => "L-BODY-INDENT",
            BodySpacing => "L-BODY-SPACING",
            BodyLineSpacing => "L-BODY-LINE-SPACING",
            BodyEnd => "L-BODY-END",
            AuthorityForm => "L-AUTHORITY-FORM",
            AuthorityCase => "L-AUTHORITY-CASE",
            AuthorityBold => "L-AUTHORITY-BOLD",
            AuthoritySize => "L-AUTHORITY-SIZE",
            SignerMissing => "L-SIGNER-MISSING",
            SignerCase => "L-SIGNER-CASE",
            SignerBold => "L-SIGNER-BOLD",
            SignerTitle => "L-SIGNER-TITLE",
            SignerSize => "L-SIGNER-SIZE",
            RecipientsMissing => "L-RECIPIENTS-MISSING",
            RecipientsHeading => "L-RECIPIENTS-HEADING",
            RecipientsItemSize => "L-RECIPIENTS-ITEM-SIZE",
            RecipientsItemForm => "L-RECIPIENTS-ITEM-FORM",
            RecipientsArchive => "L-RECIPIENTS-ARCHIVE",
            AppendixHeading => "L-APPENDIX-HEADING",
            AppendixNumbering => "L-APPENDIX-NUMBERING",
            AppendixReference => "L-APPENDIX-REFERENCE",
            MarkStyle => "L-MARK-STYLE",
            MarkDraft => "L-MARK-DRAFT",
        }
    }

    /// The clause of Nghị định 30/2020/NĐ-CP the rule rests on.
    pub fn clause(self) -> &'static str {
        match self {
            Unreadable => "—",
            Paper => "Phụ lục I, Phần I, mục I.1",
            Landscape => "Phụ lục I, Phần I, mục I.2",
            Margin => "Phụ lục I, Phần I, mục I.3",
            Font | FontLegacy | Colour | Nfc => "Phụ lục I, Phần I, mục I.4",
            PageNumberFirst | PageNumberPlace | PageNumberSize | PageNumberMissing => {
                "Phụ lục I, Phần I, mục I.7"
            }
            NationalTitleMissing | NationalTitleCase | NationalTitleBold | NationalTitleSize
            | MottoMissing | MottoForm | MottoBold | MottoSize | MottoRule | MottoRuleLength => {
                "Phụ lục I, Phần I, mục II.1"
            }
            AgencyMissing | AgencyCase | AgencyBold | AgencySize | AgencyRule
            | AgencyRuleLength => "Phụ lục I, Phần I, mục II.2",
            NumberMissing | NumberZero | NumberForm | NumberSize | NumberBold => {
                "Phụ lục I, Phần I, mục II.3; Điều 15"
            }
            SymbolLetter => "Phụ lục I, Phần I, mục II.3; Phụ lục III",
            DateMissing | DateForm | DateDayZero | DateMonthZero | DateItalic | DateSize => {
                "Phụ lục I, Phần I, mục II.4"
            }
            TitleCase | TitleBold | TitleSize | SummaryVv | SummaryBold | SummarySize
            | SummaryRule | SummaryRuleLength | LetterSummaryMissing | LetterSummaryVv
            | LetterSummaryBold | LetterSummarySize => "Phụ lục I, Phần I, mục II.5",
            BodySize | BodyJustify | BodyIndent | BodySpacing | BodyLineSpacing => {
                "Phụ lục I, Phần I, mục II.6"
            }
            BodyEnd => "Phụ lục III (Mẫu 1.1–1.10)",
            AuthorityForm | AuthorityCase | AuthorityBold | AuthoritySize | SignerMissing
            | SignerCase | SignerBold | SignerTitle | SignerSize => {
                "Phụ lục I, Phần I, mục II.7; Điều 13"
            }
            RecipientsMissing | RecipientsHeading | RecipientsItemSize | RecipientsItemForm
            | RecipientsArchive => "Phụ lục I, Phần I, mục II.9",
            AppendixHeading | AppendixNumbering | AppendixReference => {
                "Phụ lục I, Phần I, mục III.1"
            }
            MarkStyle => "Phụ lục I, Phần I, mục III.2–3",
            MarkDraft => {
                "Điều 12 (kiểm tra trước khi ký ban hành); chỉ dẫn dự thảo theo TT 01/2011/TT-BNV"
            }
        }
    }

    /// Error where the Decree fixes a value or says "phải"; warning where it gives a
    /// range or is silent.
    pub fn severity(self) -> Severity {
        match self {
            Margin | Nfc | PageNumberSize | NationalTitleSize | MottoSize | AgencySize
            | AgencyRuleLength | DateSize | TitleSize | SummarySize | SummaryRuleLength
            | LetterSummarySize | BodySize | BodyIndent | BodySpacing | BodyLineSpacing
            | BodyEnd | AuthoritySize | SignerSize | RecipientsItemForm | AppendixReference
            | MarkDraft => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What the Decree requires.
    pub fn due(self) -> Text {
        let t = Text::new;
        match self {
            Unreadable => t(
                "tệp .docx hoặc .pdf đọc được",
                "a readable .docx or .pdf file",
            ),
            Paper => t("khổ giấy A4 (210 × 297 mm)", "A4 paper (210 × 297 mm)"),
            Landscape => t(
                "trình bày theo chiều dài khổ A4; chiều ngang chỉ khi nội dung có bảng, biểu",
                "portrait A4; landscape only for pages holding tables",
            ),
            Margin => t(
                "lề trên, lề dưới 20–25 mm; lề trái 30–35 mm; lề phải 15–20 mm",
                "margins: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm",
            ),
            Font => t(
                "phông chữ Times New Roman (Unicode, TCVN 6909:2001)",
                "Times New Roman (Unicode, TCVN 6909:2001)",
            ),
            FontLegacy => t(
                "phông chữ Unicode theo TCVN 6909:2001, không dùng phông TCVN3 (.Vn…) hay VNI",
                "a Unicode font per TCVN 6909:2001, not a TCVN3 (.Vn…) or VNI font",
            ),
            Colour => t("chữ màu đen", "black text"),
            Nfc => t(
                "chữ Việt Unicode dựng sẵn (NFC), để tìm kiếm và sắp xếp đúng",
                "precomposed Vietnamese (Unicode NFC), so that search and sorting work",
            ),
            PageNumberFirst => t(
                "không hiển thị số trang ở trang thứ nhất",
                "no page number on the first page",
            ),
            PageNumberPlace => t(
                "số trang canh giữa ở lề trên (đầu trang)",
                "page numbers centred in the top margin (header)",
            ),
            PageNumberSize => t("số trang cỡ chữ 13–14", "page numbers at 13–14 pt"),
            PageNumberMissing => t(
                "văn bản nhiều trang được đánh số trang từ trang thứ hai",
                "a document of several pages numbered from page 2",
            ),
            NationalTitleMissing => t(
                "Quốc hiệu «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM»",
                "the national title «CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM»",
            ),
            NationalTitleCase => t("Quốc hiệu in hoa", "the national title in capitals"),
            NationalTitleBold => t(
                "Quốc hiệu kiểu chữ đứng, đậm",
                "the national title upright bold",
            ),
            NationalTitleSize => t("Quốc hiệu cỡ chữ 12–13", "the national title at 12–13 pt"),
            MottoMissing => t(
                "Tiêu ngữ «Độc lập - Tự do - Hạnh phúc» dưới Quốc hiệu",
                "the motto «Độc lập - Tự do - Hạnh phúc» under the national title",
            ),
            MottoForm => t(
                "«Độc lập - Tự do - Hạnh phúc»: chữ cái đầu các cụm từ viết hoa, giữa các cụm từ \
                 có gạch nối (-) và cách chữ",
                "«Độc lập - Tự do - Hạnh phúc»: each phrase capitalised, hyphens with a space \
                 on each side",
            ),
            MottoBold => t("Tiêu ngữ kiểu chữ đứng, đậm", "the motto upright bold"),
            MottoSize => t("Tiêu ngữ cỡ chữ 13–14", "the motto at 13–14 pt"),
            MottoRule => t(
                "phía dưới Tiêu ngữ có đường kẻ ngang, nét liền",
                "a solid horizontal rule under the motto",
            ),
            MottoRuleLength => t(
                "đường kẻ dưới Tiêu ngữ có độ dài bằng độ dài của dòng chữ",
                "the rule under the motto as long as the motto",
            ),
            AgencyMissing => t(
                "tên cơ quan, tổ chức ban hành văn bản ở góc trên bên trái",
                "the issuing agency's name at the top left",
            ),
            AgencyCase => t("tên cơ quan in hoa", "the agency's name in capitals"),
            AgencyBold => t(
                "tên cơ quan ban hành kiểu chữ đứng, đậm",
                "the issuing agency's name upright bold",
            ),
            AgencySize => t("tên cơ quan cỡ chữ 12–13", "the agency's name at 12–13 pt"),
            AgencyRule => t(
                "phía dưới tên cơ quan có đường kẻ ngang, nét liền",
                "a solid horizontal rule under the agency's name",
            ),
            AgencyRuleLength => t(
                "đường kẻ dưới tên cơ quan dài từ 1/3 đến 1/2 độ dài dòng chữ, đặt cân đối",
                "the rule under the agency 1/3 to 1/2 as long as its name, centred",
            ),
            NumberMissing => t(
                "số, ký hiệu của văn bản («Số: 05/BC-UBND») dưới tên cơ quan",
                "the number and symbol («Số: 05/BC-UBND») under the agency's name",
            ),
            NumberZero => t(
                "số nhỏ hơn 10 ghi thêm số 0 phía trước (01, 02, …)",
                "numbers below 10 with a leading zero (01, 02, …)",
            ),
            NumberForm => t(
                "«Số» chữ thường có dấu hai chấm; giữa số và ký hiệu có dấu «/», giữa các nhóm \
                 chữ viết tắt có dấu «-», không cách chữ",
                "«Số» in lower case with a colon; «/» between number and symbol and «-» \
                 between abbreviations, without spaces",
            ),
            NumberSize => t("số, ký hiệu cỡ chữ 13", "the number line at 13 pt"),
            NumberBold => t(
                "số, ký hiệu kiểu chữ đứng, không đậm",
                "the number line upright, not bold",
            ),
            SymbolLetter => t(
                "ký hiệu công văn gồm chữ viết tắt tên cơ quan và đơn vị soạn thảo, không có «CV»",
                "a letter's symbol is agency and drafting unit, with no «CV»",
            ),
            DateMissing => t(
                "địa danh và thời gian ban hành («Phú Thái, ngày 05 tháng 3 năm 2025»)",
                "place and date («Phú Thái, ngày 05 tháng 3 năm 2025»)",
            ),
            DateForm => t(
                "«<địa danh>, ngày … tháng … năm …» viết đầy đủ, sau địa danh có dấu phẩy",
                "«<place>, ngày … tháng … năm …» written out, with a comma after the place",
            ),
            DateDayZero => t(
                "ngày nhỏ hơn 10 ghi thêm số 0 phía trước",
                "days below 10 with a leading zero",
            ),
            DateMonthZero => t(
                "tháng 1, 2 ghi thêm số 0 phía trước (01, 02); tháng 3 đến 12 không thêm",
                "months 1 and 2 with a leading zero (01, 02); months 3 to 12 without",
            ),
            DateItalic => t(
                "địa danh, thời gian kiểu chữ nghiêng",
                "the place and date in italics",
            ),
            DateSize => t(
                "địa danh, thời gian cỡ chữ 13–14",
                "the place and date at 13–14 pt",
            ),
            TitleCase => t("tên loại văn bản in hoa", "the document type in capitals"),
            TitleBold => t(
                "tên loại văn bản kiểu chữ đứng, đậm",
                "the document type upright bold",
            ),
            TitleSize => t(
                "tên loại văn bản cỡ chữ 13–14",
                "the document type at 13–14 pt",
            ),
            SummaryVv => t(
                "trích yếu dưới tên loại không bắt đầu bằng «V/v» (chỉ công văn dùng «V/v»)",
                "a summary under a type name without «V/v» (only letters use it)",
            ),
            SummaryBold => t("trích yếu kiểu chữ đứng, đậm", "the summary upright bold"),
            SummarySize => t("trích yếu cỡ chữ 13–14", "the summary at 13–14 pt"),
            SummaryRule => t(
                "phía dưới trích yếu có đường kẻ ngang, nét liền",
                "a solid horizontal rule under the summary",
            ),
            SummaryRuleLength => t(
                "đường kẻ dưới trích yếu dài từ 1/3 đến 1/2 độ dài dòng chữ",
                "the rule under the summary 1/3 to 1/2 as long as its line",
            ),
            LetterSummaryMissing => t(
                "tên loại văn bản, hoặc với công văn: trích yếu «V/v …» dưới số, ký hiệu",
                "a document type, or for a letter: a summary «V/v …» under the number",
            ),
            LetterSummaryVv => t(
                "trích yếu công văn bắt đầu bằng «V/v» (không có dấu hai chấm)",
                "a letter's summary starting «V/v» (no colon)",
            ),
            LetterSummaryBold => t(
                "trích yếu công văn kiểu chữ đứng, không đậm",
                "a letter's summary upright, not bold",
            ),
            LetterSummarySize => t(
                "trích yếu công văn cỡ chữ 12–13",
                "a letter's summary at 12–13 pt",
            ),
            BodySize => t("nội dung cỡ chữ 13–14", "the body at 13–14 pt"),
            BodyJustify => t("nội dung căn đều hai lề", "the body justified"),
            BodyIndent => t(
                "đầu dòng lùi vào 1 cm đến 1,27 cm",
                "a first-line indent of 1 cm to 1.27 cm",
            ),
            BodySpacing => t(
                "khoảng cách giữa các đoạn văn tối thiểu 6 pt",
                "at least 6 pt between paragraphs",
            ),
            BodyLineSpacing => t(
                "khoảng cách giữa các dòng từ cách dòng đơn đến 1,5 dòng",
                "line spacing from single to 1.5 lines",
            ),
            BodyEnd => t(
                "nội dung kết thúc bằng «./.» như các mẫu của Phụ lục III",
                "the body ends with «./.» as the samples of Phụ lục III do",
            ),
            AuthorityForm => t(
                "quyền hạn ghi «TM.», «KT.», «Q.», «TL.», «TUQ.» (in hoa, có dấu chấm, không \
                 dùng «/»)",
                "authority written «TM.», «KT.», «Q.», «TL.», «TUQ.» (capitals with a dot, \
                 no «/»)",
            ),
            AuthorityCase => t(
                "quyền hạn, chức vụ của người ký in hoa",
                "the signer's authority and title in capitals",
            ),
            AuthorityBold => t(
                "quyền hạn, chức vụ của người ký kiểu chữ đứng, đậm",
                "the signer's authority and title upright bold",
            ),
            AuthoritySize => t(
                "quyền hạn, chức vụ cỡ chữ 13–14",
                "the authority and title at 13–14 pt",
            ),
            SignerMissing => t(
                "quyền hạn, chức vụ và họ tên người ký ở cuối văn bản",
                "the signer's authority, title and name at the end",
            ),
            SignerCase => t(
                "họ tên người ký chữ in thường, viết hoa chữ cái đầu",
                "the signer's name in title case, not capitals",
            ),
            SignerBold => t(
                "họ tên người ký kiểu chữ đứng, đậm",
                "the signer's name upright bold",
            ),
            SignerTitle => t(
                "trước họ tên người ký không ghi học hàm, học vị",
                "no academic title or degree before the signer's name",
            ),
            SignerSize => t(
                "họ tên người ký cỡ chữ 13–14",
                "the signer's name at 13–14 pt",
            ),
            RecipientsMissing => t(
                "«Nơi nhận:» và danh sách nơi nhận ở góc dưới bên trái",
                "«Nơi nhận:» and the recipients at the bottom left",
            ),
            RecipientsHeading => t(
                "«Nơi nhận:» cỡ chữ 12, kiểu chữ nghiêng, đậm",
                "«Nơi nhận:» at 12 pt, bold italic",
            ),
            RecipientsItemSize => t("các nơi nhận cỡ chữ 11", "the recipients at 11 pt"),
            RecipientsItemForm => t(
                "mỗi nơi nhận một dòng, đầu dòng có gạch ngang «-», cuối dòng có dấu «;», dòng \
                 cuối có dấu «.»",
                "one recipient per line, starting «-», ending «;», the last «.»",
            ),
            RecipientsArchive => t("dòng cuối «- Lưu: VT, …»", "a last line «- Lưu: VT, …»"),
            AppendixHeading => t(
                "chữ «Phụ lục» và số thứ tự cỡ chữ 14, kiểu chữ đứng, đậm",
                "«Phụ lục» and its number at 14 pt, upright bold",
            ),
            AppendixNumbering => t(
                "nhiều phụ lục được đánh số bằng chữ số La Mã (Phụ lục I, Phụ lục II)",
                "several appendices numbered in Roman numerals (Phụ lục I, Phụ lục II)",
            ),
            AppendixReference => t(
                "dưới tên phụ lục có dòng «(Kèm theo … số … ngày … của …)» in nghiêng",
                "under the appendix's title the line «(Kèm theo … số … ngày … của …)» in italics",
            ),
            MarkStyle => t(
                "dấu mức độ khẩn, độ mật in hoa, kiểu chữ đứng, đậm",
                "urgency and secrecy marks in capitals, upright bold",
            ),
            MarkDraft => t(
                "văn bản ban hành không còn chỉ dẫn «DỰ THẢO»",
                "an issued document carries no «DỰ THẢO» (draft) mark",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_own_code_and_a_clause() {
        let mut codes: Vec<&str> = Check::ALL.iter().map(|c| c.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 77);
        for &c in Check::ALL {
            assert!(c.code().starts_with("L-"));
            assert!(!c.due().vi.is_empty() && !c.due().en.is_empty());
            if c != Unreadable {
                assert!(c.clause().contains("Phụ lục") || c.clause().contains("Điều"));
            }
        }
    }
}
