//! `vanthu init DIR`: a new project the way `cargo new` makes a crate — a commented
//! vanthu.toml that validates as it is, and empty `inputs/` and `templates/` folders —
//! so a clerk can start with `vanthu form` without copying the sample.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::text::upper;

/// What `vanthu init` is told; everything has a placeholder to edit.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// Cấp: "xã", "phường", "thị trấn"… (default "xã").
    pub level: Option<String>,
    /// The place name ("Hoàng Liệt").
    pub place: Option<String>,
    /// The parent body printed above the agency, if any ("UBND QUẬN HOÀNG MAI").
    pub parent: Option<String>,
    /// Who signs ("Nguyễn Văn An").
    pub signer: Option<String>,
    /// The campaign's name ("Chuyển đổi số").
    pub campaign: Option<String>,
}

#[derive(Debug, Error)]
pub enum InitError {
    #[error("{0} already holds a vanthu.toml; nothing was written")]
    Exists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl InitError {
    /// The message in the clerk's language.
    pub fn message(&self, lang: crate::diagnostic::Lang) -> String {
        match (self, lang) {
            (InitError::Exists(p), crate::diagnostic::Lang::Vi) => format!(
                "{} đã có vanthu.toml; không ghi gì (lệnh init không ghi đè dự án có sẵn).",
                p.display()
            ),
            (InitError::Write { path, source }, crate::diagnostic::Lang::Vi) => {
                format!("Không ghi được {}: {source}.", path.display())
            }
            (e, _) => e.to_string(),
        }
    }
}

/// The campaign's slug for file names (as [`crate::text::safe_file_stem`] makes them).
fn slug(s: &str) -> String {
    let slug = crate::text::safe_file_stem(s).to_lowercase();
    if slug.is_empty() {
        "phong-trao".into()
    } else {
        slug
    }
}

/// Quotes `s` as a TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The commented vanthu.toml of a new project.
pub fn project_toml(o: &InitOptions) -> String {
    let level = o.level.clone().unwrap_or_else(|| "xã".into());
    let place = o.place.clone().unwrap_or_else(|| "Tên địa phương".into());
    let signer = o.signer.clone().unwrap_or_else(|| "Nguyễn Văn A".into());
    let campaign = o
        .campaign
        .clone()
        .unwrap_or_else(|| "Tên phong trào".into());
    let name_line = upper(&format!("{level} {place}"));
    let parent = match &o.parent {
        Some(p) => format!("parent = {}\n", quoted(&upper(p))),
        None => "# parent = \"UBND HUYỆN …\"       # cơ quan chủ quản, nếu có\n".into(),
    };
    let level_word = &level;
    format!(
        r#"# Dự án vanthu — sửa các dòng dưới đây cho đúng với cơ quan, rồi:
#   vanthu form . --period 2025-12     # mẫu báo cáo gửi các đơn vị
#   (chép báo cáo các đơn vị gửi về vào inputs/2025-12/)
#   vanthu check . --period 2025-12    # kiểm tra
#   vanthu run . --period 2025-12      # làm văn bản
# Một khóa viết sai bị báo lỗi kèm số dòng.

[agency]
{parent}name = ["ỦY BAN NHÂN DÂN", {name_line}]    # tên cơ quan, mỗi dòng in một phần tử
short = "UBND"                      # viết tắt trong ký hiệu văn bản
place = {place}                     # địa danh ở dòng ngày tháng
office = "Văn phòng HĐND và UBND"   # bộ phận tham mưu, theo dõi phong trào
office_short = "VP"                 # viết tắt của bộ phận ("Lưu: VT, VP.")
level = {level}                     # cấp: xã, phường, thị trấn, huyện…
# superior = "Ủy ban nhân dân huyện …"   # cấp trên nhận báo cáo
# superior_short = "UBND huyện …"       # cấp trên ở Nơi nhận
units_called = "cơ quan, đơn vị"    # cách gọi chung các đơn vị báo cáo (… tổ dân phố, thôn)
# contact = "Địa chỉ: …; ĐT: …; E-Mail: …"   # ô 13, chân trang 1
# seal_mm = 36                                # đường kính con dấu (ô ký số của văn thư)

[issue]
mode = "electronic"                 # electronic: số, ngày, tháng để trống cho văn thư cấp khi ban hành; paper: in ngày chạy
# appendices = "separate"           # phụ lục thành tệp PDF riêng, có ô ký số của cơ quan ở góc trên bên phải

[signer]
authority = "TM"                    # TM | KT | Q | TL | TUQ | "" (người đứng đầu tự ký)
acting_for = "ỦY BAN NHÂN DÂN"      # tập thể hoặc người được ký thay
position = "CHỦ TỊCH"
name = {signer}

[campaign]
name = {campaign}
slug = {slug}                       # dùng trong tên tệp
# platforms = ["…gov.vn"]           # nền tảng, trang web của phong trào
# tasks = ["…", "…"]                # nhiệm vụ kỳ tới (mặc định: lời chung)

[[sections]]
code = "I"
title = "Kết quả thực hiện"

# Chỉ tiêu: code (không dấu), nhãn như trên mẫu báo cáo, đơn vị tính, kế hoạch của toàn {level_word}.
[[indicators]]
code = "so_buoi"
section = "I"
label = "Số buổi tuyên truyền, hướng dẫn đã tổ chức"
unit = "buổi"
target = 10

[[indicators]]
code = "so_nguoi"
section = "I"
label = "Số lượt người tham gia"
unit = "lượt người"
target = 500

[[groups]]
code = "CQ"
name = "Các cơ quan, đơn vị"

# Đơn vị báo cáo: code, tên như trong báo cáo gửi về, khối; targets = kế hoạch riêng.
[[units]]
code = "DV1"
name = "Đơn vị thứ nhất"
group = "CQ"

[[units]]
code = "DV2"
name = "Đơn vị thứ hai"
group = "CQ"

# Văn bản mỗi kỳ: báo cáo, thông báo kết quả, công văn đôn đốc từng đơn vị chậm.
[[documents]]
template = "bao-cao-ky"

[[documents]]
template = "thong-bao-ket-qua"

[[documents]]
template = "don-doc"
for_each = "lagging-unit"
"#,
        name_line = quoted(&name_line),
        place = quoted(&place),
        level = quoted(&level),
        signer = quoted(&signer),
        campaign = quoted(&campaign),
        slug = quoted(&slug(&campaign)),
    )
}

/// Writes a new project into `dir` (created if needed): vanthu.toml, `inputs/`,
/// `templates/`. Refuses a folder that already holds a vanthu.toml. Returns what it
/// wrote.
pub fn init(dir: &Path, o: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    let file = dir.join("vanthu.toml");
    if file.exists() {
        return Err(InitError::Exists(dir.to_path_buf()));
    }
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Write { path, source }
    };
    let mut written = Vec::new();
    for sub in ["inputs", "templates"] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(write_error(&d))?;
        written.push(d);
    }
    // Written under a temporary name and renamed, so a half-written file never stands
    // under the real one.
    let tmp = dir.join(".vanthu.toml.tmp");
    std::fs::write(&tmp, project_toml(o)).map_err(write_error(&tmp))?;
    std::fs::rename(&tmp, &file).map_err(write_error(&file))?;
    written.insert(0, file);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;

    #[test]
    fn the_new_project_file_validates_with_placeholders_and_with_flags() {
        let p = Project::parse(
            &project_toml(&InitOptions::default()),
            Path::new("vanthu.toml"),
        )
        .unwrap();
        assert_eq!(p.agency.level(), "xã");
        let o = InitOptions {
            level: Some("phường".into()),
            place: Some("Hoàng Liệt".into()),
            parent: Some("UBND quận Hoàng Mai".into()),
            signer: Some("Trần Thị \"Bình\"".into()),
            campaign: Some("Chuyển đổi số và Đề án 06".into()),
        };
        let p = Project::parse(&project_toml(&o), Path::new("vanthu.toml")).unwrap();
        assert_eq!(p.agency.name, ["ỦY BAN NHÂN DÂN", "PHƯỜNG HOÀNG LIỆT"]);
        assert_eq!(p.agency.parent.as_deref(), Some("UBND QUẬN HOÀNG MAI"));
        assert_eq!(p.agency.called(), "Ủy ban nhân dân phường");
        assert_eq!(p.agency.in_sentence(), "Ủy ban nhân dân phường Hoàng Liệt");
        assert_eq!(p.signer.name, "Trần Thị \"Bình\"");
        assert_eq!(p.campaign.slug, "chuyen-doi-so-va-de-an-06");
    }

    #[test]
    fn init_writes_the_folders_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().join("phuong");
        let written = init(&at, &InitOptions::default()).unwrap();
        assert!(at.join("vanthu.toml").is_file());
        assert!(at.join("inputs").is_dir() && at.join("templates").is_dir());
        assert_eq!(written.len(), 3);
        Project::load(&at).unwrap();
        std::fs::write(at.join("vanthu.toml"), "# mine").unwrap();
        assert!(matches!(
            init(&at, &InitOptions::default()),
            Err(InitError::Exists(_))
        ));
        assert_eq!(
            std::fs::read_to_string(at.join("vanthu.toml")).unwrap(),
            "# mine"
        );
    }
}
