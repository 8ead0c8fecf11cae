// Over 300 lines: every option of every command is declared here once, with its help, so --help loads one module.
import { createRequire } from 'node:module';
import type * as Typed from '@commander-js/extra-typings';

// Loaded by --help and --version: commander and nothing else, so that they start at once. Whatever a
// declaration needs from elsewhere is repeated here (a test keeps it equal to its origin).
//
// commander's classes, typed by @commander-js/extra-typings (which exports at run time nothing but commander's
// own classes). Required as CommonJS: through the ES module loader, and through extra-typings' wrapper, the
// same classes cost a fifth more of --help's time (measured on Node 20).
export const { Command, CommanderError, Help, InvalidArgumentError, Option } = createRequire(import.meta.url)(
  'commander',
) as Pick<typeof Typed, 'Command' | 'CommanderError' | 'Help' | 'InvalidArgumentError' | 'Option'>;

// How the options reach a command: every option is declared on the program itself, because a run without a
// command takes them all, and commander gives an option the program knows to the program wherever it stands
// on the command line (`image-manager --cloud X check` and `image-manager check --cloud X` are one). A command
// declares again the options it reads, so that its --help lists them; its action reads them with
// optsWithGlobals(), and main.ts refuses an option given to a command that does not declare it.

/** Glance's default `image_property_quota`. */
const DEFAULT_PROPERTY_QUOTA = 128;
/** Imports in flight on the Glance side at once (repeated from apply/executor.ts). */
const DEFAULT_MAX_IMPORTING = 16;
/** How long an API request is tried, in seconds (repeated from openstack/retry.ts). */
const DEFAULT_RETRY_BUDGET = 120;

const HIDE_AS = ['community', 'private', 'shared'] as const;
/** What --output and --log-format take (render/format.ts renders each). */
export const FORMATS = ['text', 'json'] as const;
/** endoflife.date's product URL (repeated from upstream/end-of-life.ts). */
export const DEFAULT_EOL_API = 'https://endoflife.date/api/{product}.json';
/** How many days ahead `eol` calls an end of life near. */
const DEFAULT_WARN_DAYS = 90;
/** How outdated versions are named (repeated from definitions/types.ts: this module loads nothing else). */
const OUTDATED_NAMES = ['oim', 'scs'] as const;
/** How --mirror-signing signs a private mirror's URLs (cli/mirror-signing.ts makes the signer). */
const MIRROR_SIGNINGS = ['swift-tempurl', 's3-presign'] as const;
export type MirrorSigning = (typeof MIRROR_SIGNINGS)[number];

const DESCRIPTION =
  'Registers SCS-compliant images in OpenStack Glance and keeps them current.\n' +
  'Without a command: import, update, rotate and retire the images of the definitions (osism manage image).';

type Values = Typed.OptionValues;

/**
 * The program and its options, without actions: a run without a command takes every option. The options'
 * types are inferred from their declarations; --help shows them in groups.
 */
export function declareProgram(version: string) {
  const program = new Command('image-manager')
    .description(DESCRIPTION)
    .configureHelp({ optionDescription: describeOption })
    .helpCommand(false) // declareHelp's: `help chek` names the command that does not exist
    .version(version, '-V, --version', 'show the version');
  const definitions = checkOptions(definitionOptions(program.optionsGroup('Definitions:')));
  const cloud = connectionOptions(
    cloudOption(definitions.optionsGroup('Cloud:'), 'many').option(
      '--all-clouds',
      'run against every cloud in clouds.yaml, in parallel',
      false,
    ),
  );
  const run = importOptions(runOptions(cloud.optionsGroup('What a run changes:')).optionsGroup('Imports:'));
  return outputOptions(shareOptions(run.optionsGroup('Sharing an image instead:')).optionsGroup('Output:')).option(
    '--no-progress',
    'no live view of the imports on a terminal: plain log lines, as when not on a terminal',
  );
}

/** Every option of a run, typed as commander parses them (defaults applied). */
export type ProgramOptions = ReturnType<ReturnType<typeof declareProgram>['opts']>;
type Program = ReturnType<typeof declareProgram>;

/** `image-manager info`, without its action. */
export function declareInfo(program: Program) {
  const info = program
    .command('info')
    .description('authenticate, find Glance and show the user, project, roles, image endpoint and import methods');
  return outputOptions(connectionOptions(cloudOption(info, 'one')));
}

