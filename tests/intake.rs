//! Intake on sheets units really send: each kind of bad input yields its diagnostic
//! code at the right cell, one bad file never stops the others, and no bytes panic.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use vanthu::form::{unit_sheet, Entry, Figures};
use vanthu::intake::Diagnostic;
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

/// The array of tables `key` (`[[indicators]]`, `[[units]]`…) of a project file.
fn items<'a>(file: &'a mut toml::Table, key: &str) -> &'a mut Vec<toml::Value> {
    file.get_mut(key)
        .and_then(toml::Value::as_array_mut)
        .unwrap()
}

/// The table of `key` whose `code` is `code`.
fn item<'a>(file: &'a mut toml::Table, key: &str, code: &str) -> &'a mut toml::Table {
    items(file, key)
        .iter_mut()
        .filter_map(toml::Value::as_table_mut)
        .find(|t| t.get("code").and_then(toml::Value::as_str) == Some(code))
        .unwrap()
}

/// `p` with its project file changed by `edit` (a project is never changed in place).
fn edited(p: &Project, edit: impl FnOnce(&mut toml::Table)) -> Project {
    p.edited(edit).unwrap()
}

fn oct() -> Period {
    "2025-10".parse().unwrap()
}

/// A canonical sheet for `unit` with every indicator = 5, then `change` applied.
fn sheet(p: &Project, unit: &str, period: Period, change: impl FnOnce(&mut Figures)) -> Vec<u8> {
    let mut f = Figures::new();
    for ind in p.reported_indicators() {
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
            modified: None,
        })
        .collect();
    read_files(p, oct(), &files)
}

fn only(diags: &[Diagnostic], code: &str) -> Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code() == code).collect();
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
    assert_eq!(r.reports[0].values.len(), p.reported_indicators().count());
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
fn a_diagnostic_carries_both_languages_and_is_shown_in_the_one_asked() {
    use vanthu::diagnostic::Lang;
    let p = project();
    let bytes = sheet(&p, "CA", oct(), |f| {
        f.get_mut("luot_dan").unwrap().0 = Some(Entry::Text("12 người".into()))
    });
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-NUMBER-TEXT");
    // One reading, both texts: the language is the edge's choice, not intake's.
    assert!(d.message().vi.contains("12 người"), "{}", d.message().vi);
    assert!(d.message().en.contains("12 người"), "{}", d.message().en);
    assert_ne!(d.message().vi, d.message().en);
    assert_ne!(d.hint().vi, d.hint().en);
    let (vi, en) = (d.render(Lang::Vi), d.render(Lang::En));
    assert!(
        vi.starts_with("lỗi [E-NUMBER-TEXT]") && vi.contains(&d.message().vi),
        "{vi}"
    );
    assert!(
        en.starts_with("error [E-NUMBER-TEXT]") && en.contains(&d.message().en),
        "{en}"
    );
    let shown = serde_json::to_value(d.shown(Lang::En)).unwrap();
    assert_eq!(shown["message"], d.message().en.as_str());
    assert_eq!(shown["hint"], d.hint().en.as_str());
    assert_eq!(shown["cell"], d.cell.as_deref().unwrap());
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
        assert!(!d.hint().vi.is_empty());
        // The value is not counted, the rest of the sheet is; its plan still is.
        assert_eq!(r.reports[0].values[code].value, None);
        assert_eq!(r.reports[0].values[code].target, Some(Decimal::from(10)));
        let counted = r.reports[0].values.values().filter(|v| v.value.is_some());
        assert_eq!(counted.count(), p.reported_indicators().count() - 1);
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
        .map(|d| (d.file.as_str(), d.code()))
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
    assert!(d.message().vi.contains("a.xlsx"));
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
    // A sheet written for a project without "zalo" lacks that row.
    let q = edited(&p, |f| {
        items(f, "indicators").retain(|i| i.get("code").and_then(|c| c.as_str()) != Some("zalo"))
    });
    let bytes = unit_sheet(&q, q.unit("CA").unwrap(), oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-MISSING-INDICATOR");
    assert!(d.message().vi.contains("Zalo"));
}

#[test]
fn an_unknown_unit_suggests_the_closest_names() {
    let p = project();
    let code = p.units()[4].code.clone();
    let q = edited(&p, |f| {
        item(f, "units", &code).insert("name".into(), "Công an phường".into());
    });
    let bytes = unit_sheet(&q, &q.units()[4], oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("x.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-UNKNOWN-UNIT");
    assert!(d.hint().vi.contains("Công an xã"), "{d:?}");
    assert_eq!(d.cell.as_deref(), Some("A6"));
}

#[test]
fn a_retyped_label_is_matched_with_a_warning() {
    let p = project();
    let q = edited(&p, |f| {
        item(f, "indicators", "lop_hoc").insert(
            "label".into(),
            "Số lớp học, buổi hướng dẫn đã được tổ chức".into(),
        );
    });
    let bytes = unit_sheet(&q, q.unit("CA").unwrap(), oct(), &Figures::new()).unwrap();
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let d = only(&r.diagnostics, "W-FUZZY-LABEL");
    assert!(d.cell.as_deref().unwrap().starts_with('B'));
    assert!(r.reports[0].values.contains_key("lop_hoc"));
    assert!(!r.has_errors());
    // The same label in a second sheet (the search remembered): the same warning there.
    let twice = vec![
        (
            "ca.xlsx",
            unit_sheet(&q, q.unit("CA").unwrap(), oct(), &Figures::new()).unwrap(),
        ),
        (
            "qs.xlsx",
            unit_sheet(&q, q.unit("QS").unwrap(), oct(), &Figures::new()).unwrap(),
        ),
    ];
    let r = read(&p, twice);
    let warned: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code() == "W-FUZZY-LABEL")
        .map(|d| (d.file.as_str(), d.message().clone()))
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert_eq!(warned[0].1, warned[1].1);
    assert!(r.reports.iter().all(|u| u.values.contains_key("lop_hoc")));
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
            prop_assert!(!d.message().vi.is_empty());
        }
    }
}

// ---- Files made by LibreOffice itself (tests/fixtures/make_fixtures.py) ----

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    (name.to_string(), std::fs::read(&path).unwrap())
}

fn read_fixture(p: &Project, name: &str) -> Intake {
    let (n, b) = fixture(name);
    read(p, vec![(n.as_str(), b)])
}

#[test]
fn libreoffice_ods_and_xls_are_read_like_xlsx() {
    let p = project();
    for name in ["lo-canonical.ods", "lo-canonical.xls"] {
        let r = read_fixture(&p, name);
        assert!(r.diagnostics.is_empty(), "{name}: {:#?}", r.diagnostics);
        assert_eq!(r.reports.len(), 1, "{name}");
        let rep = &r.reports[0];
        assert_eq!(rep.unit_code, "CA", "{name}");
        assert_eq!(rep.period, Some(oct()), "{name}");
        // Values 1..11 in the order of the form; bang_ron is the formula =2+3, whose
        // saved result is read. Targets (10) come from the two-row merged header.
        for (n, ind) in p.reported_indicators().enumerate() {
            let want = if ind.code == "bang_ron" {
                5
            } else {
                n as i64 + 1
            };
            let v = &rep.values[&ind.code];
            assert_eq!(v.value, Some(Decimal::from(want)), "{name} {}", ind.code);
            assert_eq!(v.target, Some(Decimal::from(10)), "{name} {}", ind.code);
        }
    }
}

