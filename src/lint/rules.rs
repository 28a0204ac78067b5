//! Finds the parts of a document (ô 1–9 of Phụ lục I's layout) in a [`Reading`] by their
//! text and position, and checks each against its rule ([`Check`]). The sizes and
//! forms come from `crate::nd30`, where vanthu's own documents take them.

use super::check::Check;
use super::model::{
    is_contact_line, Align, Block, Column, LineSpacing, Place, Reading, RuleKind, Source,
};
use super::Finding;
use crate::diagnostic::Text;
use crate::doc::{Secrecy, Urgency};
use crate::fonts::{self, FaceStyle};
use crate::nd30::{self, allowed};
use crate::units::Pt;

/// Tolerance on a size in points (Word stores half points; PDFs round).
const SIZE_SLACK: f32 = 0.26;
const PT_PER_CM: f32 = 72.0 / 2.54;
/// Tolerance on a short rule's share of its line (drawn by hand, measured on a font).
const SHARE_SLACK: f32 = 0.1;

/// Fonts accepted as Times New Roman: its own names and the metric-compatible faces a
/// PDF may embed for it (vanthu embeds Liberation Serif).
const TIMES: [&str; 6] = [
    "timesnewroman",
    "times",
    "liberationserif",
    "tinos",
    "nimbusroman",
    "texgyretermes",
];

/// The parts found, as indexes into the reading's blocks.
#[derive(Debug, Default)]
struct Parts {
    national: Option<usize>,
    motto: Option<usize>,
    agency: Vec<usize>,
    number: Option<usize>,
    date: Option<usize>,
    letter_summary: Vec<usize>,
    title: Option<usize>,
    summary: Vec<usize>,
    body: Vec<usize>,
    recipients_heading: Option<usize>,
    recipients: Vec<usize>,
    authority: Vec<usize>,
    signer: Option<usize>,
    appendices: Vec<usize>,
    marks: Vec<usize>,
}

/// Lower case, NFC, one spelling of the tone marks the Decree itself spells two ways,
/// every dash a hyphen.
fn folded(text: &str) -> String {
    text.to_lowercase()
        .replace("hoà", "hòa")
        .replace("uỷ", "ủy")
        .replace("hoả", "hỏa")
        .replace(['–', '—', '‐', '−'], "-")
}

fn all_caps(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| !c.is_lowercase())
}

fn size_in(size: f32, (low, high): (Pt, Pt)) -> bool {
    size >= low.0 - SIZE_SLACK && size <= high.0 + SIZE_SLACK
}

fn size_is(size: f32, due: Pt) -> bool {
    size_in(size, (due, due))
}

/// The form the Decree writes a written number in (`form`), when `written` (digits only;
/// a blank left for the issue is not a number) differs from it.
fn written_form(written: &str, form: fn(u32) -> String) -> Option<String> {
    if written.is_empty() || !written.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let due = form(written.parse().ok().filter(|&n: &u32| n > 0)?);
    (due != written).then_some(due)
}

/// Whether a short rule's share of its line is the Decree's 1/3 to 1/2.
fn short_rule_share(ratio: f32) -> bool {
    let (low, high) = allowed::SHORT_RULE_SHARE;
    ratio >= low - SHARE_SLACK && ratio <= high + SHARE_SLACK
}

/// A mark of urgency or secrecy (ô 10), however its tone marks are placed.
fn is_mark(text: &str) -> bool {
    let f = folded(text);
    Urgency::ALL
        .iter()
        .map(|u| u.label())
        .chain(Secrecy::ALL.iter().map(|s| s.label()))
        .any(|label| folded(label) == f)
}

/// Whether `text` starts with `label` (a frame's fixed word), case and tone marks aside.
fn starts_with_label(text: &str, label: &str) -> bool {
    folded(text).starts_with(folded(label).trim_end_matches([':', ' ']))
}

fn is_national(text: &str) -> bool {
    folded(text) == folded(nd30::NATIONAL_TITLE)
}

fn is_motto(text: &str) -> bool {
    let f: String = folded(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    f == "độclập-tựdo-hạnhphúc"
}

fn is_number_line(text: &str) -> bool {
    let f = folded(text);
    f.starts_with("số") && f.contains('/') && f.chars().count() < 60
}

fn is_date_line(text: &str) -> bool {
    let f = folded(text);
    (f.contains("ngày") && f.contains("năm")) || numeric_date(&f)
}

fn numeric_date(f: &str) -> bool {
    f.split(|c: char| c.is_whitespace() || c == ',').any(|w| {
        let parts: Vec<&str> = w.split(['/', '.', '-']).collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
            && parts[2].len() == 4
    })
}

fn is_type_name(text: &str) -> bool {
    let upper = text
        .to_uppercase()
        .replace("HOÀ", "HÒA")
        .replace("UỶ", "ỦY");
    nd30::TYPE_NAMES.contains(&upper.trim())
}

fn is_appendix_heading(text: &str) -> bool {
    let f = folded(text);
    f.starts_with("phụ lục") && f.chars().count() <= 16
}

fn is_recipients_heading(text: &str) -> bool {
    starts_with_label(text, nd30::RECIPIENTS_LABEL)
}

fn looks_like_body(b: &Block) -> bool {
    b.align == Some(Align::Justified)
        || b.first_indent.is_some_and(|f| f > 1.0)
        || b.text().chars().count() > 160
}

fn find_parts(r: &Reading) -> Parts {
    let blocks = &r.blocks;
    let text: Vec<String> = blocks.iter().map(Block::text).collect();
    let filled: Vec<usize> = (0..blocks.len()).filter(|&i| !text[i].is_empty()).collect();
    let mut p = Parts::default();
    // An appendix in a file of its own (Mẫu 2.1): its headings are all there is.
    if filled
        .first()
        .is_some_and(|&i| is_appendix_heading(&text[i]))
    {
        p.appendices = filled
            .iter()
            .copied()
            .filter(|&i| is_appendix_heading(&text[i]))
            .collect();
        return p;
    }
    let early = &filled[..filled.len().min(40)];
    p.national = early.iter().copied().find(|&i| is_national(&text[i]));
    p.motto = early.iter().copied().find(|&i| is_motto(&text[i]));
    p.marks = filled
        .iter()
        .copied()
        .filter(|&i| is_mark(&text[i]) || text[i].to_uppercase().starts_with("DỰ THẢO"))
        .collect();

    // The header: from the top to the first full-width text after the national title.
    let after = p.national.max(p.motto).unwrap_or(0);
    let header_end = filled
        .iter()
        .copied()
        .find(|&i| i > after && blocks[i].column == Column::Full && !p.marks.contains(&i))
        .unwrap_or(blocks.len());
    let header: Vec<usize> = filled.iter().copied().filter(|&i| i < header_end).collect();
    p.number = header
        .iter()
        .copied()
        .find(|&i| blocks[i].column != Column::Right && is_number_line(&text[i]));
    let number_at = p.number.unwrap_or(header_end);
    p.agency = header
        .iter()
        .copied()
        .filter(|&i| {
            blocks[i].column == Column::Left
                && i < number_at
                && !p.marks.contains(&i)
                && !is_number_line(&text[i])
        })
        .collect();
    // The rule under the agency's name ends it.
    if let Some(k) = p
        .agency
        .iter()
        .position(|&i| blocks[i].rule_below.is_some())
    {
        p.agency.truncate(k + 1);
    }
    if let Some(n) = p.number {
        p.letter_summary = header
            .iter()
            .copied()
            .filter(|&i| i > n && blocks[i].column == blocks[n].column && !is_date_line(&text[i]))
            .collect();
    }
    p.date = header
        .iter()
        .copied()
        .find(|&i| {
            blocks[i].column != Column::Left && Some(i) != p.national && is_date_line(&text[i])
        })
        .or_else(|| {
            header
                .iter()
                .copied()
                .find(|&i| Some(i) != p.number && is_date_line(&text[i]))
        });

    // The title and its summary (ô 5a).
    let rest: Vec<usize> = filled
        .iter()
        .copied()
        .filter(|&i| i >= header_end)
        .collect();
    let mut at = 0;
    if let Some(&first) = rest.first() {
        if is_type_name(&text[first]) {
            p.title = Some(first);
            at = 1;
            while at < rest.len() && p.summary.len() < 3 {
                let i = rest[at];
                let b = &blocks[i];
                let starts_other = starts_with_label(&text[i], nd30::ADDRESSEE_LABEL)
                    || folded(&text[i]).starts_with("căn cứ");
                if starts_other || (!b.bold() && (!p.summary.is_empty() || looks_like_body(b))) {
                    break;
                }
                p.summary.push(i);
                at += 1;
                if b.rule_below.is_some() {
                    break;
                }
            }
        }
    }

    // The signature block: from Nơi nhận or the first right-column text after the body.
    let appendix_at = rest[at..]
        .iter()
        .copied()
        .find(|&i| is_appendix_heading(&text[i]) && blocks[i].column != Column::Left);
    let main_end = appendix_at.unwrap_or(blocks.len());
    p.appendices = rest
        .iter()
        .copied()
        .filter(|&i| is_appendix_heading(&text[i]) && i >= main_end)
        .collect();
    let main: Vec<usize> = rest[at..]
        .iter()
        .copied()
        .filter(|&i| i < main_end)
        .collect();
    p.recipients_heading = main
        .iter()
        .copied()
        .rfind(|&i| is_recipients_heading(&text[i]));
    let first_right = main
        .iter()
        .copied()
        .find(|&i| blocks[i].column == Column::Right);
    // The signature block starts at Nơi nhận, or at the right-column lines printed
    // beside it (a PDF may list the signer's title a line above); without Nơi nhận, at
    // the last run of right-column lines.
    let signature_at = match p.recipients_heading {
        Some(h) => {
            let k = main.iter().position(|&i| i == h).unwrap_or(0);
            let mut start = k;
            while start > 0 && k - start < 3 && blocks[main[start - 1]].column == Column::Right {
                start -= 1;
            }
            main[start]
        }
        None => {
            let mut start = main.len();
            while start > 0 && blocks[main[start - 1]].column == Column::Right {
                start -= 1;
            }
            main.get(start).copied().or(first_right).unwrap_or(main_end)
        }
    };
    p.body = main
        .iter()
        .copied()
        .filter(|&i| {
            i < signature_at
                && !starts_with_label(&text[i], nd30::ADDRESSEE_LABEL)
                && !p.marks.contains(&i)
                && !is_contact_line(&text[i])
        })
        .collect();
    let signature: Vec<usize> = main
        .iter()
        .copied()
        .filter(|&i| i >= signature_at)
        .collect();
    if let Some(h) = p.recipients_heading {
        p.recipients = signature
            .iter()
            .copied()
            .filter(|&i| {
                i > h && blocks[i].column == blocks[h].column && blocks[i].column != Column::Right
            })
            .collect();
    }
    let right: Vec<usize> = signature
        .iter()
        .copied()
        .filter(|&i| blocks[i].column == Column::Right && !text[i].starts_with('('))
        .collect();
    if let Some((&last, before)) = right.split_last() {
        p.signer = Some(last);
        p.authority = before.to_vec();
    }
    p
}

/// Collects findings for one document.
struct Findings<'r> {
    reading: &'r Reading,
    out: Vec<Finding>,
}

