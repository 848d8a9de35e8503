import { useEffect, useState } from 'react';
import { Button, Card, Col, Empty, Input, Row, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, BranchesOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { FORM_WIDGETS, type FormWidget } from '@server/shared/catalog-codes';
import { useI18n } from '../../../app/i18n';
import type { Region } from '../../org/api';
import type { ApplicationForm } from '../api';
import { FIELD_KEY_PATTERN, fieldsFromForm, formFromFields, freshKey, hasOptions, type DesignerField } from './formModel';
import { FormPreview } from './FormPreview';

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/**
 * The application form designer: an ordered field list (add, remove, move up and down with
 * buttons: usable by keyboard), the selected field's settings, and a live preview of the form the
 * applicant will fill in. A controlled value: it emits the catalog's `form` element on every change.
 */
export function FormDesigner({ value, onChange, regions, problems = [] }: { value?: ApplicationForm; onChange?(form: ApplicationForm): void; regions: readonly Region[]; problems?: string[] }) {
  const { t } = useI18n();
  const d = t.catalog.admin.designer;
  const a = t.catalog.admin;
  const [source, setSource] = useState(value);
  const [fields, setFields] = useState<DesignerField[]>(() => fieldsFromForm(value));
  const [selected, setSelected] = useState(0);
  // A value set from outside (a reload after a conflict) replaces the list; our own emissions come back unchanged.
  if (value !== source) {
    setSource(value);
    setFields(fieldsFromForm(value));
  }

  const emit = (next: DesignerField[]) => {
    setFields(next);
    const form = formFromFields(next);
    setSource(form);
    onChange?.(form);
  };
  const update = (index: number, patch: Partial<DesignerField>) => emit(fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  const add = () => {
    const at = fields.length === 0 ? 0 : Math.min(selected + 1, fields.length);
    const field: DesignerField = { key: freshKey(fields), widget: 'text', label: d.newFieldLabel(fields.length + 1), required: false, extra: {} };
    emit([...fields.slice(0, at), field, ...fields.slice(at)]);
    setSelected(at);
  };
  const remove = (index: number) => {
    const gone = fields[index]!.key;
    // A condition on a removed field would hide its dependants for ever: drop such conditions.
    emit(fields.filter((_, i) => i !== index).map((f) => (f.visibleWhen?.field === gone ? { ...f, visibleWhen: undefined } : f)));
    setSelected((s) => Math.max(0, Math.min(s, fields.length - 2)));
  };
  const shift = (index: number, by: -1 | 1) => {
    emit(move(fields, index, index + by));
    setSelected(index + by);
  };

  return (
    <div className="designer">
      <Typography.Paragraph type="secondary">{d.intro}</Typography.Paragraph>
      {problems.length > 0 && (
        <ul className="designer-problems" role="alert">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={11}>
          <Card size="small" title={<h3 className="card-title">{d.fields}</h3>} extra={<Button size="small" icon={<PlusOutlined aria-hidden />} onClick={add}>{d.addField}</Button>}>
            {fields.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noFields} />
            ) : (
              <ol className="designer-fields">
                {fields.map((field, index) => (
                  <li key={`${field.key}-${index}`} className={index === selected ? 'designer-field is-selected' : 'designer-field'}>
                    <div className="designer-field-row">
                      <button type="button" className="designer-field-select" aria-expanded={index === selected} aria-label={d.selectField(field.label || d.untitled)} onClick={() => setSelected(index)}>
                        <span className="designer-field-label">
                          {field.label || d.untitled}
                          {field.required && <span className="designer-required" aria-hidden> *</span>}
                        </span>
                        <span className="designer-field-meta">
                          <code>{field.key}</code> <Tag>{d.widgets[field.widget]}</Tag>
                          {field.visibleWhen && (
                            <Tooltip title={d.conditional(field.visibleWhen.field, String(field.visibleWhen.equals))}>
                              <BranchesOutlined aria-label={d.conditional(field.visibleWhen.field, String(field.visibleWhen.equals))} />
                            </Tooltip>
                          )}
                        </span>
                      </button>
                      <Space size={2} className="designer-field-actions">
                        <Button size="small" type="text" icon={<ArrowUpOutlined aria-hidden />} disabled={index === 0} aria-label={a.moveUpNamed(field.label)} onClick={() => shift(index, -1)} />
                        <Button size="small" type="text" icon={<ArrowDownOutlined aria-hidden />} disabled={index === fields.length - 1} aria-label={a.moveDownNamed(field.label)} onClick={() => shift(index, 1)} />
                        <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={a.removeNamed(field.label)} onClick={() => remove(index)} />
                      </Space>
                    </div>
                    {/* The selected field's settings open right under it, where the eye (and the keyboard) already is. */}
                    {index === selected && (
                      <section className="designer-settings" aria-label={d.editing(field.label || d.untitled)}>
                        <FieldSettings key={selected} field={field} others={fields.filter((_, i) => i !== selected)} onChange={(patch) => update(selected, patch)} />
                      </section>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={13}>
          <Card size="small" title={<h3 className="card-title">{d.preview}</h3>} className="designer-preview">
            {fields.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={d.noFields} /> : <FormPreview fields={fields} regions={regions} idPrefix="preview" />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

/** The selected field's settings. Plain labelled controls: this is not a Form of its own, to stay out of the editor's form. */
function FieldSettings({ field, others, onChange }: { field: DesignerField; others: DesignerField[]; onChange(patch: Partial<DesignerField>): void }) {
  const { t } = useI18n();
  const d = t.catalog.admin.designer;
  const a = t.catalog.admin;
  // The key is committed only when valid and unique, so the generated schema never loses a field.
  const [key, setKey] = useState(field.key);
  useEffect(() => setKey(field.key), [field.key]);
  const keyProblem = !FIELD_KEY_PATTERN.test(key) ? d.nameFormat : others.some((o) => o.key === key) ? d.nameDuplicate : null;
  const dependency = field.visibleWhen ? others.find((o) => o.key === field.visibleWhen!.field) : undefined;
  const options = field.options ?? [];

  const setOptions = (next: typeof options) => onChange({ options: next });
  const equalsControl = () => {
    if (!field.visibleWhen) return null;
    const equals = field.visibleWhen.equals;
    const set = (value: string | boolean) => onChange({ visibleWhen: { field: field.visibleWhen!.field, equals: value } });
    if (dependency && hasOptions(dependency.widget)) {
      return <Select id="designer-visible-equals" value={String(equals)} onChange={(v: string) => set(v)} options={dependency.options ?? []} style={{ minWidth: 160 }} />;
    }
    if (dependency?.widget === 'checkbox') {
      return (
        <Select
          id="designer-visible-equals"
          value={equals === true ? 'true' : 'false'}
          onChange={(v: string) => set(v === 'true')}
          options={[
            { value: 'true', label: t.catalog.yes },
            { value: 'false', label: t.catalog.no },
          ]}
          style={{ minWidth: 120 }}
        />
      );
    }
    return <Input id="designer-visible-equals" value={String(equals)} onChange={(e) => set(e.target.value)} style={{ maxWidth: 200 }} />;
  };

  return (
    <div className="designer-form">
      <div className="designer-row">
        <label htmlFor="designer-key">{d.name}</label>
        <Input
          id="designer-key"
          value={key}
          status={keyProblem ? 'error' : undefined}
          aria-invalid={keyProblem ? true : undefined}
          aria-describedby="designer-key-help"
          spellCheck={false}
          className="code-input"
          maxLength={64}
          onChange={(e) => {
            const next = e.target.value;
            setKey(next);
            if (FIELD_KEY_PATTERN.test(next) && !others.some((o) => o.key === next)) {
              onChange({ key: next });
            }
          }}
        />
        <div id="designer-key-help" className={keyProblem ? 'designer-error' : 'designer-help'}>
          {keyProblem ?? d.nameHelp}
        </div>
      </div>
      <div className="designer-row">
        <label htmlFor="designer-label">{d.label}</label>
        <Input id="designer-label" value={field.label} maxLength={100} onChange={(e) => onChange({ label: e.target.value })} />
      </div>
      <div className="designer-row">
        <label htmlFor="designer-widget">{d.widget}</label>
        <Select
          id="designer-widget"
          value={field.widget}
          onChange={(widget: FormWidget) =>
            onChange({ widget, extra: {}, options: hasOptions(widget) ? (field.options?.length ? field.options : [{ value: '1', label: `${d.option} 1` }]) : undefined })
          }
          options={FORM_WIDGETS.map((w) => ({ value: w, label: d.widgets[w] }))}
          style={{ width: '100%' }}
        />
      </div>
      <div className="designer-row designer-inline">
        <label htmlFor="designer-required">{d.required}</label>
        <Switch id="designer-required" checked={field.required} onChange={(required) => onChange({ required })} />
      </div>
      <div className="designer-row">
        <label htmlFor="designer-help">{d.help}</label>
        <Input.TextArea id="designer-help" rows={2} maxLength={500} value={field.help ?? ''} onChange={(e) => onChange({ help: e.target.value || undefined })} />
      </div>
      {hasOptions(field.widget) && (
        <fieldset className="designer-options">
          <legend>{d.options}</legend>
          {options.map((option, i) => (
            <div key={i} className="designer-option">
              <Input
                aria-label={`${d.option} ${i + 1} ${d.optionValue}`}
                placeholder={d.optionValue}
                value={option.value}
                maxLength={100}
                onChange={(e) => setOptions(options.map((o, j) => (j === i ? { ...o, value: e.target.value } : o)))}
                className="code-input"
              />
              <Input
                aria-label={`${d.option} ${i + 1} ${d.optionLabel}`}
                placeholder={d.optionLabel}
                value={option.label}
                maxLength={100}
                onChange={(e) => setOptions(options.map((o, j) => (j === i ? { ...o, label: e.target.value } : o)))}
              />
              <Button size="small" type="text" icon={<ArrowUpOutlined aria-hidden />} disabled={i === 0} aria-label={a.moveUpNamed(`${d.option} ${i + 1}`)} onClick={() => setOptions(move(options, i, i - 1))} />
              <Button size="small" type="text" icon={<ArrowDownOutlined aria-hidden />} disabled={i === options.length - 1} aria-label={a.moveDownNamed(`${d.option} ${i + 1}`)} onClick={() => setOptions(move(options, i, i + 1))} />
              <Button size="small" type="text" danger icon={<DeleteOutlined aria-hidden />} aria-label={a.removeNamed(`${d.option} ${i + 1}`)} onClick={() => setOptions(options.filter((_, j) => j !== i))} />
            </div>
          ))}
          <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={() => setOptions([...options, { value: String(options.length + 1), label: `${d.option} ${options.length + 1}` }])}>
            {d.addOption}
          </Button>
        </fieldset>
      )}
      <fieldset className="designer-options">
        <legend>{d.visibleWhen}</legend>
        <div className="designer-condition">
          <label htmlFor="designer-visible-field" className="visually-hidden">
            {d.visibleField}
          </label>
          <Select
            id="designer-visible-field"
            value={field.visibleWhen?.field ?? ''}
            onChange={(key: string) => {
              if (!key) return onChange({ visibleWhen: undefined });
              const target = others.find((o) => o.key === key);
              const first = target && hasOptions(target.widget) ? (target.options?.[0]?.value ?? '') : target?.widget === 'checkbox' ? true : '';
              onChange({ visibleWhen: { field: key, equals: first } });
            }}
            options={[{ value: '', label: d.visibleAlways }, ...others.map((o) => ({ value: o.key, label: `${o.label} (${o.key})` }))]}
            style={{ minWidth: 200 }}
          />
          {field.visibleWhen && (
            <>
              <label htmlFor="designer-visible-equals">{d.visibleEquals}</label>
              {equalsControl()}
            </>
          )}
        </div>
      </fieldset>
    </div>
  );
}
