/**
 * `npm run bench`: runs every suite in order and prints each one's table of medians. A suite is a module
 * exporting `name` and `run()`; add new suites to the list below.
 */
import * as engine from './engine';

const suites: ReadonlyArray<{ name: string; run: () => Promise<void> }> = [engine];

for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  await suite.run();
}
