import express from 'express';
import { z } from 'zod';

/** HTML forms and OAuth endpoints post urlencoded bodies; repeated keys arrive as arrays, which zod then sees. */
export const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 30 });

/** A checkbox group: absent when none is ticked, a string for one, an array for several. */
export const checkedValues = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
