//! German street addresses, the house number after the street: port of
//! src/pii/recognizers/address-german.ts (see there for the forms and why). Offsets are isize
//! as the TS numbers are; every read goes through `code_at` or a bounds-checked slice.

use std::cell::RefCell;

use super::address_candidate::{AddressCandidate, Core};
use super::address_lexicon::{code_point_at, is_letter_unit, letter_or_digit_at, lexicon, to_lower_into, Lexicon};
use super::address_tail::{match_country, match_german_locality, match_german_unit, MAX_ADDRESS_LENGTH};
use super::street_address::is_english_not_adjective;
use crate::chars::{clamped_slice as slice, code_at, is_alnum_at, is_digit_code as is_digit, is_space_or_nbsp as is_gap};
use super::address_lexicon::is_upper_at;

const MAX: isize = MAX_ADDRESS_LENGTH as isize;
const MAX_WORD: isize = 40;
const MAX_ADJECTIVES: usize = 2;
const MAX_PREFIX_FORM_DIGITS: usize = 3;
const MAX_PREFIX_WORD: isize = 6; // "Hinter"
const MAX_PREFIX_NAME_WORDS: usize = 3;

const SCORE_SUFFIX: f64 = 0.6;
const SCORE_WEAK_SUFFIX: f64 = 0.3;
const SCORE_PREFIX_FORM: f64 = 0.5;
const SCORE_POSTFACH: f64 = 0.6;
const SCORE_WITH_TOWN: f64 = 0.9;
const SCORE_WITH_UNIT: f64 = 0.6;

thread_local! {
    /// A lower-cased word (reused).
    static LOWER: RefCell<Vec<u16>> = RefCell::new(Vec::with_capacity(64));
}

/// /\p{L}/u on the one code unit at `index`.
#[inline]
fn is_letter_at(text: &[u16], index: isize) -> bool {
    let code = code_at(text, index);
    code >= 0 && is_letter_unit(code as u16)
}

/// `text.slice(from, min(text.length, cap))`, as the readers cut their tail at the length cap.
#[inline]
fn tail_slice(text: &[u16], from: isize, cap: isize) -> &[u16] {
    slice(text, from, cap.min(text.len() as isize))
}

/// A town makes an address certain; a unit makes it likely.
fn tail_score(core: f64, rest: &NumberAndTown) -> f64 {
    if rest.town {
        return SCORE_WITH_TOWN;
    }
    if rest.unit {
        core.max(SCORE_WITH_UNIT)
    } else {
        core
    }
}

/// The start of the capitalisable word (letters and hyphens, at most MAX_WORD) ending at `end`.
fn word_start_before(text: &[u16], end: isize, floor: isize) -> isize {
    let mut begin = end;
    while begin > floor && end - begin < MAX_WORD && (is_letter_at(text, begin - 1) || code_at(text, begin - 1) == 45) {
        begin -= 1;
    }
    begin
}

/// The start of an adjective right before `at` ("Berliner "), or -1.
fn adjective_before(lx: &Lexicon, text: &[u16], at: isize, floor: isize) -> isize {
    let gap = at - 1;
    if gap <= floor || !is_gap(code_at(text, gap)) {
        return -1;
    }
    let begin = word_start_before(text, gap, floor);
    if begin == gap || gap - begin >= MAX_WORD || !is_upper_at(text, begin) {
        return -1;
    }
    if begin > floor && is_alnum_at(text, begin - 1) {
        return -1;
    }
    let keep = LOWER.with(|cell| {
        let mut word = cell.borrow_mut();
        to_lower_into(slice(text, begin, gap), &mut word);
        // /(?:er|e|en|es)$/
        let n = word.len();
        let last = word.last().copied().unwrap_or(0);
        let before_last = if n >= 2 { word[n - 2] } else { 0 };
        let ends = last == 101 || (before_last == 101 && (last == 114 || last == 110 || last == 115));
        ends && !lx.german_not_street_adjectives.contains(&word) && !is_english_not_adjective(&word)
    });
    if keep {
        begin
    } else {
        -1
    }
}

