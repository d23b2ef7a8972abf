//! IP_ADDRESS: the port of src/pii/recognizers/ip-address.ts (see there for the rules): IPv4
//! quads from the text scan's dotted clusters, IPv6 runs around colons (zone ids, CIDR prefixes),
//! the quads inside an accepted IPv6 address dropped.

use std::cell::RefCell;
use super::digits_cues::{cue_before, ConfiguredCues, CueWords};
use super::ip_parse::{class, is_ipv4_at, is_ipv6_at, COLON_UNIT, DOT_UNIT, HEX};
use super::Candidate;
use crate::chars::{code_at, is_alnum_at};
use crate::text_scan::{TextScan, MIN_DOTS};

const SCORE: f64 = 0.9;
/// Below the default threshold: a version or OID cue owns the number.
const SCORE_CUED: f64 = 0.2;

const MAX_V6_TEXT: isize = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255
const MAX_ZONE: isize = 16;

const COLON: i32 = 58;
const DOT: i32 = 46;
const SLASH: i32 = 47;
const PERCENT: i32 = 37;
const UNDERSCORE: i32 = 95;

/// The version cues (ip-address.ts `VERSION_CUES`), handed over as configure("ip-version-cues").
static VERSION_CUES: ConfiguredCues = ConfiguredCues::new();

pub fn configure(data: &str) -> Result<(), String> {
    VERSION_CUES.configure(data)
}

pub fn ready() -> bool {
    VERSION_CUES.configured()
}

#[inline]
fn is_digit(code: i32) -> bool {
    (48..=57).contains(&code)
}

#[inline]
fn is_hex(code: i32) -> bool {
    is_digit(code) || (97..=102).contains(&code) || (65..=70).contains(&code)
}

#[inline]
fn is_v6_char(code: i32) -> bool {
    is_hex(code) || code == COLON || code == DOT
}

/// The classes of ip_parse::class an IPv6 run holds: hex digits, ':' and '.'.
const RUN_UNIT: u8 = HEX | COLON_UNIT | DOT_UNIT;

/// ip_parse::class of the code unit at `index`, 0 outside the text.
#[inline]
fn class_at(text: &[u16], index: isize) -> u8 {
    usize::try_from(index).ok().and_then(|i| text.get(i)).map_or(0, |&code| class(code))
}

/// Interface names and indexes: letters, digits, "_", "-", ".".
#[inline]
fn is_zone_char(code: i32) -> bool {
    is_digit(code) || (97..=122).contains(&code) || (65..=90).contains(&code) || code == UNDERSCORE || code == 45 || code == DOT
}

/// A letter, digit or underscore at `index`: the span would be part of a longer word there.
#[inline]
fn glued(text: &[u16], index: isize) -> bool {
    code_at(text, index) == UNDERSCORE || is_alnum_at(text, index)
}

/// Length of the run of ASCII digits at `at`, counting no further than `max` + 1.
fn digit_run(text: &[u16], at: isize, max: isize) -> isize {
    let mut n = 0;
    while n <= max && is_digit(code_at(text, at + n)) {
        n += 1;
    }
    n
}

/// The end of the last three octets of a quad when they start at the dot `text[at]`, or -1
/// (ip-address.ts `quadTailEnd`).
fn quad_tail_end(text: &[u16], at: isize) -> isize {
    if code_at(text, at) != DOT {
        return -1;
    }
    let mut i = at + 1;
    for _ in 0..2 {
        let n = digit_run(text, i, 3);
        if n == 0 || n > 3 || code_at(text, i + n) != DOT {
            return -1;
        }
        i += n + 1;
    }
    let last = digit_run(text, i, 3);
    if last == 0 {
        -1
    } else {
        i + last.min(3)
    }
}

/// Length of a valid "/prefix" at `at` (0..max, no leading zero), or 0 when there is none.
fn prefix_length(text: &[u16], at: isize, max: u32) -> isize {
    if code_at(text, at) != SLASH {
        return 0;
    }
    let mut end = at + 1;
    let mut value = 0u32;
    while end - at <= 3 && is_digit(code_at(text, end)) {
        value = value * 10 + (code_at(text, end) - 48) as u32;
        end += 1;
    }
    let digits = end - at - 1;
    if digits == 0 || is_digit(code_at(text, end)) {
        return 0;
    }
    if digits > 1 && code_at(text, at + 1) == 48 {
        return 0;
    }
    if value > max {
        return 0;
    }
    if glued(text, end) || (code_at(text, end) == DOT && is_digit(code_at(text, end + 1))) {
        return 0;
    }
    end - at
}

