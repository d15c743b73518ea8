import { type AttributeDefinition, ScimError } from "@scimkit/core";
import type { Filter } from "@scimkit/filter";
import type { ExtensionContext, TypeContext } from "../context.js";
import type { NormalizeMode } from "../normalize.js";
import type { PatchOptions } from "./apply-patch.js";
import type { CompiledCheck } from "./compiled-value.js";

export type Op = "add" | "remove" | "replace";

export interface Operation {
  readonly op: Op;
  /** The trimmed path; undefined when absent or blank. */
  readonly path: string | undefined;
  /** undefined when absent. */
  readonly value: unknown;
  /** Position in "Operations", for error messages. */
  readonly index: number;
}

export interface Run {
  readonly context: TypeContext;
  readonly strict: boolean;
  readonly mode: NormalizeMode;
  readonly options: PatchOptions;
  /** The resource given: never changed; the working copy shares every value the request leaves alone. */
  readonly source: Record<string, unknown>;
  /** The working copy: top level copied, attribute values copied before they are changed. */
  readonly resource: Record<string, unknown>;
  /** Values this run created (and so may change in place); made on first use, as most runs need none. */
  owned: Set<object> | undefined;
  /**
   * Multi-valued complex attributes an operation wrote (set or remove): the only ones whose values can
   * break the one-primary rule (finish).
   */
  readonly touched: AttributeDefinition[];
  /** Extensions the resource had before the request. */
  readonly hadExtension: ReadonlySet<string>;
}

export const OPS: readonly Op[] = ["add", "remove", "replace"];

export function fail(index: number, error: ScimError): never {
  throw new ScimError({
    status: error.status,
    scimType: error.scimType,
    detail: `Operations[${index}]: ${error.detail}`,
    cause: error,
  });
}

export interface Target {
  /** The attribute the path names (for `attr.sub` or `attr[f].sub`, the top-level attribute). */
  readonly attribute: AttributeDefinition;
  /** The sub-attribute, for `attr.sub` or `attr[filter].sub`. */
  readonly sub?: AttributeDefinition;
  readonly filter?: Filter;
  readonly filterText?: string;
  /** The extension the attribute belongs to, if any. */
  readonly extension?: ExtensionContext;
  /** How errors name the target. */
  readonly where: string;
  /**
   * What the engine derives from a resolved target, filled on first use (values.ts, filtered.ts): a
   * property read instead of a WeakMap look-up per operation. Resolved targets are cached per context
   * (target.ts), so this lives as long; targets made on the fly (extension values) have none.
   */
  readonly memo?: TargetMemo;
}

export interface TargetMemo {
  /** The compiled check of the whole value, and of one element of a multi-valued attribute. */
  whole: CompiledCheck | undefined;
  element: CompiledCheck | undefined;
  /** The value filter, compiled. */
  predicate: ((element: unknown) => boolean) | undefined;
}

export type Resolved = Target | { extensionOnly: ExtensionContext };

/** Records a multi-valued complex attribute as written, for finish's one-primary check. */
export function touch(run: Run, target: Target): void {
  const attribute = target.attribute;
  if (attribute.multiValued && attribute.type === "complex" && !run.touched.includes(attribute))
    run.touched.push(attribute);
}
