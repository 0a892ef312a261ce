import type { RequestInput, RequestType, ResultOf } from '@judged/shared/protocol';
import { safeData, safeLine } from '@judged/shared/terminal-text';
import { RequestError } from '../client.ts';
import type { Api } from '../context.ts';

/**
 * The server API as views see it: every answer (and every error message, which can quote what
 * someone typed) made terminal-safe before any screen or plain-text output can print it.
 */
export function safeApi(api: Api): Api {
  return {
    async request<T extends RequestType>(frame: RequestInput<T>): Promise<ResultOf<T>> {
      try {
        return safeData(await api.request<T>(frame));
      } catch (e) {
        if (e instanceof RequestError) throw new RequestError(e.code, safeLine(e.message), e.field, e.retryAfterMs);
        throw e;
      }
    },
  };
}
