/**
 * Shallow copies of the caller's objects where copy-on-write starts: the resource's top level, and a
 * complex value one sub-attribute of which changes (issue 16).
 *
 * `{ ...resource }` is V8's fast clone for an ordinary object (~80–100 ns for the 24-key RFC 7643 §8.3
 * user), but not for a frozen or sealed one: Node 20's V8 then defines each property in the runtime
 * (~500–1400 ns for the same user, measured side by side; a quarter of a 3-operation PATCH). Stored
 * resources handed to `applyPatch` may be frozen (the benchmark's input is deep-frozen, as a cache or an
 * immutable store would hand it over), so a non-extensible resource is copied through a template of its
 * key list instead:
 *
 * - the template is an ordinary object with the same keys in the same order, every value null (so it
 *   keeps no value of the resource it was made from alive), made once per key list;
 * - the copy is `{ ...template }` (the fast clone), then one keyed load and store per key into the
 *   properties the clone already has, at a fixed site per position ({@link copyFixed}). Each site sees
 *   one key and one shape per resource shape, so V8's inline caches stay monomorphic (polymorphic over a
 *   few shapes); a loop would send every key through one megamorphic site. Storing into existing
 *   properties adds none, so the copy keeps fast properties and the resource's key order (adding more
 *   than a dozen properties by keyed stores would make it a dictionary). Generating a copier per key set
 *   (`new Function`) is not an option: the server runs where code generation is forbidden.
 *
 * A frozen complex value copied to change one sub-attribute (`name` for `name.givenName`, values.ts
 * `withSub`) takes the same path through sites and templates of its own ({@link copyValue}): sharing the
 * top level's sites made both slower (measured), as each site then saw several shapes.
 * Either way the result equals the spread's (the top level's without the keys that could reach a
 * prototype); a frozen object's own `__proto__` key, or more keys than there are sites, takes the spread.
 */

/** Resources with more keys than {@link copyFixed} has sites are spread, whatever the cost. */
const FIXED_SITES = 32;
/** Templates kept per kind (the newest first): the key lists of the resources and values in use. */
const SHAPES = 16;

interface Shape {
  readonly keys: readonly string[];
  readonly template: Record<string, unknown>;
  /** No key that could reach a prototype (`__proto__`, `constructor`, `prototype`): the template path applies. */
  readonly plain: boolean;
}

const shapes: Shape[] = [];
/** The shape of the previous copy, tried first without building a key list. */
let lastShape: Shape | undefined;

/**
 * Whether `object` enumerates exactly `keys`, in order. for-in walks V8's enum cache without allocating
 * (Object.keys copies it into a new array); it would also list inherited enumerable keys, which only a
 * polluted Object.prototype has, and then simply does not match.
 */
function enumeratesExactly(object: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in object) if (keys[i++] !== key) return false;
  return i === keys.length;
}

/** The template of a key list (same keys, same order); undefined when none is kept. */
function shapeOf(keys: readonly string[]): Shape | undefined {
  return shapeIn(shapes, keys);
}

function shapeIn(shapes: Shape[], keys: readonly string[]): Shape | undefined {
  const n = keys.length;
  next: for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s] as Shape;
    const known = shape.keys;
    if (known.length !== n) continue;
    for (let i = 0; i < n; i++) if (known[i] !== keys[i]) continue next;
    return shape;
  }
  return undefined;
}

function addShape(source: Record<string, unknown>, keys: readonly string[]): Shape {
  return addShapeTo(shapes, source, keys);
}

function addShapeTo(shapes: Shape[], source: Record<string, unknown>, keys: readonly string[]): Shape {
  const template: Record<string, unknown> = { ...source };
  for (let i = 0; i < keys.length; i++) template[keys[i] as string] = null;
  const plain = !keys.includes("__proto__") && !keys.includes("constructor") && !keys.includes("prototype");
  const shape = { keys, template, plain };
  if (shapes.length >= SHAPES) shapes.pop();
  shapes.unshift(shape);
  return shape;
}

/**
 * The top level of the resource, copied; keys that could reach a prototype are left out. JSON.parse
 * makes `__proto__` an own data key, which a spread copies as data, so it is deleted afterwards; an own
 * `constructor` holding anything but Object, and an own `prototype`, likewise. A frozen resource without
 * such keys (the usual one) is copied through its template (module comment).
 */
export function topLevelCopy(resource: Record<string, unknown>): Record<string, unknown> {
  if (!Object.isExtensible(resource)) {
    let shape = lastShape;
    if (shape === undefined || !enumeratesExactly(resource, shape.keys)) {
      const keys = Object.keys(resource);
      shape = keys.length > FIXED_SITES ? undefined : (shapeOf(keys) ?? addShape(resource, keys));
      lastShape = shape;
    }
    if (shape?.plain) return copyFixed({ ...shape.template }, resource, shape.keys, shape.keys.length);
  }
  const working: Record<string, unknown> = { ...resource };
  if (Object.hasOwn(working, "__proto__")) Reflect.deleteProperty(working, "__proto__");
  // Named reads, cheaper than hasOwn calls: the inherited `constructor` is Object (an own one holding
  // Object itself is harmless data and stays), and no `prototype` is inherited, so `in` sees only an own one.
  if (working.constructor !== Object && Object.hasOwn(working, "constructor"))
    Reflect.deleteProperty(working, "constructor");
  if ("prototype" in working) Reflect.deleteProperty(working, "prototype");
  return working;
}

