import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { claimAt, mapClaims, scopesOf } from "../../../src/auth/jwt/claim-mapping.js";
import { claimMappingSchema } from "../../../src/auth/jwt/config.js";

const mapping = (value: unknown) => claimMappingSchema.parse(value);

describe("claim mapping", () => {
  test("claimAt: a name with dots is one claim; a path walks objects", () => {
    const claims = { "https://example.com/roles": ["a"], realm_access: { roles: ["b"] }, "realm_access.roles": ["c"] };
    assert.deepEqual(claimAt(claims, "https://example.com/roles"), ["a"]);
    assert.deepEqual(claimAt(claims, ["realm_access", "roles"]), ["b"]);
    assert.deepEqual(claimAt(claims, "realm_access.roles"), ["c"]);
    assert.equal(claimAt(claims, ["realm_access", "missing"]), undefined);
    assert.equal(claimAt(claims, ["https://example.com/roles", "0"]), undefined);
  });
  test("claimAt does not reach inherited properties", () => {
    assert.equal(claimAt({}, "constructor"), undefined);
    assert.equal(claimAt({ a: {} }, ["a", "__proto__"]), undefined);
  });
  test("roles from several claims, strings and lists, de-duplicated, non-strings dropped", () => {
    const result = mapClaims({ roles: ["editor", 5, "viewer"], role: "editor", realm: { roles: ["ops"] } }, mapping({ roles: ["roles", "role", ["realm", "roles"]] }));
    assert.deepEqual(result.roles, ["editor", "viewer", "ops"]);
  });
  test("a roleMap admits only mapped values: a token cannot name itself admin", () => {
    const result = mapClaims({ groups: ["admin", "gw-readers"] }, mapping({ roles: ["groups"], roleMap: { "gw-readers": ["viewer"] } }));
    assert.deepEqual(result.roles, ["viewer"]);
  });
  test("a roleMap key that is a prototype name maps nothing", () => {
    const result = mapClaims({ r: ["constructor", "toString"] }, mapping({ roles: ["r"], roleMap: { x: ["viewer"] } }));
    assert.deepEqual(result.roles, []);
  });
  test("default roles are always given", () => {
    assert.deepEqual(mapClaims({}, mapping({ defaultRoles: ["viewer"] })).roles, ["viewer"]);
  });
  test("no mapping gives no roles", () => {
    assert.deepEqual(mapClaims({ roles: ["admin"] }, mapping({})).roles, []);
  });
  test("groups, tenant and extra attributes", () => {
    const result = mapClaims(
      { groups: ["eng"], org: { id: "acme" }, dept: "R&D", client_id: "cli" },
      mapping({ groups: ["groups"], tenant: ["org", "id"], attributes: JSON.parse('{"department":"dept","__proto__":"dept","constructor":"dept"}') }),
    );
    assert.deepEqual(result.attributes, { department: "R&D", groups: ["eng"], tenant: "acme", client_id: "cli" });
    assert.equal(Object.getPrototypeOf(result.attributes), Object.prototype);
  });
  test("azp stands in for client_id", () => {
    assert.equal(mapClaims({ azp: "web" }, mapping({})).attributes.client_id, "web");
  });
  test("scopes from scope (space-separated) and scp (list or string), de-duplicated", () => {
    assert.deepEqual(scopesOf({ scope: "a b  c", scp: ["c", "d", 7] }), ["a", "b", "c", "d"]);
    assert.deepEqual(scopesOf({ scp: "x y" }), ["x", "y"]);
    assert.deepEqual(scopesOf({ scope: 42 }), []);
  });
  test("values are bounded: at most 256, each at most 256 characters", () => {
    const many = Array.from({ length: 1000 }, (_, i) => `r${i}`);
    const result = mapClaims({ roles: [...many, "x".repeat(300)], scope: many.join(" ") }, mapping({ roles: ["roles"] }));
    assert.equal(result.roles.length, 256);
    assert.equal(result.scopes.length, 256);
    assert.ok(result.roles.every((r) => r.length <= 256), "every role at most 256 characters");
  });
  test("mfaAt only with an MFA amr value and a numeric auth_time", () => {
    const m = mapping({});
    assert.equal(mapClaims({ amr: ["mfa"], auth_time: 100 }, m).mfaAt, 100_000);
    assert.equal(mapClaims({ amr: ["pwd"], auth_time: 100 }, m).mfaAt, undefined);
    assert.equal(mapClaims({ amr: ["mfa"] }, m).mfaAt, undefined);
    assert.equal(mapClaims({ amr: "mfa", auth_time: "100" }, m).mfaAt, undefined);
  });
});
