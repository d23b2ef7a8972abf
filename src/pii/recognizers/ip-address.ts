import { digitClustersOf, DOTS, END, MIN_DOTS, SPAN, START, type DigitClusters, type TextScan } from "../text-scan.js";
import type { Candidate, Recognizer } from "../types.js";
import { codeAt, isAlnumAt, isDigit } from "./chars.js";
import { cueBefore, type CueWords } from "./digits-cues.js";
import { isIpv4At, isIpv6At, type Ipv6Facts } from "./ip-parse.js";

/**
 * IP_ADDRESS: IPv4 dotted quads and every IPv6 text form (full, compressed, IPv4-embedded, with a
 * zone id), each with an optional CIDR prefix length that becomes part of the span. Every
 * candidate must parse as node:net parses addresses (ip-parse.ts; strict: no leading-zero octets,
 * which inet_aton would read as octal, so 01.02.03.04 is not an address).
 *
 * Shapes that parse but are not addresses in running text are refused:
 * - a quad inside a longer dotted run (SNMP OIDs 1.3.6.1.4.1, five-part versions), or glued to
 *   a letter: "v1.2.3.4" is a version tag, never an address; "Chrome/120.0.0.0" is a product;
 * - a quad whose own words call it a version, release, firmware, OID or section ("version
 *   1.2.3.4", "\"version\": \"1.2.3.4\"", "firmware is 1.2.3.4") keeps a low score (0.2). The cue
 *   must own the number: a digit-bearing token, an address word or a sentence end in between
 *   ends the search, so "nginx version 1.25.3 listening on 10.0.0.5" still reports the address;
 * - colon text that parses as IPv6 by accident: "::" alone, C++/Rust paths (std::vector, a::b,
 *   whose neighbours are letters or which hold no digit), Python slices (1::2: fewer than four hex
 *   digits, "::1" excepted), and colon-separated byte dumps (00:1a:2b:ff:fe:3c:4d:5e, certificate
 *   fingerprints). Times (10:30:00) and MACs (six groups) do not parse at all.
 */

const SCORE = 0.9;
/** Below the default threshold: a version or OID cue owns the number. */
const SCORE_CUED = 0.2;

const MAX_V6_TEXT = 45; // ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255
const MAX_ZONE = 16; // interface names (IFNAMSIZ) or numeric indexes, "25" of a URL's %25 included
const MAX_LENGTH = MAX_V6_TEXT + 1 + MAX_ZONE + 4; // address % zone /128

/** Length of the run of ASCII digits at `at`, counting no further than `max` + 1. */
function digitRun(text: string, at: number, max: number): number {
  // Bounded by the text's end too: no read past it (see codeAt in chars.ts).
  const end = Math.min(text.length, at + max + 1);
  let n = 0;
  while (at + n < end && isDigit(text.charCodeAt(at + n))) n++;
  return n;
}

/**
 * The end of the last three octets of a quad when they start at the dot `text[at]`, as
 * /\.\d{1,3}\.\d{1,3}\.\d{1,3}/ matches them (the last group takes up to three digits), or -1.
 * The first octet is read backwards after; neighbours and octet values are checked after.
 */
export function quadTailEnd(text: string, at: number): number {
  if (text.charCodeAt(at) !== DOT) return -1; // at < text.length: findIpv4 asks inside a cluster
  let i = at + 1;
  for (let group = 0; group < 2; group++) {
    const n = digitRun(text, i, 3);
    if (n === 0 || n > 3 || codeAt(text, i + n) !== DOT) return -1;
    i += n + 1;
  }
  const last = digitRun(text, i, 3);
  return last === 0 ? -1 : i + Math.min(last, 3);
}

const COLON = 58;
const DOT = 46;
const SLASH = 47;
const PERCENT = 37;
const UNDERSCORE = 95;

export const VERSION_CUES: CueWords = {
  cues: new Set([
    "version",
    "ver",
    "vers",
    "v",
    "release",
    "rel",
    "build",
    "firmware",
    "fw",
    "rev",
    "revision",
    "patch",
    "sdk",
    "semver",
    "running",
    "upgrade",
    "upgraded",
    "downgrade",
    "downgraded",
    "oid",
    "mib",
    "section",
    "sect",
    "chapter",
    "clause",
    "figure",
    "fig",
    "table",
    "para",
    "paragraph",
  ]),
  suffixCues: ["version", "release", "firmware", "revision"],
  stops: new Set([
    "ip",
    "ips",
    "ipv4",
    "ipv6",
    "addr",
    "address",
    "addresses",
    "host",
    "hostname",
    "server",
    "client",
    "peer",
    "remote",
    "src",
    "source",
    "dst",
    "dest",
    "destination",
    "gateway",
    "gw",
    "dns",
    "nameserver",
    "resolver",
    "proxy",
    "router",
    "subnet",
    "cidr",
    "netmask",
    "route",
    "from",
    "at",
    "on",
    "via",
    "bind",
    "listen",
    "listening",
    "connect",
    "connected",
    "connection",
    "deploy",
    "deployed",
    "resolve",
    "resolved",
    "resolves",
    "blocked",
    "banned",
    "allowed",
    "denied",
    "rejected",
    "accepted",
    "request",
    "login",
    "ssh",
    "ping",
    "unreachable",
  ]),
  maxWords: 5,
};

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
}

