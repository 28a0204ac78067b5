//! Deliver: composed documents → files in the output folder, safely and only when needed.
//!
//! - Every file is written to a temporary name in the same folder and renamed into place,
//!   so a crash or a bad input never leaves a half-written document where the clerk would
//!   pick it up ([`write_atomic`]).
//! - `manifest.json` in the folder records every input (SHA-256, unit, period) and output
//!   (SHA-256, template, and the hash of the model it was rendered from). A re-run renders
//!   and writes only what changed; an output edited by hand since it was written is never
//!   overwritten: the new one goes beside it, and the clerk is told ([`stage_period`]).
//! - One document that fails does not stop the others: each failure is reported.

pub mod manifest;

pub use manifest::{
    record_issue, stage_period, Delivery, DeliveryOptions, FileFailure, Kept, Progress,
    StagedPeriod,
};

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
#[error("cannot write {path}: {source}")]
pub struct DeliverError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` atomically (temp file in the same folder, made durable, then
/// renamed).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DeliverError> {
    let staged = Staged::write(path, bytes)?;
    staged.sync()?;
    staged.persist().map(|_| ())
}

/// A file written under a temporary name beside its place: not yet durable, not yet in
/// place. [`commit`] finishes a set of them together; dropped, it leaves nothing behind.
pub struct Staged {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl Staged {
    /// Writes `bytes` to a temp file in `path`'s folder.
    pub fn write(path: &Path, bytes: &[u8]) -> Result<Staged, DeliverError> {
        let err = |source| DeliverError {
            path: path.to_path_buf(),
            source,
        };
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir).map_err(err)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".vanthu-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(err)?;
        tmp.write_all(bytes).map_err(err)?;
        // A temp file is created private (0600); a delivered document is an ordinary file
        // the clerk's colleagues and the signing tool can open.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::Permissions::from_mode(0o644);
            tmp.as_file().set_permissions(mode).map_err(err)?;
        }
        Ok(Staged {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// Makes the temp file's bytes durable.
    fn sync(&self) -> Result<(), DeliverError> {
        self.tmp
            .as_file()
            .sync_all()
            .map_err(|source| DeliverError {
                path: self.path.clone(),
                source,
            })
    }

    /// Renames the (durable) temp file into place.
    fn persist(self) -> Result<PathBuf, DeliverError> {
        let Staged { path, tmp } = self;
        match tmp.persist(&path) {
            Ok(_) => Ok(path),
            Err(e) => Err(DeliverError {
                path,
                source: e.error,
            }),
        }
    }
}

/// Makes staged files durable, then renames each into place: no file appears under its
/// name before its bytes are on disk. One result per file, in order.
///
/// The files are synced only after all of them are written, and renamed only after all
/// are synced: on Linux, when they are on one filesystem, by one `syncfs` for them all
/// (each fsync flushes the disk's cache; a commune's 36 files took 36 flushes), else one
/// fsync each.
pub fn commit(staged: Vec<Staged>) -> Vec<Result<PathBuf, DeliverError>> {
    let synced: Vec<Result<Staged, DeliverError>> = if sync_together(&staged) {
        staged.into_iter().map(Ok).collect()
    } else {
        staged.into_iter().map(|s| s.sync().map(|()| s)).collect()
    };
    synced
        .into_iter()
        .map(|s| s.and_then(Staged::persist))
        .collect()
}

/// Makes every file of `staged` durable with one `syncfs` of the filesystem they share;
/// false (nothing promised) if they are not on one, if it is not a local disk filesystem
/// known to flush on `syncfs`, or if it fails: a writeback error is then found again, and
/// reported for its file, by that file's own fsync.
#[cfg(target_os = "linux")]
fn sync_together(staged: &[Staged]) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some(first) = staged.first() else {
        return true;
    };
    let file = first.tmp.as_file();
    let device = |s: &Staged| s.tmp.as_file().metadata().ok().map(|m| m.dev());
    let Some(dev) = device(first) else {
        return false;
    };
    let local = rustix::fs::fstatfs(file)
        .is_ok_and(|fs| FLUSHED_BY_SYNCFS.contains(&i128::from(fs.f_type)));
    local && staged.iter().all(|s| device(s) == Some(dev)) && rustix::fs::syncfs(file).is_ok()
}

/// Filesystems (statfs magic numbers) whose `syncfs` writes back and flushes every file,
/// as fsync would: ext2/3/4, XFS, Btrfs, F2FS, tmpfs (nothing to flush) and overlayfs
/// (a container's: it syncs its upper filesystem). Network and FUSE filesystems are not
/// here: some make `syncfs` a no-op.
#[cfg(target_os = "linux")]
const FLUSHED_BY_SYNCFS: [i128; 6] = [
    0xEF53,
    0x5846_5342,
    0x9123_683E,
    0xF2F5_2010,
    0x0102_1994,
    0x794C_7630,
];

#[cfg(not(target_os = "linux"))]
fn sync_together(_staged: &[Staged]) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn staged_files_appear_only_when_committed_and_a_dropped_one_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = Staged::write(&dir.path().join("a.pdf"), b"A").expect("stage a");
        let b = Staged::write(&dir.path().join("b.docx"), b"B").expect("stage b");
        let dropped = Staged::write(&dir.path().join("c.pdf"), b"C").expect("stage c");
        // Before the commit, only temp names exist.
        assert!(names(dir.path()).iter().all(|n| n.starts_with(".vanthu-")));
        drop(dropped);
        let done = commit(vec![a, b]);
        assert_eq!(done.len(), 2);
        assert!(done.iter().all(|r| r.is_ok()));
        assert_eq!(names(dir.path()), ["a.pdf", "b.docx"]);
        assert_eq!(
            std::fs::read(dir.path().join("b.docx")).ok().as_deref(),
            Some(&b"B"[..])
        );
        write_atomic(&dir.path().join("a.pdf"), b"A2").expect("overwrite");
        assert_eq!(
            std::fs::read(dir.path().join("a.pdf")).ok().as_deref(),
            Some(&b"A2"[..])
        );
        assert_eq!(names(dir.path()), ["a.pdf", "b.docx"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_period_on_a_local_disk_filesystem_is_made_durable_by_one_syncfs() {
        let dir = tempfile::tempdir().unwrap();
        let staged: Vec<Staged> = ["a.pdf", "b.docx", "c.json"]
            .iter()
            .map(|n| Staged::write(&dir.path().join(n), n.as_bytes()).unwrap())
            .collect();
        let kind = rustix::fs::statfs(dir.path()).unwrap().f_type;
        let known = FLUSHED_BY_SYNCFS.contains(&i128::from(kind));
        // On a filesystem not known to flush on syncfs, each file keeps its own fsync.
        assert_eq!(sync_together(&staged), known, "statfs type {kind:#x}");
        assert!(sync_together(&[]));
        assert!(commit(staged).iter().all(Result::is_ok));
        assert_eq!(names(dir.path()), ["a.pdf", "b.docx", "c.json"]);
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a").join("x.pdf");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn delivered_files_are_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.docx");
        write_atomic(&p, b"doc").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}
