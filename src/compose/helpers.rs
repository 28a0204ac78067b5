//! Handlebars helpers for Vietnamese documents. They write straight to the output, so
//! what they print is never escaped twice.
//!
//! - `{{so x}}` / `{{so x dp=1}}`: a number as `1.234,5`; no value prints `-`.
//! - `{{tyle x}}`: a percentage, `85,3%`; no value prints `-`.
//! - `{{thay_doi x}}`: a change in %, "tăng 15,2%", "giảm 3%", "không thay đổi".
//! - `{{so_sanh value previous unit}}`: the change from last period, relative for a
//!   count ("tăng 15,2%"), in points for a share whose unit is `%` ("tăng 4,1 điểm phần
//!   trăm": a rate that went from 50% to 54,1% did not rise by 8,2%).
//! - `{{la_ma n}}`: Roman numeral; `{{in_hoa s}}`: Vietnamese upper case.
//! - `{{ngay_thang "2025-10-05"}}`: "ngày 05 tháng 10 năm 2025", with the Decree's
//!   leading zeros (days below 10, January and February); `noi=agency.place` puts the
//!   place in front, as the date line of a document has it.
//! - `{{ky "2025-Q4"}}`: a period as documents write it, "quý IV năm 2025".
//!
//! Comparisons (`eq`, `gt`, `lt`, `and`, `or`, `not`, `len`) are Handlebars' own.

use std::str::FromStr;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::format::{number_vi, percent_vi, roman};

pub fn register(hb: &mut Handlebars<'static>) {
    hb.register_helper("so", Box::new(so));
    hb.register_helper("so_dv", Box::new(so_dv));
    hb.register_helper("tyle", Box::new(tyle));
    hb.register_helper("thay_doi", Box::new(thay_doi));
    hb.register_helper("so_sanh", Box::new(so_sanh));
    hb.register_helper("la_ma", Box::new(la_ma));
    hb.register_helper("in_hoa", Box::new(in_hoa));
    hb.register_helper("ngay_thang", Box::new(ngay_thang));
    hb.register_helper("ky", Box::new(ky));
}

/// The text of parameter `index` (`what` names it in the error).
fn str_param<'a>(
    h: &'a Helper<'_>,
    index: usize,
    what: &'static str,
) -> Result<&'a str, RenderErrorReason> {
    h.param(index)
        .and_then(|p| p.value().as_str())
        .ok_or(RenderErrorReason::InvalidParamType(what))
}

fn ngay_thang(
    h: &Helper<'_>,
    hb: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let text = str_param(h, 0, "date as YYYY-MM-DD")?;
    let d = crate::doc::Date::parse(text)
        .ok_or(RenderErrorReason::InvalidParamType("date as YYYY-MM-DD"))?;
    let place = h.hash_get("noi").and_then(|v| v.value().as_str());
    let line = match place {
        Some(p) => crate::nd30::date_line(p, d.year, d.month, d.day),
        None => crate::nd30::date_words(d.year, d.month, d.day),
    };
    out.write(&hb.get_escape_fn()(&line))?;
    Ok(())
}

fn ky(
    h: &Helper<'_>,
    hb: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let text = str_param(h, 0, "period as 2025-10, 2025-Q4, 2025-H1 or 2025")?;
    let period: crate::period::Period = text.parse().map_err(|_| {
        RenderErrorReason::InvalidParamType("period as 2025-10, 2025-Q4, 2025-H1 or 2025")
    })?;
    out.write(&hb.get_escape_fn()(&period.label_vi()))?;
    Ok(())
}

/// Parameter `index` as a number, exactly as written; `Ok(None)` for null. A value the
/// context does not have (a misspelt or another project's indicator) is an error
/// naming it, as a missing variable is in strict mode; `null` (a unit with no figure)
/// is a value, shown `-`.
fn decimal_at(
    h: &Helper<'_>,
    index: usize,
    name: &'static str,
) -> Result<Option<Decimal>, RenderErrorReason> {
    let p = h
        .param(index)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex(name, index))?;
    if p.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(
            p.relative_path().cloned(),
        ));
    }
    match p.value() {
        Value::Null => Ok(None),
        // Decimals reach templates as JSON numbers with their exact digits (serde_json's
        // arbitrary precision), never through a float; a number written as text in a
        // template ("12.5") is read the same way.
        Value::Number(n) => exact(&n.to_string()).map(Some),
        Value::String(s) => exact(s.trim()).map(Some),
        _ => Err(RenderErrorReason::InvalidParamType("number")),
    }
}

