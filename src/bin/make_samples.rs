//! Writes the units' sheets of the bundled sample project (samples/phu-thai/inputs/…)
//! in the canonical form, with believable, varied, repeatable numbers.
//!
//!     cargo run --release --bin make-samples [PROJECT_DIR]
//!
//! The files it writes are committed, so a user sees real spreadsheets; run it again
//! after changing the form or the project's indicators.

use std::path::PathBuf;

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use vanthu::deliver::write_atomic;
use vanthu::form::{unit_sheet, Entry, Figures};
use vanthu::period::Period;
use vanthu::project::Project;

/// A small deterministic generator (SplitMix64), so the samples never change by chance.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
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

fn main() -> Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("samples/phu-thai"));
    let project = Project::load(&dir)
        .map_err(|e| anyhow::anyhow!(e.message(vanthu::diagnostic::Lang::En)))?;
    // Units that did not report in each period (the report must name them).
    let plan: [(&str, &[&str]); 2] = [
        ("2025-10", &["CCB", "T-LAIXA"]),
        ("2025-11", &["HCC", "MN-KX", "T-CAODAI"]),
    ];
    for (p, missing) in plan {
        let period: Period = p.parse()?;
        let month = match period {
            Period::Month { month, .. } => month as u64,
            _ => 0,
        };
        let out = dir.join("inputs").join(p);
        if out.is_dir() {
            for e in std::fs::read_dir(&out)? {
                let path = e?.path();
                if path.extension().is_some_and(|x| x == "xlsx") {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        for (i, unit) in project.units.iter().enumerate() {
            if missing.contains(&unit.code.as_str()) {
                continue;
            }
            let mut rng = Rng(0x5EED_0000 + (i as u64) * 131 + month * 7919);
            let mut figures = Figures::new();
            for ind in &project.indicators {
                let (lo, hi) = typical(&unit.group, &ind.code);
                // Activity grows a little each month of the campaign.
                let grow = if month >= 11 { hi / 5 } else { 0 };
                let value = rng.range(lo, hi + grow);
                let target = (lo + hi).div_ceil(2);
                let entry = match (unit.code.as_str(), ind.code.as_str()) {
                    // What real units do: a number typed as text, and "-" for none.
                    ("T-PHUXA", "luot_dan") => Entry::Text(format!("{value}")),
                    ("QS", "sang_kien") => Entry::Text("-".into()),
                    _ => Entry::Number(Decimal::from(value)),
                };
                figures.insert(ind.code.clone(), (Some(entry), Some(Decimal::from(target))));
            }
            let bytes = unit_sheet(&project, unit, period, &figures)?;
            let path = out.join(vanthu::form::file_name(unit, period));
            write_atomic(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        println!(
            "{}: {} sheets",
            out.display(),
            project.units.len() - missing.len()
        );
    }
    Ok(())
}
