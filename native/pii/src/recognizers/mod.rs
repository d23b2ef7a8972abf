//! The recognizers, one per entity type, each the port of its TypeScript twin in
//! src/pii/recognizers (same names, same rules, same candidates).

use crate::text_scan::TextScan;

pub mod address_candidate;
pub mod address_debug;
pub mod address_german;
pub mod address_lexicon;
pub mod address_number_first;
pub mod address_postcode;
pub mod address_tail;
pub mod credit_card;
pub mod digits_cues;
pub mod digits_runs;
pub mod email;
pub mod ip_address;
pub mod ip_parse;
pub mod luhn;
pub mod mrz;
pub mod passport;
pub mod passport_anchor;
pub mod passport_formats;
pub mod phone_leading;
pub mod phone_metadata;
pub mod phone_national;
pub mod phone_number;
pub mod phone_pattern;
pub mod phone_runs;
pub mod phone_shapes;
pub mod street_address;
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
        EMAIL_ADDRESS => email::find(text, out),
        PHONE_NUMBER => phone_number::find_phone_numbers(text, scan, out),
        US_SSN => return us_ssn::find(text, scan, out),
        CREDIT_CARD => return credit_card::find(text, scan, out),
        IP_ADDRESS => ip_address::find(text, scan, out),
        STREET_ADDRESS => street_address::find(text, scan, out),
        PASSPORT => return passport::find(text, out),
        _ => return Err(format!("no recognizer {id}")),
    }
    Ok(())
}

/// Fails while a recognizer still waits for its data from the TypeScript side (`configure`).
pub fn ready() -> Result<(), String> {
    let waiting = [
        ("credit-card-cues", credit_card::configured()),
        ("us-ssn-cues", us_ssn::configured()),
        ("email-letters", email::ready()),
        ("ip-version-cues", ip_address::ready()),
        ("phone-metadata", phone_metadata::configured()),
        ("address-lexicon", address_lexicon::configured()),
        ("street-address", street_address::configured()),
        ("passport", passport::configured()),
        ("context", crate::context::configured()),
    ];
    if let Some((name, _)) = waiting.iter().find(|(_, done)| !done) {
        return Err(format!("the kernel is not configured ({name})"));
    }
    phone_number::ready()
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
        "street-address" => street_address::configure(data),
        "passport" => passport::configure(data),
        "context" => crate::context::configure(data),
        _ => Err(format!("configure: nothing is called {name}")),
    }
}
