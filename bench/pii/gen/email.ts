import type { Generated } from "./builder.js";
import type { Rng } from "./prng.js";
import { COMPANY_WORDS, FIRST_NAMES, LAST_NAMES } from "./words.js";

const FREEMAIL = [
  "gmail.com", "outlook.com", "yahoo.com", "yahoo.co.uk", "hotmail.fr", "web.de", "gmx.de", "gmx.net",
  "icloud.com", "proton.me", "orange.fr", "t-online.de", "btinternet.com", "rediffmail.com", "uol.com.br",
  "bigpond.com", "yahoo.co.jp", "mail.ru", "aol.com", "fastmail.fm",
] as const;

const TLDS = ["com", "io", "net", "org", "de", "co.uk", "fr", "com.br", "co.jp", "in", "com.au", "ca", "dev", "ai", "eu"] as const;
const SUBDOMAINS = ["mail", "eu", "corp", "us", "mx", "staff", "dept.cs", "lists", "support", "billing.eu"] as const;

// IDN domains and internationalized local parts (RFC 6531), written in Unicode as users type them.
const IDN_DOMAINS = [
  "bücher.de", "müller-bau.de", "käse-laden.at", "société-exemple.fr", "mañana-viajes.es", "örebro-it.se",
  "straße-und-weg.de", "магазин.рф", "café-crème.fr", "zürich-immobilien.ch", "øl-bryggeri.dk", "naïve-design.fr",
] as const;

function ascii(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss")
    .replace(/ø/g, "o")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}

function localPart(rng: Rng, first: string, last: string, unicode: boolean): { local: string; form: string } {
  const f = unicode ? first.toLowerCase() : ascii(first);
  const l = unicode ? last.toLowerCase() : ascii(last);
  const form = rng.weighted([
    ["first.last", 5], ["flast", 2], ["firstlast", 1], ["first_last", 1], ["first-last", 1], ["last.first", 1],
    ["first+tag", 1], ["first.last+tag", 1], ["first+digits", 2], ["role", 1], ["f.last.digits", 1],
  ] as const);
  const tag = rng.pick(["news", "shop", "github", "billing", "2024", "work", "spam"]);
  const local = {
    "first.last": `${f}.${l}`,
    flast: `${f[0] ?? "x"}${l}`,
    firstlast: `${f}${l}`,
    first_last: `${f}_${l}`,
    "first-last": `${f}-${l}`,
    "last.first": `${l}.${f}`,
    "first+tag": `${f}+${tag}`,
    "first.last+tag": `${f}.${l}+${tag}`,
    "first+digits": `${f}${rng.int(1, 99)}`,
    role: rng.pick(["support", "billing", "info", "sales", "hr", "it-helpdesk", "accounts.payable", "no-reply"]),
    "f.last.digits": `${f[0] ?? "x"}.${l}.${rng.int(1, 9999)}`,
  }[form];
  return { local, form };
}

function companyDomain(rng: Rng): { domain: string; form: string } {
  const word = rng.pick(COMPANY_WORDS);
  const tld = rng.pick(TLDS);
  const form = rng.weighted([["plain", 5], ["hyphen", 2], ["subdomain", 2], ["hyphen+subdomain", 1]] as const);
  const base = form.startsWith("hyphen") ? `${word}-${rng.pick(COMPANY_WORDS)}` : word;
  const sub = form.endsWith("subdomain") ? `${rng.pick(SUBDOMAINS)}.` : "";
  return { domain: `${sub}${base}.${tld}`, form };
}

/** An email address in one of many realistic shapes. */
export function generateEmail(rng: Rng): Generated {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const kind = rng.weighted([["freemail", 4], ["company", 5], ["idn", 1]] as const);
  let domain: string;
  let domainForm: string;
  if (kind === "freemail") {
    domain = rng.pick(FREEMAIL);
    domainForm = "freemail";
  } else if (kind === "company") {
    ({ domain, form: domainForm } = companyDomain(rng));
  } else {
    domain = rng.pick(IDN_DOMAINS);
    domainForm = "idn";
  }
  const unicodeLocal = kind === "idn" && rng.chance(0.5);
  const { local, form } = localPart(rng, first, last, unicodeLocal);
  let value = `${local}@${domain}`;
  let caseForm = "lower";
  if (rng.chance(0.06)) {
    // People paste addresses in odd case: "John.Smith@Acme.COM".
    value = value.replace(/(^|[._@-])(\p{Ll})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
    caseForm = "mixed";
  } else if (rng.chance(0.02)) {
    value = value.toUpperCase();
    caseForm = "upper";
  }
  return { value, variant: `${domainForm}:${form}:${caseForm}${unicodeLocal ? ":unicode-local" : ""}` };
}
