import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/**
 * The ~2 KB tool results full of PII that the benchmark's upstream returns: CRM-style account
 * notes with emails, phone numbers (validated by libphonenumber's full metadata), Luhn-valid card
 * numbers, issuable SSNs, IPv4 and IPv6 addresses and US/UK/German street addresses, in varied
 * formats. A seed names one set of documents exactly (mulberry32), so every system in a run, and
 * every run, masks the same text.
 */

export const DEFAULT_SEED = 20251125;
export const DEFAULT_DOCUMENTS = 16;
/** Each document grows line by line until it holds at least this many UTF-8 bytes. */
export const TARGET_BYTES = 2048;

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (random: Random, n: number): string => Array.from({ length: n }, () => String(int(random, 0, 9))).join("");
const pad = (value: number, width: number): string => String(value).padStart(width, "0");

const FIRST = ["Maria", "James", "Aiko", "Olusegun", "Priya", "Lukas", "Chloé", "Mateo", "Fatima", "Connor", "Ingrid", "Wei", "Sofia", "Dmitri", "Amara", "Noah"];
const LAST = ["Gonzalez", "Okafor", "Tanaka", "Schneider", "Patel", "O'Brien", "Dubois", "Rossi", "Haddad", "Lindqvist", "Chen", "Novak", "Murphy", "Santos", "Kowalski", "Nguyen"];
const DOMAINS = ["example.com", "mail.example.org", "acme-corp.io", "contoso.co.uk", "fabrikam.de", "northwind.net", "globex.us"];

export function email(random: Random, first = pick(random, FIRST), last = pick(random, LAST)): string {
  const f = first.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase();
  const l = last.replace(/[^A-Za-z]/g, "").toLowerCase();
  const local = pick(random, [`${f}.${l}`, `${f[0]}${l}`, `${f}_${l}${int(random, 1, 99)}`, `${f}+billing`, `${l}.${f}`]);
  return `${local}@${pick(random, DOMAINS)}`;
}

const PHONE_COUNTRIES: ReadonlyArray<{ country: CountryCode; cc: string; national: () => (random: Random) => string }> = [
  { country: "US", cc: "1", national: () => (r) => `${int(r, 2, 9)}${digits(r, 2)}${int(r, 2, 9)}${digits(r, 6)}` },
  { country: "GB", cc: "44", national: () => (r) => pick(r, [`20${int(r, 7, 8)}${digits(r, 7)}`, `7${int(r, 4, 9)}${digits(r, 8)}`, `161${int(r, 2, 9)}${digits(r, 5)}`]) },
  { country: "DE", cc: "49", national: () => (r) => pick(r, [`30${int(r, 2, 9)}${digits(r, 7)}`, `15${int(r, 1, 2)}${digits(r, 8)}`, `89${int(r, 2, 9)}${digits(r, 6)}`]) },
  { country: "FR", cc: "33", national: () => (r) => `${int(r, 1, 7)}${digits(r, 8)}` },
];

/** A phone number libphonenumber's full metadata calls valid, in one of several layouts. */
export function phone(random: Random): string {
  for (let attempt = 0; attempt < 200; attempt++) {
    const spec = pick(random, PHONE_COUNTRIES);
    const parsed = parsePhoneNumberFromString(`+${spec.cc}${spec.national()(random)}`);
    if (parsed === undefined || !parsed.isValid()) continue;
    const layout = int(random, 0, 3);
    if (layout === 0) return parsed.number; // E.164
    if (layout === 1) return parsed.formatInternational();
    if (layout === 2) return parsed.formatInternational().replace(/ /g, "-");
    return spec.country === "US" ? parsed.formatNational() : parsed.formatInternational();
  }
  throw new Error("no valid phone number in 200 attempts");
}

function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A Luhn-valid card number of a real issuer prefix, grouped as that issuer prints it. */
export function card(random: Random): string {
  const issuer = int(random, 0, 3);
  const prefix = issuer === 0 ? "4" : issuer === 1 ? String(int(random, 51, 55)) : issuer === 2 ? pick(random, ["34", "37"]) : "6011";
  const length = issuer === 2 ? 15 : 16;
  const body = prefix + digits(random, length - 1 - prefix.length);
  const number = body + String(luhnCheckDigit(body));
  const separator = pick(random, [" ", "-", ""]);
  if (issuer === 2) return [number.slice(0, 4), number.slice(4, 10), number.slice(10)].join(separator);
  return [0, 4, 8, 12].map((i) => number.slice(i, i + 4)).join(separator);
}

