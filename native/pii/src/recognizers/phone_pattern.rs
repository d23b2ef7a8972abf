//! The regular expressions of libphonenumber's metadata, compiled into DFAs over the ten digits.
//! phone-metadata.ts hands these patterns to V8 as `^(?:pattern)$` (or `^(?:pattern)` for leading
//! digits); here they become tables, so a test is one lookup per digit, linear, with no
//! backtracking. The dialect is what the metadata uses: digits, `\d`, classes of digits and
//! ranges (`[02-59]`), `(?:...)`, `|`, `?`, `{n}` and `{n,m}`. Anything else is refused when the
//! pattern is compiled (at configure), so a metadata update with new syntax fails closed instead
//! of being read differently. Without `*` or `+` every language is finite, which keeps the DFAs small.

use std::collections::HashMap;

/// One instruction of a pattern's NFA (a Pike VM program without loops). Jumps are forward
/// and relative, so the code of a sub-pattern can be copied for `{n,m}` as it is.
#[derive(Clone, Copy, Debug)]
enum Inst {
    /// One digit of the set (bit d for digit d), then the next instruction.
    Class(u16),
    /// Either of two instructions ahead (relative offsets).
    Split(u32, u32),
    /// The instruction ahead (relative offset).
    Jmp(u32),
    /// The pattern matched; the DFA state's accept mask gets this tag.
    Match(u32),
}

/// Bounds that keep a hostile or broken pattern from costing memory or time at configure.
const MAX_PATTERN: usize = 64 * 1024;
const MAX_INSTS: usize = 1 << 20;
const MAX_REPEAT: u32 = 64;
/// More DFA states than this (for one plan) and configure fails (ids are u16: small tables
/// stay in cache).
const MAX_STATES: usize = 1 << 16;

/// A group being parsed: its finished alternatives, the one being read, and where the last
/// atom of that one starts (what a quantifier applies to).
#[derive(Default)]
struct Frame {
    alternatives: Vec<Vec<Inst>>,
    current: Vec<Inst>,
    last_atom: Option<usize>,
}

/// The pattern's NFA code, without the final Match (relative jumps, position independent).
fn compile(pattern: &str) -> Result<Vec<Inst>, String> {
    let bytes = pattern.as_bytes();
    if bytes.len() > MAX_PATTERN {
        return Err("phone pattern: too long".to_string());
    }
    let bad = |at: usize, why: &str| format!("phone pattern: {why} at {at} in {pattern}");
    let mut stack: Vec<Frame> = vec![Frame::default()];
    let mut i = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'0'..=b'9' | b'\\' | b'[' => {
                let (mask, next) = digit_set_at(bytes, i).ok_or_else(|| bad(i, "unsupported atom"))?;
                let frame = stack.last_mut().ok_or_else(|| bad(i, "internal"))?;
                frame.last_atom = Some(frame.current.len());
                frame.current.push(Inst::Class(mask));
                i = next;
            }
            b'(' => {
                if bytes.get(i + 1) != Some(&b'?') || bytes.get(i + 2) != Some(&b':') {
                    return Err(bad(i, "only (?:...) groups are supported"));
                }
                stack.push(Frame::default());
                i += 3;
            }
            b')' => {
                if stack.len() < 2 {
                    return Err(bad(i, "unbalanced )"));
                }
                let frame = stack.pop().ok_or_else(|| bad(i, "internal"))?;
                let code = join_alternatives(frame)?;
                let parent = stack.last_mut().ok_or_else(|| bad(i, "internal"))?;
                parent.last_atom = Some(parent.current.len());
                parent.current.extend_from_slice(&code);
                i += 1;
            }
            b'|' => {
                let frame = stack.last_mut().ok_or_else(|| bad(i, "internal"))?;
                let current = std::mem::take(&mut frame.current);
                frame.alternatives.push(current);
                frame.last_atom = None;
                i += 1;
            }
            b'?' | b'{' => {
                let (min, max, next) = if c == b'?' {
                    (0, 1, i + 1)
                } else {
                    read_braces(bytes, i).ok_or_else(|| bad(i, "unsupported quantifier"))?
                };
                let frame = stack.last_mut().ok_or_else(|| bad(i, "internal"))?;
                let start = frame.last_atom.take().ok_or_else(|| bad(i, "quantifier without an atom"))?;
                if start > frame.current.len() {
                    return Err(bad(i, "internal"));
                }
                let atom = frame.current.split_off(start);
                repeat(&mut frame.current, &atom, min, max)?;
                i = next;
                // A quantifier right after a quantifier (lazy "??", "{2}?") is not in the dialect.
                if matches!(bytes.get(i), Some(b'?') | Some(b'{') | Some(b'*') | Some(b'+')) {
                    return Err(bad(i, "quantifier after a quantifier"));
                }
            }
            _ => return Err(bad(i, "unsupported character")),
        }
        if stack.iter().map(|f| f.current.len() + f.alternatives.iter().map(Vec::len).sum::<usize>()).sum::<usize>()
            > MAX_INSTS
        {
            return Err(bad(i, "too large"));
        }
    }
    if stack.len() != 1 {
        return Err(bad(bytes.len(), "unclosed group"));
    }
    let frame = stack.pop().ok_or_else(|| "phone pattern: internal".to_string())?;
    join_alternatives(frame)
}

