//! Character-class helpers shared by the recognizers: the port of src/pii/recognizers/chars.ts.
//! Texts are UTF-16 code units (`&[u16]`), as JavaScript strings are, so offsets match.

use std::sync::OnceLock;

#[inline]
pub fn is_digit(code: u16) -> bool {
    code.wrapping_sub(48) <= 9
}

#[inline]
pub fn is_ascii_letter(code: u16) -> bool {
    (65..=90).contains(&code) || (97..=122).contains(&code)
}

#[inline]
pub fn is_ascii_alnum(code: u16) -> bool {
    is_digit(code) || is_ascii_letter(code)
}

/// A digit, for codes that may be -1 (outside the text: `code_at`).
#[inline]
pub fn is_digit_code(code: i32) -> bool {
    (48..=57).contains(&code)
}

/// A space or a no-break space, for codes from `code_at`.
#[inline]
pub fn is_space_or_nbsp(code: i32) -> bool {
    code == 32 || code == 160
}

/// `text[from, to)` with both ends clamped into the text, as a JavaScript slice is (every
/// caller's range is inside; this keeps a wrong one from panicking).
#[inline]
pub fn clamped_slice(text: &[u16], from: isize, to: isize) -> &[u16] {
    let len = text.len() as isize;
    let from = from.clamp(0, len);
    let to = to.clamp(from, len);
    &text[from as usize..to as usize]
}

/// [0-9A-Za-z_].
#[inline]
pub fn is_ascii_word(code: u16) -> bool {
    is_ascii_alnum(code) || code == 95
}

/// The code unit at `index`, or -1 outside the text (chars.ts `codeAt`): reads one or two past
/// either end answer "no character", never a panic.
#[inline]
pub fn code_at(text: &[u16], index: isize) -> i32 {
    if index >= 0 && (index as usize) < text.len() {
        text[index as usize] as i32
    } else {
        -1
    }
}

/// Which BMP code units JavaScript's /[\p{L}\p{N}]/u matches, one bit each: handed over by the
/// TypeScript side at load (configure "unicode-alnum"), so the kernel answers with the very
/// Unicode tables of the V8 it runs in. A surrogate is never alphanumeric (as in chars.ts, where
/// one code unit is tested on its own).
static UNICODE_ALNUM: OnceLock<Vec<u64>> = OnceLock::new();

/// configure("unicode-alnum", data): data is "from-to" ranges of code units (decimal, inclusive),
/// separated by commas.
pub fn configure_unicode_alnum(data: &str) -> Result<(), String> {
    let mut bits = vec![0u64; 65536 / 64];
    for range in data.split(',').filter(|r| !r.is_empty()) {
        let (from, to) = range.split_once('-').ok_or_else(|| format!("unicode-alnum: bad range {range}"))?;
        let from: usize = from.parse().map_err(|_| format!("unicode-alnum: bad range {range}"))?;
        let to: usize = to.parse().map_err(|_| format!("unicode-alnum: bad range {range}"))?;
        if from > to || to > 0xffff {
            return Err(format!("unicode-alnum: bad range {range}"));
        }
        for code in from..=to {
            bits[code / 64] |= 1u64 << (code % 64);
        }
    }
    // A second configure (another worker thread loading the addon) hands over the same table.
    let _ = UNICODE_ALNUM.set(bits);
    Ok(())
}

pub fn unicode_alnum_configured() -> bool {
    UNICODE_ALNUM.get().is_some()
}

/// Letters and digits in any script (chars.ts `isAlnumAt` on one code unit). False before the
/// table is configured; the kernel refuses to run until it is (see `lib.rs`).
#[inline]
pub fn is_alnum(code: u16) -> bool {
    if code < 128 {
        return is_ascii_alnum(code);
    }
    match UNICODE_ALNUM.get() {
        Some(bits) => bits[(code as usize) / 64] & (1u64 << (code % 64)) != 0,
        None => false,
    }
}

/// chars.ts `isAlnumAt`: false outside the text.
#[inline]
pub fn is_alnum_at(text: &[u16], index: isize) -> bool {
    index >= 0 && (index as usize) < text.len() && is_alnum(text[index as usize])
}

/// True when the character at `index` (or the edge of the text) is not a letter or digit.
#[inline]
pub fn is_boundary_at(text: &[u16], index: isize) -> bool {
    !is_alnum_at(text, index)
}
