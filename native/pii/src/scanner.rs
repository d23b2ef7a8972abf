//! The scanner's detect: the port of src/pii/scanner.ts (see there for the rules). Each
//! recognizer's candidates are scored with their context words, kept from the threshold up, and
//! of overlapping findings the best is kept; text holding characters the canonical view changes
//! is read through that view and the findings mapped back.

use crate::canonical::{canonical_view_from, first_not_canonical, ViewCursor};
use crate::context::{self, ContextConfig};
use crate::recognizers::Candidate;
use crate::text_scan::TextScan;

/// One finding: UTF-16 offsets, end exclusive; `type_id` the recognizer id.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finding {
    pub type_id: u32,
    pub start: u32,
    pub end: u32,
    pub score: f64,
}

/// Buffers one detect call uses, reused from call to call.
#[derive(Default)]
pub struct Detection {
    /// A short text's canonical view; for a long one, the stretch of it the cursor holds.
    view: Vec<u16>,
    /// A short text's view: the original offset of each view unit when a character was dropped.
    /// A long one: the offsets of the dropped characters.
    source: Vec<u32>,
    buffers: Buffers,
}

/// What detect_in fills and sorts through.
#[derive(Default)]
struct Buffers {
    candidates: Vec<Candidate>,
    merge: SortScratch,
}

/// Better of two overlapping findings: higher score, then longer, then earlier.
#[inline]
fn beats(a: &Finding, b: &Finding) -> bool {
    if a.score != b.score {
        return a.score > b.score;
    }
    let la = a.end as i64 - a.start as i64;
    let lb = b.end as i64 - b.start as i64;
    if la != lb {
        return la > lb;
    }
    a.start < b.start
}

/// Earlier start first; of two with one start, the longer first.
#[inline]
fn precedes(a: &Finding, b: &Finding) -> bool {
    a.start < b.start || (a.start == b.start && a.end > b.end)
}

const INSERTION_SORT_MAX: usize = 48;

/// What sort_by_position merges through, reused.
#[derive(Default)]
pub struct SortScratch {
    items: Vec<Finding>,
    bounds: Vec<usize>,
    merged: Vec<usize>,
}

/// sortByPosition: a stable sort by start, then end descending. Short lists by insertion,
/// longer ones by merging their ascending runs (one per recognizer, mostly), pairwise.
pub fn sort_by_position(findings: &mut [Finding], scratch: &mut SortScratch) {
    let n = findings.len();
    if n <= INSERTION_SORT_MAX {
        for i in 1..n {
            let finding = findings[i];
            let mut j = i;
            while j > 0 && precedes(&finding, &findings[j - 1]) {
                findings[j] = findings[j - 1];
                j -= 1;
            }
            findings[j] = finding;
        }
        return;
    }
    let SortScratch { items, bounds, merged } = scratch;
    // Runs [bounds[r], bounds[r + 1]), then n.
    bounds.clear();
    bounds.push(0);
    for i in 1..n {
        if precedes(&findings[i], &findings[i - 1]) {
            bounds.push(i);
        }
    }
    bounds.push(n);
    items.clear();
    items.extend_from_slice(findings);
    // The runs live in `items` when `in_items`, else in `findings`.
    let mut in_items = true;
    while bounds.len() > 2 {
        let (source, target): (&[Finding], &mut [Finding]) =
            if in_items { (&items[..], &mut findings[..]) } else { (&findings[..], &mut items[..]) };
        merged.clear();
        let mut r = 0;
        while r + 1 < bounds.len() {
            let lo = bounds[r];
            let mid = bounds[r + 1];
            let hi = if r + 2 < bounds.len() { bounds[r + 2] } else { mid };
            let (mut i, mut j, mut k) = (lo, mid, lo);
            // Of two equal findings, the earlier run's first: stable.
            while i < mid && j < hi {
                if precedes(&source[j], &source[i]) {
                    target[k] = source[j];
                    j += 1;
                } else {
                    target[k] = source[i];
                    i += 1;
                }
                k += 1;
            }
            target[k..k + (mid - i)].copy_from_slice(&source[i..mid]);
            k += mid - i;
            target[k..k + (hi - j)].copy_from_slice(&source[j..hi]);
            merged.push(lo);
            r += 2;
        }
        merged.push(n);
        std::mem::swap(bounds, merged);
        in_items = !in_items;
    }
    if in_items {
        findings.copy_from_slice(&items[..n]);
    }
}

/// resolveOverlaps: sorts `findings` and keeps, of each group of overlapping ones, the best.
pub fn resolve_overlaps(findings: &mut Vec<Finding>, scratch: &mut SortScratch) {
    sort_by_position(findings, scratch);
    let mut kept = 0usize;
    for k in 0..findings.len() {
        let finding = findings[k];
        if kept == 0 || finding.start >= findings[kept - 1].end {
            findings[kept] = finding;
            kept += 1;
        } else if beats(&finding, &findings[kept - 1]) {
            findings[kept - 1] = finding;
        }
    }
    findings.truncate(kept);
}

