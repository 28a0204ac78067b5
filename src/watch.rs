//! The clerk's drop-in folder: watch `inputs/` and report, once files stop arriving,
//! which period folders changed. Running `check` and `run` on them is the caller's.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

/// The period folder (first component under `inputs`) of a changed path, unless the path
/// is an office program's lock or temporary file, which changes while a sheet is open.
fn period_folder(inputs: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(inputs).ok()?;
    let mut parts = rel.components();
    let folder = parts.next()?.as_os_str().to_string_lossy().into_owned();
    let name = path.file_name()?.to_string_lossy().into_owned();
    let noise = name.starts_with('.') || name.starts_with("~$") || name.ends_with(".tmp");
    (!noise && !folder.starts_with('.')).then_some(folder)
}

/// Watches `inputs` (recursively, new period folders included) until the watcher fails
/// or the process is stopped. After a change, waits until nothing has changed for
/// `settle`, then calls `on_change` with the period folders touched meanwhile.
pub fn watch_inputs(
    inputs: &Path,
    settle: Duration,
    mut on_change: impl FnMut(BTreeSet<String>),
) -> notify::Result<()> {
    // Events name absolute paths; compare them with the absolute folder.
    let absolute = std::fs::canonicalize(inputs)?;
    let inputs = absolute.as_path();
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(inputs, RecursiveMode::Recursive)?;
    let touched = |event: notify::Result<notify::Event>, set: &mut BTreeSet<String>| {
        if let Ok(e) = event {
            if e.kind.is_access() {
                return;
            }
            set.extend(e.paths.iter().filter_map(|p| period_folder(inputs, p)));
        }
    };
    loop {
        let Ok(first) = rx.recv() else {
            return Ok(());
        };
        let mut folders = BTreeSet::new();
        touched(first, &mut folders);
        // Files are still arriving while events keep coming within `settle`.
        loop {
            match rx.recv_timeout(settle) {
                Ok(event) => touched(event, &mut folders),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        if !folders.is_empty() {
            on_change(folders);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_period_folders_and_real_files_count() {
        let inputs = Path::new("/p/inputs");
        assert_eq!(
            period_folder(inputs, Path::new("/p/inputs/2025-10/cong-an-xa.xlsx")),
            Some("2025-10".into())
        );
        assert_eq!(
            period_folder(inputs, Path::new("/p/inputs/2025-10/~$cong-an-xa.xlsx")),
            None
        );
        assert_eq!(
            period_folder(inputs, Path::new("/p/inputs/2025-10/.~lock.a.ods#")),
            None
        );
        assert_eq!(
            period_folder(inputs, Path::new("/p/out/2025-10/a.pdf")),
            None
        );
        assert_eq!(
            period_folder(inputs, Path::new("/p/inputs/2025-11")),
            Some("2025-11".into())
        );
    }
}
