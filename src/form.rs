//! The canonical unit sheet: what a unit fills in and sends back each period, and what
//! intake reads best. `vanthu form` writes it blank; the sample generator writes it filled.
//!
//! The sheet is protected without a password: labels, units of measure, the period,
//! the unit and assigned targets are locked; value, note and unassigned target cells are
//! open, with data validation (whole numbers ≥ 0 where the indicator is whole). It is
//! set up to print on one A4 page wide, portrait.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::nd30;
use crate::period::Period;
use crate::project::{Indicator, Project, Unit, ValueKind};

/// Rows of the canonical sheet (0-based), which intake does not rely on but tests do.
pub const HEADER_ROW: u32 = 7;

/// The canonical table's header, left to right.
pub const HEADERS: [&str; 7] = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch",
    "Thực hiện",
    "Tỷ lệ (%)",
    "Ghi chú",
];

/// What a unit writes in a value cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Number(Decimal),
    /// Text as typed ("1.234", "-", "mười hai").
    Text(String),
}

/// A unit's figures: value and its own target, by indicator code.
pub type Figures = BTreeMap<String, (Option<Entry>, Option<Decimal>)>;

/// The blank form of `unit` for `period`: targets from the unit's `targets` in
/// vanthu.toml filled in, every value cell empty.
pub fn blank_form(project: &Project, unit: &Unit, period: Period) -> Result<Vec<u8>, XlsxError> {
    let figures: Figures = unit
        .targets
        .iter()
        .map(|(code, t)| (code.clone(), (None, Some(*t))))
        .collect();
    unit_sheet(project, unit, period, &figures)
}

/// The file name units send the form back under, which intake also reads the unit from:
/// `cong-an-xa_2025-10.xlsx`.
pub fn file_name(unit: &Unit, period: Period) -> String {
    format!("{}_{period}.xlsx", crate::text::safe_file_stem(&unit.name))
}

