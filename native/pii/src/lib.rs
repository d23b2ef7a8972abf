//! mcp-bastion's PII detection kernel: the same detection as the TypeScript engine in src/pii,
//! compiled, for throughput. The TypeScript engine stays the reference: test/pii/native checks
//! that this kernel reports exactly what it reports, and the engine falls back to it wherever
//! the addon is not built. Safe Rust throughout except the Node-API boundary (napi.rs), so
//! untrusted text cannot cause memory errors here.
#![deny(unsafe_code)]

#[allow(unsafe_code)]
pub mod napi;

pub mod canonical;
pub mod chars;
pub mod context;
mod phone_debug;
pub mod recognizers;
pub mod scanner;
pub mod text_scan;

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};

use napi::Call;
use recognizers::Candidate;
use text_scan::TextScan;

/// Per-thread scratch reused from call to call (Node may load the addon in several workers).
/// One thread-local for all of it: in a shared library each access to one is a call.
#[derive(Default)]
struct Scratch {
    text: Vec<u16>,
    scan: TextScan,
    candidates: Vec<Candidate>,
    detect: DetectScratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// `scan(text, out: Float64Array)`: the text scan, for the differential tests. Writes
/// [hasDigit, firstNotCanonical, clusters, germans, houses, then 6 numbers per cluster, the
/// German anchors, the house-number gaps] as far as `out` holds; returns how many numbers that is.
fn scan_export(call: &Call) -> Result<i32, String> {
    let out = call.f64_array(1)?;
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { text, scan, .. } = &mut *scratch;
        call.string_into(0, text)?;
        scan.scan(text);
        let mut values: Vec<f64> = vec![
            if scan.has_digit { 1.0 } else { 0.0 },
            // (Not the scan's any more: detect asks canonical::first_not_canonical first.)
            canonical::first_not_canonical(text).map_or(-1.0, |at| at as f64),
            scan.clusters.len() as f64,
            scan.german_numbers.len() as f64,
            scan.house_number_gaps.len() as f64,
        ];
        for c in &scan.clusters {
            values.extend_from_slice(&[
                c.start as f64,
                c.end as f64,
                c.digits as f64,
                c.dots as f64,
                if c.zero_led { 1.0 } else { 0.0 },
                c.run_lengths as f64,
            ]);
        }
        values.extend(scan.german_numbers.iter().map(|&v| v as f64));
        values.extend(scan.house_number_gaps.iter().map(|&v| v as f64));
        for (slot, value) in out.iter_mut().zip(values.iter()) {
            *slot = *value;
        }
        Ok(values.len() as i32)
    })
}

/// `find(recognizer, text, out: Float64Array)`: one recognizer's candidates in `text` (the
/// recognizer called on its own, as `Recognizer.find(text, scan)`), written as (start, end,
/// score) triples as far as `out` holds; returns the number of candidates.
fn find_export(call: &Call) -> Result<i32, String> {
    let id = call.int(0)?;
    let out = call.f64_array(2)?;
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { text, scan, candidates, .. } = &mut *scratch;
        call.string_into(1, text)?;
        ready()?;
        scan.scan(text);
        candidates.clear();
        recognizers::find(id, text, scan, candidates)?;
        for (k, candidate) in candidates.iter().enumerate() {
            if 3 * k + 2 >= out.len() {
                break;
            }
            out[3 * k] = candidate.start as f64;
            out[3 * k + 1] = candidate.end as f64;
            out[3 * k + 2] = candidate.score;
        }
        Ok(candidates.len() as i32)
    })
}

/// Fails until every table the TypeScript side hands over has arrived: a kernel missing one
/// would find less, silently (fail closed).
fn ready() -> Result<(), String> {
    // The tables are set once and never unset (OnceLocks): once all are there, they stay.
    if READY.load(Ordering::Relaxed) {
        return Ok(());
    }
    if !chars::unicode_alnum_configured() {
        return Err("the kernel is not configured (unicode-alnum)".to_string());
    }
    recognizers::ready()?;
    READY.store(true, Ordering::Relaxed);
    Ok(())
}

