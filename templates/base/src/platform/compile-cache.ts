import module from 'node:module';
import path from 'node:path';

/**
 * Imported by server.ts right after the Node version check, before the modules it speeds up: Node keeps
 * V8's compiled code of each module the app loads, and the next start (a restart, PM2, a deploy on the
 * same machine) reads it instead of compiling again (the generator's bench: loading the app took ~80 ms
 * less of ~450 ms). The cache lives in the project's own node_modules/.cache, not in the shared /tmp
 * where another local user could plant code for it; NODE_COMPILE_CACHE names another folder, and
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off. A folder it cannot write (a read-only image) means no
 * cache, nothing else: Node reports it in the status it returns, which is not an error.
 */
if (!process.env.NODE_COMPILE_CACHE) {
  // src/platform and dist/platform both sit two folders below the project's root
  module.enableCompileCache?.(path.join(__dirname, '..', '..', 'node_modules', '.cache', 'node-compile-cache'));
}

/** Writes what was compiled so far now (Node writes it at exit too, which a killed process never reaches). */
export function saveCompileCache(): void {
  module.flushCompileCache?.();
}
