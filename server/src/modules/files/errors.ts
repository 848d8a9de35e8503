import { defineErrors, defineFieldErrors } from '../../platform/http/errors.js';

export const FileErrors = defineErrors({
  file_not_multipart: {
    status: 415,
    zh: '请以 multipart/form-data 上传一个文件（字段名 file）',
    en: 'Upload one file as multipart/form-data (field "file")',
  },
  file_missing: { status: 400, zh: '请求中没有文件，请选择一个文件上传', en: 'The request holds no file; choose one file to upload' },
  file_too_many: { status: 400, zh: '一次只能上传一个文件', en: 'Upload one file at a time' },
  file_too_large: {
    status: 413,
    zh: '文件超过 {limit} 上限，请压缩或拆分后重新上传',
    en: 'The file exceeds the {limit} limit; compress or split it and upload again',
  },
  file_malformed: { status: 400, zh: '上传内容不完整或格式错误，请重新上传', en: 'The upload is incomplete or malformed; upload it again' },
  unsupported_file_type: {
    status: 415,
    zh: '不支持该文件类型：仅接受 {accepted} 文件（按文件内容识别，与文件名无关）',
    en: 'Unsupported file type: only {accepted} files are accepted (recognised by their content, not their name)',
  },
  file_not_found: { status: 404, zh: '文件不存在', en: 'File not found' },
});

export const FileFieldCodes = defineFieldErrors({
  // One message for "no such file" and "someone else's file": the answer must not reveal which.
  file_unknown: { zh: '文件 {fileId} 不存在或不是您上传的', en: 'File {fileId} does not exist or was not uploaded by you' },
});
