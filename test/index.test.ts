import { test } from "node:test";
import assert from "node:assert/strict";
import * as bastion from "../src/index.js";

test("the library exports its public pieces", () => {
  for (const name of ["createPiiEngine", "createMemoryVault", "createGateway", "createMessageMasker", "resolvePiiPolicy", "loadConfig", "createLogger", "ENTITY_TYPES"]) {
    assert.ok(name in bastion, `${name} is exported`);
  }
  const engine = bastion.createPiiEngine();
  assert.equal(engine.mask("mail alice@example.com"), "mail <EMAIL_ADDRESS>");
});
