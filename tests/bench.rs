//! The benchmark binary in its quick mode: it runs every stage and prints every figure.
//! (Speed is measured by running it in full, never asserted here.)

#[test]
fn the_quick_benchmark_prints_every_figure() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bench"))
        .arg("--quick")
        .output()
        .expect("the bench binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let last = stdout.lines().last().unwrap_or_default();
    let figures: std::collections::BTreeMap<&str, f64> = last
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k, v.parse().unwrap_or(f64::NAN)))
        .collect();
    for key in [
        "intake_sheets_per_s",
        "aggregate_ms",
        "docx_ms_per_doc",
        "pdf_ms_per_doc",
        "pdf_pages_per_s",
        "run_commune_ms",
        "batch_communes_per_s",
        "peak_rss_mb",
        "appendix_rows_2000_ms",
    ] {
        let v = figures.get(key).copied().unwrap_or(f64::NAN);
        assert!(v.is_finite() && v > 0.0, "{key} in {last}");
    }
}
