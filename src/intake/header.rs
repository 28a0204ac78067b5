//! The canonical table's header row: which column holds the labels (Chỉ tiêu), the
//! period's value (Thực hiện) and its plan (Kế hoạch). Units add columns of their own —
//! last year's figure, the annual plan, a running total — so a header is read for its
//! scope too: an exact header beats a look-alike, a column qualified by this period
//! counts as the period's, and one qualified by another scope (`năm`, `lũy kế`, `cùng
//! kỳ`…) is never taken for it.

use calamine::{Data, Range};

use super::cell::{cell, cell_text};
use crate::period::Period;
use crate::text::fold;

/// How far down and across the table's header row may be.
pub(super) const HEADER_SEARCH_ROWS: u32 = 60;
const HEADER_SEARCH_COLS: u32 = 30;

/// Headers of the label column (folded, a whole-word prefix).
const LABEL_HEADERS: [&str; 4] = ["chi tieu", "ten chi tieu", "noi dung chi tieu", "noi dung"];
/// Headers of the value column, longest first.
const VALUE_HEADERS: [&str; 5] = [
    "ket qua thuc hien",
    "thuc hien",
    "ket qua",
    "so luong",
    "th",
];
/// Headers of the plan column.
const TARGET_HEADERS: [&str; 2] = ["ke hoach", "kh"];
/// The first letters of every header above.
const HEADER_INITIALS: &str = "ctnks";
/// Words that put a column in another scope than the period, whatever else it says.
const OTHER_SCOPE: [&str; 6] = ["luy ke", "cung ky", "truoc", "tu dau", "ca nam", "so sanh"];
/// Words that name some period or scope: with none of this period's words, another one.
const ANY_SCOPE: [&str; 5] = ["thang", "quy", "nam", "ky", "6 thang"];

/// What a column's header says about its scope, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Scope {
    /// The header and nothing else (`Thực hiện`).
    Exact,
    /// Qualified by this period (`TH quý IV` in a 2025-Q4 folder, `Thực hiện kỳ này`).
    ThisPeriod,
    /// Qualified by something that is not a scope (`Thực hiện (người)`).
    Qualified,
    /// Another scope (`Kế hoạch năm`, `Thực hiện cùng kỳ năm trước`, `Lũy kế`): never
    /// the period's.
    Other,
}

/// A column the header row offers for a role.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    pub col: u32,
    pub header: String,
    pub scope: Scope,
}

/// Where the canonical table's columns are, and what else looked like them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Columns {
    pub header_row: u32,
    pub label: u32,
    pub value: u32,
    pub target: Option<u32>,
    /// Columns that could have been the value's or the plan's too, beside the one taken
    /// (`(taken, other)`): the sheet is ambiguous and the clerk is told both.
    pub ambiguous: Vec<(Candidate, Candidate)>,
    /// Hidden columns that could have been the value's or the plan's, left unread for the
    /// visible one taken (`(taken, hidden)`): an old column hidden rather than deleted.
    pub hidden: Vec<(Candidate, Candidate)>,
}

/// The header rows that came closest to a table, for a refusal to point at.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NearMiss {
    pub row: u32,
    pub col: u32,
    pub header: String,
}

/// `text` with `prefix` as its first whole words, and what follows.
fn after_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim())
}

fn has_phrase(text: &str, phrase: &str) -> bool {
    format!(" {text} ").contains(&format!(" {phrase} "))
}

/// The words that name `period` in a header (folded).
fn period_words(period: Period) -> Vec<String> {
    let mut words = vec!["ky nay".to_string(), "ky bao cao".to_string()];
    match period {
        Period::Month { month, .. } => {
            for m in [month.to_string(), format!("{month:02}")] {
                words.push(format!("thang {m}"));
                words.push(format!("t{m}"));
            }
        }
        Period::Quarter { quarter, .. } => {
            let roman = ["i", "ii", "iii", "iv"][(quarter.clamp(1, 4) - 1) as usize];
            words.extend([
                format!("quy {quarter}"),
                format!("quy {roman}"),
                format!("q{quarter}"),
            ]);
        }
        Period::Half { half, .. } => {
            words.push(if half == 1 {
                "6 thang dau nam".into()
            } else {
                "6 thang cuoi nam".into()
            });
        }
        Period::Year { year } => {
            words.extend(["nam".to_string(), format!("nam {year}")]);
        }
    }
    words
}

/// The scope of what follows a header's role word.
fn scope_of(rest: &str, period: Period) -> Scope {
    if rest.is_empty() {
        return Scope::Exact;
    }
    if OTHER_SCOPE.iter().any(|w| has_phrase(rest, w)) {
        return Scope::Other;
    }
    if period_words(period).iter().any(|w| has_phrase(rest, w)) {
        return Scope::ThisPeriod;
    }
    let names_a_period = ANY_SCOPE.iter().any(|w| has_phrase(rest, w))
        || rest.split(' ').any(|w| {
            let digits = w.strip_prefix('t').or_else(|| w.strip_prefix('q'));
            digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
        });
    if names_a_period {
        Scope::Other
    } else {
        Scope::Qualified
    }
}

