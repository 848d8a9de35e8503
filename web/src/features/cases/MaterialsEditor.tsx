import { Checkbox, Tag, Typography } from 'antd';
import { useI18n } from '../../app/i18n';
import type { ItemContent } from '../catalog/api';
import { useCodeLabels } from '../catalog/codes';
import type { MaterialRef } from './api';
import { FileCard, UploadButton, type UploadedFile } from './FileUpload';

export type GuideMaterial = ItemContent['materials'][number];

/** What the applicant (or the clerk) has given for one material. */
export interface MaterialChoice {
  file?: UploadedFile;
  /** Online: the material is verified through data sharing (the material's resource), no upload. */
  useShared?: boolean;
  /** At the window: the paper original or copy was handed over, no scan. */
  paper?: boolean;
  /** Online: an e-license the applicant holds stands in for it (免提交), no upload. */
  license?: { licenseId: string; name: string };
}

/** An e-license the applicant holds, as the wizard offers it for materials of its type. */
export interface HeldLicense {
  licenseId: string;
  /** The catalog's type name (a material's `licenseTypeCode`). */
  type: string;
  name: string;
  issuer: { name: string };
}
export type MaterialChoices = Record<string, MaterialChoice>;

export const REQUIREMENT_COLORS: Record<string, string> = { required: 'red', deferrable: 'orange', optional: 'default' };

/** Whether anything was given for the material. */
export function isProvided(choice: MaterialChoice | undefined): boolean {
  return Boolean(choice?.file || choice?.useShared || choice?.paper || choice?.license);
}

/** The required materials nothing was given for (deferrable and optional ones may be absent). */
export function missingRequired(materials: readonly GuideMaterial[], choices: MaterialChoices): GuideMaterial[] {
  return materials.filter((m) => m.requirement === 'required' && !isProvided(choices[m.id]));
}

/** The application's `materials` array, in the item's order; materials given nothing are left out. */
export function materialRefs(materials: readonly GuideMaterial[], choices: MaterialChoices): MaterialRef[] {
  const refs: MaterialRef[] = [];
  for (const m of materials) {
    const choice = choices[m.id];
    if (choice?.file) refs.push({ materialId: m.id, fileId: choice.file.meta.fileId });
    else if (choice?.useShared && m.resourceId) refs.push({ materialId: m.id, resourceId: m.resourceId });
    else if (choice?.license) refs.push({ materialId: m.id, licenseId: choice.license.licenseId });
  }
  return refs;
}

export function RequirementTag({ requirement }: { requirement: string }) {
  const labels = useCodeLabels();
  return <Tag color={REQUIREMENT_COLORS[requirement]}>{labels.materialRequirement(requirement)}</Tag>;
}

/**
 * One entry a material: what it is, whether it is required or may be owed, and the ways to give
 * it — an upload with preview; online, verification through data sharing where the item allows;
 * at the window, "paper received".
 */
export function MaterialsEditor({
  materials,
  choices,
  onChange,
  mode,
  errors = {},
  headingLevel = 3,
  heldLicenses = [],
}: {
  materials: readonly GuideMaterial[];
  choices: MaterialChoices;
  onChange(next: MaterialChoices): void;
  mode: 'online' | 'window';
  errors?: Record<string, string>;
  headingLevel?: 2 | 3 | 4;
  /** Online: the applicant's usable e-licenses, offered for the materials of their type. */
  heldLicenses?: readonly HeldLicense[];
}) {
  const { t } = useI18n();
  const m = t.cases.materials;
  const labels = useCodeLabels();
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const set = (id: string, choice: MaterialChoice) => onChange({ ...choices, [id]: choice });

  return (
    <ol className="materials-editor">
      {materials.map((material) => {
        const choice = choices[material.id] ?? {};
        const headingId = `material-${material.id}-name`;
        const notesId = `material-${material.id}-notes`;
        const errorId = `material-${material.id}-error`;
        const error = errors[material.id];
        const shareable = mode === 'online' && Boolean(material.resourceId);
        const held = mode === 'online' && material.licenseTypeCode ? heldLicenses.find((l) => l.type === material.licenseTypeCode) : undefined;
        const noUpload = choice.useShared || choice.paper || choice.license;
        return (
          <li key={material.id}>
            {/* A group named by the material, so its checkbox and upload button are announced with it. */}
            <div className={`material-entry${error ? ' material-entry-error' : ''}`} role="group" aria-labelledby={headingId}>
              <div className="material-entry-head">
                <Heading id={headingId} className="material-entry-name">
                  {material.name}
                </Heading>
                <RequirementTag requirement={material.requirement} />
                <Tag>{labels.materialSource(material.source)}</Tag>
              </div>
              {material.notes && (
                <Typography.Paragraph type="secondary" id={notesId} className="material-entry-notes">
                  {material.notes}
                </Typography.Paragraph>
              )}
              {material.requirement === 'deferrable' && <Typography.Paragraph className="material-entry-hint">{m.deferrableHint}</Typography.Paragraph>}
              {shareable && (
                <Checkbox checked={choice.useShared === true} onChange={(e) => set(material.id, e.target.checked ? { useShared: true } : {})}>
                  {m.useShared}
                </Checkbox>
              )}
              {held && (
                <Checkbox
                  checked={choice.license?.licenseId === held.licenseId}
                  onChange={(e) => set(material.id, e.target.checked ? { license: { licenseId: held.licenseId, name: held.name } } : {})}
                >
                  {t.licenses.apply.useLicense(held.name, held.issuer.name)}
                </Checkbox>
              )}
              {mode === 'window' && (
                <Checkbox checked={choice.paper === true} onChange={(e) => set(material.id, e.target.checked ? { paper: true } : {})}>
                  {m.paperReceived}
                </Checkbox>
              )}
              {!noUpload && (
                <div className="material-entry-file">
                  {choice.file ? (
                    <FileCard file={choice.file} onRemove={() => set(material.id, {})} />
                  ) : (
                    <UploadButton
                      {...(mode === 'window' ? { text: m.scan } : {})}
                      forName={material.name}
                      describedBy={material.notes ? notesId : undefined}
                      onUploaded={(file) => set(material.id, { file })}
                    />
                  )}
                </div>
              )}
              {error && (
                <div id={errorId} role="alert" className="upload-error">
                  {error}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
