import { Tag } from 'antd';
import { useI18n } from '../../app/i18n';
import type { License } from './api';

export function LicenseStatusTag({ license }: { license: Pick<License, 'status' | 'expired'> }) {
  const { t } = useI18n();
  const s = t.licenses.status;
  if (license.status === 'revoked') return <Tag color="red">{s.revoked}</Tag>;
  if (license.status === 'superseded') return <Tag color="orange">{s.superseded}</Tag>;
  if (license.expired) return <Tag color="default">{s.expired}</Tag>;
  return <Tag color="green">{s.valid}</Tag>;
}
