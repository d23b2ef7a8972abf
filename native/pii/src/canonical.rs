//! Text as a reader sees it: the port of src/pii/canonical.ts (see there for why). Invisible
//! characters are dropped, look-alikes become their ASCII twins; findings on the view are mapped
//! back to the original's offsets.

/// What `canonical_code` returns for a character the view drops.
pub const DROP: i32 = -1;

/// The code a character becomes in the canonical view, DROP, or itself when unchanged.
#[inline]
pub fn canonical_code(code: u16) -> i32 {
    if code < 0xa0 {
        return code as i32;
    }
    match code {
        0x00ad | 0x180e | 0x200b | 0x200c | 0x200d | 0x2060 | 0xfeff => DROP,
        0x00a0 | 0x2007 | 0x202f => 0x20,
        0x2010 | 0x2011 | 0x2012 | 0x2212 => 0x2d,
        0x3002 | 0xff61 => 0x2e,
        0xff01..=0xff5e => code as i32 - 0xfee0,
        _ => code as i32,
    }
}

/// The canonical view of `text`, whose first character to change is at `first`: the view's code
/// units in `view`, and in `source`, when a character was dropped, for each index of the view the
/// index in `text` it came from (left empty when nothing was dropped: offsets are the original's).
pub fn canonical_view_from(text: &[u16], first: usize, view: &mut Vec<u16>, source: &mut Vec<u32>) {
    view.clear();
    source.clear();
    view.extend_from_slice(&text[..first]);
    let mut dropped = false;
    for (i, &code) in text.iter().enumerate().skip(first) {
        let canonical = canonical_code(code);
        if canonical == DROP {
            if !dropped {
                dropped = true;
                source.extend(0..view.len() as u32);
            }
            continue;
        }
        view.push(canonical as u16);
        if dropped {
            source.push(i as u32);
        }
    }
}
