/** Timestamps leave the domain as ISO 8601 strings; PGlite's JSON aggregates hand them over as text already. */
export function iso(value: Date | string): string;
export function iso(value: Date | string | null): string | null;
export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
