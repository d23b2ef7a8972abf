//! Port of src/pii/recognizers/address-lexicon.ts: see there for the word lists and why. The
//! lists arrive through configure("address-lexicon") (src/pii/native-config/address-lexicon.ts),
//! with the Unicode facts the address expressions ask (\p{L}, \p{Lu}, \p{Ll}, \p{N}, /\s/ and
//! toLowerCase, from the V8 that runs the TypeScript twin). This module answers membership
//! questions; the matchers live in address_postcode.rs and address_tail.rs.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// An FxHash-style xor-multiply hasher for the lexicon's tables. Their keys are fixed at configure,
/// so no text can crowd them into collisions, and SipHash cost more than the lookups it served.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const FX_SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(n as u64);
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The multiply mixes upwards: the rotation brings those bits down to the bucket index.
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

pub type FastBuild = BuildHasherDefault<FastHasher>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreetTypeStrength {
    Strong,
    Medium,
    Rare,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreetType {
    pub strength: StreetTypeStrength,
    pub abbreviation: bool,
    pub standalone: bool,
}

/// address-lexicon.ts `streetTypeRank`.
pub fn street_type_rank(t: StreetType) -> i32 {
    if t.standalone {
        return 0;
    }
    match t.strength {
        StreetTypeStrength::Rare => 1,
        StreetTypeStrength::Medium => 2,
        StreetTypeStrength::Strong => 3,
    }
}

/// A set of words (UTF-16), as the TypeScript `Set<string>`, keeping the list's order too.
#[derive(Default, Debug)]
pub struct WordSet {
    words: HashSet<Vec<u16>, FastBuild>,
    order: Vec<Vec<u16>>,
    longest: usize,
    /// A bit per word length (63 for 63 and longer) and per ASCII first unit, and whether a word
    /// opens beyond ASCII: most queries fail these without hashing.
    lengths: u64,
    firsts: u128,
    other_first: bool,
}

impl WordSet {
    fn from_words<'a>(words: impl Iterator<Item = &'a str>) -> WordSet {
        let mut set = WordSet::default();
        for word in words {
            let units: Vec<u16> = word.encode_utf16().collect();
            set.longest = set.longest.max(units.len());
            set.lengths |= length_bit(units.len());
            match units.first() {
                Some(&c) if c < 128 => set.firsts |= 1u128 << c,
                Some(_) => set.other_first = true,
                None => {}
            }
            if set.words.insert(units.clone()) {
                set.order.push(units);
            }
        }
        set
    }

    /// No word of the set has `word`'s length or first unit.
    #[inline]
    fn rules_out(&self, word: &[u16]) -> bool {
        let first = match word.first() {
            Some(&c) if c < 128 => self.firsts & (1u128 << c) == 0,
            Some(_) => !self.other_first,
            None => false,
        };
        first || self.lengths & length_bit(word.len()) == 0
    }

    /// `set.has(word)`.
    #[inline]
    pub fn contains(&self, word: &[u16]) -> bool {
        word.len() <= self.longest && !self.rules_out(word) && self.words.contains(word)
    }

    /// `set.has(word.toLowerCase())` (see `to_lower_into`).
    pub fn contains_lower(&self, word: &[u16]) -> bool {
        // toLowerCase never shortens a word (checked at configure): a longer one is no member.
        if word.len() > self.longest {
            return false;
        }
        // ASCII lower-cases unit for unit: on the stack, and tested before any hashing.
        if word.len() <= ASCII_WORD && word.iter().all(|&c| c < 128) {
            let mut lower = [0u16; ASCII_WORD];
            let lower = &mut lower[..word.len()];
            for (to, &c) in lower.iter_mut().zip(word) {
                *to = ascii_lower(c);
            }
            return self.contains(lower);
        }
        LOWER_SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffer) => {
                to_lower_into(word, &mut buffer);
                self.contains(&buffer)
            }
            Err(_) => {
                let mut buffer = Vec::new();
                to_lower_into(word, &mut buffer);
                self.contains(&buffer)
            }
        })
    }

    /// The words in the list's order (each once).
    pub fn words(&self) -> &[Vec<u16>] {
        &self.order
    }

    /// The longest word, in UTF-16 code units.
    pub fn longest(&self) -> usize {
        self.longest
    }
}

