//! Port of src/pii/recognizers/phone-metadata.ts: phone-number validity from libphonenumber-js's
//! full ("max") metadata, see there for the rules. The plans come from the TypeScript side
//! (configure "phone-metadata", written by src/pii/native-config/phone-metadata.ts); each
//! plan's national pattern and type patterns become one DFA (phone_pattern.rs) whose accepting
//! states say which of them match, so a test is one table walk over the number's digits.
//!
//! Calling codes are numbers here (44 for "44"): every calling code is 1-3 digits without a
//! leading zero (configure refuses any other), so the number names it. Digits are ASCII bytes.
//!
//! API (phoneNumbering's four methods, as free functions over the configured metadata):
//! calling_code_of, calling_code_of_prefix, is_valid, national_prefix_of; beyond the TS:
//! configured(), and numbering() for callers that ask many questions (one OnceLock load).

use std::sync::OnceLock;

use super::phone_leading::{compile_leading_digits, LeadingDigits};
use super::phone_pattern::{Dfa, DEAD};

/// Number lengths below this have their type mask precomputed (no number comes near).
const INDEXED_LENGTHS: usize = 64;

#[derive(Debug)]
struct Plan {
    /// Tag 1: the national pattern; tag 2 << k: type k.
    dfa: Dfa,
    /// Whether the plan has type patterns (else the national pattern decides).
    has_types: bool,
    /// Per length, the tags of the types a number of that length can be (those listing the
    /// length, and those listing none).
    types_by_length: [u32; INDEXED_LENGTHS],
    /// The same for longer numbers: the types listing no lengths, and each type's long lengths.
    types_any_length: u32,
    long_lengths: Vec<(usize, u32)>,
    leading: Option<LeadingDigits>,
    national_prefix: Option<Vec<u8>>,
}

impl Plan {
    /// planAccepts: the national pattern and one type of the number's length match it.
    #[inline]
    fn accepts(&self, nsn: &[u8]) -> bool {
        let wanted = if !self.has_types {
            0
        } else if let Some(&tags) = self.types_by_length.get(nsn.len()) {
            tags
        } else {
            self.long_lengths.iter().filter(|&&(l, _)| l == nsn.len()).fold(self.types_any_length, |m, &(_, t)| m | t)
        };
        if self.has_types && wanted == 0 {
            return false;
        }
        let state = self.dfa.run(nsn);
        if state == DEAD {
            return false;
        }
        let tags = self.dfa.accept(state);
        tags & 1 != 0 && (!self.has_types || tags & wanted != 0)
    }
}

#[derive(Debug)]
struct CallingCode {
    /// How many digits the code has (1 for "1", 3 for "971").
    length: usize,
    plans: Vec<Plan>,
    /// For a shared code: every plan's leading digits in one DFA, plan k's tag 1 << k, so one
    /// walk says whose leading digits a number has (+1 has 25 countries to ask).
    leading: Option<Dfa>,
}

/// The compiled metadata: calling codes indexed by their value.
#[derive(Debug)]
pub struct PhoneNumbering {
    codes: Vec<Option<CallingCode>>,
}

static NUMBERING: OnceLock<PhoneNumbering> = OnceLock::new();

/// The metadata, once configured.
pub fn numbering() -> Option<&'static PhoneNumbering> {
    NUMBERING.get()
}

pub fn configured() -> bool {
    NUMBERING.get().is_some()
}

/// configure("phone-metadata", data): the line format of src/pii/native-config/phone-metadata.ts.
pub fn configure(data: &str) -> Result<(), String> {
    let numbering = parse(data)?;
    // A second configure (another worker thread loading the addon) hands over the same plans.
    let _ = NUMBERING.set(numbering);
    Ok(())
}

/// The calling code `e164_digits` starts with (1-3 digits, leaving at least one after it).
pub fn calling_code_of(e164_digits: &[u8]) -> Option<u16> {
    numbering()?.calling_code_of(e164_digits)
}

/// The calling code written as exactly `length` digits whose value is `value`.
pub fn calling_code_of_prefix(value: u32, length: usize) -> Option<u16> {
    numbering()?.calling_code_of_prefix(value, length)
}

