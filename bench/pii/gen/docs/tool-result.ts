/** MCP tool results: JSON-RPC responses with a text summary and nested structured content. */
import { pickCity } from "../address.js";
import { DocBuilder } from "../builder.js";
import { entity, negative, pickIndent, ProseString, writeJson, type JsonNode } from "../json-writer.js";
import { entityValue, negativeValue } from "../mentions.js";
import { generateDate, generateTimestamp, generateVersion } from "../negatives.js";
import type { Rng } from "../prng.js";
import { entitySentence, negativeSentence } from "../prose.js";
import { PRODUCTS } from "../words.js";
import { fullName, ONE_LINE, ssnField } from "./common.js";

function customerRecord(rng: Rng): JsonNode {
  return {
    id: `cus_${rng.chars("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 14)}`,
    name: fullName(rng),
    email: entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")),
    phone: entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER")),
    address: rng.chance(0.6)
      ? entity("STREET_ADDRESS", entityValue(rng, "STREET_ADDRESS", ONE_LINE))
      : { line1: entity("STREET_ADDRESS", entityValue(rng, "STREET_ADDRESS", ONE_LINE)), city: pickCity(rng), postal_code: negative("postcode", negativeValue(rng, "postcode")) },
    created: negative("timestamp", generateTimestamp(rng, "iso-z")),
    tags: rng.chance(0.5) ? ["vip"] : [],
  };
}

function toolResult(rng: Rng): JsonNode {
  const shape = rng.int(0, 4);
  switch (shape) {
    case 0:
      return { customers: Array.from({ length: rng.int(1, 4) }, () => customerRecord(rng)), next_cursor: null };
    case 1:
      return {
        order: {
          number: negative("order_number", negativeValue(rng, "order_number")),
          invoice: negative("invoice_number", negativeValue(rng, "invoice_number")),
          total: negative("price", negativeValue(rng, "price")),
          placed_at: negative("date", generateDate(rng)),
          items: Array.from({ length: rng.int(1, 3) }, () => ({ isbn: negative("isbn", negativeValue(rng, "isbn")), title: rng.pick(PRODUCTS), qty: rng.int(1, 5) })),
          payment: { card: entity("CREDIT_CARD", entityValue(rng, "CREDIT_CARD")), billing_email: entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")) },
          shipping: { address: entity("STREET_ADDRESS", entityValue(rng, "STREET_ADDRESS", ONE_LINE)), carrier_ref: negative("luhn_invalid_16", negativeValue(rng, "luhn_invalid_16")) },
        },
      };
    case 2:
      return {
        devices: Array.from({ length: rng.int(1, 4) }, () => ({
          imei: negative("imei", negativeValue(rng, "imei")),
          ip: entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")),
          firmware: negative("version", generateVersion(rng)),
          last_seen: negative("epoch", negativeValue(rng, "epoch"), true),
          config_sha1: negative("hex_hash", { value: rng.hex(40), variant: "sha1" }),
        })),
      };
    case 3:
      return {
        traveller: {
          name: fullName(rng),
          passport_number: entity("PASSPORT", entityValue(rng, "PASSPORT", ONE_LINE)),
          nationality: rng.pick(["US", "GB", "DE", "FR", "IN", "CA"]),
          date_of_birth: negative("date", generateDate(rng)),
          ssn: ssnField(rng, 0.15),
          contact: { email: entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")), mobile: entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER")) },
        },
        booking: { ref: rng.chars("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 6), session: negative("uuid", negativeValue(rng, "uuid")) },
      };
    default:
      return {
        columns: ["id", "email", "last_login_ip", "plan", "mrr"],
        rows: Array.from({ length: rng.int(2, 6) }, () => [
          rng.int(1, 99999),
          entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")),
          entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")),
          rng.pick(["free", "pro", "team"]),
          negative("price", negativeValue(rng, "price")),
        ]),
        query_ms: rng.int(1, 400),
      };
  }
}

export function jsonToolResult(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const summary = new ProseString((w) => {
    w.text(rng.pick(["Found matching records. ", "Done. ", "Lookup complete. ", ""]));
    const count = rng.int(1, 3);
    for (let i = 0; i < count; i++) {
      if (i > 0) w.text(" ");
      if (rng.chance(0.6)) entitySentence(w, rng, ONE_LINE);
      else negativeSentence(w, rng);
    }
  });
  const message: JsonNode = {
    jsonrpc: "2.0",
    id: rng.int(1, 5000),
    result: { content: [{ type: "text", text: summary }], structuredContent: toolResult(rng), isError: false },
  };
  writeJson(b, message, pickIndent(rng));
  b.text("\n");
  return b;
}
