// The fake WeChat is dev tooling (`npm run dev:mock` serves it too); the tests use the same one.
export * from '../../scripts/fake-wechat';
