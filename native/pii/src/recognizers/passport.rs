//! PASSPORT: printed passport numbers after a passport word, and TD3 machine-readable zones.
//! The port of src/pii/recognizers/passport.ts: see there for the rules. Its word lists, window
//! and scores come from the TypeScript side (configure "passport", src/pii/native-config/passport.ts).

use std::sync::OnceLock;

use super::mrz::find_td3_zones;
use super::passport_anchor::{fold, AnchorSearch};
use super::passport_formats::{passport_number_score, FormatScores, MAX_PASSPORT_NUMBER};
use super::Candidate;
use crate::chars::is_ascii_alnum;

const UNDERSCORE: u16 = 95;
const LT: u16 = 60;
const STAR: u16 = 42;

struct PassportConfig {
    /// context.ts CONTEXT_WINDOW.
    window: usize,
    formats: FormatScores,
    mrz_valid: f64,
    mrz_unchecked: f64,
    /// Where the words ANCHOR matches stand.
    anchors: AnchorSearch,
    /// OTHER_FIELDS.
    other_fields: Vec<Vec<u16>>,
}

static CONFIG: OnceLock<PassportConfig> = OnceLock::new();

pub fn configured() -> bool {
    CONFIG.get().is_some()
}

fn number(key: &str, value: &str) -> Result<f64, String> {
    value.parse::<f64>().map_err(|_| format!("passport: bad {key} {value}"))
}

fn ascii_word(key: &str, value: &str) -> Result<Vec<u16>, String> {
    if value.is_empty() || !value.is_ascii() {
        return Err(format!("passport: {key} must be a non-empty ASCII word: {value:?}"));
    }
    Ok(value.bytes().map(u16::from).collect())
}

/// configure("passport", data): one "key value" per line; keys window, score-digits-only,
/// score-layout, score-with-check-digit, score-mrz-valid, score-mrz-unchecked (once each), and
/// anchor, other-field (one word per line, anchors in the expression's order).
pub fn configure(data: &str) -> Result<(), String> {
    let mut window = None;
    let mut scores: [Option<f64>; 5] = [None; 5];
    let mut anchors = Vec::new();
    let mut other_fields = Vec::new();
    for line in data.split('\n').filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(' ').ok_or_else(|| format!("passport: bad line {line:?}"))?;
        match key {
            "window" => window = Some(value.parse::<usize>().map_err(|_| format!("passport: bad window {value}"))?),
            "score-digits-only" => scores[0] = Some(number(key, value)?),
            "score-layout" => scores[1] = Some(number(key, value)?),
            "score-with-check-digit" => scores[2] = Some(number(key, value)?),
            "score-mrz-valid" => scores[3] = Some(number(key, value)?),
            "score-mrz-unchecked" => scores[4] = Some(number(key, value)?),
            // (The expression ignores case: its words are taken in lower case.)
            "anchor" => anchors.push(ascii_word(key, value)?.iter().map(|&c| fold(c)).collect()),
            // (The set is asked for a lower-cased token: a word with a capital never matches.)
            "other-field" => other_fields.push(ascii_word(key, value)?),
            _ => return Err(format!("passport: unknown key {key}")),
        }
    }
    let window = window.ok_or("passport: no window")?;
    let [Some(digits_only), Some(layout), Some(with_check_digit), Some(mrz_valid), Some(mrz_unchecked)] = scores else {
        return Err("passport: a score is missing".to_string());
    };
    if anchors.is_empty() {
        return Err("passport: no anchor words".to_string());
    }
    let anchors = AnchorSearch::new(anchors)?;
    // A second configure (another worker thread) hands over the same data.
    let _ = CONFIG.set(PassportConfig {
        window,
        formats: FormatScores { digits_only, layout, with_check_digit },
        mrz_valid,
        mrz_unchecked,
        anchors,
        other_fields,
    });
    Ok(())
}

/// Characters that glue a token to a longer identifier when alphanumerics continue past them.
#[inline]
fn is_glue(c: u16) -> bool {
    c == 45 || c == 46 || c == 47 || c == UNDERSCORE
}

#[inline]
fn at_or(text: &[u16], index: usize, otherwise: u16) -> u16 {
    text.get(index).copied().unwrap_or(otherwise)
}

