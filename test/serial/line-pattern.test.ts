import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoBuilder } from '../../src/build/demo.js';
import { ZEPHYR_SUCCESS } from '../../src/build/zephyr.js';
import { compileLinePattern, MAX_PATTERN_LENGTH, patternProblem } from '../../src/serial/line-pattern.js';

const match = (pattern: string, line: string): boolean => compileLinePattern(pattern, '--success').test(line);

describe('line patterns (RE2, linear time)', () => {
  it("runs the project's default patterns as JavaScript would", () => {
    const [up, banner] = demoBuilder.successPatterns;
    assert.equal(match(up!, 'dom0-demo: match'), true);
    assert.equal(match(up!, 'dom0-demo: match and more'), false);
    assert.equal(match(banner!, '*** Booting dom0-demo 0.1.0 ***'), true);
    assert.equal(match(banner!, '*** Booting dom0-demo  ***'), false);
    assert.equal(match(banner!, '*** Booting dom0-demo ***'), false);
    assert.equal(match(demoBuilder.failurePattern!, 'dom0-demo: FAIL grant table'), true);
    assert.equal(match(demoBuilder.failurePattern!, 'x dom0-demo: FAIL'), false);
    assert.equal(match(ZEPHYR_SUCCESS[0]!, '*** Booting Zephyr OS build 9a57e98e494c ***'), true);
    assert.equal(match(ZEPHYR_SUCCESS[0]!, 'Booting Zephyr OS'), false);
    const lines = [
      'dom0-demo: match',
      '*** Booting dom0-demo 0.1.0 ***',
      'dom0-demo: FAIL',
      '',
      'dom0-demo: DIFF x',
      '***  ***',
      '*** a ***x',
    ];
    for (const pattern of [...demoBuilder.successPatterns, demoBuilder.failurePattern!, ...ZEPHYR_SUCCESS]) {
      for (const line of lines) assert.equal(match(pattern, line), new RegExp(pattern).test(line), `${pattern} on ${JSON.stringify(line)}`);
    }
  });

  it('keeps the source text and matches anywhere in the line, like RegExp.test', () => {
    const pattern = compileLinePattern('thread_[ab]: Hello', '--success');
    assert.equal(pattern.source, 'thread_[ab]: Hello');
    assert.equal(pattern.test('[00:00:00.010,000] thread_b: Hello World'), true);
    assert.equal(pattern.test('thread_c: Hello'), false);
  });

  it('reads the JavaScript syntax users write: named groups, \\d, \\uXXXX, \\cX, [^], lazy quantifiers, slashes', () => {
    assert.equal(match('(?<word>\\w+)=\\d+', 'x=42'), true);
    assert.equal(match('\\u0041\\x42', 'AB'), true);
    assert.equal(match('\\cI', '\t'), true);
    assert.equal(match('a[^]b', 'a\nb'), true);
    assert.equal(match('a[]b', 'ab'), false);
    assert.equal(match('<.+?>', '<a>'), true);
    assert.equal(match('dom0/up', 'dom0/up'), true);
    assert.equal(match('\\[ *\\d+\\.\\d+\\]', '[  12.5]'), true);
  });

  it('is linear on the catastrophic pattern that stalls a backtracking engine', () => {
    const pattern = compileLinePattern('^(.|.)*Z$', '--success');
    const line = 'x'.repeat(4096);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) assert.equal(pattern.test(line), false);
    assert.ok(performance.now() - t0 < 2000, 'a backtracking engine would not finish one line');
    assert.equal(pattern.test(`${line}Z`), true);
  });

  it('refuses backreferences and lookaround, naming the construct and the pattern', () => {
    assert.match(patternProblem('(a)\\1') ?? '', /^pattern "\(a\)\\\\1": backreference \\1 is not supported \(patterns run on RE2/);
    assert.match(patternProblem('(?<n>a)\\k<n>') ?? '', /backreference \\k<\.\.\.> is not supported/);
    assert.match(patternProblem('foo(?=bar)') ?? '', /lookaround \(\?=\.\.\.\) is not supported/);
    assert.match(patternProblem('foo(?!bar)') ?? '', /lookaround \(\?!\.\.\.\)/);
    assert.match(patternProblem('(?<=a)b') ?? '', /lookaround \(\?<=\.\.\.\)/);
    assert.match(patternProblem('(?<!a)b') ?? '', /lookaround \(\?<!\.\.\.\)/);
    // Inside a class or escaped, the same characters are plain text.
    assert.equal(patternProblem('[(?=]x'), null);
    assert.equal(patternProblem('\\(?=x'), null);
    assert.equal(patternProblem('\\\\1'), null);
  });

  it('refuses what RE2 would read unlike JavaScript', () => {
    assert.match(patternProblem('end\\z') ?? '', /\\z is not a JavaScript regex escape/);
    assert.match(patternProblem('\\p{L}') ?? '', /\\p is not a JavaScript regex escape/);
    assert.match(patternProblem('[[:alpha:]]') ?? '', /POSIX classes/);
    assert.match(patternProblem('\\u{41}') ?? '', /\\u\{\.\.\.\} needs the u flag/);
  });

  it('refuses what RE2 cannot compile, with its reason', () => {
    assert.match(patternProblem('a{1001}') ?? '', /RE2 \(the linear-time engine patterns run on\) refuses it: invalid repeat count/);
    assert.match(patternProblem('[\\b]') ?? '', /refuses it: invalid escape sequence/);
  });

  it('refuses invalid, empty and oversized patterns', () => {
    assert.match(patternProblem('(unclosed') ?? '', /expected a valid regular expression \(Invalid regular expression/);
    assert.match(patternProblem('') ?? '', /expected a non-empty pattern/);
    const long = 'a'.repeat(MAX_PATTERN_LENGTH + 1);
    assert.match(patternProblem(long) ?? '', new RegExp(`at most ${MAX_PATTERN_LENGTH} characters \\(got ${MAX_PATTERN_LENGTH + 1}\\)`));
    assert.ok((patternProblem(long) ?? '').length < 300, 'the message quotes a long pattern cut short');
  });

  it('refuses patterns that match every line, as it refuses the empty one; keeps those that match only some', () => {
    for (const every of ['^', '$', '(?:)', '|', 'x|', 'a*', '.*']) {
      assert.match(patternProblem(every) ?? '', /matches every line/, every);
    }
    for (const some of ['^$', '\\bup\\b', 'x', '^\\*\\*\\* .+ \\*\\*\\*$']) assert.equal(patternProblem(some), null, some);
  });

  it('throws CONFIG_INVALID naming where the pattern came from', () => {
    assert.throws(() => compileLinePattern('x(?=y)', 'config file c.json: field "failurePattern"'), {
      code: 'CONFIG_INVALID',
      message: /^config file c\.json: field "failurePattern": pattern "x\(\?=y\)": lookaround/,
    });
  });
});