function isV6Char(code: number): boolean {
  return isHex(code) || code === COLON || code === DOT;
}

/** Interface names and indexes: letters, digits, "_", "-", "." ("eth0", "en0", "eth0.100", "3"). */
function isZoneChar(code: number): boolean {
  const letterOrDigit = (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  return letterOrDigit || code === UNDERSCORE || code === 45 || code === DOT;
}

/** A letter, digit or underscore at `index`: the span would be part of a longer word there. */
function glued(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return text.charCodeAt(index) === UNDERSCORE || isAlnumAt(text, index);
}

/** Length of a valid "/prefix" at `at` (0..max, no leading zero), or 0 when there is none. */
function prefixLength(text: string, at: number, max: number): number {
  if (codeAt(text, at) !== SLASH) return 0;
  let end = at + 1;
  while (end < text.length && end - at <= 3 && isDigit(text.charCodeAt(end))) end++;
  const digits = end - at - 1;
  if (digits === 0 || isDigit(codeAt(text, end))) return 0;
  if (digits > 1 && text.charCodeAt(at + 1) === 48) return 0;
  if (Number(text.slice(at + 1, end)) > max) return 0;
  if (glued(text, end) || (codeAt(text, end) === DOT && isDigit(codeAt(text, end + 1)))) return 0;
  return end - at;
}

/** What the parser found in the candidate it accepted last (one object for all candidates). */
const facts: Ipv6Facts = { compressed: false, embedsIpv4: false, hexDigits: 0, decimalDigits: 0 };

/**
 * Refuses colon text `text[start, end)` that parses as IPv6 but is code, a slice or a byte dump.
 * Read in place, once: the parser notes what the checks after it need.
 */
function plausibleIpv6(text: string, start: number, end: number): boolean {
  if (!isIpv6At(text, start, end, facts)) return false;
  if (end - start === 3 && text.startsWith("::1", start)) return true;
  // Without an embedded IPv4: at least four hex digits, one of them decimal.
  if (!facts.embedsIpv4 && (facts.hexDigits < 4 || facts.decimalDigits === 0)) return false;
  // Eight two-digit groups: a colon-hex byte dump (EUI-64 in MAC notation), not an address.
  if (!facts.compressed && !facts.embedsIpv4 && isByteDump(text, start, end)) return false;
  return true;
}

/** Every group of the (parsed, eight-group) address has two digits: "00:1a:2b:ff:fe:3c:4d:5e". */
function isByteDump(text: string, start: number, end: number): boolean {
  if (end - start !== 8 * 3 - 1) return false;
  for (let i = start + 2; i < end; i += 3) if (text.charCodeAt(i) !== COLON) return false;
  return true;
}

function hasDot(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === DOT) return true;
  return false;
}

/** IPv6 candidates: each maximal run of hex, ':' and '.' around a colon that could join groups. */
function findIpv6(text: string): Candidate[] {
  const out: Candidate[] = [];
  let colon = text.indexOf(":");
  while (colon >= 0) {
    const prev = colon > 0 ? text.charCodeAt(colon - 1) : 0;
    const next = codeAt(text, colon + 1);
    if (!(next === COLON || (isHex(prev) && isHex(next)))) {
      colon = text.indexOf(":", colon + 1);
      continue;
    }
    // Grow over the run, counting colons: times (10:30:00), ratios and "key:value" runs have
    // too few to be IPv6 and are dropped here, before anything is sliced or parsed.
    let colons = 1;
    let doubleColon = next === COLON;
    let start = colon;
    while (start > 0 && colon - start <= MAX_V6_TEXT + 2) {
      const code = text.charCodeAt(start - 1);
      if (!isV6Char(code)) break;
      if (code === COLON) {
        colons++;
        if (text.charCodeAt(start) === COLON) doubleColon = true;
      }
      start--;
    }
    let end = colon + 1;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (!isV6Char(code)) break;
      if (code === COLON) {
        colons++;
        if (text.charCodeAt(end - 1) === COLON) doubleColon = true;
      }
      end++;
    }
    if (colons >= 7 || (colons >= 2 && doubleColon) || (colons >= 6 && hasDot(text, start, end))) {
      const candidate = ipv6At(text, start, end);
      if (candidate !== undefined) out.push(candidate);
    }
    colon = text.indexOf(":", end);
  }
  return out;
}