/// The role a header plays, and its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Label,
    Value(Scope),
    Target(Scope),
}

fn role_of(folded: &str, period: Period) -> Option<Role> {
    if LABEL_HEADERS
        .iter()
        .any(|h| after_prefix(folded, h).is_some())
    {
        return Some(Role::Label);
    }
    if let Some(rest) = VALUE_HEADERS.iter().find_map(|h| after_prefix(folded, h)) {
        return Some(Role::Value(scope_of(rest, period)));
    }
    if let Some(rest) = TARGET_HEADERS.iter().find_map(|h| after_prefix(folded, h)) {
        return Some(Role::Target(scope_of(rest, period)));
    }
    None
}

/// A role's pick: the column taken, the others that could have been it, and the hidden
/// ones left for it.
type Pick = (Candidate, Vec<Candidate>, Vec<Candidate>);

/// The best candidate (best scope, then leftmost), and the others that could have been
/// it: every other candidate not in another scope, save a repeat of the taken header's
/// own text (a merged header spread over its columns). A hidden column is never taken
/// over a visible one; the hidden ones left are returned apart, to be noted.
fn pick(candidates: Vec<Candidate>, is_hidden: &dyn Fn(u32) -> bool) -> Option<Pick> {
    let usable: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| c.scope != Scope::Other)
        .collect();
    // Hidden columns are only looked up where there is a choice to make, and count
    // only when a visible column is left to read.
    let (mut usable, hidden) = if usable.len() > 1 {
        let (visible, hidden): (Vec<_>, Vec<_>) =
            usable.into_iter().partition(|c| !is_hidden(c.col));
        if visible.is_empty() {
            (hidden, Vec::new())
        } else {
            (visible, hidden)
        }
    } else {
        (usable, Vec::new())
    };
    usable.sort_by_key(|c| (c.scope, c.col));
    let mut rest = usable.into_iter();
    let best = rest.next()?;
    let others = rest
        .filter(|c| fold(&c.header) != fold(&best.header))
        .collect();
    Some((best, others, hidden))
}

/// The canonical table's columns for `period`, or the header row that came closest.
/// A header of two rows (`Kết quả` merged over `Kế hoạch | Thực hiện`) is read from its
/// lower row, whose headers are the specific ones.
/// `is_hidden` tells a hidden column, asked only where two columns could serve.
pub(super) fn find_columns(
    range: &Range<Data>,
    period: Period,
    is_hidden: &dyn Fn(u32) -> bool,
) -> Result<Columns, Option<NearMiss>> {
    let found = header_row(range, period, 0, u32::MAX, is_hidden)?;
    // A second header row counts only right under the first: only that row is read
    // (reading on to the 60th folded every figure and name of the table once more).
    let next = found.header_row.saturating_add(1);
    match header_row(range, period, next, next, is_hidden) {
        Ok(lower) => Ok(lower),
        _ => Ok(found),
    }
}