/** `image-manager check`, without its action. */
export function declareCheck(program: Program) {
  const check = program
    .command('check')
    .description('audit every public and community image of the cloud against scs-0102 and scs-0104 (exit 1 on FAIL)')
    .addOption(scsVersionOption());
  return outputOptions(connectionOptions(cloudOption(check, 'one')));
}

/** `image-manager update`, without its action. */
export function declareUpdate(program: Program) {
  const update = program
    .command('update')
    .description(
      'write the newest upstream build of each definition that names its upstream (latest_url, ' +
        'latest_checksum_url) into its file; enable: false definitions too',
    )
    .addOption(imagesOption())
    .addOption(filterOption())
    .option('--dry-run', 'print what would change in each file as a diff; write nothing', false)
    .option('--parallel <n>', 'upstreams asked at once', parseCount(1), 4)
    .option('--timeout <seconds>', 'timeout of each upstream request', parseCount(1), 60);
  return outputOptions(update);
}

/** `image-manager status`, without its action. */
export function declareStatus(program: Program) {
  const status = program
    .command('status')
    .description('show, per definition, what the cloud holds, what differs and what the next run would do (read-only)');
  const named = definitionOptions(status).addOption(outdatedNamesOption()).addOption(mirrorBaseOption());
  return outputOptions(connectionOptions(cloudOption(named, 'one')));
}

/** `image-manager eol`, without its action. */
export function declareEol(program: Program) {
  const eol = program
    .command('eol')
    .description(
      'which definitions are past or near their end of life, and which supported releases are not defined yet, ' +
        'from endoflife.date (read-only; exit 1 on a finding)',
    )
    .addOption(imagesOption())
    .addOption(filterOption())
    .option('--force', 'also judge definitions with enable: false', false)
    .option('--today <YYYY-MM-DD>', 'the day to judge on, for reproducible runs (default: today, UTC)', parseDay)
    .option('--warn-days <days>', 'an end of life within this many days is near', parseCount(0), DEFAULT_WARN_DAYS)
    .option(
      '--eol-api <url>',
      "a product's URL at endoflife.date's API (v0 or v1), {product} standing for the product",
      parseApiTemplate,
      DEFAULT_EOL_API,
    )
    .option('--timeout <seconds>', 'timeout of each request to the API', parseCount(1), 60);
  return outputOptions(eol);
}

/** Swift's default max_file_size is 5 GiB: a segment may not be larger. */
const DEFAULT_SEGMENT_MIB = 5120;

/** `image-manager mirror`, without its action. */
export function declareMirror(program: Program) {
  const mirror = program
    .command('mirror')
    .description(
      "copy each selected version's source into a Swift container or S3 bucket (unpacked, verified), " +
        'named <shortname>/<version>-<shortname>.<format> as OIM names it',
    )
    .addOption(imagesOption())
    .addOption(filterOption())
    .option('--force', 'also take definitions with enable: false', false)
    .option('--latest', 'mirror only the newest version of each definition', false)
    .option('--container <name>', "the Swift container (the cloud's object-store endpoint)")
    .option('--s3-bucket <name>', 'the S3 bucket (created when missing)')
    .option('--s3-endpoint <url>', "the S3 service (path-style: URL/BUCKET/KEY); default: the profile's endpoint_url")
    .addOption(s3ProfileOption())
    .option('--mirror-base <url>', "the public base URL of the objects (default: the store's URL of the container)")
    .option(
      '--segment-size <MiB>',
      'largest segment (Swift SLO) or part (S3, at most 64)',
      parseCount(5),
      DEFAULT_SEGMENT_MIB,
    )
    .option('--prune', 'delete objects this tool wrote of versions no longer defined', false)
    .option('--write-mirror-url', "write each mirrored version's mirror_url into its definition file", false)
    .option('--dry-run', 'HEAD only: say what would be copied and pruned', false)
    .option('--allow-local-files <dir>', 'read file: URLs only under this directory (repeatable)', collect, [])
    .option('--max-unpacked-size <GiB>', 'a packed source that unpacks to more is refused', parseCount(1), 64);
  return outputOptions(connectionOptions(cloudOption(mirror, 'one'))).option(
    '--no-progress',
    'no live view of the copies on a terminal: plain log lines, as when not on a terminal',
  );
}

