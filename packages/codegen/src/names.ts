const RESERVED = new Set([
  "Array",
  "Boolean",
  "Date",
  "Error",
  "Function",
  "Map",
  "Number",
  "Object",
  "Promise",
  "Record",
  "Set",
  "String",
  "Symbol",
]);

/**
 * A schema or resource type name as a TypeScript type name: words joined in PascalCase, characters
 * that cannot appear in an identifier dropped, a leading digit prefixed with "_".
 *
 * @example
 * pascalCase("Service Provider Configuration"); // "ServiceProviderConfiguration"
 * pascalCase("x509Certificates");               // "X509Certificates"
 */
export function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  if (joined === "") return "_";
  const id = /^[0-9]/.test(joined) ? `_${joined}` : joined;
  return RESERVED.has(id) ? `Scim${id}` : id;
}

/**
 * A PascalCase name as a CONSTANT_CASE identifier.
 *
 * @example
 * constantCase("EnterpriseUser"); // "ENTERPRISE_USER"
 */
export function constantCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

/**
 * The English singular of a plural attribute name, for naming one element of a multi-valued complex
 * attribute (`emails` → `email`). `undefined` when the name does not look plural.
 *
 * @example
 * singular("addresses"); // "address"
 * singular("x509Certificates"); // "x509Certificate"
 */
export function singular(name: string): string | undefined {
  if (/ies$/.test(name) && name.length > 3) return `${name.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z)es$/.test(name)) return name.slice(0, -2);
  // -us and -is words ("status", "analysis") are singular far more often than plural.
  if (/[^isu]s$/.test(name)) return name.slice(0, -1);
  return undefined;
}