static READY: AtomicBool = AtomicBool::new(false);

/// `configure(name, data)`: hands a module data the TypeScript side owns (numbering metadata,
/// context words), in that module's own text format. Returns 0.
fn configure_export(call: &Call) -> Result<i32, String> {
    let mut name = Vec::new();
    let mut data = Vec::new();
    call.string_into(0, &mut name)?;
    call.string_into(1, &mut data)?;
    let name = String::from_utf16(&name).map_err(|_| "configure: bad name".to_string())?;
    let data = String::from_utf16(&data).map_err(|_| "configure: data is not valid UTF-16".to_string())?;
    match name.as_str() {
        "unicode-alnum" => chars::configure_unicode_alnum(&data)?,
        _ => recognizers::configure(&name, &data)?,
    }
    Ok(0)
}

/// `panicForTest()`: panics, so the tests can show a kernel bug becomes a thrown Error and the
/// process lives on (see `napi::dispatch`).
fn panic_for_test(_call: &Call) -> Result<i32, String> {
    let empty: &[u16] = &[];
    let index = empty.len() + 1;
    Ok(empty[index] as i32)
}

/// `cueBefore(words, text, start)`: digits_cues::cue_before with the cue words `words` (in the
/// configure format), for the differential tests: 1 or 0.
fn cue_before_export(call: &Call) -> Result<i32, String> {
    let mut words = Vec::new();
    let mut text = Vec::new();
    call.string_into(0, &mut words)?;
    call.string_into(1, &mut text)?;
    let start = call.int(2)?;
    let words = String::from_utf16(&words).map_err(|_| "cueBefore: bad words".to_string())?;
    let words = recognizers::digits_cues::CueWords::parse(&words)?;
    let start = usize::try_from(start).map_err(|_| "cueBefore: bad start".to_string())?;
    Ok(recognizers::digits_cues::cue_before(&text, start, &words) as i32)
}

/// `addressMatch(which, text, out: Float64Array)`: the address matchers' answers at every offset
/// of `text` (0 to length + 1), for the differential tests (test/pii/native/address-matchers.test.ts
/// lists `which`); 100 + k asks lexicon set k of `text` (has, has lower-cased), 200 lower-cases
/// `text`, 300 looks it up as a street type, 301 asks NOT_A_STREET_BEFORE of "type|word", 99 times
/// the call alone. Writes as far as `out` holds; returns how many.
fn address_match_export(call: &Call) -> Result<i32, String> {
    let which = call.int(0)?;
    let out = call.f64_array(2)?;
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { text, .. } = &mut *scratch;
        call.string_into(1, text)?;
        ready()?;
        let values = recognizers::address_debug::answers(which, text)?;
        for (slot, value) in out.iter_mut().zip(values.iter()) {
            *slot = *value;
        }
        Ok(values.len() as i32)
    })
}

