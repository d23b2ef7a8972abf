import type { Recognizer } from "../types.js";
import { creditCardRecognizer } from "./credit-card.js";
import { emailRecognizer } from "./email.js";
import { ipAddressRecognizer } from "./ip-address.js";
import { passportRecognizer } from "./passport.js";
import { phoneNumberRecognizer } from "./phone-number.js";
import { streetAddressRecognizer } from "./street-address.js";
import { usSsnRecognizer } from "./us-ssn.js";

export {
  creditCardRecognizer,
  emailRecognizer,
  ipAddressRecognizer,
  passportRecognizer,
  phoneNumberRecognizer,
  streetAddressRecognizer,
  usSsnRecognizer,
};

/** The built-in recognizers, one per entity type (Presidio's predefined recognizers). */
export function defaultRecognizers(): Recognizer[] {
  return [
    emailRecognizer,
    creditCardRecognizer,
    usSsnRecognizer,
    ipAddressRecognizer,
    phoneNumberRecognizer,
    passportRecognizer,
    streetAddressRecognizer,
  ];
}
