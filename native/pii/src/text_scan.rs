//! What several recognizers want to know about one text, computed in one pass: the port of
//! `scanDigits` in src/pii/text-scan.ts (read that file for the rules; the names match).

use crate::canonical::canonical_code;

/// Most separator characters between two digits of one cluster.
pub const MAX_GAP: usize = 5;
/// A cluster is kept when it has at least this many digits...
pub const MIN_DIGITS: u32 = 7;
/// ...or this many dots between its digits (and at least four digits).
pub const MIN_DOTS: u32 = 3;

/// One digit cluster: text[start, end) begins and ends with a digit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cluster {
    pub start: u32,
    pub end: u32,
    /// How many digits it holds.
    pub digits: u32,
    /// How many of its separators are dots.
    pub dots: u32,
    /// One of its runs of digits starts with 0 (except right after a digit and one of "-./").
    pub zero_led: bool,
    /// Bit n set when one of its runs of digits is n long; bit 31 for 31 or longer.
    pub run_lengths: u32,
}

/// The bit of `Cluster::run_lengths` that stands for runs of `length` digits.
#[inline]
pub fn run_length_bit(length: usize) -> u32 {
    1u32 << (if length < 31 { length } else { 31 })
}

/// The shared facts about one text (TextScan / DigitClusters in text-scan.ts).
#[derive(Default, Debug)]
pub struct TextScan {
    /// The clusters kept, in text order.
    pub clusters: Vec<Cluster>,
    /// Offsets of digit runs starting with 1-9 after "[a-zäöüß.][ \u00a0]", in text order.
    pub german_numbers: Vec<u32>,
    /// Offsets of the spaces and no-break spaces after a digit and at most two ASCII letters,
    /// before an ASCII capital or a character above U+007F, in text order.
    pub house_number_gaps: Vec<u32>,
    /// The text holds a digit.
    pub has_digit: bool,
    /// Offset of the first character the canonical view changes or drops, or -1.
    pub first_not_canonical: i64,
}

/// Separator characters a cluster may hold between digits.
#[inline]
pub fn is_cluster_gap(code: u16) -> bool {
    code == 32
        || (45..=47).contains(&code)
        || code == 40
        || code == 41
        || code == 0xa0
        || code == 0x2007
        || code == 0x202f
        || (0x2010..=0x2013).contains(&code)
}

#[inline]
fn opens_german_number(code: u16) -> bool {
    (97..=122).contains(&code) || code == 46 || code == 0xe4 || code == 0xf6 || code == 0xfc || code == 0xdf
}

#[inline]
fn is_ascii_letter(code: u16) -> bool {
    let folded = code | 32;
    (97..=122).contains(&folded)
}

#[inline]
fn is_digit(code: u16) -> bool {
    code.wrapping_sub(48) <= 9
}

impl TextScan {
    /// Scans `text` into `self` (its vectors are reused from call to call).
    pub fn scan(&mut self, text: &[u16]) {
        self.clusters.clear();
        self.german_numbers.clear();
        self.house_number_gaps.clear();
        self.has_digit = false;
        self.first_not_canonical = -1;
        let length = text.len();
        let at = |i: usize| -> u16 { if i < length { text[i] } else { 0 } };
        let mut i = 0usize;
        while i < length {
            let mut code = text[i];
            if !is_digit(code) {
                if code >= 0xa0 && self.first_not_canonical < 0 && canonical_code(code) != code as i32 {
                    self.first_not_canonical = i as i64;
                }
                i += 1;
                continue;
            }
            self.has_digit = true;
            let mut before: u16 = if i > 0 { text[i - 1] } else { 0 };
            let cluster_start = i;
            let mut digits = 0u32;
            let mut dots = 0u32;
            let mut zero_led = false;
            let mut run_lengths = 0u32;
            let mut cluster_end;
            let mut gap = 0usize;
            loop {
                if code == 48 {
                    if !(gap == 1 && (45..=47).contains(&before)) {
                        zero_led = true;
                    }
                } else if (before == 32 || before == 0xa0) && i >= 2 && opens_german_number(text[i - 2]) {
                    self.german_numbers.push(i as u32);
                }
                let run_start = i;
                code = 0;
                i += 1;
                while i < length {
                    code = text[i];
                    if !is_digit(code) {
                        break;
                    }
                    i += 1;
                }
                digits += (i - run_start) as u32;
                run_lengths |= run_length_bit(i - run_start);
                cluster_end = i;
                if i < length {
                    let mut pos = i;
                    let mut next = code;
                    let mut letters = 0;
                    while letters < 2 && is_ascii_letter(next) {
                        pos += 1;
                        next = at(pos);
                        letters += 1;
                    }
                    if (next == 32 || next == 0xa0) && pos + 1 < length {
                        let after = text[pos + 1];
                        if (65..=90).contains(&after) || after > 127 {
                            self.house_number_gaps.push(pos as u32);
                        }
                    }
                }
                before = 48;
                let mut gap_dots = 0u32;
                let gap_limit = if cluster_end + MAX_GAP < length { cluster_end + MAX_GAP } else { length };
                while i < gap_limit && is_cluster_gap(code) {
                    if code == 46 {
                        gap_dots += 1;
                    } else if code >= 0xa0 && self.first_not_canonical < 0 && canonical_code(code) != code as i32 {
                        self.first_not_canonical = i as i64;
                    }
                    before = code;
                    i += 1;
                    code = at(i);
                }
                if i == cluster_end || i >= length || !is_digit(code) {
                    break;
                }
                dots += gap_dots;
                gap = i - cluster_end;
            }
            if digits >= MIN_DIGITS || (dots >= MIN_DOTS && digits >= 4) {
                self.clusters.push(Cluster {
                    start: cluster_start as u32,
                    end: cluster_end as u32,
                    digits,
                    dots,
                    zero_led,
                    run_lengths,
                });
            }
        }
    }
}