/// The start of the short ASCII word that ends one space before `at`, or -1.
fn short_word_before(text: &[u16], at: isize, floor: isize) -> isize {
    let gap = at - 1;
    if gap <= floor || !is_gap(code_at(text, gap)) {
        return -1;
    }
    let mut begin = gap;
    while begin > floor && gap - begin <= MAX_PREFIX_WORD {
        let code = code_at(text, begin - 1) | 32;
        if !(97..=122).contains(&code) {
            break;
        }
        begin -= 1;
    }
    if begin == gap || gap - begin > MAX_PREFIX_WORD {
        return -1;
    }
    if begin > floor && is_alnum_at(text, begin - 1) {
        return -1;
    }
    begin
}

/// Extends `at` left over a preposition ("Am Mühlenweg 5", "An der Alten Straße 5").
fn prefix_before(lx: &Lexicon, text: &[u16], at: isize, floor: isize) -> isize {
    let last = short_word_before(text, at, floor);
    if last < 0 {
        return at;
    }
    if is_upper_at(text, last) {
        return if lx.german_street_prefixes.contains(slice(text, last, at - 1)) { last } else { at };
    }
    if at - 1 - last != 3 {
        return at;
    }
    let first = short_word_before(text, last, floor);
    if first >= 0 && lx.german_street_prefixes.contains(slice(text, first, at - 1)) {
        first
    } else {
        at
    }
}

/// [1-9][0-9]{0,3} at `p` followed by no further digit: its end, or -1 (a longer run of digits
/// fails every way the expressions below could take it).
fn number_1_to_4(s: &[u16], p: isize) -> isize {
    let first = code_at(s, p);
    if !(49..=57).contains(&first) {
        return -1;
    }
    let mut i = p + 1;
    while i < p + 4 && is_digit(code_at(s, i)) {
        i += 1;
    }
    if is_digit(code_at(s, i)) {
        -1
    } else {
        i
    }
}

#[inline]
fn is_ascii_letter(code: i32) -> bool {
    (65..=90).contains(&code) || (97..=122).contains(&code)
}

/// (?:[ \u00A0]?[-/][ \u00A0]?[1-9][0-9]{0,3}[a-zA-Z]?) at `p`: its end (the letter taken when
/// there; a letter after it fails the lookahead that follows either way), or -1.
fn house_number_range(s: &[u16], p: isize) -> isize {
    let mut q = p;
    if is_gap(code_at(s, q)) {
        q += 1;
    }
    let dash = code_at(s, q);
    if dash != 45 && dash != 47 {
        return -1;
    }
    q += 1;
    if is_gap(code_at(s, q)) {
        q += 1;
    }
    let end = number_1_to_4(s, q);
    if end < 0 {
        return -1;
    }
    if is_ascii_letter(code_at(s, end)) {
        end + 1
    } else {
        end
    }
}

/// HOUSE_NUMBER (sticky, u) at `at` in `s`: (end, digits of the first number), or None.
/// [ \u00A0]([1-9][0-9]{0,3})(?:[a-zA-Z](?!\p{L}))?(?:<range>)?(?![\p{L}\p{N}])
fn house_number_match(s: &[u16], at: isize) -> Option<(isize, usize)> {
    if !is_gap(code_at(s, at)) {
        return None;
    }
    let digits_end = number_1_to_4(s, at + 1);
    if digits_end < 0 {
        return None;
    }
    let digits = (digits_end - at - 1) as usize;
    let letter_ok = is_ascii_letter(code_at(s, digits_end)) && !letter_at(s, digits_end + 1);
    let starts: [isize; 2] = [if letter_ok { digits_end + 1 } else { -1 }, digits_end];
    for &p in starts.iter().filter(|&&p| p >= 0) {
        let range = house_number_range(s, p);
        if range >= 0 && !letter_or_digit_at(s, range) {
            return Some((range, digits));
        }
        if !letter_or_digit_at(s, p) {
            return Some((p, digits));
        }
    }
    None
}

/// /\p{L}/u at `at`, read as a code point (false outside).
fn letter_at(s: &[u16], at: isize) -> bool {
    match code_point_at(s, at) {
        None => false,
        Some((cp, _)) if cp < 128 => is_ascii_letter(cp as i32),
        Some((cp, _)) => lexicon().is_some_and(|lx| lx.letter.has(cp)),
    }
}

