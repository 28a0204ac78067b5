//! The pipeline reads one way: no top-level module of `src/` depends, through any
//! chain of `crate::` paths in its non-test code, on a module that depends back on it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules each module's code names (`crate::x`, `use crate::{x, y}`).
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != "bin" {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text
                .split("#[cfg(test)]\nmod tests")
                .next()
                .unwrap_or_default();
            let names = deps.entry(top.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + "crate::".len()..];
                if let Some(list) = rest.strip_prefix('{') {
                    let list = list.split('}').next().unwrap_or_default();
                    for item in list.split(',') {
                        let name = item.trim().split("::").next().unwrap_or_default();
                        names.insert(name.to_string());
                    }
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
            }
            names.remove(&top);
        }
    }
    let known: BTreeSet<String> = deps.keys().cloned().collect();
    for names in deps.values_mut() {
        names.retain(|n| known.contains(n));
    }
    deps
}

/// A chain of dependencies from `from` back to `from`, if there is one.
fn cycle_through(deps: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        let last = path.last().unwrap();
        for next in &deps[last] {
            if next == from {
                let mut cycle = path.clone();
                cycle.push(next.clone());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_module_depends_on_itself_through_others() {
    let deps = dependencies();
    assert!(deps.len() > 15, "the modules were found: {deps:?}");
    // The stages that must not reach back.
    for (module, must_not) in [
        ("project", "intake"),
        ("project", "aggregate"),
        ("intake", "compose"),
        ("aggregate", "compose"),
        ("doc", "project"),
        ("nd30", "doc"),
        ("pipeline", "deliver"),
        ("render", "deliver"),
    ] {
        assert!(
            !deps[module].contains(must_not),
            "{module} depends on {must_not}"
        );
    }
    for module in deps.keys() {
        if let Some(cycle) = cycle_through(&deps, module) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
}
