//! Whether a stretch of text is an IPv4 or IPv6 address as node:net's isIPv4 and isIPv6 answer:
//! the port of src/pii/recognizers/ip-parse.ts (see there for the grammar). Read in place, once.

const COLON: u16 = 58;
const DOT: u16 = 46;

#[inline]
fn is_digit(code: u16) -> bool {
    code.wrapping_sub(48) <= 9
}

/// Bits of `class`: what a code unit is to the address grammar.
pub(super) const HEX: u8 = 1;
pub(super) const DECIMAL: u8 = 2;
pub(super) const COLON_UNIT: u8 = 4;
pub(super) const DOT_UNIT: u8 = 8;

const fn classes() -> [u8; 128] {
    let mut table = [0u8; 128];
    let mut code = 0;
    while code < 128 {
        let c = code as u8;
        table[code] = if c.is_ascii_digit() {
            HEX | DECIMAL
        } else if c.is_ascii_hexdigit() {
            HEX
        } else if c == b':' {
            COLON_UNIT
        } else if c == b'.' {
            DOT_UNIT
        } else {
            0
        };
        code += 1;
    }
    table
}

static CLASSES: [u8; 128] = classes();

/// The grammar's class of `code` (0 for any character an address cannot hold), looked up in a
/// table: hex text mixes digits and letters, which a chain of range tests mispredicts.
#[inline]
pub(super) fn class(code: u16) -> u8 {
    CLASSES.get(code as usize).copied().unwrap_or(0)
}

/// The code unit at `i`, or 0 outside the text (no code unit the grammar accepts).
#[inline]
fn at(text: &[u16], i: usize) -> u16 {
    text.get(i).copied().unwrap_or(0)
}

/// `text[from, to)` is a dotted quad node:net's isIPv4 accepts.
pub fn is_ipv4_at(text: &[u16], from: usize, to: usize) -> bool {
    let mut i = from;
    for octet in 0..4 {
        if octet > 0 {
            if i >= to || at(text, i) != DOT {
                return false;
            }
            i += 1;
        }
        let start = i;
        let mut value = 0u32;
        while i < to && i - start < 3 && is_digit(at(text, i)) {
            value = value * 10 + (at(text, i) - 48) as u32;
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || value > 255 {
            return false;
        }
        if digits > 1 && at(text, start) == 48 {
            return false; // "01": a leading zero
        }
    }
    i == to
}

/// What reading an IPv6 address found, for checks that judge it beyond the grammar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ipv6Facts {
    /// A "::" stands for groups of zeros.
    pub compressed: bool,
    /// The last two groups are written as an IPv4 address.
    pub embeds_ipv4: bool,
    /// Hex digits in the groups (the embedded IPv4 address not counted).
    pub hex_digits: u32,
    /// Of them, decimal digits.
    pub decimal_digits: u32,
}

/// `text[from, to)` is an address node:net's isIPv6 accepts (for text of hex digits, ":" and "."
/// only, as the recognizer hands it): what the reading found when it is, else None.
pub fn is_ipv6_at(text: &[u16], from: usize, to: usize) -> Option<Ipv6Facts> {
    let mut groups = 0u32; // 16-bit groups written; an embedded IPv4 address counts two
    let mut compressed = false;
    let mut embeds_ipv4 = false;
    let mut hex_digits = 0u32;
    let mut decimal_digits = 0u32;
    let mut i = from;
    if to >= from + 2 && at(text, i) == COLON {
        if at(text, i + 1) != COLON {
            return None; // one colon cannot open an address
        }
        compressed = true;
        i += 2;
    }
    while i < to {
        let start = i;
        while i < to && i - start < 5 {
            let kind = class(at(text, i));
            if kind & HEX == 0 {
                break;
            }
            decimal_digits += (kind & DECIMAL != 0) as u32;
            i += 1;
        }
        if i == start {
            return None; // ":::", a colon where a group belongs
        }
        if i < to && at(text, i) == DOT {
            // An embedded IPv4 address: the rest of the text, in place of two groups.
            if !is_ipv4_at(text, start, to) {
                return None;
            }
            groups += 2;
            embeds_ipv4 = true;
            break;
        }
        if i - start > 4 {
            return None;
        }
        hex_digits += (i - start) as u32;
        groups += 1;
        if i == to {
            break;
        }
        if at(text, i) != COLON {
            return None;
        }
        i += 1;
        if i < to && at(text, i) == COLON {
            if compressed {
                return None; // a second "::"
            }
            compressed = true;
            i += 1;
        } else if i == to {
            return None; // a trailing single colon
        }
    }
    let valid = if compressed { groups <= 7 } else { groups == 8 };
    valid.then_some(Ipv6Facts { compressed, embeds_ipv4, hex_digits, decimal_digits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<u16> {
        text.encode_utf16().collect()
    }

    #[test]
    fn ipv6_forms_as_node_net_answers() {
        for (text, valid) in [
            ("::", true),
            ("::1", true),
            ("1::", true),
            ("1:2:3:4:5:6:7:8", true),
            ("1:2:3:4:5:6:7::", true),
            ("::2:3:4:5:6:7:8", true),
            ("1:2:3:4:5:6:7:8:9", false),
            ("1::3:4:5:6:7:8:9", false),
            ("1:2:3:4:5:6:1.2.3.4", true),
            ("1:2:3:4:5::1.2.3.4", true),
            ("1:2:3:4:5:6::1.2.3.4", false),
            ("::ffff:192.0.2.1", true),
            ("::ffff:192.0.2.01", false),
            ("1.2.3.4::", false),
            ("1:2", false),
            (":1::", false),
            ("1::2::3", false),
            ("12345::1", false),
            ("", false),
            (":", false),
        ] {
            let t = units(text);
            assert_eq!(is_ipv6_at(&t, 0, t.len()).is_some(), valid, "{text}");
        }
    }

    #[test]
    fn ipv6_facts() {
        let t = units("fe80::aad9:ab05:93d6:3d1f");
        let facts = is_ipv6_at(&t, 0, t.len());
        assert_eq!(facts, Some(Ipv6Facts { compressed: true, embeds_ipv4: false, hex_digits: 20, decimal_digits: 10 }));
        let t = units("::ffff:192.0.2.1");
        assert!(is_ipv6_at(&t, 0, t.len()).is_some_and(|f| f.embeds_ipv4));
    }

    #[test]
    fn ipv4_octets() {
        let t = units("ip 10.0.0.1 ok");
        assert!(is_ipv4_at(&t, 3, 11));
        for text in ["01.2.3.4", "256.2.3.4", "1.2.3", "1.2.3.4.5", ""] {
            let t = units(text);
            assert!(!is_ipv4_at(&t, 0, t.len()), "{text}");
        }
        // Past the text's end: no panic, no address.
        let t = units("1.2.3.4");
        assert!(!is_ipv4_at(&t, 0, 20));
        assert!(is_ipv6_at(&t, 5, 40).is_none());
    }
}
