//! End to end: the `vanthu` binary on the bundled sample project, outputs checked with
//! the format checks of `tests/common` (DOCX through zip and quick-xml, PDF through
//! lopdf) and against totals computed here, from the sample sheets, without the library.
//! Where LibreOffice, poppler or the Python checkers of `tests/checks` are installed,
//! they read the outputs too; where they are not, those checks say they were skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_auto, Data, Reader};

mod common;
use common::pdf::Pdf;
use common::{copy_project, sample, tools, vanthu};

fn run_sample(period: &str, out: &Path) -> std::process::Output {
    run_sample_with(period, out, &[])
}

fn run_sample_with(period: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    common::run_project(&sample(), period, "2025-11-05", out, extra)
}

/// Runs the sample for `period` with `--emit-data` and returns its data.json.
fn run_sample_for_data(period: &str, out: &Path) -> serde_json::Value {
    let run = run_sample_with(period, out, &["--emit-data"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap()
}

/// The files of `dir` whose names start with `prefix` and end in `.ext`, sorted.
fn files_starting(dir: &Path, prefix: &str, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    found.sort();
    found
}

/// The period report (`BC-UBND_…`) of a run, in the given format.
fn report_file(dir: &Path, ext: &str) -> PathBuf {
    let found = files_starting(dir, "BC-UBND_", ext);
    assert_eq!(
        found.len(),
        1,
        "one report .{ext} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// Sum of the "Thực hiện" column for the row labelled `label`, over every sheet of the
/// period, read straight from the files.
fn independent_total(period: &str, label: &str) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(sample().join("inputs").join(period)).unwrap() {
        let path = entry.unwrap().path();
        let mut wb = open_workbook_auto(&path).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        let header = range
            .rows()
            .find(|r| {
                r.iter()
                    .any(|c| matches!(c, Data::String(s) if s == "Thực hiện"))
            })
            .unwrap();
        let col = header
            .iter()
            .position(|c| matches!(c, Data::String(s) if s == "Thực hiện"))
            .unwrap();
        let row = range
            .rows()
            .find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == label)))
            .unwrap_or_else(|| panic!("{label} in {}", path.display()));
        total += match &row[col] {
            Data::Float(f) => *f as u64,
            Data::Int(i) => *i as u64,
            Data::String(s) if s.trim() == "-" => 0,
            Data::String(s) => s.trim().replace('.', "").parse::<u64>().unwrap(),
            other => panic!("unexpected {other:?}"),
        };
    }
    total
}

fn vn(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a PDF as our lopdf reader gives it, whitespace collapsed.
fn pdf_text(pdf: &Path) -> String {
    collapse(&Pdf::open(pdf).text())
}

/// The text of a PDF as poppler's `pdftotext` gives it (for LibreOffice's PDFs, and to
/// cross-check our reader), whitespace collapsed.
fn poppler_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    collapse(&String::from_utf8_lossy(&out.stdout))
}

fn docx_text(docx: &Path) -> String {
    collapse(&docx_text_in_order(docx))
}

/// A document's DOCX and PDF through the format checks: ours always; the Python
/// checkers too where they are installed, and then LibreOffice's print of the DOCX must
/// have as many pages as our PDF.
fn check_pair(docx: &Path, pdf: &Path, expect: &[&str]) {
    common::docx::check(docx, expect).assert_clean(docx);
    common::pdf::check(pdf, expect).assert_clean(pdf);
    let ours = Pdf::open(pdf).pages.len() as u32;
    if let Some(pages) = common::python_checker("check_pdf.py", pdf, expect) {
        assert_eq!(pages, ours, "poppler's page count of {}", pdf.display());
    }
    if let Some(pages) = common::python_checker("check_docx.py", docx, expect) {
        assert_eq!(pages, ours, "the PDF paginates like LibreOffice's DOCX");
    }
}

#[test]
fn sample_period_report_is_made_checked_and_states_the_real_totals() {
    let out = tempfile::tempdir().unwrap();
    let result = run_sample("2025-10", out.path());
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let docx = report_file(out.path(), "docx");
    let pdf = report_file(out.path(), "pdf");
    assert_eq!(
        docx.file_name().unwrap(),
        "BC-UBND_2025-10_binh-dan-hoc-vu-so.docx"
    );

    let expect = [
        "BÁO CÁO",
        "KT. CHỦ TỊCH",
        "Phạm Tiến Nhuận",
        "Phú Thái, ngày 05 tháng 11 năm 2025",
    ];
    check_pair(&docx, &pdf, &expect);

    let report_text = pdf_text(&pdf);
    let docx_text = docx_text(&docx);
    for (label, unit) in [
        ("Số lượt người dân tham gia", "lượt người"),
        ("Số người đăng ký học trên binhdanhocvuso.gov.vn", "người"),
    ] {
        let total = independent_total("2025-10", label);
        assert!(total > 0);
        let sentence = format!("{label}: {} {unit}", vn(total));
        assert!(report_text.contains(&sentence), "PDF lacks “{sentence}”");
        assert!(docx_text.contains(&sentence), "DOCX lacks “{sentence}”");
    }
    // The units with no sheet are named, and the count is right.
    assert!(report_text.contains("26/28"), "reported count");
    assert!(report_text.contains("Hội Cựu chiến binh xã") && report_text.contains("Thôn Lại Xá"));
    // The previous period is compared when it exists: 2025-11 against 2025-10.
    let out2 = tempfile::tempdir().unwrap();
    assert_eq!(run_sample("2025-11", out2.path()).status.code(), Some(0));
    let nov = pdf_text(&report_file(out2.path(), "pdf"));
    assert!(
        nov.contains("so với tháng 10 năm 2025: tăng")
            || nov.contains("so với tháng 10 năm 2025: giảm")
    );
}

#[test]
fn same_inputs_give_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(run_sample("2025-10", a.path()).status.success());
    assert!(run_sample("2025-10", b.path()).status.success());
    let names: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names.len() > 5,
        "report, notice, letters and the workbook: {names:?}"
    );
    for name in names {
        let x = std::fs::read(a.path().join(&name)).unwrap();
        let y = std::fs::read(b.path().join(&name)).unwrap();
        assert!(x == y, "{name:?} differs between two runs");
    }
}

