//! `vanthu serve`, over real HTTP: every endpoint, hostile uploads (path tricks, huge
//! files, files that are not spreadsheets), the token, the Host check, concurrent uploads
//! during a run; and one end-to-end run in a headless Chromium through WebDriver.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{copy_project, sample};

/// A `vanthu serve` child process and the address it printed.
struct Server {
    child: Child,
    addr: String,
    token: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(project: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args([
            "serve",
            project.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().trim_start_matches("http://");
    let addr = url.split('/').next().unwrap().to_string();
    let token = url.split_once("?token=").map(|(_, t)| t.to_string());
    Server { child, addr, token }
}

/// A response: status, headers (lower-case names) and body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request with `Connection: close`, written by hand: the hostile cases
/// need full control of the request line and the Host header, which client libraries
/// normalise.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before reading a large body: ignore a broken pipe.
    let _ = s.write_all(body);
    // Read the head, then exactly the body it announces: some servers (chromedriver)
    // keep the connection open whatever the request says.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16384];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = s.read(&mut chunk).unwrap_or(0);
        assert!(n > 0, "the connection closed before a response head");
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: Option<usize> = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok());
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let mut body = raw[split + 4..].to_vec();
    loop {
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[end + 2..end + 2 + size]);
        b = &b[end + 2 + size + 2..];
    }
    out
}

fn get(server: &Server, path: &str) -> Reply {
    request(&server.addr, "GET", &with_token(server, path), &[], b"")
}

fn with_token(server: &Server, path: &str) -> String {
    match &server.token {
        Some(t) => format!(
            "{path}{}token={t}",
            if path.contains('?') { '&' } else { '?' }
        ),
        None => path.to_string(),
    }
}

/// Uploads `(file name, bytes)` parts as multipart `file` fields.
fn upload(server: &Server, period: &str, files: &[(&str, &[u8])], overwrite: bool) -> Reply {
    let path = format!(
        "/api/upload/{period}{}",
        if overwrite { "?overwrite=1" } else { "" }
    );
    post_files(server, &path, files)
}

/// POSTs `(file name, bytes)` parts as multipart `file` fields to `path`.
fn post_files(server: &Server, path: &str, files: &[(&str, &[u8])]) -> Reply {
    let boundary = "vanthu-test-boundary-7MA4YWxk";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    request(
        &server.addr,
        "POST",
        &with_token(server, path),
        &[(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )],
        &body,
    )
}

fn generate_and_wait(server: &Server, period: &str) -> serde_json::Value {
    let r = request(
        &server.addr,
        "POST",
        &with_token(server, &format!("/api/generate/{period}")),
        &[],
        b"",
    );
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    wait_run(server, period)
}

/// Polls a period's run until it has finished.
fn wait_run(server: &Server, period: &str) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let s = get(server, &format!("/api/generate/{period}")).json();
        if s["finished"] == true {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the run never finished"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sample_toml() -> String {
    std::fs::read_to_string(sample().join("vanthu.toml")).unwrap()
}

fn sheet(period: &str, name: &str) -> Vec<u8> {
    std::fs::read(sample().join("inputs").join(period).join(name)).unwrap()
}

#[test]
fn the_page_the_project_and_the_status_of_a_period() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let page = get(&server, "/");
    assert_eq!(page.status, 200);
    let html = String::from_utf8_lossy(&page.body).into_owned();
    assert!(html.contains("lang=\"vi\"") && html.contains("Tạo văn bản"));
    let p = get(&server, "/api/project").json();
    assert_eq!(p["periods"][0], "2025-10");
    assert_eq!(p["campaign"], "Bình dân học vụ số");
    let s = get(&server, "/api/status/2025-10").json();
    assert_eq!(
        (s["received"].as_u64(), s["roster"].as_u64()),
        (Some(26), Some(28))
    );
    let units = s["units"].as_array().unwrap();
    let missing: Vec<&str> = units
        .iter()
        .filter(|u| u["received"] == false)
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["Hội Cựu chiến binh xã", "Thôn Lại Xá"]);
    let ca = units.iter().find(|u| u["code"] == "CA").unwrap();
    assert_eq!(ca["file"], "cong-an-xa_2025-10.xlsx");
    assert!(ca["values"]["zalo"].is_number());
    // A sheet with a problem: the cell and the hint reach the page.
    let bad = units
        .iter()
        .flat_map(|u| u["problems"].as_array().unwrap())
        .next();
    if let Some(d) = bad {
        assert!(d["file"].is_string() && d["hint"].is_string());
    }
    // The completion chart: well-formed SVG, a bar per group and unit, the behind line
    // at the project's threshold, and the units that sent nothing said so.
    let chart = s["chart"].as_str().unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("role=\"img\""));
    let mut reader = quick_xml::Reader::from_str(chart);
    let mut bars = 0;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "rect" => bars += 1,
            _ => {}
        }
    }
    // 26 units and 3 groups sent figures; two units sent nothing.
    assert_eq!(bars, 29, "{chart}");
    assert_eq!(chart.matches("chưa gửi báo cáo").count(), 2);
    assert!(
        chart.contains("stroke-dasharray") && chart.contains(">70%<"),
        "{chart}"
    );
    assert!(chart.contains("Các thôn") && chart.contains("Công an xã"));
    // A period nobody has sent anything for yet: every unit missing, no error.
    let empty = get(&server, "/api/status/2026-01").json();
    assert_eq!(empty["received"], 0);
    assert!(empty["chart"].is_null());
    // Not a period at all.
    assert_eq!(get(&server, "/api/status/..").status, 400);
    assert_eq!(get(&server, "/api/status/2025-13").status, 400);
}

