/** formatZodIssues: zod's issues as one line, each naming its field path. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';
import '../../src/util/zod-locale.js';
import { formatZodIssues } from '../../src/config/issues.js';

describe('formatZodIssues', () => {
  it('names nested fields with dots (array indexes too) and joins issues with "; "', () => {
    const schema = z.object({ memory: z.string(), build: z.object({ extraOverlays: z.array(z.string()) }) });
    const result = schema.safeParse({ memory: 6, build: { extraOverlays: ['a.overlay', 7] } });
    assert.equal(result.success, false);
    assert.equal(
      formatZodIssues(result.error!),
      'field "memory": Invalid input: expected string, received number; field "build.extraOverlays.1": Invalid input: expected string, received number',
    );
  });

  it('says "top level" for an issue with no path', () => {
    const result = z.object({ a: z.string() }).safeParse('not an object');
    assert.equal(formatZodIssues(result.error!), 'top level: Invalid input: expected object, received string');
  });

  it('keeps a custom message as written', () => {
    const schema = z.object({ dom0Mem: z.string().check(z.refine((v) => v.endsWith('M'), 'expected a size like 256M')) });
    const result = schema.safeParse({ dom0Mem: '3G' });
    assert.equal(formatZodIssues(result.error!), 'field "dom0Mem": expected a size like 256M');
  });
});
