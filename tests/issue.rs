//! `vanthu issue`: the văn thư's step of an electronic issue (Điều 15.3). The number and
//! the date go into the PDF's fields as an incremental update, the DOCX gets the same,
//! the manifest records it, and a later run never overwrites an issued file. With
//! pyHanko installed, the whole signing order is played: the leader certifies (DocMDP,
//! form filling allowed), vanthu issues, the agency signs the seal, and both signatures
//! validate.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{repo, run_undated, sample, tools, vanthu};

/// The sample's November documents made for an electronic issue (no --number, no
/// --date) into a temp folder: (folder, the report's PDF).
fn made_for_issue() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let run = run_undated(&sample(), "2025-11", out.path());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pdf = out.path().join("BC-UBND_2025-11_binh-dan-hoc-vu-so.pdf");
    assert!(pdf.exists());
    (out, pdf)
}

/// A copy of the sample project with October made for an electronic issue into its
/// own `out/`, where its register is: (project, output folder).
fn project_made_for_issue() -> (tempfile::TempDir, PathBuf) {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let project = common::copy_project(&toml);
    let out = project.path().join("out");
    assert!(run_undated(project.path(), "2025-10", &out)
        .status
        .success());
    (project, out)
}

/// The PDFs of an output folder, sorted by name.
fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

/// `vanthu issue PDF --number N --date D`.
fn issue_with(pdf: &str, number: &str, date: &str) -> std::process::Output {
    vanthu(&["issue", pdf, "--number", number, "--date", date])
}

fn today() -> vanthu::doc::Date {
    vanthu::doc::Date::today()
}

fn iso(d: vanthu::doc::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// The form fields of a PDF: (name, /V if filled, /Rect).
fn fields(pdf: &Path) -> Vec<(String, Option<String>, Vec<f32>)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let form = doc.catalog().unwrap().get(b"AcroForm").unwrap();
    let form = match form {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
        o => o.as_dict().unwrap(),
    };
    form.get(b"Fields")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let d = doc.get_dictionary(f.as_reference().unwrap()).unwrap();
            let name = String::from_utf8(d.get(b"T").unwrap().as_str().unwrap().to_vec()).unwrap();
            let value = d
                .get(b"V")
                .ok()
                .and_then(|v| v.as_str().ok())
                .map(|v| String::from_utf8_lossy(v).to_string());
            let rect = d
                .get(b"Rect")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            (name, value, rect)
        })
        .collect()
}

#[test]
fn the_pdf_carries_text_fields_for_the_number_and_the_date_its_sidecar_names() {
    let (out, pdf) = made_for_issue();
    let found = fields(&pdf);
    let names: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "ChuKy_Pham_Tien_Nhuan",
            "DauCoQuan",
            "SoVanBan",
            "NgayBanHanh",
            "ThangBanHanh"
        ]
    );
    let sidecar: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            out.path()
                .join("BC-UBND_2025-11_binh-dan-hoc-vu-so.kyso.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let stated = sidecar["fields"].as_array().unwrap();
    let roles: Vec<&str> = stated.iter().map(|f| f["role"].as_str().unwrap()).collect();
    assert_eq!(
        roles,
        ["signer", "seal", "number", "date-day", "date-month"]
    );
    for (entry, (name, _, rect)) in stated.iter().zip(&found) {
        assert_eq!(entry["name"].as_str().unwrap(), name);
        for (a, b) in entry["rect_pt"].as_array().unwrap().iter().zip(rect) {
            assert!((a.as_f64().unwrap() as f32 - b).abs() < 0.01, "{name}");
        }
    }
    // The number's field lies between "Số:" and "/BC-UBND" on page 1, the day's and
    // the month's between "ngày", "tháng" and "năm": where poppler reads those words.
    let words = poppler_words(&pdf);
    let x_of = |w: &str| {
        words
            .iter()
            .find(|(t, _, _)| t == w)
            .map(|(_, a, b)| (*a, *b))
    };
    if let (Some(so), Some(symbol), Some(ngay), Some(thang)) =
        (x_of("Số:"), x_of("/BC-UBND"), x_of("ngày"), x_of("tháng"))
    {
        let rect = |n: &str| {
            found
                .iter()
                .find(|(name, _, _)| name == n)
                .unwrap()
                .2
                .clone()
        };
        let number = rect("SoVanBan");
        assert!(
            number[0] >= so.1 - 0.5 && number[2] <= symbol.0 + 0.5,
            "{number:?}"
        );
        let day = rect("NgayBanHanh");
        assert!(day[0] >= ngay.1 && day[2] <= thang.0, "{day:?}");
    }
}