/// The longest ASCII word contains_lower lower-cases on the stack.
const ASCII_WORD: usize = 32;

#[inline]
fn length_bit(length: usize) -> u64 {
    1u64 << length.min(63)
}

#[inline]
fn ascii_lower(c: u16) -> u16 {
    if (65..=90).contains(&c) {
        c + 32
    } else {
        c
    }
}

thread_local! {
    static LOWER_SCRATCH: std::cell::RefCell<Vec<u16>> = std::cell::RefCell::new(Vec::with_capacity(64));
}

/// A Unicode class over every code point: a bit per BMP code unit, sorted ranges above.
#[derive(Default, Debug)]
pub struct CodePointClass {
    bmp: Vec<u64>,
    astral: Vec<(u32, u32)>,
}

impl CodePointClass {
    fn parse(data: &str) -> Result<CodePointClass, String> {
        let mut class = CodePointClass { bmp: vec![0u64; 1024], astral: Vec::new() };
        for range in data.split(',').filter(|r| !r.is_empty()) {
            let bad = || format!("address-lexicon: bad range {range}");
            let (from, to) = range.split_once('-').ok_or_else(bad)?;
            let from: u32 = from.parse().map_err(|_| bad())?;
            let to: u32 = to.parse().map_err(|_| bad())?;
            if from > to || to > 0x10ffff {
                return Err(bad());
            }
            for cp in from..=to.min(0xffff) {
                if !(0xd800..=0xdfff).contains(&cp) {
                    class.bmp[(cp / 64) as usize] |= 1u64 << (cp % 64);
                }
            }
            if to >= 0x10000 {
                class.astral.push((from.max(0x10000), to));
            }
        }
        class.astral.sort_unstable();
        Ok(class)
    }

    /// The class holds code point `cp` (a lone surrogate is in none).
    #[inline]
    pub fn has(&self, cp: u32) -> bool {
        if cp < 0x10000 {
            return self.bmp.get((cp / 64) as usize).is_some_and(|w| w & (1u64 << (cp % 64)) != 0);
        }
        match self.astral.binary_search_by(|&(from, _)| from.cmp(&cp)) {
            Ok(_) => true,
            Err(0) => false,
            Err(k) => self.astral.get(k - 1).is_some_and(|&(_, to)| cp <= to),
        }
    }
}

/// Everything configure("address-lexicon") hands over, and tables built from it.
#[derive(Debug)]
pub struct Lexicon {
    pub street_types: Vec<(Vec<u16>, StreetType)>,
    /// Each type word with its NOT_A_STREET_BEFORE set (an index into `not_before_sets`).
    street_type_map: HashMap<Vec<u16>, (StreetType, Option<usize>), FastBuild>,
    /// NOT_A_STREET_BEFORE: lower-case type word -> index into `not_before_sets`.
    not_before: HashMap<Vec<u16>, usize, FastBuild>,
    not_before_sets: Vec<WordSet>,
    pub words_after_address: WordSet,
    pub words_after_town: WordSet,
    pub not_in_street_name: WordSet,
    pub counting_words: WordSet,
    pub us_state_codes: WordSet,
    pub us_state_names: WordSet,
    pub uk_postcode_areas: WordSet,
    pub uk_lettered_districts: WordSet,
    pub german_street_suffixes: WordSet,
    pub weak_german_suffixes: WordSet,
    pub english_ring_words: WordSet,
    pub not_german_streets: WordSet,
    pub german_street_prefixes: WordSet,
    pub german_prefix_not_a_street: WordSet,
    pub german_not_street_adjectives: WordSet,
    pub german_quantity_units: WordSet,
    /// \p{L}, \p{Lu}, \p{Ll}, \p{N}, [\p{L}\p{N}], and JavaScript's \s.
    pub letter: CodePointClass,
    pub upper: CodePointClass,
    pub lower: CodePointClass,
    pub number: CodePointClass,
    pub alnum: CodePointClass,
    pub space: CodePointClass,
    /// toLowerCase per code point, where it changes it.
    lower_map: HashMap<u32, Vec<u32>, FastBuild>,
    /// US_STATE_NAMES and their capitals, longest first (the order of the TS alternation).
    pub state_names_longest_first: Vec<Vec<u16>>,
    /// For each capital A..Z, the indexes into state_names_longest_first of the names it opens,
    /// in that order.
    pub state_names_by_initial: Vec<Vec<usize>>,
    /// By areaKey (address-postcode.ts): postcode areas, lettered districts (key * 10 + digit),
    /// state codes.
    pub uk_area: Vec<bool>,
    pub uk_lettered: Vec<bool>,
    pub us_state_code: Vec<bool>,
}

