/** A document that is not a feed, or XML that cannot be read. Its own module: it is thrown again on the main thread, which need not load the parser. */
export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedParseError';
  }
}
