//! Writes the units' sheets of the bundled sample project (samples/phu-thai/inputs/…)
//! in the canonical form, with believable, varied, repeatable numbers.
//!
//!     cargo run --release --bin make-samples [PROJECT_DIR]
//!
//! The files it writes are committed, so a user sees real spreadsheets; run it again
//! after changing the form or the project's indicators.

use std::path::PathBuf;

use anyhow::{Context, Result};
use vanthu::period::Period;
use vanthu::project::Project;

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
        let out = dir.join("inputs").join(p);
        if out.is_dir() {
            for e in std::fs::read_dir(&out)? {
                let path = e?.path();
                if path.extension().is_some_and(|x| x == "xlsx") {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        vanthu::synthetic::write_period(&project, period, missing, true)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("writing {}", out.display()))?;
        println!(
            "{}: {} sheets",
            out.display(),
            project.units().len() - missing.len()
        );
    }
    Ok(())
}
