//! Compose on the sample project: snapshots of the document model of every bundled
//! template, the Vietnamese helpers, project partials, and errors that name the
//! template file and line.

use std::path::{Path, PathBuf};

use vanthu::aggregate::aggregate;
use vanthu::diagnostic::Lang;
use vanthu::doc::Date;
use vanthu::intake::read_period;
use vanthu::project::Project;
use vanthu::{compose_documents, ComposedDocument, Error};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/phu-thai")
}

fn composed(project: &Project, period: &str) -> Result<Vec<ComposedDocument>, Error> {
    let period = period.parse().unwrap();
    let now = read_period(project, period).unwrap();
    let before = read_period(project, period.previous())
        .map(|i| i.reports)
        .unwrap_or_default();
    let ds = aggregate(project, period, &now.reports, &before).unwrap();
    compose_documents(project, &ds, Date::parse("2025-11-05").unwrap())
}

#[test]
fn every_bundled_template_composes_the_expected_model() {
    let p = Project::load(&sample()).unwrap();
    let oct = composed(&p, "2025-10").unwrap();
    let nov = composed(&p, "2025-11").unwrap();
    let pick = |docs: &[ComposedDocument], stem: &str| {
        docs.iter()
            .find(|d| d.stem == stem)
            .unwrap_or_else(|| {
                panic!(
                    "{stem} among {:?}",
                    docs.iter().map(|d| &d.stem).collect::<Vec<_>>()
                )
            })
            .document
            .clone()
    };
    // The period report, the notice, the seed letter, a reminder to a unit that did not
    // report and one to a unit behind its targets.
    let cases = [
        (
            "bao-cao-ky",
            pick(&nov, "BC-UBND_2025-11_binh-dan-hoc-vu-so"),
        ),
        (
            "thong-bao-ket-qua",
            pick(&nov, "TB-UBND_2025-11_binh-dan-hoc-vu-so"),
        ),
        (
            "cong-van-trien-khai",
            pick(&oct, "UBND-VHXH_2025-10_binh-dan-hoc-vu-so"),
        ),
        (
            "don-doc-missing",
            pick(&nov, "UBND-VHXH_2025-11_binh-dan-hoc-vu-so_thon-cao-dai"),
        ),
        (
            "don-doc-behind",
            pick(&nov, "UBND-VHXH_2025-11_binh-dan-hoc-vu-so_thon-phu-thai"),
        ),
    ];
    for (name, doc) in cases {
        insta::assert_debug_snapshot!(name, doc);
    }
}

/// A copy of the sample project whose only document is `templates/thu.md.hbs`.
fn project_with(template: &str, partials: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let toml = std::fs::read_to_string(sample().join("vanthu.toml")).unwrap();
    let toml = toml[..toml.find("[[documents]]").unwrap()].to_string()
        + "[[documents]]\ntemplate = \"thu\"\n";
    std::fs::write(dir.path().join("vanthu.toml"), toml).unwrap();
    let inputs = dir.path().join("inputs/2025-11");
    std::fs::create_dir_all(&inputs).unwrap();
    for e in std::fs::read_dir(sample().join("inputs/2025-11")).unwrap() {
        let f = e.unwrap().path();
        std::fs::copy(&f, inputs.join(f.file_name().unwrap())).unwrap();
    }
    let templates = dir.path().join("templates/partials");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(dir.path().join("templates/thu.md.hbs"), template).unwrap();
    for (name, text) in partials {
        std::fs::write(templates.join(format!("{name}.hbs")), text).unwrap();
    }
    let p = Project::load(dir.path()).unwrap();
    (dir, p)
}

const FRONT: &str = "+++\nkind = \"notice\"\nsummary = \"Thử\"\n+++\n";

#[test]
fn date_line_period_helpers_and_project_partials() {
    let body = "{{ngay_thang \"2025-02-05\" noi=agency.place}}; {{ngay_thang \"2025-11-15\"}}.\n\n\
                {{ky \"2025-Q4\"}}, {{ky \"2025-H1\"}}, {{ky period.id}}.\n\n{{> loi-chao}}\n";
    let (_dir, p) = project_with(
        &format!("{FRONT}{body}"),
        &[("loi-chao", "Xin chào {{agency.place}}.")],
    );
    let docs = composed(&p, "2025-11").unwrap();
    let text = format!("{:?}", docs[0].document.body);
    // The Decree's leading zeros: day 05 and month 02 (January and February only).
    assert!(
        text.contains("Phú Thái, ngày 05 tháng 02 năm 2025; ngày 15 tháng 11 năm 2025."),
        "{text}"
    );
    assert!(
        text.contains("quý IV năm 2025, 6 tháng đầu năm 2025, tháng 11 năm 2025."),
        "{text}"
    );
    assert!(text.contains("Xin chào Phú Thái."), "{text}");
}

