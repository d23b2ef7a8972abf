//! The passport words' search: where passport.ts's ANCHOR expression (case-insensitive words,
//! global) matches, as it matches: the leftmost position, there the first word in the
//! expression's order, the next search from the end of the match.
//!
//! Why not try the words at every position: a table read and a hard-to-predict branch per
//! character would cost about what the whole TypeScript search costs. A few two-letter "keys"
//! cover every word ("pa" is in all the "pass" words, "rz" in "mrz"), and keys are rare in text,
//! so blocks of text are passed over 64 characters at a time (comparisons the compiler turns into
//! vector instructions) and the words are tried only where a key stands, at their key's offset.
//! The block filter compares each pair of characters once per key as one 16-bit lane (see
//! `pair_code`), and the text's last block is padded, so no part of the text is read a
//! character at a time.

/// ASCII letters folded to lower case (/i without /u folds nothing else).
#[inline]
pub fn fold(c: u16) -> u16 {
    if (65..=90).contains(&c) {
        c + 32
    } else {
        c
    }
}

/// Lower-case letters from the rarest to the most common in English text, to choose keys by.
/// (Only speed depends on it, never what is found.)
const RARITY: &[u8] = b"zqxjkvbpygfwmucldrhsnioate";

fn rarity(c: u16) -> usize {
    // Other characters (" ", "-", digits) count as common: punctuation and numbers abound.
    RARITY.iter().position(|&r| r as u16 == c).unwrap_or(RARITY.len())
}

const BLOCK: usize = 64;
/// Pads the text's last block: paired with anything, it makes no key's code (keys are ASCII).
const PAD: u16 = 0xffff;
/// Key codes compared per pass over a block (a fixed count, so the compiler unrolls them).
const CODES_PER_PASS: usize = 4;

/// Two characters as one 16-bit lane: the first's low byte, the second's low byte above it, each
/// with bit 5 set (which folds ASCII letters to lower case). Every pair a key matches has the
/// key's own code (both characters are ASCII then); a few other pairs share it, which only costs
/// a look (`try_keys_at` decides).
#[inline]
fn pair_code(first: u16, second: u16) -> u16 {
    first.wrapping_add(second << 8) | 0x2020
}

/// One key: two characters, each matched as `c | mask == value` (the mask folds a letter's case).
#[derive(Clone, Copy)]
struct Key {
    first: (u16, u16),
    second: (u16, u16),
}

fn matcher(c: u16) -> (u16, u16) {
    if (97..=122).contains(&c) {
        (c, 32)
    } else {
        (c, 0)
    }
}

impl Key {
    #[inline]
    fn at(&self, text: &[u16], i: usize) -> bool {
        let (Some(&a), Some(&b)) = (text.get(i), text.get(i + 1)) else { return false };
        (a | self.first.1) == self.first.0 && (b | self.second.1) == self.second.0
    }
}

pub struct AnchorSearch {
    /// The words (ASCII, lower case), in the expression's order.
    words: Vec<Vec<u16>>,
    longest: usize,
    /// None when a word is too short to hold a key: then every position is tried.
    keys: Option<Vec<Key>>,
    /// Per key: (word, offset) where each word it was chosen for holds it.
    places: Vec<Vec<(usize, usize)>>,
    /// The keys' pair codes, CODES_PER_PASS a pass (the last pass filled up with its first).
    codes: Vec<[u16; CODES_PER_PASS]>,
}

