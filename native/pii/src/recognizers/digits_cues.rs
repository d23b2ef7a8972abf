//! Port of src/pii/recognizers/digits-cues.ts (`cueBefore`): see there for the rules. The word
//! lists stay in the TypeScript recognizers; each arrives through `configure` in the text format
//! `CueWords::parse` reads (written by src/pii/native-config/digits.ts `cueWordsData`).
//!
//! API for the recognizers: `CueWords::parse(data)` once at configure (keep it in a OnceLock),
//! then `cue_before(text, start, &words)` per candidate.

use crate::chars::is_ascii_word;

/// Longest word before a "." still read as an abbreviation ("ver.", "no.", "Tel.", "acct.").
const MAX_ABBREVIATION: isize = 4;

/// One recognizer's cue words (`CueWords` in digits-cues.ts) and the context window they are
/// read in (CONTEXT_WINDOW of context.ts, handed over with them).
#[derive(Clone, Debug, Default)]
pub struct CueWords {
    /// Lower-case words that, owning the number, make it something else.
    cues: Vec<Vec<u16>>,
    /// Cues that also count at the end of a word.
    suffix_cues: Vec<Vec<u16>>,
    /// Lower-case words that show the number is introduced as something else.
    stops: Vec<Vec<u16>>,
    /// How many other words may stand between the cue and the number.
    max_words: usize,
    /// How far before the number words are read (CONTEXT_WINDOW).
    window: usize,
    /// `cues` and `stops` by length (index: the word's length), so a word read is compared
    /// with the few of its own length only.
    cues_by_length: Vec<Vec<Vec<u16>>>,
    stops_by_length: Vec<Vec<Vec<u16>>>,
    /// The cues and stops of up to KEY_CHARS characters by their keys (see `key_of`): an open
    /// addressing table, a quarter full at most, 0 for an empty slot...
    key_slots: Vec<u128>,
    /// ...and per slot whether its word is a cue (CUE) or else a stop (STOP).
    key_tags: Vec<u8>,
    /// The suffix cues of up to KEY_CHARS characters: key, length and the key's mask.
    suffix_keys: Vec<(u128, usize, u128)>,
}

/// A word read before the number is compared by its key when it has at most this many
/// characters: 7 bits each in a u128 (longer ones are compared character by character).
const KEY_CHARS: usize = 18;
const KEY_BITS: usize = 7;
const NEITHER: u8 = 0;
const CUE: u8 = 1;
const STOP: u8 = 2;

/// Per code unit below 256: its lower case when it is an ASCII word character ([0-9A-Za-z_]),
/// else 0. A table, so the word reading has no branch per character but the loop's.
const WORD_FOLD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut code = 0;
    while code < 256 {
        let c = code as u8;
        table[code] = if c.is_ascii_digit() || c.is_ascii_lowercase() || c == b'_' {
            c
        } else if c.is_ascii_uppercase() {
            c + 32
        } else {
            0
        };
        code += 1;
    }
    table
};

/// The lower case of an ASCII word character, 0 for any other code unit.
#[inline]
fn word_fold(code: u16) -> u8 {
    WORD_FOLD[usize::from(code.min(255))]
}

/// The key of a word of 1 to KEY_CHARS characters, each in [0-9a-z_] (a word read before the
/// number, lower-cased, is made of those only, so a list word with any other character never
/// matches one): character k in bits 7k up. None for any other word.
fn key_of(word: &[u16]) -> Option<u128> {
    if word.is_empty() || word.len() > KEY_CHARS {
        return None;
    }
    let mut key = 0u128;
    for &code in word.iter().rev() {
        if code >= 128 || u16::from(word_fold(code)) != code {
            return None;
        }
        key = key << KEY_BITS | u128::from(code);
    }
    Some(key)
}

