/**
 * matrix.schema.json and the TypeScript interface `TgcMatrix` describe the same data: the key
 * lists below are checked against the interface by the compiler (a missing or extra key is a
 * type error) and against the schema at run time; every matrix the tests build validates.
 */
import { describe, expect, it } from 'vitest';
import type { Severity } from '../core/finding.js';
import { cleanReport, reportWithViolations } from '../report/__fixtures__/sample-reports.js';
import { itAgrees, keysOf, membersOf, schemaAt, type ObjectKeys } from '../report/__fixtures__/schema-agreement.js';
import { chatLine, chatStreamLine, generateLine } from './__fixtures__/lines.js';
import { MATRIX_SCHEMA, matrixSchemaErrors } from './__fixtures__/matrix-schema.js';
import { buildMatrix } from './build.js';
import {
  MATRIX_GROUPINGS,
  MATRIX_SCHEMA_VERSION,
  type MatrixCell,
  type MatrixCellStatus,
  type MatrixCheck,
  type MatrixExample,
  type MatrixFindingGroup,
  type MatrixGrouping,
  type MatrixInput,
  type MatrixRow,
  type MatrixSummary,
  type MatrixVersion,
  type TgcMatrix,
} from './model.js';

const OBJECTS: [string, string, ObjectKeys][] = [
  ['TgcMatrix', '', keysOf<TgcMatrix>()(['schemaVersion', 'tool', 'generatedAt', 'by', 'inputs', 'checks', 'rows', 'summary'], [])],
  ['tool', '/properties/tool', keysOf<TgcMatrix['tool']>()(['name', 'version'], [])],
  ['MatrixInput', '/properties/inputs/items', keysOf<MatrixInput>()(['file', 'kind', 'exchanges'], [])],
  ['MatrixSummary', '/properties/summary', keysOf<MatrixSummary>()(['rows', 'exchanges', 'failingRows', 'cells'], [])],
  ['MatrixSummary.cells', '/properties/summary/properties/cells', keysOf<MatrixSummary['cells']>()(['pass', 'warn', 'fail', 'error', 'not-exercised'], [])],
  ['MatrixCheck', '/$defs/check', keysOf<MatrixCheck>()(['id', 'title'], ['severity', 'rule'])],
  ['MatrixRow', '/$defs/row', keysOf<MatrixRow>()(['id', 'target', 'status', 'exchanges', 'violations', 'warnings', 'versions', 'sources', 'cells'], ['model'])],
  ['MatrixRow.sources', '/$defs/row/properties/sources/items', keysOf<MatrixRow['sources'][number]>()(['file', 'exchanges'], [])],
  ['MatrixVersion', '/$defs/version', keysOf<MatrixVersion>()(['value', 'from'], ['exchanges', 'failing'])],
  ['MatrixCell', '/$defs/cell', keysOf<MatrixCell>()(['check', 'status', 'judged', 'failed', 'violations', 'warnings', 'errors', 'findings'], ['anchor'])],
  ['MatrixFindingGroup', '/$defs/findingGroup', keysOf<MatrixFindingGroup>()(['severity', 'kind', 'title', 'count', 'examples'], [])],
  ['MatrixExample', '/$defs/example', keysOf<MatrixExample>()(['file', 'message'], ['line', 'route', 'pointer', 'event', 'version', 'excerpt', 'case'])],
];

const ENUMS: [string, string, string[]][] = [
  ['MatrixCellStatus', '/$defs/cellStatus', membersOf<MatrixCellStatus>()(['pass', 'warn', 'fail', 'error', 'not-exercised'])],
  ['Severity', '/$defs/severity', membersOf<Severity>()(['violation', 'warning'])],
  ['MatrixGrouping', '/properties/by', membersOf<MatrixGrouping>()(['target', 'provider', 'model'])],
  ['MatrixInput.kind', '/properties/inputs/items/properties/kind', membersOf<MatrixInput['kind']>()(['exchanges', 'report'])],
];

const at = (pointer: string): Record<string, unknown> => schemaAt(MATRIX_SCHEMA, pointer);

describe('matrix.schema.json agrees with TgcMatrix', () => {
  itAgrees(MATRIX_SCHEMA, OBJECTS, ENUMS);

  it('has the same schemaVersion, and every grouping the command accepts', () => {
    expect(at('/properties/schemaVersion')['const']).toBe(MATRIX_SCHEMA_VERSION);
    expect([...MATRIX_GROUPINGS].sort()).toEqual([...(at('/properties/by')['enum'] as string[])].sort());
  });
});

describe('matrices validate against matrix.schema.json', () => {
  const files = [
    { file: 'a.jsonl', text: [chatLine({ provider: 'p', finishReason: 'eos', fingerprint: 'v1', headers: { server: 'gw' } }), chatStreamLine({ provider: 'p', done: false }), generateLine()].join('\n') },
    { file: 'faulty.json', text: JSON.stringify(reportWithViolations()) },
    { file: 'clean.json', text: JSON.stringify({ ...cleanReport(), target: { url: 'http://127.0.0.1:9', api: 'tgi', builtIn: true } }) },
  ];
  it.each(MATRIX_GROUPINGS)('--by %s', async (by) => {
    const { matrix } = await buildMatrix(files, { by, toolVersion: '0.1.0' });
    expect(matrix.rows.length).toBeGreaterThan(1);
    expect(matrixSchemaErrors(matrix)).toEqual([]);
  });

  it('an empty matrix too, and the schema rejects a wrong status', async () => {
    const { matrix } = await buildMatrix([{ file: 'a.jsonl', text: generateLine() }], { by: 'target', toolVersion: '0.1.0' });
    expect(matrixSchemaErrors(matrix)).toEqual([]);
    const spoilt = JSON.parse(JSON.stringify(matrix)) as TgcMatrix;
    (spoilt.rows[0]!.cells[0] as { status: string }).status = 'ok';
    expect(matrixSchemaErrors(spoilt).join('\n')).toMatch(/\/rows\/0\/cells\/0\/status must be equal to one of the allowed values/);
  });
});