impl Findings<'_> {
    fn at(&mut self, check: Check, i: usize, found: Text) {
        let b = &self.reading.blocks[i];
        self.out.push(Finding {
            check,
            place: b.place,
            excerpt: excerpt(&b.text()),
            found,
        });
    }

    fn whole(&mut self, check: Check, place: Place, found: Text) {
        self.out.push(Finding {
            check,
            place,
            excerpt: String::new(),
            found,
        });
    }

    /// One finding for blocks that break the same rule: at the first, counting all.
    fn many(&mut self, check: Check, bad: &[(usize, Text)], of: usize) {
        let Some((first, found)) = bad.first() else {
            return;
        };
        let found = if bad.len() > 1 {
            Text::new(
                format!("{} ({} trên {} đoạn)", found.vi, bad.len(), of),
                format!("{} ({} of {} paragraphs)", found.en, bad.len(), of),
            )
        } else {
            found.clone()
        };
        self.at(check, *first, found);
    }

    fn block(&self, i: usize) -> &Block {
        &self.reading.blocks[i]
    }
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

fn pt(size: f32) -> String {
    let rounded = (size * 2.0).round() / 2.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i32)
    } else {
        format!("{rounded:.1}").replace('.', ",")
    }
}

fn size_found(size: f32) -> Text {
    Text::new(
        format!("cỡ chữ {}", pt(size)),
        format!("{} pt", pt(size).replace(',', ".")),
    )
}

fn not_bold() -> Text {
    Text::new("không đậm", "not bold")
}

fn not_caps() -> Text {
    Text::new("không in hoa", "not in capitals")
}

/// The width of a block's text in its own faces, in points.
fn text_width(b: &Block) -> f32 {
    b.visible_spans()
        .map(|s| fonts::text_width(s.text.trim(), FaceStyle::new(s.bold, s.italic), Pt(s.size)).0)
        .sum()
}

/// Which parts were found and the start of their text, in reading order: what the
/// rules saw, for tests and for `vanthu lint --outline`.
pub fn outline(reading: &Reading) -> Vec<(&'static str, String)> {
    let p = find_parts(reading);
    let text = |i: usize| excerpt(&reading.blocks[i].text());
    let mut out = Vec::new();
    let mut one = |name: &'static str, at: Option<usize>| {
        if let Some(i) = at {
            out.push((name, text(i)));
        }
    };
    one("national-title", p.national);
    one("motto", p.motto);
    for &i in &p.agency {
        one("agency", Some(i));
    }
    one("number", p.number);
    one("date", p.date);
    for &i in &p.letter_summary {
        one("letter-summary", Some(i));
    }
    one("title", p.title);
    for &i in &p.summary {
        one("summary", Some(i));
    }
    one("body-first", p.body.first().copied());
    one("body-last", p.body.last().copied());
    one("recipients", p.recipients_heading);
    for &i in &p.recipients {
        one("recipient", Some(i));
    }
    for &i in &p.authority {
        one("authority", Some(i));
    }
    one("signer", p.signer);
    for &i in &p.appendices {
        one("appendix", Some(i));
    }
    for &i in &p.marks {
        one("mark", Some(i));
    }
    out
}

pub fn check(reading: &Reading) -> Vec<Finding> {
    let parts = find_parts(reading);
    let mut f = Findings {
        reading,
        out: Vec::new(),
    };
    page_setup(&mut f);
    typeface(&mut f);
    page_numbers(&mut f);
    // An appendix in a file of its own (Mẫu 2.1) has no header and no signature.
    let appendix_file = reading
        .blocks
        .iter()
        .find(|b| !b.is_empty())
        .is_some_and(|b| is_appendix_heading(&b.text()));
    if !appendix_file {
        national_title(&mut f, &parts);
        agency(&mut f, &parts);
        number(&mut f, &parts);
        date(&mut f, &parts);
        title(&mut f, &parts);
        body(&mut f, &parts);
        signature(&mut f, &parts);
        recipients(&mut f, &parts);
    }
    appendices(&mut f, &parts);
    marks(&mut f, &parts);
    f.out.sort_by_key(|x| x.check);
    f.out
}