/// Every group of the (parsed, eight-group) address has two digits: "00:1a:2b:ff:fe:3c:4d:5e".
fn is_byte_dump(text: &[u16], start: isize, end: isize) -> bool {
    if end - start != 8 * 3 - 1 {
        return false;
    }
    let mut i = start + 2;
    while i < end {
        if code_at(text, i) != COLON {
            return false;
        }
        i += 3;
    }
    true
}

/// Refuses colon text `text[start, end)` that parses as IPv6 but is code, a slice or a byte dump.
fn plausible_ipv6(text: &[u16], start: isize, end: isize) -> bool {
    if start < 0 || end < start {
        return false;
    }
    let Some(facts) = is_ipv6_at(text, start as usize, end as usize) else {
        return false;
    };
    if end - start == 3 && code_at(text, start) == COLON && code_at(text, start + 1) == COLON && code_at(text, start + 2) == 49 {
        return true; // "::1"
    }
    if !facts.embeds_ipv4 && (facts.hex_digits < 4 || facts.decimal_digits == 0) {
        return false;
    }
    if !facts.compressed && !facts.embeds_ipv4 && is_byte_dump(text, start, end) {
        return false;
    }
    true
}

/// A colon at `c` from which find_ipv6 walks a run: one that could join groups (a colon or hex
/// digits on both sides) and could be the first colon of an address the run walk accepts. An
/// accepted address has "::" or six colons or more, groups of at most four hex digits, so its
/// first colon is followed by ":" or by a colon within five characters that is followed by
/// another within five: "12:30:45" never passes. Skipping the other colons finds the same
/// addresses: such a colon's run yields nothing, and so does the walk from any later colon of
/// the run (the same run, or one cut short by the walk's limit, which ipv6_at refuses).
#[inline]
fn opens_v6_run(text: &[u16], c: usize) -> bool {
    let at = |i: usize| code_at(text, i as isize);
    if at(c) != COLON {
        return false;
    }
    let next = at(c + 1);
    if next == COLON {
        return true;
    }
    let prev = if c > 0 { at(c - 1) } else { -1 };
    if !(is_hex(prev) && is_hex(next)) {
        return false;
    }
    let colon_in = |from: usize, to: usize| (from..=to).find(|&i| at(i) == COLON);
    colon_in(c + 2, c + 5).is_some_and(|second| colon_in(second + 1, second + 5).is_some())
}

/// Characters whose colons `next_v6_colon` takes at once.
const V6_BLOCK: usize = 64;

/// Bit k set when units[k] is a colon (at most 64 units; bits past their end clear). A flag per
/// character first, then sixteen flags at a time to sixteen bits: both straight-line, which LLVM
/// turns into vector compares and byte-mask moves (pmovmskb) instead of a branch per character.
#[inline(always)]
fn colon_bits_of(units: &[u16]) -> u64 {
    let mut is_colon = [false; V6_BLOCK];
    for (flag, &code) in is_colon.iter_mut().zip(units) {
        *flag = code == COLON as u16;
    }
    is_colon.chunks_exact(16).enumerate().fold(0u64, |word, (j, sixteen)| {
        let bits = sixteen.iter().enumerate().fold(0u16, |bits, (k, &flag)| bits | (flag as u16) << k);
        word | (bits as u64) << (16 * j)
    })
}

/// Bit k set when text[base + k] is a colon, for k in 0..64 (none past the text's end).
#[inline(always)]
fn colon_bits(text: &[u16], base: usize) -> u64 {
    match text.get(base..base + V6_BLOCK) {
        Some(block) => colon_bits_of(block),
        None => colon_bits_of(text.get(base..).unwrap_or(&[])),
    }
}

/// Bit k (k < 32) set when bit k of `window` (the colons of 64 characters) is a colon that
/// could open a run (see `next_v6_colon`), judged from the colons of the 32 characters after it.
/// Plain 64-bit shifts: a 128-bit window compiles to funnel shifts (shld), slow on some CPUs.
#[inline(always)]
fn openings32(window: u64) -> u64 {
    let near = window >> 1 | window >> 2;
    let within5 = near | near >> 2 | window >> 5; // a colon 1 to 5 places on
    let followed = window & within5;
    let far = followed >> 2 | followed >> 3;
    let chain = far | far >> 2; // a followed colon 2 to 5 places on
    window & (window >> 1 | chain) & 0xffff_ffff
}

