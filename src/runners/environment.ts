// The environment every user command runs in (tests, discovery, deploy): the user's own, as it is,
// minus secrets. Nothing is added that a test sees (jest's and mocha's own process get a preload that
// takes itself away: runner-argv.ts): a suite that branches on CI or on colour support must see what
// it sees in the user's terminal. Secrets are withheld because the code under test includes
// patches a model wrote; the policy's `env.pass` lets a variable a suite needs through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isIP } from 'node:net';

/** Credentials by name, whatever their value. */
const SECRET_NAMES = new Set([
  'ANTHROPIC_API_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'PYPI_TOKEN',
  'TWINE_PASSWORD',
]);

/** Names that hold a credential: *_API_KEY, *_TOKEN, *_SECRET, anything with PASSWORD, … */
const SECRET_NAME =
  /(^|_)(API_?KEY|AUTH_?TOKEN|TOKEN|SECRET_KEY|ACCESS_KEY|PRIVATE_KEY|AUTH|CREDENTIALS?|PASSWD|PASSPHRASE)$|PASSWORD|SECRET/i;

/** Values that are credentials wherever they appear (the shapes llm.secretPatterns redacts, and JWTs). */
const SECRET_VALUE = /sk-ant-[\w-]{8,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_\w{20,}|\bxox[abpr]-[\w-]{10,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\beyJ[\w-]{10,}\.[\w-]{10,}\./;

/**
 * A value under a *_KEY name that reads as a key rather than a setting: one long word of letters
 * and digits mixed (a path, a flag or a name such as SORT_KEY=name is no credential).
 */
function looksLikeKey(value: string): boolean {
  return value.length >= 16 && /^[\w+/=.:-]+$/.test(value) && /[0-9]/.test(value) && /[A-Za-z]/.test(value) && !value.includes('/');
}

/** A URL that carries a password for a host other than this machine: postgres://u:pw@db.example.com. */
function remoteUrlWithPassword(value: string): boolean {
  if (!/^[a-z][\w+.-]*:\/\/[^/\s]*:[^/\s]*@/i.test(value)) return false;
  try {
    const url = new URL(value);
    if (!url.password) return false;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const local = host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && (host.startsWith('127.') || host === '::1'));
    return !local;
  } catch {
    return true; // unreadable, yet it has the shape of user:password@host
  }
}

/** Whether a variable is a secret: by its name, or by a value that is a credential. */
export function isSecret(name: string, value: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_NAMES.has(upper) || SECRET_NAME.test(upper)) return true;
  if (/(^|_)KEY$/.test(upper) && looksLikeKey(value)) return true;
  return SECRET_VALUE.test(value) || remoteUrlWithPassword(value);
}

export interface UserEnvironment {
  /** What a user command gets. */
  env: Record<string, string>;
  /** Names withheld as secrets, sorted: said in messages, never their values. */
  withheld: string[];
}

/**
 * The user's environment minus secrets; a name in `pass` (the policy's `env.pass`) goes through
 * even when it looks like a secret. Names are compared as the platform does (case-insensitively
 * on Windows).
 */
export function userEnvironment(pass: readonly string[] = [], source: NodeJS.ProcessEnv = process.env): UserEnvironment {
  const fold = (name: string) => (process.platform === 'win32' ? name.toUpperCase() : name);
  const allowed = new Set(pass.map(fold));
  const env: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (!allowed.has(fold(name)) && isSecret(name, value)) withheld.push(name);
    else env[name] = value;
  }
  return { env, withheld: withheld.sort() };
}

interface EnvironmentSettings {
  /** Variables let through although they look like secrets (the policy's `env.pass`). */
  pass: readonly string[];
}

const settings = new AsyncLocalStorage<EnvironmentSettings>();

/**
 * Runs `fn` in a scope of its own: every command it starts, however deep (suite runs,
 * verifications, flaky re-runs, discovery, deploy), gets the variables `passVariables` names in
 * it, without each layer handing them on, and without reaching concurrent runs.
 */
export function withEnvironment<T>(fn: () => T): T {
  return settings.run({ pass: [] }, fn);
}

/** The variables let through in the current scope (a loop run, once its policy is read). */
export function passVariables(pass: readonly string[]): void {
  const store = settings.getStore();
  if (!store) throw new Error('passVariables() called outside withEnvironment(): the variables would reach no command.');
  store.pass = [...pass];
}

/** The environment for a user command started now. */
export function commandEnvironment(): UserEnvironment {
  return userEnvironment(settings.getStore()?.pass ?? []);
}
