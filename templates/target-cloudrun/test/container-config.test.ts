import fs from 'node:fs';
import path from 'node:path';
import { ENV } from '../src/config';

/** What 微信云托管 reads when it deploys the repository (服务设置 from a template). */
const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'container.config.json'), 'utf8')) as {
  containerPort: number;
  customLogs: string;
  minNum: number;
  maxNum: number;
  envParams: Record<string, string>;
};

test('container.config.json: the app listens on the port Cloud Run sends to, on every interface, and logs to stdout', () => {
  expect(String(config.containerPort)).toBe(config.envParams.PORT);
  expect(config.envParams.HOST).toBe('0.0.0.0');
  expect(config.customLogs).toBe('stdout');
  expect(config.minNum).toBeLessThanOrEqual(config.maxNum);
});

test('every variable it sets is a setting of src/config.ts, and no secret is written in it', () => {
  const declared = Object.keys(ENV.shape);
  expect(Object.keys(config.envParams).filter((name) => !declared.includes(name))).toEqual([]);
  expect(Object.keys(config.envParams).filter((name) => /SECRET|PASSWORD|KEY/.test(name))).toEqual([]);
});