/// `{n}` or `{n,m}` at `i`: (n, m, index after it). Anything else there is refused (in
/// JavaScript a "{" that is no quantifier is a literal; the metadata has none).
fn read_braces(bytes: &[u8], i: usize) -> Option<(u32, u32, usize)> {
    let mut k = i + 1;
    let read_number = |k: &mut usize| -> Option<u32> {
        let from = *k;
        let mut value: u32 = 0;
        while let Some(&d) = bytes.get(*k) {
            if !d.is_ascii_digit() {
                break;
            }
            value = value.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
            *k += 1;
        }
        if *k == from {
            None
        } else {
            Some(value)
        }
    };
    let min = read_number(&mut k)?;
    let max = if bytes.get(k) == Some(&b',') {
        k += 1;
        read_number(&mut k)? // "{n,}" (unbounded) is outside the dialect
    } else {
        min
    };
    if bytes.get(k) != Some(&b'}') || min > max || max > MAX_REPEAT {
        return None;
    }
    Some((min, max, k + 1))
}

/// The digits one atom at `i` stands for, as a mask: a digit, `\d`, or a class of digits and
/// ranges. Negated classes, other escapes and a literal "-" are outside the dialect (None).
pub fn digit_set_at(bytes: &[u8], i: usize) -> Option<(u16, usize)> {
    let c = *bytes.get(i)?;
    if c.is_ascii_digit() {
        return Some((1 << (c - b'0'), i + 1));
    }
    if c == b'\\' {
        return if bytes.get(i + 1) == Some(&b'd') { Some((0x3ff, i + 2)) } else { None };
    }
    if c != b'[' {
        return None;
    }
    let mut mask = 0u16;
    let mut k = i + 1;
    loop {
        let low = *bytes.get(k)?;
        if low == b']' {
            break;
        }
        if low == b'\\' && bytes.get(k + 1) == Some(&b'd') {
            mask |= 0x3ff;
            k += 2;
            continue;
        }
        if !low.is_ascii_digit() {
            return None;
        }
        if bytes.get(k + 1) == Some(&b'-') {
            let high = *bytes.get(k + 2)?;
            if !high.is_ascii_digit() || high < low {
                return None; // "[1-]" (a literal "-") and "[5-3]" (an error in JavaScript)
            }
            for d in low..=high {
                mask |= 1 << (d - b'0');
            }
            k += 3;
        } else {
            mask |= 1 << (low - b'0');
            k += 1;
        }
    }
    if mask == 0 {
        return None; // "[]" never matches in JavaScript; not in the dialect
    }
    Some((mask, k + 1))
}

/// a|b|c: Split(a, Split(b, c)), each branch jumping past the rest.
fn join_alternatives(mut frame: Frame) -> Result<Vec<Inst>, String> {
    let last = std::mem::take(&mut frame.current);
    frame.alternatives.push(last);
    let alternatives = frame.alternatives;
    let count = alternatives.len();
    let mut rest: Vec<usize> = vec![0; count];
    let mut after = 0usize;
    for k in (0..count).rev() {
        rest[k] = after;
        let length = alternatives.get(k).map_or(0, Vec::len);
        after += length + if k + 1 < count { 2 } else { 0 };
    }
    let mut code = Vec::with_capacity(after);
    for (k, alternative) in alternatives.iter().enumerate() {
        if k + 1 < count {
            code.push(Inst::Split(1, offset(alternative.len() + 2)?));
            code.extend_from_slice(alternative);
            code.push(Inst::Jmp(offset(rest.get(k).copied().unwrap_or(0) + 1)?));
        } else {
            code.extend_from_slice(alternative);
        }
    }
    Ok(code)
}

