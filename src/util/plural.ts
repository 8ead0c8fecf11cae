/**
 * The count and the word, the word in the plural unless the count is one: `plural(1, 'action')` is
 * "1 action", `plural(2, 'action')` "2 actions", `plural(0, 'match', 'matches')` "0 matches".
 */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}
