//! Port of src/pii/recognizers/credit-card.ts (CREDIT_CARD): see there for the rules. Card
//! numbers by issuer prefix, issuer length and Luhn, plain or in the printed groupings.

use super::digits_cues::{cue_before, ConfiguredCues};
use super::digits_runs::{
    closes_chain, digits_at, digits_end, for_each_anchored_run, has_shape, opens_chain, stands_alone, DigitGroups,
    DASH, SPACE,
};
use super::luhn::luhn_valid_digits;
use super::Candidate;
use crate::chars::code_at;
use crate::text_scan::TextScan;

/// NOT_A_CARD of credit-card.ts, from configure("credit-card-cues").
static NOT_A_CARD: ConfiguredCues = ConfiguredCues::new();

pub fn configure_cues(data: &str) -> Result<(), String> {
    NOT_A_CARD.configure(data)
}

pub fn configured() -> bool {
    NOT_A_CARD.configured()
}

#[inline]
fn issuer_digit(code: u16) -> bool {
    (50..=54).contains(&code)
}

/// Where a card number can begin, /[2-6]\d{3}(?:\d{9}|[ -]\d{4})/, in [from, end), or -1.
pub fn next_card_anchor(text: &[u16], from: usize, end: usize) -> isize {
    let end = end.min(text.len());
    let mut at = from;
    while at < end {
        if !(48..=57).contains(&text[at]) {
            at += 1;
            continue;
        }
        let run_end = digits_end(text, at, end);
        let mut i = at;
        while i + 13 <= run_end {
            if issuer_digit(text[i]) {
                return i as isize;
            }
            i += 1;
        }
        if run_end >= at + 4 {
            let group = run_end - 4;
            if issuer_digit(text[group]) {
                let joint = code_at(text, run_end as isize);
                if (joint == SPACE as i32 || joint == DASH as i32) && digits_at(text, run_end + 1, run_end + 5) {
                    return group as isize;
                }
            }
        }
        at = run_end;
    }
    -1
}

const PLAIN_LENGTHS: u32 = {
    let mut bits = 0u32;
    let mut n = 13;
    while n <= 19 {
        bits |= 1u32 << n;
        n += 1;
    }
    bits
};
const FIRST_GROUP: u32 = 1u32 << 4;

fn may_hold_card(digits: u32, run_lengths: u32) -> bool {
    digits >= 13 && run_lengths & (PLAIN_LENGTHS | FIRST_GROUP) != 0
}

/// The printed groupings, the longest first.
const GROUPINGS: [&[usize]; 4] = [&[4, 4, 4, 4, 3], &[4, 4, 4, 4], &[4, 6, 5], &[4, 6, 4]];

const MAX_DIGITS: usize = 19;

const SCORE_GROUPED: f64 = 0.9;
const SCORE_GROUPED_CONTINUED: f64 = 0.6;
const SCORE_PLAIN: f64 = 0.85;
const SCORE_PLAIN_13: f64 = 0.6;

fn prefix_of(digits: &[u8], length: usize) -> u32 {
    digits.iter().take(length).fold(0u32, |value, &d| value * 10 + d as u32)
}

/// `issuerAccepts`: some network issues numbers with this prefix at this length (`digits`
/// UTF-16; a non-digit counts as its code minus 48, as the TypeScript's arithmetic does).
pub fn issuer_accepts(digits: &[u16]) -> bool {
    let n = digits.len();
    if !(13..=MAX_DIGITS).contains(&n) {
        return false;
    }
    let prefix = |length: usize| digits.iter().take(length).fold(0i64, |value, &c| value * 10 + (c as i64 - 48));
    accepts(n, prefix(1), prefix(2), prefix(3), prefix(4), prefix(6))
}

/// `issuerAcceptsDigits` on the n (13 to 19) digit values in `digits`.
fn issuer_accepts_digits(digits: &[u8]) -> bool {
    let first = digits.first().map_or(-1, |&d| d as i64);
    accepts(
        digits.len(),
        first,
        prefix_of(digits, 2) as i64,
        prefix_of(digits, 3) as i64,
        prefix_of(digits, 4) as i64,
        prefix_of(digits, 6) as i64,
    )
}

