//! Intake on sheets units really send: each kind of bad input yields its diagnostic
//! code at the right cell, one bad file never stops the others, and no bytes panic.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use vanthu::diagnostic::{Diagnostic, Lang};
use vanthu::form::{unit_sheet, Entry, Figures};
use vanthu::intake::{read_files, InputFile, Intake};
use vanthu::period::Period;
use vanthu::project::Project;

fn project() -> Project {
    Project::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/phu-thai"
    )))
    .unwrap()
}

fn oct() -> Period {
    "2025-10".parse().unwrap()
}

/// A canonical sheet for `unit` with every indicator = 5, then `change` applied.
fn sheet(p: &Project, unit: &str, period: Period, change: impl FnOnce(&mut Figures)) -> Vec<u8> {
    let mut f = Figures::new();
    for ind in &p.indicators {
        f.insert(
            ind.code.clone(),
            (
                Some(Entry::Number(Decimal::from(5))),
                Some(Decimal::from(10)),
            ),
        );
    }
    change(&mut f);
    unit_sheet(p, p.unit(unit).unwrap(), period, &f).unwrap()
}

fn read(p: &Project, files: Vec<(&str, Vec<u8>)>) -> Intake {
    let files: Vec<InputFile> = files
        .into_iter()
        .map(|(n, b)| InputFile {
            name: n.into(),
            bytes: b,
        })
        .collect();
    read_files(p, oct(), &files, Lang::Vi)
}

fn only(diags: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one {code} in {diags:#?}");
    found[0].clone()
}

#[test]
fn a_good_sheet_reads_every_value() {
    let p = project();
    let r = read(&p, vec![("ca.xlsx", sheet(&p, "CA", oct(), |_| {}))]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    assert_eq!(r.reports.len(), 1);
    assert_eq!(r.reports[0].unit_code, "CA");
    assert_eq!(r.reports[0].values.len(), p.indicators.len());
    assert_eq!(r.reports[0].values["zalo"].value, Some(Decimal::from(5)));
    assert_eq!(r.reports[0].values["zalo"].target, Some(Decimal::from(10)));
}

#[test]
fn vietnamese_number_text_and_dash_are_read() {
    let p = project();
    let bytes = sheet(&p, "CA", oct(), |f| {
        f.get_mut("luot_dan").unwrap().0 = Some(Entry::Text("1.234".into()));
        f.get_mut("zalo").unwrap().0 = Some(Entry::Text(" 12 ".into()));
        f.get_mut("sang_kien").unwrap().0 = Some(Entry::Text("-".into()));
    });
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let v = &r.reports[0].values;
    assert_eq!(v["luot_dan"].value, Some(Decimal::from(1234)));
    assert_eq!(v["zalo"].value, Some(Decimal::from(12)));
    assert_eq!(v["sang_kien"].value, None);
}

#[test]
fn each_bad_value_is_located() {
    let p = project();
    let cases: [(&str, &str, Entry); 3] = [
        ("luot_dan", "E-NUMBER-TEXT", Entry::Text("12 người".into())),
        ("lop_hoc", "E-NEGATIVE", Entry::Number(Decimal::from(-3))),
        ("bang_ron", "E-FRACTION", Entry::Number(Decimal::new(25, 1))),
    ];
    for (code, diag, entry) in cases {
        let bytes = sheet(&p, "CA", oct(), |f| {
            f.get_mut(code).unwrap().0 = Some(entry)
        });
        let r = read(&p, vec![("ca.xlsx", bytes)]);
        let d = only(&r.diagnostics, diag);
        assert_eq!(d.file, "ca.xlsx");
        assert_eq!(d.sheet.as_deref(), Some("Báo cáo"));
        let row: u32 = d.cell.as_deref().unwrap()[1..].parse().unwrap();
        assert!(d.cell.as_deref().unwrap().starts_with('E'), "{d:?}");
        assert!(row > vanthu::form::HEADER_ROW + 1, "{d:?}");
        assert!(!d.hint.is_empty());
        // The value is not counted, the rest of the sheet is.
        assert!(!r.reports[0].values.contains_key(code));
        assert_eq!(r.reports[0].values.len(), p.indicators.len() - 1);
    }
}

#[test]
fn an_excel_error_text_from_ods_is_an_error() {
    let p = project();
    let bytes = sheet(&p, "CA", oct(), |f| {
        f.get_mut("zalo").unwrap().0 = Some(Entry::Text("#DIV/0!".into()))
    });
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    only(&r.diagnostics, "E-CELL-ERROR");
}

#[test]
fn files_that_are_not_spreadsheets() {
    let p = project();
    let good = sheet(&p, "CA", oct(), |_| {});
    let mut truncated = sheet(&p, "HPN", oct(), |_| {});
    truncated.truncate(truncated.len() / 2);
    let r = read(
        &p,
        vec![
            ("bao-cao.pdf", b"%PDF-1.7\n...".to_vec()),
            ("doi-ten.xlsx", b"day khong phai bang tinh".to_vec()),
            ("hong.xlsx", truncated),
            ("rong.xlsx", Vec::new()),
            ("ca.xlsx", good),
        ],
    );
    let codes: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.code))
        .collect();
    assert!(
        codes.contains(&("bao-cao.pdf", "E-NOT-SPREADSHEET")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("doi-ten.xlsx", "E-NOT-SPREADSHEET")),
        "{codes:?}"
    );
    assert!(codes.contains(&("hong.xlsx", "E-DAMAGED")), "{codes:?}");
    assert!(
        codes.contains(&("rong.xlsx", "E-NOT-SPREADSHEET")),
        "{codes:?}"
    );
    // The good file is still read.
    assert_eq!(r.reports.len(), 1);
}

