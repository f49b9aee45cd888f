import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { RequestReportExportDocument } from '../graphql/generated';
import type { RequestReportExportInput } from '../graphql/generated';
import type { Outcome } from './status';

/**
 * Opens the export's link as a navigation, not a fetch: the server answers it as an attachment,
 * which the browser saves, and the app's Content-Security-Policy (connect-src 'self') does not
 * govern navigations, wherever PUBLIC_URL puts the link.
 */
function download(url: string, filename: string): void {
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.click();
}

/** A CSV file of a report, asked for (requestReportExport, audited) and downloaded at once. */
export function ExportButton({
  input,
  label,
  onOutcome,
}: {
  input: RequestReportExportInput;
  label: string;
  onOutcome: (outcome: Outcome) => void;
}) {
  const { t } = useTranslation();
  const [{ fetching }, requestExport] = useMutation(RequestReportExportDocument);
  async function exportReport() {
    const result = await requestExport({ input });
    const link = result.data?.requestReportExport.link;
    const refusal = result.data?.requestReportExport.userErrors[0]?.message ?? result.error?.message;
    if (!link) return onOutcome({ kind: 'error', text: t('ledger.refused', { message: refusal }) });
    download(link.url, link.filename);
    onOutcome({ kind: 'done', text: t('ledger.exported', { filename: link.filename }) });
  }
  return (
    <button type="button" disabled={fetching} onClick={() => void exportReport()}>
      {label}
    </button>
  );
}
