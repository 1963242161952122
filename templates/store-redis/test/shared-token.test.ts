import { startTestApp } from './support/test-app';
import { sharedTokenSuite } from './support/token-call';

sharedTokenSuite(
  'Redis',
  () => startTestApp(),
  (a) => startTestApp({ sameAppAs: a }),
);
