import { VERSION_CUES } from "../recognizers/ip-address.js";
import { cueWordsData } from "./digits.js";

/** configure("ip-version-cues"): VERSION_CUES of ip-address.ts, for native/pii's ip_address.rs. */
export const ipVersionCues = (): string => cueWordsData(VERSION_CUES);
