//! The pipeline's middle: a period's inputs read, aggregated and composed into document
//! models ([`plan_period`]), and the errors that stop it. It touches no output file: the
//! run driver (run.rs) hands a plan to the deliver stage, which renders and writes it.

use serde_json::{json, Value};
use thiserror::Error;

use crate::aggregate::Dataset;
use crate::diagnostic::Lang;
use crate::doc::Date;
use crate::intake::Intake;
use crate::period::Period;
use crate::project::{ForEach, Project, ProjectError};
use crate::{aggregate, compose, doc, intake, isolate, nd30, render};

/// Anything that stops a period from being produced.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Project(#[from] ProjectError),
    #[error(transparent)]
    Aggregate(#[from] aggregate::AggregateError),
    #[error(transparent)]
    Compose(#[from] compose::ComposeError),
    #[error("{file}: {source}")]
    Xlsx {
        file: String,
        source: rust_xlsxwriter::XlsxError,
    },
    /// No unit's report could be read for the period (no sheet, or none readable): no
    /// document is made from nothing. The sheets' diagnostics say why.
    #[error(
        "period {period}: no unit's report could be read ({files} files); no document is made"
    )]
    NothingReported {
        period: Period,
        files: usize,
        diagnostics: Vec<crate::intake::Diagnostic>,
    },
    /// A panic inside one document's composing: that document fails, the rest are made.
    #[error("{}", .0.internal())]
    Panicked(#[from] isolate::Panicked),
}

impl Error {
    /// The message for the user, in their language where we have it.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Project(e) => e.message(lang),
            Error::Aggregate(e) => e.message(lang),
            Error::Compose(e) => e.message(lang),
            Error::NothingReported { period, files, .. } => lang
                .pick(
                    &format!("Kỳ {period}: không đọc được báo cáo nào của đơn vị trong inputs/{period}/ ({files} tệp); không lập văn bản nào từ số liệu trống."),
                    &format!("Period {period}: no unit's report could be read in inputs/{period}/ ({files} files); no document is made from nothing."),
                )
                .to_string(),
            other => other.to_string(),
        }
    }
}

/// Ngày ban hành as a run gives it to its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dating {
    /// The date; its year is printed in either case.
    pub date: Date,
    /// The day and the month are left blank for the văn thư to give at issue
    /// (electronic issue, no date set): "ngày      tháng      năm 2025".
    pub day_at_issue: bool,
}

/// What the caller decides for a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub period: Period,
    /// Ngày ban hành of the documents.
    pub date: Date,
    /// The date was set (`--date`, a batch job's date): printed in full in either issue
    /// mode. Otherwise an electronic issue (`[issue] mode`) prints only its year and
    /// leaves the day and the month for the văn thư to give at issue.
    pub date_given: bool,
    /// Số of the first document; the others follow in order. `None` leaves the blank
    /// the văn thư fills at issue.
    pub number: Option<u32>,
}

