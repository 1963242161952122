import { startTestApp } from './support/test-app';
import { sharedTokenSuite } from './support/token-call';

sharedTokenSuite(
  'database',
  () => startTestApp(),
  (a) => startTestApp({ sameAppAs: a }),
);
