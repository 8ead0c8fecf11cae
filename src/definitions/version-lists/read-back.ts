import { isSeq, parseDocument } from 'yaml';
import { plural } from '../../util/plural.js';
import { pyyamlTags, YamlTimestamp } from '../../yaml/pyyaml.js';
import { ENTRY_FIELDS, type EntryField } from './style.js';
import { editError } from './text.js';

/** A value the edited file must hold at images[image].versions[index][field]. */
export interface Expectation {
  index: number;
  field: EntryField;
  value: string;
}

/** What one image's versions list must read back as: how many entries it holds and values some of them hold. */
export interface ExpectedList {
  image: number;
  count: number;
  expect: Expectation[];
}

/** The fields of `entry`, expected at versions[index]. */
export function expectEntry(index: number, entry: Readonly<Record<EntryField, string>>): Expectation[] {
  return ENTRY_FIELDS.map((field) => ({ index, field, value: entry[field] }));
}

/** Defensive: the edited text must parse and hold what was asked for, else nothing is returned. */
export function verifyOutput(output: string, lists: readonly ExpectedList[]): void {
  const doc = parseDocument(output, { version: '1.1', customTags: pyyamlTags, uniqueKeys: false, prettyErrors: false });
  const [error] = doc.errors;
  if (error !== undefined) {
    throw editError(output, error.pos[0], `the edited text would not parse (${error.message}); not written`);
  }
  for (const expected of lists) {
    const list = doc.getIn(['images', expected.image, 'versions'], true);
    const count = isSeq(list) ? list.items.length : -1;
    if (count !== expected.count) {
      const entries = plural(count, 'entry', 'entries');
      const problem = `after editing, images[${expected.image}].versions has ${entries}, not ${expected.count}`;
      throw editError(output, 0, problem);
    }
    for (const { index, field, value } of expected.expect) {
      const read = doc.getIn(['images', expected.image, 'versions', index, field]);
      const text = read instanceof YamlTimestamp && field === 'build_date' ? read.text : read;
      if (text !== value) {
        const where = `images[${expected.image}].versions[${index}].${field}`;
        throw editError(output, 0, `after editing, ${where} does not read back as ${JSON.stringify(value)}`);
      }
    }
  }
}
