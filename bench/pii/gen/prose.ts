import { ENTITY_TYPES, type EntityType } from "../../../src/index.js";
import { NEGATIVE_KINDS, type DocBuilder, type NegativeKind } from "./builder.js";
import { entityValue, negativeValue, writeEntity, writeNegative, type Placement } from "./mentions.js";
import { generateTimestamp } from "./negatives.js";
import type { Rng } from "./prng.js";
import { CHAT_FILLER, FILLER, PRODUCTS } from "./words.js";

export function pickEntityType(rng: Rng): EntityType {
  return rng.pick(ENTITY_TYPES);
}

export function pickNegativeKind(rng: Rng): NegativeKind {
  return rng.pick(NEGATIVE_KINDS);
}

const OPENERS = ["", "", "", "Quick note: ", "FYI, ", "Also, ", "For the record, ", "As requested, ", "Just to confirm, ", "Update: ", "PS: "] as const;
const CLOSERS = [".", ".", ".", ". Thanks.", " if that helps.", " (please keep this private).", ", thanks!", " - let me know."] as const;
const NEGATIVE_OPENERS = ["", "", "See ", "Re ", "Note: ", "Regarding ", "Checked ", "Logged "] as const;
const NEGATIVE_CLOSERS = [".", ".", " is attached.", " looks fine.", " for reference.", " per the report."] as const;

type Sentence = (b: DocBuilder, rng: Rng, placement: Placement) => void;

/** Sentences that mix entities and hard negatives the way support mail and chat do. */
const COMBOS: readonly Sentence[] = [
  (b, r, p) => {
    b.text("My ");
    writeEntity(b, r, "CREDIT_CARD", p);
    b.text(" was charged ").negative("price", negativeValue(r, "price")).text(" on ").negative("date", negativeValue(r, "date"));
    b.text(" for order ").negative("order_number", negativeValue(r, "order_number")).text(".");
  },
  (b, r, p) => {
    b.text("The handset with IMEI ").negative("imei", negativeValue(r, "imei")).text(" at ");
    b.entity("IP_ADDRESS", entityValue(r, "IP_ADDRESS", p)).text(" reports firmware ");
    b.negative("version", negativeValue(r, "version")).text(".");
  },
  (b, r, p) => {
    b.text("Invoice ").negative("invoice_number", negativeValue(r, "invoice_number")).text(" dated ");
    b.negative("date", negativeValue(r, "date")).text(" for ").negative("price", negativeValue(r, "price")).text(" went to ");
    b.entity("EMAIL_ADDRESS", entityValue(r, "EMAIL_ADDRESS", p)).text(".");
  },
  (b, r, p) => {
    b.text(`Please ship the ${r.pick(PRODUCTS)} to `).entity("STREET_ADDRESS", entityValue(r, "STREET_ADDRESS", p));
    b.text(" by ").negative("date", negativeValue(r, "date")).text(".");
  },
  (b, r, p) => {
    b.text("I called from ").entity("PHONE_NUMBER", entityValue(r, "PHONE_NUMBER", p)).text(" at ");
    b.negative("timestamp", generateTimestamp(r, r.pick(["clock", "iso-space", "iso-offset"]))).text(" but nobody picked up.");
  },
  (b, r) => {
    b.text("Booking for ");
    writeEntity(b, r, "PASSPORT", { singleLine: true });
    b.text(", flight on ").negative("date", negativeValue(r, "date")).text(".");
  },
  (b, r, p) => {
    b.text("Login from ").entity("IP_ADDRESS", entityValue(r, "IP_ADDRESS", p)).text(" at ");
    b.negative("timestamp", generateTimestamp(r, "iso-z")).text(", session ").negative("uuid", negativeValue(r, "uuid")).text(".");
  },
  (b, r, p) => {
    b.text("The form showed SSN ").negative("invalid_ssn", negativeValue(r, "invalid_ssn"));
    b.text(" which is not valid; the correct ");
    writeEntity(b, r, "US_SSN", p);
    b.text(".");
  },
  (b, r) => {
    b.text("The book (ISBN ").negative("isbn", negativeValue(r, "isbn")).text(") costs ").negative("price", negativeValue(r, "price")).text(".");
  },
  (b, r) => {
    b.text("Tracking number ").negative("luhn_invalid_16", negativeValue(r, "luhn_invalid_16"));
    b.text(" belongs to order ").negative("order_number", negativeValue(r, "order_number")).text(".");
  },
  (b, r, p) => {
    b.text("Our office moved to ").entity("STREET_ADDRESS", entityValue(r, "STREET_ADDRESS", p));
    b.text("; the old site was in ").negative("postcode", negativeValue(r, "postcode")).text(".");
  },
  (b, r, p) => {
    b.text("Polling OID ").negative("snmp_oid", negativeValue(r, "snmp_oid")).text(" on ");
    b.entity("IP_ADDRESS", entityValue(r, "IP_ADDRESS", p)).text(` returned ${r.int(0, 99999)}.`);
  },
  (b, r) => {
    b.text("Checksum ").negative("hex_hash", negativeValue(r, "hex_hash")).text(" matches build ");
    b.negative("version", negativeValue(r, "version")).text(".");
  },
  (b, r, p) => {
    b.text("Event at epoch ").negative("epoch", negativeValue(r, "epoch")).text(" came from ");
    b.entity("EMAIL_ADDRESS", entityValue(r, "EMAIL_ADDRESS", p)).text(".");
  },
  (b, r, p) => {
    b.text("Refund ").negative("price", negativeValue(r, "price")).text(" to the ");
    writeEntity(b, r, "CREDIT_CARD", p);
    b.text(", ref ").negative("invoice_number", negativeValue(r, "invoice_number")).text(".");
  },
  (b, r, p) => {
    b.text("Reach ").text(r.pick(["me", "my manager", "the site lead", "our accountant"])).text(" on ");
    b.entity("PHONE_NUMBER", entityValue(r, "PHONE_NUMBER", p)).text(" or ").entity("EMAIL_ADDRESS", entityValue(r, "EMAIL_ADDRESS", p)).text(".");
  },
];

