import { contextData } from "./context.js";
import { creditCardCues, usSsnCues } from "./digits.js";
import { emailLetterRanges } from "./email.js";
import { ipVersionCues } from "./ip.js";
import { phoneCues } from "./phone.js";
import { phoneMetadataPlans } from "./phone-metadata.js";
import { addressLexiconData } from "./address-lexicon.js";
import { streetAddressData } from "./street-address.js";
import { passportConfiguration } from "./passport.js";
import { unicodeAlnumRanges } from "./unicode-alnum.js";

/**
 * The data the kernel's modules take from the TypeScript side at load, by name: tables whose one
 * source of truth is here (Unicode classes from V8, numbering metadata from libphonenumber-js,
 * recognizers' word lists), in each module's own text format. The kernel refuses to detect until
 * every one has arrived.
 */
export const KERNEL_CONFIGURATION: readonly (readonly [name: string, data: () => string])[] = [
  ["unicode-alnum", unicodeAlnumRanges],
  ["credit-card-cues", creditCardCues],
  ["us-ssn-cues", usSsnCues],
  ["email-letters", emailLetterRanges],
  ["ip-version-cues", ipVersionCues],
  ["phone-metadata", phoneMetadataPlans],
  ["phone-cues", phoneCues],
  ["address-lexicon", addressLexiconData],
  ["street-address", streetAddressData],
  ["passport", passportConfiguration],
  ["context", contextData],
];
