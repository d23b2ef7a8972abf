import type { Generated } from "./builder.js";
import { isbn10Check, isbn13Check } from "./checksums.js";
import type { Rng } from "./prng.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MONTHS_LONG = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
] as const;
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

const p2 = (n: number): string => String(n).padStart(2, "0");

export interface Moment {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
}

export function randomMoment(rng: Rng): Moment {
  return {
    year: rng.int(2019, 2026),
    month: rng.int(1, 12),
    day: rng.int(1, 28),
    hour: rng.int(0, 23),
    minute: rng.int(0, 59),
    second: rng.int(0, 59),
    millis: rng.int(0, 999),
  };
}

/** A calendar date in one of many written forms. */
export function generateDate(rng: Rng, m: Moment = randomMoment(rng)): Generated {
  const forms: readonly (readonly [string, () => string])[] = [
    ["iso", () => `${m.year}-${p2(m.month)}-${p2(m.day)}`],
    ["us-slash", () => `${p2(m.month)}/${p2(m.day)}/${m.year}`],
    ["eu-slash", () => `${p2(m.day)}/${p2(m.month)}/${m.year}`],
    ["de-dots", () => `${p2(m.day)}.${p2(m.month)}.${m.year}`],
    ["long-us", () => `${MONTHS_LONG[m.month - 1]} ${m.day}, ${m.year}`],
    ["long-eu", () => `${m.day} ${MONTHS_LONG[m.month - 1]} ${m.year}`],
    ["short-us", () => `${MONTHS[m.month - 1]} ${m.day}, ${m.year}`],
    ["short-dash", () => `${p2(m.day)}-${MONTHS[m.month - 1]}-${m.year}`],
    ["ymd-slash", () => `${m.year}/${p2(m.month)}/${p2(m.day)}`],
    ["compact", () => `${m.year}${p2(m.month)}${p2(m.day)}`],
    ["us-short-year", () => `${m.month}/${m.day}/${String(m.year).slice(2)}`],
  ];
  const [variant, render] = rng.pick(forms);
  return { value: render(), variant };
}

/** A timestamp: ISO 8601, clock time, syslog, nginx, RFC 2822. */
export function generateTimestamp(rng: Rng, form?: string, m: Moment = randomMoment(rng)): Generated {
  const offset = rng.pick(["+00:00", "+01:00", "+02:00", "-05:00", "+05:30", "+09:00"]);
  const clock = `${p2(m.hour)}:${p2(m.minute)}:${p2(m.second)}`;
  const date = `${m.year}-${p2(m.month)}-${p2(m.day)}`;
  const forms: Record<string, () => string> = {
    "iso-z": () => `${date}T${clock}.${String(m.millis).padStart(3, "0")}Z`,
    "iso-offset": () => `${date}T${clock}${offset}`,
    "iso-space": () => `${date} ${clock}`,
    "iso-micro": () => `${date}T${clock}.${String(m.millis).padStart(3, "0")}${rng.digits(3)}Z`,
    clock: () => clock,
    "clock-ms": () => `${clock}.${String(m.millis).padStart(3, "0")}`,
    syslog: () => `${MONTHS[m.month - 1]} ${String(m.day).padStart(2, " ")} ${clock}`,
    nginx: () => `${p2(m.day)}/${MONTHS[m.month - 1]}/${m.year}:${clock} ${offset.replace(":", "")}`,
    rfc2822: () => `${rng.pick(DAYS)}, ${m.day} ${MONTHS[m.month - 1]} ${m.year} ${clock} ${offset.replace(":", "")}`,
  };
  const variant = form ?? rng.pick(Object.keys(forms));
  const render = forms[variant];
  if (render === undefined) throw new Error(`unknown timestamp form ${variant}`);
  return { value: render(), variant };
}

/** Unix time in seconds or milliseconds. */
export function generateEpoch(rng: Rng): Generated {
  const seconds = rng.int(1_500_000_000, 1_800_000_000);
  return rng.chance(0.5)
    ? { value: String(seconds), variant: "seconds" }
    : { value: `${seconds}${rng.digits(3)}`, variant: "millis" };
}

export function generateUuid(rng: Rng): Generated {
  const variantNibble = rng.pick(["8", "9", "a", "b"]);
  const version = rng.pick(["4", "4", "4", "7", "1"]);
  const value = `${rng.hex(8)}-${rng.hex(4)}-${version}${rng.hex(3)}-${variantNibble}${rng.hex(3)}-${rng.hex(12)}`;
  return rng.chance(0.15) ? { value: value.toUpperCase(), variant: `v${version}:upper` } : { value, variant: `v${version}` };
}

export function generateHexHash(rng: Rng): Generated {
  const [name, length] = rng.pick([["md5", 32], ["sha1", 40], ["sha256", 64], ["git-short", 12]] as const);
  return { value: rng.hex(length), variant: name };
}

/**
 * A version string: semver, v-prefixed, four-part builds. Some four-part versions are also valid
 * IPv4 addresses (1.2.3.4); only a context word tells them apart, so callers that write no such
 * word nearby (a CSV cell far from its header) pass `ipLike: false`.
 */
