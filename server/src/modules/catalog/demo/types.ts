import type { ExerciseLevel } from '../../../shared/catalog-codes.js';
import type { ItemContent, Material } from '../schemas.js';

/**
 * Demo data refers to halls by name, to proofs and intermediaries by their list code and to
 * departments by name; the seeder resolves them to ids (`resolve.ts`). Otherwise a demo item's
 * content is exactly an `ItemContent`.
 */
export type DemoMaterial = Omit<Material, 'proofId'> & {
  /** Code of an entry of `DEMO_PROOFS` (保留证明事项清单). */
  proofCode?: string;
};

export type DemoItemContent = Omit<ItemContent, 'hallIds' | 'intermediaryServiceIds' | 'materials' | 'parallel'> & {
  /** Names of halls of the demo city (`modules/demo/seed.ts`). */
  hallNames: string[];
  /** Codes of entries of `DEMO_INTERMEDIARIES` (中介服务事项清单). */
  intermediaryCodes: string[];
  materials: DemoMaterial[];
  /**
   * A composite item's components (并联审批) by the basic code of another demo item: the
   * implementation code depends on the department's credit code, known only once seeded.
   */
  components?: Array<{ basicCode: string; required: boolean }>;
};

export interface DemoItem {
  /** One of the demo city's department names. */
  department: string;
  /** Mostly 3 (municipal); district items 4. */
  exerciseLevel: ExerciseLevel;
  /** 12 characters, `^[0-9A-Z]{12}$`, unique across the demo catalog. */
  basicCode: string;
  content: DemoItemContent;
}

/** An entry of the retained-proofs list (保留证明事项清单, seed §9). */
export interface DemoProof {
  code: string;
  name: string;
  legalBasis: string;
  requestingUnit: string;
  issuingUnit: string;
  guide: string;
}

/** An entry of the intermediary services list (中介服务事项清单, seed §22). */
export interface DemoIntermediary {
  code: string;
  name: string;
  legalBasis: string;
  feeStandard: string;
  providerRequirements: string;
}

export interface DemoSynonym {
  term: string;
  expansions: string[];
}
