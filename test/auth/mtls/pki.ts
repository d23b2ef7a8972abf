/**
 * A throwaway public-key infrastructure made at test time with the openssl CLI (OpenSSL 3.0+):
 * certificate authorities (roots and intermediates), server and client certificates with any
 * subject and subject alternative names, any validity window (including one entirely in the past),
 * revocation, and CRLs with any lastUpdate / nextUpdate.
 *
 * Reusable: the gateway's end-to-end tests build their TLS fixtures with `createStandardPki()`.
 * Everything lives in one temporary directory; call `remove()` when done.
 *
 * Keys are EC P-256 (fast to make). Every CA is an `openssl ca` database (index.txt), so
 * `revoke()` and `writeCrl()` behave exactly as an operator's CA would.
 */
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const OPENSSL = process.env.OPENSSL_BIN ?? "openssl";

export interface DistinguishedName {
  CN?: string;
  O?: string;
  OU?: string | string[];
}

export interface SubjectAltNames {
  dns?: string[];
  ip?: string[];
  email?: string[];
  uri?: string[];
}

export interface IssueOptions {
  subject: DistinguishedName;
  san?: SubjectAltNames;
  /** Validity in days from now (default 30). Ignored when `notBefore`/`notAfter` are given. */
  days?: number;
  /** An explicit validity window (e.g. one entirely in the past for an expired certificate). */
  notBefore?: Date;
  notAfter?: Date;
}

export interface IssuedCertificate {
  readonly name: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** PEM of the certificate alone. */
  readonly cert: string;
  /** PEM of the private key. */
  readonly key: string;
  /** PEM of the certificate followed by every intermediate up to (not including) the root. */
  readonly chain: string;
  /** Serial number as OpenSSL prints it: upper-case hex. */
  readonly serial: string;
  /** SHA-256 of the DER certificate, lower-case hex without separators. */
  readonly fingerprint256: string;
  readonly issuer: TestCa;
}

export interface CrlOptions {
  /** lastUpdate (thisUpdate); default now. */
  lastUpdate?: Date;
  /** nextUpdate; default lastUpdate + 1 day. */
  nextUpdate?: Date;
  /** Where to write it; default `<ca dir>/crl-<n>.pem`. */
  path?: string;
}

/** `openssl ca` wants times as YYYYMMDDHHMMSSZ (GeneralizedTime). */
function asn1Time(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** `-subj` syntax; values must not contain '/', '+' or '=' (this is a test helper). */
function subjectArg(dn: DistinguishedName): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(dn)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (/[/+=\\]/.test(one)) throw new Error(`test PKI: subject value ${JSON.stringify(one)} contains / + = or \\`);
      parts.push(`/${key}=${one}`);
    }
  }
  if (parts.length === 0) throw new Error("test PKI: a subject needs at least one attribute");
  return parts.join("");
}

function sanLine(san: SubjectAltNames | undefined): string | undefined {
  if (!san) return undefined;
  const entries = [
    ...(san.dns ?? []).map((v) => `DNS:${v}`),
    ...(san.ip ?? []).map((v) => `IP:${v}`),
    ...(san.email ?? []).map((v) => `email:${v}`),
    ...(san.uri ?? []).map((v) => `URI:${v}`),
  ];
  for (const entry of entries) if (entry.includes(",")) throw new Error(`test PKI: SAN ${JSON.stringify(entry)} contains a comma`);
  return entries.length === 0 ? undefined : `subjectAltName=${entries.join(",")}`;
}

