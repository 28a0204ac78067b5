//! Matching what units type against the project: indicator labels and unit names.
//! Exact folded label first, then the project's aliases, then similarity above a
//! threshold (reported as a warning so the clerk can check it).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::period::Period;
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

/// Abbreviations units write for the words of their names (folded), expanded before
/// names are compared: "MN Đông Kỳ" is "Mầm non Đông Kỳ", and "TH" is never "THCS".
const NAME_ABBREVIATIONS: [(&str, &str); 9] = [
    ("mn", "mam non"),
    ("th", "tieu hoc"),
    ("thcs", "trung hoc co so"),
    ("thpt", "trung hoc pho thong"),
    ("tyt", "tram y te"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("mttq", "mat tran to quoc"),
    ("tdp", "to dan pho"),
];

/// A unit name as compared: folded, abbreviations expanded, a leading "Trường"
/// dropped, numbers without leading zeros or the word "số" ("Tổ dân phố số 05" =
/// "tổ dân phố 5").
pub fn unit_key(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        match NAME_ABBREVIATIONS.iter().find(|(a, _)| *a == w) {
            Some((_, full)) => words.extend(full.split(' ')),
            None => words.push(w),
        }
    }
    if words.first() == Some(&"truong") && words.len() > 1 {
        words.remove(0);
    }
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let next_is_number = words
            .get(i + 1)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        if *w == "so" && next_is_number {
            continue;
        }
        if w.bytes().all(|b| b.is_ascii_digit()) {
            let trimmed = w.trim_start_matches('0');
            out.push(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
        } else {
            out.push((*w).to_string());
        }
    }
    out.join(" ")
}

/// The keys of a project's labels and names, folded once (intake matches every row of
/// every sheet against them).
#[derive(Debug, Default)]
struct MatchKeys {
    /// (index in `project.indicators`, label keys: the label's, then its aliases').
    indicators: Vec<(usize, Vec<String>)>,
    /// (index in `project.units`, keys of its name, code and aliases: [`unit_key`]).
    units: Vec<(usize, Vec<String>)>,
    /// The similarity search's answer for each label key that matched no key exactly
    /// (a header, a section title, a misspelt label): every sheet of the form repeats
    /// them, and the search was a fifth of reading a sheet.
    fuzzy: Mutex<HashMap<String, Option<(usize, f64)>>>,
}

/// Label keys remembered in [`MatchKeys::fuzzy`] at most (then it starts again).
const FUZZY_MEMO_MAX: usize = 4096;

/// What one intake call matches labels and names with: the project, and its keys
/// folded once for the call (with the memo of similarity searches), so no matching
/// state lives in, or goes stale with, the project.
#[derive(Debug)]
pub struct Matcher<'p> {
    pub project: &'p Project,
    /// The period being read: a header qualified by it names its figures.
    pub period: Period,
    keys: MatchKeys,
}

impl<'p> Matcher<'p> {
    pub fn new(project: &'p Project, period: Period) -> Matcher<'p> {
        Matcher {
            project,
            period,
            keys: keys(project),
        }
    }

    /// The indicator a row label stands for, if any.
    pub fn indicator(&self, label: &str) -> Option<LabelMatch<'p>> {
        match_indicator(self, label)
    }

    /// The roster unit a name stands for.
    pub fn unit(&self, name: &str) -> Option<&'p Unit> {
        match_unit(self, name)
    }
}

fn keys(project: &Project) -> MatchKeys {
    MatchKeys {
        indicators: project
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, i)| i.is_reported())
            .map(|(n, i)| {
                let keys = std::iter::once(&i.label)
                    .chain(i.aliases.iter())
                    .map(|l| label_key(l))
                    .collect();
                (n, keys)
            })
            .collect(),
        units: project
            .units
            .iter()
            .enumerate()
            .map(|(n, u)| {
                let keys = [&u.name, &u.code]
                    .into_iter()
                    .chain(u.aliases.iter())
                    .map(|s| unit_key(s))
                    .collect();
                (n, keys)
            })
            .collect(),
        fuzzy: Mutex::default(),
    }
}

/// The indicator a row label stands for, if any.
fn match_indicator<'p>(m: &Matcher<'p>, label: &str) -> Option<LabelMatch<'p>> {
    let project = m.project;
    let key = label_key(label);
    if key.is_empty() {
        return None;
    }
    let index = &m.keys.indicators;
    if let Some((n, _)) = index.iter().find(|(_, ks)| ks.contains(&key)) {
        return Some(LabelMatch::Exact(&project.indicators[*n]));
    }
    let memo = &m.keys.fuzzy;
    let known = memo.lock().ok().and_then(|m| m.get(&key).copied());
    let found = match known {
        Some(found) => found,
        None => {
            let found = most_similar(index, &key);
            if let Ok(mut m) = memo.lock() {
                if m.len() >= FUZZY_MEMO_MAX {
                    m.clear();
                }
                m.insert(key, found);
            }
            found
        }
    };
    found.map(|(n, s)| LabelMatch::Fuzzy(&project.indicators[n], s))
}

