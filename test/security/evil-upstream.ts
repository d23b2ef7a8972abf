import { join } from "node:path";
import type { UpstreamConfig } from "../../src/gateway/upstream/types.js";

/** The hostile stdio upstream (fixtures/r1-evil-server.ts) as a gateway server entry; EVIL_MODERN=1 in env adds the 2026 revision. */
export const EVIL: UpstreamConfig = {
  kind: "stdio",
  command: process.execPath,
  args: ["--import", "tsx", join(import.meta.dirname, "fixtures", "r1-evil-server.ts")],
  env: {},
  requestTimeoutMs: 20_000,
};