#[test]
fn uploads_are_stored_checked_and_never_silently_replaced() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let ca = sheet("2025-11", "cong-an-xa_2025-11.xlsx");
    let r = upload(
        &server,
        "2025-11",
        &[("Công an xã - tháng 11.xlsx", &ca)],
        false,
    )
    .json();
    assert_eq!(r["files"][0]["status"], "stored");
    let stored = r["files"][0]["stored_as"].as_str().unwrap().to_string();
    assert_eq!(stored, "cong-an-xa-thang-11.xlsx");
    let dir = project.path().join("inputs/2025-11");
    assert_eq!(std::fs::read(dir.join(&stored)).unwrap(), ca);
    // Checked at once: the unit shows as received.
    let s = get(&server, "/api/status/2025-11").json();
    let unit = s["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "CA")
        .unwrap();
    assert_eq!(unit["received"], true);
    // The same bytes again: nothing to do. Other bytes under the same name: kept, asked.
    let again = upload(
        &server,
        "2025-11",
        &[("Công an xã - tháng 11.xlsx", &ca)],
        false,
    )
    .json();
    assert_eq!(again["files"][0]["status"], "same");
    let other = sheet("2025-11", "phong-kinh-te_2025-11.xlsx");
    let clash = upload(
        &server,
        "2025-11",
        &[("Công an xã - tháng 11.xlsx", &other)],
        false,
    )
    .json();
    assert_eq!(clash["files"][0]["status"], "exists");
    assert_eq!(
        std::fs::read(dir.join(&stored)).unwrap(),
        ca,
        "not replaced"
    );
    let replaced = upload(
        &server,
        "2025-11",
        &[("Công an xã - tháng 11.xlsx", &other)],
        true,
    )
    .json();
    assert_eq!(replaced["files"][0]["status"], "stored");
    assert_eq!(std::fs::read(dir.join(&stored)).unwrap(), other);
}

#[test]
fn hostile_uploads_stay_inside_their_folder_or_are_refused() {
    let toml = sample_toml().replace(
        "[aggregate]",
        "[limits]\nmax_file_bytes = 200000\n\n[aggregate]",
    );
    let project = copy_project(&toml);
    let server = start(project.path(), &[]);
    let ca = sheet("2025-10", "cong-an-xa_2025-10.xlsx");
    let r = upload(
        &server,
        "2025-12",
        &[
            ("../../vanthu.toml.xlsx", &ca),
            ("..\\..\\out\\x.xlsx", &ca),
            ("/etc/passwd.ods", b"PK\x03\x04 not really"),
            ("ghi-chu.txt", b"hello"),
            ("bao-cao.xlsx", b"%PDF-1.7 a pdf renamed"),
            ("bao-cao.xls", b"PK\x03\x04 a zip called xls"),
        ],
        false,
    )
    .json();
    let status: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        status,
        ["stored", "stored", "stored", "rejected", "rejected", "rejected"]
    );
    let names: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["stored_as"].as_str())
        .collect();
    assert_eq!(names, ["vanthu-toml.xlsx", "x.xlsx", "passwd.ods"]);
    let dir = project.path().join("inputs/2025-12");
    let mut inside: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    inside.sort();
    assert_eq!(inside, ["passwd.ods", "vanthu-toml.xlsx", "x.xlsx"]);
    // The project file and the output folder are untouched.
    assert_eq!(
        std::fs::read_to_string(project.path().join("vanthu.toml")).unwrap(),
        toml
    );
    assert!(!project.path().join("out").exists());
    // Over the project's size limit: refused, with the limit named.
    let big = [b"PK\x03\x04".as_slice(), &vec![0u8; 300_000]].concat();
    let r = upload(&server, "2025-12", &[("lon.xlsx", &big)], false).json();
    assert_eq!(r["files"][0]["status"], "rejected");
    assert!(r["files"][0]["reason"].as_str().unwrap().contains("200000"));
    // Far over it: the request itself is refused before it is read.
    let huge = vec![b'x'; 3_000_000];
    assert_eq!(
        upload(&server, "2025-12", &[("rat-lon.xlsx", &huge)], false).status,
        413
    );
    // A period that is a path trick.
    assert_eq!(upload(&server, "..", &[("a.xlsx", &ca)], false).status, 400);
    assert_eq!(
        upload(&server, "2025-10%2F..%2F..", &[("a.xlsx", &ca)], false).status,
        400
    );
}

