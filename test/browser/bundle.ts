/**
 * Bundles the `blockfold/verify` entry the way a browser build does (esbuild, `platform: 'browser'`, every
 * dependency inlined) and records what such a build must not contain: imports of Node built-in modules,
 * and free references to Node-only globals.
 */
import { build, type Message } from 'esbuild';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The entry under test, relative to this file. */
export const VERIFY_ENTRY = fileURLToPath(new URL('../../src/verify.ts', import.meta.url));

/**
 * Globals that exist in Node and not in browsers. Left out: `process`, which the engine reads only behind
 * `typeof process`; `require` and `module`, which esbuild itself resolves in CommonJS dependencies (a
 * `require` of a built-in fails the build and is reported as a built-in import).
 */
export const NODE_GLOBALS = ['Buffer', '__dirname', '__filename', 'global', 'setImmediate'] as const;

/** A free reference to a Node-only global, with the module that makes it. */
export interface GlobalUse {
  readonly global: string;
  readonly module: string;
}

/** One import of a Node built-in, with the module that made it. */
export interface BuiltinImport {
  readonly path: string;
  readonly importer: string;
}

export interface BrowserBundle {
  readonly code: string;
  readonly builtins: readonly BuiltinImport[];
  /**
   * Node-only globals referenced freely (not as a local binding) by the project's own modules. Dependencies
   * are left to the run in a browser: protobufjs, for one, probes `typeof global` before using it.
   */
  readonly nodeGlobals: readonly GlobalUse[];
}

const isBuiltin = (path: string) => path.startsWith('node:') || builtinModules.includes(path.split('/')[0]);

/**
 * Bundles `entry` for browsers (ES module, every dependency inlined). esbuild resolves Node built-ins
 * only where a package maps them away for browsers (its `browser` field); every other import of one
 * fails the build, and is returned here instead.
 */
export async function bundleForBrowser(entry: string = VERIFY_ENTRY): Promise<BrowserBundle> {
  const bundle = async (define: Record<string, string>, minify: boolean) => {
    try {
      const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent', define, minify, keepNames: minify });
      return { code: result.outputFiles[0].text, builtins: [] };
    } catch (e) {
      const errors = (e as { errors?: Message[] }).errors ?? [];
      const builtins = errors.map((m) => ({ m, path: /^Could not resolve "([^"]+)"/.exec(m.text)?.[1] }));
      if (errors.length === 0 || builtins.some((b) => b.path === undefined || !isBuiltin(b.path))) throw e;
      return { code: '', builtins: builtins.map((b) => ({ path: b.path!, importer: b.m.location?.file ?? '?' })) };
    }
  };
  // esbuild's `define` replaces only free references, so a marker in the output is a free use of the global.
  const marker = (g: string) => `__node_global_${g}__`;
  const marked = await bundle(Object.fromEntries(NODE_GLOBALS.map((g) => [g, marker(g)])), false);
  const nodeGlobals: GlobalUse[] = [];
  // Unminified esbuild output opens each module's code with a `// <path>` comment.
  let module = '?';
  for (const line of marked.code.split('\n')) {
    module = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line)?.[1] ?? module;
    if (module.includes('node_modules/')) continue;
    for (const global of NODE_GLOBALS) if (line.includes(marker(global))) nodeGlobals.push({ global, module });
  }
  // What a page is served: minified with class names kept, as tsup's browser build is.
  const { code, builtins } = await bundle({}, true);
  return { code, builtins, nodeGlobals };
}
