//! A page for the clerk (`vanthu serve`): drop the units' files in a browser, see what is
//! wrong, make the documents, download them. The page calls the same library code as the
//! command line — intake, plan, deliver — through a small JSON API:
//!
//! | method and path | what |
//! |---|---|
//! | `GET /` | the page (Vietnamese) |
//! | `GET /api/project` | agency, campaign, the periods that have inputs |
//! | `GET /api/status/{period}` | every roster unit: received or missing, values, problems; the completion chart (inline SVG) |
//! | `POST /api/upload/{period}` | multipart `file` fields, stored into `inputs/<period>/` |
//! | `POST /api/generate/{period}` | starts making the period's documents |
//! | `GET /api/generate/{period}` | progress of that run |
//! | `GET /api/outputs/{period}` | the files of `out/<period>/` |
//! | `GET /files/{period}/{name}` | one output (a PDF opens in the browser) |
//!
//! Safety: it listens on loopback unless told otherwise, and then only with a token
//! (`Authorization: Bearer …` or `?token=…` on every request); on loopback without a
//! token the Host header must name the loopback (no DNS rebinding). Uploads are limited
//! in size and type (extension and leading bytes), their names are reduced to safe
//! characters, and a file of the same name is never replaced without `overwrite=1`.
//! Files are served only from `out/<period>/` by plain names. Uploads and a run of the
//! same period take turns on a per-period lock, and every write is atomic.

mod chart;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::diagnostic::Lang;
use crate::period::Period;
use crate::pipeline::RunOptions;
use crate::project::Project;
use crate::{deliver, intake};

const PAGE: &str = include_str!("page.html");

/// Extensions intake reads.
const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// How the server was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub project: PathBuf,
    /// Required on every request when set (and always when listening beyond loopback).
    pub token: Option<String>,
    pub lang: Lang,
}

/// A period's document run, as the page polls it.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct RunState {
    running: bool,
    done: usize,
    total: usize,
    written: usize,
    unchanged: usize,
    kept: Vec<String>,
    failed: Vec<String>,
    error: Option<String>,
    finished: bool,
    /// The documents made, and the sheets' errors and warnings the run read past.
    documents: usize,
    sheet_errors: usize,
    sheet_warnings: usize,
}

struct AppState {
    options: ServeOptions,
    /// One lock per period: uploads and a run of the period take turns.
    locks: Mutex<HashMap<Period, Arc<tokio::sync::Mutex<()>>>>,
    runs: Arc<Mutex<HashMap<Period, RunState>>>,
}

impl AppState {
    fn lock_for(&self, period: Period) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(period).or_default().clone()
    }

    /// A request's period, as the clerk typed it, and the project as it is now.
    fn period_and_project(&self, period: &str) -> Result<(Period, Project), ApiError> {
        let period = parse_period(period, self.options.lang)?;
        Ok((period, self.project()?))
    }

    fn project(&self) -> Result<Project, ApiError> {
        Project::load(&self.options.project).map_err(|e| {
            ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.message(self.options.lang),
            )
        })
    }
}

/// An error as the page shows it: a status and one sentence.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

/// A period as the clerk types it: `2025-11`, or the Vietnamese ways ("11/2025",
/// "T11/2025", "Quý IV/2025", "6 tháng đầu năm 2025").
fn parse_period(text: &str, lang: Lang) -> Result<Period, ApiError> {
    Period::parse_typed(text).ok_or_else(|| {
        bad_request(lang.pick(
            "Kỳ không hợp lệ (ví dụ 11/2025, Quý IV/2025, 6 tháng đầu năm 2025, hoặc 2025-11).",
            "Not a period (for example 11/2025, Quý IV/2025, 6 tháng đầu năm 2025, or 2025-11).",
        ))
    })
}

