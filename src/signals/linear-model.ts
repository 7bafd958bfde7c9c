/** A versioned linear scoring model: score = bias + Σ weight_i · feature_i. */
export class LinearModel {
  readonly name: string;
  readonly version: string;
  readonly featureNames: readonly string[];
  private readonly weights: Float64Array;
  private readonly bias: number;

  constructor(init: {
    name: string;
    version: string;
    featureNames: readonly string[];
    weights: Float64Array;
    bias: number;
  }) {
    if (init.weights.length !== init.featureNames.length) {
      throw new RangeError(
        `Model ${init.name}: ${init.weights.length} weights for ${init.featureNames.length} features`,
      );
    }
    this.name = init.name;
    this.version = init.version;
    this.featureNames = Object.freeze([...init.featureNames]);
    this.weights = Float64Array.from(init.weights);
    this.bias = init.bias;
  }

  /** `name@version`, the identifier a signal batch carries. */
  get id(): string {
    return `${this.name}@${this.version}`;
  }

  /**
   * nan_policy "zero": a feature that is not finite (NaN for lack of history; ±Infinity from a
   * division by zero) contributes nothing, so one undefined feature never poisons the score.
   * Throws RangeError if the sum itself overflows: an infinite trading signal is never returned.
   */
  predict(features: Float64Array): number {
    if (features.length !== this.weights.length) {
      throw new RangeError(`Model ${this.id} expects ${this.weights.length} features, got ${features.length}`);
    }
    let score = this.bias;
    for (let i = 0; i < features.length; i++) {
      const x = features[i]!;
      if (Number.isFinite(x)) score += this.weights[i]! * x;
    }
    if (!Number.isFinite(score)) throw new RangeError(`Model ${this.id} produced a non-finite score (${score})`);
    return score;
  }
}
