/** Converts a CSV cell's text to the JSON value of an attribute's type (RFC 7643 §2.3). */

/** The attribute metadata a conversion needs. */
export interface AttributeType {
  readonly type: string;
  readonly canonicalValues?: readonly string[] | undefined;
}

// xsd:dateTime (RFC 7643 §2.3.5): date, "T", time, optional fraction, optional zone.
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The value of `text` for an attribute of this type, or throws an Error whose message is the reason
 * (it becomes the detail of the row's failure). Text is trimmed only for non-string types.
 *
 * @example convertCell("True", { type: "boolean" }) // true
 */
export function convertCell(text: string, attribute: AttributeType): unknown {
  switch (attribute.type) {
    case "boolean": {
      const t = text.trim().toLowerCase();
      if (t === "true") return true;
      if (t === "false") return false;
      throw new Error(`${JSON.stringify(text)} is not a boolean (true or false)`);
    }
    case "integer": {
      const t = text.trim();
      // RFC 7643 §2.3.4: integers have no fraction or exponent; beyond 2^53 JSON numbers lose digits.
      if (!INTEGER.test(t)) throw new Error(`${JSON.stringify(text)} is not an integer`);
      const n = Number(t);
      if (!Number.isSafeInteger(n)) throw new Error(`${JSON.stringify(text)} is out of the integer range`);
      return n;
    }
    case "decimal": {
      const t = text.trim();
      const n = Number(t);
      if (!DECIMAL.test(t) || !Number.isFinite(n))
        throw new Error(`${JSON.stringify(text)} is not a decimal number`);
      return n;
    }
    case "dateTime": {
      const t = text.trim();
      if (!DATE_TIME.test(t) || Number.isNaN(Date.parse(t)))
        throw new Error(`${JSON.stringify(text)} is not an xsd:dateTime such as 2008-01-23T04:56:22Z`);
      return t;
    }
    case "complex":
      throw new Error("a complex attribute needs a sub-attribute in the header, e.g. name.givenName");
    default:
      return text;
  }
}