#[test]
fn libreoffice_bad_values_are_located_in_ods_and_xls() {
    let p = project();
    for name in ["lo-bad-values.ods", "lo-bad-values.xls"] {
        let r = read_fixture(&p, name);
        let found: Vec<(&str, &str)> = r
            .diagnostics
            .iter()
            .map(|d| (d.code(), d.cell.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                ("E-CELL-ERROR", "E11"),
                ("E-NUMBER-TEXT", "E12"),
                ("E-FRACTION", "E13"),
                ("E-NEGATIVE", "E15"),
            ],
            "{name}"
        );
        assert!(r
            .diagnostics
            .iter()
            .all(|d| d.sheet.as_deref() == Some("Báo cáo")));
        // The four bad cells are not counted; the other seven are.
        let counted = r.reports[0].values.values().filter(|v| v.value.is_some());
        assert_eq!(
            counted.count(),
            p.reported_indicators().count() - 4,
            "{name}"
        );
    }
}

#[test]
fn password_protected_workbooks_ask_for_a_copy_without_one() {
    let p = project();
    for name in ["lo-password.ods", "lo-password.xls", "excel-password.xlsx"] {
        let r = read_fixture(&p, name);
        let d = only(&r.diagnostics, "E-PASSWORD");
        assert_eq!(d.file, name);
        assert!(d.hint().vi.contains("mật khẩu"), "{d:?}");
        assert!(r.reports.is_empty());
    }
}

#[test]
fn tcvn3_text_is_converted_with_one_located_warning() {
    let p = project();
    let r = read_fixture(&p, "lo-tcvn3.xls");
    assert!(!r.has_errors(), "{:#?}", r.diagnostics);
    let d = only(&r.diagnostics, "W-LEGACY-ENCODING");
    assert_eq!(
        (d.sheet.as_deref(), d.cell.as_deref()),
        (Some("BC"), Some("A5"))
    );
    assert!(d.message().vi.contains("TCVN3"), "{d:?}");
    let rep = &r.reports[0];
    assert_eq!(rep.unit_code, "MN-PT");
    assert_eq!(rep.period, Some(oct()));
    assert_eq!(rep.values.len(), p.reported_indicators().count());
    // The re-typed TCVN3 labels matched their indicators exactly (no fuzzy warning).
    assert_eq!(rep.values["zalo"].value, Some(Decimal::from(2)));
    assert_eq!(rep.values["luot_dan"].value, Some(Decimal::from(6)));
}

#[test]
fn a_consolidated_sheet_gives_one_report_per_unit_row() {
    let p = project();
    let r = read_fixture(&p, "lo-consolidated.ods");
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let units: Vec<&str> = r.reports.iter().map(|x| x.unit_code.as_str()).collect();
    // The group heading and the total row are not units.
    assert_eq!(units, ["CA", "HND", "T-PHUXA"]);
    for (k, rep) in r.reports.iter().enumerate() {
        assert_eq!(rep.period, Some(oct()));
        for (i, ind) in p.reported_indicators().enumerate() {
            let want = (k as i64 + 1) * 10 + i as i64;
            assert_eq!(rep.values[&ind.code].value, Some(Decimal::from(want)));
        }
    }
}

// ---- Sheets written here, for the layouts units make of the form ----

/// A text or a number at a cell.
enum V<'a> {
    T(&'a str),
    N(f64),
}

/// Cells of a sheet: (row, column, value), 0-based.
type Cells<'a> = Vec<(u32, u16, V<'a>)>;

