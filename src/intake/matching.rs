//! Matching what units type against the project: indicator labels and unit names.
//! Exact folded label first, then the project's aliases, then similarity above a
//! threshold (reported as a warning so the clerk can check it).

use crate::project::{Indicator, Project, Unit};
use crate::text::fold;

/// Similarity (normalised Levenshtein on folded text) a fuzzy label match must reach.
pub const LABEL_SIMILARITY: f64 = 0.85;

/// How an indicator was recognised from a label.
#[derive(Debug, Clone)]
pub enum LabelMatch<'p> {
    Exact(&'p Indicator),
    Fuzzy(&'p Indicator, f64),
}

/// A label as folded for matching, without the numbering units put in front
/// ("1.", "2)", "a)", "-", "+", "II.").
pub fn label_key(label: &str) -> String {
    let folded = fold(label);
    let mut words: Vec<&str> = folded.split(' ').collect();
    while let Some(first) = words.first() {
        let numbering = first.chars().all(|c| c.is_ascii_digit())
            || (first.len() == 1
                && first.chars().all(|c| c.is_ascii_lowercase())
                && words.len() > 3)
            || matches!(
                *first,
                "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x"
            );
        if numbering && words.len() > 1 {
            words.remove(0);
        } else {
            break;
        }
    }
    words.join(" ")
}

/// The indicator a row label stands for, if any.
pub fn match_indicator<'p>(project: &'p Project, label: &str) -> Option<LabelMatch<'p>> {
    let key = label_key(label);
    if key.is_empty() {
        return None;
    }
    for ind in project.reported_indicators() {
        if label_key(&ind.label) == key || ind.aliases.iter().any(|a| label_key(a) == key) {
            return Some(LabelMatch::Exact(ind));
        }
    }
    let key = &key;
    project
        .reported_indicators()
        .flat_map(|ind| {
            std::iter::once(&ind.label)
                .chain(ind.aliases.iter())
                .map(move |l| (ind, strsim::normalized_levenshtein(&label_key(l), key)))
        })
        .filter(|(_, s)| *s >= LABEL_SIMILARITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(ind, s)| LabelMatch::Fuzzy(ind, s))
}

/// The roster unit a name stands for: exact folded name or alias (diacritics, case and
/// spacing ignored).
pub fn match_unit<'p>(project: &'p Project, name: &str) -> Option<&'p Unit> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    project.units.iter().find(|u| {
        fold(&u.name) == key || fold(&u.code) == key || u.aliases.iter().any(|a| fold(a) == key)
    })
}

/// The unit a file name stands for ("Tiến độ - Công an xã.xlsx", "CA_2025-10.xlsx"):
/// the longest roster name or code contained in the folded file stem.
pub fn match_unit_in_file_name<'p>(project: &'p Project, stem: &str) -> Option<&'p Unit> {
    let key = format!(" {} ", fold(stem));
    project
        .units
        .iter()
        .flat_map(|u| {
            std::iter::once(&u.name)
                .chain(u.aliases.iter())
                .chain(std::iter::once(&u.code))
                .map(move |n| (u, fold(n)))
        })
        .filter(|(_, n)| !n.is_empty() && key.contains(&format!(" {n} ")))
        .max_by_key(|(_, n)| n.len())
        .map(|(u, _)| u)
}

/// The roster names closest to `name`, best first, for "did you mean" hints.
pub fn closest_units<'p>(project: &'p Project, name: &str, n: usize) -> Vec<&'p Unit> {
    let key = fold(name);
    let mut scored: Vec<(&Unit, f64)> = project
        .units
        .iter()
        .map(|u| (u, strsim::normalized_levenshtein(&fold(&u.name), &key)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().take(n).map(|(u, _)| u).collect()
}
