//! Port of src/pii/recognizers/phone-number.ts: see there for the rules. PHONE_NUMBER:
//! international numbers ("+CC", any common grouping) and national numbers of the default
//! regions, read from the text scan's digit clusters as phone runs (phone_runs.rs), shapes that
//! are something else ruled out (phone_shapes.rs), then validated by the numbering metadata
//! (phone_metadata.rs, phone_national.rs).

use std::cell::RefCell;
use std::sync::OnceLock;

use super::digits_cues::{cue_before, CueWords};
use super::phone_metadata;
use super::phone_national::national_region_of;
use super::phone_runs::PhoneRun;
use super::phone_shapes::{is_date_shape, is_decimal_shape, is_dotted_quad_shape, is_us_identifier_shape};
use super::Candidate;
use crate::chars::{code_at, is_ascii_word, is_digit};
use crate::text_scan::{Cluster, TextScan, MAX_GAP};

const MAX_SPAN: i64 = 32;
const MAX_GROUPS: usize = 8;
const MAX_INTERNATIONAL_DIGITS: usize = 15;
const MIN_INTERNATIONAL_DIGITS: usize = 7;
const MAX_NATIONAL_DIGITS: usize = 16;
const MIN_NATIONAL_DIGITS: usize = 8;

const SCORE_INTERNATIONAL: f64 = 0.85;
const SCORE_E164: f64 = 0.7;
const SCORE_NATIONAL: f64 = 0.65;
const SCORE_IDD: f64 = 0.6;
const SCORE_BARE: f64 = 0.3;
/// Score of a number some other identifier's word owns.
const SCORE_OTHER_IDENTIFIER: f64 = 0.05;

const PLUS: i32 = 43;
const ZERO: u16 = 48;

// ---- configuration: the NOT_A_PHONE cue words, from the TypeScript side ----

static NOT_A_PHONE: OnceLock<CueWords> = OnceLock::new();

/// configure("phone-cues", data): NOT_A_PHONE of phone-number.ts, written by
/// src/pii/native-config/phone.ts in the format `CueWords::parse` reads.
pub fn configure_cues(data: &str) -> Result<(), String> {
    let words = CueWords::parse(data)?;
    // A second configure (another worker thread loading the addon) hands over the same list.
    let _ = NOT_A_PHONE.set(words);
    Ok(())
}

/// The recognizer has its data (its own and the numbering metadata's).
pub fn ready() -> Result<(), String> {
    if NOT_A_PHONE.get().is_none() {
        return Err("the kernel is not configured (phone-cues)".to_string());
    }
    if !phone_metadata::configured() {
        return Err("the kernel is not configured (phone-metadata)".to_string());
    }
    Ok(())
}

// ---- edges ----

/// Characters that make the digits after them something else: #100234567, $1234567890, @.
fn forbidden_before(code: u16) -> bool {
    matches!(code, 35 | 36 | 43 | 64 | 92 | 0xa3 | 0xa5 | 0x20ac | 0x20b9)
}

/// Characters that make the digits before them something else: 12345678%, 4155552671@host.
fn forbidden_after(code: u16) -> bool {
    code == 37 || code == 64 || code == 0xb0
}

/// Joints that glue a number to an identifier: - . / : backslash and U+2010..U+2013.
fn is_glue(code: u16) -> bool {
    (45..=47).contains(&code) || code == 58 || code == 92 || (0x2010..=0x2013).contains(&code)
}

/// [0-9A-Za-z_] at `index`; false outside the text.
#[inline]
fn word_at(text: &[u16], index: isize) -> bool {
    let code = code_at(text, index);
    code >= 0 && is_ascii_word(code as u16)
}

fn free_before(text: &[u16], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let prev = match text.get(start - 1) {
        Some(&c) => c,
        None => return true,
    };
    if is_ascii_word(prev) || forbidden_before(prev) {
        return false;
    }
    // A colon before is a label ("tel:+1..."), not glue.
    if prev != 58 && is_glue(prev) && start >= 2 && word_at(text, start as isize - 2) {
        return false;
    }
    true
}