/// A file produced once per run, beside the documents.
#[derive(Debug, Clone)]
pub struct RenderedFile {
    /// File name, safe on every OS.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The templates' context: the project, the period, the date and the dataset.
pub fn template_context(project: &Project, dataset: &Dataset, dating: Dating) -> Value {
    let Dating { date, day_at_issue } = dating;
    let mut data = serde_json::to_value(dataset).unwrap_or(Value::Null);
    // Running numbers (STT) for tables.
    let mut n = 0;
    if let Some(sections) = data.get_mut("sections").and_then(Value::as_array_mut) {
        for (i, s) in sections.iter_mut().enumerate() {
            s["number"] = json!(i + 1);
            if let Some(inds) = s.get_mut("indicators").and_then(Value::as_array_mut) {
                for ind in inds {
                    n += 1;
                    ind["number"] = json!(n);
                }
            }
        }
    }
    // Wide tables (one column per indicator): the columns in section order, and for the
    // commune, each group and each unit a `row` of figures in that order.
    let mut columns = Vec::new();
    for s in &project.sections {
        for ind in project.indicators.iter().filter(|i| i.section == s.code) {
            columns.push(column_of(ind));
        }
    }
    let row_of = |values: Option<&Value>| figures_row(&columns, values);
    let totals_row = row_of(data.get("totals"));
    data["totals_row"] = totals_row;
    let units: Vec<Value> = data
        .get("units")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(groups) = data.get_mut("groups").and_then(Value::as_array_mut) {
        for (i, g) in groups.iter_mut().enumerate() {
            g["number"] = json!(i + 1);
            g["row"] = row_of(g.get("totals"));
            let members: Vec<Value> = units
                .iter()
                .filter(|u| u.get("group") == g.get("code"))
                .enumerate()
                .map(|(k, u)| {
                    let mut u = u.clone();
                    u["number"] = json!(k + 1);
                    u["row"] = row_of(u.get("values"));
                    u
                })
                .collect();
            g["units"] = Value::Array(members);
        }
    }
    // The report's table by group: a few indicators, each group's figures for them.
    let group_columns: Vec<Value> = project.group_columns().into_iter().map(column_of).collect();
    if let Some(groups) = data.get_mut("groups").and_then(Value::as_array_mut) {
        for g in groups.iter_mut() {
            g["group_row"] = figures_row(&group_columns, g.get("totals"));
        }
    }
    data["group_columns"] = Value::Array(group_columns);
    data["columns"] = Value::Array(columns.clone());
    data["column_count"] = json!(columns.len());
    let missing_units: Vec<Value> = dataset
        .missing
        .iter()
        .filter_map(|c| project.unit(c))
        .map(|u| json!({ "code": u.code, "name": u.name }))
        .collect();
    let behind_units: Vec<Value> = dataset
        .units
        .iter()
        .filter(|u| u.behind)
        .map(|u| json!({ "code": u.code, "name": u.name, "completion": u.completion }))
        .collect();
    let ranked_units: Vec<Value> = dataset
        .ranking
        .iter()
        .filter_map(|c| dataset.units.iter().find(|u| &u.code == c))
        .map(|u| json!({ "code": u.code, "name": u.name, "completion": u.completion, "rank": u.rank }))
        .collect();
    // `json!` serialises every expression it is given: the large values are moved in
    // afterwards instead of copied through serde.
    let mut context = json!({
        "agency": project.agency,
        "signer": project.signer,
        "campaign": project.campaign,
        "period": {
            "id": dataset.period.to_string(),
            "label": dataset.period.label_vi(),
            "sheet_label": dataset.period.sheet_label(),
        },
        "previous_period": {
            "id": dataset.previous_period.to_string(),
            "label": dataset.previous_period.label_vi(),
        },
        "date": {
            "iso": format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
            "line": if day_at_issue {
                nd30::date_line_at_issue(&project.agency.place, date.year)
            } else {
                nd30::date_line(&project.agency.place, date.year, date.month, date.day)
            },
            "at_issue": day_at_issue,
        },
    });
    // The agency's words, with their defaults resolved.
    let a = &project.agency;
    context["agency"]["level"] = json!(a.level());
    context["agency"]["called"] = json!(a.called());
    context["agency"]["called_short"] = json!(a.called_short());
    context["agency"]["superior_short"] = json!(a.superior_short());
    context["agency"]["units_called"] = json!(a.units_called());
    context["agency"]["in_sentence"] = json!(a.in_sentence());
    context["data"] = data;
    context["missing_units"] = Value::Array(missing_units);
    context["behind_units"] = Value::Array(behind_units);
    context["ranked_units"] = Value::Array(ranked_units);
    context
}

/// A column of a table of indicators: its code, short heading, unit and decimals.
fn column_of(ind: &crate::project::Indicator) -> Value {
    json!({
        "code": ind.code,
        "short": ind.short.as_deref().unwrap_or(&ind.label),
        "unit": ind.unit,
        "decimals": ind.shown_decimals(),
    })
}

/// The figures of `values` (a unit's, group's or the commune's, by indicator code) in
/// the order of `columns`: each its value and how many decimals it shows.
fn figures_row(columns: &[Value], values: Option<&Value>) -> Value {
    Value::Array(
        columns
            .iter()
            .map(|c| {
                let code = c["code"].as_str().unwrap_or_default();
                let value = values
                    .and_then(|v| v.get(code))
                    .and_then(|f| f.get("value"))
                    .cloned()
                    .unwrap_or(Value::Null);
                json!({ "value": value, "decimals": c["decimals"] })
            })
            .collect(),
    )
}

/// `unit` of a per-unit document's context: the unit's row of the dataset, its group's
/// name, its reported indicators as a list (label, unit of measure, figures), and those
/// below the threshold again as `below_indicators` (so a list of them can end its last
/// item with a full stop).
fn unit_context(project: &Project, dataset: &Dataset, unit: &aggregate::UnitRow) -> Value {
    let mut v = serde_json::to_value(unit).unwrap_or(Value::Null);
    v["group_name"] = json!(project.group(&unit.group).map(|g| g.name.as_str()));
    let below = dataset.behind_below_percent;
    let indicators: Vec<Value> = project
        .reported_indicators()
        .filter_map(|i| {
            let f = unit.values.get(&i.code)?;
            let mut row = serde_json::to_value(f).unwrap_or(Value::Null);
            row["code"] = json!(i.code);
            row["label"] = json!(i.label);
            row["unit"] = json!(i.unit);
            row["decimals"] = json!(i.shown_decimals());
            row["below"] = json!(f.rate.is_some_and(|r| r < below));
            Some(row)
        })
        .collect();
    let below_indicators: Vec<&Value> = indicators
        .iter()
        .filter(|row| row["below"] == json!(true))
        .collect();
    v["below_indicators"] = json!(below_indicators);
    v["indicators"] = json!(indicators);
    v
}

/// One composed document, before rendering.
#[derive(Debug, Clone)]
pub struct ComposedDocument {
    /// File name without extension, safe on every OS.
    pub stem: String,
    pub template: String,
    /// The unit a per-unit document is for.
    pub unit: Option<String>,
    pub document: doc::Document,
}

/// A document that could not be made, and why; the others are made all the same.
#[derive(Debug)]
pub struct DocumentFailure {
    /// The template, and the unit for a per-unit document.
    pub document: String,
    pub error: Error,
}

/// Compose: every document the project declares for the dataset's period, as models.
/// Fails on the first document that cannot be composed; see [`compose_each`].
pub fn compose_documents(
    project: &Project,
    dataset: &Dataset,
    date: Date,
) -> Result<Vec<ComposedDocument>, Error> {
    let dating = Dating {
        date,
        day_at_issue: false,
    };
    let (documents, failures) = compose_each(project, dataset, dating, None)?;
    match failures.into_iter().next() {
        Some(f) => Err(f.error),
        None => Ok(documents),
    }
}

/// Compose every document the project declares for the period; one that fails (a value
/// its template needs is missing, its front matter is wrong) is reported and the rest
/// are made. With `first_number`, documents are numbered from it in order (the văn
/// thư's register numbers one series per agency and year, Điều 15). An error that
/// concerns every document (a template that does not parse) is returned as `Err`.
pub fn compose_each(
    project: &Project,
    dataset: &Dataset,
    dating: Dating,
    first_number: Option<u32>,
) -> Result<(Vec<ComposedDocument>, Vec<DocumentFailure>), Error> {
    let period = dataset.period;
    // One context for every document; a per-unit document sets its `unit` in it.
    let mut context = handlebars::Context::from(template_context(project, dataset, dating));
    let composer = compose::Composer::new(project)?;
    let mut out: Vec<ComposedDocument> = Vec::new();
    let mut failures = Vec::new();
    for spec in project.documents.iter().filter(|s| s.is_for(period)) {
        // One rendering, or one per lagging unit with `unit` in its context.
        let runs: Vec<Option<&aggregate::UnitRow>> = match spec.for_each {
            None => vec![None],
            Some(ForEach::LaggingUnit) => dataset
                .units
                .iter()
                .filter(|u| u.is_lagging())
                .map(Some)
                .collect(),
        };
        if let Some(data) = context.data_mut().as_object_mut() {
            data.insert("document".into(), json!({ "recipients": spec.recipients }));
        }
        for unit in runs {
            if let Some(data) = context.data_mut().as_object_mut() {
                match unit {
                    Some(u) => data.insert("unit".into(), unit_context(project, dataset, u)),
                    None => data.remove("unit"),
                };
            }
            let unit = unit.map(|u| u.name.as_str());
            let composed = isolate::isolate(|| composer.compose(&spec.template, &context))
                .map_err(Error::from)
                .and_then(|r| r.map_err(Error::from));
            let mut doc = match composed {
                Ok(doc) => doc,
                Err(e) => {
                    failures.push(DocumentFailure {
                        document: match unit {
                            Some(u) => format!("{} ({u})", spec.template),
                            None => spec.template.clone(),
                        },
                        error: e,
                    });
                    continue;
                }
            };
            if let Some(first) = first_number {
                // `first` is at most 99 999 (the CLI checks it), so this cannot wrap.
                let nth = u32::try_from(out.len()).unwrap_or(u32::MAX);
                composer.set_number(&mut doc, first.saturating_add(nth));
            }
            let mut stem = format!("{}_{}_{}", doc.frame.symbol, period, project.campaign.slug);
            if let Some(name) = unit {
                stem = format!("{stem}_{name}");
            }
            let mut stem = crate::text::safe_file_stem(&stem);
            // Two documents of one symbol in a period (two Công văn) must not overwrite
            // each other: the later one is told apart by its template's name.
            if out.iter().any(|d| d.stem == stem) {
                stem = crate::text::safe_file_stem(&format!("{stem}_{}", spec.template));
            }
            out.push(ComposedDocument {
                stem,
                template: spec.template.clone(),
                unit: unit.map(str::to_string),
                document: doc,
            });
        }
    }
    Ok((out, failures))
}

/// A period read, aggregated and composed: what the deliver stage renders and writes.
#[derive(Debug)]
pub struct PeriodPlan {
    pub intake: Intake,
    /// The previous period's files, which the comparisons read.
    pub previous_inputs: Vec<intake::InputDigest>,
    pub dataset: Dataset,
    pub documents: Vec<ComposedDocument>,
    pub failures: Vec<DocumentFailure>,
}

/// Intake → aggregate → compose for one period.
pub fn plan_period(project: &Project, opts: &RunOptions) -> Result<PeriodPlan, Error> {
    let intake = intake::read_period(project, opts.period)?;
    if intake.reports.is_empty() {
        return Err(Error::NothingReported {
            period: opts.period,
            files: intake.inputs.len(),
            diagnostics: intake.diagnostics,
        });
    }
    // What this period read is kept for next period's run, which compares with it.
    intake::remember(project, &intake);
    let (previous, previous_inputs) = match intake::read_reports(project, opts.period.previous()) {
        Ok(prev) => prev,
        Err(ProjectError::NoInputs { .. }) => (Vec::new(), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let dataset = aggregate::aggregate(project, opts.period, &intake.reports, &previous)?;
    let day_at_issue =
        project.issue_mode() == crate::project::IssueMode::Electronic && !opts.date_given;
    let dating = Dating {
        date: opts.date,
        day_at_issue,
    };
    let (documents, failures) = compose_each(project, &dataset, dating, opts.number)?;
    Ok(PeriodPlan {
        intake,
        previous_inputs,
        dataset,
        documents,
        failures,
    })
}

/// The appendix workbook of a period (`PhuLuc_<period>.xlsx`).
pub fn appendix_workbook(
    project: &Project,
    dataset: &Dataset,
    date: Date,
) -> Result<RenderedFile, Error> {
    let name = render::xlsx::file_name(dataset);
    let bytes =
        render::xlsx::appendix_workbook(project, dataset, date).map_err(|source| Error::Xlsx {
            file: name.clone(),
            source,
        })?;
    Ok(RenderedFile { name, bytes })
}
