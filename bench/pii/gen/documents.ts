/** One template per document kind; each mixes entities, hard negatives and filler. */
import type { CorpusDoc, DocBuilder, DocKind } from "./builder.js";
import { chat } from "./docs/chat.js";
import { csv } from "./docs/csv.js";
import { appJsonLog, nginxLog, syslog } from "./docs/logs.js";
import { email, supportTicket } from "./docs/mail.js";
import { jsonToolResult } from "./docs/tool-result.js";
import type { Rng } from "./prng.js";

const TEMPLATES: Record<DocKind, (rng: Rng) => DocBuilder> = {
  email,
  support_ticket: supportTicket,
  nginx_log: nginxLog,
  syslog,
  app_json_log: appJsonLog,
  json_tool_result: jsonToolResult,
  csv,
  chat,
};

export function generateDocument(rng: Rng, kind: DocKind): CorpusDoc {
  return TEMPLATES[kind](rng).build(kind);
}
