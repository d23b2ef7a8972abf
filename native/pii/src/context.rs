//! Context words: the port of src/pii/context.ts (see there for the rules). A context word in the
//! CONTEXT_WINDOW characters before a candidate lifts its score, a negative word in the
//! NEGATIVE_CONTEXT_WINDOW characters before lowers it. The word lists, the recognizers' order
//! and the lower-case table come from the TypeScript side (configure "context").

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::recognizers::Candidate;

pub const CONTEXT_WINDOW: usize = 48;
pub const NEGATIVE_CONTEXT_WINDOW: usize = 16;
const CONTEXT_BOOST: f64 = 0.35;
const CONTEXT_FLOOR: f64 = 0.4;
const NEGATIVE_CONTEXT_PENALTY: f64 = 0.45;

/// What a scorer answers for a candidate below the threshold even with a context word.
pub const DROPPED: f64 = -1.0;

const LATIN_CAPITAL_I_WITH_DOT: u16 = 0x130;
const KELVIN_SIGN: u16 = 0x212a;

/// How many recognizer ids there are (ENTITY_TYPES in src/pii/types.ts).
pub const RECOGNIZERS: usize = 7;

#[inline]
fn is_word_char(code: i32) -> bool {
    (48..=57).contains(&code) || (97..=122).contains(&code) || (65..=90).contains(&code) || code == 95
}

/// JavaScript's Math.max / Math.min: NaN when either is NaN (f64::max would drop it).
#[inline]
fn js_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_positive() {
            a
        } else {
            b
        }
    } else if a > b {
        a
    } else {
        b
    }
}

#[inline]
fn js_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_negative() {
            a
        } else {
            b
        }
    } else if a < b {
        a
    } else {
        b
    }
}

const WORD_CHAR: u8 = 1;
const FIRST_CHAR: u8 = 2;

/// One word list compiled into a trie over lower-case characters (`WordTrie` in context.ts).
#[derive(Debug)]
pub struct WordMatcher {
    words: Vec<Vec<u16>>,
    /// state * width + column[code] -> the transition, 0 for none (state 0 is the root). A
    /// transition is the next state * 2, plus 1 when a word ends there: one load a character.
    ascii: Vec<u32>,
    /// Per ASCII code unit of the text, the column of its lower case.
    column: [u8; 128],
    width: usize,
    /// Transitions (as in `ascii`) on non-ASCII characters, keyed state * 65536 + code.
    other: HashMap<u64, u32>,
    /// Per ASCII code unit its WORD_CHAR and FIRST_CHAR bits; from 128 to 255 none.
    classes: [u8; 256],
}

impl WordMatcher {
    /// compileWords. Word lists the trie cannot take (an empty word, a first character beyond
    /// ASCII, a surrogate or a sigma) are refused: the TypeScript side reads them through the
    /// lower-cased window, whose full Unicode casing the kernel does not copy.
    fn compile(words: Vec<Vec<u16>>) -> Result<WordMatcher, String> {
        let mut states = 1usize;
        for word in &words {
            let first_ascii = word.first().is_some_and(|&c| c < 128);
            if !first_ascii || word.iter().any(|&c| (0xd800..=0xdfff).contains(&c) || c == 0x3c2 || c == 0x3c3) {
                return Err(format!(
                    "context: the kernel cannot take the word {:?} (empty, not starting in ASCII, or holding a surrogate or a sigma)",
                    String::from_utf16_lossy(word)
                ));
            }
            states += word.len();
        }
        if states >= 1 << 30 {
            return Err("context: too many words".to_string());
        }
        let mut column = [0u8; 128];
        let mut width = 1usize;
        for word in &words {
            for &code in word {
                if code < 128 && column[code as usize] == 0 {
                    column[code as usize] = width as u8;
                    width += 1;
                }
            }
        }
        let mut ascii = vec![0u32; states * width];
        let mut other: HashMap<u64, u32> = HashMap::new();
        let mut accepts = vec![false; states];
        let mut used = 1u32;
        // States first, then each transition marked with whether its state ends a word.
        for word in &words {
            let mut state = 0u32;
            for &code in word {
                let next = if code < 128 {
                    let key = state as usize * width + column[code as usize] as usize;
                    if ascii[key] == 0 {
                        ascii[key] = used;
                        used += 1;
                    }
                    ascii[key]
                } else {
                    let key = state as u64 * 65536 + code as u64;
                    *other.entry(key).or_insert_with(|| {
                        used += 1;
                        used - 1
                    })
                };
                state = next;
            }
            accepts[state as usize] = true;
        }
        let mark = |next: &mut u32| {
            if *next != 0 {
                *next = *next * 2 + u32::from(accepts[*next as usize]);
            }
        };
        ascii.iter_mut().for_each(mark);
        other.values_mut().for_each(mark);
        let mut folded = [0u8; 128];
        let mut classes = [0u8; 256];
        for code in 0..128 {
            let lower = if (65..=90).contains(&code) { code + 32 } else { code };
            folded[code] = column[lower];
            let word = if is_word_char(code as i32) { WORD_CHAR } else { 0 };
            let first = if ascii[column[lower] as usize] != 0 { FIRST_CHAR } else { 0 };
            classes[code] = word | first;
        }
        Ok(WordMatcher { words, ascii, column: folded, width, other, classes })
    }
}

