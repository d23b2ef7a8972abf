//! Port of src/pii/recognizers/phone-runs.ts: see there for the rules. Reads a "phone run": digit
//! groups joined by the separators phone numbers are written with, optionally led by "+".

use crate::chars::{code_at, is_digit};

const PLUS: i32 = 43;
const OPEN: i32 = 40;
const CLOSE: i32 = 41;
const DOT: u16 = 46;

/// Longest separator between two groups: ") - ", " / ".
const MAX_SEPARATOR: usize = 3;

#[inline]
pub fn is_phone_space(code: u16) -> bool {
    code == 32 || code == 0xa0 || code == 0x2007 || code == 0x202f
}

/// is_phone_space and is_phone_joint of the codes below 64, as bits: " " and "-./".
const ASCII_SPACES: u64 = 1 << 32;
const ASCII_JOINTS: u64 = 1 << 45 | 1 << 46 | 1 << 47;

/// The one non-space character a separator may hold.
#[inline]
pub fn is_phone_joint(code: u16) -> bool {
    code == 45 || code == 46 || code == 47 || (0x2010..=0x2013).contains(&code)
}

#[inline]
fn digit_at(text: &[u16], i: usize) -> bool {
    matches!(text.get(i), Some(&code) if is_digit(code))
}

/// Lanes of four UTF-16 units packed in a u64 (unit k in bits 16k..16k+16).
const LANE_HIGH: u64 = 0x8000_8000_8000_8000;
const LANE_ZERO: u64 = 0x0030_0030_0030_0030;
const LANE_TEN: u64 = 0x000a_000a_000a_000a;

/// The high bit of each lane whose unit is NOT an ASCII digit, for four packed units. A unit is
/// a digit when unit ^ 0x30 < 10: with each lane's high bit forced on, subtracting 10 borrows
/// from no neighbour and clears that bit exactly when the low 15 bits are below 10.
#[inline]
fn not_digit_lanes(four: u64) -> u64 {
    let offset = four ^ LANE_ZERO;
    ((offset | LANE_HIGH).wrapping_sub(LANE_TEN) | offset) & LANE_HIGH
}

/// Four units in one u64, the first lowest.
#[inline]
fn pack4(units: &[u16; 4]) -> u64 {
    u64::from(units[0]) | u64::from(units[1]) << 16 | u64::from(units[2]) << 32 | u64::from(units[3]) << 48
}

/// How many of the eight characters are ASCII digits before the first that is not (8 when all
/// are): the characters are tested four at a time in one u64 (no branch, no per-character
/// work), then one count of trailing zeros finds the first that is not a digit.
#[inline]
fn leading_digits(chars: &[u16; 8]) -> usize {
    let (low, high) = chars.split_at(4);
    let low: &[u16; 4] = low.try_into().unwrap_or(&[0; 4]);
    let high: &[u16; 4] = high.try_into().unwrap_or(&[0; 4]);
    let not_digits = u128::from(not_digit_lanes(pack4(low))) | u128::from(not_digit_lanes(pack4(high))) << 64;
    // Bit 16k+15 marks character k; none set: all eight are digits (128 / 16 = 8).
    not_digits.trailing_zeros() as usize / 16
}

/// The end of the digits from `from` on. Eight characters are classed at once, without a
/// branch per digit: a group's end would otherwise be a mispredicted loop exit.
#[inline]
fn digits_end(text: &[u16], from: usize) -> usize {
    let mut at = from;
    while let Some(block) = text.get(at..).and_then(|rest| rest.first_chunk::<8>()) {
        let run = leading_digits(block);
        at += run;
        if run < 8 {
            return at;
        }
    }
    while digit_at(text, at) {
        at += 1;
    }
    at
}

/// One group of a run: its digits are text[start, end).
#[derive(Clone, Copy, Debug, Default)]
pub struct Group {
    pub start: u32,
    pub end: u32,
    /// Written in parentheses.
    pub paren: bool,
    /// The separator before it holds a space (a word boundary); false for group 0.
    pub space_before: bool,
    /// The joint before it (0: none).
    pub joint_before: u16,
}

impl Group {
    #[inline]
    pub fn length(&self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }
}

/// One run's shape; its group vector is reused from run to run.
#[derive(Default, Debug)]
pub struct PhoneRun {
    /// Index of the leading "+", or -1.
    pub plus: isize,
    /// Offset of the run's first character ("+", "(" or a digit).
    pub start: usize,
    /// Offset just after the run's last character (a digit or ")").
    pub end: usize,
    /// Total digits in all groups.
    pub digits: usize,
    pub groups: Vec<Group>,
}

