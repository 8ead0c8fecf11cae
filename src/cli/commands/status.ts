import type { Logger } from 'pino';
import type { FetchLike } from '../../net/fetch.js';
import { readStatus } from '../../run/status.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK } from '../exit.js';
import type { ProgramOptions } from '../options.js';
import { renderStatus } from '../render/status.js';
import { reportDiscovery } from './discovery-report.js';
import type { LoadedSelection } from './selection.js';

/**
 * `image-manager status` on one cloud: per definition what is defined, what the cloud holds, what differs and
 * what the next run would do. Read-only: it observes as a run does and makes the plan a `--dry-run` with the
 * same flags would print. The exit code: 0 when the cloud was read, drift or not (1 only when an upstream asked
 * for failed).
 */
export async function status(
  context: CloudContext,
  selection: LoadedSelection,
  options: ProgramOptions,
  { log, stdout, fetch }: { log: Logger; stdout: NodeJS.WritableStream; fetch: FetchLike },
): Promise<number> {
  const view = await readStatus(
    {
      cloud: context,
      selected: selection.selected,
      options,
      fetch,
      now: new Date(context.clock.now()),
      clock: context.clock,
      report: { discovered: (discovery) => reportDiscovery(discovery, log) },
    },
    { cloud: context.cloud.name, all: selection.all },
  );
  stdout.write(renderStatus(view, options.output));
  return view.upstreamFailures.length > 0 ? EXIT_FAILED : EXIT_OK;
}