/// The configured data: per recognizer id its positive and negative lists, the order the
/// scanner runs the recognizers in, and the lower case of every BMP code unit.
#[derive(Debug)]
pub struct ContextConfig {
    /// Recognizer ids in the scanner's order (defaultRecognizers()).
    pub order: Vec<i32>,
    positive: Vec<Option<WordMatcher>>,
    negative: Vec<Option<WordMatcher>>,
    /// `String.fromCharCode(c).toLowerCase()` per code unit: its first unit...
    lower: Vec<u16>,
    /// ...and the whole of it where it is longer than one unit ("İ").
    lower_long: HashMap<u16, Vec<u16>>,
}

static CONFIG: OnceLock<ContextConfig> = OnceLock::new();

pub fn configured() -> bool {
    CONFIG.get().is_some()
}

pub fn config() -> Result<&'static ContextConfig, String> {
    CONFIG.get().ok_or_else(|| "the kernel is not configured (context)".to_string())
}

fn parse_id(field: &str) -> Result<usize, String> {
    let id: usize = field.parse().map_err(|_| format!("context: bad recognizer id {field}"))?;
    if id >= RECOGNIZERS {
        return Err(format!("context: bad recognizer id {field}"));
    }
    Ok(id)
}

fn parse_hex(field: &str) -> Result<u16, String> {
    u16::from_str_radix(field, 16).map_err(|_| format!("context: bad code unit {field}"))
}

/// configure("context", data), data in lines of tab-separated fields:
/// `recognizer <id>` (in the scanner's order), `context <id> <word>`, `negative <id> <word>`,
/// `lower <code> <lower>[.<lower>...]` (hexadecimal code units, only those that change).
pub fn configure(data: &str) -> Result<(), String> {
    let mut order = Vec::new();
    let mut positive: Vec<Vec<Vec<u16>>> = vec![Vec::new(); RECOGNIZERS];
    let mut negative: Vec<Vec<Vec<u16>>> = vec![Vec::new(); RECOGNIZERS];
    let mut lower: Vec<u16> = (0..=0xffffu32).map(|c| c as u16).collect();
    let mut lower_long = HashMap::new();
    let mut has_lower = false;
    for line in data.split('\n').filter(|l| !l.is_empty()) {
        let mut fields = line.splitn(3, '\t');
        let kind = fields.next().unwrap_or("");
        let first = fields.next().ok_or_else(|| format!("context: bad line {line:?}"))?;
        match kind {
            "recognizer" => {
                let id = parse_id(first)?;
                if order.contains(&(id as i32)) {
                    return Err(format!("context: recognizer {id} twice"));
                }
                order.push(id as i32);
            }
            "context" | "negative" => {
                let id = parse_id(first)?;
                let word = fields.next().ok_or_else(|| format!("context: bad line {line:?}"))?;
                let list = if kind == "context" { &mut positive[id] } else { &mut negative[id] };
                list.push(word.encode_utf16().collect());
            }
            "lower" => {
                has_lower = true;
                let code = parse_hex(first)?;
                let to = fields.next().ok_or_else(|| format!("context: bad line {line:?}"))?;
                let units = to.split('.').map(parse_hex).collect::<Result<Vec<u16>, String>>()?;
                let head = *units.first().ok_or_else(|| format!("context: bad line {line:?}"))?;
                lower[code as usize] = head;
                if units.len() > 1 {
                    lower_long.insert(code, units);
                }
            }
            _ => return Err(format!("context: bad line {line:?}")),
        }
    }
    if !has_lower {
        return Err("context: no lower-case table".to_string());
    }
    let compile = |lists: Vec<Vec<Vec<u16>>>| -> Result<Vec<Option<WordMatcher>>, String> {
        lists
            .into_iter()
            .map(|words| if words.is_empty() { Ok(None) } else { WordMatcher::compile(words).map(Some) })
            .collect()
    };
    let config = ContextConfig { order, positive: compile(positive)?, negative: compile(negative)?, lower, lower_long };
    // A second configure (another worker thread loading the addon) hands over the same data.
    let _ = CONFIG.set(config);
    Ok(())
}

