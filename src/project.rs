//! The project file `vanthu.toml`: the issuing agency, the signer, the campaign's
//! indicators and targets, the roster of reporting units, and which documents to make.
//! Everything about a campaign is data here, never code: another campaign is another file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::diagnostic::Lang;
use crate::period::Period;

pub const PROJECT_FILE: &str = "vanthu.toml";

/// A loaded, validated project: read with [`Project::load`] (or [`Project::parse`]),
/// never changed after. Its parts are read through the accessors below; a project that
/// differs is a different project file, so nothing can leave its compiled formulas or its
/// checks behind.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    #[serde(skip)]
    pub(crate) root: PathBuf,
    pub(crate) agency: Agency,
    pub(crate) signer: Signer,
    pub(crate) campaign: Campaign,
    #[serde(rename = "sections")]
    pub(crate) sections: Vec<Section>,
    pub(crate) indicators: Vec<Indicator>,
    pub(crate) groups: Vec<Group>,
    pub(crate) units: Vec<Unit>,
    #[serde(default = "default_documents")]
    pub(crate) documents: Vec<DocumentSpec>,
    /// Safety limits on what intake reads (`[limits]`), with safe defaults.
    #[serde(default)]
    pub(crate) limits: Limits,
    /// Behind threshold and ranking (`[aggregate]`).
    #[serde(default)]
    pub(crate) aggregate: Assessment,
    /// How documents are issued (`[issue]`).
    #[serde(default)]
    pub(crate) issue: Issue,
    /// Where the project file was read from: its templates and inputs are read from
    /// the same world.
    #[serde(skip)]
    world: crate::world::WorldRef,
    /// The derived indicators' formulas, compiled once when the project is read, by
    /// indicator code in declaration order (see [`Project::formulas`]).
    #[serde(skip)]
    formulas: Vec<(String, crate::formula::Formula)>,
}

/// Safety limits: no zip bomb or million-row sheet may exhaust memory (`[limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file read, in bytes (`max_file_bytes`, default 20 MB).
    pub max_file_bytes: u64,
    /// Largest total of a workbook's unpacked parts, in bytes (default 200 MB): what a
    /// zip bomb would exceed before any of it is unpacked.
    pub max_unpacked_bytes: u64,
    /// Most cells a sheet may span (rows × columns of its used range, default 200 000).
    pub max_cells: u64,
    /// The largest figure a cell may hold (`max_value`, default 10^12): a value or a
    /// target beyond it is a slip (`E-TOO-BIG`) and is never counted, so no sum, rate
    /// or formula of a period can leave exact decimal arithmetic.
    pub max_value: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 20 * 1024 * 1024,
            max_unpacked_bytes: 200 * 1024 * 1024,
            max_cells: 200_000,
            max_value: 1_000_000_000_000,
        }
    }
}

/// How the agency issues its documents (`[issue]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Issue {
    pub mode: IssueMode,
    /// Where a document's appendices go in an electronic issue.
    pub appendices: AppendixFile,
}

/// `[issue] appendices`: "together" (the default) in the document's PDF, which the văn
/// thư does not sign again (Phụ lục I, II.8b); or "separate", a PDF of their own
/// (`<document>_phu-luc.pdf`) with the agency's signature field at the top right of its
/// first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppendixFile {
    #[default]
    Together,
    Separate,
}

/// Hình thức ban hành (`[issue] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueMode {
    /// Văn bản điện tử (the default): signed in the agency's tool, where the văn thư gives
    /// the number and the date "bằng chức năng của Hệ thống" (Điều 15.3). Unless `--number`
    /// and `--date` set them, the number and the day and month are left blank; the year
    /// is printed.
    #[default]
    Electronic,
    /// Văn bản giấy: printed, signed and sealed by hand; the date is the run's.
    Paper,
}

