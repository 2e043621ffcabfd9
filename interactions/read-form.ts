import type { z } from 'zod';
import { GatehouseError } from '../src/kernel/gatehouse-error.js';

/** A form the browser could not have sent as our page does (an array, an overlong field): a 400 with the page, never a 500. */
export class FormError extends GatehouseError<'ERR_FORM_INVALID'> {
  constructor(message: string) {
    super('ERR_FORM_INVALID', message);
  }
}

/**
 * Validates a posted form at the edge with `safeParse`; throws a FormError carrying `message`
 * (what the person is told) when it does not fit, for the route's refusal handling to answer.
 */
export function readForm<T extends z.ZodType>(schema: T, body: unknown, message: string): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new FormError(message);
  return parsed.data;
}
