/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per module, as a share of
 * the time the process was busy (idle excluded). Usage as a script: node cpu-profile.mjs FILE [N]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** "koa", "@koa/router", "app: dist/log.js", "node: internal/…", "(garbage collector)", "(native)". */
export function moduleOf(url) {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith('node:')) return `node: ${path.slice(5).replace(/^internal\//, '')}`;
  const dist = path.lastIndexOf('/dist/');
  if (dist >= 0) return `app: ${path.slice(dist + 1)}`;
  return path;
}

/**
 * Self time (µs) per function and per module, and the busy total. `lastSeconds` keeps only the samples
 * of the profile's last seconds (the load), leaving out start-up and the first requests.
 */
export function summarise(profile, lastSeconds = Infinity) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const from = profile.endTime - lastSeconds * 1e6;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const fns = new Map();
  const mods = new Map();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const special = functionName.startsWith('(') && !url;
    const mod = special ? functionName : moduleOf(url);
    const fn = special ? functionName : `${functionName || '(anonymous)'} ${mod}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    mods.set(mod, (mods.get(mod) ?? 0) + us);
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: us / busy }));
  return { busyMs: busy / 1000, functions: top(fns), modules: top(mods) };
}

export function summariseFile(file, lastSeconds) {
  return summarise(JSON.parse(fs.readFileSync(file, 'utf8')), lastSeconds);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = summariseFile(process.argv[2]);
  const n = Number(process.argv[3] ?? 20);
  const pct = (x) => `${(x.share * 100).toFixed(1).padStart(5)} %  ${x.ms.toFixed(1).padStart(8)} ms  ${x.name}`;
  console.log(
    `busy ${s.busyMs.toFixed(1)} ms\n-- modules --\n${s.modules.slice(0, n).map(pct).join('\n')}\n-- functions --\n${s.functions.slice(0, n).map(pct).join('\n')}`,
  );
}
