// npm run openapi [-- FILE]: writes the OpenAPI 3.1 document (what GET /openapi.json serves) to FILE,
// `openapi.json` by default, formatted by the project's Prettier so that `npm run format:check` passes.
import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import { openapiDocument } from '../src/routes';

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? 'openapi.json');
  const options = (await prettier.resolveConfig(file)) ?? {};
  const text = await prettier.format(JSON.stringify(openapiDocument()), { ...options, filepath: file });
  fs.writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file) || file}: import it into Apifox, Postman or Swagger UI`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
