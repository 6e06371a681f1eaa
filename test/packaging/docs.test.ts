/**
 * The documentation stands on its own: every path the README and `docs/` name exists in the repository, each
 * API entry point is named after the package export it documents (typedoc shows `blockfold/blocks`, not
 * "blocks/index"), and the pipeline functions carry an `@example`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(repo + path, 'utf8');

test('the README and docs/ name only files that are in the repository', () => {
  const pages = ['README.md', 'models/README.md', ...readdirSync(repo + 'docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const page of pages) {
    const text = read(page);
    assert.doesNotMatch(text, /FOLDING\.md|DESIGN\.md/, `${page} cites a design note that is not in the repository`);
    // Backticked paths into a folder, e.g. `docs/folding.md`, `examples/square-block.ts`, `test/cli/`; a bare
    // file name (`proof.json`) may be any user's file.
    for (const [, path] of text.matchAll(/`((?:\.{0,2}\/)?[\w.-]+(?:\/[\w.-]+)+\.(?:md|ts|json|onnx|mjs)|[\w-]+\/(?:[\w.-]+\/)*)`/g)) {
      // `dist/` is the build's output: named by the docs, absent from a fresh clone until `npm pack` or `npm run build`.
      if (path.startsWith('../shared/') || path.startsWith('blockfold/') || path.startsWith('dist/') || path.includes('node_modules')) continue;
      const folder = page.slice(0, page.lastIndexOf('/') + 1);
      assert.ok(existsSync(repo + path) || existsSync(repo + folder + path), `${page} names ${path}, which is not in the repository`);
    }
  }
});

test('no source file cites a design note that is not in the repository (doc comments become the API pages)', () => {
  const sources = (dir: string): string[] =>
    readdirSync(repo + dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
  for (const file of ['src', 'blocks', 'accumulation', 'examples', 'bench'].flatMap(sources))
    assert.doesNotMatch(read(file), /FOLDING\.md|DESIGN\.md|DESIGN rule/, `${file} cites FOLDING.md or DESIGN.md: cite docs/folding.md or docs/soundness.md`);
});

test('each API entry point is named after its package export', () => {
  const entries: string[] = JSON.parse(read('typedoc.json')).entryPoints;
  const exported = Object.keys(JSON.parse(read('package.json')).exports).map((k: string) => k.replace(/^\./, 'blockfold'));
  for (const entry of entries) {
    const name = /@module (\S+)/.exec(read(entry))?.[1];
    assert.ok(name, `${entry} has no @module name`);
    assert.ok(exported.includes(name), `${entry} is documented as ${name}, which package.json does not export`);
  }
});

test('compile, setup, prove and verify are documented with an @example', () => {
  const functions: [string, string][] = [
    ['src/pipeline/compile.ts', 'export function compile('],
    ['src/pipeline/keys.ts', 'export async function setup('],
    ['src/pipeline/prove-verify.ts', 'export async function prove('],
    ['src/pipeline/prove-verify.ts', 'export async function verify('],
  ];
  for (const [file, declaration] of functions) {
    const text = read(file);
    const at = text.indexOf(declaration);
    assert.ok(at > 0, `${declaration} not found in ${file}`);
    const comment = text.slice(text.lastIndexOf('/**', at), at);
    assert.match(comment, /@example\n \* ```ts\n[\s\S]*```\n \*\/\n$/, `${declaration} in ${file} has no @example`);
  }
});
