/** CSV exports (comma or semicolon separated), one labelled value per cell. */
import { DocBuilder } from "../builder.js";
import { entityValue, negativeValue } from "../mentions.js";
import { generateVersion } from "../negatives.js";
import type { Rng } from "../prng.js";
import { generateSsn } from "../ssn.js";
import { PRODUCTS } from "../words.js";
import { fullName, ONE_LINE } from "./common.js";

interface CsvColumn {
  header: string;
  cell: (b: DocBuilder, rng: Rng) => void;
}

function plain(value: () => string): (b: DocBuilder, rng: Rng) => void {
  return (b) => b.text(value());
}

export function csv(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const separator = rng.chance(0.25) ? ";" : ",";
  const cellEntity = (type: Parameters<typeof entityValue>[1]) => (w: DocBuilder, r: Rng) => {
    const generated = type === "US_SSN" ? generateSsnInCsv(r) : entityValue(r, type, ONE_LINE);
    const quote = generated.value.includes(separator) || (generated.value.includes(" ") && r.chance(0.3));
    if (quote) w.text('"');
    w.entity(type, generated);
    if (quote) w.text('"');
  };
  const cellNegative = (kind: Parameters<typeof negativeValue>[1]) => (w: DocBuilder, r: Rng) => {
    const generated = negativeValue(r, kind);
    const quote = generated.value.includes(separator);
    if (quote) w.text('"');
    w.negative(kind, generated);
    if (quote) w.text('"');
  };
  const tables: CsvColumn[][] = [
    [
      { header: "id", cell: plain(() => String(rng.int(1, 99999))) },
      { header: "name", cell: plain(() => fullName(rng)) },
      { header: "email", cell: cellEntity("EMAIL_ADDRESS") },
      { header: "phone", cell: cellEntity("PHONE_NUMBER") },
      { header: "address", cell: cellEntity("STREET_ADDRESS") },
      { header: "signup_date", cell: cellNegative("date") },
    ],
    [
      { header: "txn_id", cell: plain(() => `txn_${rng.hex(10)}`) },
      { header: "timestamp", cell: cellNegative("timestamp") },
      { header: "card_number", cell: cellEntity("CREDIT_CARD") },
      { header: "amount", cell: cellNegative("price") },
      { header: "order_id", cell: cellNegative("order_number") },
      { header: "client_ip", cell: cellEntity("IP_ADDRESS") },
    ],
    [
      { header: "emp_id", cell: plain(() => `E${rng.digits(5)}`) },
      { header: "full_name", cell: plain(() => fullName(rng)) },
      { header: "ssn", cell: (w, r) => (r.chance(0.1) ? cellNegative("invalid_ssn")(w, r) : cellEntity("US_SSN")(w, r)) },
      { header: "hire_date", cell: cellNegative("date") },
      { header: "work_email", cell: cellEntity("EMAIL_ADDRESS") },
      { header: "zip", cell: cellNegative("postcode") },
    ],
    [
      { header: "imei", cell: cellNegative("imei") },
      { header: "ip_address", cell: cellEntity("IP_ADDRESS") },
      { header: "firmware", cell: (w, r) => w.negative("version", generateVersion(r, { ipLike: false })) },
      { header: "last_seen_epoch", cell: cellNegative("epoch") },
      { header: "config_md5", cell: (w, r) => w.negative("hex_hash", { value: r.hex(32), variant: "md5" }) },
      { header: "asset_uuid", cell: cellNegative("uuid") },
    ],
    [
      { header: "invoice", cell: cellNegative("invoice_number") },
      { header: "isbn", cell: cellNegative("isbn") },
      { header: "title", cell: plain(() => rng.pick(PRODUCTS)) },
      { header: "price", cell: cellNegative("price") },
      { header: "ship_to", cell: cellEntity("STREET_ADDRESS") },
      { header: "contact_phone", cell: cellEntity("PHONE_NUMBER") },
    ],
  ];
  const columns = rng.pick(tables);
  b.text(columns.map((c) => c.header).join(separator) + "\n");
  const rows = rng.int(5, 25);
  for (let row = 0; row < rows; row++) {
    columns.forEach((column, i) => {
      if (i > 0) b.text(separator);
      column.cell(b, rng);
    });
    b.text("\n");
  }
  return b;
}

/** CSV exports write SSNs with separators; a bare nine digits has no context word nearby there. */
function generateSsnInCsv(rng: Rng) {
  for (;;) {
    const ssn = generateSsn(rng);
    if (ssn.format !== "none") return ssn;
  }
}