#[test]
fn generate_shows_progress_and_the_outputs_download() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let s = generate_and_wait(&server, "2025-10");
    assert!(s["error"].is_null(), "{s}");
    assert!(s["written"].as_u64().unwrap() >= 20);
    assert_eq!(s["done"], s["total"]);
    let outputs = get(&server, "/api/outputs/2025-10").json();
    let files = outputs["files"].as_array().unwrap();
    let pdf = files
        .iter()
        .find(|f| f["name"] == "BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")
        .unwrap();
    let r = get(&server, pdf["url"].as_str().unwrap());
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .starts_with("inline"));
    assert!(r.body.starts_with(b"%PDF-1.7"));
    assert_eq!(
        r.body,
        std::fs::read(
            project
                .path()
                .join("out/2025-10/BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")
        )
        .unwrap()
    );
    let docx = get(
        &server,
        "/files/2025-10/BC-UBND_2025-10_binh-dan-hoc-vu-so.docx",
    );
    assert!(docx
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    // No request reads outside out/<period>/.
    for path in [
        "/files/2025-10/..%2F..%2Fvanthu.toml",
        "/files/2025-10/%2E%2E",
        "/files/2025-10/.vanthu-x.tmp",
        "/files/..%2Finputs/cong-an-xa_2025-10.xlsx",
        "/files/2025-10/nope.pdf",
    ] {
        let r = get(&server, path);
        assert!(matches!(r.status, 400 | 404), "{path}: {}", r.status);
    }
    // Run again: nothing changed, nothing rewritten.
    let s = generate_and_wait(&server, "2025-10");
    assert_eq!(s["written"], 0, "{s}");
    // The run says how many documents it made and the sheet errors it read past.
    assert_eq!(s["documents"], 10, "{s}");
    let status = get(&server, "/api/status/2025-10").json();
    assert_eq!(s["sheet_errors"], status["errors"], "{s} {status}");
    assert_eq!(s["sheet_warnings"], status["warnings"]);
    assert_eq!(status["made"], true);
    assert_eq!(status["out_of_date"], false);
}

/// The first roster unit a status says was received.
fn received_unit(status: &serde_json::Value) -> serde_json::Value {
    status["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["received"] == true)
        .unwrap()
        .clone()
}

/// A status's row of the unit with `code`.
fn unit_row<'s>(status: &'s serde_json::Value, code: &serde_json::Value) -> &'s serde_json::Value {
    status["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == *code)
        .unwrap()
}

/// A stored file can be taken out of its period from the page: it moves to the
/// period's `.da-xoa/` folder (kept, not destroyed, never read) and the table no longer
/// counts it; names that could reach outside the folder are refused. A period without
/// its folder says so, for the page to ask before an upload creates it.
#[test]
fn a_stored_file_is_removed_into_a_kept_folder_and_the_table_follows() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let before = get(&server, "/api/status/2025-10").json();
    assert_eq!(before["new_period"], false);
    let unit = received_unit(&before);
    let file = unit["file"].as_str().unwrap().to_string();
    let path = format!("/api/inputs/2025-10/{file}");
    let r = request(
        &server.addr,
        "DELETE",
        &with_token(&server, &path),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["kept_as"], format!(".da-xoa/{file}"));
    let inputs = project.path().join("inputs/2025-10");
    assert!(!inputs.join(&file).exists());
    assert!(
        inputs.join(".da-xoa").join(&file).exists(),
        "kept, not destroyed"
    );
    let after = get(&server, "/api/status/2025-10").json();
    assert_eq!(
        after["received"].as_u64().unwrap() + 1,
        before["received"].as_u64().unwrap()
    );
    let row = unit_row(&after, &unit["code"]);
    assert_eq!(row["received"], false);
    // Again: it is gone; and nothing outside the folder can be named.
    let again = request(
        &server.addr,
        "DELETE",
        &with_token(&server, &path),
        &[],
        b"",
    );
    assert_eq!(again.status, 404);
    for bad in ["..%2Fvanthu.toml", ".da-xoa", "%2E%2E", "..%5Cvanthu.toml"] {
        let p = format!("/api/inputs/2025-10/{bad}");
        let r = request(&server.addr, "DELETE", &with_token(&server, &p), &[], b"");
        assert!(matches!(r.status, 400 | 404), "{bad}: {}", r.status);
    }
    assert!(project.path().join("vanthu.toml").exists());
    let fresh = get(&server, "/api/status/2026-03").json();
    assert_eq!(fresh["new_period"], true);
}

