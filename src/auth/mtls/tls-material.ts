/**
 * Reading and checking every TLS file (server key and certificate, client CAs, CRLs) into what
 * an HTTPS server needs. Used at start-up and on every reload, with the same checks, so a reload
 * can never put in force what start-up would have refused.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import { readCertificate } from "./certificate-fields.js";
import { checkCrlFreshness } from "./check-crl-freshness.js";
import { checkCrlIssuer, type CaCertificate } from "./check-crl-issuer.js";
import type { TlsConfig } from "./config.js";
import { readCrl, type CrlFields } from "./crl.js";
import { TlsConfigError } from "./errors.js";
import { readPemOrDer, splitPem } from "./pem.js";
import { RevocationIndex } from "./revocation.js";

export interface LoadedCrl {
  readonly path: string;
  readonly fields: CrlFields;
  readonly issuer: CaCertificate;
  readonly pem: string;
}

export interface TlsMaterial {
  /** For tls.createSecureContext / https.createServer / server.setSecureContext. */
  readonly secureContext: SecureContextOptions;
  readonly cas: readonly CaCertificate[];
  readonly crls: readonly LoadedCrl[];
  readonly revocation: RevocationIndex;
  /** Things an operator should know that do not stop the gateway. */
  readonly warnings: readonly string[];
  /** Every file read, for watching. */
  readonly files: readonly string[];
}

export interface LoadTlsMaterialOptions {
  now: number;
  readFile?: (path: string) => Buffer;
  /** The material in force (on reload): a CRL may not be older than the one it replaces. */
  previous?: TlsMaterial;
}

const DAY_MS = 86_400_000;

function subjectLabel(ca: CaCertificate): string {
  const cn = ca.fields.subject.attributes.find((a) => a.type === "2.5.4.3")?.value;
  return cn === undefined ? ca.path : `"${cn}" (${ca.path})`;
}