/// A workbook of one sheet per `(name, cells)`; an empty cell list is an empty sheet.
fn workbook(sheets: &[(&str, Cells<'_>)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, cells) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, c, v) in cells {
            match v {
                V::T(t) => ws.write_string(*r, *c, *t).unwrap(),
                V::N(n) => ws.write_number(*r, *c, *n).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The data of the form placed at `(row, col)` with the given column order; labels as
/// `label` turns them. Values are 1, 2, 3… in indicator order.
fn moved_table<'a>(
    p: &'a Project,
    at: (u32, u16),
    order: &[&'a str],
    label: impl Fn(&str) -> String,
    labels: &'a mut Vec<String>,
) -> Cells<'a> {
    labels.extend(p.reported_indicators().map(|i| label(&i.label)));
    let mut cells = Vec::new();
    for (c, h) in order.iter().enumerate() {
        cells.push((at.0, at.1 + c as u16, V::T(h)));
    }
    for (n, ind) in p.reported_indicators().enumerate() {
        let row = at.0 + 1 + n as u32;
        for (c, h) in order.iter().enumerate() {
            let col = at.1 + c as u16;
            match *h {
                "Chỉ tiêu" => cells.push((row, col, V::T(labels[n].as_str()))),
                "Đơn vị tính" => cells.push((row, col, V::T(ind.unit.as_str()))),
                "Thực hiện" => cells.push((row, col, V::N(n as f64 + 1.0))),
                _ => {}
            }
        }
    }
    cells
}

#[test]
fn a_moved_reordered_table_with_retyped_labels_is_read() {
    use unicode_normalization::UnicodeNormalization;
    let p = project();
    let mut labels = Vec::new();
    // No Kế hoạch column, an extra column, the table at F13, labels numbered, upper
    // case, spaced out and decomposed (NFD), as a Mac or a copy from the web gives them.
    let mut cells = moved_table(
        &p,
        (12, 5),
        &[
            "Ghi chú",
            "Thực hiện",
            "Đơn vị tính",
            "Chỉ tiêu",
            "STT",
            "Xếp loại",
        ],
        |l| format!("{}.  {} ", 1, l.to_uppercase().nfd().collect::<String>()),
        &mut labels,
    );
    cells.push((2, 0, V::T("Đơn vị báo cáo: Hội Nông dân xã")));
    cells.push((3, 0, V::T("Kỳ báo cáo: tháng 10 năm 2025")));
    let bytes = workbook(&[
        ("Ghi chú", vec![(0, 0, V::T("Xem trang sau"))]),
        ("BC", cells),
    ]);
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let rep = &r.reports[0];
    assert_eq!((rep.unit_code.as_str(), rep.sheet.as_str()), ("HND", "BC"));
    for (n, ind) in p.reported_indicators().enumerate() {
        assert_eq!(
            rep.values[&ind.code].value,
            Some(Decimal::from(n as i64 + 1))
        );
        assert_eq!(rep.values[&ind.code].target, None);
    }
}

#[test]
fn the_unit_comes_from_the_file_name_or_is_asked_for() {
    let p = project();
    let table = || {
        let mut labels = Vec::new();
        let cells = moved_table(
            &p,
            (4, 0),
            &["Chỉ tiêu", "Thực hiện"],
            str::to_string,
            &mut labels,
        );
        workbook(&[("Sheet1", cells)])
    };
    let r = read(
        &p,
        vec![
            ("tram-y-te-xa_2025-10.xlsx", table()),
            ("bao-cao.xlsx", table()),
        ],
    );
    assert_eq!(r.reports.len(), 1);
    assert_eq!(r.reports[0].unit_code, "TYT");
    let d = only(&r.diagnostics, "E-NO-UNIT");
    assert_eq!(d.file, "bao-cao.xlsx");
}

#[test]
fn an_empty_workbook_and_a_sheet_without_the_table() {
    let p = project();
    let r = read(
        &p,
        vec![
            ("rong.xlsx", workbook(&[("Sheet1", vec![])])),
            (
                "thu.xlsx",
                workbook(&[(
                    "Sheet1",
                    vec![(0, 0, V::T("Kính gửi: UBND xã")), (1, 0, V::N(3.0))],
                )]),
            ),
        ],
    );
    assert_eq!(only(&r.diagnostics, "E-EMPTY-WORKBOOK").file, "rong.xlsx");
    assert_eq!(only(&r.diagnostics, "E-NO-TABLE").file, "thu.xlsx");
    assert!(r.reports.is_empty());
    // The hint names the project's own office, not the sample's.
    let other = edited(&project(), |f| {
        f["agency"]
            .as_table_mut()
            .unwrap()
            .insert("office".into(), "Phòng Giáo dục và Đào tạo".into());
    });
    let r = read(&other, vec![("rong.xlsx", workbook(&[("Sheet1", vec![])]))]);
    let d = only(&r.diagnostics, "E-EMPTY-WORKBOOK");
    assert!(
        d.hint().vi.contains("Phòng Giáo dục và Đào tạo"),
        "{}",
        d.hint().vi
    );
}

#[test]
fn the_limits_of_the_project_file_are_enforced() {
    let p = project();
    let good = sheet(&p, "CA", oct(), |_| {});
    // A project file's [limits], set to `value` for `key`.
    let limited = |key: &str, value: u64| {
        edited(&p, |f| {
            let limits = f
                .entry("limits")
                .or_insert_with(|| toml::Table::new().into());
            let value = i64::try_from(value).unwrap();
            limits
                .as_table_mut()
                .unwrap()
                .insert(key.into(), value.into());
        })
    };
    let q = limited("max_file_bytes", 1000);
    let r = read(&q, vec![("ca.xlsx", good.clone())]);
    assert!(only(&r.diagnostics, "E-TOO-LARGE")
        .message()
        .vi
        .contains("MB"));
    let q = limited("max_unpacked_bytes", 4096);
    let r = read(&q, vec![("ca.xlsx", good.clone())]);
    assert!(only(&r.diagnostics, "E-TOO-LARGE")
        .message()
        .vi
        .contains("giải nén"));
    // Between what the sheet really unpacks to and the most its compressed parts could
    // (1032 times their size): measured by unpacking it, and read.
    let unpacked = unpacked_size(&good);
    let compressed = compressed_size(&good);
    assert!(unpacked < compressed * 1032);
    let q = limited("max_unpacked_bytes", unpacked);
    let r = read(&q, vec![("ca.xlsx", good.clone())]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.reports.len(), 1);
    let q = limited("max_unpacked_bytes", unpacked - 1);
    let r = read(&q, vec![("ca.xlsx", good.clone())]);
    assert_eq!(only(&r.diagnostics, "E-TOO-LARGE").file, "ca.xlsx");
    // A small zip of 8 MB of zeros, over a 1 MB limit.
    let bomb = zip_of(&[("xl/workbook.xml", vec![0u8; 8 << 20])]);
    assert!(bomb.len() < 64 << 10);
    let q = limited("max_unpacked_bytes", 1 << 20);
    let r = read(&q, vec![("bomb.xlsx", bomb)]);
    assert_eq!(only(&r.diagnostics, "E-TOO-LARGE").file, "bomb.xlsx");
    // A sheet whose used range is a million rows, as a stray cell far below makes it.
    let far = workbook(&[("Sheet1", vec![(0, 0, V::T("x")), (999_999, 9, V::N(1.0))])]);
    let r = read(&p, vec![("far.xlsx", far), ("ca.xlsx", good)]);
    let d = only(&r.diagnostics, "E-TOO-MANY-CELLS");
    assert_eq!(d.file, "far.xlsx");
    assert_eq!(r.reports.len(), 1, "the other file is still read");
}

/// Rewrites the first worksheet's XML of an .xlsx.
fn edit_sheet_xml(xlsx: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            data = edit(String::from_utf8(data).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The `<c r="CELL" …>…</c>` or `<c r="CELL" …/>` element of a sheet's XML, as a range.
fn cell_element(xml: &str, cell: &str) -> std::ops::Range<usize> {
    let start = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
    let rest = &xml[start..];
    let open_end = rest.find('>').unwrap();
    let len = if rest[..open_end].ends_with('/') {
        open_end + 1
    } else {
        rest.find("</c>").unwrap() + 4
    };
    start..start + len
}

#[test]
fn a_formula_without_a_saved_result_is_not_read_as_empty() {
    let p = project();
    let bytes = sheet(&p, "CA", oct(), |_| {});
    let r = read(&p, vec![("ca.xlsx", bytes.clone())]);
    let at = r.reports[0].values["zalo"].cell.clone();
    // What files written by some tools hold: the formula and no <v> result.
    let edited = edit_sheet_xml(&bytes, |xml| {
        let range = cell_element(&xml, &at);
        let style = xml[range.clone()]
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let mut xml = xml;
        xml.replace_range(
            range,
            &format!("<c r=\"{at}\" s=\"{style}\"><f>2+3</f></c>"),
        );
        xml
    });
    let r = read(&p, vec![("ca.xlsx", edited)]);
    let d = only(&r.diagnostics, "E-FORMULA-NO-VALUE");
    assert_eq!(d.cell.as_deref(), Some(at.as_str()));
    assert!(d.hint().vi.contains("lưu"), "{d:?}");
    assert_eq!(
        r.reports[0].values["zalo"].value, None,
        "not read as a value"
    );
}

#[test]
fn the_blank_form_is_locked_validated_and_reads_back_what_is_typed() {
    let p = edited(&project(), |f| {
        let targets = toml::Table::from_iter([
            ("lop_hoc".to_string(), toml::Value::from(4)),
            ("luot_dan".to_string(), toml::Value::from(120)),
        ]);
        item(f, "units", "TYT").insert("targets".into(), targets.into());
    });
    let form = vanthu::form::blank_form(&p, p.unit("TYT").unwrap(), oct()).unwrap();
    let xml = {
        use std::io::Read;
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(&form)).unwrap();
        let mut s = String::new();
        a.by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(xml.contains("<sheetProtection"), "locked");
    assert!(
        xml.contains(r#"type="whole" operator="greaterThanOrEqual""#),
        "validated"
    );
    assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="portrait""#));
    // Blank: read as a sheet with no data, every indicator present, targets filled.
    let r = read(&p, vec![("tram-y-te-xa_2025-10.xlsx", form.clone())]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let blank = &r.reports[0];
    assert!(blank.values.values().all(|v| v.value.is_none()));
    assert_eq!(blank.values["luot_dan"].target, Some(Decimal::from(120)));
    // A unit types a number into every value cell; exactly those numbers come back.
    let typed: Vec<(String, i64)> = p
        .reported_indicators()
        .enumerate()
        .map(|(n, i)| (blank.values[&i.code].cell.clone(), 7 * n as i64 + 3))
        .collect();
    let filled = edit_sheet_xml(&form, |mut xml| {
        for (cell, v) in &typed {
            let range = cell_element(&xml, cell);
            let element = xml[range.clone()].trim_end_matches("/>").to_string();
            xml.replace_range(range, &format!("{element}><v>{v}</v></c>"));
        }
        xml
    });
    let r = read(&p, vec![("tram-y-te-xa_2025-10.xlsx", filled)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    for (n, ind) in p.reported_indicators().enumerate() {
        assert_eq!(
            r.reports[0].values[&ind.code].value,
            Some(Decimal::from(7 * n as i64 + 3))
        );
    }
    assert_eq!(
        r.reports[0].values["lop_hoc"].target,
        Some(Decimal::from(4))
    );
}

fn unpacked_size(bytes: &[u8]) -> u64 {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| std::io::copy(&mut z.by_index(i).unwrap(), &mut std::io::sink()).unwrap())
        .sum()
}

fn compressed_size(bytes: &[u8]) -> u64 {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| z.by_index_raw(i).unwrap().compressed_size())
        .sum()
}

fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn two_units_at_5e28_are_told_too_big_and_never_counted() {
    // Two units entering 5E+28 once crashed `run`: Decimal `+` panics on overflow.
    let p = project();
    let huge = Decimal::from_str_exact("50000000000000000000000000000").unwrap();
    let with_huge = |unit: &str| {
        sheet(&p, unit, oct(), |f| {
            f.get_mut("luot_dan").unwrap().0 = Some(Entry::Number(huge));
        })
    };
    let r = read(
        &p,
        vec![("ca.xlsx", with_huge("CA")), ("qs.xlsx", with_huge("QS"))],
    );
    let too_big: Vec<&Diagnostic> = r
        .diagnostics
        .iter()
        .filter(|d| d.code() == "E-TOO-BIG")
        .collect();
    assert_eq!(too_big.len(), 2, "{:#?}", r.diagnostics);
    for d in &too_big {
        assert!(d.cell.is_some() && d.sheet.is_some(), "{d:?}");
        assert!(
            d.message().vi.contains("1.000.000.000.000"),
            "{}",
            d.message().vi
        );
    }
    // The rest of each sheet is read; the huge cell is not a value.
    assert_eq!(r.reports.len(), 2);
    for rep in &r.reports {
        assert_eq!(rep.values.get("luot_dan").and_then(|v| v.value), None);
        assert_eq!(rep.values["zalo"].value, Some(Decimal::from(5)));
    }
    let ds = vanthu::aggregate::aggregate(&p, oct(), &r.reports, &[]).unwrap();
    assert_eq!(ds.totals["zalo"].value, Some(Decimal::from(10)));
}

/// The committed regression files: inputs on which calamine panicked, looped or asked
/// for gigabytes, found by the fuzz harness. Each is one located E-DAMAGED now, and the
/// good file beside it is read.
#[test]
fn every_regression_file_is_damaged_and_the_good_file_beside_it_is_read() {
    let p = project();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 3, "{names:?}");
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let r = read(
            &p,
            vec![
                (&name, std::fs::read(&path).unwrap()),
                ("ca.xlsx", sheet(&p, "CA", oct(), |_| {})),
            ],
        );
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.file == name)
            .unwrap_or_else(|| panic!("{name}: {:#?}", r.diagnostics));
        assert!(d.is_error(), "{name}: {d:?}");
        assert!(
            ["E-DAMAGED", "E-TOO-MANY-CELLS"].contains(&d.code()),
            "{name}: {d:?}"
        );
        assert_eq!(r.reports.len(), 1, "{name}: the good file is read");
        assert_eq!(r.reports[0].unit_code, "CA");
    }
}

#[test]
fn one_cell_in_the_last_row_and_column_is_too_many_cells_not_a_grid_of_billions() {
    // calamine lays a sheet's cells out densely from the first to the last: a form with
    // something typed at XFD1048576 would ask for 17 billion cells. It is refused first.
    let p = project();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Đơn vị báo cáo: Công an xã").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let r = read(
        &p,
        vec![
            ("xa.xlsx", bytes),
            ("ca.xlsx", sheet(&p, "CA", oct(), |_| {})),
        ],
    );
    let d = only(&r.diagnostics, "E-TOO-MANY-CELLS");
    assert_eq!(d.file, "xa.xlsx");
    assert_eq!(r.reports.len(), 1, "the good file is read");
}

#[test]
fn the_plan_is_read_for_itself_and_a_bad_plan_is_an_error_on_its_cell() {
    // An error in the Thực hiện cell once threw away the row's Kế hoạch too (which then
    // fell back to vanthu.toml's); a negative Kế hoạch (-5) was taken and printed as
    // "đạt -6.900%".
    let p = project();
    let bytes = sheet(&p, "CA", oct(), |f| {
        f.get_mut("zalo").unwrap().0 = Some(Entry::Text("mười hai".into()));
        f.get_mut("luot_dan").unwrap().1 = Some(Decimal::from(-5));
    });
    let r = read(&p, vec![("ca.xlsx", bytes)]);
    let zalo = &r.reports[0].values["zalo"];
    assert_eq!((zalo.value, zalo.target), (None, Some(Decimal::from(10))));
    let d = only(&r.diagnostics, "E-NEGATIVE");
    assert!(
        d.cell.as_deref().unwrap().starts_with('D'),
        "the Kế hoạch column: {d:?}"
    );
    let dan = &r.reports[0].values["luot_dan"];
    assert_eq!(dan.value, Some(Decimal::from(5)), "the value is still read");
    assert_eq!(dan.target, None);
    assert!(dan.target_refused);
    // Nor does vanthu.toml's target stand in for the refused plan.
    let with_toml = edited(&project(), |f| {
        let targets = toml::Table::from_iter([("luot_dan".to_string(), toml::Value::from(40))]);
        item(f, "units", "CA").insert("targets".into(), targets.into());
    });
    let ds = vanthu::aggregate::aggregate(&with_toml, oct(), &r.reports, &[]).unwrap();
    let unit = ds.units.iter().find(|u| u.code == "CA").unwrap();
    assert_eq!(unit.values["luot_dan"].target, None);
    assert_eq!(
        unit.values["luot_dan"].rate, None,
        "no rate against a refused plan"
    );
}

#[test]
fn last_periods_sheet_beside_this_one_is_a_note_not_an_error() {
    // A unit keeps last month's sheet in the workbook it sends: the right sheet is read,
    // and the other is noted (it was an error, and the run exited 1).
    let p = project();
    let label = &p.indicator("zalo").unwrap().label;
    let form = |period: &'static str, value: f64| -> Cells<'_> {
        vec![
            (1, 0, V::T(period)),
            (2, 0, V::T("Đơn vị báo cáo: Công an xã")),
            (4, 0, V::T("STT")),
            (4, 1, V::T("Chỉ tiêu")),
            (4, 2, V::T("Đơn vị tính")),
            (4, 3, V::T("Kế hoạch")),
            (4, 4, V::T("Thực hiện")),
            (5, 0, V::N(1.0)),
            (5, 1, V::T(label)),
            (5, 2, V::T("tin, bài")),
            (5, 4, V::N(value)),
        ]
    };
    let bytes = workbook(&[
        ("T9", form("Kỳ báo cáo: Tháng 9/2025", 3.0)),
        ("T10", form("Kỳ báo cáo: Tháng 10/2025", 7.0)),
    ]);
    let r = read(&p, vec![("cong-an-xa.xlsx", bytes)]);
    // (Its other indicators are missing: E-MISSING-INDICATOR, not this test's matter.)
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code() != "E-PERIOD-MISMATCH"),
        "{:#?}",
        r.diagnostics
    );
    let note = only(&r.diagnostics, "W-OTHER-PERIOD-SHEET");
    assert_eq!(note.sheet.as_deref(), Some("T9"));
    assert_eq!(r.reports.len(), 1);
    assert_eq!(r.reports[0].values["zalo"].value, Some(Decimal::from(7)));
    // Alone, last period's sheet is still an error: the unit sent the wrong file.
    let old = workbook(&[("T9", form("Kỳ báo cáo: Tháng 9/2025", 3.0))]);
    let r = read(&p, vec![("cong-an-xa.xlsx", old)]);
    let d = only(&r.diagnostics, "E-PERIOD-MISMATCH");
    assert_eq!(d.cell.as_deref(), Some("A2"), "the Kỳ báo cáo line");
    assert_eq!(note.cell.as_deref(), Some("A2"));
}

/// A table for "Hội Nông dân xã" with the given headers at row 4; for each label (n
/// from 0) a row whose other cells `cell(header, n)` gives.
fn table_of<'a>(
    headers: &[&'a str],
    labels: &'a [String],
    cell: impl Fn(&str, usize) -> Option<V<'a>>,
) -> Vec<u8> {
    let mut cells: Cells<'a> = vec![
        (0, 0, V::T("Đơn vị báo cáo: Hội Nông dân xã")),
        (1, 0, V::T("Kỳ báo cáo: tháng 10 năm 2025")),
    ];
    for (c, h) in headers.iter().enumerate() {
        cells.push((3, c as u16, V::T(h)));
    }
    for (n, label) in labels.iter().enumerate() {
        for (c, h) in headers.iter().enumerate() {
            let v = if *h == "Chỉ tiêu" || *h == "Tên chỉ tiêu" {
                Some(V::T(label.as_str()))
            } else {
                cell(h, n)
            };
            if let Some(v) = v {
                cells.push((4 + n as u32, c as u16, v));
            }
        }
    }
    workbook(&[("BC", cells)])
}

