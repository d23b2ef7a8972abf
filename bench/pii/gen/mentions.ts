import type { EntityType } from "../../../src/index.js";
import { generateAddress, generatePostcode } from "./address.js";
import type { DocBuilder, Generated, NegativeKind } from "./builder.js";
import { generateCard, generateImei, generateLuhnInvalid16 } from "./card.js";
import { generateEmail } from "./email.js";
import { generateIp } from "./ip.js";
import {
  generateDate, generateEpoch, generateHexHash, generateInvoiceNumber, generateIsbn, generateOid,
  generateOrderNumber, generatePrice, generateTimestamp, generateUuid, generateVersion,
} from "./negatives.js";
import { generateMrz, generatePassport } from "./passport.js";
import { generatePhone } from "./phone.js";
import type { Rng } from "./prng.js";
import { generateInvalidSsn, generateSsn } from "./ssn.js";

/** Where a value is written: prose may break lines; a JSON string or a CSV cell may not. */
export interface Placement {
  singleLine: boolean;
}

export function entityValue(rng: Rng, type: EntityType, placement: Placement = { singleLine: false }): Generated {
  switch (type) {
    case "EMAIL_ADDRESS":
      return generateEmail(rng);
    case "PHONE_NUMBER":
      return generatePhone(rng);
    case "US_SSN":
      return generateSsn(rng);
    case "CREDIT_CARD":
      return generateCard(rng);
    case "IP_ADDRESS":
      return generateIp(rng);
    case "STREET_ADDRESS":
      return generateAddress(rng, placement.singleLine);
    case "PASSPORT":
      return !placement.singleLine && rng.chance(0.2) ? generateMrz(rng) : generatePassport(rng);
  }
}

export function negativeValue(rng: Rng, kind: NegativeKind): Generated {
  switch (kind) {
    case "luhn_invalid_16":
      return generateLuhnInvalid16(rng);
    case "imei":
      return generateImei(rng);
    case "invalid_ssn":
      return generateInvalidSsn(rng);
    case "version":
      return generateVersion(rng);
    case "snmp_oid":
      return generateOid(rng);
    case "timestamp":
      return generateTimestamp(rng);
    case "epoch":
      return generateEpoch(rng);
    case "uuid":
      return generateUuid(rng);
    case "hex_hash":
      return generateHexHash(rng);
    case "isbn":
      return generateIsbn(rng);
    case "order_number":
      return generateOrderNumber(rng);
    case "invoice_number":
      return generateInvoiceNumber(rng);
    case "price":
      return generatePrice(rng);
    case "date":
      return generateDate(rng);
    case "postcode":
      return generatePostcode(rng);
  }
}

/** True when a value is only PII (or only recognisable) with a context word before it. */
function needsContext(type: EntityType, generated: Generated): boolean {
  if (type === "PASSPORT") return true;
  if (type === "US_SSN") return generated.variant === "none";
  return false;
}

const ENTITY_LEAD_INS: Record<EntityType, readonly string[]> = {
  EMAIL_ADDRESS: ["email me at ", "my email is ", "reach me at ", "contact: ", "send it to ", "cc ", "mail: ", "you can write to ", "my new address is ", "login "],
  PHONE_NUMBER: ["call me at ", "my number is ", "phone: ", "Tel. ", "mobile: ", "reach me on ", "you can call ", "ph ", "WhatsApp ", "cell "],
  US_SSN: ["SSN: ", "my SSN is ", "social security number ", "SSN ", "Social Security No. ", "SSN#", "ssn=", "the SSN on file is "],
  CREDIT_CARD: ["card ", "card number ", "credit card ", "charged to card ", "paid with card ", "CC: ", "Visa/MC ", "the card on file is "],
  IP_ADDRESS: ["from ", "IP ", "IP address: ", "server ", "host ", "connecting to ", "client ", "source address "],
  STREET_ADDRESS: ["I live at ", "ship to ", "my new address is ", "Address: ", "deliver to ", "billing address: ", "we moved to ", "located at ", "send the letter to "],
  PASSPORT: ["passport no. ", "Passport Number: ", "passport #", "passport: ", "my passport number is ", "Passport No ", "passport number ", "travel document (passport) "],
};