/// Cơ quan ban hành: the issuing agency, as printed at the top left of every document.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Cơ quan chủ quản trực tiếp, printed in capitals, not bold, above the agency (if any).
    #[serde(default)]
    pub parent: Option<String>,
    /// Tên cơ quan ban hành, one entry per printed line ("ỦY BAN NHÂN DÂN", "XÃ PHÚ THÁI").
    pub name: Vec<String>,
    /// The agency's abbreviation in ký hiệu ("UBND").
    pub short: String,
    /// Địa danh of the date line ("Phú Thái").
    pub place: String,
    /// The office that drafts and follows the campaign ("Phòng Văn hóa – Xã hội").
    pub office: String,
    /// Its abbreviation ("VHXH"), used in ký hiệu of Công văn and in "Lưu: VT, VHXH.".
    pub office_short: String,
    /// The agency's name in a sentence ("Ủy ban nhân dân xã Phú Thái"), for the line that
    /// ties an appendix to its document. Without it the printed lines are used.
    #[serde(default)]
    pub full_name: Option<String>,
    /// Địa chỉ, thư điện tử, website, điện thoại, fax (ô 13), printed at the foot of
    /// page 1 under a full-width rule: "Địa chỉ: …; ĐT: …; E-Mail: …".
    #[serde(default)]
    pub contact: Option<String>,
    /// Dấu: the diameter of the agency's seal in mm (default 36), the size of the seal's
    /// signature field in the PDF.
    #[serde(default)]
    pub seal_mm: Option<f32>,
    /// Mã định danh điện tử of the agency, for the exchange metadata (Phụ lục VI
    /// OrganId) written beside an issued document.
    #[serde(default)]
    pub organ_id: Option<String>,
    /// Cấp hành chính: the area the agency answers for, as a sentence says it ("xã",
    /// "phường", "thị trấn", "huyện"); by default the first words of the last name line
    /// ("XÃ PHÚ THÁI" → "xã"). An office of a district (a phòng under UBND huyện) has
    /// the district's: "huyện".
    #[serde(default)]
    pub level: Option<String>,
    /// How the agency names itself in a sentence ("Ủy ban nhân dân phường"); by default
    /// "Ủy ban nhân dân <level>" for a UBND, else its name in a sentence.
    #[serde(default)]
    pub called: Option<String>,
    /// The same, short ("UBND phường"); by default "UBND <level>" for a UBND.
    #[serde(default)]
    pub called_short: Option<String>,
    /// Cơ quan cấp trên the report goes to, in a sentence ("Ủy ban nhân dân quận Hoàng
    /// Mai"); none: the documents name no superior.
    #[serde(default)]
    pub superior: Option<String>,
    /// The superior in Nơi nhận ("UBND quận Hoàng Mai"); by default `superior`.
    #[serde(default)]
    pub superior_short: Option<String>,
    /// How the reporting units are called together ("cơ quan, đơn vị, tổ dân phố");
    /// default "cơ quan, đơn vị".
    #[serde(default)]
    pub units_called: Option<String>,
}

/// Words that open a level in an agency's last name line, longest first.
const LEVELS: [&str; 9] = [
    "thị trấn",
    "thị xã",
    "thành phố",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "đặc khu",
];

impl Agency {
    /// The level (`level`, else read from the last name line), or "địa phương".
    pub fn level(&self) -> String {
        if let Some(l) = &self.level {
            return l.clone();
        }
        let last = self
            .name
            .last()
            .map(|l| crate::text::lower(l.trim()))
            .unwrap_or_default();
        LEVELS
            .iter()
            .find(|w| last.starts_with(&format!("{w} ")))
            .map_or_else(|| "địa phương".to_string(), |w| w.to_string())
    }

    fn is_people_committee(&self) -> bool {
        self.short.trim() == "UBND"
    }

    /// How the agency names itself in a sentence (`called`).
    pub fn called(&self) -> String {
        match &self.called {
            Some(c) => c.clone(),
            None if self.is_people_committee() => format!("Ủy ban nhân dân {}", self.level()),
            None => self.in_sentence(),
        }
    }

    /// The same, short (`called_short`).
    pub fn called_short(&self) -> String {
        match &self.called_short {
            Some(c) => c.clone(),
            None if self.is_people_committee() => format!("UBND {}", self.level()),
            None => self.called(),
        }
    }

    /// The superior in Nơi nhận, if there is one.
    pub fn superior_short(&self) -> Option<String> {
        self.superior_short
            .clone()
            .or_else(|| self.superior.clone())
    }

    /// How the reporting units are called together.
    pub fn units_called(&self) -> String {
        self.units_called
            .clone()
            .unwrap_or_else(|| "cơ quan, đơn vị".into())
    }

    /// The agency's name in a sentence: `full_name`; else, for a UBND, how it names
    /// itself and its place ("Ủy ban nhân dân xã Phú Thái"); else its printed lines.
    pub fn in_sentence(&self) -> String {
        match &self.full_name {
            Some(f) => f.clone(),
            // "Ủy ban nhân dân phường Hoàng Liệt", not the capitals of the header.
            None if self.is_people_committee() => format!("{} {}", self.called(), self.place),
            None => self.name.join(" "),
        }
    }
}

/// Người ký: who signs, and with what authority.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// Thẩm quyền ký: `TM`, `KT`, `Q`, `TL`, `TUQ`, or empty when the head signs.
    #[serde(default)]
    pub authority: Authority,
    /// The collective or head the signer acts for ("CHỦ TỊCH" in "KT. CHỦ TỊCH").
    #[serde(default)]
    pub acting_for: Option<String>,
    /// Chức vụ of the signer ("PHÓ CHỦ TỊCH").
    pub position: String,
    /// Họ và tên ("Phạm Tiến Nhuận").
    pub name: String,
}

