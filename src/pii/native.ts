import { createRequire } from "node:module";
import { KERNEL_CONFIGURATION } from "./native-config/index.js";

/**
 * The compiled detection kernel (native/pii, Rust, a Node-API addon), when it is built: the same
 * detection as the TypeScript recognizers, for throughput. The TypeScript engine is the reference
 * (test/pii/native checks the kernel against it) and the fallback wherever the addon is missing
 * (no Rust toolchain at install) or switched off with BASTION_PII_NATIVE=0.
 */
export interface NativeKernel {
  /** The text scan, encoded for the differential tests (see scan_export in native/pii/src/lib.rs). */
  scan(text: string, out: Float64Array): number;
  /** One recognizer's candidates as (start, end, score) triples; returns how many there are. */
  find(recognizer: number, text: string, out: Float64Array): number;
  /**
   * The scanner's detect for the recognizers in the `types` bitmask (1 << index in ENTITY_TYPES):
   * findings as (type index, start, end, score) quads; returns how many there are. `length`, when
   * passed, must be `text.length` (the kernel then reads the text with one Node-API call, not two).
   */
  detect?(types: number, threshold: number, text: string, out: Float64Array, length?: number): number;
  /** Hands a kernel module data the TypeScript side owns, in that module's own text format. */
  configure(name: string, data: string): number;
}

/** Where the build (scripts/build-native.mjs) puts the addon: the same from src/pii and dist/pii. */
export const NATIVE_ADDON_PATH = new URL("../../native/pii/bastion-pii.node", import.meta.url);

export interface NativeLoad {
  readonly kernel: NativeKernel | undefined;
  /** Why there is no kernel: switched off, or the addon could not be loaded. */
  readonly reason: string | undefined;
}

function load(): NativeLoad {
  if (process.env["BASTION_PII_NATIVE"] === "0") return { kernel: undefined, reason: "switched off (BASTION_PII_NATIVE=0)" };
  try {
    const kernel = createRequire(import.meta.url)(NATIVE_ADDON_PATH.pathname) as NativeKernel;
    for (const [name, data] of KERNEL_CONFIGURATION) kernel.configure(name, data());
    return { kernel, reason: undefined };
  } catch (error) {
    return { kernel: undefined, reason: `not loaded: ${(error as Error).message.split("\n")[0]}` };
  }
}

export const nativeLoad: NativeLoad = load();
export const nativeKernel: NativeKernel | undefined = nativeLoad.kernel;
