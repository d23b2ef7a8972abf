import type { Recognizer } from "../types.js";

// PLACEHOLDER: being written; replaced before this lands.
export const streetAddressRecognizer: Recognizer = { type: "STREET_ADDRESS", maxLength: 1, context: [], find: () => [] };