/// Thẩm quyền ký: a rule of the Decree, defined with the others.
pub use crate::nd30::Authority;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// "Bình dân học vụ số".
    pub name: String,
    /// ASCII slug used in output file names ("binh-dan-hoc-vu-so").
    pub slug: String,
    /// The platforms or sites the campaign uses ("binhdanhocvuso.gov.vn"), named in the
    /// built-in report's assessment.
    #[serde(default)]
    pub platforms: Vec<String>,
    /// The built-in report's assessment sentence (Đánh giá chung), in place of its
    /// general one.
    #[serde(default)]
    pub review: Option<String>,
    /// The tasks for the next period (Nhiệm vụ trọng tâm kỳ tới), one sentence each, in
    /// place of the built-in report's general ones.
    #[serde(default)]
    pub tasks: Vec<String>,
}

/// A group of indicators in the sheets and reports ("I. Công tác tuyên truyền").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub title: String,
}

/// Whether an indicator counts things or measures them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Whole numbers ≥ 0 (classes, people, posts).
    #[default]
    Integer,
    /// Numbers with decimals.
    Decimal,
}

/// Chỉ tiêu: one number every unit reports.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub section: String,
    /// The label as the canonical sheet writes it.
    pub label: String,
    /// Đơn vị tính ("tin, bài").
    pub unit: String,
    #[serde(default)]
    pub kind: ValueKind,
    /// Other labels units write for it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A short heading for the columns of wide tables ("Tin, bài truyền thanh");
    /// the label when absent.
    #[serde(default)]
    pub short: Option<String>,
    /// Kế hoạch for the commune as a whole, per period.
    #[serde(default)]
    pub target: Option<Decimal>,
    /// How units' values make a group's and the commune's (sum by default).
    #[serde(default)]
    pub aggregate: Rule,
    /// A derived indicator: computed from others (`"luot_cbcc + luot_dan"`), never read
    /// from a sheet. Per unit from the unit's values; for groups and the commune from
    /// their totals, so a share is the share of the totals, not a sum of shares.
    #[serde(default)]
    pub formula: Option<String>,
    /// Decimals shown in documents (rounded half-up there only); default 0 for
    /// `kind = "integer"`, 1 for `"decimal"` (declare a share as `"decimal"`).
    #[serde(default)]
    pub decimals: Option<u32>,
}

impl Indicator {
    /// Whether units report it on their sheet (it is not derived).
    pub fn is_reported(&self) -> bool {
        self.formula.is_none()
    }

    /// Decimals shown in documents.
    pub fn shown_decimals(&self) -> u32 {
        self.decimals.unwrap_or(match self.kind {
            ValueKind::Integer => 0,
            ValueKind::Decimal => 1,
        })
    }
}

/// How the values of many units make one (`aggregate = "sum"` in `[[indicators]]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// Tổng: the sum of the values reported.
    #[default]
    Sum,
    /// The largest value reported.
    Max,
    /// The smallest value reported.
    Min,
    /// Trung bình: the mean of the values reported (units with no value not counted).
    Average,
    /// The value of the last unit in roster order that reported one: for a figure one
    /// unit keeps for the whole commune.
    Last,
}

/// `[aggregate]`: who counts as behind, and how units are ranked.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Assessment {
    /// A reporting unit whose overall completion is below this percentage is behind
    /// (chậm tiến độ); default 80.
    pub behind_below_percent: Decimal,
    /// `"overall"` (default): units ranked by overall completion, the mean of their
    /// rates over indicators with a target, each capped at 100% so one indicator far
    /// over its target cannot hide the others; or an indicator code: ranked by its value.
    pub rank_by: String,
    /// The indicators of the built-in report's table by group (codes); default the first
    /// three reported ones.
    pub group_columns: Vec<String>,
}

impl Default for Assessment {
    fn default() -> Self {
        Assessment {
            behind_below_percent: Decimal::from(80),
            rank_by: "overall".into(),
            group_columns: Vec::new(),
        }
    }
}

/// A group of units in the roster ("Các cơ quan, ban, ngành, đoàn thể xã").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name: String,
    /// Kế hoạch of the group per period, by indicator code; where not set, the sum of
    /// its units' targets.
    #[serde(default)]
    pub targets: std::collections::BTreeMap<String, Decimal>,
}

/// A reporting unit of the roster.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub group: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Kế hoạch of this unit per period, by indicator code (`targets = { zalo = 10 }`);
    /// the blank form fills them in.
    #[serde(default)]
    pub targets: std::collections::BTreeMap<String, Decimal>,
}

/// A document the project produces each period.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// Template name in `templates/` (without `.md.hbs`).
    pub template: String,
    /// The periods it is issued for (`["2025-10"]`, a one-off letter); empty: every period.
    #[serde(default)]
    pub periods: Vec<Period>,
    /// `"lagging-unit"`: one document per roster unit that is missing or behind (a
    /// reminder, Công văn đôn đốc), with that unit as `unit` in the template's context.
    #[serde(default)]
    pub for_each: Option<ForEach>,
    /// Nơi nhận of this document, in place of its template's list.
    #[serde(default)]
    pub recipients: Option<Vec<String>>,
}

/// What a document is made once for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForEach {
    /// Each unit that sent no report, or is behind its targets.
    LaggingUnit,
}

