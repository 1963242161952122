/**
 * The sample pages in miniprogram-simulate, WeChat's own test tool: each page's WXML is compiled by
 * WeChat's compiler (wcc) and rendered by its component framework, in jest's jsdom environment.
 *
 * The tool renders Components only, so a small adapter stands in for Page(): the page's `data` stays
 * `data` and everything else becomes a method, then lifecycle hooks (onLoad, onShow, onUnload) are called
 * by open() and close(), as WeChat calls them on navigation. `wx` is a WxSim: real HTTP to the app under test.
 */
import path from 'node:path';
import { MINIPROGRAM_DIR } from './mini-program';
import type { WxSim } from './wx-sim';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- page data is whatever the page sets
type Definition = { data?: Record<string, Json>; [key: string]: Json };

/** The part of miniprogram-simulate used here (its own typings need WeChat's global types). */
interface Node_ {
  dom?: { textContent: string | null };
  dispatchEvent(event: string, o: { detail: object }): void;
}
interface Simulate {
  load(componentPath: string, options: { compiler: 'official'; rootPath: string }): string;
  render(id: string): Node_ & {
    instance: unknown;
    dom: { textContent: string | null };
    attach(parent: unknown): void;
    detach(): void;
    querySelector(selector: string): Node_ | undefined;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see Simulate
const simulate = require('miniprogram-simulate') as Simulate;

const g = globalThis as Record<string, Json>;
/** The Page() adapter: Page(definition) → Component({data, methods}). */
g.Page = ({ data, ...methods }: Definition) => g.Component({ data: data ?? {}, methods });
g.getApp = () => ({});

export interface OpenPage {
  /** The page instance: its data and methods, `this` inside the page. */
  page: { data: Record<string, Json>; [method: string]: Json };
  /** The text of the first node matching `selector` ('' when there is none), as rendered. */
  text(selector: string): string;
  exists(selector: string): boolean;
  /** Fires `event` on the first node matching `selector`, as a tap or WeChat would (bindtap → 'tap'). */
  fire(selector: string, event: string, detail?: object): void;
  /** Waits until `check()` holds (the page's promises settle over real HTTP), failing after 5 s. */
  until(check: () => boolean, what: string): Promise<void>;
  close(): void;
}

/**
 * Opens pages/<name>/<name> on `wx` against `baseUrl` (config.js's develop URL; `timeout` its request
 * timeout) as a fresh launch would: the Mini Program's modules loaded anew. Calls onLoad, then onShow,
 * awaited unless `wait` is false.
 */
export async function open(name: string, wx: WxSim, baseUrl: string, o: { wait?: boolean; timeout?: number } = {}): Promise<OpenPage> {
  g.wx = wx;
  let id = '';
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Mini Program's own CommonJS module
    const config = require(path.join(MINIPROGRAM_DIR, 'config.js')) as { baseUrl: Record<string, string>; timeout: number };
    config.baseUrl.develop = baseUrl;
    if (o.timeout) config.timeout = o.timeout;
    id = simulate.load(path.join(MINIPROGRAM_DIR, 'pages', name, name), { compiler: 'official', rootPath: MINIPROGRAM_DIR });
  });
  const comp = simulate.render(id);
  comp.attach(g.document.createElement('parent-wrapper'));
  const page = comp.instance as OpenPage['page'];
  const shown = Promise.resolve(page.onLoad?.({})).then(() => page.onShow?.());
  if (o.wait !== false) await shown;
  const node = (selector: string) => comp.querySelector(selector);
  return {
    page,
    text: (selector) => (node(selector)?.dom?.textContent ?? '').trim(),
    exists: (selector) => Boolean(node(selector)),
    fire(selector, event, detail = {}) {
      const target = node(selector);
      if (!target) throw new Error(`no ${selector} on the page`);
      target.dispatchEvent(event, { detail });
    },
    async until(check, what) {
      for (const started = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() - started > 5000) throw new Error(`timed out waiting for: ${what}\n${comp.dom.textContent}`);
      }
    },
    close() {
      page.onUnload?.();
      comp.detach();
    },
  };
}