/// The router of the page and its API.
pub fn router(options: ServeOptions) -> Result<Router, String> {
    let project = Project::load(&options.project).map_err(|e| e.message(options.lang))?;
    // Room for a handful of sheets per request; each one is also checked on its own.
    let body_limit = (project.limits.max_file_bytes as usize).saturating_mul(8);
    let state = Arc::new(AppState {
        options,
        locks: Mutex::new(HashMap::new()),
        runs: Arc::new(Mutex::new(HashMap::new())),
    });
    Ok(Router::new()
        .route("/", get(page))
        .route("/api/project", get(project_info))
        .route("/api/status/{period}", get(status))
        .route("/api/periods/{period}", axum::routing::post(create_period))
        .route(
            "/api/upload/{period}",
            axum::routing::post(upload).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/api/inputs/{period}/{name}",
            axum::routing::delete(remove_input),
        )
        .route("/api/generate/{period}", get(run_state).post(generate))
        .route("/api/outputs/{period}", get(outputs))
        .route("/files/{period}/{name}", get(file))
        .route("/api/register", get(register_book))
        .route(
            "/api/lint",
            axum::routing::post(lint_documents).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route(
            "/api/issue/{period}/{name}",
            axum::routing::post(issue_document),
        )
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state))
}

/// Token and Host checks before anything else.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    match &state.options.token {
        Some(token) => {
            let bearer = request
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string);
            let query = request.uri().query().and_then(|q| {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("token="))
                    .map(str::to_string)
            });
            let given = bearer.or(query).unwrap_or_default();
            if !same(given.as_bytes(), token.as_bytes()) {
                return ApiError(
                    StatusCode::UNAUTHORIZED,
                    state
                        .options
                        .lang
                        .pick(
                            "Cần mã truy cập (token) đúng.",
                            "A valid access token is required.",
                        )
                        .into(),
                )
                .into_response();
            }
        }
        None => {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
            if !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
                return ApiError(StatusCode::FORBIDDEN, "Host must be the loopback".into())
                    .into_response();
            }
        }
    }
    next.run(request).await
}

/// Constant-time comparison of two tokens.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn project_info(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let project = state.project()?;
    // Newest first by when each ends (a quarter with its last month), as the page offers
    // them; the page opens on the newest that has files.
    let mut periods = project.periods();
    periods.sort_by_key(|p| std::cmp::Reverse(p.chronological_key()));
    let has_files = |p: &Period| {
        project
            .world()
            .list(&project.root().join("inputs").join(p.to_string()))
            .is_ok_and(|files| !files.is_empty())
    };
    let open = periods.iter().find(|p| has_files(p)).or(periods.first());
    Ok(Json(json!({
        "agency": project.agency.name.join(" "),
        "campaign": project.campaign.name,
        "periods": periods.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "open": open.map(ToString::to_string),
    })))
}

