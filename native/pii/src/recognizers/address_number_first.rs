//! US and UK street addresses, the house number first: port of
//! src/pii/recognizers/address-number-first.ts (see there for the forms and why). Offsets are
//! isize as the TS numbers are; every read goes through `code_at` or a bounds-checked slice.

use super::address_candidate::{AddressCandidate, Core};
use super::address_lexicon::{
    code_point_at, is_js_space_unit, is_upper_unit, letter_or_digit_at, lexicon, street_type_rank, Lexicon, StreetType,
    StreetTypeStrength, WordSet,
};
use super::address_tail::{
    abbreviation_dot_closes, match_closed_town, match_country, match_directional, match_locality, match_unit, LocalityKind,
    MAX_ADDRESS_LENGTH,
};
use crate::chars::{clamped_slice as slice, code_at, is_alnum_at, is_digit_code as is_digit, is_space_or_nbsp as is_gap};
use super::address_lexicon::is_upper_at;
use std::cell::RefCell;

const MAX: isize = MAX_ADDRESS_LENGTH as isize;
const MAX_NAME_WORDS: usize = 5;
const MAX_TOKEN: isize = 32;
const CONTEXT_REACH: isize = 48;
const UNIT_BEFORE_REACH: isize = 28;

const SCORE_STRONG: f64 = 0.6;
const SCORE_MEDIUM: f64 = 0.5;
const SCORE_WEAK: f64 = 0.3;
const LONG_NAME_PENALTY: f64 = 0.2;
const SCORE_WITH_UNIT: f64 = 0.6;
const SCORE_PO_BOX: f64 = 0.6;

