/** The text as an ILIKE pattern that matches it literally anywhere: its own %, _ and \ are escaped. */
export const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