async fn status(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let (period, project) = state.period_and_project(&period)?;
    let result = tokio::task::spawn_blocking(move || -> Result<Value, String> {
        // A period without its folder yet: the page asks before an upload makes one.
        let mut new_period = false;
        let read = match intake::read_period(&project, period) {
            Ok(i) => i,
            Err(crate::project::ProjectError::NoInputs { .. }) => {
                new_period = true;
                intake::Intake {
                    period,
                    reports: Vec::new(),
                    diagnostics: Vec::new(),
                    inputs: Vec::new(),
                }
            }
            Err(e) => return Err(e.message(lang)),
        };
        let mut status = status_json(&project, &read, lang);
        status["new_period"] = json!(new_period);
        Ok(status)
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok(Json(result))
}

/// Every roster unit with what was read for it, then the problems of files that gave no
/// unit.
fn status_json(project: &Project, read: &intake::Intake, lang: crate::diagnostic::Lang) -> Value {
    let columns: Vec<Value> = project
        .reported_indicators()
        .map(|i| json!({ "code": i.code, "short": i.short.as_deref().unwrap_or(&i.label) }))
        .collect();
    let units: Vec<Value> = project
        .units
        .iter()
        .map(|u| {
            let report = read.reports.iter().find(|r| r.unit_code == u.code);
            // The unit's older files, not counted (the newest upload counts), with the
            // note that says so: shown on the unit's row, with a way to remove them.
            let older: Vec<&intake::Diagnostic> = read
                .diagnostics
                .iter()
                .filter(|d| older_file_of(d).is_some_and(|unit| unit == u.name))
                .collect();
            let problems: Vec<_> = match report {
                Some(r) => read
                    .diagnostics
                    .iter()
                    .filter(|d| d.file == r.file)
                    .chain(older.iter().copied())
                    .map(|d| d.shown(lang))
                    .collect(),
                None => Vec::new(),
            };
            json!({
                "code": u.code,
                "name": u.name,
                "group": u.group,
                "received": report.is_some(),
                "file": report.map(|r| r.file.clone()),
                "values": report.map(|r| {
                    r.values
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::to_value(v.value).unwrap_or(Value::Null)))
                        .collect::<serde_json::Map<_, _>>()
                }),
                "problems": problems,
                // A value cell in error is not "no data": its indicator is marked, with
                // the message, so the table does not show it as "–".
                "cell_errors": report.map(|r| {
                    r.values
                        .iter()
                        .filter_map(|(code, v)| {
                            let d = read.diagnostics.iter().find(|d| {
                                d.file == r.file
                                    && d.cell.as_deref() == Some(v.cell.as_str())
                                    && d.severity() == crate::diagnostic::Severity::Error
                            })?;
                            Some((code.clone(), json!(d.message().get(lang))))
                        })
                        .collect::<serde_json::Map<_, _>>()
                }),
                "not_counted": older.iter().map(|d| d.file.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unit_files: Vec<&str> = read.reports.iter().map(|r| r.file.as_str()).collect();
    let other: Vec<_> = read
        .diagnostics
        .iter()
        .filter(|d| !unit_files.contains(&d.file.as_str()) && older_file_of(d).is_none())
        .map(|d| d.shown(lang))
        .collect();
    let errors = read
        .diagnostics
        .iter()
        .filter(|d| d.severity() == crate::diagnostic::Severity::Error)
        .count();
    // Whether documents were made, and from other sheets than those there now: the
    // inputs of this period the last run recorded, against the files read now.
    let manifest = deliver::manifest::Manifest::load(&project.output_dir(&read.period));
    let made = !manifest.outputs.is_empty();
    let folder = format!("inputs/{}/", read.period);
    let mut made_from: Vec<(String, String)> = manifest
        .inputs
        .iter()
        .filter_map(|i| Some((i.file.strip_prefix(&folder)?.to_string(), i.sha256.clone())))
        .collect();
    made_from.sort();
    let mut now_read: Vec<(String, String)> = read
        .inputs
        .iter()
        .map(|i| (i.file.clone(), i.sha256.clone()))
        .collect();
    now_read.sort();
    // The bar chart of completion, from the sheets read so far (none when a figure
    // leaves exact arithmetic: the run will say why).
    let chart = crate::aggregate::aggregate(project, read.period, &read.reports, &[])
        .ok()
        .filter(|_| !read.reports.is_empty())
        .map(|ds| chart::completion_chart(&ds));
    json!({
        "period": read.period.to_string(),
        "label": read.period.label_vi(),
        "chart": chart,
        "columns": columns,
        "units": units,
        "received": read.reports.len(),
        "roster": project.units.len(),
        "files": read.inputs.iter().map(|i| i.file.clone()).collect::<Vec<_>>(),
        "other_problems": other,
        "errors": errors,
        "warnings": read.diagnostics.len() - errors,
        "made": made,
        "out_of_date": made && made_from != now_read,
    })
}

/// The unit whose older file `d` notes (W-OLDER-FILE), if it does.
fn older_file_of(d: &intake::Diagnostic) -> Option<&str> {
    match &d.problem {
        intake::IntakeProblem::OlderFile { unit, .. } => Some(unit),
        _ => None,
    }
}

/// A name safe to store: the last path component only, letters (Vietnamese folded),
/// digits, `-`, `_` and one extension from the spreadsheet list.
pub fn safe_upload_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next()?.trim();
    let (stem, ext) = last.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if !SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let stem = crate::text::safe_file_stem(stem);
    Some(format!("{stem}.{ext}"))
}

/// Whether the bytes start as a spreadsheet of that extension can: a zip archive (xlsx,
/// xlsm, xlsb, ods) or an OLE compound file (xls).
fn looks_like_spreadsheet(ext: &str, bytes: &[u8]) -> bool {
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    match ext {
        "xls" => ole,
        // An encrypted xlsx is an OLE file: store it, so intake can say E-PASSWORD.
        _ => zip || ole,
    }
}

/// An upload as it arrived: streamed into a hidden temporary file of the period's
/// folder (intake skips names that start with a dot), never held in memory whole.
struct Received {
    file: tempfile::NamedTempFile,
}

/// An uploaded file after the checks: its safe name and where it waits, or why it is
/// refused.
type Checked = Result<(String, Received), String>;

/// Streams one multipart field into a temporary file in `dir`, stopping to store (but
/// reading on, so the next field can be read) once it is over `max` bytes. Returns the
/// file, the bytes the field held and its first bytes.
async fn receive(
    field: &mut axum::extract::multipart::Field<'_>,
    dir: &Path,
    max: u64,
) -> Result<(Option<tempfile::NamedTempFile>, u64, Vec<u8>), ApiError> {
    use std::io::Write as _;
    let internal = |e: std::io::Error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    std::fs::create_dir_all(dir).map_err(internal)?;
    let mut file = Some(
        tempfile::Builder::new()
            .prefix(".upload-")
            .tempfile_in(dir)
            .map_err(internal)?,
    );
    let (mut len, mut head) = (0u64, Vec::with_capacity(8));
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| ApiError(e.status(), e.body_text()))?
    {
        len += chunk.len() as u64;
        if len > max {
            // Over the limit: what came is dropped, the rest is read and not kept.
            file = None;
            continue;
        }
        let want = 8usize.saturating_sub(head.len()).min(chunk.len());
        head.extend_from_slice(&chunk[..want]);
        if let Some(f) = file.as_mut() {
            f.write_all(&chunk).map_err(internal)?;
        }
    }
    Ok((file, len, head))
}

#[derive(Deserialize)]
struct UploadQuery {
    #[serde(default)]
    overwrite: Option<String>,
}

/// Puts a received upload in its place: made durable, then renamed over any old file.
fn store(received: Received, path: &Path) -> std::io::Result<()> {
    received.file.as_file().sync_all()?;
    received.file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The next part of a multipart upload; a broken upload is said in one sentence.
async fn next_field<'m>(
    multipart: &'m mut Multipart,
    lang: Lang,
) -> Result<Option<axum::extract::multipart::Field<'m>>, ApiError> {
    multipart.next_field().await.map_err(|e| {
        ApiError(
            e.status(),
            format!(
                "{}: {}",
                lang.pick("Tải lên bị lỗi", "The upload failed"),
                e.body_text()
            ),
        )
    })
}

/// `POST /api/lint`: the Decree 30 format check of each .docx or .pdf sent, as
/// `vanthu lint --json` gives it. Nothing is stored.
async fn lint_documents(
    State(state): State<Arc<AppState>>,
    mut multipart: Multipart,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        let Some(field) = next_field(&mut multipart, lang).await? else {
            break;
        };
        let name = field.file_name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError(e.status(), e.body_text()))?;
        files.push((name, bytes.to_vec()));
    }
    let reports = tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|(name, bytes)| {
                let findings = crate::lint::lint(name, bytes);
                crate::lint::ShownReport {
                    file: name.clone(),
                    findings: findings.iter().map(|f| f.shown(lang)).collect(),
                }
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(Json(json!(reports)))
}

async fn upload(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
    Query(query): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let (period, project) = state.period_and_project(&period)?;
    let max = project.limits.max_file_bytes;
    let overwrite = query.overwrite.as_deref() == Some("1");
    let dir = project.inputs_dir(&period);
    let mut results = Vec::new();
    // Read every part first; only then take the period's lock to store them.
    // (name as sent, the stored name and bytes, or why it is refused)
    let mut files: Vec<(String, Checked)> = Vec::new();
    loop {
        let Some(mut field) = next_field(&mut multipart, lang).await? else {
            break;
        };
        let given = field.file_name().unwrap_or_default().to_string();
        let Some(name) = safe_upload_name(&given) else {
            files.push((
                given,
                Err(lang
                    .pick(
                        "Không phải tệp bảng tính (.xlsx, .xls, .ods, .xlsm, .xlsb).",
                        "Not a spreadsheet file (.xlsx, .xls, .ods, .xlsm, .xlsb).",
                    )
                    .into()),
            ));
            continue;
        };
        let (file, len, head) = receive(&mut field, &dir, max).await?;
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e).to_string();
        let checked = match file {
            None => Err(match lang {
                Lang::Vi => format!("Tệp quá lớn ({len} byte; tối đa {max})."),
                Lang::En => format!("The file is too large ({len} bytes; at most {max})."),
            }),
            Some(_) if !looks_like_spreadsheet(&ext, &head) => Err(lang
                .pick(
                    "Nội dung không phải bảng tính (có thể là tệp khác đổi tên).",
                    "The content is not a spreadsheet (perhaps another file renamed).",
                )
                .into()),
            Some(file) => Ok((name, Received { file })),
        };
        files.push((given, checked));
    }
    let lock = state.lock_for(period);
    let _guard = lock.lock().await;
    for (given, checked) in files {
        match checked {
            Err(reason) => {
                results.push(json!({ "file": given, "status": "rejected", "reason": reason }))
            }
            Ok((name, received)) => {
                let path = dir.join(&name);
                let existing = std::fs::read(&path).ok();
                let bytes = std::fs::read(received.file.path()).unwrap_or_default();
                let status = match existing {
                    Some(old) if old == bytes => "same",
                    Some(_) if !overwrite => "exists",
                    _ => match store(received, &path) {
                        Ok(()) => "stored",
                        Err(e) => {
                            results.push(json!({ "file": given, "stored_as": name, "status": "rejected", "reason": e.to_string() }));
                            continue;
                        }
                    },
                };
                results.push(json!({ "file": given, "stored_as": name, "status": status }));
            }
        }
    }
    Ok(Json(
        json!({ "period": period.to_string(), "files": results }),
    ))
}