static LEXICON: OnceLock<Lexicon> = OnceLock::new();

/// The configured lexicon, or None before configure("address-lexicon").
#[inline]
pub fn lexicon() -> Option<&'static Lexicon> {
    LEXICON.get()
}

pub fn configured() -> bool {
    LEXICON.get().is_some()
}

/// A number for one or two capitals (address-postcode.ts `areaKey`): A..Z, then AA..ZZ.
#[inline]
pub fn area_key(first: i32, second: i32) -> i32 {
    if second < 0 {
        first - 65
    } else {
        26 + (first - 65) * 26 + (second - 65)
    }
}
pub const AREA_KEYS: usize = 26 + 26 * 26;

fn key_of(letters: &[u16]) -> Option<usize> {
    let first = *letters.first()? as i32;
    let second = letters.get(1).map_or(-1, |&c| c as i32);
    let key = area_key(first, second);
    let upper = |c: i32| (65..=90).contains(&c);
    if !upper(first) || (second >= 0 && !upper(second)) || key < 0 {
        return None;
    }
    Some(key as usize)
}

/// configure("address-lexicon", data): see src/pii/native-config/address-lexicon.ts.
pub fn configure(data: &str) -> Result<(), String> {
    if LEXICON.get().is_some() {
        return Ok(()); // another worker thread hands over the same lists
    }
    let lexicon = parse(data)?;
    let _ = LEXICON.set(lexicon);
    Ok(())
}

