import { loadConfig } from '../config';
import { createPrisma } from '../db';
import { createLogger } from '../platform/log';
import { createPay } from './pay';

/**
 * `npm run pay:sweep`: closes orders left unpaid past their expiry, at WeChat Pay and here (one paid at
 * the last moment becomes PAID instead). Schedule it, e.g. every 5 minutes from cron. Returns the exit code.
 */
export async function sweepCommand(env: Record<string, string | undefined> = process.env): Promise<number> {
  const config = loadConfig(env);
  if (!config.pay) {
    console.error('pay:sweep: WeChat Pay is not configured (set the WXPAY_ settings in .env).');
    return 1;
  }
  const prisma = createPrisma(config.databaseUrl);
  try {
    const pay = createPay(config.pay, { prisma, log: createLogger({ level: 'warn' }), timeoutMs: config.wxTimeoutMs })!;
    console.log(`pay:sweep: ${await pay.orders.closeExpired()} expired order(s) closed.`);
    return 0;
  } catch (err) {
    console.error(`pay:sweep: ${(err as Error).message}`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env: the environment alone
  }
  void sweepCommand().then((code) => (process.exitCode = code));
}
