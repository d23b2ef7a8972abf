//! Port of src/pii/recognizers/address-tail.ts: see there for the rules. Each matcher reads
//! `text` from `at` and returns the end of what it recognised or -1.
//!
//! The TypeScript expressions are ported as hand-written backtracking readers in continuation
//! style: each piece takes the position and `k`, the rest of the expression, and tries its
//! choices in the order the expression would (greedy quantifiers longest first, alternatives
//! left to right), so the first end `k` accepts is the expression's match. Classes of single BMP
//! characters are read by code unit (a surrogate is in none of them); \p{..} classes and the
//! final (?![\p{L}\p{N}]) read a code point, as the `u` flag does.

use super::address_lexicon::{code_point_at, letter_or_digit_at, lexicon, Lexicon};
use super::address_postcode::{key3, match_german_plz, match_uk_postcode, match_us_state, match_us_zip};
use crate::chars::{code_at, is_ascii_word};

/// The longest address reported, in UTF-16 code units (address-tail.ts MAX_ADDRESS_LENGTH).
pub const MAX_ADDRESS_LENGTH: usize = 150;

/// The rest of an expression: the end of the whole match from this position, or -1.
type K<'a> = &'a mut dyn FnMut(isize) -> isize;

// ---- expression pieces ----

/// `c?` (greedy) for a one-unit class.
#[inline]
fn opt(text: &[u16], p: isize, class: fn(i32) -> bool, k: K) -> isize {
    if class(code_at(text, p)) {
        let r = k(p + 1);
        if r >= 0 {
            return r;
        }
    }
    k(p)
}

/// `c{min,max}` (greedy) for a one-unit class.
#[inline]
fn rep(text: &[u16], p: isize, class: fn(i32) -> bool, min: isize, max: isize, k: K) -> isize {
    let mut n = 0;
    while n < max && class(code_at(text, p + n)) {
        n += 1;
    }
    let mut c = n;
    while c >= min {
        let r = k(p + c);
        if r >= 0 {
            return r;
        }
        c -= 1;
    }
    -1
}

/// `c{min,max}` (greedy) for a class of code points (at most 28 of them here).
fn rep_code_points(text: &[u16], p: isize, class: &dyn Fn(u32) -> bool, min: usize, max: usize, k: K) -> isize {
    let mut ends = [0isize; 32];
    ends[0] = p;
    let mut n = 0usize;
    while n < max && n + 1 < ends.len() {
        match code_point_at(text, ends[n]) {
            Some((cp, length)) if class(cp) => {
                ends[n + 1] = ends[n] + length as isize;
                n += 1;
            }
            _ => break,
        }
    }
    let mut c = n;
    loop {
        if c < min {
            return -1;
        }
        let r = k(ends[c]);
        if r >= 0 {
            return r;
        }
        if c == 0 {
            return -1;
        }
        c -= 1;
    }
}

/// The length of `word` when `text` holds it at `p`.
#[inline]
fn word_at(text: &[u16], p: isize, word: &str) -> Option<isize> {
    if p < 0 {
        return None;
    }
    let mut i = p as usize;
    // Most words fail on their first character: an ASCII one is compared before decoding.
    if let Some(&b) = word.as_bytes().first() {
        if b < 128 && text.get(i).is_none_or(|&c| c != b as u16) {
            return None;
        }
    }
    for unit in word.encode_utf16() {
        if text.get(i) != Some(&unit) {
            return None;
        }
        i += 1;
    }
    Some(i as isize - p)
}

/// `(?:w1|w2|...)`: the words in order.
fn alts(text: &[u16], p: isize, words: &[&str], k: K) -> isize {
    for word in words {
        if let Some(length) = word_at(text, p, word) {
            let r = k(p + length);
            if r >= 0 {
                return r;
            }
        }
    }
    -1
}

/// `(?![\p{L}\p{N}])` closing an expression.
fn not_alnum_after(text: &[u16]) -> impl FnMut(isize) -> isize + '_ {
    move |q| if letter_or_digit_at(text, q) { -1 } else { q }
}

