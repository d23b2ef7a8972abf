//! Port of src/pii/recognizers/phone-leading.ts: a country's leading digits (which country of
//! a shared calling code a number belongs to) as a test of the number's start, `^(?:pattern)`.
//! Patterns that are only alternatives of digits and digit classes become a list of prefixes;
//! any other is matched by its DFA (phone_pattern.rs).

use super::phone_pattern::{digit_set_at, Dfa};

/// More prefixes than this and the pattern keeps its DFA.
const MAX_PREFIXES: usize = 64;

#[derive(Debug)]
pub enum LeadingDigits {
    Prefixes(Vec<Vec<u8>>),
    Pattern(Dfa),
}

impl LeadingDigits {
    /// Whether `national_number` (ASCII digits) starts as the pattern says.
    #[inline]
    pub fn matches(&self, national_number: &[u8]) -> bool {
        match self {
            LeadingDigits::Prefixes(prefixes) => prefixes.iter().any(|p| national_number.starts_with(p)),
            LeadingDigits::Pattern(dfa) => dfa.matches_prefix(national_number),
        }
    }
}

/// Fails for a pattern outside the dialect phone_pattern.rs reads (fail closed at configure).
pub fn compile_leading_digits(pattern: &str) -> Result<LeadingDigits, String> {
    match prefixes_of(pattern) {
        Some(prefixes) => Ok(LeadingDigits::Prefixes(prefixes)),
        None => Ok(LeadingDigits::Pattern(Dfa::build(&[(pattern, 1)])?)),
    }
}

/// The strings `^(?:pattern)` matches at the start of a number, when the pattern is only
/// alternatives of digits, `\d` and digit classes; else None.
pub fn prefixes_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let mut prefixes: Vec<Vec<u8>> = Vec::new();
    for alternative in pattern.as_bytes().split(|&b| b == b'|') {
        let mut expanded: Vec<Vec<u8>> = vec![Vec::new()];
        let mut i = 0;
        while i < alternative.len() {
            // phone-leading.ts reads no "\d" inside a class; such a pattern keeps its DFA.
            if alternative.get(i) == Some(&b'[') && alternative[i..].iter().take_while(|&&b| b != b']').any(|&b| b == b'\\') {
                return None;
            }
            let (mask, next) = digit_set_at(alternative, i)?;
            let digits: Vec<u8> = (0..10u8).filter(|d| mask & (1 << d) != 0).map(|d| b'0' + d).collect();
            if prefixes.len() + expanded.len() * digits.len() > MAX_PREFIXES {
                return None;
            }
            expanded = expanded
                .iter()
                .flat_map(|start| {
                    digits.iter().map(move |&d| {
                        let mut p = start.clone();
                        p.push(d);
                        p
                    })
                })
                .collect();
            i = next;
        }
        prefixes.extend(expanded);
    }
    Some(prefixes)
}