fn page_setup(f: &mut Findings<'_>) {
    let pdf = f.reading.source == Source::Pdf;
    for page in &f.reading.pages {
        let (short, long) = (page.width.min(page.height), page.width.max(page.height));
        if (short - 210.0).abs() > 2.0 || (long - 297.0).abs() > 2.0 {
            f.whole(
                Check::Paper,
                page.place,
                Text::new(
                    format!("khổ {:.0} × {:.0} mm", page.width, page.height),
                    format!("{:.0} × {:.0} mm paper", page.width, page.height),
                ),
            );
        }
        if page.width > page.height && !page.appendix && !page.has_table {
            f.whole(
                Check::Landscape,
                page.place,
                Text::new("trang nằm ngang", "landscape page"),
            );
        }
        let Some([top, bottom, left, right]) = page.margins else {
            continue;
        };
        let sides = [
            ("trên", "top", top, allowed::MARGIN_TOP),
            ("dưới", "bottom", bottom, allowed::MARGIN_BOTTOM),
            ("trái", "left", left, allowed::MARGIN_LEFT),
            ("phải", "right", right, allowed::MARGIN_RIGHT),
        ];
        let mut bad_vi = Vec::new();
        let mut bad_en = Vec::new();
        for (vi, en, mm, (low, high)) in sides {
            let (low, high) = (low.0, high.0);
            // A PDF shows where its text stops, not its margins: only text inside the
            // smallest margin is a fault there.
            let out = if pdf {
                mm < low - 1.5
            } else {
                mm < low - 0.3 || mm > high + 0.3
            };
            if out {
                bad_vi.push(format!("lề {vi} {mm:.0} mm"));
                bad_en.push(format!("{en} margin {mm:.0} mm"));
            }
        }
        if !bad_vi.is_empty() {
            f.whole(
                Check::Margin,
                page.place,
                Text::new(bad_vi.join(", "), bad_en.join(", ")),
            );
        }
    }
}

fn font_key(font: &str) -> String {
    let mut key: String = font
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    for suffix in ["psmt", "ps", "mt"] {
        if let Some(k) = key.strip_suffix(suffix) {
            key = k.to_string();
        }
    }
    key
}

fn typeface(f: &mut Findings<'_>) {
    let r = f.reading;
    let mut legacy = Vec::new();
    let mut other = Vec::new();
    let mut coloured = Vec::new();
    let mut printed = 0;
    for (i, b) in r.blocks.iter().enumerate() {
        if b.is_empty() {
            continue;
        }
        printed += 1;
        let mark = is_mark(&b.text());
        if let Some(s) = b.visible_spans().find(|s| {
            let k = font_key(&s.font);
            k.starts_with(".vn") || k.starts_with("vni")
        }) {
            legacy.push((
                i,
                Text::new(format!("phông {}", s.font), format!("font {}", s.font)),
            ));
        } else if let Some(s) = b
            .visible_spans()
            .find(|s| !TIMES.contains(&font_key(&s.font).as_str()))
        {
            other.push((
                i,
                Text::new(format!("phông {}", s.font), format!("font {}", s.font)),
            ));
        }
        if !mark {
            if let Some(c) = b
                .visible_spans()
                .filter_map(|s| s.colour)
                .find(|c| c.iter().any(|&v| v > 64))
            {
                let hex = format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2]);
                coloured.push((
                    i,
                    Text::new(format!("chữ màu {hex}"), format!("text coloured {hex}")),
                ));
            }
        }
    }
    f.many(Check::FontLegacy, &legacy, printed);
    f.many(Check::Font, &other, printed);
    f.many(Check::Colour, &coloured, printed);
    // The spans keep the text as written (a block's text() is normalised).
    if let Some((place, raw)) = r.blocks.iter().find_map(|b| {
        b.spans
            .iter()
            .find(|s| !unicode_normalization::is_nfc(&s.text))
            .map(|s| (b.place, s.text.as_str()))
    }) {
        f.out.push(Finding {
            check: Check::Nfc,
            place,
            excerpt: excerpt(raw),
            found: Text::new(
                "chữ Việt tổ hợp (dấu gõ rời)",
                "decomposed Vietnamese (combining marks)",
            ),
        });
    }
}

fn page_numbers(f: &mut Findings<'_>) {
    let r = f.reading;
    for n in &r.page_numbers {
        if n.on_first_page {
            f.whole(
                Check::PageNumberFirst,
                n.place,
                Text::new("số trang hiện ở trang thứ nhất", "a page number on page 1"),
            );
        }
        if n.in_footer || !n.centred {
            f.whole(
                Check::PageNumberPlace,
                n.place,
                if n.in_footer {
                    Text::new("số trang ở chân trang", "page numbers in the footer")
                } else {
                    Text::new("số trang không canh giữa", "page numbers not centred")
                },
            );
        }
        if !size_in(n.size, allowed::PAGE_NUMBER_SIZE) {
            f.whole(Check::PageNumberSize, n.place, size_found(n.size));
        }
    }
    if let Some(count) = r.page_count {
        if count >= 2 && r.page_numbers.iter().all(|n| n.on_first_page) {
            f.whole(
                Check::PageNumberMissing,
                Place::Page(2),
                Text::new(
                    format!("{count} trang, không có số trang"),
                    format!("{count} pages without page numbers"),
                ),
            );
        }
    }
    // A page-number rule gives one finding per kind, not one per page.
    let mut seen = std::collections::BTreeSet::new();
    f.out.retain(|x| {
        !matches!(
            x.check,
            Check::PageNumberFirst | Check::PageNumberPlace | Check::PageNumberSize
        ) || seen.insert(x.check)
    });
}

fn national_title(f: &mut Findings<'_>, p: &Parts) {
    match p.national {
        None => f.whole(
            Check::NationalTitleMissing,
            Place::Document,
            Text::new("không tìm thấy Quốc hiệu", "no national title found"),
        ),
        Some(i) => caps_bold_size(
            f,
            i,
            [
                Check::NationalTitleCase,
                Check::NationalTitleBold,
                Check::NationalTitleSize,
            ],
            allowed::NATIONAL_TITLE_SIZE,
        ),
    }
    let Some(i) = p.motto else {
        f.whole(
            Check::MottoMissing,
            Place::Document,
            Text::new("không tìm thấy Tiêu ngữ", "no motto found"),
        );
        return;
    };
    let b = f.block(i).clone();
    if b.text() != nd30::MOTTO {
        f.at(
            Check::MottoForm,
            i,
            Text::new(
                format!("viết «{}»", b.text()),
                format!("written «{}»", b.text()),
            ),
        );
    }
    if !b.bold() {
        f.at(Check::MottoBold, i, not_bold());
    }
    if !size_in(b.size(), allowed::MOTTO_SIZE) {
        f.at(Check::MottoSize, i, size_found(b.size()));
    }
    match b.rule_below {
        None => f.at(
            Check::MottoRule,
            i,
            Text::new("không có đường kẻ dưới Tiêu ngữ", "no rule under the motto"),
        ),
        Some(rule) if rule.kind != RuleKind::Solid => {
            f.at(Check::MottoRule, i, rule_kind_found(rule.kind))
        }
        Some(rule) => {
            let width = text_width(&b);
            let ratio = rule.length / width.max(1.0);
            if !(0.85..=1.2).contains(&ratio) {
                f.at(Check::MottoRuleLength, i, rule_found(rule.length, width));
            }
        }
    }
}

/// A part due in capitals, bold, at `low`–`high` pt: a finding for each that is not.
fn caps_bold_size(f: &mut Findings<'_>, i: usize, due: [Check; 3], sizes: (Pt, Pt)) {
    let b = f.block(i).clone();
    if !all_caps(&b.text()) {
        f.at(due[0], i, not_caps());
    }
    if !b.bold() {
        f.at(due[1], i, not_bold());
    }
    if !size_in(b.size(), sizes) {
        f.at(due[2], i, size_found(b.size()));
    }
}