fn assert_usage_error(output: &std::process::Output, mentions: &[&str]) {
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    for m in mentions {
        assert!(err.contains(m), "message should mention {m}: {err}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
}

/// 1-based number of the first line of `text` that starts with `prefix`.
fn line_starting(text: &str, prefix: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .expect("the line exists")
        + 1
}

#[test]
fn a_missing_project_folder_is_one_clear_sentence() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out");
    let o = vanthu(&["run", "/khong/co/du-an", "--out", target.to_str().unwrap()]);
    assert_usage_error(&o, &["/khong/co/du-an"]);
    assert!(!target.exists(), "nothing written");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_line() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let broken = toml.replacen("place = \"Phú Thái\"", "place = \"Phú Thái", 1);
    let line = line_starting(&broken, "place = \"Phú Thái");
    let dir = copy_project(&broken);
    let o = vanthu(&["run", dir.path().to_str().unwrap(), "--period", "2025-10"]);
    assert_usage_error(&o, &["vanthu.toml", &format!("dòng {line}")]);
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn an_unknown_key_is_refused_in_english_too() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let broken = toml.replacen("[campaign]\n", "[campaign]\nmuc_tieu = 3\n", 1);
    let line = line_starting(&broken, "muc_tieu");
    let dir = copy_project(&broken);
    let o = vanthu(&[
        "--lang",
        "en",
        "run",
        dir.path().to_str().unwrap(),
        "--period",
        "2025-10",
    ]);
    assert_usage_error(&o, &["vanthu.toml", &format!("line {line}"), "muc_tieu"]);
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_period_without_inputs_is_refused() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let dir = copy_project(&toml);
    let o = vanthu(&["run", dir.path().to_str().unwrap(), "--period", "2025-12"]);
    assert_usage_error(&o, &["2025-12"]);
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn check_reports_every_sheet_as_json() {
    let o = vanthu(&[
        "check",
        sample().to_str().unwrap(),
        "--period",
        "2025-10",
        "--json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["period"], "2025-10");
    assert_eq!(v["reports"].as_array().unwrap().len(), 26);
    assert_eq!(
        v["missing"],
        serde_json::json!(["CCB", "T-LAIXA"]),
        "the roster's missing"
    );
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 0);
    let qs = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"]["code"] == "QS")
        .unwrap();
    assert!(
        qs["values"]["sang_kien"].is_null(),
        "“-” is no data, not zero"
    );
}

#[test]
fn data_json_and_the_appendix_workbook_state_the_sheets_totals() {
    let out = tempfile::tempdir().unwrap();
    let data = run_sample_for_data("2025-10", out.path());
    let residents = independent_total("2025-10", "Số lượt người dân tham gia");
    let officials = independent_total("2025-10", "Số lượt cán bộ, công chức, viên chức tham gia");

    assert_eq!(data["totals"]["luot_dan"]["value"], residents as f64);
    // The derived indicator is the sum of its parts.
    assert_eq!(
        data["totals"]["tong_luot"]["value"],
        (residents + officials) as f64
    );
    assert_eq!(data["totals"]["tong_luot"]["target"], 1900.0);
    assert_eq!(data["missing"], serde_json::json!(["CCB", "T-LAIXA"]));
    let units = data["units"].as_array().unwrap();
    assert_eq!(units.len(), 28);
    for u in units {
        for key in ["code", "name", "group", "reported"] {
            assert!(!u[key].is_null(), "{key} of {u}");
        }
        let fig = &u["values"]["luot_dan"];
        for key in ["value", "target", "rate", "previous"] {
            assert!(fig.get(key).is_some(), "{key} in {fig}");
        }
        let listed = data["behind"].as_array().unwrap().contains(&u["code"]);
        assert_eq!(listed, u["behind"] == true, "{}", u["code"]);
    }
    let ccb = units.iter().find(|u| u["code"] == "CCB").unwrap();
    assert_eq!(ccb["values"]["luot_dan"]["value"], serde_json::Value::Null);

    let path = out.path().join("PhuLuc_2025-10.xlsx");
    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 2);
    let table = wb.worksheet_range(&names[0]).unwrap();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        _ => String::new(),
    };
    let col = table
        .rows()
        .find_map(|r| {
            r.iter()
                .position(|c| text(c) == "Số lượt người dân tham gia (lượt người)")
        })
        .expect("the indicator's column");
    let total_row = table
        .rows()
        .find(|r| text(&r[0]) == "Tổng cộng toàn xã")
        .expect("the commune total row");
    assert_eq!(total_row[col], Data::Float(residents as f64));
    // One row per roster unit, the missing ones marked.
    let marked: Vec<String> = table
        .rows()
        .map(|r| text(&r[1]))
        .filter(|t| t.ends_with("(chưa báo cáo)"))
        .collect();
    assert_eq!(
        marked,
        [
            "Hội Cựu chiến binh xã (chưa báo cáo)",
            "Thôn Lại Xá (chưa báo cáo)"
        ]
    );
    // Units are numbered within their group, as in the document's appendix: the row
    // after group II's heading is unit 1.
    let rows: Vec<&[Data]> = table.rows().collect();
    let second = rows.iter().position(|r| text(&r[0]) == "II").unwrap();
    assert_eq!(rows[second + 1][0], Data::Float(1.0));
    let follow_up = wb.worksheet_range(&names[1]).unwrap();
    let listed: Vec<String> = follow_up.rows().skip(3).map(|r| text(&r[1])).collect();
    assert!(listed.contains(&"Thôn Lại Xá".to_string()), "{listed:?}");
    assert_eq!(listed.len(), 2 + data["behind"].as_array().unwrap().len());
}

#[test]
fn form_writes_a_blank_sheet_per_unit_that_check_reads_back() {
    let out = tempfile::tempdir().unwrap();
    let project = sample();
    let (project, dir) = (project.to_str().unwrap(), out.path().to_str().unwrap());
    let made = vanthu(&["form", project, "--period", "2025-12", "--out", dir]);
    assert_eq!(made.status.code(), Some(0), "{made:?}");
    let names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 28, "{names:?}");
    assert!(names.contains(&"cong-an-xa_2025-12.xlsx".to_string()));
    // The blank forms, dropped into a period folder, are recognised unit by unit.
    let copy = copy_project(&std::fs::read_to_string(sample().join("vanthu.toml")).unwrap());
    let inputs = copy.path().join("inputs/2025-12");
    std::fs::create_dir_all(&inputs).unwrap();
    for n in &names {
        std::fs::copy(out.path().join(n), inputs.join(n)).unwrap();
    }
    let check = vanthu(&[
        "check",
        copy.path().to_str().unwrap(),
        "--period",
        "2025-12",
        "--json",
    ]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(json["reports"].as_array().unwrap().len(), 28);
    assert!(json["diagnostics"].as_array().unwrap().is_empty());
    // An unknown unit code is a usage error naming the codes there are.
    let bad = vanthu(&[
        "form", project, "--period", "2025-12", "--unit", "XX", "--out", dir,
    ]);
    assert_usage_error(&bad, &["XX", "CA"]);
}

/// The words of a text, with the kinds of quotation mark made one and the seed's
/// bullet spacing ignored.
fn words(text: &str) -> Vec<String> {
    text.replace(['“', '”', '"'], "\"")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The text of a DOCX in document order (paragraphs and table cells as they come).
fn docx_text_in_order(docx: &Path) -> String {
    common::docx::Docx::open(docx).text_in_order()
}

#[test]
fn the_sample_reproduces_the_seed_letter_word_for_word() {
    let seed = std::fs::read_to_string(sample().join("reference/cong-van-binh-dan-hoc-vu-so.txt"))
        .expect("the seed letter, the sample's reference");
    let mut seed = words(&seed);
    // The one deliberate change: Decree 30's form ends the last addressee of a
    // Kính gửi list with a full stop, where the seed kept its semicolon.
    let last_addressee = seed.iter().position(|w| w == "Thực").unwrap() - 1;
    seed[last_addressee] = seed[last_addressee].replace(';', ".");
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample("2025-10", out.path()).status.success());
    let docx = out.path().join("UBND-VHXH_2025-10_binh-dan-hoc-vu-so.docx");
    let pdf = out.path().join("UBND-VHXH_2025-10_binh-dan-hoc-vu-so.pdf");
    // Every word of the seed, in order, in the document (the frame adds its own words:
    // agency, Quốc hiệu, number, date, V/v).
    let got = words(&docx_text_in_order(&docx));
    let mut at = 0;
    for (i, w) in seed.iter().enumerate() {
        match got[at..].iter().position(|g| g == w) {
            Some(p) => at += p + 1,
            None => panic!(
                "seed word {i} `{w}` is missing after word {at} of the DOCX: {:?}",
                &got[at.saturating_sub(10)..]
            ),
        }
    }
    // The body, from its first to its last word, stands in the PDF without a word
    // added or lost.
    let start = seed.iter().position(|w| w == "Thực").unwrap();
    let end = seed.iter().position(|w| w == "hiện./.").unwrap();
    let body = seed[start..=end].join(" ");
    // Page numbers (a bare "2" at the top of page 2) are not words of the letter.
    let text = words(&pdf_text(&pdf))
        .into_iter()
        .filter(|w| !(w.len() == 1 && w.chars().all(|c| c.is_ascii_digit())))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(&body),
        "the seed's body in the PDF text:\n{text}"
    );
    for w in ["V/v", "Kính", "Nơi", "KT.", "Phạm"] {
        assert!(text.contains(w), "{w}");
    }
    check_pair(&docx, &pdf, &[]);
    // The signing space: at least three empty 14 pt lines between the position and
    // the name.
    let read = Pdf::open(&pdf);
    let page = read
        .pages
        .iter()
        .position(|p| p.words.iter().any(|w| w.text == "Nhuận"))
        .expect("the signer's page")
        + 1;
    let words = read.words(page);
    let position = words.iter().rev().find(|w| w.text == "TỊCH").unwrap();
    let name = words.iter().rev().find(|w| w.text == "Nhuận").unwrap();
    assert!(
        name.y_min - position.y_max >= 3.0 * 14.0,
        "signing space: {position:?} … {name:?}"
    );
}

