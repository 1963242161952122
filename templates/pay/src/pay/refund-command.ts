import { main, runPayCommand } from './command';

const USAGE = 'usage: npm run pay:refund -- <outTradeNo> [amount in fen]   (all that is left unless an amount is given)';

/**
 * `npm run pay:refund -- <outTradeNo> [amount]`: refunds a paid order (there is no admin UI). WeChat Pay
 * confirms the refund later with a notification. Returns the exit code: 2 for bad arguments.
 */
export async function refundCommand(args: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const [outTradeNo, amount, ...rest] = args;
  if (!outTradeNo || rest.length > 0 || (amount !== undefined && !/^[1-9]\d{0,9}$/.test(amount))) {
    console.error(USAGE);
    return 2;
  }
  return runPayCommand('pay:refund', env, async (pay) => {
    const r = await pay.refunds.refund(outTradeNo, amount === undefined ? undefined : Number(amount));
    const then = r.state === 'PROCESSING' ? '; WeChat Pay confirms it with a refund notification' : '';
    console.log(`Refund ${r.outRefundNo}: ${r.amount} fen of order ${outTradeNo}, ${r.state}${then}.`);
  });
}

if (require.main === module) main(() => refundCommand(process.argv.slice(2)));