/// True when `types` (a bitmask of recognizer ids) names only recognizers the scanner knows.
fn check_types(config: &ContextConfig, types: u32) -> Result<(), String> {
    let known = config.order.iter().fold(0u32, |mask, &id| mask | (1u32 << id));
    if types & !known != 0 {
        return Err(format!("detect: no recognizer among the types {types:#x}"));
    }
    Ok(())
}

/// How detect asks a recognizer for its candidates: `recognizers::find`, or a stand-in in tests.
pub type Find = fn(i32, &[u16], &TextScan, &mut Vec<Candidate>) -> Result<(), String>;

/// One detect call's settings.
struct Pass<'a> {
    find: Find,
    config: &'a ContextConfig,
    types: u32,
    threshold: f64,
}

/// detectIn: the findings of the recognizers in `types` on `text` (scanned into `scan`).
fn detect_in(
    pass: &Pass,
    text: &[u16],
    scan: &TextScan,
    buffers: &mut Buffers,
    out: &mut Vec<Finding>,
) -> Result<(), String> {
    out.clear();
    collect(pass, text, scan, &mut buffers.candidates, out, 0, 0..text.len())?;
    if !out.is_empty() {
        resolve_overlaps(out, &mut buffers.merge);
    }
    Ok(())
}

/// Appends to `out` the scored findings above the threshold of the recognizers in `types` on
/// `text` (scanned into `scan`) that start within `keep`, each moved by `offset` (where `text`
/// stands in a longer one), in recognizer order: detectIn before its overlaps are resolved.
fn collect(
    pass: &Pass,
    text: &[u16],
    scan: &TextScan,
    candidates: &mut Vec<Candidate>,
    out: &mut Vec<Finding>,
    offset: usize,
    keep: std::ops::Range<usize>,
) -> Result<(), String> {
    let Pass { find, config, types, threshold } = *pass;
    for &id in &config.order {
        if types & (1u32 << id) == 0 {
            continue;
        }
        candidates.clear();
        find(id, text, scan, candidates)?;
        let scorer = config.scorer_for(id, threshold);
        for candidate in candidates.iter() {
            let score = match &scorer {
                None => candidate.score,
                Some(scorer) => scorer.score(text, candidate),
            };
            if score < threshold || !keep.contains(&(candidate.start as usize)) {
                continue;
            }
            let (start, end) = (candidate.start + offset as u32, candidate.end + offset as u32);
            out.push(Finding { type_id: id as u32, start, end, score });
        }
    }
    Ok(())
}

/// Texts longer than this are detected window by window (see detect_windowed).
pub const WINDOWED_ABOVE: usize = 1 << 17;
/// The window: what one pass of every recognizer covers, small enough to stay in the caches.
pub const WINDOW: usize = 1 << 15;
/// Text read on each side of a window: far more than any finding depends on (the longest entity,
/// 318 code units, plus the 48 of the context window: the stream masker's lookbehind).
pub const WINDOW_MARGIN: usize = 1024;

/// detect_in on a long text, one window at a time: each recognizer reads the window with
/// WINDOW_MARGIN of text on either side, and keeps the findings that start inside the window;
/// the overlaps of all of them are then resolved as detect_in would. Why: every recognizer reads
/// the whole text in turn, and a text larger than the processor's caches was read from memory
/// seven times, which made detection superlinear (50 MiB cost ~1.5x per byte what 1 MiB did).
/// Findings are the same as the whole text's: a finding depends only on the text within its own
/// length and the context window before it (the rule the stream masker relies on too), and the
/// differential tests check it with small windows on random text.
fn detect_windowed(
    pass: &Pass,
    text: &mut impl Stretches,
    window: usize,
    margin: usize,
    scan: &mut TextScan,
    buffers: &mut Buffers,
    out: &mut Vec<Finding>,
) -> Result<(), String> {
    out.clear();
    let window = window.max(1);
    let length = text.len();
    let mut start = 0;
    while start < length {
        let end = start.saturating_add(window).min(length);
        let from = start.saturating_sub(margin);
        let to = end.saturating_add(margin).min(length);
        let part = text.stretch(from, to);
        scan.scan(part);
        collect(pass, part, scan, &mut buffers.candidates, out, from, start - from..end - from)?;
        start = end;
    }
    if !out.is_empty() {
        resolve_overlaps(out, &mut buffers.merge);
    }
    Ok(())
}

/// A long text as detect_windowed reads it, a stretch at a time, in order: the text itself, or
/// its canonical view made as it goes (canonical::ViewCursor).
trait Stretches {
    fn len(&self) -> usize;
    /// text[from, to), from at or after the last call's.
    fn stretch(&mut self, from: usize, to: usize) -> &[u16];
}