fn rule_kind_found(kind: RuleKind) -> Text {
    match kind {
        RuleKind::Typed => Text::new(
            "đường kẻ gõ bằng ký tự («____»), không phải nét liền",
            "a rule typed as characters («____»), not a solid line",
        ),
        _ => Text::new(
            "đường kẻ nét đứt, chấm hoặc đôi, không phải nét liền",
            "a dashed, dotted or double rule, not a solid line",
        ),
    }
}

fn rule_found(length: f32, text: f32) -> Text {
    let mm = |pt: f32| pt * 25.4 / 72.0;
    Text::new(
        format!(
            "đường kẻ dài {:.0} mm, dòng chữ dài {:.0} mm",
            mm(length),
            mm(text)
        ),
        format!(
            "a {:.0} mm rule under a {:.0} mm line",
            mm(length),
            mm(text)
        ),
    )
}

fn agency(f: &mut Findings<'_>, p: &Parts) {
    if p.agency.is_empty() {
        f.whole(
            Check::AgencyMissing,
            Place::Document,
            Text::new(
                "không tìm thấy tên cơ quan ban hành",
                "no issuing agency found",
            ),
        );
        return;
    }
    for &i in &p.agency {
        let b = f.block(i).clone();
        if !all_caps(&b.text()) {
            f.at(Check::AgencyCase, i, not_caps());
        }
        if !size_in(b.size(), allowed::AGENCY_SIZE) {
            f.at(Check::AgencySize, i, size_found(b.size()));
        }
    }
    let last = *p.agency.last().unwrap_or(&0);
    if !f.block(last).bold() {
        f.at(Check::AgencyBold, last, not_bold());
    }
    let ruled = p
        .agency
        .iter()
        .copied()
        .find(|&i| f.block(i).rule_below.is_some());
    match ruled.and_then(|i| f.block(i).rule_below.map(|r| (i, r))) {
        None => f.at(
            Check::AgencyRule,
            last,
            Text::new(
                "không có đường kẻ dưới tên cơ quan",
                "no rule under the agency's name",
            ),
        ),
        Some((i, rule)) if rule.kind != RuleKind::Solid => {
            f.at(Check::AgencyRule, i, rule_kind_found(rule.kind))
        }
        Some((i, rule)) => {
            // The issuing agency's line is the bold one; without bold, the longest.
            let any_bold = p.agency.iter().any(|&j| f.block(j).bold());
            let width = p
                .agency
                .iter()
                .filter(|&&j| !any_bold || f.block(j).bold())
                .map(|&j| text_width(f.block(j)))
                .fold(0.0, f32::max)
                .max(1.0);
            let ratio = rule.length / width;
            if !short_rule_share(ratio) {
                f.at(Check::AgencyRuleLength, i, rule_found(rule.length, width));
            }
        }
    }
}

fn number(f: &mut Findings<'_>, p: &Parts) {
    let Some(i) = p.number else {
        f.whole(
            Check::NumberMissing,
            Place::Document,
            Text::new("không tìm thấy dòng «Số: …/…»", "no «Số: …/…» line found"),
        );
        return;
    };
    let b = f.block(i).clone();
    let text = b.text();
    let rest = text
        .trim_start_matches(|c: char| c.is_alphabetic())
        .to_string();
    if !text.starts_with("Số") || !rest.starts_with(':') {
        f.at(
            Check::NumberForm,
            i,
            Text::new(
                "«Số» viết hoa hoặc thiếu dấu hai chấm",
                "«Số» capitalised or without its colon",
            ),
        );
    }
    let rest = rest.trim_start_matches(':').trim();
    let (digits, symbol) = rest.split_once('/').unwrap_or((rest, ""));
    let digits = digits.trim();
    // Written as the Decree writes it (`nd30::number_text`: 05, 12, 123)?
    if let Some(due) = written_form(digits, nd30::number_text) {
        f.at(
            Check::NumberZero,
            i,
            Text::new(
                format!("số «{digits}», đúng là «{due}»"),
                format!("number «{digits}», due «{due}»"),
            ),
        );
    }
    if (!digits.is_empty() && rest.contains(" /"))
        || symbol.starts_with(' ')
        || symbol.contains(" -")
        || symbol.contains("- ")
    {
        f.at(
            Check::NumberForm,
            i,
            Text::new(
                "có khoảng trắng quanh «/» hoặc «-»",
                "spaces around «/» or «-»",
            ),
        );
    }
    if symbol.split('-').any(|part| part.trim() == "CV") {
        f.at(
            Check::SymbolLetter,
            i,
            Text::new(
                format!("ký hiệu «{}»", symbol.trim()),
                format!("symbol «{}»", symbol.trim()),
            ),
        );
    }
    if !size_is(b.size(), nd30::NUMBER_SIZE) {
        f.at(Check::NumberSize, i, size_found(b.size()));
    }
    if b.visible_spans().any(|s| s.bold) {
        f.at(Check::NumberBold, i, Text::new("chữ đậm", "bold"));
    }
}

fn date(f: &mut Findings<'_>, p: &Parts) {
    let Some(i) = p.date else {
        f.whole(
            Check::DateMissing,
            Place::Document,
            Text::new(
                "không tìm thấy địa danh, ngày tháng",
                "no place and date found",
            ),
        );
        return;
    };
    let b = f.block(i).clone();
    let text = b.text();
    let low = folded(&text);
    if numeric_date(&low) && !low.contains("ngày") {
        f.at(
            Check::DateForm,
            i,
            Text::new("ngày tháng viết bằng số", "the date written in figures"),
        );
    } else {
        let before = low.split("ngày").next().unwrap_or("").trim();
        if !before.is_empty() && !before.ends_with(',') {
            f.at(
                Check::DateForm,
                i,
                Text::new("thiếu dấu phẩy sau địa danh", "no comma after the place"),
            );
        }
        let word_after = |key: &str| -> Option<String> {
            let at = low.find(key)? + key.len();
            low[at..].split_whitespace().next().map(str::to_string)
        };
        // Day and month as the date line writes them (`nd30::day_text`, `month_text`).
        if let Some(day) = word_after("ngày") {
            if let Some(due) = written_form(&day, nd30::day_text) {
                f.at(
                    Check::DateDayZero,
                    i,
                    Text::new(
                        format!("«ngày {day}», đúng là «ngày {due}»"),
                        format!("«ngày {day}», due «ngày {due}»"),
                    ),
                );
            }
        }
        if let Some(month) = word_after("tháng") {
            if let Some(due) = written_form(&month, nd30::month_text) {
                f.at(
                    Check::DateMonthZero,
                    i,
                    Text::new(
                        format!("«tháng {month}», đúng là «tháng {due}»"),
                        format!("«tháng {month}», due «tháng {due}»"),
                    ),
                );
            }
        }
    }
    if !b.italic() {
        f.at(
            Check::DateItalic,
            i,
            Text::new("không nghiêng", "not italic"),
        );
    }
    if !size_in(b.size(), allowed::DATE_SIZE) {
        f.at(Check::DateSize, i, size_found(b.size()));
    }
}