/// True when the comma at `comma` closes a field rather than starting decimals.
fn comma_closes_field(tail: &[u16], comma: isize, in_field: bool) -> bool {
    if in_field {
        return true;
    }
    let mut i = comma + 1;
    while i < comma + 6 && is_digit(code_at(tail, i)) {
        i += 1;
    }
    let next = code_at(tail, i);
    let after = code_at(tail, i + 1);
    (next == 46 || next == 47 || next == 45 || next == 32) && is_digit(after)
}

/// WORD_AFTER = /[ \u00A0]([\p{L}%€]{1,12})(?![\p{L}\p{N}])/uy at `at`: the word's range, or None.
fn word_after(lx: &Lexicon, s: &[u16], at: isize) -> Option<(isize, isize)> {
    if !is_gap(code_at(s, at)) {
        return None;
    }
    let start = at + 1;
    // Ends of the first 1..=12 word characters (code points).
    let mut ends = [0isize; 12];
    let mut count = 0usize;
    let mut p = start;
    while count < 12 {
        let Some((cp, len)) = code_point_at(s, p) else { break };
        let in_class = cp == 37 || cp == 0x20ac || if cp < 128 { is_ascii_letter(cp as i32) } else { lx.letter.has(cp) };
        if !in_class {
            break;
        }
        p += len as isize;
        ends[count] = p;
        count += 1;
    }
    // Greedy, then shorter: the first end after which no letter or digit stands.
    (0..count).rev().map(|k| ends[k]).find(|&end| !letter_or_digit_at(s, end)).map(|end| (start, end))
}

struct HouseNumber {
    end: isize,
    digits: usize,
}

/// The house number at `at` in `tail`, or None when there is none or it is a quantity.
fn house_number(lx: &Lexicon, tail: &[u16], at: isize, in_field: bool) -> Option<HouseNumber> {
    let (end, digits) = house_number_match(tail, at)?;
    let next = code_at(tail, end);
    if (next == 46 || next == 44 || next == 58) && is_digit(code_at(tail, end + 1)) && (next != 44 || !comma_closes_field(tail, end, in_field)) {
        return None;
    }
    if next == 37 || next == 176 || next == 0x20ac || next == 36 {
        return None; // % ° € $
    }
    if is_gap(next) {
        if let Some((from, to)) = word_after(lx, tail, end) {
            if lx.german_quantity_units.contains_lower(slice(tail, from, to)) {
                return None;
            }
        }
    }
    Some(HouseNumber { end, digits })
}

struct NumberAndTown {
    number: HouseNumber,
    number_end: isize,
    word_after: bool,
    end: isize,
    town: bool,
    unit: bool,
}

/// An English word that follows a place in a sentence ("Unter den Linden 154 by Friday").
fn english_word_at(lx: &Lexicon, tail: &[u16], at: isize) -> bool {
    let mut end = at;
    while end < at + 9 && (97..=122).contains(&code_at(tail, end)) {
        end += 1;
    }
    end > at && !is_alnum_at(tail, end) && lx.words_after_address.contains(slice(tail, at, end))
}

/// Reads number, PLZ and town (and country) after `street_end`, within the cap from `start`.
fn read_number_and_town(lx: &Lexicon, text: &[u16], start: isize, street_end: isize) -> Option<NumberAndTown> {
    let tail = tail_slice(text, street_end, start + MAX + 1);
    let room = start + MAX - street_end;
    let opener = code_at(text, start - 1);
    let number = house_number(lx, tail, 0, opener == 44 || opener == 59 || opener == 9)?;
    if number.end > room {
        return None;
    }
    let mut end = number.end;
    let mut unit = false;
    for _ in 0..2 {
        let u = match_german_unit(tail, end);
        if u < 0 || u > room {
            break;
        }
        end = u;
        unit = true;
    }
    let town = match_german_locality(tail, end);
    let has_town = town >= 0 && town <= room;
    if has_town {
        end = town;
        let country = match_country(tail, end);
        if country >= 0 && country <= room {
            end = country;
        }
    }
    // LOWER.test(tail.charAt(number.end + 1)): one code unit.
    let after = code_at(tail, number.end + 1);
    let word_after = is_gap(code_at(tail, number.end))
        && after >= 0
        && super::address_lexicon::is_lower_unit(after as u16)
        && !english_word_at(lx, tail, number.end + 1);
    let number_end = street_end + number.end;
    Some(NumberAndTown { number, number_end, word_after, end: street_end + end, town: has_town, unit })
}

