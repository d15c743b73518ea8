import type { StoredResource } from "../stores/store.js";

export function etag(stored: StoredResource): string {
  return `W/"${stored.version}"`;
}

/** The version an If-Match / If-None-Match header names, when it is one of ours. */
export function versionOf(header: string | null): number | undefined | "*" {
  if (header === null) return undefined;
  const value = header.trim();
  if (value === "*") return "*";
  const match = /^(?:W\/)?"(\d+)"$/.exec(value);
  return match ? Number(match[1]) : -1;
}

/** The versions an If-Match / If-None-Match list names (RFC 9110 §13.1: a comma-separated list of entity-tags). */
export function versionsOf(header: string | null): number[] | undefined | "*" {
  if (header === null) return undefined;
  if (header.trim() === "*") return "*";
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? [])
    .map((tag) => versionOf(tag))
    .filter((v): v is number => typeof v === "number" && v >= 0);
}