impl AnchorSearch {
    /// The search for `words` (non-empty, ASCII, lower case).
    pub fn new(words: Vec<Vec<u16>>) -> Result<AnchorSearch, String> {
        if words.is_empty() || words.iter().any(|w| w.is_empty() || w.iter().any(|&c| c >= 128)) {
            return Err("passport: anchor words must be non-empty ASCII".to_string());
        }
        let longest = words.iter().map(Vec::len).max().unwrap_or(0);
        let mut search = AnchorSearch { words, longest, keys: None, places: Vec::new(), codes: Vec::new() };
        if search.words.iter().any(|w| w.len() < 2) {
            return Ok(search);
        }
        // Greedy cover: the pair held by the most words not yet covered, the rarer on a tie.
        let mut covered = vec![false; search.words.len()];
        let mut keys: Vec<[u16; 2]> = Vec::new();
        while covered.iter().any(|&c| !c) {
            let mut best: Option<([u16; 2], usize, usize)> = None;
            for (w, word) in search.words.iter().enumerate() {
                if covered[w] {
                    continue;
                }
                for pair in word.windows(2) {
                    let pair = [pair[0], pair[1]];
                    let count = search
                        .words
                        .iter()
                        .zip(&covered)
                        .filter(|(other, &done)| !done && other.windows(2).any(|p| p == pair))
                        .count();
                    let rare = rarity(pair[0]) + rarity(pair[1]);
                    if best.is_none_or(|(_, c, r)| count > c || (count == c && rare < r)) {
                        best = Some((pair, count, rare));
                    }
                }
            }
            let Some((pair, _, _)) = best else { break };
            let mut places = Vec::new();
            for (w, word) in search.words.iter().enumerate() {
                if covered[w] {
                    continue;
                }
                if let Some(offset) = word.windows(2).position(|p| p == pair) {
                    places.push((w, offset));
                    covered[w] = true;
                }
            }
            keys.push(pair);
            search.places.push(places);
        }
        search.keys = Some(keys.iter().map(|&[a, b]| Key { first: matcher(a), second: matcher(b) }).collect());
        search.codes = keys
            .chunks(CODES_PER_PASS)
            .map(|chunk| {
                let first = chunk.first().map_or(PAD, |&[a, b]| pair_code(a, b));
                let mut pass = [first; CODES_PER_PASS];
                for (slot, &[a, b]) in pass.iter_mut().zip(chunk) {
                    *slot = pair_code(a, b);
                }
                pass
            })
            .collect();
        Ok(search)
    }

    /// True when one of a pass's keys may start at one of the block's characters: the question
    /// `keys_in_block` answers, without its lanes, at about half its cost (most blocks hold
    /// no key). Written so that the compiler compares eight pairs at once with each code.
    #[inline]
    fn block_may_hold_key(pass: &[u16; CODES_PER_PASS], block: &[u16; BLOCK + 1]) -> bool {
        let [c0, c1, c2, c3] = *pass;
        let mut any = 0u16;
        for (&first, &second) in block[..BLOCK].iter().zip(&block[1..]) {
            let pair = pair_code(first, second);
            any |= ((pair == c0) as u16 | (pair == c1) as u16) | ((pair == c2) as u16 | (pair == c3) as u16);
        }
        any != 0
    }

    /// `keys_in_block`'s lanes for one pass of keys (its fixed count of codes lets the compiler
    /// compare eight pairs at once with each).
    #[inline]
    fn pass_lanes(pass: &[u16; CODES_PER_PASS], block: &[u16; BLOCK + 1], lanes: &mut [u8; BLOCK]) {
        let [c0, c1, c2, c3] = *pass;
        for (lane, (&first, &second)) in lanes.iter_mut().zip(block[..BLOCK].iter().zip(&block[1..])) {
            let pair = pair_code(first, second);
            *lane = ((pair == c0) as u8 | (pair == c1) as u8) | ((pair == c2) as u8 | (pair == c3) as u8);
        }
    }

    /// Sets `lanes[k]` to 1 when a key may start at the block's character k, else 0 (the block
    /// holds one character more, the second of the last pair); true when one may start anywhere.
    /// Branch-free, so the compiler makes vector comparisons of it.
    #[inline]
    fn keys_in_block(codes: &[[u16; CODES_PER_PASS]], block: &[u16; BLOCK + 1], lanes: &mut [u8; BLOCK]) -> bool {
        *lanes = [0; BLOCK];
        for pass in codes {
            for (k, lane) in lanes.iter_mut().enumerate() {
                let pair = pair_code(block[k], block[k + 1]);
                let mut hit = 0u8;
                for &code in pass {
                    hit |= (pair == code) as u8;
                }
                *lane |= hit;
            }
        }
        lanes.iter().fold(0, |any, &lane| any | lane) != 0
    }

