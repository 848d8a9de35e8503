import { useMemo } from 'react';
import { TreeSelect, type TreeSelectProps } from 'antd';
import { regionTree, type Region, type RegionNode } from './api';

interface Option {
  value: string;
  title: string;
  children?: Option[];
}

function toOptions(nodes: RegionNode[]): Option[] {
  return nodes.map((n) => ({ value: n.code, title: n.name, ...(n.children ? { children: toOptions(n.children) } : {}) }));
}

/** Picks one region from the nested list; searchable by name. */
export function RegionSelect({ regions, ...props }: { regions: readonly Region[] } & Omit<TreeSelectProps<string>, 'treeData'>) {
  const treeData = useMemo(() => toOptions(regionTree(regions)), [regions]);
  return <TreeSelect<string> showSearch treeNodeFilterProp="title" treeData={treeData} {...props} />;
}
