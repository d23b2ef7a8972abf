import type { Candidate, Recognizer } from "../../src/pii/types.js";

/** A recognizer reporting every "123456789" at `score`, with the given context lists (for context and scanner tests). */
export function numbers(context: readonly string[], negativeContext?: readonly string[], score = 0.45): Recognizer {
  return {
    type: "PASSPORT",
    maxLength: 9,
    context,
    ...(negativeContext === undefined ? {} : { negativeContext }),
    find(text: string): Candidate[] {
      const out: Candidate[] = [];
      for (let at = text.indexOf("123456789"); at >= 0; at = text.indexOf("123456789", at + 9)) {
        out.push({ start: at, end: at + 9, score });
      }
      return out;
    },
  };
}
