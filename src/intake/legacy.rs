//! Text typed with the legacy Vietnamese encodings older units still use, converted to
//! Unicode. In a workbook such text is stored as Latin-1 look-alikes that only the old
//! fonts drew as Vietnamese: TCVN3/ABC (.VnTime: `Uû ban nh©n d©n`) replaces each
//! accented vowel by one byte; VNI (VNI-Times: `UÛy ban nhaân daân`) writes the base
//! letter and then one byte for its marks.
//!
//! Detection is conservative: a string is converted only when it holds characters that
//! Vietnamese Unicode text never contains, so correct text is never touched.

use crate::text::nfc;

/// Which legacy encoding a text was typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN 5712:1993 (VN3, "ABC"), fonts `.VnTime`, `.VnArial`…
    Tcvn3,
    /// VNI Windows, fonts `VNI-Times`, `VNI-Helve`…
    Vni,
}

impl Legacy {
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC, phông .VnTime)",
            Legacy::Vni => "VNI (phông VNI-Times)",
        }
    }
}

/// TCVN3 lower-case letters: the Latin-1 character the old font drew as each one.
/// Capitals with marks lived in separate fonts (.VnTimeH) at the same code points.
const TCVN3: [(char, char); 67] = [
    ('µ', 'à'),
    ('¸', 'á'),
    ('¶', 'ả'),
    ('·', 'ã'),
    ('¹', 'ạ'),
    ('¨', 'ă'),
    ('»', 'ằ'),
    ('¾', 'ắ'),
    ('¼', 'ẳ'),
    ('½', 'ẵ'),
    ('Æ', 'ặ'),
    ('©', 'â'),
    ('Ç', 'ầ'),
    ('Ê', 'ấ'),
    ('È', 'ẩ'),
    ('É', 'ẫ'),
    ('Ë', 'ậ'),
    ('®', 'đ'),
    ('Ì', 'è'),
    ('Ð', 'é'),
    ('Î', 'ẻ'),
    ('Ï', 'ẽ'),
    ('Ñ', 'ẹ'),
    ('ª', 'ê'),
    ('Ò', 'ề'),
    ('Õ', 'ế'),
    ('Ó', 'ể'),
    ('Ô', 'ễ'),
    ('Ö', 'ệ'),
    ('×', 'ì'),
    ('Ý', 'í'),
    ('Ø', 'ỉ'),
    ('Ü', 'ĩ'),
    ('Þ', 'ị'),
    ('ß', 'ò'),
    ('ã', 'ó'),
    ('á', 'ỏ'),
    ('â', 'õ'),
    ('ä', 'ọ'),
    ('«', 'ô'),
    ('å', 'ồ'),
    ('è', 'ố'),
    ('æ', 'ổ'),
    ('ç', 'ỗ'),
    ('é', 'ộ'),
    ('¬', 'ơ'),
    ('ê', 'ờ'),
    ('í', 'ớ'),
    ('ë', 'ở'),
    ('ì', 'ỡ'),
    ('î', 'ợ'),
    ('ï', 'ù'),
    ('ó', 'ú'),
    ('ñ', 'ủ'),
    ('ò', 'ũ'),
    ('ô', 'ụ'),
    ('\u{AD}', 'ư'),
    ('õ', 'ừ'),
    ('ø', 'ứ'),
    ('ö', 'ử'),
    ('÷', 'ữ'),
    ('ù', 'ự'),
    ('ú', 'ỳ'),
    ('ý', 'ý'),
    ('û', 'ỷ'),
    ('ü', 'ỹ'),
    ('þ', 'ỵ'),
];

/// TCVN3 capitals that the main font itself carries.
const TCVN3_CAPITALS: [(char, char); 7] = [
    ('¡', 'Ă'),
    ('¢', 'Â'),
    ('£', 'Ê'),
    ('¤', 'Ô'),
    ('¥', 'Ơ'),
    ('¦', 'Ư'),
    ('§', 'Đ'),
];

