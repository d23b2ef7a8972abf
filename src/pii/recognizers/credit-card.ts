import type { Recognizer } from "../types.js";

// PLACEHOLDER: being written; replaced before this lands.
export const creditCardRecognizer: Recognizer = { type: "CREDIT_CARD", maxLength: 1, context: [], find: () => [] };
