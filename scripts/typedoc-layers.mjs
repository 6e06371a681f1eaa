// @ts-check
/**
 * TypeDoc plugin: files every exported symbol under the layer its source file belongs to, so each API page
 * reads by layer (Pipeline, Engine, Core in `blockfold`; Blocks; Accumulation) instead of as one
 * alphabetical list. The layer follows from the folder, so a new export is filed without a tag; a symbol
 * with its own `@category` keeps it.
 */
import { Comment, CommentTag, Converter, ReferenceReflection, ReflectionKind } from 'typedoc';

/** Source folders (relative to the package root) and their layer, first match wins. */
const LAYERS = /** @type {const} */ ([
  [/^src\/(pipeline|model|onnx)\//, 'Pipeline'],
  [/^src\/engine\//, 'Engine'],
  [/^src\//, 'Core'],
  [/^blocks\//, 'Blocks'],
  [/^accumulation\//, 'Accumulation'],
]);

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const reflection of Object.values(project.reflections)) {
      if (!reflection.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project)) continue;
      if (reflection.kindOf(ReflectionKind.Module)) continue;
      // A re-export (as in `blockfold/verify`) is filed where the symbol it names is declared.
      const declared = reflection instanceof ReferenceReflection ? reflection.tryGetTargetReflectionDeep() ?? reflection : reflection;
      const path = project.getSymbolIdFromReflection(declared)?.packagePath;
      const layer = path && LAYERS.find(([folder]) => folder.test(path))?.[1];
      if (!layer) continue;
      const comments = [reflection.comment, ...('signatures' in reflection && Array.isArray(reflection.signatures) ? reflection.signatures.map((s) => s.comment) : [])];
      if (comments.some((c) => c?.getTag('@category'))) continue;
      reflection.comment ??= new Comment();
      reflection.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: layer }]));
    }
  });
}