fn labels_of(p: &Project) -> Vec<String> {
    p.reported_indicators().map(|i| i.label.clone()).collect()
}

#[test]
fn the_periods_columns_are_read_not_last_years_or_the_annual_plan() {
    let p = project();
    let labels = labels_of(&p);
    let headers = [
        "STT",
        "Chỉ tiêu",
        "ĐVT",
        "Kế hoạch năm",
        "Thực hiện cùng kỳ năm trước",
        "Lũy kế thực hiện từ đầu năm",
        "Kế hoạch",
        "Thực hiện",
    ];
    let bytes = table_of(&headers, &labels, |h, n| match h {
        "Kế hoạch năm" => Some(V::N(100.0)),
        "Thực hiện cùng kỳ năm trước" => Some(V::N(50.0)),
        "Lũy kế thực hiện từ đầu năm" => Some(V::N(999.0)),
        "Kế hoạch" => Some(V::N(10.0)),
        "Thực hiện" => Some(V::N(n as f64 + 1.0)),
        _ => None,
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    for (n, ind) in p.reported_indicators().enumerate() {
        let v = &r.reports[0].values[&ind.code];
        assert_eq!(v.value, Some(Decimal::from(n as i64 + 1)), "{}", ind.code);
        assert_eq!(v.target, Some(Decimal::from(10)), "{}", ind.code);
    }
}

#[test]
fn a_column_of_this_period_beside_thuc_hien_is_ambiguous_and_both_are_named() {
    let p = project();
    let labels = labels_of(&p);
    let headers = ["Chỉ tiêu", "TH tháng 10", "Thực hiện", "TH tháng 9"];
    let bytes = table_of(&headers, &labels, |h, n| match h {
        "Thực hiện" => Some(V::N(n as f64 + 1.0)),
        _ => Some(V::N(7.0)),
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    let d = only(&r.diagnostics, "W-AMBIGUOUS-COLUMN");
    assert!(
        d.message().vi.contains("\"Thực hiện\" (C4)"),
        "{}",
        d.message().vi
    );
    assert!(
        d.message().vi.contains("\"TH tháng 10\" (B4)"),
        "{}",
        d.message().vi
    );
    assert!(
        !d.message().vi.contains("tháng 9"),
        "another month is never a candidate"
    );
    let first = p.reported_indicators().next().unwrap();
    assert_eq!(r.reports[0].values[&first.code].value, Some(Decimal::ONE));
    // Alone, a column named for this period is the period's, without a word.
    let bytes = table_of(&["Chỉ tiêu", "TH tháng 10"], &labels, |_, _| {
        Some(V::N(4.0))
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    assert_eq!(
        r.reports[0].values[&first.code].value,
        Some(Decimal::from(4))
    );
}

#[test]
fn other_header_wordings_are_recognised() {
    let p = project();
    let labels = labels_of(&p);
    for headers in [
        ["Tên chỉ tiêu", "KH", "Kết quả thực hiện"],
        ["Tên chỉ tiêu", "Kế hoạch", "TH"],
    ] {
        let bytes = table_of(&headers, &labels, |h, _| {
            Some(V::N(if h.starts_with('K') && h != "Kết quả thực hiện" {
                10.0
            } else {
                3.0
            }))
        });
        let r = read(&p, vec![("hnd.xlsx", bytes)]);
        assert!(
            r.diagnostics.is_empty(),
            "{headers:?}: {:#?}",
            r.diagnostics
        );
        let v = r.reports[0].values.values().next().unwrap();
        assert_eq!(
            (v.value, v.target),
            (Some(Decimal::from(3)), Some(Decimal::from(10)))
        );
    }
}

#[test]
fn an_exact_row_beats_a_look_alike_above_it() {
    let p = project();
    let mut labels = labels_of(&p);
    // A look-alike of the first indicator's label (one letter changed) in the first
    // row, with its own number; the indicator's own row comes later, and says 0.
    let own = labels[0].clone();
    let mut look_alike: Vec<char> = own.chars().collect();
    let last = look_alike.len() - 1;
    look_alike[last] = if look_alike[last] == 'x' { 'y' } else { 'x' };
    let look_alike: String = look_alike.into_iter().collect();
    labels.insert(0, look_alike.clone());
    let mut cells: Cells<'_> = vec![(0, 0, V::T("Đơn vị báo cáo: Hội Nông dân xã"))];
    cells.push((3, 0, V::T("Chỉ tiêu")));
    cells.push((3, 1, V::T("Thực hiện")));
    for (n, l) in labels.iter().enumerate() {
        cells.push((4 + n as u32, 0, V::T(l.as_str())));
        cells.push((4 + n as u32, 1, V::N(if n == 0 { 777.0 } else { 0.0 })));
    }
    let r = read(&p, vec![("hnd.xlsx", workbook(&[("BC", cells)]))]);
    let first = p.reported_indicators().next().unwrap();
    assert_eq!(r.reports[0].values[&first.code].value, Some(Decimal::ZERO));
    assert_eq!(r.reports[0].values[&first.code].cell, "B6");
    assert!(!r.diagnostics.iter().any(|d| d.code() == "W-FUZZY-LABEL"));
    let d = only(&r.diagnostics, "W-UNKNOWN-ROW");
    assert_eq!(d.cell.as_deref(), Some("A5"));
    assert!(d.message().vi.contains("A6"), "{}", d.message().vi);
}

#[test]
fn one_indicator_on_two_rows_is_an_error_naming_both() {
    let p = project();
    let mut labels = labels_of(&p);
    labels.push(labels[1].clone());
    let mut cells: Cells<'_> = vec![(0, 0, V::T("Đơn vị báo cáo: Hội Nông dân xã"))];
    cells.push((3, 0, V::T("Chỉ tiêu")));
    cells.push((3, 1, V::T("Thực hiện")));
    for (n, l) in labels.iter().enumerate() {
        cells.push((4 + n as u32, 0, V::T(l.as_str())));
        cells.push((4 + n as u32, 1, V::N(n as f64)));
    }
    let last = 4 + labels.len() - 1;
    let r = read(&p, vec![("hnd.xlsx", workbook(&[("BC", cells)]))]);
    let d = only(&r.diagnostics, "E-DUPLICATE-ROW");
    assert_eq!(d.cell.as_deref(), Some("A6"));
    assert!(
        d.message().vi.contains(&format!("A6, A{}", last + 1)),
        "{}",
        d.message().vi
    );
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.code() == "E-MISSING-INDICATOR"));
    let second = p.reported_indicators().nth(1).unwrap();
    assert!(!r.reports[0].values.contains_key(&second.code));
}

#[test]
fn no_table_points_to_the_row_that_came_closest() {
    let p = project();
    let cells: Cells<'_> = vec![
        (0, 0, V::T("Đơn vị báo cáo: Hội Nông dân xã")),
        (5, 1, V::T("Chỉ tiêu")),
        (5, 2, V::T("Thực hiện cùng kỳ năm trước")),
        (6, 1, V::T("Số buổi")),
        (6, 2, V::N(3.0)),
    ];
    let r = read(&p, vec![("hnd.xlsx", workbook(&[("BC", cells)]))]);
    let d = only(&r.diagnostics, "E-NO-TABLE");
    assert_eq!(
        (d.sheet.as_deref(), d.cell.as_deref()),
        (Some("BC"), Some("B6"))
    );
    assert!(
        d.message().vi.contains("\"Chỉ tiêu\""),
        "{}",
        d.message().vi
    );
}

/// The form's table at row 4 (every value 2) under the given lines.
fn table_under<'a>(labels: &'a [String], lines: Cells<'a>) -> Vec<u8> {
    let mut cells = lines;
    cells.push((3, 0, V::T("Chỉ tiêu")));
    cells.push((3, 1, V::T("Thực hiện")));
    for (n, l) in labels.iter().enumerate() {
        cells.push((4 + n as u32, 0, V::T(l.as_str())));
        cells.push((4 + n as u32, 1, V::N(2.0)));
    }
    workbook(&[("BC", cells)])
}

#[test]
fn unit_names_with_abbreviations_and_without_truong_are_understood() {
    let p = project();
    let labels = labels_of(&p);
    let r = read(
        &p,
        vec![
            (
                "a.xlsx",
                table_under(&labels, vec![(0, 0, V::T("Đơn vị: MN Kim Xuyên"))]),
            ),
            (
                "b.xlsx",
                table_under(
                    &labels,
                    vec![(0, 0, V::T("Tên đơn vị:")), (0, 2, V::T("THCS Phú Thái"))],
                ),
            ),
            ("TH Phu Thai T10.xlsx", table_under(&labels, vec![])),
            (
                "d.xlsx",
                table_under(
                    &labels,
                    vec![(0, 0, V::T("Đơn vị báo cáo: Mầm non Phú Thái"))],
                ),
            ),
            (
                "e.xlsx",
                table_under(
                    &labels,
                    vec![
                        (0, 0, V::T("Đơn vị tính: người")),
                        (1, 0, V::T("Đơn vị báo cáo: Thôn Phú Thái")),
                    ],
                ),
            ),
        ],
    );
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    let codes: Vec<&str> = r.reports.iter().map(|x| x.unit_code.as_str()).collect();
    assert_eq!(codes, ["MN-KX", "THCS-PT", "TH-PT", "MN-PT", "T-PHUTHAI"]);
}

#[test]
fn suggestions_are_the_closest_names_and_an_empty_unit_line_is_located() {
    let p = project();
    let labels = labels_of(&p);
    let r = read(
        &p,
        vec![
            (
                "a.xlsx",
                table_under(
                    &labels,
                    vec![(0, 0, V::T("Đơn vị báo cáo: Tiểu học Phú Thái 2"))],
                ),
            ),
            (
                "b.xlsx",
                table_under(&labels, vec![(1, 0, V::T("Đơn vị báo cáo:"))]),
            ),
        ],
    );
    let d = only(&r.diagnostics, "E-UNKNOWN-UNIT");
    assert!(
        d.hint()
            .vi
            .contains("Có phải là \"Trường Tiểu học Phú Thái\","),
        "the closest first: {}",
        d.hint().vi
    );
    let d = only(&r.diagnostics, "E-NO-UNIT");
    assert_eq!((d.file.as_str(), d.cell.as_deref()), ("b.xlsx", Some("A2")));
}

#[test]
fn consolidated_headers_match_like_rows_and_footers_are_not_units() {
    // A label with a bracket in the middle, written in full as a column header.
    let p = edited(&project(), |f| {
        item(f, "indicators", "bang_ron")
            .insert("label".into(), "Số băng rôn (khẩu hiệu) đã treo".into());
    });
    let headers: Vec<String> = p
        .reported_indicators()
        .map(|i| match i.code.as_str() {
            // A look-alike header: one letter off.
            "zalo" => "Số tin, bài đăng trên nhóm Zalo, mạng xã hộj".to_string(),
            _ => i.label.clone(),
        })
        .collect();
    let mut cells: Cells<'_> = vec![
        (0, 0, V::T("Kỳ báo cáo: tháng 10 năm 2025")),
        (2, 0, V::T("STT")),
        (2, 1, V::T("Đơn vị")),
    ];
    for (c, h) in headers.iter().enumerate() {
        cells.push((2, 2 + c as u16, V::T(h.as_str())));
    }
    let extra = 2 + headers.len() as u16;
    cells.push((2, extra, V::T("Xếp loại")));
    let rows = [
        "Công an xã",
        "Hội Nông dân xã",
        "Toàn cụm",
        "NGƯỜI TỔNG HỢP",
        "Nguyễn Văn An",
    ];
    for (r, name) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        cells.push((row, 1, V::T(name)));
        for c in 0..headers.len() {
            cells.push((row, 2 + c as u16, V::N(r as f64 + 1.0)));
        }
    }
    let r = read(&p, vec![("cum.xlsx", workbook(&[("TH", cells)]))]);
    let units: Vec<&str> = r.reports.iter().map(|x| x.unit_code.as_str()).collect();
    assert_eq!(units, ["CA", "HND"], "{:#?}", r.diagnostics);
    assert!(
        !r.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        r.diagnostics
    );
    let d = only(&r.diagnostics, "W-FUZZY-LABEL");
    assert!(d.message().vi.contains("Zalo"), "{}", d.message().vi);
    let d = only(&r.diagnostics, "W-UNREAD-COLUMNS");
    assert!(
        d.message().vi.contains("\"Xếp loại\""),
        "{}",
        d.message().vi
    );
    assert_eq!(
        r.reports[1].values["bang_ron"].value,
        Some(Decimal::from(2))
    );
    assert_eq!(r.reports[1].values["zalo"].value, Some(Decimal::from(2)));
}