fn title(f: &mut Findings<'_>, p: &Parts) {
    match p.title {
        Some(i) => {
            caps_bold_size(
                f,
                i,
                [Check::TitleCase, Check::TitleBold, Check::TitleSize],
                allowed::TITLE_SIZE,
            );
            let Some(&first) = p.summary.first() else {
                return;
            };
            let fb = f.block(first).clone();
            if starts_with_label(&fb.text(), nd30::SUMMARY_PREFIX) {
                f.at(
                    Check::SummaryVv,
                    first,
                    Text::new("trích yếu «V/v …»", "summary «V/v …»"),
                );
            }
            if let Some(&j) = p.summary.iter().find(|&&j| !f.block(j).bold()) {
                f.at(Check::SummaryBold, j, not_bold());
            }
            if let Some(&j) = p
                .summary
                .iter()
                .find(|&&j| !size_in(f.block(j).size(), allowed::TITLE_SIZE))
            {
                let size = f.block(j).size();
                f.at(Check::SummarySize, j, size_found(size));
            }
            let last = *p.summary.last().unwrap_or(&first);
            match f.block(last).rule_below {
                None => f.at(
                    Check::SummaryRule,
                    last,
                    Text::new(
                        "không có đường kẻ dưới trích yếu",
                        "no rule under the summary",
                    ),
                ),
                Some(rule) if rule.kind != RuleKind::Solid => {
                    f.at(Check::SummaryRule, last, rule_kind_found(rule.kind))
                }
                Some(rule) => {
                    // A summary wider than the text area wraps: its line is the area's width.
                    let width = p
                        .summary
                        .iter()
                        .map(|&j| text_width(f.block(j)))
                        .fold(0.0, f32::max)
                        .min(nd30::text_width().0)
                        .max(1.0);
                    let ratio = rule.length / width;
                    if !short_rule_share(ratio) {
                        f.at(
                            Check::SummaryRuleLength,
                            last,
                            rule_found(rule.length, width),
                        );
                    }
                }
            }
        }
        None => {
            let Some(&i) = p.letter_summary.first() else {
                f.whole(
                    Check::LetterSummaryMissing,
                    p.number.map_or(Place::Document, |n| f.block(n).place),
                    Text::new(
                        "không có tên loại, cũng không có trích yếu «V/v …»",
                        "neither a type name nor a «V/v …» summary",
                    ),
                );
                return;
            };
            let b = f.block(i).clone();
            let low = folded(&b.text());
            let prefix = folded(nd30::SUMMARY_PREFIX.trim());
            if !low.starts_with(&prefix) || low.starts_with(&format!("{prefix}:")) {
                f.at(
                    Check::LetterSummaryVv,
                    i,
                    Text::new(
                        format!("trích yếu «{}»", excerpt(&b.text())),
                        format!("summary «{}»", excerpt(&b.text())),
                    ),
                );
            }
            if b.visible_spans().any(|s| s.bold) {
                f.at(Check::LetterSummaryBold, i, Text::new("chữ đậm", "bold"));
            }
            if !size_in(b.size(), allowed::LETTER_SUMMARY_SIZE) {
                f.at(Check::LetterSummarySize, i, size_found(b.size()));
            }
        }
    }
}

fn body(f: &mut Findings<'_>, p: &Parts) {
    let r = f.reading;
    let docx = r.source == Source::Docx;
    // Prose: the paragraphs (lines of a PDF) of running text, not headings.
    let prose: Vec<usize> = p
        .body
        .iter()
        .copied()
        .filter(|&i| {
            let b = &r.blocks[i];
            let t = b.text();
            !b.in_table
                && (docx || b.column == Column::Full)
                && t.chars().count() >= if docx { 60 } else { 30 }
                && !all_caps(&t)
        })
        .collect();
    let of = prose.len();
    let mut sizes = Vec::new();
    let mut justify = Vec::new();
    let mut indent = Vec::new();
    let mut spacing = Vec::new();
    let mut lines = Vec::new();
    let mut previous_after: Option<f32> = None;
    for &i in &prose {
        let b = &r.blocks[i];
        let size = b.size();
        if !size_in(size, allowed::BODY_SIZE) {
            sizes.push((i, size_found(size)));
        }
        if !docx {
            continue;
        }
        if b.align != Some(Align::Justified) {
            let how = match b.align {
                Some(Align::Centre) => Text::new("căn giữa", "centred"),
                Some(Align::Right) => Text::new("căn phải", "right-aligned"),
                _ => Text::new("căn trái", "left-aligned"),
            };
            justify.push((i, how));
        }
        let first = b.first_indent.unwrap_or(0.0);
        let (least, most) = allowed::FIRST_LINE_INDENT;
        if !(least.to_pt().0 - 0.6..=most.to_pt().0 + 0.6).contains(&first) {
            indent.push((
                i,
                Text::new(
                    format!("lùi đầu dòng {:.2} cm", first / PT_PER_CM).replace('.', ","),
                    format!("first-line indent {:.2} cm", first / PT_PER_CM),
                ),
            ));
        }
        let gap = b.space_before.unwrap_or(0.0) + previous_after.unwrap_or(0.0);
        if gap < allowed::MIN_PARAGRAPH_SPACING.0 - 0.05 {
            spacing.push((
                i,
                Text::new(
                    format!("cách đoạn {} pt", pt(gap)),
                    format!("{} pt between paragraphs", pt(gap)),
                ),
            ));
        }
        previous_after = Some(b.space_after.unwrap_or(0.0));
        // Word's single line of Times New Roman is 1.15 times its size.
        let single = 1.15 * size.max(1.0);
        let (fewest, most) = allowed::LINE_SPACING;
        let bad_line = match b.line_spacing {
            Some(LineSpacing::Multiple(m)) => !(fewest - 0.01..=most + 0.01).contains(&m),
            Some(LineSpacing::Exact(x)) => x < fewest * size || x > most * single + 0.5,
            Some(LineSpacing::AtLeast(x)) => x > most * single + 0.5,
            None => false,
        };
        if bad_line {
            let shown = match b.line_spacing {
                Some(LineSpacing::Multiple(m)) => format!("{m:.2}"),
                Some(LineSpacing::Exact(x)) | Some(LineSpacing::AtLeast(x)) => {
                    format!("{} pt", pt(x))
                }
                None => String::new(),
            };
            lines.push((
                i,
                Text::new(
                    format!("cách dòng {shown}"),
                    format!("line spacing {shown}"),
                ),
            ));
        }
    }
    f.many(Check::BodySize, &sizes, of);
    f.many(Check::BodyJustify, &justify, of);
    f.many(Check::BodyIndent, &indent, of);
    f.many(Check::BodySpacing, &spacing, of);
    f.many(Check::BodyLineSpacing, &lines, of);
    // The content's last paragraph; a note in brackets after it (a pointer to the
    // appendix) does not end the content.
    if let Some(last) = p
        .body
        .iter()
        .copied()
        .rfind(|&i| !r.blocks[i].in_table && !r.blocks[i].text().starts_with('('))
    {
        let t = r.blocks[last].text();
        if !t.ends_with("./.") {
            f.at(
                Check::BodyEnd,
                last,
                Text::new(
                    "nội dung không kết thúc bằng «./.»",
                    "the body does not end with «./.»",
                ),
            );
        }
    }
}

fn signature(f: &mut Findings<'_>, p: &Parts) {
    let Some(signer) = p.signer else {
        f.whole(
            Check::SignerMissing,
            Place::Document,
            Text::new("không tìm thấy phần ký", "no signature block found"),
        );
        return;
    };
    for &i in &p.authority {
        let b = f.block(i).clone();
        let t = b.text();
        let up = t.to_uppercase();
        let slash = ["T/M", "K/T", "T/L", "TUQ/", "TM/", "KT/"]
            .iter()
            .any(|s| up.starts_with(s));
        let words = [
            "THAY MẶT",
            "KÝ THAY",
            "THỪA LỆNH",
            "THỪA ỦY QUYỀN",
            "THỪA UỶ QUYỀN",
        ]
        .iter()
        .any(|s| up.starts_with(s));
        let no_dot = ["TM ", "KT ", "TL ", "TUQ ", "Q "]
            .iter()
            .any(|s| up.starts_with(s));
        if slash || words || no_dot {
            let first = t.split_whitespace().next().unwrap_or("").to_string();
            f.at(
                Check::AuthorityForm,
                i,
                Text::new(format!("viết «{first}»"), format!("written «{first}»")),
            );
        }
        caps_bold_size(
            f,
            i,
            [
                Check::AuthorityCase,
                Check::AuthorityBold,
                Check::AuthoritySize,
            ],
            allowed::SIGNER_SIZE,
        );
    }
    let b = f.block(signer).clone();
    let t = b.text();
    let first = t.split_whitespace().next().unwrap_or("");
    let degrees = [
        "TS.", "ThS.", "PGS.", "GS.", "TS", "ThS", "PGS.TS.", "GS.TS.", "BS.", "KS.", "CN.", "Th.S",
    ];
    if degrees.contains(&first) || first.starts_with("PGS.") || first.starts_with("GS.") {
        f.at(
            Check::SignerTitle,
            signer,
            Text::new(
                format!("ghi «{first}» trước họ tên"),
                format!("«{first}» before the name"),
            ),
        );
    } else if all_caps(&t) && t.chars().filter(|c| c.is_alphabetic()).count() > 3 {
        f.at(
            Check::SignerCase,
            signer,
            Text::new("họ tên in hoa", "the name in capitals"),
        );
    }
    if !b.bold() {
        f.at(Check::SignerBold, signer, not_bold());
    }
    if !size_in(b.size(), allowed::SIGNER_SIZE) {
        f.at(Check::SignerSize, signer, size_found(b.size()));
    }
}

