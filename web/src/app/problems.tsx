import { Alert } from 'antd';
import type { FormInstance } from 'antd';
import { ApiError, type FieldProblem } from './api';
import { useI18n } from './i18n';

/** The words to show for a failed request: the server's own title when it sent one. */
export function useProblemText(): (err: unknown) => string {
  const { t } = useI18n();
  return (err) => {
    if (err instanceof ApiError) {
      if (err.title) return err.title;
      if (err.code === 'network_error') return t.common.networkError;
    }
    return t.common.unexpectedError;
  };
}

/**
 * Puts the server's field errors on the form items of the same name and returns those the form
 * has no item for, so the caller can still show them instead of losing them.
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fields: readonly string[]): FieldProblem[] {
  if (!(err instanceof ApiError)) return [];
  const byField = new Map<string, string[]>();
  const rest: FieldProblem[] = [];
  for (const problem of err.errors) {
    if (fields.includes(problem.field)) byField.set(problem.field, [...(byField.get(problem.field) ?? []), problem.message]);
    else rest.push(problem);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return rest;
}

/** An error Alert: the problem's title plus any field errors that have no form item to sit on. */
export function ProblemAlert({ error, title, unmatched = [] }: { error: unknown; title?: string; unmatched?: FieldProblem[] }) {
  const { t } = useI18n();
  const problemText = useProblemText();
  if (!error) return null;
  const message = problemText(error);
  return (
    <Alert
      type="error"
      showIcon
      title={title ?? message}
      description={
        title || unmatched.length > 0 ? (
          <>
            {title && <div>{message}</div>}
            {unmatched.length > 0 && (
              <>
                <div>{t.common.invalidFieldsTitle}</div>
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {unmatched.map((p) => (
                    <li key={`${p.field}:${p.code}`}>
                      <code>{p.field}</code>: {p.message}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        ) : undefined
      }
    />
  );
}
