import type { Recognizer } from "../types.js";

// PLACEHOLDER: being written; replaced before this lands.
export const passportRecognizer: Recognizer = { type: "PASSPORT", maxLength: 1, context: [], find: () => [] };