#[test]
fn of_two_files_from_one_unit_the_newer_counts_and_both_are_named() {
    let p = project();
    let t = |s: u64| Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(s));
    let old = sheet(&p, "CA", oct(), |_| {});
    let new = sheet(&p, "CA", oct(), |f| {
        for v in f.values_mut() {
            v.0 = Some(Entry::Number(Decimal::from(9)));
        }
    });
    let files = |a_time, b_time| {
        vec![
            InputFile {
                name: "a.xlsx".into(),
                bytes: new.clone(),
                modified: a_time,
            },
            InputFile {
                name: "b.xlsx".into(),
                bytes: old.clone(),
                modified: b_time,
            },
        ]
    };
    // The correction (a.xlsx, 9s) is newer than b.xlsx though it sorts first.
    let r = read_files(&p, oct(), &files(t(1_762_351_380), t(1_762_300_000)));
    assert_eq!(r.reports.len(), 1);
    assert_eq!(r.reports[0].file, "a.xlsx");
    assert!(r.reports[0]
        .values
        .values()
        .all(|v| v.value == Some(Decimal::from(9))));
    let d = only(&r.diagnostics, "W-OLDER-FILE");
    assert_eq!(d.file, "b.xlsx");
    assert!(
        d.message()
            .vi
            .contains("a.xlsx (sửa lúc 21:03, 05/11/2025)"),
        "{}",
        d.message().vi
    );
    assert!(!r.diagnostics.iter().any(|d| d.is_error()));
    // Newer second: it replaces the first.
    let r = read_files(&p, oct(), &files(t(1_762_300_000), t(1_762_351_380)));
    assert_eq!(r.reports[0].file, "b.xlsx");
    assert_eq!(only(&r.diagnostics, "W-OLDER-FILE").file, "a.xlsx");
    // The same time, or none: nothing tells them apart, so it is an error.
    let r = read_files(&p, oct(), &files(t(5), t(5)));
    assert_eq!(only(&r.diagnostics, "E-DUPLICATE-UNIT").file, "b.xlsx");
}