export function generateVersion(rng: Rng, options: { ipLike: boolean } = { ipLike: true }): Generated {
  const form = rng.weighted([["semver", 4], ["v-semver", 3], ["four-part-small", options.ipLike ? 3 : 0], ["four-part-build", 2], ["two-part", 1], ["prerelease", 1]] as const);
  const n = (max: number): number => rng.int(0, max);
  switch (form) {
    case "semver":
      return { value: `${n(20)}.${n(30)}.${n(40)}`, variant: form };
    case "v-semver":
      return { value: `v${n(20)}.${n(30)}.${n(40)}`, variant: form };
    case "four-part-small":
      // 1.2.3.4: every part a valid octet, so only the context says it is a version.
      return { value: `${rng.int(1, 12)}.${n(20)}.${n(30)}.${n(255)}`, variant: form };
    case "four-part-build":
      return { value: `${rng.int(1, 130)}.0.${rng.int(1000, 26000)}.${n(400)}`, variant: form };
    case "two-part":
      return { value: `${rng.int(1, 25)}.${n(40)}`, variant: form };
    case "prerelease":
      return { value: `${n(5)}.${n(20)}.${n(10)}-${rng.pick(["rc.1", "beta.2", "alpha", "91-generic"])}`, variant: form };
  }
}

/** An SNMP object identifier under iso.org.dod.internet (1.3.6.1). */
export function generateOid(rng: Rng): Generated {
  const tail: number[] = [];
  const branch = rng.pick([
    [2, 1], // mib-2
    [4, 1, rng.pick([9, 2021, 311, 8072, 2636, 674, 232])], // private enterprises
    [6, 3], // snmpV2
  ]);
  const extra = rng.int(2, 7);
  for (let i = 0; i < extra; i++) tail.push(rng.int(0, i === 0 ? 40 : 255));
  const body = ["1", "3", "6", "1", ...branch.map(String), ...tail.map(String)].join(".");
  return rng.chance(0.2) ? { value: `.${body}`, variant: "leading-dot" } : { value: body, variant: "plain" };
}

/** ISBN-10 or ISBN-13 with correct check digits, hyphenated or not. */
export function generateIsbn(rng: Rng): Generated {
  const group = rng.pick(["0", "1", "3", "2", "4", "84", "88", "91"]);
  const publisherLength = rng.int(2, 5);
  if (rng.chance(0.5)) {
    const rest = 9 - group.length;
    const publisher = rng.digits(Math.min(publisherLength, rest - 1));
    const title = rng.digits(rest - publisher.length);
    const check = isbn10Check(group + publisher + title);
    return rng.chance(0.7)
      ? { value: `${group}-${publisher}-${title}-${check}`, variant: "isbn10-hyphen" }
      : { value: `${group}${publisher}${title}${check}`, variant: "isbn10-plain" };
  }
  const prefix = rng.pick(["978", "978", "979"]);
  const rest = 12 - prefix.length - group.length;
  const publisher = rng.digits(Math.min(publisherLength, rest - 1));
  const title = rng.digits(rest - publisher.length);
  const check = isbn13Check(prefix + group + publisher + title);
  return rng.chance(0.7)
    ? { value: `${prefix}-${group}-${publisher}-${title}-${check}`, variant: "isbn13-hyphen" }
    : { value: `${prefix}${group}${publisher}${title}${check}`, variant: "isbn13-plain" };
}

export function generateOrderNumber(rng: Rng): Generated {
  const form = rng.weighted([["hash-digits", 3], ["ord-year", 2], ["amazon", 2], ["sap-po", 1], ["so", 1], ["shopify", 1]] as const);
  const value = {
    "hash-digits": () => `#${rng.int(100000, 9999999)}`,
    "ord-year": () => `ORD-${rng.int(2019, 2026)}-${rng.digits(6)}`,
    amazon: () => `${rng.int(100, 999)}-${rng.digits(7)}-${rng.digits(7)}`,
    "sap-po": () => `45000${rng.digits(5)}`,
    so: () => `SO-${rng.int(10000, 99999)}`,
    shopify: () => `#${rng.int(1001, 99999)}`,
  }[form]();
  return { value, variant: form };
}

export function generateInvoiceNumber(rng: Rng): Generated {
  const form = rng.weighted([["inv-year", 3], ["slash", 2], ["de-re", 1], ["fr", 1], ["plain", 1]] as const);
  const year = rng.int(2019, 2026);
  const value = {
    "inv-year": () => `INV-${year}-${rng.digits(rng.int(4, 6))}`,
    slash: () => `${year}/${rng.digits(5)}`,
    "de-re": () => `RE-${year}-${rng.digits(5)}`,
    fr: () => `F${year}-${rng.digits(6)}`,
    plain: () => rng.digits(rng.int(7, 9)),
  }[form]();
  return { value, variant: form };
}

function thousands(n: number, separator: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

export function generatePrice(rng: Rng): Generated {
  const whole = rng.chance(0.6) ? rng.int(1, 999) : rng.int(1000, 250000);
  const cents = p2(rng.int(0, 99));
  const form = rng.weighted([["usd", 4], ["usd-code", 1], ["eur-de", 2], ["eur-suffix", 2], ["gbp", 2], ["jpy", 1], ["brl", 1], ["inr", 1]] as const);
  const value = {
    usd: () => `$${thousands(whole, ",")}.${cents}`,
    "usd-code": () => `USD ${thousands(whole, ",")}.${cents}`,
    "eur-de": () => `${thousands(whole, ".")},${cents} €`,
    "eur-suffix": () => `€${thousands(whole, ",")}.${cents}`,
    gbp: () => `£${thousands(whole, ",")}.${cents}`,
    jpy: () => `¥${thousands(whole * 100, ",")}`,
    brl: () => `R$ ${thousands(whole, ".")},${cents}`,
    inr: () => `₹${thousands(whole, ",")}`,
  }[form]();
  return { value, variant: form };
}
