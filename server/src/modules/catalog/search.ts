/**
 * In-memory Chinese full-text index of the published catalog (ADR 0007). Pure: no database, no
 * Node APIs, no tokenizer dependency.
 *
 * - Text is normalised (NFKC, lower case) and cut into runs of letters and digits; punctuation and
 *   spaces separate runs. Every run yields its character bigrams (相邻两字); name and keywords
 *   also yield single characters, so a one-character query works.
 * - Each item is one document with weighted fields: name 3, keywords 2, sub-items and handling
 *   items 1, materials 0.5. A term's frequency in a document is the weighted sum over fields.
 * - A query is cut the same way, after dropping filler phrases (我想, 怎么办 …). Each synonym term
 *   the query contains adds its expansions as further groups of terms, at a lower weight.
 * - A document matches a group when it holds enough of the group's distinct terms (all of them
 *   for one or two terms, 60 % rounded up beyond), and the query when it matches any group.
 * - Score: over the groups a document matches, the sum of group weight × mean BM25 contribution
 *   of the group's terms (BM25 over the weighted frequencies) × (1 + name bonus), the bonus
 *   applying when the item's name contains the group's text, more when it starts with it, most
 *   when it is the whole name. Ties keep the documents' own order (the stable listing order the
 *   caller built them in).
 */

export interface SearchDocument {
  name: string;
  keywords: readonly string[];
  subItems: readonly string[];
  handlingItems: readonly string[];
  materials: readonly string[];
}

export interface SynonymEntry {
  term: string;
  expansions: readonly string[];
}

export const FIELD_WEIGHTS = { name: 3, keywords: 2, subItems: 1, handlingItems: 1, materials: 0.5 } as const;
type Field = keyof typeof FIELD_WEIGHTS;
const FIELDS = Object.keys(FIELD_WEIGHTS) as Field[];
/** Fields that also index single characters. */
const UNIGRAM_FIELDS: ReadonlySet<Field> = new Set<Field>(['name', 'keywords']);

/** Weight of a synonym expansion's terms against the query's own (1). */
export const EXPANSION_WEIGHT = 0.8;
/** Name bonus of a group whose text the item's name equals, starts with or contains: × (1 + bonus). */
export const NAME_BONUS = { equal: 2, prefix: 1.2, contains: 0.8 } as const;
const K1 = 1.2;
/** Length normalisation kept low: long material lists should not bury an item whose name matches. */
const B = 0.5;
/** Distinct terms a query may hold (a bitmask per document tracks which were matched). */
const MAX_TERMS = 32;
const MAX_GROUPS = 8;
const MAX_QUERY_CHARS = 30;
/** Scores are compared to 1e-6 (closer ones tie, and ties keep document order). */
const SCORE_SCALE = 1e6;
/** Keeps score × idSpan within a double's exact integers for up to 2^20 documents. */
const MAX_SCORE_KEY = 2 ** 32;

/** Phrases that carry no meaning for the catalog in a colloquial query ("我想开公司怎么办"). */
const FILLERS = ['请问', '我想要', '我想', '我要', '想要', '怎么办理', '如何办理', '怎么办', '怎么', '怎样', '如何', '在哪里', '在哪儿', '在哪', '哪里', '需要什么', '需要', '什么', '一下'];

const RUN = /[\p{L}\p{N}]+/gu;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Runs of letters and digits of the normalised text, each as an array of code points. */
function runs(text: string): string[][] {
  return (normalizeText(text).match(RUN) ?? []).map((run) => Array.from(run));
}

/** The text without anything but letters and digits: what name-containment is judged on. */
export function compact(text: string): string {
  return (normalizeText(text).match(RUN) ?? []).join('');
}

function bigramsOf(chars: string[], into: (term: string) => void): void {
  for (let i = 0; i + 1 < chars.length; i++) into(chars[i]! + chars[i + 1]!);
}

/** The terms of one query run: its bigrams, or the character itself when the run has one. */
function queryTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(text)) {
    if (run.length === 1) terms.add(run[0]!);
    else bigramsOf(run, (t) => terms.add(t));
  }
  return [...terms];
}

export interface QueryGroup {
  /** The group's text, compacted: the query itself or one synonym expansion. */
  text: string;
  weight: number;
  terms: string[];
  /** Distinct terms a document must hold for the group to match it. */
  minMatch: number;
}

export interface ParsedQuery {
  groups: QueryGroup[];
  /** Synonym terms found in the query. */
  synonyms: string[];
}

export function minMatch(termCount: number): number {
  return termCount <= 2 ? termCount : Math.ceil(termCount * 0.6);
}

/** Drops filler phrases, unless nothing would be left. */
function stripFillers(text: string): string {
  let stripped = text;
  for (const filler of FILLERS) stripped = stripped.split(filler).join('');
  return stripped.length > 0 ? stripped : text;
}

export interface SearchHit {
  doc: number;
  score: number;
}

interface Posting {
  docs: Int32Array;
  /** Weighted term frequency of the term in each document of `docs`. */
  tfs: Float32Array;
}