fn parse(data: &str) -> Result<Lexicon, String> {
    let mut street_types = Vec::new();
    let mut sets: HashMap<&str, WordSet> = HashMap::new();
    let mut not_before: HashMap<Vec<u16>, usize, FastBuild> = HashMap::default();
    let mut not_before_sets = Vec::new();
    let mut classes: HashMap<&str, CodePointClass> = HashMap::new();
    let mut lower_map: HashMap<u32, Vec<u32>, FastBuild> = HashMap::default();
    for line in data.split('\n').filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let bad = || format!("address-lexicon: bad line {line}");
        match fields.as_slice() {
            ["type", strength, abbreviation, standalone, word] => {
                let strength = match *strength {
                    "strong" => StreetTypeStrength::Strong,
                    "medium" => StreetTypeStrength::Medium,
                    "rare" => StreetTypeStrength::Rare,
                    _ => return Err(bad()),
                };
                let t = StreetType { strength, abbreviation: *abbreviation == "1", standalone: *standalone == "1" };
                street_types.push((word.encode_utf16().collect::<Vec<u16>>(), t));
            }
            ["set", name, words] => {
                sets.insert(name, WordSet::from_words(words.split('|')));
            }
            ["not-before", word, words] => {
                not_before.insert(word.encode_utf16().collect::<Vec<u16>>(), not_before_sets.len());
                not_before_sets.push(WordSet::from_words(words.split('|')));
            }
            ["class", name, ranges] => {
                classes.insert(name, CodePointClass::parse(ranges)?);
            }
            ["lower", pairs] => {
                for pair in pairs.split(',').filter(|p| !p.is_empty()) {
                    let (from, to) = pair.split_once(':').ok_or_else(bad)?;
                    let from: u32 = from.parse().map_err(|_| bad())?;
                    let to: Vec<u32> = to.split('.').map(|c| c.parse::<u32>()).collect::<Result<_, _>>().map_err(|_| bad())?;
                    // A mapping to a shorter UTF-16 form would break contains_lower's length test.
                    let units = |cp: u32| if cp >= 0x10000 { 2 } else { 1 };
                    if to.iter().map(|&c| units(c)).sum::<usize>() < units(from) || to.iter().any(|&c| c > 0x10ffff) {
                        return Err(bad());
                    }
                    lower_map.insert(from, to);
                }
            }
            _ => return Err(bad()),
        }
    }
    let mut take = |name: &str| sets.remove(name).ok_or_else(|| format!("address-lexicon: no set {name}"));
    let words_after_address = take("words-after-address")?;
    let words_after_town = take("words-after-town")?;
    let not_in_street_name = take("not-in-street-name")?;
    let counting_words = take("counting-words")?;
    let us_state_codes = take("us-state-codes")?;
    let us_state_names = take("us-state-names")?;
    let uk_postcode_areas = take("uk-postcode-areas")?;
    let uk_lettered_districts = take("uk-lettered-districts")?;
    let german_street_suffixes = take("german-street-suffixes")?;
    let weak_german_suffixes = take("weak-german-suffixes")?;
    let english_ring_words = take("english-ring-words")?;
    let not_german_streets = take("not-german-streets")?;
    let german_street_prefixes = take("german-street-prefixes")?;
    let german_prefix_not_a_street = take("german-prefix-not-a-street")?;
    let german_not_street_adjectives = take("german-not-street-adjectives")?;
    let german_quantity_units = take("german-quantity-units")?;
    let mut class = |name: &str| classes.remove(name).ok_or_else(|| format!("address-lexicon: no class {name}"));
    let letter = class("L")?;
    let upper = class("Lu")?;
    let lower = class("Ll")?;
    let number = class("N")?;
    let space = class("S")?;
    let alnum = CodePointClass {
        bmp: letter.bmp.iter().zip(number.bmp.iter()).map(|(a, b)| a | b).collect(),
        astral: {
            let mut ranges: Vec<(u32, u32)> = letter.astral.iter().chain(number.astral.iter()).copied().collect();
            ranges.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::new();
            for (from, to) in ranges {
                match merged.last_mut() {
                    Some(last) if from <= last.1.saturating_add(1) => last.1 = last.1.max(to),
                    _ => merged.push((from, to)),
                }
            }
            merged
        },
    };

    // US_STATE_NAME's alternation: the names and their capitals, stably sorted longest first.
    let mut state_names_longest_first: Vec<Vec<u16>> = us_state_names.words().to_vec();
    let capitals: Vec<Vec<u16>> = us_state_names
        .words()
        .iter()
        .map(|w| String::from_utf16_lossy(w).to_uppercase().encode_utf16().collect())
        .collect();
    state_names_longest_first.extend(capitals);
    state_names_longest_first.sort_by_key(|name| std::cmp::Reverse(name.len())); // stable, as JS sort
    let mut state_names_by_initial: Vec<Vec<usize>> = vec![Vec::new(); 26];
    for (k, name) in state_names_longest_first.iter().enumerate() {
        match name.first() {
            Some(&c) if (65..=90).contains(&c) => state_names_by_initial[(c - 65) as usize].push(k),
            _ => return Err("address-lexicon: a state name that opens with no capital".to_string()),
        }
    }

    let mut uk_area = vec![false; AREA_KEYS];
    for area in uk_postcode_areas.words() {
        let key = key_of(area).ok_or_else(|| "address-lexicon: bad postcode area".to_string())?;
        uk_area[key] = true;
    }
    let mut uk_lettered = vec![false; AREA_KEYS * 10];
    for district in uk_lettered_districts.words() {
        let (digit, letters) = district.split_last().ok_or_else(|| "address-lexicon: bad district".to_string())?;
        let key = key_of(letters).ok_or_else(|| "address-lexicon: bad district".to_string())?;
        if !(48..=57).contains(digit) || letters.len() > 2 {
            return Err("address-lexicon: bad district".to_string());
        }
        uk_lettered[key * 10 + (*digit as usize - 48)] = true;
    }
    let mut us_state_code = vec![false; AREA_KEYS];
    for code in us_state_codes.words() {
        let key = key_of(code).ok_or_else(|| "address-lexicon: bad state code".to_string())?;
        us_state_code[key] = true;
    }
    // Each type word's set, found as type_word_at found it: by the word's toLowerCase.
    let mut lowered = Vec::new();
    let street_type_map = street_types
        .iter()
        .map(|(word, kind)| {
            lower_with(Some(&lower_map), word, &mut lowered);
            (word.clone(), (*kind, not_before.get(&lowered).copied()))
        })
        .collect();
    Ok(Lexicon {
        street_types,
        street_type_map,
        not_before,
        not_before_sets,
        words_after_address,
        words_after_town,
        not_in_street_name,
        counting_words,
        us_state_codes,
        us_state_names,
        uk_postcode_areas,
        uk_lettered_districts,
        german_street_suffixes,
        weak_german_suffixes,
        english_ring_words,
        not_german_streets,
        german_street_prefixes,
        german_prefix_not_a_street,
        german_not_street_adjectives,
        german_quantity_units,
        letter,
        upper,
        lower,
        number,
        alnum,
        space,
        lower_map,
        state_names_longest_first,
        state_names_by_initial,
        uk_area,
        uk_lettered,
        us_state_code,
    })
}

