// Types of scripts/toolchains.js, for the e2e tests.
export const TOOLCHAINS: string;
export const PM_BIN: string;
export const E2E_NODE: 22;
export function nodeHome(major: number): string;
export function nodeEnv(major: number, env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
