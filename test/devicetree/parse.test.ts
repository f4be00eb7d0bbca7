import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellsOf, childCells, parseDts, regPairs, resolveRef, stringsOf } from '../../src/devicetree/parse.js';
import { ToolError } from '../../src/base/errors.js';
import { fixtureBytes } from '../helpers/fixtures.js';

const read = (name: string) => parseDts(fixtureBytes(`devicetree/${name}`).toString('utf8'), name);

describe('parseDts', () => {
  it("reads dtc's merged output of the demo board: paths, labels, values", () => {
    const tree = read('demo-base.dts');
    const sram = tree.byLabel.get('sram0')!;
    assert.equal(sram.path, '/soc/memory@58000000');
    assert.equal(sram.parent!.path, '/soc');
    assert.deepEqual(cellsOf(sram.props.get('reg')!), [0n, 0x58000000n, 0n, 0x8000000n]);
    assert.equal(tree.byPath.get('/chosen')!.props.get('zephyr,sram'), '"/soc/memory@58000000"');
    assert.equal(resolveRef(tree, tree.byPath.get('/chosen')!.props.get('zephyr,sram')!), sram);
    assert.equal(tree.byPath.get('/soc')!.props.get('ranges'), '', 'a boolean property is kept, empty');
    assert.equal(tree.byLabel.get('hypervisor')!.path, '/hypervisor@40200000');
  });

  it("reads Zephyr dtlib's style: comments, several labels, &label refs, strings holding ; { } and quotes", () => {
    const tree = read('dtlib-style.dts');
    const ram = tree.byLabel.get('ram')!;
    assert.equal(tree.byLabel.get('sdram'), ram);
    assert.deepEqual(ram.labels, ['ram', 'sdram']);
    assert.equal(resolveRef(tree, tree.byPath.get('/chosen')!.props.get('zephyr,sram')!), ram);
    assert.deepEqual(stringsOf(tree.byPath.get('/chosen')!.props.get('zephyr,bootargs')!), ['a;b {c} \\"d\\"']);
    assert.equal(tree.byLabel.get('xen_consoleio_hvc')!.path, '/hypervisor@88080000/console');
    assert.deepEqual(childCells(tree.byPath.get('/soc')!), { address: 1, size: 1 });
    assert.deepEqual(childCells(tree.root), { address: 2, size: 2 });
    assert.deepEqual(regPairs(tree.byLabel.get('gic')!.props.get('reg')!, { address: 1, size: 1 }), [
      { address: 0xf1010000n, size: 0x10000n },
      { address: 0xf1060000n, size: 0x110000n },
    ]);
  });

  it('resolves &{/path} and "/path" references and finds nothing for unknown ones', () => {
    const tree = read('dtlib-style.dts');
    assert.equal(resolveRef(tree, '&{/hypervisor@88080000}')!.labels[0], 'hypervisor');
    assert.equal(resolveRef(tree, '"/soc"')!.path, '/soc');
    assert.equal(resolveRef(tree, '&nope'), null);
    assert.equal(resolveRef(tree, '<&gic>'), null);
  });

  it("reads &{/path} references, as Zephyr's dtlib writes a reference to an unlabelled node", () => {
    const tree = parseDts(
      '/ {\n\tchosen {\n\t\tzephyr,sram = &{/soc/memory@58000000};\n\t\tx = < &{/soc} 0x1 >;\n\t};\n\tsoc {\n\t\tmemory@58000000 { };\n\t};\n};\n',
      'p.dts',
    );
    assert.equal(resolveRef(tree, tree.byPath.get('/chosen')!.props.get('zephyr,sram')!)!.path, '/soc/memory@58000000');
    assert.equal(tree.byPath.get('/chosen')!.props.get('x'), '< &{/soc} 0x1 >');
  });

  it('gives null cells for a value with references or expressions', () => {
    assert.equal(cellsOf('< &gic 0x1 >'), null);
    assert.equal(cellsOf('< (1 + 2) >'), null);
    assert.deepEqual(cellsOf('< 0x1 16 >, < 0x2 >'), [1n, 16n, 2n]);
  });

  it('names the file and line of text it cannot read', () => {
    for (const [text, what] of [
      ['/ {\n\ta = <1>;\n', /not closed/],
      ['/ { };\n};\n', /unbalanced/],
      ['/ {\n\tbad label here {\n\t};\n};', /x\.dts:2: .*node header/],
      ['/ { a = "open', /unterminated/],
    ] as const) {
      assert.throws(
        () => parseDts(text, 'x.dts'),
        (e: unknown) => e instanceof ToolError && e.code === 'BUILD_FAILED' && /^x\.dts:\d+: /.test(e.message) && what.test(e.message),
        text,
      );
    }
  });
});