fn is_comma(c: i32) -> bool {
    c == 44
}
fn is_dot(c: i32) -> bool {
    c == 46
}
fn is_cr(c: i32) -> bool {
    c == 13
}
fn is_hash(c: i32) -> bool {
    c == 35
}
/// [ \u00A0]
fn is_gap(c: i32) -> bool {
    c == 32 || c == 0xa0
}
/// [ \t\u00A0]
fn is_gap_or_tab(c: i32) -> bool {
    c == 32 || c == 9 || c == 0xa0
}
/// [ \t]
fn is_space_or_tab(c: i32) -> bool {
    c == 32 || c == 9
}
/// [-–]
fn is_dash(c: i32) -> bool {
    c == 45 || c == 0x2013
}
fn is_digit(c: i32) -> bool {
    (48..=57).contains(&c)
}
fn is_upper(c: i32) -> bool {
    (65..=90).contains(&c)
}
fn is_lower_ascii(c: i32) -> bool {
    (97..=122).contains(&c)
}
/// [A-Za-z0-9]
fn is_ascii_alnum(c: i32) -> bool {
    is_digit(c) || is_upper(c) || is_lower_ascii(c)
}
/// [a-zA-Z]
fn is_ascii_letter(c: i32) -> bool {
    is_upper(c) || is_lower_ascii(c)
}

// ---- gaps ----

/// The end of /,?(?:[ \t\u00A0]{0,2}\r?\n[ \t]{0,4}|[ \t\u00A0]{1,2})/y at `at` (no tab in the
/// brackets when `tabs` is false), or -1.
pub fn gap_end(text: &[u16], at: isize, tabs: bool) -> isize {
    let mut i = at;
    if code_at(text, i) == 44 {
        i += 1;
    }
    let mut spaces = 0;
    while spaces < 2 && is_gap_space(code_at(text, i + spaces), tabs) {
        spaces += 1;
    }
    let mut break_end = i + spaces;
    let code = code_at(text, break_end);
    if code == 13 && code_at(text, break_end + 1) == 10 {
        break_end += 2;
    } else if code == 10 {
        break_end += 1;
    } else {
        return if spaces > 0 { i + spaces } else { -1 };
    }
    let mut indent = 0;
    while indent < 4 && is_space_or_tab(code_at(text, break_end + indent)) {
        indent += 1;
    }
    break_end + indent
}

#[inline]
fn is_gap_space(code: i32, tabs: bool) -> bool {
    code == 32 || code == 0xa0 || (tabs && code == 9)
}

fn separator(text: &[u16], at: isize) -> isize {
    gap_end(text, at, true)
}

/// A separator that breaks a group: it starts with a comma or holds a line break.
fn breaks_group(text: &[u16], at: isize, end: isize) -> bool {
    if code_at(text, at) == 44 {
        return true;
    }
    (at..end).any(|i| code_at(text, i) == 10)
}

// ---- directional ----

/// "1600 Pennsylvania Avenue NW": /[ \u00A0](?:[NS]\.[EW]\.|[NS][EW]|[NSEW]\.?)(?![\p{L}\p{N}])/uy.
pub fn match_directional(text: &[u16], at: isize) -> isize {
    let space = code_at(text, at);
    let letter = code_at(text, at + 1);
    if !is_gap(space) || !(letter == 78 || letter == 83 || letter == 69 || letter == 87) {
        return -1;
    }
    let mut k = not_alnum_after(text);
    let p = at + 1;
    let ns = letter == 78 || letter == 83;
    let ew = |c: i32| c == 69 || c == 87;
    if ns && code_at(text, p + 1) == 46 && ew(code_at(text, p + 2)) && code_at(text, p + 3) == 46 {
        let r = k(p + 4);
        if r >= 0 {
            return r;
        }
    }
    if ns && ew(code_at(text, p + 1)) {
        let r = k(p + 2);
        if r >= 0 {
            return r;
        }
    }
    opt(text, p + 1, is_dot, &mut k)
}

// ---- units ----

const UNIT_WORDS: &[&str] = &[
    "Apartment", "Apt", "Suite", "Ste", "Unit", "Floor", "Fl", "Room", "Rm", "Building", "Bldg", "Dept", "Lot", "Flat",
    "APARTMENT", "APT", "SUITE", "STE", "UNIT", "FLOOR", "FL", "ROOM", "RM", "BUILDING", "BLDG", "DEPT", "LOT", "FLAT",
];
const FLOOR_ORDINALS: &[&str] = &[
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth",
    "Ground", "Top", "FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH",
    "GROUND",
];
/// Longest separator UNIT allows before the unit: ",  \r\n    ".
const MAX_UNIT_GAP: isize = 9;

