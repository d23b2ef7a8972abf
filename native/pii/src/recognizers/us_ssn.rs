//! Port of src/pii/recognizers/us-ssn.ts (US_SSN): see there for the rules. Numbers written
//! 123-45-6789, 123 45 6789 or 123456789 that the SSA could have issued.

use super::digits_cues::{cue_before, ConfiguredCues};
use super::digits_runs::{
    closes_chain, digits_at, digits_end, for_each_anchored_run, has_shape, opens_chain, stands_alone, DigitGroups,
    DASH, SPACE,
};
use super::Candidate;
use crate::chars::code_at;
use crate::text_scan::TextScan;

/// NOT_AN_SSN of us-ssn.ts, from configure("us-ssn-cues").
static NOT_AN_SSN: ConfiguredCues = ConfiguredCues::new();

pub fn configure_cues(data: &str) -> Result<(), String> {
    NOT_AN_SSN.configure(data)
}

pub fn configured() -> bool {
    NOT_AN_SSN.configured()
}

#[inline]
fn is_joint(code: i32) -> bool {
    code == SPACE as i32 || code == DASH as i32
}

/// Where an SSN can begin, /\d{3}(?:\d{6}|[ -]\d\d[ -]\d{4})/, in [from, end), or -1.
pub fn next_ssn_anchor(text: &[u16], from: usize, end: usize) -> isize {
    let end = end.min(text.len());
    let mut at = from;
    while at < end {
        if !(48..=57).contains(&text[at]) {
            at += 1;
            continue;
        }
        let run_end = digits_end(text, at, end);
        if run_end - at >= 9 {
            return at as isize;
        }
        if run_end - at >= 3
            && is_joint(code_at(text, run_end as isize))
            && digits_at(text, run_end + 1, run_end + 3)
            && is_joint(code_at(text, run_end as isize + 3))
            && digits_at(text, run_end + 4, run_end + 8)
        {
            return run_end as isize - 3;
        }
        at = run_end;
    }
    -1
}

const SHAPE: [usize; 3] = [3, 2, 4];
const BARE: u32 = 1 << 9;
const SHAPED: u32 = (1 << 3) | (1 << 2) | (1 << 4);

fn may_hold_ssn(digits: u32, run_lengths: u32) -> bool {
    digits >= 9 && (run_lengths & BARE != 0 || run_lengths & SHAPED == SHAPED)
}

const SCORE_DASHED: f64 = 0.6;
const SCORE_SPACED: f64 = 0.5;
const SCORE_BARE: f64 = 0.2;
const SCORE_OTHER_ID: f64 = 0.1;

/// Numbers never issued although their ranges are valid (advertising and example numbers).
const KNOWN_INVALID: [[u8; 9]; 3] =
    [[0, 7, 8, 0, 5, 1, 1, 2, 0], [2, 1, 9, 0, 9, 9, 9, 9, 9], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

/// `validSsn`: the nine ASCII digits can be an issued SSN.
pub fn valid_ssn(digits: &[u16]) -> bool {
    let mut values = [0u8; 9];
    if digits.len() != 9 {
        return false;
    }
    for (slot, &code) in values.iter_mut().zip(digits) {
        match code.checked_sub(48) {
            Some(d) if d <= 9 => *slot = d as u8,
            _ => return false,
        }
    }
    issuable(&values)
}

/// validSsn on the digits of groups `from..=to` (ASCII digits only).
pub fn valid_ssn_groups(text: &[u16], groups: &DigitGroups, from: usize, to: usize) -> bool {
    let mut digits = [0u8; 9];
    let mut n = 0usize;
    for k in from..=to {
        let Some(group) = text.get(groups.start(k)..groups.end(k)) else { return false };
        for &code in group {
            if n == 9 {
                return false; // more than nine digits
            }
            digits[n] = code.wrapping_sub(48) as u8;
            n += 1;
        }
    }
    n == 9 && issuable(&digits)
}

/// The issuance rules on nine digit values.
fn issuable(d: &[u8; 9]) -> bool {
    let area = d[0] as u32 * 100 + d[1] as u32 * 10 + d[2] as u32;
    if area == 0 || area == 666 || area >= 900 {
        return false;
    }
    if (d[3] == 0 && d[4] == 0) || (d[5] == 0 && d[6] == 0 && d[7] == 0 && d[8] == 0) {
        return false;
    }
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    !KNOWN_INVALID.iter().any(|known| known == d)
}

fn bare_candidate(text: &[u16], groups: &DigitGroups, i: usize) -> Option<Candidate> {
    if groups.sep(i) == DASH || (i + 1 < groups.count() && groups.sep(i + 1) == DASH) {
        return None;
    }
    let (start, end) = (groups.start(i), groups.end(i));
    if !valid_ssn_groups(text, groups, i, i) || !stands_alone(text, start, end) {
        return None;
    }
    Some(Candidate { start: start as u32, end: end as u32, score: SCORE_BARE })
}

fn shaped_candidate(text: &[u16], groups: &DigitGroups, i: usize) -> Option<Candidate> {
    let sep = groups.sep(i + 1);
    if sep != DASH && sep != SPACE {
        return None;
    }
    if !has_shape(groups, i, sep, &SHAPE) || !opens_chain(groups, i, sep) || !closes_chain(groups, i + 2, sep) {
        return None;
    }
    let (start, end) = (groups.start(i), groups.end(i + 2));
    if !valid_ssn_groups(text, groups, i, i + 2) || !stands_alone(text, start, end) {
        return None;
    }
    let score = if sep == DASH { SCORE_DASHED } else { SCORE_SPACED };
    Some(Candidate { start: start as u32, end: end as u32, score })
}

thread_local! {
    static GROUPS: std::cell::RefCell<DigitGroups> = std::cell::RefCell::new(DigitGroups::default());
}

/// The recognizer's candidates in `text`, appended to `out` in text order.
pub fn find(text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) -> Result<(), String> {
    let cues = NOT_AN_SSN.get().ok_or("US_SSN: the cue words are not configured")?;
    GROUPS.with(|cell| {
        let mut groups = cell.borrow_mut();
        let groups = &mut *groups;
        for_each_anchored_run(text, &scan.clusters, may_hold_ssn, next_ssn_anchor, |run_start, run_end| {
            groups.read(text, run_start, run_end);
            let mut i = 0;
            while i < groups.count() {
                let length = groups.length(i);
                let candidate = if length == 9 {
                    bare_candidate(text, groups, i)
                } else if length == 3 && i + 2 < groups.count() {
                    shaped_candidate(text, groups, i)
                } else {
                    None
                };
                if let Some(mut candidate) = candidate {
                    if cue_before(text, candidate.start as usize, cues) {
                        candidate.score = SCORE_OTHER_ID;
                    }
                    out.push(candidate);
                    if length == 3 {
                        i += 2;
                    }
                }
                i += 1;
            }
        });
        groups.trim();
    });
    Ok(())
}