fn free_after(text: &[u16], end: usize) -> bool {
    let next = match text.get(end) {
        Some(&c) => c,
        None => return true,
    };
    if is_ascii_word(next) || forbidden_after(next) {
        return false;
    }
    if is_glue(next) && end + 1 < text.len() && word_at(text, end as isize + 1) {
        return false;
    }
    true
}

// ---- mask tags: (?!<(?:EMAIL|IP)_ADDRESS[_:>])<[A-Z][A-Z_]{0,31}(?:_\d{1,9}|:[a-p]{1,64})?> ----

/// Where the mask tag starting at `at` (a "<") ends (just after its ">"), or None when none
/// starts there. The tag's parts are told apart by the character after the name, so at most one
/// match exists.
fn mask_tag_end(text: &[u16], at: usize) -> Option<usize> {
    let get = |i: usize| -> u16 { text.get(i).copied().unwrap_or(0) };
    if get(at) != 60 {
        return None;
    }
    for excluded in [&b"<EMAIL_ADDRESS"[..], &b"<IP_ADDRESS"[..]] {
        if excluded.iter().enumerate().all(|(k, &b)| get(at + k) == b as u16) {
            let after = get(at + excluded.len());
            if after == 95 || after == 58 || after == 62 {
                return None;
            }
        }
    }
    if !(65..=90).contains(&get(at + 1)) {
        return None;
    }
    // The name after its first letter: [A-Z_]*.
    let name_start = at + 2;
    let mut i = name_start;
    while i < text.len() && ((65..=90).contains(&text[i]) || text[i] == 95) {
        i += 1;
    }
    let name = i - name_start;
    let next = get(i);
    if next == 62 {
        return if name <= 31 { Some(i + 1) } else { None };
    }
    if next == 58 {
        // ":[a-p]{1,64}>"
        if name > 31 {
            return None;
        }
        let mut j = i + 1;
        while j < text.len() && (97..=112).contains(&text[j]) {
            j += 1;
        }
        let letters = j - (i + 1);
        return if (1..=64).contains(&letters) && get(j) == 62 { Some(j + 1) } else { None };
    }
    if is_digit(next) && name >= 1 && get(i - 1) == 95 {
        // "_\d{1,9}>": the name's last "_" opens the number.
        if name - 1 > 31 {
            return None;
        }
        let mut j = i;
        while j < text.len() && is_digit(text[j]) {
            j += 1;
        }
        let digits = j - i;
        return if (1..=9).contains(&digits) && get(j) == 62 { Some(j + 1) } else { None };
    }
    None
}

/// Spaces, then a mask tag, right after `end`. (Not inlined: inlined, its setup was hoisted
/// into find_in_run and computed for every run, though few runs ever ask.)
#[inline(never)]
fn mask_tag_after(text: &[u16], end: usize) -> bool {
    let mut i = end;
    while i < text.len() && i - end < MAX_GAP && text[i] == 32 {
        i += 1;
    }
    if i == end || code_at(text, i as isize) != 60 {
        return false;
    }
    mask_tag_end(text, i).is_some()
}

/// A mask tag, then spaces, right before `start`. (Not inlined: see mask_tag_after.)
#[inline(never)]
fn mask_tag_before(text: &[u16], start: usize) -> bool {
    let mut i = start.min(text.len());
    while i > 0 && start - i < MAX_GAP && text[i - 1] == 32 {
        i -= 1;
    }
    if i == start || i == 0 || text[i - 1] != 62 {
        return false;
    }
    // The tag holds one "<", its first character: the last one in the 100 characters before.
    let floor = i.saturating_sub(100);
    let mut open = i - 1;
    loop {
        if text[open] == 60 {
            break;
        }
        if open == floor {
            return false;
        }
        open -= 1;
    }
    mask_tag_end(text, open) == Some(i)
}

