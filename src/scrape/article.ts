/** What the extractor knows of a page besides its body text. Every field may be unknown (null). */
export interface ArticleMetadata {
  title: string | null;
  /** Author names joined with ", " (the byline). */
  author: string | null;
  /** ISO 8601 instant, or null when the page gives no usable date. */
  publishedAt: string | null;
  /** BCP 47 tag as the page declares it (`en`, `pt-BR`), or null. */
  language: string | null;
  canonicalUrl: string | null;
  siteName: string | null;
  description: string | null;
}

/** What the extractor finds on one article page. */
export interface Article extends ArticleMetadata {
  /** The page's address as given (after redirects, when fetched). */
  url: string;
  /** The article body as plain text, paragraphs separated by blank lines; '' when none was found. */
  text: string;
  /** Where `text` came from: the page's JSON-LD `articleBody`, the content-scoring DOM extractor, or nowhere. */
  source: ArticleSource;
}

export type ArticleSource = 'json-ld' | 'dom' | 'none';