/// Of `reminders` (PDFs), the one addressed to `name`, and its text.
fn reminder_to<'a>(reminders: &'a [PathBuf], name: &str) -> (&'a PathBuf, String) {
    reminders
        .iter()
        .map(|p| (p, pdf_text(p)))
        .find(|(_, text)| text.contains(&format!("Kính gửi: {name}")))
        .unwrap_or_else(|| panic!("a reminder to {name}"))
}

#[test]
fn a_notice_for_all_and_one_reminder_per_lagging_unit() {
    let out = tempfile::tempdir().unwrap();
    let data = run_sample_for_data("2025-11", out.path());
    let lagging: Vec<&serde_json::Value> = data["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["reported"] == false || u["behind"] == true)
        .collect();
    assert_eq!(
        lagging.len(),
        data["missing"].as_array().unwrap().len() + data["behind"].as_array().unwrap().len()
    );
    let reminders = files_starting(out.path(), "UBND-VHXH_2025-11_", "pdf");
    assert_eq!(reminders.len(), lagging.len(), "{reminders:?}");
    // Each is addressed to its unit and says why it was sent.
    for unit in &lagging {
        let name = unit["name"].as_str().unwrap();
        let (_, text) = reminder_to(&reminders, name);
        if unit["reported"] == false {
            assert!(text.contains("chưa gửi báo cáo"), "{text}");
        } else {
            assert!(text.contains("thấp hơn mức 70%"), "{text}");
        }
    }
    let notice = out.path().join("TB-UBND_2025-11_binh-dan-hoc-vu-so.pdf");
    let text = pdf_text(&notice);
    assert!(text.contains("THÔNG BÁO"), "{text}");
    assert!(text.contains("25/28"), "{text}");
    for doc in [notice, reminders[0].clone()] {
        check_pair(&doc.with_extension("docx"), &doc, &[]);
    }
}

#[test]
fn a_hostile_unit_name_prints_as_written_in_its_reminder() {
    // Markdown, table, HTML, TOML and Handlebars syntax in a name, for a unit that did
    // not report in 2025-10, so it gets a reminder: Kính gửi (TOML) and body (Markdown).
    let hostile = r#"*Thôn | 1* <Lại> & {{agency.short}} "Xá" ../../etc"#;
    let toml = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .replace("name = \"Thôn Lại Xá\"", &format!("name = '{hostile}'"));
    let copy = copy_project(&toml);
    let out = copy.path().join("out");
    let run = common::run_project(copy.path(), "2025-10", "2025-11-05", &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let reminder = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "pdf")
                && pdf_text(p).contains(&format!("Kính gửi: {hostile}"))
        })
        .expect("a reminder addressed to the unit, its name as written");
    let text = pdf_text(&reminder);
    assert!(
        text.contains(&format!("đề nghị {hostile} quan tâm")),
        "{text}"
    );
    // The file name keeps nothing that could leave the folder.
    let name = reminder.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.ends_with("_thon-1-lai-agency-short-xa-etc.pdf"),
        "{name}"
    );
    assert_eq!(reminder.parent().unwrap(), out);
    // In the report it is named twice: in a Markdown sentence (units missing) and in a
    // cell of the appendix's XHTML table. Both print it as written.
    let report = report_file(&out, "pdf");
    let lines = raw_lines(&report).join(" ");
    assert!(lines.contains(hostile), "the name as written in the report");
    assert!(
        lines.matches("<Lại>").count() >= 2,
        "the sentence and the appendix row"
    );
}