impl DocumentSpec {
    pub fn is_for(&self, period: Period) -> bool {
        self.periods.is_empty() || self.periods.contains(&period)
    }
}

fn default_documents() -> Vec<DocumentSpec> {
    vec![DocumentSpec {
        template: "bao-cao-ky".into(),
        periods: Vec::new(),
        for_each: None,
        recipients: None,
    }]
}

/// A kind of entry of the project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Section,
    Indicator,
    Group,
    Unit,
}

impl Item {
    fn name(self, lang: crate::diagnostic::Lang) -> &'static str {
        use crate::diagnostic::Lang;
        match (self, lang) {
            (Item::Section, Lang::Vi) => "mục [[sections]]",
            (Item::Indicator, Lang::Vi) => "chỉ tiêu [[indicators]]",
            (Item::Group, Lang::Vi) => "khối [[groups]]",
            (Item::Unit, Lang::Vi) => "đơn vị [[units]]",
            (Item::Section, Lang::En) => "section",
            (Item::Indicator, Lang::En) => "indicator",
            (Item::Group, Lang::En) => "group",
            (Item::Unit, Lang::En) => "unit",
        }
    }
}

/// One thing wrong in a project file that parses: a reference that does not resolve,
/// a code used twice, a formula that does not compile… Data, rendered in the clerk's
/// language at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectProblem {
    EmptyCode {
        what: Item,
    },
    DuplicateCode {
        what: Item,
        code: String,
    },
    NoAgencyName,
    /// `seal_mm` outside what a seal measures.
    SealSize(String),
    NoIndicators,
    NoUnits,
    Formula {
        indicator: String,
        formula: String,
        error: crate::formula::FormulaError,
    },
    UnknownSection {
        indicator: String,
        section: String,
    },
    TargetOfUnknown {
        whose: Item,
        code: String,
        indicator: String,
    },
    RankBy(String),
    GroupColumn(String),
    UnknownGroup {
        unit: String,
        group: String,
    },
    ZeroLimit,
    NoActingFor,
}

impl ProjectProblem {
    pub fn message(&self, lang: crate::diagnostic::Lang) -> String {
        use crate::diagnostic::Lang;
        use ProjectProblem as P;
        let vi = lang == Lang::Vi;
        match self {
            P::EmptyCode { what } => match vi {
                true => format!("một {} có code để trống", what.name(lang)),
                false => format!("a {} has an empty code", what.name(lang)),
            },
            P::DuplicateCode { what, code } => match vi {
                true => format!("code `{code}` của {} bị dùng hai lần", what.name(lang)),
                false => format!("the {} code `{code}` is used twice", what.name(lang)),
            },
            P::NoAgencyName => lang
                .pick("[agency] name cần ít nhất một dòng", "agency.name needs at least one line")
                .into(),
            P::SealSize(mm) => match vi {
                true => format!("seal_mm = {mm}: đường kính con dấu phải từ 20 đến 60 mm"),
                false => format!("seal_mm = {mm}: a seal's diameter is 20 to 60 mm"),
            },
            P::NoIndicators => lang
                .pick("dự án chưa khai báo [[indicators]] nào", "the project declares no [[indicators]]")
                .into(),
            P::NoUnits => lang
                .pick("dự án chưa khai báo [[units]] nào", "the project declares no [[units]]")
                .into(),
            P::Formula { indicator, formula, error } => match vi {
                true => format!("công thức của chỉ tiêu `{indicator}` ({formula}) sai: {}", error.message(lang)),
                false => format!("the formula of indicator `{indicator}` ({formula}): {}", error.message(lang)),
            },
            P::UnknownSection { indicator, section } => match vi {
                true => format!("chỉ tiêu `{indicator}` thuộc mục `{section}`, nhưng không có [[sections]] nào như vậy"),
                false => format!("indicator `{indicator}` names section `{section}`, which no [[sections]] declares"),
            },
            P::TargetOfUnknown { whose, code, indicator } => match vi {
                true => format!("{} `{code}` có kế hoạch cho `{indicator}`, nhưng không có chỉ tiêu nào như vậy", whose.name(lang)),
                false => format!("{} `{code}` has a target for `{indicator}`, which no [[indicators]] declares", whose.name(lang)),
            },
            P::RankBy(r) => match vi {
                true => format!("[aggregate] rank_by = `{r}` không phải \"overall\" cũng không phải code chỉ tiêu"),
                false => format!("[aggregate] rank_by = `{r}` is neither \"overall\" nor an indicator code"),
            },
            P::GroupColumn(c) => match vi {
                true => format!("[aggregate] group_columns có `{c}`, nhưng không có chỉ tiêu nào như vậy"),
                false => format!("[aggregate] group_columns names `{c}`, which no [[indicators]] declares"),
            },
            P::UnknownGroup { unit, group } => match vi {
                true => format!("đơn vị `{unit}` thuộc khối `{group}`, nhưng không có [[groups]] nào như vậy"),
                false => format!("unit `{unit}` names group `{group}`, which no [[groups]] declares"),
            },
            P::ZeroLimit => lang
                .pick("các giá trị của [limits] phải lớn hơn 0", "[limits] values must be greater than 0")
                .into(),
            P::NoActingFor => lang
                .pick(
                    "có thẩm quyền ký (KT., TM.…) thì cần [signer] acting_for (ví dụ \"CHỦ TỊCH\")",
                    "signer.acting_for is needed with an authority (KT. CHỦ TỊCH…)",
                )
                .into(),
        }
    }

