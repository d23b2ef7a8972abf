import { phoneNumberingPlans } from "../recognizers/phone-metadata.js";

/**
 * libphonenumber-js's numbering plans, as phone-metadata.ts reads them, for the kernel's
 * configure("phone-metadata") (native/pii/src/recognizers/phone_metadata.rs). One line each,
 * fields separated by tabs, "-" for none:
 *   code <calling code>                                 then that code's plans, main country first
 *   plan <country> <national prefix> <leading digits> <national pattern> <has types 0|1>
 *   type <name> <possible lengths, comma-separated; "*" when none are listed, "-" for an empty list> <pattern>
 */
export function phoneMetadataPlans(): string {
  const lines: string[] = ["phone-metadata 1"];
  for (const [callingCode, plans] of phoneNumberingPlans()) {
    lines.push(`code\t${field(callingCode)}`);
    for (const plan of plans) {
      lines.push(
        ["plan", plan.country, plan.nationalPrefix ?? "-", plan.leadingDigits ?? "-", plan.nationalSource, plan.types ? "1" : "0"]
          .map(field)
          .join("\t"),
      );
      for (const type of plan.types ?? []) {
        lines.push(["type", type.name, type.lengths === undefined ? "*" : type.lengths.join(",") || "-", type.source].map(field).join("\t"));
      }
    }
  }
  lines.push("end");
  return lines.join("\n");
}

/** A field as written: anything that would break the line format fails here (fail closed). */
function field(value: string | number): string {
  const text = String(value);
  if (text === "" || /[\t\n\r]/.test(text)) throw new Error(`phone-metadata: a field the line format cannot hold: ${JSON.stringify(text)}`);
  return text;
}
