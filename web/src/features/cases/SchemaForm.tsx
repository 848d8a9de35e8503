import { useMemo, useState, type ReactNode } from 'react';
import { Cascader, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Select, type CascaderProps, type FormRule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { checkCreditCode, checkIdNumber } from '@server/shared/identifiers';
import { useI18n } from '../../app/i18n';
import { useApi } from '../../app/useApi';
import type { ApplicationForm } from '../catalog/api';
import { fieldsFromForm, isVisible, type DesignerField } from '../catalog/admin/formModel';
import { REGIONS_PATH, regionTree, type List, type Region, type RegionNode } from '../org/api';
import { fileLink } from './api';
import { FileCard, UploadButton, useFileMeta, type UploadedFile } from './FileUpload';

/*
 * The applicant's form drawn from the item version's JSON Schema and UI hints (form.schema,
 * form.ui.order / fields): one antd control per widget, and client-side rules that mirror the
 * schema (required — conditional ones only while visible —, pattern, lengths, bounds, enums) so
 * most mistakes are caught before the server's validation, which stays the authority.
 */

export interface FormField extends DesignerField {
  /** The property's JSON Schema. */
  schema: Record<string, unknown>;
}

type Values = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formFieldsOf(form: ApplicationForm): FormField[] {
  const properties = isRecord(form.schema.properties) ? form.schema.properties : {};
  return fieldsFromForm(form).map((field) => {
    const property = properties[field.key];
    return { ...field, schema: isRecord(property) ? property : {} };
  });
}

/*
 * The region popup always opens below the field and never flips. antd's default placements flip
 * it above the field when the window's bottom is near; in search mode the list re-measures as it
 * filters, so near the bottom it could flip between a click's mousedown and mouseup, the mouseup
 * landed beside the option and the chosen street was dropped. Horizontal adjustment stays.
 */
const REGION_POPUP_PLACEMENTS: NonNullable<CascaderProps['builtinPlacements']> = {
  bottomLeft: { points: ['tl', 'bl'], offset: [0, 4], overflow: { adjustX: true, adjustY: false, shiftY: false }, htmlRegion: 'visible' },
};

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * The form data to send: the fields shown for these answers, without empty ones (a hidden field's
 * stale answer would fail `additionalProperties` checks of its condition); a shown checkbox is
 * an explicit true or false.
 */
export function collectValues(fields: readonly FormField[], values: Values): Values {
  const out: Values = {};
  for (const field of fields) {
    if (!isVisible(field, values)) continue;
    const value = values[field.key];
    if (field.widget === 'checkbox') out[field.key] = value === true;
    else if (!isEmpty(value)) out[field.key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

function num(schema: Record<string, unknown>, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

/** The regions for region fields: the caller's list when it has one, else fetched when `needed`. */
function useRegions(needed: boolean, given?: readonly Region[]) {
  const regions = useApi<List<Region>>(needed && !given ? REGIONS_PATH : null);
  return useMemo(() => {
    const list = given ?? regions.data?.items ?? [];
    const byCode = new Map(list.map((r) => [r.code, r]));
    const pathOf = (code: string): string[] => {
      const path: string[] = [];
      for (let r = byCode.get(code); r; r = r.parentCode ? byCode.get(r.parentCode) : undefined) path.unshift(r.code);
      return path.length > 0 ? path : [code];
    };
    const nameOf = (code: string) => pathOf(code).map((c) => byCode.get(c)?.name ?? c).join(' / ');
    return { options: toOptions(regionTree(list)), pathOf, nameOf };
  }, [given, regions.data]);
}

interface RegionOption {
  value: string;
  label: string;
  children?: RegionOption[];
}

function toOptions(nodes: RegionNode[]): RegionOption[] {
  return nodes.map((n) => ({ value: n.code, label: n.name, ...(n.children ? { children: toOptions(n.children) } : {}) }));
}

/** A form field holding one uploaded file's id (the `attachment` widget). */
function AttachmentInput({ id, value, onChange, label }: { id?: string; value?: string; onChange?: (value: string | undefined) => void; label: string }) {
  const [uploaded, setUploaded] = useState<UploadedFile>();
  const known = useFileMeta(value && uploaded?.meta.fileId !== value ? value : null);
  const file = uploaded?.meta.fileId === value ? uploaded : known ? { meta: known } : undefined;
  if (value && file) {
    return (
      <FileCard
        file={file}
        onRemove={() => {
          setUploaded(undefined);
          onChange?.(undefined);
        }}
      />
    );
  }
  if (value) return <a href={fileLink(value)}>{value}</a>;
  return (
    <span id={id}>
      <UploadButton
        forName={label}
        onUploaded={(f) => {
          setUploaded(f);
          onChange?.(f.meta.fileId);
        }}
      />
    </span>
  );
}

interface SchemaFieldsProps {
  fields: readonly FormField[];
  idPrefix: string;
  /** Just these fields (a correction notice naming fields to fix). */
  only?: ReadonlySet<string>;
  /** Regions the caller has already loaded (the catalog's form designer). */
  regions?: readonly Region[];
  /** The control of an `attachment` field; by default an upload holding the file's id. */
  attachment?: (id: string, field: FormField) => ReactNode;
}

/**
 * The form items of an application form, inside the caller's antd <Form>: the applicant's form,
 * and the catalog designer's preview of it, which must match.
 */
export function SchemaFields({ fields, idPrefix, only, regions: givenRegions, attachment }: SchemaFieldsProps) {
  const { t } = useI18n();
  const f = t.cases.form;
  const form = Form.useFormInstance<Values>();
  const values = (Form.useWatch([], form) ?? {}) as Values;
  const regions = useRegions(fields.some((field) => field.widget === 'region'), givenRegions);

  const rulesFor = (field: FormField): FormRule[] => {
    const { schema, label, widget } = field;
    const rules: FormRule[] = [];
    if (field.required && widget !== 'checkbox') {
      const choice = widget === 'select' || widget === 'radio' || widget === 'date' || widget === 'region' || widget === 'attachment';
      const message = choice ? t.common.requiredChoice(label) : t.common.required(label);
      // `whitespace` makes async-validator check the type as a string: only for text widgets.
      const text = widget !== 'number' && widget !== 'money' && widget !== 'region';
      rules.push(text ? { required: true, whitespace: true, message } : { required: true, message });
    }
    const minLength = num(schema, 'minLength');
    const maxLength = num(schema, 'maxLength');
    if (widget === 'text' || widget === 'textarea') {
      if (minLength !== undefined && minLength > 1) rules.push({ min: minLength, message: f.tooShort(label, minLength) });
      if (maxLength !== undefined) rules.push({ max: maxLength, message: f.tooLong(label, maxLength) });
    }
    if (widget === 'id_number') {
      rules.push({
        validator: async (_, v?: string) => {
          const problem = v ? checkIdNumber(v) : null;
          if (problem) throw new Error(f.idNumberInvalid(label, t.register.idNumberReasons[problem]));
        },
      });
    } else if (widget === 'credit_code') {
      rules.push({
        validator: async (_, v?: string) => {
          const problem = v ? checkCreditCode(v) : null;
          if (problem) throw new Error(f.creditCodeInvalid(label, t.register.creditCodeReasons[problem]));
        },
      });
    } else if (typeof schema.pattern === 'string' && widget !== 'date' && widget !== 'region') {
      // JSON Schema patterns are ECMA-262 regular expressions, unanchored, as written.
      const pattern = new RegExp(schema.pattern, 'u');
      rules.push({
        validator: async (_, v?: unknown) => {
          if (typeof v === 'string' && v !== '' && !pattern.test(v)) throw new Error(widget === 'phone' ? f.phoneInvalid(label) : f.patternInvalid(label));
        },
      });
    }
    if (widget === 'number' || widget === 'money') {
      const min = num(schema, 'minimum');
      const max = num(schema, 'maximum');
      const shown = (n: number) => (widget === 'money' ? f.yuan((n / 100).toFixed(2)) : String(n));
      rules.push({
        validator: async (_, v?: unknown) => {
          if (typeof v !== 'number') return;
          if (!Number.isInteger(v)) throw new Error(f.integer(label));
          if (min !== undefined && v < min) throw new Error(f.atLeast(label, shown(min)));
          if (max !== undefined && v > max) throw new Error(f.atMost(label, shown(max)));
        },
      });
    }
    if (Array.isArray(schema.enum)) {
      const allowed = schema.enum;
      rules.push({
        validator: async (_, v?: unknown) => {
          if (!isEmpty(v) && !allowed.includes(v)) throw new Error(f.notAnOption(label));
        },
      });
    }
    return rules;
  };

  const control = (field: FormField): ReactNode => {
    const id = `${idPrefix}-${field.key}`;
    const maxLength = num(field.schema, 'maxLength');
    switch (field.widget) {
      case 'textarea':
        return <Input.TextArea id={id} rows={3} maxLength={maxLength} showCount={maxLength !== undefined && maxLength <= 2000} />;
      case 'number':
        return <InputNumber id={id} precision={0} min={num(field.schema, 'minimum')} max={num(field.schema, 'maximum')} className="number-input" />;
      case 'money':
        return <InputNumber id={id} precision={2} min={0} step={0.01} suffix={f.yuanUnit} className="number-input" />;
      case 'date':
        return <DatePicker id={id} />;
      case 'select':
        return <Select id={id} allowClear options={field.options ?? []} className="select-input" />;
      case 'radio':
        return <Radio.Group id={id} aria-label={field.label} options={field.options ?? []} />;
      case 'checkbox':
        return <Checkbox id={id}>{field.label}</Checkbox>;
      case 'id_number':
      case 'credit_code':
        return <Input id={id} maxLength={18} spellCheck={false} autoComplete="off" className="code-input id-input" />;
      case 'phone':
        return <Input id={id} type="tel" inputMode="tel" autoComplete="tel" maxLength={20} className="id-input" />;
      case 'region':
        return (
          <Cascader
            id={id}
            options={regions.options}
            changeOnSelect
            showSearch
            placement="bottomLeft"
            builtinPlacements={REGION_POPUP_PLACEMENTS}
            className="select-input"
          />
        );
      case 'attachment':
        return attachment ? attachment(id, field) : <AttachmentInput id={id} label={field.label} />;
      default:
        return <Input id={id} maxLength={maxLength} />;
    }
  };

  /** Converting between what a control holds and what the schema stores (fen, YYYY-MM-DD, a region code). */
  const conversion = (field: FormField) => {
    switch (field.widget) {
      case 'money':
        return {
          getValueProps: (v: unknown) => ({ value: typeof v === 'number' ? v / 100 : v }),
          normalize: (v: unknown) => (typeof v === 'number' ? Math.round(v * 100) : v ?? undefined),
        };
      case 'date':
        return {
          getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? dayjs(v) : undefined }),
          normalize: (v: Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined),
        };
      case 'region':
        return {
          getValueProps: (v: unknown) => ({ value: typeof v === 'string' && v ? regions.pathOf(v) : undefined }),
          normalize: (v: string[] | undefined) => (v && v.length > 0 ? v[v.length - 1] : undefined),
        };
      case 'id_number':
      case 'credit_code':
        return { normalize: (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v) };
      case 'checkbox':
        return { valuePropName: 'checked' };
      default:
        return {};
    }
  };

  return (
    <>
      {fields
        .filter((field) => (!only || only.has(field.key)) && isVisible(field, values))
        .map((field) => (
          <Form.Item
            key={field.key}
            name={field.key}
            label={field.widget === 'checkbox' ? undefined : field.label}
            htmlFor={`${idPrefix}-${field.key}`}
            extra={field.help}
            rules={rulesFor(field)}
            required={field.required && field.widget !== 'checkbox'}
            {...conversion(field)}
          >
            {control(field)}
          </Form.Item>
        ))}
    </>
  );
}

/** Read-only form data, labelled as the applicant saw the fields (review step, case pages). */
export function FormDataView({ fields, data, bordered = true }: { fields: readonly FormField[]; data: Values; bordered?: boolean }) {
  const { t } = useI18n();
  const regions = useRegions(fields.some((field) => field.widget === 'region' && typeof data[field.key] === 'string'));
  const known = new Set(fields.map((field) => field.key));
  const shown = fields.filter((field) => data[field.key] !== undefined);
  const display = (field: FormField, value: unknown): ReactNode => {
    if (value === null || value === undefined || value === '') return '';
    switch (field.widget) {
      case 'checkbox':
        return value === true ? t.cases.form.yes : t.cases.form.no;
      case 'money':
        return typeof value === 'number' ? t.cases.form.yuan((value / 100).toFixed(2)) : String(value);
      case 'select':
      case 'radio':
        return field.options?.find((o) => o.value === value)?.label ?? String(value);
      case 'region':
        return typeof value === 'string' ? regions.nameOf(value) : String(value);
      case 'attachment':
        return typeof value === 'string' ? <AttachmentView fileId={value} /> : '';
      default:
        return typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
  };
  // Keys the version's form does not name (a form revised since) are still shown, by key.
  const extra = Object.keys(data).filter((key) => !known.has(key));
  return (
    <Descriptions
      bordered={bordered}
      size="small"
      column={1}
      className="form-data"
      items={[
        ...shown.map((field) => ({ key: field.key, label: field.label, children: <span className="form-value">{display(field, data[field.key])}</span> })),
        ...extra.map((key) => ({ key, label: key, children: <span className="form-value">{String(JSON.stringify(data[key]))}</span> })),
      ]}
    />
  );
}

function AttachmentView({ fileId }: { fileId: string }) {
  const meta = useFileMeta(fileId);
  return meta ? <FileCard file={{ meta }} /> : <a href={fileLink(fileId)}>{fileId}</a>;
}
