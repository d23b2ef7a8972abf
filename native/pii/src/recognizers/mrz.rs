//! Machine-readable zones of passports (ICAO 9303 TD3): the port of src/pii/recognizers/mrz.ts,
//! see there for the rules. The zone pattern (a fixed-width regular expression there) is read
//! here position by position.

use super::Candidate;
use crate::chars::is_ascii_alnum;

pub const TD3_LINE: usize = 44;
/// Between the lines: "\n", "\r\n", "\r", a space or an escaped "\n".
const MAX_LINE_BREAK: usize = 2;
pub const TD3_MAX_LENGTH: usize = TD3_LINE * 2 + MAX_LINE_BREAK;
/// The shortest zone: two lines and a one-character break.
const TD3_SHORTEST: usize = TD3_LINE * 2 + 1;

const LT: u16 = 60; // "<", the filler
const ZERO: u16 = 48;
const P: u16 = 80;
const WEIGHTS: [u32; 3] = [7, 3, 1];

/// Value of one MRZ character for check digits: 0-9, A-Z = 10-35, "<" = 0; -1 for anything else.
#[inline]
fn mrz_value(code: u16) -> i32 {
    match code {
        48..=57 => code as i32 - 48,
        65..=90 => code as i32 - 55,
        LT => 0,
        _ => -1,
    }
}

/// ICAO 9303 check digit (weights 7, 3, 1) over `text[start, end)`, or -1 when a character there
/// is no MRZ character (or lies outside the text).
pub fn mrz_check_digit(text: &[u16], start: usize, end: usize) -> i32 {
    let mut sum: u32 = 0;
    for i in start..end {
        let value = match text.get(i) {
            Some(&code) => mrz_value(code),
            None => -1,
        };
        if value < 0 {
            return -1;
        }
        sum += value as u32 * WEIGHTS[(i - start) % 3];
    }
    (sum % 10) as i32
}

#[inline]
fn code(text: &[u16], at: usize) -> u16 {
    // 0 answers "no character" past the end: no class here holds it.
    text.get(at).copied().unwrap_or(0)
}

/// True when the check digit at `at` matches the field `text[start, end)`.
fn checks(text: &[u16], start: usize, end: usize, at: usize) -> bool {
    let expected = mrz_check_digit(text, start, end);
    expected >= 0 && code(text, at) == ZERO + expected as u16
}

fn two_digits(text: &[u16], at: usize) -> i32 {
    (code(text, at) as i32 - ZERO as i32) * 10 + (code(text, at + 1) as i32 - ZERO as i32)
}

