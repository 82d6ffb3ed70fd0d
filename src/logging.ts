import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { scrubText } from './mask.js';

export type { Logger } from 'pino';

// Second net behind "never log it in the first place": any field with one of these names is replaced.
const REDACT_PATHS = [
  'authorization',
  'password',
  'secret',
  'token',
  'accessToken',
  'idToken',
  'clientSecret',
  'connectionString',
  'headers.authorization',
  'req.headers.authorization',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.idToken',
  '*.clientSecret',
  '*.connectionString',
  '*.MicrosoftAppPassword',
  '*.phoneNumber',
  '*.text',
];

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]));
}

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (sandbox) instead of JSON (production). */
  pretty: boolean;
  /** Where lines go; defaults to stdout. Tests pass a capturing stream. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { service: 'proofup' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: (err: Error) => scrubValue(pino.stdSerializers.err(err), 0) as pino.SerializedError },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => scrubValue(a, 0)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  if (options.pretty) {
    const stream = pretty({
      colorize: false,
      sync: true,
      destination: options.destination ?? 1,
      ignore: 'service,pid,hostname',
    });
    return pino(base, stream);
  }
  return options.destination ? pino(base, options.destination as pino.DestinationStream) : pino(base);
}
