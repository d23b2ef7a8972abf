//! EMAIL_ADDRESS: the port of src/pii/recognizers/email.ts (see there for the rules). Addresses
//! are found by their "@"; each side is walked once over the characters it may hold, noting
//! what validating it needs, then validated.

use std::sync::OnceLock;

use super::Candidate;
use crate::chars::is_ascii_letter;

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 253;
const MAX_LABEL: usize = 63;

const AT: u16 = 64;
const DOT: u16 = 46;
const DASH: u16 = 45;

/// Bits of `ascii_class`: a local-part character, a domain character.
const LOCAL: u8 = 1;
const DOMAIN: u8 = 2;

/// The ASCII characters of local parts and of domains (email.ts `ASCII_CHARS`).
const fn ascii_classes() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut code = 0;
    while code < 128 {
        let c = code as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'.' {
            table[code] = LOCAL | DOMAIN;
        }
        code += 1;
    }
    let specials = b"!#$%&*+?^_~";
    let mut k = 0;
    while k < specials.len() {
        table[specials[k] as usize] = LOCAL;
        k += 1;
    }
    table
}

static ASCII_CLASSES: [u8; 128] = ascii_classes();

/// For the code units above U+007F, what email.ts's regular expressions answer, as handed over
/// by the TypeScript side (configure "email-letters"): /[\p{L}\p{M}\p{N}]/u, and that without
/// \p{N} (a top-level domain's letters). One bit per BMP code unit; surrogates never match.
struct Letters {
    letter: Vec<u64>,
    tld: Vec<u64>,
}

static LETTERS: OnceLock<Letters> = OnceLock::new();

#[inline]
fn bit(bits: &[u64], code: u16) -> bool {
    bits.get((code as usize) / 64).is_some_and(|word| word & (1u64 << (code % 64)) != 0)
}

fn ranges_into(line: &str, bits: &mut [u64]) -> Result<(), String> {
    for range in line.split(',').filter(|r| !r.is_empty()) {
        let bad = || format!("email-letters: bad range {range}");
        let (from, to) = range.split_once('-').ok_or_else(bad)?;
        let from: usize = from.parse().map_err(|_| bad())?;
        let to: usize = to.parse().map_err(|_| bad())?;
        if from > to || to > 0xffff {
            return Err(bad());
        }
        for code in from..=to {
            bits[code / 64] |= 1u64 << (code % 64);
        }
    }
    Ok(())
}

/// configure("email-letters", data): two lines of "from-to" code-unit ranges (decimal,
/// inclusive, comma-separated): what /[\p{L}\p{M}\p{N}]/u matches, then what /\p{N}/u matches.
pub fn configure(data: &str) -> Result<(), String> {
    let mut lines = data.split('\n');
    let (Some(letters), Some(digits)) = (lines.next(), lines.next()) else {
        return Err("email-letters: two lines expected".to_string());
    };
    let mut letter = vec![0u64; 65536 / 64];
    let mut digit = vec![0u64; 65536 / 64];
    ranges_into(letters, &mut letter)?;
    ranges_into(digits, &mut digit)?;
    let tld = letter.iter().zip(digit.iter()).map(|(l, d)| l & !d).collect();
    // A second configure (another worker thread) hands over the same tables.
    let _ = LETTERS.set(Letters { letter, tld });
    Ok(())
}

pub fn ready() -> bool {
    LETTERS.get().is_some()
}

#[inline]
fn is_letter(code: u16) -> bool {
    LETTERS.get().is_some_and(|t| bit(&t.letter, code))
}

#[inline]
fn is_local_char(code: u16) -> bool {
    if code < 128 {
        return ASCII_CLASSES[code as usize] & LOCAL != 0;
    }
    is_letter(code)
}

#[inline]
fn is_domain_char(code: u16) -> bool {
    if code < 128 {
        return ASCII_CLASSES[code as usize] & DOMAIN != 0;
    }
    is_letter(code)
}

/// A top-level domain's character: a letter (ASCII or not), never a digit.
#[inline]
fn is_tld_char(code: u16) -> bool {
    if code < 128 {
        return is_ascii_letter(code);
    }
    LETTERS.get().is_some_and(|t| bit(&t.tld, code))
}

/// The code unit at `i` (callers keep `i` inside the text), 0 past it.
#[inline]
fn at(text: &[u16], i: usize) -> u16 {
    text.get(i).copied().unwrap_or(0)
}

/// Walks left from `at_sign` over local-part characters, not below `floor`. Returns the start
/// and the highest i with ".." at text[i, i + 2) walked, or -1.
fn walk_local(text: &[u16], at_sign: usize, floor: usize) -> (usize, isize) {
    let mut start = at_sign;
    let mut right = AT;
    let mut double_dot: isize = -1;
    while start > floor && at_sign - start <= MAX_LOCAL {
        let code = at(text, start - 1);
        if !is_local_char(code) {
            break;
        }
        if code == DOT && right == DOT && double_dot < 0 {
            double_dot = (start - 1) as isize;
        }
        right = code;
        start -= 1;
    }
    (start, double_dot)
}