// ---- groups of a run ----

/// A word that is one bare group: "2024" (not "+1", "(415)", "555-2671").
fn is_bare_word(run: &PhoneRun, k: usize) -> bool {
    let count = run.count();
    if k >= count {
        return false;
    }
    let group = run.g(k);
    let word_start = k == 0 || group.space_before;
    let word_end = k == count - 1 || run.g(k + 1).space_before;
    word_start && word_end && !group.paren && group.joint_before == 0 && !(k == 0 && run.plus >= 0)
}

/// Value of a group of at most four digits, else -1.
fn small_value(text: &[u16], start: usize, end: usize) -> i32 {
    if end.saturating_sub(start) > 4 {
        return -1;
    }
    let mut value = 0i32;
    for i in start..end {
        value = value * 10 + text.get(i).map_or(0, |&c| c as i32 - 48);
    }
    value
}

/// Where the number made of groups s.. begins: at "+", at "(" or at its first digit.
fn number_start(run: &PhoneRun, s: usize) -> usize {
    if s == 0 && run.plus >= 0 {
        return run.plus as usize;
    }
    let group = run.g(s);
    if group.paren {
        group.start as usize - 1
    } else {
        group.start as usize
    }
}

/// Digits of a candidate (16 at most), without allocation.
#[derive(Clone, Copy)]
struct DigitBuffer {
    bytes: [u8; 32],
    len: usize,
}

impl DigitBuffer {
    fn new() -> Self {
        DigitBuffer { bytes: [0; 32], len: 0 }
    }
    fn push_from(&mut self, text: &[u16], start: usize, end: usize) {
        for i in start..end {
            if self.len < self.bytes.len() {
                self.bytes[self.len] = text.get(i).map_or(b'0', |&c| c as u8);
                self.len += 1;
            }
        }
    }
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len.min(self.bytes.len())]
    }
}

/// Per-candidate scratch (lengths, values, joints of the groups kept).
struct GroupScratch {
    lengths: [usize; MAX_GROUPS],
    values: [i32; MAX_GROUPS],
    joints: [u16; MAX_GROUPS],
}