/// Whether `nsn` (ASCII digits) is a valid national number under `calling_code`.
pub fn is_valid(calling_code: u16, nsn: &[u8]) -> bool {
    numbering().is_some_and(|n| n.is_valid(calling_code, nsn))
}

/// The trunk prefix of the calling code's main country (b"0" for 44), if it has one.
pub fn national_prefix_of(calling_code: u16) -> Option<&'static [u8]> {
    numbering()?.national_prefix_of(calling_code)
}

impl PhoneNumbering {
    fn code(&self, calling_code: u16) -> Option<&CallingCode> {
        self.codes.get(calling_code as usize)?.as_ref()
    }

    pub fn calling_code_of(&self, e164_digits: &[u8]) -> Option<u16> {
        // Calling codes are prefix-free, so the first length that names one is the one.
        let mut value = 0u32;
        for length in 1..=3usize {
            if length >= e164_digits.len() {
                return None;
            }
            let digit = e164_digits.get(length - 1)?.wrapping_sub(b'0');
            if digit > 9 {
                return None;
            }
            value = value * 10 + u32::from(digit);
            if let Some(code) = self.calling_code_of_prefix(value, length) {
                return Some(code);
            }
        }
        None
    }

    pub fn calling_code_of_prefix(&self, value: u32, length: usize) -> Option<u16> {
        if !(1..=3).contains(&length) || value >= 1000 {
            return None;
        }
        // A value with fewer digits than `length` had leading zeros ("05"): no code has those.
        let code = self.codes.get(value as usize)?.as_ref()?;
        if code.length == length {
            Some(value as u16)
        } else {
            None
        }
    }

    pub fn is_valid(&self, calling_code: u16, nsn: &[u8]) -> bool {
        let Some(code) = self.code(calling_code) else { return false };
        let plans = &code.plans;
        let Some(main) = plans.first() else { return false };
        if plans.len() == 1 {
            return main.accepts(nsn);
        }
        // Shared calling codes: the first country whose leading digits match, else the first
        // whose types match, else the main country.
        let led = code.leading.as_ref().map(|dfa| dfa.prefix_tags(nsn));
        for (k, plan) in plans.iter().enumerate() {
            match &plan.leading {
                Some(leading) => {
                    let matches = match led {
                        Some(tags) => tags & (1u32 << (k & 31)) != 0,
                        None => leading.matches(nsn),
                    };
                    if matches {
                        return plan.accepts(nsn);
                    }
                }
                None => {
                    if plan.accepts(nsn) {
                        return true;
                    }
                }
            }
        }
        // The main country, when the loop asked it already (no leading digits), said no.
        main.leading.is_some() && main.accepts(nsn)
    }

    pub fn national_prefix_of(&self, calling_code: u16) -> Option<&[u8]> {
        self.code(calling_code)?.plans.first()?.national_prefix.as_deref()
    }

    /// The DFA states of every plan (for the tests' and configure's size check).
    pub fn dfa_states(&self) -> usize {
        self.codes.iter().flatten().flat_map(|c| c.plans.iter()).map(|p| p.dfa.states()).sum()
    }
}

/// A plan as read, before compiling.
struct PlanLines<'a> {
    country: &'a str,
    national_prefix: Option<&'a str>,
    leading: Option<&'a str>,
    national: &'a str,
    has_types: bool,
    /// (name, lengths or None for "*", pattern)
    types: Vec<(&'a str, Option<Vec<i64>>, &'a str)>,
}

