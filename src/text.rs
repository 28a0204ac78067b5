//! Text normalisation shared by intake and compose: NFC for everything that is printed,
//! and a folded form (lower case, no diacritics, single spaces) for matching what units
//! type against what the project file says.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Unicode NFC. Every string that reaches a document goes through this: NFD text renders
/// with misplaced marks in the PDF.
pub fn nfc(s: &str) -> String {
    // Most text is NFC already (and most of it ASCII): the quick check avoids rebuilding it.
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// Lower case, without diacritics (đ → d), punctuation turned into spaces except the few
/// that carry meaning in labels, whitespace collapsed. "Số tin,  bài" → "so tin bai".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, |c| {
        out.push(c);
        true
    });
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether [`fold`] of `s` starts with `prefix` (folded, without a trailing space), found
/// without folding more of `s` than the prefix needs: most cells a search looks at
/// differ in their first letter.
pub fn fold_starts_with(s: &str, prefix: &str) -> bool {
    let mut want = prefix.chars();
    let mut matched = true;
    fold_into(s, |c| match want.next() {
        Some(w) if w == c => true,
        Some(_) => {
            matched = false;
            false
        }
        None => false,
    });
    matched && want.next().is_none()
}

/// The first character [`fold`] of `s` gives, if any.
pub fn fold_first(s: &str) -> Option<char> {
    let mut first = None;
    fold_into(s, |c| {
        first = Some(c);
        false
    });
    first.filter(|c| *c != ' ')
}

/// Gives `emit` the characters of `s` folded, in order (the spaces collapsed, none
/// leading; a trailing one may come last), until it returns false.
fn fold_into(s: &str, mut emit: impl FnMut(char) -> bool) {
    let mut space = true;
    let go = std::cell::Cell::new(true);
    // A letter, digit or meaningful sign is kept; anything else is one space.
    let mut keep = |c: char| {
        if !go.get() {
            return;
        }
        if c.is_alphanumeric() || c == '/' || c == '%' {
            go.set(emit(c));
            space = false;
        } else if !space {
            go.set(emit(' '));
            space = true;
        }
    };
    let mut push = |c: char| {
        // Most of it is ASCII (a Vietnamese letter decomposes to an ASCII letter and
        // marks): no Unicode tables for those.
        if c.is_ascii() {
            keep(c.to_ascii_lowercase());
        } else if !is_combining_mark(c) {
            match c {
                'đ' | 'Đ' => keep('d'),
                c => c.to_lowercase().for_each(&mut keep),
            }
        }
    };
    // Marks are dropped, so their canonical order does not matter: each character is
    // decomposed on its own, without NFD's reordering buffer.
    for c in s.chars() {
        if !go.get() {
            return;
        }
        if c.is_ascii() {
            push(c);
        } else {
            decompose_canonical(c, &mut push);
        }
    }
}

/// Vietnamese upper case of an NFC string ("Ủy ban nhân dân" → "ỦY BAN NHÂN DÂN").
pub fn upper(s: &str) -> String {
    nfc(&s.to_uppercase())
}

/// Vietnamese lower case of an NFC string ("XÃ PHÚ THÁI" → "xã phú thái").
pub fn lower(s: &str) -> String {
    nfc(&s.to_lowercase())
}