impl Lexicon {
    /// STREET_TYPES.get(word): the street type spelled exactly `word` (Title case or CAPS).
    pub fn street_type(&self, word: &[u16]) -> Option<StreetType> {
        self.street_type_map.get(word).map(|&(kind, _)| kind)
    }

    /// The street type spelled `word` and NOT_A_STREET_BEFORE.get(word.toLowerCase()).
    pub fn street_type_and_not_before(&self, word: &[u16]) -> Option<(StreetType, Option<&WordSet>)> {
        let &(kind, set) = self.street_type_map.get(word)?;
        Some((kind, set.and_then(|k| self.not_before_sets.get(k))))
    }

    /// NOT_A_STREET_BEFORE.get(type_word_lower): the words that make a phrase before that type.
    pub fn not_a_street_before(&self, type_word_lower: &[u16]) -> Option<&WordSet> {
        self.not_before.get(type_word_lower).and_then(|&k| self.not_before_sets.get(k))
    }
}

/// The code point a /u expression reads at `at` and its length in code units (a lead and a trail
/// surrogate make one), or None outside the text. A lone surrogate is itself.
#[inline]
pub fn code_point_at(text: &[u16], at: isize) -> Option<(u32, usize)> {
    if at < 0 {
        return None;
    }
    let first = *text.get(at as usize)? as u32;
    if (0xd800..=0xdbff).contains(&first) {
        if let Some(&next) = text.get(at as usize + 1) {
            if (0xdc00..=0xdfff).contains(&(next as u32)) {
                return Some((0x10000 + ((first - 0xd800) << 10) + (next as u32 - 0xdc00), 2));
            }
        }
    }
    Some((first, 1))
}

/// /[\p{L}\p{N}]/u at `at`, read as a code point (address-postcode.ts `letterOrDigitAt`, and the
/// `(?![\p{L}\p{N}])` of the address expressions): false outside the text.
#[inline]
pub fn letter_or_digit_at(text: &[u16], at: isize) -> bool {
    match code_point_at(text, at) {
        None => false,
        Some((cp, _)) if cp < 128 => {
            let c = cp as u16;
            crate::chars::is_ascii_alnum(c)
        }
        Some((cp, _)) => lexicon().is_some_and(|lx| lx.alnum.has(cp)),
    }
}