/// YYMMDD with a real month and day.
fn is_mrz_date(text: &[u16], at: usize) -> bool {
    let month = two_digits(text, at + 2);
    let day = two_digits(text, at + 4);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The check digits of a TD3 line 2 starting at `at` (mrz.ts `td3CheckDigitsHold`).
pub fn td3_check_digits_hold(text: &[u16], at: usize) -> bool {
    if !checks(text, at, at + 9, at + 9) {
        return false;
    }
    if !checks(text, at + 13, at + 19, at + 19) {
        return false;
    }
    if !checks(text, at + 21, at + 27, at + 27) {
        return false;
    }
    let personal_empty = code(text, at + 42) == LT && (at + 28..at + 42).all(|i| code(text, i) == LT);
    if !personal_empty && !checks(text, at + 28, at + 42, at + 42) {
        return false;
    }
    // The composite: three stretches read as one string, weights continuing across.
    let mut sum: i64 = 0;
    let mut position = 0usize;
    for (from, to) in [(0usize, 10usize), (13, 20), (21, 43)] {
        for i in at + from..at + to {
            sum += mrz_value(code(text, i)) as i64 * WEIGHTS[position % 3] as i64;
            position += 1;
        }
    }
    code(text, at + 43) as i64 == ZERO as i64 + sum.rem_euclid(10)
}

// (These are asked of ordinary text, where a branch per question would often go wrong: each
// is one comparison, and `|` joins them without a branch.)
#[inline]
fn is_upper(c: u16) -> bool {
    c.wrapping_sub(65) < 26
}
#[inline]
fn is_upper_or_filler(c: u16) -> bool {
    is_upper(c) | (c == LT)
}
#[inline]
fn is_digit(c: u16) -> bool {
    (48..=57).contains(&c)
}
#[inline]
fn is_upper_digit_or_filler(c: u16) -> bool {
    is_upper_or_filler(c) || is_digit(c)
}

/// What mrz.ts's TD3 expression asks of each character of line 2.
fn line2_char_fits(k: usize, c: u16) -> bool {
    match k {
        0..=8 | 28..=41 => is_upper_digit_or_filler(c),
        10..=12 => is_upper_or_filler(c),
        20 => c == 77 || c == 70 || c == 88 || c == LT, // M F X <
        42 => is_digit(c) || c == LT,
        _ => is_digit(c), // 9, 13-19, 21-27, 43
    }
}

/// Where the TD3 expression, tried at `start` (sticky), ends its match; None when it fails.
fn td3_match_end(text: &[u16], start: usize) -> Option<usize> {
    let line1 = text.get(start..start + TD3_LINE)?;
    if line1.first() != Some(&P) || !line1.iter().skip(1).all(|&c| is_upper_or_filler(c)) {
        return None;
    }
    let at = start + TD3_LINE;
    // (?:\r\n|\n|\r| |\\n): after "\r\n" fails, "\r" alone would leave line 2 starting with "\n",
    // which fails too, so the characters decide the break.
    let line_break = match (code(text, at), code(text, at + 1)) {
        (13, 10) => 2,
        (10, _) | (13, _) | (32, _) => 1,
        (92, 110) => 2,
        _ => return None,
    };
    let line2 = text.get(at + line_break..at + line_break + TD3_LINE)?;
    if !line2.iter().enumerate().all(|(k, &c)| line2_char_fits(k, c)) {
        return None;
    }
    Some(at + line_break + TD3_LINE)
}

/// False when no zone can start at the "P" at `start` (mrz.ts `mayStartZone`).
fn may_start_zone(text: &[u16], start: usize) -> bool {
    if start + TD3_SHORTEST > text.len() {
        return false;
    }
    (1..=4).all(|k| is_upper_or_filler(code(text, start + k)))
}

/// Letters (either case), digits and "<": what a zone line may not be glued to.
#[inline]
fn is_zone_char(c: u16) -> bool {
    mrz_value(c) >= 0 || is_ascii_alnum(c)
}

/// The first index at or after `from` where `unit` stands. Blocks of 32 are tested without a
/// branch per character (the compiler makes vector comparisons of them), as indexOf does.
fn index_of(text: &[u16], unit: u16, from: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    let rest = text.get(from..)?;
    let mut chunks = rest.chunks_exact(CHUNK);
    let mut offset = from;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &c| any | (c == unit)) {
            return chunk.iter().position(|&c| c == unit).map(|k| offset + k);
        }
        offset += CHUNK;
    }
    chunks.remainder().iter().position(|&c| c == unit).map(|k| offset + k)
}

/// Line 1 is 44 characters of [A-Z<], and any 44 characters hold exactly two multiples of
/// half a line: only starts at most SAMPLE - 1 before a pair of such samples, both [A-Z<], can
/// begin a zone, so the search reads one character in SAMPLE until it meets such a pair.
const SAMPLE: usize = TD3_LINE / 2;