/// Whole-number digits with their thousands grouped by dots, as Vietnamese prints them
/// (`"1000000"` → `1.000.000`).
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A file name stem safe on every OS: ASCII letters, digits, `-` and `_` only (Vietnamese
/// letters lose their marks), no leading dot, not a reserved Windows name.
pub fn safe_file_stem(s: &str) -> String {
    let mut out = String::new();
    for part in s.split('_') {
        if !out.is_empty() {
            out.push('_');
        }
        let folded: String = fold(part)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let cleaned = folded
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        // Keep the case of ký hiệu such as BC-UBND.
        let upper = part
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase());
        out.push_str(&if upper {
            cleaned.to_uppercase()
        } else {
            cleaned
        });
    }
    let out = out.trim_matches(['_', '-', '.']).to_string();
    // Reserved device names on Windows, also with an extension ("CON.docx").
    let upper = out.to_uppercase();
    let reserved = matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper[3..].chars().all(|c| c.is_ascii_digit()));
    if out.is_empty() || reserved {
        format!("vanthu-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe() {
        assert_eq!(
            safe_file_stem("BC-UBND_2025-10_binh-dan-hoc-vu-so"),
            "BC-UBND_2025-10_binh-dan-hoc-vu-so"
        );
        assert_eq!(safe_file_stem("../../etc"), "etc");
        assert_eq!(safe_file_stem("CON"), "vanthu-CON");
        assert_eq!(safe_file_stem("lpt9"), "vanthu-lpt9");
        assert_eq!(safe_file_stem("COM10"), "COM10");
        assert_eq!(
            safe_file_stem("a/b\\c:d*e?f\"g<h>i|j"),
            "a-b-c-d-e-f-g-h-i-j"
        );
        assert_eq!(safe_file_stem("Thôn Đồng Tâm"), "thon-dong-tam");
        assert_eq!(safe_file_stem(""), "vanthu-");
    }

    #[test]
    fn fold_ignores_case_marks_spacing_and_punctuation() {
        assert_eq!(
            fold("Số tin,  bài trên hệ thống TRUYỀN THANH"),
            "so tin bai tren he thong truyen thanh"
        );
        assert_eq!(fold("Đơn vị báo cáo:"), "don vi bao cao");
        let nfd: String = "Trường".nfd().collect();
        assert_eq!(fold(&nfd), "truong");
        assert_eq!(fold("Tỷ lệ (%)"), "ty le %");
    }

    #[test]
    fn upper_keeps_vietnamese_letters() {
        assert_eq!(
            upper("Ủy ban nhân dân xã Phú Thái"),
            "ỦY BAN NHÂN DÂN XÃ PHÚ THÁI"
        );
    }

    /// The definition of `fold`: NFD first, then marks dropped. On NFD text every
    /// character decomposes to itself, so this is the per-character fold with NFD's
    /// reordering done first.
    fn fold_by_nfd(s: &str) -> String {
        fold(&s.nfd().collect::<String>())
    }

    proptest::proptest! {
        /// The early-stopping forms agree with folding the whole text.
        #[test]
        fn fold_starts_with_and_fold_first_agree_with_fold(s in "[ -~àáảãạăắằẳẵặâấầẩẫậđĐèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵÀÁẢÃẠĂẮẰÂẤẦÊẾỀÔỐỒƠỚỜƯỨỪ,.:;\\-–\t]{0,24}", cut in 0usize..30) {
            let folded = fold(&s);
            let prefix: String = folded.chars().take(cut).collect();
            let prefix = prefix.trim_end();
            proptest::prop_assert!(fold_starts_with(&s, prefix), "{:?} {:?}", s, prefix);
            proptest::prop_assert_eq!(fold_first(&s), folded.chars().next());
            let other = format!("{prefix}q");
            proptest::prop_assert_eq!(fold_starts_with(&s, &other), folded.starts_with(&other));
        }

        #[test]
        fn fold_and_nfc_agree_with_their_definitions(
            s in "[a-zA-Z0-9 ,.%/()đĐăâêôơưĂÂÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ\u{300}\u{301}\u{303}\u{309}\u{323}\u{302}\u{306}\u{31b}\t\n]{0,40}",
        ) {
            proptest::prop_assert_eq!(fold(&s), fold_by_nfd(&s));
            proptest::prop_assert_eq!(nfc(&s), s.nfc().collect::<String>());
        }

        #[test]
        fn fold_agrees_on_any_text(s in "\\PC{0,30}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_nfd(&s));
            proptest::prop_assert_eq!(nfc(&s), s.nfc().collect::<String>());
        }
    }
}
