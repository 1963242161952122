import fs from 'node:fs';
import path from 'node:path';
import { nodeSupported } from '../src/platform/node-version';

const engines = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;

test("the start-up guard admits exactly the Node versions of package.json's engines", () => {
  expect(nodeSupported(engines, process.version)).toBe(true); // the Node these tests run on
  expect(['v20.20.2', 'v22.11.0', 'v23.5.0', 'v25.0.0'].filter((v) => nodeSupported(engines, v))).toEqual([]);
  expect(['v22.12.0', 'v22.23.3', 'v24.0.0', 'v24.21.0'].every((v) => nodeSupported(engines, v))).toBe(true);
});
