/** Each MCP endpoint of the gateway as its own protected resource (src/auth/route-resources.ts). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { allRouteResources, routeResourcesFor } from "../../src/auth/route-resources.js";

describe("route resources", () => {
  test("a resource ending in /mcp names the aggregated route; each server's route is its own resource beside it", () => {
    const routes = routeResourcesFor("https://gw.example/mcp", ["files", "git-hub"]);
    assert.equal(routes.perRoute, true);
    assert.equal(routes.aggregate, "https://gw.example/mcp");
    assert.equal(routes.servers.get("files"), "https://gw.example/servers/files/mcp");
    assert.equal(routes.servers.get("git-hub"), "https://gw.example/servers/git-hub/mcp");
    assert.deepEqual(allRouteResources(routes), ["https://gw.example/mcp", "https://gw.example/servers/files/mcp", "https://gw.example/servers/git-hub/mcp"]);
  });

  test("behind a path prefix, the prefix is kept", () => {
    assert.equal(routeResourcesFor("https://gw.example/team-a/mcp", ["files"]).servers.get("files"), "https://gw.example/team-a/servers/files/mcp");
  });

  test("a resource that does not end in /mcp (an origin) is one resource for every route", () => {
    const routes = routeResourcesFor("https://gw.example", ["files"]);
    assert.equal(routes.perRoute, false);
    assert.equal(routes.servers.get("files"), "https://gw.example");
    assert.deepEqual(allRouteResources(routes), ["https://gw.example"]);
  });

  test("attack: no server name can make its route's resource another route's", () => {
    const routes = routeResourcesFor("https://gw.example/mcp", ["a", "b", "a_b", "a-b"]);
    const values = [...routes.servers.values(), routes.aggregate];
    assert.equal(new Set(values).size, values.length);
  });
});