/// `debugAddressCandidates(mode, input: Float64Array, out: Float64Array)`, for the differential
/// tests of address_candidate.rs: input is [a's length, b's length, then per candidate start, end,
/// score, core end (-1: none), core score, bare start (-1: none)]. Mode 0 writes
/// merge_addresses(a, b) as (start, end, score) triples; mode 1 writes sorted_union(a, b) as
/// indexes into a then b. Returns how many numbers that is (written as far as `out` holds).
fn debug_address_candidates_export(call: &Call) -> Result<i32, String> {
    use recognizers::address_candidate::{merge_addresses, sorted_union, AddressCandidate, Core};
    let mode = call.int(0)?;
    let input = call.f64_array(1)?.to_vec();
    let count = |k: usize| input.get(k).map_or(0, |&n| n as usize);
    let (na, nb) = (count(0), count(1));
    let available = input.len().saturating_sub(2) / 6;
    if na.saturating_add(nb) != available {
        return Err("debugAddressCandidates: the lengths do not match the input".to_string());
    }
    let mut all = Vec::with_capacity(available);
    for fields in input.get(2..).unwrap_or(&[]).chunks_exact(6) {
        let offset = |v: f64| if v < 0.0 { None } else { Some(v as u32) };
        all.push(AddressCandidate {
            start: fields[0] as u32,
            end: fields[1] as u32,
            score: fields[2],
            core: offset(fields[3]).map(|end| Core { end, score: fields[4] }),
            bare_start: offset(fields[5]),
        });
    }
    let (a, b) = all.split_at(na);
    let values: Vec<f64> = if mode == 0 {
        let mut merged = Vec::new();
        merge_addresses(a, b, &mut merged);
        merged.iter().flat_map(|c| [c.start as f64, c.end as f64, c.score]).collect()
    } else {
        // Tag each candidate with its index (as its score) to read back which one went where.
        let tag = |list: &[AddressCandidate], from: usize| -> Vec<AddressCandidate> {
            list.iter().enumerate().map(|(k, c)| AddressCandidate { score: (from + k) as f64, ..*c }).collect()
        };
        let mut union = Vec::new();
        sorted_union(&tag(a, 0), &tag(b, na), &mut union);
        union.iter().map(|c| c.score).collect()
    };
    let out = call.f64_array(2)?;
    for (slot, value) in out.iter_mut().zip(values.iter()) {
        *slot = *value;
    }
    Ok(values.len() as i32)
}

/// The scanner's buffers (in SCRATCH, beside the text and its scan).
#[derive(Default)]
struct DetectScratch {
    detection: scanner::Detection,
    findings: Vec<scanner::Finding>,
    sort: scanner::SortScratch,
}

/// Findings as (type id, start, end, score) quads, as far as `out` holds.
fn write_quads(out: &mut [f64], findings: &[scanner::Finding]) {
    for (slot, finding) in out.chunks_exact_mut(4).zip(findings.iter()) {
        slot[0] = finding.type_id as f64;
        slot[1] = finding.start as f64;
        slot[2] = finding.end as f64;
        slot[3] = finding.score;
    }
}

/// `detect(types, threshold, text, out: Float64Array, length?)`: the scanner's detect
/// (createScanner's, without the allow-list) with the recognizers whose bit `1 << id` is set in
/// `types`, written as (type id, start, end, score) quads as far as `out` holds; returns the number
/// of findings. `length`, when passed, is `text.length` (it spares one Node-API call; a wrong one
/// fails the call).
fn detect_export(call: &Call) -> Result<i32, String> {
    detect_with(call, recognizers::find, None)
}

/// `detectWindowed(types, threshold, text, out, window, margin)`, for the tests: detect window by
/// window (scanner::detect_windowed) whatever the text's length, with these window and margin sizes.
fn detect_windowed_export(call: &Call) -> Result<i32, String> {
    let window = usize::try_from(call.int(4)?).map_err(|_| "detectWindowed: bad window".to_string())?;
    let margin = usize::try_from(call.int(5)?).map_err(|_| "detectWindowed: bad margin".to_string())?;
    detect_with(call, recognizers::find, Some((window, margin)))
}

/// `detectDigitRuns(types, threshold, text, out)`, for the tests: detect with
/// `scanner::digit_runs_find` standing in for every recognizer.
fn detect_digit_runs_export(call: &Call) -> Result<i32, String> {
    detect_with(call, scanner::digit_runs_find, None)
}