/// (?:,?[ \t\u00A0]{0,2}\r?\n[ \t]{0,4}|,?[ \t\u00A0]{1,2}|[ \u00A0][-–][ \u00A0]): the separator
/// before a unit, then `k`.
fn unit_separator(text: &[u16], at: isize, k: K) -> isize {
    let r = opt(text, at, is_comma, &mut |p| {
        rep(text, p, is_gap_or_tab, 0, 2, &mut |q| {
            opt(text, q, is_cr, &mut |s| if code_at(text, s) == 10 { rep(text, s + 1, is_space_or_tab, 0, 4, k) } else { -1 })
        })
    });
    if r >= 0 {
        return r;
    }
    let r = opt(text, at, is_comma, &mut |p| rep(text, p, is_gap_or_tab, 1, 2, k));
    if r >= 0 {
        return r;
    }
    if is_gap(code_at(text, at)) && is_dash(code_at(text, at + 1)) && is_gap(code_at(text, at + 2)) {
        return k(at + 3);
    }
    -1
}

/// (?:-?[A-Za-z0-9]{1,3})? (greedy), then `k`.
fn opt_dash_alnum(text: &[u16], p: isize, k: K) -> isize {
    let r = opt(text, p, |c| c == 45, &mut |q| rep(text, q, is_ascii_alnum, 1, 3, k));
    if r >= 0 {
        return r;
    }
    k(p)
}

/// UNIT_ID: (?:[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?|[A-Z]{1,2}(?:-?[0-9]{1,4})?), then `k`.
fn unit_id(text: &[u16], p: isize, k: K) -> isize {
    let r = rep(text, p, is_digit, 1, 5, &mut |q| opt_dash_alnum(text, q, k));
    if r >= 0 {
        return r;
    }
    rep(text, p, is_upper, 1, 2, &mut |q| {
        let r = opt(text, q, |c| c == 45, &mut |s| rep(text, s, is_digit, 1, 4, k));
        if r >= 0 {
            return r;
        }
        k(q)
    })
}

/// The unit itself (after its separator), then `k`.
fn unit_body(text: &[u16], p: isize, k: K) -> isize {
    // (?:UNIT_WORDS)\.?[ \u00A0]?#?[ \u00A0]?UNIT_ID
    let r = alts(text, p, UNIT_WORDS, &mut |q| {
        opt(text, q, is_dot, &mut |q| {
            opt(text, q, is_gap, &mut |q| opt(text, q, is_hash, &mut |q| opt(text, q, is_gap, &mut |q| unit_id(text, q, k))))
        })
    });
    if r >= 0 {
        return r;
    }
    // #[ \u00A0]?[0-9]{1,5}(?:-?[A-Za-z0-9]{1,3})?
    if code_at(text, p) == 35 {
        let r = opt(text, p + 1, is_gap, &mut |q| rep(text, q, is_digit, 1, 5, &mut |s| opt_dash_alnum(text, s, k)));
        if r >= 0 {
            return r;
        }
    }
    // (?:[1-9][0-9]?(?:st|nd|rd|th)|FLOOR_ORDINALS)[ \u00A0](?:Floor|Fl\.?|FLOOR)
    let mut floor = |q: isize| -> isize {
        if !is_gap(code_at(text, q)) {
            return -1;
        }
        let q = q + 1;
        if let Some(n) = word_at(text, q, "Floor") {
            let r = k(q + n);
            if r >= 0 {
                return r;
            }
        }
        if word_at(text, q, "Fl").is_some() {
            let r = opt(text, q + 2, is_dot, k);
            if r >= 0 {
                return r;
            }
        }
        if let Some(n) = word_at(text, q, "FLOOR") {
            let r = k(q + n);
            if r >= 0 {
                return r;
            }
        }
        -1
    };
    let first = code_at(text, p);
    if (49..=57).contains(&first) {
        let r = opt(text, p + 1, is_digit, &mut |q| alts(text, q, &["st", "nd", "rd", "th"], &mut floor));
        if r >= 0 {
            return r;
        }
    }
    alts(text, p, FLOOR_ORDINALS, &mut floor)
}