/// The indicator whose key is most similar to `key`, if at least [`LABEL_SIMILARITY`].
fn most_similar(index: &[(usize, Vec<String>)], key: &str) -> Option<(usize, f64)> {
    // A similarity of at least LABEL_SIMILARITY needs lengths that close: the distance is
    // never below the difference in length. This skips most pairs before Levenshtein.
    let len = key.chars().count() as f64;
    let close = |k: &String| {
        let kl = k.chars().count() as f64;
        (len - kl).abs() <= (1.0 - LABEL_SIMILARITY) * len.max(kl)
    };
    index
        .iter()
        .flat_map(|(n, ks)| {
            ks.iter()
                .filter(|k| close(k))
                .map(|k| (*n, strsim::normalized_levenshtein(k, key)))
        })
        .filter(|(_, s)| *s >= LABEL_SIMILARITY)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The roster unit a name stands for: its name, code or an alias, compared by
/// [`unit_key`] (diacritics, case, spacing, abbreviations, "Trường" and "số" ignored).
fn match_unit<'p>(m: &Matcher<'p>, name: &str) -> Option<&'p Unit> {
    let project = m.project;
    let key = unit_key(name);
    if key.is_empty() {
        return None;
    }
    m.keys
        .units
        .iter()
        .find(|(_, ks)| ks.contains(&key))
        .map(|(n, _)| &project.units[*n])
}

/// The unit a file name stands for ("Tiến độ - Công an xã.xlsx", "CA_2025-10.xlsx"):
/// the longest roster name or code contained in the folded file stem.
pub fn match_unit_in_file_name<'p>(project: &'p Project, stem: &str) -> Option<&'p Unit> {
    let key = format!(" {} ", unit_key(stem));
    project
        .units
        .iter()
        .flat_map(|u| {
            std::iter::once(&u.name)
                .chain(u.aliases.iter())
                .chain(std::iter::once(&u.code))
                .map(move |n| (u, unit_key(n)))
        })
        .filter(|(_, n)| !n.is_empty() && key.contains(&format!(" {n} ")))
        .max_by_key(|(_, n)| n.len())
        .map(|(u, _)| u)
}

/// The roster names closest to `name`, best first, for "did you mean" hints: compared
/// by [`unit_key`] against each name, code and alias, in their order and with the words
/// sorted (a name written the other way round), ties in roster order.
pub fn closest_units<'p>(project: &'p Project, name: &str, n: usize) -> Vec<&'p Unit> {
    let key = unit_key(name);
    let sorted = |k: &str| {
        let mut w: Vec<&str> = k.split(' ').collect();
        w.sort_unstable();
        w.join(" ")
    };
    let key_sorted = sorted(&key);
    let score = |candidate: &str| {
        let k = unit_key(candidate);
        strsim::normalized_levenshtein(&k, &key)
            .max(strsim::normalized_levenshtein(&sorted(&k), &key_sorted))
    };
    let mut scored: Vec<(&Unit, f64)> = project
        .units
        .iter()
        .map(|u| {
            let best = std::iter::once(&u.name)
                .chain(u.aliases.iter())
                .map(|c| score(c))
                .fold(0.0, f64::max);
            (u, best)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().take(n).map(|(u, _)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_keys_expand_abbreviations_and_drop_optional_words() {
        assert_eq!(unit_key("Trường Mầm non Bố Hạ"), unit_key("Mầm non Bố Hạ"));
        assert_eq!(unit_key("MN Bố Hạ"), unit_key("Trường Mầm non Bố Hạ"));
        assert_eq!(
            unit_key("TH Tam Hiep"),
            unit_key("Trường Tiểu học Tam Hiệp")
        );
        assert_ne!(unit_key("TH Tam Hiệp"), unit_key("Trường THCS Tam Hiệp"));
        assert_eq!(unit_key("Tổ dân phố số 05"), unit_key("Tổ dân phố 5"));
        assert_eq!(unit_key("TDP 5"), "to dan pho 5");
        assert_eq!(unit_key("UBND xã"), "uy ban nhan dan xa");
        // "số" stays where no number follows it.
        assert_eq!(unit_key("Sở Y tế"), "so y te");
    }
}