/// "Hauptstraße 5", "Berliner Straße 5", "Konrad-Adenauer-Straße 1", "Am Mühlenweg 5".
fn suffix_candidate(lx: &Lexicon, text: &[u16], word_start: isize, suffix_start: isize, suffix_end: isize, floor: isize) -> Option<AddressCandidate> {
    let (not_street, weak, english_ring) = LOWER.with(|cell| {
        let mut word = cell.borrow_mut();
        to_lower_into(slice(text, word_start, suffix_end), &mut word);
        let not_street = lx.not_german_streets.contains(&word);
        // word.slice(suffixStart - wordStart): an offset of the original into the lower-cased copy.
        let from = ((suffix_start - word_start) as usize).min(word.len());
        let weak = lx.weak_german_suffixes.contains(&word[from..]);
        // /[aeiouy]ring$/
        let n = word.len();
        let gerund = n >= 5
            && word[n - 4..] == [114, 105, 110, 103]
            && matches!(word[n - 5], 97 | 101 | 105 | 111 | 117 | 121);
        let english_ring = lx.english_ring_words.contains(&word) || gerund;
        (not_street, weak, english_ring)
    });
    if not_street || (weak && english_ring) {
        return None;
    }
    let mut start = word_start;
    let mut adjectives = 0;
    let mut nearest_adjective = -1;
    while adjectives < MAX_ADJECTIVES {
        let before = adjective_before(lx, text, start, floor);
        if before < 0 {
            break;
        }
        if adjectives == 0 {
            nearest_adjective = before;
        }
        start = before;
        adjectives += 1;
    }
    let standalone = word_start == suffix_start;
    if standalone && adjectives == 0 {
        return None;
    }
    start = prefix_before(lx, text, start, floor);
    if suffix_end - start > MAX {
        return None;
    }
    let rest = read_number_and_town(lx, text, start, suffix_end)?;
    let core_score = if weak { SCORE_WEAK_SUFFIX } else { SCORE_SUFFIX };
    let bare = if standalone { nearest_adjective } else { word_start };
    Some(AddressCandidate {
        start: start as u32,
        end: rest.end as u32,
        score: tail_score(core_score, &rest),
        core: Some(Core { end: rest.number_end as u32, score: core_score }),
        bare_start: Some(bare as u32),
    })
}

/// Is `word` the first word of a German street prefix (PREPOSITIONS)?
fn is_preposition(lx: &Lexicon, word: &[u16]) -> bool {
    lx.german_street_prefixes.words().iter().any(|prefix| {
        let first = prefix.iter().position(|&c| c == 32).map_or(&prefix[..], |k| &prefix[..k]);
        first == word
    })
}

/// NAME_WORD = /\p{Lu}[\p{L}'’-]{0,38}\p{Ll}(?![\p{L}\p{N}])/uy at `at`: its end, or -1.
fn name_word_end(lx: &Lexicon, text: &[u16], at: isize) -> isize {
    let Some((first, first_len)) = code_point_at(text, at) else { return -1 };
    if !is_upper_cp(lx, first) {
        return -1;
    }
    // The code points after the capital that the middle class takes (up to 39: 38 and the last).
    let mut ends = [0isize; 39];
    let mut lower = [false; 39];
    let mut count = 0usize;
    let mut p = at + first_len as isize;
    while count < 39 {
        let Some((cp, len)) = code_point_at(text, p) else { break };
        let letter = if cp < 128 { is_ascii_letter(cp as i32) } else { lx.letter.has(cp) };
        if !(letter || cp == 39 || cp == 0x2019 || cp == 45) {
            break;
        }
        p += len as isize;
        ends[count] = p;
        lower[count] = if cp < 128 { (97..=122).contains(&cp) } else { lx.lower.has(cp) };
        count += 1;
    }
    // The last name character is the (k+1)-th: k middle ones before it, k at most 38.
    for k in (0..count).rev() {
        if lower[k] && !letter_or_digit_at(text, ends[k]) {
            return ends[k];
        }
    }
    -1
}