async fn generate(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let lang = state.options.lang;
    let (period, project) = state.period_and_project(&period)?;
    {
        let mut runs = state.runs.lock().unwrap_or_else(|e| e.into_inner());
        if runs.get(&period).is_some_and(|r| r.running) {
            return Err(ApiError(
                StatusCode::CONFLICT,
                lang.pick(
                    "Đang tạo văn bản của kỳ này.",
                    "Already making this period's documents.",
                )
                .into(),
            ));
        }
        runs.insert(
            period,
            RunState {
                running: true,
                ..Default::default()
            },
        );
    }
    let runs = state.runs.clone();
    let lock = state.lock_for(period);
    tokio::spawn(async move {
        // Uploads of this period wait until the run has read its inputs and written.
        let _guard = lock.lock().await;
        let progress_runs = runs.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            // A panic while making the documents is this run's error, not the server's.
            crate::isolate::isolate(|| make_documents(&project, period, lang, progress_runs))
                .unwrap_or_else(|panic| Err(panic.internal()))
        })
        .await;
        let mut r = runs.lock().unwrap_or_else(|e| e.into_inner());
        let s = r.entry(period).or_default();
        s.running = false;
        s.finished = true;
        match outcome {
            Ok(Ok((d, counts))) => {
                (s.documents, s.sheet_errors, s.sheet_warnings) = counts;
                s.written = d.written.len();
                s.unchanged = d.unchanged.len();
                s.kept = d
                    .kept
                    .iter()
                    .map(|k| format!("{} → {}", file_name(&k.edited), file_name(&k.new)))
                    .collect();
                s.failed = d
                    .failed
                    .iter()
                    .map(|(f, why)| format!("{f}: {}", why.message(lang)))
                    .collect();
            }
            Ok(Err(e)) => s.error = Some(e),
            Err(e) => s.error = Some(e.to_string()),
        }
    });
    Ok((StatusCode::ACCEPTED, Json(json!({ "started": true }))))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

