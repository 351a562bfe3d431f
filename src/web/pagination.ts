// One page of a long list: which page, how many, and the links to its neighbours, keeping the
// list's filters. Every list at region scale goes through here (views/partials/pagination.hbs).

export type PageParams = Record<string, string | number | null | undefined>;

export type Paging = {
  page: number;
  pages: number;
  total: number;
  /** 1-based positions of the first and last row shown (0 when there are none). */
  from: number;
  until: number;
  offset: number;
  limit: number;
  previousUrl: string | null;
  nextUrl: string | null;
};

/** A URL with these query parameters, leaving out empty ones. */
export function urlWithParams(path: string, params: PageParams, hash = ""): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return `${s ? `${path}?${s}` : path}${hash}`;
}

/** The page asked for clamped to the pages there are (at least one), and the offset of its first row. */
export function pageOf(requested: number | null, total: number, pageSize: number): { page: number; pages: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requested ?? 1), pages);
  return { page, pages, offset: (page - 1) * pageSize };
}

/**
 * The page asked for of a list read a page at a time (`read` gives a page's rows and how many
 * the whole list has), or the last page when the one asked for lies past the end — a kept link
 * after the list got shorter: that rare case reads again, the common one reads once.
 */
export async function pageOrLast<T>(
  requested: number | null,
  pageSize: number,
  read: (limit: number, offset: number) => Promise<{ total: number; rows: T[] }>,
): Promise<{ total: number; rows: T[]; page: number; offset: number }> {
  const asked = Math.max(1, requested ?? 1);
  const first = await read(pageSize, (asked - 1) * pageSize);
  const { page, offset } = pageOf(asked, first.total, pageSize);
  if (page === asked || first.total === 0) return { ...first, page: asked, offset: (asked - 1) * pageSize };
  return { ...(await read(pageSize, offset)), page, offset };
}

/** The page asked for (?pagina=, or another parameter), clamped to the pages there are. */
export function paging(path: string, params: PageParams, requested: number | null, total: number, pageSize: number, param = "pagina"): Paging {
  const { page, pages, offset } = pageOf(requested, total, pageSize);
  return {
    page,
    pages,
    total,
    from: total === 0 ? 0 : offset + 1,
    until: Math.min(total, offset + pageSize),
    offset,
    limit: pageSize,
    previousUrl: page > 1 ? urlWithParams(path, { ...params, [param]: page - 1 }) : null,
    nextUrl: page < pages ? urlWithParams(path, { ...params, [param]: page + 1 }) : null,
  };
}