/// A label text[start, end): 1-63 long, not starting or ending in "-".
#[inline]
fn valid_label(text: &[u16], start: usize, end: usize) -> bool {
    end > start && end - start <= MAX_LABEL && at(text, start) != DASH && at(text, end - 1) != DASH
}

/// Walks right from `at_sign` over domain characters. Returns the end and the first dot that
/// closes a malformed label, or -1.
fn walk_domain(text: &[u16], at_sign: usize) -> (usize, isize) {
    let mut end = at_sign + 1;
    let mut label_start = end;
    let mut bad_dot: isize = -1;
    while end < text.len() && end - at_sign <= MAX_DOMAIN + 1 {
        let code = text[end];
        if !is_domain_char(code) {
            break;
        }
        if code == DOT {
            if bad_dot < 0 && !valid_label(text, label_start, end) {
                bad_dot = end as isize;
            }
            label_start = end + 1;
        }
        end += 1;
    }
    (end, bad_dot)
}

/// The domain text[from, to), its trailing dots and dashes cut (email.ts `validDomain`).
fn valid_domain(text: &[u16], from: usize, to: usize, bad_dot: isize) -> bool {
    if bad_dot >= 0 && (bad_dot as usize) < to {
        return false;
    }
    let mut label_start = to;
    let mut letters = true;
    while label_start > from && at(text, label_start - 1) != DOT {
        if letters && !is_tld_char(at(text, label_start - 1)) {
            letters = false;
        }
        label_start -= 1;
    }
    if label_start == from || !valid_label(text, label_start, to) {
        return false;
    }
    let tld_length = to - label_start;
    if text.get(label_start..label_start + 4) == Some(&[120, 110, 45, 45][..]) {
        return tld_length > 4; // "xn--" punycode
    }
    tld_length >= 2 && letters
}

/// The first index at or after `from` where `text` holds `code` (JavaScript's indexOf), or None.
/// Blocks of 32 code units are tested without a branch per unit (the compares OR-ed as integers,
/// which the compiler turns into vector compares): the "@" search reads every character of
/// every text, and most blocks hold none.
pub(super) fn index_of(text: &[u16], code: u16, from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let rest = text.get(from..)?;
    let mut chunks = rest.chunks_exact(BLOCK);
    let mut base = from;
    for chunk in &mut chunks {
        if chunk.iter().fold(0u16, |found, &c| found | (c == code) as u16) != 0 {
            return chunk.iter().position(|&c| c == code).map(|k| base + k);
        }
        base += BLOCK;
    }
    chunks.remainder().iter().position(|&c| c == code).map(|k| base + k)
}

/// Appends the addresses in `text` to `out`, in text order.
pub fn find(text: &[u16], out: &mut Vec<Candidate>) {
    let next_at = |from: usize| index_of(text, AT, from);
    let mut floor = 0usize; // nothing before this may be reused (it belongs to an earlier address)
    let mut next = next_at(0);
    while let Some(at_sign) = next {
        let (mut start, double_dot) = walk_local(text, at_sign, floor);
        let (mut end, bad_dot) = walk_domain(text, at_sign);
        while end > at_sign + 1 && matches!(at(text, end - 1), DOT | DASH) {
            end -= 1;
        }
        while start < at_sign && at(text, start) == DOT {
            start += 1;
        }
        let valid_local = start < at_sign && at(text, at_sign - 1) != DOT && double_dot < start as isize;
        if at_sign - start <= MAX_LOCAL
            && end - at_sign - 1 <= MAX_DOMAIN
            && valid_local
            && valid_domain(text, at_sign + 1, end, bad_dot)
        {
            out.push(Candidate { start: start as u32, end: end as u32, score: 1.0 });
            floor = end;
        }
        next = next_at((at_sign + 1).max(floor));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut out = Vec::new();
        find(&units, &mut out);
        out.iter().map(|c| String::from_utf16_lossy(&units[c.start as usize..c.end as usize])).collect()
    }

    #[test]
    fn index_of_as_javascript() {
        let text: Vec<u16> = "a@b".repeat(20).encode_utf16().collect();
        for from in 0..text.len() + 3 {
            let expected = text.iter().enumerate().skip(from).find(|(_, &c)| c == AT).map(|(k, _)| k);
            assert_eq!(index_of(&text, AT, from), expected, "{from}");
        }
    }

    #[test]
    fn ascii_addresses() {
        assert_eq!(found("mail ..bob@example.com.."), ["bob@example.com"]);
        assert!(found("a..b@example.com").is_empty());
        assert!(found("1.2.3@4.5 bob@example.c0m").is_empty());
        assert_eq!(found("y@xn--bcher-kva.example"), ["y@xn--bcher-kva.example"]);
    }
}
