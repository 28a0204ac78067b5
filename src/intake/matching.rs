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

/// The keys of a project's labels and names, folded once (intake matches every row of
/// every sheet against them).
#[derive(Debug, Default)]
struct MatchKeys {
    /// (index in `project.indicators`, label keys: the label's, then its aliases').
    indicators: Vec<(usize, Vec<String>)>,
    /// (index in `project.units`, folded name, code and aliases).
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
                    .map(|s| fold(s))
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

/// The roster unit a name stands for: exact folded name or alias (diacritics, case and
/// spacing ignored).
fn match_unit<'p>(m: &Matcher<'p>, name: &str) -> Option<&'p Unit> {
    let project = m.project;
    let key = fold(name);
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
