//! Criterion benchmarks of the inner parts, on a synthetic commune of 30 units made by
//! the sample generator: reading one canonical sheet, aggregating a period, composing
//! its documents, and rendering the period report as DOCX and PDF; and a PDF of a table
//! of 500 and 2,000 rows, whose time per row must stay flat (no quadratic pagination).
//!
//!     cargo bench
//!
//! The end-to-end figures (intake rate, a commune's whole period, batch throughput,
//! memory) come from the bench binary: `cargo run --release --bin bench`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use vanthu::doc::Date;
use vanthu::intake::{read_files, InputFile};
use vanthu::period::Period;
use vanthu::{plan_period, render, synthetic, RunOptions};

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let oct: Period = "2025-10".parse().expect("a period");
    let nov: Period = "2025-11".parse().expect("a period");
    let project = synthetic::write_project(
        dir.path(),
        include_str!("../samples/phu-thai/vanthu.toml"),
        30,
        &[oct, nov],
    )
    .expect("the commune");
    let opts = RunOptions {
        period: nov,
        date: Date::parse("2025-12-05").expect("a date"),
        date_given: true,
        number: None,
    };
    let plan = plan_period(&project, &opts).expect("a plan");
    let report = &plan.documents[0].document;

    let sheet_path = std::fs::read_dir(project.root().join("inputs/2025-11"))
        .expect("the inputs")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .expect("a sheet");
    let sheet = [InputFile {
        name: sheet_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::read(&sheet_path).expect("the sheet"),
        modified: None,
    }];
    c.bench_function("intake: one canonical sheet", |b| {
        b.iter(|| read_files(&project, nov, black_box(&sheet)))
    });
    let intake = vanthu::intake::read_period(&project, nov).expect("the period");
    c.bench_function("aggregate: a commune's period", |b| {
        b.iter(|| {
            vanthu::aggregate::aggregate(&project, nov, black_box(&intake.reports), &[]).unwrap()
        })
    });
    c.bench_function("compose: every document of the period", |b| {
        b.iter(|| vanthu::compose_documents(&project, black_box(&plan.dataset), opts.date))
    });
    c.bench_function("render: period report as DOCX", |b| {
        b.iter(|| render::docx::render(black_box(report)))
    });
    c.bench_function("render: period report as PDF", |b| {
        b.iter(|| render::pdf::render(black_box(report)))
    });
    let mut rows = c.benchmark_group("render: PDF of a long table");
    rows.sample_size(10);
    for n in [500usize, 2000] {
        let doc = synthetic::long_table_document(report, n);
        rows.throughput(Throughput::Elements(n as u64));
        rows.bench_with_input(BenchmarkId::from_parameter(n), &doc, |b, doc| {
            b.iter(|| render::pdf::render(black_box(doc)))
        });
    }
    rows.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