thread_local! {
    static ANCHORS: RefCell<(Vec<isize>, Vec<isize>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

#[inline]
fn is_ascii_letter(code: i32) -> bool {
    (65..=90).contains(&code) || (97..=122).contains(&code)
}

#[inline]
fn is_lower_ascii(code: i32) -> bool {
    (97..=122).contains(&code)
}

fn ascii_eq(word: &[u16], ascii: &str) -> bool {
    word.len() == ascii.len() && word.iter().zip(ascii.bytes()).all(|(&a, b)| a == b as u16)
}

fn starts_with_ascii(text: &[u16], at: isize, ascii: &str) -> bool {
    at >= 0 && ascii_eq(slice(text, at, at + ascii.len() as isize), ascii)
}

/// `set.has(word.toLowerCase())`.
fn has_lower(set: &WordSet, word: &[u16]) -> bool {
    set.contains_lower(word)
}

/// A street type as written ("Street", "ST"), with what the walk needs of it.
#[derive(Clone, Copy)]
struct TypeWord<'a> {
    word: &'a [u16],
    kind: StreetType,
    caps: bool,
    not_before: Option<&'static WordSet>,
}

/// The street type spelled exactly `text[start, end)`, or None.
fn type_word_at<'a>(lx: &'static Lexicon, text: &'a [u16], start: isize, end: isize) -> Option<TypeWord<'a>> {
    if end <= start || end - start >= 16 {
        return None;
    }
    let word = slice(text, start, end);
    let (kind, not_before) = lx.street_type_and_not_before(word)?;
    // capsWord: longer than one letter and its own upper case (every type word is ASCII).
    let caps = word.len() > 1 && word.iter().all(|&c| !(97..=122).contains(&c));
    Some(TypeWord { word, kind, caps, not_before })
}

/// True when another street type of at least the same rank follows ("481 E Ridge Road").
fn type_follows(lx: &'static Lexicon, after: &[u16], kind: StreetType) -> bool {
    if !is_gap(code_at(after, 0)) {
        return false;
    }
    let first = code_at(after, 1);
    if !(65..=90).contains(&first) {
        return false;
    }
    let mut word_end = 2;
    while word_end < 14 && is_ascii_letter(code_at(after, word_end)) {
        word_end += 1;
    }
    if is_alnum_at(after, word_end) {
        return false;
    }
    type_word_at(lx, after, 1, word_end).is_some_and(|next| street_type_rank(next.kind) >= street_type_rank(kind))
}

#[inline]
fn upper_cp(lx: &Lexicon, cp: u32) -> bool {
    if cp < 128 {
        (65..=90).contains(&cp)
    } else {
        lx.upper.has(cp)
    }
}

#[inline]
fn lower_cp(lx: &Lexicon, cp: u32) -> bool {
    if cp < 128 {
        (97..=122).contains(&cp)
    } else {
        lx.lower.has(cp)
    }
}

/// [ \u00A0]\p{Lu}\p{Ll}{1,24} at `p` with its lower-case run whole (a shorter one leaves a
/// lower-case letter that neither another word nor the lookahead takes): its end, or -1.
fn of_name_word(lx: &Lexicon, s: &[u16], p: isize) -> isize {
    if !is_gap(code_at(s, p)) {
        return -1;
    }
    let Some((cp, len)) = code_point_at(s, p + 1) else { return -1 };
    if !upper_cp(lx, cp) {
        return -1;
    }
    let mut q = p + 1 + len as isize;
    let mut count = 0;
    while let Some((cp, len)) = code_point_at(s, q) {
        if !lower_cp(lx, cp) {
            break;
        }
        count += 1;
        if count > 24 {
            return -1;
        }
        q += len as isize;
    }
    if count == 0 {
        -1
    } else {
        q
    }
}

/// OF_NAME = /[ \u00A0]of(?:[ \u00A0]the)?(?:[ \u00A0]\p{Lu}\p{Ll}{1,24}){1,2}(?![\p{L}\p{N}])/uy at 0.
fn of_name_end(lx: &Lexicon, s: &[u16]) -> isize {
    if !is_gap(code_at(s, 0)) || code_at(s, 1) != 111 || code_at(s, 2) != 102 {
        return -1;
    }
    let mut p = 3;
    if is_gap(code_at(s, 3)) && starts_with_ascii(s, 4, "the") {
        p = 7;
    }
    let first = of_name_word(lx, s, p);
    if first < 0 {
        return -1;
    }
    let second = of_name_word(lx, s, first);
    if second >= 0 && !letter_or_digit_at(s, second) {
        return second;
    }
    if !letter_or_digit_at(s, first) {
        first
    } else {
        -1
    }
}

/// The length of a name written after a strong street type ("Avenue of the Americas"), or -1.
fn type_first_end(lx: &Lexicon, after: &[u16], type_word: &[u16], kind: StreetType) -> isize {
    if kind.strength != StreetTypeStrength::Strong || kind.abbreviation || kind.standalone || !is_gap(code_at(after, 0)) {
        return -1;
    }
    let next = code_at(after, 1);
    if next != 111 && !(65..=90).contains(&next) {
        return -1;
    }
    let of = of_name_end(lx, after);
    if of >= 0 {
        return of;
    }
    if !ascii_eq(type_word, "Avenue") && !ascii_eq(type_word, "AVENUE") {
        return -1;
    }
    // LETTER_NAME = /[ \u00A0][A-Z](?![\p{L}\p{N}'’])/uy
    let after_letter = code_at(after, 2);
    if is_gap(code_at(after, 0)) && (65..=90).contains(&code_at(after, 1)) && !letter_or_digit_at(after, 2) && after_letter != 39 && after_letter != 0x2019 {
        2
    } else {
        -1
    }
}

/// True when `text` at `end` reads as the end of an address ("1585 Broadway by Friday").
fn ends_phrase(lx: &Lexicon, text: &[u16], end: isize) -> bool {
    let code = code_at(text, end);
    if code < 0 {
        return true;
    }
    if !is_gap(code) {
        return !is_alnum_at(text, end);
    }
    let mut word_end = end + 1;
    while word_end < end + 9 && is_lower_ascii(code_at(text, word_end)) {
        word_end += 1;
    }
    if word_end == end + 1 {
        return !is_alnum_at(text, end + 1) && !is_upper_at(text, end + 1);
    }
    !is_alnum_at(text, word_end) && lx.words_after_address.contains(slice(text, end + 1, word_end))
}

/// /^[1-9][0-9]{0,4}[A-Za-z]?(?:-[0-9]{1,3}[A-Za-z]?)?$/ on text[start, end), read in place.
fn is_house_number_at(text: &[u16], start: isize, end: isize) -> bool {
    let mut i = start;
    let first = code_at(text, i);
    if !(49..=57).contains(&first) {
        return false;
    }
    let digits_end = end.min(i + 5);
    i += 1;
    while i < digits_end && is_digit(code_at(text, i)) {
        i += 1;
    }
    if i < end && is_ascii_letter(code_at(text, i)) {
        i += 1;
    }
    if i < end && code_at(text, i) == 45 {
        i += 1;
        let group_start = i;
        let group_end = end.min(group_start + 3);
        while i < group_end && is_digit(code_at(text, i)) {
            i += 1;
        }
        if i == group_start {
            return false;
        }
        if i < end && is_ascii_letter(code_at(text, i)) {
            i += 1;
        }
    }
    i == end
}

/// ORDINAL = /^[1-9][0-9]{0,3}(?:st|nd|rd|th|ST|ND|RD|TH)$/
fn is_ordinal(t: &[u16]) -> bool {
    let n = t.len();
    if !(3..=6).contains(&n) || !(49..=57).contains(&t[0]) || !t[1..n - 2].iter().all(|&c| (48..=57).contains(&c)) {
        return false;
    }
    matches!(
        (t[n - 2], t[n - 1]),
        (115, 116) | (110, 100) | (114, 100) | (116, 104) | (83, 84) | (78, 68) | (82, 68) | (84, 72)
    )
}

/// DIRECTIONAL = /^(?:[NS][EW]?|[EW]|[NS]\.[EW]\.|[NSEW]\.|North|South|East|West|NORTH|SOUTH|EAST|WEST)$/
fn is_directional(t: &[u16]) -> bool {
    let ns = |c: u16| c == 78 || c == 83;
    let ew = |c: u16| c == 69 || c == 87;
    match t {
        [a] => ns(*a) || ew(*a),
        [a, b] => (ns(*a) && ew(*b)) || ((ns(*a) || ew(*a)) && *b == 46),
        [a, 46, b, 46] => ns(*a) && ew(*b),
        _ => ["North", "South", "East", "West", "NORTH", "SOUTH", "EAST", "WEST"].iter().any(|w| ascii_eq(t, w)),
    }
}

/// NAME_SUFFIX = /^(?:Jr|Sr|JR|SR)\.?$/
fn is_name_suffix(t: &[u16]) -> bool {
    let word = if t.last() == Some(&46) { &t[..t.len() - 1] } else { t };
    ["Jr", "Sr", "JR", "SR"].iter().any(|w| ascii_eq(word, w))
}

/// NAME_ABBREVIATION = /^(?:Mt|St|Ft|Pt|Jr|Sr|Dr|MT|ST|FT|PT|JR|SR|DR)\.?$|^\p{Lu}\.$/u
fn is_name_abbreviation(t: &[u16]) -> bool {
    let word = if t.last() == Some(&46) { &t[..t.len() - 1] } else { t };
    if ["Mt", "St", "Ft", "Pt", "Jr", "Sr", "Dr", "MT", "ST", "FT", "PT", "JR", "SR", "DR"].iter().any(|w| ascii_eq(word, w)) {
        return true;
    }
    // (Tokens hold no surrogates: one code unit is one code point.)
    t.len() == 2 && t[1] == 46 && is_upper_unit(t[0])
}

/// TITLE_WORD = /^\p{Lu}[\p{L}'’-]{0,28}\p{Ll}$/u
fn is_title_word(lx: &Lexicon, t: &[u16]) -> bool {
    let n = t.len();
    if !(2..=30).contains(&n) || !upper_cp(lx, t[0] as u32) || !lower_cp(lx, t[n - 1] as u32) {
        return false;
    }
    t[1..n - 1].iter().all(|&c| c == 39 || c == 0x2019 || c == 45 || letter_cp(lx, c as u32))
}

/// CAPS_WORD = /^\p{Lu}[\p{Lu}'’-]{2,28}$/u
fn is_caps_word(lx: &Lexicon, t: &[u16]) -> bool {
    let n = t.len();
    if !(3..=29).contains(&n) || !upper_cp(lx, t[0] as u32) {
        return false;
    }
    t[1..].iter().all(|&c| c == 39 || c == 0x2019 || c == 45 || upper_cp(lx, c as u32))
}

#[inline]
fn letter_cp(lx: &Lexicon, cp: u32) -> bool {
    if cp < 128 {
        is_ascii_letter(cp as i32)
    } else {
        lx.letter.has(cp)
    }
}

/// "Baker", "Oak": a capital and lower-case ASCII letters.
fn is_plain_title_word(t: &[u16]) -> bool {
    (2..=30).contains(&t.len()) && (65..=90).contains(&t[0]) && t[1..].iter().all(|&c| (97..=122).contains(&c))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum NameWordKind {
    Word,
    Minor,
    The,
}

/// What a token left of the street type is, as part of a street name, or None.
fn name_word_kind(lx: &Lexicon, token: &[u16], caps: bool) -> Option<NameWordKind> {
    if !caps && is_plain_title_word(token) {
        if ascii_eq(token, "The") {
            return Some(NameWordKind::The);
        }
        if has_lower(&lx.not_in_street_name, token) {
            return None;
        }
        let first = token[0];
        let compass = first == 78 || first == 83 || first == 69 || first == 87;
        if (compass && token.len() <= 5 && is_directional(token)) || (token.len() == 2 && is_name_abbreviation(token)) {
            return Some(NameWordKind::Minor);
        }
        return Some(NameWordKind::Word);
    }
    if ascii_eq(token, "The") || ascii_eq(token, "THE") {
        return Some(NameWordKind::The);
    }
    if has_lower(&lx.not_in_street_name, token) {
        return None;
    }
    if is_ordinal(token) || is_directional(token) || is_name_abbreviation(token) {
        return Some(NameWordKind::Minor);
    }
    let shaped = if caps { is_caps_word(lx, token) } else { is_title_word(lx, token) };
    if shaped {
        Some(NameWordKind::Word)
    } else {
        None
    }
}

/// isTokenChar: ASCII letters, digits, ' - ., and ’ and every other letter or digit.
#[inline]
fn is_token_char(text: &[u16], index: isize) -> bool {
    let code = code_at(text, index);
    if code < 0 {
        return false;
    }
    if code < 128 {
        return is_ascii_letter(code) || is_digit(code) || code == 39 || code == 45 || code == 46;
    }
    code == 0x2019 || is_alnum_at(text, index)
}

struct StreetStart {
    start: isize,
    names: usize,
    significant: usize,
    caps: bool,
    phrase: bool,
}

/// Walks left from the street type over at most MAX_NAME_WORDS name words to the house number.
fn walk_to_house_number(lx: &Lexicon, text: &[u16], type_start: isize, floor: isize, type_word: &TypeWord) -> Option<StreetStart> {
    let caps = type_word.caps;
    let mut right = type_start;
    let mut names = 0;
    let mut significant = 0;
    let mut saw_the = false;
    let mut phrase = false;
    let mut person = 0;
    for k in 0..=MAX_NAME_WORDS {
        let gap = right - 1;
        if gap < floor || !is_gap(code_at(text, gap)) {
            return None;
        }
        let mut left = gap;
        while left > floor && gap - left < MAX_TOKEN && is_token_char(text, left - 1) {
            left -= 1;
        }
        if left == gap || gap - left >= MAX_TOKEN {
            return None;
        }
        let first = code_at(text, left);
        let opens = if first < 128 { is_digit(first) || (65..=90).contains(&first) } else { is_upper_at(text, left) };
        if !opens {
            return None;
        }
        if first < 58 && is_house_number_at(text, left, gap) {
            return Some(StreetStart { start: left, names, significant, caps, phrase });
        }
        if saw_the {
            return None;
        }
        let token = slice(text, left, gap);
        let kind = name_word_kind(lx, token, caps)?;
        if k == 0 && type_word.not_before.is_some_and(|set| has_lower(set, token)) {
            phrase = true;
        }
        if kind == NameWordKind::The {
            saw_the = true;
        }
        if kind == NameWordKind::Minor && person == 0 && is_name_suffix(token) {
            person = 1;
        }
        if kind == NameWordKind::Word && person != 2 {
            significant += 1;
            if person == 1 {
                person = 2;
            }
        }
        names += 1;
        right = left;
    }
    None
}

/// True when the number at `start`, right after a comma, continues the number before it.
fn is_thousands_group(text: &[u16], start: isize) -> bool {
    let mut before = start - 1;
    while before > 0 && before > start - 6 && is_digit(code_at(text, before - 1)) {
        before -= 1;
    }
    let run = start - 1 - before;
    if run == 0 {
        return false;
    }
    let mut after = start;
    while after < start + 6 && is_digit(code_at(text, after)) {
        after += 1;
    }
    let opener = code_at(text, before - 1);
    if is_digit(opener) {
        return false;
    }
    let grouped = (opener == 32 || opener == 46 || opener == 45) && is_digit(code_at(text, before - 2));
    if grouped {
        return opener == 46 && run == 3 && after - start <= 2;
    }
    run <= 3 && after - start == 3
}

/// The character before a house number opens an address.
fn opens_address(text: &[u16], start: isize, floor: isize) -> bool {
    if start == floor {
        return true;
    }
    match code_at(text, start - 1) {
        32 | 9 | 10 | 13 | 160 | 40 | 91 | 123 | 34 | 39 | 96 | 62 | 124 | 59 | 0x201c | 0x2018 | 0xab => true,
        58 => start >= 2 && is_ascii_letter(code_at(text, start - 2)),
        44 => !is_thousands_group(text, start),
        _ => false,
    }
}

/// True when the word just before the number counts something else ("Chapter 12 ...").
fn after_counting_word(lx: &Lexicon, text: &[u16], start: isize, floor: isize) -> bool {
    let mut i = start;
    let mut gaps = 0;
    while i > 0 && gaps < 3 && (is_gap(code_at(text, i - 1)) || code_at(text, i - 1) == 9) {
        i -= 1;
        gaps += 1;
    }
    if gaps == 0 {
        return false;
    }
    let mut end = i;
    if end > 0 && code_at(text, end - 1) == 46 {
        end -= 1;
    }
    let mut begin = end;
    while begin > 0 && end - begin <= 12 && is_ascii_letter(code_at(text, begin - 1)) {
        begin -= 1;
    }
    if begin == end || end - begin > 12 || begin < floor {
        return false;
    }
    if begin > 0 && is_alnum_at(text, begin - 1) {
        return false;
    }
    has_lower(&lx.counting_words, slice(text, begin, end))
}

/// mayFollowCopyrightMark: see the TS (a filter before the expression).
fn may_follow_copyright_mark(text: &[u16], from: isize, start: isize) -> bool {
    let mut i = start - 1;
    while i >= from {
        let code = code_at(text, i);
        let stop = if code < 128 { !is_after_mark(code) } else { code == 0xa9 };
        if stop {
            break;
        }
        i -= 1;
    }
    if i < from {
        return false;
    }
    matches!(code_at(text, i), 0xa9 | 41 | 116 | 84)
}

/// The ASCII characters of " \t\n\v\f\r:0123456789-,&ndash;".
fn is_after_mark(code: i32) -> bool {
    matches!(code, 32 | 9 | 10 | 11 | 12 | 13 | 58 | 45 | 44 | 38 | 110 | 100 | 97 | 115 | 104 | 59) || is_digit(code)
}

/// COPYRIGHT_BEFORE.test(s): some mark (©, (C), (c), [Cc]opyright, COPYRIGHT) followed by
/// [\s:]* and years (?:[0-9]{4}(?:[ ]?(?:[-–]|&ndash;)[ ]?(?:[0-9]{2,4})?)?,?[ ]*)* to the end.
/// A backward pass marks the positions from which the years reach the end (s is at most 48 long).
fn copyright_before(s: &[u16]) -> bool {
    let n = s.len();
    if n > 63 {
        return false; // (never: the caller's slice is at most CONTEXT_REACH long)
    }
    let mut years: u64 = 1u64 << n; // bit p: s[p..] is a list of years
    for p in (0..n).rev() {
        if years_reach(s, p, years) {
            years |= 1u64 << p;
        }
    }
    // Positions from which [\s:]* then the years reach the end.
    let mut lead: u64 = years;
    for p in (0..n).rev() {
        let c = s[p];
        if (c == 58 || is_js_space_unit(c)) && lead & (1u64 << (p + 1)) != 0 {
            lead |= 1u64 << p;
        }
    }
    for m in 0..n {
        let mark_end = if s[m] == 0xa9 {
            m + 1
        } else if s[m] == 40 && matches!(s.get(m + 1), Some(67) | Some(99)) && s.get(m + 2) == Some(&41) {
            m + 3
        } else if ascii_eq(slice(s, m as isize, m as isize + 9), "Copyright")
            || ascii_eq(slice(s, m as isize, m as isize + 9), "copyright")
            || ascii_eq(slice(s, m as isize, m as isize + 9), "COPYRIGHT")
        {
            m + 9
        } else {
            continue;
        };
        if lead & (1u64 << mark_end) != 0 {
            return true;
        }
    }
    false
}

/// One year entry from `p` ends somewhere from which `years` (a bit set) reaches the end.
fn years_reach(s: &[u16], p: usize, years: u64) -> bool {
    let digit = |i: usize| s.get(i).is_some_and(|&c| (48..=57).contains(&c));
    if !(p..p + 4).all(digit) {
        return false;
    }
    let a = p + 4;
    // Where the optional range part may end.
    let mut range_ends: [usize; 24] = [0; 24];
    let mut count = 0;
    range_ends[count] = a;
    count += 1;
    for s1 in 0..2 {
        let b = a + s1;
        if s1 == 1 && s.get(a) != Some(&32) {
            continue;
        }
        let mut dashes: [usize; 2] = [0; 2];
        let mut dash_count = 0;
        if matches!(s.get(b), Some(45) | Some(0x2013)) {
            dashes[dash_count] = b + 1;
            dash_count += 1;
        }
        if ascii_eq(slice(s, b as isize, b as isize + 7), "&ndash;") {
            dashes[dash_count] = b + 7;
            dash_count += 1;
        }
        for &c in &dashes[..dash_count] {
            for s2 in 0..2 {
                if s2 == 1 && s.get(c) != Some(&32) {
                    continue;
                }
                let d = c + s2;
                if count < range_ends.len() {
                    range_ends[count] = d;
                    count += 1;
                }
                for len in 2..=4 {
                    if (d..d + len).all(digit) && count < range_ends.len() {
                        range_ends[count] = d + len;
                        count += 1;
                    }
                }
            }
        }
    }
    for &r in &range_ends[..count] {
        for comma in 0..2 {
            if comma == 1 && s.get(r) != Some(&44) {
                continue;
            }
            let mut e = r + comma;
            loop {
                if e <= s.len() && e < 64 && years & (1u64 << e) != 0 {
                    return true;
                }
                if s.get(e) != Some(&32) {
                    break;
                }
                e += 1;
            }
        }
    }
    false
}

/// EMAIL_AFTER = /^[ \t]*[<(][^\s<>()@]{1,64}@/ on `s`.
fn email_after(s: &[u16]) -> bool {
    let mut i = 0;
    while matches!(s.get(i), Some(32) | Some(9)) {
        i += 1;
    }
    if !matches!(s.get(i), Some(60) | Some(40)) {
        return false;
    }
    let start = i + 1;
    let mut j = start;
    while let Some(&c) = s.get(j) {
        if is_js_space_unit(c) || matches!(c, 60 | 62 | 40 | 41 | 64) {
            break;
        }
        j += 1;
    }
    let run = j - start;
    (1..=64).contains(&run) && s.get(j) == Some(&64)
}

/// True when the number is a copyright year and the "street" a person.
fn is_copyright_line(text: &[u16], start: isize, floor: isize, core_end: isize) -> bool {
    let from = floor.max(start - CONTEXT_REACH);
    if may_follow_copyright_mark(text, from, start) {
        let before = slice(text, from, start);
        if copyright_before(before) {
            return true;
        }
    }
    let mut i = core_end;
    while code_at(text, i) == 32 || code_at(text, i) == 9 {
        i += 1;
    }
    let open = code_at(text, i);
    if open != 60 && open != 40 {
        return false;
    }
    email_after(slice(text, core_end, (start + MAX + 1).min(text.len() as isize)))
}

/// The start of a group that ends `s` and follows the start of `s` or a code point that is no
/// letter or digit, leftmost first (the (?:^|[^\p{L}\p{N}])(...)$ of UNIT_BEFORE, PO_BOX_BEFORE).
fn leftmost_group(s: &[u16], group: impl Fn(&[u16]) -> bool) -> Option<usize> {
    (0..s.len()).find(|&g| {
        let opens = g == 0 || {
            let last = s[g - 1];
            let cp = if (0xdc00..=0xdfff).contains(&last) && g >= 2 && (0xd800..=0xdbff).contains(&s[g - 2]) {
                code_point_at(s, g as isize - 2).map_or(0, |(cp, _)| cp)
            } else {
                last as u32
            };
            !cp_is_alnum(cp)
        };
        opens && group(&s[g..])
    })
}

fn cp_is_alnum(cp: u32) -> bool {
    if cp < 128 {
        return is_ascii_letter(cp as i32) || is_digit(cp as i32);
    }
    lexicon().is_some_and(|lx| lx.alnum.has(cp))
}

/// UNIT_BEFORE's group, the whole of `g`: "Flat 3, ", "Apt. 4B ", "Unit 2\n".
fn is_unit_before_group(g: &[u16]) -> bool {
    const WORDS: [&str; 14] = ["Flat", "Apartment", "Apt", "Unit", "Suite", "Ste", "Studio", "FLAT", "APARTMENT", "APT", "UNIT", "SUITE", "STE", "STUDIO"];
    for word in WORDS {
        if !starts_with_ascii(g, 0, word) {
            continue;
        }
        let mut p = word.len();
        if (word == "Apt" || word == "Ste") && g.get(p) == Some(&46) {
            p += 1;
        }
        if !matches!(g.get(p), Some(32) | Some(160)) {
            continue;
        }
        p += 1;
        if g.get(p) == Some(&35) {
            p += 1;
        }
        let digits_start = p;
        while g.get(p).is_some_and(|&c| (48..=57).contains(&c)) {
            p += 1;
        }
        if p == digits_start || p - digits_start > 4 {
            continue;
        }
        if g.get(p).is_some_and(|&c| is_ascii_letter(c as i32)) {
            p += 1;
        }
        let rest = &g[p.min(g.len())..];
        let rest = if rest.first() == Some(&44) { &rest[1..] } else { rest };
        if matches!(rest, [32] | [160] | [10] | [13, 10]) {
            return true;
        }
    }
    false
}

/// "Flat 3, 12 Acacia Avenue": a unit written before the house number.
fn unit_before(text: &[u16], start: isize, floor: isize) -> isize {
    let separator = code_at(text, start - 1);
    if separator != 32 && separator != 160 && separator != 10 {
        return start;
    }
    let mut i = start - 2;
    if separator == 10 && code_at(text, i) == 13 {
        i -= 1;
    }
    if code_at(text, i) == 44 {
        i -= 1;
    }
    if is_ascii_letter(code_at(text, i)) {
        i -= 1;
    }
    if i < floor || !is_digit(code_at(text, i)) {
        return start;
    }
    let from = floor.max(start - UNIT_BEFORE_REACH);
    let s = slice(text, from, start);
    match leftmost_group(s, is_unit_before_group) {
        Some(g) => start - (s.len() - g) as isize,
        None => start,
    }
}

struct Tail {
    end: isize,
    unit: bool,
    locality: Option<LocalityKind>,
}

fn may_open_part(tail: &[u16], at: isize) -> bool {
    let mut code = code_at(tail, at);
    if code == 44 {
        code = code_at(tail, at + 1);
    }
    matches!(code, 32 | 9 | 160 | 10 | 13)
}

/// Reads what follows the street (or PO box number): directional, units, locality, country.
fn read_tail(text: &[u16], start: isize, core_end: isize, abbreviation: bool) -> Tail {
    let tail = slice(text, core_end, (start + MAX + 1).min(text.len() as isize));
    let room = start + MAX - core_end;
    let mut p: isize = if abbreviation && code_at(tail, 0) == 46 { 1 } else { 0 };
    let mut end: isize = 0;
    let mut unit = false;
    let mut locality = None;
    let at_end = core_end + tail.len() as isize == text.len() as isize;
    if !may_open_part(tail, p) {
        let dot = if p == 1 && abbreviation_dot_closes(tail, 0, at_end) { 1 } else { 0 };
        return Tail { end: core_end + dot, unit, locality };
    }
    let directional = match_directional(tail, p);
    if directional >= 0 && directional <= room {
        end = directional;
        p = directional;
    }
    for _ in 0..2 {
        let u = match_unit(tail, p);
        if u < 0 || u > room {
            break;
        }
        end = u;
        p = u;
        unit = true;
    }
    match match_locality(tail, p) {
        Some(place) if place.end <= room => {
            end = place.end;
            p = place.end;
            locality = Some(place.kind);
            let country = match_country(tail, p);
            if country >= 0 && country <= room {
                end = country;
            }
        }
        _ => {
            let town = match_closed_town(tail, p, at_end);
            if town >= 0 && town <= room {
                end = town;
            }
        }
    }
    if end == 0 && p == 1 && abbreviation_dot_closes(tail, 0, at_end) {
        end = 1;
    }
    Tail { end: core_end + end, unit, locality }
}

fn score_by_locality(kind: LocalityKind) -> f64 {
    match kind {
        LocalityKind::State => 0.75,
        LocalityKind::Postcode => 0.8,
        LocalityKind::StateZip | LocalityKind::CityPostcode => 0.9,
    }
}

fn core_score(lx: &Lexicon, kind: StreetType, street: &StreetStart, after: &[u16], end: isize) -> f64 {
    if kind.standalone && street.names == 0 {
        return if ends_phrase(lx, after, end) { SCORE_MEDIUM } else { SCORE_WEAK };
    }
    if street.caps && kind.abbreviation {
        return SCORE_WEAK;
    }
    let mut score = match kind.strength {
        StreetTypeStrength::Strong => SCORE_STRONG,
        StreetTypeStrength::Medium if street.significant <= 2 => SCORE_MEDIUM,
        _ => SCORE_WEAK,
    };
    if street.significant >= 4 {
        score -= LONG_NAME_PENALTY;
    }
    score
}

fn final_score(mut score: f64, tail: &Tail) -> f64 {
    if tail.unit {
        score = score.max(SCORE_WITH_UNIT);
    }
    if let Some(kind) = tail.locality {
        score = score.max(score_by_locality(kind));
    }
    score
}

fn street_candidate(lx: &'static Lexicon, text: &[u16], type_start: isize, type_end: isize, floor: isize) -> Option<AddressCandidate> {
    let type_word = type_word_at(lx, text, type_start, type_end)?;
    let kind = type_word.kind;
    let street = walk_to_house_number(lx, text, type_start, floor, &type_word)?;
    if !opens_address(text, street.start, floor) || after_counting_word(lx, text, street.start, floor) {
        return None;
    }
    let start = unit_before(text, street.start, floor);
    let after = slice(text, type_end, (start + MAX + 1).min(text.len() as isize));
    if type_follows(lx, after, kind) {
        return None;
    }
    let type_first = if street.names == 0 { type_first_end(lx, after, type_word.word, kind) } else { -1 };
    if street.names == 0 && !kind.standalone && type_first < 0 {
        return None;
    }
    let street_end = type_end + type_first.max(0);
    if street_end - start > MAX {
        return None;
    }
    if is_copyright_line(text, street.start, floor, street_end) {
        return None;
    }
    let tail = read_tail(text, start, street_end, type_first < 0 && kind.abbreviation);
    if street.phrase && tail.locality.is_none() {
        return None;
    }
    let score = core_score(lx, kind, &street, after, street_end - type_end);
    Some(AddressCandidate {
        start: start as u32,
        end: tail.end as u32,
        score: final_score(score, &tail),
        core: Some(Core { end: street_end as u32, score }),
        bare_start: Some(street.start as u32),
    })
}

/// PO_BOX_BEFORE's group, the whole of `g`: "PO ", "P.O. ", "P. O.", "Post Office ".
fn is_po_box_group(g: &[u16]) -> bool {
    let body = match g.last() {
        Some(32) | Some(160) => &g[..g.len() - 1],
        _ => g,
    };
    let dotted = matches!(body, [80, 46, 79, 46] | [80, 46, 32, 79, 46] | [80, 46, 160, 79, 46]);
    dotted || ascii_eq(body, "PO") || ascii_eq(body, "Post Office") || ascii_eq(body, "POST OFFICE")
}

/// PO_BOX_NUMBER = /[ \u00A0]#?[0-9]{1,7}(?:-[0-9]{1,4})?(?![\p{L}\p{N}])/uy at `at`: its end or -1.
fn po_box_number_end(text: &[u16], at: isize) -> isize {
    if !is_gap(code_at(text, at)) {
        return -1;
    }
    let mut p = at + 1;
    if code_at(text, p) == 35 {
        p += 1;
    }
    let digits = p;
    while is_digit(code_at(text, p)) {
        p += 1;
    }
    if p == digits || p - digits > 7 {
        return -1;
    }
    if code_at(text, p) == 45 {
        let mut q = p + 1;
        while is_digit(code_at(text, q)) {
            q += 1;
        }
        if (1..=4).contains(&(q - p - 1)) && !letter_or_digit_at(text, q) {
            return q;
        }
        return p; // the dash is no letter or digit
    }
    if letter_or_digit_at(text, p) {
        -1
    } else {
        p
    }
}

/// "PO Box 1234", "P.O. Box 42, Springfield, IL 62704".
fn po_box_candidate(text: &[u16], box_start: isize, box_end: isize, floor: isize) -> Option<AddressCandidate> {
    let s = slice(text, floor.max(box_start - 14), box_start);
    let g = leftmost_group(s, is_po_box_group)?;
    let start = box_start - (s.len() - g) as isize;
    let number_end = po_box_number_end(text, box_end);
    if number_end < 0 || number_end - start > MAX {
        return None;
    }
    let tail = read_tail(text, start, number_end, false);
    Some(AddressCandidate {
        start: start as u32,
        end: tail.end as u32,
        score: final_score(SCORE_PO_BOX, &tail),
        core: Some(Core { end: number_end as u32, score: SCORE_PO_BOX }),
        bare_start: None,
    })
}

/// A street type (or "Box") ends here: no letter, digit or "_" after it.
fn is_anchor_end(text: &[u16], end: isize) -> bool {
    let code = code_at(text, end);
    if code < 128 {
        return !(is_ascii_letter(code) || is_digit(code) || code == 95);
    }
    !is_alnum_at(text, end)
}

fn candidate_at(lx: &'static Lexicon, text: &[u16], start: isize, end: isize, floor: isize) -> Option<AddressCandidate> {
    let is_box = end - start == 3 && (starts_with_ascii(text, start, "Box") || starts_with_ascii(text, start, "BOX"));
    if is_box {
        po_box_candidate(text, start, end, floor)
    } else {
        street_candidate(lx, text, start, end, floor)
    }
}

/// isTokenChar's kind: 1 for an ASCII letter, 2 for the other token characters, 0 for none.
#[inline]
fn token_kind(text: &[u16], index: isize) -> u8 {
    let code = code_at(text, index);
    if is_ascii_letter(code) {
        1
    } else if is_token_char(text, index) {
        2
    } else {
        0
    }
}

/// `token_kind` of each ASCII unit.
const TOKEN_KINDS: [u8; 128] = {
    let mut kinds = [0u8; 128];
    let mut code = 0;
    while code < 128 {
        let c = code as u8;
        kinds[code] = if c.is_ascii_alphabetic() {
            1
        } else if c.is_ascii_digit() || c == b'\'' || c == b'-' || c == b'.' {
            2
        } else {
            0
        };
        code += 1;
    }
    kinds
};

/// For each ASCII first character, a bit per length of the street types that start with it.
fn type_lengths(lx: &Lexicon) -> &'static [u16; 128] {
    static TABLE: std::sync::OnceLock<[u16; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u16; 128];
        for (word, _) in &lx.street_types {
            if let Some(&first) = word.first() {
                if first < 128 && word.len() < 16 {
                    table[first as usize] |= 1 << word.len();
                }
            }
        }
        table
    })
}