/// The first header row from `from` on (or from the sheet's first row) to `last`.
fn header_row(
    range: &Range<Data>,
    period: Period,
    from: u32,
    last: u32,
    is_hidden: &dyn Fn(u32) -> bool,
) -> Result<Columns, Option<NearMiss>> {
    let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else {
        return Err(None);
    };
    let mut near: Option<NearMiss> = None;
    for row in r0.max(from)..=r1.min(r0 + HEADER_SEARCH_ROWS).min(last) {
        let mut label = None;
        let mut values = Vec::new();
        let mut targets = Vec::new();
        for col in c0..=c1.min(c0 + HEADER_SEARCH_COLS) {
            let Some(text) = cell_text(cell(range, row, col)) else {
                continue;
            };
            // Every header a role reads starts with one of a few letters: a cell that
            // starts with none is not folded whole.
            if !crate::text::fold_first(&text).is_some_and(|c| HEADER_INITIALS.contains(c)) {
                continue;
            }
            let header = text.trim().to_string();
            match role_of(&fold(&text), period) {
                Some(Role::Label) if label.is_none() => label = Some(col),
                Some(Role::Value(scope)) => values.push(Candidate { col, header, scope }),
                Some(Role::Target(scope)) => targets.push(Candidate { col, header, scope }),
                _ => {}
            }
        }
        let had_values = values.first().cloned();
        let value = pick(values, is_hidden);
        match (label, value) {
            (Some(label), Some((value, others, hidden_values))) => {
                let pair = |taken: &Candidate, all: Vec<Candidate>| {
                    all.into_iter()
                        .map(|o| (taken.clone(), o))
                        .collect::<Vec<_>>()
                };
                let mut ambiguous = pair(&value, others);
                let mut hidden = pair(&value, hidden_values);
                let target = pick(targets, is_hidden).map(|(t, others, hidden_targets)| {
                    ambiguous.extend(pair(&t, others));
                    hidden.extend(pair(&t, hidden_targets));
                    t.col
                });
                return Ok(Columns {
                    header_row: row,
                    label,
                    value: value.col,
                    target,
                    ambiguous,
                    hidden,
                });
            }
            // Half a header: a label column without a value one, or the other way.
            (Some(col), None) if near.is_none() => {
                near = Some(NearMiss {
                    row,
                    col,
                    header: cell_text(cell(range, row, col)).unwrap_or_default(),
                })
            }
            (None, _) if near.is_none() => {
                if let Some(c) = had_values {
                    near = Some(NearMiss {
                        row,
                        col: c.col,
                        header: c.header,
                    });
                }
            }
            _ => {}
        }
    }
    Err(near)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initials_are_those_of_every_header() {
        let mut initials: Vec<char> = LABEL_HEADERS
            .iter()
            .chain(&VALUE_HEADERS)
            .chain(&TARGET_HEADERS)
            .filter_map(|h| h.chars().next())
            .collect();
        initials.sort_unstable();
        initials.dedup();
        let mut ours: Vec<char> = HEADER_INITIALS.chars().collect();
        ours.sort_unstable();
        assert_eq!(initials, ours);
    }

    fn q4() -> Period {
        "2025-Q4".parse().unwrap()
    }

    fn scope(header: &str, period: Period) -> Option<Role> {
        role_of(&fold(header), period)
    }

    #[test]
    fn scopes_of_value_and_plan_headers() {
        let p = q4();
        assert_eq!(scope("Thực hiện", p), Some(Role::Value(Scope::Exact)));
        assert_eq!(scope("TH", p), Some(Role::Value(Scope::Exact)));
        assert_eq!(
            scope("Kết quả thực hiện", p),
            Some(Role::Value(Scope::Exact))
        );
        assert_eq!(scope("TH quý IV", p), Some(Role::Value(Scope::ThisPeriod)));
        assert_eq!(
            scope("Thực hiện quý 4", p),
            Some(Role::Value(Scope::ThisPeriod))
        );
        assert_eq!(scope("TH quý III", p), Some(Role::Value(Scope::Other)));
        assert_eq!(
            scope("Thực hiện cùng kỳ năm trước", p),
            Some(Role::Value(Scope::Other))
        );
        assert_eq!(scope("Kế hoạch năm", p), Some(Role::Target(Scope::Other)));
        assert_eq!(scope("KH", p), Some(Role::Target(Scope::Exact)));
        assert_eq!(
            scope("Thực hiện (người)", p),
            Some(Role::Value(Scope::Qualified))
        );
        // Not a value header: it starts with something else.
        assert_eq!(scope("Lũy kế thực hiện từ đầu năm", p), None);
        assert_eq!(scope("Thứ tự", p), None);
        let year: Period = "2025".parse().unwrap();
        assert_eq!(
            scope("Kế hoạch năm", year),
            Some(Role::Target(Scope::ThisPeriod))
        );
        let nov: Period = "2025-11".parse().unwrap();
        assert_eq!(scope("TH T11", nov), Some(Role::Value(Scope::ThisPeriod)));
        assert_eq!(scope("TH T10", nov), Some(Role::Value(Scope::Other)));
        assert_eq!(scope("Tên chỉ tiêu", nov), Some(Role::Label));
        assert_eq!(scope("Nội dung chỉ tiêu", nov), Some(Role::Label));
    }

    #[test]
    fn exact_beats_look_alike_and_other_scopes_are_never_taken() {
        let c = |col, header: &str, scope| Candidate {
            col,
            header: header.into(),
            scope,
        };
        let none_hidden = |_| false;
        let (best, others, hidden) = pick(
            vec![
                c(3, "Thực hiện cùng kỳ năm trước", Scope::Other),
                c(5, "TH quý IV", Scope::ThisPeriod),
                c(6, "Thực hiện", Scope::Exact),
            ],
            &none_hidden,
        )
        .unwrap();
        assert_eq!(best.col, 6);
        assert_eq!(others.len(), 1, "{others:?}");
        assert_eq!(others[0].col, 5);
        assert!(hidden.is_empty());
        assert!(pick(vec![c(3, "Kế hoạch năm", Scope::Other)], &none_hidden).is_none());
    }

    #[test]
    fn a_hidden_column_is_never_taken_over_a_visible_one() {
        let c = |col, header: &str| Candidate {
            col,
            header: header.into(),
            scope: Scope::Exact,
        };
        // An old "Thực hiện" column hidden left of the new one: the visible one counts,
        // the hidden one is returned to be noted, and nothing is ambiguous.
        let (best, others, hidden) =
            pick(vec![c(3, "Thực hiện"), c(5, "Thực hiện")], &|col| {
                col == 3
            })
            .unwrap();
        assert_eq!(best.col, 5);
        assert!(others.is_empty());
        assert_eq!(hidden.iter().map(|h| h.col).collect::<Vec<_>>(), [3]);
        // Every candidate hidden: they are read as if none were.
        let (best, _, hidden) = pick(vec![c(3, "Thực hiện"), c(5, "TH")], &|_| true).unwrap();
        assert_eq!(best.col, 3);
        assert!(hidden.is_empty());
        // One candidate: the hidden columns are not even looked up.
        let (best, _, _) = pick(vec![c(4, "Thực hiện")], &|_| panic!("not needed")).unwrap();
        assert_eq!(best.col, 4);
    }
}
