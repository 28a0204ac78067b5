//! Word-clean: every DOCX and XLSX vanthu writes passes the Open XML SDK's schema and
//! semantic rules (`openxml-audit -f office2019`, a pure-Python port of the SDK's
//! validator; `bash tests/checks/setup.sh` installs it) with zero errors — every
//! bundled project's every period, with and without `--number`, a letter with marks, a contact line and
//! several addressees, the report's landscape appendix, and the blank forms.

use std::path::Path;
use std::process::Command;

mod common;
use common::{sample, tools, vanthu};

/// `openxml-audit` on every file under `dir`: its findings, empty when clean.
fn audit(dir: &Path) -> Result<(), String> {
    let o = Command::new("python3")
        .args(["-m", "openxml_audit", "-f", "office2019", "-r", "-q"])
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    let said = String::from_utf8_lossy(&o.stdout).trim().to_string();
    if o.status.success() && said.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {said}", dir.display()))
    }
}

fn run(project: &Path, period: &str, out: &Path, extra: &[&str]) {
    let o = common::run_project(project, period, "2025-12-05", out, extra);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn every_docx_and_xlsx_has_no_open_xml_error() {
    let out = tempfile::tempdir().unwrap();
    let mut dirs = Vec::new();
    // Every bundled project, every period it has inputs for.
    let samples = sample().parent().unwrap().to_path_buf();
    let mut projects: Vec<_> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("vanthu.toml").is_file())
        .collect();
    projects.sort();
    for project in &projects {
        let mut periods: Vec<String> = std::fs::read_dir(project.join("inputs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        periods.sort();
        for period in &periods {
            for (tag, extra) in [("", &[][..]), ("-n", &["--number", "7"][..])] {
                let name = project.file_name().unwrap().to_string_lossy();
                let dir = out.path().join(format!("{name}-{period}{tag}"));
                run(project, period, &dir, extra);
                dirs.push(dir);
            }
        }
    }
    // A letter with the draft, secrecy and urgency marks, the contact line (the
    // footers) and several addressees.
    let project = common::marked_letter_project();
    let marked = out.path().join("marked");
    run(project.path(), "2025-10", &marked, &[]);
    dirs.push(marked);
    let forms = out.path().join("forms");
    let o = vanthu(&[
        "form",
        sample().to_str().unwrap(),
        "--period",
        "2025-12",
        "--out",
        forms.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dirs.push(forms);
    let mut checked = 0;
    for dir in &dirs {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "docx" || x == "xlsx") {
                checked += 1;
            }
        }
    }
    assert!(checked >= 80, "{checked} files");
    // docx-rs's reader, a second reader of the package, reads each DOCX back with its
    // text.
    for dir in &dirs {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "docx") {
                let bytes = std::fs::read(&p).unwrap();
                let doc =
                    docx_rs::read_docx(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                let json = doc.json();
                assert!(
                    json.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                    "{}",
                    p.display()
                );
            }
        }
    }
    if !tools::have_python("openxml-audit on every DOCX/XLSX", &["openxml_audit"]) {
        return;
    }
    let failures: Vec<String> = dirs.iter().filter_map(|d| audit(d).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