/// The street types reachable from house numbers (see the TS): pairs [start, end) in order.
fn type_words_after(lx: &'static Lexicon, text: &[u16], gaps: &[u32], out: &mut Vec<isize>) {
    let mut last: isize = -1;
    let len = text.len() as isize;
    for &gap in gaps {
        let mut p = gap as isize + 1;
        for _ in 0..=MAX_NAME_WORDS {
            let first = code_at(text, p);
            if first < 128 && !(is_digit(first) || (65..=90).contains(&first)) {
                break;
            }
            let mut end = p;
            let mut letters: isize = -1;
            for &code in slice(text, p, len.min(p + MAX_TOKEN)) {
                // (An ASCII unit's kind comes from a table, not from a chain of comparisons
                // whose branches often go wrong along a word.)
                let kind = match TOKEN_KINDS.get(code as usize) {
                    Some(&kind) => kind,
                    None => token_kind(text, end),
                };
                if kind == 0 {
                    break;
                }
                letters = if kind == 2 && letters < 0 { end } else { letters };
                end += 1;
            }
            if end == p || end - p >= MAX_TOKEN {
                break;
            }
            if letters < 0 {
                letters = end;
            }
            let length = letters - p;
            if p > last
                && length < 16
                && first < 128
                && type_lengths(lx)[first as usize] & (1 << length) != 0
                && is_anchor_end(text, letters)
                && lx.street_type(slice(text, p, letters)).is_some()
            {
                out.push(p);
                out.push(letters);
                last = p;
            }
            if !is_gap(code_at(text, end)) {
                break;
            }
            p = end + 1;
        }
    }
}

