//! `vanthu lint` (issue 30): the corpus of documents made outside vanthu finds exactly
//! what `tests/lint/corpus/expected.toml` says; every DOCX and PDF vanthu writes lints
//! clean with all its parts found; the command's exit code and JSON; damaged files are
//! that file's finding, never a panic.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use vanthu::lint;

fn corpus() -> PathBuf {
    common::repo().join("tests/lint/corpus")
}

fn codes(findings: &[lint::Finding]) -> BTreeSet<String> {
    findings.iter().map(|f| f.code().to_string()).collect()
}

fn lint_path(path: &Path) -> Vec<lint::Finding> {
    let bytes = std::fs::read(path).unwrap();
    lint::lint(&path.display().to_string(), &bytes)
}

#[test]
fn every_corpus_document_gives_exactly_its_expected_findings() {
    let expected: BTreeMap<String, Vec<String>> =
        toml::from_str(&std::fs::read_to_string(corpus().join("expected.toml")).unwrap()).unwrap();
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".docx") || name.ends_with(".pdf") {
            on_disk.insert(name);
        }
    }
    let listed: BTreeSet<String> = expected.keys().cloned().collect();
    assert_eq!(
        on_disk, listed,
        "every corpus file is listed in expected.toml, and only those"
    );
    let faulty_docx = expected
        .iter()
        .filter(|(name, codes)| name.ends_with(".docx") && !codes.is_empty())
        .count();
    let clean = expected.values().filter(|c| c.is_empty()).count();
    assert!(
        faulty_docx >= 20,
        "at least 20 faulty DOCX, found {faulty_docx}"
    );
    assert!(clean >= 5, "clean documents too, found {clean}");
    let mut wrong = Vec::new();
    for (name, due) in &expected {
        let got = codes(&lint_path(&corpus().join(name)));
        let due: BTreeSet<String> = due.iter().cloned().collect();
        if got != due {
            wrong.push(format!("{name}: expected {due:?}, found {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_fault_is_located_and_explained_in_both_languages() {
    let findings = lint_path(&corpus().join("so-thieu-so-0.docx"));
    let f = findings
        .iter()
        .find(|f| f.code() == "L-NUMBER-ZERO")
        .unwrap();
    assert_eq!(f.severity(), vanthu::diagnostic::Severity::Error);
    assert!(f.check.clause().contains("II.3"));
    let vi = f.shown(vanthu::diagnostic::Lang::Vi);
    assert!(
        vi.r#where.starts_with("đoạn ") && vi.r#where.contains("«Số: 5/BC-UBND»"),
        "{}",
        vi.r#where
    );
    assert!(
        vi.message.contains("«5»") && vi.message.contains("01, 02"),
        "{}",
        vi.message
    );
    let en = f.shown(vanthu::diagnostic::Lang::En);
    assert!(en.r#where.starts_with("paragraph "), "{}", en.r#where);
    assert!(en.message.contains("leading zero"), "{}", en.message);
    // The same fault in LibreOffice's PDF of the document is located by page.
    let pdf = lint_path(&corpus().join("lo-so-thieu-so-0.pdf"));
    let f = pdf.iter().find(|f| f.code() == "L-NUMBER-ZERO").unwrap();
    assert!(f
        .place_shown(vanthu::diagnostic::Lang::Vi)
        .starts_with("trang 1 «Số: 5/BC-UBND»"));
}

/// Lints every DOCX and PDF in `out`: none has a finding, and each has the parts of its
/// kind (an appendix file of its own has only its heading).
fn assert_clean_with_parts(out: &Path) -> usize {
    let mut count = 0;
    let mut dirty = Vec::new();
    for entry in common::files_below(out) {
        let name = entry.to_string_lossy().to_string();
        if !(name.ends_with(".docx") || name.ends_with(".pdf")) {
            continue;
        }
        count += 1;
        let bytes = std::fs::read(&entry).unwrap();
        let findings = lint::lint(&name, &bytes);
        if !findings.is_empty() {
            let shown: Vec<String> = findings
                .iter()
                .map(|f| {
                    format!(
                        "{} {} {}",
                        f.code(),
                        f.place_shown(vanthu::diagnostic::Lang::En),
                        f.message(vanthu::diagnostic::Lang::En)
                    )
                })
                .collect();
            dirty.push(format!("{name}:\n  {}", shown.join("\n  ")));
        }
        let parts: BTreeSet<&str> = lint::outline(&name, &bytes)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let due: &[&str] = if name.contains("_phu-luc") {
            &["appendix"]
        } else {
            &[
                "national-title",
                "motto",
                "agency",
                "number",
                "date",
                "body-first",
                "recipients",
                "signer",
            ]
        };
        for part in due {
            assert!(
                parts.contains(part),
                "{name}: the {part} was not found; found {parts:?}"
            );
        }
        if !name.contains("_phu-luc") {
            assert!(
                parts.contains("title") || parts.contains("letter-summary"),
                "{name}: neither a type name nor a V/v summary found: {parts:?}"
            );
        }
    }
    assert!(dirty.is_empty(), "{}", dirty.join("\n"));
    count
}

#[test]
fn every_document_vanthu_writes_lints_clean() {
    let mut total = 0;
    for sample in ["phu-thai", "hoang-liet"] {
        let project = common::repo().join("samples").join(sample);
        for entry in std::fs::read_dir(project.join("inputs")).unwrap() {
            let period = entry.unwrap().file_name().to_string_lossy().to_string();
            // Numbered and dated, and as an electronic issue leaves them (blank).
            let out = tempfile::tempdir().unwrap();
            let run = common::run_project(
                &project,
                &period,
                "2025-03-04",
                out.path(),
                &["--number", "5"],
            );
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            total += assert_clean_with_parts(out.path());
            let out = tempfile::tempdir().unwrap();
            let run = common::run_undated(&project, &period, out.path());
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            total += assert_clean_with_parts(out.path());
        }
    }
    assert!(total >= 80, "{total} documents linted");
}

#[test]
fn a_paper_issue_with_appendices_apart_lints_clean() {
    let toml = std::fs::read_to_string(common::sample().join("vanthu.toml")).unwrap()
        + "\n[issue]\nmode = \"paper\"\nappendices = \"separate\"\n";
    let project = common::copy_project(&toml);
    let out = tempfile::tempdir().unwrap();
    let run = common::run_project(
        project.path(),
        "2025-10",
        "2025-10-05",
        out.path(),
        &["--number", "12"],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let apart = common::files_below(out.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("_phu-luc.pdf"))
        .count();
    assert!(apart >= 1, "an appendix PDF of its own was made");
    assert_clean_with_parts(out.path());
}

#[test]
fn the_marked_letter_is_told_it_is_still_a_draft_and_nothing_else() {
    let project = common::marked_letter_project();
    let out = tempfile::tempdir().unwrap();
    let run = common::run_project(project.path(), "2025-10", "2025-10-05", out.path(), &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut drafts = 0;
    for path in common::files_below(out.path()) {
        let name = path.to_string_lossy().to_string();
        if !(name.ends_with(".docx") || name.ends_with(".pdf")) {
            continue;
        }
        let found = codes(&lint_path(&path));
        if found.is_empty() {
            continue;
        }
        assert_eq!(
            found,
            BTreeSet::from(["L-MARK-DRAFT".to_string()]),
            "{name}"
        );
        drafts += 1;
    }
    assert!(
        drafts >= 2,
        "the draft letters' DOCX and PDF are told, {drafts} were"
    );
}

#[test]
fn the_command_exits_by_errors_and_prints_the_json_asked_for() {
    let fault = corpus().join("so-thieu-so-0.docx");
    let warning = corpus().join("noi-dung-co-12.docx");
    let clean = corpus().join("sach-bao-cao.docx");
    let run = common::vanthu(&[
        "lint",
        "--json",
        fault.to_str().unwrap(),
        clean.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let files = json.as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert!(files[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("so-thieu-so-0.docx"));
    let finding = &files[0]["findings"][0];
    for key in ["code", "severity", "clause", "where", "message"] {
        assert!(finding.get(key).is_some(), "{key} in {finding}");
    }
    assert_eq!(finding["severity"], "error");
    assert_eq!(files[1]["findings"].as_array().unwrap().len(), 0);
    // Warnings alone pass.
    let run = common::vanthu(&["lint", warning.to_str().unwrap()]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("cảnh báo L-BODY-SIZE"));
    let run = common::vanthu(&["--lang", "en", "lint", clean.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).contains("no format faults"));
}

#[test]
fn a_damaged_or_foreign_file_is_that_files_finding() {
    let docx = std::fs::read(corpus().join("sach-bao-cao.docx")).unwrap();
    let pdf = std::fs::read(corpus().join("lo-sach-bao-cao.pdf")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated.docx", docx[..docx.len() / 2].to_vec()),
        ("truncated.pdf", pdf[..pdf.len() / 3].to_vec()),
        (
            "noise.docx",
            (0..4000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("sheet.xlsx", b"PK\x03\x04 not a docx".to_vec()),
        ("notes.txt", b"hello".to_vec()),
        ("empty.pdf", Vec::new()),
    ];
    for (name, bytes) in cases {
        let findings = lint::lint(name, &bytes);
        assert_eq!(
            codes(&findings),
            BTreeSet::from(["L-UNREADABLE".to_string()]),
            "{name}"
        );
        let message = findings[0].message(vanthu::diagnostic::Lang::Vi);
        assert!(
            !message.contains("panicked") && !message.contains("trình đọc gặp lỗi"),
            "{name}: {message}"
        );
    }
}

/// The corpus's document.xml with `mutate` applied, packed back into its DOCX: the
/// XML-level damage a zip-level flip rarely reaches.
fn with_document_xml(docx: &[u8], mutate: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" || name == "word/styles.xml" {
            bytes = mutate(&bytes);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn damaged_documents_never_panic_in_the_lint_readers_or_rules() {
    let mut rng = vanthu::synthetic::Rng(30);
    // Every mutation but the OLE sector's (no DOCX or PDF has one).
    let kinds = &vanthu::fuzz::MUTATIONS[..6];
    let seeds: Vec<PathBuf> = [
        "sach-bao-cao.docx",
        "sach-hop-van-ban.docx",
        "sach-dau-trang-tab.docx",
        "lo-sach-bao-cao.pdf",
        "lo-sach-cong-van.pdf",
    ]
    .iter()
    .map(|n| corpus().join(n))
    .collect();
    let mut ran = 0;
    for round in 0..60 {
        for seed in &seeds {
            let bytes = std::fs::read(seed).unwrap();
            let kind = kinds[(round + ran) % kinds.len()];
            let damaged = if seed.extension().unwrap() == "docx" && round % 2 == 0 {
                let inner = rng.next_u64();
                with_document_xml(&bytes, |xml| {
                    vanthu::fuzz::mutate(xml, kind, &mut vanthu::synthetic::Rng(inner))
                })
            } else {
                vanthu::fuzz::mutate(&bytes, kind, &mut rng)
            };
            let name = seed.file_name().unwrap().to_string_lossy().to_string();
            for f in lint::lint(&name, &damaged) {
                let message = f.message(vanthu::diagnostic::Lang::En);
                assert!(
                    !message.contains("src/lint/"),
                    "{name} after {kind}: our code panicked: {message}"
                );
            }
            ran += 1;
        }
    }
    assert_eq!(ran, 300);
}

/// A PDF of more pages than a document to check has is refused at once, not read.
#[test]
fn a_pdf_of_over_500_pages_is_refused_as_too_large() {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let kids: Vec<Object> = (0..501)
        .map(|_| {
            let content = doc.add_object(Stream::new(dictionary! {}, Vec::new()));
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            })
            .into()
        })
        .collect();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 501 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let findings = lint::lint("sach.pdf", &bytes);
    assert_eq!(
        codes(&findings),
        BTreeSet::from(["L-UNREADABLE".to_string()])
    );
    assert!(findings[0]
        .message(vanthu::diagnostic::Lang::En)
        .contains("over 500 pages"));
}