export function fillerSentence(b: DocBuilder, rng: Rng): void {
  b.text(rng.pick(FILLER));
}

export function entitySentence(b: DocBuilder, rng: Rng, placement: Placement, type: EntityType = pickEntityType(rng)): void {
  b.text(rng.pick(OPENERS));
  writeEntity(b, rng, type, placement);
  b.text(rng.pick(CLOSERS));
}

export function negativeSentence(b: DocBuilder, rng: Rng, kind: NegativeKind = pickNegativeKind(rng)): void {
  b.text(rng.pick(NEGATIVE_OPENERS));
  writeNegative(b, rng, kind);
  b.text(rng.pick(NEGATIVE_CLOSERS));
}

export function comboSentence(b: DocBuilder, rng: Rng, placement: Placement): void {
  rng.pick(COMBOS)(b, rng, placement);
}

/** One sentence of prose: filler, a single entity, a single hard negative, or a mix. */
export function sentence(b: DocBuilder, rng: Rng, placement: Placement): void {
  const kind = rng.weighted([["filler", 3], ["entity", 4], ["negative", 3], ["combo", 3]] as const);
  if (kind === "filler") fillerSentence(b, rng);
  else if (kind === "entity") entitySentence(b, rng, placement);
  else if (kind === "negative") negativeSentence(b, rng);
  else comboSentence(b, rng, placement);
}

/** A paragraph of `count` sentences separated by spaces. */
export function paragraph(b: DocBuilder, rng: Rng, count: number, placement: Placement): void {
  for (let i = 0; i < count; i++) {
    if (i > 0) b.text(" ");
    sentence(b, rng, placement);
  }
}

export function chatLine(b: DocBuilder, rng: Rng, placement: Placement): void {
  const kind = rng.weighted([["filler", 4], ["entity", 4], ["negative", 3], ["combo", 1]] as const);
  if (kind === "filler") b.text(rng.pick(CHAT_FILLER));
  else if (kind === "entity") {
    const type = pickEntityType(rng);
    b.text(rng.pick(["", "", "here: ", "ok so ", "fyi ", "pls use ", "new one: "]));
    writeEntity(b, rng, type, placement);
    b.text(rng.pick(["", "", " thx", " 👍", " (don't share)", "!"]));
  } else if (kind === "negative") {
    b.text(rng.pick(["", "", "hmm ", "see ", "btw "]));
    writeNegative(b, rng, pickNegativeKind(rng));
    b.text(rng.pick(["", "", " ?", " right?", " fyi"]));
  } else comboSentence(b, rng, placement);
}