/// True when `text[start, end)` is not glued to more letters or digits on either side.
fn stands_apart(text: &[u16], start: usize, end: usize) -> bool {
    let before = if start > 0 { at_or(text, start - 1, 32) } else { 32 };
    if is_ascii_alnum(before) || before == UNDERSCORE {
        return false;
    }
    if is_glue(before) && start > 1 && is_ascii_alnum(at_or(text, start - 2, 32)) {
        return false;
    }
    let after = at_or(text, end, 32);
    if after == UNDERSCORE {
        return false;
    }
    if is_glue(after) && end + 1 < text.len() && is_ascii_alnum(at_or(text, end + 1, 32)) {
        return false;
    }
    true
}

/// The token upper-cased into `buffer` when its letters are all one case, else None.
fn normalized_token<'a>(token: &[u16], buffer: &'a mut [u16; MAX_PASSPORT_NUMBER]) -> Option<&'a [u16]> {
    let mut upper = false;
    let mut lower = false;
    for &c in token {
        if (97..=122).contains(&c) {
            lower = true;
        } else if (65..=90).contains(&c) {
            upper = true;
        }
    }
    if upper && lower {
        return None;
    }
    let out = buffer.get_mut(..token.len())?;
    for (slot, &c) in out.iter_mut().zip(token) {
        *slot = if (97..=122).contains(&c) { c - 32 } else { c };
    }
    Some(out)
}

fn is_other_field(token: &[u16], config: &PassportConfig) -> bool {
    config
        .other_fields
        .iter()
        .any(|word| word.len() == token.len() && word.iter().zip(token).all(|(&w, &t)| fold(t) == w))
}

/// passport.ts `readNumberAfter`: the first passport-layout word starting in [from, to), unless a
/// word naming another field (or a mask) comes first.
fn read_number_after(text: &[u16], from: usize, to: usize, config: &PassportConfig, out: &mut Vec<Candidate>) {
    let length = text.len();
    let limit = length.min(to);
    let mut i = from;
    let mut buffer = [0u16; MAX_PASSPORT_NUMBER];
    while i < limit {
        let c = text[i];
        if !is_ascii_alnum(c) {
            if c == LT || c == STAR {
                return;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < length && is_ascii_alnum(text[i]) && i - start <= MAX_PASSPORT_NUMBER {
            i += 1;
        }
        if i - start > MAX_PASSPORT_NUMBER {
            while i < limit && is_ascii_alnum(text[i]) {
                i += 1;
            }
            continue;
        }
        if i - start < 8 {
            if is_other_field(&text[start..i], config) {
                return;
            }
            continue;
        }
        if !stands_apart(text, start, i) {
            continue;
        }
        let score = match normalized_token(&text[start..i], &mut buffer) {
            Some(token) => passport_number_score(token, &config.formats),
            None => 0.0,
        };
        if score > 0.0 {
            out.push(Candidate { start: start as u32, end: i as u32, score });
            return;
        }
    }
}

/// Appends the PASSPORT candidates in `text` to `out`: the zones, then the numbers outside them.
pub fn find(text: &[u16], out: &mut Vec<Candidate>) -> Result<(), String> {
    let config = CONFIG.get().ok_or("the kernel is not configured (passport)")?;
    let zones_from = out.len();
    find_td3_zones(text, config.mrz_valid, config.mrz_unchecked, out);
    let numbers_from = out.len();
    let mut from = 0usize;
    while let Some((index, length)) = config.anchors.next(text, from) {
        from = index + length;
        if index > 0 && text[index - 1] == LT {
            continue; // a "<PASSPORT>" mask tag
        }
        let before = out.len();
        read_number_after(text, index + length, index + config.window + 1, config, out);
        // Two words introducing one number report it once.
        if out.len() > before && before > numbers_from && out[before].start == out[before - 1].start {
            out.pop();
        }
    }
    // Numbers inside a zone are the zone's. The zones are disjoint and in text order, so the only
    // one a number can overlap first is the first zone ending after the number's start.
    let (head, numbers) = out.split_at_mut(numbers_from);
    let zones = &head[zones_from..];
    let mut kept = 0usize;
    for k in 0..numbers.len() {
        let number = numbers[k];
        let first = zones.partition_point(|zone| zone.end <= number.start);
        let in_zone = zones.get(first).is_some_and(|zone| zone.start < number.end);
        if !in_zone {
            numbers[kept] = number;
            kept += 1;
        }
    }
    out.truncate(numbers_from + kept);
    Ok(())
}