/** Estimated bytes held by the index (typed arrays, strings and map entries), for the bench's report. */
export interface IndexStats {
  documents: number;
  terms: number;
  postings: number;
  estimatedBytes: number;
}

export class SearchIndex {
  readonly size: number;
  private readonly postings = new Map<string, Posting>();
  /** Per document, BM25's length normalisation k1 × (1 − b + b × length / average length). */
  private readonly norms: Float32Array;
  /** A power of two above the largest document id: sort keys pack score × idSpan + inverted id. */
  private readonly idSpan: number;
  private readonly names: string[];
  private readonly synonyms: Array<{ term: string; expansions: string[] }>;
  // Scratch space reused by every search (searches are synchronous, so never shared).
  /** Per document, one slot per query group (MAX_GROUPS wide). */
  private readonly groupScores: Float64Array;
  private readonly masks: Uint32Array;
  private readonly touched: Int32Array;
  private readonly keys: Float64Array;

  constructor(documents: readonly SearchDocument[], synonyms: readonly SynonymEntry[] = []) {
    this.size = documents.length;
    const lengths = new Float32Array(this.size);
    this.names = documents.map((d) => compact(d.name));
    const builders = new Map<string, { docs: number[]; tfs: number[] }>();
    let totalLength = 0;
    const local = new Map<string, number>();
    for (let doc = 0; doc < this.size; doc++) {
      const document = documents[doc]!;
      local.clear();
      let length = 0;
      for (const field of FIELDS) {
        const weight = FIELD_WEIGHTS[field];
        const texts = field === 'name' ? [document.name] : document[field];
        for (const text of texts) {
          for (const run of runs(text)) {
            bigramsOf(run, (term) => {
              local.set(term, (local.get(term) ?? 0) + weight);
              length += weight;
            });
            if (UNIGRAM_FIELDS.has(field) || run.length === 1) {
              for (const ch of run) local.set(ch, (local.get(ch) ?? 0) + weight);
            }
          }
        }
      }
      lengths[doc] = length;
      totalLength += length;
      for (const [term, tf] of local) {
        let builder = builders.get(term);
        if (!builder) builders.set(term, (builder = { docs: [], tfs: [] }));
        builder.docs.push(doc);
        builder.tfs.push(tf);
      }
    }
    for (const [term, builder] of builders) this.postings.set(term, { docs: Int32Array.from(builder.docs), tfs: Float32Array.from(builder.tfs) });
    const averageLength = this.size > 0 ? Math.max(totalLength / this.size, 1) : 1;
    this.norms = lengths.map((length) => K1 * (1 - B + (B * length) / averageLength));
    this.idSpan = 2 ** Math.ceil(Math.log2(this.size + 1));
    // Longest terms first, so that "办营业执照" is found before a shorter term inside it.
    this.synonyms = synonyms
      .map((s) => ({ term: compact(s.term), expansions: s.expansions.map(compact).filter((e) => e.length > 0) }))
      .filter((s) => s.term.length > 0 && s.expansions.length > 0)
      .sort((a, b) => b.term.length - a.term.length || (a.term < b.term ? -1 : 1));
    this.groupScores = new Float64Array(this.size * MAX_GROUPS);
    this.masks = new Uint32Array(this.size);
    this.touched = new Int32Array(this.size);
    this.keys = new Float64Array(this.size);
  }

  /** Splits a query into its groups: the query itself (fillers dropped) and each synonym expansion. */
  parse(query: string): ParsedQuery {
    const full = compact(query).slice(0, MAX_QUERY_CHARS * 2);
    const chars = Array.from(full).slice(0, MAX_QUERY_CHARS).join('');
    const groups: QueryGroup[] = [];
    const seen = new Set<string>();
    /** `text` is what the name bonus compares; `termText` what the terms are cut from. */
    const add = (text: string, termText: string, weight: number) => {
      if (text.length === 0 || seen.has(text) || groups.length >= MAX_GROUPS) return;
      const terms = queryTerms(termText);
      if (terms.length === 0) return;
      seen.add(text);
      groups.push({ text, weight, terms, minMatch: minMatch(terms.length) });
    };
    // The query's own terms are cut with its spaces kept, so "营业 执照" makes no bigram across
    // the gap; once fillers are dropped the rest is taken as one run.
    const own = stripFillers(chars);
    const spaced = Array.from((normalizeText(query).match(RUN) ?? []).join(' ')).slice(0, MAX_QUERY_CHARS * 2).join('');
    add(own, own === chars ? spaced : own, 1);
    const synonyms: string[] = [];
    for (const entry of this.synonyms) {
      if (!chars.includes(entry.term)) continue;
      synonyms.push(entry.term);
      for (const expansion of entry.expansions) add(expansion, expansion, EXPANSION_WEIGHT);
    }
    return { groups, synonyms };
  }