/// The decimal a number's text writes, exactly.
fn exact(text: &str) -> Result<Decimal, RenderErrorReason> {
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| RenderErrorReason::InvalidParamType("number"))
}

/// The change from `previous` to `value`: in percentage points for a share (`unit` is
/// `%`), else relative.
pub fn comparison(value: Option<Decimal>, previous: Option<Decimal>, unit: &str) -> String {
    let (Some(v), Some(p)) = (value, previous) else {
        return "chưa có số liệu kỳ trước để so sánh".into();
    };
    let points = unit.trim() == "%";
    let change = if points {
        v - p
    } else if p.is_zero() {
        return if v.is_zero() {
            "không thay đổi".into()
        } else {
            format!("tăng {} (kỳ trước bằng 0)", number_vi(v, v.scale().min(2)))
        };
    } else {
        (v - p) * Decimal::ONE_HUNDRED / p
    };
    let change = change.round_dp(1);
    if change.is_zero() {
        return "không thay đổi".into();
    }
    let size = change.abs();
    let amount = if points {
        let dp = if size.fract().is_zero() { 0 } else { 1 };
        format!("{} điểm phần trăm", number_vi(size, dp))
    } else {
        percent_vi(size)
    };
    if change.is_sign_positive() {
        format!("tăng {amount}")
    } else {
        format!("giảm {amount}")
    }
}

fn so_sanh(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = decimal_at(h, 0, "so_sanh")?;
    let previous = decimal_at(h, 1, "so_sanh")?;
    let unit = str_param(h, 2, "the unit of measure")?;
    out.write(&comparison(value, previous, unit))?;
    Ok(())
}

/// The `dp=` of a helper call: decimals to show, 0 to 10.
fn decimals_asked(h: &Helper<'_>) -> u32 {
    h.hash_get("dp")
        .and_then(|v| v.value().as_u64())
        .unwrap_or(0)
        .min(10) as u32
}

fn so(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = decimal_at(h, 0, "so")?;
    out.write(&quantity(value, decimals_asked(h), ""))?;
    Ok(())
}

/// A quantity with its unit of measure: "1.070 tài khoản", and a share as the Decree's
/// sample writes one, with no space before the sign: "82,5%".
pub fn quantity(value: Option<Decimal>, dp: u32, unit: &str) -> String {
    let Some(v) = value else {
        return "-".into();
    };
    let unit = unit.trim();
    match unit {
        "" => number_vi(v, dp),
        "%" => format!("{}%", number_vi(v, dp)),
        _ => format!("{} {unit}", number_vi(v, dp)),
    }
}

/// `{{so_dv value unit dp=1}}`: [`quantity`].
fn so_dv(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let dp = decimals_asked(h);
    let value = decimal_at(h, 0, "so_dv")?;
    let unit = str_param(h, 1, "the unit of measure")?;
    out.write(&quantity(value, dp, unit))?;
    Ok(())
}

fn tyle(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let text = match decimal_at(h, 0, "tyle")? {
        Some(d) => percent_vi(d),
        None => "-".into(),
    };
    out.write(&text)?;
    Ok(())
}

fn thay_doi(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let text = match decimal_at(h, 0, "thay_doi")? {
        None => "chưa có số liệu kỳ trước để so sánh".to_string(),
        Some(d) if d.round_dp(1).is_zero() => "không thay đổi".to_string(),
        Some(d) if d.is_sign_positive() => format!("tăng {}", percent_vi(d)),
        Some(d) => format!("giảm {}", percent_vi(-d)),
    };
    out.write(&text)?;
    Ok(())
}