/// The score of groups s..e of `run` as one phone number, or 0 when they are not one.
fn score_groups(text: &[u16], run: &PhoneRun, s: usize, e: usize, scratch: &mut GroupScratch) -> f64 {
    let international = s == 0 && run.plus >= 0;
    let count_all = run.count();
    let last_group = run.g(e);
    if last_group.paren {
        return 0.0;
    }
    if last_group.end as i64 - number_start(run, s) as i64 > MAX_SPAN || e + 1 - s > MAX_GROUPS {
        return 0.0;
    }
    if s == 0 && !free_before(text, run.start) {
        return 0.0;
    }
    if e + 1 == count_all && !free_after(text, run.end) {
        return 0.0;
    }

    let mut count = 0usize;
    let mut digit_count = 0usize;
    let mut plain = !international;
    let mut trunk_marker: isize = -1;
    let first_digit = text.get(run.g(s).start as usize).copied().unwrap_or(0);
    for k in s..=e {
        let rel = k - s;
        let group = run.g(k);
        let group_start = group.start as usize;
        let length = group.length();
        let digit = text.get(group_start).copied().unwrap_or(0);
        if group.paren {
            plain = false;
            let area_code_place = if international {
                rel == 1 || (rel == 2 && trunk_marker == 1)
            } else {
                rel == 0 || (rel == 1 && count == 1 && scratch.lengths[0] == 1)
            };
            if !area_code_place {
                return 0.0;
            }
            if international && rel == 1 && length == 1 && digit == ZERO {
                trunk_marker = 1;
            }
        }
        if rel > 0 && group.joint_before != 0 {
            plain = false;
        }
        if length == 1 && !single_digit_allowed(international, rel, digit, first_digit, count, &scratch.lengths) {
            return 0.0;
        }
        if rel as isize == trunk_marker {
            continue; // "+44 (0)20 ...": the (0) is not dialled from abroad
        }
        if count < MAX_GROUPS {
            scratch.lengths[count] = length;
            scratch.joints[count] = if rel == 0 { 0 } else { group.joint_before };
        }
        count += 1;
        digit_count += length;
    }

    if plain {
        if s > 0 && run.g(s).joint_before == 0 && is_bare_word(run, s - 1) {
            return 0.0;
        }
        if e + 1 < count_all && run.g(e + 1).joint_before == 0 && is_bare_word(run, e + 1) {
            return 0.0;
        }
        if e + 1 == count_all && mask_tag_after(text, run.end) {
            return 0.0;
        }
        if s == 0 && mask_tag_before(text, run.start) {
            return 0.0;
        }
    }
    let bare = count == 1 && !run.g(s).paren;

    if international {
        if !(MIN_INTERNATIONAL_DIGITS..=MAX_INTERNATIONAL_DIGITS).contains(&digit_count) {
            return 0.0;
        }
        if !international_valid_in_run(text, run, s, e, trunk_marker, digit_count) {
            return 0.0;
        }
        return if bare { SCORE_E164 } else { SCORE_INTERNATIONAL };
    }
    if !(MIN_NATIONAL_DIGITS..=MAX_NATIONAL_DIGITS).contains(&digit_count) {
        return 0.0;
    }
    if first_digit != ZERO && digit_count != 10 && digit_count != 11 {
        return 0.0;
    }
    let kept = count.min(MAX_GROUPS);
    for c in 0..kept {
        let group = run.g(s + c);
        scratch.values[c] = small_value(text, group.start as usize, group.end as usize);
    }
    let lengths = &scratch.lengths[..kept];
    let joints = &scratch.joints[..kept];
    if is_date_shape(count, &scratch.values[..kept], lengths, joints) || is_dotted_quad_shape(count, lengths, joints) {
        return 0.0;
    }
    if is_us_identifier_shape(count, lengths, joints) || is_decimal_shape(count, joints) {
        return 0.0;
    }
    let mut digits = DigitBuffer::new();
    for k in s..=e {
        if (k - s) as isize != trunk_marker {
            let group = run.g(k);
            digits.push_from(text, group.start as usize, group.end as usize);
        }
    }
    let digits = digits.as_slice();
    if digits.first() == Some(&b'0') && digits.get(1) == Some(&b'0') {
        // "0044 20 7946 0958": dialled from abroad with the international prefix.
        if digit_count - 2 < MIN_INTERNATIONAL_DIGITS || !international_valid(digits.get(2..).unwrap_or(&[])) {
            return 0.0;
        }
        return if bare { SCORE_BARE } else { SCORE_IDD };
    }
    if national_region_of(digits, lengths).is_none() {
        return 0.0;
    }
    if bare {
        SCORE_BARE
    } else {
        SCORE_NATIONAL
    }
}

/// Where a single digit may stand as a group of its own (see phone-number.ts).
fn single_digit_allowed(
    international: bool,
    rel: usize,
    digit: u16,
    first_digit: u16,
    groups_before: usize,
    lengths: &[usize; MAX_GROUPS],
) -> bool {
    if international {
        return rel <= 2;
    }
    if rel == 0 {
        return digit == ZERO + 1 || digit == ZERO;
    }
    if rel != 1 || groups_before != 1 {
        return false;
    }
    (digit == ZERO + 9 && lengths[0] == 2) || (first_digit == ZERO && lengths[0] >= 2)
}

/// Digits in a calling code (none has a leading zero).
fn code_length(calling_code: u16) -> usize {
    if calling_code < 10 {
        1
    } else if calling_code < 100 {
        2
    } else {
        3
    }
}

