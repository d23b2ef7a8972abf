/**
 * The patterns a mapping rule may use for each kind of name, and how each matches a value taken
 * from a certificate. Deliberately small:
 *
 *   cn, o, ou    exact, case-sensitive ("alice", "Acme Corp")
 *   dns          exact ("api.acme.test") or one left-most label ("*.acme.test" matches
 *                "a.acme.test", not "acme.test" nor "a.b.acme.test"); case-insensitive
 *   email        exact ("bob@acme.test") or any local part at one domain ("*@acme.test");
 *                the domain is case-insensitive, the local part is not
 *   uri          exact ("spiffe://acme.test/ns/prod/sa/alice") or everything below a path
 *                ("spiffe://acme.test/ns/prod/*": one or more further segments, none of them
 *                empty, ".", "..", or percent-encoded)
 *
 * Certificate values that are not well-formed names of their kind (control characters, a NUL,
 * a wildcard in a DNS SAN, spaces) match nothing: a certificate gets no benefit of the doubt.
 */

export type NameKind = "cn" | "o" | "ou" | "dns" | "email" | "uri";

export type NamePattern =
  | { readonly kind: "exact"; readonly value: string }
  | { readonly kind: "dns-label"; readonly suffix: string }
  | { readonly kind: "email-domain"; readonly domain: string }
  | { readonly kind: "uri-below"; readonly prefix: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PRINTABLE_ASCII = /^[\u0021-\u007e]+$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]{1,64}$/;

export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.toLowerCase().split(".").every((label) => LABEL.test(label));
}

function isEmail(value: string): boolean {
  const at = value.lastIndexOf("@");
  if (at <= 0 || value.indexOf("@") !== at) return false;
  return EMAIL_LOCAL.test(value.slice(0, at)) && isHostname(value.slice(at + 1));
}

function isCleanUriTail(tail: string): boolean {
  if (tail.length === 0 || !PRINTABLE_ASCII.test(tail)) return false;
  if (/[%?#\\]/.test(tail)) return false;
  return tail.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Parses a configured pattern; returns an error text when it is not one. */
export function parsePattern(kind: NameKind, text: string): NamePattern | { error: string } {
  if (text.length === 0) return { error: "an empty name" };
  if (CONTROL.test(text)) return { error: "a name with control characters" };
  switch (kind) {
    case "cn":
    case "o":
    case "ou":
      if (text.includes("*")) return { error: `an exact ${kind.toUpperCase()} value (wildcards are not supported for ${kind})` };
      return { kind: "exact", value: text };
    case "dns": {
      const lower = text.toLowerCase();
      if (lower.startsWith("*.")) {
        const suffix = lower.slice(2);
        if (!isHostname(suffix) || !suffix.includes(".")) return { error: 'a DNS name or "*." followed by a DNS name of two or more labels' };
        return { kind: "dns-label", suffix };
      }
      if (!isHostname(lower)) return { error: 'a DNS name ("api.acme.test") or "*.acme.test"' };
      return { kind: "exact", value: lower };
    }
    case "email": {
      if (text.startsWith("*@")) {
        const domain = text.slice(2).toLowerCase();
        if (!isHostname(domain)) return { error: 'an email address or "*@domain"' };
        return { kind: "email-domain", domain };
      }
      if (!isEmail(text)) return { error: 'an email address ("bob@acme.test") or "*@acme.test"' };
      const at = text.lastIndexOf("@");
      return { kind: "exact", value: `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` };
    }
    case "uri": {
      if (!PRINTABLE_ASCII.test(text) || !/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.test(text)) {
        return { error: 'an absolute URI such as "spiffe://acme.test/ns/prod/sa/alice" (no spaces)' };
      }
      if (text.endsWith("/*")) {
        const prefix = text.slice(0, -1);
        if (prefix.includes("*")) return { error: 'a URI with at most one "*", as its last path segment ("spiffe://acme.test/ns/prod/*")' };
        return { kind: "uri-below", prefix };
      }
      if (text.includes("*")) return { error: 'a URI with "*" only as its whole last path segment' };
      return { kind: "exact", value: text };
    }
  }
}

/** Whether a value from a certificate matches a pattern of that kind. */
export function matchesPattern(kind: NameKind, pattern: NamePattern, value: string): boolean {
  if (CONTROL.test(value)) return false;
  switch (kind) {
    case "cn":
    case "o":
    case "ou":
      return pattern.kind === "exact" && pattern.value === value;
    case "dns": {
      const lower = value.toLowerCase();
      if (!isHostname(lower)) return false;
      if (pattern.kind === "exact") return pattern.value === lower;
      if (pattern.kind !== "dns-label") return false;
      const dot = lower.indexOf(".");
      return dot > 0 && lower.slice(dot + 1) === pattern.suffix;
    }
    case "email": {
      if (!isEmail(value)) return false;
      const at = value.lastIndexOf("@");
      const normal = `${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`;
      if (pattern.kind === "exact") return pattern.value === normal;
      return pattern.kind === "email-domain" && value.slice(at + 1).toLowerCase() === pattern.domain;
    }
    case "uri": {
      if (!PRINTABLE_ASCII.test(value)) return false;
      if (pattern.kind === "exact") return pattern.value === value;
      return pattern.kind === "uri-below" && value.startsWith(pattern.prefix) && isCleanUriTail(value.slice(pattern.prefix.length));
    }
  }
}