/// Characters that Vietnamese Unicode text never holds but legacy text does: the
/// Latin-1 symbols TCVN3 used for letters, and the Latin-1 letters outside Vietnamese.
fn legacy_sign(c: char) -> bool {
    const VIETNAMESE_LATIN1: &str = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";
    let tcvn3_symbol = matches!(c, '¡'..='¾') && !matches!(c, '°' | '±' | '²' | '³' | '´' | 'º');
    tcvn3_symbol || (matches!(c, 'À'..='ÿ') && !VIETNAMESE_LATIN1.contains(c))
}

/// VNI: letters that stand alone (the marked i, y, ơ, ư, đ).
fn vni_letter(c: char) -> Option<char> {
    Some(match c {
        'ô' => 'ơ',
        'Ô' => 'Ơ',
        'ö' => 'ư',
        'Ö' => 'Ư',
        'ñ' => 'đ',
        'Ñ' => 'Đ',
        'æ' => 'ỉ',
        'Æ' => 'Ỉ',
        'ó' => 'ĩ',
        'Ó' => 'Ĩ',
        'ò' => 'ị',
        'Ò' => 'Ị',
        'î' => 'ỵ',
        'Î' => 'Ỵ',
        _ => return None,
    })
}

/// VNI: the combining marks one byte after a base letter stands for.
fn vni_marks(c: char) -> Option<&'static str> {
    const ACUTE: &str = "\u{301}";
    Some(match c.to_lowercase().next()? {
        'ù' => ACUTE,
        'ø' => "\u{300}",
        'û' => "\u{309}",
        'õ' => "\u{303}",
        'ï' => "\u{323}",
        'â' => "\u{302}",
        'á' => "\u{302}\u{301}",
        'à' => "\u{302}\u{300}",
        'å' => "\u{302}\u{309}",
        'ã' => "\u{302}\u{303}",
        'ä' => "\u{302}\u{323}",
        'ê' => "\u{306}",
        'é' => "\u{306}\u{301}",
        'è' => "\u{306}\u{300}",
        'ú' => "\u{306}\u{309}",
        'ü' => "\u{306}\u{303}",
        'ë' => "\u{306}\u{323}",
        _ => return None,
    })
}

fn is_base_vowel(c: char) -> bool {
    "aeiouyAEIOUYơưƠƯ".contains(c)
}

/// `text` converted to NFC Unicode when it is in a legacy encoding: both decodings are
/// tried and the one whose words are Vietnamese syllables wins.
pub fn convert(text: &str) -> Option<(Legacy, String)> {
    if text.chars().any(|c| c as u32 > 0xFF) || !text.chars().any(legacy_sign) {
        // Real Unicode Vietnamese (ạ, ư, đ…) or text with nothing legacy about it.
        return None;
    }
    let score = |s: &str| {
        // Words end at spaces and ASCII punctuation only: the Latin-1 symbols TCVN3
        // uses for letters are inside words ("b¸o"), which then do not scan.
        s.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .filter(|w| !w.is_empty())
            .map(|w| if is_syllable(w) { 1 } else { -1 })
            .sum::<i32>()
            - s.chars().filter(|c| legacy_sign(*c)).count() as i32
    };
    let tcvn3 = modern_tone_marks(&nfc(&from_tcvn3(text)));
    let vni = modern_tone_marks(&nfc(&from_vni(text)));
    let (t, v, original) = (score(&tcvn3), score(&vni), score(text));
    if t.max(v) <= original {
        return None;
    }
    Some(if v > t {
        (Legacy::Vni, vni)
    } else {
        (Legacy::Tcvn3, tcvn3)
    })
}

