/**
 * The Alpha158 feature names in the project's fixed order (docs: shared/spec/alpha158.md, after Qlib's
 * Alpha158DL): 9 K-bar, 4 price, then the 29 rolling operators operator-major over the 5 windows.
 */
export const ALPHA158_WINDOWS = [5, 10, 20, 30, 60] as const;

/** The longest expression is a 60-row window over Ref(close, 1), so it reads 61 rows. */
export const ALPHA158_MIN_ROWS = 61;

export const ALPHA158_KBAR_NAMES = ['KMID', 'KLEN', 'KMID2', 'KUP', 'KUP2', 'KLOW', 'KLOW2', 'KSFT', 'KSFT2'] as const;

export const ALPHA158_PRICE_NAMES = ['OPEN0', 'HIGH0', 'LOW0', 'VWAP0'] as const;

export const ALPHA158_ROLLING_OPERATORS = [
  'ROC',
  'MA',
  'STD',
  'BETA',
  'RSQR',
  'RESI',
  'MAX',
  'MIN',
  'QTLU',
  'QTLD',
  'RANK',
  'RSV',
  'IMAX',
  'IMIN',
  'IMXD',
  'CORR',
  'CORD',
  'CNTP',
  'CNTN',
  'CNTD',
  'SUMP',
  'SUMN',
  'SUMD',
  'VMA',
  'VSTD',
  'WVMA',
  'VSUMP',
  'VSUMN',
  'VSUMD',
] as const;

export const ALPHA158_NAMES: readonly string[] = Object.freeze([
  ...ALPHA158_KBAR_NAMES,
  ...ALPHA158_PRICE_NAMES,
  ...ALPHA158_ROLLING_OPERATORS.flatMap((op) => ALPHA158_WINDOWS.map((d) => `${op}${d}`)),
]);

export const ALPHA158_FEATURE_COUNT = 158;