// Not every language says "passport": a few German and French writers, as in real inboxes.
const FOREIGN_PASSPORT_LEAD_INS = ["Reisepass-Nr. ", "Reisepassnummer: ", "n° de passeport ", "numéro de passeport "] as const;

const MRZ_LEAD_INS = ["MRZ:\n", "Passport MRZ (scanned):\n", "machine readable zone of the passport:\n", "OCR of passport page:\n"] as const;

/** The phrase written just before an entity ("" when the value stands on its own). */
export function entityLeadIn(rng: Rng, type: EntityType, generated: Generated): string {
  if (generated.variant.startsWith("MRZ:")) return rng.pick(MRZ_LEAD_INS);
  if (!needsContext(type, generated) && rng.chance(type === "STREET_ADDRESS" ? 0.1 : 0.2)) return "";
  if (type === "PASSPORT" && rng.chance(0.1)) return rng.pick(FOREIGN_PASSPORT_LEAD_INS);
  return rng.pick(ENTITY_LEAD_INS[type]);
}

const NEGATIVE_LEAD_INS: Record<NegativeKind, readonly string[]> = {
  luhn_invalid_16: ["reference ", "tracking number ", "account ref ", "batch ", "loyalty number ", "shipment ", "card "],
  imei: ["IMEI ", "IMEI: ", "device IMEI ", "IMEI no. ", "imei="],
  invalid_ssn: ["SSN: ", "the SSN on the form was ", "SSN ", "social security number ", "ssn="],
  version: ["version ", "upgraded to ", "running ", "build ", "firmware ", "release ", "agent version "],
  snmp_oid: ["OID ", "oid=", "polling OID ", "SNMP OID ", "trap OID "],
  timestamp: ["at ", "since ", "logged at ", "time: ", "last seen "],
  epoch: ["ts=", "timestamp ", "created_at: ", "epoch ", "expires_at="],
  uuid: ["request id ", "trace ", "id=", "session ", "correlation-id: ", "tenant "],
  hex_hash: ["sha256:", "checksum ", "commit ", "etag ", "hash ", "digest "],
  isbn: ["ISBN ", "ISBN-13: ", "ISBN: ", "isbn "],
  order_number: ["order ", "Order ", "order no. ", "PO ", "order number "],
  invoice_number: ["invoice ", "Invoice ", "invoice no. ", "Rechnung ", "facture "],
  price: ["for ", "total ", "charged ", "amount: ", "refund of ", "price "],
  date: ["on ", "since ", "due ", "dated ", "by ", "until "],
  postcode: ["ZIP ", "postcode ", "PLZ ", "zip code ", "postal code ", "delivery area "],
};

export function negativeLeadIn(rng: Rng, kind: NegativeKind, generated: Generated): string {
  if (kind === "hex_hash") {
    const name = generated.variant;
    if (name === "sha256") return rng.pick(["sha256:", "SHA-256 ", "digest sha256:", "checksum "]);
    if (name === "md5") return rng.pick(["md5 ", "MD5: ", "etag ", "checksum "]);
    if (name === "sha1") return rng.pick(["sha1 ", "commit ", "SHA1: "]);
    return rng.pick(["commit ", "rev ", "build "]);
  }
  if (kind === "version" && generated.variant === "v-semver") return rng.pick(["", "upgraded to ", "tag ", "running "]);
  return rng.pick(NEGATIVE_LEAD_INS[kind]);
}

/** Writes a lead-in and an entity; returns the generated value. */
export function writeEntity(b: DocBuilder, rng: Rng, type: EntityType, placement?: Placement): Generated {
  const generated = entityValue(rng, type, placement);
  b.text(entityLeadIn(rng, type, generated)).entity(type, generated);
  // An MRZ block is two whole lines; what follows starts on a line of its own.
  if (generated.variant.startsWith("MRZ:")) b.text("\n");
  return generated;
}

export function writeNegative(b: DocBuilder, rng: Rng, kind: NegativeKind): Generated {
  const generated = negativeValue(rng, kind);
  b.text(negativeLeadIn(rng, kind, generated)).negative(kind, generated);
  return generated;
}
