/**
 * Certificate -> principal name and roles, by the configured rules: the first rule whose every
 * matcher matches wins; a certificate no rule matches gets nothing (the authenticator refuses it).
 *
 * A matcher on a field matches when some value of that field in the certificate matches some of
 * its patterns (name-patterns.ts). A subject attribute that cannot be decoded makes every rule
 * that looks at that attribute fail for this certificate: what we cannot read, we do not trust.
 */
import { hasUndecodable, OID, valuesOf, type CertificateFields, type DistinguishedName } from "./certificate-fields.js";
import type { MappingRule } from "./config.js";
import { matchesPattern, parsePattern, type NameKind, type NamePattern } from "./name-patterns.js";

type SubjectKind = "cn" | "o" | "ou";
type SanKind = "dns" | "email" | "uri";

const SUBJECT_OID: Record<SubjectKind, string> = { cn: OID.commonName, o: OID.organizationName, ou: OID.organizationalUnitName };
const SAN_KINDS: readonly SanKind[] = ["dns", "email", "uri"];
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PLACEHOLDER = /\{(cn|dns|email|uri)\}/g;

interface CompiledRule {
  readonly rule: MappingRule;
  readonly id: string;
  readonly subject: ReadonlyArray<[SubjectKind, readonly NamePattern[]]>;
  readonly san: ReadonlyArray<[SanKind, readonly NamePattern[]]>;
  readonly issuer: ReadonlyArray<[SubjectKind, readonly NamePattern[]]>;
}

export interface CertificateMapping {
  readonly rule: MappingRule;
  /** The rule's id, or "#<index>" (0-based) when it has none. */
  readonly ruleId: string;
  readonly name: string;
}

function compilePatterns(kind: NameKind, values: readonly string[], where: string): NamePattern[] {
  return values.map((value) => {
    const parsed = parsePattern(kind, value);
    if ("error" in parsed) throw new Error(`mTLS mapping ${where}.${kind}: expected ${parsed.error}, got ${JSON.stringify(value)}`);
    return parsed;
  });
}

/** Checks and compiles the rules once; throws on a pattern the schema should have refused. */
export function compileRules(rules: readonly MappingRule[]): readonly CompiledRule[] {
  return rules.map((rule, index) => {
    const where = `rules[${index}].match`;
    const subject: [SubjectKind, NamePattern[]][] = [];
    const san: [SanKind, NamePattern[]][] = [];
    const issuer: [SubjectKind, NamePattern[]][] = [];
    for (const kind of ["cn", "o", "ou"] as const) {
      const values = rule.match[kind];
      if (values !== undefined) subject.push([kind, compilePatterns(kind, values, where)]);
      const issuerValues = rule.match.issuer?.[kind];
      if (issuerValues !== undefined) issuer.push([kind, compilePatterns(kind, issuerValues, `${where}.issuer`)]);
    }
    for (const kind of SAN_KINDS) {
      const values = rule.match[kind];
      if (values !== undefined) san.push([kind, compilePatterns(kind, values, where)]);
    }
    if (subject.length + san.length === 0) throw new Error(`mTLS mapping ${where}: at least one of cn, o, ou, dns, email, uri`);
    return { rule, id: rule.id ?? `#${index}`, subject, san, issuer };
  });
}

function nameMatches(name: DistinguishedName, matchers: CompiledRule["subject"]): boolean {
  for (const [kind, patterns] of matchers) {
    const oid = SUBJECT_OID[kind];
    if (hasUndecodable(name, oid)) return false;
    const values = valuesOf(name, oid);
    if (!values.some((value) => patterns.some((pattern) => matchesPattern(kind, pattern, value)))) return false;
  }
  return true;
}

/** For each SAN matcher, the first certificate value it matched; undefined when one matched nothing. */
function sanMatches(fields: CertificateFields, matchers: CompiledRule["san"]): Partial<Record<SanKind, string>> | undefined {
  const matched: Partial<Record<SanKind, string>> = {};
  for (const [kind, patterns] of matchers) {
    const value = fields.subjectAltNames[kind].find((candidate) => patterns.some((pattern) => matchesPattern(kind, pattern, candidate)));
    if (value === undefined) return undefined;
    matched[kind] = value;
  }
  return matched;
}

/** The single clean value of a field, or undefined when there are none or several. */
function single(values: readonly string[]): string | undefined {
  return values.length === 1 && !CONTROL.test(values[0]!) ? values[0] : undefined;
}

function resolveName(template: string, fields: CertificateFields, matched: Partial<Record<SanKind, string>>): string | undefined {
  let unresolved = false;
  const name = template.replace(PLACEHOLDER, (_whole, key: string) => {
    let value: string | undefined;
    if (key === "cn") value = hasUndecodable(fields.subject, OID.commonName) ? undefined : single(valuesOf(fields.subject, OID.commonName));
    else value = matched[key as SanKind] ?? single(fields.subjectAltNames[key as SanKind]);
    if (value === undefined || value === "") unresolved = true;
    return value ?? "";
  });
  return unresolved ? undefined : name;
}

/** The first rule that matches the certificate, with the principal name it gives; or undefined. */
export function mapCertificate(fields: CertificateFields, rules: readonly CompiledRule[]): CertificateMapping | undefined {
  for (const compiled of rules) {
    if (!nameMatches(fields.subject, compiled.subject)) continue;
    if (!nameMatches(fields.issuer, compiled.issuer)) continue;
    const matched = sanMatches(fields, compiled.san);
    if (matched === undefined) continue;
    const name = resolveName(compiled.rule.name, fields, matched);
    if (name === undefined) continue;
    return { rule: compiled.rule, ruleId: compiled.id, name };
  }
  return undefined;
}

export type { CompiledRule };
