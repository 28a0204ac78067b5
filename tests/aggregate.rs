//! Aggregate on a small project whose every number is computed by hand below: rules,
//! target precedence, derived formulas, division by zero, missing and lagging units,
//! ranking, the previous period, rounding edges; and a property test that the groups'
//! totals add up to the commune's.

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use vanthu::aggregate::{aggregate, Dataset};
use vanthu::compose::format::{number_vi, percent_vi};
use vanthu::intake::{ReportedValue, UnitReport};
use vanthu::project::Project;

const PROJECT: &str = r#"
[agency]
name = ["ỦY BAN NHÂN DÂN", "XÃ THỬ NGHIỆM"]
short = "UBND"
place = "Thử Nghiệm"
office = "Phòng Văn hóa – Xã hội"
office_short = "VHXH"

[signer]
authority = ""
position = "CHỦ TỊCH"
name = "Nguyễn Văn An"

[campaign]
name = "Thử nghiệm"
slug = "thu-nghiem"

[aggregate]
behind_below_percent = 80

[[sections]]
code = "I"
title = "Một"

[[indicators]]
code = "a"
section = "I"
label = "Số người tham gia"
unit = "người"
target = 100

[[indicators]]
code = "b"
section = "I"
label = "Số người hoàn thành"
unit = "người"

[[indicators]]
code = "m"
section = "I"
label = "Số giờ cao nhất"
unit = "giờ"
kind = "decimal"
aggregate = "max"

[[indicators]]
code = "avg"
section = "I"
label = "Điểm trung bình"
unit = "điểm"
kind = "decimal"
aggregate = "average"

[[indicators]]
code = "sum_ab"
section = "I"
label = "Tổng hai chỉ tiêu"
unit = "người"
formula = "a + b"

[[indicators]]
code = "share"
section = "I"
label = "Tỷ lệ hoàn thành"
unit = "%"
formula = "b / a * 100"

[[groups]]
code = "G1"
name = "Nhóm một"
targets = { b = 50 }

[[groups]]
code = "G2"
name = "Nhóm hai"

[[units]]
code = "U1"
name = "Đơn vị một"
group = "G1"
targets = { a = 30, b = 20 }

[[units]]
code = "U2"
name = "Đơn vị hai"
group = "G1"

[[units]]
code = "U3"
name = "Đơn vị ba"
group = "G2"
targets = { b = 0 }

[[units]]
code = "U4"
name = "Đơn vị bốn"
group = "G2"
"#;

fn project() -> Project {
    Project::parse(PROJECT, Path::new("vanthu.toml")).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A report of `unit`: (indicator, value, the sheet's own target).
fn report(unit: &str, values: &[(&str, Option<&str>, Option<&str>)]) -> UnitReport {
    UnitReport {
        file: format!("{unit}.xlsx"),
        sheet: "Báo cáo".into(),
        unit_code: unit.into(),
        unit_name: unit.into(),
        period: None,
        period_cell: None,
        values: values
            .iter()
            .map(|(code, v, t)| {
                let rv = ReportedValue {
                    value: v.map(d),
                    target: t.map(d),
                    target_refused: false,
                    cell: "E1".into(),
                };
                (code.to_string(), rv)
            })
            .collect(),
    }
}

fn dataset() -> Dataset {
    let current = [
        report(
            "U1",
            &[
                ("a", Some("30"), None),
                ("b", Some("12"), None),
                ("m", Some("1.5"), None),
                ("avg", Some("2"), None),
            ],
        ),
        report(
            "U2",
            &[
                ("a", Some("0"), Some("40")),
                ("b", Some("0"), None),
                ("m", Some("2.25"), None),
                ("avg", None, None),
            ],
        ),
        report(
            "U3",
            &[
                ("a", Some("5"), Some("10")),
                ("b", Some("3"), None),
                ("m", Some("0.5"), None),
                ("avg", Some("4"), None),
            ],
        ),
    ];
    let previous = [
        report("U1", &[("a", Some("20"), None)]),
        report("U2", &[("a", Some("25"), None)]),
    ];
    aggregate(&project(), "2025-10".parse().unwrap(), &current, &previous).unwrap()
}

fn unit<'a>(ds: &'a Dataset, code: &str) -> &'a vanthu::aggregate::UnitRow {
    ds.units.iter().find(|u| u.code == code).unwrap()
}