    /// The line of the project file `text` the problem is on, where it can be found:
    /// the `code = "…"` line of the entry it concerns, or the key or table it names.
    pub fn line_in(&self, text: &str) -> Option<usize> {
        use ProjectProblem as P;
        let code_line = |code: &str| {
            text.lines().position(|l| {
                let l = l.trim();
                l.strip_prefix("code")
                    .map(str::trim_start)
                    .and_then(|r| r.strip_prefix('='))
                    .map(str::trim)
                    .is_some_and(|v| v.trim_matches('"') == code && v.starts_with('"'))
            })
        };
        let key_line = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key));
        let index = match self {
            P::DuplicateCode { code, .. } => {
                // The second time it is used.
                let mut at = text.lines().enumerate().filter(|(_, l)| {
                    let l = l.trim().replace(' ', "");
                    l == format!("code=\"{code}\"")
                });
                at.nth(1).map(|(n, _)| n)
            }
            P::Formula { indicator, .. } | P::UnknownSection { indicator, .. } => {
                code_line(indicator)
            }
            P::TargetOfUnknown { code, .. } => code_line(code),
            P::UnknownGroup { unit, .. } => code_line(unit),
            P::RankBy(_) => key_line("rank_by"),
            P::GroupColumn(_) => key_line("group_columns"),
            P::ZeroLimit => key_line("[limits]"),
            P::NoActingFor => key_line("[signer]"),
            P::NoAgencyName => key_line("[agency]"),
            P::SealSize(_) => key_line("seal_mm"),
            P::EmptyCode { .. } | P::NoIndicators | P::NoUnits => None,
        };
        index.map(|i| i + 1)
    }
}

/// The English text of [`ProjectError::Invalid`]: every problem, one per line.
fn invalid_en(path: &Path, problems: &[(Option<usize>, ProjectProblem)]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|(line, p)| match line {
            Some(l) => format!("  line {l}: {}", p.message(crate::diagnostic::Lang::En)),
            None => format!("  {}", p.message(crate::diagnostic::Lang::En)),
        })
        .collect();
    format!(
        "{} has {} problem(s):\n{}",
        path.display(),
        problems.len(),
        lines.join("\n")
    )
}

/// Why a project could not be opened. Each says which file, and which line for TOML.
#[derive(Debug, Error)]
pub enum ProjectError {
    #[error("project folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} has no vanthu.toml")]
    NoProjectFile(PathBuf),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}, column {column}: {detail}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("{}", invalid_en(path, problems))]
    Invalid {
        path: PathBuf,
        /// Every problem found, with the line of the project file it concerns.
        problems: Vec<(Option<usize>, ProjectProblem)>,
    },
    #[error("period {period}: the folder {dir} does not exist")]
    NoInputs { period: Period, dir: PathBuf },
    #[error("{0}: there is no period folder (inputs/YYYY-MM/…) to work on")]
    NoPeriods(PathBuf),
}

impl ProjectError {
    /// One sentence for the user, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ProjectError::NoFolder(p), Lang::Vi) => {
                format!("Không tìm thấy thư mục dự án {}.", p.display())
            }
            (ProjectError::NoProjectFile(p), Lang::Vi) => format!(
                "Thư mục {} không có tệp vanthu.toml, nên không phải là một dự án vanthu.",
                p.display()
            ),
            (ProjectError::Read { path, source }, Lang::Vi) => {
                format!("Không đọc được tệp {}: {source}.", path.display())
            }
            (
                ProjectError::Syntax {
                    path,
                    line,
                    column,
                    detail,
                },
                Lang::Vi,
            ) => format!(
                "Tệp {} có lỗi ở dòng {line}, cột {column}: {detail}",
                path.display()
            ),
            (ProjectError::Invalid { path, problems }, Lang::Vi) => {
                let lines: Vec<String> = problems
                    .iter()
                    .map(|(line, p)| match line {
                        Some(l) => format!("  dòng {l}: {}", p.message(Lang::Vi)),
                        None => format!("  {}", p.message(Lang::Vi)),
                    })
                    .collect();
                format!(
                    "Tệp {} có {} lỗi:\n{}",
                    path.display(),
                    problems.len(),
                    lines.join("\n")
                )
            }
            (ProjectError::NoInputs { period, dir }, Lang::Vi) => format!(
                "Kỳ {period} chưa có thư mục dữ liệu {}: hãy tạo thư mục này và chép các tệp báo cáo của đơn vị vào đó.",
                dir.display()
            ),
            (ProjectError::NoPeriods(p), Lang::Vi) => format!(
                "Thư mục {} chưa có kỳ báo cáo nào (inputs/YYYY-MM/…).",
                p.display()
            ),
            (e, Lang::En) => {
                let mut s = e.to_string();
                s.push('.');
                s
            }
        }
    }
}