async fn run_state(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
) -> Result<Json<RunState>, ApiError> {
    let period = parse_period(&period, state.options.lang)?;
    let runs = state.runs.lock().unwrap_or_else(|e| e.into_inner());
    Ok(Json(runs.get(&period).cloned().unwrap_or_default()))
}

async fn outputs(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let period = parse_period(&period, state.options.lang)?;
    let project = state.project()?;
    let dir = project.output_dir(&period);
    let manifest = deliver::manifest::Manifest::load(&dir);
    let mut files: Vec<Value> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_string();
                    if name.starts_with('.') {
                        return None;
                    }
                    let size = e.metadata().ok()?.len();
                    let entry = manifest.outputs.iter().find(|o| o.file == name);
                    let issued = entry.and_then(|o| o.issued.clone());
                    let number = entry.and_then(|o| o.number);
                    Some(json!({ "name": name, "size": size, "url": format!("/files/{period}/{name}"),
                                 "issued": issued, "number": number }))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let (documents, others) = labelled_outputs(&dir, &manifest, &files);
    Ok(Json(json!({
        "period": period.to_string(),
        "files": files,
        "documents": documents,
        "others": others,
    })))
}

/// The output folder's files by document: each document's name in Vietnamese (its kind
/// and summary from its signing sidecar, the unit of a per-unit one) with its PDF, its
/// DOCX, an appendix issued apart and the sidecar; then the other files, labelled.
fn labelled_outputs(
    dir: &Path,
    manifest: &deliver::manifest::Manifest,
    files: &[Value],
) -> (Vec<Value>, Vec<Value>) {
    let name_of = |f: &Value| f["name"].as_str().unwrap_or_default().to_string();
    let find = |name: &str| files.iter().find(|f| f["name"] == name).cloned();
    let mut stems: Vec<String> = files
        .iter()
        .map(name_of)
        .filter(|n| !n.ends_with(".kyso.json") && !n.contains("_phu-luc"))
        .filter_map(|n| {
            n.strip_suffix(".pdf")
                .or_else(|| n.strip_suffix(".docx"))
                .map(str::to_string)
        })
        .collect();
    stems.sort();
    stems.dedup();
    let mut grouped: Vec<String> = Vec::new();
    let documents: Vec<Value> = stems
        .iter()
        .map(|stem| {
            let sidecar: Option<Value> = std::fs::read(dir.join(format!("{stem}.kyso.json")))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok());
            let entry = manifest
                .outputs
                .iter()
                .find(|o| o.file == format!("{stem}.pdf") || o.file == format!("{stem}.docx"));
            let doc = sidecar.as_ref().map(|s| &s["document"]);
            let kind = doc.and_then(|d| d["kind"].as_str()).unwrap_or("Văn bản");
            let summary = doc.and_then(|d| d["summary"].as_str()).unwrap_or(stem);
            let mut label = format!("{kind} {}", lower_first(summary));
            if let Some(unit) = entry.and_then(|o| o.unit.as_deref()) {
                label.push_str(&format!(" – {unit}"));
            }
            let parts = [
                ("pdf", format!("{stem}.pdf")),
                ("docx", format!("{stem}.docx")),
                ("appendix_pdf", format!("{stem}_phu-luc.pdf")),
                ("signing", format!("{stem}.kyso.json")),
                ("appendix_signing", format!("{stem}_phu-luc.kyso.json")),
                ("metadata", format!("{stem}.metadata.xml")),
            ];
            let mut out = json!({ "label": label, "kind": kind });
            for (key, name) in parts {
                if let Some(f) = find(&name) {
                    grouped.push(name);
                    out[key] = f;
                }
            }
            out
        })
        .collect();
    let others = files
        .iter()
        .filter(|f| !grouped.contains(&name_of(f)))
        .map(|f| {
            let name = name_of(f);
            let label = if name.starts_with("PhuLuc_") && name.ends_with(".xlsx") {
                "Bảng số liệu phụ lục (Excel)".to_string()
            } else if name == "manifest.json" {
                "Danh mục các tệp đã tạo (manifest.json)".to_string()
            } else if name == "data.json" {
                "Số liệu tổng hợp (data.json)".to_string()
            } else {
                name.clone()
            };
            let mut f = f.clone();
            f["label"] = json!(label);
            f
        })
        .collect();
    (documents, others)
}

