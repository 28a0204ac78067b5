//! The appendix workbook (`PhuLuc_<period>.xlsx`) of every run: the per-unit table with
//! group subtotals and the commune total, and the units missing or behind, for the clerk
//! to check, sort or paste from. Written with rust_xlsxwriter; deterministic bytes (the
//! creation date is the document date).
//!
//! Numbers are real numbers with the formats `#,##0` / `#,##0.0`, which Excel and
//! LibreOffice show with the reader's separators: `1.234,5` on a Vietnamese machine.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::aggregate::{Dataset, Figure};
use crate::doc::Date;
use crate::format::{percent_vi, roman};
use crate::nd30;
use crate::project::{Indicator, Project};

/// The name the workbook is delivered under.
pub fn file_name(dataset: &Dataset) -> String {
    format!("PhuLuc_{}.xlsx", dataset.period)
}

struct Styles {
    title: Format,
    head: Format,
    text: Format,
    bold_text: Format,
    centre: Format,
    numbers: Vec<Format>,
    bold_numbers: Vec<Format>,
}

impl Styles {
    fn new(project: &Project) -> Styles {
        let base = Format::new()
            .set_font_name(nd30::FONT_FAMILY)
            .set_font_size(11)
            .set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin).set_text_wrap();
        let number = |i: &Indicator| {
            let dp = i.shown_decimals() as usize;
            let pattern = if dp == 0 {
                "#,##0".to_string()
            } else {
                format!("#,##0.{}", "0".repeat(dp))
            };
            cell.clone().set_num_format(pattern)
        };
        let numbers: Vec<Format> = project.indicators.iter().map(number).collect();
        Styles {
            title: base
                .clone()
                .set_bold()
                .set_font_size(13)
                .set_align(FormatAlign::Center),
            head: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone(),
            bold_text: cell.clone().set_bold(),
            centre: cell.clone().set_align(FormatAlign::Center),
            bold_numbers: numbers.iter().map(|f| f.clone().set_bold()).collect(),
            numbers,
        }
    }
}

fn print_setup(ws: &mut Worksheet, repeat_to_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    ws.set_repeat_rows(0, repeat_to_row)?;
    Ok(())
}

/// Which number of a [`Figure`] a row shows.
type Pick = fn(&Figure) -> Option<Decimal>;

/// One row of figures: the value of each indicator, or "-" where there is none.
fn write_figures<'a>(
    ws: &mut Worksheet,
    row: u32,
    first_col: u16,
    figures: impl Iterator<Item = Option<&'a Figure>>,
    formats: &[Format],
    pick: Pick,
) -> Result<(), XlsxError> {
    for (i, (fig, format)) in figures.zip(formats).enumerate() {
        let col = first_col + i as u16;
        match fig.and_then(pick).and_then(|v| v.to_f64()) {
            Some(v) => ws.write_number_with_format(row, col, v, format)?,
            None => ws.write_string_with_format(row, col, "-", format)?,
        };
    }
    Ok(())
}

/// The workbook's bytes.
pub fn appendix_workbook(
    project: &Project,
    dataset: &Dataset,
    date: Date,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        date.year.clamp(1900, 9999) as u16,
        date.month.clamp(1, 12) as u8,
        date.day.clamp(1, 31) as u8,
    )?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Phụ lục {} {}",
                project.campaign.name,
                dataset.period.label_vi()
            ))
            .set_author(project.agency.name.join(" "))
            .set_creation_datetime(&created),
    );
    let st = Styles::new(project);
    table_sheet(wb.add_worksheet(), project, dataset, &st)?;
    follow_up_sheet(wb.add_worksheet(), project, dataset, &st)?;
    wb.save_to_buffer()
}

