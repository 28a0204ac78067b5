//! What intake finds wrong with a file, as data: each problem with the values that say
//! so. Its code, its severity and its words in both languages are derived here, and the
//! edge (CLI, web page, JSON) picks the language.

use crate::diagnostic::{Lang, Severity, Text};
use crate::period::Period;
use rust_decimal::Decimal;
use serde::Serialize;

/// One problem intake found in an input file (vấn đề của tệp báo cáo).
#[derive(Debug, Clone, PartialEq)]
pub enum IntakeProblem {
    /// `E-UNREADABLE`: the file could not be read from disk.
    Unreadable { reason: String },
    /// `E-TOO-LARGE`: the file is over `[limits] max_file_mb`.
    FileTooLarge { mb: u64, max_mb: u64 },
    /// `E-TOO-LARGE`: the workbook unpacks to more than the limit (a zip bomb?).
    UnpacksTooLarge { max_mb: u64 },
    /// `E-NOT-SPREADSHEET`: another kind of file (a Word document, a PDF…).
    NotSpreadsheet { kind: &'static str },
    /// `E-PASSWORD`: an encrypted workbook.
    Password,
    /// `E-DAMAGED`: the workbook is damaged or truncated.
    Damaged { reason: String },
    /// `E-DAMAGED`: the reader stopped on this file (a dependency's panic, caught), with
    /// what it said.
    ReaderFailed { said: String },
    /// `E-DAMAGED`: one sheet cannot be read.
    SheetUnreadable { reason: String },
    /// `E-TOO-MANY-CELLS`: a sheet's filled cells span more than `[limits] max_cells`.
    TooManyCells { max: u64 },
    /// `E-NO-TABLE`: no report table; `near` is the header of the closest row.
    NoTable {
        office: String,
        near: Option<String>,
    },
    /// `E-EMPTY-WORKBOOK`.
    EmptyWorkbook { office: String },
    /// `W-LEGACY-ENCODING`: cells typed in TCVN3 or VNI, converted.
    LegacyEncoding {
        cells: usize,
        encoding: &'static str,
        list: String,
        old: String,
        new: String,
    },
    /// `E-NO-UNIT`: neither a "Đơn vị báo cáo" line nor a file name names the unit.
    NoUnit,
    /// `E-UNKNOWN-UNIT`: a unit name not in the roster, with the closest names.
    UnknownUnit { name: String, near: Vec<String> },
    /// `W-PERIOD-TEXT`: the sheet's period line cannot be read.
    PeriodText { text: String },
    /// `W-OTHER-PERIOD-SHEET`: a sheet of another period, beside this period's sheet.
    OtherPeriodSheet { sheet: Period, period: Period },
    /// `E-PERIOD-MISMATCH`: the sheet is for another period than its folder's.
    PeriodMismatch { sheet: Period, period: Period },
    /// `W-OLDER-FILE`: a unit sent two files; the newer counts.
    OlderFile {
        unit: String,
        newer: String,
        newer_time: String,
        older: String,
        older_time: String,
    },
    /// `E-DUPLICATE-UNIT`: a unit reported in two files that carry the same time.
    DuplicateUnitFile { unit: String, first: String },
    /// `E-DUPLICATE-UNIT`: a unit with two rows of a consolidated table.
    DuplicateUnitRow { unit: String },
    /// `W-AMBIGUOUS-COLUMN`: two columns may hold this period's figures.
    AmbiguousColumn {
        taken: String,
        taken_at: String,
        other: String,
        other_at: String,
    },
    /// `W-HIDDEN-COLUMN`: a hidden column not read over a visible one.
    HiddenColumn {
        hidden: String,
        at: String,
        taken: String,
        taken_at: String,
    },
    /// `W-FUZZY-LABEL`: a row label taken for a look-alike indicator.
    FuzzyLabel {
        found: String,
        label: String,
        percent: f64,
    },
    /// `W-FUZZY-LABEL`: a consolidated table's column header taken for an indicator.
    FuzzyColumn {
        header: String,
        label: String,
        percent: f64,
    },
    /// `W-UNREAD-COLUMNS`: a consolidated table's headed columns that match nothing.
    UnreadColumns { list: String },
    /// `E-MISSING-INDICATOR`: a unit's sheet without an indicator's row.
    MissingIndicator { label: String },
    /// `E-MISSING-INDICATOR`: a consolidated table without an indicator's column.
    MissingIndicatorColumn { label: String },
    /// `W-UNKNOWN-ROW`: a labelled row that matches no indicator.
    UnknownRow { label: String },
    /// `W-UNKNOWN-ROW`: a look-alike row whose indicator has its own row elsewhere.
    LookAlikeRow {
        label: String,
        indicator: String,
        own: String,
    },
    /// `E-DUPLICATE-ROW`: one indicator on several rows.
    DuplicateRow { label: String, rows: String },
    /// `W-HIDDEN-ROW`: a hidden row with an indicator's label, not counted.
    HiddenRow {
        at: String,
        label: String,
        own: String,
    },
    /// `E-DATE-VALUE`: a value cell holding a date.
    DateValue { shown: String },
    /// `E-PERCENT-VALUE`: a percentage for an indicator counted in other units.
    PercentValue { shown: String, unit: String },
    /// `E-CELL-ERROR`: a formula error (#DIV/0!…).
    CellError { error: String },
    /// `E-FORMULA-NO-VALUE`: a formula without its computed result.
    FormulaNoValue,
    /// `E-TOO-BIG`: a figure beyond `[limits] max_value`.
    TooBig { value: String, max: String },
    /// `E-NUMBER-TEXT`: a value cell that is not a number.
    NumberText { text: String },
    /// `E-NEGATIVE`.
    Negative { value: Decimal },
    /// `E-FRACTION`: a fraction for an indicator of whole numbers.
    Fraction { value: Decimal },
    /// `W-NUMBER-NOTATION`: a text number read the Vietnamese way where the English
    /// way reads `other`.
    TwoNotations {
        text: String,
        read: String,
        other: String,
    },
    /// `W-NUMBER-NOTATION`: a dot that can only be an English decimal point.
    EnglishPoint { text: String, read: String },
}

impl IntakeProblem {
    /// The stable code tests and scripts rely on.
    pub fn code(&self) -> &'static str {
        use IntakeProblem::*;
        match self {
            Unreadable { .. } => "E-UNREADABLE",
            FileTooLarge { .. } | UnpacksTooLarge { .. } => "E-TOO-LARGE",
            NotSpreadsheet { .. } => "E-NOT-SPREADSHEET",
            Password => "E-PASSWORD",
            Damaged { .. } | ReaderFailed { .. } | SheetUnreadable { .. } => "E-DAMAGED",
            TooManyCells { .. } => "E-TOO-MANY-CELLS",
            NoTable { .. } => "E-NO-TABLE",
            EmptyWorkbook { .. } => "E-EMPTY-WORKBOOK",
            LegacyEncoding { .. } => "W-LEGACY-ENCODING",
            NoUnit => "E-NO-UNIT",
            UnknownUnit { .. } => "E-UNKNOWN-UNIT",
            PeriodText { .. } => "W-PERIOD-TEXT",
            OtherPeriodSheet { .. } => "W-OTHER-PERIOD-SHEET",
            PeriodMismatch { .. } => "E-PERIOD-MISMATCH",
            OlderFile { .. } => "W-OLDER-FILE",
            DuplicateUnitFile { .. } | DuplicateUnitRow { .. } => "E-DUPLICATE-UNIT",
            AmbiguousColumn { .. } => "W-AMBIGUOUS-COLUMN",
            HiddenColumn { .. } => "W-HIDDEN-COLUMN",
            FuzzyLabel { .. } | FuzzyColumn { .. } => "W-FUZZY-LABEL",
            UnreadColumns { .. } => "W-UNREAD-COLUMNS",
            MissingIndicator { .. } | MissingIndicatorColumn { .. } => "E-MISSING-INDICATOR",
            UnknownRow { .. } | LookAlikeRow { .. } => "W-UNKNOWN-ROW",
            DuplicateRow { .. } => "E-DUPLICATE-ROW",
            HiddenRow { .. } => "W-HIDDEN-ROW",
            DateValue { .. } => "E-DATE-VALUE",
            PercentValue { .. } => "E-PERCENT-VALUE",
            CellError { .. } => "E-CELL-ERROR",
            FormulaNoValue => "E-FORMULA-NO-VALUE",
            TooBig { .. } => "E-TOO-BIG",
            NumberText { .. } => "E-NUMBER-TEXT",
            Negative { .. } => "E-NEGATIVE",
            Fraction { .. } => "E-FRACTION",
            TwoNotations { .. } | EnglishPoint { .. } => "W-NUMBER-NOTATION",
        }
    }