/// The first colon at or after `from` that `opens_v6_run`. Texts have a colon every few dozen
/// characters (times, prose, JSON), few of them in addresses. The colons of each block of 64
/// characters and of the next are taken as bit masks, and what `opens_v6_run` asks of the colons
/// after the one it looks at (":" right after, or a colon two to five places on followed by
/// another within five) is answered for 32 at once by shifts; only the colons that pass are
/// looked at one by one.
fn next_v6_colon(text: &[u16], from: usize) -> Option<usize> {
    let mut base = from;
    let mut colons = colon_bits(text, base);
    while base < text.len() {
        let next = colon_bits(text, base + V6_BLOCK);
        let mut opening = openings32(colons) | openings32(colons >> 32 | next << 32) << 32;
        while opening != 0 {
            let c = base + opening.trailing_zeros() as usize;
            if opens_v6_run(text, c) {
                return Some(c);
            }
            opening &= opening - 1;
        }
        base += V6_BLOCK;
        colons = next;
    }
    None
}

/// IPv6 candidates: each maximal run of hex, ':' and '.' around a colon that could join groups.
fn find_ipv6(text: &[u16], out: &mut Vec<Candidate>) {
    let length = text.len() as isize;
    let mut next = next_v6_colon(text, 0);
    while let Some(found) = next {
        let colon = found as isize;
        // Grow over the run, counting its colons and noting a "::" and a dot, without a branch
        // per kind of character.
        let mut colons = 1;
        let mut double_colon = false;
        let mut dot = false;
        let mut start = colon;
        let mut right_is_colon = true; // text[start] is a colon
        while start > 0 && colon - start <= MAX_V6_TEXT + 2 {
            let kind = class_at(text, start - 1);
            if kind & RUN_UNIT == 0 {
                break;
            }
            let is_colon = kind & COLON_UNIT != 0;
            colons += is_colon as u32;
            double_colon |= is_colon & right_is_colon;
            dot |= kind & DOT_UNIT != 0;
            right_is_colon = is_colon;
            start -= 1;
        }
        let mut end = colon + 1;
        let mut left_is_colon = true; // text[end - 1] is a colon
        while end < length {
            let kind = class_at(text, end);
            if kind & RUN_UNIT == 0 {
                break;
            }
            let is_colon = kind & COLON_UNIT != 0;
            colons += is_colon as u32;
            double_colon |= is_colon & left_is_colon;
            dot |= kind & DOT_UNIT != 0;
            left_is_colon = is_colon;
            end += 1;
        }
        if colons >= 7 || (colons >= 2 && double_colon) || (colons >= 6 && dot) {
            if let Some(candidate) = ipv6_at(text, start, end) {
                out.push(candidate);
            }
        }
        next = next_v6_colon(text, end as usize);
    }
}

/// Validates the run text[start, end) as one IPv6 address with optional zone and prefix.
fn ipv6_at(text: &[u16], mut start: isize, mut end: isize) -> Option<Candidate> {
    let length = text.len() as isize;
    if start > 0 && is_v6_char(code_at(text, start - 1)) {
        return None; // a run longer than any address
    }
    while end > start && code_at(text, end - 1) == DOT {
        end -= 1;
    }
    if code_at(text, end - 1) == COLON && code_at(text, end - 2) != COLON {
        end -= 1;
    }
    if code_at(text, start) == COLON && code_at(text, start + 1) != COLON {
        start += 1;
    }
    if end - start > MAX_V6_TEXT || end - start < 3 {
        return None;
    }
    if glued(text, start - 1) || code_at(text, start - 1) == DOT {
        return None;
    }
    if !plausible_ipv6(text, start, end) {
        return None;
    }
    let mut span_end = end;
    if code_at(text, span_end) == PERCENT {
        let mut zone_end = span_end + 1;
        while zone_end < length && zone_end - span_end <= MAX_ZONE && is_zone_char(code_at(text, zone_end)) {
            zone_end += 1;
        }
        while zone_end > span_end + 1 && code_at(text, zone_end - 1) == DOT {
            zone_end -= 1;
        }
        let zone_length = zone_end - span_end - 1;
        if zone_length > 0 && zone_length <= MAX_ZONE && !glued(text, zone_end) {
            span_end = zone_end;
        }
    }
    span_end += prefix_length(text, span_end, 128);
    if glued(text, span_end) {
        return None;
    }
    Some(Candidate { start: start as u32, end: span_end as u32, score: SCORE })
}

