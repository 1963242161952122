import { createPrisma } from '../src/db';
import { loadQueryCompilerOnce } from '../src/platform/query-compiler';
import { testDatabaseUrl } from './support/database';

type Loader = () => Promise<WebAssembly.Module>;
const compilerWasm = (prisma: object) =>
  (prisma as { _engineConfig: { compilerWasm: { getQueryCompilerWasmModule: Loader } } })._engineConfig.compilerWasm;

// loadQueryCompilerOnce falls back to Prisma's own loading when Prisma's internals change: this test is what
// says so after an upgrade (the 2.2 MB base64 module would then stay in memory for the process's life).
test("Prisma's query compiler is loaded once, through the app's loader, and queries work with it", async () => {
  const prisma = createPrisma(testDatabaseUrl());
  try {
    const prismas = compilerWasm(prisma).getQueryCompilerWasmModule;
    loadQueryCompilerOnce(prisma);
    const ours = compilerWasm(prisma).getQueryCompilerWasmModule;
    expect(ours).not.toBe(prismas);
    const calls = jest.fn(ours);
    compilerWasm(prisma).getQueryCompilerWasmModule = calls;
    await prisma.user.count();
    await prisma.user.findFirst({ select: { id: true } });
    expect(calls).toHaveBeenCalledTimes(1);
  } finally {
    await prisma.$disconnect();
  }
});
