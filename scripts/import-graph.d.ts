/** Types of scripts/import-graph.js, for the architecture test. */
export interface CrossFloorImport {
  readonly from: string;
  readonly to: string;
  readonly fromFloor: string;
  readonly toFloor: string;
}
export function crossFloorImports(): CrossFloorImport[];
export function floorCycles(edges: readonly CrossFloorImport[]): string[][];
export function measure(): { upward: CrossFloorImport[]; cycles: string[][] };