  /**
   * Every matching document, best first, as document ids. `accept` filters documents (the
   * caller's filters); it is asked only about documents the query matched.
   *
   * A document's score sums, over the groups it matches, the group's weight times the mean BM25
   * contribution of the group's terms (so a long expansion does not outweigh a short one merely
   * by having more bigrams) times the name bonus for that group.
   */
  rank(query: string, accept?: (doc: number) => boolean): Int32Array {
    const count = this.score(query, accept);
    // One native numeric sort: the score (to 1e-6) and the inverted document id packed in a double,
    // ascending; read backwards it is score descending, then document id ascending.
    const keys = this.keys.subarray(0, count).sort();
    const ranked = new Int32Array(count);
    const span = this.idSpan;
    for (let i = 0; i < count; i++) ranked[i] = span - 1 - (keys[count - 1 - i]! % span);
    return ranked;
  }

  /** Like `rank`, with each document's score (for tests and tuning). */
  search(query: string, accept?: (doc: number) => boolean): SearchHit[] {
    const count = this.score(query, accept);
    const hits: SearchHit[] = [];
    for (let i = 0; i < count; i++) {
      const key = this.keys[i]!;
      hits.push({ doc: this.idSpan - 1 - (key % this.idSpan), score: Math.floor(key / this.idSpan) / SCORE_SCALE });
    }
    return hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  /** Scores the query into `this.keys[0 .. count)`; returns count. */
  private score(query: string, accept: ((doc: number) => boolean) | undefined): number {
    const { groups } = this.parse(query);
    if (groups.length === 0) return 0;
    const G = groups.length;

    // Distinct terms over all groups (at most MAX_TERMS), each with its bit and its groups.
    const terms: string[] = [];
    const termGroups: number[][] = [];
    const bitOf = new Map<string, number>();
    for (const [g, group] of groups.entries()) {
      for (const term of group.terms) {
        let i = bitOf.get(term);
        if (i === undefined) {
          if (terms.length >= MAX_TERMS) continue;
          i = terms.length;
          bitOf.set(term, i);
          terms.push(term);
          termGroups.push([]);
        }
        termGroups[i]!.push(g);
      }
    }
    const groupMasks = groups.map((g) => g.terms.reduce((mask, t) => (bitOf.has(t) ? mask | (1 << bitOf.get(t)!) : mask), 0));
    // A group whose terms fell beyond MAX_TERMS asks for what is left of it (and never for nothing).
    const groupNeeds = groups.map((g, i) => (groupMasks[i] === 0 ? Infinity : Math.min(g.minMatch, popcount(groupMasks[i]!))));
    const groupShare = groups.map((g) => 1 / g.terms.length);

    const { groupScores, masks, touched, norms } = this;
    let touchedCount = 0;
    const n = this.size;
    for (const [i, term] of terms.entries()) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const df = posting.docs.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const termBit = 1 << i;
      const inGroups = termGroups[i]!;
      const single = inGroups.length === 1 ? inGroups[0]! : -1;
      const { docs, tfs } = posting;
      for (let j = 0; j < df; j++) {
        const doc = docs[j]!;
        if (masks[doc] === 0) touched[touchedCount++] = doc;
        masks[doc] = masks[doc]! | termBit;
        const tf = tfs[j]!;
        const contribution = (idf * tf * (K1 + 1)) / (tf + norms[doc]!);
        if (single >= 0) groupScores[doc * MAX_GROUPS + single] = groupScores[doc * MAX_GROUPS + single]! + contribution * groupShare[single]!;
        else for (const g of inGroups) groupScores[doc * MAX_GROUPS + g] = groupScores[doc * MAX_GROUPS + g]! + contribution * groupShare[g]!;
      }
    }

    const keys = this.keys;
    const span = this.idSpan;
    let count = 0;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i]!;
      const mask = masks[doc]!;
      masks[doc] = 0;
      let score = 0;
      for (let g = 0; g < G; g++) {
        const slot = doc * MAX_GROUPS + g;
        const groupScore = groupScores[slot]!;
        groupScores[slot] = 0;
        if (popcount(mask & groupMasks[g]!) < groupNeeds[g]!) continue;
        score += groups[g]!.weight * groupScore * (1 + this.nameBonus(doc, groups[g]!.text));
      }
      if (score === 0 || (accept && !accept(doc))) continue;
      keys[count++] = Math.min(Math.round(score * SCORE_SCALE), MAX_SCORE_KEY) * span + (span - 1 - doc);
    }
    return count;
  }

  private nameBonus(doc: number, text: string): number {
    const name = this.names[doc]!;
    if (!name.includes(text)) return 0;
    return name === text ? NAME_BONUS.equal : name.startsWith(text) ? NAME_BONUS.prefix : NAME_BONUS.contains;
  }

  stats(): IndexStats {
    let postings = 0;
    let bytes = this.norms.byteLength + this.keys.byteLength + this.groupScores.byteLength + this.masks.byteLength + this.touched.byteLength;
    for (const [term, posting] of this.postings) {
      postings += posting.docs.length;
      // typed arrays + their headers, the key string and the map entry
      bytes += posting.docs.byteLength + posting.tfs.byteLength + 2 * 80 + 2 * term.length + 40 + 64;
    }
    for (const name of this.names) bytes += 2 * name.length + 40;
    return { documents: this.size, terms: this.postings.size, postings, estimatedBytes: bytes };
  }
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