impl PhoneRun {
    /// Number of groups.
    #[inline]
    pub fn count(&self) -> usize {
        self.groups.len()
    }

    /// Group `k`, or an empty one outside the run (never read so by the recognizer).
    #[inline]
    pub fn g(&self, k: usize) -> Group {
        self.groups.get(k).copied().unwrap_or_default()
    }

    /// Reads the run that starts at `start` ("+", "(" or a digit). False when no group starts
    /// there (a "(" that does not close around digits).
    pub fn read(&mut self, text: &[u16], start: usize) -> bool {
        let mut i = start;
        self.plus = if code_at(text, i as isize) == PLUS { i as isize } else { -1 };
        if self.plus >= 0 {
            i += 1;
        }
        self.start = start;
        self.groups.clear();
        let mut end = start;
        let mut digits = 0usize;
        let mut space = false;
        let mut joint = 0u16;
        loop {
            let paren = code_at(text, i as isize) == OPEN;
            let mut j = if paren { i + 1 } else { i };
            let digits_start = j;
            j = digits_end(text, j);
            if j == digits_start {
                break;
            }
            let digits_end = j;
            if paren {
                if code_at(text, j as isize) != CLOSE {
                    break;
                }
                j += 1;
            }
            self.groups.push(Group {
                start: digits_start as u32,
                end: digits_end as u32,
                paren,
                space_before: space,
                joint_before: joint,
            });
            digits += digits_end - digits_start;
            end = j;
            let separator_start = j;
            space = false;
            joint = 0;
            let mut joints = 0u32;
            while j - separator_start < MAX_SEPARATOR {
                let Some(&code) = text.get(j) else { break };
                if code < 64 {
                    // ASCII: one bit test says space, joint or neither; which of the first two
                    // it is sets the flags without a branch.
                    let bit = 1u64 << code;
                    if bit & (ASCII_SPACES | ASCII_JOINTS) == 0 {
                        break;
                    }
                    space |= bit & ASCII_SPACES != 0;
                    let is_joint = bit & ASCII_JOINTS != 0;
                    joint = if is_joint { code } else { joint };
                    joints += u32::from(is_joint);
                } else if code < 0xa0 {
                    // Digits, letters and most punctuation are neither space nor joint.
                    break;
                } else if is_phone_space(code) {
                    space = true;
                } else if is_phone_joint(code) {
                    joint = code;
                    joints += 1;
                } else {
                    break;
                }
                j += 1;
            }
            // Directly after ")" a group may follow with no separator: "(415)555-2671".
            if j == separator_start && !paren {
                break;
            }
            if joints > 1 {
                break;
            }
            // A dot with a space ends a sentence, never a phone separator.
            if joint == DOT && space {
                break;
            }
            let next = code_at(text, j as isize);
            if !(next >= 0 && is_digit(next as u16)) && next != OPEN {
                break;
            }
            i = j;
        }
        self.end = end;
        self.digits = digits;
        !self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit sets say what is_phone_space and is_phone_joint say below 64.
    #[test]
    fn ascii_separator_bits() {
        for code in 0..64u16 {
            assert_eq!(ASCII_SPACES >> code & 1 != 0, is_phone_space(code), "{code}");
            assert_eq!(ASCII_JOINTS >> code & 1 != 0, is_phone_joint(code), "{code}");
        }
    }

    /// The eight-at-a-time digit test agrees with is_digit on every code unit in every place,
    /// and digits_end with a plain loop at every offset and alignment.
    #[test]
    fn digits_end_matches_a_loop() {
        for code in 0..=u16::MAX {
            for place in 0..8 {
                let mut chars = [48u16; 8];
                chars[place] = code;
                let expected = if is_digit(code) { 8 } else { place };
                assert_eq!(leading_digits(&chars), expected, "{code:#x} at {place}");
            }
        }
        let samples: [u16; 8] = [48, 57, 47, 58, 32, 0x0130, 0xff10, 0x3039];
        let mut seed = 12345u32;
        for length in 0..40usize {
            for _ in 0..200 {
                let text: Vec<u16> = (0..length)
                    .map(|_| {
                        seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                        if seed >> 30 != 0 { 48 + (seed >> 16) as u16 % 10 } else { samples[(seed >> 20) as usize % 8] }
                    })
                    .collect();
                for from in 0..=length + 1 {
                    let mut end = from;
                    while digit_at(&text, end) {
                        end += 1;
                    }
                    assert_eq!(digits_end(&text, from), end);
                }
            }
        }
    }
}