fn recipients(f: &mut Findings<'_>, p: &Parts) {
    let Some(h) = p.recipients_heading else {
        if p.signer.is_some() {
            f.whole(
                Check::RecipientsMissing,
                Place::Document,
                Text::new("không tìm thấy «Nơi nhận:»", "no «Nơi nhận:» found"),
            );
        }
        return;
    };
    let b = f.block(h).clone();
    let mut wrong_vi = Vec::new();
    let mut wrong_en = Vec::new();
    if !size_is(b.size(), nd30::RECIPIENTS_HEADING_SIZE) {
        wrong_vi.push(format!("cỡ chữ {}", pt(b.size())));
        wrong_en.push(format!("{} pt", pt(b.size()).replace(',', ".")));
    }
    if !b.bold() {
        wrong_vi.push("không đậm".to_string());
        wrong_en.push("not bold".to_string());
    }
    if !b.italic() {
        wrong_vi.push("không nghiêng".to_string());
        wrong_en.push("not italic".to_string());
    }
    if !b.text().ends_with(':') {
        wrong_vi.push("thiếu dấu hai chấm".to_string());
        wrong_en.push("no colon".to_string());
    }
    if !wrong_vi.is_empty() {
        f.at(
            Check::RecipientsHeading,
            h,
            Text::new(wrong_vi.join(", "), wrong_en.join(", ")),
        );
    }
    let items = &p.recipients;
    let sizes: Vec<(usize, Text)> = items
        .iter()
        .copied()
        .filter(|&i| !size_is(f.block(i).size(), nd30::RECIPIENTS_ITEM_SIZE))
        .map(|i| (i, size_found(f.block(i).size())))
        .collect();
    f.many(Check::RecipientsItemSize, &sizes, items.len());
    let docx = f.reading.source == Source::Docx;
    let starts: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| f.block(i).text().starts_with(['-', '–', '+', '•']))
        .collect();
    let mut form = Vec::new();
    for (k, &i) in items.iter().enumerate() {
        let t = f.block(i).text();
        let last = k + 1 == items.len();
        if docx && !t.starts_with(['-', '–']) {
            form.push((
                i,
                Text::new("dòng không bắt đầu bằng «-»", "a line not starting «-»"),
            ));
        } else if last && !t.ends_with('.') {
            form.push((
                i,
                Text::new(
                    "dòng cuối không kết thúc bằng «.»",
                    "the last line does not end «.»",
                ),
            ));
        } else if docx && !last && !t.ends_with(';') && !t.ends_with(',') {
            form.push((
                i,
                Text::new("dòng không kết thúc bằng «;»", "a line not ending «;»"),
            ));
        }
    }
    f.many(Check::RecipientsItemForm, &form, items.len());
    let archive = starts.iter().copied().rfind(|&i| {
        folded(&f.block(i).text())
            .trim_start_matches(['-', ' '])
            .starts_with("lưu")
    });
    match archive {
        None => f.at(
            Check::RecipientsArchive,
            h,
            Text::new("không có dòng «- Lưu: VT, …»", "no «- Lưu: VT, …» line"),
        ),
        Some(i) if Some(&i) != starts.last() => f.at(
            Check::RecipientsArchive,
            i,
            Text::new(
                "dòng «Lưu» không phải dòng cuối",
                "the «Lưu» line is not the last",
            ),
        ),
        Some(_) => {}
    }
}

fn appendices(f: &mut Findings<'_>, p: &Parts) {
    let mut arabic = 0;
    for &i in &p.appendices {
        let b = f.block(i).clone();
        let t = b.text();
        if t.chars().any(|c| c.is_ascii_digit()) {
            arabic += 1;
        }
        let mut wrong = Vec::new();
        if !size_is(b.size(), nd30::APPENDIX_HEADING_SIZE) {
            wrong.push(size_found(b.size()));
        }
        if !b.bold() {
            wrong.push(not_bold());
        }
        if let Some(first) = wrong.first() {
            f.at(Check::AppendixHeading, i, first.clone());
        }
        let next: Vec<usize> = (i + 1..f.reading.blocks.len())
            .filter(|&j| !f.block(j).is_empty())
            .take(4)
            .collect();
        match next
            .iter()
            .copied()
            .find(|&j| folded(&f.block(j).text()).starts_with("(kèm theo"))
        {
            None => f.at(
                Check::AppendixReference,
                i,
                Text::new("không có dòng «(Kèm theo …)»", "no «(Kèm theo …)» line"),
            ),
            Some(j) if !f.block(j).italic() => f.at(
                Check::AppendixReference,
                j,
                Text::new("không nghiêng", "not italic"),
            ),
            Some(_) => {}
        }
    }
    if p.appendices.len() >= 2 && arabic > 0 {
        let first = p.appendices[0];
        f.at(
            Check::AppendixNumbering,
            first,
            Text::new(
                "phụ lục đánh số bằng chữ số Ả Rập",
                "appendices numbered in Arabic numerals",
            ),
        );
    }
}

