//! The page's bar chart: each group's and each unit's overall completion (the mean of
//! its capped rates, as the report ranks them) as a horizontal bar, with the project's
//! "behind" threshold drawn across, so a clerk sees at a glance who is behind. Inline
//! SVG made here, so it is the same bytes for the same dataset and needs no script.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::aggregate::Dataset;
use crate::format::percent_vi;

/// Width of the names column and of the bars' scale (0 to `SCALE_MAX` %), in px.
const NAMES: f32 = 260.0;
const BARS: f32 = 360.0;
const ROW: f32 = 20.0;
const TOP: f32 = 24.0;
/// The scale's end: completion is capped at 100 % per indicator, so at most 100.
const SCALE_MAX: f32 = 100.0;

/// XML text: `&`, `<`, `>` and quotes escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Most characters of a name the names column shows; a longer one ends in "…" (its
/// bar's tooltip has it whole).
const NAME_CHARS: usize = 38;

fn shortened(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        return name.to_string();
    }
    let cut: String = name.chars().take(NAME_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// One bar: its label, its completion, whether it is a group's, and whether anything
/// was sent for it (no completion then means no plan to measure it by).
struct Bar<'a> {
    label: &'a str,
    completion: Option<Decimal>,
    group: bool,
    sent: bool,
}

/// The chart of `ds`: groups first, each followed by its units, in roster order.
pub fn completion_chart(ds: &Dataset) -> String {
    let mut bars = Vec::new();
    for g in &ds.groups {
        bars.push(Bar {
            label: &g.name,
            completion: g.completion,
            group: true,
            sent: g.reported > 0,
        });
        for u in ds.units.iter().filter(|u| u.group == g.code) {
            bars.push(Bar {
                label: &u.name,
                completion: u.completion,
                group: false,
                sent: u.reported,
            });
        }
    }
    let threshold = ds.behind_below_percent;
    let x_of = |p: f32| NAMES + BARS * (p.clamp(0.0, SCALE_MAX) / SCALE_MAX);
    let height = TOP + ROW * bars.len() as f32 + 8.0;
    let width = NAMES + BARS + 70.0;
    let title = format!(
        "Mức độ hoàn thành kế hoạch của từng khối và đơn vị; vạch đứt là mức {}",
        percent_vi(threshold)
    );
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Times New Roman, serif" font-size="13"><title id="chart-title">{}</title>"#,
        escape(&title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f32;
        let weight = if bar.group {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let indent = if bar.group { 4.0 } else { 16.0 };
        svg.push_str(&format!(
            r#"<text x="{indent}" y="{}"{weight}>{}</text>"#,
            y + 14.0,
            escape(&shortened(bar.label))
        ));
        match bar.completion {
            Some(c) => {
                let value = c.to_f32().unwrap_or(0.0);
                let behind = c < threshold;
                let fill = match (bar.group, behind) {
                    (_, true) => "#c0392b",
                    (true, false) => "#1f4e79",
                    (false, false) => "#5b8cc0",
                };
                svg.push_str(&format!(
                    r#"<rect x="{NAMES}" y="{}" width="{:.1}" height="{}" fill="{fill}"><title>{}: {}</title></rect><text x="{:.1}" y="{}">{}</text>"#,
                    y + 3.0,
                    x_of(value) - NAMES,
                    ROW - 6.0,
                    escape(bar.label),
                    percent_vi(c),
                    x_of(value) + 4.0,
                    y + 14.0,
                    percent_vi(c)
                ));
            }
            None => svg.push_str(&format!(
                r##"<text x="{}" y="{}" fill="#777">{}</text>"##,
                NAMES + 4.0,
                y + 14.0,
                if bar.sent {
                    "chưa có kế hoạch để so sánh"
                } else {
                    "chưa gửi báo cáo"
                }
            )),
        }
    }
    let line = x_of(threshold.to_f32().unwrap_or(0.0));
    svg.push_str(&format!(
        r##"<line x1="{line:.1}" y1="{}" x2="{line:.1}" y2="{}" stroke="#000" stroke-dasharray="4 3"/><text x="{line:.1}" y="14" text-anchor="middle">{}</text></svg>"##,
        TOP - 4.0,
        height - 4.0,
        percent_vi(threshold)
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_that_sent_figures_without_a_plan_is_not_called_missing() {
        let text = include_str!("../../samples/phu-thai/vanthu.toml");
        let project =
            crate::project::Project::parse(text, std::path::Path::new("vanthu.toml")).unwrap();
        // Công an xã sends figures but no Kế hoạch, and has no targets in vanthu.toml.
        let report = crate::intake::UnitReport {
            file: "ca.xlsx".into(),
            sheet: "Báo cáo".into(),
            unit_code: "CA".into(),
            unit_name: "Công an xã".into(),
            period: None,
            period_cell: None,
            values: project
                .reported_indicators()
                .map(|i| {
                    let value = crate::intake::ReportedValue {
                        value: Some(Decimal::from(5)),
                        target: None,
                        target_refused: false,
                        cell: "E1".into(),
                    };
                    (i.code.clone(), value)
                })
                .collect(),
        };
        let period = "2025-10".parse().unwrap();
        let ds = crate::aggregate::aggregate(&project, period, &[report], &[]).unwrap();
        let svg = completion_chart(&ds);
        // The text drawn right after a name's label: its bar's figure or what stands
        // in for it.
        let after = |name: &str| {
            let rest = &svg[svg.find(&format!(">{name}</text>")).unwrap()..];
            rest.split("</text>").nth(1).unwrap().to_string()
        };
        assert!(
            after("Công an xã").ends_with(">chưa có kế hoạch để so sánh"),
            "{svg}"
        );
        assert!(
            after("Phòng Kinh tế").ends_with(">chưa gửi báo cáo"),
            "{svg}"
        );
        // Every other unit, and the two groups none of whose units sent anything.
        let missing = (ds.units.len() - 1) + (ds.groups.len() - 1);
        assert_eq!(svg.matches("chưa gửi báo cáo").count(), missing);
    }

    #[test]
    fn escape_keeps_a_name_text() {
        assert_eq!(escape("A & <B> \"C\""), "A &amp; &lt;B&gt; &quot;C&quot;");
    }

    #[test]
    fn a_long_name_is_shortened_to_the_names_column() {
        assert_eq!(shortened("Tổ dân phố số 6"), "Tổ dân phố số 6");
        let long = "Trung tâm Phục vụ hành chính công phường Hoàng Liệt, quận Hoàng Mai";
        let short = shortened(long);
        assert!(
            short.ends_with('…') && short.chars().count() <= NAME_CHARS,
            "{short}"
        );
    }
}
