/**
 * CSV source (RFC 4180, parsed by csv-parse, streamed): the header names attribute paths of the
 * target's User; each row becomes one user. See README "Mapping rules".
 */
import { type Parser, parse } from "csv-parse";
import { SyncUsageError } from "../errors.js";
import type { Assignment, ResolvedPath, SourceContext, SourceItem, SyncSource } from "../types.js";
import { chunksOf, describeInput, type SourceInput } from "./input.js";

/** Options of {@link csvSource}. */
export interface CsvSourceOptions {
  /** Field delimiter (default `,`). */
  delimiter?: string | undefined;
  /** Separator of group displayNames in the `groups` column (default `;`). */
  groupSeparator?: string | undefined;
}

/**
 * Bytes handed to csv-parse at a time: its writable highWaterMark, not a whole 64 KiB file chunk.
 * csv-parse turns a written chunk into all of its records at once (~735 of the bench's rows per 64 KiB),
 * and they wait in its readable buffer until read. In some runs of a million-row dry run (2 of 6 with
 * 64 KiB, 0 of 6 with 16 KiB; README "Memory") about 1 MB of them survived every young-generation
 * collection and was promoted (350 MB in all instead of 11 MB), and the heap grew to ~100 MB.
 */
const FEED_PIECE = 16 * 1024;

type Column = { kind: "groups" } | { kind: "path"; path: ResolvedPath; header: string };

/** Resolves the header row; unknown or duplicate columns are a usage error naming each with the closest path. */
function columnsOf(header: readonly string[], context: SourceContext, description: string): Column[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const columns = header.map((cell, index): Column => {
    const name = cell.trim();
    let column: Column | undefined;
    let canonical = "groups";
    if (name.toLowerCase() === "groups") column = { kind: "groups" };
    else {
      const resolved = context.schema.resolve(name);
      if ("error" in resolved) problems.push(`column ${index + 1} "${name}": ${resolved.error}`);
      else {
        column = { kind: "path", path: resolved, header: name };
        canonical = resolved.canonical;
      }
    }
    const before = seen.get(canonical.toLowerCase());
    if (column !== undefined && before !== undefined)
      problems.push(`column ${index + 1} "${name}" names the same attribute as column ${before + 1}`);
    seen.set(canonical.toLowerCase(), index);
    return column ?? { kind: "groups" };
  });
  if (header.length === 0 || (header.length === 1 && header[0]?.trim() === ""))
    problems.push("the header row is empty");
  if (problems.length > 0)
    throw new SyncUsageError(
      `${description}: the header does not match the target's User schema:\n  ${problems.join("\n  ")}`,
    );
  return columns;
}

/**
 * Users from a CSV file or stream. Row numbers are spreadsheet rows: the header is row 1, so the
 * first user is row 2 (a quoted cell spanning lines is still one row).
 *
 * @example const source = csvSource("./users.csv");
 */
export function csvSource(input: SourceInput, options: CsvSourceOptions = {}): SyncSource {
  const description = describeInput(input, "CSV");
  const separator = options.groupSeparator ?? ";";
  return {
    description,
    async *open(context: SourceContext): AsyncIterable<SourceItem> {
      const skipped: Error[] = [];
      const parser = parse({
        bom: true,
        delimiter: options.delimiter ?? ",",
        skip_empty_lines: true,
        // Header cells like emails[type eq "work"].value hold quotes in an unquoted field, which strict
        // RFC 4180 forbids; accepting them keeps the documented header writable without quoting.
        relax_quotes: true,
        skip_records_with_error: true,
      });
      parser.on("skip", (error: Error) => skipped.push(error));
      const feed = (async () => {
        try {
          for await (const chunk of chunksOf(input)) {
            // destroyed: the consumer stopped (abort, or an error): stop reading the file too
            if (parser.destroyed || context.signal?.aborted) break;
            // in pieces: see FEED_PIECE; a string (text in memory) is written whole, never split in a pair
            if (typeof chunk === "string") {
              if (!parser.write(chunk)) await drained(parser);
            } else
              for (let at = 0; at < chunk.length && !parser.destroyed; at += FEED_PIECE)
                if (!parser.write(chunk.subarray(at, at + FEED_PIECE))) await drained(parser);
          }
          if (!parser.destroyed) parser.end();
        } catch (error) {
          parser.destroy(error instanceof Error ? error : new Error(String(error)));
        }
      })();
      let columns: Column[] | undefined;
      // Rows read so far (header included), and records csv-parse accepted: a skipped record's error
      // carries the count of accepted records before it, which places it among the rows.
      let row = 0;
      let accepted = 0;
      const failed = (error: Error & { records?: number }): SourceItem => {
        row++;
        if (columns === undefined)
          throw new SyncUsageError(`${description}: the header row cannot be read: ${error.message}`);
        const detail = `row ${row}: ${error.message}`;
        return { kind: "error", row, failure: { row, status: 400, scimType: "invalidSyntax", detail } };
      };
      const due = () => {
        const head = skipped[0] as (Error & { records?: number }) | undefined;
        return head !== undefined && (head.records ?? 0) <= accepted ? skipped.shift() : undefined;
      };
      try {
        for await (const record of parser as AsyncIterable<string[]>) {
          for (let e = due(); e !== undefined; e = due()) yield failed(e);
          accepted++;
          row++;
          if (columns === undefined) {
            columns = columnsOf(record, context, description);
            continue;
          }
          yield rowOf(record, columns, row, separator);
          if (context.signal?.aborted) return;
        }
        for (const error of skipped.splice(0)) yield failed(error);
        if (columns === undefined) throw new SyncUsageError(`${description}: the CSV has no header row`);
      } finally {
        if (!parser.writableEnded || !parser.readableEnded) parser.destroy();
        await feed;
      }
    },
  };
}

/**
 * Resolves when the parser takes writes again ('drain') or is gone ('close'), and removes BOTH listeners
 * either way: a 'close' listener left behind per wait would pile up, one per chunk of back-pressure, for
 * the whole file (Node's MaxListenersExceededWarning after 10).
 */
function drained(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      parser.off("drain", done);
      parser.off("close", done);
      resolve();
    };
    parser.once("drain", done);
    parser.once("close", done);
  });
}

function rowOf(
  record: readonly string[],
  columns: readonly Column[],
  row: number,
  separator: string,
): SourceItem {
  const assignments: Assignment[] = [];
  let groups: string[] | undefined;
  const problems: string[] = [];
  columns.forEach((column, index) => {
    const cell = record[index] ?? "";
    if (column.kind === "groups") {
      groups = cell
        .split(separator)
        .map((g) => g.trim())
        .filter((g) => g !== "");
      return;
    }
    try {
      assignments.push(column.path.assign(cell));
    } catch (error) {
      problems.push(`column "${column.header}": ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  if (problems.length > 0)
    return {
      kind: "error",
      row,
      failure: { row, status: 400, scimType: "invalidValue", detail: `row ${row}, ${problems.join("; ")}` },
      assignments,
    };
  return { kind: "user", row, assignments, groups };
}
