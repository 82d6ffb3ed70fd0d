// Field types every configuration wing uses (zod schemas with their messages), and one helper.
import { z } from 'zod';

/** `{ [key]: value }` when there is a value, else nothing (exactOptionalPropertyTypes). */
export const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

export const httpsUrl = z
  .string()
  .trim()
  .url('must be a URL')
  .refine((u) => u.startsWith('https://'), 'must be an https:// URL');

export const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
export const authContext = z
  .string()
  .trim()
  .regex(/^c([1-9]|[1-9][0-9])$/, 'must be an auth context id c1..c99');
