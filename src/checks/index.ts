import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../log.js';
import { startRunner, type Runner } from './runner.js';
import { targetGuard } from './ssrf.js';

export type { Runner };

/** The check runner as `serve` and `worker` run it: the operator's ALLOW_PRIVATE_TARGETS decides the guard. */
export function startCheckRunner(config: Config, db: Db, log: Logger): Runner {
  return startRunner({ db, log, guard: targetGuard({ allowPrivate: config.allowPrivateTargets }) });
}
