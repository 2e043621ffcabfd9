/** The page's opening `<html …>` tag, where its `lang` and `dir` are read. */
export const htmlTag = (page: string): string | undefined => /<html[^>]*>/.exec(page)?.[0];
