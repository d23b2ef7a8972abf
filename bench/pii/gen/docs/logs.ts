/** Server logs: nginx access lines, syslog, and JSON-lines application logs. */
import { DocBuilder, type Generated } from "../builder.js";
import { entity, negative, writeJson, type JsonNode } from "../json-writer.js";
import { entityValue, negativeValue } from "../mentions.js";
import { generateDate, generateTimestamp, generateVersion } from "../negatives.js";
import type { Rng } from "../prng.js";
import { HOSTNAMES, URL_PATHS, USER_AGENTS_PREFIX } from "../words.js";
import { ONE_LINE, ssnField } from "./common.js";

/** A user agent prefix and the version that follows it, in the shape that product uses. */
function userAgent(rng: Rng): { prefix: string; version: Generated } {
  const prefix = rng.pick(USER_AGENTS_PREFIX);
  if (prefix.endsWith("Chrome/")) {
    return { prefix, version: { value: `${rng.int(100, 130)}.0.${rng.int(5000, 6800)}.${rng.int(0, 250)}`, variant: "ua-chrome" } };
  }
  if (prefix.endsWith("Firefox/")) return { prefix, version: { value: `${rng.int(100, 130)}.0`, variant: "ua-firefox" } };
  if (prefix.endsWith("Version/")) return { prefix, version: { value: `${rng.int(14, 18)}.${rng.int(0, 6)}`, variant: "ua-safari" } };
  return { prefix, version: { value: `${rng.int(1, 8)}.${rng.int(0, 30)}.${rng.int(0, 12)}`, variant: "ua-semver" } };
}

export function nginxLog(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const lines = rng.int(8, 25);
  for (let i = 0; i < lines; i++) {
    b.entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS"));
    b.text(` - ${rng.chance(0.2) ? rng.pick(["admin", "deploy", "-"]) : "-"} [`).negative("timestamp", generateTimestamp(rng, "nginx")).text("] \"");
    b.text(`${rng.pick(["GET", "GET", "POST", "PUT", "DELETE"])} `);
    const route = rng.weighted([["plain", 4], ["uuid", 2], ["order", 1], ["invoice", 1], ["email", 1]] as const);
    if (route === "plain") b.text(rng.pick(URL_PATHS));
    else if (route === "uuid") b.text("/api/v2/users/").negative("uuid", negativeValue(rng, "uuid"));
    else if (route === "order") b.text("/api/v1/orders/").negative("order_number", { value: String(rng.int(1000000, 9999999999)), variant: "url-digits" });
    else if (route === "invoice") b.text("/api/v1/invoices?number=").negative("invoice_number", negativeValue(rng, "invoice_number"));
    else b.text("/api/v2/search?email=").entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS"));
    b.text(` HTTP/${rng.pick(["1.1", "1.1", "2.0"])}" ${rng.pick([200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502])} ${rng.int(0, 250000)} "`);
    b.text(rng.chance(0.5) ? "-" : `https://${rng.pick(["shop", "www", "app"])}.${rng.pick(["northwind", "globex", "acme"])}.io/`);
    const ua = userAgent(rng);
    b.text('" "').text(ua.prefix).negative("version", ua.version).text('"');
    if (rng.chance(0.2)) b.text(' "').entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")).text('"');
    b.text(` rt=${(rng.int(1, 5000) / 1000).toFixed(3)}\n`);
  }
  return b;
}

