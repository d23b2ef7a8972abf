import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from "libphonenumber-js/max";
import type { Generated } from "./builder.js";
import type { Rng } from "./prng.js";

export const PHONE_REGIONS = ["US", "CA", "GB", "DE", "FR", "IN", "AU", "JP", "BR"] as const;
export type PhoneRegion = (typeof PHONE_REGIONS)[number];

interface Plan {
  line: "fixed" | "mobile";
  /** Leading digits of the national significant number; the rest is random. */
  prefixes: readonly string[];
  /** Lengths of the national significant number. */
  lengths: readonly number[];
}

// Shapes of national significant numbers; every draw is kept only if the real numbering-plan
// metadata (libphonenumber "max") says the number is valid, so no invented ranges slip in.
const PLANS: Record<PhoneRegion, readonly Plan[]> = {
  US: [{ line: "fixed", prefixes: ["212", "312", "415", "617", "206", "512", "303", "404", "305", "702", "646", "718", "214", "602", "971"], lengths: [10] }],
  CA: [{ line: "fixed", prefixes: ["416", "604", "514", "403", "613", "778", "905", "587"], lengths: [10] }],
  GB: [
    { line: "fixed", prefixes: ["20", "161", "121", "131", "141", "113", "117", "1223", "1865"], lengths: [10] },
    { line: "mobile", prefixes: ["71", "73", "74", "75", "77", "78", "79"], lengths: [10] },
  ],
  DE: [
    { line: "fixed", prefixes: ["30", "40", "89", "221", "69", "711", "211", "341"], lengths: [9, 10, 11] },
    { line: "mobile", prefixes: ["151", "152", "157", "159", "160", "170", "171", "172", "175", "176", "177", "178", "179"], lengths: [10, 11] },
  ],
  FR: [
    { line: "fixed", prefixes: ["1", "2", "3", "4", "5", "9"], lengths: [9] },
    { line: "mobile", prefixes: ["6", "7"], lengths: [9] },
  ],
  IN: [
    { line: "fixed", prefixes: ["11", "22", "33", "44", "80", "40"], lengths: [10] },
    { line: "mobile", prefixes: ["98", "97", "96", "91", "90", "88", "87", "70", "63"], lengths: [10] },
  ],
  AU: [
    { line: "fixed", prefixes: ["2", "3", "7", "8"], lengths: [9] },
    { line: "mobile", prefixes: ["4"], lengths: [9] },
  ],
  JP: [
    { line: "fixed", prefixes: ["3", "6", "45", "52", "92", "11"], lengths: [9, 10] },
    { line: "mobile", prefixes: ["90", "80", "70"], lengths: [10] },
  ],
  BR: [
    { line: "fixed", prefixes: ["11", "21", "31", "41", "51", "61", "71", "81"], lengths: [10] },
    { line: "mobile", prefixes: ["119", "219", "319", "419", "519", "619", "719", "819"], lengths: [11] },
  ],
};

const MAX_ATTEMPTS = 500;

function drawValidNumber(rng: Rng, region: PhoneRegion): { phone: PhoneNumber; line: string } {
  const plan = rng.pick(PLANS[region]);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const prefix = rng.pick(plan.prefixes);
    const length = rng.pick(plan.lengths);
    const nsn = prefix + rng.digits(length - prefix.length);
    const phone = parsePhoneNumberFromString(nsn, region as CountryCode);
    if (phone?.isValid() === true && phone.country === region) return { phone, line: plan.line };
  }
  throw new Error(`no valid ${region} ${plan.line} number in ${MAX_ATTEMPTS} draws`);
}

/** "+1 415 555 0132" -> the international form with another separator between groups. */
function regroup(international: string, separator: string): string {
  return international.split(" ").join(separator);
}

type Format = readonly [name: string, weight: number, render: (p: PhoneNumber) => string];

function nationalDigits(p: PhoneNumber): string {
  return p.formatNational().replace(/\D/g, "");
}

