/** `npm run bench:drift`: the drift-at-scale rows of `npm run bench` alone (scripts/bench-drift.ts). */
import { benchDrift } from './bench-drift.js';
import { cli, fresh, settle } from './bench-tools.js';

const { figures, raw } = await benchDrift({ cli: (argv) => cli(argv), fresh, settle });
for (const f of figures) {
  console.log(
    `${f.name.padEnd(42)}  ${f.value.padStart(9)}  ${f.target.padEnd(10)}  ${f.met === null ? '   ' : f.met ? 'yes' : 'NO '}  ${f.detail}`,
  );
}
console.log(JSON.stringify(raw));
