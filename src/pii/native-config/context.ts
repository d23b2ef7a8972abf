import { defaultRecognizers } from "../recognizers/index.js";
import { ENTITY_TYPES } from "../types.js";

/**
 * The kernel's context scorer and scanner data (configure("context"), native/pii/src/context.rs):
 * the built-in recognizers in the scanner's order with their context and negative-context words,
 * and the lower case of every BMP code unit as this V8 gives it (`String.fromCharCode(c)
 * .toLowerCase()`, what context.ts folds the text with). Lines of tab-separated fields:
 * `recognizer <id>`, `context <id> <word>`, `negative <id> <word>`, `lower <hex> <hex>[.<hex>]`.
 */
export function contextData(): string {
  const lines: string[] = [];
  for (const recognizer of defaultRecognizers()) {
    const id = ENTITY_TYPES.indexOf(recognizer.type);
    lines.push(`recognizer\t${id}`);
    for (const [kind, words] of [["context", recognizer.context], ["negative", recognizer.negativeContext ?? []]] as const) {
      for (const word of words) {
        // (The kernel refuses the words its line format or its trie cannot carry: fail closed.)
        if (/[\t\n\r]/.test(word)) throw new Error(`context: a word the kernel cannot take: ${JSON.stringify(word)}`);
        lines.push(`${kind}\t${id}\t${word}`);
      }
    }
  }
  for (let code = 0; code < 0x10000; code++) {
    const lower = String.fromCharCode(code).toLowerCase();
    if (lower.length === 1 && lower.charCodeAt(0) === code) continue;
    lines.push(`lower\t${code.toString(16)}\t${hexUnits(lower)}`);
  }
  return lines.join("\n");
}

/** The UTF-16 code units of `text` in hexadecimal, joined by dots. */
function hexUnits(text: string): string {
  const units: string[] = [];
  for (let k = 0; k < text.length; k++) units.push(text.charCodeAt(k).toString(16));
  return units.join(".");
}
