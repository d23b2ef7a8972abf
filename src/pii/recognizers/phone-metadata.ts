import { Metadata } from "libphonenumber-js/core";
import metadataJson from "libphonenumber-js/metadata.max.json";
import { compileLeadingDigits, type LeadingDigits } from "./phone-leading.js";

/**
 * Phone-number validity from libphonenumber-js's full ("max") numbering metadata, compiled once
 * into anchored regular expressions. The library's own parse + isValid costs 3-15 us a call
 * because it re-parses text and builds a RegExp per check; this answers the same question
 * (is national number N valid under calling code C?) in well under a microsecond, which is what
 * lets the recognizer validate every candidate run in a large text. The "min" metadata only
 * knows lengths (it accepts 1700000000 as an Indian number); "max" knows every number type's
 * ranges, so it is the one used. The test file checks this module against the library itself.
 */

/** The libphonenumber-js `Metadata` accessors this module reads (present since metadata v4). */
interface TypeAccessors {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
interface PlanAccessors {
  nationalNumberPattern(): string;
  nationalPrefix(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(name: string): TypeAccessors | undefined;
}
interface MetadataAccessors {
  selectNumberingPlan(countryOrCallingCode: string): unknown;
  numberingPlan?: PlanAccessors;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  countryCallingCodes(): Record<string, string[]>;
  /** Plans of the calling codes no country owns (+800, +808, +870, +878, +881-883, +888, +979). */
  nonGeographic(): Record<string, unknown> | undefined;
}

// Every type getNumberType() knows; a number is valid when it matches the plan and one of these.
const NUMBER_TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "TOLL_FREE",
  "PREMIUM_RATE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

interface CompiledType {
  readonly pattern: RegExp;
  /** The pattern's source, for the combined per-length test (see validByLength). */
  readonly source: string;
  readonly lengths: readonly number[] | undefined;
}

interface CompiledPlan {
  /** Lengths some number type of the plan can have: a cheap first test before any pattern. */
  readonly lengths: ReadonlySet<number> | undefined;
  /**
   * Per length up to MAX_INDEXED_LENGTH, made on first use: one expression that holds when the
   * national pattern and one of that length's type patterns both match (the national one as a
   * lookahead), or null when no type can have that length. One test in place of two to four,
   * whose calls cost more than their matching: the phone recognizer measured 6-12% faster.
   */
  readonly validByLength: (RegExp | null | undefined)[] | undefined;
  /** The national pattern's source, for validByLength. */
  readonly nationalSource: string;
  readonly national: RegExp;
  /** Set for countries sharing a calling code: picks this country when it matches at the start. */
  readonly leading: LeadingDigits | undefined;
  /** Undefined when the plan has no type patterns (then the national pattern decides). */
  readonly types: readonly CompiledType[] | undefined;
  /** The trunk prefix dialled at home ("0" in GB, "1" in the US), if any. */
  readonly nationalPrefix: string | undefined;
}

function accessors(json: unknown): MetadataAccessors {
  const metadata: unknown = new Metadata(json as ConstructorParameters<typeof Metadata>[0]);
  const m = metadata as Partial<MetadataAccessors>;
  if (
    typeof m.selectNumberingPlan !== "function" ||
    typeof m.getCountryCodesForCallingCode !== "function" ||
    typeof m.countryCallingCodes !== "function" ||
    typeof m.nonGeographic !== "function"
  ) {
    throw new Error("libphonenumber-js Metadata has an unexpected shape; phone validation cannot run");
  }
  return m as MetadataAccessors;
}

/**
 * One country's (or non-geographic calling code's) plan as the metadata states it, before
 * compiling: what compilePlan compiles, and what the native kernel's configure("phone-metadata")
 * receives (src/pii/native-config/phone-metadata.ts).
 */
export interface PlanSource {
  /** The region code ("GB"), or the calling code for a non-geographic plan. */
  readonly country: string;
  readonly nationalSource: string;
  readonly nationalPrefix: string | undefined;
  readonly leadingDigits: string | undefined;
  /** Undefined when the plan has no type patterns (then the national pattern decides). */
  readonly types: readonly TypeSource[] | undefined;
}
export interface TypeSource {
  readonly name: (typeof NUMBER_TYPES)[number];
  readonly source: string;
  readonly lengths: readonly number[] | undefined;
}

function readPlan(metadata: MetadataAccessors, countryOrCallingCode: string): PlanSource {
  metadata.selectNumberingPlan(countryOrCallingCode);
  const plan = metadata.numberingPlan;
  if (plan === undefined || typeof plan.nationalNumberPattern !== "function") {
    throw new Error(`libphonenumber-js: no numbering plan for ${countryOrCallingCode}`);
  }
  let types: TypeSource[] | undefined;
  if (plan.hasTypes()) {
    types = [];
    for (const name of NUMBER_TYPES) {
      const type = plan.type(name);
      const source = type?.pattern();
      if (type === undefined || !source) continue; // an empty pattern never matches (library rule)
      types.push({ name, source, lengths: type.possibleLengths() });
    }
  }
  return {
    country: countryOrCallingCode,
    nationalSource: plan.nationalNumberPattern(),
    nationalPrefix: plan.nationalPrefix() || undefined,
    leadingDigits: plan.leadingDigits() || undefined,
    types,
  };
}

function compilePlan(plan: PlanSource): CompiledPlan {
  let types: CompiledType[] | undefined;
  let lengths: Set<number> | undefined;
  if (plan.types !== undefined) {
    types = [];
    lengths = new Set();
    for (const { source, lengths: typeLengths } of plan.types) {
      types.push({ pattern: new RegExp(`^(?:${source})$`), source, lengths: typeLengths });
      if (typeLengths === undefined) lengths = undefined; // a type without lengths: any length
      else if (lengths !== undefined) for (const length of typeLengths) lengths.add(length);
    }
  }
  return {
    lengths,
    validByLength:
      types === undefined ? undefined : new Array<RegExp | null | undefined>(MAX_INDEXED_LENGTH + 1).fill(undefined),
    nationalSource: plan.nationalSource,
    national: new RegExp(`^(?:${plan.nationalSource})$`),
    leading: plan.leadingDigits !== undefined ? compileLeadingDigits(plan.leadingDigits) : undefined,
    types,
    nationalPrefix: plan.nationalPrefix,
  };
}

/**
 * Every calling code's plans as the metadata states them, in the order isValid tries them (the
 * main country first).
 */
export function numberingPlans(json: unknown): Map<string, readonly PlanSource[]> {
  const metadata = accessors(json);
  const plans = new Map<string, readonly PlanSource[]>();
  for (const callingCode of Object.keys(metadata.countryCallingCodes())) {
    const countries = (metadata.getCountryCodesForCallingCode(callingCode) ?? []).filter((c) => c !== "001");
    if (countries.length > 0) plans.set(callingCode, countries.map((c) => readPlan(metadata, c)));
  }
  // Non-geographic codes have one plan, selected by the calling code itself.
  for (const callingCode of Object.keys(metadata.nonGeographic() ?? {})) {
    if (!plans.has(callingCode)) plans.set(callingCode, [readPlan(metadata, callingCode)]);
  }
  return plans;
}

/** Longest number length `validByLength` holds (E.164 numbers have 15 digits at most). */
const MAX_INDEXED_LENGTH = 20;

/** The types a number of `length` digits can be: those listing it, and those listing no lengths. */
function typesOfLength(types: readonly CompiledType[], length: number): CompiledType[] {
  return types.filter((t) => t.lengths === undefined || t.lengths.includes(length));
}

/**
 * national.test(nsn) && (one of the length's type patterns).test(nsn) as one expression:
 * ^(?=(?:national)$)(?:(?:type1)|(?:type2)|...)$. Both parts are anchored at the start and
 * the end, so it holds exactly when both tests would; null when no type has this length.
 */
function combinedTest(plan: CompiledPlan, length: number): RegExp | null {
  const sources = typesOfLength(plan.types!, length).map((t) => `(?:${t.source})`);
  if (sources.length === 0) return null;
  return new RegExp(`^(?=(?:${plan.nationalSource})$)(?:${sources.join("|")})$`);
}

function planAccepts(plan: CompiledPlan, nsn: string): boolean {
  if (plan.lengths !== undefined && !plan.lengths.has(nsn.length)) return false;
  if (plan.types === undefined) return plan.national.test(nsn);
  const byLength = plan.validByLength!;
  if (nsn.length < byLength.length) {
    let test = byLength[nsn.length];
    if (test === undefined) test = byLength[nsn.length] = combinedTest(plan, nsn.length);
    return test !== null && test.test(nsn);
  }
  // Longer than any number (never from the recognizer): the two tests one after the other.
  if (!plan.national.test(nsn)) return false;
  for (const type of plan.types) {
    if (type.lengths !== undefined && !type.lengths.includes(nsn.length)) continue;
    if (type.pattern.test(nsn)) return true;
  }
  return false;
}

export interface PhoneNumbering {
  /** The calling code `e164Digits` starts with (1-3 digits), or undefined if none does. */
  callingCodeOf(e164Digits: string): string | undefined;
  /**
   * The calling code written as exactly `length` digits (1-3) whose value is `value` ("1" is
   * (1, 1), "44" is (44, 2); (5, 2), "05", is none), or undefined if there is none. For callers
   * that read the digits in place instead of building a string for callingCodeOf.
   */
  callingCodeOfPrefix(value: number, length: number): string | undefined;
  /** Whether `nsn` (national significant number, digits only) is a valid number under `callingCode`. */
  isValid(callingCode: string, nsn: string): boolean;
  /** The trunk prefix of the calling code's main country ("0" for +44), if it has one. */
  nationalPrefixOf(callingCode: string): string | undefined;
}

/** Compiles numbering metadata (libphonenumber-js JSON format) into a validator. */
export function compileNumbering(json: unknown): PhoneNumbering {
  const plansByCallingCode = new Map<string, readonly CompiledPlan[]>();
  for (const [callingCode, plans] of numberingPlans(json)) plansByCallingCode.set(callingCode, plans.map(compilePlan));

  // The calling codes as a table indexed by length * 1000 + value, so that looking one up
  // slices and hashes no string (a Map lookup by a fresh slice cost a third of callingCodeOf).
  // It holds the map's own key strings: returning one makes no string, and isValid's lookup
  // then hashes a string whose hash V8 has already cached.
  const callingCodeTable: (string | undefined)[] = new Array<string | undefined>(4000).fill(undefined);
  for (const code of plansByCallingCode.keys()) {
    if (/^[1-9][0-9]{0,2}$/.test(code)) callingCodeTable[code.length * 1000 + Number(code)] = code;
  }
  const tableHoldsAll = [...plansByCallingCode.keys()].every((code) => /^[1-9][0-9]{0,2}$/.test(code));

  return {
    callingCodeOf(e164Digits) {
      // Calling codes are prefix-free, so the first length that names one is the one.
      if (!tableHoldsAll) {
        for (let length = 1; length <= 3 && length < e164Digits.length; length++) {
          const prefix = e164Digits.slice(0, length);
          if (plansByCallingCode.has(prefix)) return prefix;
        }
        return undefined;
      }
      let value = 0;
      for (let length = 1; length <= 3 && length < e164Digits.length; length++) {
        const digit = e164Digits.charCodeAt(length - 1) - 48;
        // Every calling code is digits: no prefix holding something else is one.
        if (!(digit >= 0 && digit <= 9)) return undefined;
        value = value * 10 + digit;
        const code = callingCodeTable[length * 1000 + value];
        if (code !== undefined) return code;
      }
      return undefined;
    },
    callingCodeOfPrefix(value, length) {
      if (!(length >= 1 && length <= 3 && value >= 0 && value < 1000)) return undefined;
      if (!tableHoldsAll) {
        const prefix = String(value).padStart(length, "0");
        return plansByCallingCode.has(prefix) ? prefix : undefined;
      }
      // (A value with fewer digits than `length` had leading zeros: no code has those, and its
      // index holds no code either, as each index holds only a code of exactly that length.)
      return callingCodeTable[length * 1000 + value];
    },
    isValid(callingCode, nsn) {
      const plans = plansByCallingCode.get(callingCode);
      if (plans === undefined || plans.length === 0) return false;
      if (plans.length === 1) return planAccepts(plans[0]!, nsn);
      // Shared calling codes (+1, +44, +7, ...): the library picks the first country whose leading
      // digits match, else the first whose number types match, else the main country.
      for (const plan of plans) {
        if (plan.leading !== undefined) {
          if (plan.leading(nsn)) return planAccepts(plan, nsn);
        } else if (planAccepts(plan, nsn)) {
          return true;
        }
      }
      // The main country, when the loop asked it already (it has no leading digits), said no.
      const main = plans[0]!;
      return main.leading === undefined ? false : planAccepts(main, nsn);
    },
    nationalPrefixOf(callingCode) {
      return plansByCallingCode.get(callingCode)?.[0]?.nationalPrefix;
    },
  };
}

/** The validator over libphonenumber-js's full metadata, compiled at load (a few milliseconds). */
export const phoneNumbering: PhoneNumbering = compileNumbering(metadataJson);

/** The plans phoneNumbering is compiled from (for the native kernel's configure). */
export function phoneNumberingPlans(): Map<string, readonly PlanSource[]> {
  return numberingPlans(metadataJson);
}