/// /\p{Lu}/u on one code unit (as `UPPER.test(text.charAt(i))`): a surrogate is none.
#[inline]
pub fn is_upper_unit(code: u16) -> bool {
    if code < 128 {
        return (65..=90).contains(&code);
    }
    lexicon().is_some_and(|lx| lx.upper.has(code as u32))
}

/// /\p{Ll}/u on one code unit.
#[inline]
pub fn is_lower_unit(code: u16) -> bool {
    if code < 128 {
        return (97..=122).contains(&code);
    }
    lexicon().is_some_and(|lx| lx.lower.has(code as u32))
}

/// /\p{L}/u on one code unit.
#[inline]
pub fn is_letter_unit(code: u16) -> bool {
    if code < 128 {
        return crate::chars::is_ascii_letter(code);
    }
    lexicon().is_some_and(|lx| lx.letter.has(code as u32))
}

/// /\s/ on one code unit (JavaScript's white space and line terminators).
#[inline]
pub fn is_js_space_unit(code: u16) -> bool {
    lexicon().is_some_and(|lx| lx.space.has(code as u32))
}

/// `word.toLowerCase()` into `out` (replacing its contents), by code point as JavaScript does,
/// with one difference no lexicon word can see: a capital sigma always becomes "σ", never the
/// final "ς". Before configure, ASCII only.
pub fn to_lower_into(word: &[u16], out: &mut Vec<u16>) {
    lower_with(lexicon().map(|lx| &lx.lower_map), word, out);
}

/// `to_lower_into` with the lexicon's lower-case map (None: ASCII only).
fn lower_with(map: Option<&HashMap<u32, Vec<u32>, FastBuild>>, word: &[u16], out: &mut Vec<u16>) {
    out.clear();
    if word.iter().all(|&c| c < 128) {
        out.extend(word.iter().map(|&c| ascii_lower(c)));
        return;
    }
    let mut i = 0usize;
    while i < word.len() {
        let Some((cp, length)) = code_point_at(word, i as isize) else { break };
        i += length;
        if cp < 128 {
            out.push(if (65..=90).contains(&cp) { (cp + 32) as u16 } else { cp as u16 });
            continue;
        }
        match map.and_then(|m| m.get(&cp)) {
            Some(to) => {
                for &c in to {
                    push_code_point(out, c);
                }
            }
            None => push_code_point(out, cp),
        }
    }
}

#[inline]
fn push_code_point(out: &mut Vec<u16>, cp: u32) {
    if cp >= 0x10000 {
        let v = cp - 0x10000;
        out.push(0xd800 + (v >> 10) as u16);
        out.push(0xdc00 + (v & 1023) as u16);
    } else {
        out.push(cp as u16);
    }
}

/// UTF-16 of a string literal, for the matchers' constant words.
pub fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// `text` holds `word` at `at` (`text.startsWith(word, at)`).
#[inline]
pub fn starts_with_at(text: &[u16], at: usize, word: &[u16]) -> bool {
    text.get(at..at.saturating_add(word.len())).is_some_and(|s| s == word)
}

/// `starts_with_at` for an ASCII literal.
#[inline]
pub fn starts_with_ascii(text: &[u16], at: usize, word: &[u8]) -> bool {
    match text.get(at..at.saturating_add(word.len())) {
        Some(s) => s.iter().zip(word.iter()).all(|(&a, &b)| a == b as u16),
        None => false,
    }
}

/// /\p{Lu}/u on the one code unit at `index` (false outside the text).
#[inline]
pub fn is_upper_at(text: &[u16], index: isize) -> bool {
    let code = crate::chars::code_at(text, index);
    code >= 0 && is_upper_unit(code as u16)
}
