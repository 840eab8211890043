/**
 * Follows `next_page_token` until the server stops returning one, yielding items one at a time so
 * callers can stop early without fetching the rest. A token repeated verbatim would loop forever,
 * so it is treated as a server bug and reported.
 */
export async function* paginate<Page extends { next_page_token?: string }, Item>(
  fetchPage: (pageToken: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => Item[] | undefined,
): AsyncGenerator<Item, void, undefined> {
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    yield* itemsOf(page) ?? [];
    const next = page.next_page_token || undefined;
    if (next === undefined) return;
    if (next === token) throw new Error(`Server returned the same page token twice (${next})`);
    token = next;
  }
}
