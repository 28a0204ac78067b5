//! What kind of file a unit sent, from its bytes, before any reader opens it: not a
//! spreadsheet at all, saved with a password, a zip that would inflate past the limit,
//! or an OLE (.xls) file whose sector chains or declared cells would make calamine
//! loop, panic or ask for gigabytes.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use calamine::Reader;

/// The rows and columns a sheet's cells span so far: calamine lays a sheet out densely
/// over them.
pub(super) struct Span {
    rows: (u32, u32),
    cols: (u32, u32),
}

impl Default for Span {
    fn default() -> Self {
        Span {
            rows: (u32::MAX, 0),
            cols: (u32::MAX, 0),
        }
    }
}

impl Span {
    /// Takes in a cell of `row` spanning columns `first` to `last`; returns how many
    /// cells the span now holds.
    pub(super) fn add(&mut self, row: u32, first: u32, last: u32) -> u64 {
        self.rows = (self.rows.0.min(row), self.rows.1.max(row));
        self.cols = (
            self.cols.0.min(first.min(last)),
            self.cols.1.max(first.max(last)),
        );
        let len = |(lo, hi): (u32, u32)| u64::from(hi.saturating_sub(lo)) + 1;
        len(self.rows).saturating_mul(len(self.cols))
    }
}

/// Why an OLE compound file (.xls, or an encrypted .xlsx) cannot be whole, from its
/// allocation tables: a sector size other than 512 or 4096 bytes, a table or stream
/// sector past the end of the file (a truncated download), or a sector chain that runs
/// in a circle or off its table (corrupted sectors). calamine follows chains without
/// checking them: on a circle it allocates until the machine runs out of memory, and on
/// a sector out of range it panics. So every chain it will follow is walked here first.
///
/// Returns the BIFF `Workbook` stream of a sound .xls (`Ok(None)` for what is not an
/// OLE file), which [`biff_sheets`] reads again for what calamine does not report; or
/// why the file cannot be opened.
pub(super) fn check_cfb(bytes: &[u8], max_cells: u64) -> Result<Option<Vec<u8>>, &'static str> {
    match read_cfb(bytes)? {
        Some(w) if biff_reserves_too_much(&w, max_cells) => Err(TOO_MANY_CELLS),
        stream => Ok(stream),
    }
}

/// The BIFF record at `at` of the stream `w`: its type, its data and where the next
/// one starts; `None` past the end or in a truncated record.
fn biff_record(w: &[u8], at: usize) -> Option<(u16, &[u8], usize)> {
    let head = w.get(at..at.checked_add(4)?)?;
    let typ = u16::from_le_bytes([head[0], head[1]]);
    let len = u16::from_le_bytes([head[2], head[3]]) as usize;
    let data = w.get(at + 4..at + 4 + len)?;
    Some((typ, data, at + 4 + len))
}

/// The little-endian u16 at `o` of a record's data, 0 past its end.
fn le16(d: &[u8], o: usize) -> u16 {
    d.get(o..o + 2)
        .map_or(0, |x| u16::from_le_bytes([x[0], x[1]]))
}

/// The little-endian u32 at `o` of a record's data, 0 past its end.
fn le32(d: &[u8], o: usize) -> u32 {
    d.get(o..o + 4)
        .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// What calamine does not report of an .xls sheet.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct BiffSheet {
    /// Cells whose number format shows a percentage.
    pub percent: HashSet<(u32, u32)>,
    /// Hidden rows (Row records, 0x0208, with fDyZero) and columns (ColInfo records,
    /// 0x007D, with fHidden).
    pub hidden: super::hidden::Hidden,
}

