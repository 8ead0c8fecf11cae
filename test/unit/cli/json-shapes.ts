import { z } from 'zod';

// The JSON the CLI prints, as the README documents it ("Machine-readable output", "Status", the `check`
// paragraph of "Commands", "Keeping images current"): one zod schema a document. A key the README lists is
// required unless the README writes it `"key"?`; an object whose keys the README lists in full is strict (an
// undocumented key fails), one the README leaves open (`…`, `[...]`) is loose. json-shapes.test.ts produces
// every document for real and checks it against these schemas.

const int = z.number().int();
const seq = int.positive();
/** A value that is there (any JSON value, null included): a required key whose type the README leaves open. */
const present = z.json();

export const EXIT_MEANINGS = [
  'everything planned was done (or deferred by --no-wait)',
  'some work failed: the rest proceeded',
  'usage, cloud or definition error: nothing changed',
] as const;

export const ERROR_KINDS = [
  'usage',
  'config',
  'definition',
  'authentication',
  'connection',
  'http',
  'upstream',
  'internal',
] as const;
export const ACTION_KINDS = ['import', 'resume-import', 'update', 'rename', 'delete'] as const;
export const RESULT_STATUSES = ['done', 'failed', 'skipped', 'deferred'] as const;
export const VERDICTS = ['PASS', 'WARN', 'FAIL'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

const issue = z.strictObject({
  file: z.string(),
  line: int.positive().optional(),
  image: z.string().optional(),
  path: z.string(),
  message: z.string(),
});

/** `ERROR` */
export const errorReport = z.strictObject({
  message: z.string(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  meaning: z.enum(EXIT_MEANINGS),
  kind: z.enum(ERROR_KINDS),
  issues: z.array(issue).optional(),
});

/** `{"error": ERROR}`: any error. */
export const errorDocument = z.strictObject({ error: errorReport });

/** `PLAN`: an action lists `seq`, `kind`, `definition`, `summary`, `after` and more (`…`). */
const action = z.looseObject({
  seq,
  kind: z.enum(ACTION_KINDS),
  definition: z.string(),
  summary: z.string(),
  after: z.array(seq),
});
const note = z.strictObject({
  level: z.enum(['info', 'warn']),
  definition: z.string().optional(),
  image: z.string().optional(),
  message: z.string(),
});
export const DECISION_FATES = ['import', 'keep', 'resume', 'delete', 'none', 'leave'] as const;
/** A decision: its `fate`, its `reason` (a `kind` and more) and more (`…`); an `image` is IMAGE in brief. */
const decision = z.looseObject({
  fate: z.enum(DECISION_FATES),
  reason: z.looseObject({ kind: z.string() }),
  image: z.strictObject({ id: z.string(), name: z.string().nullable(), status: z.string() }).optional(),
});
const definitionPlan = z.strictObject({
  definition: z.string(),
  versions: z.array(z.strictObject({ version: z.string(), defined: z.boolean(), decisions: z.array(decision) })),
});
export const plan = z.strictObject({
  actions: z.array(action),
  notes: z.array(note),
  definitions: z.array(definitionPlan),
});

/** `REPORT` */
export const report = z.strictObject({
  counts: z.strictObject({ done: int, failed: int, skipped: int, deferred: int }),
  results: z.array(
    z.strictObject({
      seq,
      kind: z.enum(ACTION_KINDS),
      definition: z.string(),
      summary: z.string(),
      status: z.enum(RESULT_STATUSES),
      message: z.string().optional(),
      imageId: z.string().optional(),
      verification: z
        .strictObject({ state: z.enum(['verified', 'source-verified', 'not-verifiable']), detail: z.string() })
        .optional(),
      durationMs: z.number().nonnegative().optional(),
    }),
  ),
});

/** `"upstream"?: [...]`: what `--update` found, one entry a definition (left open). */
const upstream = z.array(z.looseObject({})).optional();

/** A run. */
export const runDocument = z.strictObject({ dryRun: z.literal(false), plan, report, upstream });

/** `--dry-run` */
export const dryRunDocument = z.strictObject({ dryRun: z.literal(true), plan, upstream });

/** Several clouds: each cloud's document, or its error. */
export const cloudsDocument = z.strictObject({
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  clouds: z.record(z.string(), z.union([runDocument, dryRunDocument, errorDocument])),
});

/** `--check-only` */
export const checkOnlyDocument = z.strictObject({
  checkOnly: z.literal(true),
  valid: z.literal(true),
  definitions: int.nonnegative(),
  selected: z.array(z.string()),
});

/** `info` */
export const infoDocument = z.strictObject({
  cloud: z.string(),
  user: z.string().optional(),
  project: z.string().optional(),
  projectId: z.string().optional(),
  roles: z.array(z.string()),
  imageEndpoint: z.url(),
  importMethods: z.array(z.string()),
});

/** `check`: the audit ("Commands", the `check` paragraph). */
export const checkDocument = z.strictObject({
  cloud: z.string(),
  scsVersion: z.enum(['v1', 'v2']),
  verdict: z.enum(VERDICTS),
  images: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      visibility: z.string(),
      verdict: z.enum(VERDICTS),
      findings: z.array(
        z.strictObject({ rule: z.string(), verdict: z.enum(VERDICTS), message: z.string(), image: z.string() }),
      ),
    }),
  ),
  standardImages: z.array(present),
  recencyNameWarnings: z.array(z.strictObject({ id: z.string(), name: z.string(), message: z.string() })),
});