#[inline]
fn is_upper_cp(lx: &Lexicon, cp: u32) -> bool {
    if cp < 128 {
        (65..=90).contains(&cp)
    } else {
        lx.upper.has(cp)
    }
}

/// "Am Markt 3", "Unter den Linden 77", "Zur Alten Mühle 5".
fn prefix_form_candidate(lx: &Lexicon, text: &[u16], start: isize, name_start: isize) -> Option<AddressCandidate> {
    let mut street_end = name_start;
    let mut words = 0;
    loop {
        if words == MAX_PREFIX_NAME_WORDS {
            return None;
        }
        if words > 0 {
            if !is_gap(code_at(text, street_end)) {
                return None;
            }
            street_end += 1;
        }
        let end = name_word_end(lx, text, street_end);
        if end < 0 {
            return None;
        }
        let last_word = slice(text, street_end, end);
        if words == 0 && lx.german_prefix_not_a_street.contains_lower(last_word) {
            return None;
        }
        if is_preposition(lx, last_word) {
            return None;
        }
        street_end = end;
        if street_end - start > MAX {
            return None;
        }
        words += 1;
        let Some(rest) = read_number_and_town(lx, text, start, street_end) else { continue };
        let suffixed = street_suffix_start(lx, last_word, 0, last_word.len() as isize) >= 0;
        let core_valid = rest.number.digits <= MAX_PREFIX_FORM_DIGITS && (suffixed || !rest.word_after);
        if !rest.town && !rest.unit && !core_valid {
            return None;
        }
        let core_score = if suffixed { SCORE_SUFFIX } else { SCORE_PREFIX_FORM };
        return Some(AddressCandidate {
            start: start as u32,
            end: rest.end as u32,
            score: tail_score(core_score, &rest),
            core: if core_valid { Some(Core { end: rest.number_end as u32, score: core_score }) } else { None },
            bare_start: None,
        });
    }
}

/// POSTFACH_NUMBER = /[ \u00A0][0-9]{1,7}(?:[ \u00A0][0-9]{2}){0,3}(?![\p{L}\p{N}])/uy at 0.
fn postfach_number_end(s: &[u16]) -> isize {
    if !is_gap(code_at(s, 0)) {
        return -1;
    }
    let mut i = 1;
    while is_digit(code_at(s, i)) {
        i += 1;
    }
    if i == 1 || i - 1 > 7 {
        return -1;
    }
    let mut ends = [i; 4];
    let mut groups = 0;
    while groups < 3 && is_gap(code_at(s, i)) && is_digit(code_at(s, i + 1)) && is_digit(code_at(s, i + 2)) {
        i += 3;
        groups += 1;
        ends[groups] = i;
    }
    // Greedy, then one group fewer (whose end is followed by the next group's space).
    if !letter_or_digit_at(s, ends[groups]) {
        ends[groups]
    } else if groups > 0 {
        ends[groups - 1]
    } else {
        -1
    }
}

/// "Postfach 10 11 20, 10115 Berlin".
fn postfach_candidate(text: &[u16], start: isize, word_end: isize) -> Option<AddressCandidate> {
    let tail = tail_slice(text, word_end, start + MAX + 1);
    let room = start + MAX - word_end;
    let number_end = postfach_number_end(tail);
    if number_end < 0 || number_end > room {
        return None;
    }
    let town = match_german_locality(tail, number_end);
    let has_town = town >= 0 && town <= room;
    let mut first_group = 0;
    while is_digit(code_at(tail, 1 + first_group)) {
        first_group += 1;
    }
    Some(AddressCandidate {
        start: start as u32,
        end: (word_end + if has_town { town } else { number_end }) as u32,
        score: if has_town { SCORE_WITH_TOWN } else { SCORE_POSTFACH },
        core: Some(Core { end: (word_end + 1 + first_group) as u32, score: SCORE_POSTFACH }),
        bare_start: None,
    })
}