export function syslog(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const host = rng.pick(HOSTNAMES);
  const lines = rng.int(8, 22);
  for (let i = 0; i < lines; i++) {
    b.negative("timestamp", generateTimestamp(rng, "syslog")).text(` ${host} `);
    const pid = rng.int(100, 65000);
    const line = rng.int(0, 9);
    switch (line) {
      case 0:
        b.text(`sshd[${pid}]: Accepted publickey for ${rng.pick(["deploy", "root", "ubuntu", "git"])} from `).entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS"));
        b.text(` port ${rng.int(1024, 65535)} ssh2: ED25519 SHA256:${rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43)}`);
        break;
      case 1:
        b.text(`sshd[${pid}]: Failed password for invalid user ${rng.pick(["admin", "test", "oracle", "pi"])} from `).entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS"));
        b.text(` port ${rng.int(1024, 65535)} ssh2`);
        break;
      case 2:
        b.text(`postfix/smtpd[${pid}]: connect from unknown[`).entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")).text("]");
        break;
      case 3:
        b.text(`postfix/qmgr[${pid}]: ${rng.chars("0123456789ABCDEF", 10)}: from=<`).entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS"));
        b.text(`>, size=${rng.int(500, 90000)}, nrcpt=${rng.int(1, 4)} (queue active)`);
        break;
      case 4:
        b.text(`snmpd[${pid}]: Received SNMP packet from `).entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS"));
        b.text(", get OID ").negative("snmp_oid", negativeValue(rng, "snmp_oid"));
        break;
      case 5:
        b.text(`kernel: [${rng.int(1, 999999)}.${rng.digits(6)}] ${rng.pick(["eth0", "ens3", "wlan0"])}: link up, ${rng.pick([100, 1000, 10000])} Mbps full duplex`);
        break;
      case 6:
        b.text(`dhclient[${pid}]: DHCPACK of `).entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")).text(" from ").entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS"));
        break;
      case 7:
        b.text(`CRON[${pid}]: (root) CMD (/usr/local/bin/backup.sh --since `).negative("epoch", negativeValue(rng, "epoch")).text(")");
        break;
      case 8:
        b.text(`systemd[1]: Started ${rng.pick(["nginx", "postgresql", "redis-server", "node-exporter"])} `).negative("version", generateVersion(rng, { ipLike: false })).text(".");
        break;
      default:
        b.text(`app[${pid}]: user `).entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")).text(" changed phone to ");
        b.entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER"));
    }
    b.text("\n");
  }
  return b;
}

export function appJsonLog(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const lines = rng.int(5, 14);
  for (let i = 0; i < lines; i++) {
    const ts: JsonNode = rng.chance(0.7)
      ? negative("timestamp", generateTimestamp(rng, rng.pick(["iso-z", "iso-micro", "iso-offset"])))
      : negative("epoch", negativeValue(rng, "epoch"), true);
    const key = rng.chance(0.5) ? "ts" : "time";
    const level = rng.pick(["info", "info", "debug", "warn", "error"]);
    const events: (() => JsonNode)[] = [
      () => ({ msg: "user signed in", user: { id: negative("uuid", negativeValue(rng, "uuid")), email: entity("EMAIL_ADDRESS", entityValue(rng, "EMAIL_ADDRESS")) }, ip: entity("IP_ADDRESS", entityValue(rng, "IP_ADDRESS")), client_version: negative("version", generateVersion(rng)) }),
      () => ({ msg: "payment declined", order: negative("order_number", negativeValue(rng, "order_number")), amount: negative("price", negativeValue(rng, "price")), card: entity("CREDIT_CARD", entityValue(rng, "CREDIT_CARD")), reason: "insufficient_funds" }),
      () => ({ msg: "profile updated", changes: { phone: entity("PHONE_NUMBER", entityValue(rng, "PHONE_NUMBER")), address: entity("STREET_ADDRESS", entityValue(rng, "STREET_ADDRESS", ONE_LINE)) }, request_id: negative("uuid", negativeValue(rng, "uuid")) }),
      () => ({ msg: "kyc check", passport_number: entity("PASSPORT", entityValue(rng, "PASSPORT", ONE_LINE)), ssn: ssnField(rng, 0.25), result: rng.pick(["pass", "review", "fail"]) }),
      () => ({ msg: "http request", method: "GET", path: "/api/v1/invoices", invoice: negative("invoice_number", negativeValue(rng, "invoice_number")), status: 200, duration_ms: rng.int(1, 900) / 10, trace_id: rng.hex(32) }),
      () => ({ msg: "device registered", imei: negative("imei", negativeValue(rng, "imei")), firmware: negative("version", generateVersion(rng)), oid: negative("snmp_oid", negativeValue(rng, "snmp_oid")) }),
      () => ({ msg: "upload complete", sha256: negative("hex_hash", { value: rng.hex(64), variant: "sha256" }), bytes: rng.int(100, 9_000_000) }),
      () => ({ msg: "card token refreshed", reference: negative("luhn_invalid_16", negativeValue(rng, "luhn_invalid_16")), expires: negative("date", generateDate(rng)) }),
      () => ({ msg: "shipping quote", postcode: negative("postcode", negativeValue(rng, "postcode")), price: negative("price", negativeValue(rng, "price")), isbn: negative("isbn", negativeValue(rng, "isbn")) }),
    ];
    const event = rng.pick(events)() as { [key: string]: JsonNode };
    writeJson(b, { [key]: ts, level, ...event, service: rng.pick(["api", "billing", "auth", "worker"]) }, 0);
    b.text("\n");
  }
  return b;
}