/// A unit's corrected file, uploaded later, counts (the newest, as intake reads); the
/// unit's row names the older one as not counted, with its note, and the older one is
/// no longer among the files that gave no unit.
#[test]
fn the_newest_upload_of_a_unit_counts_and_its_row_names_the_older() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let before = get(&server, "/api/status/2025-10").json();
    let unit = received_unit(&before);
    let old = unit["file"].as_str().unwrap().to_string();
    let bytes = std::fs::read(project.path().join("inputs/2025-10").join(&old)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = upload(&server, "2025-10", &[("ban-sua-lai.xlsx", &bytes)], false);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let after = get(&server, "/api/status/2025-10").json();
    let row = unit_row(&after, &unit["code"]);
    assert_eq!(row["file"], "ban-sua-lai.xlsx", "{row}");
    assert_eq!(row["not_counted"], serde_json::json!([old]));
    assert!(
        row["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "W-OLDER-FILE"),
        "{row}"
    );
    assert!(
        !after["other_problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["file"] == old.as_str()),
        "{after}"
    );
}

/// Downloads are listed by document, named in Vietnamese, each with its PDF and DOCX
/// side by side; the appendix workbook is labelled; a changed sheet makes the documents
/// out of date until the next run.
#[test]
fn downloads_are_labelled_by_document_and_go_out_of_date_when_a_sheet_changes() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let status = get(&server, "/api/status/2025-10").json();
    assert_eq!(status["made"], false);
    assert_eq!(status["out_of_date"], false);
    generate_and_wait(&server, "2025-10");
    let outputs = get(&server, "/api/outputs/2025-10").json();
    let documents = outputs["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 10, "{outputs}");
    let report = documents
        .iter()
        .find(|d| d["pdf"]["name"] == "BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")
        .unwrap();
    assert!(
        report["label"]
            .as_str()
            .unwrap()
            .starts_with("Báo cáo kết quả"),
        "{report}"
    );
    assert_eq!(
        report["docx"]["name"],
        "BC-UBND_2025-10_binh-dan-hoc-vu-so.docx"
    );
    assert_eq!(
        report["signing"]["name"],
        "BC-UBND_2025-10_binh-dan-hoc-vu-so.kyso.json"
    );
    let letter = documents
        .iter()
        .find(|d| {
            d["kind"] == "Công văn"
                && d["docx"]["name"]
                    .as_str()
                    .unwrap()
                    .ends_with("_thon-cao-dai.docx")
        })
        .unwrap();
    let label = letter["label"].as_str().unwrap();
    assert!(
        label.starts_with("Công văn đôn đốc") && label.ends_with(" – Thôn Cao Đài"),
        "{label}"
    );
    assert!(letter["pdf"].is_object() && letter["docx"].is_object());
    let others = outputs["others"].as_array().unwrap();
    assert!(
        others
            .iter()
            .any(|f| f["label"] == "Bảng số liệu phụ lục (Excel)"),
        "{others:?}"
    );
    // A unit sends a corrected sheet: the documents are now out of date.
    let inputs = project.path().join("inputs/2025-10");
    let sheet = std::fs::read_dir(&inputs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    let name = sheet.file_name().unwrap().to_string_lossy().to_string();
    std::fs::remove_file(&sheet).unwrap();
    let status = get(&server, "/api/status/2025-10").json();
    assert_eq!(status["out_of_date"], true, "{name} removed");
    generate_and_wait(&server, "2025-10");
    let status = get(&server, "/api/status/2025-10").json();
    assert_eq!(status["out_of_date"], false);
}

#[test]
fn a_token_is_needed_when_given_and_beyond_the_loopback() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &["--token", "s3cret-token"]);
    assert_eq!(
        server.token.as_deref(),
        Some("s3cret-token"),
        "the address carries it"
    );
    assert_eq!(
        request(&server.addr, "GET", "/api/project", &[], b"").status,
        401
    );
    assert_eq!(
        request(&server.addr, "GET", "/api/project?token=wrong", &[], b"").status,
        401
    );
    assert_eq!(get(&server, "/api/project").status, 200);
    let bearer = request(
        &server.addr,
        "GET",
        "/api/project",
        &[("Authorization", "Bearer s3cret-token")],
        b"",
    );
    assert_eq!(bearer.status, 200);
    // Listening on every interface without a token is refused outright.
    let o = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args([
            "serve",
            project.path().to_str().unwrap(),
            "--listen",
            "0.0.0.0:0",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--token"));
}

#[test]
fn without_a_token_only_a_loopback_host_is_served() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let evil = request(
        &server.addr,
        "GET",
        "/api/project",
        &[("Host", "attacker.example:80")],
        b"",
    );
    assert_eq!(evil.status, 403);
    let port = server.addr.rsplit(':').next().unwrap();
    let local = request(
        &server.addr,
        "GET",
        "/api/project",
        &[("Host", &format!("localhost:{port}"))],
        b"",
    );
    assert_eq!(local.status, 200);
}

#[test]
fn concurrent_uploads_and_a_run_lose_nothing() {
    let project = copy_project(&sample_toml());
    let server = std::sync::Arc::new(start(project.path(), &[]));
    let sheets: Vec<(String, Vec<u8>)> = std::fs::read_dir(sample().join("inputs/2025-11"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    assert!(sheets.len() > 10);
    // A run of 2025-10 starts while 2025-11's sheets arrive from many clients at once.
    let r = request(&server.addr, "POST", "/api/generate/2025-10", &[], b"");
    assert_eq!(r.status, 202);
    let handles: Vec<_> = sheets
        .chunks(3)
        .map(|chunk| {
            let server = server.clone();
            let chunk = chunk.to_vec();
            std::thread::spawn(move || {
                let files: Vec<(&str, &[u8])> = chunk
                    .iter()
                    .map(|(n, b)| (n.as_str(), b.as_slice()))
                    .collect();
                upload(&server, "2025-11", &files, false).json()
            })
        })
        .collect();
    for h in handles {
        let r = h.join().unwrap();
        for f in r["files"].as_array().unwrap() {
            assert_eq!(f["status"], "stored", "{f}");
        }
    }
    let dir = project.path().join("inputs/2025-11");
    for (name, bytes) in &sheets {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes, "{name}");
    }
    let s = wait_run(&server, "2025-10");
    assert!(
        s["error"].is_null() && s["failed"].as_array().unwrap().is_empty(),
        "{s}"
    );
    // And a second run of the same period while one is going is refused, not doubled.
    let first = request(&server.addr, "POST", "/api/generate/2025-11", &[], b"");
    assert_eq!(first.status, 202);
    let second = request(&server.addr, "POST", "/api/generate/2025-11", &[], b"");
    assert!(matches!(second.status, 202 | 409), "{}", second.status);
    let s = wait_run(&server, "2025-11");
    assert!(s["error"].is_null(), "{s}");
    let status = get(&server, "/api/status/2025-11").json();
    assert_eq!(status["received"], sheets.len());
}

// ---- the browser test ----

/// A minimal W3C WebDriver client over the same HTTP helper.
struct Driver {
    addr: String,
    session: String,
    child: Child,
}

impl Driver {
    fn call(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let body = body.to_string();
        let r = request(
            &self.addr,
            method,
            &format!("/session/{}{path}", self.session),
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        );
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            serde_json::json!({"using": "css selector", "value": css}),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string()
    }

    /// Enter pressed on the element `css` finds (focused first, as the keyboard does).
    fn press_enter(&self, css: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            serde_json::json!({"text": "\u{E007}"}),
        );
    }

    fn script(&self, js: &str) -> serde_json::Value {
        self.call(
            "POST",
            "/execute/sync",
            serde_json::json!({"script": js, "args": []}),
        )
    }

    fn wait_for(&self, js: &str, what: &str) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let v = self.script(js);
            if !(v.is_null() || v == false) {
                return v;
            }
            assert!(
                start.elapsed() < Duration::from_secs(90),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            b"",
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver driving Chromium, both as PATH finds them.
fn chrome_driver() -> Driver {
    let driver = common::tools::on_path("chromedriver").expect("chromedriver on PATH");
    let chromium = common::tools::on_path("chromium").expect("chromium on PATH");
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    let start = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let caps = serde_json::json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]
        }
    }}});
    let body = caps.to_string();
    let r = request(
        &addr,
        "POST",
        "/session",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.status, 200, "new session: {v}");
    let session = v["value"]["sessionId"].as_str().unwrap().to_string();
    Driver {
        addr,
        session,
        child,
    }
}

