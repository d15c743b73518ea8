/**
 * Splits a JSON array into the text of its elements as chunks arrive, so a file of a million users is
 * never held whole: only the element being read is buffered (RFC 8259 strings and nesting tracked).
 */

/** One element's text and its 1-based index, or a structural problem that ends the stream. */
export type ScannedElement = { index: number; text: string };

/**
 * The elements of the JSON array in `chunks`. Throws an Error when the text is not an array (the
 * message says what was found); an element that is not valid JSON is still yielded and fails to parse.
 *
 * @example for await (const { index, text } of jsonArrayElements(['[{"a":1},', '{"a":2}]'])) JSON.parse(text)
 */
export async function* jsonArrayElements(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
): AsyncIterable<ScannedElement> {
  const decoder = new TextDecoder();
  let state: "before" | "between" | "element" | "after" = "before";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let buffer = "";
  let index = 0;
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (state === "element") {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          continue;
        }
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          if (depth === 0) {
            // "]" closing the array itself
            yield { index: ++index, text: buffer + text.slice(start, i) };
            buffer = "";
            state = "after";
            continue;
          }
          depth--;
        } else if (c === 0x2c && depth === 0) {
          yield { index: ++index, text: buffer + text.slice(start, i) };
          buffer = "";
          state = "between";
        }
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
      if (state === "before") {
        if (c !== 0x5b)
          throw new Error(`expected a JSON array of User bodies ("["), found ${JSON.stringify(text[i])}`);
        state = "between";
        continue;
      }
      if (state === "after")
        throw new Error(`unexpected ${JSON.stringify(text[i])} after the array's closing "]"`);
      // state "between": an element starts (or the array ends when it is empty)
      if (c === 0x5d && index === 0) {
        state = "after";
        continue;
      }
      state = "element";
      depth = 0;
      start = i;
      i--; // read this character as part of the element
    }
    if (state === "element") buffer += text.slice(start);
  }
  const end = state as string;
  if (end === "before") throw new Error("the JSON is empty");
  if (end !== "after") throw new Error("the JSON array is not closed (truncated file?)");
}
