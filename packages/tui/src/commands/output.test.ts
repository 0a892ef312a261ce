import { describe, expect, it } from 'vitest';
import { RequestError } from '../client.ts';
import { describeRequestError } from './output.ts';

describe('describeRequestError', () => {
  it("shows a budget's refusal as the server words it, and adds the wait to other rate limits", () => {
    expect(describeRequestError(new RequestError('rate_limited', 'too many submissions from your team: wait 20 s', undefined, 20_000))).toBe(
      'too many submissions from your team: wait 20 s',
    );
    expect(describeRequestError(new RequestError('rate_limited', 'too many frames: at most 20 a second', undefined, 1500))).toBe(
      'too many requests: too many frames: at most 20 a second (try again in 2 s)',
    );
  });
});
