/**
 * `npm run bench`: runs every suite in order and prints each one's table of medians. A suite is a module
 * exporting `name` and `run()`. `npm run bench -- engine e2e` runs only the suites whose names contain one
 * of the words; block suites at 2^16 and the end-to-end suite take minutes.
 */
import * as accumulation from './accumulation';
import * as costModel from './cost-model';
import * as depth from './depth';
import * as arith from './blocks-arith';
import * as browserVerify from './browser-verify';
import * as e2e from './e2e';
import * as engine from './engine';
import * as lookup from './blocks-lookup';
import { getDefaultEngine } from '../src/engine/index';

const suites: ReadonlyArray<{ name: string; run: () => Promise<void> }> = [engine, arith, lookup, accumulation, e2e, browserVerify, depth, costModel];
const only = process.argv.slice(2);

for (const suite of suites) {
  if (only.length > 0 && !only.some((w) => suite.name.includes(w))) continue;
  console.log(`\n=== ${suite.name} ===`);
  await suite.run();
}
await getDefaultEngine().close();