/** Validates the run text[start, end) as one IPv6 address with optional zone and prefix. */
function ipv6At(text: string, start: number, end: number): Candidate | undefined {
  if (start > 0 && isV6Char(text.charCodeAt(start - 1))) return undefined; // run longer than any address
  // Punctuation of the sentence around it: "at fe80::1." and "ip:fe80::1" and "fe80::1: refused".
  while (end > start && text.charCodeAt(end - 1) === DOT) end--;
  if (text.charCodeAt(end - 1) === COLON && codeAt(text, end - 2) !== COLON) end--;
  if (text.charCodeAt(start) === COLON && codeAt(text, start + 1) !== COLON) start++;
  if (end - start > MAX_V6_TEXT || end - start < 3) return undefined;
  if (glued(text, start - 1) || codeAt(text, start - 1) === DOT) return undefined;
  if (!plausibleIpv6(text, start, end)) return undefined;
  let spanEnd = end;
  if (codeAt(text, spanEnd) === PERCENT) {
    let zoneEnd = spanEnd + 1;
    while (zoneEnd < text.length && zoneEnd - spanEnd <= MAX_ZONE && isZoneChar(text.charCodeAt(zoneEnd))) zoneEnd++;
    while (zoneEnd > spanEnd + 1 && text.charCodeAt(zoneEnd - 1) === DOT) zoneEnd--;
    const zoneLength = zoneEnd - spanEnd - 1;
    if (zoneLength > 0 && zoneLength <= MAX_ZONE && !glued(text, zoneEnd)) spanEnd = zoneEnd;
  }
  spanEnd += prefixLength(text, spanEnd, 128);
  if (glued(text, spanEnd)) return undefined;
  return { start, end: spanEnd, score: SCORE };
}

/**
 * IPv4 candidates: dotted quads standing alone, valid octets, optional "/0-32". A quad is digits
 * and single dots, so it lies in a digit cluster with three dots (text-scan.ts); the quads are
 * looked for there, each from the end of the one before, left to right.
 */
function findIpv4(text: string, clusters: DigitClusters): Candidate[] {
  const out: Candidate[] = [];
  let from = 0; // where the next quad is looked for: after the one before
  const spans = clusters.spans;
  for (let k = 0; k < spans.length; k += SPAN) {
    if (spans[k + DOTS]! < MIN_DOTS) continue;
    const clusterEnd = spans[k + END]!;
    for (let at = Math.max(from, spans[k + START]!); at < clusterEnd; at++) {
      const end = quadTailEnd(text, at);
      if (end < 0) continue;
      const dot = at;
      from = end;
      at = end - 1;
      let start = dot;
      while (start > 0 && dot - start < 3 && isDigit(text.charCodeAt(start - 1))) start--;
      if (start === dot || !ipv4Boundaries(text, start, end)) continue;
      if (!isIpv4At(text, start, end)) continue;
      const spanEnd = end + prefixLength(text, end, 32);
      const score = cueBefore(text, start, VERSION_CUES) ? SCORE_CUED : SCORE;
      out.push({ start, end: spanEnd, score });
    }
  }
  return out;
}

function ipv4Boundaries(text: string, start: number, end: number): boolean {
  if (start > 0) {
    const before = text.charCodeAt(start - 1);
    if (before === DOT || glued(text, start - 1)) return false; // OID tail, "v1.2.3.4", "abc1.2.3.4"
    // Inside colon-hex text ("1:2:3:4:5:6:7:1.2.3.4" that did not parse); "ip:10.0.0.1" is fine.
    if (before === COLON && start > 1) {
      const twoBefore = text.charCodeAt(start - 2);
      if (isDigit(twoBefore) || twoBefore === COLON) return false;
    }
    // A product token: "Chrome/120.0.0.0", "curl/7.68.0.1".
    if (before === SLASH && start > 1 && glued(text, start - 2)) return false;
  }
  if (glued(text, end)) return false; // longer octet, or "1.2.3.4a"
  if (codeAt(text, end) === DOT && isDigit(codeAt(text, end + 1))) return false; // 1.3.6.1.4.1
  return true;
}

function find(text: string, scan?: TextScan): Candidate[] {
  const clusters = digitClustersOf(text, scan);
  if (!clusters.hasDigit) return []; // an IPv6 address has a digit too (see plausibleIpv6)
  const v6 = findIpv6(text);
  const v4 = findIpv4(text, clusters);
  if (v6.length === 0) return v4;
  if (v4.length === 0) return v6;
  // An IPv4 inside an accepted IPv6 (::ffff:192.0.2.1) is part of it; merge the sorted lists.
  const out: Candidate[] = [];
  let j = 0;
  for (const candidate of v4) {
    while (j < v6.length && v6[j]!.end <= candidate.start) out.push(v6[j++]!);
    const covering = v6[j];
    if (covering !== undefined && covering.start < candidate.end) continue;
    out.push(candidate);
  }
  while (j < v6.length) out.push(v6[j++]!);
  return out;
}

export const ipAddressRecognizer: Recognizer = {
  type: "IP_ADDRESS",
  maxLength: MAX_LENGTH,
  // No context words: an address is certain on its own, and the core's 48-character window
  // would also demote addresses that merely share a log line with a version number (the scoped
  // version cue above handles those).
  context: [],
  find,
};
