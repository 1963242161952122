import { loadConfig, type Config } from '../config';
import { createPrisma } from '../db';
import { createLogger } from '../platform/log';
import { createPay, type Pay } from './pay';

/**
 * Runs a pay command (`npm run pay:…`) where the app runs: its settings, its database. Every failure is
 * one line on stderr and exit code 1, never a stack. Returns the exit code.
 */
export async function runPayCommand(
  name: string,
  env: Record<string, string | undefined>,
  work: (pay: Pay) => Promise<void>,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    console.error(`${name}: ${(err as Error).message}`);
    return 1;
  }
  if (!config.pay) {
    console.error(`${name}: WeChat Pay is not configured (set the WXPAY_ settings in .env).`);
    return 1;
  }
  const prisma = createPrisma(config.databaseUrl);
  try {
    await work(createPay(config.pay, { prisma, log: createLogger({ level: 'warn' }), timeoutMs: config.wxTimeoutMs })!);
    return 0;
  } catch (err) {
    console.error(`${name}: ${(err as Error).message}`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

/** The command's entry: `.env` as the app reads it, then the exit code. */
export function main(run: () => Promise<number>): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env: the environment alone
  }
  void run().then((code) => (process.exitCode = code));
}