impl Stretches for &[u16] {
    fn len(&self) -> usize {
        <[u16]>::len(self)
    }
    fn stretch(&mut self, from: usize, to: usize) -> &[u16] {
        self.get(from..to).unwrap_or_default()
    }
}

impl Stretches for ViewCursor<'_> {
    fn len(&self) -> usize {
        self.len
    }
    fn stretch(&mut self, from: usize, to: usize) -> &[u16] {
        ViewCursor::stretch(self, from, to)
    }
}

/// The scanner's detect on `text`: findings in `out`, in order. `scan` is scratch for the text
/// scans. `window`: (window, margin) for texts over WINDOWED_ABOVE (tests pass smaller ones).
#[allow(clippy::too_many_arguments)]
pub fn detect(
    find: Find,
    types: u32,
    threshold: f64,
    text: &[u16],
    scan: &mut TextScan,
    work: &mut Detection,
    out: &mut Vec<Finding>,
    window: Option<(usize, usize)>,
) -> Result<(), String> {
    let config = context::config()?;
    check_types(config, types)?;
    let pass = Pass { find, config, types, threshold };
    let Detection { view, source, buffers } = work;
    let windowed = window.is_some() || text.len() > WINDOWED_ABOVE;
    let (size, margin) = window.unwrap_or((WINDOW, WINDOW_MARGIN));
    // Whether the text needs its canonical view, by a quick search of its own: a text that does
    // is then scanned once, as its view (the text scan would tell too, but only after a whole pass).
    let Some(first) = first_not_canonical(text) else {
        return if windowed {
            detect_windowed(&pass, &mut { text }, size, margin, scan, buffers, out)
        } else {
            scan.scan(text);
            detect_in(&pass, text, scan, buffers, out)
        };
    };
    if windowed {
        // The view a window at a time, not whole: a long text's view was as large as the text.
        let mut view = ViewCursor::new(text, first, view, source);
        detect_windowed(&pass, &mut view, size, margin, scan, buffers, out)?;
        if !view.offsets_unchanged() {
            for finding in out.iter_mut() {
                (finding.start, finding.end) = view.to_original(finding.start, finding.end);
            }
        }
        return Ok(());
    }
    canonical_view_from(text, first.min(text.len()), view, source);
    scan.scan(view);
    detect_in(&pass, view, scan, buffers, out)?;
    to_original_spans(out, source)
}

/// A stand-in recognizer that tests the scanner on its own, apart from the real recognizers (its
/// TypeScript twin is in test/pii/native/detect.test.ts): every run of two or more digits,
/// [start, end), scored ((7 * length + 3 * id) % 10) / 10; for an even id also [start, end - 1)
/// when the run has three or more, scored 0.6, so findings overlap within and across recognizers.
pub fn digit_runs_find(id: i32, text: &[u16], _scan: &TextScan, out: &mut Vec<Candidate>) -> Result<(), String> {
    let mut i = 0usize;
    while i < text.len() {
        if !crate::chars::is_digit(text[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && crate::chars::is_digit(text[i]) {
            i += 1;
        }
        let length = i - start;
        if length >= 2 {
            let score = ((7 * length as i64 + 3 * id as i64) % 10) as f64 / 10.0;
            out.push(Candidate { start: start as u32, end: i as u32, score });
            if id % 2 == 0 && length >= 3 {
                out.push(Candidate { start: start as u32, end: i as u32 - 1, score: 0.6 });
            }
        }
    }
    Ok(())
}

/// toOriginalSpans: findings on the view as spans of the original (`source` empty: the same).
pub fn to_original_spans(findings: &mut [Finding], source: &[u32]) -> Result<(), String> {
    if source.is_empty() {
        return Ok(());
    }
    for finding in findings.iter_mut() {
        let start = source.get(finding.start as usize);
        let last = (finding.end as usize).checked_sub(1).and_then(|i| source.get(i));
        match (start, last) {
            (Some(&start), Some(&last)) => {
                finding.start = start;
                finding.end = last + 1;
            }
            _ => return Err("detect: a finding outside the canonical view".to_string()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(type_id: u32, start: u32, end: u32, score: f64) -> Finding {
        Finding { type_id, start, end, score }
    }

    #[test]
    fn sorts_stably_long_and_short() {
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for n in [0usize, 1, 5, 48, 49, 200, 1000] {
            let list: Vec<Finding> = (0..n)
                .map(|k| {
                    let s = next() % 60;
                    f(k as u32, s, s + 1 + next() % 12, 0.5)
                })
                .collect();
            let mut expected = list.clone();
            expected.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            let mut actual = list.clone();
            let mut scratch = SortScratch::default();
            sort_by_position(&mut actual, &mut scratch);
            assert_eq!(actual, expected);
        }
    }
}
