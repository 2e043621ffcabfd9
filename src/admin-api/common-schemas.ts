import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-cursor.js';

/** RFC 9457 problem details with our stable `code`: every error of this API. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: 'Stable Gatehouse error code (ERR_…); branch on this, not on detail' }),
  })
  .meta({ id: 'Problem' });

/** `?limit=&cursor=`: the cursor comes from the previous page's `next_cursor`. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: `Items per page (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE})` }),
  cursor: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: "Opaque: the previous page's next_cursor, with the same filters" }),
};

/** A page of `item`: `next_cursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });
