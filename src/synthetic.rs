//! Believable, repeatable unit sheets: the generator behind the bundled sample's inputs
//! (`make-samples`) and the synthetic projects of any size the benchmark measures.

use std::path::Path;

use rust_decimal::Decimal;

use crate::deliver::write_atomic;
use crate::form::{unit_sheet, Entry, Figures};
use crate::period::Period;
use crate::project::{Project, Unit};

/// A small deterministic generator (SplitMix64), so generated sheets never change by
/// chance.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `lo` to `hi`, both included.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi.saturating_sub(lo) + 1)
    }
}

/// Typical monthly figures (low, high) for a unit of each group, per indicator.
fn typical(group: &str, indicator: &str) -> (u64, u64) {
    match (group, indicator) {
        (_, "truyen_thanh") => (2, 8),
        ("THON", "zalo") => (6, 16),
        (_, "zalo") => (4, 12),
        ("THON", "bang_ron") => (2, 5),
        (_, "bang_ron") => (1, 3),
        ("THON", "lop_hoc") => (1, 4),
        (_, "lop_hoc") => (1, 2),
        ("SN", "luot_cbcc") => (15, 45),
        ("CQ", "luot_cbcc") => (8, 25),
        (_, "luot_cbcc") => (0, 3),
        ("THON", "luot_dan") => (60, 160),
        ("SN", "luot_dan") => (10, 60),
        (_, "luot_dan") => (5, 40),
        ("THON", "dang_ky_bdhvs") => (30, 90),
        (_, "dang_ky_bdhvs") => (10, 40),
        ("THON", "hoan_thanh_bdhvs") => (15, 60),
        (_, "hoan_thanh_bdhvs") => (8, 30),
        (_, "hoan_thanh_ai") => (2, 15),
        (_, "sang_kien") => (0, 1),
        (_, "long_ghep") => (0, 3),
        _ => (0, 10),
    }
}

/// The figures of unit number `index` of the roster for `period`: a value and a target
/// per reported indicator. With `quirks`, two units write what real units write (a
/// number typed as text, "-" for none), as the bundled sample does.
pub fn figures(
    project: &Project,
    unit: &Unit,
    index: usize,
    period: Period,
    quirks: bool,
) -> Figures {
    let month = match period {
        Period::Month { month, .. } => month as u64,
        _ => 0,
    };
    let mut rng = Rng(0x5EED_0000 + (index as u64) * 131 + month * 7919);
    let mut figures = Figures::new();
    for ind in project.reported_indicators() {
        let (lo, hi) = typical(&unit.group, &ind.code);
        // Activity grows a little each month of the campaign.
        let grow = if month >= 11 { hi / 5 } else { 0 };
        let value = rng.range(lo, hi + grow);
        let target = (lo + hi).div_ceil(2);
        let entry = match (quirks, unit.code.as_str(), ind.code.as_str()) {
            (true, "T-PHUXA", "luot_dan") => Entry::Text(format!("{value}")),
            (true, "QS", "sang_kien") => Entry::Text("-".into()),
            _ => Entry::Number(Decimal::from(value)),
        };
        figures.insert(ind.code.clone(), (Some(entry), Some(Decimal::from(target))));
    }
    figures
}

/// Writes the sheets of every roster unit not in `missing` into `inputs/<period>/`.
/// Returns how many were written.
pub fn write_period(
    project: &Project,
    period: Period,
    missing: &[&str],
    quirks: bool,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let out = project.inputs_dir(&period);
    let mut n = 0;
    for (i, unit) in project.units.iter().enumerate() {
        if missing.contains(&unit.code.as_str()) {
            continue;
        }
        let bytes = unit_sheet(
            project,
            unit,
            period,
            &figures(project, unit, i, period, quirks),
        )?;
        write_atomic(&out.join(crate::form::file_name(unit, period)), &bytes)?;
        n += 1;
    }
    Ok(n)
}

/// A document with `frame_from`'s frame and one table of `rows` body rows under a
/// repeated header (STT, Đơn vị, Kết quả): the long appendix the benchmarks render.
pub fn long_table_document(frame_from: &crate::doc::Document, rows: usize) -> crate::doc::Document {
    use crate::doc::{Align, Block, Cell, Document, Inline, Row, Table};
    let cell = |t: String| Cell::new(vec![Inline::plain(t)], Align::Left);
    let mut all = vec![Row {
        cells: vec![
            cell("STT".into()),
            cell("Đơn vị".into()),
            cell("Kết quả".into()),
        ],
        header: true,
    }];
    all.extend((1..=rows).map(|n| Row {
        cells: vec![
            cell(n.to_string()),
            cell(format!("Thôn số {n}")),
            cell((n * 7).to_string()),
        ],
        header: false,
    }));
    Document {
        frame: frame_from.frame.clone(),
        body: vec![Block::Table(Table {
            widths: vec![1.0, 4.0, 2.0],
            rows: all,
        })],
        appendices: Vec::new(),
        title: "Bảng dài".into(),
    }
}

/// The same long table as [`long_table_document`], as the XHTML a template renders into a
/// document source (what `compose::xhtml::read_table` reads).
pub fn long_table_xhtml(rows: usize) -> String {
    let mut xml = String::from(
        "<table>\n<col width=\"1\"/><col width=\"4\"/><col width=\"2\"/>\n<thead>\n\
         <tr><th>STT</th><th>Đơn vị</th><th>Kết quả</th></tr>\n</thead>\n",
    );
    for n in 1..=rows {
        xml.push_str(&format!(
            "<tr><td>{n}</td><td>Thôn số {n}</td><td align=\"right\">{}</td></tr>\n",
            n * 7
        ));
    }
    xml.push_str("</table>\n");
    xml
}

/// Writes a synthetic commune into `dir`: the agency, indicators and groups of the
/// project file `base` (its `[[units]]` and `[[documents]]` replaced), a roster of
/// `units` units spread over groups `CQ`, `SN` and `THON`, the built-in report, notice
/// and reminders, and their sheets for each of `periods` (the first unit of every ten
/// missing). The caller chooses the shape (the benchmark passes the bundled sample's);
/// the library embeds no project of its own.
pub fn write_project(
    dir: &Path,
    base: &str,
    units: usize,
    periods: &[Period],
) -> Result<Project, Box<dyn std::error::Error + Send + Sync>> {
    let head = base
        .split("\n[[units]]")
        .next()
        .ok_or("the base project file has no [[units]]")?;
    let mut toml = head.trim_end().to_string();
    toml.push('\n');
    for i in 0..units {
        let (group, noun) = match i % 20 {
            0..=7 => ("CQ", "Cơ quan"),
            8..=12 => ("SN", "Trường"),
            _ => ("THON", "Thôn"),
        };
        toml.push_str(&format!(
            "\n[[units]]\ncode = \"U{i:04}\"\nname = \"{noun} số {}\"\ngroup = \"{group}\"\n",
            i + 1
        ));
    }
    toml.push_str(
        "\n[[documents]]\ntemplate = \"bao-cao-ky\"\n\n[[documents]]\ntemplate = \"thong-bao-ket-qua\"\n\n[[documents]]\ntemplate = \"don-doc\"\nfor_each = \"lagging-unit\"\n",
    );
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join("vanthu.toml"), toml.as_bytes())?;
    let project = Project::load(dir).map_err(|e| e.message(crate::diagnostic::Lang::En))?;
    let missing: Vec<String> = project
        .units
        .iter()
        .step_by(10)
        .map(|u| u.code.clone())
        .collect();
    let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
    for &p in periods {
        write_period(&project, p, &missing, false)?;
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_commune_reads_back_without_a_diagnostic() {
        let dir = tempfile::tempdir().unwrap();
        let period: Period = "2025-10".parse().unwrap();
        let base = include_str!("../samples/phu-thai/vanthu.toml");
        let project = write_project(dir.path(), base, 25, &[period]).unwrap();
        assert_eq!(project.units.len(), 25);
        let intake = crate::intake::read_period(&project, period).unwrap();
        assert!(intake.diagnostics.is_empty(), "{:?}", intake.diagnostics);
        // Every tenth unit is missing: units 0, 10 and 20.
        assert_eq!(intake.reports.len(), 22);
    }
}
