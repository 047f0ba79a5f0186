/** Kept apart from the renderers so that declaring CLI flags loads no renderer. */
export const DIGEST_FORMATS = ['text', 'markdown', 'html', 'json', 'ndjson', 'atom'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

/** File extension of each format, for saved digests. */
export const FORMAT_EXTENSION: Record<DigestFormat, string> = { text: 'txt', markdown: 'md', html: 'html', json: 'json', ndjson: 'ndjson', atom: 'atom' };
