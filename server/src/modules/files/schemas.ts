import { Type, type Static } from 'typebox';
import { ACCEPTED_TYPES } from './sniff.js';
import { MAX_FILE_LABEL } from './service.js';

export const FileIdParam = Type.Object({ fileId: Type.String({ format: 'uuid' }) });

export const FileMetaSchema = Type.Object(
  {
    fileId: Type.String({ format: 'uuid' }),
    name: Type.String({ description: '原文件名（仅保留文件名本身，最长 200 字；扩展名与识别出的类型一致）' }),
    mediaType: Type.Enum(ACCEPTED_TYPES.map((t) => t.mediaType), { description: '按文件内容识别的类型（不采信文件名或请求头）' }),
    size: Type.Integer({ minimum: 1, description: '字节数' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$', description: '内容的 SHA-256（十六进制）' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: '已上传文件的元数据' },
);
export type FileMetaBody = Static<typeof FileMetaSchema>;

/** The form as OpenAPI shows it; the route reads and checks it itself (see routes.ts). */
export const UploadForm = Type.Object({
  file: Type.Unsafe<Buffer>({
    type: 'string',
    format: 'binary',
    description: `一个文件：PDF、JPEG、PNG 或 OFD，不超过 ${MAX_FILE_LABEL}`,
  }),
});
