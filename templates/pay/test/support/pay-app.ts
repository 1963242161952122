import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestAppOptions } from './test-app';
import { fakeMerchant, type FakeMerchant } from './pay';

/**
 * The whole app with WeChat Pay on, listening on loopback (WeChat Pay's notifications come over real
 * HTTP), against a fake WeChat Pay. `configured: false` leaves the WXPAY_ settings empty.
 */
export async function startPayApp(o: TestAppOptions & { merchant?: FakeMerchant; configured?: boolean } = {}) {
  const merchant = o.merchant ?? (await fakeMerchant());
  // the port must be known before the config names the notify URL: the server starts first, the app is put in after
  let handler: http.RequestListener = (_req, res) => void res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestApp({ ...o, env: o.configured === false ? {} : merchant.env(`${base}/api/pay/notify`) });
  handler = t.app.callback();
  return {
    ...t,
    merchant,
    pay: merchant.fake,
    base,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await t.close();
      if (!o.merchant) await merchant.close();
    },
  };
}
