//! Panic isolation: a dependency that panics on one input (calamine on a damaged .xls,
//! a bug of ours on one document) fails that input only. [`isolate`] runs a closure,
//! catches its unwind and returns the panic's message as a value; while it runs, the
//! panic hook stays quiet on that thread, so the clerk sees one located diagnostic
//! instead of a Rust backtrace on the terminal.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

/// A panic caught at an isolation boundary: what it said, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Panicked {
    /// The panic's payload, if it was text, and the source location.
    pub message: String,
}

thread_local! {
    /// Depth of [`isolate`] calls on this thread: the hook is quiet while above 0.
    static QUIET: Cell<u32> = const { Cell::new(0) };
    /// Where the last quiet panic on this thread happened.
    static LOCATION: Cell<Option<String>> = const { Cell::new(None) };
}

static HOOK: Once = Once::new();

/// `crate-1.2.3/src/file.rs:10:5`: where a panic happened, without the build
/// machine's folders.
fn short_location(at: &panic::Location<'_>) -> String {
    let parts: Vec<&str> = at.file().split(['/', '\\']).collect();
    let from = parts
        .iter()
        .rposition(|p| *p == "src")
        .map_or(0, |i| i.saturating_sub(1));
    format!("{}:{}:{}", parts[from..].join("/"), at.line(), at.column())
}

/// Installs, once per process, a panic hook that is silent inside [`isolate`] (it
/// remembers the location for the message) and the previous hook everywhere else.
fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) > 0 {
                LOCATION.with(|l| l.set(info.location().map(short_location)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it is returned as [`Panicked`] instead of unwinding
/// further. What `f` touched may be left half-done: the caller drops it and reports the
/// input as failed.
pub fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, Panicked> {
    install_hook();
    QUIET.with(|q| q.set(q.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    result.map_err(|payload| {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        let message = match LOCATION.with(Cell::take) {
            Some(at) => format!("{text} ({at})"),
            None => text,
        };
        Panicked { message }
    })
}

impl Panicked {
    /// What the clerk is told of it: an internal fault of vanthu on this item (to be
    /// reported), in both languages, with the panic's own words.
    pub fn internal(&self) -> String {
        format!(
            "lỗi nội bộ của vanthu, hãy báo cho người quản trị / internal error of vanthu, please report it: {}",
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_a_value_and_the_next_call_runs() {
        let caught = isolate(|| -> u32 { panic!("index out of range") }).unwrap_err();
        assert!(
            caught.message.starts_with("index out of range ("),
            "{caught}"
        );
        assert!(caught.message.contains("isolate.rs"), "{caught}");
        assert_eq!(isolate(|| 7), Ok(7));
        // Nested: the inner one is caught, the outer one goes on.
        let outer = isolate(|| isolate(|| panic!("inner")).is_err());
        assert_eq!(outer, Ok(true));
    }
}
