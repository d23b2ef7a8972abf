/**
 * National (no "+") phone numbers for the default regions, tried in order. Each region says
 * how its numbers are written at home: which trunk prefix they carry and how the first group
 * (the area code) is grouped. That is what separates "020 7946 0958" from an order number of the
 * same length; the numbering metadata then decides whether the number itself exists.
 */
import type { PhoneNumbering } from "./phone-metadata.js";

/** Digit count of each group the writer made, in order. One entry: written without separators. */
export type Grouping = readonly number[];

interface Region {
  readonly id: string;
  readonly callingCode: string;
  /** The national significant number if `digits` is written as this region writes numbers. */
  nsn(digits: string, grouping: Grouping): string | undefined;
}

const code = (digits: string, i: number): number => digits.charCodeAt(i) - 48;

/** The groups from `from` on have exactly the lengths of `shape` (no string is built to compare). */
function groupsAre(grouping: Grouping, from: number, shape: Grouping): boolean {
  if (grouping.length - from !== shape.length) return false;
  for (let k = 0; k < shape.length; k++) if (grouping[from + k] !== shape[k]) return false;
  return true;
}

/** The groups from `from` on have the lengths of one of `shapes` (a loop: no closure per call). */
function groupsAreOneOf(grouping: Grouping, from: number, shapes: readonly Grouping[]): boolean {
  for (const shape of shapes) if (groupsAre(grouping, from, shape)) return true;
  return false;
}

/** Every group after the first has at least two digits (single digits are lists, not phones). */
function restAreGroups(grouping: Grouping, from: number): boolean {
  for (let k = from; k < grouping.length; k++) if (grouping[k]! < 2) return false;
  return true;
}

/**
 * Regions that dial a "0" trunk prefix before the area code (GB, DE, FR, JP and, besides their
 * numbers without one, AU, IN and BR): the number is written with it, and the area-code group
 * holds 2-6 digits including it.
 */
function withTrunkZero(digits: string, grouping: Grouping): string | undefined {
  if (code(digits, 0) !== 0 || code(digits, 1) === 0) return undefined; // "00" is an IDD prefix
  if (grouping.length > 1) {
    // French 08 numbers are written with the trunk apart: "0 800 12 34 56".
    if (grouping[0] === 1) return restAreGroups(grouping, 1) ? digits.slice(1) : undefined;
    if (grouping[0]! > 6) return undefined;
    // German service numbers are written with one digit apart: "0180 4 4662048".
    if (!restAreGroups(grouping, grouping[1] === 1 ? 2 : 1)) return undefined;
  }
  return digits.slice(1);
}

const NANP_GROUPINGS: readonly Grouping[] = [
  [3, 3, 4],
  [3, 7],
];

/** NANP (US, CA, ...): [1] NPA NXX XXXX, written 3-3-4 or 3-7 after an optional "1". */
const nanp: Region = {
  id: "US",
  callingCode: "1",
  nsn(digits, grouping) {
    let nsn = digits;
    let from = 0; // the groups of the number after the "1"
    if (digits.length === 11 && code(digits, 0) === 1) {
      nsn = digits.slice(1);
      if (grouping.length > 1) {
        if (grouping[0] === 1) from = 1;
        else return undefined; // "1415 555 2671" is not how anyone writes it
      }
    } else if (digits.length !== 10) {
      return undefined;
    }
    if (code(nsn, 0) < 2) return undefined;
    if (grouping.length - from > 1 && !groupsAreOneOf(grouping, from, NANP_GROUPINGS)) return undefined;
    return nsn;
  },
};

function trunkRegion(id: string, callingCode: string): Region {
  return { id, callingCode, nsn: withTrunkZero };
}

/** Toll-free and shared-cost numbers dialled without a trunk prefix: "1800 123 456" (AU, IN). */
function serviceNumber(digits: string, grouping: Grouping, lengths: readonly number[]): string | undefined {
  if (code(digits, 0) !== 1 || !lengths.includes(digits.length)) return undefined;
  if (grouping.length > 1 && (grouping[0] !== 4 || !restAreGroups(grouping, 1))) return undefined;
  return digits;
}

/** Digit counts of service numbers dialled without a trunk prefix ("1800 123 4567"). */
const INDIA_SERVICE_LENGTHS: readonly number[] = [11, 12, 13];
const AUSTRALIA_SERVICE_LENGTHS: readonly number[] = [10];

/**
 * India: "098765 43210" with the trunk 0, a mobile "98765 43210" / "987-654-3210" without, or a
 * toll-free "1800 123 4567".
 */
const india: Region = {
  id: "IN",
  callingCode: "91",
  nsn(digits, grouping) {
    if (code(digits, 0) === 0) return withTrunkZero(digits, grouping);
    if (code(digits, 0) === 1) return serviceNumber(digits, grouping, INDIA_SERVICE_LENGTHS);
    if (digits.length !== 10 || code(digits, 0) < 6) return undefined;
    if (grouping.length > 1 && (grouping[0]! < 3 || grouping[0]! > 5 || !restAreGroups(grouping, 1))) return undefined;
    return digits;
  },
};

/** Australia: "(02) 9876 5432", "0412 345 678" with the trunk 0, "1300 123 456" without. */
const australia: Region = {
  id: "AU",
  callingCode: "61",
  nsn(digits, grouping) {
    if (code(digits, 0) === 0) return withTrunkZero(digits, grouping);
    return serviceNumber(digits, grouping, AUSTRALIA_SERVICE_LENGTHS);
  },
};

/** How Brazil's subscriber numbers are grouped after the area code. */
const BRAZIL_SUBSCRIBER: readonly Grouping[] = [[8], [9], [4, 4], [5, 4], [1, 4, 4]];

/** Brazil: "(11) 91234-5678", "11 3456-7890", "(11) 9 1234-5678"; the trunk 0 is optional. */
const brazil: Region = {
  id: "BR",
  callingCode: "55",
  nsn(digits, grouping) {
    if (code(digits, 0) === 0) return withTrunkZero(digits, grouping);
    if (digits.length < 10 || digits.length > 11 || code(digits, 1) === 0) return undefined;
    if (grouping.length > 1) {
      if (grouping[0] !== 2) return undefined; // the two-digit area code stands apart
      // Then 3456-7890, 91234-5678, 9 1234-5678 (the mobile "9" apart) or no grouping at all.
      if (!groupsAreOneOf(grouping, 1, BRAZIL_SUBSCRIBER)) return undefined;
    }
    return digits;
  },
};

/** The default regions for numbers written without "+", in the order they are tried. */
export const DEFAULT_REGIONS: readonly Region[] = [
  nanp,
  trunkRegion("GB", "44"),
  trunkRegion("DE", "49"),
  trunkRegion("FR", "33"),
  india,
  australia,
  trunkRegion("JP", "81"),
  brazil,
];

/** The first default region under which `digits`, written as `grouping`, is a valid number. */
export function nationalRegionOf(numbering: PhoneNumbering, digits: string, grouping: Grouping): string | undefined {
  for (const region of DEFAULT_REGIONS) {
    const nsn = region.nsn(digits, grouping);
    if (nsn !== undefined && numbering.isValid(region.callingCode, nsn)) return region.id;
  }
  return undefined;
}