/// Whether a word is a Vietnamese syllable (or a number or an ASCII word such as "UBND"):
/// at most one tone mark, and onset + vowels + coda of the language once marks are gone.
fn is_syllable(word: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    if word.is_ascii() {
        return true;
    }
    let tones = word
        .nfd()
        .filter(|c| matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
        .count();
    if tones > 1 || word.chars().any(legacy_sign) {
        return false;
    }
    let folded = crate::text::fold(word);
    const ONSETS: [&str; 27] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
        "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
    ];
    const CODAS: [&str; 8] = ["ch", "ng", "nh", "c", "m", "n", "p", "t"];
    const NUCLEI: [&str; 38] = [
        "a", "ai", "ao", "au", "ay", "e", "eo", "eu", "i", "ia", "ie", "ieu", "iu", "o", "oa",
        "oai", "oao", "oay", "oe", "oeo", "oi", "oo", "u", "ua", "uai", "uay", "ue", "ui", "uo",
        "uoi", "uou", "uu", "uy", "uya", "uye", "uyu", "y", "ye",
    ];
    let rest = ONSETS
        .iter()
        .find(|o| folded.starts_with(*o) && folded.len() > o.len())
        .map_or(folded.as_str(), |o| &folded[o.len()..]);
    let nucleus = CODAS
        .iter()
        .find(|c| rest.ends_with(*c) && rest.len() > c.len())
        .map_or(rest, |c| &rest[..rest.len() - c.len()]);
    NUCLEI.contains(&nucleus) || nucleus == "yeu"
}

fn from_tcvn3(text: &str) -> String {
    // A word set in the capitals font (.VnTimeH) has upper-case ASCII letters and the
    // lower-case code points drawn as capitals: "NH©N" is "NHÂN". A word with one ASCII
    // capital ("X·") is in capitals when a neighbour is.
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let caps: Vec<Option<bool>> = words
        .iter()
        .map(|w| {
            let ascii: Vec<char> = w.chars().filter(char::is_ascii_alphabetic).collect();
            let upper = !ascii.is_empty() && ascii.iter().all(char::is_ascii_uppercase);
            match ascii.len() {
                0 => None,
                1 if upper => None,
                _ => Some(upper),
            }
        })
        .collect();
    let mut out = String::with_capacity(text.len() * 2);
    for (i, word) in words.iter().enumerate() {
        let single_capital = word.chars().filter(char::is_ascii_alphabetic).count() == 1
            && word.chars().any(|c| c.is_ascii_uppercase());
        let capitals = caps[i].unwrap_or_else(|| {
            single_capital
                && (i > 0 && caps[i - 1] == Some(true)
                    || caps.get(i + 1).copied().flatten() == Some(true))
        });
        for c in word.chars() {
            let mapped = TCVN3
                .iter()
                .chain(TCVN3_CAPITALS.iter())
                .find(|(k, _)| *k == c)
                .map(|(_, v)| *v);
            match mapped {
                Some(v) if capitals => out.extend(v.to_uppercase()),
                Some(v) => out.push(v),
                None => out.push(c),
            }
        }
    }
    out
}

fn from_vni(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut prev_letter = false;
    for c in text.chars() {
        if prev_letter && !c.is_ascii() {
            if let Some(marks) = vni_marks(c) {
                out.push_str(marks);
                prev_letter = false;
                continue;
            }
        }
        match vni_letter(c) {
            Some(v) => {
                out.push(v);
                prev_letter = true;
            }
            None => {
                out.push(c);
                prev_letter = is_base_vowel(c);
            }
        }
    }
    out
}

