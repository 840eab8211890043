/** Public types of the model-performance library. */

/** A class label as it arrives from JSON. One call never mixes numbers and strings. */
export type Label = number | string;

/** scikit-learn's `average` for precision, recall and F1. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

export interface AverageOptions {
  /** Default 'binary', as scikit-learn. */
  readonly average?: Average;
  /** The positive class for average 'binary'. Default 1, as scikit-learn's pos_label. */
  readonly positiveLabel?: Label;
  /** Classes to average over (and their order); default: the sorted union of y_true and y_pred. */
  readonly labels?: readonly Label[];
}

export interface ClassReport {
  readonly label: Label;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Number of true occurrences of the class. */
  readonly support: number;
}

export interface ConfusionMatrix {
  /** Row and column order. */
  readonly labels: readonly Label[];
  /** matrix[i][j]: samples of true class labels[i] predicted as labels[j] (scikit-learn's layout). */
  readonly matrix: readonly (readonly number[])[];
}