fn international_valid(e164_digits: &[u8]) -> bool {
    match phone_metadata::calling_code_of(e164_digits) {
        Some(calling_code) => valid_under(calling_code, e164_digits.get(code_length(calling_code)..).unwrap_or(&[])),
        None => false,
    }
}

/// `nsn` is valid under the calling code, or is after the trunk prefix kept before it.
fn valid_under(calling_code: u16, nsn: &[u8]) -> bool {
    if phone_metadata::is_valid(calling_code, nsn) {
        return true;
    }
    match phone_metadata::national_prefix_of(calling_code) {
        Some(trunk) => nsn.starts_with(trunk) && phone_metadata::is_valid(calling_code, &nsn[trunk.len()..]),
        None => false,
    }
}

/// international_valid of the digits of groups s..e (without the relative group `skip`), read
/// where they stand.
fn international_valid_in_run(text: &[u16], run: &PhoneRun, s: usize, e: usize, skip: isize, digit_count: usize) -> bool {
    let mut calling_code: Option<u16> = None;
    let mut code_len = 0usize;
    let mut value = 0u32;
    let mut k = s;
    while k <= e && calling_code.is_none() && code_len < 3 {
        if (k - s) as isize != skip {
            let group = run.g(k);
            let mut i = group.start as usize;
            while i < group.end as usize && code_len < 3 && code_len + 1 < digit_count {
                value = value * 10 + text.get(i).map_or(0, |&c| (c as u32).wrapping_sub(48));
                code_len += 1;
                calling_code = phone_metadata::calling_code_of_prefix(value, code_len);
                if calling_code.is_some() {
                    break;
                }
                i += 1;
            }
            if code_len + 1 >= digit_count {
                break;
            }
        }
        k += 1;
    }
    let calling_code = match calling_code {
        Some(code) => code,
        None => return false,
    };
    let mut nsn = DigitBuffer::new();
    let mut to_skip = code_len;
    for k in s..=e {
        if (k - s) as isize == skip {
            continue;
        }
        let group = run.g(k);
        let length = group.length();
        if to_skip >= length {
            to_skip -= length;
            continue;
        }
        nsn.push_from(text, group.start as usize + to_skip, group.end as usize);
        to_skip = 0;
    }
    valid_under(calling_code, nsn.as_slice())
}

/// Finds the phone numbers inside one run and appends them to `out`.
fn find_in_run(text: &[u16], run: &PhoneRun, scratch: &mut GroupScratch, out: &mut Vec<Candidate>) {
    if run.digits < MIN_INTERNATIONAL_DIGITS {
        return;
    }
    let count = run.count();
    let mut covered: isize = -1; // last group covered by a number found from an earlier word
    let mut s = 0usize;
    while s < count && covered < count as isize - 1 {
        if s > 0 && !run.g(s).space_before {
            s += 1;
            continue;
        }
        let first = run.g(s);
        let mut last: isize = s as isize - 1;
        let mut digit_count = 0usize;
        let mut k = s;
        while k < count && k - s < MAX_GROUPS {
            let group = run.g(k);
            let length = group.length();
            if digit_count + length > MAX_NATIONAL_DIGITS || group.end as i64 - first.start as i64 > MAX_SPAN {
                break;
            }
            digit_count += length;
            last = k as isize;
            k += 1;
        }
        let international = s == 0 && run.plus >= 0;
        let trunk = text.get(first.start as usize) == Some(&ZERO);
        let mut best: isize = -1;
        let mut best_score = 0.0;
        let mut e = last;
        while e >= s as isize {
            if e <= covered {
                break;
            }
            let eu = e as usize;
            let considered = if eu + 1 < count && !run.g(eu + 1).space_before {
                false
            } else if international {
                if digit_count < MIN_INTERNATIONAL_DIGITS {
                    break;
                }
                true
            } else if digit_count < MIN_NATIONAL_DIGITS {
                break;
            } else {
                trunk || digit_count == 10 || digit_count == 11
            };
            if considered {
                let score = score_groups(text, run, s, eu, scratch);
                if score > 0.0 {
                    best = e;
                    best_score = score;
                    break;
                }
            }
            digit_count = digit_count.saturating_sub(run.g(eu).length());
            e -= 1;
        }
        if best >= 0 {
            if s as isize > covered {
                let start = number_start(run, s);
                let score = if owned_by_other_identifier(text, start) { SCORE_OTHER_IDENTIFIER } else { best_score };
                out.push(Candidate { start: start as u32, end: run.g(best as usize).end, score });
            }
            covered = covered.max(best);
        }
        s += 1;
    }
}