/// lowerCode's answer for the two characters folding alone cannot read.
const UNDECIDED: i32 = -1;

impl ContextConfig {
    /// The recognizer's scorer, or None when it names no context words (contextScorerFor).
    pub fn scorer_for(&self, id: i32, threshold: f64) -> Option<ContextScorer<'_>> {
        let index = usize::try_from(id).ok().filter(|&i| i < RECOGNIZERS)?;
        let positive = self.positive.get(index).and_then(Option::as_ref);
        let negative = self.negative.get(index).and_then(Option::as_ref);
        if positive.is_none() && negative.is_none() {
            return None;
        }
        // (Not `threshold <= 0.0`: a NaN threshold drops nothing here either.)
        #[allow(clippy::neg_cmp_op_on_partial_ord)]
        let hopeless = if !(threshold > 0.0) {
            f64::NEG_INFINITY
        } else if positive.is_none() {
            threshold
        } else {
            lowest_boosted_to_cached(threshold)
        };
        Some(ContextScorer { config: self, positive, negative, hopeless })
    }

    /// lowerCode: one code unit's lower case as toLowerCase gives it inside a string.
    #[inline]
    fn lower_code(&self, code: u16) -> i32 {
        if code < 128 {
            return if (65..=90).contains(&code) { code as i32 + 32 } else { code as i32 };
        }
        if code == LATIN_CAPITAL_I_WITH_DOT || code == KELVIN_SIGN {
            return UNDECIDED;
        }
        self.lower.get(code as usize).map_or(code as i32, |&l| l as i32)
    }

    #[inline]
    fn lower_at(&self, text: &[u16], index: usize, end: usize) -> i32 {
        if index >= end {
            32
        } else {
            text.get(index).map_or(32, |&c| self.lower_code(c))
        }
    }

    /// wordStartsAt: 1 when a word of the trie starts at `at` and ends as a word before `end`.
    fn word_starts_at(&self, text: &[u16], at: usize, end: usize, low: usize, trie: &WordMatcher) -> i32 {
        let end = end.min(text.len());
        let Some(part) = text.get(at..end) else {
            return 0;
        };
        let mut state = 0usize;
        for (k, &raw) in part.iter().enumerate() {
            let step = if raw < 128 {
                let key = state * trie.width + trie.column[raw as usize] as usize;
                trie.ascii.get(key).copied().unwrap_or(0)
            } else {
                match self.other_step(trie, state, raw) {
                    Some(step) => step,
                    None => return UNDECIDED,
                }
            };
            if step == 0 {
                return 0;
            }
            state = (step >> 1) as usize;
            if step & 1 != 0 {
                let found = self.word_ends(text, at, at + k, end, low);
                if found != 0 {
                    return found;
                }
            }
        }
        0
    }

    /// The trie's step from `state` on a code unit beyond ASCII (a transition as in
    /// `WordMatcher::ascii`, 0 for none), or None for the characters folding alone cannot read.
    /// Out of line: rare, and the hashing would crowd the ASCII walk's registers.
    #[cold]
    #[inline(never)]
    fn other_step(&self, trie: &WordMatcher, state: usize, raw: u16) -> Option<u32> {
        let code = self.lower_code(raw);
        if code == UNDECIDED {
            return None;
        }
        Some(trie.other.get(&(state as u64 * 65536 + code as u64)).copied().unwrap_or(0))
    }

    /// A word of the trie read from `at` to `last`: 1 when it ends there as a word (not a mask
    /// tag) before `end`, 0 when not, UNDECIDED when that depends on a character folding alone
    /// cannot read.
    #[inline(never)]
    fn word_ends(&self, text: &[u16], at: usize, last: usize, end: usize, low: usize) -> i32 {
        let after = self.lower_at(text, last + 1, end);
        if after == UNDECIDED {
            return UNDECIDED;
        }
        // "<word>" or "<word:": a mask tag, no context.
        if at > low && text.get(at - 1) == Some(&60) && (after == 62 || after == 58) {
            return 0;
        }
        if !is_word_char(after) {
            return 1;
        }
        if after == 115 {
            let next = self.lower_at(text, last + 2, end);
            if next == UNDECIDED {
                return UNDECIDED;
            }
            if !is_word_char(next) {
                return 1;
            }
        }
        0
    }

    /// anyWordFast: the word starts tried from the candidate back. The window is read in pieces
    /// of up to PIECE characters, nearest first, each classed without branches (a branch per
    /// character mispredicts on ordinary text) two bits a character into one word with the
    /// character before it, whose starts (a word's first character not after a word character)
    /// are then tried from the last. A piece with a character above U+00FF (the table is indexed
    /// by the low byte) is classed again by class_bits_wide; one holding "İ" or the Kelvin sign,
    /// there or just before, is read one character at a time instead.
    fn any_word_fast(&self, text: &[u16], start: usize, size: usize, trie: &WordMatcher) -> i32 {
        // Half the context window: the usual window is two full pieces, which the compiler
        // unrolls, and a word found in the nearer spares classing the farther.
        const PIECE: usize = CONTEXT_WINDOW / 2;
        // Two bits for each of PIECE + 1 characters must fit in a u64.
        const _: () = assert!(PIECE < 32);
        let from = start as isize - size as isize;
        let start = start.min(text.len());
        let low = if from > 0 { (from as usize).min(start) } else { 0 };
        let classes = &trie.classes;
        let mut end = start;
        while end > low {
            let begin = end.saturating_sub(PIECE).max(low);
            // Characters begin - 1 (none at 0) .. end: two bits each, the last lowest.
            let piece = &text[begin.saturating_sub(1)..end];
            let (mut bits, above_latin1) = match <&[u16; PIECE + 1]>::try_from(piece) {
                Ok(full) => class_bits(full, classes),
                Err(_) => class_bits(piece, classes),
            };
            if above_latin1 {
                match class_bits_wide(piece, classes) {
                    Some(wide) => bits = wide,
                    None => return self.any_word_in_order_rarely(text, start, end, from, low, trie),
                }
            }
            // Character j's bits are 2 * (end - 1 - j) up: its first-character bit is 1 up, the
            // word-character bit of the one before it 2 up. (Before the window, text[low - 1] is
            // what cuts_word reads.)
            let firsts = 0xaaaa_aaaa_aaaa_aaaa_u64 & ((1u64 << (2 * (end - begin))) - 1);
            let mut starts = bits & !(bits >> 1) & firsts;
            while starts != 0 {
                let j = end - 1 - (starts.trailing_zeros() as usize >> 1);
                starts &= starts - 1;
                let found = self.word_starts_at(text, j, start, low, trie);
                if found != 0 {
                    return found;
                }
            }
            end = begin;
        }
        0
    }

    /// any_word_in_order for the rest of the window, [low, top): out of line, rare.
    #[cold]
    #[inline(never)]
    fn any_word_in_order_rarely(&self, text: &[u16], start: usize, top: usize, from: isize, low: usize, trie: &WordMatcher) -> i32 {
        self.any_word_in_order(text, start, top, low, from, low, trie)
    }

    /// anyWordFast one character at a time: the starts in [bottom, top), from the last.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn any_word_in_order(
        &self,
        text: &[u16],
        start: usize,
        top: usize,
        bottom: usize,
        from: isize,
        low: usize,
        trie: &WordMatcher,
    ) -> i32 {
        let classes = &trie.classes;
        let mut i = top;
        while i > bottom {
            i -= 1;
            let code = text[i];
            if code >= 128 {
                if code == LATIN_CAPITAL_I_WITH_DOT || code == KELVIN_SIGN {
                    return UNDECIDED;
                }
                continue;
            }
            if classes[code as usize] & FIRST_CHAR == 0 {
                continue;
            }
            if i == low {
                if cuts_word(text, from) {
                    continue;
                }
            } else {
                let before = text[i - 1];
                if before < 128 {
                    if classes[before as usize] & WORD_CHAR != 0 {
                        continue;
                    }
                } else if before == LATIN_CAPITAL_I_WITH_DOT || before == KELVIN_SIGN {
                    return UNDECIDED;
                }
            }
            let found = self.word_starts_at(text, i, start, low, trie);
            if found != 0 {
                return found;
            }
        }
        0
    }

    /// wordBeforeByRule: a word occurs whole in the lower-cased window. The window is lower-cased
    /// one code unit at a time ("İ" into its two): for the lists the kernel takes (see
    /// `WordMatcher::compile`) that answers as toLowerCase would, because what it does differently
    /// (final sigma, astral letters) only touches characters no such word holds and that are no
    /// word characters, before or after.
    #[cold]
    #[inline(never)]
    fn word_before_by_rule(&self, text: &[u16], start: usize, size: usize, words: &[Vec<u16>]) -> bool {
        let from = start as isize - size as isize;
        let low = if from > 0 { from as usize } else { 0 };
        let high = start.min(text.len());
        WINDOW.with(|cell| {
            let mut window = cell.borrow_mut();
            window.clear();
            for &code in text.get(low..high).unwrap_or(&[]) {
                match self.lower_long.get(&code) {
                    Some(units) => window.extend_from_slice(units),
                    None => window.push(self.lower.get(code as usize).copied().unwrap_or(code)),
                }
            }
            let starts_mid_word = cuts_word(text, from);
            words.iter().any(|word| contains_word(&window, word, starts_mid_word))
        })
    }

    /// wordBeforeIn.
    pub fn word_before(&self, text: &[u16], start: usize, size: usize, matcher: &WordMatcher) -> bool {
        let fast = self.any_word_fast(text, start, size, matcher);
        if fast != UNDECIDED {
            return fast == 1;
        }
        self.word_before_by_rule(text, start, size, &matcher.words)
    }
}

