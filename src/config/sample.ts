import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The quick start's sample folder: what the embedded default filesystem server works on. It is
 * made at start (by `bastion serve`, never by loading the config) under `.bastion/sample` in the
 * working directory, so a client's writes land there and not in the repository. The records are
 * invented; they hold PII on purpose, so reading them through the gateway shows masking at work.
 * examples/sample in the repository holds the same files (a test keeps the two alike).
 */

/** Where the sample folder goes, relative to the working directory. */
export const SAMPLE_FOLDER = join(".bastion", "sample");

export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  "README.md": `# mcp-bastion sample folder

The quick start's \`filesystem\` server (@modelcontextprotocol/server-filesystem) may read and write
in this folder and nowhere else. \`bastion serve\` on its embedded defaults makes it under
\`.bastion/sample\` in its working directory; examples/sample in the repository holds the same files.

The files hold invented customer records with e-mail addresses, phone numbers and a card number.
Read them through the gateway and the personal data comes back masked, for example with the tool
\`filesystem__read_text_file\` and the path of \`tickets/1042.txt\` in this folder.

In .bastion/sample, files you delete are made again at the next start; files you change stay as they are.
`,
  "customers.csv": `id,name,email,phone,city
1,Jane Roe,jane.roe@example.com,+44 20 7946 0958,London
2,Rahul Mehta,rahul.mehta@example.org,+1 415 555 2671,San Francisco
3,Amélie Durand,amelie.durand@example.net,+33 1 44 55 66 77,Paris
`,
  "tickets/1042.txt": `Ticket 1042 - double charge

From: Jane Roe <jane.roe@example.com>
Phone: +44 20 7946 0958

Hello, my card 4111 1111 1111 1111 was charged twice for order 88231 on 3 March.
Please refund one of the two payments. You can call me back on the number above.
`,
};

/**
 * Makes the sample folder under `folder`: files that are missing are written, existing ones are
 * never overwritten. Throws (with the file system's error) when the folder cannot be made.
 */
export function ensureSampleFolder(folder: string): void {
  for (const [name, text] of Object.entries(SAMPLE_FILES)) {
    const path = join(folder, name);
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, text, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
