//! Port of src/pii/recognizers/phone-national.ts: see there for the rules. National (no "+")
//! numbers of the default regions, tried in order: how each region writes its numbers at home
//! (trunk prefix, grouping of the area code), then the numbering metadata decides.
//!
//! `digits` are ASCII digit bytes; `grouping` the digit count of each group as written.

use super::phone_metadata;

/// The digit at `i` (0-9), or -1 past the end (the TS reads NaN there, equal to nothing; no
/// caller reaches it: national candidates hold 8 digits at least).
#[inline]
fn code(digits: &[u8], i: usize) -> i32 {
    match digits.get(i) {
        Some(&d) => d as i32 - 48,
        None => -1,
    }
}

#[inline]
fn group(grouping: &[usize], k: usize) -> usize {
    grouping.get(k).copied().unwrap_or(0)
}

/// The groups from `from` on have exactly the lengths of `shape`.
fn groups_are(grouping: &[usize], from: usize, shape: &[usize]) -> bool {
    grouping.len() >= from && grouping.len() - from == shape.len() && grouping[from..] == *shape
}

fn groups_are_one_of(grouping: &[usize], from: usize, shapes: &[&[usize]]) -> bool {
    shapes.iter().any(|shape| groups_are(grouping, from, shape))
}

/// Every group from `from` on has at least two digits.
fn rest_are_groups(grouping: &[usize], from: usize) -> bool {
    grouping.iter().skip(from).all(|&length| length >= 2)
}

/// The national significant number after a "0" trunk prefix, written as such regions write it.
fn with_trunk_zero<'a>(digits: &'a [u8], grouping: &[usize]) -> Option<&'a [u8]> {
    if code(digits, 0) != 0 || code(digits, 1) == 0 {
        return None; // "00" is an IDD prefix
    }
    if grouping.len() > 1 {
        // French 08 numbers: "0 800 12 34 56".
        if group(grouping, 0) == 1 {
            return if rest_are_groups(grouping, 1) { digits.get(1..) } else { None };
        }
        if group(grouping, 0) > 6 {
            return None;
        }
        // German service numbers: "0180 4 4662048".
        if !rest_are_groups(grouping, if group(grouping, 1) == 1 { 2 } else { 1 }) {
            return None;
        }
    }
    digits.get(1..)
}

const NANP_GROUPINGS: [&[usize]; 2] = [&[3, 3, 4], &[3, 7]];

/// NANP: [1] NPA NXX XXXX, written 3-3-4 or 3-7 after an optional "1".
fn nanp<'a>(digits: &'a [u8], grouping: &[usize]) -> Option<&'a [u8]> {
    let mut nsn = digits;
    let mut from = 0usize;
    if digits.len() == 11 && code(digits, 0) == 1 {
        nsn = digits.get(1..)?;
        if grouping.len() > 1 {
            if group(grouping, 0) == 1 {
                from = 1;
            } else {
                return None;
            }
        }
    } else if digits.len() != 10 {
        return None;
    }
    if code(nsn, 0) < 2 {
        return None;
    }
    if grouping.len() > from + 1 && !groups_are_one_of(grouping, from, &NANP_GROUPINGS) {
        return None;
    }
    Some(nsn)
}

/// Toll-free and shared-cost numbers dialled without a trunk prefix (AU, IN).
fn service_number<'a>(digits: &'a [u8], grouping: &[usize], lengths: &[usize]) -> Option<&'a [u8]> {
    if code(digits, 0) != 1 || !lengths.contains(&digits.len()) {
        return None;
    }
    if grouping.len() > 1 && (group(grouping, 0) != 4 || !rest_are_groups(grouping, 1)) {
        return None;
    }
    Some(digits)
}

const INDIA_SERVICE_LENGTHS: [usize; 3] = [11, 12, 13];
const AUSTRALIA_SERVICE_LENGTHS: [usize; 1] = [10];

fn india<'a>(digits: &'a [u8], grouping: &[usize]) -> Option<&'a [u8]> {
    if code(digits, 0) == 0 {
        return with_trunk_zero(digits, grouping);
    }
    if code(digits, 0) == 1 {
        return service_number(digits, grouping, &INDIA_SERVICE_LENGTHS);
    }
    if digits.len() != 10 || code(digits, 0) < 6 {
        return None;
    }
    let first = group(grouping, 0);
    if grouping.len() > 1 && (!(3..=5).contains(&first) || !rest_are_groups(grouping, 1)) {
        return None;
    }
    Some(digits)
}

fn australia<'a>(digits: &'a [u8], grouping: &[usize]) -> Option<&'a [u8]> {
    if code(digits, 0) == 0 {
        return with_trunk_zero(digits, grouping);
    }
    service_number(digits, grouping, &AUSTRALIA_SERVICE_LENGTHS)
}

const BRAZIL_SUBSCRIBER: [&[usize]; 5] = [&[8], &[9], &[4, 4], &[5, 4], &[1, 4, 4]];

fn brazil<'a>(digits: &'a [u8], grouping: &[usize]) -> Option<&'a [u8]> {
    if code(digits, 0) == 0 {
        return with_trunk_zero(digits, grouping);
    }
    if digits.len() < 10 || digits.len() > 11 || code(digits, 1) == 0 {
        return None;
    }
    if grouping.len() > 1 {
        if group(grouping, 0) != 2 {
            return None;
        }
        if !groups_are_one_of(grouping, 1, &BRAZIL_SUBSCRIBER) {
            return None;
        }
    }
    Some(digits)
}

/// A default region: its id, calling code and how it reads a national number.
pub struct Region {
    pub id: &'static str,
    pub calling_code: u16,
    nsn: for<'a> fn(&'a [u8], &[usize]) -> Option<&'a [u8]>,
}

/// The default regions for numbers written without "+", in the order they are tried.
pub const DEFAULT_REGIONS: [Region; 8] = [
    Region { id: "US", calling_code: 1, nsn: nanp },
    Region { id: "GB", calling_code: 44, nsn: with_trunk_zero },
    Region { id: "DE", calling_code: 49, nsn: with_trunk_zero },
    Region { id: "FR", calling_code: 33, nsn: with_trunk_zero },
    Region { id: "IN", calling_code: 91, nsn: india },
    Region { id: "AU", calling_code: 61, nsn: australia },
    Region { id: "JP", calling_code: 81, nsn: with_trunk_zero },
    Region { id: "BR", calling_code: 55, nsn: brazil },
];

/// The first default region under which `digits`, written as `grouping`, is a valid number.
pub fn national_region_of(digits: &[u8], grouping: &[usize]) -> Option<&'static str> {
    for region in DEFAULT_REGIONS.iter() {
        if let Some(nsn) = (region.nsn)(digits, grouping) {
            if phone_metadata::is_valid(region.calling_code, nsn) {
                return Some(region.id);
            }
        }
    }
    None
}