/// A run can begin at the digit `text[at]`: no digit, letter or glued identifier before it.
fn may_open_run(text: &[u16], at: usize) -> bool {
    let before = code_at(text, at as isize - 1);
    if before >= 0 && is_ascii_word(before as u16) {
        return false;
    }
    let glue = matches!(before, 45 | 46 | 47 | 92 | 35 | 36);
    !(glue && word_at(text, at as isize - 2))
}

/// Some sum of the cluster's run lengths (each any number of times) is 10 or 11. Without "+"
/// and without a run led by 0 that a number may start at, every candidate is 10 or 11 digits
/// of consecutive runs, so a cluster failing this holds none: "4111 1111 1111 1111".
/// Only the bits of lengths 1..=11 matter, so the answer is a lookup in a table built at
/// compile time (the loop over lengths cost a dozen branches a cluster).
#[inline]
fn sums_to_10_or_11(run_lengths: u32) -> bool {
    let index = ((run_lengths >> 1) & 0x7ff) as usize;
    SUMS_TO_10_OR_11[index >> 6] >> (index & 63) & 1 != 0
}

/// Bit i: the lengths mask i (bit k-1 for runs of k digits) has a sum of 10 or 11.
static SUMS_TO_10_OR_11: [u64; 32] = sums_table();

const fn sums_table() -> [u64; 32] {
    let mut table = [0u64; 32];
    let mut index = 0usize;
    while index < 2048 {
        let mut sums = 1u32; // bit n: n is a sum
        let mut length = 1;
        while length <= 11 {
            if index & (1 << (length - 1)) != 0 {
                let mut times = 0;
                while times < 11 / length {
                    sums |= sums << length;
                    times += 1;
                }
            }
            length += 1;
        }
        if sums & (0b11 << 10) != 0 {
            table[index >> 6] |= 1u64 << (index & 63);
        }
        index += 1;
    }
    table
}

/// The cluster is four runs of 1-3 digits joined by single dots ("172.18.48.165"): at least
/// ten digits in runs of three at most make four runs or more, and its only separator
/// characters are its three dots. Its one phone run is the whole cluster (no number starts
/// right after a dot), and without "+" that run's only candidate is a dotted quad.
#[inline]
fn is_dotted_quad_cluster(cluster: &Cluster) -> bool {
    (cluster.dots == 3)
        & (cluster.digits >= 10)
        & (cluster.run_lengths & !0b1110 == 0)
        & (cluster.end.saturating_sub(cluster.start) == cluster.digits.saturating_add(3))
}

/// A "+" (or "+(") just before the digit at `at`.
fn plus_before(text: &[u16], at: usize) -> bool {
    let before = code_at(text, at as isize - 1);
    before == PLUS || (before == 40 && code_at(text, at as isize - 2) == PLUS)
}

thread_local! {
    static RUN: RefCell<PhoneRun> = RefCell::new(PhoneRun::default());
}

