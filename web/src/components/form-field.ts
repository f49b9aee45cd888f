/** A text field of a submitted form ('' when absent): FormData may also hold files, which no form here has. */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A comma-separated field as the list the API takes: each entry trimmed, empty ones left out. */
export function listField(form: FormData, name: string): string[] {
  return textField(form, name)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
