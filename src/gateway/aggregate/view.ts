import { isPlainObject } from "../modern/envelope.js";
import { namespaceName, wrapUri } from "./names.js";

/**
 * Rewrites one server's results and notifications into the aggregated route's names. Only the
 * fields that name something change; everything else is passed through untouched.
 */

type Json = Record<string, unknown>;

function mapArray(value: unknown, map: (item: Json) => Json): unknown {
  return Array.isArray(value) ? value.map((item) => (isPlainObject(item) ? map(item) : item)) : value;
}

/** A content block that points at a resource (a resource_link, or an embedded resource). */
function viewContent(server: string, block: Json): Json {
  if (block["type"] === "resource_link" && typeof block["uri"] === "string") return { ...block, uri: wrapUri(server, block["uri"]) };
  if (block["type"] === "resource" && isPlainObject(block["resource"]) && typeof block["resource"]["uri"] === "string") {
    return { ...block, resource: { ...block["resource"], uri: wrapUri(server, block["resource"]["uri"]) } };
  }
  return block;
}

const withName = (server: string) => (item: Json): Json =>
  typeof item["name"] === "string" ? { ...item, name: namespaceName(server, item["name"]) } : item;
const withUri = (server: string) => (item: Json): Json =>
  typeof item["uri"] === "string" ? { ...item, uri: wrapUri(server, item["uri"]) } : item;
const withUriTemplate = (server: string) => (item: Json): Json =>
  typeof item["uriTemplate"] === "string" ? { ...item, uriTemplate: wrapUri(server, item["uriTemplate"]) } : item;

/** The list key and the item rewrite for each list method. */
export const LIST_VIEWS: Readonly<Record<string, { key: string; item: (server: string) => (item: Json) => Json }>> = {
  "tools/list": { key: "tools", item: withName },
  "prompts/list": { key: "prompts", item: withName },
  "resources/list": { key: "resources", item: withUri },
  "resources/templates/list": { key: "resourceTemplates", item: withUriTemplate },
};

/** A routed call's result in the aggregated names. */
export function viewResult(server: string, method: string, result: Json): Json {
  switch (method) {
    case "tools/call":
      return { ...result, content: mapArray(result["content"], (block) => viewContent(server, block)) };
    case "prompts/get":
      return {
        ...result,
        messages: mapArray(result["messages"], (message) =>
          isPlainObject(message["content"]) ? { ...message, content: viewContent(server, message["content"]) } : message,
        ),
      };
    case "resources/read":
      return { ...result, contents: mapArray(result["contents"], withUri(server)) };
    default:
      return result;
  }
}

/** A server's notification in the aggregated names (resource updates name a URI). */
export function viewNotificationParams(server: string, method: string, params: Json | undefined): Json | undefined {
  if (method === "notifications/resources/updated" && params !== undefined && typeof params["uri"] === "string") {
    return { ...params, uri: wrapUri(server, params["uri"]) };
  }
  return params;
}
