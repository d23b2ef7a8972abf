import { readFileSync } from "node:fs";

/** The package version, read from package.json beside src/ or dist/. */
export function readPackageVersion(): string {
  const url = new URL("../../package.json", import.meta.url);
  const parsed = JSON.parse(readFileSync(url, "utf8")) as { version?: string };
  return parsed.version ?? "0.0.0";
}
