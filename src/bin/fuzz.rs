//! The fuzz harness's long run: damaged real sheets and extreme-value sheets through
//! the whole pipeline, in process, until the count or the time is reached. Every input
//! that panics is written to `fuzz-crashes/` and the exit code is 1.
//!
//!     cargo run --release --bin fuzz -- --minutes 10
//!     cargo run --release --bin fuzz -- --mutated 100000 --extreme 1000 --seed 7

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
#[command(about = "Fuzz vanthu's pipeline with damaged and extreme sheets (no panic allowed)")]
struct Args {
    /// Stop after this many minutes (default: when the counts are reached).
    #[arg(long)]
    minutes: Option<f64>,
    /// Damaged files to run.
    #[arg(long, default_value_t = 100_000)]
    mutated: u64,
    /// Extreme-value sheets to run.
    #[arg(long, default_value_t = 1_000)]
    extreme: u64,
    /// The generator's seed: the same seed runs the same inputs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Run this one file (a crash found earlier) through the pipeline and stop.
    #[arg(long)]
    replay: Option<PathBuf>,
    /// Where inputs that panic are written.
    #[arg(long, default_value = "fuzz-crashes")]
    crashes: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let project = match vanthu::project::Project::load(&repo.join("samples/phu-thai")) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.message(vanthu::diagnostic::Lang::En));
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &args.replay {
        let bytes = std::fs::read(file).unwrap_or_default();
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let s = vanthu::fuzz::replay(
            &project,
            vanthu::intake::InputFile {
                name,
                bytes,
                modified: None,
            },
        );
        println!("{s:?}");
        return ExitCode::SUCCESS;
    }
    let seeds = vanthu::fuzz::seeds(&repo);
    let deadline = args
        .minutes
        .map(|m| Instant::now() + Duration::from_secs_f64(m * 60.0));
    let start = Instant::now();
    let _ = std::fs::create_dir_all(&args.crashes);
    let budget = vanthu::fuzz::Budget {
        seed: args.seed,
        mutated: args.mutated,
        extreme: args.extreme,
        deadline,
        in_flight: Some(args.crashes.clone()),
    };
    let summary = vanthu::fuzz::run(&project, &seeds, &budget, |s| {
        eprintln!(
            "{:>6.0} s: {} damaged, {} extreme, {} rendered, {} panics",
            start.elapsed().as_secs_f64(),
            s.mutated,
            s.extreme,
            s.rendered,
            s.crashes.len()
        )
    });
    for (i, c) in summary.crashes.iter().enumerate() {
        let _ = std::fs::create_dir_all(&args.crashes);
        let path = args
            .crashes
            .join(format!("{i:04}-{}", c.what.replace([':', '/'], "-")));
        let _ = std::fs::write(&path, &c.bytes);
        eprintln!("panic on {} ({}): {}", c.what, path.display(), c.message);
    }
    for (i, c) in summary.caught.iter().enumerate() {
        let dir = args.crashes.join("caught");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{i:04}-{}", c.what.replace([':', '/'], "-")));
        let _ = std::fs::write(&path, &c.bytes);
        eprintln!(
            "caught in intake on {} ({}): {}",
            c.what,
            path.display(),
            c.message
        );
    }
    println!(
        "mutated={} extreme={} rendered={} panics={} caught_reader_panics={} seconds={:.1}",
        summary.mutated,
        summary.extreme,
        summary.rendered,
        summary.crashes.len(),
        summary.caught.len(),
        start.elapsed().as_secs_f64()
    );
    if summary.crashes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
