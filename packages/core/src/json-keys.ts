/**
 * Own keys that can never name an attribute and must never be copied onto an object with `obj[key] =`:
 * `__proto__` would replace the object's prototype, `constructor` and `prototype` are its plumbing
 * (prototype pollution). Used wherever JSON from outside is walked or copied.
 *
 * @example
 * for (const key of Object.keys(body)) if (!isForbiddenKey(key)) copy[key] = body[key];
 */
export function isForbiddenKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}
