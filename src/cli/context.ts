import os from 'node:os';
import type { Logger } from 'pino';
import { loadCloud } from '../config/index.js';
import type { ResolvedCloud } from '../config/types.js';
import { HttpClient } from '../openstack/http.js';
import { Session } from '../openstack/identity.js';
import { GlanceClient } from '../openstack/image.js';
import type { Redactor } from '../net/redact.js';
import { type Clock, systemClock } from '../util/clock.js';
import { UsageError } from './exit.js';
import type { MainIo } from './main.js';
import type { ProgramOptions } from './options.js';

export type GlobalOptions = Pick<
  ProgramOptions,
  'cloud' | 'allClouds' | 'debug' | 'logFormat' | 'timeout' | 'retryBudget'
>;

/** What a cloud's client takes from the run's surroundings: the environment (OS_*), and the clock (the system's). */
export type ClientIo = Pick<MainIo, 'env' | 'clock'>;

/** What a command needs to talk to one cloud, built once per run from the options and the environment. */
export interface CloudContext {
  cloud: ResolvedCloud;
  http: HttpClient;
  session: Session;
  glance: GlanceClient;
  /** The run's time: the system's, or the one a test gave main(). */
  clock: Clock;
}

/** The one cloud a single-cloud command talks to: at most one --cloud, no --all-clouds. */
export function singleCloud(options: Pick<GlobalOptions, 'cloud' | 'allClouds'>, command: string): string | undefined {
  if (options.allClouds || options.cloud.length > 1) {
    throw new UsageError(`${command} talks to one cloud at a time: give at most one --cloud, and no --all-clouds`);
  }
  return options.cloud[0];
}

export function connect(
  cloudName: string | undefined,
  options: Pick<GlobalOptions, 'timeout' | 'retryBudget'>,
  redactor: Redactor,
  log: Logger,
  { env, clock = systemClock }: ClientIo,
): CloudContext {
  const cloud = loadCloud({ cloudName, env, cwd: process.cwd(), homeDir: os.homedir() });
  const http = new HttpClient({
    redactor,
    log,
    tls: cloud.tls,
    timeoutMs: options.timeout * 1000,
    clock,
    retryBudgetMs: options.retryBudget * 1000,
  });
  const session = new Session(http, cloud, () => new Date(clock.now()));
  const glance = new GlanceClient(session, cloud.imageEndpointOverride);
  return { cloud, http, session, glance, clock };
}

export function logRequestCounts(context: CloudContext, log: Logger): void {
  for (const { request, count } of context.http.stats.entries()) log.debug({ count }, `requests: ${request}`);
  log.debug({ total: context.http.stats.total, writes: context.http.stats.writes() }, 'requests in total');
}
