//! Port of src/pii/recognizers/address-postcode.ts: see there for the rules. Each matcher reads
//! `text` from `at` and returns the end of its match (exclusive) or -1; all answer -1 before the
//! lexicon is configured.

use super::address_lexicon::{area_key, letter_or_digit_at, lexicon, starts_with_ascii};
use crate::chars::code_at;

#[inline]
fn is_upper(code: i32) -> bool {
    (65..=90).contains(&code)
}

#[inline]
fn is_digit_code(code: i32) -> bool {
    (48..=57).contains(&code)
}

/// By capital (code - 65): bit 1 for a letter never in the inward code, bit 2 for one allowed
/// after a one-letter area's district digit (A9A), bit 4 after a two-letter area's (AA9A).
const fn uk_letters() -> [u8; 26] {
    let mut table = [0u8; 26];
    let never = b"CIKMOV";
    let mut i = 0;
    while i < never.len() {
        table[(never[i] - 65) as usize] |= 1;
        i += 1;
    }
    let one = b"ABCDEFGHJKPSTUW";
    i = 0;
    while i < one.len() {
        table[(one[i] - 65) as usize] |= 2;
        i += 1;
    }
    let two = b"ABEHMNPRVWXY";
    i = 0;
    while i < two.len() {
        table[(two[i] - 65) as usize] |= 4;
        i += 1;
    }
    table
}
const UK_LETTER: [u8; 26] = uk_letters();
const INWARD_EXCLUDED: u8 = 1;

#[inline]
fn uk_letter(code: i32) -> u8 {
    if is_upper(code) {
        UK_LETTER[(code - 65) as usize]
    } else {
        0
    }
}

fn may_be_uk_postcode(text: &[u16], at: isize) -> bool {
    if !is_upper(code_at(text, at)) {
        return false;
    }
    let second = code_at(text, at + 1);
    if is_digit_code(second) {
        return true;
    }
    is_upper(second) && (is_digit_code(code_at(text, at + 2)) || starts_with_gir(text, at))
}

fn starts_with_gir(text: &[u16], at: isize) -> bool {
    at >= 0 && starts_with_ascii(text, at as usize, b"GIR")
}

/// The end of " ?[0-9][A-Z][A-Z](?![\p{L}\p{N}])" at `at`, or -1.
fn inward_end(text: &[u16], at: isize) -> isize {
    let q = if code_at(text, at) == 32 { at + 1 } else { at };
    if !is_digit_code(code_at(text, q)) || !is_upper(code_at(text, q + 1)) || !is_upper(code_at(text, q + 2)) {
        return -1;
    }
    if letter_or_digit_at(text, q + 3) {
        -1
    } else {
        q + 3
    }
}

/// /GIR ?0AA(?![\p{L}\p{N}])/uy at `at` (Girobank's postcode): its end, or -1.
fn uk_special(text: &[u16], at: isize) -> isize {
    let mut p = at + 3;
    if code_at(text, p) == 32 {
        p += 1;
    }
    if p >= 0 && starts_with_ascii(text, p as usize, b"0AA") && !letter_or_digit_at(text, p + 3) {
        p + 3
    } else {
        -1
    }
}

/// A UK postcode at `at`: its end, or -1.
pub fn match_uk_postcode(text: &[u16], at: isize) -> isize {
    let Some(lx) = lexicon() else { return -1 };
    if !may_be_uk_postcode(text, at) {
        return -1;
    }
    if starts_with_gir(text, at) {
        let end = uk_special(text, at);
        if end >= 0 {
            return end;
        }
    }
    let first = code_at(text, at);
    let second = code_at(text, at + 1);
    let two_letters = is_upper(second);
    let digit_at = if two_letters { at + 2 } else { at + 1 };
    let digit = code_at(text, digit_at);
    if !is_digit_code(digit) {
        return -1;
    }
    let district_end = code_at(text, digit_at + 1);
    let mut tail = -1;
    let mut end = -1;
    if is_digit_code(district_end) || is_upper(district_end) {
        end = inward_end(text, digit_at + 2);
        if end >= 0 {
            tail = district_end;
        }
    }
    if end < 0 {
        end = inward_end(text, digit_at + 1);
    }
    if end < 0 {
        return -1;
    }
    let area = area_key(first, if two_letters { second } else { -1 });
    if area < 0 || !lx.uk_area.get(area as usize).copied().unwrap_or(false) {
        return -1;
    }
    if is_upper(tail) {
        if !lx.uk_lettered.get((area * 10 + (digit - 48)) as usize).copied().unwrap_or(false) {
            return -1;
        }
        if uk_letter(tail) & (if two_letters { 4 } else { 2 }) == 0 {
            return -1;
        }
    }
    if uk_letter(code_at(text, end - 2)) & INWARD_EXCLUDED != 0 || uk_letter(code_at(text, end - 1)) & INWARD_EXCLUDED != 0 {
        return -1;
    }
    end
}

