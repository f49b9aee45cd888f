import { DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import { ClientError, ErrorCode } from './error-code.js';

/**
 * Characters no text input may hold:
 * - NUL, which PostgreSQL cannot store in `text`;
 * - a surrogate half without its partner (invalid UTF-16), which has no UTF-8 form;
 * - the other C0 controls and DEL, which no name, memo or key needs (tab, LF and CR are allowed).
 */
const FORBIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describeCharacter(text: string): string {
  const found = FORBIDDEN_CHARACTER.exec(text)![0];
  return `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function refusal(where: string, text: string): GraphQLError {
  const message = `${where} contains ${describeCharacter(text)}: control characters and unpaired surrogates are not accepted in text`;
  return new GraphQLError(message, {
    originalError: new ClientError(ErrorCode.BAD_USER_INPUT, message),
    extensions: { http: { status: 400 } },
  });
}

/**
 * Every string in the variables, object keys included, however deep: iteratively, so that a
 * hostile nesting depth cannot overflow the stack here.
 */
function findBadVariable(variables: Record<string, unknown>): { path: string; text: string } | undefined {
  const pending: [string, unknown][] = Object.entries(variables).map(([name, value]) => [`$${name}`, value]);
  while (pending.length > 0) {
    const [path, value] = pending.pop()!;
    if (typeof value === 'string') {
      if (FORBIDDEN_CHARACTER.test(value)) return { path, text: value };
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (FORBIDDEN_CHARACTER.test(key)) return { path: `${path} (a key)`, text: key };
        pending.push([`${path}.${key}`, child]);
      }
    }
  }
  return undefined;
}

/** Documents whose strings have been read and found clean: Apollo keeps parsed documents, so each is read once. */
const cleanDocuments = new WeakSet<DocumentNode>();

/**
 * Refuses a request whose text inputs, in its variables or written in the query, hold a character
 * that would fail in the database or corrupt what others read. One check for every field, so that
 * no memo, name, search or key can be forgotten.
 */
export function assertTextInputs(document: DocumentNode, variables: Record<string, unknown> | undefined): void {
  const badVariable = variables && findBadVariable(variables);
  if (badVariable) throw refusal(`Variable ${badVariable.path}`, badVariable.text);
  if (cleanDocuments.has(document)) return;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (FORBIDDEN_CHARACTER.test(node.value)) throw refusal('A string in the query', node.value);
    },
  });
  cleanDocuments.add(document);
}
