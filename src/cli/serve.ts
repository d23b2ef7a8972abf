import type { Command } from "commander";

// PLACEHOLDER: the gateway's `bastion serve` is being written (issue 3); replaced before it lands.
export function registerServeCommand(program: Command): void {
  program.command("serve").description("run the gateway (not yet available)").action(() => {
    process.stderr.write("bastion serve: not available in this build\n");
    process.exitCode = 1;
  });
}