impl Project {
    /// The project folder (its templates, inputs and outputs are under it).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Cơ quan ban hành: the issuing agency (`[agency]`).
    pub fn agency(&self) -> &Agency {
        &self.agency
    }

    /// Người ký: who signs (`[signer]`).
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The campaign reported on (`[campaign]`).
    pub fn campaign(&self) -> &Campaign {
        &self.campaign
    }

    /// The report's sections (`[[sections]]`), in order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Chỉ tiêu: every indicator (`[[indicators]]`), reported and derived, in order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Khối: the unit groups (`[[groups]]`).
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Đơn vị: the roster (`[[units]]`).
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The documents made each period (`[[documents]]`).
    pub fn documents(&self) -> &[DocumentSpec] {
        &self.documents
    }

    /// What intake may read (`[limits]`).
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Behind threshold and ranking (`[aggregate]`).
    pub fn assessment(&self) -> &Assessment {
        &self.aggregate
    }

    /// How its documents are issued (`[issue] mode`).
    pub fn issue_mode(&self) -> IssueMode {
        self.issue.mode
    }

    /// Where its documents' appendices go (`[issue] appendices`).
    pub fn appendix_file(&self) -> AppendixFile {
        self.issue.appendices
    }

    /// The indicators of the report's table by group: `[aggregate] group_columns`, else
    /// the first three reported ones.
    pub fn group_columns(&self) -> Vec<&Indicator> {
        if self.aggregate.group_columns.is_empty() {
            return self.reported_indicators().take(3).collect();
        }
        self.aggregate
            .group_columns
            .iter()
            .filter_map(|c| self.indicator(c))
            .collect()
    }

    /// Opens `root/vanthu.toml` on the file system and checks that every reference in
    /// it resolves.
    pub fn load(root: &Path) -> Result<Project, ProjectError> {
        Project::load_in(std::sync::Arc::new(crate::world::FileSystem), root)
    }

    /// Opens `root/vanthu.toml` in `world`, which the project's templates and inputs
    /// are then read from too.
    pub fn load_in(
        world: std::sync::Arc<dyn crate::world::World>,
        root: &Path,
    ) -> Result<Project, ProjectError> {
        if !world.is_dir(root) {
            return Err(ProjectError::NoFolder(root.to_path_buf()));
        }
        let path = root.join(PROJECT_FILE);
        if !world.is_file(&path) {
            return Err(ProjectError::NoProjectFile(root.to_path_buf()));
        }
        let text = world
            .read_to_string(&path)
            .map_err(|source| ProjectError::Read {
                path: path.clone(),
                source,
            })?;
        let mut project = Project::parse(&text, &path)?;
        project.root = root.to_path_buf();
        project.world = crate::world::WorldRef(world);
        Ok(project)
    }

    /// The world the project was read from (its templates, inputs and clock).
    pub fn world(&self) -> &dyn crate::world::World {
        &*self.world
    }

    /// This project with its project file changed by `edit`, read and checked again as
    /// a new project in the same folder and world: a project is never changed in place,
    /// so nothing can leave its compiled formulas or its checks behind. (Tests and tools
    /// derive variants of a project this way.)
    pub fn edited(&self, edit: impl FnOnce(&mut toml::Table)) -> Result<Project, ProjectError> {
        let path = self.root.join(PROJECT_FILE);
        let syntax = |detail: String| ProjectError::Syntax {
            path: path.clone(),
            line: 1,
            column: 1,
            detail,
        };
        let mut table = toml::Table::try_from(self).map_err(|e| syntax(e.to_string()))?;
        edit(&mut table);
        let text = toml::to_string(&table).map_err(|e| syntax(e.to_string()))?;
        let mut project = Project::parse(&text, &path)?;
        project.root = self.root.clone();
        project.world = self.world.clone();
        Ok(project)
    }