/// Page 1's words as poppler reads them: (text, x min, x max); empty without poppler.
fn poppler_words(pdf: &Path) -> Vec<(String, f32, f32)> {
    if !tools::have("field places read by poppler", &["pdftotext"]) {
        return Vec::new();
    }
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("<word ")?;
            let num = |key: &str| -> Option<f32> {
                let at = l.find(&format!("{key}=\""))? + key.len() + 2;
                l[at..].split('"').next()?.parse().ok()
            };
            let word = l.split('>').nth(1)?.split('<').next()?.to_string();
            Some((word, num("xMin")?, num("xMax")?))
        })
        .collect()
}

#[test]
fn issue_fills_the_fields_as_an_update_and_the_docx_and_manifest_follow() {
    let (out, pdf) = made_for_issue();
    let before = std::fs::read(&pdf).unwrap();
    let date = today();
    let o = issue_with(pdf.to_str().unwrap(), "5", &iso(date));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = std::fs::read(&pdf).unwrap();
    // An incremental update: every byte before stays, so a signature over them holds.
    assert!(after.len() > before.len() && after.starts_with(&before));
    // Issued once: a second issue is refused and changes nothing (regression: it gave
    // the document a second number).
    let twice = issue_with(pdf.to_str().unwrap(), "6", &iso(date));
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("đã được ban hành với số 05"));
    assert_eq!(std::fs::read(&pdf).unwrap(), after);
    let month = vanthu::nd30::date_words(date.year, date.month, date.day);
    let month = month.split(' ').nth(3).unwrap().to_string();
    let values: Vec<(String, Option<String>)> = fields(&pdf)
        .into_iter()
        .map(|(n, v, _)| (n, v))
        .filter(|(n, _)| !n.starts_with("ChuKy") && n != "DauCoQuan")
        .collect();
    assert_eq!(
        values,
        [
            ("SoVanBan".to_string(), Some("05".to_string())),
            ("NgayBanHanh".to_string(), Some(format!("{:02}", date.day))),
            ("ThangBanHanh".to_string(), Some(month)),
        ]
    );
    // The DOCX beside it: the same number and date in its header; the appendix's
    // "(Kèm theo …)" line stays unfilled, as in the PDF.
    let docx = common::docx::Docx::open(&pdf.with_extension("docx"));
    let text = docx.text_in_order();
    let words = vanthu::nd30::date_words(date.year, date.month, date.day);
    assert!(text.contains("Số: 05/BC-UBND"), "{text:.400}");
    assert!(text.contains(&format!("Phú Thái, {words}")), "{text:.400}");
    assert!(text.contains("(Kèm theo Báo cáo số \u{a0}"), "{text:.400}");
    // The manifest records the issue with the new hashes.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    for ext in ["pdf", "docx"] {
        let name = format!("BC-UBND_2025-11_binh-dan-hoc-vu-so.{ext}");
        let entry = manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["file"] == name.as_str())
            .unwrap();
        assert_eq!(entry["issued"], iso(date).as_str());
        assert_eq!(entry["number"], 5);
        let bytes = std::fs::read(out.path().join(&name)).unwrap();
        assert_eq!(entry["sha256"], vanthu::intake::sha256_hex(&bytes).as_str());
    }
    // A run with the same figures leaves the issued files as they are; one whose model
    // differs (another date) writes the new version beside them, never over them.
    let again = run_undated(&sample(), "2025-11", out.path());
    assert!(again.status.success());
    assert_eq!(std::fs::read(&pdf).unwrap(), after);
    let other = common::run_project(&sample(), "2025-11", &iso(date), out.path(), &[]);
    assert!(other.status.success());
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        after,
        "an issued file is never replaced"
    );
    assert!(out
        .path()
        .join("BC-UBND_2025-11_binh-dan-hoc-vu-so_ban-moi.pdf")
        .exists());
}