/// A project whose first two reported indicators are a share in % (decimal) and an
/// amount in triệu đồng (decimal); the rest stay counts.
fn project_with_shares() -> (Project, String, String) {
    let p = project();
    let codes: Vec<String> = p
        .reported_indicators()
        .take(2)
        .map(|i| i.code.clone())
        .collect();
    let p = edited(&p, |f| {
        for (code, unit) in [(&codes[0], "%"), (&codes[1], "triệu đồng")] {
            let i = item(f, "indicators", code);
            i.insert("unit".into(), unit.into());
            i.insert("kind".into(), "decimal".into());
        }
    });
    (p, codes[0].clone(), codes[1].clone())
}

/// The form's table for Hội Nông dân xã, the value of row `n` written by `write`.
fn styled_table(
    p: &Project,
    write: impl Fn(&mut rust_xlsxwriter::Worksheet, u32, usize),
) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Đơn vị báo cáo: Hội Nông dân xã")
        .unwrap();
    ws.write_string(3, 0, "Chỉ tiêu").unwrap();
    ws.write_string(3, 1, "Thực hiện").unwrap();
    for (n, ind) in p.reported_indicators().enumerate() {
        let row = 4 + n as u32;
        ws.write_string(row, 0, &ind.label).unwrap();
        write(ws, row, n);
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn percentages_are_read_as_shown_for_a_percent_indicator_and_refused_elsewhere() {
    let (p, share, _) = project_with_shares();
    let pct = rust_xlsxwriter::Format::new().set_num_format("0%");
    let bytes = styled_table(&p, |ws, row, n| {
        match n {
            // 0.85 shown as 85% in the % indicator.
            0 => ws.write_number_with_format(row, 1, 0.85, &pct).unwrap(),
            // A count formatted as a percentage.
            2 => ws.write_number_with_format(row, 1, 0.5, &pct).unwrap(),
            _ => ws.write_number(row, 1, 4.0).unwrap(),
        };
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    assert_eq!(r.reports[0].values[&share].value, Some(Decimal::from(85)));
    let d = only(&r.diagnostics, "E-PERCENT-VALUE");
    assert_eq!(d.cell.as_deref(), Some("B7"));
    assert!(d.message().vi.contains("50%"), "{}", d.message().vi);
    // Typed as text: "85%" counts for the % indicator.
    let bytes = styled_table(&p, |ws, row, n| {
        if n == 0 {
            ws.write_string(row, 1, "85,5%").unwrap();
        } else {
            ws.write_number(row, 1, 4.0).unwrap();
        }
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    assert_eq!(
        r.reports[0].values[&share].value,
        Some(Decimal::new(855, 1))
    );
}

#[test]
fn a_date_in_a_value_cell_is_an_error_showing_the_date() {
    let p = project();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let bytes = styled_table(&p, |ws, row, n| {
        if n == 1 {
            let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 11, 5).unwrap();
            ws.write_datetime_with_format(row, 1, &d, &date).unwrap();
        } else {
            ws.write_number(row, 1, 4.0).unwrap();
        }
    });
    let r = read(&p, vec![("hnd.xlsx", bytes)]);
    let d = only(&r.diagnostics, "E-DATE-VALUE");
    assert_eq!(d.cell.as_deref(), Some("B6"));
    assert!(d.message().vi.contains("05/11/2025"), "{}", d.message().vi);
}

#[test]
fn a_number_text_whose_reading_depends_on_the_notation_is_flagged() {
    let (p, _, money) = project_with_shares();
    let texts = |amount: &'static str, other: &'static str| {
        styled_table(&p, move |ws, row, n| {
            match n {
                1 => ws.write_string(row, 1, amount).unwrap(),
                3 => ws.write_string(row, 1, other).unwrap(),
                _ => ws.write_number(row, 1, 4.0).unwrap(),
            };
        })
    };
    // Alone, 12.345 in triệu đồng is read the Vietnamese way, with both readings said.
    let r = read(&p, vec![("hnd.xlsx", texts("12.345", "7"))]);
    assert_eq!(
        r.reports[0].values[&money].value,
        Some(Decimal::from(12345))
    );
    let d = only(&r.diagnostics, "W-NUMBER-NOTATION");
    assert_eq!(d.cell.as_deref(), Some("B6"));
    assert!(
        d.message().vi.contains("12.345 theo cách viết Việt Nam"),
        "{}",
        d.message().vi
    );
    assert!(d.message().vi.contains("là 12,345"), "{}", d.message().vi);
    // Another cell written 1.234,5 settles the Vietnamese way: no warning.
    let r = read(&p, vec![("hnd.xlsx", texts("12.345", "1.234,5"))]);
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.code() != "W-NUMBER-NOTATION"));
    assert_eq!(
        r.reports[0].values[&money].value,
        Some(Decimal::from(12345))
    );
    // One written 1,234.5 settles the English way: 12.345 is twelve and a bit.
    let r = read(&p, vec![("hnd.xlsx", texts("12.345", "1,234.5"))]);
    assert_eq!(
        r.reports[0].values[&money].value,
        Some(Decimal::new(12345, 3))
    );
    // 12.50 can only be an English decimal point.
    let r = read(&p, vec![("hnd.xlsx", texts("12.50", "7"))]);
    assert_eq!(
        r.reports[0].values[&money].value,
        Some(Decimal::new(125, 1))
    );
    let d = only(&r.diagnostics, "W-NUMBER-NOTATION");
    assert!(d.message().vi.contains("12,5"), "{}", d.message().vi);
}

#[test]
fn a_hidden_old_row_is_not_counted_over_the_visible_one() {
    let p = project();
    let labels = labels_of(&p);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Đơn vị báo cáo: Hội Nông dân xã")
        .unwrap();
    ws.write_string(3, 0, "Chỉ tiêu").unwrap();
    ws.write_string(3, 1, "Thực hiện").unwrap();
    // Row 5: last period's row of the second indicator, hidden rather than deleted.
    ws.write_string(4, 0, &labels[1]).unwrap();
    ws.write_number(4, 1, 99.0).unwrap();
    ws.set_row_hidden(4).unwrap();
    for (n, l) in labels.iter().enumerate() {
        ws.write_string(5 + n as u32, 0, l).unwrap();
        ws.write_number(5 + n as u32, 1, 2.0).unwrap();
    }
    let r = read(&p, vec![("hnd.xlsx", wb.save_to_buffer().unwrap())]);
    let second = p.reported_indicators().nth(1).unwrap();
    assert_eq!(
        r.reports[0].values[&second.code].value,
        Some(Decimal::from(2))
    );
    assert_eq!(r.reports[0].values[&second.code].cell, "B7");
    let d = only(&r.diagnostics, "W-HIDDEN-ROW");
    assert_eq!(d.cell.as_deref(), Some("A5"));
    assert!(d.message().vi.contains("A7"), "{}", d.message().vi);
    assert!(
        !r.diagnostics.iter().any(|d| d.is_error()),
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn a_blank_form_names_the_parent_body_above_the_agency_and_reads_back() {
    let p = edited(&project(), |f| {
        f["agency"]
            .as_table_mut()
            .unwrap()
            .insert("parent".into(), "Ủy ban nhân dân huyện Yên Thế".into());
    });
    let form = vanthu::form::blank_form(&p, p.unit("TYT").unwrap(), oct()).unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(form.clone())).unwrap();
    use calamine::Reader;
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let a1 = range.get_value((0, 0)).unwrap().to_string();
    assert_eq!(
        a1,
        "ỦY BAN NHÂN DÂN HUYỆN YÊN THẾ\nỦY BAN NHÂN DÂN XÃ PHÚ THÁI"
    );
    // The form still reads back as the unit's report.
    let r = read(&p, vec![("tyt.xlsx", form)]);
    assert_eq!(r.reports.len(), 1, "{:#?}", r.diagnostics);
}

/// The same case as openpyxl wrote it and as LibreOffice saved it (.ods, .xls).
fn case_files(case: &str) -> Vec<String> {
    vec![
        format!("openpyxl-{case}.xlsx"),
        format!("lo-{case}.ods"),
        format!("lo-{case}.xls"),
    ]
}

#[test]
fn fixture_columns_of_other_scopes_are_never_the_periods() {
    let p = project();
    for name in case_files("cot-ky-khac") {
        let r = read_fixture(&p, &name);
        assert!(r.diagnostics.is_empty(), "{name}: {:#?}", r.diagnostics);
        for (n, ind) in p.reported_indicators().enumerate() {
            let v = &r.reports[0].values[&ind.code];
            assert_eq!(
                v.value,
                Some(Decimal::from(n as i64 + 1)),
                "{name} {}",
                ind.code
            );
            assert_eq!(v.target, Some(Decimal::from(10)), "{name} {}", ind.code);
        }
    }
}

#[test]
fn fixture_a_hidden_old_row_is_not_counted() {
    let p = project();
    let second = p.reported_indicators().nth(1).unwrap().code.clone();
    for name in case_files("dong-an") {
        let r = read_fixture(&p, &name);
        let hidden = r.diagnostics.iter().find(|d| d.code() == "W-HIDDEN-ROW");
        assert!(hidden.is_some(), "{name}: {:#?}", r.diagnostics);
        assert_eq!(
            r.reports[0].values[&second].value,
            Some(Decimal::from(2)),
            "{name}"
        );
    }
}

#[test]
fn fixture_a_hidden_old_column_is_not_read() {
    let p = project();
    for name in case_files("cot-an") {
        let r = read_fixture(&p, &name);
        let d = only(&r.diagnostics, "W-HIDDEN-COLUMN");
        assert_eq!(d.cell.as_deref(), Some("C4"), "{name}");
        assert!(d.message().vi.contains("D4"), "{name}: {}", d.message().vi);
        assert!(
            !r.diagnostics
                .iter()
                .any(|d| d.code() == "W-AMBIGUOUS-COLUMN"),
            "{name}: {:#?}",
            r.diagnostics
        );
        for (n, ind) in p.reported_indicators().enumerate() {
            assert_eq!(
                r.reports[0].values[&ind.code].value,
                Some(Decimal::from(n as i64 + 1)),
                "{name} {}",
                ind.code
            );
        }
    }
}

#[test]
fn fixture_percentages_are_read_as_shown() {
    let (p, share, _) = project_with_shares();
    // xlsx and .ods formats, and an .xls's from its BIFF records.
    for name in case_files("phan-tram") {
        let r = read_fixture(&p, &name);
        assert_eq!(
            r.reports[0].values[&share].value,
            Some(Decimal::from(85)),
            "{name}"
        );
        let d = only(&r.diagnostics, "E-PERCENT-VALUE");
        assert_eq!(d.cell.as_deref(), Some("B7"), "{name}");
    }
}

#[test]
fn fixture_a_date_in_a_value_cell_is_an_error_showing_it() {
    let p = project();
    for name in case_files("ngay-thang") {
        let r = read_fixture(&p, &name);
        let d = only(&r.diagnostics, "E-DATE-VALUE");
        assert_eq!(d.cell.as_deref(), Some("B6"), "{name}");
        assert!(
            d.message().vi.contains("05/11/2025"),
            "{name}: {}",
            d.message().vi
        );
    }
}
