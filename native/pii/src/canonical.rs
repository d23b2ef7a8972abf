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

/// True when the canonical view changes or drops `code` (canonical_code(code) != code), computed
/// without branches so that a chunk's test vectorizes (a unit test holds it to canonical_code for
/// every code unit).
#[inline(always)]
fn changes_in_view(code: u16) -> bool {
    let is = |unit: u16| code == unit;
    let within = |low: u16, high: u16| code.wrapping_sub(low) <= high - low;
    is(0x00a0)
        | is(0x00ad)
        | is(0x180e)
        | is(0x2007)
        | within(0x200b, 0x200d)
        | within(0x2010, 0x2012)
        | is(0x202f)
        | is(0x2060)
        | is(0x2212)
        | is(0x3002)
        | is(0xfeff)
        | within(0xff01, 0xff5e)
        | is(0xff61)
}

/// The first character of `text` the canonical view changes or drops (what the text scan reports
/// as first_not_canonical), by itself: 64 characters at a time, each chunk first tested for a
/// character from U+0080 up (most text has none; an OR of the chunk tells, which vectorizes).
pub fn first_not_canonical(text: &[u16]) -> Option<usize> {
    const CHUNK: usize = 64;
    let mut chunks = text.chunks_exact(CHUNK);
    let mut base = 0;
    for chunk in &mut chunks {
        // A fixed length, so the test is unrolled.
        if let Ok(full) = <&[u16; CHUNK]>::try_from(chunk) {
            if beyond_ascii(full) {
                if let Some(k) = first_changed(full) {
                    return Some(base + k);
                }
            }
        }
        base += CHUNK;
    }
    let rest = chunks.remainder();
    if beyond_ascii(rest) {
        first_changed(rest).map(|k| base + k)
    } else {
        None
    }
}

/// One of `chunk`'s characters is U+0080 or above.
#[inline(always)]
fn beyond_ascii(chunk: &[u16]) -> bool {
    chunk.iter().fold(0u16, |all, &code| all | code) >= 0x80
}

/// A wider net than changes_in_view, cheaper to test: every character the view changes is in one
/// of these ranges (a unit test holds it to that).
#[inline(always)]
fn may_change_in_view(code: u16) -> bool {
    let within = |low: u16, high: u16| code.wrapping_sub(low) <= high - low;
    within(0x00a0, 0x00ad)
        | within(0x180e, 0x180e)
        | within(0x2007, 0x2060)
        | within(0x2212, 0x2212)
        | within(0x3002, 0x3002)
        | within(0xfeff, 0xff61)
}

/// The first character of `chunk` the view changes. The chunk is tested whole first, with the
/// wider net and without branches (most chunks with a character beyond ASCII hold none the view
/// changes: accented letters, other scripts); out of line, as rarer than the chunk loop.
#[inline(never)]
fn first_changed(chunk: &[u16]) -> Option<usize> {
    if chunk.iter().fold(false, |any, &code| any | may_change_in_view(code)) {
        chunk.iter().position(|&code| changes_in_view(code))
    } else {
        None
    }
}

/// The canonical view of `text`, whose first character to change is at `first`: the view's code
/// units in `view`, and in `source`, when a character was dropped, for each index of the view the
/// index in `text` it came from (left empty when nothing was dropped: offsets are the original's).
pub fn canonical_view_from(text: &[u16], first: usize, view: &mut Vec<u16>, source: &mut Vec<u32>) {
    view.clear();
    source.clear();
    let first = first.min(text.len());
    view.extend_from_slice(&text[..first]);
    let mut dropped = false;
    let mut at = first;
    while let Some(&code) = text.get(at) {
        if code < 0xa0 {
            // A run of characters below U+00A0, which the view keeps as they are: copied whole.
            let run_end = at + plain_prefix(&text[at..]);
            view.extend_from_slice(&text[at..run_end]);
            if dropped {
                source.extend(at as u32..run_end as u32);
            }
            at = run_end;
            continue;
        }
        let canonical = canonical_code(code);
        if canonical == DROP {
            if !dropped {
                dropped = true;
                source.extend(0..view.len() as u32);
            }
        } else {
            view.push(canonical as u16);
            if dropped {
                source.push(at as u32);
            }
        }
        at += 1;
    }
}