/// Old-style tone placement of the converted text ("Uỷ ban", "thuỷ") in the style of
/// current documents ("Ủy ban", "thủy"), as the Decree's samples write it.
fn modern_tone_marks(text: &str) -> String {
    const MOVES: [(&str, &str); 10] = [
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
        ("Uỳ", "Ùy"),
        ("Uý", "Úy"),
        ("Uỷ", "Ủy"),
        ("Uỹ", "Ũy"),
        ("Uỵ", "Ụy"),
    ];
    let mut out = text.to_string();
    for (old, new) in MOVES {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(old) {
            let before = result.chars().last().or_else(|| rest[..i].chars().last());
            let (head, tail) = rest.split_at(i);
            let after = tail[old.len()..].chars().next();
            result.push_str(head);
            let word_end = after.is_none_or(|c| !c.is_alphabetic());
            let after_q = matches!(head.chars().last().or(before), Some('q' | 'Q'));
            if word_end && !after_q {
                result.push_str(new);
            } else {
                result.push_str(old);
            }
            rest = &tail[old.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcvn3_text_is_read_as_unicode() {
        assert_eq!(
            convert("Uû ban nh©n d©n"),
            Some((Legacy::Tcvn3, "Ủy ban nhân dân".to_string()))
        );
        assert_eq!(convert("Tæng sè").map(|x| x.1), Some("Tổng số".into()));
        assert_eq!(
            convert("Sè ng\u{AD}êi hoµn thµnh khãa häc").map(|x| x.1),
            Some("Số người hoàn thành khóa học".into())
        );
        assert_eq!(
            convert("Kú b¸o c¸o: Th¸ng 10/2025").map(|x| x.1),
            Some("Kỳ báo cáo: Tháng 10/2025".into())
        );
        assert_eq!(
            convert("Tr\u{AD}êng MÇm non Kh¸nh X¸").map(|x| x.1),
            Some("Trường Mầm non Khánh Xá".into())
        );
    }

    #[test]
    fn tcvn3_capitals_font_words_are_upper_case() {
        assert_eq!(
            convert("UBND X· PHó TH¸I").map(|x| x.1),
            Some("UBND XÃ PHÚ THÁI".into())
        );
        assert_eq!(
            convert("§oµn Thanh niªn").map(|x| x.1),
            Some("Đoàn Thanh niên".into())
        );
    }

    #[test]
    fn vni_text_is_read_as_unicode() {
        assert_eq!(
            convert("UÛy ban nhaân daân"),
            Some((Legacy::Vni, "Ủy ban nhân dân".to_string()))
        );
        assert_eq!(
            convert("Soá ngöôøi hoaøn thaønh khoùa hoïc").map(|x| x.1),
            Some("Số người hoàn thành khóa học".into())
        );
        assert_eq!(
            convert("Ñoaøn Thanh nieân").map(|x| x.1),
            Some("Đoàn Thanh niên".into())
        );
    }

    #[test]
    fn unicode_and_plain_text_are_left_alone() {
        for s in [
            "Ủy ban nhân dân",
            "Số tin, bài đăng trên nhóm Zalo, mạng xã hội",
            "Tháng 10/2025",
            "Bà Rịa – Vũng Tàu",
            "Café ở Hà Nội",
            "Ông Tô Văn Á",
            "12,5",
            "",
        ] {
            assert_eq!(convert(s), None, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,40}") {
            let _ = convert(&s);
        }

        /// Text holding a letter only Unicode has (ạ, ư, đ, ơ…) is never converted.
        #[test]
        fn unicode_vietnamese_is_left_alone(
            before in "[a-zA-Z ,.àáâãèéêìíòóôõùúý]{0,20}",
            letter in "[ạảấầẩẫậăắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộơớờởỡợụủưứừửữựỳỵỷỹđĐ]",
            after in "[a-zA-Z ,.µ¸¶·¹©®ª«¬\\x{AD}]{0,20}",
        ) {
            let text = format!("{before}{letter}{after}");
            proptest::prop_assert_eq!(convert(&text), None);
        }
    }

    #[test]
    fn quy_keeps_its_tone_on_y() {
        assert_eq!(
            convert("Quý IV/2025 ®ît").map(|x| x.1),
            Some("Quý IV/2025 đợt".into())
        );
        assert_eq!(convert("thuû lîi").map(|x| x.1), Some("thủy lợi".into()));
    }
}