/// Past the separator of commas, spaces and line breaks at `at` (at most MAX_UNIT_GAP, at
/// least one), or -1.
fn unit_start(text: &[u16], at: isize) -> isize {
    let mut q = at;
    loop {
        let code = code_at(text, q);
        if code != 44 && code != 32 && code != 9 && code != 0xa0 && code != 13 && code != 10 {
            break;
        }
        q += 1;
        if q - at > MAX_UNIT_GAP {
            return -1;
        }
    }
    if q == at {
        -1
    } else {
        q
    }
}

fn may_be_unit(text: &[u16], at: isize) -> bool {
    let q = unit_start(text, at);
    if q < 0 {
        return false;
    }
    let first = code_at(text, q);
    if first == 35 || (49..=57).contains(&first) || first == 45 || first == 0x2013 {
        return true;
    }
    let second = code_at(text, q + 1);
    let openers = unit_openers();
    openers.short.contains(&(first, second)) || openers.three.binary_search(&key3(first, second, code_at(text, q + 2))).is_ok()
}

/// The unit words' and floor ordinals' openings: the two-letter words whole (SHORT_UNIT_WORDS),
/// the first three letters of the rest (UNIT_OPENINGS, as sorted key3 numbers).
struct UnitOpeners {
    short: Vec<(i32, i32)>,
    three: Vec<i32>,
}

fn unit_openers() -> &'static UnitOpeners {
    static OPENERS: std::sync::OnceLock<UnitOpeners> = std::sync::OnceLock::new();
    OPENERS.get_or_init(|| {
        let words = || UNIT_WORDS.iter().chain(FLOOR_ORDINALS.iter()).map(|w| w.as_bytes());
        let short = words().filter(|b| b.len() == 2).map(|b| (b[0] as i32, b[1] as i32)).collect();
        let mut three: Vec<i32> = words().filter(|b| b.len() >= 3).map(|b| key3(b[0] as i32, b[1] as i32, b[2] as i32)).collect();
        three.sort_unstable();
        three.dedup();
        UnitOpeners { short, three }
    })
}

/// One unit after the street: "Apt 4B", ", Suite 3300", " #12", ", 5th Floor".
pub fn match_unit(text: &[u16], at: isize) -> isize {
    if lexicon().is_none() || !may_be_unit(text, at) {
        return -1;
    }
    let mut end = not_alnum_after(text);
    unit_separator(text, at, &mut |p| unit_body(text, p, &mut end))
}

// ---- German units ----

const GERMAN_UNIT_WORDS: &[&str] = &[
    "Whg", "Wohnung", "App", "Apt", "Appartement", "Apartment", "Haus", "Aufgang", "Eingang", "Zi", "Zimmer", "Raum", "Top",
    "Stiege", "Etage", "Stock",
];
const GERMAN_FLOORS: &[&str] = &["OG", "Obergeschoss", "Etage", "Stock", "Stockwerk", "UG", "Untergeschoss"];
const GERMAN_BUILDING_PARTS: &[&str] = &[
    "EG", "Erdgeschoss", "DG", "Dachgeschoss", "UG", "Untergeschoss", "Souterrain", "Hochparterre", "Parterre",
    "Hinterhaus", "Vorderhaus", "Seitenflügel", "Gartenhaus", "Hinterhof", "Quergebäude",
];
const GERMAN_SIDES: &[&str] = &["links", "rechts", "Mitte", "li.", "re."];

/// GERMAN_SIDE, (?:[ \u00A0](?:links|rechts|Mitte|li\.|re\.))? (greedy), then `k`.
fn german_side(text: &[u16], p: isize, k: K) -> isize {
    if is_gap(code_at(text, p)) {
        let r = alts(text, p + 1, GERMAN_SIDES, k);
        if r >= 0 {
            return r;
        }
    }
    k(p)
}

