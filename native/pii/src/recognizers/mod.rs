//! The recognizers, one per entity type, each the port of its TypeScript twin in
//! src/pii/recognizers (same names, same rules, same candidates).

use crate::text_scan::TextScan;

pub mod address_debug;
pub mod address_lexicon;
pub mod address_postcode;
pub mod address_tail;
pub mod credit_card;
pub mod digits_cues;
pub mod digits_runs;
pub mod email;
pub mod ip_address;
pub mod ip_parse;
pub mod luhn;
pub mod phone_leading;
pub mod phone_metadata;
pub mod phone_national;
pub mod phone_number;
pub mod phone_pattern;
pub mod phone_runs;
pub mod phone_shapes;
pub mod us_ssn;

/// What a recognizer reports before the scanner applies context, threshold and overlaps
/// (`Candidate` in src/pii/types.ts): UTF-16 offsets, end exclusive, and a base score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    pub start: u32,
    pub end: u32,
    pub score: f64,
}

/// Recognizer ids: the index of the entity type in ENTITY_TYPES (src/pii/types.ts).
pub const EMAIL_ADDRESS: i32 = 0;
pub const PHONE_NUMBER: i32 = 1;
pub const US_SSN: i32 = 2;
pub const CREDIT_CARD: i32 = 3;
pub const IP_ADDRESS: i32 = 4;
pub const STREET_ADDRESS: i32 = 5;
pub const PASSPORT: i32 = 6;

/// Appends recognizer `id`'s candidates in `text` (scanned into `scan`) to `out`, in text order.
pub fn find(id: i32, text: &[u16], scan: &TextScan, out: &mut Vec<Candidate>) -> Result<(), String> {
    match id {
        US_SSN => us_ssn::find(text, scan, out),
        CREDIT_CARD => credit_card::find(text, scan, out),
        EMAIL_ADDRESS => {
            email::find(text, out);
            Ok(())
        }
        IP_ADDRESS => {
            ip_address::find(text, scan, out);
            Ok(())
        }
        PHONE_NUMBER => {
            phone_number::find_phone_numbers(text, scan, out);
            Ok(())
        }
        STREET_ADDRESS | PASSPORT => {
            Err(format!("recognizer {id} is not in the native kernel yet"))
        }
        _ => Err(format!("no recognizer {id}")),
    }
}

/// Fails while a recognizer still waits for its data from the TypeScript side (`configure`).
pub fn ready() -> Result<(), String> {
    if !credit_card::configured() || !us_ssn::configured() {
        return Err("the kernel is not configured (credit-card-cues, us-ssn-cues)".to_string());
    }
    if !email::ready() {
        return Err("the kernel is not configured (email-letters)".to_string());
    }
    if !ip_address::ready() {
        return Err("the kernel is not configured (ip-version-cues)".to_string());
    }
    if !phone_metadata::configured() {
        return Err("the kernel is not configured (phone-metadata)".to_string());
    }
    phone_number::ready()?;
    if !address_lexicon::configured() {
        return Err("the kernel is not configured (address-lexicon)".to_string());
    }
    Ok(())
}

/// Module data from the TypeScript side (see `configure` in lib.rs).
pub fn configure(name: &str, data: &str) -> Result<(), String> {
    match name {
        "credit-card-cues" => credit_card::configure_cues(data),
        "us-ssn-cues" => us_ssn::configure_cues(data),
        "email-letters" => email::configure(data),
        "ip-version-cues" => ip_address::configure(data),
        "phone-cues" => phone_number::configure_cues(data),
        "phone-metadata" => phone_metadata::configure(data),
        "address-lexicon" => address_lexicon::configure(data),
        _ => Err(format!("configure: nothing is called {name}")),
    }
}
