/**
 * Names on the aggregated `/mcp` route. Tools and prompts are `SERVER__name`; resource URIs are
 * `bastion://SERVER/` followed by the server's own URI, verbatim, so URI templates still expand
 * (`bastion://files/file:///{path}`). Server names never contain `__` nor end in `_` (config
 * enforces it), so the first `__` always ends the server name and no two servers collide.
 */

export const NAME_SEPARATOR = "__";
export const URI_SCHEME = "bastion://";

export const namespaceName = (server: string, name: string): string => `${server}${NAME_SEPARATOR}${name}`;

export function splitName(value: string): { server: string; name: string } | undefined {
  const at = value.indexOf(NAME_SEPARATOR);
  if (at <= 0) return undefined;
  const name = value.slice(at + NAME_SEPARATOR.length);
  return name === "" ? undefined : { server: value.slice(0, at), name };
}

export const wrapUri = (server: string, uri: string): string => `${URI_SCHEME}${server}/${uri}`;

export function unwrapUri(value: string): { server: string; uri: string } | undefined {
  if (!value.startsWith(URI_SCHEME)) return undefined;
  const slash = value.indexOf("/", URI_SCHEME.length);
  if (slash <= URI_SCHEME.length) return undefined;
  const uri = value.slice(slash + 1);
  return uri === "" ? undefined : { server: value.slice(URI_SCHEME.length, slash), uri };
}
