/** zod-locale: zod/mini alone says only "Invalid input"; once the module is loaded, messages say what was expected. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';

const schema = z.object({ memory: z.string(), maxPasses: z.number() });
const messagesOf = () => schema.safeParse({ memory: 6, maxPasses: 'three' }).error!.issues.map((i) => i.message);

describe('zod-locale', () => {
  it('before it is loaded, zod/mini gives the bare message (the reason the module exists)', () => {
    assert.deepEqual(messagesOf(), ['Invalid input', 'Invalid input']);
  });

  it('once loaded, every schema says what it expected and what it got', async () => {
    await import('../../src/util/zod-locale.js');
    assert.deepEqual(messagesOf(), ['Invalid input: expected string, received number', 'Invalid input: expected number, received string']);
    const small = z.number().check(z.minimum(1)).safeParse(0).error!.issues[0]!.message;
    assert.match(small, /^Too small: expected number to be >=1$/);
  });
});