#[test]
fn template_errors_name_the_file_and_line() {
    // A syntax error: file, line and column.
    let (_dir, p) = project_with(&format!("{FRONT}Một dòng.\n\n{{{{#if data}}\n"), &[]);
    let e = composed(&p, "2025-11").map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("thu.md.hbs") && e.contains("line"), "{e}");
    // A value that does not exist: its path and the template line (strict mode).
    let (_dir, p) = project_with(
        &format!("{FRONT}Dòng 5.\n\nDòng 7: {{{{data.khong_co}}}}\n"),
        &[],
    );
    let e = composed(&p, "2025-11").map(|_| ()).unwrap_err().to_string();
    assert!(
        e.contains("thu.md.hbs") && e.contains("line 7") && e.contains("khong_co"),
        "{e}"
    );
    // A broken partial names the partial's file.
    let (_dir, p) = project_with(
        &format!("{FRONT}{{{{> hong}}}}\n"),
        &[("hong", "{{#each}}")],
    );
    let e = Project::load(p.root())
        .map_err(|e| e.message(Lang::En))
        .and_then(|p| {
            composed(&p, "2025-11")
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .unwrap_err();
    assert!(e.contains("hong.hbs"), "{e}");
    // An unknown frame key is refused with its line.
    let bad_front = "+++\nkind = \"notice\"\nsummary = \"Thử\"\ntrich_yeu = \"x\"\n+++\nThân.\n";
    let (_dir, p) = project_with(bad_front, &[]);
    let e = composed(&p, "2025-11").map(|_| ()).unwrap_err().to_string();
    assert!(e.contains("trich_yeu") && e.contains("line 4"), "{e}");
}

#[test]
fn template_and_source_errors_are_shown_in_the_clerks_language() {
    // A document source problem (after Handlebars) is data: Vietnamese by default,
    // English on request, the line in both.
    let (_dir, p) = project_with(&format!("{FRONT}Thân.\n\n+++ phu luc\n"), &[]);
    let e = composed(&p, "2025-11").map(|_| ()).unwrap_err();
    let (vi, en) = (e.message(Lang::Vi), e.message(Lang::En));
    assert!(
        vi.contains("dòng 7") && vi.contains("phụ lục bắt đầu bằng `+++ appendix`"),
        "{vi}"
    );
    assert!(
        en.contains("line 7") && en.contains("an appendix starts with `+++ appendix`"),
        "{en}"
    );
    // A template syntax error: the engine's reason, at a line and column said in the
    // clerk's language.
    let (_dir, p) = project_with(&format!("{FRONT}Một dòng.\n\n{{{{#if data}}\n"), &[]);
    let e = composed(&p, "2025-11").map(|_| ()).unwrap_err();
    let vi = e.message(Lang::Vi);
    assert!(
        vi.contains("lỗi trong mẫu (dòng ") && vi.contains(", cột "),
        "{vi}"
    );
}

#[test]
fn projects_in_one_process_keep_their_own_templates() {
    // Compiled templates are shared by the process (a batch): two projects whose
    // template and partial have the same names but not the same text, composed one
    // after the other and then again, each render their own.
    let (_a, pa) = project_with(
        &format!("{FRONT}Mẫu A. {{{{> chung}}}}\n"),
        &[("chung", "Phần chung A.")],
    );
    let (_b, pb) = project_with(
        &format!("{FRONT}Mẫu B. {{{{> chung}}}}\n"),
        &[("chung", "Phần chung B.")],
    );
    for _ in 0..2 {
        for (p, own, other) in [(&pa, "A", "B"), (&pb, "B", "A")] {
            let text = format!("{:?}", composed(p, "2025-11").unwrap()[0].document.body);
            assert!(
                text.contains(&format!("Mẫu {own}. Phần chung {own}.")),
                "{text}"
            );
            assert!(!text.contains(&format!("Mẫu {other}")), "{text}");
        }
    }
}
