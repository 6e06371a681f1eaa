import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { compile } from '../src/index';
import { derivedRows } from '../src/pipeline/derived-rows';
for (const model of process.argv.slice(2)) {
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feedsFor(model).slice(0, 8));
  const derived = derivedRows(compiled.graph);
  const tens = new Map(compiled.graph.tensors.map((t) => [t.id, t]));
  for (const n of derived.argument.nodes) {
    console.log(n.block.kind.padEnd(14), Object.entries(n.bind).map(([s, id]) => `${s}=${id}:${tens.get(id as string)?.rows}x${tens.get(id as string)?.domain}${derived.ids.has(id as string) ? '(d)' : ''}:${tens.get(id as string)?.kind}`).join(' '));
  }
}