/// "Kết quả …" → "kết quả …": a summary after its document's kind ("UBND …", an
/// abbreviation, stays).
fn lower_first(text: &str) -> String {
    let first_word = text.split_whitespace().next().unwrap_or_default();
    if first_word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && first_word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

/// The year's sổ đăng ký văn bản đi.
async fn register_book(
    State(state): State<Arc<AppState>>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let project = state.project()?;
    let year = q.year.unwrap_or_else(|| project.world().today().year);
    let root = state.options.project.clone();
    let entries = tokio::task::spawn_blocking(move || {
        crate::register::Register::open(&root).and_then(|r| r.entries(year))
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.message(lang)))?;
    Ok(Json(json!({ "year": year, "entries": entries })))
}

#[derive(Deserialize)]
struct IssueQuery {
    date: Option<String>,
}

/// Ban hành from the page: the next number of the register and the date (today's by
/// default) into a made PDF, as `vanthu issue` does.
async fn issue_document(
    State(state): State<Arc<AppState>>,
    UrlPath((period, name)): UrlPath<(String, String)>,
    Query(q): Query<IssueQuery>,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let (period, project) = state.period_and_project(&period)?;
    let date = match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => crate::doc::Date::parse(d).ok_or_else(|| {
            bad_request(lang.pick(
                "Ngày ban hành không hợp lệ (YYYY-MM-DD).",
                "Not a date (YYYY-MM-DD).",
            ))
        })?,
        None => project.world().today(),
    };
    // A plain PDF name of the output folder: nothing that could climb out of it.
    if name.contains(['/', '\\']) || name.starts_with('.') || !name.ends_with(".pdf") {
        return Err(bad_request(lang.pick("Không có tệp này.", "No such file.")));
    }
    let pdf = project.output_dir(&period).join(&name);
    let root = state.options.project.clone();
    let issued = tokio::task::spawn_blocking(move || crate::issue::issue_made(&pdf, date, &root))
        .await
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| bad_request(e.message(lang)))?;
    Ok(Json(json!({ "file": name, "number": issued.number })))
}