/// `count` ASCII digits at `at`.
fn digits_at(text: &[u16], at: isize, count: isize) -> bool {
    (at..at + count).all(|i| is_digit_code(code_at(text, i)))
}

fn starts_with_at(text: &[u16], at: isize, word: &[u8]) -> bool {
    at >= 0 && starts_with_ascii(text, at as usize, word)
}

/// A ZIP or ZIP+4 code, as /(?!00000)[0-9]{5}(?:-[0-9]{4})?(?![\p{L}\p{N}])/uy: its end, or -1.
pub fn match_us_zip(text: &[u16], at: isize) -> isize {
    if lexicon().is_none() || !digits_at(text, at, 5) || starts_with_at(text, at, b"00000") {
        return -1;
    }
    let five = at + 5;
    if code_at(text, five) == 45 && digits_at(text, five + 1, 4) && !letter_or_digit_at(text, five + 5) {
        return five + 5;
    }
    if letter_or_digit_at(text, five) {
        -1
    } else {
        five
    }
}

/// Two capitals that are a USPS code, or "D.C.", with no letter or digit after; else -1.
fn state_code_end(text: &[u16], at: isize, us_state_code: &[bool]) -> isize {
    if is_upper(code_at(text, at + 1)) {
        let key = area_key(code_at(text, at), code_at(text, at + 1));
        if !letter_or_digit_at(text, at + 2) && key >= 0 && us_state_code.get(key as usize).copied().unwrap_or(false) {
            return at + 2;
        }
        return -1;
    }
    if starts_with_at(text, at, b"D.C.") && !letter_or_digit_at(text, at + 4) {
        at + 4
    } else {
        -1
    }
}

/// A USPS state code ("IL", "D.C.") or a state name written out: its end, or -1.
pub fn match_us_state(text: &[u16], at: isize) -> isize {
    let Some(lx) = lexicon() else { return -1 };
    let first = code_at(text, at);
    if !is_upper(first) {
        return -1;
    }
    let code = state_code_end(text, at, &lx.us_state_code);
    if code >= 0 {
        return code;
    }
    // US_STATE_NAME: the first name (longest first) that stands here with no letter or digit
    // after; only the names that open with this capital can.
    let start = at as usize;
    let second = text.get(start + 1);
    let Some(candidates) = lx.state_names_by_initial.get((first - 65) as usize) else { return -1 };
    for &k in candidates {
        let Some(name) = lx.state_names_longest_first.get(k) else { continue };
        // (The second unit first: most names that open alike part there.)
        if name.len() >= 2 && name.get(1) != second {
            continue;
        }
        if text.get(start..start + name.len()).is_some_and(|s| s == name.as_slice()) {
            let end = at + name.len() as isize;
            if !letter_or_digit_at(text, end) {
                return end;
            }
        }
    }
    -1
}

/// Five digits not led by "00", optionally after "D-" or "DE-" (a German PLZ): its end, or -1.
pub fn match_german_plz(text: &[u16], at: isize) -> isize {
    if lexicon().is_none() {
        return -1;
    }
    let mut p = at;
    if code_at(text, p) == 68 {
        if code_at(text, p + 1) == 45 {
            p += 2;
        } else if code_at(text, p + 1) == 69 && code_at(text, p + 2) == 45 {
            p += 3;
        }
    }
    if !digits_at(text, p, 5) || starts_with_at(text, p, b"00") {
        return -1;
    }
    if letter_or_digit_at(text, p + 5) {
        -1
    } else {
        p + 5
    }
}

/// address-postcode.ts `key3`: three ASCII characters as one number, or -1 when one is not ASCII
/// (or is -1, outside the text).
#[inline]
pub fn key3(a: i32, b: i32, c: i32) -> i32 {
    if ((a | b | c) as u32) < 128 {
        (a << 14) | (b << 7) | c
    } else {
        -1
    }
}