fn marks(f: &mut Findings<'_>, p: &Parts) {
    for &i in &p.marks {
        let b = f.block(i).clone();
        let t = b.text();
        if t.to_uppercase().starts_with("DỰ THẢO") {
            f.at(
                Check::MarkDraft,
                i,
                Text::new("còn chỉ dẫn «DỰ THẢO»", "a «DỰ THẢO» mark"),
            );
        } else if !b.bold() || !all_caps(&t) {
            f.at(
                Check::MarkStyle,
                i,
                if b.bold() { not_caps() } else { not_bold() },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::model::{PageNumber, PageSetup, Rule, Span};

    /// A clean báo cáo as a DOCX reader gives it.
    fn good() -> Reading {
        let mut blocks = Vec::new();
        let mut add =
            |text: &str, column: Column, container: usize, size: f32, bold: bool, italic: bool| {
                blocks.push(Block {
                    place: Place::Paragraph(blocks.len() + 1),
                    column,
                    container,
                    spans: vec![Span {
                        text: text.to_string(),
                        size,
                        bold,
                        italic,
                        font: "Times New Roman".into(),
                        colour: None,
                        underline: None,
                    }],
                    align: Some(Align::Centre),
                    first_indent: None,
                    space_before: Some(0.0),
                    space_after: Some(0.0),
                    line_spacing: Some(LineSpacing::Multiple(1.0)),
                    rule_below: None,
                    page: 0,
                    x: None,
                    in_table: container != 3,
                });
            };
        use Column::*;
        add("ỦY BAN NHÂN DÂN", Left, 1, 13.0, true, false);
        add("XÃ PHÚ THÁI", Left, 1, 13.0, true, false);
        add(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            Right,
            2,
            13.0,
            true,
            false,
        );
        add("Độc lập - Tự do - Hạnh phúc", Right, 2, 14.0, true, false);
        add("Số: 05/BC-UBND", Left, 1, 13.0, false, false);
        add(
            "Phú Thái, ngày 05 tháng 3 năm 2025",
            Right,
            2,
            14.0,
            false,
            true,
        );
        add("BÁO CÁO", Full, 3, 14.0, true, false);
        add(
            "Kết quả thực hiện nhiệm vụ tháng 3 năm 2025",
            Full,
            3,
            14.0,
            true,
            false,
        );
        for text in [
            "Thực hiện kế hoạch của Ủy ban nhân dân xã, các cơ quan, đơn vị đã triển khai các nhiệm vụ được giao.",
            "Ủy ban nhân dân xã đề nghị các cơ quan, đơn vị tiếp tục thực hiện các nhiệm vụ còn lại theo kế hoạch./.",
        ] {
            add(text, Full, 3, 14.0, false, false);
        }
        add("Nơi nhận:", Left, 4, 12.0, true, true);
        add("- UBND huyện;", Left, 4, 11.0, false, false);
        add("- Lưu: VT, VHXH.", Left, 4, 11.0, false, false);
        add("TM. ỦY BAN NHÂN DÂN", Right, 5, 14.0, true, false);
        add("CHỦ TỊCH", Right, 5, 14.0, true, false);
        add("Nguyễn Văn An", Right, 5, 14.0, true, false);
        let solid = |length| {
            Some(Rule {
                length,
                kind: RuleKind::Solid,
            })
        };
        blocks[1].rule_below = solid(40.0);
        blocks[3].rule_below = solid(text_width(&blocks[3]));
        blocks[7].rule_below = solid(text_width(&blocks[7]) * 0.4);
        for b in &mut blocks[8..10] {
            b.align = Some(Align::Justified);
            b.first_indent = Some(28.35);
            b.space_before = Some(6.0);
        }
        Reading {
            source: Source::Docx,
            blocks,
            pages: vec![PageSetup {
                place: Place::Section(1),
                width: 210.0,
                height: 297.0,
                margins: Some([20.0, 20.0, 30.0, 15.0]),
                has_table: false,
                appendix: false,
            }],
            page_numbers: vec![PageNumber {
                place: Place::PageHeader(1),
                on_first_page: false,
                in_footer: false,
                size: 14.0,
                centred: true,
            }],
            page_count: None,
        }
    }

    fn codes(r: &Reading) -> Vec<&'static str> {
        let mut c: Vec<&str> = check(r).iter().map(|f| f.code()).collect();
        c.dedup();
        c
    }

    fn span(r: &mut Reading, i: usize) -> &mut Span {
        &mut r.blocks[i].spans[0]
    }

    #[test]
    fn the_clean_document_has_no_finding_and_every_part_is_found() {
        let r = good();
        assert_eq!(codes(&r), Vec::<&str>::new());
        let parts: Vec<&str> = outline(&r).into_iter().map(|(p, _)| p).collect();
        for due in [
            "national-title",
            "motto",
            "agency",
            "number",
            "date",
            "title",
            "summary",
            "body-first",
            "recipients",
            "authority",
            "signer",
        ] {
            assert!(parts.contains(&due), "{due} in {parts:?}");
        }
    }

    /// Each rule, clause by clause: one change to the clean document, one finding.
    #[test]
    fn each_rule_finds_its_own_fault_and_no_other() {
        type Change = fn(&mut Reading);
        let cases: Vec<(&str, Change)> = vec![
            ("L-PAPER", |r| r.pages[0].height = 279.4),
            ("L-LANDSCAPE", |r| {
                (r.pages[0].width, r.pages[0].height) = (297.0, 210.0)
            }),
            ("L-MARGIN", |r| {
                r.pages[0].margins = Some([20.0, 20.0, 25.0, 15.0])
            }),
            ("L-FONT", |r| span(r, 8).font = "Arial".into()),
            ("L-FONT-LEGACY", |r| span(r, 8).font = ".VnTime".into()),
            ("L-COLOUR", |r| span(r, 8).colour = Some([0, 0, 255])),
            ("L-NFC", |r| {
                use unicode_normalization::UnicodeNormalization;
                let decomposed = span(r, 8).text.nfd().collect();
                span(r, 8).text = decomposed;
            }),
            ("L-PAGE-NUMBER-FIRST", |r| {
                r.page_numbers[0].on_first_page = true
            }),
            ("L-PAGE-NUMBER-PLACE", |r| r.page_numbers[0].centred = false),
            ("L-PAGE-NUMBER-SIZE", |r| r.page_numbers[0].size = 12.0),
            ("L-PAGE-NUMBER-MISSING", |r| {
                r.page_numbers.clear();
                r.page_count = Some(3);
            }),
            ("L-NATIONAL-TITLE-CASE", |r| {
                span(r, 2).text = "Cộng hòa xã hội chủ nghĩa Việt Nam".into()
            }),
            ("L-NATIONAL-TITLE-BOLD", |r| span(r, 2).bold = false),
            ("L-NATIONAL-TITLE-SIZE", |r| span(r, 2).size = 14.0),
            ("L-MOTTO-FORM", |r| {
                span(r, 3).text = "Độc lập – Tự do – Hạnh phúc".into()
            }),
            ("L-MOTTO-BOLD", |r| span(r, 3).bold = false),
            ("L-MOTTO-SIZE", |r| span(r, 3).size = 12.0),
            ("L-MOTTO-RULE", |r| r.blocks[3].rule_below = None),
            ("L-MOTTO-RULE-LENGTH", |r| {
                r.blocks[3].rule_below.as_mut().unwrap().length /= 2.0
            }),
            ("L-AGENCY-CASE", |r| span(r, 1).text = "Xã Phú Thái".into()),
            ("L-AGENCY-BOLD", |r| span(r, 1).bold = false),
            ("L-AGENCY-SIZE", |r| span(r, 0).size = 14.0),
            ("L-AGENCY-RULE", |r| r.blocks[1].rule_below = None),
            ("L-AGENCY-RULE-LENGTH", |r| {
                r.blocks[1].rule_below.as_mut().unwrap().length = 90.0
            }),
            ("L-NUMBER-MISSING", |r| {
                span(r, 4).text = "Ký hiệu BC-UBND".into()
            }),
            ("L-NUMBER-ZERO", |r| {
                span(r, 4).text = "Số: 5/BC-UBND".into()
            }),
            ("L-NUMBER-FORM", |r| {
                span(r, 4).text = "Số: 05 / BC-UBND".into()
            }),
            ("L-NUMBER-SIZE", |r| span(r, 4).size = 14.0),
            ("L-NUMBER-BOLD", |r| span(r, 4).bold = true),
            ("L-SYMBOL-CV", |r| span(r, 4).text = "Số: 05/CV-UBND".into()),
            ("L-DATE-MISSING", |r| span(r, 5).text = "Phú Thái".into()),
            ("L-DATE-FORM", |r| {
                span(r, 5).text = "Phú Thái ngày 05 tháng 3 năm 2025".into()
            }),
            ("L-DATE-DAY-ZERO", |r| {
                span(r, 5).text = "Phú Thái, ngày 5 tháng 3 năm 2025".into()
            }),
            ("L-DATE-MONTH-ZERO", |r| {
                span(r, 5).text = "Phú Thái, ngày 05 tháng 1 năm 2025".into()
            }),
            ("L-DATE-ITALIC", |r| span(r, 5).italic = false),
            ("L-DATE-SIZE", |r| span(r, 5).size = 12.0),
            ("L-TITLE-CASE", |r| span(r, 6).text = "Báo cáo".into()),
            ("L-TITLE-BOLD", |r| span(r, 6).bold = false),
            ("L-TITLE-SIZE", |r| span(r, 6).size = 16.0),
            ("L-SUMMARY-VV", |r| {
                span(r, 7).text = "V/v kết quả thực hiện nhiệm vụ".into()
            }),
            ("L-SUMMARY-SIZE", |r| span(r, 7).size = 12.0),
            ("L-SUMMARY-RULE", |r| r.blocks[7].rule_below = None),
            ("L-SUMMARY-RULE-LENGTH", |r| {
                r.blocks[7].rule_below.as_mut().unwrap().length = 5.0
            }),
            ("L-BODY-SIZE", |r| span(r, 8).size = 12.0),
            ("L-BODY-JUSTIFY", |r| r.blocks[8].align = Some(Align::Left)),
            ("L-BODY-INDENT", |r| r.blocks[8].first_indent = Some(0.0)),
            ("L-BODY-SPACING", |r| r.blocks[9].space_before = Some(0.0)),
            ("L-BODY-LINE-SPACING", |r| {
                r.blocks[8].line_spacing = Some(LineSpacing::Multiple(2.0))
            }),
            ("L-BODY-END", |r| {
                span(r, 9).text = "Ủy ban nhân dân xã đề nghị các cơ quan, đơn vị tiếp tục thực hiện các nhiệm vụ.".into()
            }),
            ("L-AUTHORITY-FORM", |r| {
                span(r, 13).text = "K/T CHỦ TỊCH".into()
            }),
            ("L-AUTHORITY-CASE", |r| span(r, 14).text = "Chủ tịch".into()),
            ("L-AUTHORITY-BOLD", |r| span(r, 14).bold = false),
            ("L-AUTHORITY-SIZE", |r| span(r, 14).size = 12.0),
            ("L-SIGNER-CASE", |r| {
                span(r, 15).text = "NGUYỄN VĂN AN".into()
            }),
            ("L-SIGNER-BOLD", |r| span(r, 15).bold = false),
            ("L-SIGNER-TITLE", |r| {
                span(r, 15).text = "ThS. Nguyễn Văn An".into()
            }),
            ("L-SIGNER-SIZE", |r| span(r, 15).size = 12.0),
            ("L-RECIPIENTS-MISSING", |r| span(r, 10).text = "Gửi:".into()),
            ("L-RECIPIENTS-HEADING", |r| span(r, 10).italic = false),
            ("L-RECIPIENTS-ITEM-SIZE", |r| span(r, 11).size = 12.0),
            ("L-RECIPIENTS-ITEM-FORM", |r| {
                span(r, 11).text = "UBND huyện;".into()
            }),
            ("L-RECIPIENTS-ARCHIVE", |r| {
                span(r, 12).text = "- Văn thư.".into()
            }),
        ];
        for (due, change) in cases {
            let mut r = good();
            change(&mut r);
            assert_eq!(codes(&r), vec![due], "{due}");
            let c = Check::ALL.iter().find(|c| c.code() == due).unwrap();
            assert!(!c.clause().is_empty());
        }
    }

    #[test]
    fn a_letter_is_told_by_its_v_v_summary() {
        let mut r = good();
        // No type name: the summary moves under the number, as in Mẫu 1.5.
        r.blocks.remove(7);
        r.blocks.remove(6);
        let mut vv = r.blocks[4].clone();
        vv.spans[0].text = "V/v đôn đốc báo cáo".into();
        vv.spans[0].size = 12.0;
        r.blocks.insert(5, vv);
        assert_eq!(codes(&r), Vec::<&str>::new());
        r.blocks[5].spans[0].bold = true;
        assert_eq!(codes(&r), vec!["L-LETTER-SUMMARY-BOLD"]);
        r.blocks[5].spans[0].bold = false;
        r.blocks[5].spans[0].text = "V/v: đôn đốc báo cáo".into();
        assert_eq!(codes(&r), vec!["L-LETTER-SUMMARY-VV"]);
        r.blocks[5].spans[0].text = "V/v đôn đốc báo cáo".into();
        r.blocks[5].spans[0].size = 14.0;
        assert_eq!(codes(&r), vec!["L-LETTER-SUMMARY-SIZE"]);
        r.blocks.remove(5);
        assert_eq!(codes(&r), vec!["L-LETTER-SUMMARY-MISSING"]);
    }

    #[test]
    fn appendices_and_marks() {
        let mut r = good();
        let mut heading = r.blocks[6].clone();
        heading.spans[0].text = "Phụ lục 1".into();
        let mut reference = r.blocks[8].clone();
        reference.spans[0].text =
            "(Kèm theo Báo cáo số 05/BC-UBND ngày 05 tháng 3 năm 2025)".into();
        reference.spans[0].italic = true;
        let mut second = heading.clone();
        second.spans[0].text = "Phụ lục 2".into();
        r.blocks
            .extend([heading, reference.clone(), second, reference]);
        assert_eq!(codes(&r), vec!["L-APPENDIX-NUMBERING"]);
        let n = r.blocks.len();
        r.blocks[n - 4].spans[0].text = "Phụ lục I".into();
        r.blocks[n - 2].spans[0].text = "Phụ lục II".into();
        assert_eq!(codes(&r), Vec::<&str>::new());
        r.blocks[n - 2].spans[0].size = 12.0;
        assert_eq!(codes(&r), vec!["L-APPENDIX-HEADING"]);
        r.blocks[n - 2].spans[0].size = 14.0;
        r.blocks[n - 1].spans[0].italic = false;
        assert_eq!(codes(&r), vec!["L-APPENDIX-REFERENCE"]);

        let mut r = good();
        let mut mark = r.blocks[4].clone();
        mark.spans[0].text = "KHẨN".into();
        mark.spans[0].bold = true;
        mark.spans[0].colour = Some([255, 0, 0]);
        r.blocks.insert(5, mark);
        assert_eq!(
            codes(&r),
            Vec::<&str>::new(),
            "a red urgency mark is due red"
        );
        assert_eq!(
            codes(&{
                let mut r = r.clone();
                r.blocks[5].spans[0].text = "Khẩn".into();
                r
            }),
            vec!["L-MARK-STYLE"]
        );
        r.blocks[5].spans[0].text = "DỰ THẢO".into();
        r.blocks[5].spans[0].colour = None;
        assert_eq!(codes(&r), vec!["L-MARK-DRAFT"]);
    }

    #[test]
    fn landscape_is_allowed_for_tables_and_appendices() {
        let mut r = good();
        r.pages.push(PageSetup {
            place: Place::Section(2),
            width: 297.0,
            height: 210.0,
            margins: Some([20.0, 20.0, 30.0, 15.0]),
            has_table: true,
            appendix: false,
        });
        assert_eq!(codes(&r), Vec::<&str>::new());
        r.pages[1].has_table = false;
        r.pages[1].appendix = true;
        assert_eq!(codes(&r), Vec::<&str>::new());
    }

    #[test]
    fn the_motto_is_found_whatever_its_dashes_and_spaces() {
        assert!(is_motto("Độc lập - Tự do - Hạnh phúc"));
        assert!(is_motto("Độc Lập – Tự Do – Hạnh Phúc"));
        assert!(is_motto("Độc lập-Tự do-Hạnh phúc"));
        assert!(!is_motto("Độc lập - Tự do"));
    }

    #[test]
    fn both_spellings_of_hoa_are_the_national_title() {
        assert!(is_national("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(is_national("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        assert!(is_national("Cộng hòa xã hội chủ nghĩa Việt Nam"));
    }

    #[test]
    fn a_numeric_date_is_told_from_a_written_one() {
        assert!(numeric_date("hà nội, 05/10/2025"));
        assert!(numeric_date("05.10.2025"));
        assert!(!numeric_date("ngày 05 tháng 10 năm 2025"));
    }

    #[test]
    fn font_names_fold_to_their_family() {
        assert_eq!(font_key("TimesNewRomanPSMT"), "timesnewroman");
        assert_eq!(font_key("Times New Roman"), "timesnewroman");
        assert_eq!(font_key(".VnTime"), ".vntime");
        assert_eq!(font_key("LiberationSerif"), "liberationserif");
    }
}
