/** Password hashing (scrypt) and the local user directory. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { checkPasswordPolicy, hashPassword, needsRehash, parsePasswordHash, PasswordPolicyError, verifyPasswordHash } from "../../../src/auth/server/passwords.js";
import { createMemoryUserStore, createUserDirectory, InvalidUsernameError, UnknownUserError, UsernameTakenError, type UserStore } from "../../../src/auth/server/index.js";
import type { UserStore as SqliteUserStore } from "../../../src/store/types.js";

// Compile-time: src/store's user store (SQLite, A1) can be handed to the directory as it is.
export const storeFitsDirectory = (store: SqliteUserStore): UserStore => store;

const CHEAP = { ln: 10, r: 8, p: 1 };
const PW = "correct horse battery staple";

describe("password hashes", () => {
  test("PHC-style scrypt string with a 16-byte salt and the default cost N=2^15, r=8, p=1", async () => {
    const hash = await hashPassword(PW);
    assert.match(hash, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    assert.equal(parsePasswordHash(hash)!.salt.length, 16);
  });

  test("the right password verifies; a wrong one does not", async () => {
    const hash = await hashPassword(PW, CHEAP);
    assert.equal(await verifyPasswordHash(PW, hash), true);
    assert.equal(await verifyPasswordHash(`${PW} `, hash), false);
    assert.equal(await verifyPasswordHash("", hash), false);
  });

  test("the same password hashes differently each time (per-password salt)", async () => {
    const [a, b] = await Promise.all([hashPassword(PW, CHEAP), hashPassword(PW, CHEAP)]);
    assert.notEqual(a, b);
  });

  test("Unicode: composed and decomposed forms of a password are the same password", async () => {
    const composed = "caf\u00e9-au-lait-2024";
    const decomposed = "cafe\u0301-au-lait-2024";
    const hash = await hashPassword(composed, CHEAP);
    assert.equal(await verifyPasswordHash(decomposed, hash), true);
  });

  test("attack: a stored hash with absurd cost parameters is refused, not run", async () => {
    const hash = await hashPassword(PW, CHEAP);
    const costly = hash.replace("ln=10", "ln=30");
    assert.equal(parsePasswordHash(costly), undefined);
    assert.equal(await verifyPasswordHash(PW, costly), false);
  });

  for (const [name, stored] of [
    ["empty", ""],
    ["another algorithm", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g"],
    ["a truncated salt", "$scrypt$ln=10,r=8,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ["garbage", "not a hash"],
  ] as const) {
    test(`attack: a malformed stored hash (${name}) verifies nothing`, async () => {
      assert.equal(await verifyPasswordHash(PW, stored), false);
    });
  }

  test("attack: an over-long password is refused before hashing", async () => {
    assert.throws(() => checkPasswordPolicy("x".repeat(2000)), PasswordPolicyError);
    const hash = await hashPassword(PW, CHEAP);
    assert.equal(await verifyPasswordHash("x".repeat(2000), hash), false);
  });

  test("a too-short new password is refused", async () => {
    await assert.rejects(hashPassword("short"), PasswordPolicyError);
  });

  test("weaker stored parameters are flagged for rehashing", async () => {
    assert.equal(needsRehash(await hashPassword(PW, CHEAP)), true);
    assert.equal(needsRehash(await hashPassword(PW)), false);
  });

  test("property: a hash verifies its own password and no other", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 12, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (password, other) => {
        const hash = await hashPassword(password, CHEAP);
        if (!(await verifyPasswordHash(password, hash))) return false;
        return password.normalize("NFC") === other.normalize("NFC") || !(await verifyPasswordHash(other, hash));
      }),
      { numRuns: 15 },
    );
  });
});

describe("user directory", () => {
  const directory = () => createUserDirectory(createMemoryUserStore(), { cost: CHEAP });

  test("createUser normalizes the name, gives a random id, never returns the hash", async () => {
    const users = directory();
    const alice = await users.createUser({ username: "  Alice@Example.com ", password: PW, roles: ["admin", "admin", "viewer"] });
    assert.equal(alice.username, "alice@example.com");
    assert.match(alice.id, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(alice.roles, ["admin", "viewer"]);
    assert.ok(!("passwordHash" in alice));
    const bob = await users.createUser({ username: "bob", password: PW });
    assert.notEqual(bob.id, alice.id);
  });

  test("a taken name (in any case) is refused", async () => {
    const users = directory();
    await users.createUser({ username: "alice", password: PW });
    await assert.rejects(users.createUser({ username: "ALICE", password: PW }), UsernameTakenError);
  });

  for (const name of ["", " ", "a b", "../etc", "<script>", "x".repeat(65), "-leading-dash", "tab\tname"]) {
    test(`an invalid user name is refused: ${JSON.stringify(name)}`, async () => {
      await assert.rejects(directory().createUser({ username: name, password: PW }), InvalidUsernameError);
    });
  }

  test("an invalid role name is refused", async () => {
    await assert.rejects(directory().createUser({ username: "alice", password: PW, roles: ["ad min"] }));
  });

  test("verifyPassword: right password yes; wrong password, unknown user, disabled user no", async () => {
    const users = directory();
    await users.createUser({ username: "alice", password: PW });
    assert.equal((await users.verifyPassword("alice", PW))?.username, "alice");
    assert.equal((await users.verifyPassword("Alice", PW))?.username, "alice");
    assert.equal(await users.verifyPassword("alice", "wrong password!!"), undefined);
    assert.equal(await users.verifyPassword("nobody", PW), undefined);
    assert.equal(await users.verifyPassword("not a valid name", PW), undefined);
    await users.setDisabled("alice", true);
    assert.equal(await users.verifyPassword("alice", PW), undefined);
    await users.setDisabled("alice", false);
    assert.ok(await users.verifyPassword("alice", PW));
  });

  test("setPassword replaces the password; the old one stops working", async () => {
    const users = directory();
    await users.createUser({ username: "alice", password: PW });
    await users.setPassword("alice", "a brand new passphrase");
    assert.equal(await users.verifyPassword("alice", PW), undefined);
    assert.ok(await users.verifyPassword("alice", "a brand new passphrase"));
  });

  test("deleteUser removes the user; changes to an unknown user are refused", async () => {
    const users = directory();
    const alice = await users.createUser({ username: "alice", password: PW });
    await users.deleteUser("alice");
    assert.equal(await users.findById(alice.id), undefined);
    assert.equal(await users.verifyPassword("alice", PW), undefined);
    await assert.rejects(users.setPassword("alice", PW), UnknownUserError);
    await assert.rejects(users.setRoles("nobody", []), UnknownUserError);
  });

  test("a store without setRoles / delete: those changes are refused, the rest works", async () => {
    const { setRoles: _r, delete: _d, ...minimal } = createMemoryUserStore();
    const users = createUserDirectory(minimal, { cost: CHEAP });
    await users.createUser({ username: "alice", password: PW });
    await assert.rejects(users.setRoles("alice", ["admin"]), /cannot change roles/);
    await assert.rejects(users.deleteUser("alice"), /disable the user instead/);
    await users.setDisabled("alice", true);
    assert.equal(await users.verifyPassword("alice", PW), undefined);
  });

  test("a conflict from a store reporting it the src/store way (code \"conflict\") is a taken name", async () => {
    const store = createMemoryUserStore();
    const conflicting: UserStore = { ...store, insert: async () => Promise.reject(Object.assign(new Error("exists"), { code: "conflict" })) };
    await assert.rejects(createUserDirectory(conflicting, { cost: CHEAP }).createUser({ username: "alice", password: PW }), UsernameTakenError);
  });

  test("a weak stored hash is upgraded on the next successful login", async () => {
    const store = createMemoryUserStore();
    await createUserDirectory(store, { cost: CHEAP }).createUser({ username: "alice", password: PW });
    const stronger = createUserDirectory(store, { cost: { ln: 11, r: 8, p: 1 } });
    assert.ok(await stronger.verifyPassword("alice", PW));
    assert.match((await store.findByUsername("alice"))!.passwordHash, /ln=11/);
  });
});
