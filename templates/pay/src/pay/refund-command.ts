import { loadConfig } from '../config';
import { createPrisma } from '../db';
import { createLogger } from '../platform/log';
import { createPay } from './pay';

const USAGE = 'usage: npm run pay:refund -- <outTradeNo> [amount in fen]   (all that is left unless an amount is given)';

/**
 * `npm run pay:refund -- <outTradeNo> [amount]`: refunds a paid order (there is no admin UI). Runs where
 * the app runs, with its .env; WeChat Pay confirms the refund later with a notification. Returns the exit code.
 */
export async function refundCommand(args: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [outTradeNo, amount, ...rest] = args;
  if (!outTradeNo || rest.length > 0 || (amount !== undefined && !/^[1-9]\d{0,9}$/.test(amount))) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(env);
  if (!config.pay) {
    console.error('pay:refund: WeChat Pay is not configured (set the WXPAY_ settings in .env).');
    return 1;
  }
  const prisma = createPrisma(config.databaseUrl);
  try {
    const pay = createPay(config.pay, { prisma, log: createLogger({ level: 'warn' }), timeoutMs: config.wxTimeoutMs })!;
    const r = await pay.refunds.refund(outTradeNo, amount === undefined ? undefined : Number(amount));
    const then = r.state === 'PROCESSING' ? '; WeChat Pay confirms it with a refund notification' : '';
    console.log(`Refund ${r.outRefundNo}: ${r.amount} fen of order ${outTradeNo}, ${r.state}${then}.`);
    return 0;
  } catch (err) {
    console.error(`pay:refund: ${(err as Error).message}`);
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
  void refundCommand(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