    /// Parses and validates the text of a project file; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Project, ProjectError> {
        let project: Project = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ProjectError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                detail: e.message().trim().to_string(),
            }
        })?;
        let formulas = project
            .validate()
            .map_err(|problems| ProjectError::Invalid {
                path: path.to_path_buf(),
                problems: problems.into_iter().map(|p| (p.line_in(text), p)).collect(),
            })?;
        let mut project = project.normalised();
        project.formulas = formulas;
        Ok(project)
    }

    /// The derived indicators, in declaration order (one may read an earlier one), with
    /// their compiled formulas.
    pub fn formulas(&self) -> &[(String, crate::formula::Formula)] {
        &self.formulas
    }

    /// Checks that every reference resolves; returns the compiled formulas, or every
    /// problem found (not only the first).
    fn validate(&self) -> Result<Vec<(String, crate::formula::Formula)>, Vec<ProjectProblem>> {
        let mut problems = Vec::new();
        let unique = |what: Item, codes: Vec<&str>, problems: &mut Vec<ProjectProblem>| {
            let mut seen = HashSet::new();
            for c in codes {
                if c.trim().is_empty() {
                    problems.push(ProjectProblem::EmptyCode { what });
                } else if !seen.insert(c) {
                    problems.push(ProjectProblem::DuplicateCode {
                        what,
                        code: c.to_string(),
                    });
                }
            }
        };
        unique(
            Item::Section,
            self.sections.iter().map(|s| s.code.as_str()).collect(),
            &mut problems,
        );
        unique(
            Item::Indicator,
            self.indicators.iter().map(|s| s.code.as_str()).collect(),
            &mut problems,
        );
        unique(
            Item::Group,
            self.groups.iter().map(|s| s.code.as_str()).collect(),
            &mut problems,
        );
        unique(
            Item::Unit,
            self.units.iter().map(|s| s.code.as_str()).collect(),
            &mut problems,
        );
        if self.agency.name.is_empty() {
            problems.push(ProjectProblem::NoAgencyName);
        }
        if let Some(mm) = self.agency.seal_mm.filter(|mm| !(20.0..=60.0).contains(mm)) {
            problems.push(ProjectProblem::SealSize(mm.to_string()));
        }
        if self.indicators.is_empty() {
            problems.push(ProjectProblem::NoIndicators);
        }
        if self.units.is_empty() {
            problems.push(ProjectProblem::NoUnits);
        }
        let mut formulas = Vec::new();
        for (n, i) in self.indicators.iter().enumerate() {
            if let Some(f) = &i.formula {
                let earlier: Vec<&str> = self.indicators[..n]
                    .iter()
                    .map(|e| e.code.as_str())
                    .collect();
                match crate::formula::Formula::parse(f, &earlier) {
                    Ok(compiled) => formulas.push((i.code.clone(), compiled)),
                    Err(e) => problems.push(ProjectProblem::Formula {
                        indicator: i.code.clone(),
                        formula: f.clone(),
                        error: e,
                    }),
                }
            }
            if !self.sections.iter().any(|s| s.code == i.section) {
                problems.push(ProjectProblem::UnknownSection {
                    indicator: i.code.clone(),
                    section: i.section.clone(),
                });
            }
        }
        for g in &self.groups {
            for code in g.targets.keys().filter(|c| self.indicator(c).is_none()) {
                problems.push(ProjectProblem::TargetOfUnknown {
                    whose: Item::Group,
                    code: g.code.clone(),
                    indicator: code.clone(),
                });
            }
        }
        let rank_by = &self.aggregate.rank_by;
        if rank_by != "overall" && self.indicator(rank_by).is_none() {
            problems.push(ProjectProblem::RankBy(rank_by.clone()));
        }
        for c in self
            .aggregate
            .group_columns
            .iter()
            .filter(|c| self.indicator(c).is_none())
        {
            problems.push(ProjectProblem::GroupColumn(c.clone()));
        }
        for u in &self.units {
            if !self.groups.iter().any(|g| g.code == u.group) {
                problems.push(ProjectProblem::UnknownGroup {
                    unit: u.code.clone(),
                    group: u.group.clone(),
                });
            }
            for code in u.targets.keys().filter(|c| self.indicator(c).is_none()) {
                problems.push(ProjectProblem::TargetOfUnknown {
                    whose: Item::Unit,
                    code: u.code.clone(),
                    indicator: code.clone(),
                });
            }
        }
        if self.limits.max_file_bytes == 0
            || self.limits.max_cells == 0
            || self.limits.max_unpacked_bytes == 0
            || self.limits.max_value == 0
        {
            problems.push(ProjectProblem::ZeroLimit);
        }
        if self.signer.authority != Authority::Own && self.signer.acting_for.is_none() {
            problems.push(ProjectProblem::NoActingFor);
        }
        if problems.is_empty() {
            Ok(formulas)
        } else {
            Err(problems)
        }
    }

    fn normalised(mut self) -> Project {
        use crate::text::nfc;
        let a = &mut self.agency;
        a.parent = a.parent.as_deref().map(nfc);
        a.name = a.name.iter().map(|s| nfc(s)).collect();
        a.place = nfc(&a.place);
        a.office = nfc(&a.office);
        let s = &mut self.signer;
        s.acting_for = s.acting_for.as_deref().map(nfc);
        s.position = nfc(&s.position);
        s.name = nfc(&s.name);
        self.campaign.name = nfc(&self.campaign.name);
        for s in &mut self.sections {
            s.title = nfc(&s.title);
        }
        for i in &mut self.indicators {
            i.label = nfc(&i.label);
            i.unit = nfc(&i.unit);
        }
        for g in &mut self.groups {
            g.name = nfc(&g.name);
        }
        for u in &mut self.units {
            u.name = nfc(&u.name);
        }
        self
    }

    /// `inputs/<period>/`.
    pub fn inputs_dir(&self, period: &Period) -> PathBuf {
        self.root.join("inputs").join(period.to_string())
    }

    /// The input folder of `period`, which must exist.
    pub fn existing_inputs_dir(&self, period: &Period) -> Result<PathBuf, ProjectError> {
        let dir = self.inputs_dir(period);
        if self.world.is_dir(&dir) {
            Ok(dir)
        } else {
            Err(ProjectError::NoInputs {
                period: *period,
                dir,
            })
        }
    }

    /// The output folder of `period`: `out/<period>/`.
    pub fn output_dir(&self, period: &Period) -> PathBuf {
        self.root.join("out").join(period.to_string())
    }

    /// The periods that have an input folder, oldest first (none if `inputs/` is absent).
    pub fn periods(&self) -> Vec<Period> {
        let mut found: Vec<Period> = self
            .world
            .list(&self.root.join("inputs"))
            .map(|entries| {
                entries
                    .into_iter()
                    .filter(|p| self.world.is_dir(p))
                    .filter_map(|p| p.file_name()?.to_str()?.parse::<Period>().ok())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found.dedup();
        found
    }

    /// The newest period that has an input folder.
    pub fn latest_period(&self) -> Result<Period, ProjectError> {
        self.periods()
            .pop()
            .ok_or_else(|| ProjectError::NoPeriods(self.root.join("inputs")))
    }

    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.code == code)
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// The indicators units report on their sheets (derived ones are computed).
    pub fn reported_indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(|i| i.is_reported())
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../samples/phu-thai/vanthu.toml");

    #[test]
    fn the_bundled_project_loads() {
        let p = Project::parse(SAMPLE, Path::new("vanthu.toml")).unwrap();
        assert_eq!(p.reported_indicators().count(), 11);
        assert_eq!(p.indicators.len(), 12, "with one derived");
        assert!(p.units.len() >= 25);
        assert_eq!(p.groups.len(), 3);
        assert_eq!(p.signer.authority, Authority::Deputy);
    }

    #[test]
    fn an_edited_project_is_read_and_checked_again() {
        let p = Project::parse(SAMPLE, Path::new("vanthu.toml")).unwrap();
        // No change: the same project, formulas compiled again.
        let same = p.edited(|_| {}).unwrap();
        assert_eq!(
            toml::to_string(&same).unwrap(),
            toml::to_string(&p).unwrap()
        );
        assert_eq!(same.formulas().len(), p.formulas().len());
        // An indicator removed that a formula reads (`luot_cbcc + luot_dan`): refused
        // as the file would be.
        let edited = p.edited(|f| {
            f["indicators"]
                .as_array_mut()
                .unwrap()
                .retain(|i| i.get("code").and_then(|c| c.as_str()) != Some("luot_cbcc"))
        });
        match edited {
            Err(ProjectError::Invalid { problems, .. }) => assert!(
                problems.iter().any(|(_, p)| matches!(
                    p,
                    ProjectProblem::Formula {
                        error: crate::formula::FormulaError::UnknownName(name),
                        ..
                    } if name == "luot_cbcc"
                )),
                "{problems:?}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_seal_size_is_checked_with_its_line() {
        let with =
            |mm: &str| SAMPLE.replacen("[signer]\n", &format!("seal_mm = {mm}\n\n[signer]\n"), 1);
        let p = Project::parse(&with("40"), Path::new("vanthu.toml")).unwrap();
        assert_eq!(p.agency().seal_mm, Some(40.0));
        let text = with("100");
        let line = text.lines().position(|l| l.starts_with("seal_mm")).unwrap() + 1;
        match Project::parse(&text, Path::new("vanthu.toml")) {
            Err(ProjectError::Invalid { problems, .. }) => {
                assert_eq!(
                    problems,
                    [(Some(line), ProjectProblem::SealSize("100".into()))]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unknown_key_names_its_line() {
        let text = SAMPLE.replacen("[signer]\n", "[signer]\nchu_ky = 1\n", 1);
        let line = text.lines().position(|l| l.starts_with("chu_ky")).unwrap() + 1;
        match Project::parse(&text, Path::new("vanthu.toml")) {
            Err(ProjectError::Syntax {
                line: l, detail, ..
            }) => {
                assert_eq!(l, line);
                assert!(detail.contains("chu_ky"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let text = format!("{SAMPLE}\n[agency\n");
        let line = text.lines().count();
        match Project::parse(&text, Path::new("vanthu.toml")) {
            Err(ProjectError::Syntax { line: l, .. }) => assert_eq!(l, line),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_unit_in_an_undeclared_group_is_refused() {
        let text = SAMPLE.replacen("group = \"THON\"", "group = \"KHONG_CO\"", 1);
        let err = Project::parse(&text, Path::new("vanthu.toml")).unwrap_err();
        assert!(err.message(Lang::En).contains("KHONG_CO"), "{err}");
    }
}
