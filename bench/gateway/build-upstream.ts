import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The upstream and its payload module, transpiled to plain JS in results/build/, so no process in
 * the benchmark runs a TS loader. Returns the upstream script's path.
 */
export function buildUpstream(): string {
  const buildDir = join(here, "results", "build");
  mkdirSync(buildDir, { recursive: true });
  for (const name of ["upstream", "pii-payload"]) {
    const source = readFileSync(join(here, `${name}.ts`), "utf8");
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: `${name}.ts` });
    writeFileSync(join(buildDir, `${name}.js`), out.outputText);
  }
  return join(buildDir, "upstream.js");
}
