#!/usr/bin/env node
import { Command } from "commander";
import { registerKeysCommands } from "./keys.js";
import { registerPiiCommands } from "./pii.js";
import { registerServeCommand } from "./serve.js";
import { registerUsersCommands } from "./users.js";
import { readPackageVersion } from "./version.js";

/** `bastion`: thin commands over the library; each subcommand lives in its own module. */
export function buildProgram(): Command {
  const program = new Command("bastion")
    .description("mcp-bastion: a security gateway and toolkit for the Model Context Protocol")
    .version(readPackageVersion())
    .showHelpAfterError();
  registerServeCommand(program);
  registerPiiCommands(program);
  registerKeysCommands(program);
  registerUsersCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
