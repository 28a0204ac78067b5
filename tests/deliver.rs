//! Deliver and batch, end to end on the binary: re-runs that rewrite nothing, hand edits
//! that are never overwritten, inputs never touched, numbering, a failing document or
//! project that does not stop the rest, safe names, and the drop-in folder (`watch`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

mod common;
use common::{copy_project, sample, vanthu};

fn sample_toml() -> String {
    std::fs::read_to_string(sample().join("vanthu.toml")).unwrap()
}

fn run(project: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    run_on(project, out, "2025-11-05", extra)
}

/// `vanthu run` of 2025-10 with the documents dated `date`.
fn run_on(project: &Path, out: &Path, date: &str, extra: &[&str]) -> std::process::Output {
    common::run_project(project, "2025-10", date, out, extra)
}

/// Every file of a folder with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&p).unwrap();
            let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
            (name, (bytes, mtime))
        })
        .collect()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn a_rerun_rewrites_nothing_and_the_manifest_lists_inputs_and_outputs() {
    let project = copy_project(&sample_toml());
    let out = project.path().join("out");
    let first = run(project.path(), &out, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = snapshot(&out);
    // Every document, the workbook and the manifest.
    assert!(before.len() >= 20, "{:?}", before.keys());
    std::thread::sleep(Duration::from_millis(20));
    let second = run(project.path(), &out, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(snapshot(&out), before, "bytes and mtimes unchanged");
    assert!(
        stdout(&second).contains(&format!(
            "{} tệp không đổi so với lần chạy trước",
            before.len() - 1
        )),
        "{}",
        stdout(&second)
    );
    assert!(!stdout(&second).contains(".pdf"), "no file written");

    let m = manifest(&out);
    assert_eq!(m["period"], "2025-10");
    assert_eq!(m["date"], "2025-11-05");
    let inputs = m["inputs"].as_array().unwrap();
    let ca = inputs
        .iter()
        .find(|i| i["file"] == "inputs/2025-10/cong-an-xa_2025-10.xlsx")
        .expect("each input listed");
    assert_eq!(ca["units"][0], "CA");
    let bytes = std::fs::read(
        project
            .path()
            .join("inputs/2025-10/cong-an-xa_2025-10.xlsx"),
    )
    .unwrap();
    assert_eq!(ca["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(ca["sha256"], vanthu::intake::sha256_hex(&bytes));
    let outputs = m["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), before.len() - 1);
    for o in outputs {
        let file = o["file"].as_str().unwrap();
        assert_eq!(
            o["sha256"],
            vanthu::intake::sha256_hex(&before[file].0),
            "{file}"
        );
        assert!(o["template"].is_string());
    }
    let reminder = outputs
        .iter()
        .find(|o| o["file"] == "UBND-VHXH_2025-10_binh-dan-hoc-vu-so_thon-lai-xa.pdf")
        .unwrap();
    assert_eq!(reminder["template"], "don-doc");
    assert_eq!(reminder["unit"], "Thôn Lại Xá");

    // A new date is on every document: every document is made again. The signing
    // sidecars say where the fields lie, which a new date does not move: they stay.
    let date_changed = run_on(project.path(), &out, "2025-11-06", &[]);
    assert!(date_changed.status.success());
    let after = snapshot(&out);
    let (sidecars, documents): (Vec<_>, Vec<_>) = after
        .iter()
        .filter(|(k, _)| k.as_str() != "manifest.json")
        .partition(|(k, _)| k.ends_with(".kyso.json"));
    let pdfs = documents
        .iter()
        .filter(|(k, _)| k.ends_with(".pdf"))
        .count();
    assert_eq!(sidecars.len(), pdfs, "a sidecar per PDF");
    for (name, v) in documents {
        assert_ne!(
            before.get(name).map(|b| &b.0),
            Some(&v.0),
            "{name}: a new date"
        );
    }
    for (name, v) in sidecars {
        assert_eq!(before.get(name).map(|b| &b.0), Some(&v.0), "{name}");
    }

    // One unit's sheet withdrawn: the documents that show the totals are made again; a
    // reminder to another unit, which shows only that unit's figures, is left alone.
    let sheet = project
        .path()
        .join("inputs/2025-10/thon-tan-dan_2025-10.xlsx");
    let before = snapshot(&out);
    std::fs::remove_file(&sheet).unwrap();
    let o = run_on(project.path(), &out, "2025-11-06", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = snapshot(&out);
    let report = "BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf";
    assert_ne!(after[report].0, before[report].0, "the totals changed");
    let other = "UBND-VHXH_2025-10_binh-dan-hoc-vu-so_cong-an-xa.pdf";
    assert_eq!(
        after[other], before[other],
        "a reminder that did not change"
    );
}

#[test]
fn input_files_keep_their_bytes_and_times() {
    let project = copy_project(&sample_toml());
    let inputs = project.path().join("inputs/2025-10");
    let before = snapshot(&inputs);
    let out = project.path().join("out");
    assert!(run(project.path(), &out, &[]).status.success());
    assert!(run(project.path(), &out, &["--number", "3"])
        .status
        .success());
    assert_eq!(snapshot(&inputs), before);
}

#[test]
fn a_hand_edited_output_is_never_overwritten() {
    let project = copy_project(&sample_toml());
    let out = project.path().join("out");
    assert!(run(project.path(), &out, &[]).status.success());
    let report = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.docx");
    let pdf_before = std::fs::read(out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")).unwrap();
    let mut edited = std::fs::read(&report).unwrap();
    edited.extend_from_slice(b"edited by the clerk");
    std::fs::write(&report, &edited).unwrap();

    // Same inputs: the edit is still kept and the clerk is told where the new one is.
    let again = run(project.path(), &out, &["--number", "12"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(std::fs::read(&report).unwrap(), edited);
    let beside = out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so_ban-moi.docx");
    assert!(beside.is_file());
    assert!(
        stderr(&again).contains("đã được sửa sau khi tạo")
            && stderr(&again).contains("_ban-moi.docx"),
        "{}",
        stderr(&again)
    );
    // The DOCX and the PDF of a document stay a pair: the PDF that stands beside the
    // edited DOCX is not overwritten either, and the new PDF goes beside it too.
    assert!(out
        .join("BC-UBND_2025-10_binh-dan-hoc-vu-so_ban-moi.pdf")
        .is_file());
    assert_eq!(
        std::fs::read(out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")).unwrap(),
        pdf_before,
        "the PDF of the edited document is kept as it was"
    );
    // Once more: the edit is kept, the copy beside it is not rewritten.
    let snap = snapshot(&out);
    let third = run(project.path(), &out, &["--number", "12"]);
    assert!(third.status.success());
    assert_eq!(snapshot(&out), snap);
    assert!(stderr(&third).contains("_ban-moi.docx"), "still told");
}

#[test]
fn number_sets_the_so_of_each_document_in_order() {
    let project = copy_project(&sample_toml());
    let out = project.path().join("out");
    let o = run(project.path(), &out, &["--number", "7"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = manifest(&out);
    let mut numbers: Vec<u64> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["file"].as_str().unwrap().ends_with(".pdf"))
        .map(|o| o["number"].as_u64().expect("numbered"))
        .collect();
    numbers.sort();
    let expected: Vec<u64> = (7..7 + numbers.len() as u64).collect();
    assert_eq!(numbers, expected, "one series, no gaps, no repeats");
    let text = common::pdf::Pdf::open(&out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")).text();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Số: 07/BC-UBND"), "{text}");
    // The appendix's reference line of an electronic document (the sample's mode)
    // stays unfilled (Phụ lục I, III.1c); on paper it carries the number too.
    assert!(
        text.contains("Báo cáo số /BC-UBND ngày tháng năm 2025"),
        "{text}"
    );
    let paper = copy_project(&format!("{}\n[issue]\nmode = \"paper\"\n", sample_toml()));
    let out = paper.path().join("out");
    assert!(run(paper.path(), &out, &["--number", "7"]).status.success());
    let text = common::pdf::Pdf::open(&out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")).text();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Báo cáo số 07/BC-UBND ngày 05 tháng 11 năm 2025"),
        "{text}"
    );
}

#[test]
fn a_failing_document_does_not_stop_the_others() {
    // A project template that needs a value the context does not have.
    let toml = sample_toml().replace(
        "[[documents]]",
        "[[documents]]\ntemplate = \"hong\"\n\n[[documents]]",
    );
    let project = copy_project(&toml);
    std::fs::write(
        project.path().join("templates/hong.md.hbs"),
        "+++\nkind = \"notice\"\nsummary = \"x\"\n+++\nGiá trị: {{khong_co_gia_tri_nay}}\n",
    )
    .unwrap();
    let out = project.path().join("out");
    let o = run(project.path(), &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("hong"), "{}", stderr(&o));
    // Told in the clerk's language, not only the template engine's.
    assert!(stderr(&o).contains("lỗi trong mẫu"), "{}", stderr(&o));
    assert!(out.join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf").is_file());
    assert!(out
        .join("UBND-VHXH_2025-10_binh-dan-hoc-vu-so_thon-lai-xa.pdf")
        .is_file());
}

#[test]
fn unit_names_that_look_like_paths_or_devices_give_safe_names() {
    // Both units did not report in 2025-10, so each gets a reminder named after it.
    let toml = sample_toml()
        .replace("name = \"Thôn Lại Xá\"", "name = '../../etc'")
        .replace("name = \"Hội Cựu chiến binh xã\"", "name = 'CON'");
    let project = copy_project(&toml);
    let out = project.path().join("out");
    let o = run(project.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert!(
        names.contains(&"UBND-VHXH_2025-10_binh-dan-hoc-vu-so_etc.pdf".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"UBND-VHXH_2025-10_binh-dan-hoc-vu-so_CON.pdf".to_string()),
        "{names:?}"
    );
    for n in &names {
        assert!(
            n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{n}"
        );
    }
    // Nothing escaped the folder.
    assert!(!project.path().join("etc").exists());
    for line in stdout(&o).lines().filter(|l| l.ends_with(".pdf")) {
        assert_eq!(Path::new(line).parent().unwrap(), out);
    }
}

#[test]
fn a_batch_runs_every_project_and_reports_the_one_that_fails() {
    let a = copy_project(&sample_toml());
    let b = copy_project(&sample_toml());
    let bad = tempfile::tempdir().unwrap();
    std::fs::write(bad.path().join("vanthu.toml"), "[agency\n").unwrap();
    let c = copy_project(&sample_toml());
    let dirs = [a.path(), bad.path(), b.path(), c.path()];
    let mut args = vec!["batch"];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    args.extend(["--date", "2025-11-05"]);
    let o = vanthu(&args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let table = stdout(&o);
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert_eq!(rows.len(), 4, "{table}");
    assert!(
        rows[1].contains("lỗi") && rows[1].contains("dòng 1"),
        "{table}"
    );
    for (i, d) in dirs.iter().enumerate() {
        assert!(rows[i].starts_with(d.to_str().unwrap()), "{table}");
        if i != 1 {
            assert!(rows[i].contains("xong"), "{table}");
            let reports = d.join("out/2025-10");
            assert!(reports
                .join("BC-UBND_2025-10_binh-dan-hoc-vu-so.pdf")
                .is_file());
            assert!(reports.join("manifest.json").is_file());
        }
    }
    // The same jobs from a job file, twice over: the second run writes nothing.
    let job = a.path().join("ky.toml");
    std::fs::write(
        &job,
        "date = \"2025-11-05\"\n[[jobs]]\nproject = \".\"\nperiods = [\"2025-10\"]\nout = \"ban-in\"\n",
    )
    .unwrap();
    let first = vanthu(&["batch", job.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let printed: PathBuf = a.path().join("ban-in/2025-10");
    let snap = snapshot(&printed);
    let second = vanthu(&["batch", job.to_str().unwrap()]);
    assert!(second.status.success());
    assert_eq!(snapshot(&printed), snap);
    let row = stdout(&second).lines().nth(2).unwrap().to_string();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[2], "0", "nothing written: {row}");
}

#[test]
fn watch_runs_the_period_once_files_stop_arriving() {
    let project = copy_project(&sample_toml());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args([
            "watch",
            project.path().to_str().unwrap(),
            "--settle-ms",
            "300",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Give the watcher a moment to start, then drop the sheets into a new period folder.
    std::thread::sleep(Duration::from_millis(500));
    let folder = project.path().join("inputs/2025-11");
    std::fs::create_dir_all(&folder).unwrap();
    for e in std::fs::read_dir(sample().join("inputs/2025-11")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, folder.join(p.file_name().unwrap())).unwrap();
    }
    let manifest = project.path().join("out/2025-11/manifest.json");
    let start = Instant::now();
    while !manifest.exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let made = manifest.exists();
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    assert!(made, "the period was run: {}", stdout(&output));
    let printed = stdout(&output);
    assert!(printed.contains("== 2025-11"), "{printed}");
    // What was recognised in each sheet is printed, as `check` prints it.
    assert!(
        printed.contains("cong-an-xa_2025-11.xlsx: Công an xã"),
        "{printed}"
    );
    assert!(project
        .path()
        .join("out/2025-11/BC-UBND_2025-11_binh-dan-hoc-vu-so.pdf")
        .is_file());
}

#[test]
fn a_batch_puts_every_job_in_place_and_reports_them_in_order_each_once() {
    use vanthu::batch::{run_jobs, Job};
    // More jobs than the committers and their queue hold, most failing at once (no
    // project), so finished jobs overtake one another.
    let real: Vec<_> = (0..3).map(|_| copy_project(&sample_toml())).collect();
    let missing = tempfile::tempdir().unwrap();
    let jobs: Vec<Job> = (0..12)
        .map(|i| Job {
            project: if i % 4 == 0 {
                real[i / 4].path().to_path_buf()
            } else {
                missing.path().join(format!("khong-co-{i}"))
            },
            period: Some("2025-10".parse().unwrap()),
            out: None,
            date: None,
        })
        .collect();
    let announced = std::sync::Mutex::new(Vec::new());
    let date = vanthu::doc::Date::parse("2025-11-05").unwrap();
    let reports = run_jobs(&jobs, Some(date), &|r| {
        announced.lock().unwrap().push(r.job.project.clone())
    });
    assert_eq!(reports.len(), jobs.len());
    for (i, (r, job)) in reports.iter().zip(&jobs).enumerate() {
        assert_eq!(&r.job, job);
        if i % 4 == 0 {
            let counts = r.outcome.as_ref().expect("the sample runs");
            assert!(counts.written > 0 && counts.failed.is_empty(), "{counts:?}");
            let files: Vec<String> = std::fs::read_dir(&counts.out)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert!(files.contains(&"manifest.json".to_string()), "{files:?}");
            assert!(
                files.iter().all(|f| !f.starts_with(".vanthu-")),
                "{files:?}"
            );
            assert_eq!(files.len(), counts.written + 1, "{files:?}");
        } else {
            assert!(r.outcome.is_err(), "{:?}", r.outcome);
        }
    }
    let mut announced = announced.into_inner().unwrap();
    announced.sort();
    let mut expected: Vec<PathBuf> = jobs.iter().map(|j| j.project.clone()).collect();
    expected.sort();
    assert_eq!(announced, expected);
}

#[test]
fn a_damaged_or_missing_manifest_is_rebuilt_from_the_files() {
    let project = copy_project(&sample_toml());
    let out = project.path().join("out");
    assert!(run(project.path(), &out, &[]).status.success());
    let before = snapshot(&out);
    let broken = b"{ \"vanthu\": \"0.1.0\", \"outputs\": [ { \"file\": ".to_vec();
    std::fs::write(out.join("manifest.json"), &broken).unwrap();
    let again = run(project.path(), &out, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let err = stderr(&again);
    assert!(
        err.contains("manifest.json bị hỏng") && err.contains("manifest_hong.json"),
        "{err}"
    );
    // The damaged one is kept aside; no document was copied beside itself, none was
    // rewritten, and the new manifest records them all again.
    assert_eq!(
        std::fs::read(out.join("manifest_hong.json")).unwrap(),
        broken
    );
    let after = snapshot(&out);
    assert!(
        !after.keys().any(|k| k.contains("_ban-moi")),
        "{:?}",
        after.keys()
    );
    for (name, (bytes, mtime)) in &before {
        if name != "manifest.json" {
            assert_eq!((bytes, mtime), (&after[name].0, &after[name].1), "{name}");
        }
    }
    assert_eq!(
        manifest(&out)["outputs"].as_array().unwrap().len(),
        before.len() - 1
    );
    // With no manifest at all, the same: the files are recognised by their bytes.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    let third = run(project.path(), &out, &[]);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(!snapshot(&out).keys().any(|k| k.contains("_ban-moi")));
}

/// A sheet for `unit` of 2025-10 with every indicator at its target: on time and on
/// target, so the unit gets no reminder.
fn sheet_on_target(project: &Path, unit: &str) -> Vec<u8> {
    let p = vanthu::project::Project::load(project).unwrap();
    let period: vanthu::period::Period = "2025-10".parse().unwrap();
    let mut f = vanthu::form::Figures::new();
    for ind in p.reported_indicators() {
        let n = rust_decimal::Decimal::from(100);
        f.insert(
            ind.code.clone(),
            (Some(vanthu::form::Entry::Number(n)), Some(n)),
        );
    }
    let u = p.unit(unit).unwrap();
    vanthu::form::unit_sheet(&p, u, period, &f).unwrap()
}

#[test]
fn a_late_sheet_retires_the_reminder_it_made_untrue() {
    let project = copy_project(&sample_toml());
    let out = project.path().join("out");
    assert!(run(project.path(), &out, &[]).status.success());
    let stem = "UBND-VHXH_2025-10_binh-dan-hoc-vu-so_thon-lai-xa";
    assert!(out.join(format!("{stem}.pdf")).is_file());
    // The CCB's reminder is edited by hand before its sheet arrives too.
    let ccb = out.join("UBND-VHXH_2025-10_binh-dan-hoc-vu-so_hoi-cuu-chien-binh-xa.docx");
    let mut edited = std::fs::read(&ccb).unwrap();
    edited.extend_from_slice(b"clerk");
    std::fs::write(&ccb, &edited).unwrap();
    let inputs = project.path().join("inputs/2025-10");
    for (unit, file) in [
        ("T-LAIXA", "thon-lai-xa_2025-10.xlsx"),
        ("CCB", "hoi-cuu-chien-binh-xa_2025-10.xlsx"),
    ] {
        std::fs::write(inputs.join(file), sheet_on_target(project.path(), unit)).unwrap();
    }
    let again = run(project.path(), &out, &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    // Thôn Lại Xá's reminder is no longer among the current documents: both files are
    // in cu/, and the clerk is told.
    for ext in ["docx", "pdf"] {
        assert!(!out.join(format!("{stem}.{ext}")).exists());
        assert!(out.join("cu").join(format!("{stem}.{ext}")).is_file());
    }
    let err = stderr(&again);
    assert!(err.contains("cu") && err.contains(stem), "{err}");
    let recorded: Vec<String> = manifest(&out)["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["file"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !recorded.iter().any(|f| f.starts_with(stem)),
        "{recorded:?}"
    );
    // The edited one stays where it is, with a warning, and its PDF with it.
    assert_eq!(std::fs::read(&ccb).unwrap(), edited);
    assert!(
        err.contains("hoi-cuu-chien-binh-xa.docx") && err.contains("đừng gửi"),
        "{err}"
    );
    assert!(
        ccb.with_extension("pdf").is_file(),
        "the PDF of an edited document stays with it"
    );
}
