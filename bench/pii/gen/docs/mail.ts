/** Mail and helpdesk tickets: headers, prose paragraphs, signatures, quoted replies, agent notes. */
import { DocBuilder } from "../builder.js";
import { entityValue, negativeValue, writeEntity } from "../mentions.js";
import { generateDate, generateTimestamp } from "../negatives.js";
import type { Rng } from "../prng.js";
import { paragraph, sentence } from "../prose.js";
import { FIRST_NAMES, JOB_TITLES, SUBJECTS } from "../words.js";
import { company, fullName, ONE_LINE, PROSE } from "./common.js";

export function email(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const from = fullName(rng);
  b.text(`From: ${rng.chance(0.5) ? `"${from}"` : from} <`).entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")).text(">\n");
  b.text("To: ").entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS"));
  if (rng.chance(0.3)) b.text(", ").entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS"));
  b.text("\nDate: ").negative("timestamp", generateTimestamp(rng, "rfc2822")).text("\n");
  b.text(`Subject: ${rng.pick(SUBJECTS)}\n`);
  if (rng.chance(0.3)) b.text("X-Originating-IP: [").entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")).text("]\n");
  b.text(`\n${rng.pick(["Hi", "Hello", "Dear", "Hey"])} ${rng.pick(FIRST_NAMES)},\n\n`);
  const paragraphs = rng.int(1, 3);
  for (let i = 0; i < paragraphs; i++) {
    paragraph(b, rng, rng.int(2, 5), PROSE);
    b.text("\n\n");
  }
  b.text(`${rng.pick(["Best regards,", "Thanks,", "Cheers,", "Kind regards,", "Mit freundlichen Grüßen,"])}\n${from}\n`);
  if (rng.chance(0.7)) b.text(`${rng.pick(JOB_TITLES)}, ${company(rng)}\n`);
  if (rng.chance(0.5)) b.entity("STREET_ADDRESS", entityValue(rng, "STREET_ADDRESS")).text("\n");
  if (rng.chance(0.7)) b.text(rng.pick(["Tel: ", "Phone: ", "T: ", "Direct: "])).entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER"));
  if (rng.chance(0.4)) b.text(rng.pick([" | Mobile: ", " | M: ", "\nMobile: "])).entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER"));
  b.text("\n");
  if (rng.chance(0.35)) {
    // A quoted earlier message, as replies carry.
    b.text(`\nOn `).negative("date", generateDate(rng)).text(`, ${fullName(rng)} <`);
    b.entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")).text("> wrote:\n");
    const quoted = rng.int(1, 4);
    for (let i = 0; i < quoted; i++) {
      b.text("> ");
      sentence(b, rng, ONE_LINE);
      b.text("\n");
    }
  }
  return b;
}

export function supportTicket(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  b.text(`=== Ticket #${rng.int(10000, 999999)} ===\n`);
  b.text(`Status: ${rng.pick(["Open", "Pending", "Escalated", "Solved"])}   Priority: ${rng.pick(["Low", "Normal", "High", "Urgent"])}   Channel: ${rng.pick(["Web", "Email", "Phone", "Chat"])}\n`);
  b.text("Created: ").negative("timestamp", generateTimestamp(rng, rng.pick(["iso-space", "iso-z", "iso-offset"]))).text("\n");
  b.text(`Customer: ${fullName(rng)} <`).entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")).text(">\n");
  if (rng.chance(0.7)) b.text("Phone: ").entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER")).text("\n");
  if (rng.chance(0.5)) b.text("Account: ").negative("uuid", negativeValue(rng, "uuid")).text("\n");
  if (rng.chance(0.3)) b.text("Related order: ").negative("order_number", negativeValue(rng, "order_number")).text("\n");
  b.text(`Subject: ${rng.pick(SUBJECTS)}\n\nDescription:\n`);
  paragraph(b, rng, rng.int(3, 7), PROSE);
  b.text(`\n\n--- Agent notes (${fullName(rng)}, `).negative("timestamp", generateTimestamp(rng, "iso-space")).text(") ---\n");
  paragraph(b, rng, rng.int(1, 4), PROSE);
  if (rng.chance(0.35)) {
    b.text("\nIdentity verified: ");
    writeEntity(b, rng, "PASSPORT", PROSE);
    if (rng.chance(0.5)) {
      b.text(rng.pick([", DOB ", ", born "])).negative("date", generateDate(rng));
    }
  }
  if (rng.chance(0.3)) {
    b.text("\nCustomer's ");
    writeEntity(b, rng, "US_SSN", PROSE);
    b.text(" (last check ").negative("date", generateDate(rng)).text(")");
  }
  b.text("\n");
  return b;
}