/// The text lines of a PDF in drawing order, spaces collapsed (our reader).
fn raw_lines(pdf: &Path) -> Vec<String> {
    Pdf::open(pdf)
        .lines()
        .iter()
        .map(|l| collapse(l))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The text lines of a PDF as `pdftotext -raw` gives them, spaces collapsed.
fn poppler_raw_lines(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Length of the longest common subsequence of two line lists.
fn common_lines(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Converts every DOCX in `dir` with LibreOffice (one process), then compares each with
/// our PDF of the same document: page count, word sequence, and the share of lines that
/// hold the same words. Returns (name, identical lines, lines) per document, or `None`
/// (having said so) where LibreOffice or poppler is not installed.
fn parity_with_libreoffice(dir: &Path, min_percent: usize) -> Option<Vec<(String, usize, usize)>> {
    if !tools::have(
        "LibreOffice parity (our PDF against LibreOffice's print of our DOCX)",
        &["soffice", "pdftotext", "pdfinfo"],
    ) {
        return None;
    }
    let mut docx: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    docx.sort();
    assert!(!docx.is_empty());
    let lo = dir.join("lo");
    let conv = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&lo)
        .args(&docx)
        .env("HOME", dir)
        .output()
        .expect("LibreOffice (soffice) is installed");
    assert!(
        conv.status.success(),
        "{}",
        String::from_utf8_lossy(&conv.stderr)
    );
    let pages = |pdf: &Path| -> String {
        let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
        String::from_utf8_lossy(&info.stdout)
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .unwrap_or_default()
            .to_string()
    };
    let mut figures = Vec::new();
    for d in &docx {
        let ours = d.with_extension("pdf");
        let theirs = lo.join(ours.file_name().unwrap());
        let name = ours.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(pages(&ours), pages(&theirs), "{name}: page count");
        // The same words, each as often (pdftotext reads table cells in an order of its
        // own, so order is checked line by line below).
        let (mut x, mut y) = (words(&poppler_text(&ours)), words(&poppler_text(&theirs)));
        x.sort();
        y.sort();
        if x != y {
            let only_ours: Vec<_> = x.iter().filter(|w| !y.contains(w)).collect();
            let only_theirs: Vec<_> = y.iter().filter(|w| !x.contains(w)).collect();
            panic!(
                "{name}: {} vs {} words; only ours {only_ours:?}, only LibreOffice's {only_theirs:?}",
                x.len(),
                y.len()
            );
        }
        let (a, b) = (poppler_raw_lines(&ours), poppler_raw_lines(&theirs));
        let same = common_lines(&a, &b);
        assert!(
            same * 100 >= a.len().max(b.len()) * min_percent,
            "{name}: {same} of {} / {} lines alike",
            a.len(),
            b.len()
        );
        figures.push((name, same, a.len().max(b.len())));
    }
    Some(figures)
}

#[test]
fn our_pdf_breaks_lines_and_pages_as_libreoffice_prints_our_docx() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample("2025-10", out.path()).status.success());
    // Every document of the period: the report with its landscape appendix, the notice,
    // the reminders and the seed letter. Measured: 100% of lines on each.
    let Some(figures) = parity_with_libreoffice(out.path(), 98) else {
        return;
    };
    assert!(figures.len() >= 4, "{figures:?}");
    let (same, all) = figures
        .iter()
        .fold((0, 0), |(s, a), (_, x, y)| (s + x, a + y));
    eprintln!(
        "parity: {same} of {all} lines alike over {} documents",
        figures.len()
    );
}

/// The words of one page as `pdftotext -bbox` gives them: text and box, top-down points.
fn poppler_words(pdf: &Path, page: usize) -> Vec<(String, [f32; 4])> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = tag[start..].find('"').unwrap() + start;
        tag[start..end].parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let word = rest.split('<').next().unwrap();
            let word = word
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            let word = word.replace("&quot;", "\"").replace("&apos;", "'");
            let b = ["xMin", "yMin", "xMax", "yMax"].map(|k| attr(tag, k));
            (word, b)
        })
        .collect()
}

