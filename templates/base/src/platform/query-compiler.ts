/** What of Prisma's client this reads: the engine's settings (an internal field, hence every check below). */
interface CompilerWasm {
  importName?: unknown;
  getQueryCompilerWasmModule?: () => Promise<WebAssembly.Module>;
}
interface WithEngineConfig {
  _engineConfig?: { activeProvider?: unknown; compilerWasm?: CompilerWasm };
}

/**
 * Prisma's query compiler is WebAssembly shipped as a 2.2 MB base64 string in a JS module, which the
 * generated client loads with `import()`: Node's ESM loader then keeps that module, its source and its
 * string for the life of the process (two strings of 2.1 MB each, never used again). This loads the same
 * module with `require()` instead and drops it from require's cache once it is decoded, so both strings
 * are collected. Prisma asks once per process (it keeps the compiled compiler). Another Prisma version
 * without these fields, or another file name: Prisma loads its compiler as before.
 */
export function loadQueryCompilerOnce(prisma: object): void {
  const config = (prisma as WithEngineConfig)._engineConfig;
  const wasm = config?.compilerWasm;
  if (typeof wasm?.importName !== 'string' || typeof config?.activeProvider !== 'string' || !wasm.getQueryCompilerWasmModule) return;
  let file: string;
  try {
    // importName is "./query_compiler_small_bg.js"; the module is query_compiler_small_bg.<provider>.wasm-base64.js
    const name = wasm.importName.replace(/^\.\//, '').replace(/\.js$/, '');
    file = require.resolve(`@prisma/client/runtime/${name}.${config.activeProvider}.wasm-base64.js`);
  } catch {
    return;
  }
  wasm.getQueryCompilerWasmModule = async () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- require, not import(): see above
      const { wasm: base64 } = require(file) as { wasm: string };
      return new WebAssembly.Module(Buffer.from(base64, 'base64'));
    } finally {
      const loaded = require.cache[file];
      delete require.cache[file];
      const i = loaded ? module.children.indexOf(loaded) : -1;
      if (i >= 0) module.children.splice(i, 1);
    }
  };
}
