import { useTranslation } from 'react-i18next';
import { periodOf } from '../format/dates';
import { textField } from './form-field';

/** Two date fields, from and to (both inclusive), read back by periodOfForm. */
export function DateRangeFields() {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('dates.from')}
        <input name="from" type="date" />
      </label>
      <label>
        {t('dates.to')}
        <input name="to" type="date" />
      </label>
    </>
  );
}

/** The period typed in a form's DateRangeFields, as the API's [from, to). */
export const periodOfForm = (form: FormData) => periodOf(textField(form, 'from'), textField(form, 'to'));