function run(args: string[], cwd: string): string {
  return execFileSync(OPENSSL, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
}

const CA_CONFIG = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
default_crl_days = 1
[ policy_any ]
commonName = optional
organizationName = optional
organizationalUnitName = optional
`;

export class TestCa {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  private crlCount = 0;
  private issuedCount = 0;

  private constructor(
    readonly name: string,
    readonly dir: string,
    /** The CA that signed this one; undefined for a root. */
    readonly parent: TestCa | undefined,
  ) {
    this.certPath = join(dir, "ca.pem");
    this.keyPath = join(dir, "ca.key");
    this.cert = readFileSync(this.certPath, "utf8");
  }

  /** PEM of every intermediate from this CA up to (not including) the root. */
  get intermediates(): string {
    return this.parent === undefined ? "" : this.cert + this.parent.intermediates;
  }

  /** The root at the top of this CA's chain. */
  get root(): TestCa {
    return this.parent === undefined ? this : this.parent.root;
  }

  static prepareDir(baseDir: string, name: string): string {
    const dir = join(baseDir, name);
    mkdirSync(join(dir, "newcerts"), { recursive: true });
    writeFileSync(join(dir, "index.txt"), "");
    writeFileSync(join(dir, "index.txt.attr"), "unique_subject = no\n");
    writeFileSync(join(dir, "crlnumber"), "1000\n");
    writeFileSync(join(dir, "ca.cnf"), CA_CONFIG);
    return dir;
  }

  /** A self-signed root CA. */
  static createRoot(baseDir: string, name: string, subject: DistinguishedName = { CN: `${name} Root CA`, O: "Bastion Test" }, days = 3650): TestCa {
    const dir = TestCa.prepareDir(baseDir, name);
    run(
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-subj", subjectArg(subject), "-days", String(days),
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash",
      ],
      dir,
    );
    return new TestCa(name, dir, undefined);
  }

  /** An intermediate CA signed by this one. */
  createIntermediate(name: string, subject: DistinguishedName = { CN: `${name} Intermediate CA`, O: "Bastion Test" }, days = 1825): TestCa {
    const dir = TestCa.prepareDir(join(this.dir, ".."), name);
    run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.csr", "-subj", subjectArg(subject)], dir);
    writeFileSync(
      join(dir, "ca-ext.cnf"),
      "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n",
    );
    this.sign(join(dir, "ca.csr"), join(dir, "ca.pem"), join(dir, "ca-ext.cnf"), { days });
    return new TestCa(name, dir, this);
  }

  private sign(csrPath: string, outPath: string, extPath: string, validity: { days?: number; notBefore?: Date; notAfter?: Date }): void {
    const window =
      validity.notBefore !== undefined || validity.notAfter !== undefined
        ? ["-startdate", asn1Time(validity.notBefore ?? new Date()), "-enddate", asn1Time(validity.notAfter ?? new Date(Date.now() + 86_400_000))]
        : ["-days", String(validity.days ?? 30)];
    run(
      ["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-rand_serial", "-notext", "-in", csrPath, "-out", outPath, "-extfile", extPath, ...window],
      this.dir,
    );
  }

  /** Issues a leaf certificate ("client" for clientAuth, "server" for serverAuth). */
  issue(name: string, usage: "client" | "server", options: IssueOptions): IssuedCertificate {
    this.issuedCount += 1;
    const base = join(this.dir, `${name}`);
    const keyPath = `${base}.key`;
    const certPath = `${base}.pem`;
    run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyPath, "-out", `${base}.csr`, "-subj", subjectArg(options.subject)], this.dir);
    const ext = [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      `extendedKeyUsage=${usage === "client" ? "clientAuth" : "serverAuth"}`,
      "authorityKeyIdentifier=keyid:always",
      sanLine(options.san),
    ].filter((line): line is string => line !== undefined);
    writeFileSync(`${base}.ext`, ext.join("\n") + "\n");
    this.sign(`${base}.csr`, certPath, `${base}.ext`, options);
    const cert = readFileSync(certPath, "utf8");
    const x509 = new X509Certificate(cert);
    return {
      name,
      certPath,
      keyPath,
      cert,
      key: readFileSync(keyPath, "utf8"),
      chain: cert + this.intermediates,
      serial: x509.serialNumber.toUpperCase(),
      fingerprint256: createHash("sha256").update(x509.raw).digest("hex"),
      issuer: this,
    };
  }

  /** Marks a certificate this CA issued as revoked (it appears in the next CRL written). */
  revoke(certificate: { certPath: string }, reason = "keyCompromise"): void {
    run(["ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-revoke", certificate.certPath, "-crl_reason", reason], this.dir);
  }

  /** Revokes an intermediate CA this CA signed. */
  revokeCa(child: TestCa): void {
    this.revoke({ certPath: child.certPath }, "cACompromise");
  }

  /** Writes a CRL listing everything revoked so far; returns its path. */
  writeCrl(options: CrlOptions = {}): string {
    this.crlCount += 1;
    const path = options.path ?? join(this.dir, `crl-${this.crlCount}.pem`);
    const lastUpdate = options.lastUpdate ?? new Date(Date.now() - 60_000);
    const nextUpdate = options.nextUpdate ?? new Date(lastUpdate.getTime() + 86_400_000);
    const tmp = join(this.dir, `crl-${this.crlCount}.tmp.pem`);
    run(
      ["ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-gencrl", "-out", tmp, "-crl_lastupdate", asn1Time(lastUpdate), "-crl_nextupdate", asn1Time(nextUpdate)],
      this.dir,
    );
    // Written in one step, so a file watcher never sees half a CRL.
    writeFileSync(path, readFileSync(tmp));
    rmSync(tmp);
    return path;
  }
}

export interface TestPki {
  readonly dir: string;
  /** A fresh root CA in this PKI's directory. */
  createRoot(name: string, subject?: DistinguishedName): TestCa;
  /** Writes `text` to a file in this PKI's directory and returns its path. */
  writeFile(name: string, text: string): string;
  remove(): void;
}

export function createTestPki(prefix = "bastion-pki-"): TestPki {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    createRoot: (name, subject) => TestCa.createRoot(dir, name, subject),
    writeFile(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The fixtures most TLS tests need, in one call:
 * - `root` (trusted) and `intermediate` (signed by root; client certificates hang off it),
 * - `otherRoot`: a CA nobody trusts,
 * - `server`: 127.0.0.1 / localhost, signed by root,
 * - clients: `alice` (good, O=Acme OU=agents, SPIFFE URI), `bob` (good, DNS and email SANs),
 *   `revoked` (listed in the intermediate's CRL), `expired` (validity entirely in the past),
 *   `stranger` (signed by otherRoot), `unmapped` (good, but a subject no rule maps),
 * - `caBundlePath` (root + intermediate), `crlPaths` (a current CRL from root and from intermediate;
 *   `revoked` is in the intermediate's),
 * - `clientCa` options for https.request: `{ key, cert: chain, ca: root }`.
 */
export interface StandardPki extends TestPki {
  root: TestCa;
  intermediate: TestCa;
  otherRoot: TestCa;
  server: IssuedCertificate;
  alice: IssuedCertificate;
  bob: IssuedCertificate;
  revoked: IssuedCertificate;
  expired: IssuedCertificate;
  stranger: IssuedCertificate;
  unmapped: IssuedCertificate;
  caBundlePath: string;
  rootCrlPath: string;
  intermediateCrlPath: string;
  /** TLS client options presenting `cert` (with its chain) and trusting the test root for the server. */
  clientOptions(cert?: IssuedCertificate): { ca: string; key?: string; cert?: string };
}

export function createStandardPki(prefix = "bastion-pki-"): StandardPki {
  const pki = createTestPki(prefix);
  try {
    const root = pki.createRoot("root");
    const intermediate = root.createIntermediate("intermediate");
    const otherRoot = pki.createRoot("other-root", { CN: "Other Root CA", O: "Elsewhere" });
    const server = root.issue("server", "server", { subject: { CN: "localhost" }, san: { dns: ["localhost"], ip: ["127.0.0.1", "::1"] } });
    const alice = intermediate.issue("alice", "client", {
      subject: { CN: "alice", O: "Acme", OU: "agents" },
      san: { uri: ["spiffe://acme.test/ns/prod/sa/alice"] },
    });
    const bob = intermediate.issue("bob", "client", { subject: { CN: "bob", O: "Acme", OU: "ops" }, san: { dns: ["bob.acme.test"], email: ["bob@acme.test"] } });
    const revoked = intermediate.issue("revoked", "client", { subject: { CN: "mallory", O: "Acme", OU: "agents" }, san: { uri: ["spiffe://acme.test/ns/prod/sa/mallory"] } });
    const expired = intermediate.issue("expired", "client", {
      subject: { CN: "old-alice", O: "Acme", OU: "agents" },
      notBefore: new Date(Date.now() - 20 * 86_400_000),
      notAfter: new Date(Date.now() - 10 * 86_400_000),
    });
    const stranger = otherRoot.issue("stranger", "client", { subject: { CN: "alice", O: "Acme", OU: "agents" }, san: { uri: ["spiffe://acme.test/ns/prod/sa/alice"] } });
    const unmapped = intermediate.issue("unmapped", "client", { subject: { CN: "nobody", O: "Unknown Corp" } });
    intermediate.revoke(revoked);
    const caBundlePath = pki.writeFile("ca-bundle.pem", root.cert + intermediate.cert);
    const rootCrlPath = root.writeCrl({ path: join(pki.dir, "root.crl.pem") });
    const intermediateCrlPath = intermediate.writeCrl({ path: join(pki.dir, "intermediate.crl.pem") });
    return {
      ...pki,
      root,
      intermediate,
      otherRoot,
      server,
      alice,
      bob,
      revoked,
      expired,
      stranger,
      unmapped,
      caBundlePath,
      rootCrlPath,
      intermediateCrlPath,
      clientOptions: (cert) => (cert === undefined ? { ca: root.cert } : { ca: root.cert, key: cert.key, cert: cert.chain }),
    };
  } catch (error) {
    pki.remove();
    throw error;
  }
}