/// Per ASCII last unit, the indices of the street endings whose last unit it fits (`unit_fits`),
/// in the list's order; the entry past them holds every ending (for any other last unit). The
/// lexicon is configured once, so the table is built once.
fn suffixes_by_last_unit(lx: &Lexicon) -> &'static [Vec<usize>; 129] {
    static TABLE: std::sync::OnceLock<[Vec<usize>; 129]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let words = lx.german_street_suffixes.words();
        std::array::from_fn(|code| {
            (0..words.len())
                .filter(|&k| code == 128 || words[k].last().is_some_and(|&want| unit_fits(code as i32, want)))
                .collect()
        })
    })
}

/// Where in `text[start, end)` a street ending ("straße", "str.", "weg") starts, or -1: the
/// longest ending that ends the word, an ASCII letter of it in either case.
pub fn street_suffix_start(lx: &Lexicon, text: &[u16], start: isize, end: isize) -> isize {
    let mut best = -1;
    let mut best_len = 0;
    let last = code_at(text, end - 1);
    let words = lx.german_street_suffixes.words();
    // Most endings fail on the last unit: only those it fits are tried (an ASCII one picks them
    // from a table, any other unit tries them all).
    let tried = &suffixes_by_last_unit(lx)[if (0..128).contains(&last) { last as usize } else { 128 }];
    // Longest first; at one length the list's order (a stable sort), the first that fits.
    for suffix in tried.iter().filter_map(|&k| words.get(k)) {
        let at = end - suffix.len() as isize;
        // (Asked again for the entry that holds every ending.)
        let last_fits = suffix.last().is_some_and(|&want| unit_fits(last, want));
        if at >= start && suffix.len() > best_len && last_fits && suffix_at(text, at, suffix) {
            best = at;
            best_len = suffix.len();
        }
    }
    best
}

fn suffix_at(text: &[u16], at: isize, suffix: &[u16]) -> bool {
    suffix.iter().enumerate().all(|(k, &want)| unit_fits(code_at(text, at + k as isize), want))
}

/// `code` is the ending's unit `want`, an ASCII letter of it in either case.
#[inline]
fn unit_fits(code: i32, want: u16) -> bool {
    let want = want as i32;
    code == want || ((97..=122).contains(&want) && code == want - 32)
}

/// Where a prefix-form street starts (its preposition) and its name starts.
fn preposition_start(lx: &Lexicon, text: &[u16], word_start: isize, floor: isize) -> Option<(isize, isize)> {
    let mut name_start = word_start;
    for _ in 1..=MAX_PREFIX_NAME_WORDS {
        let start = prefix_before(lx, text, name_start, floor);
        if start < name_start {
            return Some((start, name_start));
        }
        let gap = name_start - 1;
        if gap <= floor || !is_gap(code_at(text, gap)) {
            return None;
        }
        let begin = word_start_before(text, gap, floor);
        if begin == gap || !is_upper_at(text, begin) {
            return None;
        }
        name_start = begin;
    }
    None
}

/// True when the word ending at `word_end` is lower-case ASCII from a space, a mark or `floor`.
fn is_lower_case_word(text: &[u16], word_end: isize, floor: isize) -> bool {
    let mut i = if code_at(text, word_end - 1) == 46 { word_end - 1 } else { word_end };
    let limit = word_end - MAX_WORD;
    // Four units a step while they lie above `floor` and `limit` (where the walk below stops
    // anyway): the lower-case run among them is counted without a branch per unit, whose
    // loop's end often went the wrong way.
    let lowest = floor.max(limit);
    while i - 4 >= lowest {
        let Some(&[a, b, c, d]) = text.get((i - 4) as usize..i as usize) else { break };
        let lower = |unit: u16| (unit.wrapping_sub(97) < 26) as u32;
        // Bit 3 for the unit right before `i`: the run is the leading ones of the nibble.
        let run = ((lower(a) | lower(b) << 1 | lower(c) << 2 | lower(d) << 3) << 28).leading_ones();
        i -= run as isize;
        if run < 4 {
            return matches!(code_at(text, i - 1), 32 | 10 | 9 | 44 | 46 | 34 | 58 | 40);
        }
    }
    while i > floor && i > limit {
        if !(97..=122).contains(&code_at(text, i - 1)) {
            break;
        }
        i -= 1;
    }
    let stop = code_at(text, i - 1);
    i == floor || matches!(stop, 32 | 10 | 9 | 44 | 46 | 34 | 58 | 40)
}

