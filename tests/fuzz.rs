//! A short run of the fuzz harness (`src/fuzz.rs`) on every `cargo test`: damaged real
//! sheets of every format and extreme-value sheets through the whole pipeline, in
//! process, with no panic allowed. The long run is `cargo run --release --bin fuzz`.

use std::path::Path;

use vanthu::project::Project;

#[test]
fn damaged_and_extreme_sheets_never_panic_anywhere_in_the_pipeline() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::load(&repo.join("samples/phu-thai")).unwrap();
    let seeds = vanthu::fuzz::seeds(repo);
    // Every format among the seeds: the sample's xlsx and the LibreOffice fixtures.
    for ext in [".xlsx", ".xls", ".ods"] {
        assert!(seeds.iter().any(|s| s.name.ends_with(ext)), "{ext} seed");
    }
    let budget = vanthu::fuzz::Budget {
        seed: 7,
        mutated: 2_000,
        extreme: 100,
        ..Default::default()
    };
    let summary = vanthu::fuzz::run(&project, &seeds, &budget, |_| {});
    assert_eq!(summary.mutated, 2_000);
    assert_eq!(summary.extreme, 100);
    assert!(
        summary.rendered > 10,
        "new readings rendered: {}",
        summary.rendered
    );
    let crashes: Vec<String> = summary
        .crashes
        .iter()
        .map(|c| format!("{}: {}", c.what, c.message))
        .collect();
    assert!(crashes.is_empty(), "{crashes:#?}");
}

#[test]
fn the_same_seed_runs_the_same_inputs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = vanthu::fuzz::seeds(repo);
    let mut a = vanthu::synthetic::Rng(3);
    let mut b = vanthu::synthetic::Rng(3);
    for kind in vanthu::fuzz::MUTATIONS {
        for s in &seeds {
            assert_eq!(
                vanthu::fuzz::mutate(&s.bytes, kind, &mut a),
                vanthu::fuzz::mutate(&s.bytes, kind, &mut b)
            );
        }
    }
}