/** `update` ("Keeping images current"). */
export const updateDocument = z.strictObject({
  dryRun: z.boolean(),
  definitions: z.array(
    z.strictObject({
      name: z.string(),
      file: z.string(),
      layout: z.enum(['release-feed', 'dated-folders', 'checksum-file', 'sidecar', 'marker']).nullable(),
      track: z.string().optional(),
      current: z
        .strictObject({
          version: z.string(),
          url: z.string(),
          checksum: z.string().nullable(),
          build_date: z.string().nullable(),
        })
        .nullable(),
      upstream: z
        .strictObject({
          version: z.string().nullable(),
          url: z.string(),
          checksum: z.string().nullable(),
          checksumComputed: z.boolean(),
          date: z.string().nullable(),
        })
        .nullable(),
      status: z.enum(['new', 'current', 'older', 'failed']),
      changed: z.boolean(),
      requests: int.nonnegative(),
      error: z.string().optional(),
      warning: z.string().optional(),
    }),
  ),
  files: z.array(
    z.strictObject({
      file: z.string(),
      changed: z.boolean(),
      diff: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
});

/** `eol` ("End of life"). */
const day = z.iso.date();
export const EOL_STATES = ['past', 'near', 'supported', 'unknown'] as const;
export const eolDocument = z.strictObject({
  today: day,
  warnDays: int.nonnegative(),
  api: z.string(),
  findings: int.nonnegative(),
  definitions: z.array(
    z.strictObject({
      definition: z.string(),
      file: z.string(),
      enabled: z.boolean(),
      versions: z.array(z.string()),
      product: z.string().nullable(),
      cycle: z.string().nullable(),
      state: z.enum(EOL_STATES),
      endOfLife: day.nullable(),
      judgedOn: z.enum(['eol', 'extendedSupport']).nullable(),
      daysLeft: int.nullable(),
      why: z.string(),
    }),
  ),
  notDefined: z.array(
    z.strictObject({
      product: z.string(),
      cycle: z.string(),
      releaseDate: day.nullable(),
      endOfLife: day.nullable(),
      newer: z.boolean(),
    }),
  ),
  products: z.array(z.strictObject({ product: z.string(), url: z.url(), cycles: int.positive() })),
});

/** `IMAGE` of `status`. */
const image = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  status: z.string(),
  visibility: z.string(),
  hidden: z.boolean(),
  protected: z.boolean(),
  owner: z.string().nullable(),
  createdAt: z.string(),
});
const change = z.strictObject({ field: z.string(), before: present, after: present });

/** `status` ("Status"). */
export const statusDocument = z.strictObject({
  cloud: z.string(),
  tag: z.string(),
  readAt: z.iso.datetime(),
  inSync: z.boolean(),
  summary: z.strictObject({
    definitions: int,
    managedImages: int,
    missing: int,
    imports: int,
    changing: int,
    actions: int,
    unaccounted: int,
    collisions: int,
    scsRecencyWarnings: int,
  }),
  definitions: z.array(
    z.strictObject({
      name: z.string(),
      file: z.string(),
      multi: z.boolean(),
      replaceFrequency: z.string().optional(),
      uuidValidity: z.string().optional(),
      versions: z.array(
        z.strictObject({
          version: z.string(),
          defined: z.boolean(),
          image: image.optional(),
          role: z.enum(['current', 'outdated', 'duplicate', 'left-alone', 'none']),
          plainName: z.strictObject({ now: z.boolean(), next: z.boolean() }),
          recency: z
            .strictObject({
              buildDate: z.string().optional(),
              replaceFrequency: z.string().optional(),
              ageDays: int.optional(),
              replacementDue: z.string().optional(),
              overdue: z.boolean(),
              why: z.string(),
            })
            .optional(),
          verification: z
            .strictObject({
              state: z.enum(['verified', 'source-verified', 'not-verifiable', 'pending', 'not-recorded']),
              detail: z.string(),
            })
            .optional(),
          retention: z.strictObject({ state: z.enum(['kept', 'past']), why: z.string() }).optional(),
          next: z.enum(['import', 'resume', 'delete', 'deactivate', 'hide', 'rename', 'update', 'none']),
          why: z.string().optional(),
          changes: z.array(change),
          actions: z.array(seq),
          scsRecencyWarning: z.string().optional(),
        }),
      ),
      actions: z.array(seq),
      notes: z.array(present),
    }),
  ),
  unaccounted: z.array(image.extend({ imageName: z.string().optional(), internalVersion: z.string().optional() })),
  collisions: z.array(z.strictObject({ image, definition: z.string() })),
  actions: z.array(
    z.strictObject({
      seq,
      kind: z.enum(ACTION_KINDS),
      definition: z.string(),
      summary: z.string(),
      after: z.array(seq),
      imageId: z.string().optional(),
      changes: z.array(change),
    }),
  ),
  upstreamFailures: z.array(z.strictObject({ definition: z.string(), message: z.string() })),
});

/** A `--log-format json` line: pino's `level` (its label), `time` (ISO 8601), `msg`, and fields such as `cloud`. */
export const logLine = z.looseObject({
  level: z.enum(LOG_LEVELS),
  time: z.iso.datetime(),
  msg: z.string(),
});

/** The fatal line that ends a failed run with `--log-format json`: the ERROR, its message as `msg`. */
export const fatalLine = z.strictObject({
  level: z.literal('fatal'),
  time: z.iso.datetime(),
  msg: z.string(),
  exitCode: errorReport.shape.exitCode,
  meaning: errorReport.shape.meaning,
  kind: errorReport.shape.kind,
  issues: errorReport.shape.issues,
});

export const MIRROR_ACTIONS = [
  'copied',
  'recopied',
  'present',
  'would-copy',
  'would-recopy',
  'skipped',
  'failed',
] as const;
export const PRUNE_ACTIONS = ['pruned', 'would-prune', 'kept', 'failed'] as const;
/** `mirror --output json` (README, "Mirror"). */
export const mirrorDocument = z.strictObject({
  store: z.string(),
  dryRun: z.boolean(),
  interrupted: z.enum(['SIGINT', 'SIGTERM']).optional(),
  objects: z.array(
    z.strictObject({
      definition: z.string(),
      version: z.string(),
      source: z.string(),
      object: z.string(),
      mirrorUrl: z.string(),
      action: z.enum(MIRROR_ACTIONS),
      size: int.nonnegative().optional(),
      reason: z.string().optional(),
      mirrorChecksum: z
        .string()
        .regex(/^sha256:[0-9a-f]{64}$/)
        .optional(),
    }),
  ),
  pruned: z.array(z.strictObject({ object: z.string(), action: z.enum(PRUNE_ACTIONS), reason: z.string().optional() })),
  files: z.array(z.strictObject({ file: z.string(), changed: z.boolean(), error: z.string().optional() })),
});
