/**
 * One adapter per system under test, each returning findings as `{ type, start, end }` in our
 * (Presidio's) entity names. Peers run with their defaults, as a user installing them would.
 *
 * How spans are obtained, per system:
 * - mcp-bastion: `createPiiEngine().detect(text)` (all seven types, default threshold).
 * - openredaction: `new OpenRedaction().detect(text)` reports `position: [start, end]` per
 *   detection; we map its pattern names onto ours and check every position slices to its value.
 * - redact-pii and @redactpii/node only return redacted text. Both apply their rules one after
 *   another as `text.replace(regex, placeholder)`. We read the rules from a real instance (the
 *   library's own compiled regexes and placeholders, in its own order), replay that chain while
 *   tracking where every character came from (regex-chain.ts), and take each placeholder left in
 *   the output as a finding. The replay's output is compared with the library's real `redact()`
 *   output for every document; the run reports how many were byte-identical (fidelity).
 * Categories a peer has but we do not score (names, ZIP codes, URLs, "digits", order numbers...)
 * are dropped: they neither count as true nor false positives nor as hard-negative flags.
 */
import { Redactor as RedactPiiNodeRedactor } from "@redactpii/node";
import { OpenRedaction } from "openredaction";
import redactPii from "redact-pii";
import { createPiiEngine, ENTITY_TYPES, type EntityType } from "../../src/index.js";
import { nativeKernel, nativeLoad } from "../../src/pii/native.js";
import { runChain, type ChainStep, type Span } from "./regex-chain.js";

export type { Span } from "./regex-chain.js";

export interface Fidelity {
  /** Documents (or detections) checked against the library's own output. */
  checked: number;
  /** Of those, how many agreed exactly. */
  agreed: number;
  what: string;
}

/** An operation timed for throughput: what the library does when a user calls it. */
export interface TimedOperation {
  label: string;
  run(text: string): unknown;
  async: boolean;
}

export interface SystemAdapter {
  readonly name: string;
  readonly covers: readonly EntityType[];
  readonly method: string;
  findings(text: string): Span[] | Promise<Span[]>;
  readonly operations: readonly TimedOperation[];
  fidelity(): Fidelity | null;
}

export function bastionAdapter(): SystemAdapter {
  const engine = createPiiEngine();
  // The same engine on its TypeScript recognizers, timed beside the compiled kernel (when built).
  const typescript = createPiiEngine({ kernel: false });
  return {
    name: "mcp-bastion",
    covers: ENTITY_TYPES,
    method: `createPiiEngine().detect(text) (${nativeKernel === undefined ? `TypeScript engine: the kernel is ${nativeLoad.reason}` : "compiled kernel"})`,
    findings: (text) => engine.detect(text).map(({ type, start, end }) => ({ type, start, end })),
    operations: [
      { label: "detect", run: (text) => engine.detect(text), async: false },
      { label: "mask", run: (text) => engine.mask(text), async: false },
      ...(nativeKernel === undefined
        ? []
        : [{ label: "detect (TS engine)", run: (text: string) => typescript.detect(text), async: false as const }]),
    ],
    fidelity: () => null,
  };
}

function readProperty(target: object, key: string): unknown {
  return Reflect.get(target, key);
}

/** A chain-replay adapter: spans from the replay, with every replay checked against `redact`. */
function chainAdapter(
  name: string,
  covers: readonly EntityType[],
  method: string,
  steps: readonly ChainStep[],
  redact: (text: string) => string,
): SystemAdapter {
  let checked = 0;
  let agreed = 0;
  return {
    name,
    covers,
    method,
    findings(text) {
      const replay = runChain(text, steps);
      checked++;
      if (replay.output === redact(text)) agreed++;
      return replay.spans;
    },
    operations: [{ label: "redact", run: redact, async: false }],
    fidelity: () => ({ checked, agreed, what: "documents whose replayed redaction equals the library's redact() output" }),
  };
}

const REDACT_PII_TYPES: Record<string, EntityType> = {
  CREDIT_CARD_NUMBER: "CREDIT_CARD",
  STREET_ADDRESS: "STREET_ADDRESS",
  PHONE_NUMBER: "PHONE_NUMBER",
  IP_ADDRESS: "IP_ADDRESS",
  US_SOCIAL_SECURITY_NUMBER: "US_SSN",
  EMAIL_ADDRESS: "EMAIL_ADDRESS",
};

