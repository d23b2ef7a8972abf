/**
 * The PII settings of one request: config defaults, changed by the headers
 * `X-Mask-PII-Before-LLM` and `X-Mask-PII-In-Logs`. A header may always turn masking on;
 * turning it off (opting out) needs both the config's permission and the caller's.
 */

export const BEFORE_LLM_HEADER = "x-mask-pii-before-llm";
export const IN_LOGS_HEADER = "x-mask-pii-in-logs";

export interface PiiDefaults {
  /** Mask what flows toward the model (`pii.beforeLlm`, env MASK_PII_BEFORE_LLM). */
  beforeLlm: boolean;
  /** Mask the gateway's logs and audit events (`pii.inLogs`, env MASK_PII_IN_LOGS). */
  inLogs: boolean;
  /** Config lets callers turn masking off with a header. */
  allowOptOut: boolean;
}

export interface PiiAccess {
  /**
   * Whether this caller may opt out. Issue 4 computes it from the principal (permission
   * `pii:unmask`); until authentication exists the caller passes true and the config decides.
   */
  mayOptOut: boolean;
}

export interface PiiPolicy {
  beforeLlm: boolean;
  inLogs: boolean;
}

export interface PiiPolicyRefusal {
  /** 400: the header's value is not one of 1/0/true/false. 403: an opt-out that is not allowed. */
  status: 400 | 403;
  code: "PII_HEADER_INVALID" | "PII_OPT_OUT_FORBIDDEN";
  /** The header at fault (lower case). */
  header: string;
  message: string;
}

export type PiiPolicyDecision = PiiPolicy | { refused: PiiPolicyRefusal };

/** Node's IncomingHttpHeaders (lower-case names) or a WHATWG Headers. */
export type HeaderSource =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

function readHeader(headers: HeaderSource, name: string): string | readonly string[] | undefined {
  if (typeof headers.get === "function") {
    const value = (headers as { get(name: string): string | null }).get(name);
    return value === null ? undefined : value;
  }
  return (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
}

type Parsed = { value: boolean | undefined } | { invalid: string };

/**
 * 1/0/true/false in any case; absent means "no change". Anything else, including an empty or a
 * repeated header ("1, 0"), is refused: guessing what an ambiguous value meant could switch
 * masking off.
 */
function parseSwitch(raw: string | readonly string[] | undefined): Parsed {
  if (raw === undefined) return { value: undefined };
  if (typeof raw !== "string") {
    return raw.length === 1 ? parseSwitch(raw[0]) : { invalid: `${raw.length} values` };
  }
  switch (raw.trim().toLowerCase()) {
    case "1":
    case "true":
      return { value: true };
    case "0":
    case "false":
      return { value: false };
    default:
      return { invalid: JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw) };
  }
}

function display(header: string): string {
  return header === BEFORE_LLM_HEADER ? "X-Mask-PII-Before-LLM" : "X-Mask-PII-In-Logs";
}

export function resolvePiiPolicy(defaults: PiiDefaults, headers: HeaderSource, access: PiiAccess): PiiPolicyDecision {
  const mayOptOut = defaults.allowOptOut && access.mayOptOut === true;
  const result: PiiPolicy = { beforeLlm: defaults.beforeLlm, inLogs: defaults.inLogs };
  for (const [header, key] of [
    [BEFORE_LLM_HEADER, "beforeLlm"],
    [IN_LOGS_HEADER, "inLogs"],
  ] as const) {
    const parsed = parseSwitch(readHeader(headers, header));
    if ("invalid" in parsed) {
      return {
        refused: {
          status: 400,
          code: "PII_HEADER_INVALID",
          header,
          message: `${display(header)} must be 1, 0, true or false (got ${parsed.invalid})`,
        },
      };
    }
    if (parsed.value === undefined || parsed.value === result[key]) continue;
    if (parsed.value === false && !mayOptOut) {
      return {
        refused: {
          status: 403,
          code: "PII_OPT_OUT_FORBIDDEN",
          header,
          message: `${display(header)}: turning PII masking off is not allowed ${
            defaults.allowOptOut ? "for this caller" : "by this gateway's configuration"
          }`,
        },
      };
    }
    result[key] = parsed.value;
  }
  return result;
}