    fn word_at(&self, text: &[u16], start: usize, word: &[u16]) -> bool {
        match text.get(start..start + word.len()) {
            Some(part) => part.iter().zip(word).all(|(&t, &w)| fold(t) == w),
            None => false,
        }
    }

    /// Moves `best` to the start of a word whose key stands at `i`, when that start is further left.
    #[inline]
    fn try_keys_at(&self, keys: &[Key], text: &[u16], from: usize, i: usize, best: &mut Option<usize>) {
        for (key, places) in keys.iter().zip(&self.places) {
            if !key.at(text, i) {
                continue;
            }
            for &(w, offset) in places {
                if i < from + offset {
                    continue;
                }
                let start = i - offset;
                if best.is_some_and(|b| start >= b) {
                    continue;
                }
                if self.words.get(w).is_some_and(|word| self.word_at(text, start, word)) {
                    *best = Some(start);
                }
            }
        }
    }

    /// The first word in order that matches at `start`: (start, length).
    fn word_starting(&self, text: &[u16], start: usize) -> Option<(usize, usize)> {
        self.words.iter().find(|word| self.word_at(text, start, word)).map(|word| (start, word.len()))
    }

    /// The next match at or after `from`: (index, length).
    pub fn next(&self, text: &[u16], from: usize) -> Option<(usize, usize)> {
        let Some(keys) = &self.keys else {
            return (from..text.len()).find_map(|start| self.word_starting(text, start));
        };
        let mut best: Option<usize> = None;
        let mut padded = [PAD; BLOCK + 1];
        let mut lanes = [0u8; BLOCK];
        let mut i = from;
        while i < text.len() {
            if let Some(start) = best {
                // Every match starting before `start` holds its key before start + longest.
                if i >= start + self.longest {
                    break;
                }
            } else {
                let block = match text.get(i..i + BLOCK + 1).and_then(|b| <&[u16; BLOCK + 1]>::try_from(b).ok()) {
                    Some(block) => block,
                    None => {
                        // The last block: the rest of the text, then padding.
                        // (It is shorter than a block and its characters, so both parts fit.)
                        let rest = text.get(i..).unwrap_or_default();
                        let (head, tail) = padded.split_at_mut(rest.len().min(BLOCK + 1));
                        head.copy_from_slice(rest.get(..head.len()).unwrap_or_default());
                        tail.fill(PAD);
                        &padded
                    }
                };
                let any = match self.codes.as_slice() {
                    // (One pass of keys, as usual: a cheaper test passes over most blocks.)
                    [pass] => Self::block_may_hold_key(pass, block) && {
                        Self::pass_lanes(pass, block, &mut lanes);
                        true
                    },
                    _ => Self::keys_in_block(&self.codes, block, &mut lanes),
                };
                if any {
                    // (The rare block with a key: its lanes gathered into one bit a character,
                    // then the set bits walked, instead of eight words of lanes walked.)
                    let mut bits = crate::text_scan::bits_of_lanes(&lanes);
                    while bits != 0 {
                        self.try_keys_at(keys, text, from, i + bits.trailing_zeros() as usize, &mut best);
                        bits &= bits - 1;
                    }
                }
                i += BLOCK;
                continue;
            }
            self.try_keys_at(keys, text, from, i, &mut best);
            i += 1;
        }
        // At the leftmost start, the first word in order that matches there.
        self.word_starting(text, best?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expression's answer, read the slow way: every position, the words in order.
    fn naive(words: &[Vec<u16>], text: &[u16], from: usize) -> Option<(usize, usize)> {
        (from..text.len()).find_map(|start| {
            words
                .iter()
                .find(|w| text.get(start..start + w.len()).is_some_and(|p| p.iter().zip(w.iter()).all(|(&t, &c)| fold(t) == c)))
                .map(|w| (start, w.len()))
        })
    }

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % bound
        }
    }

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn finds_what_the_expression_finds_on_random_words_and_texts() {
        let alphabet: Vec<u16> = utf16("abpPaAsSrRzZ -é");
        let mut random = Lcg(20250601);
        // Searches with one pass of keys (the usual, with its own block test) and with more.
        let mut passes = [0usize; 2];
        for round in 0..3000 {
            let mut words: Vec<Vec<u16>> = (0..1 + random.next(6))
                .map(|_| (0..1 + random.next(if round % 5 == 0 { 3 } else { 9 })).map(|_| [97, 98, 112, 115, 114, 122, 32, 45][random.next(8)]).collect())
                .collect();
            if round % 3 == 0 {
                words = vec![utf16("passport"), utf16("pass-nr"), utf16("pas"), utf16("ss"), utf16("mrz"), utf16("a b")];
            }
            let search = AnchorSearch::new(words.clone()).expect("valid words");
            if search.keys.is_some() {
                passes[usize::from(search.codes.len() > 1)] += 1;
            }
            let length = random.next(300);
            let mut text: Vec<u16> = (0..length).map(|_| alphabet[random.next(alphabet.len())]).collect();
            // Plant words (in random case) at random places, block edges included.
            for _ in 0..random.next(6) {
                let word = &words[random.next(words.len())];
                let at = [63, 64, 127, 128, 0, random.next(length + 1)][random.next(6)].min(length);
                for (k, &c) in word.iter().enumerate() {
                    if let Some(slot) = text.get_mut(at + k) {
                        *slot = if random.next(2) == 0 && (97..=122).contains(&c) { c - 32 } else { c };
                    }
                }
            }
            let mut from = random.next(4);
            loop {
                let expected = naive(&words, &text, from);
                assert_eq!(search.next(&text, from), expected, "words {words:?} text {:?} from {from}", String::from_utf16_lossy(&text));
                match expected {
                    Some((start, len)) => from = start + len,
                    None => break,
                }
            }
        }
        assert!(passes[0] > 1000 && passes[1] > 50, "{passes:?}");
    }

