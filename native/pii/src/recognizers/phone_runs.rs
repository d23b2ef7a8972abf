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

/// The one non-space character a separator may hold.
#[inline]
pub fn is_phone_joint(code: u16) -> bool {
    code == 45 || code == 46 || code == 47 || (0x2010..=0x2013).contains(&code)
}

#[inline]
fn digit_at(text: &[u16], i: usize) -> bool {
    matches!(text.get(i), Some(&code) if is_digit(code))
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
        let length = text.len();
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
            while digit_at(text, j) {
                j += 1;
            }
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
            let mut joints = 0;
            while j < length && j - separator_start < MAX_SEPARATOR {
                let code = text[j];
                // Digits, letters and most punctuation are neither space nor joint: one test.
                if (48..0xa0).contains(&code) {
                    break;
                }
                if is_phone_space(code) {
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
