/** A text field of a submitted form ('' when absent): FormData may also hold files, which no form here has. */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}
