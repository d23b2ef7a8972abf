//! Port of src/pii/recognizers/digits-runs.ts: see there for the rules. Runs of digit groups
//! joined by single spaces or dashes, split into groups, and the chain and glue tests the card
//! and SSN recognizers share.

use crate::chars::{code_at, is_alnum_at};
use crate::text_scan::Cluster;

pub const SPACE: u16 = 32;
pub const DASH: u16 = 45;
const DOT: i32 = 46;
const PLUS: i32 = 43;
const UNDERSCORE: i32 = 95;

#[inline]
fn is_digit(code: i32) -> bool {
    (48..=57).contains(&code)
}

#[inline]
fn is_joint(code: i32) -> bool {
    code == SPACE as i32 || code == DASH as i32
}

/// The groups of ASCII digits of one run, reused from run to run (`DigitGroups`).
#[derive(Default, Debug)]
pub struct DigitGroups {
    /// Per group: its digits are text[starts[k], ends[k]).
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Per group: the single separator joining it to the one before (0: the first).
    seps: Vec<u16>,
}

impl DigitGroups {
    /// Splits `text[start, end)`, digit groups joined by single non-digit characters, into groups.
    pub fn read(&mut self, text: &[u16], start: usize, end: usize) {
        self.starts.clear();
        self.ends.clear();
        self.seps.clear();
        let end = end.min(text.len());
        let mut i = start;
        let mut sep = 0u16;
        while i < end {
            let group_start = i;
            while i < end && is_digit(text[i] as i32) {
                i += 1;
            }
            self.starts.push(group_start as u32);
            self.ends.push(i as u32);
            self.seps.push(sep);
            if i < end {
                sep = text[i];
                i += 1;
            }
        }
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    pub fn start(&self, k: usize) -> usize {
        self.starts.get(k).map_or(0, |&v| v as usize)
    }

    pub fn end(&self, k: usize) -> usize {
        self.ends.get(k).map_or(0, |&v| v as usize)
    }

    /// The separator before group k (0 for the first group, and outside the run).
    pub fn sep(&self, k: usize) -> u16 {
        self.seps.get(k).copied().unwrap_or(0)
    }

    /// Digits in group k.
    pub fn length(&self, k: usize) -> usize {
        self.end(k).saturating_sub(self.start(k))
    }

    /// Lets go of the room a huge run grew.
    pub fn trim(&mut self) {
        if self.starts.capacity() > MAX_KEPT_GROUPS {
            *self = DigitGroups::default();
        }
    }
}

const MAX_KEPT_GROUPS: usize = 4096;

/// Calls `on_run(start, end)` once for every run of digit groups joined by single spaces or
/// dashes in which an anchor matches (`next_anchor(text, from, end)`: the first offset in
/// [from, end) where a candidate can begin, or -1), searching only the clusters for which
/// `may_hold(digits, run_lengths)` holds.
pub fn for_each_anchored_run(
    text: &[u16],
    clusters: &[Cluster],
    may_hold: impl Fn(u32, u32) -> bool,
    next_anchor: impl Fn(&[u16], usize, usize) -> isize,
    mut on_run: impl FnMut(usize, usize),
) {
    let length = text.len();
    let mut floor = 0usize; // the end of the previous run
    for cluster in clusters {
        if !may_hold(cluster.digits, cluster.run_lengths) {
            continue;
        }
        let cluster_end = cluster.end as usize;
        let mut at = next_anchor(text, cluster.start as usize, cluster_end);
        while at >= 0 {
            let mut start = at as usize;
            while start > floor {
                let code = code_at(text, start as isize - 1);
                if is_digit(code) {
                    start -= 1;
                } else if is_joint(code) && start >= floor + 2 && is_digit(code_at(text, start as isize - 2)) {
                    // A group glued to a word on its left still belongs to the run.
                    start -= 1;
                } else {
                    break;
                }
            }
            let mut end = at as usize;
            while end < length {
                let code = text[end] as i32;
                if is_digit(code) {
                    end += 1;
                } else if is_joint(code) && is_digit(code_at(text, end as isize + 1)) {
                    // A group glued to a word on its right starts that word.
                    let mut group_end = end + 1;
                    while group_end < length && is_digit(text[group_end] as i32) {
                        group_end += 1;
                    }
                    if group_end < length && glued_char(text, group_end) {
                        break;
                    }
                    end = group_end;
                } else {
                    break;
                }
            }
            on_run(start, end);
            floor = end;
            at = next_anchor(text, end, cluster_end);
        }
    }
}

/// True when every character of `text[from, to)` is an ASCII digit (false past the text).
pub fn digits_at(text: &[u16], from: usize, to: usize) -> bool {
    (from..to).all(|i| is_digit(code_at(text, i as isize)))
}

/// The end of the run of ASCII digits that `text[at]` is in or starts (`at` when it is no digit).
pub fn digits_end(text: &[u16], mut at: usize, end: usize) -> usize {
    let end = end.min(text.len());
    while at < end && is_digit(text[at] as i32) {
        at += 1;
    }
    at
}

/// True when groups `from..` have exactly the lengths in `shape`, all joined by `sep`.
pub fn has_shape(groups: &DigitGroups, from: usize, sep: u16, shape: &[usize]) -> bool {
    if from + shape.len() > groups.count() {
        return false;
    }
    shape.iter().enumerate().all(|(k, &n)| groups.length(from + k) == n && (k == 0 || groups.sep(from + k) == sep))
}

/// True when a chain of groups joined by `sep` may begin at group `i`.
pub fn opens_chain(groups: &DigitGroups, i: usize, sep: u16) -> bool {
    if groups.sep(i) != sep {
        return true;
    }
    // A group joined by `sep` (never 0) has one before it.
    let previous = if i > 0 { groups.sep(i - 1) } else { 0 };
    previous != 0 && previous != sep
}

/// The mirror of `opens_chain`: the chain may end at group `j`.
pub fn closes_chain(groups: &DigitGroups, j: usize, sep: u16) -> bool {
    if j + 1 >= groups.count() || groups.sep(j + 1) != sep {
        return true;
    }
    j + 2 < groups.count() && groups.sep(j + 2) != sep
}

fn glued_char(text: &[u16], index: usize) -> bool {
    code_at(text, index as isize) == UNDERSCORE || is_alnum_at(text, index as isize)
}

/// True when the number at `text[start, end)` stands on its own: nothing glued to it, not a
/// decimal's digits, no leading "+".
pub fn stands_alone(text: &[u16], start: usize, end: usize) -> bool {
    if start > 0 {
        let before = code_at(text, start as isize - 1);
        if before == PLUS || glued_char(text, start - 1) {
            return false;
        }
        if before == DOT && start > 1 && is_digit(code_at(text, start as isize - 2)) {
            return false;
        }
    }
    if end < text.len() {
        if glued_char(text, end) {
            return false;
        }
        if code_at(text, end as isize) == DOT && is_digit(code_at(text, end as isize + 1)) {
            return false;
        }
    }
    true
}
