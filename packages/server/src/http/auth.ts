import type { Env } from "./call.js";
import type { Principal } from "./options.js";

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i % (y.length || 1)] ?? 0);
  return diff === 0;
}

export async function authenticate(env: Env, request: Request): Promise<Principal | undefined> {
  const auth = env.options.auth;
  if (!auth) return { tenant: "default" };
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const token = match[1] as string;
  if (auth.tokens) {
    const entries: [string, string][] = Array.isArray(auth.tokens)
      ? (auth.tokens as readonly string[]).map((t) => [t, "default"])
      : Object.entries(auth.tokens as Record<string, string>);
    let found: Principal | undefined;
    // Compare against every token so timing does not reveal which one (or whether any) matched.
    for (const [candidate, tenant] of entries)
      if (constantTimeEqual(token, candidate) && !found) found = { tenant, subject: `token:${tenant}` };
    if (found) return found;
  }
  if (auth.verify) return auth.verify(token, request);
  return undefined;
}