#[test]
fn our_pdf_reader_reads_the_words_poppler_reads_where_poppler_reads_them() {
    // The Rust checks read our PDFs with lopdf; poppler is the independent reading that
    // proves that reader right: on every page of every document of a period, the same
    // words, each in a box within half a point of poppler's.
    if !tools::have("our PDF reader against poppler's pdftotext", &["pdftotext"]) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample("2025-10", out.path()).status.success());
    let mut checked = 0;
    for e in std::fs::read_dir(out.path()).unwrap() {
        let pdf = e.unwrap().path();
        if pdf.extension().is_none_or(|x| x != "pdf") {
            continue;
        }
        let ours = Pdf::open(&pdf);
        for (n, page) in ours.pages.iter().enumerate() {
            let mut theirs = poppler_words(&pdf, n + 1);
            assert_eq!(
                page.words.len(),
                theirs.len(),
                "{} page {}",
                pdf.display(),
                n + 1
            );
            for w in &page.words {
                let near = |b: &[f32; 4]| {
                    (b[0] - w.x_min).abs() < 0.5
                        && (b[1] - w.y_min).abs() < 0.5
                        && (b[2] - w.x_max).abs() < 0.5
                        && (b[3] - w.y_max).abs() < 0.5
                };
                let at = theirs
                    .iter()
                    .position(|(t, b)| *t == w.text && near(b))
                    .unwrap_or_else(|| {
                        panic!(
                            "{} page {}: {w:?} not in poppler's words",
                            pdf.display(),
                            n + 1
                        )
                    });
                theirs.swap_remove(at);
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} pages");
}

#[test]
fn marks_the_contact_line_and_many_addressees_print_alike_in_both_files() {
    let project = common::marked_letter_project();
    let out = project.path().join("out");
    let o = common::run_project(project.path(), "2025-10", "2025-10-05", &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Only the letter: the others are covered by the sample's own parity test.
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("UBND-VHXH_2025-10_binh-dan-hoc-vu-so.") {
            std::fs::remove_file(&p).unwrap();
        }
    }
    parity_with_libreoffice(&out, 98);
    let pdf = out.join("UBND-VHXH_2025-10_binh-dan-hoc-vu-so.pdf");
    let text = pdf_text(&pdf);
    for mark in [
        "DỰ THẢO LẦN 2",
        "MẬT",
        "THƯỢNG KHẨN",
        "E-Mail: ubnd.phuthai@haiphong.gov.vn",
    ] {
        assert!(text.contains(mark), "{mark}");
    }
    // The contact line is at the foot of page 1, and only there.
    let read = Pdf::open(&pdf);
    let mail = read
        .words(1)
        .iter()
        .find(|w| w.text.contains("ubnd.phuthai"))
        .unwrap();
    assert!(
        mail.y_max > 841.89 - 20.0 / 25.4 * 72.0,
        "in the bottom margin: {mail:?}"
    );
    assert!(!read
        .words(2)
        .iter()
        .any(|w| w.text.contains("ubnd.phuthai")));
    // The urgency mark is drawn in red (an rg/RG of 1 0 0 on page 1).
    let doc = lopdf::Document::load(&pdf).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let content = String::from_utf8_lossy(&doc.get_page_content(page)).into_owned();
    assert!(
        content.contains("1 0 0 rg") || content.contains("1 0 0 RG"),
        "red ink"
    );
}

#[test]
fn the_pdf_is_ready_to_sign_small_and_in_vietnamese() {
    let out = tempfile::tempdir().unwrap();
    assert!(run_sample("2025-10", out.path()).status.success());
    let pdf = report_file(out.path(), "pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    // Fonts are subset: a three-page report is tens of kilobytes, not 850.
    assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    let read = Pdf::load_mem(&bytes);
    assert!(!read.fonts.is_empty());
    for font in read.fonts.values() {
        // Embedded, subset (a tag before the name) and mapped to Unicode.
        assert!(font.base_name.contains('+'), "subset tag: {font:?}");
        assert!(font.embedded && !font.to_unicode.is_empty(), "{font:?}");
    }

    let lo = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(lo.version, "1.7");
    let catalog = lo.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"vi-VN");
    let form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap();
    let fields = form.get(b"Fields").unwrap().as_array().unwrap();
    // The signer's field, then the agency seal's: the order they are signed in; then,
    // made with a date but no number, the number's text field for the issue.
    assert_eq!(fields.len(), 3);
    let field = lo
        .get_dictionary(fields[0].as_reference().unwrap())
        .unwrap();
    assert_eq!(field.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
    assert_eq!(
        field.get(b"T").unwrap().as_str().unwrap(),
        b"ChuKy_Pham_Tien_Nhuan"
    );
    let rect_of = |d: &lopdf::Dictionary| -> Vec<f32> {
        let rect = d.get(b"Rect").unwrap().as_array().unwrap();
        rect.iter().map(|o| o.as_float().unwrap()).collect()
    };
    let rect = rect_of(field);
    // The widget is on the signer's page, between "PHÓ CHỦ TỊCH" and the name.
    let page_ref = field.get(b"P").unwrap().as_reference().unwrap();
    let pages = lo.get_pages();
    let (&page_no, _) = pages.iter().find(|(_, id)| **id == page_ref).unwrap();
    assert!(
        (page_no as usize) < pages.len(),
        "the signer's block ends the report, before its landscape appendix"
    );
    let boxes = read.words(page_no as usize);
    let height = 841.89_f32;
    let (top, bottom) = (height - rect[3], height - rect[1]);
    let position = boxes
        .iter()
        .rev()
        .find(|w| w.text == "TỊCH")
        .expect("the position line");
    let name = boxes
        .iter()
        .rev()
        .find(|w| w.text == "Nhuận")
        .expect("the name");
    assert!(
        position.y_max <= top + 1.0,
        "field below the position: {position:?} {rect:?}"
    );
    assert!(
        name.y_min >= bottom - 1.0,
        "field above the name: {name:?} {rect:?}"
    );
    assert!(
        rect[0] <= name.x_min && rect[2] >= name.x_max,
        "field as wide as the block"
    );
    assert!(bottom - top > 50.0, "room to sign: {rect:?}");
    // The seal's field: a 36 mm square (the default seal), on the same page, over the
    // left third of the signer's field and centred on its height (ô 8).
    let seal = lo
        .get_dictionary(fields[1].as_reference().unwrap())
        .unwrap();
    assert_eq!(seal.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
    assert_eq!(seal.get(b"T").unwrap().as_str().unwrap(), b"DauCoQuan");
    assert_eq!(seal.get(b"P").unwrap().as_reference().unwrap(), page_ref);
    let s = rect_of(seal);
    let side = 36.0 / 25.4 * 72.0;
    assert!(
        (s[2] - s[0] - side).abs() < 0.1 && (s[3] - s[1] - side).abs() < 0.1,
        "{s:?}"
    );
    assert!(
        (s[2] - (rect[0] + (rect[2] - rect[0]) / 3.0)).abs() < 0.1,
        "{s:?} {rect:?}"
    );
    assert!(((s[1] + s[3]) / 2.0 - (rect[1] + rect[3]) / 2.0).abs() < 0.1);
    // The sidecar beside the PDF states the same fields, in the same order, where they
    // are: in points from the bottom left and in mm from the top left; and it is listed
    // in the manifest.
    let sidecar_path = pdf.with_extension("kyso.json");
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&sidecar_path).unwrap()).unwrap();
    assert_eq!(
        sidecar["file"].as_str().unwrap(),
        pdf.file_name().unwrap().to_str().unwrap()
    );
    let stated = sidecar["fields"].as_array().unwrap();
    assert_eq!(stated.len(), 3);
    assert_eq!(stated[2]["role"], "number");
    for ((entry, field), (role, name)) in stated
        .iter()
        .zip([field, seal])
        .zip([("signer", "ChuKy_Pham_Tien_Nhuan"), ("seal", "DauCoQuan")])
    {
        assert_eq!(entry["role"], role);
        assert_eq!(entry["name"], name);
        assert_eq!(entry["page"].as_u64().unwrap(), u64::from(page_no));
        let r = rect_of(field);
        let pt: Vec<f32> = entry["rect_pt"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        for (a, b) in pt.iter().zip(&r) {
            assert!((a - b).abs() < 0.01, "{role}: {pt:?} vs {r:?}");
        }
        let mm: Vec<f32> = entry["rect_mm"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let to_mm = |p: f32| p * 25.4 / 72.0;
        let want = [
            to_mm(r[0]),
            to_mm(height - r[3]),
            to_mm(r[2] - r[0]),
            to_mm(r[3] - r[1]),
        ];
        for (a, b) in mm.iter().zip(&want) {
            assert!((a - b).abs() < 0.02, "{role}: {mm:?} vs {want:?}");
        }
    }
    assert_eq!(sidecar["anchors"]["position"], "PHÓ CHỦ TỊCH");
    assert_eq!(sidecar["anchors"]["name"], "Phạm Tiến Nhuận");
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(manifest.contains(&format!(
        "\"{}\"",
        sidecar_path.file_name().unwrap().to_str().unwrap()
    )));
    // No false claim of PDF/X; a stable /ID.
    let info = lo
        .get_dictionary(lo.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    assert!(info.get(b"GTS_PDFXVersion").is_err());
    assert!(lo.trailer.get(b"ID").is_ok());
}

#[test]
fn a_number_no_register_gives_is_one_sentence_and_nothing_written() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("out");
    for n in ["4294967295", "0", "100000", "18446744073709551615"] {
        let o = vanthu(&[
            "run",
            sample().to_str().unwrap(),
            "--period",
            "2025-10",
            "--number",
            n,
            "--out",
            target.to_str().unwrap(),
        ]);
        assert_usage_error(&o, &["--number", n]);
        assert!(!target.exists(), "nothing written for {n}");
    }
}

#[test]
fn a_period_with_no_readable_report_makes_no_document() {
    // A folder holding only a renamed PDF: before, the run "succeeded" with 0/28 and a
    // reminder to every unit.
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let dir = copy_project(&toml);
    let inputs = dir.path().join("inputs/2025-12");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(
        inputs.join("cong-an-xa_2025-12.xlsx"),
        b"%PDF-1.7 not a sheet",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = common::run_project(dir.path(), "2025-12", "2025-11-05", &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    // Diagnostics and the sentence that ends the run share stdout (`> file` keeps them).
    let err = String::from_utf8_lossy(&o.stdout);
    assert!(
        err.contains("E-NOT-SPREADSHEET"),
        "the file's own problem: {err}"
    );
    assert!(
        err.contains("không đọc được báo cáo nào") && err.contains("2025-12"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    // `check` too: the summary and the diagnostics in one stream.
    let o = vanthu(&["check", dir.path().to_str().unwrap(), "--period", "2025-12"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("E-NOT-SPREADSHEET"), "{text}");
    assert!(text.contains("Chưa có báo cáo (28/28)"), "{text}");
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_built_in_documents_speak_for_any_project_not_the_sample() {
    // A phường under a city, its units tổ dân phố, with no templates of its own: the
    // built-in report, notice and reminders, driven by vanthu.toml alone.
    // The sample's own wording keys go; the phường's come in their place.
    let toml: String = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .lines()
        .filter(|l| {
            !["level =", "superior", "units_called ="]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let toml = toml
        .replace("\"XÃ PHÚ THÁI\"", "\"PHƯỜNG HOÀNG LIỆT\"")
        .replace("place = \"Phú Thái\"", "place = \"Hoàng Liệt\"")
        .replace(
            "full_name = \"Ủy ban nhân dân xã Phú Thái\"",
            "superior = \"Ủy ban nhân dân thành phố Hà Nội\"\nsuperior_short = \"UBND thành phố Hà Nội\"\nunits_called = \"cơ quan, đơn vị, tổ dân phố\"",
        );
    let dir = copy_project(&toml);
    for t in ["bao-cao-ky", "thong-bao-ket-qua", "don-doc"] {
        std::fs::remove_file(dir.path().join(format!("templates/{t}.md.hbs"))).unwrap();
    }
    let out = dir.path().join("out");
    let o = common::run_project(dir.path(), "2025-10", "2025-10-31", &out, &[]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let text_of = |prefix: &str| {
        let pdf = files_starting(&out, prefix, "pdf");
        pdf_text(pdf.first().unwrap_or_else(|| panic!("no {prefix} PDF")))
    };
    let report = text_of("BC-UBND");
    let notice = text_of("TB-UBND");
    let reminder = text_of("UBND-VHXH_2025-10_binh-dan-hoc-vu-so_");
    for (name, text) in [
        ("report", &report),
        ("notice", &notice),
        ("reminder", &reminder),
    ] {
        for leak in [
            // (The sample's unit names, kept here, say "UBND xã" themselves.)
            "Ủy ban nhân dân xã",
            "UBND xã (để",
            "UBND xã;",
            "Toàn xã",
            "địa bàn xã",
            "cơ quan, đơn vị, thôn",
            "Hải Phòng",
        ] {
            assert!(!text.contains(leak), "{name} says {leak:?}");
        }
    }
    for want in [
        "Thực hiện chỉ đạo của Ủy ban nhân dân thành phố Hà Nội",
        "Ủy ban nhân dân phường báo cáo",
        "cơ quan, đơn vị, tổ dân phố",
        "UBND thành phố Hà Nội (để báo cáo)",
        "Lãnh đạo UBND phường",
        "của Ủy ban nhân dân phường Hoàng Liệt./.",
        "Toàn phường",
    ] {
        assert!(report.contains(want), "report lacks {want:?}: {report}");
    }
    assert!(
        notice.contains("Ủy ban nhân dân phường thông báo"),
        "{notice}"
    );
    assert!(
        reminder.contains("Ủy ban nhân dân phường đề nghị"),
        "{reminder}"
    );
    // The table by group has the project's own indicators, with figures, not dashes.
    let table = report
        .split("Kết quả theo khối đơn vị:")
        .nth(1)
        .and_then(|t| t.split("II. ĐÁNH GIÁ CHUNG").next())
        .unwrap();
    assert!(
        table.chars().any(|c| c.is_ascii_digit() && c != '0'),
        "{table}"
    );
}

#[test]
fn a_template_naming_a_value_the_project_lacks_fails_and_says_which() {
    // The sample's own report names totals.lop_hoc; a project without that indicator
    // gets an error naming it, not a table of dashes.
    let toml = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .replace("code = \"lop_hoc\"", "code = \"so_lop\"")
        .replace("\"lop_hoc\"", "\"so_lop\"");
    let dir = copy_project(&toml);
    let out = dir.path().join("out");
    let o = common::run_project(dir.path(), "2025-10", "2025-11-05", &out, &[]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("totals.lop_hoc.value"), "{said}");
    assert!(said.contains("bao-cao-ky"), "{said}");
}

#[test]
fn init_then_form_then_run_makes_a_new_projects_documents() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("hoang-liet");
    let p = project.to_str().unwrap();
    let o = vanthu(&["init", p, "--level", "phường", "--place", "Hoàng Liệt"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A second init never overwrites.
    let again = vanthu(&["init", p]);
    assert_eq!(again.status.code(), Some(2));
    let forms = project.join("inputs/2025-12");
    let o = vanthu(&[
        "form",
        p,
        "--period",
        "2025-12",
        "--out",
        forms.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(&forms).unwrap().count(), 2);
    let out = project.join("out");
    let o = common::run_project(std::path::Path::new(p), "2025-12", "2025-12-20", &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let report = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".pdf") && p.to_string_lossy().contains("BC-UBND"))
        .unwrap();
    let text = pdf_text(&report);
    assert!(text.contains("PHƯỜNG HOÀNG LIỆT"), "{text}");
    assert!(
        text.contains("Hoàng Liệt, ngày 20 tháng 12 năm 2025"),
        "{text}"
    );
    assert!(
        text.contains("của Ủy ban nhân dân phường Hoàng Liệt./."),
        "{text}"
    );
}

#[test]
fn check_finds_a_document_whose_template_does_not_exist() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .replace(
            "template = \"thong-bao-ket-qua\"",
            "template = \"thong-bao-ket-qa\"",
        );
    let dir = copy_project(&toml);
    let o = vanthu(&["check", dir.path().to_str().unwrap(), "--period", "2025-10"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("thong-bao-ket-qa"), "{text}");
    assert!(text.contains("không có mẫu"), "{text}");
}

#[test]
fn command_line_mistakes_are_told_in_the_clerks_language() {
    let project = sample();
    let p = project.to_str().unwrap();
    let o = vanthu(&["run", p, "--period", "2025-13"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("`2025-13` không phải là kỳ báo cáo"), "{err}");
    let o = vanthu(&["run", p, "--period", "2025-13", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("is not a period"));
    let o = vanthu(&["chay", p]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Không có lệnh `chay`"));
    let o = vanthu(&["check", p, "--lang", "xx"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Giá trị dùng được: vi, en"));
    // Help still prints and exits 0.
    assert!(vanthu(&["--help"]).status.success());
}

#[test]
fn a_batch_dates_each_period_and_names_where_the_sheet_errors_are() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let dir = copy_project(&toml);
    std::fs::write(
        dir.path().join("inputs/2025-10/hong.xlsx"),
        b"%PDF-1.7 not a sheet",
    )
    .unwrap();
    let job = dir.path().join("ky.toml");
    std::fs::write(
        &job,
        "date = \"2025-12-01\"\ndates = { \"2025-10\" = \"2025-11-05\" }\n[[jobs]]\nproject = \".\"\nperiods = [\"2025-10\"]\nout = \"ra\"\n",
    )
    .unwrap();
    let o = vanthu(&["batch", job.to_str().unwrap()]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(said.contains("hong.xlsx [E-NOT-SPREADSHEET]"), "{said}");
    let text = pdf_text(&report_file(&dir.path().join("ra/2025-10"), "pdf"));
    assert!(text.contains("ngày 05 tháng 11 năm 2025"), "{text}");
}

// ---- The second bundled project: a phường, quarterly, built-in documents only ----

fn hoang_liet() -> PathBuf {
    common::repo().join("samples/hoang-liet")
}

/// Every unit's figure for the row labelled `label` in `inputs/<period>`, read straight
/// from the files (.xlsx, .xls, .ods, in the three layouts the units use) without the
/// library: the value column is the one headed "Thực hiện", "TH" or "TH quý …".
fn hoang_liet_figures(period: &str, label: &str) -> Vec<f64> {
    let mut figures = Vec::new();
    for entry in std::fs::read_dir(hoang_liet().join("inputs").join(period)).unwrap() {
        let path = entry.unwrap().path();
        let mut wb = open_workbook_auto(&path).unwrap();
        let name = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&name).unwrap();
        let is_value_header = |s: &str| s == "Thực hiện" || s == "TH" || s.starts_with("TH quý");
        let col = range
            .rows()
            .find_map(|r| {
                r.iter()
                    .position(|c| matches!(c, Data::String(s) if is_value_header(s)))
            })
            .unwrap_or_else(|| panic!("a value column in {}", path.display()));
        let row = range
            .rows()
            .find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == label)))
            .unwrap_or_else(|| panic!("{label} in {}", path.display()));
        figures.push(match &row[col] {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            Data::String(s) => s.trim().replace(',', ".").parse().unwrap(),
            other => panic!("unexpected {other:?} in {}", path.display()),
        });
    }
    figures
}

/// `x` as a Vietnamese document writes it with `dp` decimals: 1.070 / 7,92.
fn vn_decimal(x: f64, dp: usize) -> String {
    let text = format!("{x:.dp$}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole = vn(whole.parse().unwrap());
    if fraction.is_empty() {
        whole
    } else {
        format!("{whole},{fraction}")
    }
}

#[test]
fn the_second_sample_states_its_real_figures_in_every_quarter() {
    for (period, label, reported, date) in [
        ("2025-Q3", "quý III năm 2025", "15/16", "2025-10-05"),
        ("2025-Q4", "quý IV năm 2025", "14/16", "2026-01-05"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let run = common::run_project(&hoang_liet(), period, date, out.path(), &[]);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        // Every sheet read, in every format and layout, with nothing to say about it.
        let check = vanthu(&["check", hoang_liet().to_str().unwrap(), "--period", period]);
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            !said.contains("lỗi") && !said.contains("cảnh báo"),
            "{said}"
        );
        let docx = report_file(out.path(), "docx");
        let pdf = report_file(out.path(), "pdf");
        let (d, m, y) = (&date[8..10], &date[5..7], &date[0..4]);
        check_pair(
            &docx,
            &pdf,
            &[
                "BÁO CÁO",
                "TM. ỦY BAN NHÂN DÂN",
                "CHỦ TỊCH",
                "Nguyễn Thị Thu Hà",
                &format!("Hoàng Liệt, ngày {d} tháng {m} năm {y}"),
            ],
        );
        let text = pdf_text(&pdf);
        let docx_words = docx_text(&docx);
        // A sum, a decimal sum, an average (two decimals), a maximum and a share of two
        // totals, each computed here from the sheets.
        let sum = |l: &str| hoang_liet_figures(period, l).iter().sum::<f64>();
        let dinh_danh = sum("Số tài khoản định danh điện tử mức 2 được kích hoạt");
        let kinh_phi = sum("Kinh phí chi cho chuyển đổi số");
        let diem = hoang_liet_figures(period, "Điểm hài lòng của người dân (thang điểm 10)");
        let diem = diem.iter().sum::<f64>() / diem.len() as f64;
        let ngay = hoang_liet_figures(period, "Số ngày xử lý kiến nghị dài nhất")
            .into_iter()
            .fold(0.0, f64::max);
        let share = sum("Số lượt người đạt yêu cầu sau tập huấn")
            / sum("Số lượt người được tập huấn kỹ năng số")
            * 100.0;
        for sentence in [
            format!(
                "Số tài khoản định danh điện tử mức 2 được kích hoạt: {} tài khoản",
                vn_decimal(dinh_danh, 0)
            ),
            format!(
                "Kinh phí chi cho chuyển đổi số: {} triệu đồng",
                vn_decimal(kinh_phi, 1)
            ),
            format!(
                "Điểm hài lòng của người dân (thang điểm 10): {} điểm",
                vn_decimal(diem, 2)
            ),
            format!(
                "Số ngày xử lý kiến nghị dài nhất: {} ngày",
                vn_decimal(ngay, 0)
            ),
            format!(
                "Tỷ lệ người đạt yêu cầu sau tập huấn: {}%",
                vn_decimal(share, 1)
            ),
        ] {
            assert!(
                text.contains(&sentence),
                "{period}: PDF lacks “{sentence}”: {text}"
            );
            assert!(
                docx_words.contains(&sentence),
                "{period}: DOCX lacks “{sentence}”"
            );
        }
        assert!(text.contains(&format!("{reported} cơ quan, đơn vị, tổ dân phố")));
        assert!(
            text.contains(&format!("kết quả thực hiện {label}")),
            "{text}"
        );
        // A derived share is compared in points; the first quarter has nothing before it.
        if period == "2025-Q4" {
            assert!(
                text.contains("so với quý III năm 2025: tăng")
                    || text.contains("so với quý III năm 2025: giảm"),
                "{text}"
            );
            let share_line = text
                .split("Tỷ lệ người đạt yêu cầu sau tập huấn:")
                .nth(1)
                .unwrap();
            assert!(
                share_line
                    .split(" - ")
                    .next()
                    .unwrap()
                    .contains("điểm phần trăm"),
                "{share_line}"
            );
            // Totals of 14 units this quarter are compared with totals of 15: said.
            assert!(
                text.contains("14 đơn vị kỳ này, 15 đơn vị quý III năm 2025"),
                "{text}"
            );
        }
        // Nothing of the first sample's words.
        for leak in [
            "Phú Thái",
            "Bình dân học vụ số",
            "thôn",
            " xã",
            "Hải Phòng",
            "KT.",
        ] {
            assert!(!text.contains(leak), "{period}: the report says {leak:?}");
        }
    }
}

#[test]
fn the_second_sample_sends_each_lagging_unit_its_reminder_and_prints_like_libreoffice() {
    let out = tempfile::tempdir().unwrap();
    let run = common::run_project(
        &hoang_liet(),
        "2025-Q4",
        "2026-01-05",
        out.path(),
        &["--emit-data"],
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("data.json")).unwrap()).unwrap();
    let reminders = files_starting(out.path(), "UBND-VP_2025-Q4_chuyen-doi-so-de-an-06_", "pdf");
    let lagging: Vec<&serde_json::Value> = data["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["reported"] == false || u["behind"] == true)
        .collect();
    // Two units sent nothing (Hội Liên hiệp Phụ nữ phường, Tổ dân phố số 3), two are
    // behind (Trường Tiểu học Hoàng Liệt, Tổ dân phố số 6).
    assert_eq!(lagging.len(), 4, "{lagging:?}");
    assert_eq!(reminders.len(), lagging.len(), "{reminders:?}");
    for unit in &lagging {
        let name = unit["name"].as_str().unwrap();
        let (pdf, text) = reminder_to(&reminders, name);
        assert!(text.contains("Ủy ban nhân dân phường"), "{text}");
        assert!(text.contains("TM. ỦY BAN NHÂN DÂN CHỦ TỊCH"), "{text}");
        if unit["reported"] == false {
            assert!(text.contains("chưa gửi báo cáo"), "{text}");
        } else {
            assert!(text.contains("thấp hơn mức 75%"), "{text}");
            // The list of lagging indicators ends its last item with a full stop.
            let list = text.split("Để bảo đảm").next().unwrap();
            assert!(list.trim_end().ends_with('.'), "{list}");
        }
        check_pair(&pdf.with_extension("docx"), pdf, &["Kính gửi"]);
    }
    let notice = out
        .path()
        .join("TB-UBND_2025-Q4_chuyen-doi-so-de-an-06.pdf");
    let text = pdf_text(&notice);
    assert!(
        text.contains("THÔNG BÁO") && text.contains("14/16"),
        "{text}"
    );
    // LibreOffice prints our DOCX line for line like our PDF (the appendix's wide table
    // of decimals, the TM. signature, the reminders).
    if let Some(figures) = parity_with_libreoffice(out.path(), 98) {
        assert!(figures.len() >= 6, "{figures:?}");
    }
}

/// `[issue] mode`: an electronic issue (the default) run without `--date` leaves the
/// number, the day and the month for the văn thư to give at issue (Điều 15.3), in the
/// header and in the appendix's "(Kèm theo …)" line, and prints the year; `--date` fills
/// them in; a paper issue prints the run's date in full.
#[test]
fn an_electronic_issue_leaves_the_number_and_the_day_for_the_issue() {
    let today = vanthu::doc::Date::today();
    let year = today.year;
    let blank_date = format!("Phú Thái, ngày tháng năm {year}");
    let blank_reference = format!("(Kèm theo Báo cáo số /BC-UBND ngày tháng năm {year} của");

    let electronic = tempfile::tempdir().unwrap();
    let out = common::run_undated(&sample(), "2025-11", electronic.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = pdf_text(&report_file(electronic.path(), "pdf"));
    let docx = docx_text(&report_file(electronic.path(), "docx"));
    for (what, text) in [("PDF", &pdf), ("DOCX", &docx)] {
        assert!(text.contains("Số: /BC-UBND"), "{what}: {text:.300}");
        assert!(text.contains(&blank_date), "{what}: {text:.300}");
        assert!(
            text.contains(&blank_reference),
            "{what} lacks {blank_reference}"
        );
    }

    let dated = tempfile::tempdir().unwrap();
    assert!(run_sample_with("2025-11", dated.path(), &["--number", "5"])
        .status
        .success());
    let pdf = pdf_text(&report_file(dated.path(), "pdf"));
    assert!(pdf.contains("Số: 05/BC-UBND"), "{pdf:.300}");
    assert!(
        pdf.contains("Phú Thái, ngày 05 tháng 11 năm 2025"),
        "{pdf:.300}"
    );
    // The appendix's line stays unfilled in an electronic document, whatever the run
    // gives (Phụ lục I, mục III.1c).
    assert!(pdf.contains("(Kèm theo Báo cáo số /BC-UBND ngày tháng năm 2025 của"));

    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let paper = copy_project(&format!("{toml}\n[issue]\nmode = \"paper\"\n"));
    let out_dir = paper.path().join("out");
    let out = common::run_undated(paper.path(), "2025-10", &out_dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let today_words = vanthu::nd30::date_words(today.year, today.month, today.day);
    let pdf = pdf_text(&report_file(&out_dir, "pdf"));
    assert!(
        pdf.contains(&format!("Phú Thái, {today_words}")),
        "{pdf:.300}"
    );
    // On paper the appendix's line is written in full.
    let numbered = paper.path().join("numbered");
    let out = common::run_project(
        paper.path(),
        "2025-10",
        "2025-11-05",
        &numbered,
        &["--number", "5"],
    );
    assert!(out.status.success());
    let pdf = pdf_text(&report_file(&numbered, "pdf"));
    assert!(pdf.contains("(Kèm theo Báo cáo số 05/BC-UBND ngày 05 tháng 11 năm 2025 của"));

    let wrong = copy_project(&format!("{toml}\n[issue]\nmode = \"giay\"\n"));
    let out = vanthu(&[
        "check",
        wrong.path().to_str().unwrap(),
        "--period",
        "2025-10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("giay"));
}

/// Every file of `dir` by name, with its bytes.
fn folder_bytes(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// A month's run keeps what it read (`.vanthu/intake/<period>.json`); the next month's
/// run takes last month's figures from there instead of reading its sheets again, and
/// makes byte for byte the documents it makes without it. The kept figures are really
/// used, and only for the same files.
#[test]
fn last_months_kept_reading_gives_the_same_documents_as_reading_its_sheets() {
    let toml = std::fs::read_to_string(common::sample().join("vanthu.toml")).unwrap();
    let fresh = common::copy_project(&toml);
    let dir = fresh.path().join("inputs/2025-11");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(common::sample().join("inputs/2025-11")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    // Without a kept reading: November reads October's sheets.
    let out_a = tempfile::tempdir().unwrap();
    let cache = fresh.path().join(".vanthu/intake/2025-10.json");
    let run = common::run_project(fresh.path(), "2025-11", "2025-12-05", out_a.path(), &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let kept_nov = fresh.path().join(".vanthu/intake/2025-11.json");
    assert!(kept_nov.exists(), "November's reading is kept for December");
    // October run: its reading is kept; November then takes it from there.
    let out_oct = tempfile::tempdir().unwrap();
    let run = common::run_project(fresh.path(), "2025-10", "2025-11-05", out_oct.path(), &[]);
    assert!(run.status.success());
    assert!(cache.exists());
    let out_b = tempfile::tempdir().unwrap();
    let run = common::run_project(fresh.path(), "2025-11", "2025-12-05", out_b.path(), &[]);
    assert!(run.status.success());
    assert_eq!(folder_bytes(out_a.path()), folder_bytes(out_b.path()));
    // The kept figures are what November compares with: changed, the report changes.
    let text = std::fs::read_to_string(&cache).unwrap();
    let first_value = text.find("\"value\":\"").unwrap() + "\"value\":\"".len();
    let end = first_value + text[first_value..].find('"').unwrap();
    let tampered = format!("{}777000777{}", &text[..first_value], &text[end..]);
    std::fs::write(&cache, tampered).unwrap();
    let out_c = tempfile::tempdir().unwrap();
    let run = common::run_project(
        fresh.path(),
        "2025-11",
        "2025-12-05",
        out_c.path(),
        &["--emit-data"],
    );
    assert!(run.status.success());
    let data = std::fs::read_to_string(out_c.path().join("data.json")).unwrap();
    assert!(data.contains("777000777"), "the kept reading was used");
    // Another file in October: the kept reading no longer matches and is not used.
    let oct = fresh.path().join("inputs/2025-10");
    let some = std::fs::read_dir(&oct)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&some, oct.join("ban-sao.xlsx")).unwrap();
    let out_d = tempfile::tempdir().unwrap();
    let run = common::run_project(
        fresh.path(),
        "2025-11",
        "2025-12-05",
        out_d.path(),
        &["--emit-data"],
    );
    assert!(run.status.success() || run.status.code() == Some(1));
    let data = std::fs::read_to_string(out_d.path().join("data.json")).unwrap();
    assert!(
        !data.contains("777000777"),
        "a kept reading of other files is not used"
    );
}