/// Writes the canonical sheet of `unit` for `period` as .xlsx bytes.
pub fn unit_sheet(
    project: &Project,
    unit: &Unit,
    period: Period,
    figures: &Figures,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(period.year().clamp(1900, 9999) as u16, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Báo cáo {} - {}", project.campaign.name, unit.name))
            .set_author(&unit.name)
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo")?;
    let base = Format::new()
        .set_font_name(nd30::FONT_FAMILY)
        .set_font_size(12);
    let bold = base.clone().set_bold();
    let centre = base
        .clone()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let centre_bold = centre.clone().set_bold();
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let cell_bold = cell.clone().set_bold();
    let cell_centre = cell.clone().set_align(FormatAlign::Center);
    let head = cell_bold.clone().set_align(FormatAlign::Center);
    let number = cell.clone().set_num_format("#,##0");
    let open_number = number.clone().set_unlocked();
    let open_decimal = cell.clone().set_num_format("#,##0.0#").set_unlocked();
    let open_cell = cell.clone().set_unlocked();
    let percent = cell.clone().set_num_format("0.0");

    ws.set_column_width(0, 6)?;
    ws.set_column_width(1, 52)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 11)?;
    ws.set_column_width(4, 11)?;
    ws.set_column_width(5, 10)?;
    ws.set_column_width(6, 14)?;
    print_setup(ws);

    // The agency the form goes back to, under its parent body if it has one ("ỦY BAN
    // NHÂN DÂN HUYỆN YÊN THẾ" above "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO").
    let agency = project.agency.name.join(" ");
    let agency = match &project.agency.parent {
        Some(parent) => {
            ws.set_row_height(0, 30)?;
            format!("{}\n{agency}", crate::text::upper(parent))
        }
        None => agency,
    };
    ws.merge_range(0, 0, 0, 2, agency.trim(), &centre)?;
    ws.merge_range(0, 3, 0, 6, nd30::NATIONAL_TITLE, &centre_bold)?;
    ws.merge_range(1, 0, 1, 2, &crate::text::upper(&unit.name), &centre_bold)?;
    ws.merge_range(1, 3, 1, 6, nd30::MOTTO, &centre_bold)?;
    ws.merge_range(
        3,
        0,
        3,
        6,
        &format!(
            "BÁO CÁO KẾT QUẢ THỰC HIỆN PHONG TRÀO “{}”",
            crate::text::upper(&project.campaign.name)
        ),
        &centre_bold,
    )?;
    ws.write_string_with_format(4, 0, format!("Kỳ báo cáo: {}", period.sheet_label()), &bold)?;
    ws.write_string_with_format(5, 0, format!("Đơn vị báo cáo: {}", unit.name), &bold)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &head)?;
    }
    let mut row = HEADER_ROW + 1;
    let mut n = 0;
    for section in &project.sections {
        ws.write_string_with_format(
            row,
            0,
            &section.code,
            &cell_bold.clone().set_align(FormatAlign::Center),
        )?;
        ws.write_string_with_format(row, 1, &section.title, &cell_bold)?;
        for c in 2..7 {
            ws.write_blank(row, c, &cell)?;
        }
        row += 1;
        for ind in project
            .reported_indicators()
            .filter(|i| i.section == section.code)
        {
            n += 1;
            ws.write_number_with_format(row, 0, n as f64, &cell_centre)?;
            ws.write_string_with_format(row, 1, &ind.label, &cell)?;
            ws.write_string_with_format(row, 2, &ind.unit, &cell_centre)?;
            let (entry, target) = figures.get(&ind.code).cloned().unwrap_or((None, None));
            let open = match ind.kind {
                ValueKind::Integer => &open_number,
                ValueKind::Decimal => &open_decimal,
            };
            match target.and_then(|t| t.to_f64()) {
                Some(t) => ws.write_number_with_format(row, 3, t, &number)?,
                None => ws.write_blank(row, 3, open)?,
            };
            let value = match &entry {
                Some(Entry::Number(v)) => {
                    ws.write_number_with_format(row, 4, v.to_f64().unwrap_or(0.0), open)?;
                    v.to_f64()
                }
                Some(Entry::Text(t)) => {
                    ws.write_string_with_format(row, 4, t, open)?;
                    None
                }
                None => {
                    ws.write_blank(row, 4, open)?;
                    None
                }
            };
            ws.add_data_validation(row, 3, row, 4, &validation(ind)?)?;
            let (d, e) = (format!("D{}", row + 1), format!("E{}", row + 1));
            ws.write_formula_with_format(
                row,
                5,
                format!("=IF(AND(ISNUMBER({e}),{d}>0),{e}/{d}*100,\"\")").as_str(),
                &percent,
            )?;
            let result = match (value, target.and_then(|t| t.to_f64())) {
                (Some(v), Some(t)) if t > 0.0 => format!("{}", (v / t * 1000.0).round() / 10.0),
                _ => String::new(),
            };
            ws.set_formula_result(row, 5, result);
            ws.write_blank(row, 6, &open_cell)?;
            row += 1;
        }
    }
    row += 1;
    ws.merge_range(row, 0, row, 2, "NGƯỜI LẬP BIỂU", &centre_bold)?;
    ws.merge_range(row, 3, row, 6, "THỦ TRƯỞNG ĐƠN VỊ", &centre_bold)?;
    // Below the headings, the signature area stays open for names.
    ws.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    wb.save_to_buffer()
}

/// A4 portrait, one page wide, centred, with the Decree's margins in inches.
fn print_setup(ws: &mut Worksheet) {
    const MM_PER_INCH: f64 = 25.4;
    let inches = |m: crate::units::Mm| f64::from(m.0) / MM_PER_INCH;
    ws.set_paper_size(9)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(
            inches(nd30::MARGIN_LEFT),
            inches(nd30::MARGIN_RIGHT),
            inches(nd30::MARGIN_TOP),
            inches(nd30::MARGIN_BOTTOM),
            0.3,
            0.3,
        );
}

/// What a value or target cell accepts: a number ≥ 0, whole where the indicator is.
fn validation(ind: &Indicator) -> Result<DataValidation, XlsxError> {
    let (rule, vi) = match ind.kind {
        ValueKind::Integer => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "số nguyên, không âm",
        ),
        ValueKind::Decimal => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "số, không âm",
        ),
    };
    rule.set_input_title(format!("Đơn vị tính: {}", ind.unit))?
        .set_input_message(format!("Nhập {vi}. Không có số liệu thì để trống."))?
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message(format!("\"{}\" cần {vi} ({}).", ind.label, ind.unit))
}
