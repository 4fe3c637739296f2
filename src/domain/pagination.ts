import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Keyset pagination: a cursor is the opaque, base64url-encoded id of the last row of the previous page.
 * Lists never use OFFSET, so a page costs the same wherever it is and rows are never skipped or repeated.
 */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 100;

const CursorPayload = z.object({ after: z.number().int().positive() });

export function encodeCursor(after: number): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  try {
    return CursorPayload.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw new AppError('validation_failed', 'The cursor is not one this server issued. Start again without a cursor.', {
      fields: { cursor: 'invalid cursor' },
    });
  }
}

export interface Page {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Fetch limit + 1 rows; the extra one only says whether another page exists. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