/// The project's page served and opened in Chromium (at `size`, if given); `None` when
/// the browser is not installed (and not required).
fn page_in_browser(project: &Path, size: Option<(u32, u32)>) -> Option<(Server, Driver)> {
    if !common::tools::have(
        "the web page in a real browser",
        &["chromium", "chromedriver"],
    ) {
        return None;
    }
    let server = start(project, &[]);
    let driver = chrome_driver();
    if let Some((width, height)) = size {
        driver.call(
            "POST",
            "/window/rect",
            serde_json::json!({"width": width, "height": height}),
        );
    }
    driver.call(
        "POST",
        "/url",
        serde_json::json!({"url": format!("http://{}/", server.addr)}),
    );
    Some((server, driver))
}

#[test]
fn in_a_real_browser_upload_check_generate_and_download_a_pdf() {
    // An empty project: the clerk brings every sheet through the page.
    let project = copy_project(&sample_toml());
    std::fs::remove_dir_all(project.path().join("inputs/2025-10")).unwrap();
    std::fs::create_dir_all(project.path().join("inputs/2025-11")).unwrap();
    let Some((_server, driver)) = page_in_browser(project.path(), None) else {
        return;
    };
    driver.wait_for(
        "return document.getElementById('period').value === '2025-11'",
        "the page",
    );
    // Without a mouse: Tab from the period field reaches the button that opens the file
    // chooser, which takes Enter like any button.
    let field = driver.find("#period");
    driver.call(
        "POST",
        &format!("/element/{field}/value"),
        serde_json::json!({"text": "\u{E004}"}),
    );
    let focused = driver.script("return document.activeElement.id");
    assert_eq!(
        focused.as_str(),
        Some("choose"),
        "Tab from the period field"
    );
    // Choose the units' files in the file input, as a clerk does with the dialog.
    let paths: Vec<String> = std::fs::read_dir(sample().join("inputs/2025-11"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    let paths_first = paths.iter().find(|p| p.ends_with(".xlsx")).unwrap().clone();
    let input = driver.find("#files");
    driver.call(
        "POST",
        &format!("/element/{input}/value"),
        serde_json::json!({"text": paths.join("\n")}),
    );
    // The table fills in: every sheet received and recognised.
    let summary = driver.wait_for(
        &format!("const t = document.getElementById('summary').textContent; return t.includes('{}/28') ? t : null", paths.len()),
        "the table",
    );
    assert!(
        summary.as_str().unwrap().contains("tháng 11 năm 2025"),
        "{summary}"
    );
    let received =
        driver.script("return document.querySelectorAll('#units tbody tr:not(.missing)').length");
    assert_eq!(received.as_u64(), Some(paths.len() as u64));
    // Generate, watch it finish, and fetch the report PDF through the page's own link.
    driver.call(
        "POST",
        &format!("/element/{}/click", driver.find("#generate")),
        serde_json::json!({}),
    );
    driver.wait_for(
        "return document.getElementById('state').dataset.done === '1'",
        "the run",
    );
    let state = driver.script("return document.getElementById('state').textContent");
    assert!(state.as_str().unwrap().starts_with("Xong"), "{state}");
    // Downloads are listed by document, in Vietnamese, PDF and Word side by side.
    let listed = driver.wait_for(
        "const t = document.getElementById('outputs').textContent; return t.includes('Báo cáo kết quả') ? t : null",
        "the labelled downloads",
    );
    assert!(listed.as_str().unwrap().contains("Word (DOCX)"), "{listed}");
    let href = driver.wait_for(
        "const a = [...document.querySelectorAll('#outputs a.pdf')].find(a => a.dataset.file.startsWith('BC-UBND')); return a ? a.href : null",
        "the report's link",
    );
    let b64 = driver.call(
        "POST",
        "/execute/async",
        serde_json::json!({
            "script": "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => { let s = ''; const u = new Uint8Array(b); for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]); done(btoa(s)); });",
            "args": [href]
        }),
    );
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(b64.as_str().unwrap())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("BC-UBND_2025-11_binh-dan-hoc-vu-so.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let expect = ["BÁO CÁO", "Phạm Tiến Nhuận"];
    common::pdf::check(&file, &expect).assert_clean(&file);
    common::python_checker("check_pdf.py", &file, &expect);
    // The format check: a document typed elsewhere, chosen in its own file input.
    let faulty = common::repo().join("tests/lint/corpus/so-thieu-so-0.docx");
    let input = driver.find("#lint-files");
    driver.call(
        "POST",
        &format!("/element/{input}/value"),
        serde_json::json!({"text": faulty.to_string_lossy()}),
    );
    let shown = driver.wait_for(
        "const t = document.getElementById('lint-results').textContent; return t.includes('L-NUMBER-ZERO') ? t : null",
        "the format check's findings",
    );
    assert!(shown.as_str().unwrap().contains("1 lỗi"), "{shown}");
    // A damaged sheet is stored, then told in red at its upload line, and removed there.
    let scratch = tempfile::tempdir().unwrap();
    let damaged = scratch.path().join("truong-hong.xlsx");
    let good = std::fs::read(&paths_first).unwrap();
    std::fs::write(&damaged, &good[..good.len() / 3]).unwrap();
    let input = driver.find("#files");
    driver.call(
        "POST",
        &format!("/element/{input}/value"),
        serde_json::json!({"text": damaged.to_string_lossy()}),
    );
    let line = driver.wait_for(
        "const li = document.querySelector('#log li[data-stored=\"truong-hong.xlsx\"] .outcome'); return li && li.classList.contains('err') && li.textContent.startsWith('không dùng được') ? li.textContent : null",
        "the damaged file's line",
    );
    assert!(!line.as_str().unwrap().is_empty());
    driver.script("document.querySelector('#log li[data-stored=\"truong-hong.xlsx\"] button.remove').click(); return 1");
    driver.call("POST", "/alert/accept", serde_json::json!({}));
    driver.wait_for(
        "const li = document.querySelector('#log li[data-stored=\"truong-hong.xlsx\"] .outcome'); return li && li.textContent === 'đã xóa khỏi kỳ' ? 1 : null",
        "the removal",
    );
    assert!(project
        .path()
        .join("inputs/2025-11/.da-xoa/truong-hong.xlsx")
        .exists());
    // An invalid period clears the table and the downloads.
    driver.script("const p = document.getElementById('period'); p.value = '2025-13'; p.dispatchEvent(new Event('change')); return 1");
    driver.wait_for(
        "return document.querySelectorAll('#units tbody tr').length === 0 && document.querySelectorAll('#outputs li').length === 0 ? 1 : null",
        "the cleared page",
    );
}

/// The most memory the server process has held so far (VmHWM), in MB.
fn peak_mb(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap();
    kb / 1024
}

#[test]
fn uploads_stream_to_disk_and_memory_stays_bounded() {
    // 20 MB is the sample's max_file_bytes: three uploads of 90 MB at once are read
    // through and refused, the server holding a few MB of each at a time.
    if !Path::new("/proc/self/status").exists() {
        return;
    }
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let before = peak_mb(&server);
    let big = vec![b'P'; 90 * 1024 * 1024];
    std::thread::scope(|s| {
        for i in 0..3 {
            let (server, big) = (&server, &big);
            s.spawn(move || {
                let name = format!("to-{i}.xlsx");
                let r = upload(server, "2025-10", &[(&name, big)], false);
                assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
                let v = r.json();
                assert_eq!(v["files"][0]["status"], "rejected", "{v}");
                let reason = v["files"][0]["reason"].as_str().unwrap();
                assert!(reason.contains("quá lớn"), "{reason}");
            });
        }
    });
    let peak = peak_mb(&server);
    assert!(
        peak < before + 60,
        "server peak {peak} MB (at start {before} MB)"
    );
    // Nothing is left of them in the period's folder, not even a temporary file.
    let names: Vec<String> = std::fs::read_dir(project.path().join("inputs/2025-10"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with('.') || n.starts_with("to-")),
        "{names:?}"
    );
    // A good file after them is still stored.
    let good = std::fs::read(sample().join("inputs/2025-10/cong-an-xa_2025-10.xlsx")).unwrap();
    let r = upload(
        &server,
        "2025-11",
        &[("cong-an-xa_2025-11.xlsx", &good)],
        false,
    );
    assert_eq!(r.json()["files"][0]["status"], "stored");
}

/// Ban hành from the page: one click gives a made PDF the register's next number and
/// the date; the outputs show it issued; the register lists it; a second click on the
/// same file is refused; a name outside the folder is refused.
#[test]
fn the_page_issues_a_document_and_shows_the_register() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let s = generate_and_wait(&server, "2025-10");
    assert!(s["error"].is_null(), "{s}");
    let name = "BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf";
    // The page's date field holds today's date, as the documents' printed year is.
    let today = vanthu::doc::Date::today();
    let iso = format!("{:04}-{:02}-{:02}", today.year, today.month, today.day);
    let path = format!("/api/issue/2025-10/{name}?date={iso}");
    let addr = server.addr.clone();
    let r = request(&addr, "POST", &with_token(&server, &path), &[], b"");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["number"], 1);
    let outputs = get(&server, "/api/outputs/2025-10").json();
    let pdf = outputs["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == name)
        .unwrap();
    assert_eq!(pdf["issued"], iso.as_str());
    assert_eq!(pdf["number"], 1);
    let book = get(&server, &format!("/api/register?year={}", today.year)).json();
    let entries = book["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["number_and_symbol"], "01/BC-UBND");
    assert_eq!(entries[0]["state"], "issued");
    let again = request(&addr, "POST", &with_token(&server, &path), &[], b"");
    assert_eq!(again.status, 400, "already issued");
    for bad in ["..%2Fvanthu.toml", "x.docx", ".hidden.pdf"] {
        let p = format!("/api/issue/2025-10/{bad}");
        let r = request(&addr, "POST", &with_token(&server, &p), &[], b"");
        assert!(matches!(r.status, 400 | 404), "{bad}: {}", r.status);
    }
}

/// The page's format check: any .docx or .pdf sent is linted in memory (nothing is
/// stored) and answered as `vanthu lint --json` answers.
#[test]
fn the_page_checks_the_format_of_any_document() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let corpus = common::repo().join("tests/lint/corpus");
    let fault = std::fs::read(corpus.join("so-thieu-so-0.docx")).unwrap();
    let clean = std::fs::read(corpus.join("lo-sach-bao-cao.pdf")).unwrap();
    let before = common::files_below(project.path()).len();
    let r = post_files(
        &server,
        "/api/lint",
        &[
            ("so-thieu-so-0.docx", &fault),
            ("bao-cao.pdf", &clean),
            ("ghi-chu.txt", b"hello"),
        ],
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let reports = r.json();
    let reports = reports.as_array().unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["file"], "so-thieu-so-0.docx");
    let finding = &reports[0]["findings"][0];
    assert_eq!(finding["code"], "L-NUMBER-ZERO");
    assert_eq!(finding["severity"], "error");
    assert!(finding["where"].as_str().unwrap().contains("Số: 5/BC-UBND"));
    assert_eq!(reports[1]["findings"].as_array().unwrap().len(), 0);
    assert_eq!(reports[2]["findings"][0]["code"], "L-UNREADABLE");
    assert_eq!(
        common::files_below(project.path()).len(),
        before,
        "nothing is stored"
    );
}

/// The page reads a period written the Vietnamese way ("11/2025", "Quý IV/2025") into
/// its canonical folder, lists periods by when they end (newest first), and opens on the
/// newest that has files (an empty folder of a later period does not win).
#[test]
fn periods_are_read_the_vietnamese_way_and_listed_by_date() {
    let project = copy_project(&sample_toml());
    for empty in ["2024-H1", "2026-Q1"] {
        std::fs::create_dir_all(project.path().join("inputs").join(empty)).unwrap();
    }
    let server = start(project.path(), &[]);
    let info = get(&server, "/api/project").json();
    let periods: Vec<&str> = info["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2026-Q1", "2025-10", "2024-H1"]);
    assert_eq!(info["open"], "2025-10");
    let canonical = get(&server, "/api/status/2025-10").json();
    for typed in ["10%2F2025", "T10%2F2025", "Th%C3%A1ng%2010%2F2025"] {
        let s = get(&server, &format!("/api/status/{typed}")).json();
        assert_eq!(s["label"], canonical["label"], "{typed}");
        assert_eq!(s["received"], canonical["received"], "{typed}");
    }
    for bad in ["13%2F2025", "2025-13", "thang%2013"] {
        let r = get(&server, &format!("/api/status/{bad}"));
        assert_eq!(r.status, 400, "{bad}");
        assert!(String::from_utf8_lossy(&r.body).contains("11/2025"));
    }
}

/// At 800 px, by keyboard: the page's layout keeps step 4 and the problems in view, a
/// mistyped period is told at its field, a new period is started by its button, and a
/// made document is issued from the page into the register.
#[test]
fn in_a_real_browser_at_800px_a_period_is_started_and_a_document_issued() {
    let project = copy_project(&sample_toml());
    let Some((_server, driver)) = page_in_browser(project.path(), Some((800, 900))) else {
        return;
    };
    driver.wait_for(
        "return document.getElementById('units').dataset.ready === '1' ? 1 : null",
        "the table",
    );
    // The page is no wider than the window, the problems column is in view beside the
    // unit, and the Generate button is on screen without scrolling past the table.
    let layout = driver.script(
        "const r = (e) => e.getBoundingClientRect(); const ths = document.querySelectorAll('#units thead th'); \
         const g = r(document.getElementById('generate')); \
         return { page: document.documentElement.scrollWidth, width: innerWidth, height: innerHeight, \
                  problems_right: r(ths[2]).right, generate_top: g.top, generate_bottom: g.bottom, \
                  rows: document.querySelectorAll('#units tbody tr').length };",
    );
    let n = |k: &str| layout[k].as_f64().unwrap();
    assert!(n("page") <= n("width"), "{layout}");
    assert!(n("problems_right") <= n("width"), "{layout}");
    assert!(
        n("generate_top") >= 0.0 && n("generate_bottom") <= n("height"),
        "{layout}"
    );
    assert_eq!(layout["rows"], 28, "{layout}");
    // The table's header stays in view as its box scrolls.
    let header = driver.script(
        "const box = document.querySelector('.scroll.tall'); box.scrollTop = 400; \
         return box.getBoundingClientRect().top - document.querySelector('#units thead th').getBoundingClientRect().top;",
    );
    assert!(header.as_f64().unwrap().abs() < 2.0, "{header}");
    // Enter on the focused Generate button makes the documents; the progress bar shows
    // nothing once the run is over.
    driver.press_enter("#generate");
    driver.wait_for(
        "return document.getElementById('state').dataset.done === '1'",
        "the run",
    );
    let after = driver.script(
        "return [document.getElementById('state').textContent, document.getElementById('progress').hidden]",
    );
    assert!(after[0].as_str().unwrap().starts_with("Xong"), "{after}");
    assert_eq!(after[1], true, "{after}");
    // Issued from the page, by keyboard: the report gets the register's first number.
    let issue = driver.wait_for(
        "const b = [...document.querySelectorAll('#outputs button.issue')].find(b => b.dataset.file.startsWith('BC-UBND')); return b ? 1 : null",
        "the issue button",
    );
    assert_eq!(issue, 1);
    driver.press_enter("#outputs li.doc button.issue[data-file^='BC-UBND']");
    let shown = driver.wait_for(
        "const t = document.getElementById('outputs').textContent; return t.includes('Số 01, ban hành ngày') ? t : null",
        "the issued document",
    );
    assert!(!shown.as_str().unwrap().is_empty());
    let register = driver.wait_for(
        "const t = document.querySelector('#register tbody').textContent; return t.includes('01/BC-UBND') ? t : null",
        "the register",
    );
    assert!(register.as_str().unwrap().contains("Báo cáo"), "{register}");
    // A mistyped period: the reason at the field, marked invalid, the table gone.
    let field = driver.find("#period");
    let type_period = |text: &str| {
        driver.call(
            "POST",
            &format!("/element/{field}/clear"),
            serde_json::json!({}),
        );
        driver.call(
            "POST",
            &format!("/element/{field}/value"),
            serde_json::json!({"text": format!("{text}\u{E004}")}),
        );
    };
    type_period("2025-13");
    let note = driver.wait_for(
        "const p = document.getElementById('period'); const n = document.getElementById('period-note'); \
         return p.getAttribute('aria-invalid') === 'true' && document.querySelectorAll('#units tbody tr').length === 0 ? n.textContent : null",
        "the invalid period",
    );
    assert!(note.as_str().unwrap().contains("11/2025"), "{note}");
    // A new period, the Vietnamese way: said at the field, started by its button.
    type_period("12/2025");
    driver.wait_for(
        "return !document.getElementById('create-period').hidden ? 1 : null",
        "the create-period button",
    );
    assert!(!project.path().join("inputs/2025-12").exists());
    driver.press_enter("#create-period");
    driver.wait_for(
        "return document.getElementById('create-period').hidden && document.getElementById('period').value === '2025-12' && document.getElementById('period-note').textContent === '' ? 1 : null",
        "the started period",
    );
    assert!(project.path().join("inputs/2025-12").is_dir());
}

/// `POST /api/periods/{period}` starts a period from the page: its folder is made under
/// the canonical name whichever way the period was typed, twice is not an error, and a
/// bad period is refused in the page's words with no server path.
#[test]
fn a_period_is_started_from_the_page() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let before = get(&server, "/api/status/2025-12").json();
    assert_eq!(before["new_period"], true, "{before}");
    let path = with_token(&server, "/api/periods/Qu%C3%BD%20IV%2F2025");
    let r = request(&server.addr, "POST", &path, &[], b"");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    assert_eq!(v["period"], "2025-Q4");
    assert_eq!(v["created"], true);
    assert!(project.path().join("inputs/2025-Q4").is_dir());
    let again = request(&server.addr, "POST", &path, &[], b"").json();
    assert_eq!(again["created"], false);
    let started = get(&server, "/api/status/2025-Q4").json();
    assert_eq!(started["new_period"], false, "{started}");
    let info = get(&server, "/api/project").json();
    assert!(info["periods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "2025-Q4"));
    let bad = request(
        &server.addr,
        "POST",
        &with_token(&server, "/api/periods/2025-13"),
        &[],
        b"",
    );
    assert_eq!(bad.status, 400);
    let message = String::from_utf8_lossy(&bad.body).into_owned();
    assert!(message.contains("11/2025"), "{message}");
    assert!(
        !message.contains(&*project.path().to_string_lossy()),
        "{message}"
    );
    assert!(!project.path().join("inputs/2025-13").exists());
}

/// A value cell in error is marked on the unit's row with its message, not shown as
/// "–" (which means the unit wrote no figure).
#[test]
fn a_value_cell_in_error_is_marked_not_shown_as_no_data() {
    let project = copy_project(&sample_toml());
    let server = start(project.path(), &[]);
    let bad = std::fs::read(common::repo().join("tests/fixtures/lo-bad-values.ods")).unwrap();
    let r = upload(&server, "2025-10", &[("lo-bad-values.ods", &bad)], false);
    assert_eq!(r.json()["files"][0]["status"], "stored");
    let status = get(&server, "/api/status/2025-10").json();
    let row = status["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["file"] == "lo-bad-values.ods")
        .expect("the unit of the bad sheet");
    let marked = row["cell_errors"].as_object().unwrap();
    assert_eq!(marked.len(), 4, "{row}");
    assert_eq!(
        marked["zalo"],
        "Ô số liệu ghi \"mười hai\", không phải là số."
    );
    for code in marked.keys() {
        assert!(row["values"][code].is_null(), "{code}: {row}");
    }
    // A unit without errors has nothing marked.
    let clean = status["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["received"] == true && u["file"] != "lo-bad-values.ods")
        .unwrap();
    assert!(clean["cell_errors"].as_object().unwrap().is_empty());
}
