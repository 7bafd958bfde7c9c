import { Field, Float64, Int32, makeBuilder, makeData, RecordBatch, Schema, Struct, Table, Utf8 } from 'apache-arrow';
import type { DataType } from 'apache-arrow';

/**
 * Column types the report tables use. No Int64: apache-arrow JS reads it back as BigInt, which
 * breaks arithmetic and JSON.stringify in JavaScript consumers; whole-number counts go in float64.
 */
export type ArrowColumnType = 'utf8' | 'float64' | 'int32';

export interface ArrowColumn<Row> {
  readonly name: string;
  readonly type: ArrowColumnType;
  /** False for identifiers: a null there is a bug and throws. */
  readonly nullable: boolean;
  /** Written as the field's `unit` metadata (ns, ms, bytes, ...). */
  readonly unit?: string;
  readonly value: (row: Row) => string | number | null | undefined;
}

function arrowType(type: ArrowColumnType): DataType {
  switch (type) {
    case 'utf8':
      return new Utf8();
    case 'float64':
      return new Float64();
    case 'int32':
      return new Int32();
  }
}

/** Non-finite numbers become null: Arrow files from this harness hold nulls, never NaN or Infinity. */
function cell<Row>(table: string, column: ArrowColumn<Row>, row: Row): string | number | null {
  const raw = column.value(row);
  let value: string | number | null = raw === undefined ? null : raw;
  if (typeof value === 'number' && !Number.isFinite(value)) value = null;
  if (value !== null && (column.type === 'utf8') !== (typeof value === 'string')) {
    throw new Error(`${table}.${column.name}: ${typeof value} value in a ${column.type} column`);
  }
  if (column.type === 'int32' && value !== null && !Number.isInteger(value))
    throw new Error(`${table}.${column.name}: ${value} is not an integer`);
  if (value === null && !column.nullable) throw new Error(`${table}.${column.name}: null in a non-nullable column`);
  return value;
}

/**
 * One record batch built from row objects with declared column types, so an empty table still
 * carries its full schema (readers see the columns of a run that had, say, no verdicts).
 */
export function tableFromRows<Row>(
  table: string,
  columns: readonly ArrowColumn<Row>[],
  rows: readonly Row[],
  metadata: ReadonlyMap<string, string>,
): Table {
  const fields = columns.map((column) => {
    const fieldMetadata = column.unit === undefined ? null : new Map([['unit', column.unit]]);
    return new Field(column.name, arrowType(column.type), column.nullable, fieldMetadata);
  });
  const children = columns.map((column, i) => {
    const builder = makeBuilder({ type: fields[i]!.type, nullValues: [null] });
    for (const row of rows) builder.append(cell(table, column, row));
    return builder.finish().toVector().data[0]!;
  });
  const schema = new Schema(fields, new Map(metadata));
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length: rows.length, nullCount: 0, children }),
  );
  return new Table(schema, [batch]);
}
