//! Port of src/pii/recognizers/luhn.ts: the Luhn (mod 10) checksum, as payment card numbers carry it.

/// `luhnValid`: `digits` (UTF-16 code units) are all ASCII digits, at least one, and pass Luhn.
pub fn luhn_valid(digits: &[u16]) -> bool {
    let mut sum = 0u32;
    let mut double = false;
    for &code in digits.iter().rev() {
        let Some(d) = code.checked_sub(48).filter(|&d| d <= 9) else { return false };
        sum += doubled(d as u32, double);
        double = !double;
    }
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// `luhnValidDigits`: Luhn on the first `n` digit values (0-9) of `digits`.
pub fn luhn_valid_digits(digits: &[u8], n: usize) -> bool {
    let n = n.min(digits.len());
    let mut sum = 0u32;
    let mut double = false;
    for &d in digits[..n].iter().rev() {
        sum += doubled(d as u32, double);
        double = !double;
    }
    n > 0 && sum.is_multiple_of(10)
}

#[inline]
fn doubled(d: u32, double: bool) -> u32 {
    if !double {
        d
    } else if d * 2 > 9 {
        d * 2 - 9
    } else {
        d * 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn published_numbers_pass_and_a_changed_digit_fails() {
        for pan in ["4111111111111111", "378282246310005", "30569309025904", "6011000990139424"] {
            assert!(luhn_valid(&utf16(pan)), "{pan}");
            let mut broken = utf16(pan);
            let last = broken.len() - 1;
            broken[last] = 48 + (broken[last] - 48 + 1) % 10;
            assert!(!luhn_valid(&broken), "{pan}");
        }
        assert!(!luhn_valid(&utf16("")));
        assert!(!luhn_valid(&utf16("4111x11111111111")));
        assert!(luhn_valid_digits(&[0], 1));
        assert!(!luhn_valid_digits(&[4, 1], 0));
        assert!(luhn_valid_digits(&[1, 8, 9], 2)); // 18 passes; the 9 after is not read
    }
}