fn offset(value: usize) -> Result<u32, String> {
    if value > MAX_INSTS {
        return Err("phone pattern: too large".to_string());
    }
    Ok(value as u32)
}

/// atom{min,max}: min copies, then max - min optional ones.
fn repeat(out: &mut Vec<Inst>, atom: &[Inst], min: u32, max: u32) -> Result<(), String> {
    if (max as usize).saturating_mul(atom.len() + 1) > MAX_INSTS {
        return Err("phone pattern: repetition too large".to_string());
    }
    for _ in 0..min {
        out.extend_from_slice(atom);
    }
    for _ in min..max {
        out.push(Inst::Split(1, offset(atom.len() + 1)?));
        out.extend_from_slice(atom);
    }
    Ok(())
}

/// A DFA over the digits: state 0 is dead (no match can follow), `start` is the empty input.
#[derive(Debug)]
pub struct Dfa {
    /// next[state * 10 + digit]
    next: Vec<u16>,
    /// The tags of the patterns that match at each state (0: none).
    accept: Vec<u32>,
    start: u32,
}

pub const DEAD: u32 = 0;

impl Dfa {
    /// The DFA of several patterns at once: pattern k's tag is `tags[k]`. Fails for a pattern
    /// outside the dialect or too many states.
    pub fn build(patterns: &[(&str, u32)]) -> Result<Dfa, String> {
        let mut program: Vec<Inst> = Vec::new();
        let mut starts: Vec<u32> = Vec::new();
        for &(pattern, tag) in patterns {
            let code = compile(pattern)?;
            starts.push(offset(program.len())?);
            program.extend_from_slice(&code);
            program.push(Inst::Match(tag));
            if program.len() > MAX_INSTS {
                return Err("phone pattern: too large".to_string());
            }
        }
        determinize(&program, &starts)
    }

    pub fn start(&self) -> u32 {
        self.start
    }

    #[inline]
    pub fn step(&self, state: u32, digit: u8) -> u32 {
        self.next.get(state as usize * 10 + digit as usize).map_or(DEAD, |&s| u32::from(s))
    }

    #[inline]
    pub fn accept(&self, state: u32) -> u32 {
        self.accept.get(state as usize).copied().unwrap_or(0)
    }

    /// The state after `digits` (ASCII), or DEAD (also for any byte that is not a digit).
    #[inline]
    pub fn run(&self, digits: &[u8]) -> u32 {
        let mut state = self.start;
        for &b in digits {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return DEAD;
            }
            state = self.step(state, d);
            if state == DEAD {
                return DEAD;
            }
        }
        state
    }

    /// Whether some prefix of `digits` (the empty one included) is matched: `^(?:pattern)`.
    pub fn matches_prefix(&self, digits: &[u8]) -> bool {
        let mut state = self.start;
        for &b in digits {
            if self.accept(state) != 0 {
                return true;
            }
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return false;
            }
            state = self.step(state, d);
            if state == DEAD {
                return false;
            }
        }
        self.accept(state) != 0
    }

    /// The tags of the patterns some prefix of `digits` (the empty one included) matches.
    pub fn prefix_tags(&self, digits: &[u8]) -> u32 {
        let mut state = self.start;
        let mut tags = self.accept(state);
        for &b in digits {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            state = self.step(state, d);
            if state == DEAD {
                break;
            }
            tags |= self.accept(state);
        }
        tags
    }

    pub fn states(&self) -> usize {
        self.accept.len()
    }
}

/// The instructions reachable from `pcs` without reading a digit (Class and Match ones), sorted.
fn closure(program: &[Inst], pcs: &[u32], seen: &mut [u32], generation: u32, stack: &mut Vec<u32>, out: &mut Vec<u32>) {
    out.clear();
    stack.clear();
    stack.extend(pcs.iter().rev());
    while let Some(pc) = stack.pop() {
        let Some(mark) = seen.get_mut(pc as usize) else { continue };
        if *mark == generation {
            continue;
        }
        *mark = generation;
        match program.get(pc as usize) {
            Some(Inst::Class(_)) | Some(Inst::Match(_)) => out.push(pc),
            Some(Inst::Split(a, b)) => {
                stack.push(pc + b);
                stack.push(pc + a);
            }
            Some(Inst::Jmp(a)) => stack.push(pc + a),
            None => {}
        }
    }
    out.sort_unstable();
}