fn parse(data: &str) -> Result<PhoneNumbering, String> {
    let mut lines = data.split('\n');
    if lines.next() != Some("phone-metadata 1") {
        return Err("phone-metadata: unknown format".to_string());
    }
    let mut codes: Vec<Option<CallingCode>> = (0..1000).map(|_| None).collect();
    // The code being read and its plans' lines.
    let mut current: Option<(u16, usize, Vec<PlanLines>)> = None;
    let mut ended = false;
    for (number, line) in lines.enumerate() {
        let bad = |why: &str| format!("phone-metadata: line {}: {why}", number + 2);
        if ended {
            return Err(bad("text after end"));
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["code", code] => {
                if let Some((value, length, plans)) = current.take() {
                    finish(&mut codes, value, length, plans)?;
                }
                let valid = (1..=3).contains(&code.len())
                    && code.bytes().all(|b| b.is_ascii_digit())
                    && !code.starts_with('0');
                let value: u16 = if valid { code.parse().map_err(|_| bad("bad calling code"))? } else { 0 };
                if !valid {
                    return Err(bad("a calling code must be 1-3 digits, not led by 0"));
                }
                if codes.get(value as usize).is_some_and(Option::is_some) {
                    return Err(bad("calling code listed twice"));
                }
                current = Some((value, code.len(), Vec::new()));
            }
            ["plan", country, prefix, leading, national, has_types] => {
                let Some((_, _, plans)) = current.as_mut() else { return Err(bad("plan before any code")) };
                plans.push(PlanLines {
                    country,
                    national_prefix: if *prefix == "-" { None } else { Some(prefix) },
                    leading: if *leading == "-" { None } else { Some(leading) },
                    national,
                    has_types: match *has_types {
                        "1" => true,
                        "0" => false,
                        _ => return Err(bad("has types must be 0 or 1")),
                    },
                    types: Vec::new(),
                });
            }
            ["type", name, lengths, pattern] => {
                let Some(plan) = current.as_mut().and_then(|(_, _, plans)| plans.last_mut()) else {
                    return Err(bad("type before any plan"));
                };
                if !plan.has_types {
                    return Err(bad("type in a plan without types"));
                }
                if plan.types.len() >= 31 {
                    return Err(bad("more than 31 types"));
                }
                let lengths = if *lengths == "*" {
                    None
                } else if *lengths == "-" {
                    Some(Vec::new())
                } else {
                    let mut list = Vec::new();
                    for l in lengths.split(',').filter(|l| !l.is_empty()) {
                        list.push(l.parse::<i64>().map_err(|_| bad("bad length"))?);
                    }
                    Some(list)
                };
                plan.types.push((name, lengths, pattern));
            }
            ["end"] => {
                if let Some((value, length, plans)) = current.take() {
                    finish(&mut codes, value, length, plans)?;
                }
                ended = true;
            }
            _ => return Err(bad("unknown line")),
        }
    }
    if !ended {
        return Err("phone-metadata: truncated (no end line)".to_string());
    }
    Ok(PhoneNumbering { codes })
}

fn finish(codes: &mut [Option<CallingCode>], value: u16, length: usize, lines: Vec<PlanLines>) -> Result<(), String> {
    let mut plans = Vec::with_capacity(lines.len());
    for plan in &lines {
        plans.push(compile_plan(plan).map_err(|e| format!("phone-metadata: {} (+{value}): {e}", plan.country))?);
    }
    // (More than 32 countries on one code: each plan's own test, as none has now.)
    let leading_patterns: Vec<(&str, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(k, plan)| plan.leading.map(|pattern| (pattern, 1u32 << (k & 31))))
        .collect();
    let leading = if lines.len() > 1 && lines.len() <= 32 && !leading_patterns.is_empty() {
        Some(Dfa::build(&leading_patterns).map_err(|e| format!("phone-metadata: +{value} leading digits: {e}"))?)
    } else {
        None
    };
    if let Some(slot) = codes.get_mut(value as usize) {
        *slot = Some(CallingCode { length, plans, leading });
    }
    Ok(())
}