    /// An error stops the value or the file from counting; a warning only tells.
    pub fn severity(&self) -> Severity {
        if self.code().starts_with("W-") {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// What is wrong, with the values that say so.
    pub fn message(&self) -> Text {
        use IntakeProblem::*;
        match self {
            Unreadable { reason } => Text::new(
                format!("Không đọc được tệp: {reason}."),
                format!("Cannot read the file: {reason}."),
            ),
            FileTooLarge { mb, max_mb } => Text::new(
                format!("Tệp quá lớn ({mb} MB), vượt giới hạn {max_mb} MB."),
                format!("The file is too large ({mb} MB), over the {max_mb} MB limit."),
            ),
            UnpacksTooLarge { max_mb } => Text::new(
                format!("Tệp giải nén ra hơn {max_mb} MB, vượt giới hạn."),
                format!("The workbook unpacks to more than {max_mb} MB, over the limit."),
            ),
            NotSpreadsheet { kind } => Text::new(
                format!("Tệp này không phải bảng tính Excel/LibreOffice ({kind})."),
                format!("This file is not an Excel/LibreOffice spreadsheet ({kind})."),
            ),
            Password => Text::new(
                "Tệp được đặt mật khẩu nên không đọc được.",
                "The workbook is password-protected and cannot be read.",
            ),
            Damaged { reason } => Text::new(
                format!("Tệp bảng tính bị hỏng hoặc không đầy đủ ({reason})."),
                format!("The workbook is damaged or truncated ({reason})."),
            ),
            ReaderFailed { said } => Self::Damaged {
                reason: format!("{}: {said}", super::READER_FAILURE),
            }
            .message(),
            SheetUnreadable { reason } => Text::new(
                format!("Không đọc được trang tính ({reason})."),
                format!("The sheet cannot be read ({reason})."),
            ),
            TooManyCells { max } => Text::new(
                format!("Các ô có dữ liệu của trang tính trải rộng quá {max} ô, vượt giới hạn (có thể có ô gõ nhầm ở rất xa bảng)."),
                format!("The sheet's filled cells span more than {max} cells, over the limit (a stray entry far from the table?)."),
            ),
            NoTable { near, .. } => {
                let vi = "Không tìm thấy bảng báo cáo (dòng tiêu đề có cột \"Chỉ tiêu\" và \"Thực hiện\") trong tệp.";
                let en = "No report table (a header row with \"Chỉ tiêu\" and \"Thực hiện\" columns) was found.";
                match near {
                    Some(header) => Text::new(
                        format!("{vi} Dòng gần giống nhất có cột \"{header}\" nhưng thiếu cột \"Chỉ tiêu\" hoặc \"Thực hiện\" của kỳ này."),
                        format!("{en} The closest row has a \"{header}\" column but lacks a \"Chỉ tiêu\" or this period's \"Thực hiện\" column."),
                    ),
                    None => Text::new(vi, en),
                }
            }
            EmptyWorkbook { .. } => Text::new("Bảng tính trống.", "The workbook is empty."),
            LegacyEncoding { cells, encoding, list, old, new } => Text::new(
                format!("{cells} ô gõ bằng bảng mã cũ {encoding} ({list}) đã được chuyển sang Unicode, ví dụ \"{old}\" → \"{new}\"."),
                format!("{cells} cells typed in the legacy encoding {encoding} ({list}) were converted to Unicode, e.g. \"{old}\" → \"{new}\"."),
            ),
            NoUnit => Text::new(
                "Không xác định được đơn vị báo cáo: thiếu dòng \"Đơn vị báo cáo: …\" và tên tệp không chứa tên đơn vị.",
                "The reporting unit is unknown: no \"Đơn vị báo cáo: …\" line, and the file name names no unit.",
            ),
            UnknownUnit { name, .. } => Text::new(
                format!("Đơn vị \"{name}\" không có trong danh sách đơn vị của dự án."),
                format!("The unit \"{name}\" is not in the project's roster."),
            ),
            PeriodText { text } => Text::new(
                format!("Không đọc được kỳ báo cáo \"{text}\"; coi như kỳ của thư mục."),
                format!("The period \"{text}\" cannot be read; the folder's period is assumed."),
            ),
            OtherPeriodSheet { sheet, period } => Text::new(
                format!("Trang tính này là của kỳ {}, không phải kỳ {}; đã đọc trang tính của kỳ {} trong cùng tệp.", sheet.label_vi(), period.label_vi(), period.label_vi()),
                format!("This sheet is for {sheet}, not {period}; the workbook's sheet for {period} was read instead."),
            ),
            PeriodMismatch { sheet, period } => Text::new(
                format!("Báo cáo ghi kỳ {}, nhưng nằm trong thư mục kỳ {}; không được tính.", sheet.label_vi(), period.label_vi()),
                format!("The sheet is for {sheet}, but it is in the folder of {period}; it is not counted."),
            ),
            OlderFile { unit, newer, newer_time, older, older_time } => Text::new(
                format!("{unit} gửi hai tệp: {newer} (sửa lúc {newer_time}) và {older} (sửa lúc {older_time}); đã tính tệp mới hơn {newer}, không tính tệp {older}."),
                format!("{unit} sent two files: {newer} (modified {newer_time}) and {older} (modified {older_time}); the newer, {newer}, is counted and {older} is not."),
            ),
            DuplicateUnitFile { unit, first } => Text::new(
                format!("{unit} đã có báo cáo trong tệp {first}; báo cáo này không được tính lần hai (hai tệp cùng thời điểm sửa, không biết tệp nào mới hơn)."),
                format!("{unit} already reported in {first}; this report is not counted twice (the files carry the same time, so neither is known to be newer)."),
            ),
            DuplicateUnitRow { unit } => Text::new(
                format!("{unit} có hai dòng trong bảng; dòng này không được tính."),
                format!("{unit} has two rows in the table; this one is not counted."),
            ),
            AmbiguousColumn { taken, taken_at, other, other_at } => Text::new(
                format!("Có hai cột có thể là số liệu kỳ này: \"{taken}\" ({taken_at}) và \"{other}\" ({other_at}); đã lấy cột \"{taken}\"."),
                format!("Two columns may hold this period's figures: \"{taken}\" ({taken_at}) and \"{other}\" ({other_at}); \"{taken}\" was read."),
            ),
            HiddenColumn { hidden, at, taken, taken_at } => Text::new(
                format!("Cột \"{hidden}\" ({at}) đang bị ẩn nên không được đọc; đã lấy cột hiện \"{taken}\" ({taken_at})."),
                format!("The column \"{hidden}\" ({at}) is hidden and not read; the visible column \"{taken}\" ({taken_at}) is."),
            ),
            FuzzyLabel { found, label, percent } => Text::new(
                format!("Chỉ tiêu \"{found}\" được hiểu là \"{label}\" (giống {percent:.0}%)."),
                format!("The label \"{found}\" was taken for \"{label}\" ({percent:.0}% alike)."),
            ),
            FuzzyColumn { header, label, percent } => Text::new(
                format!("Cột \"{header}\" được hiểu là chỉ tiêu \"{label}\" (giống {percent:.0}%)."),
                format!("The column \"{header}\" was taken for \"{label}\" ({percent:.0}% alike)."),
            ),
            UnreadColumns { list } => Text::new(
                format!("Các cột không khớp chỉ tiêu nào nên không được đọc: {list}."),
                format!("These columns match no indicator and are not read: {list}."),
            ),
            MissingIndicator { label } => Text::new(
                format!("Thiếu chỉ tiêu \"{label}\"."),
                format!("The indicator \"{label}\" is missing."),
            ),
            MissingIndicatorColumn { label } => Text::new(
                format!("Bảng tổng hợp thiếu cột chỉ tiêu \"{label}\"."),
                format!("The consolidated table has no column for \"{label}\"."),
            ),
            UnknownRow { label } => Text::new(
                format!("Dòng \"{label}\" không khớp chỉ tiêu nào; số liệu của dòng này không được tính."),
                format!("The row \"{label}\" matches no indicator; its number is not counted."),
            ),
            LookAlikeRow { label, indicator, own } => Text::new(
                format!("Dòng \"{label}\" gần giống chỉ tiêu \"{indicator}\", nhưng chỉ tiêu này đã có dòng đúng tên ở {own}; số liệu của dòng này không được tính."),
                format!("The row \"{label}\" looks like the indicator \"{indicator}\", whose own row is at {own}; this row's number is not counted."),
            ),
            DuplicateRow { label, rows } => Text::new(
                format!("Chỉ tiêu \"{label}\" có ở nhiều dòng ({rows}); không biết lấy số liệu dòng nào nên chưa tính."),
                format!("The indicator \"{label}\" is on several rows ({rows}); it is not counted, as it cannot be told which one holds the figure."),
            ),
            HiddenRow { at, label, own } => Text::new(
                format!("Dòng {at} của chỉ tiêu \"{label}\" đang bị ẩn nên không được tính; đã lấy dòng hiện ở {own}."),
                format!("Row {at} of the indicator \"{label}\" is hidden and not counted; the visible row at {own} is."),
            ),
            DateValue { shown } => Text::new(
                format!("Ô số liệu là một ngày ({shown}), không phải số (có thể ô bị định dạng kiểu ngày tháng)."),
                format!("The value cell holds a date ({shown}), not a number (the cell may be formatted as a date)."),
            ),
            PercentValue { shown, unit } => Text::new(
                format!("Ô ghi tỷ lệ phần trăm ({shown}) cho chỉ tiêu tính bằng \"{unit}\"; không được tính."),
                format!("The cell holds a percentage ({shown}) for an indicator counted in \"{unit}\"; it is not counted."),
            ),
            CellError { error } => Text::new(
                format!("Ô có lỗi công thức {error}."),
                format!("The cell holds the error {error}."),
            ),
            FormulaNoValue => Text::new(
                "Ô có công thức nhưng tệp không lưu kết quả tính (tệp do phần mềm khác tạo ra).",
                "The cell has a formula but the file carries no computed result (it was written by another program).",
            ),
            TooBig { value, max } => Text::new(
                format!("Số liệu {value} lớn quá mức có thể (hơn {max}); không được tính."),
                format!("The figure {value} is beyond any plausible value (over {max}); it is not counted."),
            ),
            NumberText { text } => Text::new(
                format!("Ô số liệu ghi \"{text}\", không phải là số."),
                format!("The value cell says \"{text}\", which is not a number."),
            ),
            Negative { value } => Text::new(
                format!("Số liệu âm ({value})."),
                format!("A negative figure ({value})."),
            ),
            Fraction { value } => Text::new(
                format!("Chỉ tiêu này phải là số nguyên, ô ghi {value}."),
                format!("This indicator takes whole numbers; the cell says {value}."),
            ),
            TwoNotations { text, read, other } => Text::new(
                format!("Ô ghi \"{text}\": đã đọc là {read} theo cách viết Việt Nam (dấu chấm ngăn nghìn, dấu phẩy thập phân); nếu đơn vị viết theo kiểu Anh thì là {other}."),
                format!("The cell says \"{text}\": read as {read} the Vietnamese way (dots group thousands, a comma marks decimals); written the English way it would be {other}."),
            ),
            EnglishPoint { text, read } => Text::new(
                format!("Ô ghi \"{text}\": dấu chấm được hiểu là dấu thập phân, đọc là {read}."),
                format!("The cell says \"{text}\": the dot was taken for a decimal point, read as {read}."),
            ),
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> Text {
        use IntakeProblem::*;
        let (vi, en): (String, &str) = match self {
            Unreadable { .. } => (
                "Kiểm tra quyền truy cập tệp rồi chạy lại.".into(),
                "Check the file's permissions and run again.",
            ),
            FileTooLarge { .. } => (
                "Xóa các trang tính, hình ảnh không cần thiết rồi lưu lại.".into(),
                "Remove unneeded sheets and pictures, then save it again.",
            ),
            UnpacksTooLarge { .. } => (
                "Xóa các trang tính, hình ảnh không cần thiết rồi lưu lại; nếu là tệp lạ, không mở nó.".into(),
                "Remove unneeded sheets and pictures and save again; if the file is unexpected, do not open it.",
            ),
            NotSpreadsheet { .. } => (
                "Đề nghị đơn vị gửi lại báo cáo theo mẫu bảng tính (.xlsx, .xls hoặc .ods).".into(),
                "Ask the unit for its report on the spreadsheet form (.xlsx, .xls or .ods).",
            ),
            Password => (
                "Đề nghị đơn vị lưu lại tệp không đặt mật khẩu rồi gửi lại.".into(),
                "Ask the unit to save it without a password and send it again.",
            ),
            Damaged { .. } | ReaderFailed { .. } => (
                "Mở tệp bằng Excel hoặc LibreOffice; nếu không mở được, đề nghị đơn vị gửi lại.".into(),
                "Open it in Excel or LibreOffice; if it does not open, ask the unit to send it again.",
            ),
            SheetUnreadable { .. } => (
                "Mở tệp bằng Excel hoặc LibreOffice và lưu lại.".into(),
                "Open and save the file again in Excel or LibreOffice.",
            ),
            TooManyCells { .. } => (
                "Xóa các dòng, cột thừa ngoài bảng báo cáo rồi lưu lại.".into(),
                "Delete the rows and columns outside the report table and save again.",
            ),
            // The office that sends the form is the project's own ([agency] office).
            NoTable { office, .. } | EmptyWorkbook { office } => (
                format!("Đề nghị đơn vị dùng mẫu báo cáo do {office} gửi (lệnh vanthu form)."),
                "Ask the unit to use the report form (made by `vanthu form`).",
            ),
            LegacyEncoding { .. } => (
                "Kiểm tra lại các ô này; lần sau đề nghị đơn vị gõ bằng bảng mã Unicode (phông Times New Roman).".into(),
                "Check these cells; ask the unit to type in Unicode (Times New Roman) next time.",
            ),
            NoUnit => (
                "Thêm dòng \"Đơn vị báo cáo: <tên đơn vị>\" phía trên bảng, hoặc đặt tên tệp theo tên đơn vị.".into(),
                "Add a line \"Đơn vị báo cáo: <unit name>\" above the table, or name the file after the unit.",
            ),
            UnknownUnit { near, .. } => {
                let near = near.join(", ");
                return Text::new(
                    format!("Có phải là {near}? Sửa tên đơn vị cho đúng, hoặc thêm tên này vào aliases của đơn vị trong vanthu.toml."),
                    format!("Did you mean {near}? Correct the name, or add it to the unit's aliases in vanthu.toml."),
                );
            }
            PeriodText { .. } => (
                "Ghi kỳ báo cáo theo dạng \"Tháng 10/2025\" hoặc \"Quý IV/2025\".".into(),
                "Write the period as \"Tháng 10/2025\" or \"Quý IV/2025\".",
            ),
            OtherPeriodSheet { .. } => ("Không cần làm gì.".into(), "Nothing to do."),
            PeriodMismatch { .. } => (
                "Có thể đơn vị gửi lại tệp của kỳ trước: đề nghị đơn vị gửi đúng báo cáo kỳ này.".into(),
                "The unit may have sent last period's file again: ask for this period's report.",
            ),
            OlderFile { .. } => (
                "Nếu tệp cũ mới là tệp đúng, xóa tệp mới hơn khỏi thư mục rồi chạy lại.".into(),
                "If the older file is the right one, remove the newer from the folder and run again.",
            ),
            DuplicateUnitFile { .. } => (
                "Giữ lại một tệp đúng của đơn vị, xóa tệp còn lại khỏi thư mục.".into(),
                "Keep the unit's right file and remove the other from the folder.",
            ),
            DuplicateUnitRow { .. } => (
                "Xóa dòng thừa của đơn vị.".into(),
                "Delete the unit's extra row.",
            ),
            AmbiguousColumn { .. } => (
                "Nếu lấy nhầm cột, sửa tiêu đề cột theo mẫu (\"Thực hiện\", \"Kế hoạch\") hoặc xóa cột thừa.".into(),
                "If the wrong column was read, restore the form's headers (\"Thực hiện\", \"Kế hoạch\") or delete the extra column.",
            ),
            HiddenColumn { .. } => (
                "Nếu cột ẩn mới là số liệu đúng, hiện cột đó và xóa cột còn lại.".into(),
                "If the hidden column holds the right figures, unhide it and delete the other.",
            ),
            FuzzyLabel { .. } => (
                "Nếu hiểu sai, sửa lại tên chỉ tiêu theo mẫu.".into(),
                "If that is wrong, restore the label of the form.",
            ),
            FuzzyColumn { .. } => (
                "Nếu hiểu sai, sửa tiêu đề cột theo tên chỉ tiêu.".into(),
                "If that is wrong, head the column with the indicator's label.",
            ),
            UnreadColumns { .. } => (
                "Nếu là chỉ tiêu của dự án, ghi tiêu đề cột đúng tên chỉ tiêu hoặc thêm vào aliases trong vanthu.toml.".into(),
                "If one is a project indicator, head it with the indicator's label or add an alias in vanthu.toml.",
            ),
            MissingIndicator { .. } => (
                "Thêm lại dòng chỉ tiêu này theo mẫu; nếu không có số liệu, ghi \"-\".".into(),
                "Add the indicator's row back as on the form; write \"-\" when there is no figure.",
            ),
            MissingIndicatorColumn { .. } => (
                "Thêm cột chỉ tiêu này vào dòng tiêu đề, ghi đúng tên chỉ tiêu.".into(),
                "Add a column for this indicator, headed with its label.",
            ),
            UnknownRow { .. } => (
                "Nếu là chỉ tiêu của dự án, sửa tên theo mẫu hoặc thêm vào aliases trong vanthu.toml.".into(),
                "If it is one of the project's indicators, restore its label or add an alias in vanthu.toml.",
            ),
            LookAlikeRow { .. } => (
                "Không cần làm gì nếu đây là dòng khác của đơn vị.".into(),
                "Nothing to do if this is a row of the unit's own.",
            ),
            DuplicateRow { .. } => (
                "Xóa các dòng thừa (kể cả dòng đã ẩn), chỉ giữ một dòng cho mỗi chỉ tiêu.".into(),
                "Delete the extra rows (hidden ones too), keeping one row per indicator.",
            ),
            HiddenRow { .. } => (
                "Nếu dòng ẩn mới là số liệu đúng, hiện dòng đó và xóa dòng còn lại.".into(),
                "If the hidden row holds the right figure, unhide it and delete the other.",
            ),
            DateValue { .. } => (
                "Định dạng ô là số (Format Cells → Number) rồi gõ lại số liệu.".into(),
                "Format the cell as a number (Format Cells → Number) and type the figure again.",
            ),
            PercentValue { .. } => (
                "Ghi số theo đơn vị tính của chỉ tiêu, không ghi phần trăm (bỏ định dạng %).".into(),
                "Write the figure in the indicator's unit, not as a percentage (remove the % format).",
            ),
            CellError { .. } => (
                "Sửa công thức hoặc nhập số trực tiếp vào ô.".into(),
                "Fix the formula or type the number in the cell.",
            ),
            FormulaNoValue => (
                "Mở tệp bằng Excel hoặc LibreOffice, lưu lại một lần rồi gửi lại.".into(),
                "Open the file once in Excel or LibreOffice, save it, and send it again.",
            ),
            TooBig { .. } => (
                "Kiểm tra lại ô: có thể gõ nhầm hoặc dán nhầm; giới hạn đặt ở [limits] max_value của vanthu.toml.".into(),
                "Check the cell for a typing or pasting slip; the bound is [limits] max_value in vanthu.toml.",
            ),
            NumberText { .. } => (
                "Chỉ ghi số (ví dụ 12 hoặc 1.234); đơn vị tính đã có ở cột riêng; không có số liệu thì ghi \"-\".".into(),
                "Write only the number (12 or 1.234); the unit of measure has its own column; write \"-\" when there is none.",
            ),
            Negative { .. } => (
                "Kiểm tra lại số liệu: chỉ tiêu này không thể âm.".into(),
                "Check the figure: this indicator cannot be negative.",
            ),
            Fraction { .. } => (
                "Ghi số nguyên (số buổi, số người…).".into(),
                "Write a whole number (sessions, people…).",
            ),
            TwoNotations { .. } | EnglishPoint { .. } => (
                "Kiểm tra lại với đơn vị; nên nhập số vào ô kiểu số thay vì gõ chữ số dạng văn bản.".into(),
                "Check with the unit; figures are best typed as numbers, not as text.",
            ),
        };
        Text::new(vi, en)
    }
}

/// One located problem in one input file (lỗi hoặc cảnh báo của tệp báo cáo): many per
/// run, collected, never only the first.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub file: String,
    pub sheet: Option<String>,
    /// A1 reference of the cell, when the problem is in one.
    pub cell: Option<String>,
    /// What is wrong, with its values.
    pub problem: IntakeProblem,
}

/// A diagnostic as shown in one language: what `--json` and the web page carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'static str,
    pub file: &'a str,
    pub sheet: Option<&'a str>,
    pub cell: Option<&'a str>,
    pub message: String,
    pub hint: String,
}

impl Diagnostic {
    pub fn severity(&self) -> Severity {
        self.problem.severity()
    }

    /// A stable code (`E-NUMBER-TEXT`, `W-FUZZY-LABEL`…) that tests and scripts can rely on.
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// What is wrong, in both languages.
    pub fn message(&self) -> Text {
        self.problem.message()
    }

    /// How to fix it, in both languages.
    pub fn hint(&self) -> Text {
        self.problem.hint()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The diagnostic in `lang`, for JSON and the web page.
    pub fn shown(&self, lang: Lang) -> ShownDiagnostic<'_> {
        ShownDiagnostic {
            severity: self.severity(),
            code: self.code(),
            file: &self.file,
            sheet: self.sheet.as_deref(),
            cell: self.cell.as_deref(),
            message: self.message().get(lang).to_string(),
            hint: self.hint().get(lang).to_string(),
        }
    }

    /// Where it is: "tep.xlsx › Tiến độ › E12".
    fn location(&self) -> String {
        let mut place = self.file.clone();
        for part in [&self.sheet, &self.cell].into_iter().flatten() {
            place.push_str(" › ");
            place.push_str(part);
        }
        place
    }

    /// Where it is and what: "tep.xlsx › Tiến độ › E12 [E-NUMBER-TEXT]".
    pub fn place(&self) -> String {
        format!("{} [{}]", self.location(), self.code())
    }

    /// One line for a terminal: `lỗi [E-NUMBER-TEXT] tep.xlsx › Tiến độ › E12: …`, then
    /// the fix on the next line.
    pub fn render(&self, lang: Lang) -> String {
        let sev = match self.severity() {
            Severity::Error => lang.pick("lỗi", "error"),
            Severity::Warning => lang.pick("cảnh báo", "warning"),
        };
        let hint_label = lang.pick("cách sửa", "fix");
        format!(
            "{sev} [{}] {}: {}\n    {hint_label}: {}",
            self.code(),
            self.location(),
            self.message().get(lang),
            self.hint().get(lang)
        )
    }
}
