/** Chat transcripts: timestamped lines, casual mentions. */
import { DocBuilder } from "../builder.js";
import { generateTimestamp } from "../negatives.js";
import type { Rng } from "../prng.js";
import { chatLine } from "../prose.js";
import { FIRST_NAMES } from "../words.js";
import { PROSE } from "./common.js";

export function chat(rng: Rng): DocBuilder {
  const b = new DocBuilder();
  const people = Array.from({ length: rng.int(2, 4) }, () => rng.pick(FIRST_NAMES).toLowerCase());
  const style = rng.pick(["bracket-clock", "irc", "plain"] as const);
  const lines = rng.int(8, 30);
  for (let i = 0; i < lines; i++) {
    const who = rng.pick(people);
    if (style === "bracket-clock") b.text("[").negative("timestamp", generateTimestamp(rng, "clock")).text(`] ${who}: `);
    else if (style === "irc") b.negative("timestamp", generateTimestamp(rng, "iso-space")).text(` <${who}> `);
    else b.text(`${who}: `);
    chatLine(b, rng, PROSE);
    b.text("\n");
  }
  return b;
}