/// The percentage cells and hidden rows and columns of each sheet (by name) of the BIFF workbook
/// stream `w`: calamine reads an .xls's values but not its formats, so 0,85 shown "85%"
/// would come back as 0,85, nor which rows and columns are hidden. The globals give the formats (Format,
/// 0x041E; built-in 9 and 10 are `0%` and `0.00%`), the cell styles (XF, 0x00E0) and
/// where each sheet starts (BoundSheet, 0x0085); each sheet's Number, RK, MulRK and
/// Formula records give a cell's style.
pub(super) fn biff_sheets(w: &[u8]) -> HashMap<String, BiffSheet> {
    let record = |at: usize| biff_record(w, at);
    let u16_of = |d: &[u8], o: usize| {
        d.get(o..o + 2)
            .map_or(0, |x| u16::from_le_bytes([x[0], x[1]]))
    };
    // A BIFF8 short or long string: `len` characters, then a flags byte (bit 0: UTF-16).
    let string = |d: &[u8], len: usize| -> String {
        let Some(&flags) = d.first() else {
            return String::new();
        };
        let chars = &d[1..];
        if flags & 1 == 1 {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(len)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            chars.iter().take(len).map(|&b| b as char).collect()
        }
    };
    let mut percent_formats: HashSet<u16> = HashSet::from([9, 10]);
    let mut percent_xf: Vec<bool> = Vec::new();
    let mut sheets: Vec<(String, usize)> = Vec::new();
    let mut at = 0;
    while let Some((typ, data, next)) = record(at) {
        match typ {
            0x002F => return HashMap::new(),
            0x041E if data.len() >= 5 => {
                let code = string(&data[4..], u16_of(data, 2) as usize);
                if code.contains('%') {
                    percent_formats.insert(u16_of(data, 0));
                }
            }
            0x00E0 if data.len() >= 4 => {
                percent_xf.push(percent_formats.contains(&u16_of(data, 2)))
            }
            0x0085 if data.len() >= 8 => {
                let start = le32(data, 0) as usize;
                sheets.push((string(&data[7..], data[6] as usize), start));
            }
            0x000A => break,
            _ => {}
        }
        at = next;
    }
    let is_percent = |xf: u16| percent_xf.get(xf as usize).copied().unwrap_or(false);
    let mut out = HashMap::new();
    for (name, start) in sheets {
        let mut sheet = BiffSheet::default();
        let mut at = start;
        while let Some((typ, data, next)) = record(at) {
            let row = u16_of(data, 0) as u32;
            match typ {
                0x0203 | 0x027E | 0x0006 if data.len() >= 6 && is_percent(u16_of(data, 4)) => {
                    sheet.percent.insert((row, u16_of(data, 2) as u32));
                }
                // Row: its options at 12, bit 5 (fDyZero) when it is hidden.
                0x0208 if data.len() >= 14 && u16_of(data, 12) & 0x20 != 0 => {
                    sheet.hidden.rows.insert(row);
                }
                // ColInfo: first and last column, then at 8 the options, bit 0 fHidden.
                0x007D if data.len() >= 10 && u16_of(data, 8) & 1 != 0 => {
                    let (first, last) = (u16_of(data, 0) as u32, u16_of(data, 2) as u32);
                    let last = last.min(first + super::hidden::MAX_HIDDEN_SPAN - 1);
                    sheet.hidden.cols.extend(first..=last);
                }
                0x00BD if data.len() >= 6 => {
                    let first = u16_of(data, 2) as u32;
                    for (i, rk) in data[4..data.len() - 2].chunks_exact(6).enumerate() {
                        if is_percent(u16::from_le_bytes([rk[0], rk[1]])) {
                            sheet.percent.insert((row, first + i as u32));
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
            at = next;
        }
        out.insert(name, sheet);
    }
    out
}

fn read_cfb(bytes: &[u8]) -> Result<Option<Vec<u8>>, &'static str> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    /// Values at and above this end a chain or mark a special sector.
    const LAST_SECTOR: u32 = 0xFFFF_FFFA;
    const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
    const TRUNCATED: &str = "tệp bị cắt cụt / the file is truncated";
    const BAD_CHAIN: &str = "chuỗi sector OLE bị hỏng / a broken OLE sector chain";
    if !bytes.starts_with(OLE) {
        return Ok(None);
    }
    if bytes.len() < 512 {
        return Err(TRUNCATED);
    }
    let u32_at = |b: &[u8], o: usize| -> u32 {
        b.get(o..o + 4).map_or(END_OF_CHAIN, |x| {
            u32::from_le_bytes([x[0], x[1], x[2], x[3]])
        })
    };
    let sector_size: usize = match u16::from_le_bytes([bytes[30], bytes[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Err("kích thước sector OLE sai / bad OLE sector size"),
    };
    let sectors = (bytes.len().saturating_sub(sector_size) / sector_size) as u32;
    let sector = |s: u32| -> Option<&[u8]> {
        let at = (s as usize + 1).checked_mul(sector_size)?;
        bytes.get(at..at.checked_add(sector_size)?)
    };
    // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    let fat_count = u32_at(bytes, 44) as usize;
    if fat_count > sectors as usize {
        return Err(TRUNCATED);
    }
    let mut fat_sectors: Vec<u32> = (0..109usize.min(fat_count))
        .map(|i| u32_at(bytes, 76 + 4 * i))
        .collect();
    let (mut difat, difat_count) = (u32_at(bytes, 68), u32_at(bytes, 72));
    let mut hops = 0;
    while fat_sectors.len() < fat_count && difat < LAST_SECTOR {
        hops += 1;
        if hops > difat_count.max(1) {
            return Err(BAD_CHAIN);
        }
        let Some(d) = sector(difat) else {
            return Err(TRUNCATED);
        };
        let per = sector_size / 4 - 1;
        fat_sectors.extend((0..per).map(|i| u32_at(d, 4 * i)));
        difat = u32_at(d, 4 * per);
    }
    fat_sectors.truncate(fat_count);
    let mut fat: Vec<u32> = Vec::with_capacity(fat_count * sector_size / 4);
    for s in fat_sectors {
        let Some(f) = sector(s) else {
            return Err(TRUNCATED);
        };
        fat.extend((0..sector_size / 4).map(|i| u32_at(f, 4 * i)));
    }
    // A chain from `start` through `table`: the sectors, or why it cannot be followed.
    fn chain(table: &[u32], start: u32, limit: u32) -> Result<Vec<u32>, &'static str> {
        let mut seen = vec![false; table.len()];
        let mut out = Vec::new();
        let mut s = start;
        while s < LAST_SECTOR {
            let i = s as usize;
            if i >= table.len() || s >= limit {
                return Err(TRUNCATED);
            }
            if std::mem::replace(&mut seen[i], true) {
                return Err(BAD_CHAIN);
            }
            out.push(s);
            s = table[i];
        }
        Ok(out)
    }
    let directory = chain(&fat, u32_at(bytes, 48), sectors)?;
    let mini_fat_start = u32_at(bytes, 60);
    let mini_fat: Vec<u32> = match chain(&fat, mini_fat_start, sectors) {
        Ok(c) => c
            .iter()
            .filter_map(|&s| sector(s))
            .flat_map(|d| (0..sector_size / 4).map(move |i| u32_at(d, 4 * i)))
            .collect(),
        Err(e) => return Err(e),
    };
    let cutoff = u32_at(bytes, 56);
    let mut mini_stream_sectors = u32::MAX;
    let mut mini_stream: Vec<u32> = Vec::new();
    let mut workbook: Option<Vec<u8>> = None;
    for (n, s) in directory.iter().enumerate() {
        let Some(d) = sector(*s) else {
            return Err(TRUNCATED);
        };
        for (i, e) in d.chunks_exact(128).enumerate() {
            let kind = e[66];
            let (start, size) = (u32_at(e, 116), u32_at(e, 120));
            // The first entry is the root, whatever its type byte says (calamine reads
            // it so).
            if (n, i) == (0, 0) || kind == 5 {
                // The root entry holds the mini stream, in the FAT.
                match chain(&fat, start, sectors) {
                    Ok(c) => {
                        mini_stream_sectors = (c.len() * sector_size / 64) as u32;
                        mini_stream = c;
                    }
                    Err(e) => return Err(e),
                }
            } else if kind == 2 {
                let small = size < cutoff;
                let result = if small {
                    chain(&mini_fat, start, mini_stream_sectors)
                } else {
                    chain(&fat, start, sectors)
                };
                let found = result?;
                let name_len = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
                let name: Vec<u16> = e[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&c| c != 0)
                    .collect();
                let name = String::from_utf16_lossy(&name);
                if name == "Workbook" || (name == "Book" && workbook.is_none()) {
                    workbook = Some(if small {
                        let root: Vec<u8> = mini_stream
                            .iter()
                            .filter_map(|&s| sector(s))
                            .flatten()
                            .copied()
                            .collect();
                        found
                            .iter()
                            .filter_map(|&m| root.get(m as usize * 64..m as usize * 64 + 64))
                            .flatten()
                            .copied()
                            .collect()
                    } else {
                        found
                            .iter()
                            .filter_map(|&s| sector(s))
                            .flatten()
                            .copied()
                            .collect()
                    });
                }
            }
        }
    }
    Ok(workbook)
}

/// The reason [`check_cfb`] gives for a sheet whose Dimensions record declares more
/// cells than the project allows.
pub(super) const TOO_MANY_CELLS: &str =
    "trang tính khai báo quá nhiều ô / a sheet declares too many cells";

/// Whether a sheet of the BIFF workbook stream `w` declares (Dimensions record, 0x0200)
/// or spans with its cells more than `max_cells` cells. calamine reserves memory for
/// every declared cell before reading one, then lays the cells out densely from the
/// first row and column to the last: a corrupted record asks for gigabytes, and one
/// cell far away makes a grid of billions. The globals are walked as calamine walks
/// them, then each sheet from where its BoundSheet record (0x0085) says it starts.
pub(super) fn biff_reserves_too_much(w: &[u8], max_cells: u64) -> bool {
    let record = |at: usize| biff_record(w, at);
    let u32_of = le32;
    let u16_of = |d: &[u8], o: usize| u32::from(le16(d, o));
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some((typ, data, next)) = record(at) {
        if typ == 0x002F {
            // FilePass: the rest is encrypted, and calamine stops here (E-PASSWORD).
            return false;
        }
        if typ == 0x0085 {
            starts.push(u32_of(data, 0) as usize);
        }
        if typ == 0x000A {
            break;
        }
        at = next;
    }
    for start in starts {
        let mut at = start;
        // The rows and columns the sheet's cells span, as calamine's Range will.
        let mut span = Span::default();
        while let Some((typ, data, next)) = record(at) {
            // Number, Label, LabelSst, Rk, Formula, BoolErr: row, then column; MulRk: row,
            // first column, …, last column.
            if matches!(
                typ,
                0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0006 | 0x0205 | 0x00BD
            ) && data.len() >= 4
            {
                let row = u16_of(data, 0);
                let first = u16_of(data, 2);
                let last = if typ == 0x00BD {
                    u16_of(data, data.len() - 2)
                } else {
                    first
                };
                if span.add(row, first, last) > max_cells {
                    return true;
                }
            }
            if typ == 0x0200 {
                // As calamine's parse_dimensions reads it.
                let (rf, rl, mut cf, cl) = match data.len() {
                    10 => (
                        u16_of(data, 0),
                        u16_of(data, 2),
                        u16_of(data, 4),
                        u16_of(data, 6),
                    ),
                    14 | 16 => (
                        u32_of(data, 0),
                        u32_of(data, 4),
                        u16_of(data, 8),
                        u16_of(data, 10),
                    ),
                    _ => break,
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                if rl >= 1 && cl >= 1 {
                    let rows = (rl as u64 - 1).wrapping_sub(rf as u64).wrapping_add(1);
                    let cols = (cl as u64 - 1).wrapping_sub(cf as u64).wrapping_add(1);
                    if rows.saturating_mul(cols) > max_cells {
                        return true;
                    }
                }
            }
            if typ == 0x000A {
                break;
            }
            at = next;
        }
    }
    false
}

/// What a file that is not a spreadsheet looks like, from its first bytes.
pub(super) fn not_a_spreadsheet(bytes: &[u8]) -> Option<&'static str> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(ZIP) {
        let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
        if has(b"word/document.xml") {
            return Some("Word .docx");
        }
        if has(b"ppt/presentation.xml") {
            return Some("PowerPoint .pptx");
        }
        return None;
    }
    if bytes.starts_with(OLE) {
        return None;
    }
    if bytes.starts_with(b"%PDF") {
        return Some("PDF");
    }
    if bytes.is_empty() {
        return Some("tệp rỗng / empty file");
    }
    Some("không rõ định dạng / unknown format")
}

/// An OOXML workbook saved with a password is an OLE container holding
/// `EncryptedPackage`. (An OpenDocument one is found by [`scan_zip`], a .xls one by
/// [`is_encrypted_xls`].)
pub(super) fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    const NAME: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    bytes.starts_with(b"\xD0\xCF\x11\xE0") && memchr::memmem::find(bytes, NAME).is_some()
}

/// calamine's format detection hides the .xls reader's password error behind "cannot
/// detect file format", so once opening failed the Xls reader is asked directly.
pub(super) fn is_encrypted_xls(bytes: &[u8]) -> bool {
    matches!(
        calamine::Xls::new(Cursor::new(bytes)),
        Err(calamine::XlsError::Password)
    )
}

/// What one pass over a zip container (xlsx, xlsm, xlsb, ods) finds before calamine
/// opens it.
pub(super) struct ZipScan {
    /// Its parts unpack to more than the limit. A part is read through at most its
    /// compressed size (as the zip readers do) and DEFLATE cannot expand data more
    /// than [`DEFLATE_MAX_RATIO`] times, so when every part is stored or deflated and
    /// that bound is under the limit, nothing is inflated to know it — an ordinary
    /// unit sheet, whose inflating was a fifth of reading it. Otherwise each part is
    /// inflated into nothing through a bounded reader, so a zip bomb is found by what
    /// it really holds (its directory may lie about the unpacked sizes) and stopped
    /// at the limit.
    pub(super) too_large: bool,
    /// An OpenDocument file saved with a password: its manifest declares
    /// `manifest:encryption-data` for the encrypted parts.
    pub(super) encrypted_odf: bool,
}

/// `None` for a file that is not a readable zip.
pub(super) fn scan_zip(bytes: &[u8], limit: u64) -> Option<ZipScan> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut scan = ZipScan {
        too_large: false,
        encrypted_odf: false,
    };
    if let Some(bound) = unpacked_bound(&mut archive) {
        if bound <= limit {
            // Only the OpenDocument manifest needs reading.
            if let Ok(mut manifest) = archive.by_name(ODF_MANIFEST) {
                let mut xml = Vec::new();
                manifest.read_to_end(&mut xml).ok()?;
                scan.encrypted_odf = declares_encryption(&xml);
            }
            return Some(scan);
        }
    }
    let mut left = limit;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).ok()?;
        let is_manifest = entry.name().is_ok_and(|n| n == ODF_MANIFEST);
        let mut bounded = entry.take(left + 1);
        let read = if is_manifest {
            let mut xml = Vec::new();
            let n = bounded.read_to_end(&mut xml).ok()?;
            scan.encrypted_odf = declares_encryption(&xml);
            n as u64
        } else {
            std::io::copy(&mut bounded, &mut std::io::sink()).ok()?
        };
        if read > left {
            scan.too_large = true;
            break;
        }
        left -= read;
    }
    Some(scan)
}

