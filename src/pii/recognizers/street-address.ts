import { digitClustersOf, type TextScan } from "../text-scan.js";
import type { Candidate, Recognizer } from "../types.js";
import { mergeAddresses } from "./address-candidate.js";
import { findGermanAddresses } from "./address-german.js";
import { findNumberFirstAddresses } from "./address-number-first.js";
import { MAX_ADDRESS_LENGTH } from "./address-tail.js";

/**
 * STREET_ADDRESS: US, UK and German street addresses, each reported as one span from the house
 * number (or a unit written before it, "Flat 3, ...") through the unit, city, state and
 * postcode when they follow.
 *
 * - US/UK (address-number-first.ts): "350 Fifth Ave, Suite 3300, New York, NY 10118",
 *   "221B Baker Street, London NW1 6XE", "70 Kingsway", "1211 Avenue of the Americas",
 *   "PO Box 1234". Anchored on the street type.
 * - DE (address-german.ts): "Hauptstraße 5, 80331 München", "Mühlenweg 30, 2. OG, 40509
 *   Düsseldorf", "Unter den Linden 77, 10117 Berlin", "Postfach 10 11 20". Anchored on the house
 *   number after a lower-case letter, then the word before it must end in a street word
 *   (-straße, -weg, ...) or follow a preposition (Am, An der).
 * - In a CSV row a comma after the house number, or before it after another field's number,
 *   separates fields ("+1 555 0100,12 Main St", "Rosenweg 60,10 October"); a thousands group
 *   ("$1,234 Main Street") or a decimal comma in prose ("Weg 5,3 km") is never a house number.
 *
 * Every read after an address's start stops at MAX_ADDRESS_LENGTH (150), so a candidate depends
 * only on the text within 150 characters of it and the 48 before it; the stream masker relies on
 * this.
 *
 * Scores: a city with a state and ZIP or a postcode makes an address certain (0.75-0.9); a house
 * number, name and common street type passes on its own (0.5-0.6); a rare street type ("Loop",
 * "Point") or a "-ring" street needs a context word (0.3). A postcode alone is never an address,
 * nor is a street name without a number.
 *
 * PO boxes are reported (Presidio does not): a box with its town reaches a person as a street
 * does, and a privacy gateway errs towards masking.
 */

function find(text: string, scan?: TextScan): Candidate[] {
  const clusters = digitClustersOf(text, scan);
  // Every form holds a digit: a house number, a box number.
  if (!clusters.hasDigit) return [];
  return mergeAddresses(findNumberFirstAddresses(text, clusters.houseNumberGaps), findGermanAddresses(text, clusters));
}

export const streetAddressRecognizer: Recognizer = {
  type: "STREET_ADDRESS",
  maxLength: MAX_ADDRESS_LENGTH,
  context: [
    "address",
    "addr",
    "lives at",
    "live at",
    "living at",
    "located at",
    "resides at",
    "residence",
    "ship to",
    "shipping",
    "deliver to",
    "delivery",
    "billing",
    "mailing",
    "postal",
    "street",
    "anschrift",
    "adresse",
    "wohnhaft",
    "wohnt",
    "wohnort",
    "lieferadresse",
    "postanschrift",
  ],
  negativeContext: ["version", "chapter", "episode", "season", "kapitel"],
  find,
};