/// IPv4 candidates: dotted quads standing alone, valid octets, optional "/0-32", looked for in
/// the digit clusters with three dots, each from the end of the one before.
fn find_ipv4(text: &[u16], scan: &TextScan, cues: &CueWords, out: &mut Vec<Candidate>) {
    let mut from: isize = 0;
    for cluster in &scan.clusters {
        if cluster.dots < MIN_DOTS {
            continue;
        }
        let cluster_end = cluster.end as isize;
        let mut at = from.max(cluster.start as isize);
        while at < cluster_end {
            let end = quad_tail_end(text, at);
            if end < 0 {
                at += 1;
                continue;
            }
            let dot = at;
            from = end;
            at = end; // (the TS sets at = end - 1, then its loop steps)
            let mut start = dot;
            while start > 0 && dot - start < 3 && is_digit(code_at(text, start - 1)) {
                start -= 1;
            }
            if start == dot || !ipv4_boundaries(text, start, end) {
                continue;
            }
            if !is_ipv4_at(text, start as usize, end as usize) {
                continue;
            }
            let span_end = end + prefix_length(text, end, 32);
            let score = if cue_before(text, start as usize, cues) { SCORE_CUED } else { SCORE };
            out.push(Candidate { start: start as u32, end: span_end as u32, score });
        }
    }
}

fn ipv4_boundaries(text: &[u16], start: isize, end: isize) -> bool {
    if start > 0 {
        let before = code_at(text, start - 1);
        if before == DOT || glued(text, start - 1) {
            return false; // OID tail, "v1.2.3.4", "abc1.2.3.4"
        }
        if before == COLON && start > 1 {
            let two_before = code_at(text, start - 2);
            if is_digit(two_before) || two_before == COLON {
                return false;
            }
        }
        if before == SLASH && start > 1 && glued(text, start - 2) {
            return false; // a product token: "Chrome/120.0.0.0"
        }
    }
    if glued(text, end) {
        return false;
    }
    if code_at(text, end) == DOT && is_digit(code_at(text, end + 1)) {
        return false; // 1.3.6.1.4.1
    }
    true
}

/// The IPv6 and IPv4 candidates of one call, before they are merged.
#[derive(Default)]
struct Lists {
    v6: Vec<Candidate>,
    v4: Vec<Candidate>,
}

thread_local! {
    static LISTS: RefCell<Lists> = RefCell::new(Lists::default());
}

/// Appends the addresses in `text` (scanned into `scan`) to `out`, in text order.
pub fn find(text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) {
    if !scan.has_digit {
        return; // an IPv6 address has a digit too (see plausible_ipv6)
    }
    let Some(cues) = VERSION_CUES.get() else {
        return; // not configured: `ready` refuses before this
    };
    LISTS.with(|cell| {
        let Ok(mut lists) = cell.try_borrow_mut() else {
            return;
        };
        let Lists { v6, v4 } = &mut *lists;
        v6.clear();
        v4.clear();
        find_ipv6(text, v6);
        find_ipv4(text, scan, cues, v4);
        // An IPv4 inside an accepted IPv6 (::ffff:192.0.2.1) is part of it; merge the sorted lists.
        let mut j = 0;
        for &candidate in v4.iter() {
            while let Some(&before) = v6.get(j).filter(|c| c.end <= candidate.start) {
                out.push(before);
                j += 1;
            }
            if v6.get(j).is_some_and(|covering| covering.start < candidate.end) {
                continue;
            }
            out.push(candidate);
        }
        out.extend_from_slice(v6.get(j..).unwrap_or(&[]));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// next_v6_colon (64-character blocks, bit masks) finds what a walk testing every colon finds,
    /// on texts dense in colons and hex digits, of every length across the block edges, from
    /// every start.
    #[test]
    fn next_v6_colon_as_testing_every_colon() {
        let alphabet: &[u16] = &[58, 58, 58, 48, 49, 97, 70, 46, 32, 120];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for length in 0..300usize {
            for _ in 0..4 {
                let text: Vec<u16> = (0..length)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        alphabet[(state % alphabet.len() as u64) as usize]
                    })
                    .collect();
                for from in 0..=length {
                    let slow = (from..length).find(|&c| opens_v6_run(&text, c));
                    assert_eq!(next_v6_colon(&text, from), slow, "length {length} from {from}");
                }
            }
        }
    }
}
