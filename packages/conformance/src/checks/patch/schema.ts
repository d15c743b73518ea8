import type { CheckContext } from "../../types.js";

/** One attribute definition as /Schemas describes it (RFC 7643 §7). */
export interface AttributeDef {
  readonly name: string;
  readonly type: string;
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly mutability: string;
  readonly returned: string;
  readonly caseExact: boolean;
  readonly canonicalValues: readonly unknown[];
  readonly referenceTypes: readonly string[];
  readonly subAttributes: readonly AttributeDef[];
}

/** A resource type with its core schema and extensions, resolved from /ResourceTypes and /Schemas. */
export interface TypeInfo {
  readonly name: string;
  readonly endpoint: string;
  readonly schema: string;
  readonly attributes: readonly AttributeDef[];
  readonly extensions: readonly { readonly urn: string; readonly attributes: readonly AttributeDef[] }[];
}

/** A top-level attribute a PATCH `path` can name: core by name, extension by full URN (RFC 7644 §3.10). */
export interface Target {
  readonly path: string;
  readonly attribute: AttributeDef;
  /** The extension URN, for extension attributes (their body key in a create). */
  readonly urn?: string;
}

function attributeOf(raw: unknown): AttributeDef | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  if (typeof a.name !== "string") return undefined;
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return {
    name: a.name,
    type: typeof a.type === "string" ? a.type : "string",
    multiValued: a.multiValued === true,
    required: a.required === true,
    // RFC 7643 §7 defaults: mutability readWrite, returned default, caseExact false.
    mutability: typeof a.mutability === "string" ? a.mutability : "readWrite",
    returned: typeof a.returned === "string" ? a.returned : "default",
    caseExact: a.caseExact === true,
    canonicalValues: list(a.canonicalValues),
    referenceTypes: list(a.referenceTypes).filter((t): t is string => typeof t === "string"),
    subAttributes: list(a.subAttributes).flatMap((s) => attributeOf(s) ?? []),
  };
}

/** The attribute definitions of one schema id, or [] when /Schemas does not describe it. */
function schemaAttributes(schemas: readonly Record<string, unknown>[], id: string): AttributeDef[] {
  const schema = schemas.find((s) => typeof s.id === "string" && s.id.toLowerCase() === id.toLowerCase());
  return Array.isArray(schema?.attributes) ? schema.attributes.flatMap((a) => attributeOf(a) ?? []) : [];
}

/** Every resource type the server advertises whose core schema /Schemas describes. */
export async function resourceTypes(ctx: CheckContext): Promise<TypeInfo[]> {
  const { resourceTypes: types, schemas } = await ctx.discovery();
  const out: TypeInfo[] = [];
  for (const t of types) {
    if (typeof t.name !== "string" || typeof t.endpoint !== "string" || typeof t.schema !== "string")
      continue;
    const attributes = schemaAttributes(schemas, t.schema);
    if (attributes.length === 0) continue;
    const extensions = (Array.isArray(t.schemaExtensions) ? t.schemaExtensions : []).flatMap((e) => {
      const urn = (e as { schema?: unknown }).schema;
      return typeof urn === "string" ? [{ urn, attributes: schemaAttributes(schemas, urn) }] : [];
    });
    out.push({
      name: t.name,
      endpoint: `/${t.endpoint.replace(/^\/+/, "")}`,
      schema: t.schema,
      attributes,
      extensions,
    });
  }
  return out;
}

/** A client may set it and read it back: readWrite and not returned "never" (RFC 7643 §2.2). */
export function isWritable(attribute: AttributeDef): boolean {
  return attribute.mutability === "readWrite" && attribute.returned !== "never";
}

/** Every top-level attribute of a type, core first, extension attributes under their full URN path. */
export function targets(type: TypeInfo): Target[] {
  return [
    ...type.attributes.map((attribute) => ({ path: attribute.name, attribute })),
    ...type.extensions.flatMap(({ urn, attributes }) =>
      attributes.map((attribute) => ({ path: `${urn}:${attribute.name}`, attribute, urn })),
    ),
  ];
}