fn german_unit_body(text: &[u16], p: isize, k: K) -> isize {
    // (?:GERMAN_UNIT_WORDS)\.?[ \u00A0]?(?:[0-9]{1,4}[a-zA-Z]?|[A-Z])
    let r = alts(text, p, GERMAN_UNIT_WORDS, &mut |q| {
        opt(text, q, is_dot, &mut |q| {
            opt(text, q, is_gap, &mut |q| {
                let r = rep(text, q, is_digit, 1, 4, &mut |s| opt(text, s, is_ascii_letter, k));
                if r >= 0 {
                    return r;
                }
                if is_upper(code_at(text, q)) {
                    k(q + 1)
                } else {
                    -1
                }
            })
        })
    });
    if r >= 0 {
        return r;
    }
    // [1-9][0-9]?\.[ \u00A0]?(?:GERMAN_FLOORS)GERMAN_SIDE
    if (49..=57).contains(&code_at(text, p)) {
        let r = opt(text, p + 1, is_digit, &mut |q| {
            if code_at(text, q) != 46 {
                return -1;
            }
            opt(text, q + 1, is_gap, &mut |s| alts(text, s, GERMAN_FLOORS, &mut |t| german_side(text, t, k)))
        });
        if r >= 0 {
            return r;
        }
    }
    // (?:GERMAN_BUILDING_PARTS)GERMAN_SIDE
    alts(text, p, GERMAN_BUILDING_PARTS, &mut |q| german_side(text, q, k))
}

fn may_be_german_unit(text: &[u16], at: isize) -> bool {
    let q = unit_start(text, at);
    if q < 0 {
        return false;
    }
    let first = code_at(text, q);
    if first == 45 || first == 0x2013 {
        return true;
    }
    if (49..=57).contains(&first) {
        let second = code_at(text, q + 1);
        return second == 46 || (is_digit(second) && code_at(text, q + 2) == 46);
    }
    // GERMAN_UNIT_INITIALS: every German unit word and building part opens with an ASCII capital.
    (65..=90).contains(&first) && german_unit_initials() & (1 << (first - 65)) != 0
}

/// A bit per capital (A = bit 0) that opens a German unit word or building part.
fn german_unit_initials() -> u32 {
    static INITIALS: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *INITIALS.get_or_init(|| {
        let mut bits = 0u32;
        for word in GERMAN_UNIT_WORDS.iter().chain(GERMAN_BUILDING_PARTS.iter()) {
            match word.as_bytes().first() {
                Some(&c) if c.is_ascii_uppercase() => bits |= 1 << (c - 65),
                // The table above holds no other kind; a word opening otherwise would need one.
                _ => bits = u32::MAX,
            }
        }
        bits
    })
}

/// One German unit after the house number: ", Whg. 3", ", 2. OG", ", Hinterhaus".
pub fn match_german_unit(text: &[u16], at: isize) -> isize {
    if lexicon().is_none() || !may_be_german_unit(text, at) {
        return -1;
    }
    let mut end = not_alnum_after(text);
    unit_separator(text, at, &mut |p| german_unit_body(text, p, &mut end))
}

// ---- cities ----

const CITY_PREFIXES: &[&str] = &["St", "Ft", "Mt", "Pt", "ST", "FT", "MT", "PT"];

/// \p{Lu}[\p{L}'’-]{0,28}\p{Ll}, then `k`.
fn title_word(lx: &Lexicon, text: &[u16], p: isize, k: K) -> isize {
    let Some((cp, length)) = code_point_at(text, p) else { return -1 };
    if !lx.upper.has(cp) {
        return -1;
    }
    let inner = |c: u32| c == 39 || c == 0x2019 || c == 45 || lx.letter.has(c);
    rep_code_points(text, p + length as isize, &inner, 0, 28, &mut |q| match code_point_at(text, q) {
        Some((c, l)) if lx.lower.has(c) => k(q + l as isize),
        _ => -1,
    })
}

/// The two forms of CITY_WORD after its prefix: (?:\p{Lu}[\p{L}'’-]{0,28}\p{Ll}|\p{Lu}[\p{Lu}'’-]{1,28}).
fn city_word_core(lx: &Lexicon, text: &[u16], p: isize, k: K) -> isize {
    let r = title_word(lx, text, p, k);
    if r >= 0 {
        return r;
    }
    let Some((cp, length)) = code_point_at(text, p) else { return -1 };
    if !lx.upper.has(cp) {
        return -1;
    }
    let caps = |c: u32| c == 39 || c == 0x2019 || c == 45 || lx.upper.has(c);
    rep_code_points(text, p + length as isize, &caps, 1, 28, k)
}

