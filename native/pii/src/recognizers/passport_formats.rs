//! Printed passport-number layouts (US, GB, DE, FR, IN, CA): the port of
//! src/pii/recognizers/passport-formats.ts, see there for the rules.

use super::mrz::mrz_check_digit;

/// Longest number this module recognizes (a German serial plus its check digit).
pub const MAX_PASSPORT_NUMBER: usize = 10;

/// The base scores, handed over by the TypeScript side (see passport.rs `configure`).
#[derive(Clone, Copy, Debug)]
pub struct FormatScores {
    pub digits_only: f64,
    pub layout: f64,
    pub with_check_digit: f64,
}

#[inline]
fn is_digit(c: u16) -> bool {
    (48..=57).contains(&c)
}
#[inline]
fn is_upper(c: u16) -> bool {
    (65..=90).contains(&c)
}

/// German serials: the consonants C F G H J K L M N P R T V W X Y Z, and digits after the first.
#[inline]
fn is_german_letter(c: u16) -> bool {
    matches!(c, 67 | 70 | 71 | 72 | 74 | 75 | 76 | 77 | 78 | 80 | 82 | 84 | 86 | 87 | 88 | 89 | 90)
}

/// `layout`: b'L' a capital, b'D' a digit, one per character.
fn has_layout(token: &[u16], layout: &[u8]) -> bool {
    token.len() == layout.len()
        && token.iter().zip(layout).all(|(&c, &kind)| if kind == b'D' { is_digit(c) } else { is_upper(c) })
}

fn all_same_digit(token: &[u16]) -> bool {
    token.iter().all(|&c| Some(&c) == token.first())
}

fn is_german_serial(token: &[u16]) -> bool {
    token.len() == 9
        && is_german_letter(token[0])
        && token[1..].iter().all(|&c| is_digit(c) || is_german_letter(c))
}

/// India: /^[A-PR-WY][1-9][0-9]{6}$/.
fn is_indian_series(token: &[u16]) -> bool {
    token.len() == 8
        && is_upper(token[0])
        && !matches!(token[0], 81 | 88 | 90) // Q X Z
        && (49..=57).contains(&token[1])
        && token[2..].iter().all(|&c| is_digit(c))
}

/// The tenth character is the ICAO check digit of the first nine.
fn check_digit_holds(token: &[u16]) -> bool {
    let check = mrz_check_digit(token, 0, 9);
    check >= 0 && token.get(9).is_some_and(|&c| c as i32 == 48 + check)
}

/// The base score of `token` (ASCII letters and digits, letters upper-cased) as a passport number,
/// or 0 when it has no passport layout.
pub fn passport_number_score(token: &[u16], scores: &FormatScores) -> f64 {
    match token.len() {
        // IN A1234567; CA (before 2023) AB123456.
        8 if is_indian_series(token) || has_layout(token, b"LLDDDDDD") => scores.layout,
        // US and GB 123456789 (not 000000000).
        9 if has_layout(token, b"DDDDDDDDD") => {
            if all_same_digit(token) {
                0.0
            } else {
                scores.digits_only
            }
        }
        // US next generation A12345678; FR 12AB34567; CA (since 2023) A123456BC; DE C01X00T47.
        9 if has_layout(token, b"LDDDDDDDD")
            || has_layout(token, b"DDLLDDDDD")
            || has_layout(token, b"LDDDDDDLL")
            || is_german_serial(token) =>
        {
            scores.layout
        }
        // DE serial followed by its check digit, as the zone prints it: C01X00T478.
        10 if is_german_serial(&token[..9]) && check_digit_holds(token) => scores.with_check_digit,
        _ => 0.0,
    }
}