export function redactPiiAdapter(): SystemAdapter {
  const redactor = new redactPii.SyncRedactor();
  const children = readProperty(redactor, "childRedactors");
  if (!Array.isArray(children)) throw new Error("redact-pii: SyncRedactor has no childRedactors; adapter needs updating");
  const steps: ChainStep[] = children.map((child: unknown): ChainStep => {
    if (typeof child !== "object" || child === null) throw new Error("redact-pii: unexpected child redactor");
    const pattern = readProperty(child, "regexpMatcher");
    const replacement = readProperty(child, "replaceWith");
    if (pattern instanceof RegExp && typeof replacement === "string") {
      return { pattern, replacement, type: REDACT_PII_TYPES[replacement] ?? null };
    }
    const redact = readProperty(child, "redact");
    if (typeof redact !== "function") throw new Error("redact-pii: child redactor without redact()");
    // The name redactor is a function, not a regex; it runs last and names are not scored.
    return { apply: (text: string) => String(Reflect.apply(redact, child, [text])) };
  });
  const covers = [...new Set(Object.values(REDACT_PII_TYPES))];
  return chainAdapter(
    "redact-pii",
    covers,
    "replay of SyncRedactor's own rule chain (placeholders mapped back to spans), checked against redact()",
    steps,
    (text) => redactor.redact(text),
  );
}

// @redactpii/node's names for its rules, the placeholder each writes, and our entity name.
const REDACTPII_NODE_RULES: Record<string, { replacement: string; type: EntityType | null }> = {
  CREDIT_CARD: { replacement: "CREDIT_CARD_NUMBER", type: "CREDIT_CARD" },
  EMAIL: { replacement: "EMAIL_ADDRESS", type: "EMAIL_ADDRESS" },
  PERSON_NAME: { replacement: "PERSON_NAME", type: null },
  PHONE_NUMBER: { replacement: "PHONE_NUMBER", type: "PHONE_NUMBER" },
  US_SOCIAL_SECURITY_NUMBER: { replacement: "US_SOCIAL_SECURITY_NUMBER", type: "US_SSN" },
};

export function redactPiiNodeAdapter(): SystemAdapter {
  const redactor = new RedactPiiNodeRedactor();
  const rules = readProperty(redactor, "activeRules");
  if (!Array.isArray(rules)) throw new Error("@redactpii/node: Redactor has no activeRules; adapter needs updating");
  const steps: ChainStep[] = rules.map((rule: unknown): ChainStep => {
    if (typeof rule !== "object" || rule === null) throw new Error("@redactpii/node: unexpected rule");
    const pattern = readProperty(rule, "pattern");
    const name = readProperty(rule, "name");
    const known = typeof name === "string" ? REDACTPII_NODE_RULES[name] : undefined;
    if (!(pattern instanceof RegExp) || known === undefined) throw new Error(`@redactpii/node: unknown rule ${String(name)}`);
    return { pattern, replacement: known.replacement, type: known.type };
  });
  const covers = Object.values(REDACTPII_NODE_RULES).flatMap((r) => (r.type === null ? [] : [r.type]));
  return chainAdapter(
    "@redactpii/node",
    covers,
    "replay of Redactor's own active rules (placeholders mapped back to spans), checked against redact()",
    steps,
    (text) => redactor.redact(text),
  );
}

const OPENREDACTION_TYPES: Record<string, EntityType> = {
  EMAIL: "EMAIL_ADDRESS",
  PHONE_US: "PHONE_NUMBER",
  PHONE_UK: "PHONE_NUMBER",
  PHONE_UK_MOBILE: "PHONE_NUMBER",
  PHONE_INTERNATIONAL: "PHONE_NUMBER",
  SSN: "US_SSN",
  CREDIT_CARD: "CREDIT_CARD",
  IPV4: "IP_ADDRESS",
  IPV6: "IP_ADDRESS",
  ADDRESS_STREET: "STREET_ADDRESS",
  ADDRESS_PO_BOX: "STREET_ADDRESS",
  PASSPORT_US: "PASSPORT",
  PASSPORT_UK: "PASSPORT",
  PASSPORT_MRZ_TD3: "PASSPORT",
  PASSPORT_MRZ_TD1: "PASSPORT",
};

/** openredaction's pattern name -> ours; other countries' passports count as passports too. */
export function openRedactionType(name: string): EntityType | null {
  return OPENREDACTION_TYPES[name] ?? (name.endsWith("_PASSPORT") ? "PASSPORT" : null);
}

export function openRedactionAdapter(): SystemAdapter {
  const redactor = new OpenRedaction();
  let checked = 0;
  let agreed = 0;
  return {
    name: "openredaction",
    covers: ENTITY_TYPES,
    method: "new OpenRedaction().detect(text): detections[].position, pattern names mapped to ours",
    async findings(text) {
      const result = await redactor.detect(text);
      const spans: Span[] = [];
      for (const detection of result.detections) {
        const [start, end] = detection.position;
        checked++;
        if (text.slice(start, end) === detection.value) agreed++;
        const type = openRedactionType(detection.type);
        if (type !== null) spans.push({ type, start, end });
      }
      return spans;
    },
    operations: [{ label: "detect", run: (text) => redactor.detect(text), async: true }],
    fidelity: () => ({ checked, agreed, what: "detections whose position slices to the reported value" }),
  };
}

export function allAdapters(): SystemAdapter[] {
  return [bastionAdapter(), redactPiiAdapter(), redactPiiNodeAdapter(), openRedactionAdapter()];
}