#[test]
fn the_same_unit_twice_is_counted_once_and_both_files_named() {
    let p = project();
    let r = read(
        &p,
        vec![
            ("a.xlsx", sheet(&p, "CA", oct(), |_| {})),
            ("b.xlsx", sheet(&p, "CA", oct(), |_| {})),
        ],
    );
    assert_eq!(r.reports.len(), 1);
    let d = only(&r.diagnostics, "E-DUPLICATE-UNIT");
    assert_eq!(d.file, "b.xlsx");
    assert!(d.message.contains("a.xlsx"));
}

#[test]
fn last_periods_sheet_is_not_counted() {
    let p = project();
    let r = read(
        &p,
        vec![(
            "ca.xlsx",
            sheet(&p, "CA", "2025-09".parse().unwrap(), |_| {}),
        )],
    );
    assert!(r.reports.is_empty());
    only(&r.diagnostics, "E-PERIOD-MISMATCH");
}

#[test]
fn a_missing_indicator_is_named() {
    let p = project();
    let mut q = p.clone();
    // A sheet written for a project without "zalo" lacks that row.
    q.indicators.retain(|i| i.code != "zalo");
    let bytes = unit_sheet(&q, q.unit("CA").unwrap(), oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-MISSING-INDICATOR");
    assert!(d.message.contains("Zalo"));
}

#[test]
fn an_unknown_unit_suggests_the_closest_names() {
    let p = project();
    let mut q = p.clone();
    q.units[4].name = "Công an phường".into();
    let bytes = unit_sheet(&q, &q.units[4], oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("x.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-UNKNOWN-UNIT");
    assert!(d.hint.contains("Công an xã"), "{d:?}");
    assert_eq!(d.cell.as_deref(), Some("A6"));
}

#[test]
fn a_retyped_label_is_matched_with_a_warning() {
    let p = project();
    let mut q = p.clone();
    let i = q
        .indicators
        .iter_mut()
        .find(|i| i.code == "lop_hoc")
        .unwrap();
    i.label = "Số lớp học, buổi hướng dẫn đã được tổ chức".into();
    let bytes = unit_sheet(&q, q.unit("CA").unwrap(), oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let d = only(&r.diagnostics, "W-FUZZY-LABEL");
    assert!(d.cell.as_deref().unwrap().starts_with('B'));
    assert!(r.reports[0].values.contains_key("lop_hoc"));
    assert!(!r.has_errors());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_and_mutated_bytes_never_panic(
        noise in proptest::collection::vec(any::<u8>(), 0..2048),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..16),
    ) {
        let p = project();
        let mut mutated = sheet(&p, "CA", oct(), |_| {});
        let n = mutated.len();
        for (at, b) in flips {
            mutated[at % n] = b;
        }
        let r = read(&p, vec![("noise.xlsx", noise), ("mutated.xlsx", mutated)]);
        for d in &r.diagnostics {
            prop_assert!(!d.message.is_empty());
        }
    }
}