    /// bits_of_lanes agrees with reading each lane, for single lanes and random patterns.
    #[test]
    fn bits_of_lanes_match_the_lanes() {
        let mut random = Lcg(7);
        for round in 0..5000 {
            let mut lanes = [0u8; BLOCK];
            if round < BLOCK {
                lanes[round] = 1;
            } else {
                for lane in lanes.iter_mut() {
                    *lane = u8::from(random.next(3) == 0);
                }
            }
            let expected = lanes.iter().enumerate().fold(0u64, |bits, (k, &lane)| bits | u64::from(lane) << k);
            assert_eq!(crate::text_scan::bits_of_lanes(&lanes), expected);
        }
        assert_eq!(crate::text_scan::bits_of_lanes(&[1; BLOCK]), u64::MAX);
    }

    #[test]
    fn keys_cover_every_word() {
        let words = vec![utf16("passport"), utf16("reisepass"), utf16("travel document"), utf16("mrz"), utf16("machine readable zone")];
        let search = AnchorSearch::new(words).expect("valid words");
        let keys = search.keys.as_ref().expect("keys");
        assert!(keys.len() <= 4);
        let covered: usize = search.places.iter().map(Vec::len).sum();
        assert_eq!(covered, 5);
        assert!(AnchorSearch::new(vec![]).is_err());
        assert!(AnchorSearch::new(vec![utf16("")]).is_err());
        assert!(AnchorSearch::new(vec![utf16("pässport")]).is_err());
    }
}