export function loadTlsMaterial(config: TlsConfig, options: LoadTlsMaterialOptions): TlsMaterial {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path));
  const { now } = options;
  const problems: string[] = [];
  const warnings: string[] = [];
  const files: string[] = [];

  const read = (path: string, what: string): Buffer | undefined => {
    files.push(path);
    try {
      return readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push(`${what} ${path}: cannot be read (${code})`);
      return undefined;
    }
  };

  // The server's own certificate chain and key.
  let certPem = "";
  const certBytes = read(config.cert, "server certificate");
  const keyBytes = read(config.key, "server key");
  if (certBytes) {
    try {
      const blocks = splitPem(certBytes.toString("latin1"), "CERTIFICATE");
      if (blocks.length === 0) problems.push(`server certificate ${config.cert}: no PEM CERTIFICATE in the file`);
      else {
        certPem = blocks.map((b) => b.pem).join("");
        const leaf = new X509Certificate(blocks[0]!.der);
        if (Date.parse(leaf.validTo) <= now) warnings.push(`server certificate ${config.cert} expired at ${new Date(Date.parse(leaf.validTo)).toISOString()}`);
        if (keyBytes) {
          try {
            if (!leaf.checkPrivateKey(createPrivateKey(keyBytes))) problems.push(`server key ${config.key} does not belong to the certificate ${config.cert}`);
          } catch {
            problems.push(`server key ${config.key}: not an unencrypted PEM or DER private key`);
          }
        }
      }
    } catch (error) {
      problems.push(`server certificate ${config.cert}: ${(error as Error).message}`);
    }
  }

  const client = config.clientCertificates;
  const cas: CaCertificate[] = [];
  const crls: LoadedCrl[] = [];
  if (client.mode !== "off") {
    for (const path of client.ca) {
      const bytes = read(path, "client CA file");
      if (!bytes) continue;
      try {
        const blocks = splitPem(bytes.toString("latin1"), "CERTIFICATE");
        if (blocks.length === 0) problems.push(`client CA file ${path}: no PEM CERTIFICATE in the file`);
        for (const block of blocks) {
          const ca: CaCertificate = { path, fields: readCertificate(block.der), x509: new X509Certificate(block.der) };
          if (!ca.fields.isCa) problems.push(`client CA file ${path}: ${subjectLabel(ca)} is not a CA certificate (basicConstraints cA)`);
          else if (ca.fields.notAfter <= now) warnings.push(`client CA ${subjectLabel(ca)} expired at ${new Date(ca.fields.notAfter).toISOString()}`);
          cas.push(ca);
        }
      } catch (error) {
        problems.push(`client CA file ${path}: not PEM certificates (${(error as Error).message})`);
      }
    }

    const mode = client.mode;
    for (const path of client.crl) {
      const bytes = read(path, "CRL file");
      if (!bytes) continue;
      let blocks;
      try {
        blocks = readPemOrDer(bytes, "X509 CRL");
      } catch (error) {
        problems.push(`CRL file ${path}: ${(error as Error).message}`);
        continue;
      }
      if (blocks.length === 0) problems.push(`CRL file ${path}: no CRL in the file`);
      for (const block of blocks) {
        let fields: CrlFields;
        try {
          fields = readCrl(block.der);
        } catch (error) {
          problems.push(`CRL file ${path}: not a CRL (${(error as Error).message})`);
          continue;
        }
        if (fields.unsupported !== undefined) {
          problems.push(`CRL file ${path}: ${fields.unsupported} is not supported; give the CA's full CRL`);
          continue;
        }
        const issuer = checkCrlIssuer(fields, cas);
        if (!issuer.ok) {
          problems.push(`CRL file ${path}: ${issuer.problem}`);
          continue;
        }
        if (!issuer.signatureChecked) warnings.push(`CRL file ${path}: signature algorithm ${fields.signatureAlgorithm} is checked by OpenSSL at each handshake only`);
        const fresh = checkCrlFreshness(fields, now, mode);
        if (!fresh.ok) (fresh.fatal ? problems : warnings).push(`CRL file ${path} from ${subjectLabel(issuer.issuer)} ${fresh.problem}`);
        else if (fields.nextUpdate! - now < DAY_MS / 4 && fields.nextUpdate! - fields.thisUpdate > DAY_MS) {
          warnings.push(`CRL file ${path} from ${subjectLabel(issuer.issuer)} goes stale at ${new Date(fields.nextUpdate!).toISOString()}`);
        }
        crls.push({ path, fields, issuer: issuer.issuer, pem: block.pem });
      }
    }

    // OpenSSL (Node sets X509_V_FLAG_CRL_CHECK_ALL) wants a CRL for every CA in a chain: a CA
    // without one would make every certificate under it fail with UNABLE_TO_GET_CRL.
    for (const ca of cas) {
      if (!crls.some((crl) => crl.issuer === ca || Buffer.from(crl.fields.issuer.der).equals(Buffer.from(ca.fields.subject.der)))) {
        problems.push(`client CA ${subjectLabel(ca)} has no CRL: give one CRL per CA (revocation is checked for every certificate in the chain)`);
      }
    }

    // A reload never goes back in time: an older CRL could un-revoke a certificate.
    if (options.previous) {
      for (const crl of crls) {
        const older = options.previous.revocation.crlsFor(crl.fields.issuer.der);
        const newest = Math.max(...older.map((c) => c.thisUpdate));
        if (older.length > 0 && crl.fields.thisUpdate < newest) {
          problems.push(`CRL file ${crl.path} from ${subjectLabel(crl.issuer)} is older (thisUpdate ${new Date(crl.fields.thisUpdate).toISOString()}) than the CRL in force`);
        }
      }
    }
  }

  if (problems.length > 0) throw new TlsConfigError(problems);

  const secureContext: SecureContextOptions = {
    key: keyBytes!,
    cert: certPem,
    minVersion: config.minVersion,
    ...(client.mode === "off"
      ? {}
      : {
          ca: cas.map((ca) => ca.x509.toString()),
          // One CRL per entry: Node reads only the first CRL of each string.
          crl: crls.map((crl) => crl.pem),
        }),
  };
  try {
    // What https.createServer / setSecureContext will do: any refusal by OpenSSL shows up now.
    createSecureContext(secureContext);
  } catch (error) {
    throw new TlsConfigError([`OpenSSL refused the TLS files (${(error as { code?: string }).code ?? "error"}: ${(error as Error).message.split("\n")[0]})`]);
  }
  return { secureContext, cas, crls, revocation: new RevocationIndex(crls.map((c) => c.fields)), warnings, files: [...new Set(files)] };
}
