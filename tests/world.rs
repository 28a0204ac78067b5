//! The whole pipeline in memory: the sample project, its templates and both periods'
//! sheets put in a `MemoryWorld`, read, aggregated, composed and rendered without the
//! pipeline touching a disk — and giving exactly the documents the file system gives.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use vanthu::diagnostic::Lang;
use vanthu::doc::Date;
use vanthu::project::Project;
use vanthu::world::{MemoryWorld, World};
use vanthu::{plan_period, RunOptions};

/// Every file below `dir` on disk, put under `at` in `world`.
fn copy_into(world: &mut MemoryWorld, dir: &Path, at: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let to = at.join(p.file_name().unwrap());
        if p.is_dir() {
            if p.file_name().unwrap() != "out" {
                copy_into(world, &p, &to);
            }
        } else {
            world.insert(to, std::fs::read(&p).unwrap());
        }
    }
}

#[test]
fn the_sample_runs_in_memory_and_gives_the_file_systems_documents() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phu-thai");
    let date = Date::parse("2025-11-05").unwrap();
    let mut world = MemoryWorld::new(date);
    let root = PathBuf::from("/bo-nho/phu-thai");
    copy_into(&mut world, &sample, &root);
    let world: Arc<dyn World> = Arc::new(world);
    let in_memory = Project::load_in(world.clone(), &root).unwrap();
    let on_disk = Project::load(&sample).unwrap();
    assert_eq!(
        in_memory.periods(),
        on_disk.periods(),
        "periods from the folders"
    );
    assert_eq!(in_memory.world().today(), date, "the clock is the world's");
    for period in in_memory.periods() {
        let opts = RunOptions {
            period,
            date: in_memory.world().today(),
            date_given: true,
            number: Some(3),
        };
        let a = plan_period(&in_memory, &opts).unwrap();
        let b = plan_period(&on_disk, &opts).unwrap();
        assert_eq!(a.intake.reports.len(), b.intake.reports.len(), "{period}");
        assert!(a.intake.reports.len() > 20);
        assert_eq!(a.documents.len(), b.documents.len(), "{period}");
        for (x, y) in a.documents.iter().zip(&b.documents) {
            assert_eq!(x.stem, y.stem);
            assert_eq!(x.document, y.document, "{}", x.stem);
            // Rendered in memory too, to the same bytes.
            assert_eq!(
                vanthu::render::docx::render(&x.document).unwrap(),
                vanthu::render::docx::render(&y.document).unwrap()
            );
            assert_eq!(
                vanthu::render::pdf::render(&x.document).unwrap(),
                vanthu::render::pdf::render(&y.document).unwrap()
            );
        }
    }
    // A project not in the world is not there, whatever the disk holds.
    let missing = Project::load_in(world, &sample).unwrap_err();
    assert!(missing.message(Lang::En).contains("phu-thai"));
}
