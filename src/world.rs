//! Everything the pipeline reads from outside — the project file, its templates, the
//! units' sheets in `inputs/<period>/`, and today's date — comes through one trait, as
//! typst's `World` does: [`FileSystem`] for the commands, [`MemoryWorld`] for tests and
//! the fuzz harness, which run the whole pipeline without touching a disk. Writing the
//! outputs is the deliver stage's, not the world's.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::doc::Date;

/// Where a project's files and the clock come from.
pub trait World: Send + Sync + std::fmt::Debug {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The size of a file, without reading it.
    fn size(&self, path: &Path) -> io::Result<u64>;
    /// When a file was last modified, if the world knows (which of two files a unit
    /// sent is the newer).
    fn modified(&self, _path: &Path) -> Option<std::time::SystemTime> {
        None
    }
    /// A file's size and when it was last modified, in one look at it; `None` if `path`
    /// is not a file (or cannot be looked at).
    fn file_facts(&self, path: &Path) -> Option<FileFacts> {
        if !self.is_file(path) {
            return None;
        }
        Some(FileFacts {
            len: self.size(path).ok()?,
            modified: self.modified(path),
        })
    }
    /// The files and folders directly in `dir` (full paths, in no set order).
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// Today's date (ngày ban hành by default).
    fn today(&self) -> Date;

    /// Keeps a file of vanthu's own beside the project (a cache, never an output):
    /// written whole or not at all. A world that cannot keep files (memory) does not.
    fn keep(&self, _path: &Path, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    /// A file's text, which must be UTF-8.
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// What [`World::file_facts`] tells of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFacts {
    /// Its size in bytes.
    pub len: u64,
    /// When it was last modified, if the world knows.
    pub modified: Option<std::time::SystemTime>,
}

/// The real file system and clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl World for FileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
    fn size(&self, path: &Path) -> io::Result<u64> {
        std::fs::metadata(path).map(|m| m.len())
    }
    fn modified(&self, path: &Path) -> Option<std::time::SystemTime> {
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }
    /// One `stat` where `is_file`, `size` and `modified` took three.
    fn file_facts(&self, path: &Path) -> Option<FileFacts> {
        let meta = std::fs::metadata(path).ok()?;
        meta.is_file().then(|| FileFacts {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect()
    }
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }
    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }
    fn today(&self) -> Date {
        Date::today()
    }
    fn keep(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let dir = path.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".vanthu-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        tmp.write_all(bytes)?;
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    }
}

/// Files held in memory, by path, and a fixed date: a folder exists where a file lies
/// below it.
#[derive(Debug, Clone)]
pub struct MemoryWorld {
    files: BTreeMap<PathBuf, Vec<u8>>,
    today: Date,
}

impl MemoryWorld {
    pub fn new(today: Date) -> MemoryWorld {
        MemoryWorld {
            files: BTreeMap::new(),
            today,
        }
    }

    /// Puts a file at `path`.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    fn not_found(path: &Path) -> io::Error {
        io::Error::new(io::ErrorKind::NotFound, path.display().to_string())
    }
}

impl World for MemoryWorld {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| Self::not_found(path))
    }
    fn size(&self, path: &Path) -> io::Result<u64> {
        self.files
            .get(path)
            .map(|b| b.len() as u64)
            .ok_or_else(|| Self::not_found(path))
    }
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        if !self.is_dir(dir) {
            return Err(Self::not_found(dir));
        }
        let mut out: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|p| {
                let rest = p.strip_prefix(dir).ok()?;
                let first = rest.components().next()?;
                Some(dir.join(first))
            })
            .collect();
        out.dedup();
        Ok(out)
    }
    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
    fn is_dir(&self, path: &Path) -> bool {
        self.files.keys().any(|p| p != path && p.starts_with(path))
    }
    fn today(&self) -> Date {
        self.today
    }
}

/// The world a project was read from, which its templates and inputs are read from
/// too (the file system unless the project was opened in another).
#[derive(Debug, Clone)]
pub struct WorldRef(pub Arc<dyn World>);

impl Default for WorldRef {
    fn default() -> Self {
        WorldRef(Arc::new(FileSystem))
    }
}

impl std::ops::Deref for WorldRef {
    type Target = dyn World;
    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_world_lists_folders_from_the_files_below_them() {
        let mut w = MemoryWorld::new(Date::parse("2025-11-05").unwrap());
        w.insert("/p/vanthu.toml", "x");
        w.insert("/p/inputs/2025-10/a.xlsx", "a");
        w.insert("/p/inputs/2025-10/b.xlsx", "bb");
        w.insert("/p/inputs/2025-11/c.xlsx", "c");
        assert!(w.is_dir(Path::new("/p/inputs")) && !w.is_dir(Path::new("/p/out")));
        assert!(w.is_file(Path::new("/p/vanthu.toml")));
        let mut periods = w.list(Path::new("/p/inputs")).unwrap();
        periods.sort();
        assert_eq!(
            periods,
            [
                PathBuf::from("/p/inputs/2025-10"),
                PathBuf::from("/p/inputs/2025-11")
            ]
        );
        assert_eq!(w.size(Path::new("/p/inputs/2025-10/b.xlsx")).unwrap(), 2);
        assert!(w.read(Path::new("/p/none")).is_err());
        assert_eq!(w.today(), Date::parse("2025-11-05").unwrap());
    }

    #[test]
    fn file_facts_are_a_files_size_and_time_and_none_for_a_folder() {
        let mut w = MemoryWorld::new(Date::parse("2025-11-05").unwrap());
        w.insert("/p/inputs/2025-10/b.xlsx", "bb");
        let facts = w.file_facts(Path::new("/p/inputs/2025-10/b.xlsx"));
        assert_eq!(facts.map(|f| (f.len, f.modified)), Some((2, None)));
        assert_eq!(w.file_facts(Path::new("/p/inputs/2025-10")), None);
        assert_eq!(w.file_facts(Path::new("/p/none")), None);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.xlsx");
        std::fs::write(&file, b"abc").unwrap();
        let disk = FileSystem;
        let facts = disk.file_facts(&file).unwrap();
        assert_eq!(facts.len, 3);
        assert_eq!(facts.modified, disk.modified(&file));
        assert!(facts.modified.is_some());
        assert_eq!(disk.file_facts(dir.path()), None);
        assert_eq!(disk.file_facts(&dir.path().join("none")), None);
    }
}