const POSTFACH: [u16; 8] = [80, 111, 115, 116, 102, 97, 99, 104];

/// The candidate for the anchor whose word ends at `word_end`.
fn candidate_at(lx: &Lexicon, text: &[u16], word_end: isize, floor: isize) -> Option<AddressCandidate> {
    let dot = if code_at(text, word_end - 1) == 46 { 1 } else { 0 };
    let word_start = word_start_before(text, word_end - dot, floor);
    if word_start == word_end - dot || word_end - dot - word_start >= MAX_WORD || !is_upper_at(text, word_start) {
        return None;
    }
    if word_start > floor && is_alnum_at(text, word_start - 1) {
        return None;
    }
    if word_end - word_start == 8 && slice(text, word_start, word_end) == POSTFACH {
        return postfach_candidate(text, word_start, word_end);
    }
    let suffix_start = street_suffix_start(lx, text, word_start, word_end);
    if suffix_start >= 0 {
        if let Some(c) = suffix_candidate(lx, text, word_start, suffix_start, word_end, floor) {
            return Some(c);
        }
    }
    let (start, name_start) = preposition_start(lx, text, word_start, floor)?;
    prefix_form_candidate(lx, text, start, name_start)
}

/// German addresses (and Postfach boxes), in order, not overlapping, appended to `out`.
/// `numbers`: the text scan's German anchors (TextScan::german_numbers).
pub fn find_german_addresses(text: &[u16], numbers: &[u32], out: &mut Vec<AddressCandidate>) {
    let Some(lx) = lexicon() else { return };
    let mut floor: isize = 0;
    for &number in numbers {
        let number = number as isize;
        if number - 2 < floor || is_lower_case_word(text, number - 1, floor) {
            continue;
        }
        if let Some(candidate) = candidate_at(lx, text, number - 1, floor) {
            floor = candidate.end as isize;
            out.push(candidate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// is_lower_case_word read the slow way: one unit a step.
    fn naive_is_lower_case_word(text: &[u16], word_end: isize, floor: isize) -> bool {
        let mut i = if code_at(text, word_end - 1) == 46 { word_end - 1 } else { word_end };
        let limit = word_end - MAX_WORD;
        while i > floor && i > limit && (97..=122).contains(&code_at(text, i - 1)) {
            i -= 1;
        }
        i == floor || matches!(code_at(text, i - 1), 32 | 10 | 9 | 44 | 46 | 34 | 58 | 40)
    }

    #[test]
    fn is_lower_case_word_agrees_with_a_walk_one_unit_a_step() {
        // Mostly lower-case letters, so that runs cross the four-unit steps, `floor` and the
        // MAX_WORD limit; marks and other units that stop a word.
        let alphabet: Vec<u16> = "abcdefghijklmnopqrstuvwxyzaeiouaeiouaeiou  .,:(\"\t\nAZ`{é1".encode_utf16().collect();
        let mut seed = 20261126u64;
        let mut random = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % bound.max(1)
        };
        let (mut yes, mut no) = (0, 0);
        for _ in 0..20000 {
            let length = random(90);
            // (Some texts of lower-case letters alone, for runs past MAX_WORD.)
            let kinds = if random(4) == 0 { 26 } else { alphabet.len() };
            let mut text: Vec<u16> = (0..length).map(|_| alphabet[random(kinds)]).collect();
            if let Some(unit) = text.get_mut(random(length)) {
                *unit = 32;
            }
            let word_end = random(length + 2) as isize;
            let floor = random(word_end.max(0) as usize + 1) as isize;
            let expected = naive_is_lower_case_word(&text, word_end, floor);
            assert_eq!(is_lower_case_word(&text, word_end, floor), expected, "{:?} {word_end} {floor}", String::from_utf16_lossy(&text));
            if expected {
                yes += 1;
            } else {
                no += 1;
            }
        }
        assert!(yes > 2000 && no > 2000, "{yes} {no}");
    }
}