/// The canonical view of a long text made a stretch at a time, for window-by-window detection:
/// the whole view of a 50 MiB text was another 100 MB written (and page-faulted in) per call.
/// Stretches must be asked in order: each starts at or after the one before.
pub struct ViewCursor<'a> {
    text: &'a [u16],
    /// The next character of `text` to convert.
    next: usize,
    /// The view's units [held_from, held_from + held.len()).
    held: &'a mut Vec<u16>,
    held_from: usize,
    /// Original offsets of the dropped characters, in order (see `to_original`).
    dropped: &'a mut Vec<u32>,
    /// The view's length.
    pub len: usize,
}

impl<'a> ViewCursor<'a> {
    /// A cursor over the view of `text`, whose first character to change is at `first`; `held`
    /// and `dropped` are reused buffers.
    pub fn new(text: &'a [u16], first: usize, held: &'a mut Vec<u16>, dropped: &'a mut Vec<u32>) -> Self {
        held.clear();
        dropped.clear();
        let first = first.min(text.len());
        let mut base = first;
        for chunk in text.get(first..).unwrap_or_default().chunks(64) {
            if beyond_ascii(chunk) {
                for (k, &code) in chunk.iter().enumerate() {
                    if code >= 0xa0 && canonical_code(code) == DROP {
                        dropped.push((base + k) as u32);
                    }
                }
            }
            base += chunk.len();
        }
        let len = text.len() - dropped.len();
        ViewCursor { text, next: 0, held, held_from: 0, dropped, len }
    }

    /// view[from, to) (to at most `len`; from at or after the last call's).
    pub fn stretch(&mut self, from: usize, to: usize) -> &[u16] {
        let to = to.min(self.len);
        let from = from.min(to);
        // Let go of what lies before `from`.
        let stale = from.saturating_sub(self.held_from).min(self.held.len());
        self.held.drain(..stale);
        self.held_from += stale;
        // Convert until the view reaches `to`.
        loop {
            let want = to.saturating_sub(self.held_from + self.held.len());
            let rest = self.text.get(self.next..).unwrap_or_default();
            if want == 0 || rest.is_empty() {
                break;
            }
            // A run of characters below U+00A0, which the view keeps as they are: copied whole.
            let plain = plain_prefix(rest.get(..want).unwrap_or(rest));
            if plain > 0 {
                self.held.extend_from_slice(&rest[..plain]);
                self.next += plain;
                continue;
            }
            self.next += 1;
            let canonical = canonical_code(rest[0]);
            if canonical != DROP {
                self.held.push(canonical as u16);
            }
        }
        let start = from.saturating_sub(self.held_from);
        self.held.get(start..to.saturating_sub(self.held_from)).unwrap_or_default()
    }

    /// The original offsets of a finding [start, end) on the view.
    pub fn to_original(&self, start: u32, end: u32) -> (u32, u32) {
        (view_to_original(self.dropped, start), view_to_original(self.dropped, end.saturating_sub(1)) + 1)
    }

    /// The view holds every character of the text (none dropped): its offsets are the text's.
    pub fn offsets_unchanged(&self) -> bool {
        self.dropped.is_empty()
    }
}

/// How many of `units` from the start are below U+00A0 (kept as they are by the view): 64 at a
/// time tested for any unit from U+0080 up first (an OR, which vectorizes).
fn plain_prefix(units: &[u16]) -> usize {
    let mut base = 0;
    for chunk in units.chunks(64) {
        if beyond_ascii(chunk) {
            if let Some(k) = chunk.iter().position(|&code| code >= 0xa0) {
                return base + k;
            }
        }
        base += chunk.len();
    }
    units.len()
}