fn compile_plan(plan: &PlanLines) -> Result<Plan, String> {
    let mut patterns: Vec<(&str, u32)> = vec![(plan.national, 1)];
    let mut types_by_length = [0u32; INDEXED_LENGTHS];
    let mut types_any_length = 0u32;
    let mut long_lengths = Vec::new();
    for (k, (_, lengths, pattern)) in plan.types.iter().enumerate() {
        let tag = 2u32 << k;
        patterns.push((pattern, tag));
        match lengths {
            None => {
                types_any_length |= tag;
                for slot in types_by_length.iter_mut() {
                    *slot |= tag;
                }
            }
            Some(list) => {
                for &length in list {
                    if length < 0 {
                        continue; // never a number's length
                    }
                    match types_by_length.get_mut(length as usize) {
                        Some(slot) => *slot |= tag,
                        None => long_lengths.push((length as usize, tag)),
                    }
                }
            }
        }
    }
    Ok(Plan {
        dfa: Dfa::build(&patterns)?,
        has_types: plan.has_types,
        types_by_length,
        types_any_length,
        long_lengths,
        leading: match plan.leading {
            Some(pattern) => Some(compile_leading_digits(pattern)?),
            None => None,
        },
        national_prefix: plan.national_prefix.map(|p| p.as_bytes().to_vec()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real metadata, when a test run has it written out (PHONE_METADATA=file).
    #[test]
    fn configures_the_real_metadata() {
        let Ok(path) = std::env::var("PHONE_METADATA") else { return };
        let data = std::fs::read_to_string(path).unwrap();
        let mut fastest = std::time::Duration::MAX;
        for _ in 0..5 {
            let started = std::time::Instant::now();
            parse(&data).unwrap();
            fastest = fastest.min(started.elapsed());
        }
        let numbering = parse(&data).unwrap();
        eprintln!("configure: {fastest:?} (fastest of 5), {} DFA states", numbering.dfa_states());
        assert_eq!(numbering.calling_code_of(b"447946"), Some(44));
        assert!(numbering.is_valid(44, b"2079460958"));
        assert!(!numbering.is_valid(44, b"0079460958"));
        assert_eq!(numbering.national_prefix_of(44), Some(&b"0"[..]));
    }

    #[test]
    fn refuses_bad_data() {
        assert!(parse("").is_err());
        assert!(parse("phone-metadata 1\ncode\t1\nplan\tUS\t1\t-\t\\w\t0\nend").is_err());
        assert!(parse("phone-metadata 1\ncode\t01\nend").is_err());
        assert!(parse("phone-metadata 1\ncode\t1\nplan\tUS\t1\t-\t1\\d\t1").is_err()); // no end
        let ok = parse("phone-metadata 1\ncode\t1\nplan\tUS\t1\t-\t1\\d\t1\ntype\tFIXED_LINE\t2\t1[0-4]\nend").unwrap();
        assert!(ok.is_valid(1, b"13"));
        assert!(!ok.is_valid(1, b"15"));
        assert!(!ok.is_valid(1, b"1"));
    }

    /// A type matches only at the lengths it lists (in the real metadata the patterns already
    /// say so, so only made-up plans show it), and the plans of a shared code are tried in order.
    #[test]
    fn lengths_and_shared_codes() {
        let data = "phone-metadata 1\ncode\t7\n\
            plan\tRU\t8\t[3489]\t\\d{2,3}\t1\n\
            type\tFIXED_LINE\t2\t1\\d{1,2}\n\
            type\tMOBILE\t3\t2\\d{2}\n\
            plan\tKZ\t8\t7\t\\d{3}\t1\n\
            type\tFIXED_LINE\t*\t[37]\\d{2}\n\
            code\t9\nplan\tXX\t-\t-\t\\d{3}\t1\ntype\tMOBILE\t-\t\\d{3}\nend";
        let n = parse(data).unwrap();
        assert!(n.is_valid(7, b"12"));
        assert!(!n.is_valid(7, b"123")); // FIXED_LINE's pattern matches, but not at length 3
        assert!(n.is_valid(7, b"234"));
        assert!(n.is_valid(7, b"700")); // KZ by its leading digits
        assert!(!n.is_valid(7, b"300")); // RU's leading digits: only RU is asked
        assert!(!n.is_valid(7, b"500")); // nobody's: RU, the main country, says no
        assert!(!n.is_valid(9, b"123")); // a type with an empty list of lengths never matches
        assert_eq!(n.national_prefix_of(7), Some(&b"8"[..]));
        assert_eq!(n.national_prefix_of(9), None);
        assert_eq!(n.calling_code_of(b"71"), Some(7));
        assert_eq!(n.calling_code_of(b"7"), None);
        assert_eq!(n.calling_code_of_prefix(7, 2), None);
    }
}