const valueShapes: Shape[] = [];
let lastValueShape: Shape | undefined;

/** Complex values with more keys than {@link copyValueFixed} has sites are spread. */
const VALUE_SITES = 8;

/**
 * A shallow copy of a complex value (the `name` whose `givenName` a PATCH replaces): a spread, or for a
 * frozen value the template path of the module comment, through sites of its own ({@link copyValueFixed}).
 */
export function copyValue(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.isExtensible(value)) return { ...value };
  let shape = lastValueShape;
  if (shape === undefined || !enumeratesExactly(value, shape.keys)) {
    const keys = Object.keys(value);
    shape =
      keys.length > VALUE_SITES
        ? undefined
        : (shapeIn(valueShapes, keys) ?? addShapeTo(valueShapes, value, keys));
    lastValueShape = shape;
  }
  if (shape?.plain) return copyValueFixed({ ...shape.template }, value, shape.keys, shape.keys.length);
  return { ...value };
}

function copyValueFixed(
  out: Record<string, unknown>,
  source: Record<string, unknown>,
  keys: readonly string[],
  n: number,
): Record<string, unknown> {
  let k: string;
  if (n <= 0) return out;
  k = keys[0] as string;
  out[k] = source[k];
  if (n <= 1) return out;
  k = keys[1] as string;
  out[k] = source[k];
  if (n <= 2) return out;
  k = keys[2] as string;
  out[k] = source[k];
  if (n <= 3) return out;
  k = keys[3] as string;
  out[k] = source[k];
  if (n <= 4) return out;
  k = keys[4] as string;
  out[k] = source[k];
  if (n <= 5) return out;
  k = keys[5] as string;
  out[k] = source[k];
  if (n <= 6) return out;
  k = keys[6] as string;
  out[k] = source[k];
  if (n <= 7) return out;
  k = keys[7] as string;
  out[k] = source[k];
  return out;
}

/**
 * `out[keys[i]] = source[keys[i]]` for the first `n` keys (n ≤ 32), one site per position: written out,
 * not looped, on purpose (module comment). `out` already has every key, and `__proto__` is not one.
 */
function copyFixed(
  out: Record<string, unknown>,
  source: Record<string, unknown>,
  keys: readonly string[],
  n: number,
): Record<string, unknown> {
  let k: string;
  if (n <= 0) return out;
  k = keys[0] as string;
  out[k] = source[k];
  if (n <= 1) return out;
  k = keys[1] as string;
  out[k] = source[k];
  if (n <= 2) return out;
  k = keys[2] as string;
  out[k] = source[k];
  if (n <= 3) return out;
  k = keys[3] as string;
  out[k] = source[k];
  if (n <= 4) return out;
  k = keys[4] as string;
  out[k] = source[k];
  if (n <= 5) return out;
  k = keys[5] as string;
  out[k] = source[k];
  if (n <= 6) return out;
  k = keys[6] as string;
  out[k] = source[k];
  if (n <= 7) return out;
  k = keys[7] as string;
  out[k] = source[k];
  if (n <= 8) return out;
  k = keys[8] as string;
  out[k] = source[k];
  if (n <= 9) return out;
  k = keys[9] as string;
  out[k] = source[k];
  if (n <= 10) return out;
  k = keys[10] as string;
  out[k] = source[k];
  if (n <= 11) return out;
  k = keys[11] as string;
  out[k] = source[k];
  if (n <= 12) return out;
  k = keys[12] as string;
  out[k] = source[k];
  if (n <= 13) return out;
  k = keys[13] as string;
  out[k] = source[k];
  if (n <= 14) return out;
  k = keys[14] as string;
  out[k] = source[k];
  if (n <= 15) return out;
  k = keys[15] as string;
  out[k] = source[k];
  if (n <= 16) return out;
  k = keys[16] as string;
  out[k] = source[k];
  if (n <= 17) return out;
  k = keys[17] as string;
  out[k] = source[k];
  if (n <= 18) return out;
  k = keys[18] as string;
  out[k] = source[k];
  if (n <= 19) return out;
  k = keys[19] as string;
  out[k] = source[k];
  if (n <= 20) return out;
  k = keys[20] as string;
  out[k] = source[k];
  if (n <= 21) return out;
  k = keys[21] as string;
  out[k] = source[k];
  if (n <= 22) return out;
  k = keys[22] as string;
  out[k] = source[k];
  if (n <= 23) return out;
  k = keys[23] as string;
  out[k] = source[k];
  if (n <= 24) return out;
  k = keys[24] as string;
  out[k] = source[k];
  if (n <= 25) return out;
  k = keys[25] as string;
  out[k] = source[k];
  if (n <= 26) return out;
  k = keys[26] as string;
  out[k] = source[k];
  if (n <= 27) return out;
  k = keys[27] as string;
  out[k] = source[k];
  if (n <= 28) return out;
  k = keys[28] as string;
  out[k] = source[k];
  if (n <= 29) return out;
  k = keys[29] as string;
  out[k] = source[k];
  if (n <= 30) return out;
  k = keys[30] as string;
  out[k] = source[k];
  if (n <= 31) return out;
  k = keys[31] as string;
  out[k] = source[k];
  return out;
}