/// Code units a box-word block tests at once.
const BOX_BLOCK: usize = 64;

/// Pushes the box word starting at `at` (0 < at, at + 3 <= text.len()), if one does.
#[inline]
fn box_word_at(text: &[u16], at: usize, out: &mut Vec<isize>) {
    let (Some(&before), Some(&[b, o, x])) = (text.get(at.wrapping_sub(1)), text.get(at..at + 3)) else { return };
    let word = b == 66 && ((o == 111 && x == 120) || (o == 79 && x == 88));
    if word && is_gap(before as i32) && is_anchor_end(text, at as isize + 3) {
        out.push(at as isize);
        out.push(at as isize + 3);
    }
}

/// "Box" and "BOX" with a space before, as the anchor finds them: pairs [start, end) in order.
fn box_words(text: &[u16], out: &mut Vec<isize>) {
    if text.len() < 3 {
        return;
    }
    let last = text.len() - 3; // the last start with room for "Box"
    if text.len() < BOX_BLOCK {
        for at in 1..=last {
            box_word_at(text, at, out);
        }
        return;
    }
    // Only a "B" can start one. Each block of BOX_BLOCK units is tested for one without a branch
    // per unit (comparisons the compiler makes vector ones), and only where a "B" stands is a
    // word tried. The last block ends at the text's end, overlapping the one before: the starts
    // that one covered are skipped.
    let mut done = 0; // the starts before it are tried
    while done <= last {
        let start = done.min(text.len() - BOX_BLOCK);
        let Some(units) = text.get(start..start + BOX_BLOCK).and_then(|b| <&[u16; BOX_BLOCK]>::try_from(b).ok()) else { return };
        if units.iter().fold(0u16, |any, &c| any | (c == 66) as u16) != 0 {
            // One bit a unit, so that one loop visits the B's (a loop per eight units ended
            // on branches that often went wrong).
            let lanes: [u8; BOX_BLOCK] = std::array::from_fn(|k| (units[k] == 66) as u8);
            let mut bits = crate::text_scan::bits_of_lanes(&lanes);
            while bits != 0 {
                let at = start + bits.trailing_zeros() as usize;
                if at >= done && at <= last {
                    box_word_at(text, at, out);
                }
                bits &= bits - 1;
            }
        }
        done = start + BOX_BLOCK;
    }
}