thread_local! {
    /// The lower-cased window of the rare path, reused.
    static WINDOW: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// The classes of up to 32 characters, two bits each, the last lowest, and whether one of them is
/// above U+00FF (then the bits are wrong, and the piece must be read one character at a time: the
/// table is indexed by the low byte alone, to keep the loop free of branches).
#[inline(always)]
fn class_bits(piece: &[u16], classes: &[u8; 256]) -> (u64, bool) {
    let mut bits = 0u64;
    let mut high = 0u16;
    for &code in piece {
        bits = bits << 2 | u64::from(classes[usize::from(code as u8)]);
        high |= code;
    }
    (bits, high > 0xff)
}

/// class_bits for a piece holding a character above U+00FF: such a character is no word character
/// and starts no word (a word starts in ASCII, and only "İ" and the Kelvin sign lower-case into
/// ASCII), so its bits are 0; None when the piece holds one of those two (read it one character
/// at a time then). Out of line: rarer than the rest.
#[cold]
#[inline(never)]
fn class_bits_wide(piece: &[u16], classes: &[u8; 256]) -> Option<u64> {
    let mut bits = 0u64;
    for &code in piece {
        if code == LATIN_CAPITAL_I_WITH_DOT || code == KELVIN_SIGN {
            return None;
        }
        bits = bits << 2 | u64::from(classes[usize::from(code.min(255))]);
    }
    Some(bits)
}

/// cutsWord: text[from] is inside a word.
#[inline]
fn cuts_word(text: &[u16], from: isize) -> bool {
    from > 0 && text.get(from as usize - 1).is_some_and(|&c| is_word_char(c as i32))
}

/// containsWord: `phrase` occurs in `window` as a whole word, not as a mask tag.
fn contains_word(window: &[u16], phrase: &[u16], starts_mid_word: bool) -> bool {
    if phrase.is_empty() || phrase.len() > window.len() {
        return false;
    }
    let at_code = |index: usize| -> i32 { window.get(index).map_or(32, |&c| c as i32) };
    for at in 0..=(window.len() - phrase.len()) {
        if window[at..at + phrase.len()] != *phrase {
            continue;
        }
        let before = if at == 0 {
            if starts_mid_word {
                97
            } else {
                32
            }
        } else {
            window[at - 1] as i32
        };
        let after_index = at + phrase.len();
        let after = at_code(after_index);
        let is_mask_tag = before == 60 && (after == 62 || after == 58);
        // (`charCodeAt(afterIndex + 1) || 32`: a NUL reads as a space there, no word char either way.)
        let ends_word = !is_word_char(after) || (after == 115 && !is_word_char(at_code(after_index + 1)));
        if !is_word_char(before) && ends_word && !is_mask_tag {
            return true;
        }
    }
    false
}

/// What a positive context word makes of `score`.
#[inline]
fn boosted(score: f64) -> f64 {
    js_max(CONTEXT_FLOOR, js_min(1.0, score + CONTEXT_BOOST))
}

/// lowestBoostedTo: any score below it stays below `threshold` even boosted (found by halving).
fn lowest_boosted_to(threshold: f64) -> f64 {
    if boosted(0.0) >= threshold {
        return 0.0;
    }
    let mut low = 0.0f64;
    let mut high = 1.0f64;
    for _ in 0..64 {
        let middle = (low + high) / 2.0;
        if middle == low || middle == high {
            break;
        }
        if boosted(middle) >= threshold {
            high = middle;
        } else {
            low = middle;
        }
    }
    low
}

thread_local! {
    /// The last threshold asked for and its lowest_boosted_to: detect makes scorers per call, and
    /// the halving costs more than scoring a short text's candidates.
    static LOWEST: std::cell::Cell<(u64, f64)> = const { std::cell::Cell::new((u64::MAX, 0.0)) };
}

fn lowest_boosted_to_cached(threshold: f64) -> f64 {
    let bits = threshold.to_bits();
    let (cached_bits, cached) = LOWEST.get();
    if cached_bits == bits {
        return cached;
    }
    let low = lowest_boosted_to(threshold);
    LOWEST.set((bits, low));
    low
}

/// One recognizer's scorer for one threshold (ContextScorer).
pub struct ContextScorer<'a> {
    config: &'a ContextConfig,
    positive: Option<&'a WordMatcher>,
    negative: Option<&'a WordMatcher>,
    hopeless: f64,
}

