import { useEffect, useId, useRef, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { DeleteOutlined, FileOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { useI18n } from '../../app/i18n';
import { useProblemText } from '../../app/problems';
import { casesApi, fileLink, newIdempotencyKey, type FileMeta } from './api';

/** What the server accepts (it sniffs the content; the browser's filter only spares a wrong pick). */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd';

/** An uploaded file as a page holds it: the server's metadata and, while the page lives, the picked file for previews. */
export interface UploadedFile {
  meta: FileMeta;
  /** An object URL of the picked file (the server sends files as downloads, so previews use the local copy). */
  localUrl?: string;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A button that picks one file and uploads it (POST /api/v1/files). The server's refusals (too
 * large, not PDF/JPEG/PNG/OFD by content) are shown under the button, in its words.
 */
export function UploadButton({
  text,
  forName,
  describedBy,
  onUploaded,
  disabled = false,
}: {
  /** The visible label (default "choose a file to upload"). */
  text?: string;
  /** What the file is for (a material, a field), added to the accessible name after the visible label. */
  forName?: string;
  describedBy?: string;
  onUploaded(file: UploadedFile): void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const problemText = useProblemText();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const visible = uploading ? t.cases.files.uploading : (text ?? t.cases.files.choose);

  const picked = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      const meta = await casesApi.upload(file, newIdempotencyKey());
      onUploaded({ meta, localUrl: URL.createObjectURL(file) });
    } catch (err) {
      setError(problemText(err));
    } finally {
      setUploading(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="upload-button">
      <input
        ref={input}
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden
        onChange={(event) => void picked(event.target.files?.[0])}
      />
      <Button
        icon={<UploadOutlined aria-hidden />}
        loading={uploading}
        disabled={disabled}
        // The accessible name starts with the visible label (WCAG 2.5.3) and says what the file is for.
        aria-label={forName ? `${visible}：${forName}` : undefined}
        aria-describedby={[describedBy, error ? errorId : undefined].filter(Boolean).join(' ') || undefined}
        onClick={() => input.current?.click()}
      >
        {visible}
      </Button>
      {error && (
        <div id={errorId} role="alert" className="upload-error">
          {error}
        </div>
      )}
    </div>
  );
}

/** One uploaded file: name, type and size, an inline preview of images, a link to open PDFs, and removal. */
export function FileCard({ file, onRemove }: { file: UploadedFile; onRemove?: () => void }) {
  const { t } = useI18n();
  const { meta, localUrl } = file;
  const href = localUrl ?? fileLink(meta.fileId);
  const image = meta.mediaType.startsWith('image/');
  const pdf = meta.mediaType === 'application/pdf';
  return (
    <div className="file-card">
      {image ? (
        <img src={href} alt={t.cases.files.previewOf(meta.name)} className="file-thumb" />
      ) : (
        <span className="file-icon" aria-hidden>
          {pdf ? <FilePdfOutlined /> : <FileOutlined />}
        </span>
      )}
      <div className="file-card-text">
        <Typography.Text strong className="file-name">
          {meta.name}
        </Typography.Text>
        <Typography.Text type="secondary">
          {typeLabel(meta.mediaType)} · {formatSize(meta.size)}
        </Typography.Text>
        <Space size={12} wrap>
          <a href={href} target="_blank" rel="noopener noreferrer" aria-label={t.cases.files.openNamed(meta.name)}>
            {pdf || image ? t.cases.files.preview : t.cases.files.download}
          </a>
          {onRemove && (
            <Button type="link" size="small" danger icon={<DeleteOutlined aria-hidden />} onClick={onRemove} aria-label={t.cases.files.removeNamed(meta.name)} className="file-remove">
              {t.cases.files.remove}
            </Button>
          )}
        </Space>
      </div>
    </div>
  );
}

function typeLabel(mediaType: string): string {
  switch (mediaType) {
    case 'application/pdf':
      return 'PDF';
    case 'image/jpeg':
      return 'JPEG';
    case 'image/png':
      return 'PNG';
    case 'application/ofd':
      return 'OFD';
    default:
      return mediaType;
  }
}

/** Releases the object URLs of files a page no longer shows. */
export function useRevokeOnUnmount(files: readonly (UploadedFile | undefined)[]): void {
  const latest = useRef(files);
  latest.current = files;
  useEffect(
    () => () => {
      for (const file of latest.current) if (file?.localUrl) URL.revokeObjectURL(file.localUrl);
    },
    [],
  );
}

/** A file known only by its id (a resumed draft, a case's material): its metadata from the server. */
export function useFileMeta(fileId: string | null | undefined): FileMeta | undefined {
  const [meta, setMeta] = useState<FileMeta>();
  useEffect(() => {
    if (!fileId) return;
    let live = true;
    casesApi
      .fileMeta(fileId)
      .then((m) => {
        if (live) setMeta(m);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [fileId]);
  return fileId ? meta : undefined;
}