/// 404 for a file the request may not or cannot name.
fn no_such_file(lang: Lang) -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        lang.pick("Không có tệp này.", "No such file.").into(),
    )
}

/// `POST /api/periods/{period}`: the period's folder `inputs/<period>/` is made, so a
/// clerk starts a period from the page (the period is written any way the page
/// accepts; its folder has the canonical name). Made already is not an error.
async fn create_period(
    State(state): State<Arc<AppState>>,
    UrlPath(period): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let (period, project) = state.period_and_project(&period)?;
    let dir = project.inputs_dir(&period);
    let lock = state.lock_for(period);
    let _guard = lock.lock().await;
    let created = !dir.is_dir();
    std::fs::create_dir_all(&dir).map_err(|e| {
        // The page's words, not the server's path.
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            match lang {
                Lang::Vi => format!("Không tạo được kỳ {period}: {}", e.kind()),
                Lang::En => format!("Could not create period {period}: {}", e.kind()),
            },
        )
    })?;
    Ok(Json(json!({
        "period": period.to_string(),
        "label": period.label_vi(),
        "created": created,
    })))
}

/// The folder a removed input is kept in, inside its period's folder (intake skips
/// hidden folders).
pub const REMOVED_INPUTS: &str = ".da-xoa";

/// `DELETE /api/inputs/{period}/{name}`: the file leaves `inputs/<period>/`, kept in
/// its `.da-xoa/` folder (a copy that is not read, never destroyed).
async fn remove_input(
    State(state): State<Arc<AppState>>,
    UrlPath((period, name)): UrlPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let lang = state.options.lang;
    let period = parse_period(&period, lang)?;
    let not_found = || no_such_file(lang);
    // One file directly in the period's folder, by its own name.
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return Err(not_found());
    }
    let project = state.project()?;
    let dir = project.inputs_dir(&period);
    let path = dir.join(&name);
    let lock = state.lock_for(period);
    let _guard = lock.lock().await;
    let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    if !is_file || path.parent() != Some(dir.as_path()) {
        return Err(not_found());
    }
    let kept = dir.join(REMOVED_INPUTS);
    let fail = |e: std::io::Error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    std::fs::create_dir_all(&kept).map_err(fail)?;
    let mut target = kept.join(&name);
    let mut n = 1;
    while target.exists() {
        target = kept.join(format!("{n}-{name}"));
        n += 1;
    }
    std::fs::rename(&path, &target).map_err(fail)?;
    Ok(Json(json!({
        "file": name,
        "kept_as": format!("{REMOVED_INPUTS}/{}", file_name(&target)),
    })))
}