fn table_sheet(
    ws: &mut Worksheet,
    project: &Project,
    ds: &Dataset,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Tổng hợp theo đơn vị")?;
    let inds = &project.indicators;
    let last_col = 1 + inds.len() as u16;
    ws.merge_range(
        0,
        0,
        0,
        last_col,
        &format!(
            "KẾT QUẢ THỰC HIỆN PHONG TRÀO “{}” {} THEO ĐƠN VỊ",
            crate::text::upper(&project.campaign.name),
            crate::text::upper(&ds.period.label_vi())
        ),
        &st.title,
    )?;
    // Two-level header: sections over their indicators.
    let (h1, h2) = (2u32, 3u32);
    ws.merge_range(h1, 0, h2, 0, "STT", &st.head)?;
    ws.merge_range(h1, 1, h2, 1, "Đơn vị", &st.head)?;
    let mut col = 2u16;
    for section in &project.sections {
        let n = inds.iter().filter(|i| i.section == section.code).count() as u16;
        if n == 0 {
            continue;
        }
        let title = format!("{}. {}", section.code, section.title);
        if n == 1 {
            ws.write_string_with_format(h1, col, &title, &st.head)?;
        } else {
            ws.merge_range(h1, col, h1, col + n - 1, &title, &st.head)?;
        }
        col += n;
    }
    // Indicators in section order, as the header lays them out.
    let ordered: Vec<(usize, &Indicator)> = project
        .sections
        .iter()
        .flat_map(|s| {
            inds.iter()
                .enumerate()
                .filter(move |(_, i)| i.section == s.code)
        })
        .collect();
    let formats: Vec<Format> = ordered
        .iter()
        .map(|(i, _)| st.numbers[*i].clone())
        .collect();
    let bold: Vec<Format> = ordered
        .iter()
        .map(|(i, _)| st.bold_numbers[*i].clone())
        .collect();
    for (c, (_, ind)) in ordered.iter().enumerate() {
        ws.write_string_with_format(
            h2,
            2 + c as u16,
            format!("{} ({})", ind.label, ind.unit),
            &st.head,
        )?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 34)?;
    ws.set_row_height(h2, 75)?;
    for c in 0..ordered.len() as u16 {
        ws.set_column_width(2 + c, 12)?;
    }
    ws.set_freeze_panes(h2 + 1, 2)?;

    let mut row = h2 + 1;
    for (g, group) in ds.groups.iter().enumerate() {
        // Units are numbered within their group under its Roman numeral, as the
        // document's appendix numbers them.
        let mut n = 0;
        ws.write_string_with_format(row, 0, roman(g as u32 + 1), &st.bold_text)?;
        ws.write_string_with_format(row, 1, &group.name, &st.bold_text)?;
        write_figures(
            ws,
            row,
            2,
            ordered.iter().map(|(_, i)| group.totals.get(&i.code)),
            &bold,
            |f| f.value,
        )?;
        row += 1;
        for unit in ds.units.iter().filter(|u| u.group == group.code) {
            n += 1;
            ws.write_number_with_format(row, 0, n as f64, &st.centre)?;
            let name = if unit.reported {
                unit.name.clone()
            } else {
                format!("{} (chưa báo cáo)", unit.name)
            };
            ws.write_string_with_format(row, 1, &name, &st.text)?;
            write_figures(
                ws,
                row,
                2,
                ordered.iter().map(|(_, i)| unit.values.get(&i.code)),
                &formats,
                |f| f.value,
            )?;
            row += 1;
        }
    }
    let rates: Vec<Format> = bold
        .iter()
        .map(|f| f.clone().set_num_format("0.0"))
        .collect();
    let whole = format!("Tổng cộng toàn {}", project.agency.level());
    let summary: [(&str, Pick, &[Format]); 3] = [
        (&whole, |f| f.value, &bold),
        ("Kế hoạch", |f| f.target, &bold),
        ("Tỷ lệ so với kế hoạch (%)", |f| f.rate, &rates),
    ];
    for (label, pick, fmts) in summary {
        ws.merge_range(row, 0, row, 1, label, &st.bold_text)?;
        let totals = ordered.iter().map(|(_, i)| ds.totals.get(&i.code));
        write_figures(ws, row, 2, totals, fmts, pick)?;
        row += 1;
    }
    print_setup(ws, h2)
}

fn follow_up_sheet(
    ws: &mut Worksheet,
    project: &Project,
    ds: &Dataset,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Chưa báo cáo, chậm")?;
    ws.merge_range(
        0,
        0,
        0,
        3,
        &format!(
            "ĐƠN VỊ CHƯA BÁO CÁO HOẶC CHẬM TIẾN ĐỘ {}",
            crate::text::upper(&ds.period.label_vi())
        ),
        &st.title,
    )?;
    for (c, h) in ["STT", "Đơn vị", "Nhóm", "Tình trạng"].iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &st.head)?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(3, 45)?;
    ws.set_freeze_panes(3, 0)?;
    let threshold = percent_vi(ds.behind_below_percent);
    let mut row = 3;
    for unit in ds.units.iter().filter(|u| u.is_lagging()) {
        let state = match unit.completion {
            _ if !unit.reported => "Chưa gửi báo cáo".to_string(),
            Some(c) => format!(
                "Đạt bình quân {} kế hoạch (dưới {threshold})",
                percent_vi(c)
            ),
            None => "Chậm tiến độ".to_string(),
        };
        ws.write_number_with_format(row, 0, (row - 2) as f64, &st.centre)?;
        ws.write_string_with_format(row, 1, &unit.name, &st.text)?;
        let group = project
            .group(&unit.group)
            .map_or(unit.group.as_str(), |g| &g.name);
        ws.write_string_with_format(row, 2, group, &st.text)?;
        ws.write_string_with_format(row, 3, &state, &st.text)?;
        row += 1;
    }
    if row == 3 {
        ws.merge_range(
            3,
            0,
            3,
            3,
            "Tất cả đơn vị đã báo cáo và đạt ngưỡng kế hoạch.",
            &st.text,
        )?;
    }
    print_setup(ws, 2)
}