/// CITY_WORD at `at`: (?:(?:St|Ft|Mt|Pt|ST|FT|MT|PT)\.?[ \u00A0])?(?:...)(?![\p{L}\p{N}]).
fn city_word_expression(lx: &Lexicon, text: &[u16], at: isize) -> isize {
    let mut end = not_alnum_after(text);
    let r = alts(text, at, CITY_PREFIXES, &mut |q| {
        opt(text, q, is_dot, &mut |s| if is_gap(code_at(text, s)) { city_word_core(lx, text, s + 1, &mut end) } else { -1 })
    });
    if r >= 0 {
        return r;
    }
    city_word_core(lx, text, at, &mut end)
}

/// The end of a city word at `at` (address-tail.ts `cityWordEnd`), or -1.
pub fn city_word_end(text: &[u16], at: isize) -> isize {
    let Some(lx) = lexicon() else { return -1 };
    let first = code_at(text, at);
    if first < 128 && !is_upper(first) {
        return -1;
    }
    if first < 128 {
        let mut end = at + 1;
        while end - at < 31 && is_lower_ascii(code_at(text, end)) {
            end += 1;
        }
        let next = code_at(text, end);
        let plain_end = next < 128 && !(next >= 0 && is_ascii_word(next as u16)) && next != 39 && next != 45;
        let length = end - at;
        if plain_end && (2..=30).contains(&length) && !(length == 2 && is_city_prefix(first, code_at(text, at + 1))) {
            return end;
        }
    }
    // A sticky /u expression started on the trail of a surrogate pair starts at its lead (V8).
    let start = if (0xdc00..=0xdfff).contains(&first) && (0xd800..=0xdbff).contains(&code_at(text, at - 1)) {
        at - 1
    } else {
        at
    };
    city_word_expression(lx, text, start)
}

fn is_city_prefix(first: i32, second: i32) -> bool {
    second == 116 && (first == 83 || first == 70 || first == 77 || first == 80)
}

const CITY_LINK_WORDS: &[&str] =
    &["upon", "on", "le", "la", "de", "du", "des", "am", "an der", "an", "im", "in", "ob der", "bei", "sur", "en"];