/** An SSN in the issuable ranges (area 001-899 but 666, group 01-99, serial 0001-9999). */
export function ssn(random: Random): string {
  let area = int(random, 1, 898);
  if (area === 666) area = 667;
  return `${pad(area, 3)}-${pad(int(random, 1, 99), 2)}-${pad(int(random, 1, 9999), 4)}`;
}

export function ipv4(random: Random): string {
  return `${pick(random, [23, 64, 81, 104, 151, 185, 198, 203])}.${int(random, 0, 255)}.${int(random, 0, 255)}.${int(random, 1, 254)}`;
}

export function ipv6(random: Random): string {
  const group = () => int(random, 0, 0xffff).toString(16);
  return pick(random, [
    `2001:db8:${group()}:${group()}::${group()}`,
    `2a02:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`,
    `fe80::${group()}:${group()}:${group()}:${group()}`,
  ]);
}

const US_PLACES = ["Springfield, IL 62704", "Austin, TX 78701", "Seattle, WA 98101", "Denver, CO 80202", "Boston, MA 02108", "Portland, OR 97205", "Columbus, OH 43215"];
const US_STREETS = ["Elm Street", "Maple Avenue", "Oak Drive", "Washington Blvd", "Lakeview Road", "Pine Lane", "Cedar Court"];
const UK_ADDRESSES = ["221B Baker Street, London NW1 6XE", "10 Downing Street, London SW1A 2AA", "14 Deansgate, Manchester M3 2BW", "7 Park Row, Leeds LS1 5HD"];
const DE_ADDRESSES = ["Hauptstraße 12, 10115 Berlin", "Marienplatz 8, 80331 München", "Jungfernstieg 4, 20354 Hamburg", "Schillerstraße 27, 60313 Frankfurt am Main"];

export function streetAddress(random: Random): string {
  const kind = int(random, 0, 3);
  if (kind === 2) return pick(random, UK_ADDRESSES);
  if (kind === 3) return pick(random, DE_ADDRESSES);
  const unit = random() < 0.3 ? `, Apt ${int(random, 1, 40)}` : "";
  return `${int(random, 10, 9899)} ${pick(random, US_STREETS)}${unit}, ${pick(random, US_PLACES)}`;
}

function record(random: Random, index: number): string[] {
  const first = pick(random, FIRST);
  const last = pick(random, LAST);
  const agent = `${pick(random, FIRST)} ${pick(random, LAST)}`;
  const lines = [
    `#${index} ${first} ${last} <${email(random, first, last)}>, mobile ${phone(random)}, office ${phone(random)}`,
    `  billing: card ${card(random)} exp ${pad(int(random, 1, 12), 2)}/${int(random, 27, 31)}; SSN ${ssn(random)}`,
    `  ship to ${streetAddress(random)}`,
    `  last login from ${ipv4(random)} and ${ipv6(random)}; ticket ${digits(random, 6)} opened ${2025}-${pad(int(random, 1, 12), 2)}-${pad(int(random, 1, 28), 2)}`,
    `  note (${agent}, ${email(random)}): called back on ${phone(random)}, asked to send the invoice to ${email(random, first, last)}`,
  ];
  return lines;
}

/** One ~2 KB document: a header line, then account records, line by line, until TARGET_BYTES is reached. */
export function piiDocument(random: Random, docIndex: number): string {
  const lines = [`Account review export ${docIndex + 1} (confidential; do not forward)`];
  let bytes = Buffer.byteLength(lines[0]!);
  for (let i = 1; bytes < TARGET_BYTES; i++) {
    for (const line of record(random, i)) {
      if (bytes >= TARGET_BYTES) break;
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
    }
  }
  return lines.join("\n");
}

/** `count` documents from `seed`; the same arguments always give the same texts. */
export function piiDocuments(seed = DEFAULT_SEED, count = DEFAULT_DOCUMENTS): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => piiDocument(random, i));
}
