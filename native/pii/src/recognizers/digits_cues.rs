//! Port of src/pii/recognizers/digits-cues.ts (`cueBefore`): see there for the rules. The word
//! lists stay in the TypeScript recognizers; each arrives through `configure` in the text format
//! `CueWords::parse` reads (written by src/pii/native-config/digits.ts `cueWordsData`).
//!
//! API for the recognizers: `CueWords::parse(data)` once at configure (keep it in a OnceLock),
//! then `cue_before(text, start, &words)` per candidate.

use crate::chars::{is_ascii_word, is_digit};

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
        Ok(words)
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
        if code == 10 || code == 13 {
            return false;
        }
        if !is_ascii_word(code) {
            if ends_sentence(text, i - 1, floor) {
                return false;
            }
            i -= 1;
            continue;
        }
        let mut j = i - 1;
        let mut has_digit = is_digit(code);
        while j > floor && is_ascii_word(unit(text, j - 1)) {
            j -= 1;
            has_digit |= is_digit(unit(text, j));
        }
        if j == floor && j > 0 && is_ascii_word(unit(text, j - 1)) {
            return false; // cut by the window
        }
        if has_digit {
            return false;
        }
        if is_cue(text, j, i, words) {
            return true;
        }
        if is_stop(text, j, i, words) {
            return false;
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