/** `image-manager help [command]`, without its action. */
export function declareHelp(program: Program) {
  return program.command('help').argument('[command]').description('show the help of the program, or of a command');
}

// The option groups. Each takes a command and returns it with its options added, their types inferred.

/** Which definitions a command works on (and which images are the tool's). */
function definitionOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .addOption(imagesOption())
    .addOption(filterOption())
    .option('--force', 'also take definitions with enable: false', false)
    .option('--tag <tag>', 'tag that marks the images this tool manages', 'managed_by_osism');
}

/** The run's own handling of the definitions (the program only). */
function checkOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .option('--latest', 'import only the newest version of each definition', false)
    .option('--update', 'find the newest upstream builds (latest_url) and import them; no file is written', false)
    .option('--check', 'validate the definitions first, SCS rules included: the default', true)
    .option('--no-check', 'skip the SCS checks of the definitions (what is checked before any run stays)')
    .option('--check-only', 'validate the definitions and exit; no cloud', false)
    .addOption(scsVersionOption())
    .option('--check-age', "warn about managed images much older than their definition's newest build", false)
    .option('--max-age <days>', 'the age in days --check-age warns about', parseCount(0), 90)
    .option('--allow-local-files <dir>', 'read file: URLs only under this directory (repeatable)', collect, [])
    .option(
      '--property-quota <n>',
      "the cloud's Glance image_property_quota: a version with more properties is refused",
      parseCount(1),
      DEFAULT_PROPERTY_QUOTA,
    );
}

/** The cloud a command talks to: `many` for a run, which reaches each cloud given, in parallel. */
function cloudOption<A extends unknown[], O extends Values, G extends Values>(
  command: Typed.Command<A, O, G>,
  clouds: 'one' | 'many',
) {
  const described =
    clouds === 'one' ? 'cloud in clouds.yaml' : 'cloud in clouds.yaml; repeatable: the run reaches each, in parallel';
  return command.addOption(
    new Option('--cloud <name>', described)
      .argParser(collect)
      .default<string[]>([], '$OS_CLOUD, else the OS_* environment, else the only cloud'),
  );
}

/** How a command talks to the cloud. */
function connectionOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .option('--timeout <seconds>', 'timeout of each API request', parseCount(1), 60)
    .option(
      '--retry-budget <seconds>',
      'how long an API request safe to repeat is tried again on 502/503/504 or no answer (0: never)',
      parseCount(0),
      DEFAULT_RETRY_BUDGET,
    );
}

/** What a run changes besides imports: the outdated versions. */
function runOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .option('--dry-run', 'print the plan and change nothing', false)
    .option('--no-wait', 'start imports and exit; the next run finishes them')
    .option('--hide', 'hide outdated images: visibility community, or os_hidden with --use-os-hidden', false)
    .addOption(
      new Option('--hidden-visibility <visibility>', 'the visibility --hide gives, community unless given').choices(
        HIDE_AS,
      ),
    )
    .option('--use-os-hidden', 'hide outdated images with os_hidden=true instead', false)
    .option('--unhide', 'show outdated images again that an earlier --hide (or a hand) hid', false)
    .addOption(outdatedNamesOption())
    .addOption(mirrorBaseOption())
    .option('--deactivate', 'deactivate outdated images past their retention', false)
    .option('--delete', 'delete outdated images past their retention (uuid_validity)', false)
    .option(
      '--yes-i-really-know-what-i-do',
      'accepted for osism manage image command lines; --delete alone deletes',
      false,
    )
    .option('--keep', 'never delete outdated images', false);
}

