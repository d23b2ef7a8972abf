import { ENGLISH_NOT_ADJECTIVES } from "../recognizers/address-german.js";

/**
 * What the kernel's STREET_ADDRESS finder (native/pii/src/recognizers/street_address.rs and the
 * address_*.rs files it calls) takes from here at load, beyond the lexicon (address-lexicon.ts's
 * lists, handed over as "address-lexicon"): the English words address-german.ts keeps out of the
 * adjective slot before a street word ("The Straße 5"), "|"-separated.
 */
export function streetAddressData(): string {
  return [...ENGLISH_NOT_ADJECTIVES].join("|");
}
