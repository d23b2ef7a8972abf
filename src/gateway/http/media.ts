/** Content-Type and Accept checks for the Streamable HTTP transport. */

/** The media type without parameters, lower-cased: "application/json; charset=utf-8" -> "application/json". */
export function mediaTypeEssence(header: string | undefined): string {
  if (header === undefined) return "";
  const semicolon = header.indexOf(";");
  return (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

export const isJsonContentType = (header: string | undefined): boolean => mediaTypeEssence(header) === "application/json";

/** Whether an Accept header lists `type` explicitly (the spec asks clients to name each type they take). */
export function acceptsType(accept: string | undefined, type: string): boolean {
  if (accept === undefined) return false;
  for (const part of accept.split(",")) {
    if (mediaTypeEssence(part) === type) {
      // "q=0" means "not acceptable"
      if (/;\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i.test(part)) return false;
      return true;
    }
  }
  return false;
}
