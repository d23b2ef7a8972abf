//! Street-address candidates that know their optional parts, and the merge of the two address
//! finders' lists: the port of src/pii/recognizers/address-candidate.ts, see there for the rules.

use std::cell::RefCell;

use super::Candidate;

/// The street and house number alone (`core` in address-candidate.ts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Core {
    pub end: u32,
    pub score: f64,
}

/// A candidate that also knows which of its parts are optional (`AddressCandidate`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AddressCandidate {
    pub start: u32,
    pub end: u32,
    pub score: f64,
    /// The street and house number without what follows, with their own score; None when they
    /// are no address without the rest.
    pub core: Option<Core>,
    /// Where the address starts without what was read before its street; None when that part is needed.
    pub bare_start: Option<u32>,
}

/// What `sorted_union` orders by: a span.
pub trait Span {
    fn span(&self) -> (u32, u32);
}

impl Span for Candidate {
    fn span(&self) -> (u32, u32) {
        (self.start, self.end)
    }
}

impl Span for AddressCandidate {
    fn span(&self) -> (u32, u32) {
        (self.start, self.end)
    }
}

/// `x` comes before `y`: earlier start, or at one start the longer.
#[inline]
fn precedes<T: Span>(x: &T, y: &T) -> bool {
    let (xs, xe) = x.span();
    let (ys, ye) = y.span();
    xs < ys || (xs == ys && xe > ye)
}

fn is_sorted<T: Span>(list: &[T]) -> bool {
    list.windows(2).all(|pair| !precedes(&pair[1], &pair[0]))
}

/// `a` then `b`, sorted by start, then longer first, stably (equals keep a's before b's), into
/// `out` (replacing its contents): merged in one pass when each list is in that order already.
pub fn sorted_union<T: Span + Copy>(a: &[T], b: &[T], out: &mut Vec<T>) {
    out.clear();
    if !is_sorted(a) || !is_sorted(b) {
        out.extend_from_slice(a);
        out.extend_from_slice(b);
        // (sort_by is stable, as Array.prototype.sort is.)
        out.sort_by(|x, y| {
            let (xs, xe) = x.span();
            let (ys, ye) = y.span();
            xs.cmp(&ys).then(ye.cmp(&xe))
        });
        return;
    }
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        if precedes(y, x) {
            out.push(*y);
            j += 1;
        } else {
            out.push(*x);
            i += 1;
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or(&[]));
    out.extend_from_slice(b.get(j..).unwrap_or(&[]));
}

fn better(a: &AddressCandidate, b: &Candidate) -> bool {
    let length = |start: u32, end: u32| end as i64 - start as i64;
    a.score > b.score || (a.score == b.score && length(a.start, a.end) > length(b.start, b.end))
}

fn plain(start: u32, end: u32, score: f64) -> Candidate {
    Candidate { start, end, score }
}

thread_local! {
    /// The union `merge_addresses` walks, reused from call to call.
    static UNION: RefCell<Vec<AddressCandidate>> = const { RefCell::new(Vec::new()) };
}

/// Merges the two finders' lists into one and appends it to `out` (see mergeAddresses: where two
/// overlap, both stay if one can give up an optional part, else the better stays).
pub fn merge_addresses(a: &[AddressCandidate], b: &[AddressCandidate], out: &mut Vec<Candidate>) {
    if a.is_empty() && b.is_empty() {
        return;
    }
    UNION.with(|cell| match cell.try_borrow_mut() {
        Ok(mut all) => {
            sorted_union(a, b, &mut all);
            merge_sorted(&all, out);
        }
        // (Only a call from inside this one could find the scratch taken: none does.)
        Err(_) => {
            let mut all = Vec::new();
            sorted_union(a, b, &mut all);
            merge_sorted(&all, out);
        }
    });
}

fn merge_sorted(all: &[AddressCandidate], out: &mut Vec<Candidate>) {
    let base = out.len();
    let mut last_core: Option<Core> = None;
    for c in all {
        let last = if out.len() > base { out.last().copied() } else { None };
        match last {
            Some(last) if c.start < last.end => {
                if let Some(bare) = c.bare_start.filter(|&bare| bare >= last.end) {
                    out.push(plain(bare, c.end, c.score));
                } else if let Some(core) = last_core.filter(|core| last.start < c.start && core.end <= c.start) {
                    if let Some(slot) = out.last_mut() {
                        *slot = plain(last.start, core.end, core.score);
                    }
                    out.push(plain(c.start, c.end, c.score));
                } else if better(c, &last) {
                    if let Some(slot) = out.last_mut() {
                        *slot = plain(c.start, c.end, c.score);
                    }
                } else {
                    continue;
                }
            }
            _ => out.push(plain(c.start, c.end, c.score)),
        }
        last_core = c.core;
    }
}
