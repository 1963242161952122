import { main, runPayCommand } from './command';

/**
 * `npm run pay:sweep`: closes orders left unpaid past their expiry, at WeChat Pay and here (one paid at
 * the last moment becomes PAID instead), up to 100 a run. Schedule it, e.g. every 5 minutes from cron.
 */
export function sweepCommand(env: Record<string, string | undefined> = process.env): Promise<number> {
  return runPayCommand('pay:sweep', env, async (pay) => {
    console.log(`pay:sweep: ${await pay.orders.closeExpired()} expired order(s) closed.`);
  });
}

if (require.main === module) main(() => sweepCommand());