#[test]
fn issue_refuses_what_it_cannot_fill_in_one_sentence() {
    let (out, pdf) = made_for_issue();
    let before = std::fs::read(&pdf).unwrap();
    let this_year = today();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--number".into(), "5".into()], "ngày ban hành"),
        (
            vec![
                "--number".into(),
                "5".into(),
                "--date".into(),
                format!("{}-01-02", this_year.year - 1),
            ],
            "năm",
        ),
        (
            vec![
                "--number".into(),
                "0".into(),
                "--date".into(),
                iso(this_year),
            ],
            "--number 0",
        ),
    ];
    for (extra, says) in cases {
        let mut args = vec!["issue".to_string(), pdf.to_str().unwrap().to_string()];
        args.extend(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = vanthu(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(std::fs::read(&pdf).unwrap(), before, "nothing written");
    }
    // A damaged PDF, cut short: one sentence, nothing written.
    let cut = out.path().join("cut.pdf");
    std::fs::write(&cut, &before[..before.len() / 2]).unwrap();
    let o = issue_with(cut.to_str().unwrap(), "5", &iso(this_year));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim().lines().count(), 1);
    assert_eq!(std::fs::read(&cut).unwrap(), &before[..before.len() / 2]);
    // A PDF made with its number printed has no field for one.
    let numbered = out.path().join("numbered");
    let run = common::run_project(
        &sample(),
        "2025-11",
        &iso(this_year),
        &numbered,
        &["--number", "7"],
    );
    assert!(run.status.success());
    let o = vanthu(&[
        "issue",
        numbered
            .join("BC-UBND_2025-11_binh-dan-hoc-vu-so.pdf")
            .to_str()
            .unwrap(),
        "--number",
        "8",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("đã được in sẵn"));
}

#[test]
fn signed_issued_and_sealed_the_signatures_hold() {
    let check = "the signing order with pyHanko";
    if !tools::have_python(check, &["pyhanko", "cryptography"])
        || !tools::have(check, &["pdftotext"])
    {
        return;
    }
    let (_out, pdf) = made_for_issue();
    let date = today();
    let words = vanthu::nd30::date_words(date.year, date.month, date.day);
    let o = Command::new("python3")
        .arg(repo().join("tests/checks/issue_signing.py"))
        .arg(env!("CARGO_BIN_EXE_vanthu"))
        .arg(&pdf)
        .args(["--number", "5", "--date", &iso(date)])
        .args(["--expect", "Số: 05/BC-UBND"])
        .args(["--expect", &format!("Phú Thái, {words}")])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        text.contains("FORM_FILLING") && text.contains(" 0 failed"),
        "{text}"
    );
}

/// `[issue] appendices = "separate"`: the appendices are a PDF of their own, with the
/// agency's signature field at the top right of their first page, inside the top margin
/// (Phụ lục I, II.8b), named in their own sidecar; the document's PDF no longer holds
/// them; the DOCX, the editable copy, still does.
#[test]
fn appendices_issued_apart_get_their_own_pdf_and_signature_field() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let project = common::copy_project(&format!("{toml}\n[issue]\nappendices = \"separate\"\n"));
    let out = project.path().join("out");
    let run = common::run_project(project.path(), "2025-10", "2025-11-05", &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stem = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so");
    let main = lopdf::Document::load(stem.with_extension("pdf")).unwrap();
    let apart_path = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so_phu-luc.pdf");
    let apart = lopdf::Document::load(&apart_path).unwrap();
    let whole_dir = tempfile::tempdir().unwrap();
    let whole = common::run_project(&sample(), "2025-10", "2025-11-05", whole_dir.path(), &[]);
    assert!(whole.status.success());
    let whole = lopdf::Document::load(
        whole_dir
            .path()
            .join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf"),
    )
    .unwrap();
    assert_eq!(
        main.get_pages().len() + apart.get_pages().len(),
        whole.get_pages().len(),
        "the pages of the whole, split in two files"
    );
    let text = common::pdf::Pdf::open(&apart_path).text();
    assert!(text.trim_start().starts_with("Phụ lục"), "{text:.200}");
    let found = fields(&apart_path);
    assert_eq!(found.len(), 1);
    let (name, _, rect) = &found[0];
    assert_eq!(name, "KySoPhuLuc");
    // Top right of page 1: its right edge at the text's, inside the top margin.
    let (_, page_id) = apart.get_pages().into_iter().next().unwrap();
    let media = apart
        .get_dictionary(page_id)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap())
        .collect::<Vec<f32>>();
    let (width, height) = (media[2], media[3]);
    let mm = |v: f32| v * 25.4 / 72.0;
    assert!(width > height, "the sample's appendix is landscape");
    assert!(
        (mm(width - rect[2]) - 15.0).abs() < 0.5,
        "right margin: {rect:?}"
    );
    assert!(mm(height - rect[1]) < 20.0, "above the text: {rect:?}");
    assert!(
        mm(rect[2] - rect[0]) >= 50.0,
        "room for number, symbol and time"
    );
    let sidecar: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so_phu-luc.kyso.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(sidecar["fields"][0]["role"], "appendix-seal");
    assert_eq!(sidecar["fields"][0]["name"], "KySoPhuLuc");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("BC-UBND_2025-10_binh-dan-hoc-vu-so_phu-luc.pdf"));
    let docx = common::docx::Docx::open(&stem.with_extension("docx")).text_in_order();
    assert!(docx.contains("Phụ lục"), "the DOCX keeps its appendix");
}

