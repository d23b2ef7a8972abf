//! STREET_ADDRESS: port of src/pii/recognizers/street-address.ts (see there for the forms and
//! scores). The US/UK finder (address_number_first.rs) and the German one (address_german.rs)
//! each report their addresses in order; address_candidate.rs merges the two lists.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::address_candidate::{merge_addresses, AddressCandidate};
use super::address_german::find_german_addresses;
use super::address_lexicon::FastBuild;
use super::address_number_first::find_number_first_addresses;
use super::Candidate;
use crate::text_scan::TextScan;

/// configure("street-address"): the English words kept out of the German adjective slot
/// (address-german.ts ENGLISH_NOT_ADJECTIVES), "|"-separated.
static ENGLISH_NOT_ADJECTIVES: OnceLock<HashSet<Vec<u16>, FastBuild>> = OnceLock::new();

pub fn configure(data: &str) -> Result<(), String> {
    let words: HashSet<Vec<u16>, FastBuild> = data.split('|').filter(|w| !w.is_empty()).map(|w| w.encode_utf16().collect()).collect();
    if words.is_empty() {
        return Err("street-address: no words".to_string());
    }
    let _ = ENGLISH_NOT_ADJECTIVES.set(words);
    Ok(())
}

pub fn configured() -> bool {
    ENGLISH_NOT_ADJECTIVES.get().is_some()
}

/// ENGLISH_NOT_ADJECTIVES.has(word) (`word` already lower case).
pub fn is_english_not_adjective(word: &[u16]) -> bool {
    ENGLISH_NOT_ADJECTIVES.get().is_some_and(|set| set.contains(word))
}

/// Per-thread lists reused from call to call.
#[derive(Default)]
struct Scratch {
    number_first: Vec<AddressCandidate>,
    german: Vec<AddressCandidate>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// street-address.ts `find`: appends the addresses in `text` to `out`.
pub fn find(text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) {
    // Every form holds a digit: a house number, a box number.
    if !scan.has_digit {
        return;
    }
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { number_first, german } = &mut *scratch;
        number_first.clear();
        german.clear();
        find_number_first_addresses(text, &scan.house_number_gaps, number_first);
        find_german_addresses(text, &scan.german_numbers, german);
        merge_addresses(number_first, german, out);
    });
}