impl ContextScorer<'_> {
    /// The candidate's score after its context words, or DROPPED when that is below the threshold.
    pub fn score(&self, text: &[u16], candidate: &Candidate) -> f64 {
        let mut score = candidate.score;
        if score < self.hopeless {
            return DROPPED;
        }
        if self.negative.is_none() && (self.positive.is_none() || score == 1.0) {
            return score;
        }
        let start = candidate.start as usize;
        let lifted = match self.positive {
            Some(words) => self.config.word_before(text, start, CONTEXT_WINDOW, words),
            None => false,
        };
        if lifted {
            score = boosted(score);
        } else if let Some(words) = self.negative {
            if self.config.word_before(text, start, NEGATIVE_CONTEXT_WINDOW, words) {
                score = js_max(0.0, score - NEGATIVE_CONTEXT_PENALTY);
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_word_rules() {
        let w = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        assert!(contains_word(&w("passport 1"), &w("passport"), false));
        assert!(contains_word(&w("passports: "), &w("passport"), false));
        assert!(!contains_word(&w("passporting"), &w("passport"), false));
        assert!(!contains_word(&w("<passport> "), &w("passport"), false));
        assert!(!contains_word(&w("passport"), &w("passport"), true));
        assert!(!contains_word(&w(""), &w("passport"), false));
    }

    #[test]
    fn lowest_boosted() {
        assert_eq!(lowest_boosted_to(0.4), 0.0);
        let low = lowest_boosted_to(0.5);
        assert!(boosted(low) < 0.5 || low == 0.0);
        assert!(low < 0.15 + 1e-12 && low > 0.14);
    }
}