function internationalFormats(): Format[] {
  return [
    ["e164", 3, (p) => p.number],
    ["intl-space", 5, (p) => p.formatInternational()],
    ["intl-dash", 2, (p) => regroup(p.formatInternational(), "-")],
    ["intl-dot", 1, (p) => regroup(p.formatInternational(), ".")],
  ];
}

// National layouts people actually type, per region, besides libphonenumber's own national format.
const NATIONAL_FORMATS: Record<PhoneRegion, Format[]> = {
  US: [
    ["national", 4, (p) => p.formatNational()],
    ["dashes", 4, (p) => p.formatNational().replace(/^\((\d{3})\) /, "$1-")],
    ["dots", 2, (p) => p.formatNational().replace(/^\((\d{3})\) (\d{3})-/, "$1.$2.")],
    ["spaces", 1, (p) => p.formatNational().replace(/^\((\d{3})\) (\d{3})-/, "$1 $2 ")],
    ["trunk-1", 1, (p) => `1-${p.formatNational().replace(/^\((\d{3})\) /, "$1-")}`],
    ["intl-paren", 2, (p) => `+1 ${p.formatNational()}`],
  ],
  CA: [
    ["national", 3, (p) => p.formatNational()],
    ["dashes", 3, (p) => p.formatNational().replace(/^\((\d{3})\) /, "$1-")],
    ["intl-paren", 1, (p) => `+1 ${p.formatNational()}`],
  ],
  GB: [
    ["national", 6, (p) => p.formatNational()],
    ["compact", 1, (p) => nationalDigits(p)],
    ["intl-trunk-paren", 2, (p) => p.formatInternational().replace(/^\+44 /, "+44 (0)")],
  ],
  DE: [
    ["national", 5, (p) => p.formatNational()],
    ["slash", 2, (p) => p.formatNational().replace(" ", "/")],
    ["dash", 1, (p) => p.formatNational().replace(" ", "-")],
    ["paren-area", 1, (p) => p.formatNational().replace(/^(\d+) /, "($1) ")],
    ["intl-trunk-paren", 2, (p) => p.formatInternational().replace(/^\+49 /, "+49 (0)")],
  ],
  FR: [
    ["national", 6, (p) => p.formatNational()],
    ["dots", 2, (p) => p.formatNational().replace(/ /g, ".")],
    ["compact", 1, (p) => nationalDigits(p)],
    ["intl-trunk-paren", 1, (p) => p.formatInternational().replace(/^\+33 /, "+33 (0)")],
  ],
  IN: [
    ["national", 3, (p) => p.formatNational()],
    // Mobile numbers are usually written without the trunk 0: "98765 43210".
    ["no-trunk", 3, (p) => (p.getType() === "MOBILE" ? p.formatNational().replace(/^0/, "") : p.formatNational())],
    ["intl-dash", 1, (p) => `+91-${nationalDigits(p).replace(/^0/, "")}`],
  ],
  AU: [
    ["national", 6, (p) => p.formatNational()],
    ["compact", 1, (p) => nationalDigits(p)],
    ["intl-trunk-paren", 1, (p) => p.formatInternational().replace(/^\+61 /, "+61 (0)")],
  ],
  JP: [
    ["national", 6, (p) => p.formatNational()],
    ["paren-area", 1, (p) => p.formatNational().replace(/^(\d+)-/, "($1) ")],
  ],
  BR: [
    ["national", 6, (p) => p.formatNational()],
    ["no-paren", 2, (p) => p.formatNational().replace(/^\((\d+)\) /, "$1 ")],
    ["intl-paren", 1, (p) => `+55 ${p.formatNational()}`],
  ],
};

/** A phone number valid under the region's numbering plan, in one of many written forms. */
export function generatePhone(rng: Rng, region: PhoneRegion = rng.pick(PHONE_REGIONS)): Generated & { region: PhoneRegion } {
  const { phone, line } = drawValidNumber(rng, region);
  const formats = rng.chance(0.4) ? internationalFormats() : NATIONAL_FORMATS[region];
  const [name, , render] = rng.weighted(formats.map((f) => [f, f[1]] as const));
  return { value: render(phone), variant: `${region}:${line}:${name}`, region };
}