async fn file(
    State(state): State<Arc<AppState>>,
    UrlPath((period, name)): UrlPath<(String, String)>,
) -> Result<Response, ApiError> {
    let lang = state.options.lang;
    let period = parse_period(&period, lang)?;
    let not_found = || no_such_file(lang);
    // A plain name of the output folder: nothing that could climb out of it.
    if name.is_empty()
        || name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(not_found());
    }
    let project = state.project()?;
    let path = project.output_dir(&period).join(&name);
    let meta = std::fs::symlink_metadata(&path).map_err(|_| not_found())?;
    if !meta.is_file() {
        return Err(not_found());
    }
    let bytes = tokio::fs::read(&path).await.map_err(|_| not_found())?;
    let (kind, disposition) = match name.rsplit_once('.').map(|(_, e)| e) {
        Some("pdf") => ("application/pdf", "inline"),
        Some("docx") => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
        Some("xlsx") => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "attachment",
        ),
        Some("json") => ("application/json", "inline"),
        _ => ("application/octet-stream", "attachment"),
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok((headers, Body::from(bytes)).into_response())
}

/// Serves until the process is stopped. `ready` is told the address actually bound.
pub async fn serve(
    options: ServeOptions,
    listen: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    if !listen.ip().is_loopback() && options.token.is_none() {
        return Err(options
            .lang
            .pick(
                "Nghe ngoài máy này (--listen) cần có --token.",
                "Listening beyond this machine (--listen) needs --token.",
            )
            .into());
    }
    let app = router(options)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("{listen}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    ready(bound);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

/// Makes a period's documents for the page, telling `runs` how far it has got.
fn make_documents(
    project: &Project,
    period: Period,
    lang: Lang,
    runs: Arc<Mutex<HashMap<Period, RunState>>>,
) -> Result<(deliver::Delivery, (usize, usize, usize)), String> {
    // The page's words, not a folder on the server: the clerk uploads at step 2.
    project.existing_inputs_dir(&period).map_err(|e| match e {
        crate::project::ProjectError::NoInputs { .. } => match lang {
            Lang::Vi => format!(
                "Kỳ {period} chưa có tệp báo cáo nào: hãy chép các tệp của đơn vị ở bước 2."
            ),
            Lang::En => {
                format!("Period {period} has no reports yet: add the units' files at step 2.")
            }
        },
        other => other.message(lang),
    })?;
    let opts = RunOptions {
        period,
        date: project.world().today(),
        date_given: false,
        number: None,
    };
    let out = project.output_dir(&period);
    let progress = deliver::Progress(Arc::new(move |done, total| {
        if let Ok(mut r) = runs.lock() {
            if let Some(s) = r.get_mut(&period) {
                s.done = done;
                s.total = total;
            }
        }
    }));
    crate::run::run_period(
        project,
        &opts,
        &deliver::DeliveryOptions {
            emit_data: false,
            progress: Some(progress),
        },
        &out,
    )
    .map(|run| {
        let diagnostics = &run.plan.intake.diagnostics;
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity() == crate::diagnostic::Severity::Error)
            .count();
        let counts = (run.plan.documents.len(), errors, diagnostics.len() - errors);
        (run.delivery, counts)
    })
    .map_err(|e| e.message(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names_keep_only_a_safe_stem_and_a_spreadsheet_extension() {
        assert_eq!(
            safe_upload_name("Báo cáo Công an xã.XLSX").as_deref(),
            Some("bao-cao-cong-an-xa.xlsx")
        );
        assert_eq!(
            safe_upload_name("../../etc/passwd.xlsx").as_deref(),
            Some("passwd.xlsx")
        );
        assert_eq!(
            safe_upload_name("..\\..\\boot.ini.ods").as_deref(),
            Some("boot-ini.ods")
        );
        assert_eq!(safe_upload_name("script.sh"), None);
        assert_eq!(safe_upload_name("noext"), None);
        assert!(safe_upload_name(".xlsx").is_some_and(|n| !n.starts_with('.')));
    }

    #[test]
    fn content_must_look_like_its_kind() {
        assert!(looks_like_spreadsheet("xlsx", b"PK\x03\x04rest"));
        assert!(!looks_like_spreadsheet("xlsx", b"%PDF-1.7"));
        assert!(!looks_like_spreadsheet("xls", b"PK\x03\x04"));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"ab", b"abc"));
    }
}