fn detect_with(call: &Call, find: scanner::Find, window: Option<(usize, usize)>) -> Result<i32, String> {
    let types = call.int(0)? as u32;
    let threshold = call.double(1)?;
    let out = call.f64_array(3)?;
    // detect's optional fifth argument is text.length (detectWindowed's fifth is its window).
    let length_passed = window.is_none() && call.has(4);
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { text, scan, detect, .. } = &mut *scratch;
        if length_passed {
            call.string_of_length_into(2, 4, text)?;
        } else {
            call.string_into(2, text)?;
        }
        ready()?;
        let DetectScratch { detection, findings, .. } = detect;
        let found = scanner::detect(find, types, threshold, text, scan, detection, findings, window);
        let count = findings.len() as i32;
        if found.is_ok() {
            write_quads(out, findings);
        }
        let_go_if_large(&mut scratch);
        found.map(|()| count)
    })
}

/// Scratch grown by a text of more than this many code units is let go after its call, so one
/// huge input does not keep its buffers (several times its size) for the thread's life.
const SCRATCH_KEPT: usize = 1 << 20;

fn let_go_if_large(scratch: &mut Scratch) {
    if scratch.text.capacity() > SCRATCH_KEPT {
        *scratch = Scratch::default();
    }
}

/// `score(recognizer, threshold, text, io: Float64Array)`, for the tests: io holds (start, end,
/// score) triples; each score is replaced by what the recognizer's context scorer for that
/// threshold gives (contextScorerFor(...).score, DROPPED -1 included; unchanged when it has no
/// scorer). Returns the number of triples.
fn score_export(call: &Call) -> Result<i32, String> {
    let id = call.int(0)?;
    let threshold = call.double(1)?;
    let io = call.f64_array(3)?;
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { text, .. } = &mut *scratch;
        call.string_into(2, text)?;
        let config = context::config()?;
        let scorer = config.scorer_for(id, threshold);
        for triple in io.chunks_exact_mut(3) {
            let (start, end) = (triple[0], triple[1]);
            if !(start >= 0.0 && start <= text.len() as f64 && start.fract() == 0.0) {
                return Err(format!("score: bad start {start}"));
            }
            let candidate = Candidate { start: start as u32, end: end as u32, score: triple[2] };
            if let Some(scorer) = &scorer {
                triple[2] = scorer.score(text, &candidate);
            }
        }
        Ok((io.len() / 3) as i32)
    })
}

/// `overlaps(io: Float64Array, count)`, for the tests: resolveOverlaps on `count` (tag, start,
/// end, score) quads, the kept ones written back to the front of io; returns how many are kept.
fn overlaps_export(call: &Call) -> Result<i32, String> {
    let io = call.f64_array(0)?;
    let count = usize::try_from(call.int(1)?).map_err(|_| "overlaps: bad count".to_string())?;
    if 4 * count > io.len() {
        return Err("overlaps: count beyond the array".to_string());
    }
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let DetectScratch { findings, sort, .. } = &mut scratch.detect;
        findings.clear();
        for quad in io.chunks_exact(4).take(count) {
            findings.push(scanner::Finding {
                type_id: quad[0] as u32,
                start: quad[1] as u32,
                end: quad[2] as u32,
                score: quad[3],
            });
        }
        scanner::resolve_overlaps(findings, sort);
        write_quads(io, findings);
        Ok(findings.len() as i32)
    })
}

exports! {
    "panicForTest" => panic_for_test,
    "cueBefore" => cue_before_export,
    "addressMatch" => address_match_export,
    "scan" => scan_export,
    "find" => find_export,
    "configure" => configure_export,
    "phoneValid" => phone_debug::phone_valid,
    "phoneValidBatch" => phone_debug::phone_valid_batch,
    "callingCodeOf" => phone_debug::calling_code_of,
    "callingCodeOfPrefix" => phone_debug::calling_code_of_prefix,
    "nationalPrefixOf" => phone_debug::national_prefix_of,
    "phoneLeading" => phone_debug::phone_leading,
    "debugAddressCandidates" => debug_address_candidates_export,
    "detect" => detect_export,
    "detectWindowed" => detect_windowed_export,
    "detectDigitRuns" => detect_digit_runs_export,
    "score" => score_export,
    "overlaps" => overlaps_export,
}