/// The original offset of view offset `v`: v plus the number of dropped characters before the
/// character it stands for. The k-th dropped character (from 0) sits where view offset
/// dropped[k] - k would be, so it lies before `v`'s character when dropped[k] - k <= v (a
/// non-decreasing key, so a binary search counts them).
fn view_to_original(dropped: &[u32], v: u32) -> u32 {
    let mut low = 0usize;
    let mut high = dropped.len();
    while low < high {
        let mid = (low + high) / 2;
        if (dropped[mid] as usize).saturating_sub(mid) <= v as usize {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    v + low as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_in_view_is_canonical_code() {
        for code in 0..=u16::MAX {
            assert_eq!(changes_in_view(code), canonical_code(code) != code as i32, "{code:#x}");
            assert!(may_change_in_view(code) || !changes_in_view(code), "{code:#x}");
        }
    }

    /// The view one character at a time, as canonical.ts builds it.
    fn view_by_character(text: &[u16]) -> (Vec<u16>, Vec<u32>) {
        let mut view = Vec::new();
        let mut source = Vec::new();
        for (i, &code) in text.iter().enumerate() {
            let canonical = canonical_code(code);
            if canonical != DROP {
                view.push(canonical as u16);
                source.push(i as u32);
            }
        }
        if view.len() == text.len() {
            source.clear();
        }
        (view, source)
    }

    #[test]
    fn canonical_view_as_by_character() {
        let pieces: [&[u16]; 8] = [&[0x61, 0x62], &[0x20], &[0x200b], &[0xff11, 0xff12], &[0xe9], &[0xa0], &[0x2010, 0x31], &[0x4e2d]];
        let mut seed = 7u64;
        let (mut view, mut source) = (Vec::new(), Vec::new());
        for _ in 0..2000 {
            let mut text = Vec::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for k in 0..(seed >> 60) {
                text.extend_from_slice(pieces[((seed >> (4 * k)) & 7) as usize]);
            }
            let first = text.iter().position(|&c| canonical_code(c) != c as i32).unwrap_or(text.len());
            canonical_view_from(&text, first, &mut view, &mut source);
            assert_eq!((view.clone(), source.clone()), view_by_character(&text), "{text:x?}");
        }
    }

    /// The cursor's stretches, asked in order with overlaps and gaps, are the whole view's, and
    /// its offsets map back as the whole view's source does.
    #[test]
    fn view_cursor_stretches_are_the_whole_view() {
        let pieces: [&[u16]; 9] = [&[0x61, 0x62], &[0x20], &[0x200b], &[0xff11, 0xff12], &[0xe9], &[0xa0], &[0x2010, 0x31], &[0x4e2d], &[0xad, 0xfeff]];
        let mut seed = 11u64;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % bound.max(1)
        };
        let (mut held, mut dropped) = (Vec::new(), Vec::new());
        for _ in 0..3000 {
            let mut text = Vec::new();
            for _ in 0..next(40) {
                text.extend_from_slice(pieces[next(9) as usize]);
            }
            let first = text.iter().position(|&c| canonical_code(c) != c as i32).unwrap_or(text.len());
            let (view, source) = view_by_character(&text);
            let mut cursor = ViewCursor::new(&text, first, &mut held, &mut dropped);
            assert_eq!(cursor.len, view.len());
            let mut from = 0usize;
            while from < view.len() {
                let to = (from + next(12) as usize).min(view.len() + 2);
                assert_eq!(cursor.stretch(from, to), &view[from..to.min(view.len())], "{text:x?} [{from}, {to})");
                from += next(6) as usize;
            }
            for start in 0..view.len() {
                for end in start + 1..=view.len() {
                    let expected = if source.is_empty() { (start as u32, end as u32) } else { (source[start], source[end - 1] + 1) };
                    assert_eq!(cursor.to_original(start as u32, end as u32), expected, "{text:x?}");
                }
            }
        }
    }

    #[test]
    fn first_not_canonical_at_every_place() {
        for length in [0usize, 1, 31, 32, 33, 64, 100] {
            let plain: Vec<u16> = (0..length).map(|k| [0x61, 0xe9, 0x4e2d, 0x20, 0x9f][k % 5]).collect();
            assert_eq!(first_not_canonical(&plain), None);
            for at in 0..length {
                for odd in [0xa0u16, 0x200b, 0xff10, 0xff61, 0xfeff] {
                    let mut text = plain.clone();
                    text[at] = odd;
                    if at + 1 < length {
                        text[length - 1] = 0x2010;
                    }
                    assert_eq!(first_not_canonical(&text), Some(at));
                }
            }
        }
    }
}
