import { ERROR_CODES, type ErrorCode } from '@judged/shared/protocol';
import { BudgetRefusal } from './budgets.ts';

/** A refusal a handler throws; the connection turns it into an error frame for that request. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const CODES = new Set<string>(ERROR_CODES);

/**
 * The refusal behind `err` when it is one meant for the client: an ApiError, a spent budget, or a contest rule's
 * ContestError (any error named so that carries a protocol error code). Anything else is a bug and
 * gets 'internal' without details.
 */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof BudgetRefusal) return new ApiError('rate_limited', err.message, undefined, err.waitMs > 0 ? err.waitMs : undefined);
  if (err instanceof Error && err.name === 'ContestError') {
    const e = err as Error & { code?: unknown; field?: unknown };
    if (typeof e.code === 'string' && CODES.has(e.code) && e.code !== 'internal') {
      return new ApiError(e.code as ErrorCode, e.message, typeof e.field === 'string' ? e.field : undefined);
    }
  }
  return null;
}