/// The register (sổ đăng ký văn bản đi): processes issuing at once get distinct,
/// consecutive numbers from 01; a process that died after taking a number leaves it
/// reserved, and issuing that file again takes the same number (no duplicate, no silent
/// gap); a withdrawn number stays recorded and is never given again; each year starts
/// at 01.
#[test]
fn the_register_gives_each_number_once_across_processes_and_years() {
    let (project, out) = project_made_for_issue();
    let mut pdfs = pdfs_in(&out);
    assert!(pdfs.len() >= 8, "{pdfs:?}");
    let date = today();
    let year = date.year;
    // One file's number taken by a process that then died.
    let died = pdfs.pop().unwrap();
    let died_name = died.file_name().unwrap().to_str().unwrap().to_string();
    {
        let mut register = vanthu::register::Register::open(project.path()).unwrap();
        assert_eq!(register.reserve(year, &died_name).unwrap(), 1);
    }
    // The others at once, each in its own process.
    let children: Vec<_> = pdfs
        .iter()
        .map(|p| {
            Command::new(env!("CARGO_BIN_EXE_vanthu"))
                .args(["issue", p.to_str().unwrap(), "--date", &iso(date)])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    // The file whose issue died takes the number it holds.
    let o = vanthu(&[
        "issue",
        died.to_str().unwrap(),
        "--date",
        &iso(date),
        "--copies",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Số: 01"));

    let book = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["register", project.path().to_str().unwrap(), "--json"];
        all.extend(args);
        let o = vanthu(&all);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let entries = book(&[]);
    let numbers: Vec<u64> = entries
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=pdfs.len() as u64 + 1).collect::<Vec<_>>());
    assert_eq!(entries[0]["copies"], 3, "Số lượng bản as given");
    let mut files: Vec<&str> = entries
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    files.sort();
    files.dedup();
    assert_eq!(files.len(), entries.len(), "each file once");
    for e in &entries {
        assert_eq!(e["state"], "issued", "{e}");
        assert_eq!(e["issued_on"], iso(date).as_str());
        // Each PDF and its manifest entry carry the number the book gave it.
        let pdf = out.join(e["file"].as_str().unwrap());
        let n = e["number"].as_u64().unwrap();
        let value = fields(&pdf)
            .into_iter()
            .find(|(name, _, _)| name == "SoVanBan")
            .and_then(|(_, v, _)| v);
        assert_eq!(value, Some(format!("{n:02}")));
    }
    let report = entries
        .iter()
        .find(|e| e["file"].as_str().unwrap().starts_with("BC-UBND"))
        .unwrap();
    let n = report["number"].as_u64().unwrap();
    assert_eq!(
        report["number_and_symbol"],
        format!("{n:02}/BC-UBND").as_str()
    );
    assert!(report["kind_and_summary"]
        .as_str()
        .unwrap()
        .starts_with("Báo cáo"));
    assert_eq!(report["signer"], "Phạm Tiến Nhuận");
    assert!(
        report["archive"].as_str().unwrap().starts_with("VT"),
        "{report}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let issued = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["issued"].is_string())
        .count();
    assert_eq!(
        issued,
        2 * entries.len(),
        "every PDF and DOCX recorded, none lost"
    );

    // A number never given cannot be withdrawn: one sentence.
    let o = vanthu(&[
        "register",
        project.path().to_str().unwrap(),
        "--cancel",
        "99",
        "--reason",
        "nhầm",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("không có số 99"));
    // A withdrawn number stays, with why; the next is never it.
    let cancelled = book(&["--cancel", "2", "--reason", "Rút lại để sửa"]);
    assert_eq!(cancelled[1]["state"], "cancelled");
    assert_eq!(cancelled[1]["note"], "Rút lại để sửa");
    let mut register = vanthu::register::Register::open(project.path()).unwrap();
    let next = register.reserve(year, "moi.pdf").unwrap();
    assert_eq!(next as usize, entries.len() + 1);
    // Another year starts again at 01; a number given by hand to another file is refused.
    assert_eq!(register.reserve(year + 1, "sang-nam.pdf").unwrap(), 1);
    assert!(register.claim(year, 1, "khac.pdf").is_err());
}

/// `run --issue` issues every document in the order it is made, numbered from the
/// register; each gets its exchange metadata (Phụ lục VI); `register --xlsx` writes the
/// Phụ lục IV book.
#[test]
fn run_issue_numbers_every_document_and_the_book_and_metadata_follow() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml"))
        .unwrap()
        .replace("[agency]", "[agency]\norgan_id = \"000.00.22.H26\"");
    let project = common::copy_project(&toml);
    let out = project.path().join("out");
    let o = vanthu(&[
        "run",
        project.path().to_str().unwrap(),
        "--period",
        "2025-10",
        "--out",
        out.to_str().unwrap(),
        "--issue",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // The report first, numbered 01, then the others in order.
    let numbered: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(": ") && l.ends_with(".pdf"))
        .collect();
    assert!(
        numbered[0].starts_with("01: ") && numbered[0].contains("BC-UBND_"),
        "{stdout}"
    );
    for (i, line) in numbered.iter().enumerate() {
        assert!(line.starts_with(&format!("{:02}: ", i + 1)), "{stdout}");
    }
    let date = today();
    let report = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so");
    let xml = std::fs::read_to_string(report.with_extension("metadata.xml")).unwrap();
    for part in [
        "<OrganId>000.00.22.H26</OrganId>",
        "<OrganName>ỦY BAN NHÂN DÂN XÃ PHÚ THÁI</OrganName>",
        "<CodeNumber>01</CodeNumber>",
        "<CodeNotation>BC-UBND</CodeNotation>",
        &format!("<IssuedDate>{}</IssuedDate>", iso(date)),
        "<TypeName>Báo cáo</TypeName>",
        "<Language>vi</Language>",
        "<FullName>Phạm Tiến Nhuận</FullName>",
        "<Position>PHÓ CHỦ TỊCH</Position>",
    ] {
        assert!(xml.contains(part), "{part} in\n{xml}");
    }
    let pages = lopdf::Document::load(report.with_extension("pdf"))
        .unwrap()
        .get_pages()
        .len();
    assert!(xml.contains(&format!("<PageAmount>{pages}</PageAmount>")));
    assert!(xml.contains("<Subject>Kết quả triển khai phong trào"));
    assert!(xml.contains("<To>"));

    // The Phụ lục IV book.
    let book = project.path().join("so.xlsx");
    let o = vanthu(&[
        "register",
        project.path().to_str().unwrap(),
        "--year",
        &date.year.to_string(),
        "--xlsx",
        book.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = rows
        .iter()
        .position(|r| r[0] == "Số, ký hiệu văn bản")
        .unwrap();
    assert_eq!(
        rows[header],
        [
            "Số, ký hiệu văn bản",
            "Ngày tháng văn bản",
            "Tên loại và trích yếu nội dung văn bản",
            "Người ký",
            "Nơi nhận văn bản",
            "Đơn vị, người nhận bản lưu",
            "Số lượng bản",
            "Ngày chuyển",
            "Ký nhận",
            "Ghi chú"
        ]
    );
    assert_eq!(rows[header + 1][0], "01/BC-UBND");
    assert_eq!(
        rows[header + 1][1],
        format!("{:02}/{:02}/{}", date.day, date.month, date.year)
    );
    assert_eq!(rows.len() - header - 1, numbered.len());
    // A4 landscape, the header row repeated on every printed page.
    let part = |name: &str| -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet_xml = part("xl/worksheets/sheet1.xml");
    assert!(
        sheet_xml.contains("orientation=\"landscape\"") && sheet_xml.contains("paperSize=\"9\"")
    );
    let workbook_xml = part("xl/workbook.xml");
    assert!(
        workbook_xml.contains("_xlnm.Print_Titles"),
        "{workbook_xml}"
    );
}

/// Processes killed at any point of an issue: issuing the files again afterwards leaves
/// the book with consecutive numbers from 01, each given once, each recorded as issued,
/// each PDF showing the number the book gives it, and the manifest's hashes true.
#[test]
fn issues_killed_midway_leave_no_duplicate_and_no_gap() {
    let (project, out) = project_made_for_issue();
    let pdfs = pdfs_in(&out);
    let date = iso(today());
    // Each issue killed after a different delay: before it starts, while it reserves,
    // writes or records, or after it is done.
    for (i, pdf) in pdfs.iter().enumerate() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["issue", pdf.to_str().unwrap(), "--date", &date])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(1500 * i as u64));
        let _ = child.kill();
        let _ = child.wait();
    }
    // The văn thư issues every file again: finished ones are refused as issued, the
    // others complete.
    for pdf in &pdfs {
        let o = vanthu(&["issue", pdf.to_str().unwrap(), "--date", &date]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() || err.contains("đã được ban hành"),
            "{}: {err}",
            pdf.display()
        );
    }
    let o = vanthu(&["register", project.path().to_str().unwrap(), "--json"]);
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let numbers: Vec<u64> = entries
        .iter()
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!(
        numbers,
        (1..=pdfs.len() as u64).collect::<Vec<_>>(),
        "{entries:#?}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for e in &entries {
        assert_eq!(e["state"], "issued", "{e}");
        let name = e["file"].as_str().unwrap();
        let pdf = out.join(name);
        let shown = fields(&pdf)
            .into_iter()
            .find(|(n, _, _)| n == "SoVanBan")
            .and_then(|(_, v, _)| v);
        assert_eq!(shown, Some(format!("{:02}", e["number"].as_u64().unwrap())));
        let recorded = manifest["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["file"] == name)
            .unwrap();
        let bytes = std::fs::read(&pdf).unwrap();
        assert_eq!(
            recorded["sha256"],
            vanthu::intake::sha256_hex(&bytes).as_str(),
            "{name}"
        );
        assert_eq!(recorded["number"], e["number"]);
    }
}

/// `run --issue` with its output outside the project folder still numbers from the
/// project's register (regression: the register was looked for above the PDF only).
#[test]
fn run_issue_with_the_output_elsewhere_uses_the_projects_register() {
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let project = common::copy_project(&toml);
    let elsewhere = tempfile::tempdir().unwrap();
    let o = vanthu(&[
        "run",
        project.path().to_str().unwrap(),
        "--period",
        "2025-10",
        "--out",
        elsewhere.path().to_str().unwrap(),
        "--issue",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = vanthu(&["register", project.path().to_str().unwrap(), "--json"]);
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(entries.len(), pdfs_in(elsewhere.path()).len());
    assert!(entries.iter().all(|e| e["state"] == "issued"));
}

/// An issue refused in a project reserves nothing: the register stays empty
/// (regression: the number was reserved, in the wrong year's book, before the date was
/// found to be in another year than the printed one).
#[test]
fn a_refused_issue_takes_no_number_from_the_register() {
    let (project, out) = project_made_for_issue();
    let pdf = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf");
    let last_year = format!("{}-06-15", today().year - 1);
    let o = vanthu(&["issue", pdf.to_str().unwrap(), "--date", &last_year]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("năm"));
    let o = vanthu(&["issue", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "the date is missing");
    for year in [today().year - 1, today().year] {
        let o = vanthu(&[
            "register",
            project.path().to_str().unwrap(),
            "--year",
            &year.to_string(),
            "--json",
        ]);
        let entries: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert!(entries.is_empty(), "{year}: {entries:?}");
    }
}