/// /[ \u00A0](?:(?:upon|on|...|en)[ \u00A0])?/y at `p`: its end, or -1.
fn city_link(text: &[u16], p: isize) -> isize {
    if !is_gap(code_at(text, p)) {
        return -1;
    }
    let r = alts(text, p + 1, CITY_LINK_WORDS, &mut |q| if is_gap(code_at(text, q)) { q + 1 } else { -1 });
    if r >= 0 {
        r
    } else {
        p + 1
    }
}
const MAX_CITY_WORDS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalityKind {
    State,
    StateZip,
    Postcode,
    CityPostcode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locality {
    pub end: isize,
    pub kind: LocalityKind,
}

/// What closes a locality: a UK postcode, or a US state with its ZIP.
fn terminal(text: &[u16], at: isize, after_city: bool) -> Option<Locality> {
    let postcode = match_uk_postcode(text, at);
    if postcode >= 0 {
        let kind = if after_city { LocalityKind::CityPostcode } else { LocalityKind::Postcode };
        return Some(Locality { end: postcode, kind });
    }
    let state = match_us_state(text, at);
    if state < 0 {
        return None;
    }
    let gap = gap_end(text, state, false);
    if gap >= 0 {
        let zip = match_us_zip(text, gap);
        if zip >= 0 {
            return Some(Locality { end: zip, kind: LocalityKind::StateZip });
        }
    }
    if after_city {
        Some(Locality { end: state, kind: LocalityKind::State })
    } else {
        None
    }
}

/// ", Washington, DC 20500", " Springfield, IL 62704", ", London SW1A 2AA", ", SW1A 2AA".
pub fn match_locality(text: &[u16], at: isize) -> Option<Locality> {
    lexicon()?;
    let first = separator(text, at);
    if first < 0 {
        return None;
    }
    if let Some(direct) = terminal(text, first, false) {
        return Some(direct);
    }
    let mut p = first;
    let mut groups = 1;
    for _ in 0..MAX_CITY_WORDS {
        p = city_word_end(text, p);
        if p < 0 {
            return None;
        }
        let next = separator(text, p);
        if next >= 0 {
            if let Some(closed) = terminal(text, next, true) {
                return Some(closed);
            }
        }
        if next >= 0 && breaks_group(text, p, next) {
            if groups == 2 {
                return None;
            }
            groups += 1;
            p = next;
        } else {
            let link = city_link(text, p);
            if link < 0 {
                return None;
            }
            p = link;
        }
    }
    None
}

/// True when text[at] closes a value (address-tail.ts `closesValue`).
fn closes_value(lx: &Lexicon, text: &[u16], at: isize, at_end: bool) -> bool {
    let length = text.len() as isize;
    if at >= length {
        return at_end;
    }
    match code_at(text, at) {
        34 | 39 | 41 | 93 | 125 | 59 | 124 | 60 | 10 | 13 | 0x201d | 0x2019 => true,
        46 | 33 | 63 => {
            if at + 1 >= length {
                return at_end;
            }
            let next = code_at(text, at + 1);
            next == 34 || next == 39 || next == 41 || next == 93 || (next >= 0 && lx.space.has(next as u32))
        }
        44 => code_at(text, at + 1) == 32 && is_lower_ascii(code_at(text, at + 2)),
        32 => code_at(text, at + 1) == 40 || small_word_at(lx, text, at + 1),
        _ => false,
    }
}

fn small_word_at(lx: &Lexicon, text: &[u16], at: isize) -> bool {
    let mut end = at;
    while end < at + 9 && is_lower_ascii(code_at(text, end)) {
        end += 1;
    }
    if end == at || end == at + 9 {
        return false;
    }
    let next = code_at(text, end);
    if is_lower_ascii(next) || is_upper(next) || is_digit(next) {
        return false;
    }
    text.get(at as usize..end as usize).is_some_and(|word| lx.words_after_town.contains(word))
}

/// ", Cardiff" after a street when nothing but the end of the value follows: its end, or -1.
pub fn match_closed_town(text: &[u16], at: isize, at_end: bool) -> isize {
    let Some(lx) = lexicon() else { return -1 };
    if code_at(text, at) != 44 {
        return -1;
    }
    let mut p = at + 1;
    while p < at + 3 && (code_at(text, p) == 32 || code_at(text, p) == 160) {
        p += 1;
    }
    if p == at + 1 {
        return -1;
    }
    for _ in 0..3 {
        p = city_word_end(text, p);
        if p < 0 {
            return -1;
        }
        if closes_value(lx, text, p, at_end) {
            return p;
        }
        p = city_link(text, p);
        if p < 0 {
            return -1;
        }
    }
    -1
}

/// The dot after "St", "Ave" belongs to the address when a field or bracket closes it.
pub fn abbreviation_dot_closes(text: &[u16], dot: isize, at_end: bool) -> bool {
    let Some(lx) = lexicon() else { return false };
    let next = dot + 1;
    if next >= text.len() as isize {
        return false;
    }
    let code = code_at(text, next);
    if code == 32 || code == 9 {
        return code_at(text, next + 1) == 40;
    }
    if code == 10 || code == 13 || code == 46 {
        return false;
    }
    code == 44 || closes_value(lx, text, next, at_end)
}

// ---- German locality ----

const GERMAN_CITY_OPENERS: &[&str] = &["Bad", "Sankt", "St."];
const GERMAN_CITY_LINKS: &[&str] = &["am", "an der", "an", "im", "in", "ob der", "bei", "vor der", "auf", "unter"];
const GERMAN_CITY_REGIONS: &[&str] = &["Br", "Bay", "Opf", "Ob"];

/// GERMAN_CITY after its opener: a word, then one of the longer forms or none, then `k`.
fn german_city_rest(lx: &Lexicon, text: &[u16], p: isize, k: K) -> isize {
    title_word(lx, text, p, &mut |q| {
        if is_gap(code_at(text, q)) {
            // [ \u00A0](?:am|an der|...)[ \u00A0]WORD
            let r = alts(text, q + 1, GERMAN_CITY_LINKS, &mut |s| {
                if is_gap(code_at(text, s)) {
                    title_word(lx, text, s + 1, k)
                } else {
                    -1
                }
            });
            if r >= 0 {
                return r;
            }
            // [ \u00A0]\(WORD\)
            if code_at(text, q + 1) == 40 {
                let r = title_word(lx, text, q + 2, &mut |s| if code_at(text, s) == 41 { k(s + 1) } else { -1 });
                if r >= 0 {
                    return r;
                }
            }
            // [ \u00A0]i\.[ \u00A0]?(?:Br|Bay|Opf|Ob)\.
            if code_at(text, q + 1) == 105 && code_at(text, q + 2) == 46 {
                let r = opt(text, q + 3, is_gap, &mut |s| {
                    alts(text, s, GERMAN_CITY_REGIONS, &mut |t| if code_at(text, t) == 46 { k(t + 1) } else { -1 })
                });
                if r >= 0 {
                    return r;
                }
            }
        }
        k(q)
    })
}

/// ", 10117 Berlin", " 80331 München", "\n40212 Düsseldorf": a PLZ and its town; the end or -1.
pub fn match_german_locality(text: &[u16], at: isize) -> isize {
    let Some(lx) = lexicon() else { return -1 };
    let sep = separator(text, at);
    if sep < 0 {
        return -1;
    }
    let plz = match_german_plz(text, sep);
    if plz < 0 {
        return -1;
    }
    let code = code_at(text, plz);
    if code != 32 && code != 160 {
        return -1;
    }
    let start = plz + 1;
    let mut end = not_alnum_after(text);
    let r = alts(text, start, GERMAN_CITY_OPENERS, &mut |q| {
        if is_gap(code_at(text, q)) {
            german_city_rest(lx, text, q + 1, &mut end)
        } else {
            -1
        }
    });
    if r >= 0 {
        return r;
    }
    german_city_rest(lx, text, start, &mut end)
}

// ---- country ----

const COUNTRY_INITIALS: &[u8] = b"UGESWND";

/// COUNTRIES, in order ("United States(?: of America)?" tried with its tail first), then `k`.
fn country_name(text: &[u16], p: isize, k: K) -> isize {
    const BEFORE: &[&str] = &["USA", "U.S.A."];
    const AFTER: &[&str] = &[
        "UNITED STATES", "UK", "U.K.", "United Kingdom", "UNITED KINGDOM", "Great Britain", "England", "Scotland", "Wales",
        "Northern Ireland", "Germany", "GERMANY", "Deutschland", "DEUTSCHLAND",
    ];
    let r = alts(text, p, BEFORE, k);
    if r >= 0 {
        return r;
    }
    if let Some(n) = word_at(text, p, "United States") {
        let q = p + n;
        if let Some(m) = word_at(text, q, " of America") {
            let r = k(q + m);
            if r >= 0 {
                return r;
            }
        }
        let r = k(q);
        if r >= 0 {
            return r;
        }
    }
    alts(text, p, AFTER, k)
}

fn may_be_country(text: &[u16], at: isize) -> bool {
    let mut q = at;
    loop {
        let code = code_at(text, q);
        if code != 44 && code != 32 && code != 9 && code != 0xa0 && code != 13 && code != 10 {
            break;
        }
        q += 1;
        if q - at > 3 {
            return false;
        }
    }
    let next = code_at(text, q);
    q > at && COUNTRY_INITIALS.iter().any(|&c| c as i32 == next)
}

/// ", USA", ", United Kingdom", ", Deutschland" after a postcode: its end, or -1.
pub fn match_country(text: &[u16], at: isize) -> isize {
    if lexicon().is_none() || !may_be_country(text, at) {
        return -1;
    }
    let mut end = not_alnum_after(text);
    // ,?(?:[ \t\u00A0]{1,2}|\r?\n)
    opt(text, at, is_comma, &mut |p| {
        let r = rep(text, p, is_gap_or_tab, 1, 2, &mut |q| country_name(text, q, &mut end));
        if r >= 0 {
            return r;
        }
        opt(text, p, is_cr, &mut |q| if code_at(text, q) == 10 { country_name(text, q + 1, &mut end) } else { -1 })
    })
}