/// Where a key's search in the table of `mask + 1` slots begins.
#[inline]
fn first_slot(key: u128, mask: usize) -> usize {
    let mixed = (key as u64) ^ ((key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as usize & mask
}

/// The words by length: entry n holds those n characters long.
fn by_length(words: &[Vec<u16>]) -> Vec<Vec<Vec<u16>>> {
    let mut table: Vec<Vec<Vec<u16>>> = vec![Vec::new(); words.iter().map(Vec::len).max().map_or(0, |n| n + 1)];
    for word in words {
        if let Some(slot) = table.get_mut(word.len()) {
            slot.push(word.clone());
        }
    }
    table
}

impl CueWords {
    /// Reads the configure format, one entry a line: "window N", "max N", then any number of
    /// "cue WORD", "suffix WORD", "stop WORD" (the word is the rest of the line, as is).
    pub fn parse(data: &str) -> Result<CueWords, String> {
        let mut words = CueWords::default();
        let mut window = None;
        let mut max_words = None;
        for line in data.split('\n') {
            if line.is_empty() {
                continue;
            }
            let (key, value) = line.split_once(' ').ok_or_else(|| format!("cue words: bad line {line:?}"))?;
            let number = || value.parse::<usize>().map_err(|_| format!("cue words: bad number in {line:?}"));
            match key {
                "window" => window = Some(number()?),
                "max" => max_words = Some(number()?),
                "cue" => words.cues.push(value.encode_utf16().collect()),
                "suffix" => words.suffix_cues.push(value.encode_utf16().collect()),
                "stop" => words.stops.push(value.encode_utf16().collect()),
                _ => return Err(format!("cue words: bad line {line:?}")),
            }
        }
        words.window = window.ok_or("cue words: no window")?;
        words.max_words = max_words.ok_or("cue words: no max")?;
        words.cues_by_length = by_length(&words.cues);
        words.stops_by_length = by_length(&words.stops);
        words.build_keys();
        Ok(words)
    }

    /// Fills the key table and the suffix keys. A word in both lists is a cue (cues are read first).
    fn build_keys(&mut self) {
        let size = (4 * (self.cues.len() + self.stops.len())).next_power_of_two().max(16);
        let mask = size - 1;
        let mut slots = vec![0u128; size];
        let mut tags = vec![NEITHER; size];
        let tagged = self.cues.iter().map(|w| (w, CUE)).chain(self.stops.iter().map(|w| (w, STOP)));
        for (key, tag) in tagged.filter_map(|(w, tag)| key_of(w).map(|key| (key, tag))) {
            let mut slot = first_slot(key, mask);
            while slots[slot] != 0 && slots[slot] != key {
                slot = (slot + 1) & mask;
            }
            if slots[slot] == 0 {
                slots[slot] = key;
                tags[slot] = tag;
            }
        }
        self.key_slots = slots;
        self.key_tags = tags;
        // An empty suffix ends every word: key 0, mask 0.
        self.suffix_keys = self
            .suffix_cues
            .iter()
            .filter_map(|w| {
                let key = if w.is_empty() { Some(0) } else { key_of(w) }?;
                Some((key, w.len(), (1u128 << (KEY_BITS * w.len())) - 1))
            })
            .collect();
    }

    /// Whether the word of `length` (at most KEY_CHARS) characters with key `key` is a cue, else a
    /// stop, else NEITHER.
    #[inline]
    fn keyed_class(&self, key: u128, length: usize) -> u8 {
        // A suffix of n characters is the key's top n characters.
        let ends_with = |&(suffix, n, mask): &(u128, usize, u128)| length >= n && (key >> (KEY_BITS * (length - n))) & mask == suffix;
        if self.suffix_keys.iter().any(ends_with) {
            return CUE;
        }
        let mask = self.key_slots.len().wrapping_sub(1);
        let mut slot = first_slot(key, mask);
        // The table is never full: a search ends at its key or at an empty slot.
        while let Some(&found) = self.key_slots.get(slot) {
            if found == key {
                return self.key_tags.get(slot).copied().unwrap_or(NEITHER);
            }
            if found == 0 {
                break;
            }
            slot = (slot + 1) & mask;
        }
        NEITHER
    }
}

#[inline]
fn fold(code: u16) -> u16 {
    if (65..=90).contains(&code) {
        code + 32
    } else {
        code
    }
}

/// The word text[start, end) (ASCII word characters), lower-cased, equals `word`.
fn equals_folded(text: &[u16], start: usize, end: usize, word: &[u16]) -> bool {
    match text.get(start..end) {
        Some(read) => read.len() == word.len() && read.iter().zip(word).all(|(&a, &b)| fold(a) == b),
        None => false,
    }
}

/// The word text[start, end), lower-cased, ends with `suffix`.
fn ends_with_folded(text: &[u16], start: usize, end: usize, suffix: &[u16]) -> bool {
    if end < start || end - start < suffix.len() {
        return false;
    }
    equals_folded(text, end - suffix.len(), end, suffix)
}

/// One of `table`'s words (see `by_length`) equals text[start, end) lower-cased.
fn in_table(table: &[Vec<Vec<u16>>], text: &[u16], start: usize, end: usize) -> bool {
    match table.get(end.saturating_sub(start)) {
        Some(list) => list.iter().any(|w| equals_folded(text, start, end, w)),
        None => false,
    }
}

fn is_cue(text: &[u16], start: usize, end: usize, words: &CueWords) -> bool {
    in_table(&words.cues_by_length, text, start, end)
        || words.suffix_cues.iter().any(|s| ends_with_folded(text, start, end, s))
}

fn is_stop(text: &[u16], start: usize, end: usize, words: &CueWords) -> bool {
    in_table(&words.stops_by_length, text, start, end)
}

/// The code unit at `index`; 0 (no word character, line break or punctuation) past the end.
#[inline]
fn unit(text: &[u16], index: usize) -> u16 {
    text.get(index).copied().unwrap_or(0)
}

/// True when the punctuation at `at` ends a sentence: "!" or "?", or "." after a word longer
/// than an abbreviation, each followed by white space.
fn ends_sentence(text: &[u16], at: usize, floor: usize) -> bool {
    let code = unit(text, at);
    if code != 46 && code != 33 && code != 63 {
        return false;
    }
    let next = unit(text, at + 1);
    if next != 32 && next != 9 && next != 10 && next != 13 {
        return false;
    }
    if code != 46 {
        return true;
    }
    let mut k = at;
    while k > floor && is_ascii_word(unit(text, k - 1)) {
        k -= 1;
    }
    (at - k) as isize > MAX_ABBREVIATION
}

/// True when a cue word owns the number at `start`: the words before it, nearest first, are
/// read until a cue (true), or a stop word, a word holding a digit, a line break, the end of a
/// sentence, too many words or the window's edge (false).
pub fn cue_before(text: &[u16], start: usize, words: &CueWords) -> bool {
    let floor = start.saturating_sub(words.window);
    // Past the text's end there is nothing to read (no word, line break or sentence end).
    let mut i = start.min(text.len());
    let mut seen = 0usize;
    while i > floor {
        let code = unit(text, i - 1);
        let folded = word_fold(code);
        if folded == 0 {
            if code == 10 || code == 13 || ends_sentence(text, i - 1, floor) {
                return false;
            }
            i -= 1;
            continue;
        }
        // The word text[j, i), read back to front into its key (the first character lowest).
        let mut key = u128::from(folded);
        let mut digits = folded.wrapping_sub(b'0') < 10;
        let mut j = i - 1;
        while j > floor {
            let folded = word_fold(unit(text, j - 1));
            if folded == 0 {
                break;
            }
            j -= 1;
            key = key << KEY_BITS | u128::from(folded);
            digits |= folded.wrapping_sub(b'0') < 10;
        }
        if j == floor && j > 0 && is_ascii_word(unit(text, j - 1)) {
            return false; // cut by the window
        }
        if digits {
            return false;
        }
        let length = i - j;
        let class = if length <= KEY_CHARS {
            words.keyed_class(key, length)
        } else if is_cue(text, j, i, words) {
            CUE
        } else if is_stop(text, j, i, words) {
            STOP
        } else {
            NEITHER
        };
        if class != NEITHER {
            return class == CUE;
        }
        seen += 1;
        if seen > words.max_words {
            return false;
        }
        i = j;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn reads_the_number_s_own_words_only() {
        let words = CueWords::parse("window 48\nmax 2\ncue order\nsuffix passnummer\nstop ssn").unwrap();
        let at = |text: &str| cue_before(&utf16(text), text.len(), &words);
        assert!(at("Order no. "));
        assert!(at("ORDER number is "));
        assert!(!at("order a b c "), "too many words between");
        assert!(at("Reisepassnummer: "));
        assert!(!at("order SSN "), "a stop word first");
        assert!(!at("order 12 "), "another number owns the words");
        assert!(!at("order\n"), "a line break");
        assert!(!at("order reference. "), "the end of a sentence");
        assert!(!at(""));
        assert!(!cue_before(&utf16("order"), 99, &words), "a start past the text reads nothing there");
    }

    #[test]
    fn refuses_a_list_it_cannot_read() {
        assert!(CueWords::parse("max 1").is_err());
        assert!(CueWords::parse("window 48").is_err());
        assert!(CueWords::parse("window x\nmax 1").is_err());
        assert!(CueWords::parse("window 48\nmax 1\nword a").is_err());
        assert!(CueWords::parse("window 48\nmax 1\nnospace").is_err());
    }
}

/// A recognizer's cue words, handed over once by configure (a second configure, from another
/// worker thread loading the addon, hands over the same list and is ignored).
pub struct ConfiguredCues(std::sync::OnceLock<CueWords>);

impl ConfiguredCues {
    pub const fn new() -> Self {
        ConfiguredCues(std::sync::OnceLock::new())
    }

    /// Reads `data` (the format `CueWords::parse` reads) and keeps it.
    pub fn configure(&self, data: &str) -> Result<(), String> {
        let words = CueWords::parse(data)?;
        let _ = self.0.set(words);
        Ok(())
    }

    pub fn get(&self) -> Option<&CueWords> {
        self.0.get()
    }

    pub fn configured(&self) -> bool {
        self.0.get().is_some()
    }
}
