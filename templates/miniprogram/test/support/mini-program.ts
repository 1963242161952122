import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { WxSim } from './wx-sim';

/** The generated Mini Program, loaded the way WeChat loads it: CommonJS, with a global `wx`. */
export const MINIPROGRAM_DIR = path.join(__dirname, '..', '..', 'miniprogram');

export interface ApiError extends Error {
  statusCode: number;
  code: string;
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- bodies are whatever the backend sends
interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  auth?: boolean;
  onTask?: (task: never) => void;
  onProgress?: (res: never) => void;
}
type Encrypted = { encryptedData: string; iv: string };

/** The exports of miniprogram/utils/api.js. */
export interface ApiClient {
  ApiError: new (statusCode: number, code: string, message: string) => ApiError;
  baseUrl(): string;
  request(o: RequestOptions): Promise<Json>;
  uploadFile(
    o: Omit<RequestOptions, 'data' | 'method'> & { filePath: string; name: string; formData?: Record<string, string> },
  ): Promise<Json>;
  login(): Promise<{ token: string; expiresAt: string; user: { id: string } }>;
  logout(): Promise<void>;
  withEncryptedData<T>(fetch: () => Promise<Encrypted>, submit: (fetched: Encrypted) => Promise<T>): Promise<T>;
  decrypt(fetch: () => Promise<Encrypted>): Promise<Json>;
  isStaleSessionKey(err: unknown): boolean;
  callWx(name: string, options?: object): Promise<Json>;
}

/** A page instance as WeChat makes one from `Page({...})`: its methods, `data` and `setData`. */
export interface PageInstance {
  data: Record<string, Json>;
  setData(patch: Record<string, unknown>): void;
  [method: string]: Json;
}

const g = globalThis as Record<string, unknown>;

/**
 * Loads miniprogram/<file> with fresh module state (as a new launch would), `wx` = the simulated
 * runtime, and the develop base URL pointed at `baseUrl`. Returns the module and what it passed to Page().
 */
function load(file: string, wx: WxSim, baseUrl: string, tokenOrigins: string[] = []): { module: unknown; page?: Record<string, Json> } {
  let page: Record<string, Json> | undefined;
  g.wx = wx;
  g.Page = (definition: Record<string, Json>) => {
    page = definition;
  };
  g.App = () => undefined;
  g.getApp = () => ({});
  let loaded: unknown;
  // A fresh copy of the Mini Program's CommonJS modules for each page under test.
  /* eslint-disable @typescript-eslint/no-require-imports */
  jest.isolateModules(() => {
    const config = require(path.join(MINIPROGRAM_DIR, 'config.js')) as { baseUrl: Record<string, string>; tokenOrigins: string[] };
    config.baseUrl.develop = baseUrl;
    config.tokenOrigins = tokenOrigins;
    loaded = require(path.join(MINIPROGRAM_DIR, file));
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { module: loaded, page };
}

/** The client, its develop base URL `baseUrl`; `tokenOrigins` as in config.js. */
export function loadClient(wx: WxSim, baseUrl: string, tokenOrigins: string[] = []): ApiClient {
  return load('utils/api.js', wx, baseUrl, tokenOrigins).module as ApiClient;
}

/** Another module of miniprogram/ (e.g. utils/subscribe.js), loaded as loadClient loads api.js. */
export function loadModule<T>(file: string, wx: WxSim, baseUrl: string): T {
  return load(file, wx, baseUrl).module as T;
}

/** A page, e.g. loadPage('pages/index/index.js', ...): setData merges top-level keys, as WeChat's does. */
export function loadPage(file: string, wx: WxSim, baseUrl: string): PageInstance {
  const { page } = load(file, wx, baseUrl);
  if (!page) throw new Error(`${file} did not call Page()`);
  const instance = Object.create(page) as PageInstance;
  instance.data = JSON.parse(JSON.stringify(page.data ?? {}));
  instance.setData = (patch) => {
    for (const key of Object.keys(patch)) {
      if (/[.[]/.test(key)) throw new Error(`setData path "${key}" is not simulated`);
    }
    Object.assign(instance.data, JSON.parse(JSON.stringify(patch)));
  };
  return instance;
}

/** The generated backend's Koa app listening on loopback, as the Mini Program reaches it. */
export async function listen(app: { callback(): http.RequestListener }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
