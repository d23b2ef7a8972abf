/**
 * The complete environment of a stdio child: the variables its config declares, plus PATH (so a
 * bare command name such as `npx` resolves), and nothing else. The gateway's own environment
 * (API keys, database URLs, cloud credentials) never reaches an upstream. A declared PATH wins.
 */
export function childEnvironment(declared: Readonly<Record<string, string>>, inheritedPath: string | undefined): Record<string, string> {
  // A prototype-free object: a declared key such as "__proto__" stays an ordinary variable.
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(declared)) env[key] = value;
  if (!Object.hasOwn(env, "PATH") && inheritedPath !== undefined) env.PATH = inheritedPath;
  return env;
}