fn group<'a>(ds: &'a Dataset, code: &str) -> &'a vanthu::aggregate::GroupRow {
    ds.groups.iter().find(|g| g.code == code).unwrap()
}

#[test]
fn unit_figures_take_the_sheet_target_else_the_project_file() {
    let ds = dataset();
    let u1 = &unit(&ds, "U1").values;
    // No Kế hoạch on the sheet: vanthu.toml's 30.
    assert_eq!(u1["a"].target, Some(d("30")));
    assert_eq!(u1["a"].rate, Some(d("100")));
    assert_eq!(u1["a"].previous, Some(d("20")));
    assert_eq!(u1["a"].change, Some(d("50")));
    assert_eq!(u1["b"].rate, Some(d("60")));
    let u2 = &unit(&ds, "U2").values;
    // The sheet's 40 comes first.
    assert_eq!(u2["a"].target, Some(d("40")));
    assert_eq!(u2["a"].rate, Some(d("0")));
    assert_eq!(u2["a"].change, Some(d("-100")));
    // "-" stays no value, distinct from 0.
    assert_eq!(u2["avg"].value, None);
    assert_eq!(u2["b"].value, Some(Decimal::ZERO));
    // A zero target gives no rate.
    let u3 = &unit(&ds, "U3").values;
    assert_eq!(u3["b"].target, Some(Decimal::ZERO));
    assert_eq!(u3["b"].rate, None);
}

#[test]
fn derived_indicators_and_division_by_zero() {
    let ds = dataset();
    assert_eq!(unit(&ds, "U1").values["sum_ab"].value, Some(d("42")));
    assert_eq!(unit(&ds, "U1").values["share"].value, Some(d("40")));
    // U2: 0 / 0 → no value, not NaN and no panic.
    assert_eq!(unit(&ds, "U2").values["share"].value, None);
    // Derived targets are the formula on the targets: 30 + 20.
    assert_eq!(unit(&ds, "U1").values["sum_ab"].target, Some(d("50")));
    // For the commune the share is of the totals (15 / 35), not a sum of shares.
    let share = ds.totals["share"].value.unwrap();
    assert_eq!(share, d("15") / d("35") * d("100"));
    assert_eq!(ds.totals["sum_ab"].value, Some(d("50")));
    // U4 did not report: its derived values are no value.
    assert_eq!(unit(&ds, "U4").values["sum_ab"].value, None);
}

#[test]
fn groups_and_commune_follow_each_rule_and_target_precedence() {
    let ds = dataset();
    let g1 = &group(&ds, "G1").totals;
    assert_eq!(g1["a"].value, Some(d("30")));
    // Sum of the units' targets: 30 (vanthu.toml) + 40 (sheet).
    assert_eq!(g1["a"].target, Some(d("70")));
    assert_eq!(g1["a"].previous, Some(d("45")));
    // The group's own target in vanthu.toml wins over its units' sum (20).
    assert_eq!(g1["b"].target, Some(d("50")));
    assert_eq!(g1["b"].rate, Some(d("24")));
    assert_eq!(g1["m"].value, Some(d("2.25")), "max");
    assert_eq!(
        g1["avg"].value,
        Some(d("2")),
        "average of the values present"
    );
    let g2 = &group(&ds, "G2").totals;
    assert_eq!(g2["b"].target, Some(Decimal::ZERO));
    assert_eq!(g2["b"].rate, None);
    assert_eq!((group(&ds, "G2").reported, group(&ds, "G2").roster), (1, 2));

    let t = &ds.totals;
    assert_eq!(t["a"].value, Some(d("35")));
    // The indicator's own commune target wins.
    assert_eq!(t["a"].target, Some(d("100")));
    assert_eq!(t["a"].rate, Some(d("35")));
    // Else the groups' targets added up: 50 + 0.
    assert_eq!(t["b"].target, Some(d("50")));
    assert_eq!(t["b"].rate, Some(d("30")));
    assert_eq!(t["m"].value, Some(d("2.25")));
    assert_eq!(t["avg"].value, Some(d("3")), "(2 + 4) / 2 over units");
}

