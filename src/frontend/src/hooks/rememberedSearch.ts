/**
 * The proposal list's sort and filters live in its URL; the last ones are remembered for the
 * tab so the nav link leads back to the list as it was left.
 */
const KEY = 'roadmap-commons.proposals-search';

export function rememberProposalsSearch(search: string): void {
  try {
    window.sessionStorage.setItem(KEY, search);
  } catch {
    // Storage disabled: the nav link then opens the default list.
  }
}

/** `/proposals` with the remembered query string, if any. */
export function proposalsPath(): string {
  try {
    const search = window.sessionStorage.getItem(KEY);
    return search ? `/proposals?${search}` : '/proposals';
  } catch {
    return '/proposals';
  }
}