/// Appends the phone numbers of `text` (scanned into `scan`) to `out`, in text order.
pub fn find_phone_numbers(text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) {
    RUN.with(|cell| {
        let mut run = cell.borrow_mut();
        let mut scratch = GroupScratch { lengths: [0; MAX_GROUPS], values: [0; MAX_GROUPS], joints: [0; MAX_GROUPS] };
        for cluster in &scan.clusters {
            let digits = cluster.digits;
            if (digits as usize) < MIN_INTERNATIONAL_DIGITS {
                continue;
            }
            let mut at = cluster.start as usize;
            // Clusters that hold no number unless a "+" leads them. The three tests are pure, so
            // they are combined without branches: one unpredictable branch a cluster, not three.
            let short = (digits < 10) & !((digits as usize >= MIN_NATIONAL_DIGITS) & cluster.zero_led);
            let no_ten = !cluster.zero_led & !sums_to_10_or_11(cluster.run_lengths);
            if (short | no_ten | is_dotted_quad_cluster(cluster)) && !plus_before(text, at) {
                continue;
            }
            let cluster_end = cluster.end as usize;
            let mut digits_left = digits as isize;
            loop {
                while digits_left >= MIN_INTERNATIONAL_DIGITS as isize && at < text.len() {
                    if !is_digit(text[at]) {
                        at += 1;
                        continue;
                    }
                    if may_open_run(text, at) {
                        break;
                    }
                    digits_left -= 1;
                    at += 1;
                }
                if digits_left < MIN_INTERNATIONAL_DIGITS as isize || at >= cluster_end {
                    break;
                }
                let mut start = at;
                if code_at(text, start as isize - 1) == 40 {
                    start -= 1;
                }
                if code_at(text, start as isize - 1) == PLUS {
                    start -= 1;
                }
                if !run.read(text, start) {
                    run.read(text, at);
                }
                find_in_run(text, &run, &mut scratch, out);
                digits_left -= run.digits as isize;
                at = run.end.max(at + 1);
            }
        }
    })
}

// ---- another identifier's word ----

/// JavaScript's \s (WhiteSpace and LineTerminator).
fn is_js_space(code: u16) -> bool {
    matches!(code, 9..=13 | 32 | 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000 | 0xfeff)
}

/// /caller[\s_-]*id\W{0,3}$/i on text[max(0, start - 16), start).
fn caller_id_before(text: &[u16], start: usize) -> bool {
    let start = start.min(text.len());
    let floor = start.saturating_sub(16);
    let mut i = start;
    while i > floor && !is_ascii_word(text[i - 1]) {
        i -= 1;
    }
    if start - i > 3 {
        return false;
    }
    let lower = |c: u16| if (65..=90).contains(&c) { c + 32 } else { c };
    if i < floor + 2 || lower(text[i - 1]) != 100 || lower(text[i - 2]) != 105 {
        return false;
    }
    i -= 2;
    while i > floor && (is_js_space(text[i - 1]) || text[i - 1] == 95 || text[i - 1] == 45) {
        i -= 1;
    }
    if i < floor + 6 {
        return false;
    }
    b"caller".iter().enumerate().all(|(k, &b)| lower(text[i - 6 + k]) == b as u16)
}

fn owned_by_other_identifier(text: &[u16], start: usize) -> bool {
    let words = match NOT_A_PHONE.get() {
        Some(words) => words,
        None => return false,
    };
    if !cue_before(text, start, words) {
        return false;
    }
    !caller_id_before(text, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table says what the loop over lengths said, for every mask of lengths 1..=11 and
    /// with the bits it ignores set.
    #[test]
    fn sums_table_matches_the_loop() {
        fn by_loop(run_lengths: u32) -> bool {
            let mut sums = 1u32;
            for length in 1..=11 {
                if run_lengths & (1 << length) != 0 {
                    for _ in 0..11 / length {
                        sums |= sums << length;
                    }
                }
            }
            sums & (0b11 << 10) != 0
        }
        for mask in 0..4096u32 {
            for high in [0u32, 1 << 12, 1 << 31, 0xffff_f000] {
                let run_lengths = mask | high;
                assert_eq!(sums_to_10_or_11(run_lengths), by_loop(run_lengths), "{run_lengths:#x}");
            }
        }
    }
}
