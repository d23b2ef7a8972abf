//! The address matchers' answers for the differential tests (lib.rs `addressMatch`), not used in
//! detection.

use super::address_lexicon::{lexicon, to_lower_into, StreetTypeStrength};
use super::address_postcode::{match_german_plz, match_uk_postcode, match_us_state, match_us_zip};
use super::address_tail::{
    abbreviation_dot_closes, city_word_end, gap_end, match_closed_town, match_country, match_directional, match_german_locality,
    match_german_unit, match_locality, match_unit, LocalityKind,
};

/// Matcher `which` at every offset 0..=len+1 of `text` (see lib.rs), or a lexicon question.
pub fn answers(which: i32, text: &[u16]) -> Result<Vec<f64>, String> {
    let lx = lexicon().ok_or("address-lexicon is not configured")?;
    if (100..200).contains(&which) {
        let sets = [
            &lx.words_after_address,
            &lx.words_after_town,
            &lx.not_in_street_name,
            &lx.counting_words,
            &lx.us_state_codes,
            &lx.us_state_names,
            &lx.uk_postcode_areas,
            &lx.uk_lettered_districts,
            &lx.german_street_suffixes,
            &lx.weak_german_suffixes,
            &lx.english_ring_words,
            &lx.not_german_streets,
            &lx.german_street_prefixes,
            &lx.german_prefix_not_a_street,
            &lx.german_not_street_adjectives,
            &lx.german_quantity_units,
        ];
        let set = sets.get((which - 100) as usize).ok_or("no such set")?;
        return Ok(vec![f64::from(u8::from(set.contains(text))), f64::from(u8::from(set.contains_lower(text)))]);
    }
    if which == 200 {
        let mut out = Vec::new();
        to_lower_into(text, &mut out);
        return Ok(out.iter().map(|&c| f64::from(c)).collect());
    }
    if which == 300 {
        let code = match lx.street_type(text) {
            None => 0,
            Some(t) => {
                let strength = match t.strength {
                    StreetTypeStrength::Strong => 1,
                    StreetTypeStrength::Medium => 2,
                    StreetTypeStrength::Rare => 3,
                };
                strength + 4 * i32::from(t.abbreviation) + 8 * i32::from(t.standalone)
            }
        };
        return Ok(vec![f64::from(code)]);
    }
    if which == 301 {
        // "type|word": NOT_A_STREET_BEFORE.get(type) exists, has(word), has(word.toLowerCase()).
        let bar = text.iter().position(|&c| c == 124).ok_or("301 asks \"type|word\"")?;
        let (type_word, word) = (&text[..bar], &text[bar + 1..]);
        return Ok(match lx.not_a_street_before(type_word) {
            None => vec![0.0, 0.0, 0.0],
            Some(set) => vec![1.0, f64::from(u8::from(set.contains(word))), f64::from(u8::from(set.contains_lower(word)))],
        });
    }
    let mut values = Vec::with_capacity(text.len() + 2);
    for at in 0..=(text.len() as isize + 1) {
        let value: isize = match which {
            0 => match_uk_postcode(text, at),
            1 => match_us_zip(text, at),
            2 => match_us_state(text, at),
            3 => match_german_plz(text, at),
            4 => gap_end(text, at, true),
            5 => gap_end(text, at, false),
            6 => match_directional(text, at),
            7 => match_unit(text, at),
            8 => match_german_unit(text, at),
            9 => city_word_end(text, at),
            10 => match match_locality(text, at) {
                None => -1,
                Some(l) => {
                    let kind = match l.kind {
                        LocalityKind::State => 0,
                        LocalityKind::StateZip => 1,
                        LocalityKind::Postcode => 2,
                        LocalityKind::CityPostcode => 3,
                    };
                    l.end * 4 + kind
                }
            },
            11 => match_closed_town(text, at, true),
            12 => match_closed_town(text, at, false),
            13 => isize::from(abbreviation_dot_closes(text, at, true)),
            14 => isize::from(abbreviation_dot_closes(text, at, false)),
            15 => match_german_locality(text, at),
            16 => match_country(text, at),
            99 => -1, // the call alone, for timing

            _ => return Err(format!("no address matcher {which}")),
        };
        values.push(value as f64);
    }
    Ok(values)
}