fn la_ma(
    h: &Helper<'_>,
    _: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let n = h
        .param(0)
        .and_then(|p| p.value().as_u64())
        .ok_or(RenderErrorReason::InvalidParamType("whole number"))?;
    out.write(&roman(n.min(3999) as u32))?;
    Ok(())
}

fn in_hoa(
    h: &Helper<'_>,
    hb: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let s = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or(RenderErrorReason::InvalidParamType("string"))?;
    // Data, not markup: escape it like any inserted value.
    out.write(&hb.get_escape_fn()(&crate::text::upper(s)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, data: Value) -> Result<String, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        hb.render_template(template, &data)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn decimals_reach_a_template_exactly() {
        // 0.1 + 0.2 and a figure of 28 significant digits, carried in the context as the
        // dataset carries them: printed to the last digit asked, no float in between.
        let sum = Decimal::from_str("0.1").unwrap() + Decimal::from_str("0.2").unwrap();
        let long = Decimal::from_str("1234567890123456.789012345678").unwrap();
        let data = serde_json::json!({ "a": sum, "b": long, "c": "12.345" });
        assert_eq!(data["a"].to_string(), "0.3");
        assert_eq!(render("{{so a dp=1}}", data.clone()).unwrap(), "0,3");
        assert_eq!(
            render("{{so b dp=10}}", data.clone()).unwrap(),
            "1.234.567.890.123.456,7890123457"
        );
        assert_eq!(render("{{so c dp=3}}", data).unwrap(), "12,345");
    }

    #[test]
    fn a_quantity_carries_its_unit_and_a_share_its_sign_unspaced() {
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(quantity(d("1070"), 0, "tài khoản"), "1.070 tài khoản");
        assert_eq!(quantity(d("82.46"), 1, "%"), "82,5%");
        assert_eq!(quantity(d("240"), 1, " triệu đồng "), "240,0 triệu đồng");
        assert_eq!(quantity(None, 0, "%"), "-");
        let data = serde_json::json!({ "i": { "value": 82.46, "unit": "%" } });
        assert_eq!(
            render("{{so_dv i.value i.unit dp=1}}", data).unwrap(),
            "82,5%"
        );
    }

    #[test]
    fn a_share_is_compared_in_points_and_a_count_relatively() {
        let d = |s: &str| Some(Decimal::from_str(s).unwrap());
        assert_eq!(
            comparison(d("54.1"), d("50"), "%"),
            "tăng 4,1 điểm phần trăm"
        );
        assert_eq!(comparison(d("48"), d("50"), "%"), "giảm 2 điểm phần trăm");
        assert_eq!(comparison(d("54.1"), d("50"), "người"), "tăng 8,2%");
        assert_eq!(
            comparison(d("5"), d("0"), "người"),
            "tăng 5 (kỳ trước bằng 0)"
        );
        assert_eq!(
            comparison(d("5"), None, "%"),
            "chưa có số liệu kỳ trước để so sánh"
        );
        assert_eq!(comparison(d("50.01"), d("50"), "%"), "không thay đổi");
        let data = serde_json::json!({ "i": { "value": 54.1, "previous": 50, "unit": "%" } });
        assert_eq!(
            render("{{so_sanh i.value i.previous i.unit}}", data).unwrap(),
            "tăng 4,1 điểm phần trăm"
        );
    }

    #[test]
    fn a_missing_value_is_an_error_and_a_null_one_a_dash() {
        let data = serde_json::json!({ "totals": { "a": { "value": null, "rate": 85.25 } } });
        assert_eq!(render("{{so totals.a.value}}", data.clone()).unwrap(), "-");
        assert_eq!(
            render("{{tyle totals.a.rate}}", data.clone()).unwrap(),
            "85,3%"
        );
        for helper in ["so", "tyle", "thay_doi"] {
            let e = render(
                &format!("{{{{{helper} totals.lop_hoc.value}}}}"),
                data.clone(),
            )
            .unwrap_err();
            assert!(e.contains("totals.lop_hoc.value"), "{helper}: {e}");
        }
    }
}
