//! Helpers shared by the end-to-end test files: where things are, how to run the binary,
//! and a scratch copy of the sample project.
#![allow(dead_code)]

pub mod docx;
pub mod pdf;
pub mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample() -> PathBuf {
    repo().join("samples/phu-thai")
}

/// Every file below `dir`, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs the vanthu binary with `args`.
pub fn vanthu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .output()
        .expect("the vanthu binary runs")
}

/// `vanthu run PROJECT --period P --date D --out OUT [extra…]`.
pub fn run_project(
    project: &std::path::Path,
    period: &str,
    date: &str,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "run",
        project.to_str().unwrap(),
        "--period",
        period,
        "--date",
        date,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    vanthu(&args)
}

/// `vanthu run PROJECT --period P --out OUT` with no date: an electronic issue leaves
/// the day and the month for the văn thư.
pub fn run_undated(
    project: &std::path::Path,
    period: &str,
    out: &std::path::Path,
) -> std::process::Output {
    vanthu(&[
        "run",
        project.to_str().unwrap(),
        "--period",
        period,
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Copies the sample project's file and one period folder into a temp project.
pub fn copy_project(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vanthu.toml"), toml).unwrap();
    let inputs = dir.path().join("inputs/2025-10");
    std::fs::create_dir_all(&inputs).unwrap();
    for e in std::fs::read_dir(sample().join("inputs/2025-10")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, inputs.join(p.file_name().unwrap())).unwrap();
    }
    // The project's own templates, which its [[documents]] name.
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    for e in std::fs::read_dir(sample().join("templates")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, templates.join(p.file_name().unwrap())).unwrap();
    }
    dir
}

/// The sample with its contact line (ô 13) on and its seed letter marked draft 2,
/// secret and very urgent: every part of the frame a document can have.
pub fn marked_letter_project() -> tempfile::TempDir {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .replace("# contact = ", "contact = ");
    let project = copy_project(&toml);
    let letter = project.path().join("templates/cong-van-trien-khai.md.hbs");
    let text = std::fs::read_to_string(&letter).unwrap().replacen(
        "kind = ",
        "urgency = \"very-urgent\"\nsecrecy = \"secret\"\ndraft = 2\nkind = ",
        1,
    );
    std::fs::write(&letter, text).unwrap();
    project
}

/// Runs one of the Python checkers in `tests/checks/` (`check_docx.py`, `check_pdf.py`)
/// on `file` and returns the page count it printed, or `None` (having said so) when
/// python-docx, pypdf, LibreOffice or poppler is absent. The Rust checks in `docx` and
/// `pdf` run either way; these are a second, independent reading.
pub fn python_checker(script: &str, file: &Path, expect: &[&str]) -> Option<u32> {
    let check = format!("{script} on {}", file.file_name()?.to_string_lossy());
    let programs: &[&str] = if script == "check_docx.py" {
        &["soffice"]
    } else {
        &["qpdf", "pdfinfo", "pdffonts", "pdftotext", "pdftoppm"]
    };
    if !tools::have_python(&check, &["docx", "pypdf", "lxml"]) || !tools::have(&check, programs) {
        return None;
    }
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/checks").join(script)).arg(file);
    for e in expect {
        cmd.args(["--expect", e]);
    }
    let out = cmd.output().expect("python3 runs the checker");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed on {}:\n{text}{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(" 0 failed"), "{text}");
    Some(
        text.lines()
            .find_map(|l| l.strip_prefix("pages: ")?.trim().parse().ok())
            .unwrap_or_else(|| panic!("{script} printed no page count:\n{text}")),
    )
}
