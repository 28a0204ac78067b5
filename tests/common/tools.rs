//! External programs some tests use (LibreOffice, poppler, qpdf, the Python checkers,
//! Chromium): a test asks for what it needs and skips when one is absent, saying which
//! check it skipped and why in one line. With `VANTHU_REQUIRE_TOOLS=1` (as `.ci/run`
//! sets it) an absent program fails the test instead, so CI never skips in silence.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Whether `VANTHU_REQUIRE_TOOLS=1` is set: every optional program must be there.
pub fn required() -> bool {
    std::env::var("VANTHU_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// The flag that makes `program` print its version and exit 0: `--version`, but for
/// poppler's tools, which answer `--version` with their usage and exit 1.
fn version_flag(program: &str) -> &'static str {
    if ["pdftotext", "pdfinfo", "pdffonts", "pdftoppm"].contains(&program) {
        "-v"
    } else {
        "--version"
    }
}

/// Why `program` cannot be used, or `None` when `program --version` (`-v` for poppler)
/// exits 0.
fn absent(program: &str) -> Option<String> {
    let flag = version_flag(program);
    match Command::new(program)
        .arg(flag)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => None,
        Ok(s) => Some(format!("`{program} {flag}` exited with {s}")),
        Err(e) => Some(format!("`{program}` cannot be run: {e}")),
    }
}

/// Whether `python3` can import every one of `modules`.
fn python_lacks(modules: &[&str]) -> Option<String> {
    if let Some(why) = absent("python3") {
        return Some(why);
    }
    let script = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    match Command::new("python3")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => None,
        _ => Some(format!(
            "python3 cannot import {} (bash tests/checks/setup.sh installs it)",
            modules.join(", ")
        )),
    }
}

/// Says that `check` was skipped and why, on the terminal even while the test
/// harness captures output; or fails when the programs are required.
fn skip(check: &str, why: &str) -> bool {
    if required() {
        panic!("{check}: {why}, and VANTHU_REQUIRE_TOOLS=1 requires it");
    }
    // Straight to the process's stderr: `eprintln!` would be captured (and hidden) for a
    // test that passes.
    let _ = writeln!(std::io::stderr(), "skipped: {check} — {why}");
    false
}

/// Whether every one of `programs` is present for `check`; if not, says what was
/// skipped (or fails under `VANTHU_REQUIRE_TOOLS=1`).
pub fn have(check: &str, programs: &[&str]) -> bool {
    for p in programs {
        if let Some(why) = absent(p) {
            return skip(check, &why);
        }
    }
    true
}

/// Whether `python3` with `modules` is present for `check` (as [`have`]).
pub fn have_python(check: &str, modules: &[&str]) -> bool {
    match python_lacks(modules) {
        None => true,
        Some(why) => skip(check, &why),
    }
}

/// The full path of `program` as PATH finds it (for a tool that must be given a path).
pub fn on_path(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}
