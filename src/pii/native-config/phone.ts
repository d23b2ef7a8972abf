import { NOT_A_PHONE } from "../recognizers/phone-number.js";
import { cueWordsData } from "./digits.js";

/**
 * configure("phone-cues"): NOT_A_PHONE of phone-number.ts (the words that, owning a number, make
 * it some other identifier), in the format of digits_cues.rs `CueWords::parse`.
 */
export const phoneCues = (): string => cueWordsData(NOT_A_PHONE);
