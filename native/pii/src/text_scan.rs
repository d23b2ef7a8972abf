//! What several recognizers want to know about one text, computed in one pass: the port of
//! `scanDigits` in src/pii/text-scan.ts (read that file for the rules; the names match).

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
    /// Scratch: one bit per character, set for digits (see fill_digit_bits).
    digit_bits: Vec<u64>,
}

/// Separator characters a cluster may hold between digits.
#[inline]
pub const fn is_cluster_gap(code: u16) -> bool {
    code == 32
        || (code >= 45 && code <= 47)
        || code == 40
        || code == 41
        || code == 0xa0
        || code == 0x2007
        || code == 0x202f
        || (code >= 0x2010 && code <= 0x2013)
}

/// [a-zäöüß.]: what comes before the space before a German house number.
#[inline]
const fn opens_german_number(code: u16) -> bool {
    (code >= 97 && code <= 122) || code == 46 || code == 0xe4 || code == 0xf6 || code == 0xfc || code == 0xdf
}

#[inline]
const fn is_ascii_letter(code: u16) -> bool {
    let folded = code | 32;
    folded >= 97 && folded <= 122
}

#[inline]
const fn is_digit(code: u16) -> bool {
    code.wrapping_sub(48) <= 9
}

/// is_cluster_gap for U+0000-U+007F, bit n for code n: one shift where the chain of
/// comparisons was most of the gap loop's work.
const ASCII_GAPS: u128 = {
    let mut mask = 0u128;
    let mut code = 0;
    while code < 128 {
        if is_cluster_gap(code as u16) {
            mask |= 1 << code;
        }
        code += 1;
    }
    mask
};

#[inline]
fn is_gap(code: u16) -> bool {
    if code < 128 {
        (ASCII_GAPS >> code) & 1 != 0
    } else {
        is_cluster_gap(code)
    }
}

/// Bit k set when `text[k]` is an ASCII digit, 64 characters to a word (bits past the end clear).
/// Built as one byte per character first, then eight bytes at a time to eight bits (see
/// `bits_of_lanes`): both straight-line, which LLVM turns into vector code.
fn fill_digit_bits(text: &[u16], bits: &mut Vec<u64>) {
    bits.clear();
    let mut blocks = text.chunks_exact(64);
    for block in &mut blocks {
        bits.push(digit_bits_of(block));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        bits.push(digit_bits_of(rest));
    }
}

/// The digit bits of up to 64 characters.
#[inline]
fn digit_bits_of(block: &[u16]) -> u64 {
    let mut lanes = [0u8; 64];
    for (lane, &code) in lanes.iter_mut().zip(block) {
        *lane = is_digit(code) as u8;
    }
    bits_of_lanes(&lanes)
}

/// 64 lanes, each 0 or 1, to 64 bits (lane k to bit k), eight lanes at a time: read as a
/// little-endian word and multiplied by the constant, lane j's bit lands at bit 56 + j, and no
/// two partial products meet, so nothing carries. (Also used by the box-word and passport-anchor
/// block searches.)
#[inline]
pub(crate) fn bits_of_lanes(lanes: &[u8; 64]) -> u64 {
    let mut word = 0u64;
    for (k, eight) in lanes.chunks_exact(8).enumerate() {
        let eight = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        word |= (eight.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (8 * k);
    }
    word
}

/// The first offset at or after `from` whose bit in `bits` is `set`, or the end of the bits
/// (a multiple of 64, which may lie past the text: callers clamp).
#[inline]
fn next_bit(bits: &[u64], from: usize, set: bool) -> usize {
    let flip = if set { 0 } else { u64::MAX };
    let mut w = from >> 6;
    let Some(&first) = bits.get(w) else { return bits.len() << 6 };
    let mut word = (first ^ flip) & (u64::MAX << (from & 63));
    loop {
        if word != 0 {
            return (w << 6) + word.trailing_zeros() as usize;
        }
        w += 1;
        match bits.get(w) {
            Some(&next) => word = next ^ flip,
            None => return bits.len() << 6,
        }
    }
}

impl TextScan {
    /// Scans `text` into `self` (its vectors are reused from call to call).
    ///
    /// Runs of digits are found in a bitmap of the digits (one bit per character, built by vector
    /// code) with trailing_zeros, not by a loop with a test and a branch per character (most of
    /// the scan's time before); the anchors and the gap after a run are read character by character.
    pub fn scan(&mut self, text: &[u16]) {
        self.clusters.clear();
        self.german_numbers.clear();
        self.house_number_gaps.clear();
        fill_digit_bits(text, &mut self.digit_bits);
        let bits = &self.digit_bits[..];
        let length = text.len();
        let mut i = next_bit(bits, 0, true);
        self.has_digit = i < length;
        while i < length {
            // A cluster starts at the run of digits at i.
            let cluster_start = i;
            let mut digits = 0u32;
            let mut dots = 0u32;
            let mut zero_led = false;
            let mut run_lengths = 0u32;
            let mut gap = 0usize;
            let cluster_end = loop {
                // The run of digits text[i, end).
                let end = next_bit(bits, i, false).min(length);
                let before = if i > 0 { text[i - 1] } else { 0 };
                if text[i] == 48 {
                    if !(gap == 1 && (45..=47).contains(&before)) {
                        zero_led = true;
                    }
                } else if (before == 32 || before == 0xa0) && i >= 2 && opens_german_number(text[i - 2]) {
                    self.german_numbers.push(i as u32);
                }
                digits += (end - i) as u32;
                run_lengths |= run_length_bit(end - i);
                if end >= length {
                    break end;
                }
                // A house number's gap: up to two ASCII letters after the run, then a space or
                // no-break space before an ASCII capital or a character above U+007F.
                let at = |k: usize| -> u16 { text.get(k).copied().unwrap_or(0) };
                let mut pos = end;
                let mut next = text[end];
                if is_ascii_letter(next) {
                    pos += 1;
                    next = at(pos);
                    if is_ascii_letter(next) {
                        pos += 1;
                        next = at(pos);
                    }
                }
                if next == 32 || next == 0xa0 {
                    let after = at(pos + 1);
                    if (65..=90).contains(&after) || after > 127 {
                        self.house_number_gaps.push(pos as u32);
                    }
                }
                // The gap to the next run: 1 to MAX_GAP separators, then a digit.
                let limit = (end + MAX_GAP).min(length);
                let mut k = end;
                let mut gap_dots = 0u32;
                let mut code = text[end];
                while is_gap(code) {
                    gap_dots += (code == 46) as u32;
                    k += 1;
                    if k >= limit {
                        break;
                    }
                    code = text[k];
                }
                if k == end || k >= length || !is_digit(at(k)) {
                    break end;
                }
                dots += gap_dots;
                gap = k - end;
                i = k;
            };
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
            i = next_bit(bits, cluster_end, true);
        }
    }
}
