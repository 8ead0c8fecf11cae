import type { Change } from '../../plan/types.js';
import type { ActionBrief, DefinitionStatus, Recency, StatusView, VersionStatus } from '../../status/types.js';
import { plural } from '../../util/plural.js';
import { table } from '../../util/table.js';
import { ellipsize, TEXT_WIDTH } from '../../util/text-width.js';
import { safeText } from '../safe-text.js';

/** Short ids, as a person compares them; --output json has them whole. */
const ID_WIDTH = 8;

/** `status` for a person: a summary, then per definition its versions' table, drift and the next run. */
export function formatStatus(view: StatusView): string {
  const lines = [...headline(view)];
  const actions = new Map(view.actions.map((action) => [action.seq, action]));
  for (const def of view.definitions) lines.push('', ...definitionBlock(def, actions));
  if (view.unaccounted.length > 0) lines.push('', ...unaccountedBlock(view));
  if (view.collisions.length > 0) lines.push('', ...collisionBlock(view));
  for (const failure of view.upstreamFailures) {
    lines.push(clip(safeText(`upstream failed [${failure.definition}]: ${failure.message}`)));
  }
  return `${lines.join('\n')}\n`;
}

function headline(view: StatusView): string[] {
  const { summary } = view;
  const first = safeText(
    `Cloud ${view.cloud}, tag ${view.tag}: ${plural(summary.definitions, 'definition')}, ` +
      `${plural(summary.managedImages, 'managed image')}, ` +
      `${plural(summary.missing, 'defined version')} not in the cloud`,
  );
  if (view.inSync) return [clip(first), 'In sync: the next run would change nothing.'];
  const parts = [
    ...(summary.imports > 0 ? [`import ${plural(summary.imports, 'image')}`] : []),
    ...(summary.changing > 0 ? [`change or retire ${plural(summary.changing, 'image')}`] : []),
  ];
  const what = parts.length > 0 ? parts.join(' and ') : 'act';
  return [
    clip(first),
    `The next run would ${what}: ${plural(summary.actions, 'action')} (--dry-run shows the same plan).`,
  ];
}

function definitionBlock(def: DefinitionStatus, actions: ReadonlyMap<number, ActionBrief>): string[] {
  const facts = [
    def.multi ? 'multi' : 'single-version',
    ...(def.replaceFrequency ? [`replace_frequency ${def.replaceFrequency}`] : []),
    ...(def.uuidValidity ? [`uuid_validity ${def.uuidValidity}`] : []),
  ];
  const lines = [clip(safeText(`${def.name}: ${facts.join(', ')} (${def.file})`))];
  lines.push(...plainNameLine(def), ...recencyLines(def));
  lines.push(...versionTable(def.versions));
  for (const row of def.versions) lines.push(...rowDetails(row));
  lines.push(def.actions.length === 0 ? '  next run: nothing to do' : '  next run:');
  for (const seq of def.actions) {
    const action = actions.get(seq);
    if (!action) continue;
    const after = action.after.length > 0 ? `  (after #${action.after.join(', #')})` : '';
    lines.push(clip(`    #${seq} ${safeText(action.summary)}${after}`));
  }
  for (const note of def.notes) {
    // Retention's word on each outdated image is the table's RETENTION column (--output json has it whole).
    if (note.level === 'info' && note.image !== undefined) continue;
    lines.push(clip(safeText(`  ${note.level === 'warn' ? 'warning' : 'note'}: ${note.message}`)));
  }
  return lines;
}

/** Of a multi image, which image holds the plain name now and which after the next run. */
function plainNameLine(def: DefinitionStatus): string[] {
  if (!def.multi) return [];
  const holder = def.versions.find((row) => row.plainName.now);
  const next = def.versions.find((row) => row.plainName.next);
  const now = holder ? `held by ${holder.version}` : 'held by no image';
  const change = next && next !== holder ? `; ${next.version} takes it in the next run` : '';
  return [clip(safeText(`  plain name ${def.name}: ${now}${change}`))];
}

/** Each current version's build date, age, and when scs-0102 wants it replaced (build + 1.1 × replace_frequency). */
function recencyLines(def: DefinitionStatus): string[] {
  return def.versions
    .filter((row) => row.role === 'current' && row.recency?.buildDate !== undefined)
    .map((row) => {
      const recency = row.recency as Recency;
      const due = recency.replacementDue
        ? `, replacement due ${recency.replacementDue}${recency.overdue ? ' (OVERDUE)' : ''}`
        : '';
      const age = recency.ageDays === undefined ? '' : ` (${plural(recency.ageDays, 'day')} ago)`;
      return clip(safeText(`  current ${row.version}: built ${recency.buildDate}${age}${due}`));
    });
}