/// Appends the TD3 zones in `text` to `out`, each one candidate spanning both lines, scored
/// `valid` when its check digits hold, else `unchecked`.
pub fn find_td3_zones(text: &[u16], valid: f64, unchecked: f64, out: &mut Vec<Candidate>) {
    // mrz.ts reads no zone in a text without "<": asked once a zone is found.
    let mut has_filler: Option<bool> = None;
    // The first start still to try (after a zone, its end), as mrz.ts's search goes on.
    let mut next = 0usize;
    let mut sample = 0usize;
    while sample + SAMPLE < text.len() {
        if !is_upper_or_filler(code(text, sample + SAMPLE)) {
            sample += 2 * SAMPLE;
            continue;
        }
        if !is_upper_or_filler(code(text, sample)) {
            sample += SAMPLE;
            continue;
        }
        // The starts whose line 1 holds this pair of samples (the pairs' ranges never overlap).
        for start in next.max(sample.saturating_sub(SAMPLE - 1))..=sample {
            if start < next || code(text, start) != P || !may_start_zone(text, start) {
                continue;
            }
            let Some(end) = td3_match_end(text, start) else { continue };
            let glued = (start > 0 && is_zone_char(code(text, start - 1))) || (end < text.len() && is_zone_char(code(text, end)));
            if glued {
                continue;
            }
            let line2 = end - TD3_LINE;
            if !is_mrz_date(text, line2 + 13) || !is_mrz_date(text, line2 + 21) {
                continue;
            }
            if !*has_filler.get_or_insert_with(|| index_of(text, LT, 0).is_some()) {
                return;
            }
            let score = if td3_check_digits_hold(text, line2) { valid } else { unchecked };
            out.push(Candidate { start: start as u32, end: end as u32, score });
            next = end;
        }
        sample += SAMPLE;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// mrz.ts's search read the slow way: every "P" from the last zone's end on.
    fn naive(text: &[u16], out: &mut Vec<Candidate>) {
        if !text.contains(&LT) {
            return;
        }
        let mut next = 0usize;
        while let Some(start) = (next..text.len()).find(|&i| text[i] == P) {
            next = start + 1;
            let Some(end) = td3_match_end(text, start).filter(|_| may_start_zone(text, start)) else { continue };
            let glued = (start > 0 && is_zone_char(code(text, start - 1))) || (end < text.len() && is_zone_char(code(text, end)));
            let line2 = end - TD3_LINE;
            if glued || !is_mrz_date(text, line2 + 13) || !is_mrz_date(text, line2 + 21) {
                continue;
            }
            let score = if td3_check_digits_hold(text, line2) { 1.0 } else { 0.3 };
            out.push(Candidate { start: start as u32, end: end as u32, score });
            next = end;
        }
    }

    #[test]
    fn finds_what_a_search_from_every_p_finds() {
        let line1: Vec<u16> = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<".encode_utf16().collect();
        let line2: Vec<u16> = "L898902C36UTO7408122F1204159ZE184226B<<<<<10".encode_utf16().collect();
        let alphabet: Vec<u16> = "PPAZ<<019 \n\\nx".encode_utf16().collect();
        let mut seed = 20250601u64;
        let mut random = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound
        };
        let mut found = 0usize;
        for round in 0..4000 {
            let length = random(400);
            let mut text: Vec<u16> = (0..length).map(|_| alphabet[random(alphabet.len())]).collect();
            if round % 2 == 0 {
                // Long upper-case stretches, so that the samples often pass.
                for c in text.iter_mut() {
                    if *c == 120 || *c == 48 {
                        *c = 80;
                    }
                }
            }
            for _ in 0..random(4) {
                let at = random(length + 1);
                let mut zone = vec![32];
                zone.extend(&line1);
                zone.extend(["\n", "\r\n", " ", "\\n", "\r"][random(5)].encode_utf16());
                zone.extend(&line2);
                zone.push(32);
                if random(3) == 0 {
                    let k = random(zone.len());
                    zone[k] = alphabet[random(alphabet.len())];
                }
                for (k, &c) in zone.iter().enumerate() {
                    if let Some(slot) = text.get_mut(at + k) {
                        *slot = c;
                    }
                }
            }
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            find_td3_zones(&text, 1.0, 0.3, &mut fast);
            naive(&text, &mut slow);
            assert_eq!(fast, slow, "{:?}", String::from_utf16_lossy(&text));
            found += slow.len();
        }
        // (The planted zones are found, not only the absence of one.)
        assert!(found > 1000, "{found}");
    }
}