#[test]
fn missing_behind_and_ranking() {
    let ds = dataset();
    assert_eq!(ds.missing, ["U4"]);
    assert_eq!((ds.reported_count, ds.roster_count), (3, 4));
    // Completion: U1 mean(100, 60) = 80, not below 80; U2 mean(0) = 0; U3 mean(50)
    // (b's zero target has no rate and does not count).
    assert_eq!(unit(&ds, "U1").completion, Some(d("80")));
    assert_eq!(unit(&ds, "U2").completion, Some(d("0")));
    assert_eq!(unit(&ds, "U3").completion, Some(d("50")));
    assert_eq!(ds.behind, ["U2", "U3"]);
    assert_eq!(ds.ranking, ["U1", "U3", "U2"]);
    assert_eq!(unit(&ds, "U3").rank, Some(2));
    assert_eq!(unit(&ds, "U4").rank, None);
}

#[test]
fn ranking_by_an_indicator_and_capped_completion() {
    let p = project()
        .edited(|f| {
            let aggregate = f
                .entry("aggregate")
                .or_insert_with(|| toml::Table::new().into());
            aggregate
                .as_table_mut()
                .unwrap()
                .insert("rank_by".into(), "m".into());
        })
        .unwrap();
    let current = [
        report("U1", &[("a", Some("300"), None), ("b", Some("0"), None)]),
        report("U2", &[("m", Some("9"), None)]),
        report("U3", &[("m", Some("9"), None)]),
    ];
    let ds = aggregate(&p, "2025-10".parse().unwrap(), &current, &[]).unwrap();
    // Ties keep roster order; no value comes last.
    assert_eq!(ds.ranking, ["U2", "U3", "U1"]);
    // U1: a at 1000% counts as 100, b at 0%: mean 50, so U1 is behind.
    assert_eq!(unit(&ds, "U1").completion, Some(d("50")));
    assert_eq!(ds.behind, ["U1"]);
}