/** How the imports run. */
function importOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .option(
      '--parallel <n>',
      'uploads through this tool (glance-direct) and upstream requests at once',
      parseCount(1),
      4,
    )
    .option('--max-importing <n>', 'imports in flight on the Glance side at once', parseCount(1), DEFAULT_MAX_IMPORTING)
    .option('--stuck-retry <n>', 'further web-download attempts when an import fails or is stuck', parseCount(0), 0)
    .option(
      '--stuck-after <seconds>',
      'an import whose Glance task has not changed for this long is stuck (not updated while Glance downloads)',
      parseCount(1),
      600,
    )
    .option('--import-timeout <seconds>', 'how long one import may take', parseCount(1), 1800)
    .option(
      '--max-unpacked-size <GiB>',
      'a compressed or archived source that unpacks to more is refused (a decompression bomb)',
      parseCount(1),
      64,
    )
    .addOption(
      new Option(
        '--prefetch <when>',
        'stream the image through this tool (glance-direct): never, when web-download failed, or always',
      )
        .choices(['never', 'on-stuck', 'always'])
        .default('on-stuck'),
    )
    .option(
      '--verify-checksum',
      'stream every image through this tool (glance-direct); every import is verified either way',
      false,
    )
    .addOption(
      new Option(
        '--mirror-signing <kind>',
        'read the mirror through a URL signed per import (key or credentials from the environment)',
      ).choices(MIRROR_SIGNINGS),
    )
    .addOption(s3ProfileOption());
}

/** `--share-image`: share one image instead of managing images. */
function shareOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .option('--share-image <name>', 'share this image (name or id) instead of managing images')
    .addOption(new Option('--share-action <action>', 'add or remove the share').choices(['add', 'del']).default('add'))
    .option('--share-target <name>', 'project (or domain, with --share-type domain) to share with')
    .addOption(
      new Option('--share-type <type>', 'what --share-target names').choices(['project', 'domain']).default('project'),
    )
    .option('--share-domain <domain>', 'domain of the --share-target project', 'default');
}

/** What a command writes where: every command takes these. */
function outputOptions<A extends unknown[], O extends Values, G extends Values>(command: Typed.Command<A, O, G>) {
  return command
    .addOption(new Option('--output <format>', 'what stdout carries').choices(FORMATS).default('text'))
    .addOption(new Option('--log-format <format>', 'log lines on stderr').choices(FORMATS).default('text'))
    .option('--debug', 'log every request, and the request counts at the end', false);
}

function imagesOption() {
  return new Option(
    '--images <path>',
    'directory of image definition files, or one file (default: the shipped images/)',
  );
}

function filterOption() {
  return new Option(
    '--filter <regex>',
    'only definitions whose name matches this regular expression, searched anywhere in the name (case-sensitive)',
  );
}

function scsVersionOption() {
  return new Option('--scs-version <version>', 'the version of scs-0102 the checks apply')
    .choices(['v1', 'v2'])
    .default('v2');
}

function outdatedNamesOption() {
  return new Option(
    '--outdated-names <style>',
    "how outdated versions are named: oim 'NAME (VERSION)' or scs 'NAME YYYYMMDD'; unless given, as each " +
      "definition's outdated_names says, else oim",
  ).choices(OUTDATED_NAMES);
}

function s3ProfileOption() {
  return new Option(
    '--s3-profile <name>',
    'S3 keys from this profile of ~/.aws/credentials (default: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ' +
      'else AWS_PROFILE or default)',
  );
}

function mirrorBaseOption() {
  return new Option(
    '--mirror-base <url>',
    'import a version without mirror_url from <url>/<shortname>/<version>-<shortname>.<format> first, ' +
      'then from its url',
  ).argParser(parseBaseUrl);
}

/**
 * An option's line in --help, as commander writes it, but without "(default: false)" for a flag or
 * "(default: [])" for a repeatable option: a flag's default is that it is off, which says nothing.
 */
function describeOption(this: Typed.Help, option: Typed.Option): string {
  const saysNothing = typeof option.defaultValue === 'boolean' || isEmptyList(option.defaultValue);
  const shown =
    saysNothing && option.defaultValueDescription === undefined
      ? (Object.create(option, { defaultValue: { value: undefined } }) as Typed.Option)
      : option;
  return Help.prototype.optionDescription.call(this, shown);
}

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function parseCount(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${value}"`);
    }
    return n;
  };
}

function parseDay(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (date === undefined || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError(`expected a real day written YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

function parseApiTemplate(value: string): string {
  let url: URL | undefined;
  try {
    url = value.includes('{product}') ? new URL(value.split('{product}').join('ubuntu')) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidArgumentError(`expected an http(s) URL with {product} in it, got "${value}"`);
  }
  return value;
}

function parseBaseUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const plain = url && !url.username && !url.password && !url.search && !url.hash;
  if (!plain || (url?.protocol !== 'http:' && url?.protocol !== 'https:')) {
    throw new InvalidArgumentError(`expected an http(s) URL without user, query or fragment, got "${value}"`);
  }
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