/// The part of an OpenDocument file that lists its parts and how they are encrypted.
pub(super) const ODF_MANIFEST: &str = "META-INF/manifest.xml";

/// The manifest declares encrypted parts (`manifest:encryption-data`).
pub(super) fn declares_encryption(manifest: &[u8]) -> bool {
    String::from_utf8_lossy(manifest).contains("encryption-data")
}

/// The most DEFLATE can expand its input: a 258-byte match coded in 2 bits.
pub(super) const DEFLATE_MAX_RATIO: u64 = 258 * 8 / 2;

/// The most the archive's parts can unpack to, from their compressed sizes alone;
/// `None` if a part uses another method (no such bound is known) or the sum overflows.
pub(super) fn unpacked_bound(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<u64> {
    let mut bound = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).ok()?;
        let ratio = match entry.compression() {
            zip::CompressionMethod::Stored => 1,
            zip::CompressionMethod::Deflated => DEFLATE_MAX_RATIO,
            _ => return None,
        };
        bound = bound.checked_add(entry.compressed_size().checked_mul(ratio)?)?;
    }
    Some(bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    /// A zip of `parts`: each its bytes and whether it is deflated (else stored).
    fn zip_of(parts: &[(Vec<u8>, bool)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (i, (data, deflated)) in parts.iter().enumerate() {
            let method = if *deflated {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(format!("part{i}.xml"), options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The bound that lets a sheet skip inflating is never below what its parts
        /// really unpack to, however well they compress (runs of one byte, up to
        /// 300 KB, compress about a thousand times).
        #[test]
        fn the_unpacked_bound_is_never_below_the_truth(
            parts in proptest::collection::vec(
                (any::<u8>(), 0usize..300_000, proptest::collection::vec(any::<u8>(), 0..64), any::<bool>()),
                1..5,
            ),
        ) {
            let parts: Vec<(Vec<u8>, bool)> = parts
                .into_iter()
                .map(|(b, run, noise, deflated)| {
                    let mut data = vec![b; run];
                    data.extend(noise);
                    (data, deflated)
                })
                .collect();
            let truth: u64 = parts.iter().map(|(d, _)| d.len() as u64).sum();
            let bytes = zip_of(&parts);
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
            let bound = unpacked_bound(&mut archive).unwrap();
            prop_assert!(bound >= truth, "bound {bound} < {truth}");
            // And the guard agrees with the truth on either side of it, by the bound
            // alone (a limit at the bound) or by inflating (a limit under it).
            let scan = |limit| scan_zip(&bytes, limit).unwrap().too_large;
            prop_assert!(!scan(bound));
            prop_assert!(!scan(truth));
            if truth > 0 {
                prop_assert!(scan(truth - 1));
            }
        }
    }
}