#[test]
fn numbers_are_rounded_half_up_only_when_shown() {
    // Banker's rounding would give 2,2 and 0,0; the Decree's documents round half up.
    assert_eq!(number_vi(d("2.25"), 1), "2,3");
    assert_eq!(number_vi(d("2.35"), 1), "2,4");
    assert_eq!(number_vi(d("0.05"), 1), "0,1");
    assert_eq!(number_vi(d("1234.5"), 0), "1.235");
    assert_eq!(percent_vi(d("42.85"),), "42,9%");
    // The total is from unrounded values: (0.05 + 0.04) / 2 = 0.045, shown with two
    // decimals as 0,05 (half up), where banker's rounding would print 0,04.
    let ds = aggregate(
        &project(),
        "2025-10".parse().unwrap(),
        &[
            report("U1", &[("m", Some("0.04"), None)]),
            report("U2", &[("avg", Some("0.05"), None)]),
            report("U3", &[("avg", Some("0.04"), None)]),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(ds.totals["avg"].value, Some(d("0.045")));
    assert_eq!(number_vi(ds.totals["avg"].value.unwrap(), 2), "0,05");
}

#[test]
fn a_formula_naming_an_unknown_indicator_is_refused_at_load() {
    let bad = PROJECT.replace("formula = \"a + b\"", "formula = \"a + zalo\"");
    let e = Project::parse(&bad, Path::new("vanthu.toml")).unwrap_err();
    let msg = e.message(vanthu::diagnostic::Lang::En);
    assert!(msg.contains("zalo") && msg.contains("sum_ab"), "{msg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn group_totals_add_up_to_the_commune_total(
        values in proptest::collection::vec(
            proptest::option::of((0u32..100_000, 0u32..100)), 4),
        targets in proptest::collection::vec(proptest::option::of(0u32..1000), 4),
    ) {
        // Sum indicators without a commune or group target of their own.
        let p = project()
            .edited(|f| {
                for key in ["indicators", "groups"] {
                    for t in f[key].as_array_mut().unwrap().iter_mut() {
                        let t = t.as_table_mut().unwrap();
                        t.remove("target");
                        t.remove("targets");
                    }
                }
            })
            .unwrap();
        let reports: Vec<UnitReport> = ["U1", "U2", "U3", "U4"]
            .iter()
            .zip(&values)
            .zip(&targets)
            .filter_map(|((u, v), t)| {
                let (a, b) = (*v)?;
                let (a, b, t) = (a.to_string(), b.to_string(), t.map(|t| t.to_string()));
                Some(report(u, &[("a", Some(&a), t.as_deref()), ("b", Some(&b), None)]))
            })
            .collect();
        let ds = aggregate(&p, "2025-10".parse().unwrap(), &reports, &[]).unwrap();
        for code in ["a", "b", "sum_ab"] {
            let parts: BTreeMap<&str, Option<Decimal>> = ds
                .groups
                .iter()
                .map(|g| (g.code.as_str(), g.totals[code].value))
                .collect();
            let groups: Option<Decimal> = parts.values().flatten().copied().reduce(|x, y| x + y);
            prop_assert_eq!(groups, ds.totals[code].value, "{}", code);
            let target_sum = ds.groups.iter().filter_map(|g| g.totals[code].target).reduce(|x, y| x + y);
            prop_assert_eq!(target_sum, ds.totals[code].target, "{} target", code);
        }
        prop_assert_eq!(ds.reported_count + ds.missing.len(), ds.roster_count);
    }
}

#[test]
fn an_overflow_names_the_indicator_and_gives_no_dataset() {
    // Reports that bypass intake's bound: the sum leaves exact decimal arithmetic.
    let huge = "50000000000000000000000000000";
    let reports = [
        report("U1", &[("a", Some(huge), None)]),
        report("U2", &[("a", Some(huge), None)]),
    ];
    let err = aggregate(&project(), "2025-10".parse().unwrap(), &reports, &[]).unwrap_err();
    let vanthu::aggregate::AggregateError::Overflow { indicator, whose } = &err;
    assert_eq!(indicator, "a", "the summed indicator");
    assert_eq!(
        whose, "Đơn vị một",
        "its first figure: U1's rate against its target"
    );
    assert!(err.message(vanthu::diagnostic::Lang::Vi).contains("`a`"));
    // The largest of them overflows nothing: `max` of two huge values is one of them.
    let reports = [
        report("U1", &[("m", Some(huge), None)]),
        report("U2", &[("m", Some(huge), None)]),
    ];
    let ds = aggregate(&project(), "2025-10".parse().unwrap(), &reports, &[]).unwrap();
    assert_eq!(ds.totals["m"].value, Some(d(huge)));
}

#[test]
fn a_missing_units_target_counts_in_its_group_and_its_value_as_not_done() {
    // The rule stated in the report's appendix footnote: every roster unit's target
    // counts, the values are the reporting units'.
    let text = PROJECT.replace(
        "code = \"U4\"\nname = \"Đơn vị bốn\"\ngroup = \"G2\"",
        "code = \"U4\"\nname = \"Đơn vị bốn\"\ngroup = \"G2\"\ntargets = { a = 25 }",
    );
    let p = Project::parse(&text, Path::new("vanthu.toml")).unwrap();
    let current = [report("U3", &[("a", Some("5"), Some("10"))])];
    let ds = aggregate(&p, "2025-10".parse().unwrap(), &current, &[]).unwrap();
    assert!(ds.missing.contains(&"U4".to_string()));
    let g2 = &group(&ds, "G2").totals["a"];
    assert_eq!(
        g2.target,
        Some(d("35")),
        "10 (U3's sheet) + 25 (U4, not reported)"
    );
    assert_eq!(g2.value, Some(d("5")));
    assert_eq!(g2.rate, Some(d("5") * d("100") / d("35")));
    // The footnote that says so is in the built-in report.
    let report = include_str!("../templates/bao-cao-ky.md.hbs");
    assert!(report.contains("kể cả đơn vị chưa gửi báo cáo"));
}

#[test]
fn every_problem_of_a_project_file_is_told_at_once_with_its_line() {
    let bad = PROJECT
        .replace("formula = \"a + b\"", "formula = \"a + zalo\"")
        .replace(
            "group = \"G2\"\ntargets = { b = 0 }",
            "group = \"G9\"\ntargets = { b = 0 }",
        );
    let bad = bad.replace(
        "behind_below_percent = 80",
        "behind_below_percent = 80\nrank_by = \"nope\"",
    );
    let e = Project::parse(&bad, Path::new("vanthu.toml")).unwrap_err();
    let vi = e.message(vanthu::diagnostic::Lang::Vi);
    let en = e.message(vanthu::diagnostic::Lang::En);
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(vi.contains("có 3 lỗi"), "{vi}");
    assert!(
        vi.contains(&format!(
            "dòng {}: công thức của chỉ tiêu `sum_ab`",
            line_of("code = \"sum_ab\"")
        )),
        "{vi}"
    );
    assert!(
        vi.contains(&format!(
            "dòng {}: đơn vị `U3` thuộc khối `G9`",
            line_of("code = \"U3\"")
        )),
        "{vi}"
    );
    assert!(
        vi.contains(&format!(
            "dòng {}: [aggregate] rank_by",
            line_of("rank_by = \"nope\"")
        )),
        "{vi}"
    );
    assert!(
        en.contains("has 3 problem(s)") && en.contains("which no [[groups]] declares"),
        "{en}"
    );
}

#[test]
fn a_derived_ratio_is_taken_like_for_like_and_a_sum_of_parts_is_not() {
    // U1 sends a = 100, b = 50; U2 sends b = 30 but no a. share = b / a * 100 for the
    // group counts only U1, which sent both (50%), never U2's numerator over U1's
    // denominator (80%); sum_ab = a + b still adds every part sent (180).
    let current = [
        report("U1", &[("a", Some("100"), None), ("b", Some("50"), None)]),
        report("U2", &[("b", Some("30"), None)]),
    ];
    // Last period both sent both: the previous share is over both (60 / 200).
    let previous = [
        report("U1", &[("a", Some("100"), None), ("b", Some("40"), None)]),
        report("U2", &[("a", Some("100"), None), ("b", Some("20"), None)]),
    ];
    let ds = aggregate(&project(), "2025-10".parse().unwrap(), &current, &previous).unwrap();
    let g1 = &group(&ds, "G1").totals;
    assert_eq!(g1["share"].value, Some(d("50")));
    assert_eq!(g1["share"].previous, Some(d("30")));
    assert_eq!(g1["sum_ab"].value, Some(d("180")));
    // The commune alike (G2 sent nothing).
    assert_eq!(ds.totals["share"].value, Some(d("50")));
    // Both reported last period, both this period too (U2 without a).
    assert_eq!((ds.reported_count, ds.previous_reported_count), (2, 2));
    // A unit's own share needs both of its parts.
    let u2 = ds.units.iter().find(|u| u.code == "U2").unwrap();
    assert_eq!(u2.values["share"].value, None);
}
