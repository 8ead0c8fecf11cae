import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { isManaged, seenUnmanaged } from '../definitions/identify.js';
import type { Plan, PlanOptions } from '../plan/types.js';
import { recencyNameWarning } from '../scs/outdated-names.js';
import { isOutdatedForRecency } from '../scs/recency.js';
import { subjectOfImage } from '../scs/subjects.js';
import { briefOf, indexActions } from './actions.js';
import { type RowContext, summaryOf, versionRows } from './rows.js';
import type { Collision, DefinitionStatus, StatusView } from './types.js';

// `status` is the plan's view of the cloud, laid out for a person: the rows are the plan's decisions, what the
// next run does the plan's actions. It reads and decides nothing of its own.

export interface StatusInput {
  cloud: string;
  /** The definitions as the run plans them (selected, `--update` and `version: latest` applied). */
  definitions: ImageDefinition[];
  /** What `observe` found: the images carrying the tag. */
  observed: GlanceImage[];
  /** Images of any owner called like a managed image (`imagesNamed`). */
  unmanagedNamed: GlanceImage[];
  /** Managed images no loaded definition, selected or not, claims (`unclaimedImages`). */
  unaccounted: GlanceImage[];
  projectId?: string;
  /** The options the plan was made with. */
  options: PlanOptions;
  /** The plan made from exactly these definitions, images and options. */
  plan: Plan;
  now: Date;
  upstreamFailures?: Array<{ definition: string; message: string }>;
}

export function statusView(input: StatusInput): StatusView {
  const { options, plan } = input;
  const context: RowContext = {
    index: indexActions(plan.actions),
    now: input.now.getTime(),
    scsRecencyWarnings: recencyWarnings(input.observed, input.now.getTime()),
  };
  const planned = new Map(plan.definitions.map((entry) => [entry.definition, entry]));
  const definitions: DefinitionStatus[] = [];
  const collisions: Collision[] = [];
  const strangers = input.unmanagedNamed.filter((image) => seenUnmanaged(image, options.tag, input.projectId));
  for (const def of input.definitions) {
    const { rows, names } = versionRows(def, planned.get(def.name) ?? { definition: def.name, versions: [] }, context);
    definitions.push(definitionStatus(def, rows, context, plan));
    for (const image of strangers) {
      if (image.name !== null && names.has(image.name))
        collisions.push({ image: summaryOf(image), definition: def.name });
    }
  }
  const unaccounted = input.unaccounted.map(unaccountedImage);
  return {
    cloud: input.cloud,
    tag: options.tag,
    readAt: input.now.toISOString(),
    inSync: plan.actions.length === 0,
    summary: summarize(definitions, input, unaccounted.length, collisions.length),
    definitions,
    unaccounted,
    collisions,
    actions: plan.actions.map(briefOf),
    upstreamFailures: input.upstreamFailures ?? [],
  };
}

function definitionStatus(
  def: ImageDefinition,
  versions: DefinitionStatus['versions'],
  context: RowContext,
  plan: Plan,
): DefinitionStatus {
  const { replace_frequency: frequency, uuid_validity: validity } = def.meta;
  return {
    name: def.name,
    file: def.file,
    multi: def.multi,
    ...(frequency != null ? { replaceFrequency: String(frequency) } : {}),
    ...(validity != null ? { uuidValidity: String(validity) } : {}),
    versions,
    actions: context.index.byDefinition.get(def.name) ?? [],
    notes: plan.notes.filter((note) => note.definition === def.name),
  };
}

/**
 * Per image id, the WARN the official scs-0102 recency test would print about it: outdated in the test's sense,
 * left visible, and named without a marker it reads (`old`, `prev`, `YYYYMMDD`, `YYYY-MM-DD`).
 */
function recencyWarnings(images: GlanceImage[], now: number): Map<string, string> {
  const warnings = new Map<string, string>();
  for (const image of images) {
    const warning = recencyNameWarning(image, isOutdatedForRecency(subjectOfImage(image), now));
    if (warning !== undefined) warnings.set(image.id, warning);
  }
  return warnings;
}

function unaccountedImage(image: GlanceImage): StatusView['unaccounted'][number] {
  return {
    ...summaryOf(image),
    ...(typeof image.image_name === 'string' ? { imageName: image.image_name } : {}),
    ...(typeof image.internal_version === 'string' ? { internalVersion: image.internal_version } : {}),
  };
}

function summarize(
  definitions: DefinitionStatus[],
  input: StatusInput,
  unaccounted: number,
  collisions: number,
): StatusView['summary'] {
  const rows = definitions.flatMap((def) => def.versions);
  return {
    definitions: definitions.length,
    managedImages: input.observed.filter((image) => isManaged(image, input.options.tag, input.projectId)).length,
    missing: rows.filter((row) => row.defined && !row.image).length,
    imports: rows.filter((row) => row.next === 'import').length,
    changing: rows.filter((row) => row.image && row.next !== 'none').length,
    actions: input.plan.actions.length,
    unaccounted,
    collisions,
    scsRecencyWarnings: rows.filter((row) => row.scsRecencyWarning !== undefined).length,
  };
}