function versionTable(rows: VersionStatus[]): string[] {
  const warns = rows.some((row) => row.scsRecencyWarning !== undefined);
  const columns = [
    { title: 'VERSION', max: 12 },
    { title: 'IMAGE', flex: true },
    { title: 'ID', max: ID_WIDTH },
    { title: 'STATUS', max: 11 },
    { title: 'VISIBILITY' },
    { title: 'HIDDEN' },
    { title: 'ROLE' },
    { title: 'BUILT' },
    { title: 'RETENTION' },
    { title: 'NEXT' },
    ...(warns ? [{ title: 'SCS' }] : []),
  ];
  const cells = rows.map((row) => {
    const image = row.image;
    return [
      safeText(row.version),
      image ? safeText(image.name ?? '(no name)') : '(not in the cloud)',
      image ? image.id.slice(0, ID_WIDTH) : '-',
      image?.status ?? '-',
      image?.visibility ?? '-',
      image ? (image.hidden ? 'yes' : 'no') : '-',
      row.role,
      row.recency?.buildDate ?? '-',
      row.retention?.state ?? '-',
      row.next === 'none' ? '-' : row.next,
      ...(warns ? [row.scsRecencyWarning !== undefined ? 'WARN' : ''] : []),
    ];
  });
  return table(columns, cells, { indent: '  ' });
}

const FROM_TEXT = { mirror: 'the mirror', url: 'url: the mirror could not serve it' } as const;

/**
 * Under the table: what the next run changes on an image (drift, rotation), retention past its term, how far
 * its data was verified unless end to end, the source it came from when it had a mirror, SCS.
 */
function rowDetails(row: VersionStatus): string[] {
  const name = row.image?.name ?? row.version;
  const lines: string[] = [];
  if (row.changes.length > 0) lines.push(`  would change ${name}: ${row.changes.map(changeText).join('; ')}`);
  if (row.retention?.state === 'past') lines.push(`  retention ${name}: ${row.retention.why}`);
  const check = row.verification;
  if (check && check.state !== 'verified') lines.push(`  ${check.state.replace('-', ' ')} ${name}: ${check.detail}`);
  if (check?.from) lines.push(`  imported ${name} from ${FROM_TEXT[check.from]}`);
  if (row.why !== undefined && row.role === 'left-alone') lines.push(`  left alone ${name}: ${row.why}`);
  if (row.scsRecencyWarning !== undefined) lines.push(`  SCS recency WARN ${name}: ${row.scsRecencyWarning}`);
  return lines.map((line) => clip(safeText(line)));
}

export function changeText(change: Change): string {
  return `${change.field} ${valueText(change.before)} → ${valueText(change.after)}`;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (value === '') return '""';
  return String(value);
}

function unaccountedBlock(view: StatusView): string[] {
  const rows = view.unaccounted.map((image) => [
    safeText(image.name ?? '(no name)'),
    image.id.slice(0, ID_WIDTH),
    image.status,
    image.visibility,
    image.hidden ? 'yes' : 'no',
    safeText(image.imageName ?? '-'),
  ]);
  const columns = [
    { title: 'IMAGE', flex: true },
    { title: 'ID', max: ID_WIDTH },
    { title: 'STATUS', max: 11 },
    { title: 'VISIBILITY' },
    { title: 'HIDDEN' },
    { title: 'IMAGE_NAME', max: 40 },
  ];
  const title = `Managed images (tag ${view.tag}) no definition accounts for; the next run leaves them alone:`;
  return [clip(safeText(title)), ...table(columns, rows, { indent: '  ' })];
}

function collisionBlock(view: StatusView): string[] {
  const rows = view.collisions.map(({ image, definition }) => [
    safeText(image.name ?? ''),
    image.id.slice(0, ID_WIDTH),
    image.visibility,
    safeText(image.owner ?? '-'),
    safeText(definition),
  ]);
  const columns = [
    { title: 'IMAGE', flex: true },
    { title: 'ID', max: ID_WIDTH },
    { title: 'VISIBILITY' },
    { title: 'OWNER', max: 32 },
    { title: 'DEFINITION', max: 30 },
  ];
  const title = 'Images the tool does not manage, called like a managed image (users see two):';
  return [title, ...table(columns, rows, { indent: '  ' })];
}

/** A line of the text form: no wider than TEXT_WIDTH, the last character an ellipsis when cut. */
function clip(text: string): string {
  return ellipsize(text, TEXT_WIDTH);
}
