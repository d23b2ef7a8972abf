//! Port of src/pii/recognizers/phone-shapes.ts: see there for the rules. Digit writings that look
//! like phone groupings but are dates, decimals, dotted quads or US identifiers.
//!
//! The first `count` entries describe the groups: `values` their numeric values (-1 when longer
//! than four digits), `lengths` their digit counts, `joints` the joint code before each (0 for
//! none; index 0 unused). Entries past the slices read as 0, as absent ones never matter here.

const DOT: u16 = 46;
const DASH: u16 = 45;

#[inline]
fn get<T: Copy + Default>(slice: &[T], k: usize) -> T {
    slice.get(k).copied().unwrap_or_default()
}

fn is_year(value: i32) -> bool {
    (1900..=2099).contains(&value)
}

fn is_month_day(month: i32, day: i32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// 2024-01-15, 15/01/2024, 01.15.2024: three groups, one joint twice.
pub fn is_date_shape(count: usize, values: &[i32], lengths: &[usize], joints: &[u16]) -> bool {
    if count != 3 {
        return false;
    }
    if get(joints, 1) != get(joints, 2) {
        return false;
    }
    let (a, b, c) = (get(values, 0), get(values, 1), get(values, 2));
    let (la, lb, lc) = (get(lengths, 0), get(lengths, 1), get(lengths, 2));
    if la == 4 && lb == 2 && lc == 2 {
        return is_year(a) && is_month_day(b, c);
    }
    if la == 2 && lb == 2 && lc == 4 {
        return is_year(c) && (is_month_day(b, a) || is_month_day(a, b));
    }
    false
}

/// Two groups joined by a dot: a decimal number.
pub fn is_decimal_shape(count: usize, joints: &[u16]) -> bool {
    count == 2 && get(joints, 1) == DOT
}

/// Four dot-joined groups of at most three digits: an IPv4 address or a version.
pub fn is_dotted_quad_shape(count: usize, lengths: &[usize], joints: &[u16]) -> bool {
    if count != 4 {
        return false;
    }
    for k in 0..count {
        if get(lengths, k) > 3 {
            return false;
        }
        if k > 0 && get(joints, k) != DOT {
            return false;
        }
    }
    true
}

/// An SSN (3-2-4, one joint twice) or a ZIP+4 code (5-4 with a dash).
pub fn is_us_identifier_shape(count: usize, lengths: &[usize], joints: &[u16]) -> bool {
    if count == 3 {
        return get(lengths, 0) == 3 && get(lengths, 1) == 2 && get(lengths, 2) == 4 && get(joints, 1) == get(joints, 2);
    }
    if count == 2 {
        return get(lengths, 0) == 5 && get(lengths, 1) == 4 && get(joints, 1) == DASH;
    }
    false
}
