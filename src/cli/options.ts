import { createRequire } from 'node:module';
import type * as Typed from '@commander-js/extra-typings';

// Loaded by --help and --version: commander and nothing else, so that they start at once. Whatever a
// declaration needs from elsewhere is repeated here (a test keeps it equal to its origin).
//
// commander's classes, typed by @commander-js/extra-typings (which exports at run time nothing but commander's
// own classes). Required as CommonJS: through the ES module loader, and through extra-typings' wrapper, the
// same classes cost a fifth more of --help's time (Node 20).
export const { Command, CommanderError, InvalidArgumentError, Option } = createRequire(import.meta.url)(
  'commander',
) as Pick<typeof Typed, 'Command' | 'CommanderError' | 'InvalidArgumentError' | 'Option'>;

/** Glance's default `image_property_quota`. */
const DEFAULT_PROPERTY_QUOTA = 128;

const HIDE_AS = ['community', 'private', 'shared'] as const;
const FORMATS = ['text', 'json'] as const;
/** How outdated versions are named (repeated from definitions/types.ts: this module loads nothing else). */
const OUTDATED_NAMES = ['oim', 'scs'] as const;

/** The program and its options, without actions: every option's type is inferred from its declaration here. */
// One declaration per option, in --help order; split up, the inferred option types would be lost.
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: a list of declarations, see above
export function declareProgram(version: string) {
  return new Command('image-manager')
    .description(
      'Registers SCS-compliant images in OpenStack Glance and keeps them current.\n' +
        'Without a command: import, update, rotate and retire the images of the definitions (osism manage image).',
    )
    .version(version, '-V, --version')
    .option(
      '--cloud <name>',
      'cloud in clouds.yaml; repeatable: the run reaches each, in parallel (default: $OS_CLOUD, the OS_* ' +
        'environment, or the only cloud)',
      collect,
      [],
    )
    .option('--all-clouds', 'run against every cloud in clouds.yaml, in parallel', false)
    .option('--images <path>', 'directory of image definition files, or one file (default: the shipped images/)')
    .option('--filter <regex>', 'only images whose name matches this regular expression')
    .option('--latest', 'import only the newest version of each image', false)
    .option('--force', 'also manage definitions with enable: false', false)
    .option('--tag <tag>', 'tag that marks the images this tool manages', 'managed_by_osism')
    .option('--dry-run', 'print the plan and change nothing', false)
    .option('--no-wait', 'start imports and exit; the next run finishes them')
    .option('--hide', 'hide outdated images (visibility community, or os_hidden with --use-os-hidden)', false)
    .addOption(
      new Option('--hidden-visibility <visibility>', 'visibility --hide gives outdated images').choices(HIDE_AS),
    )
    .addOption(
      new Option(
        '--outdated-names <style>',
        "how outdated versions are named: oim 'NAME (VERSION)', scs 'NAME YYYYMMDD' (default: each definition's " +
          'outdated_names, else oim)',
      ).choices(OUTDATED_NAMES),
    )
    .option('--unhide', 'show outdated images again that an earlier --hide (or a hand) hid (rule 10)', false)
    .option('--use-os-hidden', 'hide outdated images with the os_hidden property', false)
    .option('--deactivate', 'deactivate outdated images past their retention', false)
    .option('--delete', 'delete outdated images past their retention (uuid_validity)', false)
    .option('--yes-i-really-know-what-i-do', 'accepted for compatibility with osism manage image command lines', false)
    .option('--keep', 'never delete outdated images', false)
    .option('--parallel <n>', 'actions carried out at once', parseCount(1), 4)
    .option('--stuck-retry <n>', 'further web-download attempts when an import fails or is stuck', parseCount(0), 0)
    .option(
      '--stuck-after <seconds>',
      'an import whose Glance task has not changed for this long is stuck (not updated while Glance downloads)',
      parseCount(1),
      600,
    )
    .option('--import-timeout <seconds>', 'how long one import may take', parseCount(1), 1800)
    .addOption(
      new Option('--prefetch <when>', 'stream the image through this tool (glance-direct)')
        .choices(['never', 'on-stuck', 'always'])
        .default('on-stuck'),
    )
    .option('--verify-checksum', 'stream every image through this tool and verify its checksum', false)
    .option('--allow-local-files <dir>', 'read file: URLs only under this directory (repeatable)', collect, [])
    .option('--property-quota <n>', "the cloud's Glance image_property_quota", parseCount(1), DEFAULT_PROPERTY_QUOTA)
    .option('--update', 'find the newest upstream builds (latest_url) and import them, without writing any file', false)
    .option('--check-age', "warn about managed images much older than their definition's newest build", false)
    .option('--max-age <days>', 'the age --check-age warns about', parseCount(0), 90)
    .addOption(
      new Option('--scs-version <version>', 'version of scs-0102 the checks apply').choices(['v1', 'v2']).default('v2'),
    )
    .option('--check', 'validate all definition files first (default)', true)
    .option('--no-check', 'skip the SCS checks of the definitions')
    .option('--check-only', 'validate the definition files and exit', false)
    .option('--share-image <name>', 'share this image (name or id) instead of managing images')
    .addOption(new Option('--share-action <action>', 'add or remove the share').choices(['add', 'del']).default('add'))
    .option('--share-target <name>', 'project (or domain, with --share-type domain) to share with')
    .addOption(
      new Option('--share-type <type>', 'what --share-target names').choices(['project', 'domain']).default('project'),
    )
    .option('--share-domain <domain>', 'domain of the --share-target project', 'default')
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(FORMATS).default('text'))
    .addOption(new Option('--output <format>', 'what stdout carries').choices(FORMATS).default('text'))
    .option('--no-progress', 'no live view of the imports on a terminal (plain log lines, as when not on a terminal)')
    .option('--debug', 'log every request and the request counts at the end', false)
    .option('--timeout <seconds>', 'timeout of each API request', parseCount(1), 60);
}

/** Every option of a run, typed as commander parses them (defaults applied). */
export type ProgramOptions = ReturnType<ReturnType<typeof declareProgram>['opts']>;

function parseCount(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${value}"`);
    }
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