fn accepts(n: usize, first: i64, p2: i64, p3: i64, p4: i64, p6: i64) -> bool {
    let long = n >= 16;
    if first == 4 {
        return n == 13 || n == 16 || n == 19; // Visa
    }
    if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) {
        return n == 16; // Mastercard
    }
    if p2 == 34 || p2 == 37 {
        return n == 15; // American Express
    }
    if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 || (622126..=622925).contains(&p6) {
        return long; // Discover
    }
    if p2 == 62 {
        return long; // UnionPay
    }
    if (3528..=3589).contains(&p4) {
        return long; // JCB
    }
    if (300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39 {
        return n >= 14; // Diners Club
    }
    false
}

/// issuerAccepts and Luhn on the digits of groups `from..=to` (ASCII digits only).
pub fn valid_card_groups(text: &[u16], groups: &DigitGroups, from: usize, to: usize) -> bool {
    let mut digits = [0u8; MAX_DIGITS];
    let mut n = 0usize;
    for k in from..=to {
        let Some(group) = text.get(groups.start(k)..groups.end(k)) else { return false };
        for &code in group {
            if n == MAX_DIGITS {
                return false; // too long for any issuer
            }
            digits[n] = code.wrapping_sub(48) as u8;
            n += 1;
        }
    }
    n >= 13 && issuer_accepts_digits(&digits[..n]) && luhn_valid_digits(&digits, n)
}

/// A number written without separators: group `i`, of 13-19 digits.
fn plain_candidate(text: &[u16], groups: &DigitGroups, i: usize) -> Option<Candidate> {
    let (start, end) = (groups.start(i), groups.end(i));
    if !valid_card_groups(text, groups, i, i) || !stands_alone(text, start, end) {
        return None;
    }
    let score = if end - start == 13 { SCORE_PLAIN_13 } else { SCORE_PLAIN };
    Some(Candidate { start: start as u32, end: end as u32, score })
}

/// A number in one of the printed groupings starting at group `i`, with its last group.
fn grouped_candidate(text: &[u16], groups: &DigitGroups, i: usize) -> Option<(Candidate, usize)> {
    let sep = groups.sep(i + 1);
    if (sep != SPACE && sep != DASH) || !opens_chain(groups, i, sep) {
        return None;
    }
    for shape in GROUPINGS {
        if !has_shape(groups, i, sep, shape) {
            continue;
        }
        let last = i + shape.len() - 1;
        let (start, end) = (groups.start(i), groups.end(last));
        let closed = closes_chain(groups, last, sep);
        if !valid_card_groups(text, groups, i, last) || !stands_alone(text, start, end) {
            if closed {
                return None;
            }
            continue;
        }
        let score = if closed { SCORE_GROUPED } else { SCORE_GROUPED_CONTINUED };
        return Some((Candidate { start: start as u32, end: end as u32, score }, last));
    }
    None
}

thread_local! {
    static GROUPS: std::cell::RefCell<DigitGroups> = std::cell::RefCell::new(DigitGroups::default());
}

/// The recognizer's candidates in `text`, appended to `out` in text order.
pub fn find(text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) -> Result<(), String> {
    let cues = NOT_A_CARD.get().ok_or("CREDIT_CARD: the cue words are not configured")?;
    GROUPS.with(|cell| {
        let mut groups = cell.borrow_mut();
        let groups = &mut *groups;
        for_each_anchored_run(text, &scan.clusters, may_hold_card, next_card_anchor, |run_start, run_end| {
            groups.read(text, run_start, run_end);
            let mut i = 0;
            while i < groups.count() {
                let length = groups.length(i);
                let mut candidate = None;
                if (13..=MAX_DIGITS).contains(&length) {
                    candidate = plain_candidate(text, groups, i);
                } else if length == 4 && i + 1 < groups.count() {
                    if let Some((grouped, last)) = grouped_candidate(text, groups, i) {
                        candidate = Some(grouped);
                        i = last;
                    }
                }
                if let Some(candidate) = candidate {
                    if !cue_before(text, candidate.start as usize, cues) {
                        out.push(candidate);
                    }
                }
                i += 1;
            }
        });
        groups.trim();
    });
    Ok(())
}
