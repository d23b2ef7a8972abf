import type { Recognizer } from "../types.js";

// PLACEHOLDER: being written; replaced before this lands.
export const ipAddressRecognizer: Recognizer = { type: "IP_ADDRESS", maxLength: 1, context: [], find: () => [] };