/// US and UK addresses (and PO boxes), in order, not overlapping, appended to `out`.
/// `house_number_gaps`: the text scan's TextScan::house_number_gaps.
pub fn find_number_first_addresses(text: &[u16], house_number_gaps: &[u32], out: &mut Vec<AddressCandidate>) {
    let Some(lx) = lexicon() else { return };
    ANCHORS.with(|cell| {
        let mut anchors = cell.borrow_mut();
        let (types, boxes) = &mut *anchors;
        types.clear();
        boxes.clear();
        type_words_after(lx, text, house_number_gaps, types);
        box_words(text, boxes);
        let mut floor: isize = 0;
        let (mut t, mut b) = (0, 0);
        while t + 1 < types.len() || b + 1 < boxes.len() {
            let take_type = b + 1 >= boxes.len() || (t + 1 < types.len() && types[t] < boxes[b]);
            let (start, end) = if take_type { (types[t], types[t + 1]) } else { (boxes[b], boxes[b + 1]) };
            if take_type {
                t += 2;
            } else {
                b += 2;
            }
            if start < floor {
                continue;
            }
            if let Some(candidate) = candidate_at(lx, text, start, end, floor) {
                floor = candidate.end as isize;
                out.push(candidate);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// box_words read the slow way: every start, one at a time.
    fn naive_box_words(text: &[u16]) -> Vec<isize> {
        let mut out = Vec::new();
        for at in 1..text.len().saturating_sub(2) {
            box_word_at(text, at, &mut out);
        }
        out
    }

    #[test]
    fn box_words_finds_what_a_search_from_every_start_finds() {
        let alphabet: Vec<u16> = "BBoxOX  a1\u{a0}.-é".encode_utf16().collect();
        let mut seed = 20251126u64;
        let mut random = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound
        };
        let mut found = 0;
        for _ in 0..5000 {
            let length = random(300);
            let mut text: Vec<u16> = (0..length).map(|_| alphabet[random(alphabet.len())]).collect();
            // Plant box words at random places, block edges and the text's end included.
            for _ in 0..random(5) {
                let word: Vec<u16> = [" Box ", " BOX", " Box", "\u{a0}BOX."][random(4)].encode_utf16().collect();
                let at = [63, 64, 127, 128, length.saturating_sub(4), length.saturating_sub(3), random(length + 1)][random(7)];
                for (k, &c) in word.iter().enumerate() {
                    if let Some(slot) = text.get_mut(at + k) {
                        *slot = c;
                    }
                }
            }
            let mut fast = Vec::new();
            box_words(&text, &mut fast);
            let slow = naive_box_words(&text);
            assert_eq!(fast, slow, "{:?}", String::from_utf16_lossy(&text));
            found += slow.len();
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn token_kinds_table_is_token_kind() {
        // isTokenChar on ASCII: letters, digits, ' - . (a letter is kind 1, the others 2).
        for code in 0..128u16 {
            let c = code as u8 as char;
            let expected = if c.is_ascii_alphabetic() {
                1
            } else if c.is_ascii_digit() || "'-.".contains(c) {
                2
            } else {
                0
            };
            assert_eq!(TOKEN_KINDS[code as usize], expected, "{code}");
            assert_eq!(token_kind(&[code], 0), expected, "{code}");
            assert_eq!(is_token_char(&[code], 0), expected != 0, "{code}");
        }
    }
}
