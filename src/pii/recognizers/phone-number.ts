import type { Recognizer } from "../types.js";

// PLACEHOLDER: being written; replaced before this lands.
export const phoneNumberRecognizer: Recognizer = { type: "PHONE_NUMBER", maxLength: 1, context: [], find: () => [] };