fn determinize(program: &[Inst], starts: &[u32]) -> Result<Dfa, String> {
    let mut seen = vec![0u32; program.len()];
    let mut generation = 0u32;
    let mut stack = Vec::new();
    let mut set = Vec::new();
    let mut ids: HashMap<Vec<u32>, u32> = HashMap::new();
    let mut sets: Vec<Vec<u32>> = vec![Vec::new()];
    ids.insert(Vec::new(), DEAD);
    generation += 1;
    closure(program, starts, &mut seen, generation, &mut stack, &mut set);
    let start = match ids.get(&set) {
        Some(&id) => id,
        None => {
            ids.insert(set.clone(), 1);
            sets.push(set.clone());
            1
        }
    };
    let mut next: Vec<u16> = Vec::new();
    let mut accept: Vec<u32> = Vec::new();
    let mut targets: [Vec<u32>; 10] = Default::default();
    let mut state = 0usize;
    while state < sets.len() {
        // (The set is not needed once its row is made: `ids` keeps its own copy.)
        let current = sets.get_mut(state).map(std::mem::take).unwrap_or_default();
        let mut tags = 0u32;
        for list in targets.iter_mut() {
            list.clear();
        }
        for &pc in &current {
            match program.get(pc as usize) {
                Some(Inst::Match(tag)) => tags |= tag,
                Some(Inst::Class(mask)) => {
                    for (digit, list) in targets.iter_mut().enumerate() {
                        if mask & (1 << digit) != 0 {
                            list.push(pc + 1);
                        }
                    }
                }
                _ => {}
            }
        }
        accept.push(tags);
        let row = next.len();
        for digit in 0..10usize {
            let list = targets.get(digit).map(Vec::as_slice).unwrap_or_default();
            // Digits that lead to the same instructions lead to the same state ("\d", classes).
            let same = (0..digit).find(|&earlier| targets.get(earlier).map(Vec::as_slice) == Some(list));
            if let Some(id) = same.and_then(|earlier| next.get(row + earlier).copied()) {
                next.push(id);
                continue;
            }
            let id = if list.is_empty() {
                DEAD
            } else {
                generation += 1;
                closure(program, list, &mut seen, generation, &mut stack, &mut set);
                match ids.get(&set) {
                    Some(&id) => id,
                    None => {
                        let id = sets.len() as u32;
                        if sets.len() >= MAX_STATES {
                            return Err("phone pattern: too many DFA states".to_string());
                        }
                        ids.insert(set.clone(), id);
                        sets.push(set.clone());
                        id
                    }
                }
            };
            next.push(u16::try_from(id).map_err(|_| "phone pattern: too many DFA states".to_string())?);
        }
        state += 1;
    }
    Ok(Dfa { next, accept, start })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(pattern: &str, s: &str) -> bool {
        let dfa = Dfa::build(&[(pattern, 1)]).unwrap();
        dfa.accept(dfa.run(s.as_bytes())) != 0
    }

    #[test]
    fn dialect() {
        assert!(full("1[02-4]\\d{2}", "1399"));
        assert!(!full("1[02-4]\\d{2}", "1199"));
        assert!(full("(?:12|3)4?5{1,2}", "125"));
        assert!(full("(?:12|3)4?5{1,2}", "3455"));
        assert!(!full("(?:12|3)4?5{1,2}", "34555"));
        assert!(full("1|", ""));
        assert!(full("(?:)", ""));
        for bad in ["a", "1*", "1+", "[^1]", "(1)", "1{2,}", "1??", "[5-3]", "[1-]", "(?:1", "1)", "?", "\\w", "[]", "1{3,2}"] {
            assert!(Dfa::build(&[(bad, 1)]).is_err(), "{bad}");
        }
        let d = Dfa::build(&[("74576|(?:16|7[56])24", 1)]).unwrap();
        assert!(d.matches_prefix(b"7524999"));
        assert!(d.matches_prefix(b"745769"));
        assert!(!d.matches_prefix(b"745"));
        assert!(Dfa::build(&[("1|", 1)]).unwrap().matches_prefix(b""));
    }
}
